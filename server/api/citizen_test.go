package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/queue"
)

// bookableEnv is the test API with appointments for xay-dung: 30-minute
// slots of capacity places, and generous rate limits.
func bookableEnv(t *testing.T, capacity int) *env {
	t.Helper()
	e := newEnv(t)
	o := testOffice()
	o.Services[0].SlotMinutes, o.Services[0].SlotCapacity = 30, capacity
	o.Policy.BookingHorizonDays = 7
	if _, err := e.eng.Do(context.Background(), office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Reconfigure(now, o, "test")
	}); err != nil {
		t.Fatal(err)
	}
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 1000, PerIPEvery: time.Millisecond, PerPhoneBurst: 1000, PerPhoneEvery: time.Millisecond})
	return e
}

func (e *env) book(t *testing.T, date, slot, phone string) BookingJSON {
	t.Helper()
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/bookings",
		body: map[string]string{"service": "xay-dung", "date": date, "slot": slot, "name": "Phạm Thị Lan", "phone": phone}})
	var a bookingAnswer
	r.decode(t, &a)
	return a.Booking
}

func wantErr(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if got := r.errCode(t); got != code {
		t.Fatalf("code %s, want %s: %s", got, code, r.body)
	}
}

func TestRemoteTicketAndTracking(t *testing.T) {
	e := bookableEnv(t, 3)
	events := e.dial(t, "", nil)
	readEvent(t, events) // snapshot
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912 345 678", "name": "Nguyễn Văn Ánh"}})
	var a ticketAnswer
	r.decode(t, &a)
	tk := a.Ticket
	if tk.Source != queue.SourceRemote || tk.Number != "B001" || !strings.Contains(tk.TrackURL, "/t/"+tk.ID+"?token=") {
		t.Fatalf("ticket %+v", tk)
	}
	if strings.Contains(string(r.body), "912") || strings.Contains(string(r.body), "Ánh") {
		t.Errorf("the answer shows personal data: %s", r.body)
	}
	ev := readEvent(t, events)
	if ev.Type != "ticket.issued" || strings.Contains(string(ev.Data), "912345678") || strings.Contains(string(ev.Data), "Ánh") {
		t.Fatalf("event %s %s", ev.Type, ev.Data)
	}
	// The same phone in another form is the same phone: one live number per service.
	r = e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "+84912345678", "name": "Nguyễn Văn Ánh"}})
	wantErr(t, r, http.StatusConflict, "already_has_number")

	token := tk.TrackURL[strings.Index(tk.TrackURL, "token=")+6:]
	var tr TrackJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/tickets/" + tk.ID + "/track?token=" + token}).decode(t, &tr)
	// Every counter is closed in an office open by its hours: no time.
	if tr.Ticket.Status != "waiting" || !tr.CanCancel || tr.ETAAt != nil || !tr.Ticket.Provisional || len(tr.Counters) != 3 {
		t.Fatalf("track %+v", tr)
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/tickets/" + tk.ID + "/track?token=wrong"}), 404, "unknown_ticket")

	// Live: the holder's stream answers at once, then on every change.
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/tickets/" + tk.ID + "/events?token=" + token
	ws, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	readTrack := func() TrackJSON {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(wait))
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var j TrackJSON
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatal(err)
		}
		return j
	}
	if j := readTrack(); j.Ticket.Status != "waiting" {
		t.Fatalf("first message %+v", j)
	}
	clerk := e.clerk(t, "nv2", "q2")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/next", token: clerk})
	var j TrackJSON
	for j = readTrack(); j.Ticket.Status != "called"; j = readTrack() {
	}
	if j.Ticket.CounterNumber != 2 || j.CanRate {
		t.Fatalf("called %+v", j)
	}
	// Rating waits for the end of the service; then once.
	rate := func(score int) resp {
		return e.do(t, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/rating", body: map[string]any{"token": token, "score": score, "comment": "Cán bộ tận tình"}})
	}
	wantErr(t, rate(4), 409, "not_done")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/start", token: clerk})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/done", token: clerk})
	for j = readTrack(); j.Ticket.Status != "done"; j = readTrack() {
	}
	if !j.CanRate {
		t.Fatalf("done %+v", j)
	}
	if r := rate(4); r.status != 201 {
		t.Fatalf("rating: %d %s", r.status, r.body)
	}
	wantErr(t, rate(1), 409, "already_rated")
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/rating", body: map[string]any{"token": token, "score": 7}}), 400, "invalid_score")
	rt, err := e.db.RatingOf(context.Background(), tk.ID)
	if err != nil || rt.Score != 4 || rt.Counter != "q2" || rt.Staff != "nv2" {
		t.Fatalf("stored rating %+v %v", rt, err)
	}
}

