package queue

import (
	"cmp"
	"slices"
	"time"
)

// Estimate is the forecast for one waiting ticket.
type Estimate struct {
	// Ahead is how many waiting citizens will be called before this one at
	// the counters that serve its service.
	Ahead int
	// Wait is the time from now until the ticket is called; meaningful only
	// when Known.
	Wait time.Duration
	// Known is false when no counter could call the ticket.
	Known bool
	// Provisional is true when no counter was open and the forecast
	// assumed that every counter opens now.
	Provisional bool
}

// Seconds is the wait in whole seconds, or −1 when it is not known.
func (e Estimate) Seconds() int {
	if !e.Known {
		return -1
	}
	return int(e.Wait.Round(time.Second) / time.Second)
}

// simEntry is a waiting ticket in the simulation, with its key before the
// counter offset (virtual arrival − priority bonus).
type simEntry struct {
	t    *Ticket
	base time.Time
}

type simCounter struct {
	k     *Counter
	free  time.Time
	alive bool
}

// Estimate forecasts when each waiting ticket will be called by replaying
// the ordering rule over the open counters: each counter, when it becomes
// free, calls the waiting ticket with the smallest key it serves, and is busy
// for that service's average duration. A counter serving a ticket now is
// free when that ticket's average duration has passed. When no counter is
// open (before the first clerk logs in), every counter is assumed to open
// now and the estimates are marked provisional. Extra tickets, not yet in the
// state, take part as if they were (Issue uses this for the new ticket).
//
// The replay is deterministic and costs O(tickets × (counters + services
// per counter)); it runs once per change, not once per viewer.
func (s *State) Estimate(now time.Time, extra ...*Ticket) map[string]Estimate {
	provisional := false
	var counters []*simCounter
	for i := range s.Office.Counters {
		k := &s.Office.Counters[i]
		if s.Counters[k.ID].State == CounterOpen {
			counters = append(counters, &simCounter{k: k, free: s.freeAt(now, k), alive: true})
		}
	}
	if len(counters) == 0 {
		provisional = true
		for i := range s.Office.Counters {
			k := &s.Office.Counters[i]
			counters = append(counters, &simCounter{k: k, free: now, alive: true})
		}
	}
	slices.SortFunc(counters, func(a, b *simCounter) int { return cmp.Compare(a.k.Number, b.k.Number) })

	bySvc := map[string][]simEntry{}
	pinned := map[string][]simEntry{}
	add := func(t *Ticket) {
		e := simEntry{t: t, base: t.VA.Add(-s.Office.Policy.Bonus(t.Priority))}
		if t.Pinned != "" {
			pinned[t.Pinned] = append(pinned[t.Pinned], e)
		} else {
			bySvc[t.Service] = append(bySvc[t.Service], e)
		}
	}
	for _, t := range s.Tickets {
		if t.Status == StatusWaiting {
			add(t)
		}
	}
	for _, t := range extra {
		add(t)
	}
	order := func(a, b simEntry) int { return compareKeys(a.base, a.t, b.base, b.t) }
	for _, l := range bySvc {
		slices.SortFunc(l, order)
	}
	for _, l := range pinned {
		slices.SortFunc(l, order)
	}

	out := make(map[string]Estimate, len(s.Tickets)+len(extra))
	// Ahead counts the calls made before a ticket's call at the counters
	// that could call it. Calls at the same simulated instant at other
	// counters are not "before" (which one the replay takes first is only
	// a tie-break by counter number), unless they come from the ticket's
	// own line, whose order is the ordering rule's.
	aheadSvc := map[string]int{}     // calls before `instant` at counters serving a service
	aheadCounter := map[string]int{} // calls before `instant` at a counter (for pinned tickets)
	var instant time.Time
	nowSvc, nowCounter := map[string]int{}, map[string]int{} // calls at `instant`
	lineSvc, linePin := map[string]int{}, map[string]int{}   // calls at `instant` per line
	for {
		// The counter that is free first (ties: lower number) calls next.
		var sc *simCounter
		for _, c := range counters {
			if c.alive && (sc == nil || c.free.Before(sc.free)) {
				sc = c
			}
		}
		if sc == nil {
			break
		}
		var best simEntry
		var bestKey time.Time
		var from *[]simEntry
		consider := func(l *[]simEntry, offset time.Duration) {
			if len(*l) == 0 {
				return
			}
			e := (*l)[0]
			if k := e.base.Add(offset); from == nil || compareKeys(k, e.t, bestKey, best.t) < 0 {
				best, bestKey, from = e, k, l
			}
		}
		for _, cs := range sc.k.Services {
			if l, ok := bySvc[cs.Service]; ok {
				consider(&l, time.Duration(cs.OffsetMinutes)*time.Minute)
				bySvc[cs.Service] = l
			}
		}
		if l, ok := pinned[sc.k.ID]; ok {
			consider(&l, 0)
			pinned[sc.k.ID] = l
		}
		if from == nil {
			sc.alive = false
			continue
		}
		if sc.free.After(instant) {
			for k, n := range nowSvc {
				aheadSvc[k] += n
			}
			for k, n := range nowCounter {
				aheadCounter[k] += n
			}
			clear(nowSvc)
			clear(nowCounter)
			clear(lineSvc)
			clear(linePin)
			instant = sc.free
		}
		t := best.t
		if t.Pinned != "" {
			pinned[t.Pinned] = pinned[t.Pinned][1:]
			out[t.ID] = Estimate{Ahead: aheadCounter[sc.k.ID] + linePin[t.Pinned], Wait: sc.free.Sub(now), Known: true, Provisional: provisional}
			linePin[t.Pinned]++
		} else {
			bySvc[t.Service] = bySvc[t.Service][1:]
			out[t.ID] = Estimate{Ahead: aheadSvc[t.Service] + lineSvc[t.Service], Wait: sc.free.Sub(now), Known: true, Provisional: provisional}
			lineSvc[t.Service]++
		}
		nowCounter[sc.k.ID]++
		for _, cs := range sc.k.Services {
			nowSvc[cs.Service]++
		}
		sc.free = sc.free.Add(s.Average(t.Service))
	}
	// What no counter could call keeps its place in its own line.
	for _, l := range bySvc {
		for i, e := range l {
			out[e.t.ID] = Estimate{Ahead: i, Provisional: provisional}
		}
	}
	for _, l := range pinned {
		for i, e := range l {
			out[e.t.ID] = Estimate{Ahead: i, Provisional: provisional}
		}
	}
	return out
}

// freeAt is when counter k will be free: now, or when its current ticket's
// average service time has passed.
func (s *State) freeAt(now time.Time, k *Counter) time.Time {
	t, ok := s.Tickets[s.Counters[k.ID].Current]
	if !ok || t.Status.Final() {
		return now
	}
	start := t.ServingAt
	if start.IsZero() {
		start = t.LastCallAt()
	}
	if end := start.Add(s.Average(t.Service)); end.After(now) {
		return end
	}
	return now
}
