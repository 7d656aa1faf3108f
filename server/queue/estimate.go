package queue

import (
	"cmp"
	"math"
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
	// Known is false when no counter could call the ticket, or when no
	// counter is open although the office is open by its hours (nobody
	// can say when a clerk will come).
	Known bool
	// Provisional is true when no counter was open: before the opening
	// time the forecast assumes that every counter opens at the next
	// opening time (Wait counts from it); after it, Known is false.
	Provisional bool
	// At is when the ticket is expected to be called (the forecast's
	// instant plus Wait); zero when not Known.
	At time.Time
}

// Seconds is the wait in whole seconds, or −1 when it is not known.
func (e Estimate) Seconds() int {
	if !e.Known {
		return -1
	}
	return int(e.Wait.Round(time.Second) / time.Second)
}

// Forecast is the estimate of every waiting ticket of a state at one
// instant, as State.Estimate computed it. It is not modified after that
// and is safe for concurrent use. The nil *Forecast has no estimates.
type Forecast struct {
	// slots holds the estimate of the ticket of issue order base+i at i:
	// the waiting tickets of a day have nearby orders, so a slice indexed
	// by order is both smaller and faster than a map by id.
	base  int64
	slots []forecastSlot
	n     int
	at    int64 // the forecast's instant, Unix nanoseconds
}

// forecastSlot is one ticket's estimate. It holds no pointer (in a rush
// the slice is large, and a pointer would make the collector scan it and
// every write pay a barrier), so the ticket's id is checked by a hash:
// id is idHash of the ticket's id, 0 for an order without estimate.
type forecastSlot struct {
	id    uint64
	wait  int64
	ahead int32
	known bool
	prov  bool
}

// idHash is the 64-bit FNV-1a hash of a ticket id, never 0.
func idHash(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return h | 1
}

// newForecast returns an empty forecast with a slot for every entry of
// lines.
func newForecast(lines []simLine) *Forecast {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range lines {
		for j := range lines[i].entries {
			o := lines[i].entries[j].order
			lo, hi = min(lo, o), max(hi, o)
		}
	}
	f := &Forecast{base: lo}
	if lo <= hi {
		f.slots = make([]forecastSlot, hi-lo+1)
	}
	return f
}

// set records the estimate of an entry.
func (f *Forecast) set(e *simEntry, est Estimate) {
	sl := &f.slots[e.order-f.base]
	if sl.id == 0 {
		f.n++
	}
	*sl = forecastSlot{id: e.hash, wait: int64(est.Wait), ahead: int32(est.Ahead), known: est.Known, prov: est.Provisional}
	if !est.Known {
		sl.wait = 0
	}
}

// Of returns the estimate of a ticket of the forecast state (any version
// of it: it is found by issue order, and its id checked); ok is false when
// the ticket was not waiting in that state.
func (f *Forecast) Of(t *Ticket) (e Estimate, ok bool) {
	if f == nil || t == nil {
		return Estimate{}, false
	}
	i := t.Order - f.base
	if i < 0 || i >= int64(len(f.slots)) {
		return Estimate{}, false
	}
	sl := &f.slots[i]
	if sl.id == 0 || sl.id != idHash(t.ID) {
		return Estimate{}, false
	}
	e = Estimate{Ahead: int(sl.ahead), Wait: time.Duration(sl.wait), Known: sl.known, Provisional: sl.prov}
	if e.Known {
		e.At = time.Unix(0, f.at+sl.wait)
	}
	return e, true
}

// Len returns the number of tickets with an estimate.
func (f *Forecast) Len() int {
	if f == nil {
		return 0
	}
	return f.n
}

// simEntry is a waiting ticket in the simulation. The replay orders by
// plain integers: key is the ticket's key before the counter offset
// (virtual arrival − priority bonus) in Unix nanoseconds, order its issue
// order; svc is its service's index (−1 if the office no longer has it).
// The entry holds what the replay needs of the ticket (hash is idHash of
// its id) rather than the ticket, so that the replay never reads the
// tickets themselves, which are scattered in memory.
type simEntry struct {
	key     int64
	order   int64
	svc     int
	hash    uint64
	service string
}

