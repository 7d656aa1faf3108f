package dossier

import (
	"cmp"
	"slices"
	"time"
)

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
	// of a day by the hours); 0 when none is done. Those without a time
	// of receipt or completion (an import's) are left out of it.
	AvgDays float64 `json:"avg_days"`

	days  float64 // the sum of the done ones' processing days
	timed int     // the done ones with a time of receipt
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
	// late first (then by code).
	Late []LateDossier `json:"late"`
}

// Outcome is how a done dossier met its due date.
type Outcome string

// Outcomes of a done dossier.
const (
	OutcomeNone   Outcome = ""        // not done (open, refused or withdrawn)
	OutcomeEarly  Outcome = "early"   // completed before its due day
	OutcomeOnTime Outcome = "on_time" // completed on its due day
	OutcomeLate   Outcome = "late"    // completed after it, or given a new date
)

// missedDue is the due date a dossier is judged by: with an apology, the
// one the apology replaced (the original moved by the clock's stops).
func (c *Config) missedDue(d Dossier) time.Time {
	if d.Apology != nil && !d.OriginalDue.IsZero() {
		return c.moveDue(d.OriginalDue, d.StoppedDays)
	}
	return d.DueAt
}

// Outcome is how a completed or returned dossier met its due date:
// early (completed before its due day began), on time (on it) or late
// (after it, or with an apology). OutcomeNone for any other.
func (c *Config) Outcome(d Dossier) Outcome {
	if (d.Status != StatusCompleted && d.Status != StatusReturned) || d.CompletedAt.IsZero() {
		return OutcomeNone
	}
	due := c.missedDue(d)
	switch {
	case d.Apology != nil:
		return OutcomeLate
	case due.IsZero():
		return OutcomeOnTime
	case !d.CompletedAt.Before(due):
		return OutcomeLate
	case d.CompletedAt.Before(c.dueDayStart(due)):
		return OutcomeEarly
	}
	return OutcomeOnTime
}

// workingDaysBetween is the working days from a to b: each working day's
// share of the span (a whole day counts 1), in the office's zone.
func (c *Config) workingDaysBetween(a, b time.Time) float64 {
	if !b.After(a) {
		return 0
	}
	loc := c.Calendar.Zone()
	a = a.In(loc)
	y, m, dd := a.Date()
	total := 0.0
	for i := 0; i <= maxStopDays; i++ {
		start := time.Date(y, m, dd+i, 0, 0, 0, 0, loc)
		if !start.Before(b) {
			break
		}
		end := time.Date(y, m, dd+i+1, 0, 0, 0, 0, loc)
		if !c.Calendar.IsWorkingDay(start.Add(12 * time.Hour)) {
			continue
		}
		from, to := start, end
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		total += float64(to.Sub(from)) / float64(end.Sub(start))
	}
	return total
}

// add counts d in t.
func (c *Config) add(t *Tally, d Dossier, now time.Time) {
	t.Total++
	switch {
	case d.Status == StatusRefused:
		t.Refused++
	case d.Status == StatusWithdrawn:
		t.Withdrawn++
	case d.Open():
		t.Open++
		if d.Late(now) {
			t.OpenLate++
		}
	default:
		t.Done++
		switch c.Outcome(d) {
		case OutcomeEarly:
			t.Early++
		case OutcomeLate:
			t.Late++
		default:
			t.OnTime++
		}
		if !d.ReceivedAt.IsZero() && !d.CompletedAt.IsZero() {
			t.days += c.workingDaysBetween(d.ReceivedAt, d.CompletedAt)
			t.timed++
		}
	}
}

// finish computes t's rates.
func (t *Tally) finish() {
	if t.Done > 0 {
		t.OnTimeRate = float64(t.Early+t.OnTime) / float64(t.Done)
	}
	if t.timed > 0 {
		t.AvgDays = t.days / float64(t.timed)
	}
}

