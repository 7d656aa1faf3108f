package queue

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchState is an office with 6 services and 8 counters (each serving a
// primary service and one or two secondary ones), all open, with 1,000
// waiting tickets issued over the morning, one in eight with priority.
func benchState(b *testing.B, waiting int) (*State, time.Time) {
	b.Helper()
	o := Office{ID: "bench", Name: "Bench", Timezone: DefaultTimezone, Hours: AlwaysOpen(), Policy: DefaultPolicy()}
	for i := range 6 {
		o.Services = append(o.Services, Service{
			ID: fmt.Sprint("s", i), Name: fmt.Sprint("Service ", i), Prefix: string(rune('A' + i)),
			DefaultMinutes: float64(5 + 3*i), Active: true,
		})
	}
	for i := range 8 {
		c := Counter{ID: fmt.Sprint("k", i), Number: i + 1, Services: []CounterService{
			{Service: fmt.Sprint("s", i%6)},
			{Service: fmt.Sprint("s", (i+1)%6), OffsetMinutes: 10},
		}}
		if i%2 == 0 {
			c.Services = append(c.Services, CounterService{Service: fmt.Sprint("s", (i+3)%6), OffsetMinutes: 30})
		}
		o.Counters = append(o.Counters, c)
	}
	if err := o.Validate(); err != nil {
		b.Fatal(err)
	}
	s := NewState(o, testDay)
	now := at("07:00")
	for _, k := range o.Counters {
		c, err := s.Open(now, k.ID, "nv")
		if err != nil {
			b.Fatal(err)
		}
		s.Apply(c)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	step := 30 * 1000 / waiting // seconds: the same day, whatever the size
	for i := range waiting {
		now = now.Add(time.Duration(rng.IntN(step)) * time.Second)
		p := PriorityNone
		if rng.IntN(8) == 0 {
			p = Priorities[rng.IntN(len(Priorities))]
		}
		c, err := s.Issue(now, IssueRequest{ID: fmt.Sprint("t", i), Token: "x", Service: fmt.Sprint("s", rng.IntN(6)), Priority: p, Source: SourceKiosk})
		if err != nil {
			b.Fatal(err)
		}
		s.Apply(c)
	}
	if n := len(s.Waiting()); n != waiting {
		b.Fatalf("%d waiting", n)
	}
	return s, now
}

// BenchmarkNextFor is the ordering rule: which of 1,000 waiting tickets a
// counter calls next (one op = one counter's choice).
func BenchmarkNextFor(b *testing.B) {
	s, _ := benchState(b, 1000)
	counters := s.Office.Counters
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if s.NextFor(&counters[i%len(counters)]) == nil {
			b.Fatal("nobody")
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/ticket")
}

// BenchmarkQueueFor is a clerk console's ordered list at the same size.
func BenchmarkQueueFor(b *testing.B) {
	s, _ := benchState(b, 1000)
	counters := s.Office.Counters
	b.ResetTimer()
	i := 0
	for b.Loop() {
		s.QueueFor(&counters[i%len(counters)])
		i++
	}
}

// BenchmarkEstimate is the wait-estimate replay of 1,000 waiting tickets
// over 8 open counters (one op = one forecast of every ticket), and of
// 20,000 (a rush far beyond a real office's, as the load tool's issue run
// makes: its tickets are scattered in memory, which the small case hides).
func BenchmarkEstimate(b *testing.B) {
	for _, n := range []int{1000, 20000} {
		b.Run(fmt.Sprint("waiting=", n), func(b *testing.B) {
			s, now := benchState(b, n)
			for b.Loop() {
				if e := s.Estimate(now); e.Len() != n {
					b.Fatalf("%d estimates", e.Len())
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replays/s")
		})
	}
}

// BenchmarkIssue is the Issue command (validation, number, and the
// estimate of the new ticket) with 1,000 waiting; the change is not applied.
func BenchmarkIssue(b *testing.B) {
	s, now := benchState(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Issue(now, IssueRequest{ID: "new", Token: "x", Service: "s3", Source: SourceKiosk}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}

// BenchmarkNext is the call-next command at the same size.
func BenchmarkNext(b *testing.B) {
	s, now := benchState(b, 1000)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.Next(now, fmt.Sprint("k", i%8), "nv"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkIssueBatch64 is what a group commit of 64 issues costs the
// domain with 1,000 waiting (one op = 64 tickets issued and applied on a
// copy of the state): "each" replays the whole line once per issue (Issue
// alone), "stamped" defers the estimates and stamps them with one replay
// (what the engine does).
func BenchmarkIssueBatch64(b *testing.B) {
	base, now := benchState(b, 1000)
	for _, deferred := range []bool{false, true} {
		name := "each"
		if deferred {
			name = "stamped"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := base.Clone()
				// The engine's live state has its waiting tickets indexed
				// (a clone has not): Apply indexes them.
				s.Apply(s.change(now))
				b.StartTimer()
				changes := make([]*Change, 0, 64)
				for i := range 64 {
					c, err := s.Issue(now, IssueRequest{ID: fmt.Sprint("n", i), Token: "x", Service: fmt.Sprint("s", i%6), Source: SourceKiosk, DeferEstimate: deferred})
					if err != nil {
						b.Fatal(err)
					}
					s.Apply(c)
					changes = append(changes, c)
				}
				if deferred {
					s.StampEstimates(now, changes)
				}
			}
		})
	}
}
