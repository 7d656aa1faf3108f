package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// ProcessesLock is the text of the advisory lock that keeps the two ways
// of running on PostgreSQL apart: a server without a cluster (no
// -advertise) holds it exclusively — it owns every office and nothing
// fences it —, each process of a cluster holds it shared. So a second
// lone server, or a lone server beside a cluster, is refused at start
// instead of writing beside another process that does not know of it.
const ProcessesLock = "luot server processes"

// UseAlone takes the database for this process alone, on PostgreSQL: it
// holds ProcessesLock exclusively on a connection of its own until release
// is called or the process ends (PostgreSQL frees a dead session's locks).
// It fails, taking nothing, when another server holds the lock alone or
// any process of a cluster holds it shared. On SQLite the data folder's
// lock does this, and UseAlone does nothing.
func (db *DB) UseAlone(ctx context.Context) (release func(), err error) {
	if !db.postgres() {
		return func() {}, nil
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take the database for this server: %w", err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended(?, 0))`, ProcessesLock).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("take the database for this server: %w", err)
	}
	if !ok {
		conn.Close()
		return nil, errors.New("another Lượt server uses this database: stop it, or run every server with -advertise and -cluster-secret-file as one cluster")
	}
	// The lock is let go explicitly, so that it is free when release
	// returns (a closed session's locks go only when its backend has
	// ended). Closing a database/sql Conn would return it to the pool,
	// lock and all, should the unlock fail: it is discarded instead.
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtextextended(?, 0))`, ProcessesLock)
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}, nil
}
