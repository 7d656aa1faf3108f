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
	"strings"
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
//
// Message is in English. Template is the English text it was made from,
// with named parameters in braces ("counter {counter} is closed"), and
// Args their values, so that a transport can say the same in the reader's
// language from a catalogue keyed by the template (see server/msgtext).
type Error struct {
	Kind     Kind
	Code     string // stable, specific code, e.g. "service_not_served"
	Message  string
	Template string
	Args     map[string]string
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

func errorf(kind Kind, code, template string, args ...any) *Error {
	return NewError(kind, code, template, args...)
}

// NewError returns a domain error whose message is template with its
// parameters filled from args, given as name, value pairs:
//
//	NewError(KindConflict, "counter_not_open", "counter {counter} is {state}: open it first", "counter", 4, "state", "closed")
//
// Values are written with fmt's %v. A parameter without a value stays as
// it is written, so that a mistake shows instead of vanishing.
func NewError(kind Kind, code, template string, args ...any) *Error {
	var m map[string]string
	if len(args) > 0 {
		m = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			m[fmt.Sprint(args[i])] = fmt.Sprint(args[i+1])
		}
	}
	return &Error{Kind: kind, Code: code, Message: Fill(template, m), Template: template, Args: m}
}

// Fill replaces each {name} of template by args[name]; a name without a
// value is left as it is.
func Fill(template string, args map[string]string) string {
	if !strings.Contains(template, "{") {
		return template
	}
	var b strings.Builder
	rest := template
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(rest[:i])
		if v, ok := args[rest[i+1:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(rest[i : i+j+1])
		}
		rest = rest[i+j+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// quoted writes a value as Go's %q does, for names that may be empty or
// hold spaces and control characters.
func quoted(v any) string { return fmt.Sprintf("%q", v) }

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
