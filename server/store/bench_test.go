package store

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"luot/server/queue"
)

// BenchmarkDurableIssue measures ticket issue through the store: the issue
// command, the encoding of its event and a durable Commit (WAL,
// synchronous=FULL: one fsync per ticket), then Apply. Every 200 tickets
// the office rolls over to a new day (outside the timer) so that the
// waiting line, which the issue's wait estimate replays, stays at an
// office's size. Put TMPDIR on the disk you want to measure.
func BenchmarkDurableIssue(b *testing.B) {
	db, _ := openDB(b)
	now := t0
	st := newOffice(b, db, now)
	for _, k := range []string{"q1", "q2", "q3"} {
		do(b, db, st)(st.Open(now, k, "nv-"+k))
	}
	services := []string{"xay-dung", "ho-tich", "chung-thuc"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i > 0 && i%200 == 0 {
			b.StopTimer()
			now = now.Add(24 * time.Hour)
			do(b, db, st)(st.Rollover(now), nil)
			b.StartTimer()
		}
		now = now.Add(time.Second)
		c, err := st.Issue(now, issue(id(i), services[i%3]))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Commit(ctx, c, encode(b, c)); err != nil {
			b.Fatal(err)
		}
		st.Apply(c)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}

// BenchmarkRawDurableCommit is the floor Commit is measured against: one
// single-row INSERT per transaction on the same pragmas (WAL,
// synchronous=FULL, BEGIN IMMEDIATE, one connection), i.e. the cost of a
// durable SQLite commit on this disk.
func BenchmarkRawDurableCommit(b *testing.B) {
	db, err := sql.Open("sqlite", dsn(filepath.Join(b.TempDir(), "raw.db"), "immediate"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 300) // about an event's size
	b.ResetTimer()
	for b.Loop() {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (v) VALUES (?)`, payload); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkLoadState measures a restart: rebuilding an office's state
// with 1,000 tickets of the day.
func BenchmarkLoadState(b *testing.B) {
	db, _ := openDB(b)
	st := newOffice(b, db, t0)
	tx, err := db.w.Begin()
	if err != nil {
		b.Fatal(err)
	}
	pos, err := db.readPos(ctx, tx, st.Office.ID)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		c, err := st.Issue(t0.Add(time.Duration(i)*time.Second), queue.IssueRequest{ID: id(i), Token: "tok", Service: "ho-tich", Source: queue.SourceKiosk})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.commitTx(ctx, tx, c, encode(b, c), &pos); err != nil {
			b.Fatal(err)
		}
		st.Apply(c)
	}
	if err := db.writePos(ctx, tx, st.Office.ID, pos); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := db.LoadState(ctx, st.Office.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueWithoutStore is BenchmarkDurableIssue without the Commit:
// the domain's share (issue command with its wait estimate, event
// encoding, Apply), to tell it apart from the store's.
func BenchmarkIssueWithoutStore(b *testing.B) {
	now := t0
	o := testOffice(b)
	st := queue.NewState(o, o.Day(now))
	for _, k := range []string{"q1", "q2", "q3"} {
		c, _ := st.Open(now, k, "nv-"+k)
		st.Apply(c)
	}
	services := []string{"xay-dung", "ho-tich", "chung-thuc"}
	for i := 0; b.Loop(); i++ {
		if i > 0 && i%200 == 0 {
			now = now.Add(24 * time.Hour)
			st.Apply(st.Rollover(now))
		}
		now = now.Add(time.Second)
		c, err := st.Issue(now, issue(id(i), services[i%3]))
		if err != nil {
			b.Fatal(err)
		}
		encode(b, c)
		st.Apply(c)
	}
}
