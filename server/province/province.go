// Package province gathers every office's figures side by side for a
// province administrator (queue.RoleProvince, docs/province.md): each
// office's queue today and over a period, its dossiers and its feedback
// reports. It reads through the store's existing methods (the rows of
// the offices' own reports) and computes with the reports' own functions
// (report.Compute, dossier.Figures, feedback.Stats), so that it runs on
// SQLite and PostgreSQL alike and an office's line agrees with its own
// reports.
package province

import (
	"context"
	"fmt"
	"time"

	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/queue"
	"luot/server/report"
)

// MaxDays is the longest period the figures cover, as an office's
// reports.
const MaxDays = 366

// Store is what the queue figures read: the rows of an office's report
// (*store.DB's ReportRows).
type Store interface {
	ReportRows(ctx context.Context, office, from, to string) ([]queue.Ticket, []queue.Rating, error)
}

// Sources are where the figures come from. Queue is required. Dossiers
// are counted for the office of each configuration in DossierConfigs
// (read from DossierStore), feedback reports for that of each in
// FeedbackConfigs (read from FeedbackStore); the other offices keep none
// and have no such figures.
type Sources struct {
	Queue           Store
	DossierStore    dossier.Store
	DossierConfigs  []*dossier.Config
	FeedbackStore   feedback.Store
	FeedbackConfigs []*feedback.Config
}

// Gather computes the figures of offices (in their order) over the
// business days from … to (inclusive, YYYY-MM-DD, checked by the caller:
// Period), and their total, at now: each office's queue over the period
// and on its business day at now, its dossiers received and its feedback
// reports created in the period (dates in their configuration's time
// zone). A failing read is returned wrapped, naming the office.
func Gather(ctx context.Context, src Sources, offices []*queue.Office, from, to string, now time.Time) (report.Province, error) {
	p := report.Province{From: from, To: to, Offices: make([]report.ProvinceOffice, 0, len(offices))}
	for _, o := range offices {
		line, err := gatherOffice(ctx, src, o, from, to, now)
		if err != nil {
			return report.Province{}, err
		}
		p.Offices = append(p.Offices, line)
	}
	p.Sum()
	return p, nil
}

func gatherOffice(ctx context.Context, src Sources, o *queue.Office, from, to string, now time.Time) (report.ProvinceOffice, error) {
	loc := o.Location()
	line := report.ProvinceOffice{Office: o.ID, Name: o.Name, NameEN: o.NameEN, Today: o.Day(now)}
	rows, ratings, err := src.Queue.ReportRows(ctx, o.ID, from, to)
	if err != nil {
		return line, fmt.Errorf("province figures of office %s: %w", o.ID, err)
	}
	rep := report.Compute(rows, ratings, from, to, loc)
	line.Queue = report.ProvinceQueueOf(&rep.Total)
	if line.Today >= from && line.Today <= to {
		for i := range rep.ByDay {
			if rep.ByDay[i].Key == line.Today {
				line.QueueToday = report.ProvinceQueueOf(&rep.ByDay[i].Stats)
			}
		}
	} else {
		rows, ratings, err := src.Queue.ReportRows(ctx, o.ID, line.Today, line.Today)
		if err != nil {
			return line, fmt.Errorf("province figures of office %s today: %w", o.ID, err)
		}
		today := report.Compute(rows, ratings, line.Today, line.Today, loc)
		line.QueueToday = report.ProvinceQueueOf(&today.Total)
	}
	for _, c := range src.DossierConfigs {
		if c == nil || c.Office != o.ID || src.DossierStore == nil {
			continue
		}
		f, t := bounds(from, to, c.Calendar.Zone())
		ds, err := src.DossierStore.Dossiers(ctx, dossier.Filter{Office: o.ID, From: f, To: t})
		if err != nil {
			return line, fmt.Errorf("province figures of the dossiers of office %s: %w", o.ID, err)
		}
		st := dossier.Figures(c, ds, now)
		d := report.ProvinceDossiersOf(st.All)
		line.Dossiers = &d
	}
	for _, c := range src.FeedbackConfigs {
		if c == nil || c.Office != o.ID || src.FeedbackStore == nil {
			continue
		}
		zone := c.Calendar.Location
		if zone == nil {
			zone = time.UTC
		}
		f, t := bounds(from, to, zone)
		reps, err := src.FeedbackStore.Reports(ctx, feedback.Filter{Office: o.ID, From: f, To: t})
		if err != nil {
			return line, fmt.Errorf("province figures of the feedback reports of office %s: %w", o.ID, err)
		}
		st := feedback.Stats(c, reps, now)
		fb := report.ProvinceFeedbackOf(&st)
		line.Feedback = &fb
	}
	return line, nil
}

// bounds turns the dates from … to (inclusive) into times in loc: from's
// midnight and the midnight after to.
func bounds(from, to string, loc *time.Location) (time.Time, time.Time) {
	f, _ := time.ParseInLocation(time.DateOnly, from, loc)
	t, _ := time.ParseInLocation(time.DateOnly, to, loc)
	return f, t.AddDate(0, 0, 1)
}

// PeriodError is why a period was refused: Field is "from" or "to",
// Reason "date" (not a date), "order" (to before from) or "length"
// (longer than MaxDays).
type PeriodError struct {
	Field, Reason string
}

// Error says what is wrong with the period.
func (e *PeriodError) Error() string {
	switch e.Reason {
	case "order":
		return "the period ends before it starts: swap the dates"
	case "length":
		return fmt.Sprintf("a period covers at most %d days: choose a shorter one", MaxDays)
	}
	return e.Field + " must be a date written YYYY-MM-DD"
}

// Period reads a period's dates (YYYY-MM-DD, both inclusive): from
// defaults to today, to to from. It refuses (a *PeriodError) a date that
// is none, an end before the start, and more than MaxDays days.
func Period(from, to, today string) (string, string, error) {
	if from == "" {
		from = today
	}
	if to == "" {
		to = from
	}
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return "", "", &PeriodError{Field: "from", Reason: "date"}
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return "", "", &PeriodError{Field: "to", Reason: "date"}
	}
	switch {
	case t.Before(f):
		return "", "", &PeriodError{Field: "to", Reason: "order"}
	case t.Sub(f) >= MaxDays*24*time.Hour:
		return "", "", &PeriodError{Field: "to", Reason: "length"}
	}
	return from, to, nil
}
