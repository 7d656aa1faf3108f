package queue

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// DefaultTimezone is the timezone of an office that does not name one.
const DefaultTimezone = "Asia/Ho_Chi_Minh"

// Office is one one-stop-shop office and its configuration. Everything else
// (services, counters, tickets, bookings) belongs to exactly one office.
type Office struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	NameEN   string    `json:"name_en,omitempty"`
	Timezone string    `json:"timezone"`
	Hours    WeekHours `json:"hours"`
	// Holidays are local dates (YYYY-MM-DD) on which the office is closed.
	Holidays []string  `json:"holidays,omitempty"`
	Policy   Policy    `json:"policy"`
	Services []Service `json:"services"`
	Counters []Counter `json:"counters"`
	// Ticker is the notice line shown on the waiting-room boards.
	Ticker string `json:"ticker,omitempty"`
	// Rating is how counter stations ask for ratings.
	Rating RatingPolicy `json:"rating,omitzero"`

	loc *time.Location
}

// Service is a kind of procedure citizens queue for (thủ tục / lĩnh vực).
type Service struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Prefix is the letter in front of the number ("A" gives A001). Empty
	// means a numeric block: numbers start at FirstNumber (e.g. 1001).
	Prefix string `json:"prefix,omitempty"`
	// Digits is the zero-padded width of the number after a prefix (default 3).
	Digits int `json:"digits,omitempty"`
	// FirstNumber is the first number of the day (default 1).
	FirstNumber int `json:"first_number,omitempty"`
	// DefaultMinutes seeds the service-time average used for wait estimates.
	DefaultMinutes float64 `json:"default_minutes"`
	// SlotMinutes and SlotCapacity shape appointment slots (0 = no booking).
	SlotMinutes  int `json:"slot_minutes,omitempty"`
	SlotCapacity int `json:"slot_capacity,omitempty"`
	// DailyCap limits the tickets of one day (0 = no limit).
	DailyCap int `json:"daily_cap,omitempty"`
	// RemoteCap limits the same-day numbers taken online; 0 means the
	// default, a share of the day's capacity (Office.RemoteLimit).
	RemoteCap int  `json:"remote_cap,omitempty"`
	Active    bool `json:"active"`
}

// Format renders the n-th number of the day (n counts from 1) as shown to
// citizens: "A001" for a prefix service, "1001" for a numeric block.
func (s *Service) Format(n int) string {
	v := s.first() + n - 1
	if s.Prefix == "" {
		return strconv.Itoa(v)
	}
	digits := s.Digits
	if digits <= 0 {
		digits = 3
	}
	return fmt.Sprintf("%s%0*d", s.Prefix, digits, v)
}

// first is the first number of the day as printed (FirstNumber, default 1).
func (s *Service) first() int {
	if s.FirstNumber <= 0 {
		return 1
	}
	return s.FirstNumber
}

// blockEnd returns, for a numeric-block service, the first number of the
// next higher block of the office and that block's service: the numbers of
// sv must stay below it, or two tickets would show the same number. It
// returns 0 when sv has a prefix or no block lies above it.
func (o *Office) blockEnd(sv *Service) (int, *Service) {
	end, by := 0, (*Service)(nil)
	if sv.Prefix != "" {
		return 0, nil
	}
	for i := range o.Services {
		x := &o.Services[i]
		if x.Prefix == "" && x.ID != sv.ID && x.first() > sv.first() && (by == nil || x.first() < end) {
			end, by = x.first(), x
		}
	}
	return end, by
}

// Counter is a desk (quầy) where a clerk serves citizens.
type Counter struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Name   string `json:"name,omitempty"`
	// Services lists what the counter serves, in order, each with an offset
	// (0 = primary; larger = secondary). A service absent here is never served.
	Services []CounterService `json:"services"`
}

// CounterService is one service of a counter and its offset in the ordering
// rule: a ticket of this service competes at this counter as if it had
// arrived OffsetMinutes later.
type CounterService struct {
	Service       string `json:"service"`
	OffsetMinutes int    `json:"offset_minutes"`
}

