package queue

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// bookable gives service a appointments of 30 minutes, 3 places each.
func bookable(o *Office) {
	o.Services[0].SlotMinutes = 30
	o.Services[0].SlotCapacity = 3
}

// weekdays opens the office 07:30–11:30 and 13:30–17:00, Monday to Friday.
func weekdays(o *Office) {
	o.Hours = WeekHours{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		o.Hours[d] = []Span{{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}}
	}
}

func (s *tstate) book(now time.Time, code, date, slot, phone string) *Booking {
	s.t.Helper()
	c := s.do(s.Book(now, BookRequest{Code: code, Service: "a", Date: date, Slot: slot, Name: "Trần Văn " + code, Phone: phone, TokenHash: tokenHash(code)}))
	if len(c.Bookings) != 1 || len(c.Events) != 1 || c.Events[0].Type != EventBookingCreated {
		s.t.Fatalf("book: %d bookings, events %v", len(c.Bookings), eventTypes(c))
	}
	return c.Bookings[0]
}

func (s *tstate) checkIn(now time.Time, code, id string) *Ticket {
	s.t.Helper()
	c := s.do(s.CheckIn(now, CheckInRequest{Code: code, ID: id, Token: "tok-" + id}))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketIssued, EventBookingCheckedIn}) {
		s.t.Fatalf("check-in events %v", got)
	}
	return c.Ticket
}

func (s *tstate) remote(now time.Time, id, phone string) *Ticket {
	s.t.Helper()
	return s.do(s.IssueRemote(now, IssueRequest{ID: id, Token: "tok-" + id, Service: "a", Name: "Lê Thị " + id, Phone: phone})).Ticket
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if e.Message == "" {
		t.Fatalf("error %s has no message", code)
	}
}

