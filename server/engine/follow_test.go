package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

// lease is the test's stand-in for the cluster's lease row: which process
// owns office hk. Each process's store checks it in its commit's
// transaction, as server/cluster does on PostgreSQL.
type lease struct {
	mu    sync.Mutex
	owner string
}

func (l *lease) set(p string) { l.mu.Lock(); l.owner = p; l.mu.Unlock() }

func (l *lease) fence(process string) store.CommitHook {
	return func(_ context.Context, _ *sql.Tx, office string, _ int64) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.owner != process {
			return fmt.Errorf("office %s is owned by %s: %w", office, l.owner, engine.ErrNotOwner)
		}
		return nil
	}
}

// process is one server process: its own store handle on the shared
// database, its engine and its hub.
type process struct {
	eng *engine.Engine
	hub *hub.Hub
}

func newProcess(t *testing.T, f *fixture, name string, l *lease, follow bool) *process {
	t.Helper()
	db, err := store.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetCommitHook(l.fence(name))
	p := &process{hub: hub.New(0)}
	p.eng = engine.New(db, p.hub, f.clock.now, nil)
	if follow {
		p.eng.FollowByDefault()
	}
	if err := p.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return p
}

// drain reads the n events a subscription must already hold.
func drain(t *testing.T, sub *hub.Sub, n int) []hub.Message {
	t.Helper()
	var out []hub.Message
	for len(out) < n {
		select {
		case m := <-sub.C():
			out = append(out, m)
		case <-time.After(5 * time.Second):
			t.Fatalf("got %d events, want %d", len(out), n)
		}
	}
	select {
	case m := <-sub.C():
		t.Fatalf("an event more than the %d expected: seq %d", n, m.Seq)
	default:
	}
	return out
}

func TestFollowerServesTheOwnersCommitsAndTakesOver(t *testing.T) {
	f := newFixture(t)
	l := &lease{owner: "a"}
	a := newProcess(t, f, "a", l, false)
	b := newProcess(t, f, "b", l, true)
	if !a.eng.Owns("hk") || b.eng.Owns("hk") {
		t.Fatalf("owns: a %v b %v, want a only", a.eng.Owns("hk"), b.eng.Owns("hk"))
	}
	subA, subB := a.hub.Subscribe("hk"), b.hub.Subscribe("hk")
	defer subA.Close()
	defer subB.Close()

	var numbers []int
	for range 3 {
		tk, _, err := a.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, tk.Number)
	}
	// A command reaching the follower is refused, and changes nothing.
	_, _, err := b.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	var noe *engine.NotOwnerError
	if !errors.As(err, &noe) || noe.Office != "hk" || !errors.Is(err, engine.ErrNotOwner) {
		t.Fatalf("issue on the follower: %v, want a NotOwnerError of hk", err)
	}

	if err := b.eng.Catchup(ctx, "hk"); err != nil {
		t.Fatal(err)
	}
	va, _ := a.eng.View("hk")
	vb, _ := b.eng.View("hk")
	if vb.Seq != va.Seq || len(vb.Tickets) != 3 {
		t.Fatalf("follower's view: seq %d with %d tickets, want seq %d with 3", vb.Seq, len(vb.Tickets), va.Seq)
	}
	got, want := drain(t, subB, int(va.Seq)), drain(t, subA, int(va.Seq))
	for i := range want {
		if got[i].Seq != want[i].Seq || string(got[i].Msg) != string(want[i].Msg) || string(got[i].Staff) != string(want[i].Staff) {
			t.Fatalf("follower's event %d: seq %d %s, want the owner's seq %d %s", i, got[i].Seq, got[i].Msg, want[i].Seq, want[i].Msg)
		}
	}
	// Nothing new: a catch-up publishes nothing.
	if err := b.eng.Catchup(ctx, "hk"); err != nil {
		t.Fatal(err)
	}
	drain(t, subB, 0)

	// b takes the office over; a does not know yet.
	l.set("b")
	if err := b.eng.Own(ctx, "hk"); err != nil {
		t.Fatal(err)
	}
	tk, _, err := b.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Number != 4 || numbers[2] != 3 {
		t.Fatalf("numbers %v then %d on the new owner, want 1–3 then 4", numbers, tk.Number)
	}
	// The stale owner's commit is fenced: refused, nothing written, and
	// it becomes a follower.
	_, _, err = a.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	if !errors.Is(err, engine.ErrNotOwner) {
		t.Fatalf("issue on the stale owner: %v, want ErrNotOwner", err)
	}
	if a.eng.Owns("hk") {
		t.Fatal("the fenced owner still owns the office")
	}
	if err := a.eng.Catchup(ctx, "hk"); err != nil {
		t.Fatal(err)
	}
	va, _ = a.eng.View("hk")
	vb, _ = b.eng.View("hk")
	if va.Seq != vb.Seq || len(va.Tickets) != 4 || va.Tickets[tk.ID] == nil {
		t.Fatalf("old owner after catch-up: seq %d, %d tickets; want seq %d and the new owner's 4", va.Seq, len(va.Tickets), vb.Seq)
	}
	numbersSeen := map[int]bool{}
	for _, t2 := range va.Tickets {
		if numbersSeen[t2.Number] {
			t.Fatalf("number %d used twice", t2.Number)
		}
		numbersSeen[t2.Number] = true
	}
	// a's subscribers got b's event, once, after its own.
	evs := drain(t, subA, 1)
	if evs[0].Seq != vb.Seq {
		t.Fatalf("old owner's subscribers got seq %d, want %d", evs[0].Seq, vb.Seq)
	}
}
