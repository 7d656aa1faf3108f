package device

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"luot/display/stationstate"
	"luot/printer"
)

// Station is the counter station's part of the configuration: the same
// file and flags as the board, read when Counter is set (display -counter
// q3). The board ignores it.
type Station struct {
	// Counter is the counter this station stands at; setting it turns
	// counter mode on. The device key must be a station's registered for
	// this counter.
	Counter string `json:"counter"`
	// Language is the citizen's side's language, "vi" or "en"; the
	// screen returns to it after each citizen.
	Language string `json:"language"`
	// Rating asks the citizen to rate the service after done; false
	// shows the counter idle at once.
	Rating bool `json:"rating"`
	// Keys maps key names (Fyne key names of a USB keypad, or the codes
	// of a serial keypad) to actions: next, recall, start, done, no_show,
	// pause, open, sign_out. Empty: the defaults of a USB numeric keypad.
	Keys stationstate.KeyMap `json:"keys"`
	// StaffPrefix goes before a staff id typed as digits only on the
	// keypad (prefix "nv", typed 1: nv1).
	StaffPrefix string `json:"staff_prefix"`
	// KeypadSerial is a serial keypad's port ("" none).
	KeypadSerial string `json:"keypad_serial"`
	// KeypadMode is how the serial keypad sends its codes: "line" (one
	// code a line) or "byte" (each byte a key).
	KeypadMode string `json:"keypad_mode"`
	// KeypadBaud is the serial keypad's line speed.
	KeypadBaud int `json:"keypad_baud"`
	// Printer is the receipt printer's serial port, "virtual" for a
	// virtual printer on a pseudo-terminal that writes PNGs to
	// PrinterOut, or "" for none (print jobs then wait on the server).
	Printer string `json:"printer"`
	// PrinterProfile names the printer's profile ("" the default).
	PrinterProfile string `json:"printer_profile"`
	// PrinterOut is the virtual printer's folder ("" a new temporary one).
	PrinterOut string `json:"printer_out"`
	// Journal is the file of the print jobs printed, so that a restart
	// acknowledges them without printing again ("" a file named after the
	// counter in the user's configuration folder).
	Journal string `json:"journal"`
}

func stationDefaults() Station {
	return Station{Language: "vi", Rating: true, KeypadMode: "line", KeypadBaud: 9600}
}

// keysFlag is the -keys flag: a JSON object, like the file's "keys".
type keysFlag struct{ m *stationstate.KeyMap }

func (k keysFlag) String() string {
	if k.m == nil || *k.m == nil {
		return ""
	}
	b, _ := json.Marshal(*k.m)
	return string(b)
}

// Set reads a JSON object of key names to actions, replacing the map.
func (k keysFlag) Set(s string) error {
	var m stationstate.KeyMap
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return fmt.Errorf(`%w (write a JSON object of key names to actions, like {"F1":"next"})`, err)
	}
	*k.m = m
	return nil
}

func (s *Station) flags(fs *flag.FlagSet) {
	fs.StringVar(&s.Counter, "counter", s.Counter, "run as the counter station of this counter (e.g. q3); empty: the waiting-room board")
	fs.StringVar(&s.Language, "language", s.Language, `counter station: the citizen's language, "vi" or "en"`)
	fs.BoolVar(&s.Rating, "rating", s.Rating, "counter station: ask the citizen to rate the service after done")
	fs.Var(keysFlag{&s.Keys}, "keys", `counter station: key map, a JSON object of key names to actions (next, recall, start, done, no_show, pause, open, sign_out); empty: the numeric keypad's defaults`)
	fs.StringVar(&s.StaffPrefix, "staff-prefix", s.StaffPrefix, `counter station: put before a staff id typed as digits only (e.g. "nv": 1 signs in nv1)`)
	fs.StringVar(&s.KeypadSerial, "keypad-serial", s.KeypadSerial, "counter station: serial keypad's port (e.g. /dev/ttyUSB0); empty: none")
	fs.StringVar(&s.KeypadMode, "keypad-mode", s.KeypadMode, `counter station: serial keypad's codes, "line" (one code a line) or "byte" (a byte a key)`)
	fs.IntVar(&s.KeypadBaud, "keypad-baud", s.KeypadBaud, "counter station: serial keypad's line speed")
	fs.StringVar(&s.Printer, "printer", s.Printer, `counter station: receipt printer's serial port, or "virtual" (a pseudo-terminal printing PNGs to -printer-out); empty: none`)
	fs.StringVar(&s.PrinterProfile, "printer-profile", s.PrinterProfile, "counter station: printer profile ("+strings.Join(printer.ProfileNames(), ", ")+")")
	fs.StringVar(&s.PrinterOut, "printer-out", s.PrinterOut, "counter station: the virtual printer's folder for its PNGs; empty: a new temporary folder")
	fs.StringVar(&s.Journal, "journal", s.Journal, "counter station: file of the print jobs printed (kept across restarts); empty: in the user's configuration folder")
}

var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// validate checks the station's settings; the board's file may leave
// them at their defaults, but it may not set them without a counter.
func (s Station) validate() []error {
	var errs []error
	if s.Counter == "" {
		var set []string
		if len(s.Keys) > 0 {
			set = append(set, "keys")
		}
		if s.KeypadSerial != "" {
			set = append(set, "keypad_serial")
		}
		if s.Printer != "" {
			set = append(set, "printer")
		}
		if s.Journal != "" {
			set = append(set, "journal")
		}
		if len(set) > 0 {
			errs = append(errs, fmt.Errorf("%s set but no counter: the station's settings need -counter (e.g. -counter q3)", strings.Join(set, ", ")))
		}
		return errs
	}
	if !validID.MatchString(s.Counter) {
		errs = append(errs, fmt.Errorf("counter %q is not a counter id: use its id as the admin pages show it (e.g. q3)", s.Counter))
	}
	if s.Language != "vi" && s.Language != "en" {
		errs = append(errs, fmt.Errorf("language %q is not known: use \"vi\" or \"en\"", s.Language))
	}
	if err := s.Keys.Validate(); err != nil { // a map set in code, not read
		errs = append(errs, err)
	}
	if s.KeypadMode != "line" && s.KeypadMode != "byte" {
		errs = append(errs, fmt.Errorf("keypad mode %q is not known: use \"line\" (one code a line) or \"byte\" (a byte a key)", s.KeypadMode))
	}
	if s.KeypadBaud <= 0 || s.KeypadBaud > 4000000 {
		errs = append(errs, fmt.Errorf("keypad baud %d is out of range: use the keypad's speed, e.g. 9600", s.KeypadBaud))
	}
	if s.PrinterProfile != "" {
		if _, err := printer.LookupProfile(s.PrinterProfile); err != nil {
			errs = append(errs, err)
		}
	}
	if s.PrinterOut != "" && s.Printer != "virtual" {
		errs = append(errs, errors.New(`printer_out is the virtual printer's folder: set -printer virtual, or leave it empty`))
	}
	return errs
}

// JournalPath is the print journal's file: Journal, or
// station-COUNTER.journal in the user's configuration folder.
func (s Station) JournalPath() (string, error) {
	if s.Journal != "" {
		return s.Journal, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no folder for the print journal (%w): set -journal", err)
	}
	return filepath.Join(dir, "luot", "station-"+s.Counter+".journal"), nil
}
