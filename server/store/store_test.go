package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/auth"
	"luot/server/queue"
)

var errorsIs = errors.Is

func TestMigrationsAreNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("SchemaVersion %d, %d migrations", SchemaVersion(), len(ms))
	}
	// PostgreSQL's migrations are the same schema: one file for each of
	// SQLite's, under the same name, so that schema_version means the
	// same on both.
	pg, err := readMigrations(migrationFilesPG, "migrations_pg")
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if i >= len(pg) {
			t.Errorf("migration %s has no PostgreSQL version in migrations_pg/", m.name)
			continue
		}
		if pg[i].name != m.name {
			t.Errorf("migration %d is %s on SQLite but %s on PostgreSQL", m.version, m.name, pg[i].name)
		}
	}
	if len(pg) > len(ms) {
		t.Errorf("migrations_pg/ has %d migrations, migrations/ %d: every schema change is made on both", len(pg), len(ms))
	}
}

func TestOpenMigratesAndReopens(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		if n := count(t, db, `SELECT max(version) FROM schema_version`); n != SchemaVersion() {
			t.Fatalf("schema version %d, want %d", n, SchemaVersion())
		}
		tables := `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`
		if db.Backend() == BackendPostgres {
			tables = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
		}
		for _, table := range []string{"offices", "counter_status", "tickets", "numbers", "averages", "events", "idempotency", "action_keys", "staff", "devices", "sessions", "audit"} {
			if count(t, db, tables, table) != 1 {
				t.Errorf("table %s missing", table)
			}
		}
		if db.Backend() == BackendSQLite {
			var mode string
			if err := db.r.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
				t.Fatalf("journal mode %q, %v", mode, err)
			}
		}
		newOffice(t, db, t0)
		db.Close()

		db2 := reopen(t, db)
		if n := count(t, db2, `SELECT count(*) FROM schema_version`); n != SchemaVersion() {
			t.Fatalf("migrations applied twice: %d rows", n)
		}
		ids, err := db2.OfficeIDs(ctx)
		if err != nil || !reflect.DeepEqual(ids, []string{"hoankiem"}) {
			t.Fatalf("offices %v, %v", ids, err)
		}
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		if _, err := db.w.Exec(`INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', '')`, SchemaVersion()+2); err != nil {
			t.Fatal(err)
		}
		db.Close()
		var err error
		if db.Backend() == BackendPostgres {
			_, err = OpenPostgres(db.Path())
		} else {
			_, err = Open(db.Path())
		}
		mustErrIs(t, err, ErrSchemaTooNew)
		where := db.Path()
		if db.Backend() == BackendPostgres {
			where = redactURL(where)
		}
		if !strings.Contains(err.Error(), "upgrade Lượt") || !strings.Contains(err.Error(), where) {
			t.Fatalf("error does not say what to do: %v", err)
		}
	})
}

func TestOpenPathWithOddCharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dữ liệu #1?x=y")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "luot.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
}

