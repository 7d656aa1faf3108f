package queue

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"luot/server/notify"
)

// State is one office's live queue: its configuration, the tickets of the
// current business day, the counters' status, the next-number rows, the
// service-time averages and the last event seq. Commands read it and return
// a Change; only Apply modifies it. State is not safe for concurrent use:
// the caller serializes commands per office.
type State struct {
	Office   Office
	Day      string
	Seq      int64
	Order    int64
	Counters map[string]CounterStatus
	// Tickets are the tickets of the business day (and earlier ones not
	// yet final), by id. Read it freely; change it only through Apply.
	// (A State being built, e.g. by the store's loader, may fill it before
	// its first Apply: that Apply indexes what is there.)
	Tickets map[string]*Ticket
	// Numbers is the last number issued today per numbering service.
	Numbers map[string]int
	// Averages is the service-time average in seconds per service.
	Averages map[string]float64
	// Remote counts today's same-day online numbers per service.
	Remote map[string]int
	// Bookings are the appointments of the business day and later days,
	// by code, whatever their status (see booking.go). Bookings of earlier
	// days leave memory at the rollover that ends them.
	Bookings map[string]*Booking

	// swept is set once Apply has removed the tickets and bookings of
	// earlier days from the whole state; after that, only a new day or
	// a change's own entries can bring such an entry.
	swept bool
	// waiting is the index of the waiting tickets that Apply keeps for
	// Estimate; nil until the first Apply, in a clone, and after a change
	// of configuration (Apply then rebuilds it).
	waiting *waitingIndex
}

// NewState returns the state of an office with nothing issued on day.
// The office must have been validated.
func NewState(o Office, day string) *State {
	s := &State{
		Office:   o,
		Day:      day,
		Counters: map[string]CounterStatus{},
		Tickets:  map[string]*Ticket{},
		Numbers:  map[string]int{},
		Averages: map[string]float64{},
		Remote:   map[string]int{},
		Bookings: map[string]*Booking{},
	}
	for _, c := range o.Counters {
		s.Counters[c.ID] = CounterStatus{Counter: c.ID, State: CounterClosed}
	}
	return s
}

// Clone returns a copy of the state that later Apply calls do not affect:
// the maps are copied; the tickets are shared, which is safe because a
// ticket in a State is never modified (commands change copies, and Apply
// replaces the pointer).
func (s *State) Clone() *State {
	c := *s
	c.waiting = nil // Apply changes the index in place; a clone reads the tickets
	c.Counters = maps.Clone(s.Counters)
	c.Tickets = maps.Clone(s.Tickets)
	c.Numbers = maps.Clone(s.Numbers)
	c.Averages = maps.Clone(s.Averages)
	c.Remote = maps.Clone(s.Remote)
	c.Bookings = maps.Clone(s.Bookings)
	return &c
}

// Change is what one command does to the state: full new versions of the
// tickets and counters it touches, the next-number rows and averages it
// moves, the events it emits (with their seq), and the new office
// configuration, if any. The store writes a Change in one transaction;
// State.Apply then makes it the current state.
type Change struct {
	Office string
	// At is when the command ran (the time it was given).
	At       time.Time
	Day      string // the business day after the change
	Order    int64  // the last issue order after the change
	Tickets  []*Ticket
	Counters []CounterStatus
	Numbers  []NumberRow
	Averages []Average
	Events   []Event
	Config   *Office
	// Bookings are full new versions of the appointments the command
	// creates or changes; the store writes them in the same transaction.
	Bookings []*Booking
	// Ticket is the ticket the command was about (issued, called …), if any.
	Ticket *Ticket
	// Estimates, when set, is the wait estimate of the state after this
	// change, at the change's time (Issue computes it for the new ticket);
	// callers may reuse it instead of replaying again.
	Estimates *Forecast
	// IdempotencyKey, when set, is the key of the request that made this
	// change; the store keeps it with Ticket.ID in the same transaction, so
	// that a repeated request finds the ticket instead of making another.
	IdempotencyKey string
	// Reply, when set, is the answer to the keyed request that made this
	// change (a clerk's counter action with an Idempotency-Key); the store
	// keeps it with its key in the same transaction, so that a repeat of
	// the request — even after a crash — gets this answer and changes
	// nothing. The domain neither sets nor reads it.
	Reply *Reply
	// PrintJobs are print jobs the command queued (QueuePrint); the store
	// writes them in the same transaction as their print.queued events.
	PrintJobs []PrintJob
	// Notices are what the change tells the citizens who follow its
	// tickets and bookings (docs/notify.md); the store writes their
	// outbox messages in the same transaction. The engine sets them.
	Notices []notify.Notice

	// estimatePending is set by Issue with DeferEstimate until
	// StampEstimates gives the ticket its estimate.
	estimatePending bool
}

