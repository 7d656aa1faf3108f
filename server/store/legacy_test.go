package store

import (
	"encoding/json"
	"errors"
	"testing"

	"luot/server/queue"
)

// TestLegacySpellingsLoadCanonical: bookings and opening hours that an
// earlier version stored in odd spellings ("+9:00", "09:+0", "11:-0", a
// service or citizen's name with a bidi override) load in the canonical form, so that the
// places they hold are counted against their slot, and the office still
// loads under the stricter rules.
func TestLegacySpellingsLoadCanonical(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := bookableOffice(t, db, t0) // xay-dung: 30-minute slots of 2 places
		// What an earlier version let in, written as it stored it.
		o := st.Office
		o.Hours["fri"] = []queue.Span{{From: "+7:30", To: "11:-0"}, {From: "13:30", To: "24:00"}}
		o.Services[0].Name = "Cấp giấy phép \u202exây dựng"
		cfg, err := json.Marshal(&o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, `UPDATE offices SET config = ? WHERE id = ?`, string(cfg), o.ID); err != nil {
			t.Fatal(err)
		}
		for i, slot := range []string{"+9:00", "09:+0"} {
			if _, err := db.w.ExecContext(ctx, `INSERT INTO bookings (`+bookingColumns+`, updated_at) VALUES (?, ?, 'xay-dung', '2026-11-27', ?, ?, ?, 'booked', '', ?, NULL, ?)`,
				[]string{"ACEFGA", "ACEFGC"}[i], o.ID, slot, "Nguyễn \u202eLan", "+8491234567"+string(rune('0'+i)), fmtTime(t0), fmtTime(t0)); err != nil {
				t.Fatal(err)
			}
		}

		got, err := db.LoadState(ctx, o.ID)
		if err != nil {
			t.Fatalf("the office no longer loads: %v", err)
		}
		if h := got.Office.Hours["fri"]; h[0].From != "07:30" || h[0].To != "11:00" || h[1].To != "24:00" {
			t.Fatalf("Friday's hours loaded as %v", h)
		}
		if n := got.Office.Services[0].Name; n != "Cấp giấy phép xây dựng" {
			t.Fatalf("service name loaded as %+q", n)
		}
		for _, code := range []string{"ACEFGA", "ACEFGC"} {
			if b := got.Bookings[code]; b.Slot != "09:00" || b.Name != "Nguyễn Lan" {
				t.Fatalf("booking %s loaded with slot %q, name %+q", code, b.Slot, b.Name)
			}
		}
		if b, err := db.Booking(ctx, "ACEFGA"); err != nil || b.Slot != "09:00" {
			t.Fatalf("booking look-up: %+v %v", b, err)
		}
		// The two old bookings fill 09:00: a third is refused, and the slot is
		// not offered.
		_, err = got.Book(t0, queue.BookRequest{Code: "ACEFGE", Service: "xay-dung", Date: "2026-11-27", Slot: "09:00", Name: "B", Phone: "+84912345699"})
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Code != queue.ErrSlotFull.Code {
			t.Fatalf("third booking in a 2-place slot: %v", err)
		}
		slots, err := got.FreeSlots(t0, "xay-dung", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slots {
			if s.Start == "09:00" {
				t.Fatalf("full slot offered: %+v", s)
			}
		}
	})
}
