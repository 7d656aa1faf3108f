package boardstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"luot/assets"
	"luot/server/client"
	"luot/server/officefile"
	"luot/server/queue"
)

// office is the demo office, driven by the real domain: the events fed to
// the model are the server's own, encoded as the server sends them.
type office struct {
	t     *testing.T
	state *queue.State
	now   time.Time
	ids   int
}

func newOffice(t *testing.T) *office {
	f, err := officefile.Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, loc)
	return &office{t: t, state: queue.NewState(f.Office, f.Office.Day(now)), now: now}
}

// clientOffice is the office as GET /offices/{id} shows it.
func (o *office) clientOffice() *client.Office {
	q := o.state.Office
	c := &client.Office{ID: q.ID, Name: q.Name, NameEN: q.NameEN, Timezone: q.Timezone, Ticker: q.Ticker}
	for _, s := range q.Services {
		c.Services = append(c.Services, client.Service{ID: s.ID, Name: s.Name, NameEN: s.NameEN, Prefix: s.Prefix, Active: s.Active})
	}
	for _, k := range q.Counters {
		cc := client.Counter{ID: k.ID, Number: k.Number, Name: k.Name, State: "closed"}
		for _, s := range k.Services {
			cc.Services = append(cc.Services, s.Service)
		}
		c.Counters = append(c.Counters, cc)
	}
	return c
}

// wire encodes a domain event as the server sends it and decodes it as the
// client does.
func wire(t *testing.T, e queue.Event) client.Event {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var c client.Event
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// snapshot is the snapshot event the server sends a new follower.
func (o *office) snapshot() client.Event {
	s := o.state.Snapshot()
	return wire(o.t, queue.Event{Seq: s.Seq, Type: queue.EventSnapshot, At: o.now, Data: s})
}

// do runs a command, applies its change and returns its events.
func (o *office) do(c *queue.Change, err error) ([]client.Event, error) {
	o.t.Helper()
	o.now = o.now.Add(17 * time.Second)
	if err != nil {
		return nil, err
	}
	o.state.Apply(c)
	var out []client.Event
	for _, e := range c.Events {
		out = append(out, wire(o.t, e))
	}
	return out, nil
}

func (o *office) must(evs []client.Event, err error) []client.Event {
	o.t.Helper()
	if err != nil {
		o.t.Fatal(err)
	}
	return evs
}

func (o *office) issue(service string) ([]client.Event, error) {
	o.ids++
	id := fmt.Sprintf("t%d", o.ids)
	return o.do(o.state.Issue(o.now, queue.IssueRequest{ID: id, Token: "tok" + id, Service: service, Source: queue.SourceKiosk}))
}

func apply(t *testing.T, m *Model, evs []client.Event) []string {
	t.Helper()
	var calls []string
	for _, e := range evs {
		cs, err := m.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			s := fmt.Sprintf("%s→%d", c.Number, c.Counter)
			if c.Recall {
				s += " again"
			}
			calls = append(calls, s)
		}
	}
	return calls
}

// check compares the model's view with the domain's own snapshot.
func check(t *testing.T, m *Model, o *office, step string) {
	t.Helper()
	v := m.View()
	s := o.state.Snapshot()
	if v.Seq != s.Seq {
		t.Fatalf("%s: board at seq %d, server at %d", step, v.Seq, s.Seq)
	}
	for _, w := range v.Waiting {
		if w.Count != s.Waiting[w.Service] {
			t.Fatalf("%s: board shows %d waiting for %s, server has %d", step, w.Count, w.Service, s.Waiting[w.Service])
		}
	}
	var want []string
	for _, c := range s.Counters {
		if c.State == queue.CounterOpen || c.State == queue.CounterPaused {
			cur := ""
			if c.Current != nil {
				cur = c.Current.Number
			}
			want = append(want, fmt.Sprintf("%s:%s:%s", c.ID, c.State, cur))
		}
	}
	var got []string
	for _, c := range v.Counters {
		got = append(got, fmt.Sprintf("%s:%s:%s", c.ID, c.State, c.Current))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: board counters %v, server %v", step, got, want)
	}
	want, got = nil, nil
	for _, r := range s.Recent {
		want = append(want, r.Number+"@"+r.Counter)
	}
	for _, r := range v.Recent {
		got = append(got, r.Number+"@"+r.Counter)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: board recent calls %v, server %v", step, got, want)
	}
}