// simBefore is the ordering rule on simulated entries with keys ka and kb
// (offsets included): by key, then by issue order.
func simBefore(ka int64, a *simEntry, kb int64, b *simEntry) bool {
	if ka != kb {
		return ka < kb
	}
	return a.order < b.order
}

// simLine is one line of the replay: the waiting tickets of a service, or
// those pinned to a counter, in the order of the rule; head is the next.
type simLine struct {
	entries []simEntry
	head    int
	// calls counts the replay's calls from this line at the current
	// instant (see Ahead below); stamp is the instant it counts for.
	calls int
	stamp int64
}

// simSource is a line a counter calls from, with the counter's offset in
// nanoseconds.
type simSource struct {
	line   int
	offset int64
}

type simCounter struct {
	idx     int // index in the office's counters (for pinned lines and tallies)
	number  int
	free    int64 // Unix nanoseconds
	alive   bool
	sources []simSource
	svcs    []int // the services it serves, as indexes
}

// Estimate forecasts when each waiting ticket will be called by replaying
// the ordering rule over the open counters: each counter, when it becomes
// free, calls the waiting ticket with the smallest key it serves, and is busy
// for that service's mean duration (the running average weighed with the
// day's finished services, see forecastAverages). A counter serving a
// ticket now is free when that mean has passed. The citizens who have not
// come yet but will go ahead of some who wait take part too (see
// phantoms): walk-ins at the rates learned from the day — a priority one
// goes ahead by its bonus — and the booked citizens of the coming slots.
// When no counter is open (before the first clerk logs in), the estimates
// are provisional: every counter is assumed to open at the office's next
// opening time, or, when the office is already open by its hours, the wait
// is not known. Extra tickets, not yet in the state, take part as if they
// were (Issue uses this for the new ticket).
//
// The replay is deterministic and costs O(tickets × (counters + services
// per counter)) plus the calls of the expected citizens and a walk over
// the state's bookings; it runs once per change (once per batch of issues,
// see StampEstimates), not once per viewer. The waiting tickets come
// already sorted into lines from the index Apply keeps (a state that has
// none, such as a clone, sorts them here), services and counters are
// addressed by index, times are integers (wall-clock Unix nanoseconds), and
// the result is a slice by issue order, so the replay does no map, sorting
// or time.Time work per ticket.
func (s *State) Estimate(now time.Time, extra ...*Ticket) *Forecast {
	return s.forecast(now, true, extra...)
}

