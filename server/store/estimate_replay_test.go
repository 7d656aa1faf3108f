package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/queue"
)

// TestWaitEstimateReplay replays a simulated day — seeded random arrivals
// (busier mid-morning and mid-afternoon), priority citizens, and service
// times that differ from the configured defaults — through the real engine
// on this SQLite store, with counters that call the next ticket as soon as
// they are free. It reports, per hour of issue, the mean absolute error of
// the wait estimate printed on the ticket against the wait that followed
// (issue to call). It is a report, not a pass/fail: run it with -v.
func TestWaitEstimateReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated day")
	}
	db, _ := openDB(t)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, loc)
	o := testOffice(t)
	o.Counters = []queue.Counter{
		{ID: "q1", Number: 1, Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "ho-tich", OffsetMinutes: 10}}},
		{ID: "q2", Number: 2, Services: []queue.CounterService{{Service: "ho-tich"}}},
		{ID: "q3", Number: 3, Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "chung-thuc"}}},
		{ID: "q4", Number: 4, Services: []queue.CounterService{{Service: "chung-thuc"}, {Service: "xay-dung", OffsetMinutes: 5}}},
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateOffice(ctx, o, day.Add(7*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var now time.Time
	eng := engine.New(db, nil, func() time.Time { return now }, nil)
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(20261127, 7))
	// Arrivals per hour from 07:30; actual mean service minutes per service
	// (the configured defaults are 10, 5 and 3: the averages must learn).
	perHour := []float64{18, 30, 36, 28, 14, 8, 22, 30, 20}
	actual := map[string]float64{"xay-dung": 13, "ho-tich": 6, "chung-thuc": 3.5}
	services := []string{"xay-dung", "ho-tich", "ho-tich", "chung-thuc", "chung-thuc"}
	type arrival struct {
		at  time.Time
		svc string
		p   queue.Priority
	}
	var arrivals []arrival
	start := day.Add(7*time.Hour + 30*time.Minute)
	for h, rate := range perHour {
		t0 := start.Add(time.Duration(h) * time.Hour)
		for at := t0; ; {
			at = at.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Hour)))
			if at.Sub(t0) >= time.Hour {
				break
			}
			p := queue.PriorityNone
			if rng.Float64() < 0.1 {
				p = queue.PriorityElderly
			}
			arrivals = append(arrivals, arrival{at, services[rng.IntN(len(services))], p})
		}
	}
	do := func(cmd engine.Command) *queue.Change {
		t.Helper()
		c, err := eng.Do(context.Background(), o.ID, cmd)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	now = start
	busyUntil := map[string]time.Time{}
	for _, k := range o.Counters {
		do(func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, k.ID, "nv-"+k.ID) })
	}
	// callNext makes counter k call its next ticket (finishing the current).
	callNext := func(k string) {
		c := do(func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, k, "nv-"+k) })
		if c.Ticket == nil {
			delete(busyUntil, k)
			return
		}
		mean := actual[c.Ticket.Service]
		d := time.Duration(mean * math.Exp(rng.NormFloat64()*0.5-0.125) * float64(time.Minute))
		busyUntil[k] = now.Add(d)
	}
	next := 0
	for next < len(arrivals) || len(busyUntil) > 0 {
		// The next moment something happens: an arrival or a counter done.
		at, counter := time.Time{}, ""
		if next < len(arrivals) {
			at = arrivals[next].at
		}
		for _, k := range o.Counters {
			if u, ok := busyUntil[k.ID]; ok && (at.IsZero() || u.Before(at)) {
				at, counter = u, k.ID
			}
		}
		now = at
		if counter != "" {
			callNext(counter)
			continue
		}
		a := arrivals[next]
		next++
		if _, _, err := eng.Issue(context.Background(), o.ID, queue.IssueRequest{Service: a.svc, Priority: a.p, Source: queue.SourceKiosk}, ""); err != nil {
			t.Fatal(err)
		}
		for _, k := range o.Counters {
			if _, busy := busyUntil[k.ID]; !busy {
				callNext(k.ID)
			}
		}
	}

	v, _ := eng.View(o.ID)
	type acc struct {
		n            int
		abs, wait, e float64
	}
	byHour := map[int]*acc{}
	var all acc
	for _, tk := range v.Tickets {
		if tk.CalledAt.IsZero() || tk.EstimateSeconds < 0 {
			continue
		}
		h := tk.IssuedAt.In(loc).Hour()
		if byHour[h] == nil {
			byHour[h] = &acc{}
		}
		wait := tk.CalledAt.Sub(tk.IssuedAt).Minutes()
		est := float64(tk.EstimateSeconds) / 60
		for _, x := range []*acc{byHour[h], &all} {
			x.n++
			x.abs += math.Abs(est - wait)
			x.wait += wait
			x.e += est
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "wait estimate at issue vs actual wait (issue → call), %d tickets, seed 20261127\n", all.n)
	fmt.Fprintf(&b, "hour   tickets  mean wait  mean estimate  MAE (min)\n")
	for h := 0; h < 24; h++ {
		if x := byHour[h]; x != nil {
			fmt.Fprintf(&b, "%02d:00  %7d  %9.1f  %13.1f  %9.1f\n", h, x.n, x.wait/float64(x.n), x.e/float64(x.n), x.abs/float64(x.n))
		}
	}
	fmt.Fprintf(&b, "all    %7d  %9.1f  %13.1f  %9.1f", all.n, all.wait/float64(all.n), all.e/float64(all.n), all.abs/float64(all.n))
	t.Log("\n" + b.String())
	if all.n < len(arrivals) {
		t.Errorf("%d of %d tickets were called", all.n, len(arrivals))
	}
}
