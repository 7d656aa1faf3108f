package queue

import (
	"strings"
	"time"
)

// IssueRequest asks for a new ticket.
type IssueRequest struct {
	// ID and Token are chosen by the caller: a unique id and an unguessable
	// secret for the holder (the domain has no source of randomness).
	ID       string
	Token    string
	Service  string
	Priority Priority
	Source   Source
	Device   string
	Name     string
	Phone    string
	Booking  string
	// Dossier links a pickup ticket to the dossier whose result it
	// collects (Ticket.Dossier).
	Dossier string
	// VA overrides the virtual arrival (a booking checked in inside its
	// window arrives at its slot start); zero means now.
	VA time.Time
	// DeferEstimate leaves the new ticket's EstimateSeconds to
	// StampEstimates, which the caller runs once over the state after a
	// run of such issues (a batch committed together) instead of one
	// replay of the whole line per issue. The change then has no
	// Estimates and its EstimatePending reports true until it is stamped.
	DeferEstimate bool
}

// Issue gives a new number of a service. Offices take numbers before the
// first clerk opens a counter, as real offices do, but not outside opening
// hours (clerks may issue at any time), not for an inactive service or one
// that no counter serves, and not beyond the service's daily caps.
func (s *State) Issue(now time.Time, r IssueRequest) (*Change, error) {
	sv := s.Office.Service(r.Service)
	switch {
	case r.ID == "" || r.Token == "":
		return nil, errorf(KindInvalid, "invalid", "a ticket needs an id and a token")
	case !r.Source.Valid():
		return nil, errorf(KindInvalid, "invalid_source", "unknown ticket source {source}", "source", quoted(r.Source))
	case !r.Priority.Valid():
		return nil, errorf(KindInvalid, "invalid_priority", "unknown priority {priority}: use one of elderly, disabled, pregnant, merit, or none", "priority", quoted(r.Priority))
	case sv == nil:
		return nil, errorf(KindNotFound, ErrUnknownService.Code, "service {service} does not exist in office {office}", "service", quoted(r.Service), "office", s.Office.ID)
	case !sv.Active:
		return nil, errorf(KindClosed, ErrServiceClosed.Code, "service {service} is not offered at the moment", "service", sv.Name)
	case !s.Office.ServedBy(sv.ID):
		return nil, errorf(KindConflict, ErrNotServed.Code, "no counter serves {service}: an administrator must add it to a counter", "service", sv.Name)
	case r.Source != SourceClerk && !s.Office.IsOpen(now):
		e := errorf(KindClosed, ErrOfficeClosed.Code, "the office is closed now; see its opening hours")
		if at, ok := s.Office.NextOpening(now); ok {
			e = errorf(KindClosed, ErrOfficeClosed.Code, "the office is closed now; it opens again at {time} on {date}", "time", at.Format("15:04"), "date", at.Format("02/01/2006"))
			e.ComeBackAt = at
		}
		return nil, e
	case sv.DailyCap > 0 && s.Numbers[sv.ID] >= sv.DailyCap:
		return nil, errorf(KindConflict, ErrCapReached.Code, "all {n} numbers of {service} for today have been given", "n", sv.DailyCap, "service", sv.Name)
	case r.Source == SourceRemote && s.Remote[sv.ID] >= s.Office.RemoteLimit(sv, s.Day):
		return nil, errorf(KindConflict, ErrCapReached.Code, "all {n} online numbers of {service} for today have been given; take a number at the kiosk", "n", s.Office.RemoteLimit(sv, s.Day), "service", sv.Name)
	}
	// A numeric block ends where the next one begins: beyond it, two
	// tickets of the office would show the same number on one day.
	if end, by := s.Office.blockEnd(sv); by != nil && sv.first()+s.Numbers[sv.ID] >= end {
		return nil, errorf(KindConflict, ErrCapReached.Code, "all numbers of {service} for today have been given: its block ends where {other} begins ({end}); an administrator can move the blocks apart", "service", sv.Name, "other", by.Name, "end", end)
	}
	if _, dup := s.Tickets[r.ID]; dup {
		return nil, errorf(KindConflict, "duplicate_id", "ticket id {id} already exists", "id", r.ID)
	}
	c := s.change(now)
	n := s.Numbers[sv.ID] + 1
	c.Order = s.Order + 1
	va := r.VA
	if va.IsZero() {
		va = now
	}
	t := &Ticket{
		ID: r.ID, Office: s.Office.ID, Day: s.Day, Service: sv.ID,
		Number: n, NumberService: sv.ID, Display: sv.Format(n),
		Source: r.Source, Priority: r.Priority, Status: StatusWaiting,
		VA: va, Order: c.Order, IssuedAt: now, Token: r.Token,
		Booking: r.Booking, Name: r.Name, Phone: r.Phone, Device: r.Device, Dossier: r.Dossier,
	}
	if r.DeferEstimate {
		t.EstimateSeconds = -1 // until StampEstimates
		c.estimatePending = true
	} else {
		c.Estimates = s.Estimate(now, t)
		e, _ := c.Estimates.Of(t)
		t.EstimateSeconds = e.Seconds()
	}
	c.Numbers = append(c.Numbers, NumberRow{Day: s.Day, Service: sv.ID, Last: n})
	c.touch(t)
	c.Ticket = t
	s.ticketEvent(c, now, EventTicketIssued, t)
	return c, nil
}