// forecast is Estimate; expect false leaves out the citizens still to
// come (for the tests of the replay's own rules).
func (s *State) forecast(now time.Time, expect bool, extra ...*Ticket) *Forecast {
	o := &s.Office
	nsvc, nctr := len(o.Services), len(o.Counters)
	x := s.waiting
	if x == nil {
		x = buildWaitingIndex(s)
	}
	svcIdx := x.svcIdx
	avg := s.forecastAverages(x, now.UnixNano(), expect)
	// The lines are the index's, read only; a line that gets an extra
	// ticket is copied first.
	lines := make([]simLine, nsvc+nctr)
	for i := range lines {
		lines[i].entries = x.lines[i]
	}
	copied := make([]bool, len(lines))
	for _, t := range extra {
		li, e, ok := x.entry(t)
		if !ok {
			continue
		}
		l := &lines[li]
		if !copied[li] {
			l.entries, copied[li] = slices.Clone(l.entries), true
		}
		i, _ := slices.BinarySearchFunc(l.entries, e, compareEntries)
		l.entries = slices.Insert(l.entries, i, e)
	}
	out := newForecast(lines)
	nowNs := now.UnixNano()
	out.at = nowNs
	mk := func(i int, free int64) simCounter {
		k := &o.Counters[i]
		c := simCounter{idx: i, number: k.Number, free: free, alive: true}
		for _, cs := range k.Services {
			if si, ok := svcIdx[cs.Service]; ok {
				c.sources = append(c.sources, simSource{line: si, offset: int64(time.Duration(cs.OffsetMinutes) * time.Minute)})
				c.svcs = append(c.svcs, si)
			}
		}
		c.sources = append(c.sources, simSource{line: nsvc + i})
		return c
	}
	provisional, known := false, true
	counters := make([]simCounter, 0, nctr)
	for i := range o.Counters {
		if s.Counters[o.Counters[i].ID].State == CounterOpen {
			counters = append(counters, mk(i, s.freeAt(now, &o.Counters[i]).UnixNano()))
		}
	}
	if len(counters) == 0 {
		// Nobody serves yet: every counter is assumed to open at the next
		// opening time. Once the office is open by its hours, when a clerk
		// comes is anybody's guess: the replay still gives the places in
		// line, but no time.
		provisional = true
		start, ok := nowNs, false
		if !o.IsOpen(now) {
			var at time.Time
			if at, ok = o.NextOpening(now); ok {
				start = at.UnixNano()
			}
		}
		known = ok
		for i := range o.Counters {
			counters = append(counters, mk(i, start))
		}
	}
	slices.SortFunc(counters, func(a, b simCounter) int { return cmp.Compare(a.number, b.number) })
	var ps []phantoms
	phLow := int64(math.MaxInt64) // no phantom's key at any counter is lower
	if expect {
		ps = s.newPhantoms(x, nowNs, avg)
		minOff := int64(0)
		for i := range counters {
			for _, src := range counters[i].sources {
				minOff = min(minOff, src.offset)
			}
		}
		for i := range ps {
			for _, w := range ps[i].walk {
				if w.step > 0 {
					phLow = min(phLow, w.next-w.bonus+minOff)
				}
			}
			if len(ps[i].books) > 0 {
				phLow = min(phLow, ps[i].books[0].key+minOff)
			}
		}
	}

	// Ahead counts the calls made before a ticket's call at the counters
	// that could call it. Calls at the same simulated instant at other
	// counters are not "before" (which one the replay takes first is only
	// a tie-break by counter number), unless they come from the ticket's
	// own line, whose order is the ordering rule's.
	aheadSvc := make([]int, nsvc)     // calls before `instant` at counters serving a service
	aheadCounter := make([]int, nctr) // calls before `instant` at a counter (for pinned tickets)
	nowSvc := make([]int, nsvc)       // calls at `instant`
	nowCounter := make([]int, nctr)
	instant := int64(math.MinInt64)
	for {
		// The counter that is free first (ties: lower number) calls next.
		var sc *simCounter
		for i := range counters {
			if c := &counters[i]; c.alive && (sc == nil || c.free < sc.free) {
				sc = c
			}
		}
		if sc == nil {
			break
		}
		bestLine := -1
		var best *simEntry
		var bestKey int64
		for _, src := range sc.sources {
			l := &lines[src.line]
			if l.head >= len(l.entries) {
				continue
			}
			e := &l.entries[l.head]
			if k := e.key + src.offset; bestLine < 0 || simBefore(k, e, bestKey, best) {
				best, bestKey, bestLine = e, k, src.line
			}
		}
		if bestLine < 0 {
			sc.alive = false
			continue
		}
		// Most calls in a rush are of tickets that came long before anyone
		// still to come could go ahead of them: those skip the phantoms.
		if bestKey > phLow && phantomFirst(ps, sc.sources, nsvc, &sc.free, bestKey) {
			continue
		}
		if sc.free > instant {
			for i, n := range nowSvc {
				aheadSvc[i] += n
			}
			for i, n := range nowCounter {
				aheadCounter[i] += n
			}
			clear(nowSvc)
			clear(nowCounter)
			instant = sc.free
		}
		l := &lines[bestLine]
		if l.stamp != instant {
			l.calls, l.stamp = 0, instant
		}
		ahead := l.calls
		if bestLine >= nsvc {
			ahead += aheadCounter[bestLine-nsvc]
		} else {
			ahead += aheadSvc[bestLine]
		}
		out.set(best, Estimate{Ahead: ahead, Wait: time.Duration(sc.free - nowNs), Known: known, Provisional: provisional})
		l.head++
		l.calls++
		nowCounter[sc.idx]++
		for _, si := range sc.svcs {
			nowSvc[si]++
		}
		if best.svc >= 0 {
			sc.free += avg[best.svc]
		} else {
			sc.free += int64(s.Average(best.service))
		}
	}
	// What no counter could call keeps its place in its own line.
	for i := range lines {
		for j := range lines[i].entries[lines[i].head:] {
			out.set(&lines[i].entries[lines[i].head+j], Estimate{Ahead: j, Provisional: provisional})
		}
	}
	return out
}

