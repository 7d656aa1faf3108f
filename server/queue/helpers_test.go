package queue

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	_ "time/tzdata" // the office timezone must load on every machine
)

// hcm is the timezone of the test office.
var hcm = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

// testDay is the business day of most tests: a Friday.
const testDay = "2026-11-27"

// at returns the instant of a local clock time ("08:15" or "08:15:30") on
// testDay in Hồ Chí Minh City.
func at(clock string) time.Time {
	return atOn(testDay, clock)
}

// atOn returns the instant of a local clock time on a local date.
func atOn(day, clock string) time.Time {
	layout := "2006-01-02 15:04"
	if strings.Count(clock, ":") == 2 {
		layout = "2006-01-02 15:04:05"
	}
	t, err := time.ParseInLocation(layout, day+" "+clock, hcm)
	if err != nil {
		panic(err)
	}
	return t
}

// testOffice is a small validated office, open around the clock:
//
//	service a: prefix A, 10 minutes    counter c1 (number 1): a (primary), b (+30 min)
//	service b: prefix B, 10 minutes    counter c2 (number 2): b
//	service n: block 1001, 5 minutes   counter c3 (number 3): n
//
// Each mod changes the configuration before it is validated.
func testOffice(t testing.TB, mods ...func(*Office)) Office {
	t.Helper()
	o := Office{
		ID:       "hcm-q1",
		Name:     "Bộ phận một cửa Quận 1",
		NameEN:   "District 1 one-stop shop",
		Timezone: "Asia/Ho_Chi_Minh",
		Hours:    AlwaysOpen(),
		Policy:   DefaultPolicy(),
		Services: []Service{
			{ID: "a", Name: "Cấp phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 10, Active: true},
			{ID: "b", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business", Prefix: "B", DefaultMinutes: 10, Active: true},
			{ID: "n", Name: "Chứng thực bản sao", NameEN: "Certified copies", FirstNumber: 1001, DefaultMinutes: 5, Active: true},
		},
		Counters: []Counter{
			{ID: "c1", Number: 1, Name: "Quầy 1", Services: []CounterService{{Service: "a"}, {Service: "b", OffsetMinutes: 30}}},
			{ID: "c2", Number: 2, Name: "Quầy 2", Services: []CounterService{{Service: "b"}}},
			{ID: "c3", Number: 3, Name: "Quầy 3", Services: []CounterService{{Service: "n"}}},
		},
	}
	for _, m := range mods {
		m(&o)
	}
	if err := o.Validate(); err != nil {
		t.Fatalf("test office does not validate: %v", err)
	}
	return o
}

// newTestState returns a checked state of the test office on testDay.
func newTestState(t testing.TB, mods ...func(*Office)) *tstate {
	t.Helper()
	s := &tstate{State: NewState(testOffice(t, mods...), testDay), t: t}
	cp := copyState(s.State)
	s.last = &cp
	return s
}

// tstate wraps a State for tests: do applies a command's change after
// checking that the command did not modify the state and that the change
// keeps every invariant.
type tstate struct {
	*State
	t testing.TB
	// last is a copy of the state after the last applied change: no
	// command may modify the state in between.
	last *stateCopy
}

// do fails the test if err is set; otherwise it applies the change, checks
// the invariants and returns the change.
func (s *tstate) do(c *Change, err error) *Change {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("command failed: %v", err)
	}
	s.apply(c)
	return c
}

// apply applies a change (which may be nil: a Rollover that did nothing).
func (s *tstate) apply(c *Change) {
	s.t.Helper()
	if s.last != nil {
		if err := unchanged(*s.last, s.State); err != nil {
			s.t.Fatalf("before applying %v: %v", eventTypes(c), err)
		}
	}
	if c == nil {
		return
	}
	before := s.Seq
	if c.At.IsZero() {
		s.t.Fatalf("a change with events %v has no time", eventTypes(c))
	}
	for i, e := range c.Events {
		if e.Seq != before+int64(i)+1 {
			s.t.Fatalf("event %d (%s) has seq %d, want %d", i, e.Type, e.Seq, before+int64(i)+1)
		}
		if !e.At.Equal(c.At) {
			s.t.Fatalf("event %d (%s) at %v, but its change at %v", i, e.Type, e.At, c.At)
		}
	}
	s.Apply(c)
	if err := checkInvariants(s.State); err != nil {
		s.t.Fatalf("after a change with events %v: %v", eventTypes(c), err)
	}
	cp := copyState(s.State)
	s.last = &cp
}

// issue issues a kiosk ticket with id as id and token and applies it.
func (s *tstate) issue(now time.Time, id, service string, p Priority) *Ticket {
	s.t.Helper()
	c := s.do(s.Issue(now, IssueRequest{ID: id, Token: "tok-" + id, Service: service, Priority: p, Source: SourceKiosk}))
	return c.Ticket
}

// open opens counters for clerk "nv-<counter>".
func (s *tstate) open(now time.Time, counters ...string) {
	s.t.Helper()
	for _, k := range counters {
		s.do(s.Open(now, k, "nv-"+k))
	}
}

// next calls the next ticket at counter k and returns its id ("" for none).
func (s *tstate) next(now time.Time, k string) string {
	s.t.Helper()
	c := s.do(s.Next(now, k, "nv-"+k))
	if c.Ticket == nil {
		return ""
	}
	return c.Ticket.ID
}

// startIfGuarded starts counter k's current ticket when the call guard
// would refuse to end it at now: for tests that call again at the instant
// of the last call.
func (s *tstate) startIfGuarded(now time.Time, k string) {
	s.t.Helper()
	if s.guardCall(now, s.Counters[k], "next") != nil {
		s.do(s.Start(now, k, "nv-"+k))
	}
}

// tk returns the current version of a ticket.
func (s *tstate) tk(id string) *Ticket {
	s.t.Helper()
	t, ok := s.Tickets[id]
	if !ok {
		s.t.Fatalf("no ticket %s", id)
	}
	return t
}

func eventTypes(c *Change) []EventType {
	if c == nil {
		return nil
	}
	var ts []EventType
	for _, e := range c.Events {
		ts = append(ts, e.Type)
	}
	return ts
}

// checkInvariants checks what must hold after every applied change.
func checkInvariants(s *State) error {
	type num struct {
		day, service string
		n            int
	}
	nums := map[num]string{}
	displays := map[string]string{}
	for id, t := range s.Tickets {
		if t.ID != id {
			return fmt.Errorf("ticket stored under %s has id %s", id, t.ID)
		}
		k := num{t.Day, t.NumberService, t.Number}
		if other, dup := nums[k]; dup {
			return fmt.Errorf("tickets %s and %s share number %v", other, id, k)
		}
		nums[k] = id
		if other, dup := displays[t.Day+" "+t.Display]; dup {
			return fmt.Errorf("tickets %s and %s both show %s on %s", other, id, t.Display, t.Day)
		}
		displays[t.Day+" "+t.Display] = id
		if t.Status == StatusWaiting && t.Counter != "" {
			return fmt.Errorf("waiting ticket %s is at counter %s", id, t.Counter)
		}
		if t.Status == StatusCalled || t.Status == StatusServing {
			if cs := s.Counters[t.Counter]; cs.Current != id {
				return fmt.Errorf("%s ticket %s says counter %q, whose current is %q", t.Status, id, t.Counter, cs.Current)
			}
		}
		if t.Day > s.Day {
			return fmt.Errorf("ticket %s of day %s is after the state's day %s", id, t.Day, s.Day)
		}
	}
	currentAt := map[string]string{}
	for id, cs := range s.Counters {
		if cs.Counter != id {
			return fmt.Errorf("counter status stored under %s names %s", id, cs.Counter)
		}
		if s.Office.Counter(id) == nil {
			return fmt.Errorf("status of unknown counter %s", id)
		}
		if cs.Current == "" {
			continue
		}
		if cs.State == CounterClosed {
			return fmt.Errorf("closed counter %s has current ticket %s", id, cs.Current)
		}
		t, ok := s.Tickets[cs.Current]
		if !ok {
			return fmt.Errorf("counter %s: current ticket %s is unknown", id, cs.Current)
		}
		if t.Status != StatusCalled && t.Status != StatusServing {
			return fmt.Errorf("counter %s: current ticket %s is %s", id, t.ID, t.Status)
		}
		if t.Counter != id {
			return fmt.Errorf("counter %s: current ticket %s says counter %s", id, t.ID, t.Counter)
		}
		if other, dup := currentAt[cs.Current]; dup {
			return fmt.Errorf("ticket %s is current at %s and %s", cs.Current, other, id)
		}
		currentAt[cs.Current] = id
	}
	if err := checkWaitingIndex(s); err != nil {
		return err
	}
	for svc, n := range s.Numbers {
		for _, t := range s.Tickets {
			if t.Day == s.Day && t.NumberService == svc && t.Number > n {
				return fmt.Errorf("ticket %s has number %d above the last issued %d of %s", t.ID, t.Number, n, svc)
			}
		}
	}
	return nil
}

// forecastMap returns a forecast as a map by ticket id: the estimates of
// the tickets of s and of extra. It fails the test if the forecast holds
// more estimates than that (of tickets it should not know).
func forecastMap(t testing.TB, f *Forecast, s *State, extra ...*Ticket) map[string]Estimate {
	t.Helper()
	m := map[string]Estimate{}
	for _, tk := range append(slices.Collect(maps.Values(s.Tickets)), extra...) {
		if e, ok := f.Of(tk); ok {
			m[tk.ID] = e
		}
	}
	if len(m) != f.Len() {
		t.Fatalf("the forecast has %d estimates, of which %d are of tickets of the state", f.Len(), len(m))
	}
	return m
}

// checkWaitingIndex checks that the index of waiting tickets Apply keeps
// up to date is the one built from scratch, and that issue orders, by
// which a Forecast finds a ticket, are unique.
func checkWaitingIndex(s *State) error {
	orders := map[int64]string{}
	for id, t := range s.Tickets {
		if other, dup := orders[t.Order]; dup {
			return fmt.Errorf("tickets %s and %s share issue order %d", other, id, t.Order)
		}
		orders[t.Order] = id
	}
	if s.waiting == nil {
		return fmt.Errorf("no index of waiting tickets after Apply")
	}
	want := buildWaitingIndex(s)
	for i, l := range want.lines {
		got := s.waiting.lines[i]
		if len(got) != len(l) {
			return fmt.Errorf("line %d of the waiting index has %d tickets, rebuilt %d", i, len(got), len(l))
		}
		for j := range l {
			g, w := got[j], l[j]
			if g.key != w.key || g.order != w.order || g.svc != w.svc || g.hash != w.hash || g.service != w.service {
				return fmt.Errorf("line %d, place %d of the waiting index: order %d (key %d), rebuilt order %d (key %d)", i, j, g.order, g.key, w.order, w.key)
			}
		}
	}
	return nil
}

// stateCopy is a deep copy of what commands must not modify.
type stateCopy struct {
	Day      string
	Seq      int64
	Order    int64
	Counters map[string]CounterStatus
	Tickets  map[string]Ticket
	Ptrs     map[string]*Ticket
	Numbers  map[string]int
	Averages map[string]float64
	Remote   map[string]int
	Bookings map[string]Booking
}

func copyState(s *State) stateCopy {
	c := stateCopy{
		Day: s.Day, Seq: s.Seq, Order: s.Order,
		Counters: maps.Clone(s.Counters), Tickets: map[string]Ticket{}, Ptrs: maps.Clone(s.Tickets),
		Numbers: maps.Clone(s.Numbers), Averages: maps.Clone(s.Averages), Remote: maps.Clone(s.Remote),
	}
	for id, t := range s.Tickets {
		c.Tickets[id] = *cloneTicket(t)
	}
	c.Bookings = map[string]Booking{}
	for code, b := range s.Bookings {
		c.Bookings[code] = *b
	}
	return c
}

// unchanged reports an error when the state differs from the copy.
func unchanged(before stateCopy, s *State) error {
	after := copyState(s)
	if !reflect.DeepEqual(before, after) {
		return fmt.Errorf("the command modified the state")
	}
	return nil
}
