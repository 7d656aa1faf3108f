package queue

import (
	"slices"
	"testing"
	"time"
)

func TestRolloverAtLocalMidnight(t *testing.T) {
	s := newTestState(t)
	s.issue(at("08:00"), "done", "a", PriorityNone)
	s.issue(at("08:01"), "serving", "b", PriorityNone)
	s.issue(at("08:02"), "noshow", "a", PriorityNone)
	s.issue(at("08:03"), "called", "a", PriorityNone)
	s.open(at("08:00"), "c1", "c2")
	s.next(at("09:00"), "c1") // done
	s.next(at("09:00"), "c2") // serving
	s.do(s.Start(at("09:01"), "c2", "nv-c2"))
	s.next(at("09:12"), "c1") // noshow
	s.do(s.NoShow(at("09:13"), "c1", "nv-c1"))
	s.next(at("09:14"), "c1") // called
	s.issue(at("09:20"), "w1", "n", PriorityNone)
	s.issue(at("09:21"), "w2", "a", PriorityElderly)
	if s.tk("called").Status != StatusCalled || s.tk("done").Status != StatusDone || s.tk("serving").Status != StatusServing {
		t.Fatal("setup went wrong")
	}

	// 16:59:59 UTC is 23:59:59 in Hồ Chí Minh City: still the same day.
	if c := s.Rollover(time.Date(2026, 11, 27, 16, 59, 59, 0, time.UTC)); c != nil {
		t.Fatalf("rollover at 23:59:59 local: %v", eventTypes(c))
	}
	midnight := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
	c := s.Rollover(midnight)
	if c == nil {
		t.Fatal("no rollover at local midnight")
	}
	if c.Day != "2026-11-28" {
		t.Errorf("new day = %s", c.Day)
	}
	want := []EventType{EventTicketExpired, EventTicketExpired, EventTicketExpired, EventDayRolled}
	if got := eventTypes(c); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	var expired []string
	for _, e := range c.Events[:3] {
		d := e.Data.(TicketData)
		expired = append(expired, d.Ticket.ID)
		if d.Reason == "" || d.Ticket.Status != StatusExpired {
			t.Errorf("expired event %+v", d)
		}
		if _, off := e.At.Zone(); off != 7*3600 || !e.At.Equal(midnight) {
			t.Errorf("event time %v", e.At)
		}
	}
	// Waiting tickets in issue order, then called ones.
	if !slices.Equal(expired, []string{"w1", "w2", "called"}) {
		t.Errorf("expired %v", expired)
	}
	if d := c.Events[3].Data.(DayData); d != (DayData{From: testDay, To: "2026-11-28", Expired: 3}) {
		t.Errorf("day.rolled data = %+v", d)
	}
	s.apply(c)
	if s.Day != "2026-11-28" || len(s.Numbers) != 0 {
		t.Errorf("day %s, numbers %v", s.Day, s.Numbers)
	}
	for _, id := range []string{"done", "noshow", "called", "w1", "w2"} {
		if _, ok := s.Tickets[id]; ok {
			t.Errorf("final ticket %s of the old day still in memory", id)
		}
	}
	if tk := s.tk("serving"); tk.Status != StatusServing || s.Counters["c2"].Current != "serving" {
		t.Errorf("the citizen being served was sent away: %s", tk.Status)
	}
	if s.Counters["c1"].Current != "" || s.Counters["c1"].State != CounterOpen {
		t.Errorf("c1 = %+v", s.Counters["c1"])
	}
	if n := s.WaitingCount()["a"]; n != 0 {
		t.Errorf("waiting a = %d", n)
	}
	// A second rollover on the same day does nothing.
	if c := s.Rollover(midnight.Add(time.Hour)); c != nil {
		t.Errorf("second rollover: %v", eventTypes(c))
	}
	// The serving ticket of yesterday can still be finished.
	s.do(s.Done(midnight.Add(time.Minute), "c2", "nv-c2"))
	if _, ok := s.Tickets["serving"]; ok {
		t.Error("finished ticket of the old day still in memory")
	}
	if got := s.Recent(); len(got) != 0 {
		t.Errorf("recent calls of the new day = %v", ids(got))
	}
}

func TestRolloverSkipsDays(t *testing.T) {
	s := newTestState(t)
	s.issue(at("16:00"), "w", "a", PriorityNone)
	c := s.Rollover(atOn("2026-11-30", "07:30")) // Monday after the weekend
	if c == nil || c.Day != "2026-11-30" || len(c.Events) != 2 {
		t.Fatalf("rollover = %+v", c)
	}
	s.apply(c)
	if d := c.Events[1].Data.(DayData); d.From != testDay || d.To != "2026-11-30" || d.Expired != 1 {
		t.Errorf("day.rolled = %+v", d)
	}
}

func TestRolloverEmpty(t *testing.T) {
	s := newTestState(t)
	c := s.Rollover(atOn("2026-11-28", "00:00"))
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventDayRolled}) {
		t.Fatalf("events = %v", got)
	}
	s.apply(c)
	if s.Seq != 1 {
		t.Errorf("seq = %d", s.Seq)
	}
}

func TestRolloverEventOrderIsDeterministic(t *testing.T) {
	// Called tickets at many counters expire in counter order, every time.
	mods := func(o *Office) {
		o.Counters = nil
		for i := 1; i <= 9; i++ {
			o.Counters = append(o.Counters, Counter{ID: "k" + string(rune('0'+i)), Number: i, Services: []CounterService{{Service: "a"}}})
		}
	}
	var first []string
	for range 20 {
		s := newTestState(t, mods)
		for i := 1; i <= 9; i++ {
			s.issue(at("08:00"), "t"+string(rune('0'+i)), "a", PriorityNone)
		}
		for i := 1; i <= 9; i++ {
			k := "k" + string(rune('0'+i))
			s.open(at("08:00"), k)
			s.next(at("08:00"), k)
		}
		var got []string
		for _, e := range s.Rollover(atOn("2026-11-28", "00:00")).Events {
			if d, ok := e.Data.(TicketData); ok {
				got = append(got, d.Ticket.ID)
			}
		}
		if first == nil {
			first = got
			if !slices.Equal(got, []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"}) {
				t.Errorf("expired in order %v", got)
			}
		} else if !slices.Equal(got, first) {
			t.Fatalf("expiry order changed between runs: %v, then %v", first, got)
		}
	}
}
