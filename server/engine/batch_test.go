package engine_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

// gatedStore is the real store with a gate on commits: the first commit
// waits until the test opens the gate (so that a batch queues up behind
// it), it records the size of every commit, checks that nothing of a
// commit is visible before it returns, and can fail a chosen commit.
type gatedStore struct {
	*store.DB
	f *fixture

	mu      sync.Mutex
	sizes   []int
	entered chan struct{} // closed when the first commit starts
	release chan struct{} // the first commit waits for it
	failAt  int           // 1-based commit that fails (0: none)
	expect  map[int]int64 // the view's seq expected while commit k runs
	leaks   []string
}

var errDiskGone = errors.New("disk gone (test)")

func (g *gatedStore) gate(n int) error {
	g.mu.Lock()
	g.sizes = append(g.sizes, n)
	k := len(g.sizes)
	g.mu.Unlock()
	if k == 1 {
		close(g.entered)
		<-g.release
	}
	// Nothing of this commit may be visible yet.
	if v, _ := g.f.eng.View("hk"); v != nil {
		g.mu.Lock()
		if want, ok := g.expect[k]; ok && v.Seq != want {
			g.leaks = append(g.leaks, fmt.Sprintf("commit %d: view at seq %d before the commit returned", k, v.Seq))
		}
		g.mu.Unlock()
	}
	if k == g.failAt {
		return errDiskGone
	}
	return nil
}

func (g *gatedStore) Commit(ctx context.Context, c *queue.Change, ev []queue.EncodedEvent) error {
	if err := g.gate(1); err != nil {
		return err
	}
	return g.DB.Commit(ctx, c, ev)
}

func (g *gatedStore) CommitBatch(ctx context.Context, cs []*queue.Change, ev [][]queue.EncodedEvent) error {
	if err := g.gate(len(cs)); err != nil {
		return err
	}
	return g.DB.CommitBatch(ctx, cs, ev)
}

func newGated(t *testing.T, failAt int) (*fixture, *gatedStore) {
	f := newFixture(t)
	g := &gatedStore{DB: f.db, f: f, entered: make(chan struct{}), release: make(chan struct{}), failAt: failAt, expect: map[int]int64{}}
	f.eng = engine.New(g, f.hub, f.clock.now, nil)
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return f, g
}

// waitQueued waits (boundedly) until n commands of the office are queued.
func waitQueued(t *testing.T, e *engine.Engine, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for engine.QueueLen(e, "hk") < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d commands queued", engine.QueueLen(e, "hk"), n)
		}
		time.Sleep(time.Millisecond)
	}
}

type issued struct {
	t       *queue.Ticket
	created bool
	err     error
	at      time.Time
}