// TestFixtureMorning merges walk-ins, remote numbers, early, on-time and
// late appointments and priority tickets, all for service a, into the one
// line that counter 1 calls. Policy: priority bonus 20 minutes, check-in
// window [slot − 30, slot + 15], late check-ins become walk-ins.
//
//	time   who  what                               virtual arrival  key (VA − bonus)
//	07:40  W1   kiosk walk-in                      07:40            07:40
//	07:45  R1   remote number from home            07:45            07:45
//	07:50  B1   08:00 booking, checks in early     08:00 (slot)     08:00
//	07:52  W2   kiosk walk-in                      07:52            07:52
//	07:55  P1   elderly walk-in                    07:55            07:35
//	08:05  W3   kiosk walk-in                      08:05            08:05
//	08:10  B2   08:00 booking, checks in on time   08:00 (slot)     08:00
//	08:12  R2   remote number                      08:12            08:12
//	08:14  P2   pregnant walk-in                   08:14            07:54
//	08:20  B3   08:00 booking, 5 min past window   08:20 (now)      08:20
//	08:20  B4   09:00 booking: too early, "come back at 08:30"
//
// Counter 1 opens at 08:25 and calls, smallest key first:
//
//	P1  07:35  elderly: treated as arrived 20 minutes earlier, so ahead of W1
//	           who came 15 minutes before her — but she would not pass
//	           anyone who had waited more than 20 minutes longer.
//	W1  07:40  first walk-in.
//	R1  07:45  a remote number is a walk-in who arrived when it was taken.
//	W2  07:52  came before the 08:00 slot began: a booking never passes
//	           someone who arrived before its slot.
//	P2  07:54  pregnant, arrived 08:14: 20 minutes of bonus put her before
//	           the 08:00 appointments.
//	B1  08:00  checked in early: waits for its slot start, not before it.
//	B2  08:00  same slot: ties go by issue order (B1 checked in first).
//	W3  08:05  arrived after the slot began, so the appointments go first.
//	R2  08:12  remote number taken at 08:12.
//	B3  08:20  missed the window: a walk-in arriving at 08:20.
func TestFixtureMorning(t *testing.T) {
	s := newTestState(t, bookable)
	s.book(at("07:00"), "ACEFGH", testDay, "08:00", "+84901000001")
	s.book(at("07:01"), "ACEFGJ", testDay, "08:00", "+84901000002")
	s.book(at("07:02"), "ACEFGK", testDay, "08:00", "+84901000003")
	s.book(at("07:03"), "ACEFGM", testDay, "09:00", "+84901000004")

	s.issue(at("07:40"), "W1", "a", PriorityNone)
	s.remote(at("07:45"), "R1", "+84911000001")
	b1 := s.checkIn(at("07:50"), "ACEFGH", "B1")
	s.issue(at("07:52"), "W2", "a", PriorityNone)
	s.issue(at("07:55"), "P1", "a", PriorityElderly)
	s.issue(at("08:05"), "W3", "a", PriorityNone)
	b2 := s.checkIn(at("08:10"), "ACEFGJ", "B2")
	s.remote(at("08:12"), "R2", "+84911000002")
	s.issue(at("08:14"), "P2", "a", PriorityPregnant)
	b3 := s.checkIn(at("08:20"), "ACEFGK", "B3")
	_, err := s.CheckIn(at("08:20"), CheckInRequest{Code: "ACEFGM", ID: "B4", Token: "x"})
	wantCode(t, err, "too_early")
	if !strings.Contains(err.Error(), "08:30") {
		t.Errorf("too early message %q does not say to come back at 08:30", err)
	}
	if qe := err.(*Error); !qe.ComeBackAt.Equal(at("08:30")) || qe.ComeBackAt.Location().String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("too early: ComeBackAt %v, want 08:30 in the office's zone", qe.ComeBackAt)
	}

	for _, c := range []struct {
		t    *Ticket
		va   string
		book string
	}{{b1, "08:00", "ACEFGH"}, {b2, "08:00", "ACEFGJ"}, {b3, "08:20", "ACEFGK"}} {
		if !c.t.VA.Equal(at(c.va)) || c.t.Source != SourceBooking || c.t.Booking != c.book || c.t.Phone == "" {
			t.Errorf("ticket %s: VA %v source %s booking %s phone %q; want VA %s from booking %s", c.t.ID, c.t.VA.In(hcm).Format("15:04"), c.t.Source, c.t.Booking, c.t.Phone, c.va, c.book)
		}
	}
	if b := s.Bookings["ACEFGH"]; b.Status != BookingCheckedIn || b.Ticket != "B1" {
		t.Errorf("booking after check-in: %+v", b)
	}

	s.open(at("08:25"), "c1")
	var order []string
	for i := 0; i < 11; i++ {
		id := s.next(at("08:25").Add(time.Duration(i)*10*time.Minute), "c1")
		if id == "" {
			break
		}
		order = append(order, id)
	}
	want := []string{"P1", "W1", "R1", "W2", "P2", "B1", "B2", "W3", "R2", "B3"}
	if !slices.Equal(order, want) {
		t.Fatalf("call order\n got %v\nwant %v", order, want)
	}

	// B4 comes back at 08:30 as told, inside its window: it arrives at 09:00.
	b4 := s.checkIn(at("08:30"), "ACEFGM", "B4")
	if !b4.VA.Equal(at("09:00")) {
		t.Errorf("B4 VA %v", b4.VA)
	}
}

func TestLateCheckinRefused(t *testing.T) {
	s := newTestState(t, bookable, func(o *Office) { o.Policy.LateCheckin = LateRefuse })
	s.book(at("07:00"), "ACEFGH", testDay, "08:00", "+84901000001")
	_, err := s.CheckIn(at("08:16"), CheckInRequest{Code: "ACEFGH", ID: "x", Token: "y"})
	wantCode(t, err, "too_late")
	if !strings.Contains(err.Error(), "08:15") {
		t.Errorf("message %q does not say when check-in closed", err)
	}
	// At the last minute of the window it is still on time.
	tk := s.checkIn(at("08:15"), "ACEFGH", "x")
	if !tk.VA.Equal(at("08:00")) {
		t.Errorf("VA %v", tk.VA)
	}
	_, err = s.CheckIn(at("08:15"), CheckInRequest{Code: "ACEFGH", ID: "z", Token: "y"})
	wantCode(t, err, "already_checked_in")
}

