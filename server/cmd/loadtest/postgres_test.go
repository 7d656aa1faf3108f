package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"luot/internal/pgtest"
)

// TestMain stops the private PostgreSQL cluster of the tests (pgtest).
func TestMain(m *testing.M) { pgtest.Main(m) }

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
