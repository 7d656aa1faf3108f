package engine

import (
	"context"
	"errors"
	"fmt"
)

// Owners and followers.
//
// When several server processes share one database (DESIGN.md "Scale"),
// each office is owned by one process at a time: only its engine runs the
// office's commands and commits. Every other process follows the office:
// its engine keeps a view built from what the owner committed (Catchup,
// called when the owner's wake-up arrives and periodically) and publishes
// the committed events, read from the store, to its own subscribers, so
// reads and event streams are served everywhere. A command that reaches a
// follower is refused with ErrNotOwner before anything is done, and the
// caller forwards it to the owner.
//
// A single process owns every office (the default). FollowByDefault makes
// the offices loaded afterwards start as followers; Own and Follow move one
// office between the two. The store fences the commit (the owner's epoch
// and the office's last seq are checked in the commit's transaction), so an
// engine that still believes it owns an office after losing it can never
// write; its failed commit makes the office a follower.

// ErrNotOwner is returned by the commands of an office that this engine
// follows: another process owns it. Nothing was done; send the command to
// the owner. A store's fenced commit returns an error wrapping it when the
// committing process no longer owns the office.
var ErrNotOwner = errors.New("this server process does not own the office; nothing was done — the request must go to the process that owns it")

// OwnerNeededHeader is the HTTP header by which a transport (the API, the
// pages) names, in its answer to a request refused with NotOwnerError, the
// office whose owner must run the request; server/cluster forwards such a
// request to the owner.
const OwnerNeededHeader = "Luot-Owner-Needed"

// NotOwnerError is ErrNotOwner naming the office.
type NotOwnerError struct{ Office string }

func (e *NotOwnerError) Error() string {
	return fmt.Sprintf("office %s: %v", e.Office, ErrNotOwner)
}

// Unwrap makes errors.Is(err, ErrNotOwner) true.
func (e *NotOwnerError) Unwrap() error { return ErrNotOwner }

// FollowByDefault makes every office loaded afterwards (Load) start as a
// follower. Call it before the first Load in a cluster of processes.
func (e *Engine) FollowByDefault() {
	e.mu.Lock()
	e.followNew = true
	e.mu.Unlock()
}

// Owns reports whether this engine owns the office (runs its commands).
func (e *Engine) Owns(id string) bool {
	o, err := e.get(id)
	if err != nil {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return !o.follower
}

// Follow makes the office a follower: its commands are refused with
// ErrNotOwner from now on (a batch already running finishes first). Call
// it when the office's ownership is lost.
func (e *Engine) Follow(id string) error {
	o, err := e.get(id)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.follower {
		o.follower = true
		o.state = o.view.Load().state.Clone()
		e.log.Info("office followed: another process owns it", "office", id)
	}
	return nil
}

// Own makes this engine the office's owner, once its process holds the
// office's ownership: it rebuilds the state from the store — everything
// the previous owner committed — publishes the events its subscribers have
// not had, and then runs the office's commands. The numbering continues
// from the stored state.
func (e *Engine) Own(ctx context.Context, id string) error {
	o, err := e.loaded(ctx, id)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.follower {
		return nil
	}
	if err := e.catchup(ctx, o, id); err != nil {
		return err
	}
	if err := e.loadWatched(ctx, o, id); err != nil {
		return err
	}
	o.keys = recentKeys{} // the previous owner's keys are in the store
	o.follower = false
	e.log.Info("office owned", "office", id, "seq", o.view.Load().Seq)
	return nil
}

// Catchup brings a followed office's view up to what is committed and
// publishes the events committed since the view's seq, in order. It loads
// an office created since the last Load. On an owned office it does
// nothing: its own commits publish.
func (e *Engine) Catchup(ctx context.Context, id string) error {
	o, err := e.loaded(ctx, id)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.follower {
		return nil
	}
	return e.catchup(ctx, o, id)
}

// loaded returns the office, loading the store's new offices first when
// it is unknown.
func (e *Engine) loaded(ctx context.Context, id string) (*office, error) {
	o, err := e.get(id)
	if err == nil {
		return o, nil
	}
	if lerr := e.Load(ctx); lerr != nil {
		return nil, lerr
	}
	return e.get(id)
}

// catchup rebuilds o from the store when something was committed after
// its view, and publishes the events in between. o.mu is held.
func (e *Engine) catchup(ctx context.Context, o *office, id string) error {
	from := o.view.Load().Seq
	evs, complete, err := e.store.EventsSince(ctx, id, from, 0)
	if err != nil {
		return fmt.Errorf("catch up office %s after seq %d: %w", id, from, err)
	}
	if len(evs) == 0 && complete {
		return nil
	}
	st, err := e.store.LoadState(ctx, id)
	if err != nil {
		return fmt.Errorf("catch up office %s: %w", id, err)
	}
	// The state may include commits made after the events were read:
	// publish every event up to the state's seq, no further, so the next
	// catch-up starts where this one ended.
	for int64(len(evs)) < st.Seq-from && complete {
		more, ok, err := e.store.EventsSince(ctx, id, from+int64(len(evs)), 0)
		if err != nil {
			return fmt.Errorf("catch up office %s after seq %d: %w", id, from+int64(len(evs)), err)
		}
		if len(more) == 0 {
			break
		}
		evs, complete = append(evs, more...), ok
	}
	if !complete {
		e.log.Warn("office caught up across pruned events: its followers' streams have a gap", "office", id, "from", from, "to", st.Seq)
	}
	o.state = st
	o.stale = false // reloaded: whatever a lost commit did is in st
	o.view.Store(e.makeView(st, e.now(), nil))
	if e.pub != nil && complete {
		for i, m := range evs {
			seq := from + 1 + int64(i)
			if seq > st.Seq {
				break
			}
			e.pub.Publish(id, seq, m.Public, m.Staff)
		}
	}
	return nil
}
