package queue

import (
	"crypto/subtle"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Appointments (bookings) and same-day numbers taken online.
//
// Rules decided here, where DESIGN.md and the issue are silent:
//
//   - A service takes appointments when it has both SlotMinutes and
//     SlotCapacity. Its slots of a day start at the start of each opening
//     span and follow each other every SlotMinutes; a slot must end within
//     its span (a 30-minute slot is not offered at 11:15 when the office
//     closes at 11:30).
//   - Dates from today to today + Policy.BookingHorizonDays may be booked,
//     except holidays and weekdays without opening hours; a slot that has
//     already begun is not offered.
//   - One phone holds at most one live booking per service and date, as it
//     holds at most one live same-day number per service. The refusal of a
//     second one says only that the phone has one: never its code, slot or
//     number, which would let anyone who knows a phone number take the
//     booking over.
//   - A booking is cancelled with its manage token, a secret that only the
//     booker received (in the link of the booking's answer); the phone
//     number is not enough, nor is the code (it is printed, shown at the
//     kiosk and lent to whoever checks in for the booker). The domain
//     keeps only the token's hash (TokenHash). A booking made before
//     tokens existed has none and cannot be cancelled online.
//   - Booked and checked-in bookings take a place of their slot; a
//     cancelled one frees it.
//   - The check-in window is [slot start − early, slot start + late]
//     (Policy.BookingEarlyMinutes/LateMinutes) on the booking's date.
//     Inside it the ticket arrives virtually at the slot start; after it
//     the booking becomes a walk-in arriving now (source still "booking",
//     so that reports can count late comers), or is refused when
//     Policy.LateCheckin is "refuse". A booking for a later date is "too
//     early" with the date and time to come back.
//   - Bookings never checked in become no_show when their day rolls over,
//     each with a booking.no_show event.

// BookingCodeAlphabet is the alphabet of booking codes: capital letters and
// digits without the look-alikes 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B and U/V.
// The booking-code rules are part of the wire contract: server/client
// publishes them to clients (a test of server/api ties the two).
const BookingCodeAlphabet = "ACEFGHJKMNPRTWXY34679"

// BookingCodeLen is the length of a booking code.
const BookingCodeLen = 6

// ValidBookingCode reports whether s is a well-formed booking code.
func ValidBookingCode(s string) bool {
	if len(s) != BookingCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(BookingCodeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// NormalizeBookingCode turns what a citizen typed or a scanner read (lower
// case, spaces and line ends, dashes, dots) into the form of a code; it
// does not check it. Clients apply the same rule before they send a code
// (server/client.NormalizeBookingCode, tied to this one by a test of
// server/api).
func NormalizeBookingCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '.' {
			return -1
		}
		return r
	}, s)
}

// BookingCode makes a code from random bytes supplied by the caller (the
// domain has no randomness): one byte per character, at least
// BookingCodeLen of them. The small modulo bias is harmless: codes are
// checked for collisions and the manage token is needed to cancel.
func BookingCode(random []byte) string {
	var b strings.Builder
	for i := 0; i < BookingCodeLen && i < len(random); i++ {
		b.WriteByte(BookingCodeAlphabet[int(random[i])%len(BookingCodeAlphabet)])
	}
	return b.String()
}

// Final reports whether nothing more can happen to a booking.
func (s BookingStatus) Final() bool { return s != BookingBooked }

// holdsPlace reports whether a booking takes a place of its slot.
func (b *Booking) holdsPlace() bool {
	return b.Status == BookingBooked || b.Status == BookingCheckedIn
}

// Slot is an appointment slot of a service on a date, with its places.
type Slot struct {
	Start    string `json:"slot"` // local HH:MM
	End      string `json:"end"`  // local HH:MM
	Capacity int    `json:"capacity"`
	Free     int    `json:"free"`
}

// Bookable reports whether a service takes appointments.
func (sv *Service) Bookable() bool { return sv.SlotMinutes > 0 && sv.SlotCapacity > 0 }

