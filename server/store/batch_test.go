package store

import (
	"testing"
	"time"

	"luot/server/queue"
)

// TestCommitBatch writes several changes in one transaction, checked
// against the office's position as each leaves it, and refuses, writing
// nothing, a batch with a change out of step or of another office.
func TestCommitBatch(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		// run issues n tickets on a copy of st and returns the changes and
		// their encodings, as the engine's leader queues them.
		run := func(from *queue.State, n int, first int) (*queue.State, []*queue.Change, [][]queue.EncodedEvent) {
			s := from.Clone()
			var cs []*queue.Change
			var evs [][]queue.EncodedEvent
			for i := range n {
				c, err := s.Issue(t0.Add(time.Duration(first+i)*time.Second), issue(id(first+i), "ho-tich"))
				if err != nil {
					t.Fatal(err)
				}
				s.Apply(c)
				cs, evs = append(cs, c), append(evs, encode(t, c))
			}
			return s, cs, evs
		}
		after, cs, evs := run(st, 3, 0)
		if err := db.CommitBatch(ctx, cs, evs); err != nil {
			t.Fatal(err)
		}
		st = after
		got := storedSame(t, db, st)
		if got.Seq != 3 || got.Order != 3 || len(got.Tickets) != 3 {
			t.Fatalf("after the batch: seq %d, order %d, %d tickets; want 3, 3, 3", got.Seq, got.Order, len(got.Tickets))
		}

		// The second change of a batch repeats the first's seq.
		_, cs, evs = run(st, 2, 3)
		cs[1].Events[0].Seq = cs[0].Events[0].Seq
		mustErrIs(t, db.CommitBatch(ctx, cs, evs), ErrConflict)

		// A change of another office in the batch.
		_, cs, evs = run(st, 2, 3)
		cs[1].Office = "elsewhere"
		mustErrIs(t, db.CommitBatch(ctx, cs, evs), ErrConflict)

		// Neither wrote anything; the next good batch continues from 3.
		storedSame(t, db, st)
		after, cs, evs = run(st, 2, 3)
		if err := db.CommitBatch(ctx, cs, evs); err != nil {
			t.Fatal(err)
		}
		if got := storedSame(t, db, after); got.Seq != 5 || got.Order != 5 {
			t.Fatalf("after the second batch: seq %d, order %d; want 5, 5", got.Seq, got.Order)
		}
	})
}
