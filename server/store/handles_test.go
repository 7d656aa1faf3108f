package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"luot/server/queue"
)

// TestRacingHandles: several handles on one database (as several server
// processes would be) issue tickets of one office at the same time, each
// from its own copy of the state, reloading it after a refusal. Commit's
// check of the office's last seq, made under the office's lock, lets
// exactly one writer of each seq through: every commit that succeeded is
// stored, the seq has no gap, no number is given twice, and the losers
// get ErrConflict, never a half-written change.
func TestRacingHandles(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		const handles, each = 4, 12
		var (
			mu     sync.Mutex
			issued []string
			wg     sync.WaitGroup
			errs   = make(chan error, handles)
		)
		for h := range handles {
			hdb := reopen(t, db)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; {
					s, err := hdb.LoadState(ctx, st.Office.ID)
					if err != nil {
						errs <- err
						return
					}
					tid := fmt.Sprintf("h%d-%02d", h, i)
					c, err := s.Issue(t0, issue(tid, "ho-tich"))
					if err != nil {
						errs <- err
						return
					}
					enc := make([]queue.EncodedEvent, len(c.Events))
					for j := range c.Events {
						if enc[j], err = c.Events[j].Encode(); err != nil {
							errs <- err
							return
						}
					}
					err = hdb.Commit(ctx, c, enc)
					switch {
					case err == nil:
						mu.Lock()
						issued = append(issued, tid)
						mu.Unlock()
						i++
					case errors.Is(err, ErrConflict):
						// Another handle took the seq: reload and try again.
					default:
						errs <- fmt.Errorf("handle %d: %w", h, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		got, err := db.LoadState(ctx, st.Office.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(issued) != handles*each || len(got.Tickets) != handles*each {
			t.Fatalf("%d commits acknowledged, %d tickets stored, want %d", len(issued), len(got.Tickets), handles*each)
		}
		numbers := map[int]string{}
		for _, id := range issued {
			tk := got.Tickets[id]
			if tk == nil {
				t.Fatalf("acknowledged ticket %s missing", id)
			}
			if prev, dup := numbers[tk.Number]; dup {
				t.Fatalf("number %d given to %s and %s", tk.Number, prev, id)
			}
			numbers[tk.Number] = id
		}
		var n, minSeq, maxSeq int64
		if err := db.r.QueryRowContext(ctx, `SELECT count(*), min(seq), max(seq) FROM events WHERE office = ?`, st.Office.ID).Scan(&n, &minSeq, &maxSeq); err != nil {
			t.Fatal(err)
		}
		if minSeq != 1 || maxSeq != n || maxSeq != got.Seq {
			t.Fatalf("events: %d of seq %d…%d, state seq %d: a gap or a stray", n, minSeq, maxSeq, got.Seq)
		}
	})
}
