package feedback

import (
	"errors"
	"time"
)

// errTODO marks the functions of the contract not built yet; every one of
// them is replaced by its implementation before issue 18 closes.
var errTODO = errors.New("feedback: not built yet")

// Validate checks a configuration: ids, names, units named by categories,
// deadlines of at least one working day, the calendar's holidays.
func (c *Config) Validate() error { return errTODO }

// Category returns the category with that id.
func (c *Config) Category(id string) (Category, bool) {
	for _, k := range c.Categories {
		if k.ID == id {
			return k, true
		}
	}
	return Category{}, false
}

// Unit returns the unit with that id.
func (c *Config) Unit(id string) (Unit, bool) {
	for _, u := range c.Units {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

// Create checks a new report and makes it: routed, with its deadlines,
// status new, and its "report.created" event. The store gives the code.
func Create(c *Config, in NewReport, now time.Time) (Report, Event, error) {
	return Report{}, Event{}, errTODO
}

// Decide checks a command against the report and the actor's rights and
// returns the event that carries it out, or a *queue.Error saying why not.
func Decide(c *Config, r Report, cmd Command, now time.Time) (Event, error) {
	return Event{}, errTODO
}

// Apply is the report after the event.
func Apply(r Report, e Event) Report { return r }

// AddWorkingDays is the end (24:00 local) of the n-th working day after
// the day of t.
func (cal Calendar) AddWorkingDays(t time.Time, n int) time.Time { return t }

// Open reports whether the report is still being handled (not closed).
func (r Report) Open() bool { return false }

// Overdue reports whether a deadline has passed unmet at now.
func (r Report) Overdue(now time.Time) bool { return false }

// Public is the report as anyone may see it: no reporter, no hidden
// photos, no manage token.
func Public(r Report) Report { return r }
