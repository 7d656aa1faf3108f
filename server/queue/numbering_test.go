package queue

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestServiceFormat(t *testing.T) {
	tests := []struct {
		sv   Service
		n    int
		want string
	}{
		{Service{Prefix: "A"}, 1, "A001"},
		{Service{Prefix: "A"}, 42, "A042"},
		{Service{Prefix: "A"}, 999, "A999"},
		{Service{Prefix: "A"}, 1000, "A1000"},
		{Service{Prefix: "AB", Digits: 4}, 7, "AB0007"},
		{Service{Prefix: "C", FirstNumber: 100}, 1, "C100"},
		{Service{FirstNumber: 1001}, 1, "1001"},
		{Service{FirstNumber: 1001}, 23, "1023"},
		{Service{FirstNumber: 0}, 1, "1"},
		{Service{}, 5, "5"},
		{Service{Digits: 4}, 5, "5"}, // digits apply to prefixed numbers only
	}
	for _, tc := range tests {
		if got := tc.sv.Format(tc.n); got != tc.want {
			t.Errorf("%+v.Format(%d) = %q, want %q", tc.sv, tc.n, got, tc.want)
		}
	}
}

func TestNumberingPerServicePerDay(t *testing.T) {
	s := newTestState(t)
	var got []string
	for i, svc := range []string{"a", "a", "n", "b", "a", "n", "b"} {
		tk := s.issue(at("08:00").Add(time.Duration(i)*time.Minute), fmt.Sprint("t", i), svc, PriorityNone)
		got = append(got, tk.Display)
		if tk.Day != testDay || tk.NumberService != svc {
			t.Errorf("%s: day %s, number service %s", tk.ID, tk.Day, tk.NumberService)
		}
	}
	want := []string{"A001", "A002", "1001", "B001", "A003", "1002", "B002"}
	if !slices.Equal(got, want) {
		t.Errorf("numbers = %v, want %v", got, want)
	}
	if s.Numbers["a"] != 3 || s.Numbers["b"] != 2 || s.Numbers["n"] != 2 {
		t.Errorf("number rows = %v", s.Numbers)
	}
	// A transfer keeps the number; the next number of b is still B003.
	s.open(at("09:00"), "c1")
	s.next(at("09:00"), "c1")
	s.do(s.Transfer(at("09:01"), "c1", "nv-c1", TransferRequest{Service: "b"}))
	if tk := s.issue(at("09:02"), "t9", "b", PriorityNone); tk.Display != "B003" {
		t.Errorf("after a transfer to b, b issued %s", tk.Display)
	}
	c, err := s.Issue(at("09:03"), IssueRequest{ID: "t10", Token: "x", Service: "a", Source: SourceKiosk})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Numbers) != 1 || c.Numbers[0] != (NumberRow{Day: testDay, Service: "a", Last: 4}) {
		t.Errorf("number row in the change = %+v", c.Numbers)
	}
}

func TestNumbersRestartAfterRolloverAndNeverRepeat(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "d1-1", "a", PriorityNone)
	s.issue(at("08:01"), "d1-2", "a", PriorityNone)
	s.issue(at("08:02"), "d1-3", "n", PriorityNone)

	s.apply(s.Rollover(atOn("2026-11-28", "07:00")))
	if s.Day != "2026-11-28" {
		t.Fatalf("day = %s", s.Day)
	}
	tk := s.issue(atOn("2026-11-28", "07:01"), "d2-1", "a", PriorityNone)
	if tk.Display != "A001" || tk.Day != "2026-11-28" {
		t.Errorf("first ticket of the new day: %s on %s", tk.Display, tk.Day)
	}
	if tk := s.issue(atOn("2026-11-28", "07:02"), "d2-2", "n", PriorityNone); tk.Display != "1001" {
		t.Errorf("first numeric ticket of the new day: %s", tk.Display)
	}

	// The clock jumps back into the old day: no rollover, no reopened day,
	// numbers go on.
	back := at("10:00")
	if c := s.Rollover(back); c != nil {
		t.Fatalf("rollover back to the old day: %v", eventTypes(c))
	}
	tk = s.issue(back, "back-1", "a", PriorityNone)
	if tk.Display != "A002" || tk.Day != "2026-11-28" {
		t.Errorf("after the clock jumped back: %s on %s, want A002 on 2026-11-28", tk.Display, tk.Day)
	}
	// And a day earlier still.
	if c := s.Rollover(atOn("2026-11-20", "10:00")); c != nil {
		t.Fatal("rollover to an earlier day")
	}
	if tk := s.issue(atOn("2026-11-20", "10:00"), "back-2", "a", PriorityNone); tk.Display != "A003" {
		t.Errorf("issued %s", tk.Display)
	}
}

func TestNumericBlocksNeverOverlap(t *testing.T) {
	// Two numeric services whose blocks are two numbers apart: the lower one
	// runs out of numbers rather than print its neighbour's.
	s := newTestState(t, func(o *Office) {
		o.Services = append(o.Services, Service{ID: "m", Name: "Hộ tịch", FirstNumber: 1003, DefaultMinutes: 5, Active: true})
		o.Counters[2].Services = append(o.Counters[2].Services, CounterService{Service: "m"})
	})
	s.issue(at("08:00"), "n1", "n", PriorityNone)
	s.issue(at("08:01"), "n2", "n", PriorityNone)
	c, err := s.Issue(at("08:02"), IssueRequest{ID: "n3", Token: "x", Service: "n", Source: SourceKiosk})
	wantErr(t, c, err, KindConflict, ErrCapReached)
	if tk := s.issue(at("08:03"), "m1", "m", PriorityNone); tk.Display != "1003" {
		t.Errorf("m issued %s", tk.Display)
	}
	// The highest block has no end.
	for i := range 5 {
		s.issue(at("08:04"), fmt.Sprint("m", i+2), "m", PriorityNone)
	}
	if _, err := s.CallNumber(at("08:05"), "c3", "nv", "1003"); err == nil || KindOf(err) != KindConflict {
		// c3 is closed; the point is that 1003 is found once, not twice.
		t.Errorf("call 1003 at a closed counter: %v", err)
	}
}
