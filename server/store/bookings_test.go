package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"luot/server/queue"
)

// bookableOffice creates the test office with appointments for xay-dung.
func bookableOffice(t *testing.T, db *DB, now time.Time) *queue.State {
	t.Helper()
	o := testOffice(t)
	o.Services[0].SlotMinutes, o.Services[0].SlotCapacity = 30, 2
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateOffice(ctx, o, now); err != nil {
		t.Fatal(err)
	}
	return queue.NewState(o, o.Day(now))
}

func TestBookingsPersist(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := bookableOffice(t, db, t0)
		commit := do(t, db, st)
		day := st.Day
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGH", Service: "xay-dung", Date: day, Slot: "09:00", Name: "Nguyễn Văn A", Phone: "+84912345678", TokenHash: []byte("0123456789abcdef0123456789abcdeH")}))
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGJ", Service: "xay-dung", Date: day, Slot: "10:00", Name: "Trần Thị B", Phone: "+84912345679", TokenHash: []byte("0123456789abcdef0123456789abcdeJ")}))
		// ACEFGK has no token hash, as the bookings made before tokens existed.
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGK", Service: "xay-dung", Date: "2026-11-27", Slot: "10:00", Name: "Lê C", Phone: "+84912345670"}))
		commit(st.CancelBooking(t0, "ACEFGJ", []byte("0123456789abcdef0123456789abcdeJ")))
		c := commit(st.CheckIn(t0.Add(50*time.Minute), queue.CheckInRequest{Code: "ACEFGH", ID: "tb1", Token: "tok"}))
		if c.Ticket.Booking != "ACEFGH" {
			t.Fatalf("ticket %+v", c.Ticket)
		}

		got := storedSame(t, db, st)
		if len(got.Bookings) != 3 {
			t.Fatalf("loaded %d bookings", len(got.Bookings))
		}
		for code, want := range st.Bookings {
			g := *got.Bookings[code]
			w := *want
			g.CreatedAt, w.CreatedAt = g.CreatedAt.UTC(), w.CreatedAt.UTC()
			if !reflect.DeepEqual(g, w) {
				t.Errorf("booking %s:\nwant %+v\n got %+v", code, w, g)
			}
		}
		b, err := db.Booking(ctx, "ACEFGH")
		if err != nil || b.Status != queue.BookingCheckedIn || b.Ticket != "tb1" {
			t.Fatalf("booking %+v, %v", b, err)
		}
		if _, err := db.Booking(ctx, "XXXXXX"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown booking: %v", err)
		}

		// The next day: the old day's bookings are no longer loaded, tomorrow's are.
		commit(st.Rollover(t0.Add(24*time.Hour)), nil)
		got, err = db.LoadState(ctx, st.Office.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Bookings) != 1 || got.Bookings["ACEFGK"] == nil {
			t.Fatalf("bookings after rollover: %v", got.Bookings)
		}
	})
}

func TestBookingCodeReuseRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := bookableOffice(t, db, t0)
		commit := do(t, db, st)
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGH", Service: "xay-dung", Date: st.Day, Slot: "09:00", Name: "A", Phone: "+84912345678"}))
		commit(st.Rollover(t0.Add(24*time.Hour)), nil)
		// The code left memory with its day; a new booking must not overwrite it.
		c, err := st.Book(t0.Add(24*time.Hour), queue.BookRequest{Code: "ACEFGH", Service: "xay-dung", Date: st.Day, Slot: "15:00", Name: "B", Phone: "+84912345679"})
		if err != nil {
			t.Fatal(err)
		}
		mustErrIs(t, db.Commit(ctx, c, encode(t, c)), ErrConflict)
		b, _ := db.Booking(ctx, "ACEFGH")
		if b.Name != "A" || b.Status != queue.BookingNoShow {
			t.Fatalf("old booking overwritten: %+v", b)
		}
	})
}

func TestRatingsOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		commit := do(t, db, st)
		commit(st.Issue(t0, issue("r1", "xay-dung")))
		r := queue.Rating{Office: st.Office.ID, Ticket: "r1", Score: 4, Comment: "Nhanh, chu đáo", Counter: "q1", Staff: "nv1", Service: "xay-dung", Day: st.Day, At: t0}
		if err := db.PutRating(ctx, r); err != nil {
			t.Fatal(err)
		}
		r2 := r
		r2.Score = 1
		mustErrIs(t, db.PutRating(ctx, r2), ErrConflict)
		r3 := r
		r3.Ticket = "nope"
		mustErrIs(t, db.PutRating(ctx, r3), ErrNotFound)
		r4 := r
		r4.Score = 5
		if err := db.PutRating(ctx, r4); err == nil {
			t.Fatal("score 5 accepted")
		}
		got, err := db.RatingOf(ctx, "r1")
		if err != nil || got.Score != 4 || got.Counter != "q1" || got.Staff != "nv1" || got.Comment != r.Comment || !got.At.Equal(t0) {
			t.Fatalf("rating %+v, %v", got, err)
		}
		if none, err := db.RatingOf(ctx, "r2"); none != nil || err != nil {
			t.Fatalf("unrated: %v %v", none, err)
		}
	})
}

func TestErasePersonalData(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := bookableOffice(t, db, t0)
		commit := do(t, db, st)
		commit(st.IssueRemote(t0, queue.IssueRequest{ID: "old", Token: "x", Service: "xay-dung", Name: "Nguyễn Văn A", Phone: "+84912345678"}))
		commit(st.Book(t0, queue.BookRequest{Code: "ACEFGH", Service: "xay-dung", Date: st.Day, Slot: "15:00", Name: "A", Phone: "+84912345678"}))
		later := t0.AddDate(0, 0, 10)
		commit(st.Rollover(later), nil)
		commit(st.IssueRemote(later, queue.IssueRequest{ID: "new", Token: "y", Service: "xay-dung", Name: "Trần B", Phone: "+84912345679"}))

		// Within the 90 days of retention nothing is erased.
		if n, err := db.ErasePersonalData(ctx, later); err != nil || n != 0 {
			t.Fatalf("erased %d, %v", n, err)
		}
		n, err := db.ErasePersonalData(ctx, t0.AddDate(0, 0, 91))
		if err != nil || n != 2 {
			t.Fatalf("erased %d rows, %v; want the old ticket and booking", n, err)
		}
		old, _ := db.Ticket(ctx, st.Office.ID, "old")
		b, _ := db.Booking(ctx, "ACEFGH")
		kept, _ := db.Ticket(ctx, st.Office.ID, "new")
		if old.Name != "" || old.Phone != "" || b.Name != "" || b.Phone != "" {
			t.Errorf("not erased: ticket %q %q, booking %q %q", old.Name, old.Phone, b.Name, b.Phone)
		}
		if old.Display == "" || b.Status != queue.BookingNoShow || kept.Phone != "+84912345679" {
			t.Errorf("erased too much: %+v %+v %+v", old, b, kept)
		}
	})
}