// counterFor returns the counter and its status, refusing unknown counters.
func (s *State) counterFor(id string) (*Counter, CounterStatus, error) {
	k := s.Office.Counter(id)
	if k == nil {
		return nil, CounterStatus{}, errorf(KindNotFound, ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", quoted(id), "office", s.Office.ID)
	}
	return k, s.Counters[id], nil
}

// openCounter is counterFor for actions that need an open counter.
func (s *State) openCounter(id string) (*Counter, CounterStatus, error) {
	k, cs, err := s.counterFor(id)
	if err == nil && cs.State != CounterOpen {
		err = errorf(KindConflict, ErrCounterPaused.Code, "counter {counter} is {state}: open it first", "counter", k.Number, "state", cs.State)
	}
	return k, cs, err
}

// current returns a copy of the counter's current ticket, or an error.
func (s *State) current(k *Counter, cs CounterStatus) (*Ticket, error) {
	t, ok := s.Tickets[cs.Current]
	if cs.Current == "" || !ok || t.Status.Final() {
		return nil, errorf(KindConflict, ErrNoCurrent.Code, "counter {counter} has no current ticket: call one first", "counter", k.Number)
	}
	return cloneTicket(t), nil
}

// currentAt returns a counter, its status and a copy of its current ticket.
func (s *State) currentAt(counter string) (*Counter, CounterStatus, *Ticket, error) {
	k, cs, err := s.counterFor(counter)
	if err != nil {
		return nil, cs, nil, err
	}
	t, err := s.current(k, cs)
	return k, cs, t, err
}

// calledAt is currentAt for actions on a ticket that was called and not yet
// started; whyNot is the refusal when it is being served, a template that
// names the ticket {ticket} and says what to do instead.
func (s *State) calledAt(counter, whyNot string) (*Counter, CounterStatus, *Ticket, error) {
	k, cs, t, err := s.currentAt(counter)
	if err == nil && t.Status != StatusCalled {
		err = errorf(KindConflict, ErrBadTransition.Code, whyNot, "ticket", t.Display)
	}
	return k, cs, t, err
}

// finish marks t done at now and moves the service-time average.
func (s *State) finish(c *Change, now time.Time, t *Ticket) {
	start := t.ServingAt
	if start.IsZero() {
		start = t.CalledAt
	}
	t.Status, t.FinishedAt = StatusDone, now
	if d := now.Sub(start); d > 0 {
		avg := s.Average(t.Service)
		// One very long service (a clerk who forgot to press done) must not
		// wreck the estimate: count at most four times the average.
		d = min(d, 4*avg)
		alpha := s.Office.Policy.EWMAAlpha
		next := avg.Seconds() + alpha*(d.Seconds()-avg.Seconds())
		c.Averages = append(c.Averages, Average{Service: t.Service, Seconds: next})
	}
	c.touch(t)
	s.ticketEvent(c, now, EventTicketDone, t)
}

// The call guard.
//
// A clerk's double-click on "next" (or a client that repeats the request
// without an idempotency key) sends a second "next" milliseconds after the
// first. "next" finishes the counter's current ticket as done, so the
// second press would count a service that never happened for the citizen
// just called — their phone asks for a rating, the reports count it. So a
// ticket that was called (or recalled) less than Policy.CallGuard ago and
// has not been started cannot be ended by "next", "call" or "done": they
// are refused with just_called and change nothing. What a clerk really
// does within those seconds is still allowed: start (the citizen is
// there; after start, next and done work at once), recall, transfer, and
// no-show — which counts no service, asks for no rating, and is undone by
// calling the number again. The guard is measured both ways (|now − last
// call| < guard), so a clock that steps back a little does not open it,
// and one that steps back a lot does not block the counter.

// guardCall refuses, with ErrJustCalled, to end the counter's current
// ticket when the call guard protects it; what says what was refused.
func (s *State) guardCall(now time.Time, cs CounterStatus, what string) error {
	t, ok := s.Tickets[cs.Current]
	if cs.Current == "" || !ok || t.Status != StatusCalled {
		return nil
	}
	guard := s.Office.Policy.CallGuard()
	d := now.Sub(t.LastCallAt())
	if d >= guard || d <= -guard {
		return nil
	}
	return errorf(KindConflict, ErrJustCalled.Code,
		"ticket {ticket} was called less than {seconds} seconds ago and has not been started, so {action} was refused as a repeated press: nothing changed. Press start when the citizen arrives, or no-show if they do not come",
		"ticket", t.Display, "seconds", int(guard/time.Second), "action", what)
}

// finishCurrent finishes the counter's current ticket, if any: pressing
// "call next" (or calling a number) means the citizen before was served.
func (s *State) finishCurrent(c *Change, now time.Time, k *Counter, cs *CounterStatus) {
	if t, err := s.current(k, *cs); err == nil {
		s.finish(c, now, t)
	}
	cs.Current = ""
}

// call makes t the counter's current ticket.
func (s *State) call(c *Change, now time.Time, k *Counter, cs CounterStatus, staff string, t *Ticket) {
	t.Status, t.CalledAt, t.RecalledAt = StatusCalled, now, time.Time{}
	t.Counter, t.Staff, t.Pinned = k.ID, staff, ""
	t.ServingAt, t.FinishedAt = time.Time{}, time.Time{}
	cs.Current, cs.Staff = t.ID, staff
	c.touch(t)
	c.setCounter(cs)
	c.Ticket = t
	s.ticketEvent(c, now, EventTicketCalled, t)
}

// Next finishes the counter's current ticket, if any, and calls the waiting
// ticket with the smallest key. When nobody waits, the change has no Ticket
// (it may still finish the current one). It refuses (ErrJustCalled) while
// the call guard protects the current ticket.
func (s *State) Next(now time.Time, counter, staff string) (*Change, error) {
	k, cs, err := s.openCounter(counter)
	if err != nil {
		return nil, err
	}
	if err := s.guardCall(now, cs, "next"); err != nil {
		return nil, err
	}
	c := s.change(now)
	s.finishCurrent(c, now, k, &cs)
	// NextFor sees the state before this change, in which the finished
	// ticket was not waiting: nothing in c affects the choice.
	if t := s.NextFor(k); t != nil {
		s.call(c, now, k, cs, staff, cloneTicket(t))
	} else {
		c.setCounter(cs)
	}
	return c, nil
}

// CallNumber calls a specific number at the counter, finishing its current
// ticket: a waiting ticket, or a no-show who came back. Like Next, it
// refuses while the call guard protects the current ticket.
func (s *State) CallNumber(now time.Time, counter, staff, number string) (*Change, error) {
	k, cs, err := s.openCounter(counter)
	if err != nil {
		return nil, err
	}
	if err := s.guardCall(now, cs, "calling another number"); err != nil {
		return nil, err
	}
	number = strings.ToUpper(strings.TrimSpace(number))
	var t *Ticket
	for _, x := range s.Tickets {
		if x.Display == number && x.Day == s.Day {
			t = x
			break
		}
	}
	if t == nil {
		return nil, errorf(KindNotFound, ErrUnknownTicket.Code, "no ticket {ticket} today", "ticket", quoted(number))
	}
	if t.Status != StatusWaiting && t.Status != StatusNoShow {
		return nil, errorf(KindConflict, ErrBadTransition.Code, "ticket {ticket} is {status} and cannot be called", "ticket", t.Display, "status", t.Status)
	}
	c := s.change(now)
	s.finishCurrent(c, now, k, &cs)
	s.call(c, now, k, cs, staff, cloneTicket(t))
	return c, nil
}

// Recall calls the counter's current ticket again.
func (s *State) Recall(now time.Time, counter, staff string) (*Change, error) {
	_, _, t, err := s.calledAt(counter, "ticket {ticket} is being served; a recall is for a citizen who has not come")
	if err != nil {
		return nil, err
	}
	c := s.change(now)
	t.Recalls++
	t.RecalledAt = now
	c.touch(t)
	c.Ticket = t
	s.ticketEvent(c, now, EventTicketRecalled, t)
	return c, nil
}

// Start marks the counter's called ticket as being served.
func (s *State) Start(now time.Time, counter, staff string) (*Change, error) {
	_, _, t, err := s.calledAt(counter, "ticket {ticket} is being served; it has already started")
	if err != nil {
		return nil, err
	}
	c := s.change(now)
	t.Status, t.ServingAt = StatusServing, now
	c.touch(t)
	c.Ticket = t
	s.ticketEvent(c, now, EventTicketServing, t)
	return c, nil
}

// Done finishes the counter's current ticket — one being served, or one
// called and never started once the call guard has passed.
func (s *State) Done(now time.Time, counter, staff string) (*Change, error) {
	_, cs, t, err := s.currentAt(counter)
	if err != nil {
		return nil, err
	}
	if err := s.guardCall(now, cs, "done"); err != nil {
		return nil, err
	}
	c := s.change(now)
	s.finish(c, now, t)
	cs.Current = ""
	c.setCounter(cs)
	c.Ticket = t
	return c, nil
}

// NoShow marks the counter's called ticket as not having come.
func (s *State) NoShow(now time.Time, counter, staff string) (*Change, error) {
	_, cs, t, err := s.calledAt(counter, "ticket {ticket} is being served; finish it instead")
	if err != nil {
		return nil, err
	}
	c := s.change(now)
	t.Status, t.FinishedAt = StatusNoShow, now
	cs.Current = ""
	c.touch(t)
	c.setCounter(cs)
	c.Ticket = t
	s.ticketEvent(c, now, EventTicketNoShow, t)
	return c, nil
}

// TransferRequest moves a counter's current ticket back to the queue of
// another service, or of one counter.
type TransferRequest struct {
	// Service is the service to queue for; empty keeps the current one.
	Service string
	// Counter, if set, reserves the ticket for that counter.
	Counter string
	// ToEnd sends the ticket to the end of the line (virtual arrival =
	// now) instead of keeping its original virtual arrival.
	ToEnd bool
}

// Transfer moves the counter's current ticket to another service or counter.
func (s *State) Transfer(now time.Time, counter, staff string, r TransferRequest) (*Change, error) {
	k, cs, t, err := s.currentAt(counter)
	if err != nil {
		return nil, err
	}
	to := r.Service
	if to == "" {
		to = t.Service
	}
	sv := s.Office.Service(to)
	if sv == nil {
		return nil, errorf(KindNotFound, ErrUnknownService.Code, "service {service} does not exist in office {office}", "service", quoted(to), "office", s.Office.ID)
	}
	if r.Counter != "" {
		target := s.Office.Counter(r.Counter)
		if target == nil {
			return nil, errorf(KindNotFound, ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", quoted(r.Counter), "office", s.Office.ID)
		}
		if target.ID == k.ID {
			return nil, errorf(KindInvalid, "invalid_transfer", "a ticket cannot be transferred to its own counter")
		}
	} else {
		if !s.Office.ServedBy(to) {
			return nil, errorf(KindConflict, ErrNotServed.Code, "no counter serves {service}, so nobody could call the ticket: choose a counter, or add the service to a counter first", "service", sv.Name)
		}
		if to == t.Service {
			return nil, errorf(KindInvalid, "invalid_transfer", "choose another service or a counter to transfer to")
		}
	}
	c := s.change(now)
	tr := Transfer{At: now, FromService: t.Service, ToService: to, FromCounter: k.ID, ToCounter: r.Counter, ToEnd: r.ToEnd, Staff: staff}
	t.Transfers = append(t.Transfers, tr)
	t.Status, t.Service, t.Pinned, t.Counter = StatusWaiting, to, r.Counter, ""
	t.ServingAt = time.Time{}
	if r.ToEnd {
		t.VA = now
	}
	cs.Current = ""
	c.touch(t)
	c.setCounter(cs)
	c.Ticket = t
	s.emit(c, now, EventTicketTransferred, TicketData{Ticket: s.Public(t), Transfer: &tr})
	return c, nil
}

// setCounterState changes a counter's state with its event.
func (s *State) setCounterState(now time.Time, counter, staff string, to CounterState) (*Change, error) {
	k, cs, err := s.counterFor(counter)
	if err != nil {
		return nil, err
	}
	c := s.change(now)
	if cs.State == to && (to != CounterOpen || cs.Staff == staff) {
		return c, nil // already so: nothing to do, nothing to announce
	}
	if to == CounterPaused && cs.State == CounterClosed {
		// A pause is a break of an open counter; a closed counter has no
		// clerk to take one, and the boards would show it as staffed.
		return nil, errorf(KindConflict, ErrCounterPaused.Code, "counter {counter} is closed: open it first", "counter", k.Number)
	}
	if to == CounterClosed && cs.Current != "" {
		if t, ok := s.Tickets[cs.Current]; ok && t.Active() {
			return nil, errorf(KindConflict, ErrCounterBusy.Code, "counter {counter} still has ticket {ticket}: finish, transfer or mark it no-show before closing", "counter", k.Number, "ticket", t.Display)
		}
	}
	cs.State = to
	if to == CounterClosed {
		cs.Staff, cs.Current = "", ""
	} else {
		cs.Staff = staff
	}
	c.setCounter(cs)
	typ := map[CounterState]EventType{CounterOpen: EventCounterOpened, CounterPaused: EventCounterPaused, CounterClosed: EventCounterClosed}[to]
	s.emit(c, now, typ, CounterData{Counter: k.ID, Number: k.Number, State: to, Staff: cs.Staff})
	return c, nil
}

// Open opens (or resumes) a counter for a clerk.
func (s *State) Open(now time.Time, counter, staff string) (*Change, error) {
	return s.setCounterState(now, counter, staff, CounterOpen)
}

// Pause stops a counter from calling; its current ticket stays.
func (s *State) Pause(now time.Time, counter, staff string) (*Change, error) {
	return s.setCounterState(now, counter, staff, CounterPaused)
}

// Close closes a counter; it must have no current ticket.
func (s *State) Close(now time.Time, counter, staff string) (*Change, error) {
	return s.setCounterState(now, counter, staff, CounterClosed)
}

// Cancel cancels a waiting or called ticket (the holder gave up).
func (s *State) Cancel(now time.Time, id, reason string) (*Change, error) {
	old, ok := s.Tickets[id]
	if !ok {
		return nil, errorf(KindNotFound, ErrUnknownTicket.Code, "ticket {ticket} does not exist", "ticket", quoted(id))
	}
	if old.Status != StatusWaiting && old.Status != StatusCalled {
		return nil, errorf(KindConflict, ErrBadTransition.Code, "ticket {ticket} is {status} and can no longer be cancelled", "ticket", old.Display, "status", old.Status)
	}
	c := s.change(now)
	t := cloneTicket(old)
	if t.Status == StatusCalled {
		if cs := s.Counters[t.Counter]; cs.Current == t.ID {
			cs.Current = ""
			c.setCounter(cs)
		}
	}
	t.Status, t.FinishedAt = StatusCancelled, now
	c.touch(t)
	c.Ticket = t
	s.emit(c, now, EventTicketCancelled, TicketData{Ticket: s.Public(t), Reason: reason})
	return c, nil
}

// Rollover starts a new business day when now falls on a later local date
// than the state's day: waiting and called tickets of the old day expire
// (each with an event), numbering restarts, and day.rolled is emitted. It
// returns nil when now is still on the state's day — or earlier: a clock
// that jumps back never reopens a day, so numbers are never reused.
func (s *State) Rollover(now time.Time) *Change {
	day := s.Office.Day(now)
	if day <= s.Day {
		return nil
	}
	c := s.change(now)
	c.Day = day
	expired := 0
	for _, old := range s.Waiting() {
		s.expire(c, now, old)
		expired++
	}
	// Counters in configuration order, not map order: the events (and
	// their seq) must be the same for the same state.
	for i := range s.Office.Counters {
		cs, ok := s.Counters[s.Office.Counters[i].ID]
		if !ok {
			continue
		}
		if t, ok := s.Tickets[cs.Current]; ok && t.Status == StatusCalled {
			s.expire(c, now, t)
			expired++
			cs.Current = ""
			c.setCounter(cs)
		}
	}
	s.endBookings(c, now, day)
	s.emit(c, now, EventDayRolled, DayData{From: s.Day, To: day, Expired: expired})
	return c
}

func (s *State) expire(c *Change, now time.Time, old *Ticket) {
	t := cloneTicket(old)
	t.Status, t.FinishedAt = StatusExpired, now
	c.touch(t)
	s.emit(c, now, EventTicketExpired, TicketData{Ticket: s.Public(t), Reason: "day_ended"})
}

// Reconfigure replaces the office configuration. It refuses a configuration
// that is not valid, and one that removes a counter with a ticket at it.
func (s *State) Reconfigure(now time.Time, o Office, by string) (*Change, error) {
	if o.ID != s.Office.ID {
		return nil, errorf(KindInvalid, "invalid_office", "configuration is for office {office}, not {other}", "office", quoted(o.ID), "other", quoted(s.Office.ID))
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	for id, cs := range s.Counters {
		if o.Counter(id) == nil && cs.Current != "" {
			if t, ok := s.Tickets[cs.Current]; ok && t.Active() {
				return nil, errorf(KindConflict, ErrCounterBusy.Code, "counter {counter} still has ticket {ticket}: finish it before removing the counter", "counter", id, "ticket", t.Display)
			}
		}
	}
	c := s.change(now)
	c.Config = &o
	s.emit(c, now, EventConfigChanged, ConfigData{By: by})
	return c, nil
}

// Note records an event that changes no ticket, such as a device status.
func (s *State) Note(now time.Time, typ EventType, data any) *Change {
	c := s.change(now)
	s.emit(c, now, typ, data)
	return c
}