func TestCheckInErrors(t *testing.T) {
	s := newTestState(t, bookable)
	s.book(at("07:00"), "ACEFGH", testDay, "08:00", "+84901000001")
	s.book(at("07:00"), "ACEFGJ", "2026-11-30", "08:00", "+84901000001")
	_, err := s.CheckIn(at("08:00"), CheckInRequest{Code: "XXXXXX", ID: "a", Token: "b"})
	wantCode(t, err, "unknown_booking")
	_, err = s.CheckIn(at("08:00"), CheckInRequest{Code: "ACEFGJ", ID: "a", Token: "b"})
	wantCode(t, err, "too_early")
	if !strings.Contains(err.Error(), "30/11/2026") || !strings.Contains(err.Error(), "07:30") {
		t.Errorf("message %q does not name the day and time to come", err)
	}
	if qe := err.(*Error); !qe.ComeBackAt.Equal(atOn("2026-11-30", "07:30")) {
		t.Errorf("too early for another day: ComeBackAt %v, want 30/11 07:30", qe.ComeBackAt)
	}
	_, err = s.CancelBooking(at("07:10"), "ACEFGH", tokenHash("ACEFGJ"))
	wantCode(t, err, "unknown_booking") // wrong token: no hint that the code exists
	_, err = s.CancelBooking(at("07:10"), "ACEFGH", nil)
	wantCode(t, err, "unknown_booking")
	c := s.do(s.CancelBooking(at("07:10"), "ACEFGH", tokenHash("ACEFGH")))
	if c.Bookings[0].Status != BookingCancelled || c.Events[0].Type != EventBookingCancelled {
		t.Fatalf("cancel change %+v %v", c.Bookings[0], eventTypes(c))
	}
	_, err = s.CheckIn(at("08:00"), CheckInRequest{Code: "ACEFGH", ID: "a", Token: "b"})
	wantCode(t, err, "booking_cancelled")
	_, err = s.CancelBooking(at("07:10"), "ACEFGH", tokenHash("ACEFGH"))
	wantCode(t, err, "booking_cancelled")
	// A booking without a token (made before tokens existed) cannot be
	// cancelled with any token, not even an empty one.
	s.do(s.Book(at("07:00"), BookRequest{Code: "ACEFGK", Service: "a", Date: testDay, Slot: "09:00", Name: "A", Phone: "+84901000007"}))
	for _, h := range [][]byte{nil, {}, tokenHash("ACEFGK")} {
		_, err = s.CancelBooking(at("07:10"), "ACEFGK", h)
		wantCode(t, err, "unknown_booking")
	}
}

// tokenHash stands for the hash of a booking's manage token in these
// tests (the domain only compares hashes).
func tokenHash(code string) []byte { return []byte("sha256 of the token of " + code) }

// TestDuplicateRefusalsTellNothing: refusing a second booking or number
// for a phone does not tell the first one's code, slot or number.
func TestDuplicateRefusalsTellNothing(t *testing.T) {
	s := newTestState(t, bookable)
	s.book(at("07:00"), "ACEFGH", testDay, "09:00", "+84901000001")
	_, err := s.Book(at("07:00"), BookRequest{Code: "ACEFGJ", Service: "a", Date: testDay, Slot: "10:00", Name: "B", Phone: "+84901000001", TokenHash: tokenHash("ACEFGJ")})
	wantCode(t, err, "already_booked")
	if m := err.Error(); strings.Contains(m, "ACEFGH") || strings.Contains(m, "09:00") || strings.Contains(m, "Trần") {
		t.Errorf("the refusal tells the first booking: %s", m)
	}
	r := IssueRequest{ID: "t1", Token: "x", Service: "a", Name: "A", Phone: "+84901000001"}
	s.do(s.IssueRemote(at("08:00"), r))
	r.ID = "t2"
	_, err = s.IssueRemote(at("08:01"), r)
	wantCode(t, err, "already_has_number")
	if m := err.Error(); strings.Contains(m, "001") {
		t.Errorf("the refusal tells the number held: %s", m)
	}
}

