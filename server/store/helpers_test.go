package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"luot/server/queue"
)

var ctx = context.Background()

// t0 is 08:00 in Hà Nội on a Thursday; 17:00 UTC is local midnight.
var t0 = time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)

func testOffice(t testing.TB) queue.Office {
	t.Helper()
	o := queue.Office{
		ID:       "hoankiem",
		Name:     "Bộ phận một cửa phường Hoàn Kiếm",
		NameEN:   "Hoan Kiem ward one-stop shop",
		Timezone: "Asia/Ho_Chi_Minh",
		Hours:    queue.AlwaysOpen(),
		Policy:   queue.DefaultPolicy(),
		Services: []queue.Service{
			{ID: "xay-dung", Name: "Cấp giấy phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 10, Active: true},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "B", DefaultMinutes: 5, Active: true},
			{ID: "chung-thuc", Name: "Chứng thực bản sao", NameEN: "Certified copies", FirstNumber: 1001, DefaultMinutes: 3, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "ho-tich", OffsetMinutes: 10}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "chung-thuc"}}},
			{ID: "q3", Number: 3, Name: "Quầy 3", Services: []queue.CounterService{{Service: "chung-thuc"}}},
		},
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

func openDB(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "luot.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// newOffice creates the test office in db and returns its empty state.
func newOffice(t testing.TB, db *DB, now time.Time) *queue.State {
	t.Helper()
	o := testOffice(t)
	if err := db.CreateOffice(ctx, o, now); err != nil {
		t.Fatal(err)
	}
	return queue.NewState(o, o.Day(now))
}

func encode(t testing.TB, c *queue.Change) []queue.EncodedEvent {
	t.Helper()
	out := make([]queue.EncodedEvent, len(c.Events))
	for i := range c.Events {
		var err error
		if out[i], err = c.Events[i].Encode(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// do returns a function that commits the change of a command and applies
// it, failing the test on any error: do(t, db, st)(st.Next(now, "q1", "nv1")).
func do(t testing.TB, db *DB, st *queue.State) func(*queue.Change, error) *queue.Change {
	return func(c *queue.Change, err error) *queue.Change {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			t.Fatal("nil change")
		}
		if err := db.Commit(ctx, c, encode(t, c)); err != nil {
			t.Fatal(err)
		}
		st.Apply(c)
		return c
	}
}

func issue(id string, service string) queue.IssueRequest {
	return queue.IssueRequest{ID: id, Token: "tok-" + id, Service: service, Source: queue.SourceKiosk}
}

// normTicket returns a copy of t with every time in UTC and without a
// monotonic reading, so that DeepEqual compares instants.
func normTicket(t *queue.Ticket) queue.Ticket {
	c := *t
	for _, p := range []*time.Time{&c.VA, &c.IssuedAt, &c.CalledAt, &c.RecalledAt, &c.ServingAt, &c.FinishedAt} {
		*p = p.UTC()
	}
	if t.Transfers != nil {
		c.Transfers = make([]queue.Transfer, len(t.Transfers))
		for i, x := range t.Transfers {
			x.At = x.At.UTC()
			c.Transfers[i] = x
		}
	}
	return c
}

// sameState fails the test unless got is the state want describes.
// storedSame checks that db holds the office's state st, and returns the
// state loaded.
func storedSame(t testing.TB, db *DB, st *queue.State) *queue.State {
	t.Helper()
	got, err := db.LoadState(ctx, st.Office.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, st, got)
	return got
}

// reopenedSame opens the database file path anew, as a restarted server
// would, checks that it holds the office's state st, and returns it (closed
// at the end of the test).
func reopenedSame(t testing.TB, path string, st *queue.State) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storedSame(t, db, st)
	return db
}

// reopenedSameDB is reopenedSame for a database of either backend: it
// opens db's file or URL anew.
func reopenedSameDB(t testing.TB, db *DB, st *queue.State) *DB {
	t.Helper()
	again := reopen(t, db)
	storedSame(t, again, st)
	return again
}

func sameState(t testing.TB, want, got *queue.State) {
	t.Helper()
	wo, _ := json.Marshal(want.Office)
	gotO, _ := json.Marshal(got.Office)
	if string(wo) != string(gotO) {
		t.Errorf("office:\nwant %s\n got %s", wo, gotO)
	}
	if want.Office.Location().String() != got.Office.Location().String() {
		t.Errorf("location: want %s, got %s", want.Office.Location(), got.Office.Location())
	}
	if want.Day != got.Day || want.Seq != got.Seq || want.Order != got.Order {
		t.Errorf("day/seq/order: want %s/%d/%d, got %s/%d/%d", want.Day, want.Seq, want.Order, got.Day, got.Seq, got.Order)
	}
	for _, f := range []struct {
		name      string
		want, got any
	}{
		{"counters", want.Counters, got.Counters},
		{"numbers", want.Numbers, got.Numbers},
		{"averages", want.Averages, got.Averages},
		{"remote", want.Remote, got.Remote},
	} {
		if !reflect.DeepEqual(f.want, f.got) {
			t.Errorf("%s:\nwant %v\n got %v", f.name, f.want, f.got)
		}
	}
	if len(want.Tickets) != len(got.Tickets) {
		t.Errorf("tickets: want %d, got %d", len(want.Tickets), len(got.Tickets))
	}
	for id, wt := range want.Tickets {
		gt, ok := got.Tickets[id]
		if !ok {
			t.Errorf("ticket %s (%s) missing", id, wt.Display)
			continue
		}
		if w, g := normTicket(wt), normTicket(gt); !reflect.DeepEqual(w, g) {
			t.Errorf("ticket %s:\nwant %+v\n got %+v", id, w, g)
		}
	}
}

func count(t testing.TB, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.r.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func mustErrIs(t testing.TB, err, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", target)
	}
	if !errorsIs(err, target) {
		t.Fatalf("error %q is not %v", err, target)
	}
}

func id(i int) string { return fmt.Sprintf("t%04d", i) }
