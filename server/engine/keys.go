package engine

import (
	"context"
	"fmt"
	"time"

	"luot/server/queue"
)

// Idempotency keys of ticket issues.
//
// A repeated issue request (a kiosk retrying after a lost answer) must get
// the ticket its key already made. Engine.Issue looks the key up in the
// store before the request joins its office's queue, concurrently with
// other requests, so that the office's leader — which runs one batch at a
// time and is the bottleneck in a rush — does not query the store for
// every issue. That lookup cannot see a key committed after it, while the
// request waited; the leader therefore also checks the keys its own
// commits made recently (recentKeys), and, for a request whose lookup is
// older than keyWindow (it waited unusually long), asks the store again.
// Keys stay in recentKeys for twice keyWindow, measured on the monotonic
// clock, so every key committed after a fresh lookup is still there. That
// bounds its memory by the issue rate: a real office's few per minute cost
// nothing; the load tool's 1,800 keyed issues/s keep about 36,000 keys,
// about 6 MB with 60-byte keys (200,000 measured 35 MB), while they last.

// defaultKeyWindow is how long a request's own store lookup of its key is
// trusted. A request waits for its batch for milliseconds (tens in a
// rush); one that waited longer costs a store query, nothing more.
const defaultKeyWindow = 10 * time.Second

// recentKeys are the idempotency keys an office's commits made lately:
// those of issues with their tickets' ids, those of keyed commands
// (DoKeyed, see keyed.go) with their replies. Only the office's leader
// uses it (under office.mu).
type recentKeys struct {
	ids     map[string]string       // issue key → ticket id
	replies map[string]*queue.Reply // keyed command's key → its reply
	order   []keyAt                 // in commit order, for pruning
}

type keyAt struct {
	key   string
	reply bool      // a key of replies, not of ids
	at    time.Time // monotonic
}

// committed records the keys of committed changes and forgets those older
// than twice window.
func (k *recentKeys) committed(changes []*queue.Change, window time.Duration) {
	now := time.Now()
	for _, c := range changes {
		if r := c.Reply; r != nil {
			if k.replies == nil {
				k.replies = map[string]*queue.Reply{}
			}
			k.replies[r.Key] = r
			k.order = append(k.order, keyAt{key: r.Key, reply: true, at: now})
		}
		if c.IdempotencyKey == "" || c.Ticket == nil {
			continue
		}
		if k.ids == nil {
			k.ids = map[string]string{}
		}
		k.ids[c.IdempotencyKey] = c.Ticket.ID
		k.order = append(k.order, keyAt{key: c.IdempotencyKey, at: now})
	}
	i := 0
	for i < len(k.order) && now.Sub(k.order[i].at) >= 2*window {
		if k.order[i].reply {
			delete(k.replies, k.order[i].key)
		} else {
			delete(k.ids, k.order[i].key)
		}
		i++
	}
	if i > 0 {
		k.order = append(k.order[:0:0], k.order[i:]...)
	}
}

// ticketOfKey returns the ticket the store says was issued with an
// idempotency key, from tickets (in memory) when it is there, or nil.
func (e *Engine) ticketOfKey(ctx context.Context, office string, tickets map[string]*queue.Ticket, key string) (*queue.Ticket, error) {
	id, err := e.store.TicketByIdempotencyKey(ctx, office, key)
	if err != nil {
		return nil, fmt.Errorf("look up idempotency key: %w", err)
	}
	if id == "" {
		return nil, nil
	}
	return e.ticketOf(ctx, office, tickets, id)
}

// ticketOf returns a ticket by id from tickets, or else from the store.
func (e *Engine) ticketOf(ctx context.Context, office string, tickets map[string]*queue.Ticket, id string) (*queue.Ticket, error) {
	if t, ok := tickets[id]; ok {
		return t, nil
	}
	t, err := e.store.Ticket(ctx, office, id)
	if err != nil {
		return nil, fmt.Errorf("load ticket %s of idempotency key: %w", id, err)
	}
	return t, nil
}

// recentKey is the leader's check of an issue's key, under office.mu: the
// ticket a commit made with it since the request's own lookup, or nil.
func (e *Engine) recentKey(ctx context.Context, o *office, r *request) (*queue.Ticket, error) {
	if r.lookedUp.IsZero() || time.Since(r.lookedUp) >= e.keyWindow {
		// Not looked up, or too long ago: ask the store.
		return e.ticketOfKey(ctx, o.state.Office.ID, o.state.Tickets, r.key)
	}
	id, ok := o.keys.ids[r.key]
	if !ok {
		return nil, nil
	}
	return e.ticketOf(ctx, o.state.Office.ID, o.state.Tickets, id)
}

// recentReply is the leader's check of a keyed command's key, under
// office.mu: the reply a commit kept with it since the request's own
// lookup (or, when that lookup is missing or old, the store's), or nil.
func (e *Engine) recentReply(ctx context.Context, o *office, r *request) (*queue.Reply, error) {
	if r.lookedUp.IsZero() || time.Since(r.lookedUp) >= e.keyWindow {
		rep, err := e.store.Reply(ctx, o.state.Office.ID, r.key)
		if err != nil {
			return nil, fmt.Errorf("look up idempotency key: %w", err)
		}
		return rep, nil
	}
	return o.keys.replies[r.key], nil
}
