package queue

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestIssue(t *testing.T) {
	s := newTestState(t)
	now := at("08:00")
	c := s.do(s.Issue(now, IssueRequest{ID: "t1", Token: "secret", Service: "a", Priority: PriorityPregnant, Source: SourceRemote, Name: "Nguyễn Thị Hoa", Phone: "0901234567"}))
	tk := c.Ticket
	if tk == nil || len(c.Tickets) != 1 || c.Tickets[0] != tk {
		t.Fatalf("change tickets %v, ticket %v", c.Tickets, tk)
	}
	want := Ticket{
		ID: "t1", Office: "hcm-q1", Day: testDay, Service: "a", Number: 1, NumberService: "a", Display: "A001",
		Source: SourceRemote, Priority: PriorityPregnant, Status: StatusWaiting, VA: now, Order: 1, IssuedAt: now,
		// No counter is open while the office is open by its hours: no
		// time can be promised.
		Token: "secret", Name: "Nguyễn Thị Hoa", Phone: "0901234567", EstimateSeconds: -1,
	}
	if !equalTicket(*tk, want) {
		t.Errorf("ticket = %+v\nwant     %+v", *tk, want)
	}
	if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketIssued}) {
		t.Fatalf("events = %v", got)
	}
	e := c.Events[0]
	if e.Seq != 1 || e.Office != "hcm-q1" || !e.At.Equal(now) {
		t.Errorf("event = %+v", e)
	}
	if p := e.Data.(TicketData).Ticket; p.ID != "t1" || p.Number != "A001" || p.Status != StatusWaiting {
		t.Errorf("event ticket = %+v", p)
	}
	if s.Order != 1 || s.Remote["a"] != 1 || s.Numbers["a"] != 1 {
		t.Errorf("order %d, remote %v, numbers %v", s.Order, s.Remote, s.Numbers)
	}
	// A booking checked in inside its window arrives at its slot start.
	slot := at("08:30")
	c = s.do(s.Issue(at("08:20"), IssueRequest{ID: "t2", Token: "x", Service: "a", Source: SourceBooking, Booking: "K7M2QX", VA: slot}))
	if !c.Ticket.VA.Equal(slot) || !c.Ticket.IssuedAt.Equal(at("08:20")) || c.Ticket.Order != 2 || c.Ticket.Booking != "K7M2QX" {
		t.Errorf("booking ticket = %+v", c.Ticket)
	}
}

func equalTicket(a, b Ticket) bool {
	return a.VA.Equal(b.VA) && a.IssuedAt.Equal(b.IssuedAt) && func() bool {
		a.VA, a.IssuedAt, b.VA, b.IssuedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		return a.ID == b.ID && a.Office == b.Office && a.Day == b.Day && a.Service == b.Service &&
			a.Number == b.Number && a.NumberService == b.NumberService && a.Display == b.Display &&
			a.Source == b.Source && a.Priority == b.Priority && a.Status == b.Status && a.Order == b.Order &&
			a.Token == b.Token && a.Name == b.Name && a.Phone == b.Phone && a.EstimateSeconds == b.EstimateSeconds &&
			a.Counter == "" && a.Pinned == "" && a.Recalls == 0 && len(a.Transfers) == 0
	}()
}

func TestIssueRefused(t *testing.T) {
	mods := func(o *Office) {
		o.Services = append(o.Services,
			Service{ID: "off", Name: "Tạm ngưng", Prefix: "O", DefaultMinutes: 5, Active: false},
			Service{ID: "lone", Name: "Không quầy", Prefix: "L", DefaultMinutes: 5, Active: true},
		)
		o.Counters[0].Services = append(o.Counters[0].Services, CounterService{Service: "off"})
	}
	s := newTestState(t, mods)
	s.issue(at("08:00"), "dup", "a", PriorityNone)
	tests := []struct {
		name string
		r    IssueRequest
		kind Kind
		err  error
		code string
	}{
		{"no id", IssueRequest{Token: "x", Service: "a", Source: SourceKiosk}, KindInvalid, nil, "invalid"},
		{"no token", IssueRequest{ID: "x", Service: "a", Source: SourceKiosk}, KindInvalid, nil, "invalid"},
		{"unknown source", IssueRequest{ID: "x", Token: "x", Service: "a", Source: "fax"}, KindInvalid, nil, "invalid_source"},
		{"no source", IssueRequest{ID: "x", Token: "x", Service: "a"}, KindInvalid, nil, "invalid_source"},
		{"unknown priority", IssueRequest{ID: "x", Token: "x", Service: "a", Source: SourceKiosk, Priority: "vip"}, KindInvalid, nil, "invalid_priority"},
		{"unknown service", IssueRequest{ID: "x", Token: "x", Service: "zz", Source: SourceKiosk}, KindNotFound, ErrUnknownService, ""},
		{"inactive service", IssueRequest{ID: "x", Token: "x", Service: "off", Source: SourceKiosk}, KindClosed, ErrServiceClosed, ""},
		{"inactive service, clerk", IssueRequest{ID: "x", Token: "x", Service: "off", Source: SourceClerk}, KindClosed, ErrServiceClosed, ""},
		{"service no counter serves", IssueRequest{ID: "x", Token: "x", Service: "lone", Source: SourceKiosk}, KindConflict, ErrNotServed, ""},
		{"duplicate id", IssueRequest{ID: "dup", Token: "x", Service: "a", Source: SourceKiosk}, KindConflict, nil, "duplicate_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := s.Issue(at("08:05"), tc.r)
			wantErr(t, c, err, tc.kind, tc.err)
			if tc.code != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != tc.code {
					t.Errorf("code = %v, want %s", err, tc.code)
				}
			}
		})
	}
}

