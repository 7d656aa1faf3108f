package notify

import (
	"errors"
	"strconv"
	"time"
)

// Validate fills the defaults of the zero fields and refuses bad values.
func (c *Config) Validate() error { return errors.New("notify: Config.Validate not implemented yet") }

// Quiet tells whether a notice of kind k due at t is held by the quiet
// hours of the office's zone loc, and until when.
func (c Config) Quiet(k Kind, t time.Time, loc *time.Location) (until time.Time, held bool) {
	return time.Time{}, false
}

// Backoff is the delay before the next try after tries failed tries,
// jitter in [0,1) given by the caller.
func (c Config) Backoff(tries int, jitter float64) time.Duration { return c.BaseDelay }

// TicketKey is the key of a ticket's notice: "ticket/{id}/{fact}".
func TicketKey(id, fact string) string { return "ticket/" + id + "/" + fact }

// TicketCalledKey is the key of a ticket's nth call: "ticket/{id}/called/{n}".
func TicketCalledKey(id string, n int) string { return TicketKey(id, "called/"+strconv.Itoa(n)) }

// BookingKey is the key of a booking's reminder: "booking/{id}/{fact}".
func BookingKey(id, fact string) string { return "booking/" + id + "/" + fact }

// DossierKey is the key of a dossier event's notice: "dossier/{code}/event/{seq}".
func DossierKey(code string, seq int64) string {
	return "dossier/" + code + "/event/" + strconv.FormatInt(seq, 10)
}

// ReportKey is the key of a report event's notice: "report/{code}/event/{seq}".
func ReportKey(code string, seq int64) string {
	return "report/" + code + "/event/" + strconv.FormatInt(seq, 10)
}

// PhoneCodeKey is the key of a phone code: "phone-code/{random}".
func PhoneCodeKey(random string) string { return "phone-code/" + random }

// LinkAgainKey is the key of a "send my link again": "link-again/{random}".
func LinkAgainKey(random string) string { return "link-again/" + random }
