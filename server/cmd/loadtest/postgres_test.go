package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/internal/pgtest"
)

// TestMain stops the private PostgreSQL cluster of the tests (pgtest)
// and removes the server binary they built (e2etest).
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Shutdown()
	e2etest.Cleanup()
	os.Exit(code)
}

// testDatabase is a fresh database on the tests' private cluster.
func testDatabase(t *testing.T) string { return pgtest.Get(t).NewDatabase(t) }

// TestCheckDBURL: the tool measures databases on this machine only.
func TestCheckDBURL(t *testing.T) {
	for _, ok := range []string{
		"postgres:///postgres?host=/tmp/pg&user=postgres",
		"postgres://postgres@127.0.0.1:5432/postgres",
		"postgresql://postgres@localhost/postgres",
		"postgres:///postgres",
	} {
		if err := checkDBURL(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"postgres://luot:secret@192.0.2.10:5432/luot",
		"postgres:///luot?host=/tmp/pg,192.0.2.10",
		"mysql://root@127.0.0.1/luot",
		"127.0.0.1:5432",
		"",
	} {
		err := checkDBURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the password: %v", bad, err)
		}
	}
}

// TestRawCommitRatePG: single-row transactions on a real cluster, with
// synchronous_commit=on and fsync=on reported, and the table removed.
func TestRawCommitRatePG(t *testing.T) {
	url := testDatabase(t)
	rate, set, err := rawCommitRatePG(context.Background(), url, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if rate <= 0 {
		t.Fatalf("rate %v", rate)
	}
	for _, want := range []string{"synchronous_commit=on", "fsync=on", "wal_sync_method="} {
		if !strings.Contains(set, want) {
			t.Errorf("settings %q lack %q", set, want)
		}
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left bool
	if err := db.QueryRow(`SELECT to_regclass('luot_raw_commit') IS NOT NULL`).Scan(&left); err != nil || left {
		t.Fatalf("table left behind: %v %v", left, err)
	}
	t.Logf("%.0f durable commits/s; %s", rate, set)
}

// TestFreshDatabaseIsDropped: a run's database exists while the run
// lasts and is dropped afterwards, even with a connection left open (a
// killed server's).
func TestFreshDatabaseIsDropped(t *testing.T) {
	admin := pgtest.Get(t).URL("postgres")
	ctx := context.Background()
	u, drop, err := freshDatabase(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	name := u[strings.LastIndex(u, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	leftOpen, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer leftOpen.Close()
	if err := leftOpen.Ping(); err != nil {
		t.Fatalf("the fresh database %s: %v", name, err)
	}
	drop()
	a, _ := sql.Open("pgx", admin)
	defer a.Close()
	var n int
	if err := a.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil || n != 0 {
		t.Fatalf("database %s still there (%d, %v)", name, n, err)
	}
}

// TestSideBySide: one row per database, each issue rate against its own
// raw rate, and what each raw rate measured.
func TestSideBySide(t *testing.T) {
	mk := func(backend string, issued int64, raw float64) *results {
		rec := newRecorder()
		rec.ok("kiosk", 10*time.Millisecond, 201)
		rec.fail("kiosk", 40*time.Millisecond, 503, "503 database_unavailable")
		return &results{mode: "issue", backend: backend, rec: rec, elapsed: 10 * time.Second, issued: issued, raw: raw, rawWhat: "raw " + backend, cpu: 50, peakRSS: 64 << 20}
	}
	var b strings.Builder
	printSideBySide(&b, []*results{mk("sqlite", 6000, 3000), mk("postgres", 2000, 400)})
	out := b.String()
	for _, want := range []string{"SQLite", "PostgreSQL", "600.0", "3000", "20%", "200.0", "400", "50%", "40.0 ms", "SQLite: raw sqlite", "PostgreSQL: raw postgres", "64.0 MB"} {
		if !strings.Contains(out, want) {
			t.Errorf("side by side lacks %q:\n%s", want, out)
		}
	}
	t.Log("\n" + out)
}

// TestPassOnPostgres runs a short issue pass of the real server binary on
// PostgreSQL as -db makes the tool do: a fresh database, the raw rate
// measured in it, the server started with -db on it, every issue
// acknowledged, and the database dropped afterwards.
func TestPassOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	pg := pgtest.Get(t)
	cfg := &config{
		server: e2etest.Build(t, e2etest.Server), data: t.TempDir(), db: pg.URL("postgres"), backend: "postgres",
		mode: "issue", office: "demo", kioskKey: "demo-kiosk", pin: "1234", counters: []string{"q1:nv1"},
		concurrency: 4, prefill: 5, duration: time.Second, raw: 200 * time.Millisecond, seed: 1,
	}
	r, err := runPass(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, nerr := r.rec.totals(); r.issued == 0 || nerr != 0 {
		t.Fatalf("%d issued, %d errors", r.issued, nerr)
	}
	if r.raw <= 0 || !strings.Contains(r.rawWhat, "synchronous_commit=on") || r.database() != "PostgreSQL" {
		t.Fatalf("raw %v (%s) on %s", r.raw, r.rawWhat, r.database())
	}
	log, err := os.ReadFile(filepath.Join(cfg.data, "server.log"))
	if err != nil || !strings.Contains(string(log), "database=postgres") {
		t.Fatalf("the server did not run on PostgreSQL (%v):\n%s", err, log)
	}
	a, _ := sql.Open("pgx", pg.URL("postgres"))
	defer a.Close()
	var left int
	if err := a.QueryRow(`SELECT count(*) FROM pg_database WHERE datname LIKE 'luot_load_%'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d load databases left behind (%v)", left, err)
	}
	t.Logf("%d issued in %.1f s on PostgreSQL; raw %.0f/s", r.issued, r.elapsed.Seconds(), r.raw)
}
