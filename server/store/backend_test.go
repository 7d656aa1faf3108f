package store

import (
	"testing"

	"luot/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// eachBackend runs fn as two subtests, "sqlite" and "postgres", each on a
// fresh, migrated, empty database of that backend (the PostgreSQL one on
// the test binary's private cluster; skipped without PostgreSQL outside
// CI).
func eachBackend(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run(BackendSQLite, func(t *testing.T) {
		db, _ := openDB(t)
		fn(t, db)
	})
	t.Run(BackendPostgres, func(t *testing.T) {
		fn(t, openPG(t))
	})
}

// openPG opens a fresh PostgreSQL database on the private cluster, closed
// at the end of the test.
func openPG(t testing.TB) *DB {
	t.Helper()
	url := pgtest.Get(t).NewDatabase(t)
	db, err := OpenPostgres(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// reopen opens db's database anew (its file or its URL), as a restarted
// server would; the new handle is closed at the end of the test.
func reopen(t testing.TB, db *DB) *DB {
	t.Helper()
	var again *DB
	var err error
	if db.postgres() {
		again, err = OpenPostgres(db.Path())
	} else {
		again, err = Open(db.Path())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	return again
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`VALUES (?1, ?2, ?2, ?10)`, `VALUES ($1, $2, $2, $10)`},
		{`VALUES (?2, ?)`, `VALUES ($2, $3)`},
		{`SELECT '?', "a?b", ? -- why?` + "\n" + `/* ? */ , ?`, `SELECT '?', "a?b", $1 -- why?` + "\n" + `/* ? */ , $2`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
	} {
		if got := rebindText(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestBackend(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		if got := db.Backend(); got != t.Name()[len("TestBackend/"):] {
			t.Errorf("Backend() = %q in subtest %s", got, t.Name())
		}
		again := reopen(t, db)
		if again.Backend() != db.Backend() {
			t.Errorf("reopened as %q, was %q", again.Backend(), db.Backend())
		}
	})
}