func TestModelFollowsCalls(t *testing.T) {
	o := newOffice(t)
	m := New(Filter{}, 8)
	m.SetOffice(o.clientOffice())
	apply(t, m, []client.Event{o.snapshot()})
	m.SetConnected(true, nil, o.now)
	apply(t, m, o.must(o.do(o.state.Open(o.now, "q3", "nv3"))))
	apply(t, m, o.must(o.do(o.state.Open(o.now, "q1", "nv1"))))
	for _, s := range []string{"chung-thuc", "chung-thuc", "xay-dung", "ho-tich"} {
		apply(t, m, o.must(o.issue(s)))
	}
	check(t, m, o, "after issuing")
	calls := apply(t, m, o.must(o.do(o.state.Next(o.now, "q3", "nv3"))))
	if !slices.Equal(calls, []string{"C001→3"}) {
		t.Errorf("calls %v, want C001 to counter 3", calls)
	}
	v := m.View()
	if v.Latest == nil || v.Latest.Number != "C001" || v.Latest.CounterNumber != 3 || v.Latest.ServiceName != "Chứng thực bản sao, chữ ký" ||
		v.Latest.ServiceNameEN != "Certified copies and signatures" || v.Latest.CounterName != "Quầy 3" || v.LatestSeq == 0 {
		t.Errorf("latest call %+v (seq %d)", v.Latest, v.LatestSeq)
	}
	check(t, m, o, "after a call")
	if calls := apply(t, m, o.must(o.do(o.state.Recall(o.now, "q3", "nv3")))); !slices.Equal(calls, []string{"C001→3 again"}) {
		t.Errorf("recall: calls %v", calls)
	}
	apply(t, m, o.must(o.do(o.state.NoShow(o.now, "q3", "nv3"))))
	check(t, m, o, "after a no-show")
	apply(t, m, o.must(o.do(o.state.Next(o.now, "q1", "nv1"))))
	// The no-show comes back and is called by number: nobody else leaves
	// the waiting list.
	calls = apply(t, m, o.must(o.do(o.state.CallNumber(o.now, "q3", "nv3", "C001"))))
	if !slices.Equal(calls, []string{"C001→3"}) {
		t.Errorf("call by number: %v", calls)
	}
	check(t, m, o, "after calling a no-show again")
	apply(t, m, o.must(o.do(o.state.Transfer(o.now, "q3", "nv3", queue.TransferRequest{Service: "ho-tich"}))))
	check(t, m, o, "after a transfer")
	apply(t, m, o.must(o.do(o.state.Done(o.now, "q1", "nv1"))))
	apply(t, m, o.must(o.do(o.state.Close(o.now, "q1", "nv1"))))
	check(t, m, o, "after closing a counter")

	// A snapshot taken now gives the same view as the events did.
	fresh := New(Filter{}, 8)
	fresh.SetOffice(o.clientOffice())
	apply(t, fresh, []client.Event{o.snapshot()})
	check(t, fresh, o, "fresh snapshot")
	if fresh.View().LatestSeq != 0 {
		t.Error("a snapshot's latest call must not count as new (it would blink)")
	}
}

