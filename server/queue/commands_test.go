package queue

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// wantErr checks a command's error: its kind, its sentinel and that it made
// no change.
func wantErr(t *testing.T, c *Change, err error, kind Kind, sentinel error) {
	t.Helper()
	if err == nil {
		t.Fatalf("command succeeded (events %v), want a %s error", eventTypes(c), kind)
	}
	if c != nil {
		t.Errorf("a refused command returned a change")
	}
	if got := KindOf(err); got != kind {
		t.Errorf("kind = %q, want %q (%v)", got, kind, err)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("error %q (code %s) is not %v", err, err.(*Error).Code, sentinel.(*Error).Code)
	}
	if strings.TrimSpace(err.Error()) == "" {
		t.Error("error without a message")
	}
}

func TestRecallStartDone(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.open(at("08:00"), "c1")
	if id := s.next(at("08:01"), "c1"); id != "a1" {
		t.Fatalf("called %q", id)
	}
	for i, clock := range []string{"08:02", "08:03"} {
		c := s.do(s.Recall(at(clock), "c1", "nv-c1"))
		if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketRecalled}) {
			t.Errorf("recall events = %v", got)
		}
		tk := s.tk("a1")
		if tk.Recalls != i+1 || !tk.RecalledAt.Equal(at(clock)) || !tk.CalledAt.Equal(at("08:01")) {
			t.Errorf("after recall %d: recalls %d, recalled %v, called %v", i+1, tk.Recalls, tk.RecalledAt, tk.CalledAt)
		}
		if !tk.LastCallAt().Equal(at(clock)) {
			t.Errorf("LastCallAt = %v", tk.LastCallAt())
		}
	}
	c := s.do(s.Start(at("08:04"), "c1", "nv-c1"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketServing}) {
		t.Errorf("start events = %v", got)
	}
	if tk := s.tk("a1"); tk.Status != StatusServing || !tk.ServingAt.Equal(at("08:04")) {
		t.Errorf("after start: %s at %v", tk.Status, tk.ServingAt)
	}
	c, err := s.Recall(at("08:05"), "c1", "nv-c1")
	wantErr(t, c, err, KindConflict, ErrBadTransition)
	c, err = s.Start(at("08:05"), "c1", "nv-c1")
	wantErr(t, c, err, KindConflict, ErrBadTransition)
	c, err = s.NoShow(at("08:05"), "c1", "nv-c1")
	wantErr(t, c, err, KindConflict, ErrBadTransition)

	// Served 20 minutes against an average of 10, alpha 0.2: 600 + 0.2 × 600.
	c = s.do(s.Done(at("08:24"), "c1", "nv-c1"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketDone}) {
		t.Errorf("done events = %v", got)
	}
	if tk := s.tk("a1"); tk.Status != StatusDone || !tk.FinishedAt.Equal(at("08:24")) {
		t.Errorf("after done: %s at %v", tk.Status, tk.FinishedAt)
	}
	if got := s.Averages["a"]; math.Abs(got-720) > 1e-9 {
		t.Errorf("average of a = %v s, want 720", got)
	}
	if s.Counters["c1"].Current != "" {
		t.Error("counter keeps the finished ticket")
	}
	for name, cmd := range map[string]func() (*Change, error){
		"recall":   func() (*Change, error) { return s.Recall(at("08:25"), "c1", "nv-c1") },
		"start":    func() (*Change, error) { return s.Start(at("08:25"), "c1", "nv-c1") },
		"done":     func() (*Change, error) { return s.Done(at("08:25"), "c1", "nv-c1") },
		"no-show":  func() (*Change, error) { return s.NoShow(at("08:25"), "c1", "nv-c1") },
		"transfer": func() (*Change, error) { return s.Transfer(at("08:25"), "c1", "nv-c1", TransferRequest{Service: "b"}) },
	} {
		t.Run(name+" without a current ticket", func(t *testing.T) {
			c, err := cmd()
			wantErr(t, c, err, KindConflict, ErrNoCurrent)
		})
	}
}

