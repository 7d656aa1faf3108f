// Package officefile reads and writes office configuration files: an
// office, its staff and its devices in one human-editable document, JSON
// with // comments. assets/demo/office.jsonc is the commented example.
package officefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	"luot/internal/jsonc"
	"luot/server/queue"
)

// MaxSize is the largest office file accepted.
const MaxSize = 1 << 20

// File is the content of an office file.
type File struct {
	Office  queue.Office `json:"office"`
	Staff   []Staff      `json:"staff"`
	Devices []Device     `json:"devices"`
}

// Staff is a staff member in an office file: either PIN (hashed on import,
// never kept) or PINHash (a bcrypt hash, as written by an export).
type Staff struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Title is shown under the name on the counter station.
	Title string     `json:"title,omitempty"`
	Role  queue.Role `json:"role"`
	// Unit is a handler's unit (department or ward of the feedback
	// configuration).
	Unit     string `json:"unit,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
	PIN      string `json:"pin,omitempty"`
	PINHash  string `json:"pin_hash,omitempty"`
}

// Device is a registered device in an office file: either Key (hashed on
// import) or KeyHash (hex SHA-256, as written by an export).
type Device struct {
	ID   string           `json:"id"`
	Name string           `json:"name"`
	Kind queue.DeviceKind `json:"kind"`
	// Counter is the counter a station is bound to (stations only).
	Counter string `json:"counter,omitempty"`
	Revoked bool   `json:"revoked,omitempty"`
	Key     string `json:"key,omitempty"`
	KeyHash string `json:"key_hash,omitempty"`
}

var (
	pinPattern     = regexp.MustCompile(`^[0-9]{4,12}$`)
	keyHashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// MinKeyLen is the shortest device key accepted.
const MinKeyLen = 8

// Parse reads an office file and validates it. Errors name the entry and
// field at fault.
func Parse(data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("office file is larger than %d bytes", MaxSize)
	}
	clean, err := jsonc.Strip(data)
	if err != nil {
		return nil, fmt.Errorf("office file, %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("office file is not valid: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("office file has data after its closing brace")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Validate checks the office, staff and devices of the file.
func (f *File) Validate() error {
	if err := f.Office.Validate(); err != nil {
		return fmt.Errorf("office: %w", err)
	}
	ids := map[string]bool{}
	for i, s := range f.Staff {
		switch {
		case !queue.ValidID(s.ID):
			return fmt.Errorf("staff %d: id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", i+1, s.ID)
		case ids[s.ID]:
			return fmt.Errorf("staff %s appears twice", s.ID)
		case s.Role != queue.RoleClerk && s.Role != queue.RoleAdmin && s.Role != queue.RoleModerator && s.Role != queue.RoleHandler && s.Role != queue.RoleProvince:
			return fmt.Errorf("staff %s: role %q must be clerk, admin, moderator, handler or province", s.ID, s.Role)
		case s.Role == queue.RoleHandler && s.Unit == "":
			return fmt.Errorf("staff %s: a handler needs \"unit\", the id of the unit (department or ward) they work for", s.ID)
		case s.Role != queue.RoleHandler && s.Unit != "":
			return fmt.Errorf("staff %s: only a handler has a \"unit\"; remove it for role %s", s.ID, s.Role)
		case s.Unit != "" && !queue.ValidID(s.Unit):
			return fmt.Errorf("staff %s: unit %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", s.ID, s.Unit)
		case (s.PIN == "") == (s.PINHash == ""):
			return fmt.Errorf("staff %s: give exactly one of pin and pin_hash", s.ID)
		case s.PIN != "" && !pinPattern.MatchString(s.PIN):
			return fmt.Errorf("staff %s: pin must be 4 to 12 digits", s.ID)
		case s.PINHash != "" && (len(s.PINHash) != 60 || s.PINHash[0] != '$'):
			return fmt.Errorf("staff %s: pin_hash is not a bcrypt hash", s.ID)
		}
		if err := queue.CheckName("staff name", s.Name, true); err != nil {
			return fmt.Errorf("staff %s: %w", s.ID, err)
		}
		if err := queue.CheckName("staff title", s.Title, false); err != nil {
			return fmt.Errorf("staff %s: %w", s.ID, err)
		}
		ids[s.ID] = true
	}
	ids = map[string]bool{}
	for i, d := range f.Devices {
		switch {
		case !queue.ValidID(d.ID):
			return fmt.Errorf("device %d: id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", i+1, d.ID)
		case ids[d.ID]:
			return fmt.Errorf("device %s appears twice", d.ID)
		case d.Kind != queue.DeviceKiosk && d.Kind != queue.DeviceDisplay && d.Kind != queue.DeviceStation:
			return fmt.Errorf("device %s: kind %q must be kiosk, display or station", d.ID, d.Kind)
		case d.Kind == queue.DeviceStation && f.Office.Counter(d.Counter) == nil:
			return fmt.Errorf("device %s: a station needs \"counter\", the id of a counter of the office (not %q)", d.ID, d.Counter)
		case d.Kind != queue.DeviceStation && d.Counter != "":
			return fmt.Errorf("device %s: only a station has a \"counter\"; remove it for kind %s", d.ID, d.Kind)
		case (d.Key == "") == (d.KeyHash == ""):
			return fmt.Errorf("device %s: give exactly one of key and key_hash", d.ID)
		case d.Key != "" && (len(d.Key) < MinKeyLen || len(d.Key) > 200):
			return fmt.Errorf("device %s: key must be %d to 200 characters", d.ID, MinKeyLen)
		case d.KeyHash != "" && !keyHashPattern.MatchString(d.KeyHash):
			return fmt.Errorf("device %s: key_hash must be 64 lower-case hex digits (SHA-256)", d.ID)
		}
		if err := queue.CheckName("device name", d.Name, true); err != nil {
			return fmt.Errorf("device %s: %w", d.ID, err)
		}
		ids[d.ID] = true
	}
	return nil
}

// Encode writes the file as indented JSON (a valid office file; comments
// are not kept).
func Encode(w io.Writer, f *File) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}