func TestOpeningHoursAndHolidays(t *testing.T) {
	o := testOffice(t, func(o *Office) {
		weekday := []Span{{From: "07:30", To: "11:30"}, {From: "13:00", To: "17:00"}}
		o.Hours = WeekHours{"mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday,
			"sat": {{From: "07:30", To: "11:30"}}}
		o.Holidays = []string{"2026-11-30"}
	})
	tests := []struct {
		day, clock string
		open       bool
	}{
		{testDay, "07:29", false},
		{testDay, "07:30", true},
		{testDay, "11:29", true},
		{testDay, "11:30", false},
		{testDay, "12:00", false},
		{testDay, "13:00", true},
		{testDay, "16:59:59", true},
		{testDay, "17:00", false},
		{testDay, "23:59", false},
		{"2026-11-28", "08:00", true},  // Saturday morning
		{"2026-11-28", "14:00", false}, // Saturday afternoon
		{"2026-11-29", "08:00", false}, // Sunday
		{"2026-11-30", "08:00", false}, // holiday (a Monday)
		{"2026-12-01", "08:00", true},
	}
	for _, tc := range tests {
		now := atOn(tc.day, tc.clock)
		if got := o.IsOpen(now); got != tc.open {
			t.Errorf("IsOpen(%s %s) = %v, want %v", tc.day, tc.clock, got, tc.open)
		}
		s := NewState(o, o.Day(now))
		for _, src := range []Source{SourceKiosk, SourceRemote, SourceBooking, SourceClerk} {
			c, err := s.Issue(now, IssueRequest{ID: "x", Token: "x", Service: "a", Source: src})
			switch {
			case tc.open || src == SourceClerk:
				if err != nil {
					t.Errorf("%s %s, %s: %v", tc.day, tc.clock, src, err)
				}
			default:
				if KindOf(err) != KindClosed || !errors.Is(err, ErrOfficeClosed) || c != nil {
					t.Errorf("%s %s, %s: err %v, want office closed", tc.day, tc.clock, src, err)
				}
			}
		}
	}
	// The demo's hours: open around the clock, including 23:59 and 00:00.
	always := testOffice(t)
	for _, clock := range []string{"00:00", "12:00", "23:59:59"} {
		if !always.IsOpen(at(clock)) {
			t.Errorf("AlwaysOpen closed at %s", clock)
		}
	}
}

func TestCaps(t *testing.T) {
	s := newTestState(t, func(o *Office) {
		o.Services[0].DailyCap = 3
		o.Services[1].RemoteCap = 1
	})
	issue := func(id, svc string, src Source) (*Change, error) {
		return s.Issue(at("08:00"), IssueRequest{ID: id, Token: "x", Service: svc, Source: src})
	}
	s.do(issue("a1", "a", SourceKiosk))
	s.do(issue("a2", "a", SourceRemote))
	s.do(s.Cancel(at("08:01"), "a2", "")) // a cancelled number is still given
	s.do(issue("a3", "a", SourceClerk))
	c, err := issue("a4", "a", SourceKiosk)
	wantErr(t, c, err, KindConflict, ErrCapReached)
	c, err = issue("a4", "a", SourceClerk)
	wantErr(t, c, err, KindConflict, ErrCapReached)

	s.do(issue("b1", "b", SourceRemote))
	c, err = issue("b2", "b", SourceRemote)
	wantErr(t, c, err, KindConflict, ErrCapReached)
	s.do(issue("b2", "b", SourceKiosk))
	s.do(issue("b3", "b", SourceBooking))

	// A transferred remote ticket does not count twice.
	s.open(at("08:00"), "c1", "c2")
	if id := s.next(at("08:02"), "c2"); id != "b1" {
		t.Fatalf("c2 called %s", id)
	}
	s.do(s.Transfer(at("08:03"), "c2", "nv-c2", TransferRequest{Service: "a"}))
	if s.Remote["b"] != 1 || s.Remote["a"] != 1 {
		t.Errorf("remote counts = %v", s.Remote)
	}

	// A new day gives new numbers.
	s.apply(s.Rollover(atOn("2026-11-28", "07:00")))
	s.do(s.Issue(atOn("2026-11-28", "07:00"), IssueRequest{ID: "a5", Token: "x", Service: "a", Source: SourceKiosk}))
	s.do(s.Issue(atOn("2026-11-28", "07:00"), IssueRequest{ID: "b4", Token: "x", Service: "b", Source: SourceRemote}))
}
