package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"luot/server/queue"
)

// Group commit.
//
// Every command of an office (Do, Issue, Tick) is queued as a request. The
// caller that finds no batch running becomes the office's leader: it takes
// the queued requests (at most maxBatch), runs their commands one after the
// other on the live state — each sees the changes of the ones before it —
// and commits all their changes in one durable transaction
// (BatchStore.CommitBatch). Only then does it refresh the view once,
// publish the events in seq order and answer each request. Requests that
// arrive meanwhile wait in the queue; when the batch is done the leader
// hands leadership to the first of them, so that no caller serves others
// for long.
//
// The guarantees of a single commit hold for a batch:
//
//   - nothing is visible (view, events, answers) before the batch is
//     durable;
//   - a failed batch changes nothing: the live state goes back to the last
//     durable view's, no event is published, and every request whose
//     change was in the batch gets the error (a request refused by the
//     domain gets that refusal, whatever becomes of the batch);
//   - events are published in seq order, each request answered with its
//     own change.
//
// Wait estimates: Engine.Issue defers the new ticket's estimate
// (queue.IssueRequest.DeferEstimate), so that a batch of issues does not
// replay the whole waiting line once per ticket. The leader stamps the
// pending estimates with one replay (queue.State.StampEstimates) over the
// live state after the run of issues — before the batch is committed, so
// the store writes the stamped tickets, and before any other command of
// the batch runs, so no command sees or copies an unstamped ticket. The
// stamped estimate is the forecast the view after the run shows (and the
// answer reports); that forecast becomes the view's, without another
// replay, when the run ends the batch.
//
// Notices: before a batch is committed, the leader computes the forecast
// of the state after it (the view's, so no second replay) and sets the
// changes' notices for the followed tickets (notices.go); the store writes
// them in the batch's transaction, and a ticket counts as told only once
// that transaction is durable.
//
// With a Store that is not a BatchStore every change is committed alone,
// in its own transaction.

// maxBatch bounds how many requests one durable transaction serves, so
// that the first of a long queue does not wait for hundreds of commands.
const maxBatch = 64

// BatchStore is a Store that can commit several changes of one office in
// one durable transaction: all of them or none. server/store implements it.
type BatchStore interface {
	Store
	// CommitBatch writes changes[i] with the event encodings events[i], in
	// order, in one transaction, with the checks of Commit applied to each
	// as if it were committed after the previous ones. On error nothing is
	// written.
	CommitBatch(ctx context.Context, changes []*queue.Change, events [][]queue.EncodedEvent) error
}

// request is one command queued for its office's leader.
type request struct {
	ctx context.Context
	cmd Command // nil: only the day rollover (Tick)

	// issue is set for Engine.Issue, keyed for Engine.DoKeyed: key is
	// their scoped idempotency key, lookedUp when they found nothing of
	// that key in the store (see recentKeys).
	issue    bool
	keyed    *Keyed
	key      string
	lookedUp time.Time

	// Results, written by the leader before wake is signalled.
	change  *queue.Change
	ticket  *queue.Ticket
	created bool
	err     error
	dupOf   *request // an issue or keyed command with the same key earlier in the batch

	reply    *queue.Reply // a keyed command's answer
	replayed bool         // … kept by an earlier request with its key

	finished bool
	wake     chan struct{} // finished, or "you lead the next batch"
}

// submit queues r and returns once it has been answered.
func (e *Engine) submit(o *office, r *request) {
	r.wake = make(chan struct{}, 1)
	o.qmu.Lock()
	o.queue = append(o.queue, r)
	lead := !o.leading
	o.leading = true
	o.qmu.Unlock()
	if !lead {
		<-r.wake
		if r.finished {
			return
		}
		// The previous leader handed over: r leads the next batch.
	}
	o.qmu.Lock()
	n := min(len(o.queue), maxBatch)
	batch := o.queue[:n:n]
	o.queue = o.queue[n:]
	o.qmu.Unlock()

	start := time.Now()
	e.runBatch(o, batch)
	since(&e.stats.busy, start)

	o.qmu.Lock()
	var next *request
	if len(o.queue) > 0 {
		next = o.queue[0]
	} else {
		o.leading = false
		o.queue = nil
	}
	o.qmu.Unlock()
	if next != nil {
		next.wake <- struct{}{}
	}
	for _, q := range batch {
		if q != r {
			q.wake <- struct{}{}
		}
	}
}

