package queue

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// referenceEstimate is the first implementation of Estimate (time.Time
// keys, per-ticket map work), kept as the specification that the faster
// one must match exactly.
// refSimEntry is a waiting ticket in the simulation, with its key before the
// counter offset (virtual arrival − priority bonus).
type refSimEntry struct {
	t    *Ticket
	base time.Time
}

// refSimLine is one line of the replay: the waiting tickets of a service, or
// those pinned to a counter, in the order of the rule; head is the next.
type refSimLine struct {
	entries []refSimEntry
	head    int
	// calls counts the replay's calls from this line at the current
	// instant (see Ahead below).
	calls int
}

func (l *refSimLine) next() (refSimEntry, bool) {
	if l.head >= len(l.entries) {
		return refSimEntry{}, false
	}
	return l.entries[l.head], true
}

// refSimSource is a line a counter calls from, with the counter's offset.
type refSimSource struct {
	line   int
	offset time.Duration
}

type refSimCounter struct {
	idx     int // index in the office's counters (for pinned lines and tallies)
	number  int
	free    time.Time
	alive   bool
	sources []refSimSource
	svcs    []int // the services it serves, as indexes
}

// referenceEstimate forecasts when each waiting ticket will be called by replaying
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
func (s *State) referenceEstimate(now time.Time, extra ...*Ticket) map[string]Estimate {
	o := &s.Office
	nsvc, nctr := len(o.Services), len(o.Counters)
	svcIdx := make(map[string]int, nsvc)
	x := s.waiting
	if x == nil {
		x = buildWaitingIndex(s)
	}
	avg := make([]time.Duration, nsvc)
	for i, a := range s.forecastAverages(x, now.UnixNano(), true) {
		svcIdx[o.Services[i].ID] = i
		avg[i] = time.Duration(a)
	}
	ctrIdx := make(map[string]int, nctr)
	for i := range o.Counters {
		ctrIdx[o.Counters[i].ID] = i
	}
	// Lines 0..nsvc-1 are the services; nsvc+i holds what is pinned to
	// counter i.
	lines := make([]refSimLine, nsvc+nctr)
	add := func(t *Ticket) {
		e := refSimEntry{t: t, base: t.VA.Add(-o.Policy.Bonus(t.Priority))}
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
	order := func(a, b refSimEntry) int { return compareKeys(a.base, a.t, b.base, b.t) }
	for i := range lines {
		slices.SortFunc(lines[i].entries, order)
	}

	mk := func(i int, free time.Time) refSimCounter {
		k := &o.Counters[i]
		c := refSimCounter{idx: i, number: k.Number, free: free, alive: true}
		for _, cs := range k.Services {
			if si, ok := svcIdx[cs.Service]; ok {
				c.sources = append(c.sources, refSimSource{line: si, offset: time.Duration(cs.OffsetMinutes) * time.Minute})
				c.svcs = append(c.svcs, si)
			}
		}
		c.sources = append(c.sources, refSimSource{line: nsvc + i})
		return c
	}
	provisional, known := false, true
	counters := make([]refSimCounter, 0, nctr)
	for i := range o.Counters {
		if s.Counters[o.Counters[i].ID].State == CounterOpen {
			counters = append(counters, mk(i, s.freeAt(now, &o.Counters[i])))
		}
	}
	if len(counters) == 0 {
		provisional = true
		start, ok := now, false
		if !o.IsOpen(now) {
			start, ok = o.NextOpening(now)
		}
		known = ok
		if !ok {
			start = now
		}
		for i := range o.Counters {
			counters = append(counters, mk(i, start))
		}
	}
	slices.SortFunc(counters, func(a, b refSimCounter) int { return cmp.Compare(a.number, b.number) })

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
	avgNs := make([]int64, nsvc)
	for i := range avgNs {
		avgNs[i] = int64(avg[i])
	}
	ps := s.newPhantoms(x, now.UnixNano(), avgNs)
	for {
		// The counter that is free first (ties: lower number) calls next.
		var sc *refSimCounter
		for i := range counters {
			if c := &counters[i]; c.alive && (sc == nil || c.free.Before(sc.free)) {
				sc = c
			}
		}
		if sc == nil {
			break
		}
		bestLine := -1
		var best refSimEntry
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
		// The citizens still to come (the same phantoms as Estimate's).
		if ps != nil {
			srcs := make([]simSource, len(sc.sources))
			for i, src := range sc.sources {
				srcs[i] = simSource{line: src.line, offset: int64(src.offset)}
			}
			free := sc.free.UnixNano()
			if phantomFirst(ps, srcs, nsvc, &free, bestKey.UnixNano()) {
				sc.free = time.Unix(0, free)
				continue
			}
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
		e := Estimate{Ahead: ahead, Known: known, Provisional: provisional}
		if known {
			e.Wait, e.At = sc.free.Sub(now), time.Unix(0, sc.free.UnixNano())
		}
		out[best.t.ID] = e
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

// TestEstimateMatchesReference compares Estimate with the reference
// implementation on random offices and queues: pinned tickets, priorities,
// offsets, closed counters, tickets being served, unknown services.
func TestEstimateMatchesReference(t *testing.T) {
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 11))
		s := newTestState(t, func(o *Office) {
			o.Counters = nil
			for i := range 1 + rng.IntN(5) {
				k := Counter{ID: fmt.Sprint("c", i), Number: 1 + i}
				for _, sv := range []string{"a", "b", "n"} {
					if rng.IntN(3) > 0 || len(k.Services) == 0 {
						k.Services = append(k.Services, CounterService{Service: sv, OffsetMinutes: 5 * rng.IntN(4)})
					}
				}
				o.Counters = append(o.Counters, k)
			}
			o.Policy.PriorityBonusMinutes = map[Priority]int{PriorityElderly: 5 * rng.IntN(10)}
		})
		now := at("07:30")
		for _, k := range s.Office.Counters {
			if rng.IntN(3) > 0 {
				s.open(now, k.ID)
			}
		}
		for i := range rng.IntN(120) {
			now = now.Add(time.Duration(rng.IntN(40)) * time.Second)
			p := PriorityNone
			if rng.IntN(4) == 0 {
				p = Priorities[rng.IntN(len(Priorities))]
			}
			svc := []string{"a", "b", "n"}[rng.IntN(3)]
			if !s.Office.ServedBy(svc) {
				continue
			}
			s.issue(now, fmt.Sprint("t", i), svc, p)
			if rng.IntN(6) == 0 {
				k := s.Office.Counters[rng.IntN(len(s.Office.Counters))].ID
				if s.Counters[k].State == CounterOpen {
					s.startIfGuarded(now, k)
					s.next(now, k)
				}
			}
		}
		// Some waiting tickets pinned to a counter (a transfer to it), one
		// to a counter that no longer exists.
		// They are applied as a change, as the index of waiting tickets
		// Estimate reads is kept by Apply.
		pin := s.change(now)
		for _, id := range slices.Sorted(maps.Keys(s.Tickets)) {
			if tk := s.Tickets[id]; tk.Status == StatusWaiting && rng.IntN(8) == 0 {
				cp := cloneTicket(tk)
				cp.Pinned = s.Office.Counters[rng.IntN(len(s.Office.Counters))].ID
				if rng.IntN(5) == 0 {
					cp.Pinned = "gone"
				}
				pin.touch(cp)
			}
		}
		s.Apply(pin)
		extra := &Ticket{ID: "extra", Service: "a", Status: StatusWaiting, VA: now, Order: s.Order + 1}
		for _, later := range []time.Duration{0, 7 * time.Minute} {
			got, want := forecastMap(t, s.Estimate(now.Add(later), extra), s.State, extra), s.referenceEstimate(now.Add(later), extra)
			if len(got) != len(want) {
				t.Fatalf("seed %d: %d estimates, reference %d", seed, len(got), len(want))
			}
			for id, w := range want {
				if got[id] != w {
					t.Fatalf("seed %d: %s: %+v, reference %+v", seed, id, got[id], w)
				}
			}
		}
	}
}

// BenchmarkReferenceEstimate is BenchmarkEstimate on the reference
// implementation, for comparison.
func BenchmarkReferenceEstimate(b *testing.B) {
	s, now := benchState(b, 1000)
	for b.Loop() {
		s.referenceEstimate(now)
	}
}