func TestServiceTimeAverage(t *testing.T) {
	tests := []struct {
		name    string
		alpha   float64
		prior   float64 // running average before, 0 for none (default 10 min)
		start   bool    // press start 2 minutes after the call
		served  time.Duration
		want    float64 // seconds
		changed bool
	}{
		{name: "default alpha, from default", served: 20 * time.Minute, want: 720, changed: true},
		{name: "faster than average", served: 5 * time.Minute, want: 540, changed: true},
		{name: "alpha 0.5", alpha: 0.5, served: 20 * time.Minute, want: 900, changed: true},
		{name: "alpha 1 follows the last one", alpha: 1, served: 7 * time.Minute, want: 420, changed: true},
		{name: "from a running average", prior: 300, served: 10 * time.Minute, want: 360, changed: true},
		{name: "outlier clamped to four times the average", served: 3 * time.Hour, want: 600 + 0.2*(2400-600), changed: true},
		{name: "outlier clamped against the running average", prior: 300, served: 3 * time.Hour, want: 300 + 0.2*(1200-300), changed: true},
		{name: "duration counts from start when pressed", start: true, served: 22 * time.Minute, want: 720, changed: true},
		{name: "zero duration leaves the average", start: true, served: 2 * time.Minute, changed: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestState(t, func(o *Office) { o.Policy.EWMAAlpha = tc.alpha })
			if tc.prior > 0 {
				s.Averages["a"] = tc.prior
				cp := copyState(s.State)
				s.last = &cp
			}
			s.issue(at("08:00"), "a1", "a", PriorityNone)
			s.open(at("08:00"), "c1")
			s.next(at("09:00"), "c1")
			if tc.start {
				s.do(s.Start(at("09:02"), "c1", "nv-c1"))
			}
			c := s.do(s.Done(at("09:00").Add(tc.served), "c1", "nv-c1"))
			if !tc.changed {
				if len(c.Averages) != 0 {
					t.Errorf("averages moved: %v", c.Averages)
				}
				return
			}
			if len(c.Averages) != 1 || c.Averages[0].Service != "a" || math.Abs(c.Averages[0].Seconds-tc.want) > 1e-6 {
				t.Errorf("averages = %v, want a: %v", c.Averages, tc.want)
			}
		})
	}
}

func TestNextFinishesCurrent(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "a2", "a", PriorityNone)
	s.open(at("08:00"), "c1")
	s.next(at("08:02"), "c1")
	s.do(s.Start(at("08:03"), "c1", "nv-c1"))
	c := s.do(s.Next(at("08:13"), "c1", "nv-c1"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketDone, EventTicketCalled}) {
		t.Errorf("events = %v", got)
	}
	if c.Ticket == nil || c.Ticket.ID != "a2" || s.Counters["c1"].Current != "a2" {
		t.Errorf("called %v, current %s", c.Ticket, s.Counters["c1"].Current)
	}
	if s.tk("a1").Status != StatusDone || len(c.Averages) != 1 {
		t.Errorf("a1 is %s, averages %v", s.tk("a1").Status, c.Averages)
	}
	tk := s.tk("a2")
	if tk.Status != StatusCalled || tk.Counter != "c1" || tk.Staff != "nv-c1" || !tk.CalledAt.Equal(at("08:13")) {
		t.Errorf("a2 = %+v", tk)
	}
	// Nobody waits: the current ticket is finished, nothing called.
	c = s.do(s.Next(at("08:20"), "c1", "nv-c1"))
	if c.Ticket != nil || !slices.Equal(eventTypes(c), []EventType{EventTicketDone}) {
		t.Errorf("ticket %v, events %v", c.Ticket, eventTypes(c))
	}
	if s.Counters["c1"].Current != "" || s.tk("a2").Status != StatusDone {
		t.Error("the last ticket was not finished")
	}
}

