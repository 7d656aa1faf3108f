package queue

import (
	"cmp"
	"slices"
	"time"
)

// Key is the ordering key of a waiting ticket at a counter — the one rule of
// Lượt:
//
//	key = virtual arrival − priority bonus(class) + offset(counter, service)
//
// The smallest key is called first; equal keys go by issue order. ok is
// false when the counter does not take the ticket (it does not serve the
// service, or the ticket is pinned to another counter). A ticket pinned to
// this counter competes with offset 0.
func Key(t *Ticket, c *Counter, p *Policy) (key time.Time, ok bool) {
	var offset time.Duration
	switch {
	case t.Pinned != "":
		if t.Pinned != c.ID {
			return time.Time{}, false
		}
	default:
		offset, ok = c.Serves(t.Service)
		if !ok {
			return time.Time{}, false
		}
	}
	return t.VA.Add(offset - p.Bonus(t.Priority)), true
}

// compareKeys orders ticket a (with key ka) and b (with key kb): by key,
// then by issue order.
func compareKeys(ka time.Time, a *Ticket, kb time.Time, b *Ticket) int {
	if c := ka.Compare(kb); c != 0 {
		return c
	}
	return cmp.Compare(a.Order, b.Order)
}

// before reports whether ticket a (with key ka) goes before b (with key kb).
func before(ka time.Time, a *Ticket, kb time.Time, b *Ticket) bool {
	return compareKeys(ka, a, kb, b) < 0
}

// NextFor returns the waiting ticket that counter c calls next, or nil when
// nobody waits for it.
func (s *State) NextFor(c *Counter) *Ticket {
	var best *Ticket
	var bestKey time.Time
	for _, t := range s.Tickets {
		if t.Status != StatusWaiting {
			continue
		}
		k, ok := Key(t, c, &s.Office.Policy)
		if ok && (best == nil || before(k, t, bestKey, best)) {
			best, bestKey = t, k
		}
	}
	return best
}

// QueueFor returns the waiting tickets that counter c serves, in the order
// it would call them if nobody else called anyone: the clerk console's list.
func (s *State) QueueFor(c *Counter) []*Ticket {
	type keyed struct {
		k time.Time
		t *Ticket
	}
	var q []keyed
	for _, t := range s.Tickets {
		if t.Status != StatusWaiting {
			continue
		}
		if k, ok := Key(t, c, &s.Office.Policy); ok {
			q = append(q, keyed{k, t})
		}
	}
	slices.SortFunc(q, func(a, b keyed) int { return compareKeys(a.k, a.t, b.k, b.t) })
	out := make([]*Ticket, len(q))
	for i, x := range q {
		out[i] = x.t
	}
	return out
}
