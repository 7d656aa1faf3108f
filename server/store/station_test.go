package store

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"luot/server/auth"
	"luot/server/queue"
)

// TestMigrationStationKeepsRatings: ratings stored before 0006 are
// phone ratings without reasons after it.
func TestMigrationStationKeepsRatings(t *testing.T) {
	db, path := openDB(t)
	st := newOffice(t, db, t0)
	do(t, db, st)(st.Issue(t0, issue("t1", "xay-dung")))
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX ratings_idem_key`, `ALTER TABLE ratings DROP COLUMN idem_key`, `ALTER TABLE ratings DROP COLUMN reasons`,
		`ALTER TABLE ratings DROP COLUMN channel`, `ALTER TABLE devices DROP COLUMN counter`, `ALTER TABLE staff DROP COLUMN title`,
		`DROP TABLE planning_imports`, `DROP TABLE planning_parcels`, `DROP TABLE planning_zones`, // 0011
		`DROP TABLE sms_parts`,                          // 0010
		`DROP TABLE outbox`, `DROP TABLE subscriptions`, // 0009
		`DROP TABLE staff_photos`, `DROP TABLE IF EXISTS print_jobs`,
		`DROP TABLE dossier_keys`, `DROP TABLE dossier_events`, `DROP TABLE dossier_seq`, `DROP TABLE dossiers`,
		`ALTER TABLE tickets DROP COLUMN dossier`, `ALTER TABLE api_clients DROP COLUMN scope`,
		`DELETE FROM schema_version WHERE version >= 6`,
		`INSERT INTO ratings (office, ticket, score, comment, counter, staff, service, day, at) VALUES ('hoankiem', 't1', 3, 'ok', 'q1', 'nv1', 'xay-dung', '2026-11-26', '2026-11-26T01:00:00.000000000Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.RatingOf(ctx, "t1")
	if err != nil || r == nil || r.Channel != queue.RatingPhone || r.Reasons != nil || r.Score != 3 {
		t.Fatalf("old rating %+v %v", r, err)
	}
}

// TestStationStore: a station's counter, staff titles and photos, the
// clerk at a counter, keyed ratings and the rating rows.
func TestStationStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		o := st.Office.ID
		for _, m := range []queue.Staff{
			{ID: "nv1", Office: o, Name: "Lan", Title: "Chuyên viên", Role: queue.RoleClerk},
			{ID: "nv2", Office: o, Name: "Minh", Role: queue.RoleClerk},
		} {
			if err := db.PutStaff(ctx, m, []byte("$2a$10$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.PutStaff(ctx, queue.Staff{ID: "nv3", Office: o, Name: "X", Title: "a\u202eb", Role: queue.RoleClerk}, nil); err == nil {
			t.Fatal("a title with a bidi override was stored")
		}
		// Devices.
		if err := db.PutDevice(ctx, queue.Device{ID: "s1", Office: o, Kind: queue.DeviceStation, Counter: "q2"}, auth.Hash("key-s1-0123456789")); err != nil {
			t.Fatal(err)
		}
		d, err := db.DeviceByKeyHash(ctx, auth.Hash("key-s1-0123456789"))
		if err != nil || d.Counter != "q2" || d.Kind != queue.DeviceStation {
			t.Fatalf("station %+v %v", d, err)
		}
		// Photos.
		mustErrIs(t, db.PutStaffPhoto(ctx, o, "ghost", []byte{0xff, 0xd8}, t0), ErrNotFound)
		if err := db.PutStaffPhoto(ctx, o, "nv1", make([]byte, MaxStaffPhoto+1), t0); err == nil {
			t.Fatal("an oversized photo was stored")
		}
		if err := db.PutStaffPhoto(ctx, o, "nv1", []byte{0xff, 0xd8, 1}, t0); err != nil {
			t.Fatal(err)
		}
		if b, at, err := db.StaffPhoto(ctx, o, "nv1"); err != nil || len(b) != 3 || !at.Equal(t0) {
			t.Fatalf("photo %v %v %v", b, at, err)
		}
		list, _ := db.ListStaff(ctx, o)
		if !list[0].HasPhoto || list[0].Title != "Chuyên viên" || list[1].HasPhoto {
			t.Fatalf("staff %+v", list)
		}
		// The clerk at a counter: the newest live session of a member not
		// disabled.
		session := func(staff, counter string, created time.Time, tok string) {
			t.Helper()
			if err := db.CreateSession(ctx, auth.Session{TokenHash: auth.Hash(tok), Office: o, Staff: staff, Counter: counter, Role: queue.RoleClerk, Created: created, Expires: created.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok, err := db.CounterClerk(ctx, o, "q1", t0); ok || err != nil {
			t.Fatalf("nobody at q1: %v %v", ok, err)
		}
		session("nv1", "q1", t0, "tok-a")
		session("nv2", "q1", t0.Add(time.Minute), "tok-b")
		session("nv2", "q2", t0, "tok-c")
		if c, ok, _ := db.CounterClerk(ctx, o, "q1", t0.Add(2*time.Minute)); !ok || c.ID != "nv2" {
			t.Fatalf("q1: %+v", c)
		}
		if c, ok, _ := db.CounterClerk(ctx, o, "q1", t0.Add(61*time.Minute)); ok {
			t.Fatalf("q1 after nv2's session expired: %+v", c)
		}
		if err := db.DeleteSession(ctx, auth.Hash("tok-b")); err != nil {
			t.Fatal(err)
		}
		if c, ok, _ := db.CounterClerk(ctx, o, "q1", t0.Add(2*time.Minute)); !ok || c.ID != "nv1" || c.Title != "Chuyên viên" || !c.HasPhoto {
			t.Fatalf("q1 after sign-out: %+v", c)
		}
		// Keyed ratings.
		do(t, db, st)(st.Issue(t0, issue("t1", "xay-dung")))
		do(t, db, st)(st.Issue(t0, issue("t2", "xay-dung")))
		r := queue.Rating{Office: o, Ticket: "t1", Score: 2, Counter: "q1", Staff: "nv1", Day: st.Day, At: t0, Channel: queue.RatingStation, Reasons: []string{"wait", "other"}}
		if got, replayed, err := db.PutRatingKeyed(ctx, r, "device:s1:k1"); err != nil || replayed || got.Channel != queue.RatingStation {
			t.Fatalf("keyed: %+v %v %v", got, replayed, err)
		}
		r2 := r
		r2.Ticket = "t2"
		if got, replayed, err := db.PutRatingKeyed(ctx, r2, "device:s1:k1"); err != nil || !replayed || got.Ticket != "t1" || !slices.Equal(got.Reasons, r.Reasons) {
			t.Fatalf("replay: %+v %v %v", got, replayed, err)
		}
		if got, _ := db.RatingOf(ctx, "t2"); got != nil {
			t.Fatal("the replay stored a rating")
		}
		_, _, err = db.PutRatingKeyed(ctx, r, "device:s1:k2")
		mustErrIs(t, err, ErrConflict)
		bad := r2
		bad.Channel = "fax"
		if _, _, err := db.PutRatingKeyed(ctx, bad, ""); err == nil {
			t.Fatal("channel fax stored")
		}
		bad = r2
		bad.Reasons = []string{"a,b"}
		if _, _, err := db.PutRatingKeyed(ctx, bad, ""); err == nil {
			t.Fatal("a reason with a comma stored")
		}
		r2.Channel, r2.Reasons = "", nil
		if err := db.PutRating(ctx, r2); err != nil {
			t.Fatal(err)
		}
		rows, err := db.RatingRows(ctx, o, st.Day, st.Day)
		if err != nil || len(rows) != 2 || rows[0].Channel != queue.RatingStation || !slices.Equal(rows[0].Reasons, []string{"wait", "other"}) ||
			rows[1].Channel != queue.RatingPhone || rows[1].Staff != "nv1" {
			t.Fatalf("rows %+v %v", rows, err)
		}
		if rows, _ := db.RatingRows(ctx, o, "2020-01-01", "2020-01-02"); len(rows) != 0 {
			t.Fatalf("other days: %+v", rows)
		}
	})
}