func TestHolderCancel(t *testing.T) {
	e := bookableEnv(t, 3)
	r := e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "A"}})
	var a ticketAnswer
	r.decode(t, &a)
	token := a.Ticket.TrackURL[strings.Index(a.Ticket.TrackURL, "token=")+6:]
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/tickets/" + a.Ticket.ID + "/cancel", body: map[string]string{"token": "nope"}}), 404, "unknown_ticket")
	e.must(t, 200, req{method: "POST", path: "/api/v1/tickets/" + a.Ticket.ID + "/cancel", body: map[string]string{"token": token}})
	var tr TrackJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/tickets/" + a.Ticket.ID + "/track?token=" + token}).decode(t, &tr)
	if tr.Ticket.Status != "cancelled" || tr.Reason != "cancelled" || tr.CanCancel {
		t.Fatalf("after cancel %+v", tr)
	}
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/tickets/" + a.Ticket.ID + "/cancel", body: map[string]string{"token": token}}), 409, "bad_transition")
	// The phone may take a number again.
	e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "A"}})
}

func TestBookCancelAndSlots(t *testing.T) {
	e := bookableEnv(t, 1)
	var dates struct{ Dates []string }
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/booking-dates?service=xay-dung"}).decode(t, &dates)
	if len(dates.Dates) != 8 || dates.Dates[0] != "2026-11-27" {
		t.Fatalf("dates %v", dates.Dates)
	}
	var sl struct{ Slots []queue.Slot }
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/slots?service=xay-dung&date=2026-11-27"}).decode(t, &sl)
	if len(sl.Slots) != 31 || sl.Slots[0].Start != "08:30" {
		t.Fatalf("slots %d, first %+v", len(sl.Slots), sl.Slots[0])
	}
	b := e.book(t, "2026-11-27", "09:00", "0912345678")
	if !queue.ValidBookingCode(b.Code) || b.Status != "booked" || b.Phone != "0912 *** 678" || b.CheckinFrom != "08:30" || b.CheckinUntil != "09:15" {
		t.Fatalf("booking %+v", b)
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/slots?service=xay-dung&date=2026-11-27"}).decode(t, &sl)
	if len(sl.Slots) != 30 {
		t.Fatalf("a full slot is still offered: %d", len(sl.Slots))
	}
	r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/bookings",
		body: map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "09:00", "name": "B", "phone": "0987654321"}})
	wantErr(t, r, 409, "slot_full")
	wantErr(t, e.do(t, req{method: "DELETE", path: "/api/v1/bookings/" + b.Code, body: map[string]string{"token": "wrong"}}), 404, "unknown_booking")
	r = e.must(t, 200, req{method: "DELETE", path: "/api/v1/bookings/" + strings.ToLower(b.Code), body: map[string]string{"token": manageToken(t, b)}})
	var a bookingAnswer
	r.decode(t, &a)
	if a.Booking.Status != "cancelled" {
		t.Fatalf("cancelled %+v", a.Booking)
	}
	wantErr(t, e.do(t, req{method: "DELETE", path: "/api/v1/bookings/" + b.Code, body: map[string]string{"token": manageToken(t, b)}}), 409, "booking_cancelled")
	e.book(t, "2026-11-27", "09:00", "0987654321") // the place is free again
}