// Serves reports whether the counter serves service and with what offset.
func (c *Counter) Serves(service string) (time.Duration, bool) {
	for _, cs := range c.Services {
		if cs.Service == service {
			return time.Duration(cs.OffsetMinutes) * time.Minute, true
		}
	}
	return 0, false
}

// Policy holds the constants of the ordering rule and of bookings.
type Policy struct {
	// PriorityBonusMinutes is, per priority class, how much earlier than
	// their arrival a priority citizen is treated as having arrived.
	// A class missing from the map gets DefaultBonusMinutes.
	PriorityBonusMinutes map[Priority]int `json:"priority_bonus_minutes,omitempty"`
	DefaultBonusMinutes  int              `json:"default_bonus_minutes"`
	// BookingEarlyMinutes and BookingLateMinutes bound the check-in window
	// [slot start − early, slot start + late].
	BookingEarlyMinutes int `json:"booking_early_minutes"`
	BookingLateMinutes  int `json:"booking_late_minutes"`
	// LateCheckin says what happens after the window: "walkin" (the booking
	// becomes a walk-in ticket arriving now) or "refuse".
	LateCheckin string `json:"late_checkin"`
	// EWMAAlpha weighs each new service duration in the running average.
	EWMAAlpha float64 `json:"ewma_alpha"`
	// RecentCalls is how many calls the boards list.
	RecentCalls int `json:"recent_calls"`
	// BookingHorizonDays is how many days ahead appointments may be booked
	// (today counts as day 0); 0 means DefaultBookingHorizonDays.
	BookingHorizonDays int `json:"booking_horizon_days,omitempty"`
	// RetentionDays is how long the names and phone numbers of tickets and
	// bookings are kept; a daily job erases older ones. 0 means
	// DefaultRetentionDays.
	RetentionDays int `json:"retention_days,omitempty"`
	// CallGuardSeconds is how long after a ticket is called (or recalled)
	// the counter's "next", "call" and "done" refuse to end it while it has
	// not been started: a press within that time is a double-click or a
	// retry, not a service (see State.Next). 0 means DefaultCallGuardSeconds.
	CallGuardSeconds int `json:"call_guard_seconds,omitempty"`
}

// Defaults and bounds of the booking horizon and the retention period.
const (
	DefaultBookingHorizonDays = 14
	MaxBookingHorizonDays     = 366
	DefaultRetentionDays      = 90
	MaxRetentionDays          = 10 * 366
	// DefaultCallGuardSeconds is a few seconds: far longer than a
	// double-click (half a second) or a client's quick retry, far shorter
	// than any real service or than the time a clerk waits before deciding
	// a citizen is not coming.
	DefaultCallGuardSeconds = 5
	MaxCallGuardSeconds     = 60
)

// Late check-in policies.
const (
	LateWalkIn = "walkin"
	LateRefuse = "refuse"
)

// DefaultPolicy is the policy of an office that configures nothing.
func DefaultPolicy() Policy {
	return Policy{
		DefaultBonusMinutes: 20,
		BookingEarlyMinutes: 30,
		BookingLateMinutes:  15,
		LateCheckin:         LateWalkIn,
		EWMAAlpha:           0.2,
		RecentCalls:         8,
		BookingHorizonDays:  DefaultBookingHorizonDays,
		RetentionDays:       DefaultRetentionDays,
		CallGuardSeconds:    DefaultCallGuardSeconds,
	}
}

// CallGuard is the policy's call guard (CallGuardSeconds).
func (p *Policy) CallGuard() time.Duration {
	if p.CallGuardSeconds == 0 {
		return DefaultCallGuardSeconds * time.Second
	}
	return time.Duration(p.CallGuardSeconds) * time.Second
}

// Bonus is the priority bonus of a class.
func (p *Policy) Bonus(class Priority) time.Duration {
	if class == PriorityNone {
		return 0
	}
	if m, ok := p.PriorityBonusMinutes[class]; ok {
		return time.Duration(m) * time.Minute
	}
	return time.Duration(p.DefaultBonusMinutes) * time.Minute
}

// WeekHours are the opening hours per weekday ("mon" … "sun"), each a list
// of spans such as {"07:30", "11:30"}. A weekday absent from the map is closed.
type WeekHours map[string][]Span