func TestGroupCommitBatchesQueuedCommandsAndAnswersAfterDurable(t *testing.T) {
	f, g := newGated(t, 0)
	sub := f.hub.Subscribe("hk")
	defer sub.Close()
	g.expect[1], g.expect[2] = 0, 1

	first := make(chan issued, 1)
	go func() {
		tk, c, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
		first <- issued{tk, c, err, time.Now()}
	}()
	<-g.entered
	// Ten more arrive while the first is on disk; two share a key.
	const n = 10
	out := make(chan issued, n)
	for i := range n {
		key := fmt.Sprintf("k%d", i)
		if i == 9 {
			key = "k0"
		}
		go func() {
			tk, c, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "c", Source: queue.SourceKiosk}, "kiosk:"+key)
			out <- issued{tk, c, err, time.Now()}
		}()
	}
	waitQueued(t, f.eng, n)
	select {
	case m := <-sub.C():
		t.Fatalf("event %s published before its commit", m.Msg)
	case r := <-first:
		t.Fatalf("first issue answered before its commit: %+v", r)
	default:
	}
	close(g.release)
	if r := <-first; r.err != nil {
		t.Fatal(r.err)
	}
	numbers := map[string]string{}
	createdK0 := 0
	for range n {
		r := <-out
		if r.err != nil {
			t.Fatal(r.err)
		}
		if prev, dup := numbers[r.t.Display]; dup && prev != r.t.ID {
			t.Fatalf("number %s given to %s and %s", r.t.Display, prev, r.t.ID)
		}
		numbers[r.t.Display] = r.t.ID
		if r.created {
			createdK0++
		}
	}
	if len(numbers) != n-1 || createdK0 != n-1 {
		t.Fatalf("%d numbers, %d created; want %d of each (one repeat of key k0)", len(numbers), createdK0, n-1)
	}
	g.mu.Lock()
	sizes, leaks := append([]int(nil), g.sizes...), g.leaks
	g.mu.Unlock()
	if len(sizes) != 2 || sizes[0] != 1 || sizes[1] != n-1 {
		t.Fatalf("commit sizes %v, want [1 %d]: the queued issues should share one transaction", sizes, n-1)
	}
	if len(leaks) > 0 {
		t.Fatal(leaks)
	}
	// The engine's figures say the same: two transactions, ten changes.
	if st := f.eng.Stats(); st.Batches != 2 || st.Changes != n || st.Busy < st.Commit+st.Forecast || st.Commit <= 0 {
		t.Fatalf("stats %+v, want 2 batches of %d changes, busy ≥ commit + forecast > 0", st, n)
	}
	// Events come in seq order without gaps, one per ticket.
	for want := int64(1); want <= n; want++ {
		m := <-sub.C()
		if m.Seq != want {
			t.Fatalf("event seq %d, want %d", m.Seq, want)
		}
	}
	v, _ := f.eng.View("hk")
	if v.Seq != n {
		t.Fatalf("view at seq %d, want %d", v.Seq, n)
	}
	// What is on disk is what was answered: a restart sees the same.
	e2 := engine.New(f.db, hub.New(0), f.clock.now, nil)
	if err := e2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	v2, _ := e2.View("hk")
	if v2.Seq != n || len(v2.Tickets) != n {
		t.Fatalf("after reload: seq %d, %d tickets; want %d and %d", v2.Seq, len(v2.Tickets), n, n)
	}
}

func TestFailedBatchChangesNothingAndFailsEveryRequest(t *testing.T) {
	f, g := newGated(t, 2)
	sub := f.hub.Subscribe("hk")
	defer sub.Close()
	g.expect[1], g.expect[2] = 0, 1
	first := make(chan error, 1)
	go func() {
		_, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
		first <- err
	}()
	<-g.entered
	const n = 6
	errs := make(chan error, n)
	for i := range n {
		go func() {
			if i%2 == 0 {
				_, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, fmt.Sprintf("key%d", i))
				errs <- err
				return
			}
			_, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q2", "nv2") })
			errs <- err
		}()
	}
	waitQueued(t, f.eng, n)
	close(g.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	failed := 0
	for range n {
		err := <-errs
		switch {
		case errors.Is(err, errDiskGone):
			failed++
		case queue.KindOf(err) != "":
			// The second and third "open q2" are refused by the domain
			// (already open in the batch's state): their own answer.
		default:
			t.Fatalf("a request of the failed batch got %v", err)
		}
	}
	if failed < n/2+1 {
		t.Fatalf("%d requests got the store's error; every issue and the first open should", failed)
	}
	// Nothing of the failed batch is visible: the view, the events, the
	// live state (the next number continues after A001).
	v, _ := f.eng.View("hk")
	if v.Seq != 1 || len(v.Tickets) != 1 || v.Counters["q2"].State != queue.CounterClosed {
		t.Fatalf("view after the failed batch: seq %d, %d tickets, q2 %s", v.Seq, len(v.Tickets), v.Counters["q2"].State)
	}
	if m := <-sub.C(); m.Seq != 1 {
		t.Fatalf("first event seq %d", m.Seq)
	}
	select {
	case m := <-sub.C():
		t.Fatalf("event %s of the failed batch was published", m.Msg)
	default:
	}
	if st := f.eng.Stats(); st.Batches != 1 || st.Changes != 1 {
		t.Fatalf("stats %+v: the failed batch is counted as committed", st)
	}
	g.mu.Lock()
	g.expect[3] = 1
	g.mu.Unlock()
	tk, created, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "key0")
	if err != nil || !created || tk.Display != "A002" {
		t.Fatalf("after the failed batch: %v created=%v err=%v, want a new A002 (the key was not kept)", tk, created, err)
	}
}

