package queue

import (
	"slices"
	"testing"
	"time"
)

// arrival is a ticket issued in an ordering test.
type arrival struct {
	id, clock string
	service   string // default "a"
	p         Priority
	va        string // virtual arrival clock, when it differs from the issue time
}

func issueAll(s *tstate, arrivals []arrival) {
	s.t.Helper()
	for _, a := range arrivals {
		svc := a.service
		if svc == "" {
			svc = "a"
		}
		r := IssueRequest{ID: a.id, Token: "tok-" + a.id, Service: svc, Priority: a.p, Source: SourceKiosk}
		if a.va != "" {
			r.VA = at(a.va)
			r.Source = SourceBooking
		}
		s.do(s.Issue(at(a.clock), r))
	}
}

func ids(ts []*Ticket) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// callAll calls next at counter k until nobody waits and returns the ids.
func callAll(s *tstate, now time.Time, k string) []string {
	s.t.Helper()
	out := []string{}
	for range 100 {
		id := s.next(now, k)
		if id == "" {
			return out
		}
		out = append(out, id)
		now = now.Add(time.Minute)
	}
	s.t.Fatalf("counter %s kept calling", k)
	return nil
}

func TestOrderingRule(t *testing.T) {
	bonus := func(m int) func(*Office) { return func(o *Office) { o.Policy.DefaultBonusMinutes = m } }
	tests := []struct {
		name     string
		mods     []func(*Office)
		counter  string // default c1
		arrivals []arrival
		want     []string
	}{
		{
			name:     "bonus 20: a normal ticket that waited longer than the bonus goes first",
			arrivals: []arrival{{id: "n1", clock: "07:50"}, {id: "p1", clock: "08:15", p: PriorityElderly}},
			want:     []string{"n1", "p1"},
		},
		{
			name:     "bonus 20: a priority ticket passes a recent arrival",
			arrivals: []arrival{{id: "n1", clock: "08:00"}, {id: "p1", clock: "08:15", p: PriorityElderly}},
			want:     []string{"p1", "n1"},
		},
		{
			name: "bonus 20: a priority ticket passes only the arrivals of the last 20 minutes",
			arrivals: []arrival{
				{id: "n1", clock: "07:40"}, {id: "n2", clock: "07:54"}, {id: "n3", clock: "07:56"},
				{id: "n4", clock: "08:10"}, {id: "p1", clock: "08:15", p: PriorityDisabled},
			},
			want: []string{"n1", "n2", "p1", "n3", "n4"},
		},
		{
			name:     "bonus 10: normal at 8:00, priority at 8:15 → normal first",
			mods:     []func(*Office){bonus(10)},
			arrivals: []arrival{{id: "n1", clock: "08:00"}, {id: "p1", clock: "08:15", p: PriorityElderly}},
			want:     []string{"n1", "p1"},
		},
		{
			name:     "bonus 10: normal at 8:10, priority at 8:15 → priority first",
			mods:     []func(*Office){bonus(10)},
			arrivals: []arrival{{id: "n1", clock: "08:10"}, {id: "p1", clock: "08:15", p: PriorityElderly}},
			want:     []string{"p1", "n1"},
		},
		{
			name:     "no bonus: arrival order",
			mods:     []func(*Office){bonus(0)},
			arrivals: []arrival{{id: "n1", clock: "08:10"}, {id: "p1", clock: "08:15", p: PriorityElderly}},
			want:     []string{"n1", "p1"},
		},
		{
			name:     "equal keys go by issue order: the normal ticket was issued first",
			arrivals: []arrival{{id: "n1", clock: "07:55"}, {id: "p1", clock: "08:15", p: PriorityElderly}},
			want:     []string{"n1", "p1"},
		},
		{
			name:     "equal keys go by issue order: the priority booking was issued first",
			arrivals: []arrival{{id: "p1", clock: "07:40", p: PriorityElderly, va: "08:15"}, {id: "n1", clock: "07:55"}},
			want:     []string{"p1", "n1"},
		},
		{
			name:     "same instant: issue order",
			arrivals: []arrival{{id: "n1", clock: "08:00"}, {id: "n2", clock: "08:00"}, {id: "n3", clock: "08:00"}},
			want:     []string{"n1", "n2", "n3"},
		},
		{
			name: "per-class bonuses, a class missing from the map gets the default, a class may get none",
			mods: []func(*Office){func(o *Office) {
				o.Policy.PriorityBonusMinutes = map[Priority]int{PriorityMerit: 60, PriorityPregnant: 5, PriorityDisabled: 0}
			}},
			arrivals: []arrival{
				{id: "n1", clock: "08:00"},
				{id: "d", clock: "08:00:30", p: PriorityDisabled}, // key 08:00:30
				{id: "n2", clock: "08:01"},
				{id: "g", clock: "08:02", p: PriorityPregnant}, // key 07:57
				{id: "e", clock: "08:15", p: PriorityElderly},  // key 07:55 (default 20)
				{id: "m", clock: "08:50", p: PriorityMerit},    // key 07:50
			},
			want: []string{"m", "e", "g", "n1", "d", "n2"},
		},
		{
			name: "strict-priority office: every priority ticket first, each group by arrival",
			mods: []func(*Office){bonus(1_000_000)},
			arrivals: []arrival{
				{id: "n1", clock: "07:00"}, {id: "n2", clock: "07:30"},
				{id: "p2", clock: "11:00", p: PriorityMerit}, {id: "n3", clock: "12:00"},
				{id: "p1", clock: "16:00", p: PriorityElderly},
			},
			want: []string{"p2", "p1", "n1", "n2", "n3"},
		},
		{
			name: "secondary service (+30 min at c1) goes after primary arrivals of the next 30 minutes",
			arrivals: []arrival{
				{id: "b1", clock: "08:00", service: "b"}, // key at c1: 08:30
				{id: "a1", clock: "08:20"},
				{id: "a2", clock: "08:40"},
			},
			want: []string{"a1", "b1", "a2"},
		},
		{
			name: "bonus and offset add up",
			arrivals: []arrival{
				{id: "bp", clock: "08:00", service: "b", p: PriorityElderly}, // 08:00 − 20 + 30 = 08:10
				{id: "a1", clock: "08:05"},
				{id: "a2", clock: "08:15"},
			},
			want: []string{"a1", "bp", "a2"},
		},
		{
			name:    "a counter with one service takes only that service, without offset",
			counter: "c2",
			arrivals: []arrival{
				{id: "a1", clock: "07:00"}, {id: "b1", clock: "08:00", service: "b"},
				{id: "n1", clock: "07:30", service: "n"}, {id: "b2", clock: "08:01", service: "b"},
			},
			want: []string{"b1", "b2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestState(t, tc.mods...)
			issueAll(s, tc.arrivals)
			k := tc.counter
			if k == "" {
				k = "c1"
			}
			counter := s.Office.Counter(k)
			if got := ids(s.QueueFor(counter)); !slices.Equal(got, tc.want) {
				t.Errorf("QueueFor(%s) = %v, want %v", k, got, tc.want)
			}
			if got := s.NextFor(counter); got == nil || got.ID != tc.want[0] {
				t.Errorf("NextFor(%s) = %v, want %s", k, got, tc.want[0])
			}
			s.open(at("17:00"), k)
			if got := callAll(s, at("17:00"), k); !slices.Equal(got, tc.want) {
				t.Errorf("calls at %s = %v, want %v", k, got, tc.want)
			}
		})
	}
}