// Span is an opening span in local time, "HH:MM" to "HH:MM" ("24:00" allowed
// as the end; see ParseClock). The end is exclusive.
type Span struct {
	From string `json:"from"`
	To   string `json:"to"`
}

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// AlwaysOpen returns hours that open every day around the clock (the demo).
func AlwaysOpen() WeekHours {
	h := WeekHours{}
	for _, d := range weekdayKeys {
		h[d] = []Span{{From: "00:00", To: "24:00"}}
	}
	return h
}

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	prefixPatten = regexp.MustCompile(`^[A-Z]{0,2}$`)
	datePattern  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// ValidID reports whether s is a well-formed id of an office, service,
// counter or staff member: lower-case letters, digits, '-' and '_', 1–32 long.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// Validate checks the configuration and prepares it for use (it resolves the
// timezone). It returns an error that names the first field that is wrong.
func (o *Office) Validate() error {
	if !ValidID(o.ID) {
		return errorf(KindInvalid, "invalid_office", "office id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quoted(o.ID))
	}
	if err := checkName("office name", o.Name, true); err != nil {
		return err
	}
	if err := checkName("office English name", o.NameEN, false); err != nil {
		return err
	}
	if o.Timezone == "" {
		o.Timezone = DefaultTimezone
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil || o.Timezone == "Local" {
		// "Local" is whatever the host says: the business day must not
		// change with the machine the server runs on.
		return errorf(KindInvalid, "invalid_timezone", "timezone {tz} is unknown: use an IANA name such as {example}", "tz", quoted(o.Timezone), "example", DefaultTimezone)
	}
	o.loc = loc
	for day, spans := range o.Hours {
		if !slices.Contains(weekdayKeys[:], day) {
			return errorf(KindInvalid, "invalid_hours", "opening hours: {day} is not a weekday; use mon, tue, wed, thu, fri, sat, sun", "day", quoted(day))
		}
		for _, sp := range spans {
			f, err1 := ParseClock(sp.From)
			t, err2 := ParseClockEnd(sp.To)
			if err1 != nil || err2 != nil || f >= t {
				return errorf(KindInvalid, "invalid_hours", "opening hours of {day}: span {from}–{to} is not valid; write HH:MM–HH:MM with the end after the start", "day", day, "from", sp.From, "to", sp.To)
			}
		}
	}
	for _, h := range o.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil || !datePattern.MatchString(h) {
			return errorf(KindInvalid, "invalid_holiday", "holiday {date} is not a date; write YYYY-MM-DD", "date", quoted(h))
		}
	}
	if err := o.Policy.validate(); err != nil {
		return err
	}
	if err := o.Rating.validate(); err != nil {
		return err
	}
	if len(o.Services) == 0 {
		return errorf(KindInvalid, "no_services", "office {office} has no services: add at least one", "office", o.ID)
	}
	seen := map[string]bool{}
	prefixes := map[string]string{}
	for i := range o.Services {
		s := &o.Services[i]
		if !ValidID(s.ID) {
			return errorf(KindInvalid, "invalid_service", "service id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quoted(s.ID))
		}
		if seen[s.ID] {
			return errorf(KindInvalid, "duplicate_service", "service id {id} appears twice", "id", quoted(s.ID))
		}
		seen[s.ID] = true
		if err := checkName("service name", s.Name, true); err != nil {
			return err
		}
		if err := checkName("service English name", s.NameEN, false); err != nil {
			return err
		}
		if !prefixPatten.MatchString(s.Prefix) {
			return errorf(KindInvalid, "invalid_prefix", "service {service}: prefix {prefix} must be one or two capital letters A–Z, or empty for a numeric block", "service", s.ID, "prefix", quoted(s.Prefix))
		}
		key := s.Prefix
		if key == "" {
			key = "#" + strconv.Itoa(s.first())
		}
		if other, dup := prefixes[key]; dup {
			return errorf(KindInvalid, "duplicate_prefix", "services {service} and {other} would print the same numbers: give them different prefixes or first numbers", "service", other, "other", s.ID)
		}
		prefixes[key] = s.ID
		if s.Digits < 0 || s.Digits > 6 || s.FirstNumber < 0 || s.FirstNumber > 99999 {
			return errorf(KindInvalid, "invalid_number_format", "service {service}: digits must be 0–6 and the first number 0–99999", "service", s.ID)
		}
		if !(s.DefaultMinutes > 0 && s.DefaultMinutes <= 24*60) { // NaN fails both
			return errorf(KindInvalid, "invalid_minutes", "service {service}: default minutes must be more than 0 and at most a day", "service", s.ID)
		}
		if s.SlotMinutes < 0 || s.SlotMinutes > 24*60 || s.SlotCapacity < 0 || s.SlotCapacity > 10000 || s.DailyCap < 0 || s.RemoteCap < 0 {
			return errorf(KindInvalid, "invalid_capacity", "service {service}: slot minutes, capacities and caps must not be negative", "service", s.ID)
		}
		if (s.SlotMinutes > 0) != (s.SlotCapacity > 0) {
			return errorf(KindInvalid, "invalid_slots", "service {service}: set both slot_minutes and slot_capacity to take appointments, or neither", "service", s.ID)
		}
		if s.SlotMinutes > 0 && s.SlotMinutes < 5 {
			return errorf(KindInvalid, "invalid_slots", "service {service}: appointment slots must be at least 5 minutes long", "service", s.ID)
		}
	}
	seenCounter := map[string]bool{}
	numbers := map[int]bool{}
	for i := range o.Counters {
		c := &o.Counters[i]
		if !ValidID(c.ID) {
			return errorf(KindInvalid, "invalid_counter", "counter id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", quoted(c.ID))
		}
		if seenCounter[c.ID] {
			return errorf(KindInvalid, "duplicate_counter", "counter id {id} appears twice", "id", quoted(c.ID))
		}
		seenCounter[c.ID] = true
		if c.Number <= 0 || c.Number > 999 || numbers[c.Number] {
			return errorf(KindInvalid, "invalid_counter_number", "counter {counter}: number {number} must be 1–999 and unique", "counter", c.ID, "number", c.Number)
		}
		numbers[c.Number] = true
		if err := checkName("counter name", c.Name, false); err != nil {
			return err
		}
		served := map[string]bool{}
		for _, cs := range c.Services {
			if !seen[cs.Service] {
				return errorf(KindInvalid, "unknown_service", "counter {counter} lists service {service}, which the office does not have", "counter", c.ID, "service", quoted(cs.Service))
			}
			if served[cs.Service] {
				return errorf(KindInvalid, "duplicate_service", "counter {counter} lists service {service} twice", "counter", c.ID, "service", cs.Service)
			}
			served[cs.Service] = true
			if cs.OffsetMinutes < 0 || cs.OffsetMinutes > 7*24*60 {
				return errorf(KindInvalid, "invalid_offset", "counter {counter}, service {service}: offset must be 0 or more minutes (at most a week); leave the service out for 'never'", "counter", c.ID, "service", cs.Service)
			}
		}
	}
	return checkName("ticker", o.Ticker, false)
}

// MaxBonusMinutes is the largest priority bonus: a century, far more than
// any strict-priority office needs, and small enough that the bonus as a
// time.Duration cannot overflow (which would send priority citizens last).
const MaxBonusMinutes = 100 * 365 * 24 * 60

func (p *Policy) validate() error {
	for class, m := range p.PriorityBonusMinutes {
		if !class.Valid() || class == PriorityNone {
			return errorf(KindInvalid, "invalid_priority", "priority bonus for unknown class {class}", "class", quoted(class))
		}
		if m < 0 || m > MaxBonusMinutes {
			return errorf(KindInvalid, "invalid_bonus", "priority bonus of {priority} must be 0 to {max} minutes", "priority", class, "max", MaxBonusMinutes)
		}
	}
	if p.DefaultBonusMinutes < 0 || p.DefaultBonusMinutes > MaxBonusMinutes {
		return errorf(KindInvalid, "invalid_policy", "default priority bonus must be 0 to {max} minutes", "max", MaxBonusMinutes)
	}
	if p.BookingEarlyMinutes < 0 || p.BookingLateMinutes < 0 {
		return errorf(KindInvalid, "invalid_policy", "booking windows must not be negative")
	}
	switch p.LateCheckin {
	case "":
		p.LateCheckin = LateWalkIn
	case LateWalkIn, LateRefuse:
	default:
		return errorf(KindInvalid, "invalid_policy", "late_checkin must be {a} or {b}", "a", quoted(LateWalkIn), "b", quoted(LateRefuse))
	}
	if p.EWMAAlpha == 0 {
		p.EWMAAlpha = DefaultPolicy().EWMAAlpha
	}
	if p.EWMAAlpha < 0 || p.EWMAAlpha > 1 {
		return errorf(KindInvalid, "invalid_policy", "ewma_alpha must be between 0 and 1")
	}
	if p.RecentCalls <= 0 {
		p.RecentCalls = DefaultPolicy().RecentCalls
	}
	if p.RecentCalls > 50 {
		return errorf(KindInvalid, "invalid_policy", "recent_calls must be at most 50")
	}
	if p.BookingEarlyMinutes > 24*60 || p.BookingLateMinutes > 24*60 {
		return errorf(KindInvalid, "invalid_policy", "booking windows must be at most a day (1440 minutes)")
	}
	if p.BookingHorizonDays == 0 {
		p.BookingHorizonDays = DefaultBookingHorizonDays
	}
	if p.BookingHorizonDays < 0 || p.BookingHorizonDays > MaxBookingHorizonDays {
		return errorf(KindInvalid, "invalid_policy", "booking_horizon_days must be 1 to {max}", "max", MaxBookingHorizonDays)
	}
	if p.RetentionDays == 0 {
		p.RetentionDays = DefaultRetentionDays
	}
	if p.RetentionDays < 1 || p.RetentionDays > MaxRetentionDays {
		return errorf(KindInvalid, "invalid_policy", "retention_days must be 1 to {max}", "max", MaxRetentionDays)
	}
	if p.CallGuardSeconds == 0 {
		p.CallGuardSeconds = DefaultCallGuardSeconds
	}
	if p.CallGuardSeconds < 1 || p.CallGuardSeconds > MaxCallGuardSeconds {
		return errorf(KindInvalid, "invalid_policy", "call_guard_seconds must be 1 to {max}", "max", MaxCallGuardSeconds)
	}
	return nil
}

// MaxNameLen is the longest name (in characters) accepted anywhere in the
// configuration and from citizens.
const MaxNameLen = 200

// NormalizeStored brings a configuration stored by an earlier version to
// the rules of this one before it is validated: opening hours in the
// canonical HH:MM ([StoredClock]), and the invisible formatting characters
// that names may no longer carry removed from the office, service and
// counter names and the ticker ([StripFormatChars]). A configuration that
// was valid when it was stored stays loadable; a new one is never
// normalised, only checked.
func (o *Office) NormalizeStored() {
	for day, spans := range o.Hours {
		for i := range spans {
			spans[i].From, spans[i].To = StoredClock(spans[i].From), StoredClock(spans[i].To)
		}
		o.Hours[day] = spans
	}
	o.Name, o.NameEN, o.Ticker = StripFormatChars(o.Name), StripFormatChars(o.NameEN), StripFormatChars(o.Ticker)
	for i := range o.Services {
		o.Services[i].Name, o.Services[i].NameEN = StripFormatChars(o.Services[i].Name), StripFormatChars(o.Services[i].NameEN)
	}
	for i := range o.Counters {
		o.Counters[i].Name = StripFormatChars(o.Counters[i].Name)
	}
}

// Location is the office's timezone; Validate must have succeeded.
func (o *Office) Location() *time.Location {
	if o.loc == nil {
		return time.UTC
	}
	return o.loc
}

// Day is the business day of instant t: the local date in the office's
// timezone, as YYYY-MM-DD.
func (o *Office) Day(t time.Time) string { return t.In(o.Location()).Format(time.DateOnly) }

// IsOpen reports whether the office is open at t: not a holiday, and t falls
// in one of the day's opening spans.
func (o *Office) IsOpen(t time.Time) bool {
	local := t.In(o.Location())
	if slices.Contains(o.Holidays, local.Format(time.DateOnly)) {
		return false
	}
	minute := local.Hour()*60 + local.Minute()
	for _, sp := range o.Hours[weekdayKeys[local.Weekday()]] {
		f, _ := ParseClock(sp.From)
		e, _ := ParseClockEnd(sp.To)
		if minute >= f && minute < e {
			return true
		}
	}
	return false
}

// nextOpeningDays is how far ahead NextOpening looks: a month covers the
// longest holidays (Tết).
const nextOpeningDays = 31

// NextOpening returns the start of the first opening span after t, in the
// office's timezone, skipping holidays; false when the office does not
// open within a month (nextOpeningDays).
func (o *Office) NextOpening(t time.Time) (time.Time, bool) {
	loc := o.Location()
	local := t.In(loc)
	for d := 0; d <= nextOpeningDays; d++ {
		day := time.Date(local.Year(), local.Month(), local.Day()+d, 0, 0, 0, 0, loc)
		if slices.Contains(o.Holidays, day.Format(time.DateOnly)) {
			continue
		}
		var first time.Time
		for _, sp := range o.Hours[weekdayKeys[day.Weekday()]] {
			m, err := ParseClock(sp.From)
			if err != nil {
				continue
			}
			at := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
			if at.After(t) && (first.IsZero() || at.Before(first)) {
				first = at
			}
		}
		if !first.IsZero() {
			return first, true
		}
	}
	return time.Time{}, false
}

// Service returns the service with the given id, or nil.
func (o *Office) Service(id string) *Service {
	for i := range o.Services {
		if o.Services[i].ID == id {
			return &o.Services[i]
		}
	}
	return nil
}

// Counter returns the counter with the given id, or nil.
func (o *Office) Counter(id string) *Counter {
	for i := range o.Counters {
		if o.Counters[i].ID == id {
			return &o.Counters[i]
		}
	}
	return nil
}

// DefaultRemoteShare and DefaultRemoteMin make the default daily cap of
// a service's same-day online numbers (RemoteCap 0): a quarter of what
// the counters that serve it can serve in the day's opening hours at its
// DefaultMinutes, and at least 10. Online numbers join the line as if
// their holders stood in the lobby, so without a cap invented phone
// numbers could fill the whole day ahead of everyone who walks in (150 in
// ten seconds made the next kiosk ticket wait 15.6 hours); with it, three
// quarters of the day stay for the kiosk and the appointments, and the
// wait a flood of online numbers adds to a kiosk ticket is at most about
// a quarter of the day. An administrator who wants more online sets
// RemoteCap.
const (
	DefaultRemoteShare = 0.25
	DefaultRemoteMin   = 10
)

// RemoteLimit is how many same-day online numbers of the service are
// given on a local date: RemoteCap when set, otherwise the default above.
func (o *Office) RemoteLimit(sv *Service, date string) int {
	if sv.RemoteCap > 0 {
		return sv.RemoteCap
	}
	counters := 0
	for i := range o.Counters {
		if _, ok := o.Counters[i].Serves(sv.ID); ok {
			counters++
		}
	}
	capacity := float64(o.OpenMinutes(date)*counters) / max(sv.DefaultMinutes, 1)
	return max(DefaultRemoteMin, int(capacity*DefaultRemoteShare))
}

// OpenMinutes is how many minutes the office is open on a local date (0 on
// a holiday, a closed weekday or a date that does not parse).
func (o *Office) OpenMinutes(date string) int {
	if !o.OpenOn(date) {
		return 0
	}
	d, _ := time.ParseInLocation(time.DateOnly, date, o.Location())
	// Spans may overlap: count each minute once.
	var open [24 * 60]bool
	n := 0
	for _, sp := range o.Hours[weekdayKeys[d.Weekday()]] {
		f, _ := ParseClock(sp.From)
		e, _ := ParseClockEnd(sp.To)
		for m := max(f, 0); m < min(e, 24*60); m++ {
			if !open[m] {
				open[m], n = true, n+1
			}
		}
	}
	return n
}

// ServedBy reports whether any counter serves the service.
func (o *Office) ServedBy(service string) bool {
	for i := range o.Counters {
		if _, ok := o.Counters[i].Serves(service); ok {
			return true
		}
	}
	return false
}
