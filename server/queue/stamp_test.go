package queue

import (
	"testing"
	"time"
)

// TestStampEstimatesEqualsAFullReplay issues a run of tickets with deferred
// estimates (as a batch does), stamps them once, and checks that each
// stamped estimate is the full replay's over the state after the run, that
// the store and the state get the stamped copies, and that no ticket a
// published state holds was modified.
func TestStampEstimatesEqualsAFullReplay(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:30"), "c1")
	s.issue(at("07:40"), "w0", "a", PriorityNone)
	now := at("08:00")
	var changes []*Change
	var issued []*Ticket
	var published *State
	reqs := []struct {
		id, svc string
		p       Priority
	}{{"t0", "a", PriorityNone}, {"t1", "b", PriorityNone}, {"t2", "a", PriorityNone}, {"t3", "n", PriorityNone}, {"t4", "a", PriorityElderly}}
	for i, r := range reqs {
		now = now.Add(10 * time.Second)
		c, err := s.Issue(now, IssueRequest{ID: r.id, Token: "tok", Service: r.svc, Priority: r.p, Source: SourceKiosk, DeferEstimate: true})
		if err != nil {
			t.Fatal(err)
		}
		if !c.EstimatePending() || c.Estimates != nil || c.Ticket.EstimateSeconds != -1 {
			t.Fatalf("%s: pending %v, estimates %v, estimate %d before stamping", r.id, c.EstimatePending(), c.Estimates, c.Ticket.EstimateSeconds)
		}
		s.do(c, nil)
		changes = append(changes, c)
		issued = append(issued, c.Ticket)
		if i == 2 {
			published = s.Clone() // a view made in the middle of the run
		}
	}
	est := forecastMap(t, s.StampEstimates(now, changes), s.State)
	full := forecastMap(t, s.Estimate(now), s.State)
	if len(est) != len(full) {
		t.Fatalf("%d estimates, full replay %d", len(est), len(full))
	}
	for id, e := range full {
		if est[id] != e {
			t.Fatalf("%s: stamped forecast %+v, full replay %+v", id, est[id], e)
		}
	}
	if changes[len(changes)-1].Estimates == nil {
		t.Fatal("the last change does not carry the forecast")
	}
	for i, c := range changes {
		tk := c.Ticket
		if c.EstimatePending() {
			t.Fatalf("%s still pending", tk.ID)
		}
		if want := full[tk.ID].Seconds(); tk.EstimateSeconds != want {
			t.Errorf("%s: stamped %d s, full replay %d s", tk.ID, tk.EstimateSeconds, want)
		}
		if len(c.Tickets) != 1 || c.Tickets[0] != tk || s.Tickets[tk.ID] != tk {
			t.Errorf("%s: the change or the state does not hold the stamped copy", tk.ID)
		}
		if issued[i] == tk || issued[i].EstimateSeconds != -1 {
			t.Errorf("%s: the issued ticket was modified in place", tk.ID)
		}
		if i <= 2 && published.Tickets[tk.ID] != issued[i] {
			t.Errorf("%s: a published state changed", tk.ID)
		}
	}
	// One counter at a 10-minute average: w0 first; t4 (elderly, 20
	// minutes of bonus) goes ahead of t0 and t2, which the stamped
	// estimates show; b is served by c1 at +30 minutes; nobody open
	// serves n.
	want := map[string]int{"t4": 600, "t0": 1200, "t2": 1800, "t1": 2400, "t3": -1}
	for id, w := range want {
		if got := s.Tickets[id].EstimateSeconds; got != w {
			t.Errorf("%s: %d s, want %d", id, got, w)
		}
	}
	if err := checkInvariants(s.State); err != nil {
		t.Fatal(err)
	}
}

// TestStampEstimatesWithoutDeferredIssues changes nothing but the last
// change's Estimates.
func TestStampEstimatesWithoutDeferredIssues(t *testing.T) {
	s := newTestState(t)
	s.open(at("07:30"), "c1")
	tk := s.issue(at("08:00"), "t0", "a", PriorityNone)
	c := s.do(s.Next(at("08:01"), "c1", "nv"))
	if s.StampEstimates(at("08:01"), nil) != nil {
		t.Fatal("estimate of no change")
	}
	s.StampEstimates(at("08:01"), []*Change{c})
	if s.Tickets["t0"] != c.Ticket || tk.EstimateSeconds != 0 || c.Estimates == nil {
		t.Fatalf("a change without deferred estimate was altered: %+v", c)
	}
}
