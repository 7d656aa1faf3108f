package queue

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// waitingIndex is the waiting tickets of a state sorted into the lines of
// the wait-estimate replay (see Estimate): one line per service of the
// office, then one per counter for the tickets pinned to it, each in the
// order of the rule (key, then issue order). Apply keeps it up to date
// ticket by ticket, so that a forecast does not walk and sort every ticket
// of the day for each change: in a rush thousands wait, and the engine
// forecasts after every batch of commits.
//
// The index belongs to one State. Clone does not copy it (a clone builds
// its own when it needs one), and Estimate only reads it, so a frozen
// clone can be forecast from concurrently.
type waitingIndex struct {
	// lines[i] for i < len(Office.Services) is service i's line;
	// lines[len(Services)+j] holds the tickets pinned to counter j.
	lines   [][]simEntry
	svcIdx  map[string]int
	ctrIdx  map[string]int
	noBonus int64
	office  *Office // what the lines were cut for; Apply drops the index when it changes
	// rates[2i] learns how often walk-ins of service i without priority
	// arrive, rates[2i+1] those with: the forecast expects more of them
	// (see newPhantoms). day and first are the business day of the last
	// walk-in counted and when that day's first one came.
	rates []decayed
	day   string
	first int64
	// served[i] learns how long service i takes from the services
	// finished (their durations), the recent ones weighing most; see
	// forecastAverages.
	served []decayed
}

// decayed is a count of events and a sum of their values in which each
// event weighs exp(−age/window): n and sum are those at instant last (Unix
// nanoseconds). The forecast learns the day's arrival rates (the values are
// priority bonuses) and service durations with it.
type decayed struct {
	n, sum float64
	last   int64
}

// decay is the weight of an event d nanoseconds old in a window.
func decay(d int64, window time.Duration) float64 {
	return math.Exp(-float64(d) / float64(window))
}

// add counts an event at instant at with a value; events may come in any
// order and give the same result.
func (r *decayed) add(at, v int64, window time.Duration) {
	if at >= r.last {
		f := decay(at-r.last, window)
		r.n, r.sum, r.last = r.n*f+1, r.sum*f+float64(v), at
		return
	}
	f := decay(r.last-at, window)
	r.n += f
	r.sum += f * float64(v)
}

// at returns the weighted count and sum at instant now.
func (r *decayed) at(now int64, window time.Duration) (n, sum float64) {
	f := decay(now-r.last, window)
	return r.n * f, r.sum * f
}

// newWaitingIndex returns the empty index of an office.
func newWaitingIndex(o *Office) *waitingIndex {
	x := &waitingIndex{
		lines:   make([][]simEntry, len(o.Services)+len(o.Counters)),
		rates:   make([]decayed, 2*len(o.Services)),
		served:  make([]decayed, len(o.Services)),
		svcIdx:  make(map[string]int, len(o.Services)),
		ctrIdx:  make(map[string]int, len(o.Counters)),
		noBonus: int64(o.Policy.Bonus(PriorityNone)),
		office:  o,
	}
	for i := range o.Services {
		x.svcIdx[o.Services[i].ID] = i
	}
	for i := range o.Counters {
		x.ctrIdx[o.Counters[i].ID] = i
	}
	return x
}

// buildWaitingIndex indexes every waiting ticket of s.
func buildWaitingIndex(s *State) *waitingIndex {
	x := newWaitingIndex(&s.Office)
	for _, t := range s.Tickets {
		if t.Status == StatusWaiting {
			if li, e, ok := x.entry(t); ok {
				x.lines[li] = append(x.lines[li], e)
			}
		}
		x.arrived(t)
		x.finished(nil, t)
	}
	for _, l := range x.lines {
		slices.SortFunc(l, compareEntries)
	}
	return x
}

