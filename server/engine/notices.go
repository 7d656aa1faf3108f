package engine

import (
	"context"
	"sync"

	"luot/server/notify"
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
