package queue

import (
	"errors"
	"time"
)

// Sentinel errors for what storage reports, so that the transports (the
// API, the pages) can tell the cases apart without knowing the storage:
// the store wraps them (errors.Is).
//
// The convention of "not found": a lookup of one thing by its key
// returns an error wrapping ErrNotFound when there is none — never a nil
// value with a nil error.
var (
	// ErrNotFound: no such record (an office, a ticket, a booking …).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the record exists already (a second rating of a
	// ticket, a key used by another record).
	ErrConflict = errors.New("conflict")
	// ErrStorageFull: the disk (or quota) is full; nothing was written.
	ErrStorageFull = errors.New("storage full")
	// ErrStorageBusy: another program held the database locked for too
	// long; nothing was written.
	ErrStorageBusy = errors.New("storage busy")
	// ErrStorageIO: the disk failed to read or write; nothing was written.
	ErrStorageIO = errors.New("storage I/O error")
	// ErrUnavailable: the database server cannot be reached (connection
	// refused or lost, the server shutting down or restarting); what was
	// not acknowledged was not written.
	ErrUnavailable = errors.New("database unavailable")
)

// Rating is a citizen's rating of a finished ticket.
type Rating struct {
	Office  string    `json:"office"`
	Ticket  string    `json:"ticket"`
	Score   int       `json:"score"` // 4 very satisfied … 1 dissatisfied
	Comment string    `json:"comment,omitempty"`
	Counter string    `json:"counter,omitempty"`
	Staff   string    `json:"staff,omitempty"`
	Service string    `json:"service,omitempty"`
	Day     string    `json:"day,omitempty"`
	At      time.Time `json:"at"`
	// Channel is where it was given: RatingPhone or RatingStation.
	Channel string `json:"channel,omitempty"`
	// Reasons are ids of the office's RatingPolicy reasons (low scores).
	Reasons []string `json:"reasons,omitempty"`
}

// AuditEntry is one line of an office's audit log: who did what, when.
type AuditEntry struct {
	ID     int64     `json:"id"`
	Office string    `json:"office"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	Detail string    `json:"detail,omitempty"`
}
