package engine

import (
	"context"
	"errors"
	"fmt"

	"luot/server/queue"
)

// A commit that fails because the database went away (queue.ErrUnavailable:
// PostgreSQL stopped, restarted or unreachable) has an unknown outcome: the
// connection may have been lost after the COMMIT reached the server, so
// the change may be durable although the engine put its state back. The
// office is then marked stale, and before its next batch the engine
// reloads the office from the store (resync) and publishes the events it
// finds beyond what it had published, so that numbering, seq and the
// followers' streams continue from what is durable. Until the database
// answers, each batch fails with the error of the reload (a 503).

// outcomeUnknown reports whether a failed commit may nevertheless have
// been made durable.
func outcomeUnknown(err error) bool { return errors.Is(err, queue.ErrUnavailable) }

// resync reloads a stale office from the store (with o.mu held) and
// publishes the events committed beyond the view's seq. On error the
// office stays stale and nothing changes.
func (e *Engine) resync(o *office) error {
	ctx := context.Background()
	old := o.view.Load().state
	id := old.Office.ID
	st, err := e.store.LoadState(ctx, id)
	if err != nil {
		return fmt.Errorf("reload office %s after the database was lost: %w", id, err)
	}
	var missed []queue.EncodedEvent
	if st.Seq > old.Seq {
		var complete bool
		missed, complete, err = e.store.EventsSince(ctx, id, old.Seq, int(st.Seq-old.Seq))
		if err != nil {
			return fmt.Errorf("read the events of office %s after the database was lost: %w", id, err)
		}
		if !complete || int64(len(missed)) != st.Seq-old.Seq {
			// Cannot happen within seconds of the commit (events are
			// pruned after days); followers that miss them take a snapshot.
			e.log.Warn("events of an unacknowledged commit are no longer stored", "office", id, "from", old.Seq+1, "to", st.Seq)
			missed = nil
		}
	}
	if err := e.loadWatched(ctx, o, id); err != nil {
		return err
	}
	o.state = st
	o.stale = false
	o.view.Store(e.makeView(st, e.now(), nil))
	e.log.Warn("office reloaded from the database after a lost connection", "office", id, "seq", st.Seq, "committed_unacknowledged_events", st.Seq-old.Seq)
	if e.pub != nil {
		for i, m := range missed {
			e.pub.Publish(id, old.Seq+1+int64(i), m.Public, m.Staff)
		}
	}
	return nil
}