// TestDomainRoundTrip drives real commands through Commit and checks that
// LoadState, on the same handle and on a fresh Open, gives back the state
// the commands built in memory.
func TestDomainRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		now := t0
		tick := func(d time.Duration) time.Time { now = now.Add(d); return now }
		check := func(step string) {
			t.Helper()
			got, err := db.LoadState(ctx, st.Office.ID)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			sameState(t, st, got)
			if t.Failed() {
				t.Fatalf("after %s", step)
			}
		}
		check("create")

		do(t, db, st)(st.Open(tick(time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Open(tick(time.Minute), "q2", "nv2"))
		for i, sv := range []string{"xay-dung", "ho-tich", "chung-thuc", "xay-dung", "ho-tich", "ho-tich"} {
			r := issue(id(i), sv)
			if i == 1 {
				r.Priority = queue.PriorityElderly
			}
			if i == 2 {
				r.Source, r.Name, r.Phone = queue.SourceRemote, "Nguyễn Thị Ánh 🌸", "0912345678"
			}
			do(t, db, st)(st.Issue(tick(30*time.Second), r))
		}
		check("issue")

		do(t, db, st)(st.Next(tick(time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Recall(tick(time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Start(tick(time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Done(tick(7*time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Next(tick(time.Minute), "q2", "nv2"))
		do(t, db, st)(st.Transfer(tick(2*time.Minute), "q2", "nv2", queue.TransferRequest{Service: "xay-dung"}))
		do(t, db, st)(st.Next(tick(time.Minute), "q2", "nv2"))
		do(t, db, st)(st.NoShow(tick(3*time.Minute), "q2", "nv2"))
		do(t, db, st)(st.Next(tick(time.Minute), "q2", "nv2"))
		do(t, db, st)(st.Start(tick(time.Minute), "q2", "nv2"))
		do(t, db, st)(st.Transfer(tick(time.Minute), "q2", "nv2", queue.TransferRequest{Counter: "q3", ToEnd: true}))
		do(t, db, st)(st.Pause(tick(time.Minute), "q2", "nv2"))
		do(t, db, st)(st.Cancel(tick(time.Minute), id(5), "left"))
		check("serve")

		// A configuration change that removes q3 (nothing at it) and adds q4.
		o := st.Office
		o.Counters = append([]queue.Counter{}, o.Counters[:2]...)
		o.Counters = append(o.Counters, queue.Counter{ID: "q4", Number: 4, Services: []queue.CounterService{{Service: "chung-thuc"}}})
		do(t, db, st)(st.Reconfigure(tick(time.Minute), o, "admin"))
		check("reconfigure")

		// q1 calls and starts serving just before local midnight; the rest of
		// the line expires at the rollover.
		do(t, db, st)(st.Next(tick(time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Start(tick(time.Minute), "q1", "nv1"))
		do(t, db, st)(st.Issue(tick(time.Minute), issue("late", "ho-tich")))
		midnight := time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
		if st.Rollover(midnight.Add(-time.Second)) != nil {
			t.Fatal("rolled over before local midnight")
		}
		now = midnight.Add(time.Second)
		rc := do(t, db, st)(st.Rollover(now), nil)
		if rc.Day != "2026-11-27" {
			t.Fatalf("rolled to %s", rc.Day)
		}
		check("rollover")

		do(t, db, st)(st.Issue(tick(time.Minute), issue("new1", "ho-tich")))
		do(t, db, st)(st.Issue(tick(time.Minute), issue("new2", "xay-dung")))
		if got := st.Tickets["new1"].Display; got != "B001" {
			t.Fatalf("numbering did not restart: %s", got)
		}
		do(t, db, st)(st.Done(tick(time.Minute), "q1", "nv1")) // the ticket of yesterday
		do(t, db, st)(st.Next(tick(time.Minute), "q1", "nv1"))
		check("new day")

		if n := count(t, db, `SELECT count(*) FROM numbers WHERE office = ?`, st.Office.ID); n != 5 {
			t.Errorf("%d number rows, want 5 (3 services yesterday, 2 today)", n)
		}
		db.Close()
		db2 := reopenedSameDB(t, db, st)

		// Yesterday's tickets are still there for statistics and tracking.
		old, err := db2.Ticket(ctx, st.Office.ID, id(0))
		if err != nil || old == nil || old.Status != queue.StatusDone || old.Day != "2026-11-26" {
			t.Fatalf("old ticket: %+v, %v", old, err)
		}
		if tk, err := db2.TicketByID(ctx, id(2)); err != nil || tk.Name != "Nguyễn Thị Ánh 🌸" || tk.Phone != "0912345678" {
			t.Fatalf("TicketByID: %+v, %v", tk, err)
		}
	})
}

// TestTicketEveryField stores a ticket with every field set, found by
// reflection: a field added to queue.Ticket without a column fails here.
func TestTicketEveryField(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		tk := &queue.Ticket{}
		v := reflect.ValueOf(tk).Elem()
		for i := range v.NumField() {
			f := v.Field(i)
			switch f.Kind() {
			case reflect.String:
				f.SetString("x" + v.Type().Field(i).Name)
			case reflect.Int, reflect.Int64:
				f.SetInt(int64(10 + i))
			case reflect.Slice:
				f.Set(reflect.ValueOf([]queue.Transfer{{At: t0.In(time.FixedZone("ICT", 7*3600)), FromService: "a", ToService: "b", FromCounter: "q1", ToCounter: "q2", ToEnd: true, Staff: "nv1"}}))
			case reflect.Struct:
				if f.Type() != reflect.TypeFor[time.Time]() {
					t.Fatalf("field %s: unexpected type %s; teach the store about it", v.Type().Field(i).Name, f.Type())
				}
				f.Set(reflect.ValueOf(t0.Add(time.Duration(i) * time.Second).Add(123456789)))
			default:
				t.Fatalf("field %s: unexpected kind %s; teach the store about it", v.Type().Field(i).Name, f.Kind())
			}
		}
		tk.Office, tk.Day = st.Office.ID, st.Day
		c := &queue.Change{Office: st.Office.ID, Day: st.Day, Order: tk.Order, Tickets: []*queue.Ticket{tk}}
		if err := db.Commit(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.Ticket(ctx, st.Office.ID, tk.ID)
		if err != nil || got == nil {
			t.Fatal(got, err)
		}
		if w, g := normTicket(tk), normTicket(got); !reflect.DeepEqual(w, g) {
			t.Fatalf("round trip:\nwant %+v\n got %+v", w, g)
		}
	})
}

func TestCommitConflictWritesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		do(t, db, st)(st.Issue(t0, issue("a", "ho-tich")))

		snapshot := func() string {
			var b strings.Builder
			for _, q := range []string{
				`SELECT count(*) FROM tickets`, `SELECT count(*) FROM events`, `SELECT max(seq) FROM events`,
				`SELECT last FROM numbers`, `SELECT count(*) FROM idempotency`, `SELECT last_seq FROM offices`,
				`SELECT last_order FROM offices`, `SELECT count(*) FROM averages`,
			} {
				b.WriteString(q + "=")
				b.WriteString(strings.Repeat("I", count(t, db, q)))
				b.WriteString("\n")
			}
			return b.String()
		}
		before := snapshot()

		// A change made from a stale state: its seq and its number are taken.
		stale, err := db.LoadState(ctx, st.Office.ID)
		if err != nil {
			t.Fatal(err)
		}
		stale.Seq, stale.Order, stale.Numbers = 0, 0, map[string]int{}
		delete(stale.Tickets, "a")
		c, err := stale.Issue(t0, issue("b", "ho-tich"))
		if err != nil {
			t.Fatal(err)
		}
		c.IdempotencyKey = "key-b"
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)

		// The seq is right but the number is a duplicate: the unique index
		// refuses it after the seq check passed, and the transaction rolls back.
		c, err = st.Issue(t0, issue("b", "ho-tich"))
		if err != nil {
			t.Fatal(err)
		}
		c.IdempotencyKey = "key-b"
		c.Tickets[0].Number = 1
		err = db.Commit(ctx, c, encode(t, c))
		mustErrIs(t, err, ErrConflict)
		if !strings.Contains(strings.ToLower(err.Error()), "unique") {
			t.Fatalf("not refused by the unique index: %v", err)
		}

		// A gap in seqs.
		c, _ = st.Issue(t0, issue("b", "ho-tich"))
		c.Events[0].Seq++
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)

		// The same seq inserted twice in one change (a duplicate of the PK).
		c, _ = st.Issue(t0, issue("b", "ho-tich"))
		c.Events = append(c.Events, c.Events[0])
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)

		// A number row that goes back.
		c, _ = st.Issue(t0, issue("b", "ho-tich"))
		c.Numbers[0].Last = 1
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)

		if after := snapshot(); after != before {
			t.Fatalf("a refused commit left traces:\nbefore\n%s\nafter\n%s", before, after)
		}
		if tk, err := db.Ticket(ctx, st.Office.ID, "b"); tk != nil || !errors.Is(err, ErrNotFound) {
			t.Fatalf("ticket b visible: %v %v", tk, err)
		}
		if id, _ := db.TicketByIdempotencyKey(ctx, st.Office.ID, "key-b"); id != "" {
			t.Fatalf("idempotency key of a refused commit kept: %s", id)
		}
		// And the right change still goes through.
		do(t, db, st)(st.Issue(t0, issue("b", "ho-tich")))
		storedSame(t, db, st)
	})
}

func TestCommitUnknownOffice(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		err := db.Commit(ctx, &queue.Change{Office: "nope", Day: "2026-11-26"}, nil)
		mustErrIs(t, err, ErrNotFound)
		_, err = db.LoadState(ctx, "nope")
		mustErrIs(t, err, ErrNotFound)
		_, err = db.Office(ctx, "nope")
		mustErrIs(t, err, ErrNotFound)
		if tk, err := db.Ticket(ctx, "nope", "x"); tk != nil || !errors.Is(err, ErrNotFound) {
			t.Fatalf("Ticket of unknown: %v %v", tk, err)
		}
		_, _, err = db.EventsSince(ctx, "nope", 0, 10)
		mustErrIs(t, err, ErrNotFound)
	})
}

