package queue

import (
	"time"
	"unicode/utf8"
)

// Priority is the class a citizen declares at the kiosk; every class but
// PriorityNone gets the policy's priority bonus.
type Priority string

// Priority classes, by Vietnamese practice.
const (
	PriorityNone     Priority = ""
	PriorityElderly  Priority = "elderly"  // người cao tuổi
	PriorityDisabled Priority = "disabled" // người khuyết tật
	PriorityPregnant Priority = "pregnant" // phụ nữ mang thai
	PriorityMerit    Priority = "merit"    // người có công với cách mạng
)

// Priorities lists the classes that get a bonus, in display order.
var Priorities = []Priority{PriorityElderly, PriorityDisabled, PriorityPregnant, PriorityMerit}

// Valid reports whether p is a known class (PriorityNone included).
func (p Priority) Valid() bool {
	switch p {
	case PriorityNone, PriorityElderly, PriorityDisabled, PriorityPregnant, PriorityMerit:
		return true
	}
	return false
}

// Source says where a ticket came from.
type Source string

// Ticket sources.
const (
	SourceKiosk   Source = "kiosk"
	SourceRemote  Source = "remote"
	SourceBooking Source = "booking"
	SourceClerk   Source = "clerk"
)

// Valid reports whether s is a known source.
func (s Source) Valid() bool {
	switch s {
	case SourceKiosk, SourceRemote, SourceBooking, SourceClerk:
		return true
	}
	return false
}

// Status is where a ticket is in its life.
type Status string

// Ticket statuses. Done, NoShow, Cancelled and Expired are final.
const (
	StatusWaiting   Status = "waiting"
	StatusCalled    Status = "called"
	StatusServing   Status = "serving"
	StatusDone      Status = "done"
	StatusNoShow    Status = "no_show"
	StatusCancelled Status = "cancelled"
	StatusExpired   Status = "expired"
)

// Final reports whether nothing more can happen to a ticket with this status
// (a no-show can still be called again by number).
func (s Status) Final() bool {
	return s == StatusDone || s == StatusNoShow || s == StatusCancelled || s == StatusExpired
}

// Ticket is one citizen's place in the queue for one business day.
type Ticket struct {
	ID      string `json:"id"`
	Office  string `json:"office"`
	Day     string `json:"day"`     // business day, local YYYY-MM-DD
	Service string `json:"service"` // current service (after transfers)
	// Number is the n-th number of its service that day; Display is what
	// citizens see ("A001"). (Office, Day, numbering service, Number) is
	// unique; NumberService is the service that issued the number, which a
	// transfer does not change.
	Number        int      `json:"number_seq"`
	NumberService string   `json:"number_service"`
	Display       string   `json:"number"`
	Source        Source   `json:"source"`
	Priority      Priority `json:"priority"`
	Status        Status   `json:"status"`
	// VA is the virtual arrival time used for ordering; Order is the issue
	// order within the office, which breaks ties.
	VA    time.Time `json:"virtual_arrival"`
	Order int64     `json:"order"`
	// Pinned, when set, reserves the ticket for one counter (a transfer to
	// a counter): only that counter calls it.
	Pinned     string     `json:"pinned,omitempty"`
	IssuedAt   time.Time  `json:"issued_at"`
	CalledAt   time.Time  `json:"called_at,omitzero"` // first call
	RecalledAt time.Time  `json:"recalled_at,omitzero"`
	ServingAt  time.Time  `json:"serving_at,omitzero"`
	FinishedAt time.Time  `json:"finished_at,omitzero"`
	Counter    string     `json:"counter,omitempty"`
	Staff      string     `json:"staff,omitempty"`
	Recalls    int        `json:"recalls"`
	Transfers  []Transfer `json:"transfers,omitempty"`
	// Token is the secret that lets the holder follow the ticket.
	Token   string `json:"-"`
	Booking string `json:"booking,omitempty"`
	Name    string `json:"-"`
	Phone   string `json:"-"`
	// EstimateSeconds is the wait estimate given when the ticket was
	// issued (−1 when none could be made), kept to measure its error.
	EstimateSeconds int `json:"estimate_seconds"`
	// Device is the kiosk that issued it, if any.
	Device string `json:"device,omitempty"`
	// Dossier is the code of the dossier whose result this ticket came
	// to collect (a pickup ticket), if any. Staff only: PublicTicket
	// leaves it out.
	Dossier string `json:"dossier,omitempty"`
}

// Transfer records one move of a ticket to another service or counter.
type Transfer struct {
	At          time.Time `json:"at"`
	FromService string    `json:"from_service"`
	ToService   string    `json:"to_service"`
	FromCounter string    `json:"from_counter"`
	ToCounter   string    `json:"to_counter,omitempty"`
	ToEnd       bool      `json:"to_end"`
	Staff       string    `json:"staff,omitempty"`
}

// LastCallAt is when the ticket was last called or recalled.
func (t *Ticket) LastCallAt() time.Time {
	if t.RecalledAt.After(t.CalledAt) {
		return t.RecalledAt
	}
	return t.CalledAt
}

// Active reports whether the ticket is waiting or at a counter.
func (t *Ticket) Active() bool { return !t.Status.Final() }

// CounterState is whether a counter takes tickets.
type CounterState string

// Counter states.
const (
	CounterClosed CounterState = "closed"
	CounterOpen   CounterState = "open"
	CounterPaused CounterState = "paused"
)

// CounterStatus is the changing part of a counter: its state, the clerk at
// it and the ticket it is calling or serving.
type CounterStatus struct {
	Counter string       `json:"counter"`
	State   CounterState `json:"state"`
	Staff   string       `json:"staff,omitempty"`
	Current string       `json:"current,omitempty"` // ticket id
}

