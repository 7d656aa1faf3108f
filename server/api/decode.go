package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/queue"
)

// readBody reads a request body of at most max bytes. An empty body gives
// nil. A body needs Content-Type application/json (415 otherwise); a
// larger one gives 413.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		return nil, newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", max)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", max)
	}
	if err != nil {
		// A transport error (a body shorter than its Content-Length, a
		// reset, a timeout) names the server's and the client's sockets:
		// it is logged, and the client gets a fixed text.
		e := badRequest("unreadable_body", "the request body ended before its declared length or could not be read: send the whole body again")
		e.cause = err
		return nil, e
	}
	if len(b) == 0 {
		return nil, nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, newError(http.StatusUnsupportedMediaType, "not_json", "send the request body as JSON with Content-Type: application/json")
	}
	return b, nil
}

// decodeBody reads the request body (readBody) and decodes it with dec.
// When either fails it answers the error itself and ok is false.
func decodeBody[T any](w http.ResponseWriter, r *http.Request, s *Server, dec func([]byte) (T, error)) (v T, ok bool) {
	data, err := readBody(w, r, s.cfg.MaxBody)
	if err == nil {
		v, err = dec(data)
	}
	if err != nil {
		s.fail(w, r, err)
		return v, false
	}
	return v, true
}

// decodeStrict decodes exactly one JSON value from data into dst, refusing
// unknown fields and anything after the value.
func decodeStrict(data []byte, dst any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return badRequest("empty_body", "the request body is empty: send a JSON object")
	}
	if !utf8.Valid(data) {
		return badRequest("invalid_json", "the request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return badRequest("invalid_json", "field {field} must be a JSON {type}", "field", fmt.Sprintf("%q", ute.Field), "type", ute.Type.Kind())
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return badRequest("unknown_field", "the request has a field this API does not know: {field}", "field", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return badRequest("invalid_json", "the request body is not valid JSON: {detail}", "detail", err.Error())
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("invalid_json", "the request body has data after the JSON object; send exactly one object")
	}
	return nil
}

// cleanText NFC-normalises free text typed by people (so that a name typed
// with combining marks and the same name precomposed are one name), trims
// it, and checks it like every name of the domain (no control characters,
// at most queue.MaxNameLen characters). It keeps emoji and any script.
func cleanText(what, s string, required bool) (string, error) {
	s = strings.TrimSpace(norm.NFC.String(s))
	if err := queue.CheckName(what, s, required); err != nil {
		return "", domainError(http.StatusBadRequest, "invalid_"+strings.ReplaceAll(what, " ", "_"), err)
	}
	return s, nil
}

func checkID(what, s string, required bool) error {
	if s == "" && !required {
		return nil
	}
	if s == "" {
		return badRequest("invalid_"+what, "{what} is required", "what", what)
	}
	if !queue.ValidID(s) {
		return badRequest("invalid_"+what, "{what} {id} is not a valid id: ids are 1–32 lower-case letters, digits, '-' or '_'", "what", what, "id", fmt.Sprintf("%q", truncate(s, 40)))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// IssueBody is the body of POST /offices/{office}/tickets.
type IssueBody struct {
	Service  string         `json:"service"`
	Priority queue.Priority `json:"priority"`
}

// decodeIssue decodes and checks an issue request. Priority "none" is the
// same as no priority.
func decodeIssue(data []byte) (IssueBody, error) {
	var b IssueBody
	if err := decodeStrict(data, &b); err != nil {
		return IssueBody{}, err
	}
	if err := checkID("service", b.Service, true); err != nil {
		return IssueBody{}, err
	}
	if b.Priority == "none" {
		b.Priority = queue.PriorityNone
	}
	if !b.Priority.Valid() {
		return IssueBody{}, badRequest("invalid_priority", "priority {priority} is unknown: use elderly, disabled, pregnant, merit, or leave it out", "priority", fmt.Sprintf("%q", truncate(string(b.Priority), 40)))
	}
	return b, nil
}

// SessionBody is the body of POST /sessions.
type SessionBody struct {
	Office  string `json:"office"`
	Counter string `json:"counter"`
	Staff   string `json:"staff"`
	PIN     string `json:"pin"`
}

// maxPIN is below bcrypt's 72-byte limit.
const maxPIN = 32

func decodeSession(data []byte) (SessionBody, error) {
	var b SessionBody
	if err := decodeStrict(data, &b); err != nil {
		return SessionBody{}, err
	}
	if err := checkID("office", b.Office, true); err != nil {
		return SessionBody{}, err
	}
	if err := checkID("staff", b.Staff, true); err != nil {
		return SessionBody{}, err
	}
	if err := checkID("counter", b.Counter, false); err != nil {
		return SessionBody{}, err
	}
	if b.PIN == "" || len(b.PIN) > maxPIN {
		return SessionBody{}, badRequest("invalid_pin", "pin is required and at most {max} characters", "max", maxPIN)
	}
	return b, nil
}

// TransferBody is the body of POST /counters/{id}/transfer.
type TransferBody struct {
	Service string `json:"service"`
	Counter string `json:"counter"`
	ToEnd   bool   `json:"to_end"`
}

func decodeTransfer(data []byte) (TransferBody, error) {
	var b TransferBody
	if err := decodeStrict(data, &b); err != nil {
		return TransferBody{}, err
	}
	if err := checkID("service", b.Service, false); err != nil {
		return TransferBody{}, err
	}
	if err := checkID("counter", b.Counter, false); err != nil {
		return TransferBody{}, err
	}
	if b.Service == "" && b.Counter == "" {
		return TransferBody{}, badRequest("invalid_transfer", "say where to transfer the ticket: a service, a counter, or both")
	}
	return b, nil
}

// CallBody is the body of POST /counters/{id}/call.
type CallBody struct {
	Number string `json:"number"`
}

func decodeCall(data []byte) (CallBody, error) {
	var b CallBody
	if err := decodeStrict(data, &b); err != nil {
		return CallBody{}, err
	}
	b.Number = strings.ToUpper(strings.TrimSpace(b.Number))
	if b.Number == "" || len(b.Number) > 12 {
		return CallBody{}, badRequest("invalid_number", "number is required, as shown on the ticket (e.g. A001 or 1023)")
	}
	for _, r := range b.Number {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return CallBody{}, badRequest("invalid_number", "number {number} is not a ticket number: use letters and digits as shown on the ticket (e.g. A001)", "number", fmt.Sprintf("%q", truncate(b.Number, 20)))
		}
	}
	return b, nil
}

// decodeEmpty accepts no body, or an empty JSON object, for actions that
// take no arguments.
func decodeEmpty(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var b struct{}
	return decodeStrict(data, &b)
}

// DeviceBody is the body of POST /admin/devices.
type DeviceBody struct {
	// ID is the device's id, chosen by the administrator; "" for a random
	// one (auth.RegisterDevice).
	ID   string           `json:"id,omitempty"`
	Name string           `json:"name"`
	Kind queue.DeviceKind `json:"kind"`
	// Counter is the counter a station is bound to (required for a
	// station, refused for the other kinds).
	Counter string `json:"counter,omitempty"`
}

func decodeDevice(data []byte) (DeviceBody, error) {
	var b DeviceBody
	if err := decodeStrict(data, &b); err != nil {
		return DeviceBody{}, err
	}
	if b.ID != "" && !queue.ValidID(b.ID) {
		return DeviceBody{}, badRequest("invalid_device_id", "device id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_', or leave it out for a random one", "id", fmt.Sprintf("%q", truncate(b.ID, 40)))
	}
	name, err := cleanText("device name", b.Name, true)
	if err != nil {
		return DeviceBody{}, err
	}
	b.Name = name
	if b.Kind != queue.DeviceKiosk && b.Kind != queue.DeviceDisplay && b.Kind != queue.DeviceStation {
		return DeviceBody{}, badRequest("invalid_kind", "device kind {kind} is unknown: use {kiosk}, {display} or {station}", "kind", fmt.Sprintf("%q", truncate(string(b.Kind), 20)), "kiosk", fmt.Sprintf("%q", queue.DeviceKiosk), "display", fmt.Sprintf("%q", queue.DeviceDisplay), "station", fmt.Sprintf("%q", queue.DeviceStation))
	}
	if err := checkID("counter", b.Counter, false); err != nil {
		return DeviceBody{}, err
	}
	return b, nil
}

// StatusBody is the body of POST /devices/status.
type StatusBody struct {
	// Status is a short word: "ok", "paper_end", "cover_open", "offline" …
	Status string `json:"status"`
	// Message is a sentence for staff, e.g. the printer fault in words.
	Message string `json:"message"`
}

func decodeStatus(data []byte) (StatusBody, error) {
	var b StatusBody
	if err := decodeStrict(data, &b); err != nil {
		return StatusBody{}, err
	}
	if !queue.ValidID(b.Status) {
		return StatusBody{}, badRequest("invalid_status", "status must be a short word of lower-case letters, digits, '-' or '_', such as ok or paper_end")
	}
	msg, err := cleanText("message", b.Message, false)
	if err != nil {
		return StatusBody{}, err
	}
	b.Message = msg
	return b, nil
}