// TestBatchStampsEstimatesOnceEqualToAFullReplay queues issues and a call
// behind a commit on disk: the issues before the call are stamped with the
// forecast of the state after them (before the call copies one of them),
// the issue after it with the forecast at the end of the batch; what the
// store keeps and what the view shows are those stamped tickets, and they
// equal a full replay of the final state.
func TestBatchStampsEstimatesOnceEqualToAFullReplay(t *testing.T) {
	f, g := newGated(t, 0)
	g.expect[1], g.expect[2] = 0, 1
	opened := make(chan error, 1)
	go func() {
		_, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q2", "nv2") })
		opened <- err
	}()
	<-g.entered
	type result struct {
		name string
		t    *queue.Ticket
		err  error
	}
	out := make(chan result, 4)
	issue := func(name string) {
		go func() {
			tk, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "c", Source: queue.SourceKiosk}, "")
			out <- result{name, tk, err}
		}()
	}
	issue("A")
	waitQueued(t, f.eng, 1)
	issue("B")
	waitQueued(t, f.eng, 2)
	go func() {
		c, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q2", "nv2") })
		var tk *queue.Ticket
		if c != nil {
			tk = c.Ticket
		}
		out <- result{"next", tk, err}
	}()
	waitQueued(t, f.eng, 3)
	issue("C")
	waitQueued(t, f.eng, 4)
	close(g.release)
	if err := <-opened; err != nil {
		t.Fatal(err)
	}
	got := map[string]*queue.Ticket{}
	for range 4 {
		r := <-out
		if r.err != nil {
			t.Fatalf("%s: %v", r.name, r.err)
		}
		got[r.name] = r.t
	}
	g.mu.Lock()
	sizes := append([]int(nil), g.sizes...)
	g.mu.Unlock()
	if len(sizes) != 2 || sizes[1] != 4 {
		t.Fatalf("commit sizes %v, want [1 4]", sizes)
	}
	if got["next"].ID != got["A"].ID {
		t.Fatalf("next called %s, want A (%s)", got["next"].Display, got["A"].Display)
	}
	// q2 alone, 3 minutes a ticket: A and B stamped before the call (A at
	// once, B after A); C after the call, behind A being served and B.
	want := map[string]int{"A": 0, "next": 0, "B": 180, "C": 360}
	for name, w := range want {
		if got[name].EstimateSeconds != w {
			t.Errorf("%s (%s): estimate %d s in the answer, want %d", name, got[name].Display, got[name].EstimateSeconds, w)
		}
	}
	v, _ := f.eng.View("hk")
	full, viewed := estimates(t, v, v.Frozen().Estimate(v.At)), estimates(t, v, v.Estimates)
	if !maps.Equal(full, viewed) {
		t.Errorf("view's estimates %+v, full replay %+v", viewed, full)
	}
	for _, name := range []string{"B", "C"} {
		id := got[name].ID
		if v.Tickets[id] != got[name] || got[name].EstimateSeconds != full[id].Seconds() {
			t.Errorf("%s: answered %p (%d s), view %p, full replay %d s", name, got[name], got[name].EstimateSeconds, v.Tickets[id], full[id].Seconds())
		}
	}
	if v.Tickets[got["A"].ID].EstimateSeconds != 0 || v.Tickets[got["A"].ID].Status != queue.StatusCalled {
		t.Errorf("A in the view: %+v", v.Tickets[got["A"].ID])
	}
	// The store wrote the stamped tickets.
	for name, w := range want {
		st, err := f.db.Ticket(ctx, "hk", got[name].ID)
		if err != nil || st == nil || st.EstimateSeconds != w {
			t.Errorf("%s stored with estimate %v (err %v), want %d", name, st, err, w)
		}
	}
}

