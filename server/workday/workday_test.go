package workday_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the test's zones, whatever the machine has

	"luot/server/workday"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestAddWorkingDays(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	berlin := mustZone(t, "Europe/Berlin")
	newYork := mustZone(t, "America/New_York")
	// Tết Nguyên đán 2027 falls on Saturday 6 February: the office is
	// closed Thursday 4 to Friday 12 February.
	tet := []string{"2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"}
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name string
		cal  workday.Calendar
		from time.Time
		n    int
		want string // local time of the result
	}{
		{"Monday, one day: end of Tuesday", workday.Calendar{Location: hcm}, at(hcm, "2026-12-07 10:00:00"), 1, "2026-12-09 00:00:00 +07"},
		{"Monday just before midnight", workday.Calendar{Location: hcm}, at(hcm, "2026-12-07 23:59:59"), 1, "2026-12-09 00:00:00 +07"},
		{"Monday at midnight counts as Monday", workday.Calendar{Location: hcm}, at(hcm, "2026-12-07 00:00:00"), 1, "2026-12-09 00:00:00 +07"},
		{"Friday: end of Monday", workday.Calendar{Location: hcm}, at(hcm, "2026-12-04 16:00:00"), 1, "2026-12-08 00:00:00 +07"},
		{"Saturday: end of Monday", workday.Calendar{Location: hcm}, at(hcm, "2026-12-05 09:00:00"), 1, "2026-12-08 00:00:00 +07"},
		{"Sunday: end of Monday", workday.Calendar{Location: hcm}, at(hcm, "2026-12-06 09:00:00"), 1, "2026-12-08 00:00:00 +07"},
		{"Friday 18:00 UTC is Saturday in Hanoi", workday.Calendar{Location: hcm}, time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), 1, "2026-12-08 00:00:00 +07"},
		{"ten days over two weekends", workday.Calendar{Location: hcm}, at(hcm, "2026-12-07 10:00:00"), 10, "2026-12-22 00:00:00 +07"},
		{"zero days: end of the same day", workday.Calendar{Location: hcm}, at(hcm, "2026-12-05 10:00:00"), 0, "2026-12-06 00:00:00 +07"},
		{"negative days: end of the same day", workday.Calendar{Location: hcm}, at(hcm, "2026-12-05 10:00:00"), -3, "2026-12-06 00:00:00 +07"},
		{"across the year with New Year's Day", workday.Calendar{Location: hcm, Holidays: []string{"2027-01-01"}}, at(hcm, "2026-12-30 08:00:00"), 2, "2027-01-05 00:00:00 +07"},
		{"New Year's Eve, holiday ignored when not listed", workday.Calendar{Location: hcm}, at(hcm, "2026-12-31 08:00:00"), 1, "2027-01-02 00:00:00 +07"},
		{"the day before Tết: one day is after it", workday.Calendar{Location: hcm, Holidays: tet}, at(hcm, "2027-02-03 15:00:00"), 1, "2027-02-16 00:00:00 +07"},
		{"the day before Tết: ten days", workday.Calendar{Location: hcm, Holidays: tet}, at(hcm, "2027-02-03 15:00:00"), 10, "2027-02-27 00:00:00 +07"},
		{"received on a holiday", workday.Calendar{Location: hcm, Holidays: tet}, at(hcm, "2027-02-09 11:00:00"), 1, "2027-02-16 00:00:00 +07"},
		{"Friday and Saturday weekend", workday.Calendar{Location: hcm, Weekend: []time.Weekday{time.Friday, time.Saturday}}, at(hcm, "2026-12-03 10:00:00"), 1, "2026-12-07 00:00:00 +07"},
		{"no weekend", workday.Calendar{Location: hcm, Weekend: []time.Weekday{}}, at(hcm, "2026-12-04 10:00:00"), 1, "2026-12-06 00:00:00 +07"},
		{"Berlin, over the spring change", workday.Calendar{Location: berlin}, at(berlin, "2026-03-27 12:00:00"), 1, "2026-03-31 00:00:00 +02"},
		{"Berlin, over the autumn change", workday.Calendar{Location: berlin}, at(berlin, "2026-10-23 12:00:00"), 2, "2026-10-28 00:00:00 +01"},
		{"New York, over the autumn change", workday.Calendar{Location: newYork}, at(newYork, "2026-10-30 17:00:00"), 1, "2026-11-03 00:00:00 -05"},
		{"no zone is UTC", workday.Calendar{}, time.Date(2026, 12, 4, 23, 0, 0, 0, hcm), 1, "2026-12-08 00:00:00 +00"},
	}
	for _, c := range cases {
		got := c.cal.AddWorkingDays(c.from, c.n)
		loc := c.cal.Location
		if loc == nil {
			loc = time.UTC
		}
		if s := got.In(loc).Format("2006-01-02 15:04:05 -07"); s != c.want {
			t.Errorf("%s: AddWorkingDays(%v, %d) = %s, want %s", c.name, c.from, c.n, s, c.want)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	cal := workday.Calendar{Location: hcm, Holidays: []string{"2026-09-02"}}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 9, 1, 12, 0, 0, 0, hcm), true},
		{time.Date(2026, 9, 2, 12, 0, 0, 0, hcm), false},           // Quốc khánh
		{time.Date(2026, 9, 1, 17, 30, 0, 0, time.UTC), false},     // 00:30 on 2 September in Hanoi
		{time.Date(2026, 9, 5, 12, 0, 0, 0, hcm), false},           // Saturday
		{time.Date(2026, 9, 7, 0, 0, 0, 0, hcm), true},             // Monday's first instant
		{time.Date(2026, 9, 6, 23, 59, 59, 999999999, hcm), false}, // Sunday's last
	} {
		if got := cal.IsWorkingDay(c.at); got != c.want {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", c.at, got, c.want)
		}
	}
}
