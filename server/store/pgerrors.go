package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// migrationLockKey is the advisory lock (one bigint key: "luot" in ASCII)
// that serializes the migrations of processes starting together. Office
// ownership uses the two-key form, a space that does not overlap it.
const migrationLockKey = "1819635572"

// pgCode returns the SQLSTATE of a PostgreSQL error in err, or "".
func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// pgUnavailable reports whether err, returned by the PostgreSQL driver,
// says the server could not be reached or went away: a refused or broken
// connection, the server shutting down, starting up or in recovery, too
// many connections. The generic errors it accepts (an end of file, a
// broken pipe …) mean that only from the driver: see pgDriverUnavailable.
func pgUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if code := pgCode(err); code != "" {
		return pgUnavailableCode(code)
	}
	if pgDriverUnavailable(err) {
		return true
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ENOENT) { // the unix socket is gone with the server
		return true
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return true
	}
	return pgconn.Timeout(err) && !errors.Is(err, context.Canceled)
}

// pgDriverUnavailable reports the errors that only pgx makes and that mean
// the server is out of reach — safe to test on any error (Fault does).
func pgDriverUnavailable(err error) bool {
	if pgUnavailableCode(pgCode(err)) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	// A pooled connection that died with the server, used again.
	return errors.Is(err, pgconn.ErrConnClosed)
}

// pgUnavailableCode reports whether a SQLSTATE says the server cannot
// serve: a connection exception, the server shutting down or starting up,
// too many connections.
func pgUnavailableCode(code string) bool {
	switch {
	case code == "57P01", code == "57P02", code == "57P03", code == "53300":
		return true
	case len(code) == 5 && code[:2] == "08":
		return true
	}
	return false
}

// pgFault classifies PostgreSQL's own storage errors: a full disk, an I/O
// error, a lock or serialization timeout.
func pgFault(err error) error {
	code := pgCode(err)
	switch {
	case code == "53100": // disk full
		return ErrStorageFull
	case code == "58030": // io_error
		return ErrStorageIO
	case code == "55P03", code == "40P01", code == "40001": // lock not available, deadlock, serialization
		return ErrStorageBusy
	}
	return nil
}

// classify wraps err with ErrUnavailable when the database cannot be
// reached, so that callers and the API can tell it from a bug.
func classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !pgUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
