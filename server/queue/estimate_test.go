package queue

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

type wantEst struct {
	wait        time.Duration // ignored when unknown
	ahead       int
	known       bool
	provisional bool
}

func checkEstimates(t *testing.T, s *State, f *Forecast, want map[string]wantEst) {
	t.Helper()
	got := forecastMap(t, f, s)
	if len(got) != len(want) {
		t.Errorf("%d estimates, want %d: %+v", len(got), len(want), got)
	}
	for id, w := range want {
		e, ok := got[id]
		switch {
		case !ok:
			t.Errorf("%s: no estimate", id)
		case e.Known != w.known || e.Provisional != w.provisional || e.Ahead != w.ahead:
			t.Errorf("%s: %+v, want %+v", id, e, w)
		case w.known && e.Wait != w.wait:
			t.Errorf("%s: wait %v, want %v", id, e.Wait, w.wait)
		case w.known && e.Seconds() != int(w.wait/time.Second):
			t.Errorf("%s: %d seconds, want %v", id, e.Seconds(), w.wait)
		case !w.known && e.Seconds() != -1:
			t.Errorf("%s: unknown wait gives %d seconds, want -1", id, e.Seconds())
		}
	}
}

func TestEstimate(t *testing.T) {
	twoCounters := func(o *Office) {
		o.Counters = []Counter{
			{ID: "k1", Number: 1, Services: []CounterService{{Service: "a"}}},
			{ID: "k2", Number: 2, Services: []CounterService{{Service: "a"}}},
			{ID: "k3", Number: 3, Services: []CounterService{{Service: "b"}, {Service: "n"}}},
		}
	}
	m := time.Minute
	tests := []struct {
		name  string
		mods  []func(*Office)
		setup func(s *tstate)
		now   string
		want  map[string]wantEst
	}{
		{
			name: "one counter, three tickets, 10-minute average",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("08:00"), "t1", "a", PriorityNone)
				s.issue(at("08:01"), "t2", "a", PriorityNone)
				s.issue(at("08:02"), "t3", "a", PriorityNone)
			},
			now: "08:05",
			want: map[string]wantEst{
				"t1": {0, 0, true, false}, "t2": {10 * m, 1, true, false}, "t3": {20 * m, 2, true, false},
			},
		},
		{
			name: "two counters share a service",
			mods: []func(*Office){twoCounters},
			setup: func(s *tstate) {
				s.open(at("07:30"), "k1", "k2")
				for i := range 5 {
					s.issue(at("08:00").Add(time.Duration(i)*m), fmt.Sprint("t", i+1), "a", PriorityNone)
				}
			},
			now: "08:10",
			want: map[string]wantEst{
				"t1": {0, 0, true, false}, "t2": {0, 1, true, false}, "t3": {10 * m, 2, true, false},
				"t4": {10 * m, 3, true, false}, "t5": {20 * m, 4, true, false},
			},
		},
		{
			name: "a busy counter is free at call + average",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("07:59"), "t0", "a", PriorityNone)
				s.next(at("08:00"), "c1")
				s.issue(at("08:01"), "t1", "a", PriorityNone)
				s.issue(at("08:02"), "t2", "a", PriorityNone)
			},
			now:  "08:04",
			want: map[string]wantEst{"t1": {6 * m, 0, true, false}, "t2": {16 * m, 1, true, false}},
		},
		{
			name: "a busy counter is free at start + average",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("07:59"), "t0", "a", PriorityNone)
				s.next(at("08:00"), "c1")
				s.do(s.Start(at("08:02"), "c1", "nv-c1"))
				s.issue(at("08:03"), "t1", "a", PriorityNone)
			},
			now:  "08:04",
			want: map[string]wantEst{"t1": {8 * m, 0, true, false}},
		},
		{
			name: "a counter whose citizen overran is free now",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("07:31"), "t0", "a", PriorityNone)
				s.next(at("07:32"), "c1")
				s.issue(at("07:33"), "t1", "a", PriorityNone)
			},
			now:  "08:04",
			want: map[string]wantEst{"t1": {0, 0, true, false}},
		},
		{
			name: "a recall restarts the clock",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("07:31"), "t0", "a", PriorityNone)
				s.next(at("07:40"), "c1")
				s.do(s.Recall(at("07:50"), "c1", "nv-c1"))
				s.issue(at("07:51"), "t1", "a", PriorityNone)
			},
			now:  "07:55",
			want: map[string]wantEst{"t1": {5 * m, 0, true, false}},
		},
		{
			name: "no counter open while the office is open by its hours: places, no time",
			setup: func(s *tstate) {
				s.issue(at("07:00"), "a1", "a", PriorityNone)
				s.issue(at("07:01"), "a2", "a", PriorityNone)
				s.issue(at("07:02"), "b1", "b", PriorityNone)
				s.issue(at("07:03"), "n1", "n", PriorityNone)
			},
			now: "07:10",
			// b1 is called at c2 at the same moment as a1 at c1 (which also
			// serves b): a1 is not ahead of b1.
			want: map[string]wantEst{
				"a1": {0, 0, false, true}, "a2": {0, 1, false, true},
				"b1": {0, 0, false, true}, "n1": {0, 0, false, true},
			},
		},
		{
			name: "no counter open before the opening time: every counter assumed to open then",
			mods: []func(*Office){func(o *Office) {
				o.Hours = WeekHours{"fri": {{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}}}
			}},
			setup: func(s *tstate) {
				// Before the opening time only a clerk issues numbers.
				for i, id := range []string{"a1", "a2", "n1"} {
					s.do(s.Issue(at("07:00").Add(time.Duration(i)*time.Minute), IssueRequest{ID: id, Token: "tok-" + id, Service: id[:1], Source: SourceClerk}))
				}
			},
			now: "07:10",
			want: map[string]wantEst{
				"a1": {20 * m, 0, true, true}, "a2": {30 * m, 1, true, true}, "n1": {20 * m, 0, true, true},
			},
		},
		{
			name: "no counter open at lunch: from the afternoon's opening",
			mods: []func(*Office){func(o *Office) {
				o.Hours = WeekHours{"fri": {{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}}}
			}},
			setup: func(s *tstate) {
				s.issue(at("08:00"), "a1", "a", PriorityNone)
			},
			now:  "12:00",
			want: map[string]wantEst{"a1": {90 * m, 0, true, true}},
		},
		{
			name: "paused counters do not count as open, and are not assumed to open",
			setup: func(s *tstate) {
				s.open(at("07:00"), "c1", "c2")
				s.do(s.Pause(at("07:01"), "c1", "nv-c1"))
				s.issue(at("07:02"), "a1", "a", PriorityNone)
				s.issue(at("07:03"), "b1", "b", PriorityNone)
			},
			now: "07:10",
			want: map[string]wantEst{
				"a1": {0, 0, false, false}, "b1": {0, 0, true, false},
			},
		},
		{
			name: "secondary service waits behind the primary ones",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("08:00"), "a1", "a", PriorityNone)
				s.issue(at("08:01"), "b1", "b", PriorityNone) // key 08:31
				s.issue(at("08:10"), "a2", "a", PriorityNone)
				s.issue(at("08:40"), "a3", "a", PriorityNone)
			},
			now: "08:45",
			want: map[string]wantEst{
				"a1": {0, 0, true, false}, "a2": {10 * m, 1, true, false},
				"b1": {20 * m, 2, true, false}, "a3": {30 * m, 3, true, false},
			},
		},
		{
			name: "a priority ticket is forecast where it will be called",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("08:00"), "a1", "a", PriorityNone)
				s.issue(at("08:10"), "a2", "a", PriorityNone)
				s.issue(at("08:15"), "p1", "a", PriorityElderly) // key 07:55
			},
			now: "08:15",
			want: map[string]wantEst{
				"p1": {0, 0, true, false}, "a1": {10 * m, 1, true, false}, "a2": {20 * m, 2, true, false},
			},
		},
		{
			name: "services with different averages",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c3")
				for i := range 3 {
					s.issue(at("08:00"), fmt.Sprint("n", i+1), "n", PriorityNone)
				}
			},
			now: "08:00",
			want: map[string]wantEst{
				"n1": {0, 0, true, false}, "n2": {5 * m, 1, true, false}, "n3": {10 * m, 2, true, false},
			},
		},
		{
			name: "nobody can call: a service whose counters are closed, a ticket pinned to a closed counter",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1")
				s.issue(at("08:00"), "a1", "a", PriorityNone)
				s.issue(at("08:01"), "a2", "a", PriorityNone)
				s.issue(at("08:02"), "n1", "n", PriorityNone)
				s.issue(at("08:03"), "n2", "n", PriorityNone)
				s.next(at("08:04"), "c1")
				s.do(s.Transfer(at("08:05"), "c1", "nv-c1", TransferRequest{Counter: "c2"}))
			},
			now: "08:06",
			want: map[string]wantEst{
				"a2": {0, 0, true, false}, "a1": {0, 0, false, false},
				"n1": {0, 0, false, false}, "n2": {0, 1, false, false},
			},
		},
		{
			name: "a ticket pinned to an open counter goes by its key there",
			setup: func(s *tstate) {
				s.open(at("07:30"), "c1", "c2")
				s.issue(at("08:00"), "a1", "a", PriorityNone)
				s.issue(at("08:01"), "b1", "b", PriorityNone)
				s.issue(at("08:02"), "b2", "b", PriorityNone)
				s.next(at("08:03"), "c1") // a1
				s.do(s.Transfer(at("08:04"), "c1", "nv-c1", TransferRequest{Counter: "c2"}))
			},
			now: "08:05",
			// c1 calls b1 now (b at +30 is all it has) and c2 a1 (08:00, ahead of
			// b2's 08:02); both are free at 08:15, and c1 (the lower number) takes
			// b2, behind b1 and a1.
			want: map[string]wantEst{
				"b1": {0, 0, true, false}, "a1": {0, 0, true, false}, "b2": {10 * m, 2, true, false},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestState(t, tc.mods...)
			tc.setup(s)
			checkEstimates(t, s.State, s.Estimate(at(tc.now)), tc.want)
		})
	}
}