func TestNoShowAndCallNumber(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "a2", "a", PriorityNone)
	s.issue(at("08:02"), "a3", "a", PriorityNone)
	s.issue(at("08:03"), "n1", "n", PriorityNone)
	s.open(at("08:00"), "c1", "c2")
	s.next(at("08:05"), "c1")
	c := s.do(s.NoShow(at("08:07"), "c1", "nv-c1"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketNoShow}) {
		t.Errorf("events = %v", got)
	}
	if tk := s.tk("a1"); tk.Status != StatusNoShow || !tk.FinishedAt.Equal(at("08:07")) || s.Counters["c1"].Current != "" {
		t.Errorf("a1 %s, current %q", tk.Status, s.Counters["c1"].Current)
	}
	if len(c.Averages) != 0 {
		t.Error("a no-show moved the average")
	}

	// Call a specific number, out of turn, at a counter that does not serve it.
	c = s.do(s.CallNumber(at("08:08"), "c2", "nv-c2", " a003 "))
	if c.Ticket == nil || c.Ticket.ID != "a3" || s.Counters["c2"].Current != "a3" || s.tk("a3").Counter != "c2" {
		t.Fatalf("call A003: %v", c.Ticket)
	}
	// The no-show comes back; calling their number finishes the current one.
	c = s.do(s.CallNumber(at("08:20"), "c2", "nv-c2", "A001"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketDone, EventTicketCalled}) {
		t.Errorf("events = %v", got)
	}
	if tk := s.tk("a1"); tk.Status != StatusCalled || tk.Counter != "c2" || !tk.CalledAt.Equal(at("08:20")) || !tk.FinishedAt.IsZero() {
		t.Errorf("a1 = %+v", tk)
	}
	if s.tk("a3").Status != StatusDone {
		t.Error("A003 not finished")
	}
	// Numeric block numbers are called as printed.
	c = s.do(s.CallNumber(at("08:21"), "c1", "nv-c1", "1001"))
	if c.Ticket == nil || c.Ticket.ID != "n1" {
		t.Errorf("call 1001: %v", c.Ticket)
	}

	tests := []struct {
		name    string
		counter string
		number  string
		kind    Kind
		err     error
	}{
		{"unknown number", "c1", "A099", KindNotFound, ErrUnknownTicket},
		{"called at another counter", "c1", "A001", KindConflict, ErrBadTransition},
		{"done", "c1", "A003", KindConflict, ErrBadTransition},
		{"its own current ticket", "c1", "1001", KindConflict, ErrBadTransition},
		{"unknown counter", "c9", "A002", KindNotFound, ErrUnknownCounter},
		{"closed counter", "c3", "A002", KindConflict, ErrCounterPaused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := s.CallNumber(at("08:30"), tc.counter, "nv", tc.number)
			wantErr(t, c, err, tc.kind, tc.err)
		})
	}
}

func TestCounterStates(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "a2", "a", PriorityNone)

	// A closed counter calls nobody.
	c, err := s.Next(at("08:02"), "c1", "nv-c1")
	wantErr(t, c, err, KindConflict, ErrCounterPaused)

	c = s.do(s.Open(at("08:03"), "c1", "nv1"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventCounterOpened}) {
		t.Errorf("open events = %v", got)
	}
	if cs := s.Counters["c1"]; cs.State != CounterOpen || cs.Staff != "nv1" {
		t.Errorf("after open: %+v", cs)
	}
	if d := c.Events[0].Data.(CounterData); d.Counter != "c1" || d.Number != 1 || d.State != CounterOpen || d.Staff != "nv1" {
		t.Errorf("event data %+v", d)
	}
	// Opening again by the same clerk announces nothing.
	if c := s.do(s.Open(at("08:04"), "c1", "nv1")); len(c.Events) != 0 {
		t.Errorf("second open events = %v", eventTypes(c))
	}
	// Another clerk takes over the open counter.
	if c := s.do(s.Open(at("08:04"), "c1", "nv2")); len(c.Events) != 1 || s.Counters["c1"].Staff != "nv2" {
		t.Errorf("take-over events = %v, staff %s", eventTypes(c), s.Counters["c1"].Staff)
	}
	s.do(s.Next(at("08:05"), "c1", "nv2"))

	c = s.do(s.Pause(at("08:06"), "c1", "nv2"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventCounterPaused}) {
		t.Errorf("pause events = %v", got)
	}
	if cs := s.Counters["c1"]; cs.State != CounterPaused || cs.Current != "a1" {
		t.Errorf("paused counter: %+v", cs)
	}
	// A paused counter calls nobody …
	c, err = s.Next(at("08:07"), "c1", "nv2")
	wantErr(t, c, err, KindConflict, ErrCounterPaused)
	c, err = s.CallNumber(at("08:07"), "c1", "nv2", "A002")
	wantErr(t, c, err, KindConflict, ErrCounterPaused)
	// … and may not close while it has a ticket …
	c, err = s.Close(at("08:07"), "c1", "nv2")
	wantErr(t, c, err, KindConflict, ErrCounterBusy)
	// … but it may finish its citizen.
	s.do(s.Start(at("08:08"), "c1", "nv2"))
	s.do(s.Done(at("08:10"), "c1", "nv2"))
	c = s.do(s.Close(at("08:11"), "c1", "nv2"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventCounterClosed}) {
		t.Errorf("close events = %v", got)
	}
	if cs := s.Counters["c1"]; cs.State != CounterClosed || cs.Staff != "" || cs.Current != "" {
		t.Errorf("closed counter: %+v", cs)
	}
	if c := s.do(s.Close(at("08:12"), "c1", "nv2")); len(c.Events) != 0 {
		t.Error("closing a closed counter announced it")
	}
	// An open counter with a current ticket may not close either.
	s.open(at("08:13"), "c1")
	s.next(at("08:13"), "c1")
	c, err = s.Close(at("08:14"), "c1", "nv-c1")
	wantErr(t, c, err, KindConflict, ErrCounterBusy)

	for name, cmd := range map[string]func() (*Change, error){
		"open":  func() (*Change, error) { return s.Open(at("08:15"), "c9", "x") },
		"pause": func() (*Change, error) { return s.Pause(at("08:15"), "c9", "x") },
		"close": func() (*Change, error) { return s.Close(at("08:15"), "c9", "x") },
		"next":  func() (*Change, error) { return s.Next(at("08:15"), "c9", "x") },
		"done":  func() (*Change, error) { return s.Done(at("08:15"), "c9", "x") },
	} {
		t.Run(name+" at an unknown counter", func(t *testing.T) {
			c, err := cmd()
			wantErr(t, c, err, KindNotFound, ErrUnknownCounter)
		})
	}
}