// EstimatePending reports whether the change issued a ticket whose
// estimate was deferred (IssueRequest.DeferEstimate) and not yet stamped.
func (c *Change) EstimatePending() bool { return c.estimatePending }

// Reply is the stored answer to a keyed request, opaque to the domain: the
// transport's status and body, and what the request was, so that the same
// key with another request can be told apart and refused.
type Reply struct {
	// Key is the idempotency key, scoped by the caller (e.g. by staff).
	Key string
	// Request identifies the request (a digest of its target, action and
	// body).
	Request string
	Status  int
	Body    []byte
}

// NumberRow is the last number issued for a service on a day.
type NumberRow struct {
	Day     string
	Service string
	Last    int
}

// Average is a service's service-time average, in seconds.
type Average struct {
	Service string
	Seconds float64
}

// change starts the Change of a command run at now.
func (s *State) change(now time.Time) *Change {
	return &Change{Office: s.Office.ID, At: now, Day: s.Day, Order: s.Order}
}

// emit appends an event with the next seq.
func (s *State) emit(c *Change, now time.Time, typ EventType, data any) {
	c.Events = append(c.Events, Event{
		Office: s.Office.ID,
		Seq:    s.Seq + int64(len(c.Events)) + 1,
		Type:   typ,
		At:     now.In(s.Office.Location()),
		Data:   data,
	})
}

// touch records t (already a copy) in the change, replacing an earlier
// version of the same ticket in this change.
func (c *Change) touch(t *Ticket) {
	for i, old := range c.Tickets {
		if old.ID == t.ID {
			c.Tickets[i] = t
			return
		}
	}
	c.Tickets = append(c.Tickets, t)
}

func (c *Change) setCounter(cs CounterStatus) {
	for i, old := range c.Counters {
		if old.Counter == cs.Counter {
			c.Counters[i] = cs
			return
		}
	}
	c.Counters = append(c.Counters, cs)
}

// Apply makes a change the current state. It must be called with changes in
// the order the commands produced them, each computed on the state left by
// the previous one.
func (s *State) Apply(c *Change) {
	if c.Config != nil {
		s.waiting = nil // lines are cut by service and counter: rebuilt below
		s.Office = *c.Config
		for _, k := range s.Office.Counters {
			if _, ok := s.Counters[k.ID]; !ok {
				s.Counters[k.ID] = CounterStatus{Counter: k.ID, State: CounterClosed}
			}
		}
		for id := range s.Counters {
			if s.Office.Counter(id) == nil {
				delete(s.Counters, id)
			}
		}
	}
	newDay := c.Day != s.Day
	if newDay {
		s.Day = c.Day
		s.Numbers = map[string]int{}
		s.Remote = map[string]int{}
	}
	s.Order = c.Order
	for _, t := range c.Tickets {
		if t.Source == SourceRemote && t.Day == s.Day {
			if _, seen := s.Tickets[t.ID]; !seen {
				s.Remote[t.Service]++
			}
		}
		if s.waiting != nil && !s.waiting.update(s.Tickets[t.ID], t) {
			s.waiting = nil // did not match the tickets: rebuilt below
		}
		s.Tickets[t.ID] = t
	}
	for _, cs := range c.Counters {
		s.Counters[cs.Counter] = cs
	}
	if s.Bookings == nil {
		s.Bookings = map[string]*Booking{}
	}
	for _, b := range c.Bookings {
		s.Bookings[b.Code] = b
	}
	for _, n := range c.Numbers {
		if n.Day == s.Day {
			s.Numbers[n.Service] = n.Last
		}
	}
	for _, a := range c.Averages {
		s.Averages[a.Service] = a.Seconds
	}
	if n := len(c.Events); n > 0 {
		s.Seq = c.Events[n-1].Seq
	}
	if s.waiting == nil {
		s.waiting = buildWaitingIndex(s)
	}
	// Tickets of earlier days leave memory once nothing can happen to
	// them, and bookings of earlier days at the rollover that ends them.
	// Only a new day, or the change's own tickets and bookings, can make
	// one of them go: the whole state is scanned only on a new day (and
	// the first time, for a state built by hand), not for every change —
	// a busy day holds thousands of tickets.
	if newDay || !s.swept {
		for id, t := range s.Tickets {
			if t.Day != s.Day && t.Status.Final() {
				delete(s.Tickets, id)
			}
		}
		for code, b := range s.Bookings {
			if b.Date < s.Day {
				delete(s.Bookings, code)
			}
		}
		s.swept = true
		return
	}
	for _, t := range c.Tickets {
		if t.Day != s.Day && t.Status.Final() {
			delete(s.Tickets, t.ID)
		}
	}
	for _, b := range c.Bookings {
		if b.Date < s.Day {
			delete(s.Bookings, b.Code)
		}
	}
}