func TestEstimateFollowsAverages(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:30"), "c1")
	s.issue(at("07:31"), "t0", "a", PriorityNone)
	s.next(at("07:40"), "c1")
	s.do(s.Done(at("08:00"), "c1", "nv-c1")) // 20 minutes: average 12
	s.issue(at("08:01"), "t1", "a", PriorityNone)
	s.issue(at("08:02"), "t2", "a", PriorityNone)
	s.issue(at("08:03"), "t3", "a", PriorityNone)
	checkEstimates(t, s.State, s.forecast(at("08:05"), false), map[string]wantEst{
		"t1": {0, 0, true, false}, "t2": {12 * time.Minute, 1, true, false}, "t3": {24 * time.Minute, 2, true, false},
	})
	// The forecast weighs the running average as three services against
	// the day's: (3 × 12 + 20·w) / (3 + w) minutes, w = e^(−5 min / 2 h)
	// the weight of the 20-minute service finished 5 minutes ago.
	w := math.Exp(-5.0 / 120)
	want := time.Duration((3*12 + 20*w) / (3 + w) * float64(time.Minute))
	if e, _ := s.Estimate(at("08:05")).Of(s.Tickets["t2"]); e.Wait < want-time.Millisecond || e.Wait > want+time.Millisecond {
		t.Errorf("t2: wait %v with the day's services, want %v", e.Wait, want)
	}
}