// Figures computes the reports' figures of dossiers (chosen by the
// caller) at now: by procedure, field, department and month of receipt
// (of submission when not received), and the late list. Pure: same
// input, same figures.
func Figures(c *Config, ds []Dossier, now time.Time) Stats {
	loc := c.Calendar.Zone()
	s := Stats{Late: []LateDossier{}}
	procs, fields, depts, months := map[string]*Tally{}, map[string]*Tally{}, map[string]*Tally{}, map[string]*Tally{}
	get := func(m map[string]*Tally, k string) *Tally {
		if m[k] == nil {
			m[k] = &Tally{Key: k}
		}
		return m[k]
	}
	var first, last time.Time
	for _, d := range ds {
		c.add(&s.All, d, now)
		c.add(get(procs, d.Procedure), d, now)
		c.add(get(fields, d.Field), d, now)
		c.add(get(depts, d.Department), d, now)
		at := cmp.Or(d.ReceivedAt, d.SubmittedAt)
		if !at.IsZero() {
			c.add(get(months, at.In(loc).Format("2006-01")), d, now)
			if first.IsZero() || at.Before(first) {
				first = at
			}
			if last.IsZero() || at.After(last) {
				last = at
			}
		}
		if l, ok := c.lateLine(d, now); ok {
			s.Late = append(s.Late, l)
		}
	}
	s.All.finish()
	var order []string
	for _, p := range c.Procedures {
		order = append(order, p.Code)
	}
	s.ByProcedure = tallies(procs, order)
	order = order[:0]
	for _, f := range c.Fields {
		order = append(order, f.ID)
	}
	s.ByField = tallies(fields, order)
	order = order[:0]
	for _, d := range c.Departments {
		order = append(order, d.ID)
	}
	s.ByDepartment = tallies(depts, order)
	order = order[:0]
	if !first.IsZero() {
		f, l := first.In(loc), last.In(loc)
		for m := time.Date(f.Year(), f.Month(), 1, 12, 0, 0, 0, time.UTC); m.Format("2006-01") <= l.Format("2006-01"); m = m.AddDate(0, 1, 0) {
			order = append(order, m.Format("2006-01"))
		}
	}
	s.ByMonth = tallies(months, order)
	slices.SortStableFunc(s.Late, func(a, b LateDossier) int {
		return cmp.Or(cmp.Compare(b.DaysLate, a.DaysLate), cmp.Compare(a.Code, b.Code))
	})
	return s
}

// lateLine is d's line of the late list, if it is late now or was
// completed late.
func (c *Config) lateLine(d Dossier, now time.Time) (LateDossier, bool) {
	var end time.Time
	switch {
	case d.Open() && d.Late(now):
		end = now
	case c.Outcome(d) == OutcomeLate:
		end = d.CompletedAt
	default:
		return LateDossier{}, false
	}
	due := c.missedDue(d)
	l := LateDossier{
		Code: d.Code, Procedure: d.Procedure, Department: d.Department, Status: d.Status,
		ReceivedAt: d.ReceivedAt, DueAt: due, CompletedAt: d.CompletedAt,
	}
	if d.Apology != nil {
		l.NewDue = d.Apology.NewDue
	}
	l.DaysLate = max(1, int(c.workingDaysBetween(due, end)+0.999999))
	return l, true
}

// tallies lists m's tallies in order (every key of it, those without
// dossiers too), then the keys m has that order lacks, sorted; each
// finished.
func tallies(m map[string]*Tally, order []string) []Tally {
	out := []Tally{}
	listed := map[string]bool{}
	for _, k := range order {
		listed[k] = true
		t := Tally{Key: k}
		if m[k] != nil {
			t = *m[k]
		}
		t.finish()
		out = append(out, t)
	}
	var rest []Tally
	for k, t := range m {
		if !listed[k] {
			t.finish()
			rest = append(rest, *t)
		}
	}
	slices.SortFunc(rest, func(a, b Tally) int { return cmp.Compare(a.Key, b.Key) })
	return append(out, rest...)
}
