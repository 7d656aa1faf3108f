package store

import (
	"testing"
	"time"

	"luot/server/queue"
)

// TestReportRows checks that the report query reads back what the queue
// stored (sources, statuses, times, estimates), keeps to the office and
// the days asked, and reads ratings once a ratings table exists.
func TestReportRows(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
		st := newOffice(t, db, now)
		d := do(t, db, st)
		d(st.Open(now, "q1", "nv1")) // first: the tickets get a known estimate
		req := issue("t1", "xay-dung")
		req.Name, req.Phone = "Nguyễn Văn A", "+84912345678"
		d(st.Issue(now, req))
		d(st.Issue(now.Add(time.Minute), issue("t2", "ho-tich")))
		d(st.Next(now.Add(5*time.Minute), "q1", "nv1"))
		d(st.Start(now.Add(6*time.Minute), "q1", "nv1"))
		d(st.Done(now.Add(16*time.Minute), "q1", "nv1"))

		rows, ratings, err := db.ReportRows(ctx, "hoankiem", "2026-11-27", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || len(ratings) != 0 {
			t.Fatalf("rows %+v ratings %+v", rows, ratings)
		}
		r := rows[0]
		if r.ID != "t1" || r.Status != queue.StatusDone || r.Counter != "q1" || r.Staff != "nv1" || r.Source != queue.SourceKiosk ||
			!r.IssuedAt.Equal(now) || !r.CalledAt.Equal(now.Add(5*time.Minute)) || !r.ServingAt.Equal(now.Add(6*time.Minute)) ||
			!r.FinishedAt.Equal(now.Add(16*time.Minute)) || r.EstimateSeconds < 0 || r.Office != "hoankiem" {
			t.Fatalf("row %+v", r)
		}
		// The reports never need what identifies the citizen.
		if r.Name != "" || r.Phone != "" || r.Token != "" {
			t.Fatalf("the report's ticket carries personal data or its token: %+v", r)
		}
		if rows, _, _ := db.ReportRows(ctx, "hoankiem", "2026-11-28", "2026-11-30"); len(rows) != 0 {
			t.Fatalf("other days: %+v", rows)
		}
		if rows, _, _ := db.ReportRows(ctx, "other", "2026-11-27", "2026-11-27"); len(rows) != 0 {
			t.Fatalf("other office: %+v", rows)
		}

		// The ratings table of migration 0002 (made here if it has not landed).
		if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS ratings (office TEXT NOT NULL, ticket TEXT NOT NULL,
		score INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '', counter TEXT NOT NULL DEFAULT '', staff TEXT NOT NULL DEFAULT '', at TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, `INSERT INTO ratings (office, ticket, score, comment, counter, staff, at) VALUES
		('hoankiem', 't1', 4, 'tốt', 'q1', 'nv1', '2026-11-27T08:20:00.000000000Z'),
		('other', 't1', 1, '', '', '', '2026-11-27T08:20:00.000000000Z')`); err != nil {
			t.Fatal(err)
		}
		_, ratings, err = db.ReportRows(ctx, "hoankiem", "2026-11-27", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if len(ratings) != 1 || ratings[0].Ticket != "t1" || ratings[0].Score != 4 || ratings[0].Comment != "" {
			t.Fatalf("ratings %+v", ratings)
		}
	})
}