// priorServices is how many services the running average (State.Average)
// counts for in the forecast's mean duration against the day's services.
const priorServices = 3

// servedWindow is the time constant of the day's mean durations: longer
// than the arrival rates', as a service mix changes slowly and a few
// services are a noisy mean.
const servedWindow = 2 * time.Hour

// maxServiceFactor caps a service counted in the day's mean, as a multiple
// of its configured duration.
const maxServiceFactor = 4

// forecastAverages returns the mean duration of each service in
// nanoseconds. With learn, the running average (whose every new service
// moves it by a fifth, so that it is as noisy as a few services) is
// weighed with the day's finished services, recent ones most (see
// servedWindow), as priorServices services against theirs; without, it is
// the running average alone.
func (s *State) forecastAverages(x *waitingIndex, nowNs int64, learn bool) []int64 {
	o := &s.Office
	avg := make([]int64, len(o.Services))
	for i := range o.Services {
		a := float64(s.Average(o.Services[i].ID))
		if learn {
			n, sum := x.served[i].at(nowNs, servedWindow)
			a = (priorServices*a + sum) / (priorServices + n)
		}
		avg[i] = int64(a)
	}
	return avg
}

// rateWindow is the time constant of the learned arrival rates: each of
// the day's walk-ins counts with weight exp(−age/rateWindow), so the rates
// follow the day's rush within about an hour.
const rateWindow = time.Hour

// minRateSpan is how long the day's walk-ins must have been coming before
// their rates are used: a few arrivals in the first minutes are no rate.
const minRateSpan = 30 * time.Minute

// phantomStep is the longest spacing of a service's expected arrivals: a
// rarer arrival is spread as fractions of a citizen this far apart, so
// that the forecast carries their expected work instead of rounding it to
// nobody.
const phantomStep = 5 * time.Minute

// phantoms are the citizens of a service who have not come yet but will
// go ahead of some who wait: walk-ins with and without priority at the
// rates learned from the day (a priority walk-in goes ahead by its bonus;
// one without, at a counter that serves this service with a smaller offset
// than a waiting ticket's), and the booked citizens of the day's coming
// slots, at their slot start. They take a counter's time in the replay and get no
// estimate.
type phantoms struct {
	walk  [2]stream
	books []booked // by key
	bi    int      // the next booking
	avg   int64    // the service's average: a booking's counter time
}

// stream is a service's expected walk-ins of one kind: one every step
// nanoseconds from next on, each with a bonus and taking work nanoseconds
// of a counter (a fraction of the service's average when they are rare).
// step is 0 when none is expected.
type stream struct {
	step, bonus, work, next int64
}

// booked is a booking of a coming slot: when it can be called (avail, the
// slot start) and its ordering key before the counter offset.
type booked struct {
	avail, key int64
}

