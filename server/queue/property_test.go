package queue

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestRandomCommands runs long seeded random sequences of every command
// (reconfiguration included, now and then),
// with a clock that mostly moves forward, sometimes jumps back and sometimes
// into the next days. After each applied change the invariants of
// checkInvariants hold, the events' seq continue the state's without gaps,
// and no command (applied or refused) modified the state.
func TestRandomCommands(t *testing.T) {
	steps := 3000
	if testing.Short() {
		steps = 500
	}
	counts := map[EventType]int{} // over every seed: the runs are sequential
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 2026))
			office := func(o *Office) {
				o.Services = append(o.Services,
					Service{ID: "m", Name: "Hộ tịch", FirstNumber: 1005, DefaultMinutes: 3, Active: true, RemoteCap: 3},
					Service{ID: "off", Name: "Tạm ngưng", Prefix: "X", DefaultMinutes: 3, Active: false})
				o.Services[0].DailyCap = 40
				o.Counters[2].Services = append(o.Counters[2].Services, CounterService{Service: "m", OffsetMinutes: 2})
				o.Counters = append(o.Counters, Counter{ID: "c4", Number: 4, Services: []CounterService{
					{Service: "m"}, {Service: "a", OffsetMinutes: 15}, {Service: "off"}}})
			}
			s := newTestState(t, office)
			// Configurations an administrator switches between: the
			// same, without counter c4 (its pinned tickets lose their
			// line), with other bonuses and c1 serving "m" first.
			configs := []Office{
				testOffice(t, office),
				testOffice(t, office, func(o *Office) { o.Counters = o.Counters[:3] }),
				testOffice(t, office, func(o *Office) {
					o.Policy.PriorityBonusMinutes = map[Priority]int{PriorityElderly: 45, PriorityMerit: 1}
					o.Counters[0].Services = append([]CounterService{{Service: "m"}}, o.Counters[0].Services...)
				}),
			}
			counters := []string{"c1", "c2", "c3", "c4", "nope"}
			services := []string{"a", "b", "n", "m", "off", "nope"}
			sources := []Source{SourceKiosk, SourceKiosk, SourceRemote, SourceClerk, SourceBooking}
			now := at("07:00")
			nextID := 0
			var seq int64
			applied, refused := 0, 0
			pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
			anyTicket := func() string { // deterministic: not in map order
				ids := slices.Sorted(maps.Keys(s.Tickets))
				if i := rng.IntN(len(ids) + 1); i < len(ids) {
					return ids[i]
				}
				return "missing"
			}
			anyNumber := func() string {
				id := anyTicket()
				if tk, ok := s.Tickets[id]; ok {
					return tk.Display
				}
				return "Z999"
			}
			for step := range steps {
				switch r := rng.IntN(100); {
				case r < 2:
					now = now.Add(-time.Duration(rng.IntN(180)) * time.Minute) // clock jumps back
				case r < 4:
					now = now.Add(time.Duration(12+rng.IntN(36)) * time.Hour) // into a later day
				default:
					now = now.Add(time.Duration(rng.IntN(240)) * time.Second)
				}
				before := copyState(s.State)
				var c *Change
				var err error
				k, staff := pick(counters), fmt.Sprint("nv", rng.IntN(3))
				op := rng.IntN(17)
				if rng.IntN(50) == 0 {
					op = 17 // now and then, not as often as the clerks act
				}
				switch op {
				case 0, 1, 2, 3:
					nextID++
					p := PriorityNone
					if rng.IntN(4) == 0 {
						p = Priorities[rng.IntN(len(Priorities))]
					}
					c, err = s.Issue(now, IssueRequest{ID: fmt.Sprint("t", nextID), Token: "x", Service: pick(services), Priority: p, Source: sources[rng.IntN(len(sources))]})
				case 4, 5:
					c, err = s.Next(now, k, staff)
				case 6:
					c, err = s.Recall(now, k, staff)
				case 7:
					c, err = s.Start(now, k, staff)
				case 8:
					c, err = s.Done(now, k, staff)
				case 9:
					c, err = s.NoShow(now, k, staff)
				case 10:
					r := TransferRequest{ToEnd: rng.IntN(2) == 0}
					if rng.IntN(2) == 0 {
						r.Service = pick(services)
					}
					if rng.IntN(3) == 0 {
						r.Counter = pick(counters)
					}
					c, err = s.Transfer(now, k, staff, r)
				case 11:
					c, err = s.CallNumber(now, k, staff, anyNumber())
				case 12:
					c, err = s.Open(now, k, staff)
				case 13:
					c, err = s.Pause(now, k, staff)
				case 14:
					c, err = s.Close(now, k, staff)
				case 15:
					c, err = s.Cancel(now, anyTicket(), "holder")
				case 16:
					c = s.Rollover(now)
				case 17:
					c, err = s.Reconfigure(now, configs[rng.IntN(len(configs))], "admin")
				}
				if e := unchanged(before, s.State); e != nil {
					t.Fatalf("step %d, op %d: %v", step, op, e)
				}
				if err != nil {
					if c != nil {
						t.Fatalf("step %d, op %d: a refused command returned a change", step, op)
					}
					if KindOf(err) == "" {
						t.Fatalf("step %d, op %d: error without a kind: %v", step, op, err)
					}
					refused++
					continue
				}
				if c == nil {
					continue
				}
				for _, e := range c.Events {
					seq++
					if e.Seq != seq {
						t.Fatalf("step %d, op %d: event %s has seq %d, want %d", step, op, e.Type, e.Seq, seq)
					}
					counts[e.Type]++
				}
				s.apply(c)
				applied++
				if s.Seq != seq {
					t.Fatalf("state seq %d, want %d", s.Seq, seq)
				}
				// The business day never goes back.
				if c.Day < before.Day {
					t.Fatalf("step %d: day went back from %s to %s", step, before.Day, c.Day)
				}
			}
			t.Logf("%d applied, %d refused, %d events", applied, refused, seq)
		})
	}
	// The sequences must have exercised the commands they claim to.
	for _, typ := range []EventType{EventTicketIssued, EventTicketCalled, EventTicketRecalled, EventTicketServing,
		EventTicketDone, EventTicketNoShow, EventTicketTransferred, EventTicketCancelled, EventTicketExpired,
		EventCounterOpened, EventCounterPaused, EventCounterClosed, EventDayRolled, EventConfigChanged} {
		if counts[typ] < 5 {
			t.Errorf("%d %s events in 8 × %d steps, want at least 5", counts[typ], typ, steps)
		}
	}
}
