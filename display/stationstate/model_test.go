package stationstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"luot/assets"
	"luot/server/client"
	"luot/server/officefile"
	"luot/server/queue"
)

// rig is a station at counter q1 of the demo office, fed with the events
// of the real domain (queue.State) as the server sends them.
type rig struct {
	t     *testing.T
	state *queue.State
	now   time.Time
	ids   int
	nkeys int
	m     *Model
}

func newRig(t *testing.T, o Options) *rig {
	t.Helper()
	f, err := officefile.Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, loc)
	r := &rig{t: t, state: queue.NewState(f.Office, f.Office.Day(now)), now: now}
	if o.NewKey == nil {
		o.NewKey = func() string { r.nkeys++; return fmt.Sprintf("k%d", r.nkeys) }
	}
	r.m = New(o)
	r.m.SetStation(r.station(nil), r.now)
	r.m.SetConnected(true, r.now)
	r.feed(r.snapshot())
	return r
}

// station is GET /station for q1, with the office's default reasons.
func (r *rig) station(clerk *client.Clerk) *client.Station {
	q := r.state.Office
	s := &client.Station{Device: "st1", Clerk: clerk,
		Office: client.Office{ID: q.ID, Name: q.Name, NameEN: q.NameEN, Timezone: q.Timezone},
		Rating: client.RatingPolicy{PromptSeconds: 30, WindowSeconds: 600}}
	for _, sv := range q.Services {
		s.Office.Services = append(s.Office.Services, client.Service{ID: sv.ID, Name: sv.Name, NameEN: sv.NameEN, Prefix: sv.Prefix, Active: sv.Active})
	}
	k := q.Counter("q1")
	s.Counter = client.Counter{ID: k.ID, Number: k.Number, Name: k.Name, State: "closed"}
	for _, l := range DefaultScale {
		s.Rating.Scale = append(s.Rating.Scale, client.RatingLevel{Score: l.Score, Name: l.Name, NameEN: l.NameEN})
	}
	for _, x := range queue.DefaultRatingReasons {
		s.Rating.Reasons = append(s.Rating.Reasons, client.RatingReason{ID: x.ID, Name: x.Name, NameEN: x.NameEN})
	}
	return s
}

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

func (r *rig) snapshot() client.Event {
	s := r.state.Snapshot()
	return wire(r.t, queue.Event{Seq: s.Seq, Type: queue.EventSnapshot, At: r.now, Data: s})
}

// feed applies events to the model and returns the effects.
func (r *rig) feed(evs ...client.Event) []Effect {
	r.t.Helper()
	var out []Effect
	for _, e := range evs {
		fx, err := r.m.Apply(e, r.now)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, fx...)
	}
	return out
}

// do runs a domain command and feeds its events; the steps advance the
// clock by 17 s before each command.
func (r *rig) do(c *queue.Change, err error) []Effect {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
	r.state.Apply(c)
	var evs []client.Event
	for _, e := range c.Events {
		evs = append(evs, wire(r.t, e))
	}
	return r.feed(evs...)
}

func (r *rig) issue(service string) {
	r.ids++
	id := fmt.Sprintf("t%d", r.ids)
	r.do(r.state.Issue(r.now, queue.IssueRequest{ID: id, Token: "tok" + id, Service: service, Source: queue.SourceKiosk}))
}

