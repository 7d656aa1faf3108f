package store

import (
	"context"
	"database/sql"
)

// CommitHook runs inside every commit's transaction, once the office's
// stored position is read and before its changes are written, with the
// seq the office will have after them. An error aborts the commit: nothing is written.
// A cluster of processes on PostgreSQL fences the commit with it (the
// owner's epoch checked on the office's lease row, which a take-over
// updates) and sends the NOTIFY of the new seq, which PostgreSQL delivers
// only if the transaction commits. The hook runs its own SQL on tx in the
// database's dialect.
type CommitHook func(ctx context.Context, tx *sql.Tx, office string, seq int64) error

// SetCommitHook sets the hook of every commit from now on (nil: none).
// Call it before the store is used.
func (db *DB) SetCommitHook(h CommitHook) { db.hook = h }