func TestSlotsAndCapacity(t *testing.T) {
	s := newTestState(t, bookable, weekdays, func(o *Office) {
		o.Holidays = []string{"2026-12-02"}
		o.Policy.BookingHorizonDays = 7
	})
	now := at("08:10") // Friday 27 November
	dates, err := s.BookingDates(now, "a")
	if err != nil {
		t.Fatal(err)
	}
	// Weekend and the holiday of Wednesday 2 December are skipped.
	want := []string{"2026-11-27", "2026-11-30", "2026-12-01", "2026-12-03", "2026-12-04"}
	if !slices.Equal(dates, want) {
		t.Fatalf("dates %v, want %v", dates, want)
	}
	slots, err := s.FreeSlots(now, "a", testDay)
	if err != nil {
		t.Fatal(err)
	}
	// 08:00 has begun; 07:30–11:30 gives 08:30 … 11:00, 13:30–17:00 gives 13:30 … 16:30.
	if len(slots) != 6+7 || slots[0].Start != "08:30" || slots[5].Start != "11:00" || slots[6].Start != "13:30" || slots[12].End != "17:00" {
		t.Fatalf("slots %+v", slots)
	}
	for i, p := range []string{"+84901000001", "+84901000002", "+84901000003"} {
		s.book(now, "ACEFG"+string(BookingCodeAlphabet[i]), testDay, "09:00", p)
	}
	_, err = s.Book(now, BookRequest{Code: "ACEFGX", Service: "a", Date: testDay, Slot: "09:00", Name: "X", Phone: "+84901000009"})
	wantCode(t, err, "slot_full")
	slots, _ = s.FreeSlots(now, "a", testDay)
	for _, sl := range slots {
		if sl.Start == "09:00" {
			t.Fatalf("a full slot is offered: %+v", sl)
		}
	}
	// A cancelled place is free again.
	s.do(s.CancelBooking(now, "ACEFGA", tokenHash("ACEFGA")))
	s.book(now, "ACEFGX", testDay, "09:00", "+84901000009")

	bad := []struct {
		r    BookRequest
		code string
	}{
		{BookRequest{Service: "a", Date: "2026-11-26", Slot: "09:00"}, "date_in_past"},
		{BookRequest{Service: "a", Date: "2026-12-07", Slot: "09:00"}, "date_beyond_horizon"},
		{BookRequest{Service: "a", Date: "2026-12-02", Slot: "09:00"}, "date_closed"},
		{BookRequest{Service: "a", Date: "2026-11-28", Slot: "09:00"}, "date_closed"},
		{BookRequest{Service: "a", Date: "27/11/2026", Slot: "09:00"}, "invalid_date"},
		{BookRequest{Service: "a", Date: testDay, Slot: "09:10"}, "unknown_slot"},
		{BookRequest{Service: "a", Date: testDay, Slot: "12:00"}, "unknown_slot"},
		{BookRequest{Service: "a", Date: testDay, Slot: "<script>"}, "invalid_slot"},
		{BookRequest{Service: "a", Date: testDay, Slot: "+9:00"}, "invalid_slot"},
		{BookRequest{Service: "a", Date: testDay, Slot: "10:-0"}, "invalid_slot"},
		{BookRequest{Service: "a", Date: testDay, Slot: "9:00"}, "invalid_slot"},
		{BookRequest{Service: "a", Date: testDay, Slot: "08:00"}, "slot_past"},
		{BookRequest{Service: "b", Date: testDay, Slot: "09:00"}, "service_not_bookable"},
		{BookRequest{Service: "zz", Date: testDay, Slot: "09:00"}, "unknown_service"},
		{BookRequest{Service: "a", Date: testDay, Slot: "09:30", Phone: "+84901000002"}, "already_booked"},
		{BookRequest{Service: "a", Date: testDay, Slot: "09:30", Name: strings.Repeat("x", MaxNameLen+1)}, "invalid_name"},
	}
	for _, b := range bad {
		b.r.Code = "HHHHHH"
		if b.r.Phone == "" {
			b.r.Phone = "+84988888888"
		}
		if b.r.Name == "" {
			b.r.Name = "Ngô Văn B"
		}
		_, err := s.Book(now, b.r)
		wantCode(t, err, b.code)
	}
	_, err = s.Book(now, BookRequest{Code: "ACEFGX", Service: "a", Date: testDay, Slot: "10:00", Name: "A", Phone: "+84977777777"})
	wantCode(t, err, "duplicate_code")
}

func TestRolloverMakesNoShows(t *testing.T) {
	s := newTestState(t, bookable)
	s.book(at("07:00"), "ACEFGH", testDay, "08:00", "+84901000001")
	s.book(at("07:00"), "ACEFGJ", testDay, "09:00", "+84901000002")
	s.book(at("07:00"), "ACEFGK", "2026-11-28", "09:00", "+84901000003")
	s.checkIn(at("08:00"), "ACEFGH", "t1")
	c := s.Rollover(atOn("2026-11-28", "00:00:01"))
	s.apply(c)
	types := eventTypes(c)
	if !slices.Contains(types, EventBookingNoShow) || types[len(types)-1] != EventDayRolled {
		t.Fatalf("rollover events %v", types)
	}
	var noShows []string
	for _, b := range c.Bookings {
		if b.Status == BookingNoShow {
			noShows = append(noShows, b.Code)
		}
	}
	if !slices.Equal(noShows, []string{"ACEFGJ"}) {
		t.Fatalf("no-shows %v", noShows)
	}
	if _, ok := s.Bookings["ACEFGJ"]; ok {
		t.Error("a booking of the old day stayed in memory")
	}
	if _, ok := s.Bookings["ACEFGK"]; !ok {
		t.Error("tomorrow's booking left memory")
	}
}

