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

// Tally is the figures of the dossiers that share a key: a procedure, a
// field, a department or a month of receipt (YYYY-MM), or all of them.
type Tally struct {
	Key string `json:"key"`
	// Total is every dossier counted; Refused and Withdrawn of them ended
	// so; Open are still being handled (suspended ones too), OpenLate of
	// them past their due date at the time given to Figures.
	Total     int `json:"total"`
	Refused   int `json:"refused"`
	Withdrawn int `json:"withdrawn"`
	Open      int `json:"open"`
	OpenLate  int `json:"open_late"`
	// Done are completed or returned: Early of them before their due
	// day (the last working day), OnTime on it, Late after it (or with
	// an apology: a new date is a missed one). Early+OnTime+Late = Done.
	Done   int `json:"done"`
	Early  int `json:"early"`
	OnTime int `json:"on_time"`
	Late   int `json:"late"`
	// OnTimeRate is (Early+OnTime)/Done, 0 when none is done.
	OnTimeRate float64 `json:"on_time_rate"`
	// AvgDays is the mean processing time of the done ones, from receipt
	// to completion, in working days of the office's calendar (fractions
	// of a day by the hours); 0 when none is done.
	AvgDays float64 `json:"avg_days"`
}

// LateDossier is one line of the reports' late list.
type LateDossier struct {
	Code       string    `json:"code"`
	Procedure  string    `json:"procedure"`
	Department string    `json:"department"`
	Status     Status    `json:"status"`
	ReceivedAt time.Time `json:"received_at,omitzero"`
	// DueAt is the due date that was missed: the original one (moved by
	// clock stops) for a dossier with an apology.
	DueAt time.Time `json:"due_at"`
	// NewDue is the apology's new date, if any.
	NewDue      time.Time `json:"new_due,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// DaysLate is the working days from the missed due date to the
	// completion (or to now for an open dossier), at least 1.
	DaysLate int `json:"days_late"`
}

// Stats are the reports' figures of a set of dossiers (chosen by the
// caller: an office, a period of receipt). The lists by procedure,
// field and department give the configuration's order (every one of
// them, without dossiers too) then any other key met, by id; ByMonth
// every month from the first receipt's to the last's, in the office's
// time zone.
type Stats struct {
	All          Tally   `json:"all"`
	ByProcedure  []Tally `json:"by_procedure"`
	ByField      []Tally `json:"by_field"`
	ByDepartment []Tally `json:"by_department"`
	ByMonth      []Tally `json:"by_month"`
	// Late lists the dossiers late now or completed late, the longest
	// late first.
	Late []LateDossier `json:"late"`
}

// Figures computes the report figures.
func Figures(c *Config, ds []Dossier, now time.Time) Stats { return Stats{} }