// runBatch runs the commands of batch on the live state and commits their
// changes together; it marks every request finished.
func (e *Engine) runBatch(o *office, batch []*request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.follower {
		for _, r := range batch {
			r.finished = true
			r.err = &NotOwnerError{Office: o.view.Load().Office.ID}
		}
		return
	}
	if o.stale {
		if err := e.resync(o); err != nil {
			for _, r := range batch {
				r.finished, r.err = true, err
			}
			return
		}
	}
	_, canBatch := e.store.(BatchStore)

	var (
		changes []*queue.Change
		msgs    [][]queue.EncodedEvent
		members []*request // requests whose result depends on the pending changes
		lastNow = e.now()
		keys    map[string]*request // issues' keys in this batch
		replies map[string]*request // keyed commands' keys in this batch
		pending []*queue.Change     // issues applied since the last stamp, estimates deferred
	)
	// stamp gives the pending issues their estimates: one replay.
	stamp := func() {
		if len(pending) > 0 {
			start := time.Now()
			o.state.StampEstimates(lastNow, pending)
			since(&e.stats.forecast, start)
			pending = nil
		}
	}
	flush := func() error {
		var err error
		stamp()
		if len(changes) > 0 {
			err = e.commitBatch(o, changes, msgs, lastNow)
			for _, m := range members {
				if err != nil {
					m.change, m.ticket, m.created, m.err = nil, nil, false, err
					m.reply = nil
				}
			}
		}
		changes, msgs, members = nil, nil, nil
		return err
	}
	// add applies c to the live state (invisible to readers until the
	// batch commits) and queues it for the commit.
	add := func(c *queue.Change, now time.Time) error {
		if c == nil || (len(c.Events) == 0 && len(c.Tickets) == 0 && len(c.Counters) == 0 &&
			c.Config == nil && c.Day == o.state.Day) {
			return nil
		}
		enc := make([]queue.EncodedEvent, len(c.Events))
		for i := range c.Events {
			var err error
			if enc[i], err = c.Events[i].Encode(); err != nil {
				return err
			}
		}
		o.state.Apply(c)
		lastNow = now
		changes = append(changes, c)
		msgs = append(msgs, enc)
		return nil
	}

	for _, r := range batch {
		r.finished = true
		if err := r.ctx.Err(); err != nil {
			r.err = err // gone before its turn: nothing was done
			continue
		}
		now := e.now()
		if !r.issue {
			stamp() // the command may read or copy the issued tickets
		}
		rc := o.state.Rollover(now)
		if rc != nil && len(pending) > 0 {
			// The rollover expires waiting tickets: copies of the
			// stamped ones, not of the issued ones.
			stamp()
			rc = o.state.Rollover(now)
		}
		if rc != nil {
			err := add(rc, now)
			if err == nil && !canBatch {
				err = flush() // committed alone, as its own change
			}
			if err != nil {
				r.err = err
				continue
			}
		}
		if r.cmd == nil {
			members = append(members, r)
			if !canBatch {
				flush()
			}
			continue
		}
		if r.issue && r.key != "" {
			if d := keys[r.key]; d != nil {
				// The same key earlier in this batch: the same ticket.
				r.dupOf = d
				members = append(members, r)
				continue
			}
			t, err := e.recentKey(r.ctx, o, r)
			if err != nil {
				r.err = err
				continue
			}
			if t != nil {
				r.ticket = t
				continue
			}
		}
		if r.keyed != nil && r.key != "" {
			if d := replies[r.key]; d != nil {
				// The same key earlier in this batch: its answer.
				r.dupOf = d
				members = append(members, r)
				continue
			}
			rep, err := e.recentReply(r.ctx, o, r)
			if err != nil {
				r.err = err
				continue
			}
			if rep != nil {
				r.reply, r.replayed = rep, true
				continue
			}
		}
		c, err := r.cmd(o.state, now)
		if err != nil {
			r.err = err
			continue
		}
		before := len(changes)
		if err := add(c, now); err != nil {
			r.err = err
			continue
		}
		r.change = c
		if k := r.keyed; k != nil {
			status, body := k.Answer(o.state, c)
			r.reply = &queue.Reply{Key: r.key, Request: k.Request, Status: status, Body: body}
			if r.key != "" {
				if len(changes) > before {
					c.Reply = r.reply // committed with the change
				}
				if replies == nil {
					replies = map[string]*request{}
				}
				replies[r.key] = r
			}
		}
		if c.EstimatePending() {
			pending = append(pending, c)
		}
		if r.issue {
			r.ticket, r.created = c.Ticket, true
			if r.key != "" {
				if keys == nil {
					keys = map[string]*request{}
				}
				keys[r.key] = r
			}
		}
		members = append(members, r)
		if !canBatch {
			flush()
		}
	}
	flush()
	for _, r := range batch {
		if r.created && r.change != nil {
			r.ticket = r.change.Ticket // the stamped copy
		}
	}
	for _, r := range batch {
		if d := r.dupOf; d != nil {
			r.ticket, r.err = d.ticket, d.err
			r.reply, r.replayed = d.reply, d.reply != nil
		}
	}
}