func TestPauseClosedCounter(t *testing.T) {
	s := newTestState(t)
	c, err := s.Pause(at("08:00"), "c1", "nv1")
	wantErr(t, c, err, KindConflict, ErrCounterPaused)
}

func TestCancel(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "a2", "a", PriorityNone)
	s.issue(at("08:02"), "a3", "a", PriorityNone)
	s.open(at("08:00"), "c1")
	s.next(at("08:05"), "c1") // a1 called
	c := s.do(s.Cancel(at("08:06"), "a2", "holder"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketCancelled}) || c.Events[0].Data.(TicketData).Reason != "holder" {
		t.Errorf("events = %v", got)
	}
	c = s.do(s.Cancel(at("08:07"), "a1", "holder"))
	if s.Counters["c1"].Current != "" || s.tk("a1").Status != StatusCancelled {
		t.Error("cancelling the called ticket left it at the counter")
	}
	if id := s.next(at("08:08"), "c1"); id != "a3" {
		t.Errorf("next after cancels = %s", id)
	}
	s.do(s.Start(at("08:09"), "c1", "nv-c1"))
	c, err := s.Cancel(at("08:10"), "a3", "")
	wantErr(t, c, err, KindConflict, ErrBadTransition)
	c, err = s.Cancel(at("08:10"), "a2", "")
	wantErr(t, c, err, KindConflict, ErrBadTransition)
	c, err = s.Cancel(at("08:10"), "zz", "")
	wantErr(t, c, err, KindNotFound, ErrUnknownTicket)
}

