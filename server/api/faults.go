package api

import (
	"errors"
	"net/http"

	"luot/server/queue"
)

// storageFault turns a storage failure the store could classify into a
// 503 that says what is wrong, so that operators and kiosks can tell a
// full disk from a database held locked by a backup; nil for any other
// error (answered with the generic 503).
func (s *Server) storageFault(err error) *Error {
	switch f := s.st.Fault(err); {
	case errors.Is(f, queue.ErrStorageFull):
		return newError(http.StatusServiceUnavailable, "storage_full",
			"storage full: the server's disk is full, so nothing was changed; free disk space on the server — it recovers by itself")
	case errors.Is(f, queue.ErrStorageBusy):
		return newError(http.StatusServiceUnavailable, "storage_busy",
			"storage busy: the database is locked by another program (a backup?) for too long; nothing was changed — try again in a moment")
	case errors.Is(f, queue.ErrUnavailable):
		return newError(http.StatusServiceUnavailable, "database_unavailable",
			"database unavailable: the server cannot reach its database (restarting or unreachable); if the connection broke while saving, the change may have been kept — send the same request again (with the same idempotency key) in a moment")
	case errors.Is(f, queue.ErrStorageIO):
		return newError(http.StatusServiceUnavailable, "storage_error",
			"storage error: the server's disk failed to read or write (is it full?); nothing was changed — try again, and check the disk")
	}
	return nil
}