// TestRolloverInABatchExpiresStampedTickets: an issue, then midnight, then
// another issue in one batch; the rollover expires the first ticket, and
// what it expires (and the store keeps) is the ticket with its stamped
// estimate, not the issued copy still waiting for it.
func TestRolloverInABatchExpiresStampedTickets(t *testing.T) {
	f := newFixture(t)
	// A counter is open, so that the tickets have a known estimate.
	if _, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Open(now, "q1", "nv1")
	}); err != nil {
		t.Fatal(err)
	}
	midnight := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC) // 00:00 in Hà Nội
	var mu sync.Mutex
	now, step := t0, time.Duration(0)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
	g := &gatedStore{DB: f.db, f: f, entered: make(chan struct{}), release: make(chan struct{}), expect: map[int]int64{}}
	f.eng = engine.New(g, f.hub, clock, nil)
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() {
		_, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
		first <- err
	}()
	<-g.entered
	type res struct {
		t   *queue.Ticket
		err error
	}
	out := make(chan res, 2)
	for i := range 2 {
		go func() {
			tk, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "c", Source: queue.SourceKiosk}, "")
			out <- res{tk, err}
		}()
		waitQueued(t, f.eng, i+1)
	}
	// The next batch reads the clock three times (its start, then each
	// issue): 40 s apart, the first issue before midnight, the second after.
	mu.Lock()
	now, step = midnight.Add(-100*time.Second), 40*time.Second
	mu.Unlock()
	close(g.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	var got []*queue.Ticket
	for range 2 {
		r := <-out
		if r.err != nil {
			t.Fatal(r.err)
		}
		got = append(got, r.t)
	}
	var before *queue.Ticket
	for _, tk := range got {
		if tk.Day == "2026-11-27" {
			before = tk
		}
	}
	if before == nil {
		t.Fatalf("no ticket issued before midnight: %+v, %+v", got[0], got[1])
	}
	st, err := f.db.Ticket(ctx, "hk", before.ID)
	if err != nil || st == nil {
		t.Fatal(st, err)
	}
	if st.Status != queue.StatusExpired || st.EstimateSeconds < 0 || st.EstimateSeconds != before.EstimateSeconds {
		t.Fatalf("the ticket of the old day: stored %s with estimate %d s, answered with %d s; want expired with its stamped estimate", st.Status, st.EstimateSeconds, before.EstimateSeconds)
	}
}

// TestKeyCommittedWhileARepeatWaits: a kiosk's request is on disk when
// its retry (same key) arrives; the retry's own lookup finds nothing, so
// the leader must know the key from its commit — from its recent keys, or,
// when the retry's lookup is too old to trust, from the store — and answer
// the first ticket, not issue a second (which the store would refuse,
// failing the retry).
func TestKeyCommittedWhileARepeatWaits(t *testing.T) {
	for _, window := range []time.Duration{time.Minute, 0} {
		t.Run(fmt.Sprint("window ", window), func(t *testing.T) {
			f, g := newGated(t, 0)
			engine.SetKeyWindow(f.eng, window)
			first := make(chan issued, 1)
			go func() {
				tk, c, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "kiosk:k1")
				first <- issued{tk, c, err, time.Now()}
			}()
			<-g.entered
			retry := make(chan issued, 1)
			go func() {
				tk, c, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "kiosk:k1")
				retry <- issued{tk, c, err, time.Now()}
			}()
			waitQueued(t, f.eng, 1) // looked up (nothing yet) and queued
			close(g.release)
			a, b := <-first, <-retry
			if a.err != nil || b.err != nil || !a.created || b.created || b.t == nil || b.t.ID != a.t.ID {
				t.Fatalf("first %+v (created %v, %v), retry %+v (created %v, %v): want the retry to get the first ticket", a.t, a.created, a.err, b.t, b.created, b.err)
			}
			// A later repeat finds it by its own lookup.
			tk, created, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "kiosk:k1")
			if err != nil || created || tk.ID != a.t.ID {
				t.Fatalf("later repeat: %+v created %v err %v", tk, created, err)
			}
			if v, _ := f.eng.View("hk"); len(v.Tickets) != 1 {
				t.Fatalf("%d tickets, want 1", len(v.Tickets))
			}
		})
	}
}
