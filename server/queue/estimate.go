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

// simLine is one line of the replay: the waiting tickets of a service, or
// those pinned to a counter, in the order of the rule; head is the next.
type simLine struct {
	entries []simEntry
	head    int
	// calls counts the replay's calls from this line at the current
	// instant (see Ahead below).
	calls int
}

func (l *simLine) next() (simEntry, bool) {
	if l.head >= len(l.entries) {
		return simEntry{}, false
	}
	return l.entries[l.head], true
}

// simSource is a line a counter calls from, with the counter's offset.
type simSource struct {
	line   int
	offset time.Duration
}

type simCounter struct {
	idx     int // index in the office's counters (for pinned lines and tallies)
	number  int
	free    time.Time
	alive   bool
	sources []simSource
	svcs    []int // the services it serves, as indexes
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
// per counter)); it runs once per change, not once per viewer. Services and
// counters are addressed by index, so the replay itself does no map work.
func (s *State) Estimate(now time.Time, extra ...*Ticket) map[string]Estimate {
	o := &s.Office
	nsvc, nctr := len(o.Services), len(o.Counters)
	svcIdx := make(map[string]int, nsvc)
	avg := make([]time.Duration, nsvc)
	for i := range o.Services {
		svcIdx[o.Services[i].ID] = i
		avg[i] = s.Average(o.Services[i].ID)
	}
	ctrIdx := make(map[string]int, nctr)
	for i := range o.Counters {
		ctrIdx[o.Counters[i].ID] = i
	}
	// Lines 0..nsvc-1 are the services; nsvc+i holds what is pinned to
	// counter i.
	lines := make([]simLine, nsvc+nctr)
	add := func(t *Ticket) {
		e := simEntry{t: t, base: t.VA.Add(-o.Policy.Bonus(t.Priority))}
		li := -1
		if t.Pinned != "" {
			if ci, ok := ctrIdx[t.Pinned]; ok {
				li = nsvc + ci
			}
		} else if si, ok := svcIdx[t.Service]; ok {
			li = si
		}
		if li >= 0 {
			lines[li].entries = append(lines[li].entries, e)
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
	for i := range lines {
		slices.SortFunc(lines[i].entries, order)
	}

	mk := func(i int, free time.Time) simCounter {
		k := &o.Counters[i]
		c := simCounter{idx: i, number: k.Number, free: free, alive: true}
		for _, cs := range k.Services {
			if si, ok := svcIdx[cs.Service]; ok {
				c.sources = append(c.sources, simSource{line: si, offset: time.Duration(cs.OffsetMinutes) * time.Minute})
				c.svcs = append(c.svcs, si)
			}
		}
		c.sources = append(c.sources, simSource{line: nsvc + i})
		return c
	}
	provisional := false
	counters := make([]simCounter, 0, nctr)
	for i := range o.Counters {
		if s.Counters[o.Counters[i].ID].State == CounterOpen {
			counters = append(counters, mk(i, s.freeAt(now, &o.Counters[i])))
		}
	}
	if len(counters) == 0 {
		provisional = true
		for i := range o.Counters {
			counters = append(counters, mk(i, now))
		}
	}
	slices.SortFunc(counters, func(a, b simCounter) int { return cmp.Compare(a.number, b.number) })

	out := make(map[string]Estimate, len(s.Tickets)+len(extra))
	// Ahead counts the calls made before a ticket's call at the counters
	// that could call it. Calls at the same simulated instant at other
	// counters are not "before" (which one the replay takes first is only
	// a tie-break by counter number), unless they come from the ticket's
	// own line, whose order is the ordering rule's.
	aheadSvc := make([]int, nsvc)     // calls before `instant` at counters serving a service
	aheadCounter := make([]int, nctr) // calls before `instant` at a counter (for pinned tickets)
	nowSvc := make([]int, nsvc)       // calls at `instant`
	nowCounter := make([]int, nctr)
	var instant time.Time
	for {
		// The counter that is free first (ties: lower number) calls next.
		var sc *simCounter
		for i := range counters {
			if c := &counters[i]; c.alive && (sc == nil || c.free.Before(sc.free)) {
				sc = c
			}
		}
		if sc == nil {
			break
		}
		bestLine := -1
		var best simEntry
		var bestKey time.Time
		for _, src := range sc.sources {
			e, ok := lines[src.line].next()
			if !ok {
				continue
			}
			if k := e.base.Add(src.offset); bestLine < 0 || compareKeys(k, e.t, bestKey, best.t) < 0 {
				best, bestKey, bestLine = e, k, src.line
			}
		}
		if bestLine < 0 {
			sc.alive = false
			continue
		}
		if sc.free.After(instant) {
			for i, n := range nowSvc {
				aheadSvc[i] += n
			}
			for i, n := range nowCounter {
				aheadCounter[i] += n
			}
			clear(nowSvc)
			clear(nowCounter)
			for i := range lines {
				lines[i].calls = 0
			}
			instant = sc.free
		}
		l := &lines[bestLine]
		ahead := l.calls
		if bestLine >= nsvc {
			ahead += aheadCounter[bestLine-nsvc]
		} else {
			ahead += aheadSvc[bestLine]
		}
		out[best.t.ID] = Estimate{Ahead: ahead, Wait: sc.free.Sub(now), Known: true, Provisional: provisional}
		l.head++
		l.calls++
		nowCounter[sc.idx]++
		for _, si := range sc.svcs {
			nowSvc[si]++
		}
		if si, ok := svcIdx[best.t.Service]; ok {
			sc.free = sc.free.Add(avg[si])
		} else {
			sc.free = sc.free.Add(s.Average(best.t.Service))
		}
	}
	// What no counter could call keeps its place in its own line.
	for i := range lines {
		for j, e := range lines[i].entries[lines[i].head:] {
			out[e.t.ID] = Estimate{Ahead: j, Provisional: provisional}
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
