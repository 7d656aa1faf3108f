package api

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"luot/server/queue"
)

// TestBookingSlotsAtOnce: one request answers every bookable date with its
// free slots, the same as booking-dates and slots date by date; a taken
// place is gone from it; bad input is refused with a clear code.
func TestBookingSlotsAtOnce(t *testing.T) {
	e := bookableEnv(t, 1)
	path := "/api/v1/offices/" + office + "/booking-slots?service=xay-dung"
	var all struct {
		Service string
		Days    []BookingDay
	}
	e.must(t, 200, req{method: "GET", path: path}).decode(t, &all)
	var dates struct{ Dates []string }
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/booking-dates?service=xay-dung"}).decode(t, &dates)
	if all.Service != "xay-dung" || len(all.Days) != len(dates.Dates) || len(all.Days) != 8 {
		t.Fatalf("days %d, dates %v", len(all.Days), dates.Dates)
	}
	for i, d := range all.Days {
		var one struct{ Slots []queue.Slot }
		e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/slots?service=xay-dung&date=" + d.Date}).decode(t, &one)
		a, _ := json.Marshal(d.Slots)
		b, _ := json.Marshal(one.Slots)
		if d.Date != dates.Dates[i] || string(a) != string(b) {
			t.Fatalf("day %s: %s, slots says %s", d.Date, a, b)
		}
	}
	e.book(t, "2026-11-27", "09:00", "0912345678")
	e.must(t, 200, req{method: "GET", path: path}).decode(t, &all)
	for _, s := range all.Days[0].Slots {
		if s.Start == "09:00" {
			t.Fatalf("the full slot 09:00 is still offered: %+v", all.Days[0])
		}
	}

	for _, c := range []struct {
		name, query string
		status      int
		code        string
	}{
		{"no service", "", 400, "invalid_query"},
		{"empty service", "?service=", 400, "invalid_service"},
		{"two services", "?service=xay-dung&service=ho-tich", 400, "invalid_query"},
		{"an extra parameter", "?service=xay-dung&date=2026-11-27", 400, "invalid_query"},
		{"markup", "?service=" + url.QueryEscape("<script>"), 400, "invalid_service"},
		{"a huge id", "?service=" + strings.Repeat("x", 5000), 400, "invalid_service"},
		{"unknown service", "?service=khong-co", 404, "unknown_service"},
		{"a service without slots", "?service=ho-tich", 409, "service_not_bookable"},
	} {
		wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/offices/" + office + "/booking-slots" + c.query}), c.status, c.code)
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/offices/khong-co/booking-slots?service=xay-dung"}), 404, "unknown_office")
}

// TestGetBookingWithItsToken: the manage token shows the booking and its
// status (booked, then cancelled); without it, or with another booking's,
// nothing is confirmed, and the answer never names the holder.
func TestGetBookingWithItsToken(t *testing.T) {
	e := bookableEnv(t, 2)
	b := e.book(t, "2026-11-27", "09:00", "0912345678")
	other := e.book(t, "2026-11-27", "09:30", "0987654321")
	tok := manageToken(t, b)
	path := "/api/v1/bookings/" + b.Code
	r := e.must(t, 200, req{method: "GET", path: path + "?token=" + url.QueryEscape(tok)})
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q", cc)
	}
	if strings.Contains(string(r.body), "Phạm") || strings.Contains(string(r.body), "345678") || strings.Contains(string(r.body), "token") {
		t.Fatalf("the answer names the holder or repeats the token: %s", r.body)
	}
	var a bookingAnswer
	r.decode(t, &a)
	if a.Booking.Status != queue.BookingBooked || a.Booking.Slot != "09:00" || a.Booking.OfficeName == "" || a.Booking.OfficeNameEN != "District 1 One-Stop Shop" || a.Booking.ServiceNameEN != "Construction permits" || a.Booking.ManageURL != "" {
		t.Fatalf("booking %+v", a.Booking)
	}
	// Lower case and spaces in the code are what people type.
	e.must(t, 200, req{method: "GET", path: "/api/v1/bookings/" + url.PathEscape(strings.ToLower(b.Code)) + "?token=" + url.QueryEscape(tok)})

	for _, c := range []struct {
		name, path string
		status     int
		code       string
	}{
		{"no token", path, 401, "token_required"},
		{"empty token", path + "?token=", 401, "token_required"},
		{"a huge token", path + "?token=" + strings.Repeat("t", 129), 401, "token_required"},
		{"a wrong token", path + "?token=wrong", 404, "unknown_booking"},
		{"another booking's token", path + "?token=" + url.QueryEscape(manageToken(t, other)), 404, "unknown_booking"},
		{"an unknown code", "/api/v1/bookings/ACEFGH?token=" + url.QueryEscape(tok), 404, "unknown_booking"},
		{"markup as code", "/api/v1/bookings/%3Cscript%3E?token=x", 400, "invalid_code"},
		{"a huge code", "/api/v1/bookings/" + strings.Repeat("A", 3000) + "?token=x", 400, "invalid_code"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, e.do(t, req{method: "GET", path: c.path}), c.status, c.code)
		})
	}

	e.must(t, 200, req{method: "DELETE", path: path, body: map[string]string{"token": tok}})
	e.must(t, 200, req{method: "GET", path: path + "?token=" + url.QueryEscape(tok)}).decode(t, &a)
	if a.Booking.Status != queue.BookingCancelled {
		t.Fatalf("after cancelling: %+v", a.Booking)
	}
}

// TestOfficeSaysBookableAndNoSMS: the office answer marks the services
// that take appointments, and says that links are not sent by SMS.
func TestOfficeSaysBookableAndNoSMS(t *testing.T) {
	e := bookableEnv(t, 1)
	var o OfficeJSON
	r := e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office})
	r.decode(t, &o)
	if !strings.Contains(string(r.body), `"link_by_sms":false`) || o.LinkBySMS {
		t.Fatalf("link_by_sms: %s", r.body)
	}
	if !strings.Contains(string(r.body), `"phone_code":false`) || o.PhoneCode {
		t.Fatalf("phone_code without a verifier: %s", r.body)
	}
	for _, s := range o.Services {
		if s.Bookable != (s.ID == "xay-dung") {
			t.Fatalf("service %+v", s)
		}
	}
}
