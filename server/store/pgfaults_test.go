package store

import (
	"errors"
	"strings"
	"testing"

	"luot/internal/pgtest"
)

// TestPostgresUnavailable stops the private cluster as a crash would
// (pg_ctl stop -m immediate) under an open store: a commit and a read
// fail with ErrUnavailable (Fault says so too), nothing is half-written,
// and once the cluster is back the same handle works again without being
// reopened, with every acknowledged ticket in place.
func TestPostgresUnavailable(t *testing.T) {
	c := pgtest.Get(t)
	db, err := OpenPostgres(c.NewDatabase(t), PostgresOptions{PoolSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := newOffice(t, db, t0)
	do(t, db, st)(st.Issue(t0, issue("a", "ho-tich")))

	if err := c.Stop("immediate"); err != nil {
		t.Fatal(err)
	}
	restarted := false
	defer func() {
		if !restarted {
			if err := c.Start(); err != nil {
				t.Errorf("restart the cluster: %v", err)
			}
		}
	}()
	ch, err := st.Issue(t0, issue("b", "ho-tich"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Commit(ctx, ch, encode(t, ch))
	if !errors.Is(err, ErrUnavailable) || !errors.Is(db.Fault(err), ErrUnavailable) {
		t.Fatalf("commit with the database down: %v (fault %v), want ErrUnavailable", err, db.Fault(err))
	}
	_, err = db.LoadState(ctx, st.Office.ID)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(db.Fault(err), ErrUnavailable) {
		t.Fatalf("read with the database down: %v, want ErrUnavailable", err)
	}

	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	restarted = true
	storedSame(t, db, st) // "b" was refused: not there
	do(t, db, st)(st.Issue(t0, issue("b", "ho-tich")))
	got := storedSame(t, db, st)
	if got.Tickets["b"].Display != "B002" {
		t.Fatalf("ticket after the restart: %+v", got.Tickets["b"])
	}
}

// TestPostgresErrors: PostgreSQL's unique and foreign-key violations are
// the store's ErrConflict and ErrNotFound, as SQLite's are; a URL that is
// not PostgreSQL's, a bad pool size and a server that is not there are
// refused with a message that says what to do, without the password.
func TestPostgresErrors(t *testing.T) {
	db := openPG(t)
	st := newOffice(t, db, t0)
	mustErrIs(t, db.CreateOffice(ctx, st.Office, t0), ErrConflict)

	for _, c := range []struct {
		url  string
		opts PostgresOptions
		want string
	}{
		{"mysql://u:secret@h/db", PostgresOptions{}, "not a postgres:// URL"},
		{"postgres://u:secret@h/db", PostgresOptions{PoolSize: -1}, "pool size -1"},
		{"postgres://u:secret@127.0.0.1:1/db?connect_timeout=5", PostgresOptions{}, "127.0.0.1"},
	} {
		_, err := OpenPostgres(c.url, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("OpenPostgres(%q): %v, want an error with %q and no password", c.url, err, c.want)
		}
	}
	_, err := OpenPostgres("postgres://u:secret@127.0.0.1:1/db?connect_timeout=5")
	mustErrIs(t, err, ErrUnavailable)
}
