package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"path/filepath"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

var ctx = context.Background()

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func office() queue.Office {
	return queue.Office{
		ID: "hk", Name: "Hoàn Kiếm", Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(),
		Policy: queue.DefaultPolicy(),
		Services: []queue.Service{
			{ID: "a", Name: "Xây dựng", Prefix: "A", DefaultMinutes: 10, Active: true},
			{ID: "c", Name: "Chứng thực", Prefix: "C", DefaultMinutes: 3, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Services: []queue.CounterService{{Service: "a"}, {Service: "c", OffsetMinutes: 10}}},
			{ID: "q2", Number: 2, Services: []queue.CounterService{{Service: "c"}}},
		},
	}
}

type fixture struct {
	db    *store.DB
	path  string
	hub   *hub.Hub
	eng   *engine.Engine
	clock *clock
}

// 08:00 in Hà Nội.
var t0 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "luot.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.CreateOffice(ctx, office(), t0); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, path: path, hub: hub.New(0), clock: &clock{t: t0}}
	f.eng = engine.New(db, f.hub, f.clock.now, nil)
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) issue(t *testing.T, service, key string) *queue.Ticket {
	t.Helper()
	tk, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: service, Source: queue.SourceKiosk}, key)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (f *fixture) do(t *testing.T, cmd engine.Command) *queue.Change {
	t.Helper()
	c, err := f.eng.Do(ctx, "hk", cmd)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func seqOf(t *testing.T, msg []byte) (int64, string) {
	var e struct {
		Seq  int64  `json:"seq"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(msg, &e); err != nil {
		t.Fatal(err)
	}
	return e.Seq, e.Type
}

func TestCommandsPublishInOrderAndUpdateTheView(t *testing.T) {
	f := newFixture(t)
	sub := f.hub.Subscribe("hk")
	defer sub.Close()
	a1 := f.issue(t, "a", "")
	f.clock.set(t0.Add(time.Minute))
	c1 := f.issue(t, "c", "")
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q1", "nv1") })
	c := f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q1", "nv1") })
	if c.Ticket == nil || c.Ticket.ID != a1.ID {
		t.Fatalf("q1 called %v, want %s (its primary service)", c.Ticket, a1.Display)
	}
	want := []string{"ticket.issued", "ticket.issued", "counter.opened", "ticket.called"}
	for i, typ := range want {
		select {
		case m := <-sub.C():
			seq, got := seqOf(t, m.Msg)
			if seq != int64(i+1) || m.Seq != seq || got != typ {
				t.Fatalf("event %d: seq %d (hub %d) type %s, want seq %d %s", i, seq, m.Seq, got, i+1, typ)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d (%s) not published", i, typ)
		}
	}
	v, err := f.eng.View("hk")
	if err != nil {
		t.Fatal(err)
	}
	if v.Seq != 4 || v.Tickets[a1.ID].Status != queue.StatusCalled || v.Snapshot().Waiting["c"] != 1 {
		t.Fatalf("view: seq %d, A001 %s, waiting %v", v.Seq, v.Tickets[a1.ID].Status, v.Snapshot().Waiting)
	}
	if e, _ := v.Estimates.Of(v.Tickets[c1.ID]); !e.Known || e.Ahead != 0 {
		t.Fatalf("estimate of C001 = %+v", e)
	}
	if q := v.Queue("q2"); len(q) != 1 || q[0].ID != c1.ID {
		t.Fatalf("q2's queue = %v", q)
	}
	var snap struct {
		Seq  int64          `json:"seq"`
		Type string         `json:"type"`
		Data queue.Snapshot `json:"data"`
	}
	msg, err := v.SnapshotEvent()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(msg, &snap); err != nil || snap.Type != "snapshot" || snap.Seq != 4 || snap.Data.Seq != 4 {
		t.Fatalf("snapshot event %s: %v", msg, err)
	}
}

func TestViewsAreImmutable(t *testing.T) {
	f := newFixture(t)
	f.issue(t, "a", "")
	before, _ := f.eng.View("hk")
	n, waiting := len(before.Tickets), before.Snapshot().Waiting["a"]
	f.issue(t, "a", "")
	f.issue(t, "c", "")
	if len(before.Tickets) != n || before.Snapshot().Waiting["a"] != waiting || len(before.Queue("q1")) != 1 {
		t.Fatalf("an old view changed: %d tickets, %d waiting, queue %d", len(before.Tickets), before.Snapshot().Waiting["a"], len(before.Queue("q1")))
	}
	after, _ := f.eng.View("hk")
	if len(after.Tickets) != 3 || len(after.Queue("q1")) != 3 {
		t.Fatalf("new view: %d tickets, q1 queue %d", len(after.Tickets), len(after.Queue("q1")))
	}
}

func TestIssueEstimateIsTheViewsEstimate(t *testing.T) {
	f := newFixture(t)
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q2", "nv2") })
	var last *queue.Ticket
	for range 5 {
		last = f.issue(t, "c", "")
	}
	v, _ := f.eng.View("hk")
	e, _ := v.Estimates.Of(last)
	// One counter, 3-minute average: the fifth waits 4 × 3 minutes.
	if e.Seconds() != 12*60 || last.EstimateSeconds != 12*60 || e.Ahead != 4 {
		t.Fatalf("fifth ticket: view %+v, stored %d s", e, last.EstimateSeconds)
	}
}

func TestIdempotencyKeyGivesTheSameTicket(t *testing.T) {
	f := newFixture(t)
	first, created, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "kiosk-1:tap-42")
	if err != nil || !created {
		t.Fatal(created, err)
	}
	again, created, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "kiosk-1:tap-42")
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("repeat made %v (created %v, err %v), want ticket %s again", again, created, err, first.ID)
	}
	// Also after a restart, from the store.
	f.clock.set(t0.Add(24 * time.Hour)) // next day: the ticket has left memory
	f.eng.Tick(ctx)
	eng2 := engine.New(f.db, nil, f.clock.now, nil)
	if err := eng2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	third, created, err := eng2.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "kiosk-1:tap-42")
	if err != nil || created || third.ID != first.ID {
		t.Fatalf("after restart the repeat made %v (created %v, err %v)", third, created, err)
	}
}

func TestFailedCommitChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.issue(t, "a", "")
	before, _ := f.eng.View("hk")
	sub := f.hub.Subscribe("hk")
	defer sub.Close()
	f.db.Close() // the disk is gone
	_, _, err := f.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	if err == nil {
		t.Fatal("issue succeeded without a store")
	}
	if queue.KindOf(err) != "" {
		t.Fatalf("a store failure must not look like a domain refusal: %v", err)
	}
	after, _ := f.eng.View("hk")
	if after != before {
		t.Fatal("the view changed although nothing was committed")
	}
	select {
	case m := <-sub.C():
		t.Fatalf("event %s published although nothing was committed", m.Msg)
	default:
	}
}

func TestDomainRefusalIsReturnedAsIs(t *testing.T) {
	f := newFixture(t)
	_, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q1", "nv1") })
	if !errors.Is(err, queue.ErrCounterPaused) {
		t.Fatalf("next at a closed counter: %v", err)
	}
	if _, err := f.eng.View("nope"); queue.KindOf(err) != queue.KindNotFound {
		t.Fatalf("unknown office: %v", err)
	}
}

func TestTickRollsOverAtLocalMidnight(t *testing.T) {
	f := newFixture(t)
	a := f.issue(t, "a", "")
	sub := f.hub.Subscribe("hk")
	defer sub.Close()
	f.clock.set(time.Date(2026, 11, 27, 16, 59, 59, 0, time.UTC))
	f.eng.Tick(ctx)
	if v, _ := f.eng.View("hk"); v.Day != "2026-11-27" {
		t.Fatalf("rolled over before midnight: day %s", v.Day)
	}
	f.clock.set(time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)) // 00:00 in Hà Nội
	f.eng.Tick(ctx)
	v, _ := f.eng.View("hk")
	if v.Day != "2026-11-28" || v.Snapshot().Waiting["a"] != 0 {
		t.Fatalf("after midnight: day %s, waiting %v", v.Day, v.Snapshot().Waiting)
	}
	var types []string
	for len(types) < 2 {
		select {
		case m := <-sub.C():
			_, typ := seqOf(t, m.Msg)
			types = append(types, typ)
		case <-time.After(5 * time.Second):
			t.Fatalf("rollover events: %v", types)
		}
	}
	if types[0] != "ticket.expired" || types[1] != "day.rolled" {
		t.Fatalf("rollover events %v", types)
	}
	stored, err := f.db.Ticket(ctx, "hk", a.ID)
	if err != nil || stored.Status != queue.StatusExpired {
		t.Fatalf("stored ticket %v, %v", stored, err)
	}
	b := f.issue(t, "a", "")
	if b.Display != "A001" || b.Day != "2026-11-28" {
		t.Fatalf("first ticket of the new day is %s of %s", b.Display, b.Day)
	}
}

func TestReloadGivesTheSameView(t *testing.T) {
	f := newFixture(t)
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, "q1", "nv1") })
	for range 4 {
		f.issue(t, "a", "")
		f.issue(t, "c", "")
	}
	f.do(t, func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, "q1", "nv1") })
	v1, _ := f.eng.View("hk")
	eng2 := engine.New(f.db, nil, f.clock.now, nil)
	if err := eng2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	v2, _ := eng2.View("hk")
	m1, err1 := v1.SnapshotEvent()
	m2, err2 := v2.SnapshotEvent()
	if err1 != nil || err2 != nil || string(m1) != string(m2) {
		t.Fatalf("snapshot after reload differs:\n%s\n%s (%v, %v)", m1, m2, err1, err2)
	}
	if e1, e2 := estimates(t, v1, v1.Estimates), estimates(t, v2, v2.Estimates); len(e1) == 0 || !maps.Equal(e1, e2) {
		t.Fatalf("estimates after reload %+v, before %+v", e2, e1)
	}
}

// estimates returns a forecast of a view's state as a map by ticket id. It
// fails the test if the forecast holds estimates of tickets the view does
// not have.
func estimates(t *testing.T, v *engine.View, f *queue.Forecast) map[string]queue.Estimate {
	t.Helper()
	m := map[string]queue.Estimate{}
	for id, tk := range v.Tickets {
		if e, ok := f.Of(tk); ok {
			m[id] = e
		}
	}
	if len(m) != f.Len() {
		t.Fatalf("the forecast has %d estimates, of which %d are of the view's tickets", f.Len(), len(m))
	}
	return m
}
