package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"luot/server/auth"
	"luot/server/queue"
)

// booked is a booking as its booker got it: the code, and the manage
// token of the link in the answer ("" when there is none).
type booked struct {
	Code, Token string
}

// bookFor books xay-dung for phone and returns what the booker got.
func (e *env) bookFor(t *testing.T, date, slot, phone string) booked {
	t.Helper()
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/bookings",
		body: map[string]string{"service": "xay-dung", "date": date, "slot": slot, "name": "Phạm Thị Lan", "phone": phone}})
	var a struct {
		Booking struct {
			Code      string `json:"code"`
			ManageURL string `json:"manage_url"`
		} `json:"booking"`
	}
	r.decode(t, &a)
	b := booked{Code: a.Booking.Code}
	if u, err := url.Parse(a.Booking.ManageURL); err == nil {
		b.Token = u.Query().Get("token")
	}
	return b
}

// TestBookingTakeoverByPhone: knowing someone's phone number is not
// enough to learn their booking's code, cancel it or read their name.
func TestBookingTakeoverByPhone(t *testing.T) {
	e := bookableEnv(t, 3)
	victim := e.bookFor(t, "2026-11-27", "09:00", "0912345678")
	// The attacker books with the victim's phone: the refusal says only
	// that this phone already has an appointment.
	r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/bookings",
		body: map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "10:00", "name": "Kẻ gian", "phone": "+84 912 345 678"}})
	wantErr(t, r, http.StatusConflict, "already_booked")
	if bytes.Contains(r.body, []byte(victim.Code)) || bytes.Contains(r.body, []byte("09:00")) {
		t.Errorf("the duplicate answer tells the victim's booking: %s", r.body)
	}
	// The code and the phone together do not cancel it.
	cancel := func(body any) resp {
		return e.do(t, req{method: "DELETE", path: "/api/v1/bookings/" + victim.Code, body: body})
	}
	for _, body := range []any{
		map[string]string{"phone": "0912345678"},
		map[string]string{"token": "not-the-token"},
		map[string]string{"token": ""},
		map[string]string{},
	} {
		r := cancel(body)
		if r.status == http.StatusOK {
			t.Fatalf("cancelled with %v: %s", body, r.body)
		}
		if bytes.Contains(r.body, []byte("Lan")) || bytes.Contains(r.body, []byte("912")) {
			t.Errorf("answer to %v shows personal data: %s", body, r.body)
		}
	}
	var bk queue.Booking
	if v, _ := e.eng.View(office); v != nil {
		p, _ := v.Frozen().Booking(victim.Code)
		bk = *p
	}
	if bk.Status != queue.BookingBooked {
		t.Fatalf("the victim's booking is %s", bk.Status)
	}
	// The booker's link cancels it; no answer names the citizen.
	r = e.must(t, 200, req{method: "DELETE", path: "/api/v1/bookings/" + victim.Code, body: map[string]string{"token": victim.Token}})
	var a bookingAnswer
	r.decode(t, &a)
	if a.Booking.Status != queue.BookingCancelled || bytes.Contains(r.body, []byte("Lan")) {
		t.Fatalf("cancel answer %s", r.body)
	}
	r = e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/bookings",
		body: map[string]string{"service": "xay-dung", "date": "2026-11-28", "slot": "09:00", "name": "Phạm Thị Lan", "phone": "0912345678"}})
	if bytes.Contains(r.body, []byte("Lan")) {
		t.Errorf("the booking answer returns the name: %s", r.body)
	}
	// The token is stored only as its hash.
	if n := count(t, e, fmt.Sprintf(`SELECT count(*) FROM bookings WHERE code = '%s' AND token_hash = X'%x'`, victim.Code, auth.Hash(victim.Token))); n != 1 {
		t.Fatalf("the booking's token hash is not stored (%d rows)", n)
	}
}

// TestRemoteTicketDuplicateTellsNothing: taking a number with a phone
// that already holds one does not tell which number it holds.
func TestRemoteTicketDuplicateTellsNothing(t *testing.T) {
	e := bookableEnv(t, 3)
	for i := 0; i < 4; i++ {
		e.issue(t, "kiosk1", "ho-tich") // B001…B004: the remote number is B005
	}
	e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "Nguyễn Văn Ánh"}})
	r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912 345 678", "name": "Kẻ gian"}})
	wantErr(t, r, http.StatusConflict, "already_has_number")
	for _, s := range []string{"B005", "005", "Ánh"} {
		if bytes.Contains(r.body, []byte(s)) {
			t.Errorf("the duplicate answer tells %q: %s", s, r.body)
		}
	}
}

// manageToken is the token of a booking's manage link.
func manageToken(t *testing.T, b BookingJSON) string {
	t.Helper()
	u, err := url.Parse(b.ManageURL)
	if err != nil || u.Query().Get("token") == "" || u.Path != "/b/"+b.Code {
		t.Fatalf("booking %s: manage link %q", b.Code, b.ManageURL)
	}
	return u.Query().Get("token")
}
