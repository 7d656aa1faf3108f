package engine

import (
	"context"
	"fmt"
	"time"

	"luot/server/queue"
)

// Keyed commands: a clerk's counter actions with an Idempotency-Key.
//
// A repeated action (a client retrying after a lost answer, the console
// sending a press twice) must get the first answer and change nothing.
// The answer is made by the leader from the state right after the
// command's change, and committed with the change, in the same
// transaction (queue.Change.Reply): there is no moment at which the
// change is durable and its answer is not, so a retry after a crash, or
// after a restart, still finds it. The key is looked up as an issue's is
// (see keys.go): in the store before the request joins the queue, then by
// the leader among its own recent commits and the requests of the batch.

// Keyed is a command with an idempotency key and its answer, for DoKeyed.
type Keyed struct {
	// Key is the idempotency key, scoped by the caller (e.g. by staff);
	// "" for none: the command runs as with Do and its answer is not kept.
	Key string
	// Request identifies the request (a digest of its target and body). A
	// repeat of a key gets the reply kept with it, whatever its own
	// Request: the caller compares them (another request with a used key
	// is the caller's to refuse).
	Request string
	Cmd     Command
	// Answer makes the reply from the office's state after the change (the
	// live state, which it must not modify) and the change. The leader
	// calls it before the commit, so it must be quick and must not block.
	Answer func(s *queue.State, c *queue.Change) (status int, body []byte)
}

// DoKeyed runs k.Cmd as Do does and returns its reply. When k.Key was
// used by a committed request, it runs nothing and returns that request's
// reply with replayed true — also after a restart, as the reply is
// committed with the change. A refused command keeps nothing (it changed
// nothing; its key stays unused and a retry is judged anew), nor does a
// command that changes nothing (a repeat does nothing again).
func (e *Engine) DoKeyed(ctx context.Context, officeID string, k Keyed) (reply *queue.Reply, replayed bool, err error) {
	o, err := e.get(officeID)
	if err != nil {
		return nil, false, err
	}
	var lookedUp time.Time
	if k.Key != "" {
		rep, err := e.store.Reply(ctx, officeID, k.Key)
		if err != nil {
			return nil, false, fmt.Errorf("look up idempotency key: %w", err)
		}
		if rep != nil {
			return rep, true, nil
		}
		lookedUp = time.Now() // monotonic: see keys.go
	}
	r := &request{ctx: ctx, cmd: k.Cmd, keyed: &k, key: k.Key, lookedUp: lookedUp}
	e.submit(o, r)
	return r.reply, r.replayed, r.err
}
