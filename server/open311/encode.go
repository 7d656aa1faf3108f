package open311

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"time"

	"luot/server/msgtext"
	"luot/server/queue"
)

// format is how an answer is written: the suffix of the resource's path.
type format string

const (
	formatJSON format = "json"
	formatXML  format = "xml"
)

// contentType is the answer's Content-Type, as the spec's "Format Support"
// names them.
func (f format) contentType() string {
	if f == formatJSON {
		return "application/json; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

// splitFormat cuts the format suffix off the last segment of a resource
// path: "requests.json" → "requests", json. ok is false when there is no
// suffix; an unknown suffix is returned as is for the caller to refuse.
func splitFormat(p string) (base string, f format, ok bool) {
	i := strings.LastIndexByte(p, '.')
	if i < 0 || strings.LastIndexByte(p, '/') > i {
		return p, "", false
	}
	return p[:i], format(p[i+1:]), true
}

// xmlHeader is the declaration that precedes the root element: "the root
// element must be preceded with the XML declaration including the
// encoding="UTF-8" attribute".
const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// write answers v in format f with status.
func write(w http.ResponseWriter, f format, status int, v any) {
	w.Header().Set("Content-Type", f.contentType())
	w.WriteHeader(status)
	if f == formatJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(true)
		_ = enc.Encode(v) // the client may be gone; nothing to do
		return
	}
	_, _ = w.Write([]byte(xmlHeader))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(v)
	_, _ = w.Write([]byte("\n"))
}

// w3c writes a time as the spec's dates ("a common subset of ISO 8601 as
// per the w3 note", with the zone): in the office's time zone, to the
// second.
func w3c(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(time.RFC3339)
}

// parseW3C reads a date of a query (start_date, end_date) in the W3C
// note's forms: a complete date and time with seconds (and fraction) or
// minutes, with its zone ("Z" or ±hh:mm), or a date alone (YYYY-MM-DD,
// midnight in loc). A '+' of the zone that the query string turned into a
// space (an unencoded "+07:00") is read as '+'.
func parseW3C(s string, loc *time.Location) (time.Time, bool) {
	if len(s) > 40 {
		return time.Time{}, false
	}
	if i := strings.LastIndexByte(s, ' '); i > 0 && strings.Contains(s[:i], "T") {
		s = s[:i] + "+" + s[i+1:]
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// Error is an Open311 error: an HTTP status and a domain error (its code
// for logs and tests, its template said in the reader's language).
type Error struct {
	Status int
	Err    *queue.Error
}

func (e *Error) Error() string { return e.Err.Message }

func (e *Error) Unwrap() error { return e.Err }

// newError makes an Open311 error from an English template with named
// parameters and their values as name, value pairs (see [queue.NewError]).
// Its kind follows the status.
func newError(status int, code, template string, args ...any) *Error {
	kind := queue.KindInvalid
	switch status {
	case http.StatusNotFound:
		kind = queue.KindNotFound
	case http.StatusForbidden:
		kind = queue.KindForbidden
	}
	return &Error{Status: status, Err: queue.NewError(kind, code, template, args...)}
}

// errorXML is one error of the spec's XML: <errors><error><code>…
type errorXML struct {
	Code        int    `xml:"code" json:"code"`
	Description string `xml:"description" json:"description"`
}

type errorsXML struct {
	XMLName xml.Name   `xml:"errors" json:"-"`
	Errors  []errorXML `xml:"error"`
}

// statusOf is the HTTP status of an error: an *Error's own; a domain
// error's by its kind ("404 for resources that don't exist, 403 for
// errors because of wrong or missing api_key and basically 400 for any
// other error"); 0 for anything else (a failure of the server).
func statusOf(err error) int {
	var oe *Error
	if errors.As(err, &oe) {
		return oe.Status
	}
	switch queue.KindOf(err) {
	case "":
		return 0
	case queue.KindNotFound:
		return http.StatusNotFound
	case queue.KindForbidden:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// writeError answers the errors in the spec's shape, in JSON
// [{"code", "description"}] or XML <errors><error>…, with the HTTP status
// of the first. Each description is in the language the request asks for
// (Accept-Language; Vietnamese by default). The code in the body is the
// HTTP status, as the spec's examples have it.
func writeError(w http.ResponseWriter, r *http.Request, f format, errs ...*Error) {
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	out := make([]errorXML, 0, len(errs))
	for _, e := range errs {
		out = append(out, errorXML{Code: e.Status, Description: msgtext.Say(lang, e.Err.Template, e.Err.Args, e.Err.Message)})
	}
	if f != formatJSON {
		f = formatXML // "XML is a required format": the answer to a path without a known suffix
	}
	if f == formatJSON {
		write(w, f, errs[0].Status, out)
		return
	}
	write(w, f, errs[0].Status, errorsXML{Errors: out})
}

// wrapDomain is a domain error (a check of server/feedback's) as an Open311
// error with status: it keeps the domain's template, so that it is said in
// the request's language.
func wrapDomain(status int, err error) *Error {
	var qe *queue.Error
	if !errors.As(err, &qe) {
		qe = &queue.Error{Kind: queue.KindInvalid, Message: err.Error()}
	}
	return &Error{Status: status, Err: qe}
}
