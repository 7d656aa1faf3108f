package api

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"luot/server/engine"
	"luot/server/msgtext"
	"luot/server/queue"
)

// Error is an API error: an HTTP status, a stable code for machines and a
// message for people that says what happened and what to do.
//
// Message is in English; Template and Args are what it was made from, so
// that the answer can say it in the language the request asks for (see
// [msgtext]).
type Error struct {
	Status   int
	Code     string
	Message  string
	Template string
	Args     map[string]string
	// cause is the detail behind a fixed message (a transport error that
	// names the sockets): fail logs it; the client never sees it.
	cause error
}

func (e *Error) Error() string { return e.Message }

// newError makes an API error from an English template with named
// parameters and their values as name, value pairs (see [queue.NewError]).
func newError(status int, code, template string, args ...any) *Error {
	qe := queue.NewError("", code, template, args...)
	return &Error{Status: status, Code: code, Message: qe.Message, Template: template, Args: qe.Args}
}

func badRequest(code, template string, args ...any) *Error {
	return newError(http.StatusBadRequest, code, template, args...)
}

// domainError is err, a check of the domain's that refused a request's
// field, as an API error with code: it keeps the domain's template so that
// it is said in the request's language.
func domainError(status int, code string, err error) *Error {
	var qe *queue.Error
	if errors.As(err, &qe) {
		return &Error{Status: status, Code: code, Message: qe.Message, Template: qe.Template, Args: qe.Args}
	}
	return &Error{Status: status, Code: code, Message: err.Error(), Template: err.Error()}
}

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

// writeError answers e with its message in the language r asks for.
func writeError(w http.ResponseWriter, r *http.Request, e *Error) {
	var b errorBody
	b.Error.Code = e.Code
	b.Error.Message = msgtext.Say(msgtext.Lang(r.Header.Get("Accept-Language")), e.Template, e.Args, e.Message)
	writeJSON(w, e.Status, &b)
}

// fail answers err: an *Error as is, a domain error by its kind, anything
// else (a store failure) as 503 "try again", logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var noe *engine.NotOwnerError
	if errors.As(err, &noe) {
		// Another process owns the office: nothing was done. The cluster's
		// forwarder (server/cluster) sees the header and sends the request
		// to the owner; a client that gets this answer tries again.
		w.Header().Set(engine.OwnerNeededHeader, noe.Office)
		w.Header().Set("Retry-After", "1")
		writeError(w, r, errOfficeMoving)
		return
	}
	var ae *Error
	if errors.As(err, &ae) {
		if ae.cause != nil {
			s.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", ae.Code, "err", ae.cause)
		}
		if (ae.Status == http.StatusTooManyRequests || ae.Status == http.StatusServiceUnavailable) && w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", "5") // unless the caller knows better (a lock-out's end)
		}
		writeError(w, r, ae)
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
		b.Error.Code = cmp.Or(qe.Code, string(qe.Kind))
		b.Error.Message = msgtext.Say(msgtext.Lang(r.Header.Get("Accept-Language")), qe.Template, qe.Args, qe.Message)
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
		writeError(w, r, f)
		return
	}
	w.Header().Set("Retry-After", "2")
	writeError(w, r, errUnavailable)
}

var errOfficeMoving = newError(http.StatusServiceUnavailable, "office_moving",
	"another server process is taking this office over; nothing was changed — try again in a moment")

var errUnavailable = newError(http.StatusServiceUnavailable, "unavailable",
	"the server could not complete the request because its storage is failing; nothing was changed — try again in a moment")
