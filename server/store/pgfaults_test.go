package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

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

// TestPostgresClassify: the SQLSTATEs of a server out of reach are
// ErrUnavailable, those of a full disk, an I/O error and lock trouble the
// storage faults, and a domain error (a unique violation) none of them.
func TestPostgresClassify(t *testing.T) {
	for _, c := range []struct {
		code string
		want error
	}{
		{"08006", ErrUnavailable}, // connection failure
		{"08001", ErrUnavailable},
		{"57P01", ErrUnavailable}, // admin shutdown
		{"57P03", ErrUnavailable}, // cannot connect now (starting up)
		{"53300", ErrUnavailable}, // too many connections
		{"53100", ErrStorageFull},
		{"58030", ErrStorageIO},
		{"55P03", ErrStorageBusy},
		{"40P01", ErrStorageBusy},
		{"23505", nil},
		{"42601", nil},
	} {
		err := fmt.Errorf("commit: %w", &pgconn.PgError{Code: c.code, Message: "test"})
		if got := Fault(err); got != c.want {
			t.Errorf("SQLSTATE %s: Fault %v, want %v", c.code, got, c.want)
		}
		if wrapped := classify(err); errors.Is(wrapped, ErrUnavailable) != (c.want == ErrUnavailable) {
			t.Errorf("SQLSTATE %s: classify gave %v", c.code, wrapped)
		}
	}
	if !isConstraint(&pgconn.PgError{Code: "23505"}) || !isForeignKey(&pgconn.PgError{Code: "23503"}) || isConstraint(&pgconn.PgError{Code: "23503"}) {
		t.Error("unique and foreign-key violations are not told apart")
	}
	if Fault(errors.New("no such ticket")) != nil || classify(nil) != nil {
		t.Error("an ordinary error classified as a fault")
	}
}

// TestFaultIgnoresOrdinaryEOF: Fault sees every error the API meets, so
// an end of file or a broken pipe that did not come from the database
// driver is no "database unavailable".
func TestFaultIgnoresOrdinaryEOF(t *testing.T) {
	for _, err := range []error{io.EOF, io.ErrUnexpectedEOF, fmt.Errorf("read body: %w", syscall.EPIPE), fmt.Errorf("open photo: %w", os.ErrNotExist)} {
		if f := Fault(err); f != nil {
			t.Errorf("Fault(%v) = %v, want nil", err, f)
		}
	}
	if !errors.Is(Fault(classify(io.ErrUnexpectedEOF)), ErrUnavailable) {
		t.Error("the driver's EOF is not ErrUnavailable")
	}
}
