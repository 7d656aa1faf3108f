package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"luot/server/notify"
	"luot/server/queue"
)

// WatchStore is a Store that knows which tickets citizens follow (a
// subscription to their notices): at Load the engine reads each office's
// set from it. server/store implements it (notify.Store.WatchedTickets).
type WatchStore interface {
	Store
	// WatchedTickets lists the ids of an office's tickets that have a
	// subscription.
	WatchedTickets(ctx context.Context, office string) ([]string, error)
}

// watchSet is an office's followed tickets: the only ones whose notices
// the engine makes. told is true once the ticket's "near" notice was
// committed. It has its own lock: Watch comes from requests that must not
// wait for a batch's commit.
type watchSet struct {
	mu  sync.Mutex
	ids map[string]bool // ticket id → near told
}

// SetNotify sets the notifications' configuration (notify.Config.Near is
// the "N ahead" of the near notice; 0 means the default, 3). Call it
// before Load.
func (e *Engine) SetNotify(c notify.Config) { e.notify = c }

// Watch adds a ticket to the office's followed tickets (a citizen
// subscribed to it): the changes after it make its notices. An unknown
// office is ignored; a ticket that is not in the office's live state is
// dropped at the next change.
func (e *Engine) Watch(office, ticketID string) {
	o, err := e.get(office)
	if err != nil {
		return
	}
	o.watch.mu.Lock()
	defer o.watch.mu.Unlock()
	if o.watch.ids == nil {
		o.watch.ids = map[string]bool{}
	}
	if _, ok := o.watch.ids[ticketID]; !ok {
		o.watch.ids[ticketID] = false
	}
}

// near is the "N ahead" of the near notice.
func (e *Engine) near() int {
	if e.notify.Near > 0 {
		return e.notify.Near
	}
	return 3
}

// setNotices sets the notices of a batch of changes (applied to o.state,
// not yet committed) for the office's followed tickets: each change's
// called and missed notices from its events, and on the last change the
// near notices of the followed tickets not yet told, from est, the
// forecast of o.state at now. It returns the ids told near, to be marked
// once the batch is durable. Its cost is that of the followed tickets and
// the changes' events, never a walk over the office's tickets.
func (e *Engine) setNotices(o *office, changes []*queue.Change, est *queue.Forecast, now time.Time) []string {
	w := &o.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.ids) == 0 {
		return nil
	}
	watched := func(id string) bool { _, ok := w.ids[id]; return ok }
	for _, c := range changes {
		c.Notices = append(c.Notices, queue.EventNotices(c, watched)...)
	}
	untold := func(yield func(string) bool) {
		for id, told := range w.ids {
			if !told && !yield(id) {
				return
			}
		}
	}
	near := queue.NearNotices(o.state, est, untold, e.near(), now)
	if len(near) == 0 {
		return nil
	}
	// The set is a map: its order is random, the outbox's must not be.
	slices.SortFunc(near, func(a, b notify.Notice) int { return strings.Compare(a.Key, b.Key) })
	last := changes[len(changes)-1]
	last.Notices = append(last.Notices, near...)
	told := make([]string, len(near))
	for i, n := range near {
		told[i] = n.Item.ID
	}
	return told
}

// noticesCommitted marks the tickets told near once their notices are
// durable, and forgets the followed tickets that can be told nothing
// more: finished, cancelled, expired, or gone from the live state (a
// no-show stays: it may be called again).
func (e *Engine) noticesCommitted(o *office, told []string) {
	w := &o.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, id := range told {
		if _, ok := w.ids[id]; ok {
			w.ids[id] = true
		}
	}
	for id := range w.ids {
		t, ok := o.state.Tickets[id]
		if !ok || t.Status == queue.StatusDone || t.Status == queue.StatusCancelled || t.Status == queue.StatusExpired {
			delete(w.ids, id)
		}
	}
}

// loadWatched reads an office's followed tickets from a WatchStore.
func (e *Engine) loadWatched(ctx context.Context, o *office, id string) error {
	ws, ok := e.store.(WatchStore)
	if !ok {
		return nil
	}
	ids, err := ws.WatchedTickets(ctx, id)
	if err != nil {
		return fmt.Errorf("load the followed tickets of office %s: %w", id, err)
	}
	o.watch.mu.Lock()
	defer o.watch.mu.Unlock()
	if o.watch.ids == nil {
		o.watch.ids = make(map[string]bool, len(ids))
	}
	for _, t := range ids {
		if _, ok := o.watch.ids[t]; !ok {
			o.watch.ids[t] = false
		}
	}
	return nil
}