func TestCheckInThroughAPI(t *testing.T) {
	e := bookableEnv(t, 3)
	b := e.book(t, "2026-11-27", "09:00", "0912345678")
	checkin := func(code, key string) resp {
		q := req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "kiosk1", body: map[string]string{"code": code}}
		if key != "" {
			q.header = map[string]string{"Idempotency-Key": key}
		}
		return e.do(t, q)
	}
	r := checkin(b.Code, "k1")
	wantErr(t, r, 409, "too_early")
	if !strings.Contains(string(r.body), "08:30") {
		t.Fatalf("too early without the time to come back: %s", r.body)
	}
	if at := comeBackAt(t, r); !at.Equal(start.Add(30 * time.Minute)) {
		t.Fatalf("too early: come_back_at %v, want 08:30: %s", at, r.body)
	}
	wantErr(t, checkin("ACEFGH", ""), 404, "unknown_booking")
	wantErr(t, checkin("ACEFG0", ""), 400, "invalid_code")
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", body: map[string]string{"code": b.Code}}), 401, "unauthenticated")
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "display", body: map[string]string{"code": b.Code}}), 403, "not_a_kiosk")

	e.clock.Advance(45 * time.Minute) // 08:45, inside [08:30, 09:15]
	r = e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "kiosk1", body: map[string]string{"code": strings.ToLower(b.Code)}, header: map[string]string{"Idempotency-Key": "k2"}})
	var a ticketAnswer
	r.decode(t, &a)
	if a.Ticket.Source != queue.SourceBooking || a.Ticket.Number != "A001" {
		t.Fatalf("ticket %+v", a.Ticket)
	}
	v, _ := e.eng.View(office)
	if tk := v.Tickets[a.Ticket.ID]; !tk.VA.Equal(time.Date(2026, 11, 27, 9, 0, 0, 0, start.Location())) || tk.Booking != b.Code {
		t.Fatalf("VA %v booking %s", tk.VA, tk.Booking)
	}
	// The kiosk retries: the same ticket.
	r2 := checkin(b.Code, "k2")
	var a2 ticketAnswer
	r2.decode(t, &a2)
	if r2.status != 201 || a2.Ticket.ID != a.Ticket.ID || r2.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s", r2.status, r2.body)
	}
	wantErr(t, checkin(b.Code, ""), 409, "already_checked_in")
	// Cancelled bookings are refused with their reason.
	c := e.book(t, "2026-11-27", "10:00", "0912345670")
	e.must(t, 200, req{method: "DELETE", path: "/api/v1/bookings/" + c.Code, body: map[string]string{"token": manageToken(t, c)}})
	wantErr(t, checkin(c.Code, ""), 409, "booking_cancelled")
}

// TestLastPlacesUnderConcurrency: 50 citizens book the last 3 places of a
// slot at the same instant; exactly 3 get them, the others "slot just
// filled".
func TestLastPlacesUnderConcurrency(t *testing.T) {
	e := bookableEnv(t, 5)
	e.book(t, "2026-11-28", "09:00", "0900000001")
	e.book(t, "2026-11-28", "09:00", "0900000002")
	const n = 50
	var wg sync.WaitGroup
	statuses := make([]int, n)
	codes := make([]string, n)
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/bookings",
				body: map[string]string{"service": "xay-dung", "date": "2026-11-28", "slot": "09:00", "name": fmt.Sprintf("Công dân %d", i), "phone": fmt.Sprintf("09110000%02d", i)}})
			statuses[i] = r.status
			if r.status == 409 {
				codes[i] = r.errCode(t)
			}
		}()
	}
	close(gate)
	wg.Wait()
	ok := 0
	for i, s := range statuses {
		switch {
		case s == 201:
			ok++
		case s == 409 && codes[i] == "slot_full":
		default:
			t.Errorf("client %d: status %d %s", i, s, codes[i])
		}
	}
	if ok != 3 {
		t.Fatalf("%d bookings succeeded, want exactly 3", ok)
	}
	if n := count(t, e, `SELECT count(*) FROM bookings WHERE date = '2026-11-28' AND slot = '09:00' AND status = 'booked'`); n != 5 {
		t.Fatalf("%d bookings stored in the slot, want 5", n)
	}
}

