package store

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"luot/server/queue"
)

// Storage faults, for errors.Is on the errors the store returns (through
// Fault): the API answers them with a 503 that says what is wrong. They
// are the domain's sentinels (queue.ErrStorageFull …).
var (
	// ErrStorageFull: the disk (or quota) is full; nothing was written.
	ErrStorageFull = queue.ErrStorageFull
	// ErrStorageBusy: another process (a backup tool, a sqlite3 shell)
	// held the database locked for longer than BusyTimeout; nothing was
	// written.
	ErrStorageBusy = queue.ErrStorageBusy
	// ErrStorageIO: the disk failed to read or write; nothing was written.
	ErrStorageIO = queue.ErrStorageIO
	// ErrUnavailable: the PostgreSQL server cannot be reached (refused,
	// lost, shutting down, in recovery); nothing unacknowledged was
	// written. The pool reconnects by itself once it is back.
	ErrUnavailable = queue.ErrUnavailable
)

// Fault classifies a store error (DB.Fault does the same for callers
// that know the store only by an interface): it returns ErrStorageFull,
// ErrStorageBusy, ErrStorageIO or ErrUnavailable when err (or an error it
// wraps) is such a SQLite, PostgreSQL or system failure, and nil
// otherwise.
func Fault(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrStorageFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return ErrStorageFull
	}
	if errors.Is(err, ErrStorageBusy) {
		return ErrStorageBusy
	}
	if errors.Is(err, ErrStorageIO) {
		return ErrStorageIO
	}
	// The PostgreSQL driver (pgConn) wraps the errors of a server out of
	// reach with ErrUnavailable; the generic tests of pgUnavailable (EOF,
	// a broken pipe …) are not applied here, where any error may come.
	if errors.Is(err, ErrUnavailable) || pgDriverUnavailable(err) {
		return ErrUnavailable
	}
	if f := pgFault(err); f != nil {
		return f
	}
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return ErrStorageFull
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ErrStorageBusy
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		// SQLite reports a full disk met while writing the WAL or the
		// journal as an I/O error (SQLITE_IOERR_WRITE and kin).
		return ErrStorageIO
	}
	return nil
}

// Fault classifies err as the package's Fault does.
func (db *DB) Fault(err error) error { return Fault(err) }
