package store

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"testing"

	"luot/server/queue"
)

// TestEventsKeepBothEncodings: an event with private fields is stored
// with its public encoding beside the whole one, and replayed as sent;
// an event without any keeps one copy (public NULL).
func TestEventsKeepBothEncodings(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := bookableOffice(t, db, t0)
		commit := do(t, db, st)
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGH", Service: "xay-dung", Date: st.Day, Slot: "15:00", Name: "A", Phone: "+84912345678"}))
		c := commit(st.Issue(t0, issue("t1", "chung-thuc")))
		evs, complete, err := db.EventsSince(ctx, st.Office.ID, 0, 0)
		if err != nil || !complete || len(evs) != 2 {
			t.Fatalf("events: %d %v %v", len(evs), complete, err)
		}
		if !bytes.Contains(evs[0].Staff, []byte("ACEFGH")) || bytes.Contains(evs[0].Public, []byte("ACEFGH")) || !bytes.Contains(evs[0].Public, []byte(`"slot":"15:00"`)) {
			t.Fatalf("booking.created: staff %s, public %s", evs[0].Staff, evs[0].Public)
		}
		want, _ := c.Events[0].Encode()
		if !sameEncoded(evs[1], want) {
			t.Fatalf("ticket.issued: %s / %s", evs[1].Staff, evs[1].Public)
		}
		if n := count(t, db, `SELECT count(*) FROM events WHERE public IS NULL`); n != 1 {
			t.Fatalf("%d events without a public copy, want 1 (the ticket's)", n)
		}
	})
}

// TestMigrationRedactsOldEvents: events stored before the public column
// existed get their public copy from the migration, without booking
// codes or staff logins.
func TestMigrationRedactsOldEvents(t *testing.T) {
	db, path := openDB(t)
	st := newOffice(t, db, t0)
	db.Close()
	// Back to the schema before 0003, with the events of an old server.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := []struct{ typ, data string }{
		{"booking.created", `{"seq":1,"type":"booking.created","at":"2026-11-27T08:00:00+07:00","data":{"code":"ACEFGH","service":"xay-dung","date":"2026-11-27","slot":"09:00","status":"booked"}}`},
		{"counter.opened", `{"seq":2,"type":"counter.opened","at":"2026-11-27T08:00:00+07:00","data":{"counter":"q1","number":1,"state":"open","staff":"nv1"}}`},
		{"ticket.transferred", `{"seq":3,"type":"ticket.transferred","at":"2026-11-27T08:00:00+07:00","data":{"ticket":{"id":"t1","number":"A001"},"transfer":{"from_service":"a","to_service":"b","staff":"nv1"}}}`},
		{"config.changed", `{"seq":4,"type":"config.changed","at":"2026-11-27T08:00:00+07:00","data":{"by":"admin"}}`},
		{"ticket.issued", `{"seq":5,"type":"ticket.issued","at":"2026-11-27T08:00:00+07:00","data":{"ticket":{"id":"t2","number":"A002"}}}`},
		{"counter.closed", `{"seq":6,"type":"counter.closed","at":"2026-11-27T08:00:00+07:00","data":{"counter":"q1","number":1,"state":"closed"}}`},
	}
	stmts := []string{`ALTER TABLE events DROP COLUMN public`, `ALTER TABLE bookings DROP COLUMN token_hash`, `DELETE FROM schema_version WHERE version = 3`}
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i, e := range old {
		if _, err := raw.Exec(`INSERT INTO events (office, seq, type, at, data) VALUES (?, ?, ?, ?, ?)`, st.Office.ID, i+1, e.typ, "2026-11-27T01:00:00Z", []byte(e.data)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec(`UPDATE offices SET last_seq = ? WHERE id = ?`, len(old), st.Office.ID); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, complete, err := db.EventsSince(ctx, st.Office.ID, 0, 0)
	if err != nil || !complete || len(evs) != len(old) {
		t.Fatalf("events: %d %v %v", len(evs), complete, err)
	}
	for i, e := range evs {
		if string(e.Staff) != old[i].data {
			t.Errorf("event %d: staff copy changed: %s", i+1, e.Staff)
		}
		for _, secret := range []string{"ACEFGH", "nv1", "admin", `"staff"`, `"by"`, `"code"`} {
			if bytes.Contains(e.Public, []byte(secret)) {
				t.Errorf("event %d: public copy %s carries %s", i+1, e.Public, secret)
			}
		}
		var ev struct {
			Seq  int64           `json:"seq"`
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(e.Public, &ev); err != nil || ev.Seq != int64(i+1) || ev.Type != old[i].typ || len(ev.Data) < 2 {
			t.Errorf("event %d: public copy %s: %v", i+1, e.Public, err)
		}
	}
	if !bytes.Contains(evs[0].Public, []byte(`"slot":"09:00"`)) || !bytes.Contains(evs[2].Public, []byte(`"to_service":"b"`)) {
		t.Errorf("the public copies lost what boards use: %s, %s", evs[0].Public, evs[2].Public)
	}
	if n := count(t, db, `SELECT count(*) FROM events WHERE public IS NULL`); n != 2 {
		t.Errorf("%d events without a public copy, want 2 (nothing private in them)", n)
	}
}