// TestModelRandom runs random clerk and citizen commands through the real
// domain and checks after each one that the board matches the server.
func TestModelRandom(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			o := newOffice(t)
			m := New(Filter{}, 8)
			m.SetOffice(o.clientOffice())
			apply(t, m, []client.Event{o.snapshot()})
			services := []string{"xay-dung", "ho-kinh-doanh", "chung-thuc", "ho-tich", "dat-dai", "tra-ket-qua"}
			counters := []string{"q1", "q2", "q3", "q4"}
			for step := range 300 {
				k := counters[r.IntN(len(counters))]
				staff := "nv" + k[1:]
				var evs []client.Event
				var err error
				var what string
				switch n := r.IntN(20); {
				case n < 7:
					what = "issue"
					evs, err = o.issue(services[r.IntN(len(services))])
				case n < 11:
					what = "next " + k
					evs, err = o.do(o.state.Next(o.now, k, staff))
				case n < 12:
					what = "recall " + k
					evs, err = o.do(o.state.Recall(o.now, k, staff))
				case n < 13:
					what = "start " + k
					evs, err = o.do(o.state.Start(o.now, k, staff))
				case n < 14:
					what = "done " + k
					evs, err = o.do(o.state.Done(o.now, k, staff))
				case n < 15:
					what = "no-show " + k
					evs, err = o.do(o.state.NoShow(o.now, k, staff))
				case n < 16:
					what = "transfer " + k
					evs, err = o.do(o.state.Transfer(o.now, k, staff, queue.TransferRequest{Service: services[r.IntN(len(services))], ToEnd: r.IntN(2) == 0}))
				case n < 17:
					what = "open " + k
					evs, err = o.do(o.state.Open(o.now, k, staff))
				case n < 18:
					what = "pause/close " + k
					if r.IntN(2) == 0 {
						evs, err = o.do(o.state.Pause(o.now, k, staff))
					} else {
						evs, err = o.do(o.state.Close(o.now, k, staff))
					}
				default:
					what = "cancel"
					var ids []string
					for id, tk := range o.state.Tickets {
						if tk.Status == queue.StatusWaiting || tk.Status == queue.StatusCalled {
							ids = append(ids, id)
						}
					}
					if len(ids) == 0 {
						continue
					}
					slices.Sort(ids)
					evs, err = o.do(o.state.Cancel(o.now, ids[r.IntN(len(ids))], "holder"))
				}
				var qe *queue.Error
				if err != nil && !errors.As(err, &qe) {
					t.Fatalf("step %d %s: %v", step, what, err)
				}
				apply(t, m, evs)
				check(t, m, o, fmt.Sprintf("step %d (%s)", step, what))
			}
			// The day ends: everything expires and the board is empty.
			c := o.state.Rollover(o.now.Add(24 * time.Hour))
			o.state.Apply(c)
			for _, e := range c.Events {
				apply(t, m, []client.Event{wire(t, e)})
			}
			check(t, m, o, "after the day rolled")
			if v := m.View(); len(v.Recent) != 0 || v.Latest != nil {
				t.Errorf("after the day rolled: %d recent calls", len(v.Recent))
			}
		})
	}
}

// TestModelFilter: a board above counters 3 and 4 shows and announces only
// their calls, and the waiting counts of their services.
func TestModelFilter(t *testing.T) {
	o := newOffice(t)
	m := New(Filter{Counters: []string{"q3", "4"}}, 8)
	m.SetOffice(o.clientOffice())
	apply(t, m, []client.Event{o.snapshot()})
	for _, k := range []string{"q1", "q3"} {
		apply(t, m, o.must(o.do(o.state.Open(o.now, k, "nv"+k[1:]))))
	}
	apply(t, m, o.must(o.issue("xay-dung")))
	apply(t, m, o.must(o.issue("chung-thuc")))
	if calls := apply(t, m, o.must(o.do(o.state.Next(o.now, "q1", "nv1")))); len(calls) != 0 {
		t.Errorf("a call at counter 1 was announced on the board of counters 3 and 4: %v", calls)
	}
	if calls := apply(t, m, o.must(o.do(o.state.Next(o.now, "q3", "nv3")))); !slices.Equal(calls, []string{"C001→3"}) {
		t.Errorf("calls %v", calls)
	}
	v := m.View()
	if len(v.Counters) != 1 || v.Counters[0].ID != "q3" {
		t.Errorf("counters %+v, want only q3 (q4 is closed)", v.Counters)
	}
	if len(v.Recent) != 1 || v.Latest.Number != "C001" {
		t.Errorf("recent %+v", v.Recent)
	}
	var services []string
	for _, w := range v.Waiting {
		services = append(services, w.Service)
	}
	// Services of q3 and q4, in the office's order.
	if want := []string{"xay-dung", "ho-kinh-doanh", "chung-thuc", "ho-tich", "moi-truong", "tra-ket-qua"}; !slices.Equal(services, want) {
		t.Errorf("waiting services %v, want %v", services, want)
	}

	byService := New(Filter{Services: []string{"chung-thuc"}}, 8)
	byService.SetOffice(o.clientOffice())
	apply(t, byService, []client.Event{o.snapshot()})
	if v := byService.View(); len(v.Waiting) != 1 || v.Waiting[0].Service != "chung-thuc" || len(v.Recent) != 1 {
		t.Errorf("service filter: waiting %+v, recent %+v", v.Waiting, v.Recent)
	}
}