// newPhantoms returns the phantoms of each service at now (nil when there
// are none, so that the replay skips them).
func (s *State) newPhantoms(x *waitingIndex, nowNs int64, avg []int64) []phantoms {
	var ps []phantoms
	get := func(i int) *phantoms {
		if ps == nil {
			ps = make([]phantoms, len(avg))
			for j := range ps {
				ps[j].avg = avg[j]
			}
		}
		return &ps[i]
	}
	// The weighted count of a rate λ after a span T is λ·τ·(1 − e^(−T/τ)).
	span := nowNs - x.first
	scale := float64(rateWindow) * (1 - decay(span, rateWindow))
	for i := range x.rates {
		if span < int64(minRateSpan) {
			break
		}
		n, bonus := x.rates[i].at(nowNs, rateWindow)
		if n < 1e-3 {
			continue
		}
		rate := n / scale // arrivals per nanosecond
		step := min(1/rate, float64(phantomStep))
		w := &get(i / 2).walk[i%2]
		w.step, w.bonus = int64(step), int64(bonus/n)
		w.work = int64(rate * step * float64(avg[i/2]))
		w.next = nowNs + w.step/2
	}
	// A booked citizen whose slot has begun and who has not come is
	// more likely not to come at all than to come late: only the coming
	// slots count.
	if len(s.Bookings) > 0 {
		for _, b := range s.Bookings {
			if b.Status != BookingBooked || b.Date != s.Day {
				continue
			}
			si, ok := x.svcIdx[b.Service]
			if !ok {
				continue
			}
			start, ok := s.Office.SlotTime(b.Date, b.Slot)
			if !ok || start.UnixNano() < nowNs {
				continue
			}
			st := start.UnixNano()
			p := get(si)
			p.books = append(p.books, booked{avail: st, key: st - x.noBonus})
		}
		for i := range ps {
			slices.SortFunc(ps[i].books, func(a, b booked) int { return cmp.Compare(a.key, b.key) })
		}
	}
	return ps
}

// phantomFirst is what a counter free at free, calling from sources, does
// before it calls the real ticket of key bestKey: it serves a phantom that
// has come by then and goes before that ticket, if there is one (true),
// and is busy for its counter time.
func phantomFirst(ps []phantoms, sources []simSource, nsvc int, free *int64, bestKey int64) bool {
	var p *phantoms
	var w *stream
	key := bestKey
	for _, src := range sources {
		if src.line >= nsvc {
			continue
		}
		q := &ps[src.line]
		for j := range q.walk {
			if v := &q.walk[j]; v.step > 0 && v.next <= *free {
				if k := v.next - v.bonus + src.offset; k < key {
					p, w, key = q, v, k
				}
			}
		}
		if q.bi < len(q.books) {
			if b := q.books[q.bi]; b.avail <= *free && b.key+src.offset < key {
				p, w, key = q, nil, b.key+src.offset
			}
		}
	}
	switch {
	case p == nil:
		return false
	case w == nil:
		p.bi++
		*free += p.avg
	default:
		w.next += w.step
		*free += w.work
	}
	return true
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

// StampEstimates gives the tickets issued with IssueRequest.DeferEstimate
// their EstimateSeconds with one replay instead of one per ticket. changes
// must have been applied to s in order, s being the state after the last
// of them, and nothing else applied since: the caller (the engine, for a
// batch of issues committed together) stamps before it runs any other
// command, so the deferred tickets are still as issued and waiting.
//
// It replays the estimate of s at now once and, for each change whose
// estimate is pending, makes a copy of its ticket with EstimateSeconds set
// from that forecast (−1 when no counter could call it) and puts the copy
// in place of the issued one: in the change (Tickets and Ticket), so that
// the store writes it, and in s. The issued ticket itself is not modified,
// so a State that already holds it (a published view) never sees a
// change. The last change's Estimates is set to the forecast, which is
// the estimate of s, and the forecast is returned.
//
// The stamped estimate of a ticket is the same forecast as the view of s
// shows for it: it counts the tickets issued after it in the same run
// (a later priority ticket that goes ahead of it lengthens its wait),
// which the answer to its issue shows too.
func (s *State) StampEstimates(now time.Time, changes []*Change) *Forecast {
	if len(changes) == 0 {
		return nil
	}
	est := s.Estimate(now)
	for _, c := range changes {
		if !c.estimatePending || c.Ticket == nil {
			continue
		}
		old := c.Ticket
		t := cloneTicket(old)
		e, _ := est.Of(t) // not waiting in the forecast: unknown, −1
		t.EstimateSeconds = e.Seconds()
		c.Ticket = t
		for i, x := range c.Tickets {
			if x == old {
				c.Tickets[i] = t
			}
		}
		if s.Tickets[t.ID] == old {
			s.Tickets[t.ID] = t
		}
		c.estimatePending = false
	}
	changes[len(changes)-1].Estimates = est
	return est
}