func TestIssueRecordsEstimate(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:30"), "c1")
	var got []int
	for i := range 3 {
		got = append(got, s.issue(at("08:00"), fmt.Sprint("t", i), "a", PriorityNone).EstimateSeconds)
	}
	if got[0] != 0 || got[1] != 600 || got[2] != 1200 {
		t.Errorf("estimates at issue = %v, want [0 600 1200]", got)
	}
	// Nobody open at the new service: provisional, still a number.
	if tk := s.issue(at("08:00"), "b", "b", PriorityNone); tk.EstimateSeconds != 1800 {
		// c1 is the only open counter and serves b at +30: after a0, a1, a2.
		t.Errorf("b estimate = %d", tk.EstimateSeconds)
	}
	// A service no open counter serves has no estimate.
	if tk := s.issue(at("08:00"), "n", "n", PriorityNone); tk.EstimateSeconds != -1 {
		t.Errorf("n estimate = %d, want -1", tk.EstimateSeconds)
	}
}

// TestEstimateMatchesReplay checks the forecast against what happens when
// the clerks press next exactly when each service takes its average and
// nobody else comes: then every ticket must be called at the moment the
// forecast without expected arrivals gives, by the same rule.
func TestEstimateMatchesReplay(t *testing.T) {
	overlapping := func(o *Office) {
		o.Counters = []Counter{
			{ID: "c1", Number: 1, Services: []CounterService{{Service: "a"}, {Service: "b", OffsetMinutes: 30}}},
			{ID: "c2", Number: 2, Services: []CounterService{{Service: "b"}, {Service: "a", OffsetMinutes: 10}}},
			{ID: "c3", Number: 3, Services: []CounterService{{Service: "n"}, {Service: "b", OffsetMinutes: 5}}},
			{ID: "c4", Number: 4, Services: []CounterService{{Service: "n"}}},
		}
	}
	for seed := range uint64(20) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			s := newTestState(t, overlapping)
			open := []string{"c1", "c2", "c3", "c4"}[:1+rng.IntN(4)]
			s.open(at("07:00"), open...)
			now := at("07:30")
			svcs := []string{"a", "b", "n"}
			for i := range 40 {
				now = now.Add(time.Duration(rng.IntN(90)) * time.Second)
				p := PriorityNone
				if rng.IntN(5) == 0 {
					p = Priorities[rng.IntN(len(Priorities))]
				}
				s.issue(now, fmt.Sprint("t", i), svcs[rng.IntN(3)], p)
			}
			// Nobody else comes in this replay: the forecast without the
			// expected arrivals must match it exactly.
			est := forecastMap(t, s.forecast(now, false), s.State)

			free := map[string]time.Time{}
			for _, k := range open {
				free[k] = now
			}
			for len(free) > 0 {
				var k string
				for _, id := range open {
					if f, ok := free[id]; ok && (k == "" || f.Before(free[k])) {
						k = id
					}
				}
				c := s.do(s.Next(free[k], k, "nv"))
				if c.Ticket == nil {
					delete(free, k)
					continue
				}
				tk := c.Ticket
				e := est[tk.ID]
				if !e.Known || !tk.CalledAt.Equal(now.Add(e.Wait)) {
					t.Fatalf("%s called at %s after %v, forecast %+v", tk.ID, k, tk.CalledAt.Sub(now), e)
				}
				free[k] = free[k].Add(s.Average(tk.Service))
			}
			for id, tk := range s.Tickets {
				if tk.Status == StatusWaiting && est[id].Known {
					t.Errorf("%s never called, forecast %+v", id, est[id])
				}
			}
		})
	}
}