// step names a domain command or an input of the model.
func (r *rig) step(s string) []Effect {
	r.t.Helper()
	r.now = r.now.Add(17 * time.Second)
	st := r.state
	switch s {
	case "open":
		return r.do(st.Open(r.now, "q1", "nv1"))
	case "pause":
		return r.do(st.Pause(r.now, "q1", "nv1"))
	case "close":
		return r.do(st.Close(r.now, "q1", "nv1"))
	case "issue":
		r.issue("xay-dung")
	case "next":
		return r.do(st.Next(r.now, "q1", "nv1"))
	case "recall":
		return r.do(st.Recall(r.now, "q1", "nv1"))
	case "start":
		return r.do(st.Start(r.now, "q1", "nv1"))
	case "done":
		return r.do(st.Done(r.now, "q1", "nv1"))
	case "no_show":
		return r.do(st.NoShow(r.now, "q1", "nv1"))
	case "transfer":
		return r.do(st.Transfer(r.now, "q1", "nv1", queue.TransferRequest{Service: "moi-truong"}))
	case "other": // the same at counter q4, which also serves xay-dung
		r.issue("xay-dung")
		r.do(st.Open(r.now, "q4", "nv4"))
		r.do(st.Next(r.now, "q4", "nv4"))
		r.do(st.Start(r.now, "q4", "nv4"))
		return r.do(st.Done(r.now, "q4", "nv4"))
	default:
		r.t.Fatalf("unknown step %q", s)
	}
	return nil
}

func (r *rig) after(d time.Duration) []Effect {
	r.now = r.now.Add(d)
	return r.m.Tick(r.now)
}

func number(v View) string {
	if v.Ticket == nil {
		return ""
	}
	return v.Ticket.Number
}

func TestModes(t *testing.T) {
	cases := []struct {
		steps  []string
		mode   Mode
		ticket string
	}{
		{nil, ModeClosed, ""},
		{[]string{"open"}, ModeIdle, ""},
		{[]string{"open", "issue", "next"}, ModeCalled, "A001"},
		{[]string{"open", "issue", "next", "recall"}, ModeCalled, "A001"},
		{[]string{"open", "issue", "next", "start"}, ModeServing, "A001"},
		{[]string{"open", "issue", "next", "start", "pause"}, ModePaused, "A001"},
		{[]string{"open", "issue", "next", "start", "pause", "open"}, ModeServing, "A001"},
		{[]string{"open", "issue", "next", "start", "done"}, ModeRating, "A001"},
		{[]string{"open", "issue", "next", "done"}, ModeRating, "A001"},
		{[]string{"open", "issue", "next", "no_show"}, ModeIdle, ""},
		{[]string{"open", "issue", "next", "transfer"}, ModeIdle, ""},
		{[]string{"open", "issue", "next", "start", "done", "close"}, ModeRating, "A001"},
		{[]string{"open", "pause"}, ModePaused, ""},
		{[]string{"open", "close"}, ModeClosed, ""},
		// another counter's work changes nothing here
		{[]string{"open", "other"}, ModeIdle, ""},
		{[]string{"open", "issue", "next", "other"}, ModeCalled, "A001"},
		// next after serving: done then called at once, so no prompt
		{[]string{"open", "issue", "issue", "next", "start", "next"}, ModeCalled, "A002"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.steps, ","), func(t *testing.T) {
			r := newRig(t, Options{})
			for _, s := range c.steps {
				if fx := r.step(s); len(fx) > 0 {
					t.Fatalf("step %s asked for %v", s, fx)
				}
			}
			v := r.m.View()
			if v.Mode != c.mode || number(v) != c.ticket {
				t.Fatalf("mode %s ticket %q, want %s %q", v.Mode, number(v), c.mode, c.ticket)
			}
			// a station started now, from the snapshot alone, agrees
			// (except for the prompt, which only a done event starts)
			if c.mode != ModeRating {
				fresh := New(Options{})
				fresh.SetStation(r.station(nil), r.now)
				if _, err := fresh.Apply(r.snapshot(), r.now); err != nil {
					t.Fatal(err)
				}
				if w := fresh.View(); w.Mode != v.Mode || number(w) != number(v) {
					t.Fatalf("from the snapshot: %s %q, from the events: %s %q", w.Mode, number(w), v.Mode, number(v))
				}
			}
		})
	}
}

