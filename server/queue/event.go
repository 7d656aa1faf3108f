package queue

import (
	"encoding/json"
	"fmt"
	"time"
)

// EventType names an event of the stream that boards, kiosks, consoles and
// phones follow.
type EventType string

// Event types (see DESIGN.md, "Event stream").
const (
	EventSnapshot          EventType = "snapshot"
	EventTicketIssued      EventType = "ticket.issued"
	EventTicketCalled      EventType = "ticket.called"
	EventTicketRecalled    EventType = "ticket.recalled"
	EventTicketServing     EventType = "ticket.serving"
	EventTicketDone        EventType = "ticket.done"
	EventTicketNoShow      EventType = "ticket.no_show"
	EventTicketTransferred EventType = "ticket.transferred"
	EventTicketCancelled   EventType = "ticket.cancelled"
	EventTicketExpired     EventType = "ticket.expired"
	EventCounterOpened     EventType = "counter.opened"
	EventCounterPaused     EventType = "counter.paused"
	EventCounterClosed     EventType = "counter.closed"
	EventBookingCreated    EventType = "booking.created"
	EventBookingCheckedIn  EventType = "booking.checked_in"
	EventBookingCancelled  EventType = "booking.cancelled"
	EventBookingNoShow     EventType = "booking.no_show"
	EventDayRolled         EventType = "day.rolled"
	EventDeviceStatus      EventType = "device.status"
	EventConfigChanged     EventType = "config.changed"
	// EventDossiersReady carries the list of dossiers ready for pickup
	// (DossiersReadyData), whenever it changes.
	EventDossiersReady EventType = "dossiers.ready"
)

// Event is one change of an office, numbered by Seq: strictly increasing per
// office, without gaps. It is written in the same transaction as the change
// it describes. Data is one of the *Data types below.
//
// An event has two audiences: the office's staff see all of it; anyone
// else (boards, phones, the public stream and its replay) sees Public,
// which leaves out what only staff may know. Nothing about a citizen
// (name, phone, tracking token) is in any event to begin with.
type Event struct {
	Office string    `json:"-"`
	Seq    int64     `json:"seq"`
	Type   EventType `json:"type"`
	At     time.Time `json:"at"`
	Data   any       `json:"data"`
}

// PublicTicket is what anyone may see of a ticket: no name, phone or token.
// Boards, events and the state snapshot carry it.
type PublicTicket struct {
	ID            string    `json:"id"`
	Number        string    `json:"number"`
	Service       string    `json:"service"`
	Status        Status    `json:"status"`
	Priority      Priority  `json:"priority"`
	Source        Source    `json:"source"`
	IssuedAt      time.Time `json:"issued_at"`
	CalledAt      time.Time `json:"called_at,omitzero"`
	Counter       string    `json:"counter,omitempty"`
	CounterNumber int       `json:"counter_number,omitempty"`
	Recalls       int       `json:"recalls"`
}

// TicketData is the payload of every ticket.* event.
type TicketData struct {
	Ticket PublicTicket `json:"ticket"`
	// Transfer is set on ticket.transferred.
	Transfer *Transfer `json:"transfer,omitempty"`
	// Reason is set on ticket.cancelled and ticket.expired.
	Reason string `json:"reason,omitempty"`
}

// CounterData is the payload of counter.* events.
type CounterData struct {
	Counter string       `json:"counter"`
	Number  int          `json:"number"`
	State   CounterState `json:"state"`
	// Staff is the login of the clerk at the counter: staff only.
	Staff string `json:"staff,omitempty"`
}

// DayData is the payload of day.rolled.
type DayData struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Expired int    `json:"expired"`
}

// DeviceData is the payload of device.status.
type DeviceData struct {
	Device string `json:"device"`
	Kind   string `json:"kind,omitempty"`
	Status string `json:"status"`
	// Message is a human sentence about the status (e.g. a printer fault).
	Message string `json:"message,omitempty"`
}

// DossiersReadyData is the payload of dossiers.ready: the dossiers whose
// result waits for pickup, newest first, as the boards list them (the
// office's dossier configuration says how many and whether names are
// shown). It is public: codes and masked names only.
type DossiersReadyData struct {
	Dossiers []ReadyDossier `json:"dossiers"`
}

// ReadyDossier is one line of the boards' "Hồ sơ đã có kết quả" panel.
type ReadyDossier struct {
	Code string `json:"code"`
	// Name is the applicant's masked name ("Nguyễn V. A."), empty when the
	// office shows codes only.
	Name string    `json:"name,omitempty"`
	At   time.Time `json:"at"` // when the result was ready
}

// ConfigData is the payload of config.changed.
type ConfigData struct {
	// By is the login of the administrator who changed it: staff only.
	By string `json:"by,omitempty"`
}

// BookingData is the payload of booking.* events.
type BookingData struct {
	// Code is the booking's code: staff only. With it anyone could check
	// the booking in at the kiosk (taking the booker's place and voiding
	// the booking) or print its QR.
	Code    string `json:"code,omitempty"`
	Service string `json:"service"`
	Date    string `json:"date"`
	Slot    string `json:"slot"`
	Ticket  string `json:"ticket,omitempty"`
	// Status is the booking's status after the event.
	Status BookingStatus `json:"status,omitempty"`
}

// Public returns the event as anyone may see it, and whether that differs
// from e (when it does not, e itself is returned): booking codes, the
// clerk's login on counter events and transfers, and the administrator's
// on config.changed are left out. A board needs none of them: it shows
// numbers, counters and services. e is not modified.
func (e Event) Public() (Event, bool) {
	switch d := e.Data.(type) {
	case BookingData:
		if d.Code == "" {
			return e, false
		}
		d.Code = ""
		e.Data = d
	case CounterData:
		if d.Staff == "" {
			return e, false
		}
		d.Staff = ""
		e.Data = d
	case TicketData:
		if d.Transfer == nil || d.Transfer.Staff == "" {
			return e, false
		}
		tr := *d.Transfer
		tr.Staff = ""
		d.Transfer = &tr
		e.Data = d
	case ConfigData:
		if d.By == "" {
			return e, false
		}
		d.By = ""
		e.Data = d
	default:
		return e, false
	}
	return e, true
}

// EncodedEvent is one event encoded for its two audiences, once each, when
// it is committed: the store keeps both (for replays) and the publisher
// fans both out, so that no client's stream encodes anything.
type EncodedEvent struct {
	// Staff is the whole event, for staff sessions of the office.
	Staff []byte
	// Public is the event as anyone may see it (Event.Public): the same
	// slice as Staff when the event carries nothing private.
	Public []byte
}

// Encode encodes the event for both audiences, as the JSON of the event
// stream.
func (e Event) Encode() (EncodedEvent, error) {
	staff, err := json.Marshal(&e)
	if err != nil {
		return EncodedEvent{}, fmt.Errorf("encode event %s: %w", e.Type, err)
	}
	enc := EncodedEvent{Staff: staff, Public: staff}
	if pub, changed := e.Public(); changed {
		if enc.Public, err = json.Marshal(&pub); err != nil {
			return EncodedEvent{}, fmt.Errorf("encode public event %s: %w", e.Type, err)
		}
	}
	return enc, nil
}
