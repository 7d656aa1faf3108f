package cluster_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"luot/internal/e2etest"
	"luot/internal/pgtest"
	"luot/server/cluster"
	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

func testOffice() queue.Office {
	return queue.Office{
		ID: "hk", Name: "Hoàn Kiếm", Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(),
		Policy:   queue.DefaultPolicy(),
		Services: []queue.Service{{ID: "a", Name: "Xây dựng", Prefix: "A", DefaultMinutes: 10, Active: true}},
		Counters: []queue.Counter{{ID: "q1", Number: 1, Services: []queue.CounterService{{Service: "a"}}}},
	}
}

// member is one process of the cluster, in this test binary: its own
// store connections, engine, hub and node.
type member struct {
	eng  *engine.Engine
	hub  *hub.Hub
	node *cluster.Node
	stop func() // ends its Run, as a process's shutdown does
}

func newMember(t *testing.T, url, advertise string, poll time.Duration) *member {
	t.Helper()
	db, err := store.OpenPostgres(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m := &member{hub: hub.New(0)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m.eng = engine.New(db, m.hub, time.Now, log)
	m.node, err = cluster.New(cluster.Config{URL: url, Advertise: advertise, Secret: "0123456789abcdef-secret", Poll: poll, Log: log}, m.eng)
	if err != nil {
		t.Fatal(err)
	}
	db.SetCommitHook(m.node.Hook())
	m.eng.FollowByDefault()
	if err := m.eng.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.node.Run(ctx); close(done) }()
	m.stop = func() { cancel(); <-done }
	t.Cleanup(m.stop)
	return m
}

func (m *member) issue(t *testing.T) (*queue.Ticket, error) {
	t.Helper()
	tk, _, err := m.eng.Issue(context.Background(), "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	return tk, err
}

// TestFenceRefusesTheStaleOwner: process a owns the office but loses its
// lock connection without noticing (its poll is an hour); b takes the
// office over. a's next commit is refused in its transaction — nothing
// written — and a becomes a follower; b continues the numbering, and a
// follows b's commits through NOTIFY.
func TestFenceRefusesTheStaleOwner(t *testing.T) {
	pg := pgtest.Get(t)
	url := pg.NewDatabase(t)
	ctx := context.Background()
	{
		db, err := store.OpenPostgres(url)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateOffice(ctx, testOffice(), time.Now()); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	a := newMember(t, url, "http://127.0.0.1:1", time.Hour)
	e2etest.WaitFor(t, 10*time.Second, "a to own the office", func() bool { return a.eng.Owns("hk") })
	b := newMember(t, url, "http://127.0.0.1:2", 20*time.Millisecond)
	subB := b.hub.Subscribe("hk")
	defer subB.Close()

	t1, err := a.issue(t)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.issue(t); !errors.Is(err, engine.ErrNotOwner) {
		t.Fatalf("issue on the follower: %v, want ErrNotOwner", err)
	}
	e2etest.WaitFor(t, 10*time.Second, "b to follow a's commit", func() bool {
		v, _ := b.eng.View("hk")
		return v.Seq == 1 && v.Tickets[t1.ID] != nil
	})
	select {
	case m := <-subB.C():
		if m.Seq != 1 {
			t.Fatalf("b's subscriber got seq %d, want 1", m.Seq)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("b's subscriber got no event")
	}

	// a's lock connection dies; PostgreSQL releases its locks.
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ExclusiveLock' AND granted`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("end a's lock connection: %d ended, %v", n, err)
	}
	e2etest.WaitFor(t, 10*time.Second, "b to take the office over", func() bool { return b.eng.Owns("hk") })
	if !a.eng.Owns("hk") {
		t.Fatal("a noticed the loss: the test needs it unaware")
	}
	_, err = a.issue(t)
	if !errors.Is(err, engine.ErrNotOwner) {
		t.Fatalf("the stale owner's issue: %v, want ErrNotOwner", err)
	}
	if a.eng.Owns("hk") {
		t.Fatal("the fenced process still owns the office")
	}
	t2, err := b.issue(t)
	if err != nil {
		t.Fatal(err)
	}
	if t1.Number != 1 || t2.Number != 2 {
		t.Fatalf("numbers %d then %d across the take-over, want 1 then 2", t1.Number, t2.Number)
	}
	e2etest.WaitFor(t, 10*time.Second, "a to follow b's commit", func() bool {
		v, _ := a.eng.View("hk")
		return v.Seq == 2 && v.Tickets[t2.ID] != nil
	})
	var events int
	if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE office = 'hk'`).Scan(&events); err != nil || events != 2 {
		t.Fatalf("%d events stored (%v), want 2: the fenced commit wrote nothing", events, err)
	}
}

// TestForwardChecksTheSecret: a request that says it was forwarded but
// carries the wrong secret is refused before the handler runs; with the
// right one it runs, and a read is never buffered or forwarded.
func TestForwardChecksTheSecret(t *testing.T) {
	n, err := cluster.New(cluster.Config{URL: "postgres://x/y", Advertise: "http://127.0.0.1:1", Secret: "0123456789abcdef-secret"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	srv := httptest.NewServer(n.Forward(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran++
		if r.Header.Get(cluster.ForwardedHeader) != "" {
			t.Error("the secret reached the handler")
		}
		io.WriteString(w, "ok")
	})))
	defer srv.Close()
	for _, c := range []struct {
		secret string
		status int
		ran    int
	}{{"wrong-secret-of-16+", http.StatusForbidden, 0}, {"0123456789abcdef-secret", http.StatusOK, 1}, {"", http.StatusOK, 2}} {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/offices/hk/tickets", strings.NewReader(`{}`))
		if c.secret != "" {
			req.Header.Set(cluster.ForwardedHeader, c.secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || ran != c.ran {
			t.Fatalf("secret %q: status %d, handler ran %d times; want %d and %d", c.secret, resp.StatusCode, ran, c.status, c.ran)
		}
	}
}

func TestConfigSaysWhatToFix(t *testing.T) {
	good := cluster.Config{URL: "postgres://h/luot", Advertise: "http://10.0.0.5:8080", Secret: "0123456789abcdef"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edit func(*cluster.Config)
		want string
	}{
		{func(c *cluster.Config) { c.URL = "" }, "-db postgres://"},
		{func(c *cluster.Config) { c.Advertise = "10.0.0.5:8080" }, "-advertise"},
		{func(c *cluster.Config) { c.Advertise = "http://10.0.0.5:8080/luot" }, "-advertise"},
		{func(c *cluster.Config) { c.Secret = "short" }, "-cluster-secret"},
	} {
		cfg := good
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %s", cfg, err, c.want)
		}
	}
}

// TestOfficesAreShared: a process alone owns both offices; a second one
// joins and gets one of them (handed over, the numbering continuing);
// when it stops, the first takes the office back.
func TestOfficesAreShared(t *testing.T) {
	pg := pgtest.Get(t)
	url := pg.NewDatabase(t)
	ctx := context.Background()
	{
		db, err := store.OpenPostgres(url)
		if err != nil {
			t.Fatal(err)
		}
		second := testOffice()
		second.ID, second.Name = "bd", "Ba Đình"
		for _, o := range []queue.Office{testOffice(), second} {
			if err := db.CreateOffice(ctx, o, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	owners := func(ms ...*member) string {
		var s []string
		for _, m := range ms {
			var own []string
			for _, id := range []string{"bd", "hk"} {
				if m.eng.Owns(id) {
					own = append(own, id)
				}
			}
			s = append(s, strings.Join(own, "+"))
		}
		return strings.Join(s, " | ")
	}
	a := newMember(t, url, "http://127.0.0.1:1", 20*time.Millisecond)
	e2etest.WaitFor(t, 10*time.Second, "a to own both offices", func() bool { return owners(a) == "bd+hk" })
	if _, _, err := a.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, ""); err != nil {
		t.Fatal(err)
	}
	b := newMember(t, url, "http://127.0.0.1:2", 20*time.Millisecond)
	e2etest.WaitFor(t, 10*time.Second, "one office each", func() bool {
		o := owners(a, b)
		return o == "bd | hk" || o == "hk | bd"
	})
	// hk's owner continues hk's numbering, whichever it is.
	m := a
	if b.eng.Owns("hk") {
		m = b
	}
	tk, _, err := m.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	if err != nil || tk.Number != 2 {
		t.Fatalf("hk's second ticket: %v %v, want number 2", tk, err)
	}
	b.stop()
	e2etest.WaitFor(t, 10*time.Second, "a to own both offices again", func() bool { return owners(a) == "bd+hk" })
	if owners(b) != "" {
		t.Fatalf("the stopped process still owns %s", owners(b))
	}
	tk, _, err = a.eng.Issue(ctx, "hk", queue.IssueRequest{Service: "a", Source: queue.SourceKiosk}, "")
	if err != nil || tk.Number != 3 {
		t.Fatalf("hk's third ticket: %v %v, want number 3", tk, err)
	}
}