func TestTransfer(t *testing.T) {
	// a1 (08:00) is at counter c1 when it is transferred at 08:30; b1 and
	// b2 arrived at 08:05 and 08:10.
	setup := func(t *testing.T) *tstate {
		s := newTestState(t)
		s.issue(at("08:00"), "a1", "a", PriorityNone)
		s.issue(at("08:05"), "b1", "b", PriorityNone)
		s.issue(at("08:10"), "b2", "b", PriorityNone)
		s.issue(at("08:12"), "a2", "a", PriorityNone)
		s.open(at("08:00"), "c1", "c2", "c3")
		s.next(at("08:20"), "c1")
		return s
	}
	t.Run("to another service keeps the virtual arrival", func(t *testing.T) {
		s := setup(t)
		c := s.do(s.Transfer(at("08:30"), "c1", "nv-c1", TransferRequest{Service: "b"}))
		if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketTransferred}) {
			t.Errorf("events = %v", got)
		}
		d := c.Events[0].Data.(TicketData)
		if d.Transfer == nil || d.Transfer.FromService != "a" || d.Transfer.ToService != "b" || d.Transfer.FromCounter != "c1" || d.Transfer.ToEnd {
			t.Errorf("transfer data = %+v", d.Transfer)
		}
		tk := s.tk("a1")
		if tk.Status != StatusWaiting || tk.Service != "b" || tk.NumberService != "a" || tk.Display != "A001" || tk.Counter != "" || !tk.VA.Equal(at("08:00")) || len(tk.Transfers) != 1 {
			t.Errorf("a1 = %+v", tk)
		}
		if s.Counters["c1"].Current != "" {
			t.Error("c1 keeps the transferred ticket")
		}
		if got := ids(s.QueueFor(s.Office.Counter("c2"))); !slices.Equal(got, []string{"a1", "b1", "b2"}) {
			t.Errorf("c2 queue = %v", got)
		}
	})
	t.Run("to the end of another service", func(t *testing.T) {
		s := setup(t)
		s.do(s.Transfer(at("08:30"), "c1", "nv-c1", TransferRequest{Service: "b", ToEnd: true}))
		if tk := s.tk("a1"); !tk.VA.Equal(at("08:30")) {
			t.Errorf("VA = %v", tk.VA)
		}
		if got := ids(s.QueueFor(s.Office.Counter("c2"))); !slices.Equal(got, []string{"b1", "b2", "a1"}) {
			t.Errorf("c2 queue = %v", got)
		}
	})
	t.Run("to a counter that does not serve the service: pinned there", func(t *testing.T) {
		s := setup(t)
		s.do(s.Transfer(at("08:30"), "c1", "nv-c1", TransferRequest{Counter: "c3"}))
		tk := s.tk("a1")
		if tk.Pinned != "c3" || tk.Service != "a" || tk.Status != StatusWaiting {
			t.Errorf("a1 = %+v", tk)
		}
		if got := ids(s.QueueFor(s.Office.Counter("c1"))); !slices.Equal(got, []string{"a2", "b1", "b2"}) {
			t.Errorf("c1 still sees the pinned ticket: %v", got)
		}
		if id := s.next(at("08:31"), "c1"); id != "a2" {
			t.Errorf("c1 called %s", id)
		}
		if id := s.next(at("08:32"), "c3"); id != "a1" {
			t.Errorf("c3 called %s", id)
		}
		if s.tk("a1").Pinned != "" || s.tk("a1").Counter != "c3" {
			t.Error("a call leaves the pin")
		}
	})
	t.Run("to a counter and a service, competing without offset there", func(t *testing.T) {
		s := setup(t)
		s.do(s.Transfer(at("08:30"), "c1", "nv-c1", TransferRequest{Service: "b", Counter: "c2", ToEnd: true}))
		if got := ids(s.QueueFor(s.Office.Counter("c2"))); !slices.Equal(got, []string{"b1", "b2", "a1"}) {
			t.Errorf("c2 queue = %v", got)
		}
		if got := ids(s.QueueFor(s.Office.Counter("c1"))); !slices.Equal(got, []string{"a2", "b1", "b2"}) {
			t.Errorf("c1 queue = %v", got)
		}
	})
	t.Run("a served ticket can be transferred too", func(t *testing.T) {
		s := setup(t)
		s.do(s.Start(at("08:21"), "c1", "nv-c1"))
		s.do(s.Transfer(at("08:30"), "c1", "nv-c1", TransferRequest{Service: "b"}))
		if tk := s.tk("a1"); tk.Status != StatusWaiting || !tk.ServingAt.IsZero() {
			t.Errorf("a1 = %+v", tk)
		}
	})

	noCounter := func(o *Office) {
		o.Services = append(o.Services, Service{ID: "x", Name: "Đất đai", Prefix: "X", DefaultMinutes: 15, Active: true})
	}
	tests := []struct {
		name string
		r    TransferRequest
		kind Kind
		err  error
		msg  string
	}{
		{"to a service nobody serves", TransferRequest{Service: "x"}, KindConflict, ErrNotServed, "no counter serves"},
		{"to an unknown service", TransferRequest{Service: "zz"}, KindNotFound, ErrUnknownService, `"zz"`},
		{"to an unknown counter", TransferRequest{Counter: "c9"}, KindNotFound, ErrUnknownCounter, `"c9"`},
		{"to its own service", TransferRequest{Service: "a"}, KindInvalid, nil, "another service"},
		{"nowhere", TransferRequest{}, KindInvalid, nil, "another service"},
		{"to its own counter", TransferRequest{Counter: "c1"}, KindInvalid, nil, "own counter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestState(t, noCounter)
			s.issue(at("08:00"), "a1", "a", PriorityNone)
			s.open(at("08:00"), "c1")
			s.next(at("08:01"), "c1")
			c, err := s.Transfer(at("08:02"), "c1", "nv-c1", tc.r)
			wantErr(t, c, err, tc.kind, tc.err)
			if err != nil && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q does not say %q", err, tc.msg)
			}
		})
	}
	t.Run("to a counter, for a service nobody serves", func(t *testing.T) {
		s := newTestState(t, noCounter)
		s.issue(at("08:00"), "a1", "a", PriorityNone)
		s.open(at("08:00"), "c1", "c2")
		s.next(at("08:01"), "c1")
		s.do(s.Transfer(at("08:02"), "c1", "nv-c1", TransferRequest{Service: "x", Counter: "c2"}))
		if id := s.next(at("08:03"), "c2"); id != "a1" {
			t.Errorf("c2 called %q", id)
		}
	})
}
