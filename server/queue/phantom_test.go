package queue

import (
	"fmt"
	"testing"
	"time"
)

// waitOf returns the forecast wait of ticket id, with (expect) or without
// the citizens still to come.
func waitOf(t *testing.T, s *tstate, now time.Time, id string, expect bool) time.Duration {
	t.Helper()
	e, ok := s.forecast(now, expect).Of(s.Tickets[id])
	if !ok || !e.Known {
		t.Fatalf("%s: no known estimate (%+v)", id, e)
	}
	return e.Wait
}

// TestForecastExpectsPriorityArrivals: elderly citizens have come one in
// ten minutes all morning; a ticket with more than 20 minutes of line in
// front of it will see the ones who come within their 20-minute bonus go
// ahead: about two more services of 10 minutes.
func TestForecastExpectsPriorityArrivals(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:00"), "c1")
	now := at("07:30")
	for i := range 60 { // one walk-in a minute, every tenth elderly
		p := PriorityNone
		if i%10 == 5 {
			p = PriorityElderly
		}
		now = at("07:30").Add(time.Duration(i) * time.Minute)
		s.issue(now, fmt.Sprint("t", i), "a", p)
		if i%10 == 9 {
			s.next(now, "c1")
		}
	}
	last := "t59"
	plain, expect := waitOf(t, s, now, last, false), waitOf(t, s, now, last, true)
	if plain < 30*time.Minute {
		t.Fatalf("the last ticket waits %v without arrivals: the test needs a long line", plain)
	}
	// A rate of 6 an hour over a 20-minute window: 2 citizens of 10 minutes.
	if extra := expect - plain; extra < 15*time.Minute || extra > 25*time.Minute {
		t.Errorf("expected priority arrivals add %v to the last ticket's wait, want about 20m", extra)
	}
	// A ticket of 07:40 goes before any priority citizen still to come
	// (their keys are at least now − 20 minutes).
	if p, e := waitOf(t, s, now, "t10", false), waitOf(t, s, now, "t10", true); p != e {
		t.Errorf("a ticket of 07:40 gets %v of expected arrivals", e-p)
	}
}

// TestForecastWithoutPriorityArrivalsChangesNothing: walk-ins without
// priority of the same service never go ahead of those already waiting,
// and a rate is not taken from the day's first minutes.
func TestForecastWithoutPriorityArrivalsChangesNothing(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:00"), "c1")
	now := at("07:30")
	for i := range 60 {
		now = at("07:30").Add(time.Duration(i) * time.Minute)
		s.issue(now, fmt.Sprint("t", i), "a", PriorityNone)
	}
	if p, e := waitOf(t, s, now, "t59", false), waitOf(t, s, now, "t59", true); p != e {
		t.Errorf("walk-ins without priority add %v", e-p)
	}

	s = newTestState(t)
	s.open(at("07:00"), "c1")
	for i := range 20 { // 20 minutes of arrivals, half elderly
		p := PriorityNone
		if i%2 == 0 {
			p = PriorityElderly
		}
		now = at("07:30").Add(time.Duration(i) * time.Minute)
		s.issue(now, fmt.Sprint("t", i), "a", p)
	}
	if p, e := waitOf(t, s, now, "t19", false), waitOf(t, s, now, "t19", true); p != e {
		t.Errorf("a rate was taken from 20 minutes of arrivals: %v more", e-p)
	}
}

// TestForecastExpectsBookings: a booked citizen not yet checked in, whose
// slot began before a walk-in's arrival, goes ahead of it (the rule gives
// them the slot start) once they come within the check-in window; a later
// slot and a booking past its window do not.
func TestForecastExpectsBookings(t *testing.T) {
	s := newTestState(t, bookable)
	s.book(at("06:00"), "ACEFGH", testDay, "07:30", "0901000001") // past its window at 08:05
	s.book(at("06:00"), "ACEFGJ", testDay, "08:00", "0901000002") // late, still in its window
	s.book(at("06:00"), "ACEFGK", testDay, "09:00", "0901000003") // after the walk-ins
	s.open(at("07:00"), "c1")
	s.issue(at("08:01"), "w1", "a", PriorityNone)
	s.issue(at("08:02"), "w2", "a", PriorityNone)
	now := at("08:05")
	p1, e1 := waitOf(t, s, now, "w1", false), waitOf(t, s, now, "w1", true)
	p2, e2 := waitOf(t, s, now, "w2", false), waitOf(t, s, now, "w2", true)
	if e1-p1 != 10*time.Minute || e2-p2 != 10*time.Minute {
		t.Errorf("the 08:00 booking adds %v and %v to the walk-ins, want one service (10m) each", e1-p1, e2-p2)
	}
	// Checked in, it is a waiting ticket like any other: counted once.
	s.checkIn(now, "ACEFGJ", "b1")
	if e := waitOf(t, s, now, "w1", true); e != e1 {
		t.Errorf("after the check-in w1 waits %v, before %v", e, e1)
	}
}
