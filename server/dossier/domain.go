package dossier

import (
	"errors"
	"time"

	"luot/server/queue"
)

// errStub marks the functions not written yet.
var errStub = errors.New("dossier: not implemented yet")

// Validate checks the configuration and sets its defaults.
func (c *Config) Validate() error { return errStub }

// Procedure returns the procedure with that code.
func (c *Config) Procedure(code string) (Procedure, bool) { return Procedure{}, false }

// Department returns the department with that id.
func (c *Config) Department(id string) (Department, bool) { return Department{}, false }

// Field returns the field with that id.
func (c *Config) Field(id string) (Field, bool) { return Field{}, false }

// ProceduresFor is the procedures of a queue service.
func (c *Config) ProceduresFor(service string) []Procedure { return nil }

// Due is the due date of p received at received.
func (c *Config) Due(p Procedure, received time.Time) time.Time { return received }

// Create validates nd and makes the new dossier and its created event.
func Create(c *Config, nd NewDossier, by Actor, now time.Time) (Dossier, Event, error) {
	return Dossier{}, Event{}, errStub
}

// Decide decides cmd against d.
func Decide(c *Config, d Dossier, cmd Command, now time.Time) (Event, error) {
	return Event{}, errStub
}

// Apply applies e to d.
func Apply(d Dossier, e Event) Dossier { return d }

// Open reports whether the dossier is still open.
func (d Dossier) Open() bool { return false }

// Late reports whether the dossier is late at now.
func (d Dossier) Late(now time.Time) bool { return false }

// FormatCode makes a dossier code.
func FormatCode(prefix string, localDay time.Time, n int) string { return "" }

// ParseCode splits a dossier code.
func ParseCode(code string) (prefix, yymmdd string, n int, err error) {
	return "", "", 0, errStub
}

// MaskName masks a name for the boards.
func MaskName(name string) string { return "" }

// MaskID masks an ID number.
func MaskID(id string) string { return "" }

// Receipt is the dossier's receipt.
func Receipt(c *Config, o *queue.Office, d Dossier, link, clerk string) queue.Document {
	return queue.Document{}
}

// ApologyNotice is a late dossier's apology.
func ApologyNotice(c *Config, o *queue.Office, d Dossier, link string) queue.Document {
	return queue.Document{}
}

// ReadyList is the boards' list of dossiers ready for pickup.
func ReadyList(c *Config, ds []Dossier) []queue.ReadyDossier { return nil }

// Stats are the report figures.
type Stats struct{}

// Figures computes the report figures.
func Figures(c *Config, ds []Dossier, now time.Time) Stats { return Stats{} }
