package api

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"luot/server/queue"
)

// Error is an API error: an HTTP status, a stable code for machines and a
// message for people that says what happened and what to do.
type Error struct {
	Status  int
	Code    string
	Message string
	// cause is the detail behind a fixed message (a transport error that
	// names the sockets): fail logs it; the client never sees it.
	cause error
}

func (e *Error) Error() string { return e.Message }

func newError(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

func badRequest(code, msg string) *Error { return newError(http.StatusBadRequest, code, msg) }

// errorBody is the JSON shape of every error answer. come_back_at (RFC
// 3339, in the office's timezone) is there only when the server knows when
// the refusal ends — a booking checked in too early, an office closed now
// that opens again within a month — so that clients need not read the
// time out of the message.
type errorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		ComeBackAt string `json:"come_back_at,omitempty"`
	} `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v == nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client may be gone; nothing to do
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	writeJSON(w, status, &b)
}

// fail answers err: an *Error as is, a domain error by its kind, anything
// else (a store failure) as 503 "try again", logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *Error
	if errors.As(err, &ae) {
		if ae.cause != nil {
			s.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", ae.Code, "err", ae.cause)
		}
		if (ae.Status == http.StatusTooManyRequests || ae.Status == http.StatusServiceUnavailable) && w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", "5") // unless the caller knows better (a lock-out's end)
		}
		writeError(w, ae.Status, ae.Code, ae.Message)
		return
	}
	var qe *queue.Error
	if errors.As(err, &qe) {
		status := http.StatusBadRequest
		switch qe.Kind {
		case queue.KindNotFound:
			status = http.StatusNotFound
		case queue.KindConflict:
			status = http.StatusConflict
		case queue.KindClosed:
			status = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "60")
		case queue.KindForbidden:
			status = http.StatusForbidden
		}
		var b errorBody
		b.Error.Code, b.Error.Message = cmp.Or(qe.Code, string(qe.Kind)), qe.Message
		if !qe.ComeBackAt.IsZero() {
			b.Error.ComeBackAt = qe.ComeBackAt.Format(time.RFC3339)
		}
		writeJSON(w, status, &b)
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client left; nobody reads the answer
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	if f := s.storageFault(err); f != nil {
		w.Header().Set("Retry-After", "5")
		writeError(w, f.Status, f.Code, f.Message)
		return
	}
	w.Header().Set("Retry-After", "2")
	writeError(w, http.StatusServiceUnavailable, "unavailable",
		"the server could not complete the request because its storage is failing; nothing was changed — try again in a moment")
}