func TestCreateOffice(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		o := testOffice(t)
		if err := db.CreateOffice(ctx, o, t0); err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.CreateOffice(ctx, o, t0), ErrConflict)
		bad := o
		bad.ID = "Bad Id"
		if err := db.CreateOffice(ctx, bad, t0); err == nil || queue.KindOf(err) != queue.KindInvalid {
			t.Fatalf("invalid office accepted: %v", err)
		}
		got, err := db.Office(ctx, o.ID)
		if err != nil || got.Name != o.Name || got.Location().String() != "Asia/Ho_Chi_Minh" {
			t.Fatalf("Office: %+v, %v", got, err)
		}
		if n := count(t, db, `SELECT count(*) FROM counter_status WHERE state = 'closed'`); n != 3 {
			t.Fatalf("%d closed counters, want 3", n)
		}
		// 23:30 local on the 26th is still the 26th; 00:30 is the 27th.
		o2 := testOffice(t)
		o2.ID = "late"
		if err := db.CreateOffice(ctx, o2, time.Date(2026, 11, 26, 17, 30, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		st, _ := db.LoadState(ctx, "late")
		if st.Day != "2026-11-27" {
			t.Fatalf("day %s, want the local date", st.Day)
		}
	})
}

func TestEventsSince(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		var sent []queue.EncodedEvent
		for i := range 10 {
			c, err := st.Issue(t0.Add(time.Duration(i)*time.Minute), issue(id(i), "chung-thuc"))
			if err != nil {
				t.Fatal(err)
			}
			enc := encode(t, c)
			if err := db.Commit(ctx, c, enc); err != nil {
				t.Fatal(err)
			}
			st.Apply(c)
			sent = append(sent, enc...)
		}
		evs, complete, err := db.EventsSince(ctx, st.Office.ID, 0, 0)
		if err != nil || !complete || len(evs) != 10 {
			t.Fatalf("all: %d, %v, %v", len(evs), complete, err)
		}
		for i := range evs {
			if !sameEncoded(evs[i], sent[i]) {
				t.Fatalf("event %d: stored %s, sent %s", i+1, evs[i].Staff, sent[i].Staff)
			}
		}
		evs, complete, _ = db.EventsSince(ctx, st.Office.ID, 4, 3)
		if !complete || len(evs) != 3 || !sameEncoded(evs[0], sent[4]) || !sameEncoded(evs[2], sent[6]) {
			t.Fatalf("since 4 limit 3: %d %v", len(evs), complete)
		}
		if evs, complete, _ = db.EventsSince(ctx, st.Office.ID, 10, 0); !complete || len(evs) != 0 {
			t.Fatalf("up to date: %d %v", len(evs), complete)
		}
		if _, complete, _ = db.EventsSince(ctx, st.Office.ID, 11, 0); complete {
			t.Fatal("a client ahead of the database must take a snapshot")
		}

		n, err := db.PruneEvents(ctx, st.Office.ID, 6)
		if err != nil || n != 6 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		for since := range int64(6) {
			if evs, complete, _ := db.EventsSince(ctx, st.Office.ID, since, 0); complete || evs != nil {
				t.Fatalf("since %d after prune: complete=%v, %d events", since, complete, len(evs))
			}
		}
		if evs, complete, _ := db.EventsSince(ctx, st.Office.ID, 6, 0); !complete || len(evs) != 4 || !sameEncoded(evs[0], sent[6]) {
			t.Fatalf("since 6 after prune: %d %v", len(evs), complete)
		}
		// Numbering goes on after the prune, with no gap, even from a reload.
		st2, err := db.LoadState(ctx, st.Office.ID)
		if err != nil || st2.Seq != 10 {
			t.Fatalf("seq after prune %d, %v", st2.Seq, err)
		}
		do(t, db, st2)(st2.Issue(t0.Add(time.Hour), issue("after", "chung-thuc")))
		if evs, complete, _ := db.EventsSince(ctx, st.Office.ID, 10, 0); !complete || len(evs) != 1 {
			t.Fatalf("after prune and commit: %d %v", len(evs), complete)
		}
		if _, _, err := db.EventsSince(ctx, st.Office.ID, 6, 0); err != nil {
			t.Fatal(err)
		}

		// By time: the events at t0+6 … t0+9 minutes and the one an hour
		// later; those before t0+8 minutes go.
		if n, err := db.PruneEventsBefore(ctx, t0.Add(8*time.Minute)); err != nil || n != 2 {
			t.Fatalf("pruned before t0+8m: %d, %v; want 2", n, err)
		}
		if _, complete, _ := db.EventsSince(ctx, st.Office.ID, 6, 0); complete {
			t.Fatal("since 6 after pruning by time: complete")
		}
		if evs, complete, _ := db.EventsSince(ctx, st.Office.ID, 8, 0); !complete || len(evs) != 3 {
			t.Fatalf("since 8 after pruning by time: %d %v", len(evs), complete)
		}
		if n, err := db.PruneEventsBefore(ctx, t0.Add(8*time.Minute)); err != nil || n != 0 {
			t.Fatalf("pruned again: %d, %v", n, err)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		c, err := st.Issue(t0, issue("a", "ho-tich"))
		if err != nil {
			t.Fatal(err)
		}
		c.IdempotencyKey = "kiosk1:7f3a"
		do(t, db, st)(c, nil)
		if got, err := db.TicketByIdempotencyKey(ctx, st.Office.ID, "kiosk1:7f3a"); err != nil || got != "a" {
			t.Fatalf("key: %q %v", got, err)
		}
		if got, err := db.TicketByIdempotencyKey(ctx, st.Office.ID, "other"); err != nil || got != "" {
			t.Fatalf("unknown key: %q %v", got, err)
		}
		if got, _ := db.TicketByIdempotencyKey(ctx, "elsewhere", "kiosk1:7f3a"); got != "" {
			t.Fatal("keys leak between offices")
		}
		// A second ticket with the same key is refused whole.
		c, _ = st.Issue(t0, issue("b", "ho-tich"))
		c.IdempotencyKey = "kiosk1:7f3a"
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)
		if tk, err := db.Ticket(ctx, st.Office.ID, "b"); tk != nil || !errors.Is(err, ErrNotFound) {
			t.Fatalf("ticket of the refused request: %v, %v; want ErrNotFound (nothing stored)", tk, err)
		}
	})
}

func TestStaffAndSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		office := st.Office.ID
		nv := queue.Staff{ID: "nv1", Office: office, Name: "Trần Văn Bình", Role: queue.RoleClerk}
		if err := db.PutStaff(ctx, nv, []byte("$2a$10$hash")); err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.PutStaff(ctx, queue.Staff{ID: "x", Office: "nope", Name: "X", Role: queue.RoleClerk}, nil), ErrNotFound)
		if err := db.PutStaff(ctx, queue.Staff{ID: "x", Office: office, Name: "X", Role: "boss"}, nil); err == nil {
			t.Fatal("unknown role accepted")
		}
		nv.Name = "Trần Văn Bình (ca sáng)"
		if err := db.PutStaff(ctx, nv, nil); err != nil { // keeps the PIN
			t.Fatal(err)
		}
		s, hash, failed, err := db.StaffAuth(ctx, office, "nv1")
		if err != nil || s != nv || string(hash) != "$2a$10$hash" || failed != 0 {
			t.Fatalf("StaffAuth: %+v %q %d %v", s, hash, failed, err)
		}
		_, _, _, err = db.StaffAuth(ctx, office, "nobody")
		mustErrIs(t, err, ErrNotFound)

		// Wrong PINs are counted, never lock, and a login clears the count.
		for i := 1; i <= 7; i++ {
			n, err := db.RecordLoginFailure(ctx, office, "nv1")
			if err != nil || n != i {
				t.Fatalf("failure %d: %d %v", i, n, err)
			}
		}
		if _, _, failed, _ := db.StaffAuth(ctx, office, "nv1"); failed != 7 {
			t.Fatalf("%d failures stored, want 7", failed)
		}
		_, err = db.RecordLoginFailure(ctx, office, "nobody")
		mustErrIs(t, err, ErrNotFound)
		if err := db.ResetLoginFailures(ctx, office, "nv1"); err != nil {
			t.Fatal(err)
		}
		if _, _, failed, _ := db.StaffAuth(ctx, office, "nv1"); failed != 0 {
			t.Fatalf("after reset: %d", failed)
		}
		// A new PIN clears the count too.
		if _, err := db.RecordLoginFailure(ctx, office, "nv1"); err != nil {
			t.Fatal(err)
		}
		if err := db.PutStaff(ctx, nv, []byte("$2a$10$hash")); err != nil {
			t.Fatal(err)
		}
		if _, _, failed, _ := db.StaffAuth(ctx, office, "nv1"); failed != 0 {
			t.Fatalf("after a new PIN: %d", failed)
		}
		mustErrIs(t, db.ResetLoginFailures(ctx, office, "nobody"), ErrNotFound)
		if err := db.PutStaff(ctx, queue.Staff{ID: "admin", Office: office, Name: "Quản trị", Role: queue.RoleAdmin}, nil); err != nil {
			t.Fatal(err)
		}
		list, err := db.ListStaff(ctx, office)
		if err != nil || len(list) != 2 || list[0].ID != "admin" || list[1] != nv {
			t.Fatalf("ListStaff: %+v %v", list, err)
		}

		// Sessions expire at their time and end when the member is disabled.
		tok := bytes.Repeat([]byte{7}, 32)
		sess := auth.Session{TokenHash: tok, Office: office, Staff: "nv1", Counter: "q1", Role: queue.RoleClerk, Created: t0, Expires: t0.Add(8 * time.Hour)}
		if err := db.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.CreateSession(ctx, sess), ErrConflict)
		mustErrIs(t, db.CreateSession(ctx, auth.Session{TokenHash: bytes.Repeat([]byte{8}, 32), Office: office, Staff: "ghost", Role: queue.RoleClerk, Created: t0, Expires: t0.Add(time.Hour)}), ErrNotFound)
		got, err := db.SessionByTokenHash(ctx, tok, t0.Add(8*time.Hour-time.Nanosecond))
		if err != nil || !reflect.DeepEqual(got, sess) {
			t.Fatalf("session:\nwant %+v\n got %+v, %v", sess, got, err)
		}
		_, err = db.SessionByTokenHash(ctx, tok, t0.Add(8*time.Hour))
		mustErrIs(t, err, ErrNotFound)
		_, err = db.SessionByTokenHash(ctx, bytes.Repeat([]byte{9}, 32), t0)
		mustErrIs(t, err, ErrNotFound)
		if n, err := db.DeleteExpiredSessions(ctx, t0); err != nil || n != 0 {
			t.Fatalf("expired at t0: %d %v", n, err)
		}
		if err := db.DeleteSession(ctx, tok); err != nil {
			t.Fatal(err)
		}
		_, err = db.SessionByTokenHash(ctx, tok, t0)
		mustErrIs(t, err, ErrNotFound)

		if err := db.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		// A new name keeps the session; a new role ends it.
		nv.Name = "Nguyễn Văn Một"
		if err := db.PutStaff(ctx, nv, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByTokenHash(ctx, tok, t0); err != nil {
			t.Fatalf("session after a new name: %v", err)
		}
		nv.Role = queue.RoleAdmin
		if err := db.PutStaff(ctx, nv, nil); err != nil {
			t.Fatal(err)
		}
		_, err = db.SessionByTokenHash(ctx, tok, t0)
		mustErrIs(t, err, ErrNotFound)
		nv.Role = queue.RoleClerk
		if err := db.PutStaff(ctx, nv, nil); err != nil {
			t.Fatal(err)
		}

		if err := db.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		nv.Disabled = true
		if err := db.PutStaff(ctx, nv, nil); err != nil {
			t.Fatal(err)
		}
		_, err = db.SessionByTokenHash(ctx, tok, t0)
		mustErrIs(t, err, ErrNotFound)
	})
}

