package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/notify"
	"luot/server/queue"
	"luot/server/store"
)

// noticeStore is the real store that also keeps the notices of every
// change it committed (in commit order), answers WatchedTickets from a
// list, can fail its next commit, and can hold its first commit until the
// test releases it (so that a batch queues up behind it).
type noticeStore struct {
	*store.DB
	watched []string

	mu       sync.Mutex
	notices  [][]notify.Notice // per committed change
	sizes    []int             // changes per commit
	failNext bool
	entered  chan struct{} // closed when a held first commit starts
	release  chan struct{} // nil: no hold
}

func (s *noticeStore) WatchedTickets(ctx context.Context, office string) ([]string, error) {
	return s.watched, nil
}

func (s *noticeStore) before(n int) error {
	s.mu.Lock()
	s.sizes = append(s.sizes, n)
	first := len(s.sizes) == 1
	fail := s.failNext
	s.failNext = false
	s.mu.Unlock()
	if first && s.release != nil {
		close(s.entered)
		<-s.release
	}
	if fail {
		return errDiskGone
	}
	return nil
}

func (s *noticeStore) after(cs ...*queue.Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cs {
		s.notices = append(s.notices, slices.Clone(c.Notices))
	}
}

func (s *noticeStore) Commit(ctx context.Context, c *queue.Change, ev []queue.EncodedEvent) error {
	if err := s.before(1); err != nil {
		return err
	}
	if err := s.DB.Commit(ctx, c, ev); err != nil {
		return err
	}
	s.after(c)
	return nil
}

func (s *noticeStore) CommitBatch(ctx context.Context, cs []*queue.Change, ev [][]queue.EncodedEvent) error {
	if err := s.before(len(cs)); err != nil {
		return err
	}
	if err := s.DB.CommitBatch(ctx, cs, ev); err != nil {
		return err
	}
	s.after(cs...)
	return nil
}

// take returns the keys of the notices committed since the last take, in
// order, with each key's kind and parameters for checks.
func (s *noticeStore) take() []notify.Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []notify.Notice
	for _, ns := range s.notices {
		out = append(out, ns...)
	}
	s.notices = nil
	return out
}

func keysOf(ns []notify.Notice) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Key
	}
	return out
}

// newNoticeFixture is the fixture on a noticeStore, with "near" at 3, the
// counter q2 (service c, 3 minutes) open and n tickets of c issued a
// minute apart; it returns them in order.
func newNoticeFixture(t *testing.T, n int, watched ...string) (*fixture, *noticeStore, []*queue.Ticket) {
	t.Helper()
	f := newFixture(t)
	ns := &noticeStore{DB: f.db, watched: watched}
	f.eng = engine.New(ns, f.hub, f.clock.now, nil)
	f.eng.SetNotify(notify.Config{Near: 3})
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q2", "nv2") })
	var tks []*queue.Ticket
	for i := range n {
		f.clock.set(t0.Add(time.Duration(i) * time.Minute))
		tks = append(tks, f.issue(t, "c", ""))
	}
	return f, ns, tks
}

// step moves the clock on a minute (past the call guard) and runs cmd.
func (f *fixture) step(t *testing.T, cmd engine.Command) *queue.Change {
	t.Helper()
	f.clock.set(f.clock.now().Add(time.Minute))
	return f.do(t, cmd)
}