// OpenOn reports whether the office opens at all on a local date: not a
// holiday and some opening hours that weekday. A date that does not parse
// is not open.
func (o *Office) OpenOn(date string) bool {
	d, err := time.ParseInLocation(time.DateOnly, date, o.Location())
	if err != nil || slices.Contains(o.Holidays, date) {
		return false
	}
	return len(o.Hours[weekdayKeys[d.Weekday()]]) > 0
}

// SlotStarts lists the start minutes (after local midnight) of a service's
// slots on a date, in order: none when the service takes no appointments
// or the office is closed that day.
func (o *Office) SlotStarts(sv *Service, date string) []int {
	if !sv.Bookable() || !o.OpenOn(date) {
		return nil
	}
	d, _ := time.ParseInLocation(time.DateOnly, date, o.Location())
	var out []int
	for _, sp := range o.Hours[weekdayKeys[d.Weekday()]] {
		f, _ := ParseClock(sp.From)
		e, _ := ParseClockEnd(sp.To)
		for m := f; m+sv.SlotMinutes <= e; m += sv.SlotMinutes {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// SlotTime is the instant a slot starts: a local date and "HH:MM".
func (o *Office) SlotTime(date, slot string) (time.Time, bool) {
	m, err := ParseClock(slot)
	if err != nil {
		return time.Time{}, false
	}
	d, err := time.ParseInLocation(time.DateOnly, date, o.Location())
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, o.Location()), true
}

// addDays returns the local date n days after date.
func addDays(date string, n int) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

// BookingDates lists the dates on which a service may be booked from now:
// today to today + the horizon, skipping holidays and closed weekdays. A
// date is listed even when all its slots are taken (FreeSlots says so).
func (s *State) BookingDates(now time.Time, service string) ([]string, error) {
	sv, err := s.bookableService(service)
	if err != nil {
		return nil, err
	}
	today := s.Office.Day(now)
	var out []string
	for i := 0; i <= s.Office.Policy.BookingHorizonDays; i++ {
		d := addDays(today, i)
		if len(s.Office.SlotStarts(sv, d)) > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *State) bookableService(service string) (*Service, error) {
	sv := s.Office.Service(service)
	switch {
	case sv == nil:
		return nil, errorf(KindNotFound, ErrUnknownService.Code, "service {service} does not exist in office {office}", "service", quoted(service), "office", s.Office.ID)
	case !sv.Active:
		return nil, errorf(KindClosed, ErrServiceClosed.Code, "service {service} is not offered at the moment", "service", sv.Name)
	case !sv.Bookable():
		return nil, errorf(KindConflict, "service_not_bookable", "service {service} does not take appointments: take a number instead", "service", sv.Name)
	}
	return sv, nil
}

// checkDate refuses a date that cannot be booked from now.
func (s *State) checkDate(now time.Time, sv *Service, date string) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil || !datePattern.MatchString(date) {
		return errorf(KindInvalid, "invalid_date", "date {date} is not a date: write YYYY-MM-DD", "date", quoted(truncateRunes(date, 20)))
	}
	today := s.Office.Day(now)
	last := addDays(today, s.Office.Policy.BookingHorizonDays)
	switch {
	case date < today:
		return errorf(KindInvalid, "date_in_past", "{date} is in the past: choose a date from {today}", "date", date, "today", today)
	case date > last:
		return errorf(KindInvalid, "date_beyond_horizon", "appointments can be booked up to {days} days ahead, until {last}", "days", s.Office.Policy.BookingHorizonDays, "last", last)
	case slices.Contains(s.Office.Holidays, date):
		return errorf(KindConflict, "date_closed", "the office is closed on {date} (holiday): choose another date", "date", date)
	case len(s.Office.SlotStarts(sv, date)) == 0:
		return errorf(KindConflict, "date_closed", "the office does not take appointments for {service} on {date}: choose another date", "service", sv.Name, "date", date)
	}
	return nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// taken counts the places taken in a slot.
func (s *State) taken(service, date, slot string) int {
	n := 0
	for _, b := range s.Bookings {
		if b.Service == service && b.Date == date && b.Slot == slot && b.holdsPlace() {
			n++
		}
	}
	return n
}

// FreeSlots lists the slots of a service on a date that may still be
// booked at now, with their free places; full slots and slots that have
// begun are left out.
func (s *State) FreeSlots(now time.Time, service, date string) ([]Slot, error) {
	sv, err := s.bookableService(service)
	if err != nil {
		return nil, err
	}
	if err := s.checkDate(now, sv, date); err != nil {
		return nil, err
	}
	used := map[string]int{}
	for _, b := range s.Bookings {
		if b.Service == service && b.Date == date && b.holdsPlace() {
			used[b.Slot]++
		}
	}
	out := []Slot{}
	for _, m := range s.Office.SlotStarts(sv, date) {
		start, _ := s.Office.SlotTime(date, FormatClock(m))
		if !start.After(now) {
			continue
		}
		free := sv.SlotCapacity - used[FormatClock(m)]
		if free <= 0 {
			continue
		}
		out = append(out, Slot{Start: FormatClock(m), End: FormatClock(m + sv.SlotMinutes), Capacity: sv.SlotCapacity, Free: free})
	}
	return out, nil
}

// BookRequest asks for an appointment. Code is chosen by the caller
// (BookingCode over random bytes), and so is the manage token, of which
// only TokenHash is given; Name and Phone are already cleaned (NFC,
// canonical phone).
type BookRequest struct {
	Code      string
	Service   string
	Date      string
	Slot      string
	Name      string
	Phone     string
	TokenHash []byte
}

// Error codes of bookings.
var (
	ErrSlotFull        = &Error{Kind: KindConflict, Code: "slot_full"}
	ErrUnknownBooking  = &Error{Kind: KindNotFound, Code: "unknown_booking"}
	ErrBookingCanceled = &Error{Kind: KindConflict, Code: "booking_cancelled"}
	ErrTooEarly        = &Error{Kind: KindConflict, Code: "too_early"}
	ErrTooLate         = &Error{Kind: KindConflict, Code: "too_late"}
	ErrCheckedIn       = &Error{Kind: KindConflict, Code: "already_checked_in"}
	ErrAlreadyBooked   = &Error{Kind: KindConflict, Code: "already_booked"}
	ErrAlreadyHolding  = &Error{Kind: KindConflict, Code: "already_has_number"}
)

// Book makes an appointment in a free place of a slot.
func (s *State) Book(now time.Time, r BookRequest) (*Change, error) {
	sv, err := s.bookableService(r.Service)
	if err != nil {
		return nil, err
	}
	if !ValidBookingCode(r.Code) {
		return nil, errorf(KindInvalid, "invalid_code", "the booking code is not valid: {n} of the characters {alphabet}", "n", BookingCodeLen, "alphabet", BookingCodeAlphabet)
	}
	if _, dup := s.Bookings[r.Code]; dup {
		return nil, errorf(KindConflict, "duplicate_code", "this booking code is taken: make another")
	}
	if r.Phone == "" {
		return nil, errorf(KindInvalid, "invalid_phone", "a phone number is required to book")
	}
	if err := checkName("name", r.Name, true); err != nil {
		return nil, err
	}
	if err := s.checkDate(now, sv, r.Date); err != nil {
		return nil, err
	}
	m, err := ParseClock(r.Slot)
	if err != nil {
		return nil, errorf(KindInvalid, "invalid_slot", "the slot must be written HH:MM (two digits, a colon, two digits, 00:00 to 23:59): choose one of the slots offered")
	}
	// The canonical form from here on: capacity is counted, and the
	// booking stored, by it.
	r.Slot = FormatClock(m)
	if !slices.Contains(s.Office.SlotStarts(sv, r.Date), m) {
		return nil, errorf(KindNotFound, "unknown_slot", "{service} has no appointment slot at {slot} on {date}: choose one of the slots offered", "service", sv.Name, "slot", r.Slot, "date", r.Date)
	}
	if start, _ := s.Office.SlotTime(r.Date, r.Slot); !start.After(now) {
		return nil, errorf(KindConflict, "slot_past", "the slot at {slot} on {date} has already begun: choose a later one", "slot", r.Slot, "date", r.Date)
	}
	for _, b := range s.Bookings {
		if b.Phone == r.Phone && b.Service == sv.ID && b.Date == r.Date && b.Status == BookingBooked {
			return nil, errorf(KindConflict, ErrAlreadyBooked.Code, "this phone number already has an appointment for this service on {date}: open the link you received when you booked it (on the phone you booked with, it is also under \"Your appointments\") to see it or cancel it before taking another", "date", r.Date)
		}
	}
	if s.taken(sv.ID, r.Date, r.Slot) >= sv.SlotCapacity {
		return nil, errorf(KindConflict, ErrSlotFull.Code, "the slot at {slot} on {date} was just filled: choose another slot", "slot", r.Slot, "date", r.Date)
	}
	c := s.change(now)
	b := &Booking{
		Code: r.Code, Office: s.Office.ID, Service: sv.ID, Date: r.Date, Slot: r.Slot,
		Name: r.Name, Phone: r.Phone, Status: BookingBooked, CreatedAt: now, TokenHash: r.TokenHash,
	}
	c.Bookings = append(c.Bookings, b)
	s.bookingEvent(c, now, EventBookingCreated, b)
	return c, nil
}

func (s *State) bookingEvent(c *Change, now time.Time, typ EventType, b *Booking) {
	s.emit(c, now, typ, BookingData{Code: b.Code, Service: b.Service, Date: b.Date, Slot: b.Slot, Ticket: b.Ticket, Status: b.Status})
}

// CancelBooking cancels a booking by its code and the hash of its manage
// token. A wrong token is answered like an unknown code, so that codes
// cannot be probed; no answer names the booking's code or holder.
func (s *State) CancelBooking(now time.Time, code string, tokenHash []byte) (*Change, error) {
	old, ok := s.Bookings[code]
	if !ok || len(old.TokenHash) == 0 || subtle.ConstantTimeCompare(old.TokenHash, tokenHash) != 1 {
		return nil, errorf(KindNotFound, ErrUnknownBooking.Code, "no booking matches this code and link: open the link you received when you booked")
	}
	switch old.Status {
	case BookingCancelled:
		return nil, errorf(KindConflict, ErrBookingCanceled.Code, "this booking is already cancelled")
	case BookingCheckedIn:
		return nil, errorf(KindConflict, ErrCheckedIn.Code, "this booking was checked in and became a ticket: cancel the ticket from its tracking page")
	case BookingBooked:
	default:
		return nil, errorf(KindConflict, ErrBadTransition.Code, "this booking is {status} and can no longer be cancelled", "status", old.Status)
	}
	c := s.change(now)
	b := *old
	b.Status = BookingCancelled
	c.Bookings = append(c.Bookings, &b)
	s.bookingEvent(c, now, EventBookingCancelled, &b)
	return c, nil
}

// CheckInRequest turns a booking into a ticket; ID and Token are the new
// ticket's, chosen by the caller as for Issue.
type CheckInRequest struct {
	Code   string
	ID     string
	Token  string
	Device string
}

// CheckIn turns a booking into a ticket when its holder arrives (see the
// rules at the top of this file).
func (s *State) CheckIn(now time.Time, r CheckInRequest) (*Change, error) {
	old, ok := s.Bookings[r.Code]
	if !ok {
		return nil, errorf(KindNotFound, ErrUnknownBooking.Code, "no booking has this code: check the code on your confirmation")
	}
	switch old.Status {
	case BookingCancelled:
		return nil, errorf(KindConflict, ErrBookingCanceled.Code, "this booking was cancelled: take a number instead")
	case BookingCheckedIn:
		return nil, errorf(KindConflict, ErrCheckedIn.Code, "this booking is already checked in: your number is on the ticket printed then")
	case BookingBooked:
	default:
		return nil, errorf(KindConflict, ErrTooLate.Code, "this booking is {status}: take a number instead", "status", old.Status)
	}
	loc := s.Office.Location()
	start, ok := s.Office.SlotTime(old.Date, old.Slot)
	if !ok {
		return nil, errorf(KindConflict, ErrBadTransition.Code, "this booking has a slot ({date} {slot}) that cannot be read", "date", old.Date, "slot", old.Slot)
	}
	p := &s.Office.Policy
	opens := start.Add(-time.Duration(p.BookingEarlyMinutes) * time.Minute)
	closes := start.Add(time.Duration(p.BookingLateMinutes) * time.Minute)
	req := IssueRequest{ID: r.ID, Token: r.Token, Service: old.Service, Source: SourceBooking,
		Device: r.Device, Name: old.Name, Phone: old.Phone, Booking: old.Code}
	switch {
	case now.Before(opens):
		when := opens.In(loc)
		e := errorf(KindConflict, ErrTooEarly.Code, "too early: your appointment is on {date} at {slot}; come back that day at {time} to check in", "date", when.Format("02/01/2006"), "slot", old.Slot, "time", when.Format("15:04"))
		if s.Office.Day(now) == old.Date {
			e = errorf(KindConflict, ErrTooEarly.Code, "too early: your appointment is at {slot}; come back at {time} to check in", "slot", old.Slot, "time", when.Format("15:04"))
		}
		e.ComeBackAt = when
		return nil, e
	case !now.After(closes):
		req.VA = start
	case p.LateCheckin == LateRefuse:
		return nil, errorf(KindConflict, ErrTooLate.Code, "too late: check-in for your {slot} appointment closed at {time}; take a number instead", "slot", old.Slot, "time", closes.In(loc).Format("15:04"))
	default:
		// After the window: a walk-in arriving now.
	}
	c, err := s.Issue(now, req)
	if err != nil {
		return nil, err
	}
	b := *old
	b.Status, b.Ticket = BookingCheckedIn, c.Ticket.ID
	c.Bookings = append(c.Bookings, &b)
	s.bookingEvent(c, now, EventBookingCheckedIn, &b)
	return c, nil
}

// endBookings marks the bookings of days before day that were never
// checked in as no-shows, each with an event (part of Rollover).
func (s *State) endBookings(c *Change, now time.Time, day string) {
	var ended []*Booking
	for _, b := range s.Bookings {
		if b.Date < day && b.Status == BookingBooked {
			ended = append(ended, b)
		}
	}
	// By date, slot and code: the events must be the same for the same state.
	slices.SortFunc(ended, func(a, b *Booking) int {
		return strings.Compare(a.Date+a.Slot+a.Code, b.Date+b.Slot+b.Code)
	})
	for _, old := range ended {
		b := *old
		b.Status = BookingNoShow
		c.Bookings = append(c.Bookings, &b)
		s.bookingEvent(c, now, EventBookingNoShow, &b)
	}
}

// IssueRemote gives a same-day number taken online (source remote, virtual
// arrival now): only while the office is open and the service is served,
// within the service's remote cap, and at most one live number per phone
// per service per day.
func (s *State) IssueRemote(now time.Time, r IssueRequest) (*Change, error) {
	r.Source, r.VA, r.Priority, r.Booking = SourceRemote, time.Time{}, PriorityNone, ""
	if r.Phone == "" {
		return nil, errorf(KindInvalid, "invalid_phone", "a phone number is required to take a number online")
	}
	if err := checkName("name", r.Name, true); err != nil {
		return nil, err
	}
	for _, t := range s.Tickets {
		if t.Source == SourceRemote && t.Day == s.Day && t.Phone == r.Phone && t.NumberService == r.Service && t.Active() {
			return nil, errorf(KindConflict, ErrAlreadyHolding.Code, "this phone number already has a number for this service today: open the link you received when you took it (on the phone you took it with, it is also under \"Your numbers today\") to follow it or cancel it")
		}
	}
	return s.Issue(now, r)
}

// Booking returns a booking of the state by code.
func (s *State) Booking(code string) (*Booking, bool) {
	b, ok := s.Bookings[code]
	return b, ok
}
