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

// TestForecastExpectsBookings: the booked citizen of a coming slot goes
// ahead of a waiting ticket whose key at a counter is later than the slot
// start (here service b, served by c1 30 minutes behind a). A slot that
// has begun without its citizen, and a slot after the ticket's key, do not
// count; a booking checked in is a waiting ticket, counted once.
func TestForecastExpectsBookings(t *testing.T) {
	s := newTestState(t, bookable)
	s.book(at("06:00"), "ACEFGH", testDay, "07:30", "0901000001") // begun, not come
	s.book(at("06:00"), "ACEFGJ", testDay, "08:30", "0901000002") // before b1's 08:33 at c1
	s.book(at("06:00"), "ACEFGK", testDay, "09:00", "0901000003") // after it
	s.open(at("07:00"), "c1")
	for i, id := range []string{"a1", "a2", "a3"} {
		s.issue(at("08:01").Add(time.Duration(i)*time.Minute), id, "a", PriorityNone)
	}
	s.issue(at("08:03"), "b1", "b", PriorityNone) // key 08:33 at c1
	now := at("08:05")
	// c1 calls a1, a2, a3 at 08:05, 08:15, 08:25; at 08:35 the 08:30
	// booking has come and goes first.
	if p, e := waitOf(t, s, now, "b1", false), waitOf(t, s, now, "b1", true); p != 30*time.Minute || e != 40*time.Minute {
		t.Errorf("b1 waits %v without the bookings and %v with them, want 30m and 40m", p, e)
	}
	if p, e := waitOf(t, s, now, "a3", false), waitOf(t, s, now, "a3", true); p != e {
		t.Errorf("the bookings add %v to a3, whose key is before them", e-p)
	}
	s.checkIn(at("08:06"), "ACEFGJ", "bk")
	if e := waitOf(t, s, at("08:06"), "b1", true); e != 40*time.Minute {
		t.Errorf("after the check-in b1 waits %v, want 40m", e)
	}
}