func TestRemoteNumbers(t *testing.T) {
	s := newTestState(t, weekdays, func(o *Office) { o.Services[0].RemoteCap = 2 })
	_, err := s.IssueRemote(at("07:00"), IssueRequest{ID: "r0", Token: "t", Service: "a", Name: "A", Phone: "+84911000001"})
	wantCode(t, err, "office_closed")
	if qe := err.(*Error); !qe.ComeBackAt.Equal(at("07:30")) || !strings.Contains(qe.Message, "07:30 on 27/11/2026") {
		t.Errorf("office closed at 07:00: ComeBackAt %v, message %q; want 07:30 that day", qe.ComeBackAt, qe.Message)
	}
	r1 := s.remote(at("08:00"), "r1", "+84911000001")
	if r1.Source != SourceRemote || !r1.VA.Equal(at("08:00")) {
		t.Fatalf("remote ticket %+v", r1)
	}
	_, err = s.IssueRemote(at("08:01"), IssueRequest{ID: "r2", Token: "t", Service: "a", Name: "A", Phone: "+84911000001"})
	wantCode(t, err, "already_has_number")
	// Another service is another line: allowed.
	s.do(s.IssueRemote(at("08:01"), IssueRequest{ID: "rb", Token: "t", Service: "b", Name: "A", Phone: "+84911000001"}))
	// Once the first is cancelled, the phone may take another.
	s.do(s.Cancel(at("08:02"), "r1", "holder"))
	s.remote(at("08:03"), "r3", "+84911000001")
	_, err = s.IssueRemote(at("08:04"), IssueRequest{ID: "r4", Token: "t", Service: "a", Name: "A", Phone: "+84911000002"})
	wantCode(t, err, "daily_cap_reached")
	_, err = s.IssueRemote(at("08:04"), IssueRequest{ID: "r5", Token: "t", Service: "b", Name: "A"})
	wantCode(t, err, "invalid_phone")
	s.Office.Services[1].Active = false
	_, err = s.IssueRemote(at("08:04"), IssueRequest{ID: "r6", Token: "t", Service: "b", Name: "A", Phone: "+84911000003"})
	wantCode(t, err, "service_inactive")
}

func TestBookingCodes(t *testing.T) {
	for _, look := range "0OQD1IL2Z5S8BUV" {
		if strings.ContainsRune(BookingCodeAlphabet, look) {
			t.Errorf("alphabet has look-alike %c", look)
		}
	}
	c := BookingCode([]byte{0, 1, 2, 3, 4, 255})
	if !ValidBookingCode(c) || len(c) != 6 {
		t.Fatalf("code %q", c)
	}
	if ValidBookingCode("ACEFG") || ValidBookingCode("ACEFG0") || ValidBookingCode("acefgh") {
		t.Error("bad codes accepted")
	}
	for _, in := range []string{" acef-gh ", "\tAC.EF GH\r\n"} {
		if got := NormalizeBookingCode(in); got != "ACEFGH" {
			t.Errorf("NormalizeBookingCode(%q) = %q, want ACEFGH", in, got)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"0912345678": "+84912345678", "+84912345678": "+84912345678", "84912345678": "+84912345678",
		"0912 345 678": "+84912345678", "(+84) 91-234.5678": "+84912345678", "0387654321": "+84387654321",
	} {
		got, err := NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "123", "0212345678", "091234567", "09123456789", "+1 415 555 0100", "0912345678<script>", "０９１２３４５６７８", "+84+912345678", "0912345678\n"} {
		if _, err := NormalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) accepted", in)
		}
	}
	if MaskPhone("+84912345678") != "0912 *** 678" || LocalPhone("+84912345678") != "0912345678" {
		t.Error("mask")
	}
}

