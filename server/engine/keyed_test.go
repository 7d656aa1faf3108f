package engine_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
)

// keyed is a keyed command at q1 (open, or next); its answer is the
// ticket's id (204 when none), and made counts how often an answer was
// made — once per run of the command.
func keyed(action, key, request string, made *atomic.Int32) engine.Keyed {
	return engine.Keyed{
		Key: key, Request: request,
		Cmd: func(s *queue.State, now time.Time) (*queue.Change, error) {
			if action == "open" {
				return s.Open(now, "q1", "nv1")
			}
			return s.Next(now, "q1", "nv1")
		},
		Answer: func(s *queue.State, c *queue.Change) (int, []byte) {
			made.Add(1)
			if c.Ticket == nil {
				return 204, nil
			}
			return 200, []byte(c.Ticket.ID)
		},
	}
}

type keyedResult struct {
	rep      *queue.Reply
	replayed bool
	err      error
}

func (f *fixture) keyed(t *testing.T, k engine.Keyed) keyedResult {
	t.Helper()
	rep, replayed, err := f.eng.DoKeyed(ctx, "hk", k)
	return keyedResult{rep, replayed, err}
}

func mustSeq(t *testing.T, f *fixture) int64 {
	t.Helper()
	v, err := f.eng.View("hk")
	if err != nil {
		t.Fatal(err)
	}
	return v.Seq
}

// TestKeyedCommandRunsOnce: repeats of a key get the first reply and run
// nothing, also after a restart; a key with another request gets the
// kept reply too (the caller compares Request and refuses).
func TestKeyedCommandRunsOnce(t *testing.T) {
	f := newFixture(t)
	var made atomic.Int32
	if r := f.keyed(t, keyed("open", "staff:nv1:p0", "open", &made)); r.err != nil || r.replayed || r.rep.Status != 204 {
		t.Fatalf("open: %+v", r)
	}
	a1 := f.issue(t, "a", "")
	f.issue(t, "a", "")
	f.clock.set(t0.Add(time.Minute))
	r := f.keyed(t, keyed("next", "staff:nv1:p1", "next", &made))
	if r.err != nil || r.replayed || r.rep.Status != 200 || string(r.rep.Body) != a1.ID {
		t.Fatalf("first press: %+v", r)
	}
	seq := mustSeq(t, f)
	f.clock.set(t0.Add(time.Hour)) // past the call guard: a run would call a2
	for _, req := range []string{"next", "another"} {
		r := f.keyed(t, keyed("next", "staff:nv1:p1", req, &made))
		if r.err != nil || !r.replayed || string(r.rep.Body) != a1.ID || r.rep.Request != "next" {
			t.Fatalf("repeat (%s): %+v", req, r)
		}
	}
	if made.Load() != 2 || mustSeq(t, f) != seq {
		t.Fatalf("%d answers made, seq %d → %d: a repeat ran", made.Load(), seq, mustSeq(t, f))
	}
	// After a restart, from the store.
	f.eng = engine.New(f.db, hub.New(0), f.clock.now, nil)
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if r := f.keyed(t, keyed("next", "staff:nv1:p1", "next", &made)); r.err != nil || !r.replayed || string(r.rep.Body) != a1.ID {
		t.Fatalf("after a restart: %+v", r)
	}
	// Without a key, the command runs and its answer is not kept.
	if r := f.keyed(t, keyed("next", "", "next", &made)); r.err != nil || r.replayed || r.rep.Status != 200 || string(r.rep.Body) == a1.ID {
		t.Fatalf("unkeyed next: %+v", r)
	}
	if made.Load() != 3 {
		t.Fatalf("%d answers made, want 3", made.Load())
	}
}

// TestKeyedRepeatsWhileTheFirstIsOnDisk: a repeat that looked the key up
// before the first press was committed, and two presses with one key in
// one batch, each run the command once.
func TestKeyedRepeatsWhileTheFirstIsOnDisk(t *testing.T) {
	for _, window := range []time.Duration{time.Minute, 0} {
		t.Run(fmt.Sprint("window ", window), func(t *testing.T) {
			f, g := newGated(t, 0)
			engine.SetKeyWindow(f.eng, window)
			var made atomic.Int32
			first := make(chan keyedResult, 1)
			go func() { first <- f.keyed(t, keyed("open", "staff:nv1:p0", "open", &made)) }()
			<-g.entered
			out := make(chan keyedResult, 3)
			go func() { out <- f.keyed(t, keyed("open", "staff:nv1:p0", "open", &made)) }()
			waitQueued(t, f.eng, 1)
			for range 2 {
				go func() { out <- f.keyed(t, keyed("next", "staff:nv1:p1", "next", &made)) }()
			}
			waitQueued(t, f.eng, 3)
			close(g.release)
			if r := <-first; r.err != nil || r.replayed {
				t.Fatalf("first: %+v", r)
			}
			replayed := 0
			for range 3 {
				r := <-out
				if r.err != nil {
					t.Fatal(r.err)
				}
				if r.replayed {
					replayed++
				}
			}
			if replayed != 2 || made.Load() != 2 {
				t.Fatalf("%d replayed, %d answers made; want 2 and 2", replayed, made.Load())
			}
			g.mu.Lock()
			sizes := append([]int(nil), g.sizes...)
			g.mu.Unlock()
			if len(sizes) != 2 || sizes[0] != 1 || sizes[1] != 1 {
				t.Fatalf("commit sizes %v, want [1 1]", sizes)
			}
		})
	}
}

// TestKeyedCommandFailedCommitKeepsNothing: when the commit fails, the
// answer is not kept, and a retry with the key runs the command.
func TestKeyedCommandFailedCommitKeepsNothing(t *testing.T) {
	f, g := newGated(t, 1)
	close(g.release)
	var made atomic.Int32
	if r := f.keyed(t, keyed("open", "staff:nv1:p0", "open", &made)); !errors.Is(r.err, errDiskGone) || r.rep != nil {
		t.Fatalf("failed commit: %+v", r)
	}
	if r := f.keyed(t, keyed("open", "staff:nv1:p0", "open", &made)); r.err != nil || r.replayed || mustSeq(t, f) != 1 {
		t.Fatalf("retry: %+v", r)
	}
}
