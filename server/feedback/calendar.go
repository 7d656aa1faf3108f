package feedback

import (
	"slices"
	"time"

	"luot/server/queue"
)

// OfficeCalendar is the calendar of an office: its time zone and its
// holidays, with Saturday and Sunday as the weekend. An office's opening
// hours are not its working days (the demo office is open every day),
// so the weekend is not read from them.
func OfficeCalendar(o *queue.Office) Calendar {
	return Calendar{Location: o.Location(), Holidays: slices.Clone(o.Holidays)}
}

// location is the calendar's time zone, UTC when none is set (Validate
// sets the default one).
func (cal Calendar) location() *time.Location {
	if cal.Location == nil {
		return time.UTC
	}
	return cal.Location
}

// weekend reports whether d is a weekend day.
func (cal Calendar) weekend(d time.Weekday) bool {
	if cal.Weekend == nil {
		return d == time.Saturday || d == time.Sunday
	}
	return slices.Contains(cal.Weekend, d)
}

// IsWorkingDay reports whether the local day of t is a working day: not
// a weekend day and not a holiday.
func (cal Calendar) IsWorkingDay(t time.Time) bool {
	t = t.In(cal.location())
	return !cal.weekend(t.Weekday()) && !slices.Contains(cal.Holidays, t.Format(time.DateOnly))
}

// maxSkip bounds the days skipped looking for a working day, so that a
// calendar without any (which Validate refuses) cannot loop for ever.
const maxSkip = 3660

// AddWorkingDays is the end (24:00 local, the next day's midnight) of the
// n-th working day after the day of t; with n ≤ 0, the end of the day of
// t. Days are counted on the calendar's local dates, so a day of 23 or 25
// hours (daylight saving time) is still one day.
func (cal Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	loc := cal.location()
	t = t.In(loc)
	y, m, d := t.Date()
	holidays := make(map[string]bool, len(cal.Holidays))
	for _, h := range cal.Holidays {
		holidays[h] = true
	}
	skipped := 0
	for n > 0 && skipped < maxSkip {
		d++
		day := time.Date(y, m, d, 12, 0, 0, 0, loc) // noon: exists on every date, DST or not
		if cal.weekend(day.Weekday()) || holidays[day.Format(time.DateOnly)] {
			skipped++
			continue
		}
		n--
	}
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