func TestPolicyValidation(t *testing.T) {
	for _, m := range []func(*Office){
		func(o *Office) { o.Policy.BookingHorizonDays = -1 },
		func(o *Office) { o.Policy.BookingHorizonDays = MaxBookingHorizonDays + 1 },
		func(o *Office) { o.Policy.RetentionDays = -3 },
		func(o *Office) { o.Policy.BookingLateMinutes = 24*60 + 1 },
		func(o *Office) { o.Services[0].SlotMinutes = 30 },
		func(o *Office) { o.Services[0].SlotMinutes, o.Services[0].SlotCapacity = 2, 1 },
	} {
		o := testOffice(t)
		m(&o)
		if err := o.Validate(); err == nil {
			t.Errorf("invalid policy accepted: %+v", o.Policy)
		}
	}
	o := testOffice(t, func(o *Office) { o.Policy.BookingHorizonDays, o.Policy.RetentionDays = 0, 0 })
	if o.Policy.BookingHorizonDays != DefaultBookingHorizonDays || o.Policy.RetentionDays != DefaultRetentionDays {
		t.Errorf("defaults not applied: %+v", o.Policy)
	}
}

// Without a RemoteCap, a service gives a quarter of its day's capacity to
// online numbers (at least DefaultRemoteMin): the flood of invented
// phones stops there, and the kiosk keeps the rest of the day.
func TestDefaultRemoteLimit(t *testing.T) {
	s := newTestState(t, weekdays, func(o *Office) {
		o.Hours["fri"] = []Span{{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}, {From: "16:00", To: "17:00"}}
		o.Holidays = []string{"2026-12-01"}
	})
	o := &s.Office
	if got := o.OpenMinutes(testDay); got != 450 {
		t.Fatalf("open minutes %d, want 450 (overlapping spans counted once)", got)
	}
	// a: counter c1 only, 10 minutes: 450/10 = 45 a day, a quarter is 11.
	// b: c1 and c2, 10 minutes: 90 a day → 22.
	if a, b := o.RemoteLimit(o.Service("a"), testDay), o.RemoteLimit(o.Service("b"), testDay); a != 11 || b != 22 {
		t.Fatalf("limits a %d b %d, want 11 and 22", a, b)
	}
	if got := o.RemoteLimit(o.Service("a"), "2026-12-01"); got != DefaultRemoteMin {
		t.Fatalf("holiday limit %d", got)
	}
	for i := range 11 {
		s.remote(at("08:00"), fmt.Sprintf("ra%d", i), fmt.Sprintf("+849110%05d", i))
	}
	_, err := s.IssueRemote(at("08:00"), IssueRequest{ID: "rx", Token: "t", Service: "a", Name: "A", Phone: "+84912000001"})
	wantCode(t, err, "daily_cap_reached")
	for i := range 22 {
		s.do(s.IssueRemote(at("08:00"), IssueRequest{ID: fmt.Sprintf("rb%d", i), Token: "t", Service: "b", Name: "B", Phone: fmt.Sprintf("+849120%05d", i)}))
	}
	_, err = s.IssueRemote(at("08:00"), IssueRequest{ID: "ry", Token: "t", Service: "b", Name: "B", Phone: "+84913000001"})
	wantCode(t, err, "daily_cap_reached")
	// The kiosk still issues.
	s.do(s.Issue(at("08:01"), IssueRequest{ID: "k1", Token: "t", Service: "a", Source: SourceKiosk}))
	// An administrator's RemoteCap replaces the default.
	s.Office.Services[0].RemoteCap = 40
	s.remote(at("08:02"), "r40", "+84912000002")
}

// TestNextOpening: the next opening is the first span's start after the
// instant, the same day or a later one, skipping holidays and closed
// weekdays; none when the office never opens.
func TestNextOpening(t *testing.T) {
	s := newTestState(t, weekdays, func(o *Office) { o.Holidays = []string{"2026-11-30"} })
	for _, c := range []struct{ now, want time.Time }{
		{at("06:00"), at("07:30")},
		{at("07:30"), at("13:30")}, // open: the next span
		{at("12:00"), at("13:30")},
		{at("17:00"), atOn("2026-12-01", "07:30")}, // Friday evening: the weekend and Monday's holiday pass
	} {
		got, ok := s.Office.NextOpening(c.now)
		if !ok || !got.Equal(c.want) || got.Location().String() != "Asia/Ho_Chi_Minh" {
			t.Errorf("NextOpening(%s) = %v, %v; want %v", c.now.In(hcm).Format(time.DateTime), got, ok, c.want)
		}
	}
	s.Office.Hours = WeekHours{}
	if got, ok := s.Office.NextOpening(at("06:00")); ok {
		t.Errorf("an office without hours opens at %v", got)
	}
}
