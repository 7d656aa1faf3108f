// Package workday counts working days on an office's calendar: its time
// zone, its holidays and its weekend. Feedback deadlines and dossiers'
// due dates are counted with it. It is pure: time is passed in.
package workday

import (
	"regexp"
	"slices"
	"strconv"
	"time"

	"luot/server/queue"
)

// Calendar is the calendar of an office: its time zone and its holidays,
// with Saturday and Sunday as the weekend unless Weekend says otherwise.
type Calendar struct {
	// Location is the office's time zone (UTC when nil).
	Location *time.Location
	// Holidays are local dates (YYYY-MM-DD) that are not working days.
	Holidays []string
	// Weekend are the days that are not working days (Saturday and
	// Sunday when nil).
	Weekend []time.Weekday
}

// Office is the calendar of an office, with Saturday and Sunday as the
// weekend. An office's opening hours are not its working days (the demo
// office is open every day), so the weekend is not read from them.
func Office(o *queue.Office) Calendar {
	return Calendar{Location: o.Location(), Holidays: slices.Clone(o.Holidays)}
}

// location is the calendar's time zone, UTC when none is set.
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
// calendar without any cannot loop for ever.
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

// Zone is the calendar's time zone (UTC when none is set).
func (cal Calendar) Zone() *time.Location { return cal.location() }

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate checks the holidays and the weekend and sets the default time
// zone (queue.DefaultTimezone) when none is set. Its errors are
// *queue.Error values of kind invalid: "invalid_holiday" for a holiday
// that is not a date, "invalid_calendar" for a weekend that is not one.
func (cal *Calendar) Validate() error {
	for _, h := range cal.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil || !datePattern.MatchString(h) {
			return queue.NewError(queue.KindInvalid, "invalid_holiday", "holiday {date} is not a date; write YYYY-MM-DD", "date", strconv.Quote(h))
		}
	}
	days := map[time.Weekday]bool{}
	for _, d := range cal.Weekend {
		if d < time.Sunday || d > time.Saturday {
			return queue.NewError(queue.KindInvalid, "invalid_calendar", "weekend day {day} is not a day of the week (0 is Sunday, 6 Saturday)", "day", int(d))
		}
		days[d] = true
	}
	if len(days) == 7 {
		return queue.NewError(queue.KindInvalid, "invalid_calendar", "the weekend takes every day of the week: no deadline could be counted")
	}
	if cal.Location == nil {
		loc, err := time.LoadLocation(queue.DefaultTimezone)
		if err != nil {
			return queue.NewError(queue.KindInvalid, "invalid_timezone", "timezone {tz} is unknown: use an IANA name such as {example}", "tz", strconv.Quote(queue.DefaultTimezone), "example", queue.DefaultTimezone)
		}
		cal.Location = loc
	}
	return nil
}