func TestViewNames(t *testing.T) {
	r := newRig(t, Options{})
	if v := r.m.View(); v.OfficeName == "" || v.Counter != "q1" || v.CounterNumber != 1 || v.CounterName != "Quầy 1" || !v.Connected {
		t.Fatalf("view %+v", v)
	}
	r.step("open")
	r.step("issue")
	r.step("next")
	v := r.m.View()
	if v.Ticket.ServiceName != "Cấp giấy phép xây dựng" || v.Ticket.ServiceNameEN != "Construction permits" || v.Ticket.ID != "t1" {
		t.Fatalf("ticket %+v", v.Ticket)
	}
	r.m.SetConnected(false, r.now)
	r.m.SetPrinter("Hết giấy", "Paper out")
	if v := r.m.View(); v.Connected || v.Mode != ModeCalled || v.Printer != "Hết giấy" || v.PrinterEN != "Paper out" {
		t.Fatalf("down: %+v", v)
	}
}

func TestConnecting(t *testing.T) {
	m := New(Options{})
	if v := m.View(); v.Mode != ModeConnecting || v.Counter != "" {
		t.Fatalf("view %+v", v)
	}
	// taps before the configuration do nothing
	if fx := m.Tap(Tap{Kind: TapLanguage}, time.Now()); fx != nil || m.View().English {
		t.Fatal("language switched with no station")
	}
}

func TestStationBeforeSnapshot(t *testing.T) {
	r := newRig(t, Options{})
	r.step("open")
	r.step("issue")
	r.step("next")
	s := r.station(nil)
	s.Counter.State = "closed" // an older answer than the stream
	r.m.SetStation(s, r.now)
	if v := r.m.View(); v.Mode != ModeCalled {
		t.Fatalf("a late /station overrode the stream: %s", v.Mode)
	}
	// before any snapshot, /station's own state shows
	m := New(Options{})
	s.Counter.State = "open"
	s.Counter.Current = &client.Ticket{ID: "t9", Number: "A009", Service: "xay-dung", Status: "serving"}
	m.SetStation(s, r.now)
	if v := m.View(); v.Mode != ModeServing || number(v) != "A009" {
		t.Fatalf("from /station: %s %q", v.Mode, number(v))
	}
}

func TestClerkAndPhoto(t *testing.T) {
	r := newRig(t, Options{})
	r.m.SetClerkPhoto("nv1", []byte("jpeg"))
	if v := r.m.View(); v.Clerk != nil {
		t.Fatal("a photo made a clerk appear")
	}
	r.m.SetStation(r.station(&client.Clerk{ID: "nv1", Name: "Nguyễn Văn An", Title: "Chuyên viên"}), r.now)
	r.m.SetClerkPhoto("nv2", []byte("other"))
	if v := r.m.View(); v.Clerk == nil || v.Clerk.Name != "Nguyễn Văn An" || v.Clerk.Title != "Chuyên viên" || v.Clerk.Photo != nil {
		t.Fatalf("clerk %+v", v.Clerk)
	}
	r.m.SetClerkPhoto("nv1", []byte("jpeg"))
	if v := r.m.View(); string(v.Clerk.Photo) != "jpeg" {
		t.Fatalf("photo %q", v.Clerk.Photo)
	}
	r.m.SetStation(r.station(&client.Clerk{ID: "nv1", Name: "Nguyễn Văn An"}), r.now)
	if v := r.m.View(); string(v.Clerk.Photo) != "jpeg" {
		t.Fatal("the same clerk lost the photo")
	}
	r.m.SetStation(r.station(&client.Clerk{ID: "nv2", Name: "Trần Thị Bình"}), r.now)
	if v := r.m.View(); v.Clerk.Name != "Trần Thị Bình" || v.Clerk.Photo != nil {
		t.Fatalf("another clerk shows the last one's photo: %+v", v.Clerk)
	}
	r.m.SetStation(r.station(nil), r.now)
	if v := r.m.View(); v.Clerk != nil {
		t.Fatal("clerk left but still shown")
	}
}