// Public returns the public view of a ticket.
func (s *State) Public(t *Ticket) PublicTicket {
	p := PublicTicket{
		ID: t.ID, Number: t.Display, Service: t.Service, Status: t.Status,
		Priority: t.Priority, Source: t.Source, IssuedAt: t.IssuedAt.In(s.Office.Location()),
		Counter: t.Counter, Recalls: t.Recalls,
	}
	if !t.CalledAt.IsZero() {
		p.CalledAt = t.CalledAt.In(s.Office.Location())
	}
	if c := s.Office.Counter(t.Counter); c != nil {
		p.CounterNumber = c.Number
	}
	return p
}

func (s *State) ticketEvent(c *Change, now time.Time, typ EventType, t *Ticket) {
	s.emit(c, now, typ, TicketData{Ticket: s.Public(t)})
}

func cloneTicket(t *Ticket) *Ticket {
	cp := *t
	cp.Transfers = slices.Clone(t.Transfers)
	return &cp
}

// Average returns the service-time average of a service: the running
// average if there is one, otherwise the configured default.
func (s *State) Average(service string) time.Duration {
	if a, ok := s.Averages[service]; ok && a > 0 {
		return time.Duration(a * float64(time.Second))
	}
	if sv := s.Office.Service(service); sv != nil {
		return time.Duration(sv.DefaultMinutes * float64(time.Minute))
	}
	return 5 * time.Minute
}

// Ticket returns a ticket of the state by id.
func (s *State) Ticket(id string) (*Ticket, bool) {
	t, ok := s.Tickets[id]
	return t, ok
}

// Waiting returns the waiting tickets, in issue order.
func (s *State) Waiting() []*Ticket {
	var w []*Ticket
	for _, t := range s.Tickets {
		if t.Status == StatusWaiting {
			w = append(w, t)
		}
	}
	slices.SortFunc(w, func(a, b *Ticket) int { return cmp.Compare(a.Order, b.Order) })
	return w
}

// WaitingCount returns the number of waiting tickets per service; every
// service of the office has an entry.
func (s *State) WaitingCount() map[string]int {
	m := make(map[string]int, len(s.Office.Services))
	for _, sv := range s.Office.Services {
		m[sv.ID] = 0
	}
	for _, t := range s.Tickets {
		if t.Status == StatusWaiting {
			m[t.Service]++
		}
	}
	return m
}

// Recent returns the latest calls, most recent first, at most the policy's
// RecentCalls: tickets that were called today, by their last call. It runs
// for every view (once per commit), so it keeps only the newest n while it
// scans instead of sorting every call of the day.
func (s *State) Recent() []*Ticket {
	n := s.Office.Policy.RecentCalls
	if n <= 0 {
		return nil
	}
	// newer orders the result: last call, most recent first, then issue
	// order, latest first.
	newer := func(a, b *Ticket) int {
		if c := b.LastCallAt().Compare(a.LastCallAt()); c != 0 {
			return c
		}
		return cmp.Compare(b.Order, a.Order)
	}
	r := make([]*Ticket, 0, n+1)
	for _, t := range s.Tickets {
		if t.CalledAt.IsZero() || t.Day != s.Day || t.Counter == "" {
			continue
		}
		if len(r) == n && newer(t, r[n-1]) >= 0 {
			continue // older than all kept
		}
		i, _ := slices.BinarySearchFunc(r, t, newer)
		r = slices.Insert(r, i, t)
		if len(r) > n {
			r = r[:n]
		}
	}
	if len(r) == 0 {
		return nil
	}
	return r
}