func TestDevices(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		office := st.Office.ID
		k1, k2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
		kiosk := queue.Device{ID: "kiosk-1", Office: office, Name: "Kiosk sảnh", Kind: queue.DeviceKiosk}
		if err := db.PutDevice(ctx, kiosk, k1); err != nil {
			t.Fatal(err)
		}
		board := queue.Device{ID: "board-1", Office: office, Name: "Màn hình", Kind: queue.DeviceDisplay}
		mustErrIs(t, db.PutDevice(ctx, board, k1), ErrConflict) // same key
		if err := db.PutDevice(ctx, board, k2); err != nil {
			t.Fatal(err)
		}
		if h, err := db.DeviceKeyHash(ctx, office, "board-1"); err != nil || !bytes.Equal(h, k2) {
			t.Fatalf("key hash of board-1: %x %v", h, err)
		}
		_, err := db.DeviceKeyHash(ctx, "other", "board-1")
		mustErrIs(t, err, ErrNotFound)
		if err := db.PutDevice(ctx, queue.Device{ID: "new", Office: office, Kind: queue.DeviceKiosk}, nil); err == nil {
			t.Fatal("new device without a key accepted")
		}
		mustErrIs(t, db.PutDevice(ctx, queue.Device{ID: "x", Office: "nope", Kind: queue.DeviceKiosk}, bytes.Repeat([]byte{3}, 32)), ErrNotFound)

		got, err := db.DeviceByKeyHash(ctx, k1)
		if err != nil || got != kiosk {
			t.Fatalf("by key: %+v %v", got, err)
		}
		_, err = db.DeviceByKeyHash(ctx, bytes.Repeat([]byte{4}, 32))
		mustErrIs(t, err, ErrNotFound)

		seen := t0.Add(time.Minute)
		if err := db.TouchDevice(ctx, "kiosk-1", seen, "paper_near_end"); err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.TouchDevice(ctx, "nope", seen, ""), ErrNotFound)
		got, _ = db.DeviceByKeyHash(ctx, k1)
		if !got.LastSeen.Equal(seen) || got.Status != "paper_near_end" {
			t.Fatalf("touch: %+v", got)
		}
		// Renaming keeps the key and what was seen.
		kiosk.Name = "Kiosk cửa chính"
		if err := db.PutDevice(ctx, kiosk, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.DeviceByKeyHash(ctx, k1); got.Name != kiosk.Name || got.Status != "paper_near_end" {
			t.Fatalf("rename: %+v", got)
		}

		if err := db.RevokeDevice(ctx, "kiosk-1"); err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.RevokeDevice(ctx, "nope"), ErrNotFound)
		got, err = db.DeviceByKeyHash(ctx, k1)
		mustErrIs(t, err, ErrRevoked)
		if got.ID != "kiosk-1" {
			t.Fatalf("revoked device not named: %+v", got)
		}
		list, err := db.ListDevices(ctx, office)
		if err != nil || len(list) != 2 || list[0].ID != "board-1" || !list[1].Revoked {
			t.Fatalf("list: %+v %v", list, err)
		}
	})
}