// rated is what a test expects sent: "4", "2:wait,other" …
func rated(fx []Effect) []string {
	var out []string
	for _, f := range fx {
		if r, ok := f.(Rate); ok {
			s := fmt.Sprintf("%s=%d", r.Ticket, r.Score)
			if len(r.Reasons) > 0 {
				s += ":" + strings.Join(r.Reasons, ",")
			}
			out = append(out, s)
		}
	}
	return out
}

func TestRating(t *testing.T) {
	type in struct {
		tap   *Tap      // or
		after string    // a duration to Tick after, or
		step  string    // a domain step
		want  []string  // Rates sent by this input
		mode  Mode      // mode after it
		en    *bool     // English after it, when set
		_     [0]func() // keep literals keyed
	}
	score := func(s int) *Tap { return &Tap{Kind: TapScore, Score: s} }
	reason := func(id string) *Tap { return &Tap{Kind: TapReason, Reason: id} }
	send := &Tap{Kind: TapSend}
	lang := &Tap{Kind: TapLanguage}
	yes, no := true, false
	cases := []struct {
		name string
		ins  []in
	}{
		{"4 sent at once, thanks 5 s", []in{
			{tap: score(4), want: []string{"t1=4"}, mode: ModeThanks},
			{after: "4.9s", mode: ModeThanks},
			{after: "100ms", mode: ModeIdle},
		}},
		{"3 sent at once", []in{{tap: score(3), want: []string{"t1=3"}, mode: ModeThanks}}},
		{"2 with reasons, in the policy's order", []in{
			{tap: score(2), mode: ModeReasons},
			{tap: reason("other"), mode: ModeReasons},
			{tap: reason("wait"), mode: ModeReasons},
			{tap: reason("attitude"), mode: ModeReasons},
			{tap: reason("attitude"), mode: ModeReasons}, // unpicked
			{tap: send, want: []string{"t1=2:wait,other"}, mode: ModeThanks},
			{after: "5s", mode: ModeIdle},
		}},
		{"1, no reasons, send", []in{
			{tap: score(1), mode: ModeReasons},
			{tap: send, want: []string{"t1=1"}, mode: ModeThanks},
		}},
		{"low score then the deadline sends it", []in{
			{after: "20s", mode: ModeRating},
			{tap: score(1), mode: ModeReasons},
			{tap: reason("guidance"), mode: ModeReasons},
			{after: "29s", mode: ModeReasons}, // the reasons have their own 30 s
			{after: "1s", want: []string{"t1=1:guidance"}, mode: ModeThanks},
			{after: "5s", mode: ModeIdle},
		}},
		{"changing a low score to a high one", []in{
			{tap: score(2), mode: ModeReasons},
			{tap: reason("wait"), mode: ModeReasons},
			{tap: score(4), want: []string{"t1=4"}, mode: ModeThanks},
		}},
		{"no tap: nothing sent", []in{
			{after: "29s", mode: ModeRating},
			{after: "1s", mode: ModeIdle},
			{after: "1h", mode: ModeIdle},
		}},
		{"a new call ends the prompt, nothing sent", []in{
			{step: "next", mode: ModeCalled},
			{tap: score(4), mode: ModeCalled},
			{after: "31s", mode: ModeCalled},
		}},
		{"a new call during the reasons sends the low score", []in{
			{tap: score(2), mode: ModeReasons},
			{tap: reason("attitude"), mode: ModeReasons},
			{step: "next", want: []string{"t1=2:attitude"}, mode: ModeCalled},
			{after: "31s", mode: ModeCalled},
		}},
		{"a new call ends thanks", []in{
			{tap: score(4), want: []string{"t1=4"}, mode: ModeThanks},
			{step: "next", mode: ModeCalled},
		}},
		{"pause and close keep the prompt", []in{
			{step: "pause", mode: ModeRating},
			{tap: score(3), want: []string{"t1=3"}, mode: ModeThanks},
			{after: "5s", mode: ModePaused},
		}},
		{"taps that mean nothing", []in{
			{tap: score(5), mode: ModeRating},
			{tap: score(0), mode: ModeRating},
			{tap: reason("wait"), mode: ModeRating}, // before a score
			{tap: send, mode: ModeRating},           // before a score
			{tap: score(2), mode: ModeReasons},
			{tap: reason("nope"), mode: ModeReasons},
			{tap: send, want: []string{"t1=2"}, mode: ModeThanks},
			{tap: score(4), mode: ModeThanks},
			{tap: send, mode: ModeThanks},
		}},
		{"language for one citizen, back after thanks", []in{
			{tap: lang, mode: ModeRating, en: &yes},
			{tap: score(4), want: []string{"t1=4"}, mode: ModeThanks, en: &yes},
			{after: "5s", mode: ModeIdle, en: &no},
		}},
		{"language back after the prompt's timeout", []in{
			{tap: lang, mode: ModeRating, en: &yes},
			{after: "30s", mode: ModeIdle, en: &no},
		}},
		{"language back when a new call ends the prompt", []in{
			{tap: lang, mode: ModeRating, en: &yes},
			{step: "next", mode: ModeCalled, en: &no},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Options{})
			for _, s := range []string{"open", "issue", "issue", "next", "start", "done"} {
				r.step(s)
			}
			if v := r.m.View(); v.Mode != ModeRating || v.Rating == nil || len(v.Rating.Scale) != 4 || len(v.Rating.Reasons) != 4 || !v.Rating.Deadline.Equal(r.now.Add(30*time.Second)) {
				t.Fatalf("prompt %+v %+v (now %v)", v.Mode, v.Rating, r.now)
			}
			for i, x := range c.ins {
				var fx []Effect
				switch {
				case x.tap != nil:
					fx = r.m.Tap(*x.tap, r.now)
				case x.after != "":
					d, _ := time.ParseDuration(x.after)
					fx = r.after(d)
				default:
					fx = r.step(x.step)
				}
				if got := rated(fx); !reflect.DeepEqual(got, x.want) {
					t.Fatalf("input %d: sent %v, want %v", i, got, x.want)
				}
				if len(rated(fx)) != len(fx) {
					t.Fatalf("input %d: other effects %v", i, fx)
				}
				v := r.m.View()
				if v.Mode != x.mode {
					t.Fatalf("input %d: mode %s, want %s", i, v.Mode, x.mode)
				}
				if x.en != nil && v.English != *x.en {
					t.Fatalf("input %d: English %v, want %v", i, v.English, *x.en)
				}
				if (v.Mode == ModeRating || v.Mode == ModeReasons) && (v.Rating == nil || number(v) != "A001") {
					t.Fatalf("input %d: prompt without its ticket: %+v", i, v)
				}
				if v.Mode == ModeReasons && v.Rating.Score == 0 {
					t.Fatalf("input %d: reasons without a score", i)
				}
			}
		})
	}
}