func next(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q2", "nv2") }

func TestNoticesOnlyForWatchedTickets(t *testing.T) {
	f, ns, tks := newNoticeFixture(t, 7)
	if got := ns.take(); len(got) != 0 {
		t.Fatalf("notices with nobody watching: %v", keysOf(got))
	}
	C2, C7 := tks[1], tks[6]
	f.eng.Watch("hk", C2.ID)
	f.eng.Watch("hk", C7.ID)
	f.eng.Watch("hk", C7.ID) // twice is once
	f.eng.Watch("nowhere", C7.ID)

	// C001 called: C002 is 0 ahead (near), C007 5 ahead (not yet).
	c := f.step(t, next)
	got := ns.take()
	if want := []string{"ticket/" + C2.ID + "/near"}; !slices.Equal(keysOf(got), want) {
		t.Fatalf("after calling C001: notices %v, want %v", keysOf(got), want)
	}
	if n := got[0]; n.Kind != notify.TicketNear || n.Item != (notify.Item{Type: notify.ItemTicket, ID: C2.ID, Office: "hk"}) ||
		n.Params["number"] != "C002" || n.Params["ahead"] != "0" || !n.At.Equal(c.At) {
		t.Fatalf("near notice %+v", n)
	}

	// C002 called: its call (counter 2), and no second "near".
	c = f.step(t, next)
	got = ns.take()
	want := []string{fmt.Sprintf("ticket/%s/called/%d", C2.ID, c.Events[len(c.Events)-1].Seq)}
	if !slices.Equal(keysOf(got), want) || got[0].Kind != notify.TicketCalled || got[0].Params["counter"] != "2" || got[0].Params["number"] != "C002" {
		t.Fatalf("after calling C002: %+v, want %v", got, want)
	}

	// A recall is told again; a no-show is told as missed.
	c = f.step(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Recall(now, "q2", "nv2") })
	recall := fmt.Sprintf("ticket/%s/called/%d", C2.ID, c.Events[0].Seq)
	f.step(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.NoShow(now, "q2", "nv2") })
	got = ns.take()
	if want := []string{recall, "ticket/" + C2.ID + "/missed"}; !slices.Equal(keysOf(got), want) || got[1].Kind != notify.TicketMissed {
		t.Fatalf("recall and no-show: %v, want %v", keysOf(got), want)
	}

	// C003 called: C007 is 3 ahead — near, once.
	f.step(t, next)
	got = ns.take()
	if len(got) != 1 || got[0].Key != "ticket/"+C7.ID+"/near" || got[0].Params["ahead"] != "3" {
		t.Fatalf("C007 at 3 ahead: %+v", got)
	}
	f.step(t, next)
	if got := ns.take(); len(got) != 0 {
		t.Fatalf("C007 at 2 ahead, already told: %v", keysOf(got))
	}

	// The no-show C002 comes back: called by number, told again.
	c = f.step(t, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.CallNumber(now, "q2", "nv2", "C002")
	})
	got = ns.take()
	if want := []string{fmt.Sprintf("ticket/%s/called/%d", C2.ID, c.Events[len(c.Events)-1].Seq)}; !slices.Equal(keysOf(got), want) {
		t.Fatalf("C002 called again: %v, want %v", keysOf(got), want)
	}
	// Done: C002 is forgotten, C007 still followed.
	f.step(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Start(now, "q2", "nv2") })
	f.step(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Done(now, "q2", "nv2") })
	if w := engine.Watched(f.eng, "hk"); len(w) != 1 || !w[C7.ID] {
		t.Fatalf("followed after C002 is done: %v, want only C007 (told near)", w)
	}
}

