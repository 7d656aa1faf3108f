package engine_test

import (
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
)

// TestClockJumpsAcrossMidnightAndBack moves the engine's clock (time is
// passed in) forward across local midnight, back across it, and back
// within the day, issuing and calling all along: numbers are never given
// twice on a business day, the day never goes back, and no wait estimate
// is negative — also after a restart from the store.
func TestClockJumpsAcrossMidnightAndBack(t *testing.T) {
	f := newFixture(t)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q1", "nv1") })
	steps := []time.Time{
		at(27, 23, 50), at(27, 23, 59), // the evening
		at(28, 0, 1), at(28, 0, 2), // across midnight: a new day
		at(27, 23, 58),             // back across midnight (NTP, a wrong RTC)
		at(28, 8, 0), at(28, 7, 0), // forward, then back within the day
		at(28, 6, 59), at(29, 0, 0), at(28, 23, 0),
	}
	type key struct{ day, number string }
	seen := map[key]string{}
	lastDay := ""
	for i, now := range steps {
		f.clock.set(now)
		for j := range 3 {
			tk := f.issue(t, []string{"a", "c"}[j%2], "")
			k := key{tk.Day, tk.Display}
			if prev, dup := seen[k]; dup {
				t.Fatalf("step %d (%s): number %s of day %s given to %s and %s", i, now, tk.Display, tk.Day, prev, tk.ID)
			}
			seen[k] = tk.ID
			if tk.Day < lastDay {
				t.Fatalf("step %d (%s): ticket of day %s after day %s", i, now, tk.Day, lastDay)
			}
			lastDay = tk.Day
			if tk.EstimateSeconds < 0 {
				t.Fatalf("step %d: negative estimate %d s for %s", i, tk.EstimateSeconds, tk.Display)
			}
		}
		if _, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q1", "nv1") }); err != nil && queue.KindOf(err) == "" {
			t.Fatalf("step %d: next: %v", i, err)
		}
		f.eng.Tick(ctx)
		checkEstimates(t, f.eng, i)
	}
	// A restart on the same store sees the same day and continues numbering.
	e2 := engine.New(f.db, hub.New(0), f.clock.now, nil)
	if err := e2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	checkEstimates(t, e2, -1)
	tk, _, err := e2.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	if err != nil {
		t.Fatal(err)
	}
	if prev, dup := seen[key{tk.Day, tk.Display}]; dup {
		t.Fatalf("after restart: number %s of %s given again (was %s)", tk.Display, tk.Day, prev)
	}
}

func checkEstimates(t *testing.T, e *engine.Engine, step int) {
	t.Helper()
	v, err := e.View("hk")
	if err != nil {
		t.Fatal(err)
	}
	for id, est := range estimates(t, v, v.Estimates) {
		if est.Seconds() < 0 || est.Ahead < 0 {
			t.Fatalf("step %d: ticket %s has estimate %d s, %d ahead", step, id, est.Seconds(), est.Ahead)
		}
	}
}