func TestRatingPicked(t *testing.T) {
	r := newRig(t, Options{})
	for _, s := range []string{"open", "issue", "next", "done"} {
		r.step(s)
	}
	r.m.Tap(Tap{Kind: TapScore, Score: 2}, r.now)
	r.m.Tap(Tap{Kind: TapReason, Reason: "guidance"}, r.now)
	r.m.Tap(Tap{Kind: TapReason, Reason: "wait"}, r.now)
	p := r.m.View().Rating
	if p.Score != 2 || !reflect.DeepEqual(p.Picked, []string{"guidance", "wait"}) || !p.Deadline.Equal(r.now.Add(30*time.Second)) {
		t.Fatalf("prompt %+v", p)
	}
}

func TestEnglishStation(t *testing.T) {
	r := newRig(t, Options{English: true})
	for _, s := range []string{"open", "issue", "next", "done"} {
		r.step(s)
	}
	if !r.m.View().English {
		t.Fatal("an English station shows Vietnamese")
	}
	r.m.Tap(Tap{Kind: TapLanguage}, r.now)
	if r.m.View().English {
		t.Fatal("the button did not switch to Vietnamese")
	}
	r.after(30 * time.Second)
	if !r.m.View().English {
		t.Fatal("not back to English after the prompt")
	}
}