func TestNearNoticeMadeAgainAfterAFailedCommit(t *testing.T) {
	f, ns, tks := newNoticeFixture(t, 5)
	C5 := tks[4]
	f.eng.Watch("hk", C5.ID) // 4 ahead
	f.step(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q2", "nv2") })
	if got := ns.take(); len(got) != 0 {
		t.Fatalf("C005 at 4 ahead: %v", keysOf(got))
	}
	// The call that brings C005 to 3 ahead fails to commit: C005 is not
	// marked told, and the call made again tells it.
	ns.mu.Lock()
	ns.failNext = true
	ns.mu.Unlock()
	f.clock.set(f.clock.now().Add(time.Minute))
	if _, err := f.eng.Do(ctx, "hk", next); !errors.Is(err, errDiskGone) {
		t.Fatalf("call with a failing store: %v", err)
	}
	if w := engine.Watched(f.eng, "hk"); w[C5.ID] {
		t.Fatal("C005 marked told by a failed commit")
	}
	f.step(t, next)
	if got := ns.take(); len(got) != 1 || got[0].Key != "ticket/"+C5.ID+"/near" || got[0].Params["ahead"] != "3" {
		t.Fatalf("after the failed commit: %+v, want C005's near at 3 ahead", got)
	}
	if w := engine.Watched(f.eng, "hk"); !w[C5.ID] {
		t.Fatal("C005 not marked told after its near notice was committed")
	}
}
func TestWatchedTicketsLoadedAtStart(t *testing.T) {
	f, _, tks := newNoticeFixture(t, 5)
	// A restart: the store says who follows C004 and C005.
	ns := &noticeStore{DB: f.db, watched: []string{tks[3].ID, tks[4].ID, "gone"}}
	eng := engine.New(ns, nil, f.clock.now, nil)
	eng.SetNotify(notify.Config{Near: 2})
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	f.step(t, next) // C004 2 ahead, C005 3
	got := ns.take()
	if want := []string{"ticket/" + tks[3].ID + "/near"}; !slices.Equal(keysOf(got), want) {
		t.Fatalf("after restart: %v, want %v", keysOf(got), want)
	}
	if w := engine.Watched(eng, "hk"); len(w) != 2 || w["gone"] {
		t.Fatalf("followed after the first change: %v (an unknown ticket is dropped)", w)
	}
}

// TestBatchNoticesPerChange queues commands behind a commit on disk:
// each change of the batch carries its own events' notices, and the near
// notices, from the forecast after the whole batch, ride on its last
// change.
func TestBatchNoticesPerChange(t *testing.T) {
	f, ns, tks := newNoticeFixture(t, 6)
	for _, tk := range tks {
		f.eng.Watch("hk", tk.ID)
	}
	ns.mu.Lock()
	ns.sizes, ns.notices, ns.entered, ns.release = nil, nil, make(chan struct{}), make(chan struct{})
	ns.mu.Unlock()
	f.clock.set(f.clock.now().Add(time.Minute))
	first := make(chan error, 1)
	var c0 *queue.Change
	go func() { var err error; c0, err = f.eng.Do(ctx, "hk", next); first <- err }() // C001 at q2
	<-ns.entered
	cmds := []engine.Command{
		func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q1", "nv1") },
		func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q1", "nv1") },   // C002 at q1
		func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Recall(now, "q2", "nv2") }, // C001 again
	}
	changes := make([]chan *queue.Change, len(cmds))
	for i, cmd := range cmds {
		changes[i] = make(chan *queue.Change, 1)
		go func() {
			c, err := f.eng.Do(ctx, "hk", cmd)
			if err != nil {
				t.Error(err)
			}
			changes[i] <- c
		}()
		waitQueued(t, f.eng, i+1)
	}
	close(ns.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	var cs []*queue.Change
	for i := range cmds {
		cs = append(cs, <-changes[i])
	}
	ns.mu.Lock()
	sizes, per := slices.Clone(ns.sizes), slices.Clone(ns.notices)
	ns.mu.Unlock()
	if !slices.Equal(sizes, []int{1, 3}) || len(per) != 4 {
		t.Fatalf("commits of %v changes, %d changes recorded; want [1 3], 4", sizes, len(per))
	}
	near := func(ids ...int) []string {
		var k []string
		for _, i := range ids {
			k = append(k, "ticket/"+tks[i].ID+"/near")
		}
		slices.Sort(k)
		return k
	}
	called := func(i int, c *queue.Change) string {
		return fmt.Sprintf("ticket/%s/called/%d", tks[i].ID, c.Events[len(c.Events)-1].Seq)
	}
	// Alone: C001 called, and C002…C005 at 0…3 ahead.
	if got, want := keysOf(per[0]), append([]string{called(0, c0)}, near(1, 2, 3, 4)...); !slices.Equal(got, want) {
		t.Fatalf("first commit: %v, want %v", got, want)
	}
	want := [][]string{
		nil,
		{called(1, cs[1])},
		append([]string{called(0, cs[2])}, near(5)...), // two counters: C006 is 3 ahead after the batch
	}
	for i, w := range want {
		if got := keysOf(per[i+1]); !slices.Equal(got, w) {
			t.Errorf("batch change %d: notices %v, want %v", i+1, got, w)
		}
	}
	if c := per[2][0]; c.Params["counter"] != "1" || c.Params["number"] != "C002" {
		t.Errorf("C002's call: %+v", c)
	}
}

// TestNoticesReachTheOutboxAcrossARestart runs on the store's own outbox:
// a ticket followed by SMS is told near and called; after a restart the
// engine finds it followed (WatchedTickets), and the near notice that
// the restarted engine makes again is the same message, kept once.
func TestNoticesReachTheOutboxAcrossARestart(t *testing.T) {
	f := newFixture(t)
	f.eng.SetNotify(notify.Config{Near: 3})
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q2", "nv2") })
	var tks []*queue.Ticket
	for range 6 {
		tks = append(tks, f.issue(t, "c", ""))
	}
	C6 := tks[5]
	item := notify.Item{Type: notify.ItemTicket, ID: C6.ID, Office: "hk"}
	if _, err := f.db.Subscribe(ctx, notify.Subscription{Item: item, Channel: notify.SMS, Lang: "vi", Phone: "+84912345678", Created: t0}); err != nil {
		t.Fatal(err)
	}
	f.eng.Watch("hk", C6.ID)
	claim := func() []string {
		t.Helper()
		ms, err := f.db.Claim(ctx, f.clock.now(), time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, m := range ms {
			if m.Sub.Phone != "+84912345678" || m.Notice.Item != item {
				t.Errorf("message %+v", m)
			}
			keys = append(keys, m.Notice.Key)
			if err := f.db.MarkSent(ctx, m.ID, f.clock.now()); err != nil {
				t.Fatal(err)
			}
		}
		return keys
	}
	f.step(t, next) // C006 4 ahead
	if got := claim(); len(got) != 0 {
		t.Fatalf("at 4 ahead: %v", got)
	}
	f.step(t, next) // 3 ahead
	if got := claim(); !slices.Equal(got, []string{"ticket/" + C6.ID + "/near"}) {
		t.Fatalf("at 3 ahead: %v", got)
	}

	eng := engine.New(f.db, nil, f.clock.now, nil)
	eng.SetNotify(notify.Config{Near: 3})
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	if w := engine.Watched(eng, "hk"); len(w) != 1 {
		t.Fatalf("followed after the restart: %v, want C006", w)
	}
	var last *queue.Change
	for range 4 { // C003 … C006
		last = f.step(t, next)
	}
	if last.Ticket == nil || last.Ticket.ID != C6.ID {
		t.Fatalf("called %v, want C006", last.Ticket)
	}
	want := fmt.Sprintf("ticket/%s/called/%d", C6.ID, last.Events[len(last.Events)-1].Seq)
	if got := claim(); !slices.Equal(got, []string{want}) {
		t.Fatalf("after the restart: %v, want only %s (near is kept once)", got, want)
	}
}