// TestForecastOf finds a ticket's estimate by any version of the ticket,
// and none for a ticket that was not waiting, for one the forecast never
// saw (another office's, with the same issue order), or from no forecast.
func TestForecastOf(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:30"), "c1")
	a := s.issue(at("08:00"), "a1", "a", PriorityNone)
	b := s.issue(at("08:01"), "a2", "a", PriorityNone)
	f := s.Estimate(at("08:02"))
	if e, ok := f.Of(b); !ok || !e.Known || e.Ahead != 1 || f.Len() != 2 {
		t.Fatalf("a2: %+v, %v; %d estimates", e, ok, f.Len())
	}
	later := cloneTicket(b)
	later.EstimateSeconds = 99 // another version of the same ticket
	if _, ok := f.Of(later); !ok {
		t.Error("a later version of a2 has no estimate")
	}
	stranger := &Ticket{ID: "other-office", Order: b.Order, Status: StatusWaiting}
	if e, ok := f.Of(stranger); ok {
		t.Errorf("a ticket with a2's order but another id got %+v", e)
	}
	s.next(at("08:03"), "c1") // a1 is called
	if _, ok := s.Estimate(at("08:03")).Of(a); ok {
		t.Error("a called ticket has an estimate")
	}
	var none *Forecast
	if _, ok := none.Of(a); ok || none.Len() != 0 {
		t.Error("the nil forecast has an estimate")
	}
}