func TestKey(t *testing.T) {
	o := testOffice(t)
	c1, c2 := o.Counter("c1"), o.Counter("c2")
	va := at("08:00")
	tests := []struct {
		name    string
		t       Ticket
		c       *Counter
		want    time.Time
		wantOK  bool
		comment string
	}{
		{name: "primary, no priority", t: Ticket{Service: "a", VA: va}, c: c1, want: va, wantOK: true},
		{name: "primary, priority", t: Ticket{Service: "a", VA: va, Priority: PriorityPregnant}, c: c1, want: va.Add(-20 * time.Minute), wantOK: true},
		{name: "secondary", t: Ticket{Service: "b", VA: va}, c: c1, want: va.Add(30 * time.Minute), wantOK: true},
		{name: "secondary, priority", t: Ticket{Service: "b", VA: va, Priority: PriorityMerit}, c: c1, want: va.Add(10 * time.Minute), wantOK: true},
		{name: "not served", t: Ticket{Service: "a", VA: va}, c: c2, wantOK: false},
		{name: "pinned here: offset 0 even for a service it does not serve", t: Ticket{Service: "a", VA: va, Pinned: "c2"}, c: c2, want: va, wantOK: true},
		{name: "pinned here: secondary service loses its offset", t: Ticket{Service: "b", VA: va, Pinned: "c1"}, c: c1, want: va, wantOK: true},
		{name: "pinned elsewhere", t: Ticket{Service: "a", VA: va, Pinned: "c2"}, c: c1, wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Key(&tc.t, tc.c, &o.Policy)
			if ok != tc.wantOK || (ok && !got.Equal(tc.want)) {
				t.Errorf("Key = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestNextNothingWaitingForCounter(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "a1", "a", PriorityNone)
	s.issue(at("08:01"), "b1", "b", PriorityElderly)
	s.open(at("08:02"), "c3")
	seq := s.Seq
	c := s.do(s.Next(at("08:03"), "c3", "nv-c3"))
	if c.Ticket != nil {
		t.Fatalf("c3 serves only n but called %s", c.Ticket.ID)
	}
	if len(c.Events) != 0 || s.Seq != seq {
		t.Errorf("nothing called, yet events %v", eventTypes(c))
	}
	for _, id := range []string{"a1", "b1"} {
		if st := s.tk(id).Status; st != StatusWaiting {
			t.Errorf("%s is %s, want waiting", id, st)
		}
	}
	if cur := s.Counters["c3"].Current; cur != "" {
		t.Errorf("c3 current = %q", cur)
	}
	if s.NextFor(s.Office.Counter("c3")) != nil || len(s.QueueFor(s.Office.Counter("c3"))) != 0 {
		t.Error("NextFor/QueueFor of c3 not empty")
	}
}

func TestNextCallsEachTicketOnce(t *testing.T) {
	// Two counters share service b: each ticket is called by exactly one.
	s := newTestState(t)
	for i, clock := range []string{"08:00", "08:01", "08:02", "08:03"} {
		s.issue(at(clock), "b"+string(rune('1'+i)), "b", PriorityNone)
	}
	s.open(at("08:05"), "c1", "c2")
	got := []string{s.next(at("08:06"), "c2"), s.next(at("08:06"), "c1"), s.next(at("08:07"), "c2"), s.next(at("08:07"), "c1")}
	want := []string{"b1", "b2", "b3", "b4"}
	if !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if s.tk("b1").Status != StatusDone || s.tk("b2").Status != StatusDone {
		t.Error("calling next did not finish the previous tickets")
	}
}