func TestModelConnection(t *testing.T) {
	o := newOffice(t)
	m := New(Filter{}, 3)
	m.SetOffice(o.clientOffice())
	at := o.now
	if v := m.View(); v.Ready || v.Connected {
		t.Errorf("a new model is ready or connected: %+v", v)
	}
	m.SetConnected(true, nil, at)
	apply(t, m, []client.Event{o.snapshot()})
	apply(t, m, o.must(o.do(o.state.Open(o.now, "q2", "nv2"))))
	for range 5 {
		apply(t, m, o.must(o.issue("ho-kinh-doanh")))
		apply(t, m, o.must(o.do(o.state.Next(o.now, "q2", "nv2"))))
	}
	m.SetConnected(false, errors.New("connection refused"), at.Add(time.Minute))
	m.SetConnected(false, errors.New("connection refused again"), at.Add(2*time.Minute))
	v := m.View()
	if v.Connected || !v.DownSince.Equal(at.Add(time.Minute)) || !strings.Contains(v.LastError, "again") {
		t.Errorf("while down: connected %v since %v, error %q", v.Connected, v.DownSince, v.LastError)
	}
	if len(v.Recent) != 3 || v.Latest.Number != "B005" || len(v.Counters) != 1 {
		t.Errorf("the last state was not kept while down: %+v", v)
	}
	m.SetConnected(true, nil, at.Add(3*time.Minute))
	if v := m.View(); !v.Connected || v.Reconnects != 1 || !v.DownSince.IsZero() {
		t.Errorf("after reconnecting: %+v", v)
	}
}

func TestModelBadEvents(t *testing.T) {
	m := New(Filter{}, 8)
	for _, e := range []client.Event{
		{Seq: 1, Type: "snapshot", Data: json.RawMessage(`[1,2]`)},
		{Seq: 2, Type: "ticket.called", Data: json.RawMessage(`"x"`)},
		{Seq: 3, Type: "counter.opened", Data: json.RawMessage(`7`)},
	} {
		if _, err := m.Apply(e); err == nil {
			t.Errorf("%s with bad data: no error", e.Type)
		}
	}
	// Unknown types are ignored.
	if _, err := m.Apply(client.Event{Seq: 4, Type: "booking.created", Data: json.RawMessage(`{}`)}); err != nil {
		t.Error(err)
	}
}

// TestModelIgnoresPrintJobs: a print job queued for a counter's station
// (print.queued) moves the board's seq and nothing it shows.
func TestModelIgnoresPrintJobs(t *testing.T) {
	o := newOffice(t)
	m := New(Filter{}, 8)
	m.SetOffice(o.clientOffice())
	apply(t, m, []client.Event{o.snapshot()})
	apply(t, m, o.must(o.do(o.state.Open(o.now, "q3", "nv3"))))
	apply(t, m, o.must(o.issue("chung-thuc")))
	apply(t, m, o.must(o.do(o.state.Next(o.now, "q3", "nv3"))))
	before := m.View()
	k := o.state.Office.Counter("q3")
	job, err := queue.NewPrintJob(o.state.Office.ID, "q3", queue.PrintTest, "admin", queue.TestDocument(&o.state.Office, k, o.now), o.now)
	if err != nil {
		t.Fatal(err)
	}
	evs := o.must(o.do(o.state.QueuePrint(o.now, job)))
	if len(evs) != 1 || evs[0].Type != client.EventPrintQueued {
		t.Fatalf("events %+v", evs)
	}
	if d, err := evs[0].DecodePrintQueued(); err != nil || d.Counter != "q3" || d.Job != evs[0].Seq {
		t.Fatalf("print.queued data %+v %v", d, err)
	}
	if calls := apply(t, m, evs); len(calls) != 0 {
		t.Fatalf("a print job announced %v", calls)
	}
	after := m.View()
	if after.Seq != evs[0].Seq {
		t.Errorf("seq %d, want %d", after.Seq, evs[0].Seq)
	}
	before.Seq, before.Version, after.Seq, after.Version = 0, 0, 0, 0
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the board changed on print.queued:\n%+v\n%+v", before, after)
	}
	check(t, m, o, "after a print job")
}