func TestOldDoneAsksNothing(t *testing.T) {
	r := newRig(t, Options{})
	for _, s := range []string{"open", "issue", "next", "start"} {
		r.step(s)
	}
	// replay a done from 11 minutes ago, as a resumed stream would
	e := wire(t, queue.Event{Seq: 1000, Type: queue.EventTicketDone, At: r.now,
		Data: queue.TicketData{Ticket: queue.PublicTicket{ID: "t1", Number: "A001", Service: "xay-dung", Status: queue.StatusDone, Counter: "q1", CounterNumber: 1}}})
	r.now = r.now.Add(11 * time.Minute)
	if fx := r.feed(e); fx != nil || r.m.View().Mode == ModeRating {
		t.Fatalf("a done older than the window asked for a rating: %v", r.m.View().Mode)
	}
	// within the window it does, even with a station clock 20 s behind
	e.Seq++
	e.At = r.now.Add(20 * time.Second)
	r.feed(e)
	if v := r.m.View(); v.Mode != ModeRating || !v.Rating.Deadline.Equal(r.now.Add(30*time.Second)) {
		t.Fatalf("mode %s", v.Mode)
	}
}

func mustChange(t *testing.T) func(*queue.Change, error) *queue.Change {
	return func(c *queue.Change, err error) *queue.Change {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestSnapshotDuringPrompt(t *testing.T) {
	r := newRig(t, Options{})
	for _, s := range []string{"open", "issue", "issue", "next", "done"} {
		r.step(s)
	}
	// the stream drops; the clerk calls the next citizen meanwhile
	r.m.SetConnected(false, r.now)
	r.state.Apply(mustChange(t)(r.state.Next(r.now, "q1", "nv1")))
	r.m.SetConnected(true, r.now)
	if fx := r.feed(r.snapshot()); fx != nil {
		t.Fatalf("sent %v", fx)
	}
	if v := r.m.View(); v.Mode != ModeCalled || number(v) != "A002" {
		t.Fatalf("after the snapshot: %s %q", v.Mode, number(v))
	}
	// a snapshot showing no new call keeps the prompt
	r2 := newRig(t, Options{})
	for _, s := range []string{"open", "issue", "next", "done"} {
		r2.step(s)
	}
	r2.feed(r2.snapshot())
	if v := r2.m.View(); v.Mode != ModeRating {
		t.Fatalf("a snapshot ended the prompt: %s", v.Mode)
	}
}

func TestRatedRetries(t *testing.T) {
	refusal := func(status int, code string) error { return &client.Error{Status: status, Code: code} }
	cases := []struct {
		name    string
		answers []error // one per try
		tries   int     // Rates sent in all
	}{
		{"stored", []error{nil}, 1},
		{"already rated on the phone", []error{refusal(409, "already_rated")}, 1},
		{"too late", []error{refusal(409, "rating_too_late")}, 1},
		{"another counter", []error{refusal(403, "not_this_counter")}, 1},
		{"network then stored", []error{errors.New("dial tcp: connection refused"), nil}, 2},
		{"503 then 429 then already rated", []error{refusal(503, "unavailable"), refusal(429, "rate_limited"), refusal(409, "already_rated")}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Options{})
			for _, s := range []string{"open", "issue", "next", "done"} {
				r.step(s)
			}
			fx := r.m.Tap(Tap{Kind: TapScore, Score: 4}, r.now)
			first := fx[0].(Rate)
			tries := 0
			for _, err := range c.answers {
				if len(fx) != 1 || !reflect.DeepEqual(fx[0], first) {
					t.Fatalf("try %d: %v, want the same Rate %v", tries+1, fx, first)
				}
				tries++
				if r.m.View().Mode != ModeThanks && tries == 1 {
					t.Fatal("the citizen does not see thanks at once")
				}
				if f := r.m.Rated(first.Key, err, r.now); f != nil {
					t.Fatal(f)
				}
				fx = nil
				for range 20 {
					if fx = r.after(time.Second); len(fx) > 0 {
						break
					}
				}
			}
			if tries != c.tries || len(fx) != 0 || r.m.PendingRatings() != 0 {
				t.Fatalf("tries %d (want %d), then %v, pending %d", tries, c.tries, fx, r.m.PendingRatings())
			}
		})
	}
	t.Run("given up when the window closes", func(t *testing.T) {
		r := newRig(t, Options{})
		for _, s := range []string{"open", "issue", "next", "done"} {
			r.step(s)
		}
		key := r.m.Tap(Tap{Kind: TapScore, Score: 3}, r.now)[0].(Rate).Key
		tries := 1
		for range 2000 {
			if r.m.PendingRatings() == 0 {
				break
			}
			for _, f := range r.after(time.Second) {
				tries++
				r.m.Rated(f.(Rate).Key, errors.New("no route to host"), r.now)
			}
			if tries == 1 && r.m.Wake().IsZero() {
				r.m.Rated(key, errors.New("no route to host"), r.now)
			}
		}
		if r.m.PendingRatings() != 0 || tries < 8 || tries > 16 {
			t.Fatalf("pending %d after %d tries", r.m.PendingRatings(), tries)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		r := newRig(t, Options{})
		if r.m.Rated("nope", nil, r.now) != nil {
			t.Fatal("effects")
		}
	})
}

func TestWake(t *testing.T) {
	r := newRig(t, Options{})
	if !r.m.Wake().IsZero() {
		t.Fatal("idle model wants a tick")
	}
	for _, s := range []string{"open", "issue", "next", "done"} {
		r.step(s)
	}
	d := r.m.View().Rating.Deadline
	if !r.m.Wake().Equal(d) {
		t.Fatalf("wake %v, deadline %v", r.m.Wake(), d)
	}
	r.m.Tap(Tap{Kind: TapScore, Score: 4}, r.now)
	if !r.m.Wake().Equal(r.now.Add(ThanksFor)) {
		t.Fatalf("wake %v", r.m.Wake())
	}
}

func TestVersionCounts(t *testing.T) {
	r := newRig(t, Options{})
	v0 := r.m.View().Version
	r.step("open")
	v1 := r.m.View().Version
	r.m.Key("1", r.now)
	if v1 <= v0 || r.m.View().Version <= v1 {
		t.Fatalf("versions %d %d %d", v0, v1, r.m.View().Version)
	}
}

func TestNoRating(t *testing.T) {
	r := newRig(t, Options{NoRating: true})
	for _, s := range []string{"open", "issue", "next", "start", "done"} {
		r.step(s)
	}
	if v := r.m.View(); v.Mode != ModeIdle || v.Ticket != nil || v.Rating != nil {
		t.Fatalf("view %+v", v)
	}
	if fx := r.m.Tap(Tap{Kind: TapScore, Score: 4}, r.now); fx != nil {
		t.Fatal(fx)
	}
}

// TestRandomDay drives q1 and its neighbour q4 (which share a service)
// through random commands, taps and ticks, and checks after each step:
// outside the prompt and thanks, the screen agrees with the domain's own
// state of q1; a prompt is for the ticket q1 finished last; no ticket is
// rated twice; nothing is sent without a tap.
func TestRandomDay(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 17))
			r := newRig(t, Options{})
			rated := map[string]string{} // ticket → rating key
			lastDone := ""
			taps := 0
			for i := 0; i < 300; i++ {
				r.now = r.now.Add(time.Duration(rnd.IntN(20)) * time.Second)
				counter := "q1"
				if rnd.IntN(3) == 0 {
					counter = "q4"
				}
				st := r.state
				var fx []Effect
				step := ""
				var c *queue.Change
				var err error
				switch n := rnd.IntN(14); n {
				case 0, 1:
					r.ids++
					id := fmt.Sprintf("t%d", r.ids)
					c, err = st.Issue(r.now, queue.IssueRequest{ID: id, Token: "tok" + id, Service: "xay-dung", Source: queue.SourceKiosk})
				case 2:
					c, err = st.Open(r.now, counter, "nv1")
				case 3:
					c, err = st.Pause(r.now, counter, "nv1")
				case 4:
					c, err = st.Close(r.now, counter, "nv1")
				case 5, 6:
					c, err = st.Next(r.now, counter, "nv1")
				case 7:
					c, err = st.Start(r.now, counter, "nv1")
				case 8:
					c, err = st.Done(r.now, counter, "nv1")
				case 9:
					c, err = st.NoShow(r.now, counter, "nv1")
				case 10:
					c, err = st.Recall(r.now, counter, "nv1")
				case 11:
					step = "tap"
					taps++
					kinds := []Tap{{Kind: TapScore, Score: 1 + rnd.IntN(4)}, {Kind: TapReason, Reason: "wait"}, {Kind: TapSend}, {Kind: TapLanguage}}
					fx = r.m.Tap(kinds[rnd.IntN(len(kinds))], r.now)
				default:
					step = "tick"
					fx = r.m.Tick(r.now)
				}
				if step == "" {
					if err != nil {
						continue // refused by the domain: nothing happened
					}
					st.Apply(c)
					for _, e := range c.Events {
						ce := wire(t, e)
						if e.Type == queue.EventTicketDone {
							if d, _ := ce.DecodeTicket(); d.Ticket.Counter == "q1" {
								lastDone = d.Ticket.ID
							}
						}
						fx = append(fx, r.feed(ce)...)
					}
				}
				for _, f := range fx {
					rt, ok := f.(Rate)
					if !ok {
						t.Fatalf("step %d: effect %#v", i, f)
					}
					if taps == 0 {
						t.Fatalf("step %d: a rating with no tap", i)
					}
					if k, seen := rated[rt.Ticket]; seen && k != rt.Key {
						t.Fatalf("step %d: ticket %s rated twice", i, rt.Ticket)
					}
					rated[rt.Ticket] = rt.Key
					r.m.Rated(rt.Key, nil, r.now)
				}
				v := r.m.View()
				switch v.Mode {
				case ModeRating, ModeReasons:
					if v.Ticket == nil || v.Ticket.ID != lastDone {
						t.Fatalf("step %d: prompt for %v, q1 finished %s last", i, v.Ticket, lastDone)
					}
				case ModeThanks:
				default:
					s := st.Snapshot()
					var q1 queue.CounterView
					for _, k := range s.Counters {
						if k.ID == "q1" {
							q1 = k
						}
					}
					want := map[queue.CounterState]Mode{queue.CounterClosed: ModeClosed, queue.CounterPaused: ModePaused, queue.CounterOpen: ModeIdle}[q1.State]
					cur := ""
					if q1.Current != nil {
						cur = q1.Current.Number
						if q1.State == queue.CounterOpen {
							want = ModeCalled
							if q1.Current.Status == queue.StatusServing {
								want = ModeServing
							}
						}
					}
					if v.Mode != want || number(v) != cur {
						t.Fatalf("step %d: screen %s %q, q1 is %s with %q", i, v.Mode, number(v), q1.State, cur)
					}
				}
			}
		})
	}
}