// count runs a counting query on the test database through a separate
// read-only connection.
func count(t *testing.T, e *env, q string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestCitizenBadInput: every bad request gets a clear error and stores
// nothing.
func TestCitizenBadInput(t *testing.T) {
	e := bookableEnv(t, 3)
	remote := "/api/v1/offices/" + office + "/remote-tickets"
	books := "/api/v1/offices/" + office + "/bookings"
	bk := func(date, slot, name, phone string) map[string]string {
		return map[string]string{"service": "xay-dung", "date": date, "slot": slot, "name": name, "phone": phone}
	}
	for _, c := range []struct {
		path   string
		body   any
		status int
		code   string
	}{
		{remote, map[string]string{"service": "ho-tich", "phone": "12345", "name": "A"}, 400, "invalid_phone"},
		{remote, map[string]string{"service": "ho-tich", "phone": "0212345678", "name": "A"}, 400, "invalid_phone"},
		{remote, map[string]string{"service": "ho-tich", "phone": "+1 415 555 0100", "name": "A"}, 400, "invalid_phone"},
		{remote, map[string]string{"service": "ho-tich", "phone": "0912345678", "name": ""}, 400, "invalid_name"},
		{remote, map[string]string{"service": "ho-tich", "phone": "0912345678", "name": strings.Repeat("Ư", 101)}, 400, "invalid_name"},
		{remote, map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "<script>alert(1)</script>"}, 400, "invalid_name"},
		{remote, map[string]string{"service": "<script>", "phone": "0912345678", "name": "A"}, 400, "invalid_service"},
		{remote, map[string]string{"service": "khong-co", "phone": "0912345678", "name": "A"}, 404, "unknown_service"},
		{remote, map[string]any{"service": "ho-tich", "phone": "0912345678", "name": "A", "priority": "elderly"}, 400, "unknown_field"},
		{remote, `{"service":"ho-tich"`, 400, "invalid_json"},
		{books, bk("2026-11-26", "09:00", "A", "0912345678"), 400, "date_in_past"},
		{books, bk("2026-12-05", "09:00", "A", "0912345678"), 400, "date_beyond_horizon"},
		{books, bk("2026-11-27", "09:10", "A", "0912345678"), 404, "unknown_slot"},
		{books, bk("2026-11-27", "25:00", "A", "0912345678"), 400, "invalid_slot"},
		{books, bk("2026-11-27", "+9:00", "A", "0912345678"), 400, "invalid_slot"},
		{books, bk("2026-11-27", "07:30", "A", "0912345678"), 409, "slot_past"},
		{books, bk("2026-11-27", "<b>x", "A", "0912345678"), 400, "invalid_slot"},
		{books, bk("27-11-2026", "09:00", "A", "0912345678"), 400, "invalid_date"},
		{books, bk("2026-11-27", "09:00", strings.Repeat("a", 5000), "0912345678"), 400, "invalid_name"},
		{books, bk("2026-11-27", "09:00", "A", "0912345678'; DROP TABLE bookings;--"), 400, "invalid_phone"},
		{books, map[string]string{"service": "ho-tich", "date": "2026-11-27", "slot": "09:00", "name": "A", "phone": "0912345678"}, 409, "service_not_bookable"},
		{books, strings.Repeat(" ", 9000), 413, "body_too_large"},
	} {
		r := e.do(t, req{method: "POST", path: c.path, body: c.body})
		if r.status != c.status || r.errCode(t) != c.code {
			t.Errorf("%s %v: %d %s, want %d %s", c.path, c.body, r.status, r.body, c.status, c.code)
		}
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/offices/" + office + "/slots?service=xay-dung&date=2027-01-01"}), 400, "date_beyond_horizon")
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/offices/" + office + "/slots?service=xay-dung"}), 400, "invalid_date")
	wantErr(t, e.do(t, req{method: "DELETE", path: "/api/v1/bookings/%3Cscript%3E", body: map[string]string{"token": "x"}}), 400, "invalid_code")
	if n := count(t, e, `SELECT count(*) FROM bookings`) + count(t, e, `SELECT count(*) FROM tickets`); n != 0 {
		t.Fatalf("bad input stored %d rows", n)
	}
}

// TestCitizenFlood: past the limits, 429 with Retry-After, nothing stored.
func TestCitizenFlood(t *testing.T) {
	e := bookableEnv(t, 3)
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 5, PerIPEvery: time.Minute, PerPhoneBurst: 2, PerPhoneEvery: time.Hour})
	path := "/api/v1/offices/" + office + "/bookings"
	// Per phone: the third request of one phone is refused, whatever it asks.
	for i := range 3 {
		r := e.do(t, req{method: "POST", path: path, header: map[string]string{"Accept-Language": "en"},
			body: map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "09:10", "name": "A", "phone": "0912345678"}})
		if i < 2 && r.status != 404 {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
		if i == 2 {
			wantErr(t, r, 429, "rate_limited")
			if !strings.Contains(string(r.body), "for this phone number") {
				t.Fatalf("the phone's third request was refused for another reason: %s", r.body)
			}
			if r.header.Get("Retry-After") == "" {
				t.Fatal("no Retry-After")
			}
		}
	}
	// Per address: the flood is cut off.
	limited := 0
	for i := range 20 {
		r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", body: map[string]string{"service": "ho-tich", "name": "A", "phone": fmt.Sprintf("09120000%02d", i)}})
		if r.status == 429 {
			limited++
			if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
				t.Fatalf("Retry-After %q", ra)
			}
		}
	}
	// The address had 5 writes, the bookings took 3 (one each: the
	// phone's limit does not charge the address again).
	if limited != 18 {
		t.Fatalf("%d of 20 flood requests were limited, want 18", limited)
	}
	if n := count(t, e, `SELECT count(*) FROM tickets`); n > 5 {
		t.Fatalf("%d tickets from a flood", n)
	}
}
