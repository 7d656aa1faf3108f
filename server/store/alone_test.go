package store

import (
	"context"
	"strings"
	"testing"

	"luot/internal/pgtest"
)

// TestUseAlone: one lone server per PostgreSQL database; the second is
// refused, saying what to do, until the first lets go; a lock held shared
// (a cluster's process) refuses a lone server too.
func TestUseAlone(t *testing.T) {
	url := pgtest.Get(t).NewDatabase(t)
	ctx := context.Background()
	open := func() *DB {
		db, err := OpenPostgres(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	release, err := a.UseAlone(ctx)
	if err != nil {
		t.Fatalf("the first server: %v", err)
	}
	if _, err := b.UseAlone(ctx); err == nil || !strings.Contains(err.Error(), "-advertise") {
		t.Fatalf("a second lone server: %v, want a refusal naming -advertise", err)
	}
	release()
	releaseB, err := b.UseAlone(ctx)
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	releaseB()

	conn, err := a.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var shared bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock_shared(hashtextextended(?, 0))`, ProcessesLock).Scan(&shared); err != nil || !shared {
		t.Fatalf("a cluster process's shared lock: %v %v", shared, err)
	}
	if _, err := b.UseAlone(ctx); err == nil {
		t.Fatal("a lone server beside a cluster's process was let in")
	}
}

// TestUseAloneOnSQLite does nothing: the data folder's lock is SQLite's.
func TestUseAloneOnSQLite(t *testing.T) {
	db, _ := openDB(t)
	release, err := db.UseAlone(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
}
