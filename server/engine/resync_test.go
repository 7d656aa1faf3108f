package engine_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/queue"
	"luot/server/store"
)

// lostStore is the real store behind a database connection the test can
// cut: "lost" makes the next commit durable and then reports the
// connection lost (the reply to COMMIT never came); "down" fails every
// commit and every reload as an unreachable database does.
type lostStore struct {
	*store.DB
	mu   sync.Mutex
	mode string // "", "lost" (next commit only) or "down"
}

func (s *lostStore) set(mode string) { s.mu.Lock(); s.mode = mode; s.mu.Unlock() }

func (s *lostStore) fault(commit func() error) error {
	s.mu.Lock()
	mode := s.mode
	if mode == "lost" {
		s.mode = ""
	}
	s.mu.Unlock()
	switch mode {
	case "lost":
		if err := commit(); err != nil {
			return err
		}
		return fmt.Errorf("%w: connection reset after COMMIT (test)", queue.ErrUnavailable)
	case "down":
		return fmt.Errorf("%w: connection refused (test)", queue.ErrUnavailable)
	}
	return commit()
}

func (s *lostStore) Commit(ctx context.Context, c *queue.Change, ev []queue.EncodedEvent) error {
	return s.fault(func() error { return s.DB.Commit(ctx, c, ev) })
}

func (s *lostStore) CommitBatch(ctx context.Context, cs []*queue.Change, ev [][]queue.EncodedEvent) error {
	return s.fault(func() error { return s.DB.CommitBatch(ctx, cs, ev) })
}

func (s *lostStore) LoadState(ctx context.Context, office string) (*queue.State, error) {
	s.mu.Lock()
	down := s.mode == "down"
	s.mu.Unlock()
	if down {
		return nil, fmt.Errorf("%w: connection refused (test)", queue.ErrUnavailable)
	}
	return s.DB.LoadState(ctx, office)
}

// TestCommitLostAfterItWasDurable: a commit whose reply is lost with the
// database (it was made durable, the engine was told it failed) is found
// again: while the database is down every change fails with
// ErrUnavailable and changes nothing; once it is back the engine reloads
// the office, so the next ticket takes the next number and seq (not the
// ones of the unacknowledged ticket), the followers get the unacknowledged
// ticket's event in its place, and a retry of its key returns it.
func TestCommitLostAfterItWasDurable(t *testing.T) {
	f := newFixture(t)
	ls := &lostStore{DB: f.db}
	f.eng = engine.New(ls, f.hub, f.clock.now, nil)
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	sub := f.hub.Subscribe("hk")
	defer sub.Close()
	a1 := f.issue(t, "a", "k1")

	ls.set("lost")
	if _, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "k2"); !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("issue whose reply was lost: %v, want ErrUnavailable", err)
	}
	ls.set("down")
	for range 2 {
		_, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "k3")
		if !errors.Is(err, queue.ErrUnavailable) {
			t.Fatalf("issue while the database is down: %v, want ErrUnavailable", err)
		}
	}
	if v, _ := f.eng.View("hk"); v.Seq != 1 {
		t.Fatalf("view at seq %d while down, want 1 (only what was acknowledged)", v.Seq)
	}
	ls.set("")
	a3 := f.issue(t, "a", "k3")
	if a1.Number != 1 || a3.Number != 3 {
		t.Fatalf("numbers %d and %d after a durable but unacknowledged ticket, want 1 and 3", a1.Number, a3.Number)
	}
	a2, created, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "k2")
	if err != nil || created || a2.Number != 2 {
		t.Fatalf("retry of the lost issue's key: %+v created %v, %v; want the stored ticket number 2", a2, created, err)
	}
	for want := int64(1); want <= 3; want++ {
		select {
		case m := <-sub.C():
			if seq, typ := seqOf(t, m.Msg); seq != want || m.Seq != want || typ != "ticket.issued" {
				t.Fatalf("event %d: seq %d (hub %d) %s", want, seq, m.Seq, typ)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event seq %d not published", want)
		}
	}
	if v, _ := f.eng.View("hk"); v.Seq != 3 || len(v.Tickets) != 3 {
		t.Fatalf("view: seq %d, %d tickets; want 3 and 3", v.Seq, len(v.Tickets))
	}
}
