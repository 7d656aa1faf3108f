package store

import (
	"context"
	"errors"
	"fmt"

	"luot/server/queue"
)

// CommitBatch writes several changes in one durable transaction — the
// engine's group commit: one fsync for every command that queued up while
// the previous one was on disk. Each change is checked and written as by
// Commit, as if committed right after the one before it; if any fails,
// nothing at all is written and the error names the change.
func (db *DB) CommitBatch(ctx context.Context, changes []*queue.Change, events [][]queue.EncodedEvent) error {
	if len(changes) != len(events) {
		return fmt.Errorf("commit batch: %d changes but %d event lists", len(changes), len(events))
	}
	if len(changes) == 0 {
		return nil
	}
	for i, c := range changes {
		if c == nil {
			return errors.New("commit batch: nil change")
		}
		if len(events[i]) != len(c.Events) {
			return fmt.Errorf("commit change of office %s: %d events but %d encodings; encode every event once", c.Office, len(c.Events), len(events[i]))
		}
		if err := checkKeys(c); err != nil {
			return err
		}
	}
	office := changes[0].Office
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("commit %d changes of office %s: begin: %w", len(changes), office, err)
	}
	defer tx.Rollback()
	pos, err := db.readPos(ctx, tx, office)
	if err != nil {
		return fmt.Errorf("commit %d changes of office %s: %w", len(changes), office, err)
	}
	if db.hook != nil {
		// First, so that a fenced process learns that it lost the office
		// rather than that its seq is stale.
		seq := pos.seq
		for _, c := range changes {
			seq += int64(len(c.Events))
		}
		if err := db.hook(ctx, tx, office, seq); err != nil {
			return fmt.Errorf("commit %d changes of office %s: %w", len(changes), office, err)
		}
	}
	for i, c := range changes {
		if c.Office != office {
			return fmt.Errorf("commit change %d of %d: it is of office %s, the batch of office %s: %w", i+1, len(changes), c.Office, office, ErrConflict)
		}
		if err := db.commitTx(ctx, tx, c, events[i], &pos); err != nil {
			return fmt.Errorf("commit change %d of %d of office %s: %w", i+1, len(changes), c.Office, err)
		}
	}
	if err := db.writePos(ctx, tx, office, pos); err != nil {
		return fmt.Errorf("commit %d changes of office %s: %w", len(changes), office, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit %d changes of office %s: %w", len(changes), office, err)
	}
	return nil
}