// arrived counts a walk-in (a checked-in booking is counted with the
// bookings, see newPhantoms).
func (x *waitingIndex) arrived(t *Ticket) {
	if t.Source == SourceBooking {
		return
	}
	si, ok := x.svcIdx[t.Service]
	if !ok {
		return
	}
	at := t.IssuedAt.UnixNano()
	switch {
	case t.Day > x.day:
		x.day, x.first = t.Day, at
	case t.Day == x.day:
		x.first = min(x.first, at)
	}
	if t.Priority == PriorityNone {
		x.rates[2*si].add(at, x.noBonus, rateWindow)
	} else {
		x.rates[2*si+1].add(at, int64(x.office.Policy.Bonus(t.Priority)), rateWindow)
	}
}

// finished counts the service of a ticket that turned done (old is its
// previous version, nil if none), as State.finish measures it, at most
// maxServiceFactor times the service's configured duration (a clerk who
// forgot to press done).
func (x *waitingIndex) finished(old, t *Ticket) {
	if t.Status != StatusDone || (old != nil && old.Status == StatusDone) {
		return
	}
	si, ok := x.svcIdx[t.Service]
	if !ok {
		return
	}
	start := t.ServingAt
	if start.IsZero() {
		start = t.CalledAt
	}
	d := t.FinishedAt.Sub(start)
	if start.IsZero() || d <= 0 {
		return
	}
	d = min(d, time.Duration(maxServiceFactor*x.office.Services[si].DefaultMinutes*float64(time.Minute)))
	x.served[si].add(t.FinishedAt.UnixNano(), int64(d), servedWindow)
}

// compareEntries is the ordering rule on the entries of one line.
func compareEntries(a, b simEntry) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.order, b.order)
}

// entry returns the line and the entry of a waiting ticket; ok is false
// for a ticket no counter can call (of a service the office no longer has
// and not pinned, or pinned to a counter that is gone), which has no line.
func (x *waitingIndex) entry(t *Ticket) (line int, e simEntry, ok bool) {
	o := x.office
	si, known := x.svcIdx[t.Service]
	if !known {
		si = -1
	}
	line = si
	if t.Pinned != "" {
		line = -1
		if ci, ok := x.ctrIdx[t.Pinned]; ok {
			line = len(o.Services) + ci
		}
	}
	if line < 0 {
		return 0, simEntry{}, false
	}
	bonus := x.noBonus
	if t.Priority != PriorityNone {
		bonus = int64(o.Policy.Bonus(t.Priority))
	}
	return line, simEntry{key: t.VA.UnixNano() - bonus, order: t.Order, svc: si, hash: idHash(t.ID), service: t.Service}, true
}

// insert adds a waiting ticket to its line. A new walk-in goes to the end,
// which is an append.
func (x *waitingIndex) insert(t *Ticket) {
	li, e, ok := x.entry(t)
	if !ok {
		return
	}
	l := x.lines[li]
	i, _ := slices.BinarySearchFunc(l, e, compareEntries)
	x.lines[li] = slices.Insert(l, i, e)
}

// remove takes out the entry of a ticket version that was waiting. It
// reports false if the entry is not where the ticket says it is (the index
// no longer matches the state, see State.Tickets), and the caller then
// drops the index.
func (x *waitingIndex) remove(t *Ticket) bool {
	li, e, ok := x.entry(t)
	if !ok {
		return true // it had no line
	}
	l := x.lines[li]
	i, found := slices.BinarySearchFunc(l, e, compareEntries)
	if !found || l[i].hash != idHash(t.ID) {
		return false
	}
	x.lines[li] = slices.Delete(l, i, i+1)
	return true
}

// update moves a ticket in the index from its old version (nil for a new
// ticket) to its new one. It reports false when the index turned out not
// to match the state.
func (x *waitingIndex) update(old, t *Ticket) bool {
	if old != nil && old.Status == StatusWaiting && !x.remove(old) {
		return false
	}
	if old == nil {
		x.arrived(t)
	}
	x.finished(old, t)
	if t.Status == StatusWaiting {
		x.insert(t)
	}
	return true
}