func TestAuditAndBackup(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		do(t, db, st)(st.Issue(t0, issue("a", "ho-tich")))
		for i, a := range []string{"login", "config.changed"} {
			if err := db.Audit(ctx, st.Office.ID, t0.Add(time.Duration(i)*time.Minute), "nv1", a, "chi tiết"); err != nil {
				t.Fatal(err)
			}
		}
		log, err := db.AuditLog(ctx, st.Office.ID, 0)
		if err != nil || len(log) != 2 || log[0].Action != "config.changed" || !log[1].At.Equal(t0) {
			t.Fatalf("audit: %+v %v", log, err)
		}

		backup := filepath.Join(t.TempDir(), "backup.db")
		if db.Backend() == BackendPostgres {
			err := db.Backup(ctx, backup)
			if err == nil || !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("backup to a file on PostgreSQL: %v, want a refusal that names PostgreSQL's tools", err)
			}
			if _, err := os.Stat(backup); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the refused backup left a file: %v", err)
			}
			return
		}
		if err := db.Backup(ctx, backup); err != nil {
			t.Fatal(err)
		}
		if err := db.Backup(ctx, backup); err == nil {
			t.Fatal("backup over an existing file")
		}
		reopenedSame(t, backup, st)
	})
}

// TestConcurrentCommits issues and calls from many goroutines through one
// mutex-serialized state, as the engine does, and checks the result with
// SQL: no duplicate number, no ticket twice, seq gapless.
func TestConcurrentCommits(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		var mu sync.Mutex
		for _, k := range []string{"q1", "q2", "q3"} {
			do(t, db, st)(st.Open(t0, k, "nv-"+k))
		}
		services := []string{"xay-dung", "ho-tich", "chung-thuc"}
		const kiosks, perKiosk = 8, 40
		var wg sync.WaitGroup
		errs := make(chan error, kiosks*perKiosk*2)
		called := make(chan string, kiosks*perKiosk)
		for k := range kiosks {
			wg.Go(func() {
				for i := range perKiosk {
					mu.Lock()
					now := t0.Add(time.Duration(st.Order+1) * time.Second)
					c, err := st.Issue(now, issue(id(k*perKiosk+i), services[(k+i)%3]))
					if err == nil {
						err = db.Commit(ctx, c, encode(t, c))
					}
					if err == nil {
						st.Apply(c)
					}
					mu.Unlock()
					if err != nil {
						errs <- err
					}
				}
			})
		}
		for _, k := range []string{"q1", "q2", "q3"} {
			wg.Go(func() {
				for range 30 {
					mu.Lock()
					now := t0.Add(time.Duration(st.Order+1) * time.Second)
					c, err := st.Next(now, k, "nv-"+k)
					if err == nil {
						err = db.Commit(ctx, c, encode(t, c))
					}
					if err == nil {
						st.Apply(c)
						if c.Ticket != nil {
							called <- c.Ticket.ID
							// The citizen comes: the clerk starts, as at a real
							// counter (a next within the call guard of a ticket
							// never started is refused, and no issue may have
							// moved the clock in between).
							if c, err = st.Start(now, k, "nv-"+k); err == nil {
								if err = db.Commit(ctx, c, encode(t, c)); err == nil {
									st.Apply(c)
								}
							}
						}
					}
					mu.Unlock()
					if err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		close(called)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for id := range called {
			if seen[id] {
				t.Fatalf("ticket %s called twice", id)
			}
			seen[id] = true
		}
		if n := count(t, db, `SELECT count(*) FROM tickets`); n != kiosks*perKiosk {
			t.Fatalf("%d tickets, want %d", n, kiosks*perKiosk)
		}
		if n := count(t, db, `SELECT count(*) FROM (SELECT 1 FROM tickets GROUP BY office, day, number_service, number HAVING count(*) > 1) AS dup`); n != 0 {
			t.Fatalf("%d duplicate numbers", n)
		}
		if n := count(t, db, `SELECT count(*) FROM (SELECT 1 FROM tickets GROUP BY office, day, display HAVING count(*) > 1) AS dup`); n != 0 {
			t.Fatalf("%d duplicate displayed numbers", n)
		}
		// Per service the numbers are exactly 1..last.
		if n := count(t, db, `SELECT count(*) FROM numbers n WHERE n.last != (SELECT count(*) FROM tickets t
		WHERE t.office = n.office AND t.day = n.day AND t.number_service = n.service AND t.number BETWEEN 1 AND n.last)`); n != 0 {
			t.Fatalf("%d services whose numbers are not 1..last", n)
		}
		var events, minSeq, maxSeq, lastSeq int
		if err := db.r.QueryRow(`SELECT count(*), min(seq), max(seq), (SELECT last_seq FROM offices) FROM events`).Scan(&events, &minSeq, &maxSeq, &lastSeq); err != nil {
			t.Fatal(err)
		}
		if minSeq != 1 || maxSeq != events || lastSeq != events {
			t.Fatalf("seq not gapless: %d events, min %d, max %d, last %d", events, minSeq, maxSeq, lastSeq)
		}
		if n := count(t, db, `SELECT count(*) FROM events e WHERE e.seq > 1 AND NOT EXISTS (SELECT 1 FROM events p WHERE p.office = e.office AND p.seq = e.seq - 1)`); n != 0 {
			t.Fatalf("%d gaps", n)
		}
		db.Close()
		reopenedSameDB(t, db, st)
	})
}

// TestSecondHandle opens the file a second time while the first handle is
// open, as a second process would: it sees every commit of the first, and
// a change made from a state that is stale is refused.
func TestSecondHandle(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		other := reopen(t, db)
		st2, err := other.LoadState(ctx, st.Office.ID)
		if err != nil {
			t.Fatal(err)
		}
		do(t, db, st)(st.Issue(t0, issue("a", "ho-tich")))
		c, err := st2.Issue(t0, issue("b", "ho-tich"))
		if err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, other.Commit(ctx, c, encode(t, c)), ErrConflict)
		st2, err = other.LoadState(ctx, st.Office.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameState(t, st, st2)
		do(t, other, st2)(st2.Issue(t0, issue("b", "ho-tich")))
		got, err := db.LoadState(ctx, st.Office.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameState(t, st2, got)
		if got.Tickets["b"].Display != "B002" {
			t.Fatalf("second handle's ticket %s", got.Tickets["b"].Display)
		}
	})
}
func TestLoadStateValidatesConfig(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		if _, err := db.w.Exec(`UPDATE offices SET config = '{"id":"hoankiem","name":"X","services":[]}'`); err != nil {
			t.Fatal(err)
		}
		_, err := db.LoadState(ctx, st.Office.ID)
		if err == nil || !strings.Contains(err.Error(), "stored configuration is not valid") || queue.KindOf(err) != queue.KindInvalid {
			t.Fatalf("invalid stored configuration loaded: %v", err)
		}
	})
}

func TestCommitNeedsEveryEncoding(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		c, err := st.Issue(t0, issue("a", "ho-tich"))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Commit(ctx, c, nil); err == nil {
			t.Fatal("commit without the event encodings accepted")
		}
		if err := db.Commit(ctx, c, []queue.EncodedEvent{{}}); err == nil {
			t.Fatal("commit with an empty event encoding accepted")
		}
		enc := encode(t, c)
		enc[0].Public = nil
		if err := db.Commit(ctx, c, enc); err == nil {
			t.Fatal("commit without the public encoding accepted")
		}
		if n := count(t, db, `SELECT count(*) FROM tickets`); n != 0 {
			t.Fatalf("%d tickets written by refused commits", n)
		}
	})
}

// sameEncoded reports whether two events' encodings have the same bytes.
func sameEncoded(a, b queue.EncodedEvent) bool {
	return bytes.Equal(a.Staff, b.Staff) && bytes.Equal(a.Public, b.Public)
}