// BookingStatus is where an appointment is in its life.
type BookingStatus string

// Booking statuses.
const (
	BookingBooked    BookingStatus = "booked"
	BookingCheckedIn BookingStatus = "checked_in"
	BookingCancelled BookingStatus = "cancelled"
	BookingExpired   BookingStatus = "expired"
	BookingNoShow    BookingStatus = "no_show"
)

// Booking is an appointment for a service in a slot of a day.
type Booking struct {
	Code      string        `json:"code"`
	Office    string        `json:"office"`
	Service   string        `json:"service"`
	Date      string        `json:"date"` // local YYYY-MM-DD
	Slot      string        `json:"slot"` // local HH:MM, start of the slot
	Name      string        `json:"-"`
	Phone     string        `json:"-"`
	Status    BookingStatus `json:"status"`
	Ticket    string        `json:"ticket,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	// TokenHash is the sha256 of the booking's manage token, which only
	// the booker received; nil for bookings made before tokens existed.
	TokenHash []byte `json:"-"`
}

// Role is what a staff member may do.
type Role string

// Staff roles. Moderators and handlers work on citizens' feedback
// reports (server/feedback), not at counters: a moderator on every
// report of the office, a handler on those of their Unit. A province
// administrator reads every office's figures side by side (the
// province's statistics, docs/province.md) and nothing else, not even
// their own office's configuration; only the server's operator gives
// this role (the office file), never an office's administrator.
const (
	RoleClerk     Role = "clerk"
	RoleAdmin     Role = "admin"
	RoleModerator Role = "moderator"
	RoleHandler   Role = "handler"
	RoleProvince  Role = "province"
)

// Staff is a member of an office: a clerk, an administrator, a moderator
// or a handler of feedback reports. The PIN is kept only as a bcrypt
// hash, by the store.
type Staff struct {
	ID       string `json:"id"`
	Office   string `json:"office"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Disabled bool   `json:"disabled"`
	// Unit is the unit (department or ward of the feedback
	// configuration) a handler works for; a handler needs one, other
	// roles have none.
	Unit string `json:"unit,omitempty"`
	// Title is the clerk's title shown on the counter station
	// ("Chuyên viên"); HasPhoto says whether the administrator uploaded a
	// photo of them.
	Title    string `json:"title,omitempty"`
	HasPhoto bool   `json:"has_photo,omitempty"`
}

// CheckUnit checks the unit of a staff member against their role: a
// handler needs a valid unit id, the other roles none.
func (s *Staff) CheckUnit() error {
	switch {
	case s.Role == RoleHandler && s.Unit == "":
		return errorf(KindInvalid, "unit_required", "a handler needs the unit they work for")
	case s.Role == RoleHandler && !ValidID(s.Unit):
		return errorf(KindInvalid, "invalid_unit", "unit {unit} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "unit", quoted(s.Unit))
	case s.Role != RoleHandler && s.Unit != "":
		return errorf(KindInvalid, "unit_not_handler", "only a handler works for a unit: leave the unit empty for role {role}", "role", string(s.Role))
	}
	return nil
}

// PIN lengths. Every PIN has MinPIN to MaxPIN characters; an
// administrator's at least DefaultMinAdminPIN unless the server is
// configured otherwise (-admin-pin-min). An administrator's PIN opens the
// whole office — configuration, staff, device keys, reports with personal
// data — and guessing it is bounded per day, not forbidden (see the API's
// login rules): 6 digits take ≥ 57 years at that rate, 4 digits ≥ 208 days.
const (
	MinPIN             = 4
	MaxPIN             = 32
	DefaultMinAdminPIN = 6
)

// CheckPIN checks the length of a new PIN for a role; minAdmin is the
// configured minimum of an administrator's, and of a province
// administrator's, whose account reads every office's figures
// (DefaultMinAdminPIN when 0 or less, never below MinPIN). It is checked where PINs are set (the
// administration forms, the office file import), not at login: a PIN set
// before a rule changed still works until it is changed.
func CheckPIN(role Role, pin string, minAdmin int) error {
	if minAdmin <= 0 {
		minAdmin = DefaultMinAdminPIN
	}
	n := utf8.RuneCountInString(pin)
	switch {
	case len(pin) > MaxPIN:
		return errorf(KindInvalid, "invalid_pin", "a PIN must have at most {max} characters", "max", MaxPIN)
	case (role == RoleAdmin || role == RoleProvince) && n < max(MinPIN, minAdmin):
		return errorf(KindInvalid, "pin_too_short", "an administrator's PIN must have at least {min} characters", "min", max(MinPIN, minAdmin))
	case n < MinPIN:
		return errorf(KindInvalid, "pin_too_short", "a PIN must have at least {min} characters", "min", MinPIN)
	}
	return nil
}

// DeviceKind is what a registered device is.
type DeviceKind string

// Device kinds.
const (
	DeviceKiosk   DeviceKind = "kiosk"
	DeviceDisplay DeviceKind = "display"
)

// Device is a kiosk or display registered with a key (kept only as a hash).
type Device struct {
	ID       string     `json:"id"`
	Office   string     `json:"office"`
	Name     string     `json:"name"`
	Kind     DeviceKind `json:"kind"`
	Revoked  bool       `json:"revoked"`
	LastSeen time.Time  `json:"last_seen,omitzero"`
	// Status is the device's last reported condition, e.g. a printer fault.
	Status string `json:"status,omitempty"`
	// Counter is the counter a station is bound to; empty for other kinds.
	Counter string `json:"counter,omitempty"`
}