// TestModelReadyDossiers: the panel "Hồ sơ đã có kết quả" is the list
// fetched at start, replaced whole by each dossiers.ready event (the
// server's own, through State.Note), untouched by a snapshot, and empty
// while the office hides it.
func TestModelReadyDossiers(t *testing.T) {
	o := newOffice(t)
	m := New(Filter{}, 8)
	m.SetOffice(o.clientOffice())
	apply(t, m, []client.Event{o.snapshot()})
	if v := m.View(); v.Dossiers == nil || len(v.Dossiers) != 0 {
		t.Fatalf("before any list: %#v, want an empty list", v.Dossiers)
	}
	at := o.now.Add(-time.Hour)
	m.SetReadyDossiers(&client.ReadyDossiers{Dossiers: []client.ReadyDossier{
		{Code: "TP-261126-0002", Name: "Trần T. B.", At: at}, {Code: "TP-261125-0007", At: at},
	}})
	want := []Dossier{{Code: "TP-261126-0002", Name: "Trần T. B."}, {Code: "TP-261125-0007"}}
	if v := m.View(); !reflect.DeepEqual(v.Dossiers, want) {
		t.Fatalf("fetched: %+v, want %+v", v.Dossiers, want)
	}
	note := func(ds ...queue.ReadyDossier) {
		t.Helper()
		apply(t, m, o.must(o.do(o.state.Note(o.now, queue.EventDossiersReady, queue.DossiersReadyData{Dossiers: ds}), nil)))
	}
	note(queue.ReadyDossier{Code: "TP-261127-0001", Name: "Nguyễn V. A.", At: o.now}, queue.ReadyDossier{Code: "TP-261126-0002", Name: "Trần T. B.", At: at})
	want = []Dossier{{Code: "TP-261127-0001", Name: "Nguyễn V. A."}, {Code: "TP-261126-0002", Name: "Trần T. B."}}
	if v := m.View(); !reflect.DeepEqual(v.Dossiers, want) || v.Seq != o.state.Seq {
		t.Fatalf("after dossiers.ready: %+v at seq %d, want %+v at %d", v.Dossiers, v.Seq, want, o.state.Seq)
	}
	apply(t, m, []client.Event{o.snapshot()})
	if v := m.View(); !reflect.DeepEqual(v.Dossiers, want) {
		t.Errorf("a snapshot changed the list: %+v", v.Dossiers)
	}
	note()
	if v := m.View(); len(v.Dossiers) != 0 {
		t.Errorf("after an empty dossiers.ready: %+v", v.Dossiers)
	}
	note(queue.ReadyDossier{Code: "TP-261127-0001", At: o.now})
	m.SetReadyDossiers(&client.ReadyDossiers{Off: true, Dossiers: []client.ReadyDossier{}})
	note(queue.ReadyDossier{Code: "TP-261127-0003", At: o.now})
	if v := m.View(); len(v.Dossiers) != 0 {
		t.Errorf("the office hides the panel, the board shows %+v", v.Dossiers)
	}
	if _, err := m.Apply(client.Event{Seq: o.state.Seq + 1, Type: client.EventDossiersReady, Data: json.RawMessage(`{"dossiers":7}`)}); err == nil {
		t.Error("dossiers.ready with bad data: no error")
	}
}