// commitBatch makes changes (already applied to o.state) durable, then
// refreshes the view and publishes their events. On failure it puts the
// live state back to the last durable view's and publishes nothing.
func (e *Engine) commitBatch(o *office, changes []*queue.Change, msgs [][]queue.EncodedEvent, now time.Time) error {
	// A request's context may end (a client gone) but a command that
	// reached the store finishes: its outcome must be known.
	ctx := context.Background()
	// The forecast after the batch is computed before the commit: the
	// "near" notices come from it and are written with the changes; the
	// view reuses it.
	last := changes[len(changes)-1]
	est := last.Estimates
	if est == nil {
		start := time.Now()
		est = o.state.Estimate(now) // on the live state, which keeps its waiting tickets indexed
		since(&e.stats.forecast, start)
	}
	told := e.setNotices(o, changes, est, now)
	var err error
	start := time.Now()
	if bs, ok := e.store.(BatchStore); ok && len(changes) > 1 {
		err = bs.CommitBatch(ctx, changes, msgs)
	} else {
		for i, c := range changes {
			if err = e.store.Commit(ctx, c, msgs[i]); err != nil {
				break // only without a BatchStore: then changes has one element
			}
		}
	}
	since(&e.stats.commit, start)
	office := changes[0].Office
	if err != nil {
		o.state = o.view.Load().state.Clone()
		if errors.Is(err, ErrNotOwner) {
			// Fenced: another process took the office over.
			o.follower = true
			return &NotOwnerError{Office: office}
		}
		if outcomeUnknown(err) {
			o.stale = true
			e.log.Error("commit failed: the database was lost, the outcome is unknown; the office is reloaded before its next change", "office", office, "changes", len(changes), "err", err)
			return fmt.Errorf("save change of office %s: %w", office, err)
		}
		e.log.Error("commit failed; nothing changed", "office", office, "changes", len(changes), "err", err)
		return fmt.Errorf("save change of office %s: %w", office, err)
	}
	e.stats.batches.Add(1)
	e.stats.changes.Add(uint64(len(changes)))
	o.keys.committed(changes, e.keyWindow)
	e.noticesCommitted(o, told)
	o.view.Store(e.makeView(o.state, now, est))
	if e.pub != nil {
		for i, c := range changes {
			for j, m := range msgs[i] {
				e.pub.Publish(c.Office, c.Events[j].Seq, m.Public, m.Staff)
			}
		}
	}
	return nil
}
