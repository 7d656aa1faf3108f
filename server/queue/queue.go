// Package queue is the domain of Lượt: offices, services, counters, tickets,
// bookings, staff and devices, and the rules that decide who is called next
// and how long each citizen will wait.
//
// The package is pure: it does no I/O and has no clock of its own. Every
// command takes the current time as an argument and, instead of changing
// anything, returns a [Change] that describes what it would change — the
// tickets, counters, next-number rows, statistics and events. The caller
// persists the Change (in one transaction) and then applies it to the
// in-memory [State] with [State.Apply]. This keeps the rules testable without
// a database and makes the store the single place where durability lives.
package queue

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a domain error so that transports can map it to a status
// (HTTP 400, 404, 409, 503 and so on) without parsing messages.
type Kind string

// Kinds of domain errors.
const (
	KindInvalid   Kind = "invalid"   // the request itself is wrong
	KindNotFound  Kind = "not_found" // an id, number or code that does not exist
	KindConflict  Kind = "conflict"  // the request is valid but the current state refuses it
	KindClosed    Kind = "closed"    // the office or service is not serving now
	KindForbidden Kind = "forbidden" // the actor may not do this
)

// Error is a domain error: a kind for machines and a message for people.
// Messages say what happened and, where possible, what to do about it.
type Error struct {
	Kind    Kind
	Code    string // stable, specific code, e.g. "service_not_served"
	Message string
	// ComeBackAt is when the refusal ends, where the rules know it: the
	// opening of a booking's check-in window (too_early) or the office's
	// next opening (office_closed); zero otherwise. It is in the office's
	// timezone, and the message says it in words.
	ComeBackAt time.Time
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is match two domain errors with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of a domain error, or "" for any other error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Sentinel errors for errors.Is; the returned errors carry specific messages.
var (
	ErrNotServed      = &Error{Kind: KindConflict, Code: "service_not_served"}
	ErrNobodyWaiting  = &Error{Kind: KindNotFound, Code: "nobody_waiting"}
	ErrCounterPaused  = &Error{Kind: KindConflict, Code: "counter_not_open"}
	ErrNoCurrent      = &Error{Kind: KindConflict, Code: "no_current_ticket"}
	ErrBadTransition  = &Error{Kind: KindConflict, Code: "bad_transition"}
	ErrOfficeClosed   = &Error{Kind: KindClosed, Code: "office_closed"}
	ErrCapReached     = &Error{Kind: KindConflict, Code: "daily_cap_reached"}
	ErrUnknownService = &Error{Kind: KindNotFound, Code: "unknown_service"}
	ErrUnknownCounter = &Error{Kind: KindNotFound, Code: "unknown_counter"}
	ErrUnknownTicket  = &Error{Kind: KindNotFound, Code: "unknown_ticket"}
	ErrCounterBusy    = &Error{Kind: KindConflict, Code: "counter_busy"}
	ErrJustCalled     = &Error{Kind: KindConflict, Code: "just_called"}
	ErrServiceClosed  = &Error{Kind: KindClosed, Code: "service_inactive"}
	ErrInvalid        = &Error{Kind: KindInvalid, Code: "invalid"}
)
