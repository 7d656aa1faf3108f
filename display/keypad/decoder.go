// Package keypad reads a serial keypad for the counter station: a small
// keypad on an RS-232 or USB-CDC port that sends ASCII codes, either one
// code per line or one byte per key. Its codes are turned into key names
// (Fyne's names: "+", "KP_Enter", "1" …) by configuration, so that the
// station's one key map (stationstate.KeyMap) serves it and a USB keypad
// alike.
package keypad

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Framing is how a keypad separates its codes.
type Framing string

// Framings.
const (
	// Lines: one code per line, ended by CR, LF or both ("F1\r\n").
	Lines Framing = "line"
	// Bytes: every byte is a code ('1', '+', '\r').
	Bytes Framing = "byte"
)

// maxLine bounds a code in line framing: a longer line is noise (a wrong
// baud rate) and is dropped.
const maxLine = 64

// DefaultByteCodes name the control bytes of a keypad in byte framing;
// printable bytes are their own key names ('1' is "1", '+' is "+").
var DefaultByteCodes = map[string]string{
	"\r":   "KP_Enter",
	"\b":   "BackSpace",
	"\x7f": "BackSpace",
	"\x1b": "Escape",
}

// Decoder turns the bytes a keypad sends into key names. It keeps a line
// in progress between Feeds, so bytes may arrive in any pieces.
type Decoder struct {
	framing  Framing
	codes    map[string]string
	line     []byte
	overlong bool
	// Dropped counts codes that were noise: overlong lines, control
	// bytes with no name.
	Dropped int
}

// NewDecoder returns a decoder for a framing ("" is Lines) and a code
// table (code → key name). A code not in the table that is printable
// ASCII is its own key name, so digits and + - * / . need no entry.
func NewDecoder(f Framing, codes map[string]string) (*Decoder, error) {
	if f == "" {
		f = Lines
	}
	if err := checkCodes(f, codes); err != nil {
		return nil, err
	}
	d := &Decoder{framing: f, codes: map[string]string{}}
	if f == Bytes {
		for c, k := range DefaultByteCodes {
			d.codes[c] = k
		}
	}
	for c, k := range codes {
		d.codes[c] = k
	}
	return d, nil
}

func checkCodes(f Framing, codes map[string]string) error {
	if f != Lines && f != Bytes {
		return fmt.Errorf("keypad: framing %q: use %q (one code per line) or %q (one byte per key)", f, Lines, Bytes)
	}
	cs := make([]string, 0, len(codes))
	for c := range codes {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	var errs []error
	for _, c := range cs {
		k := codes[c]
		switch {
		case c == "":
			errs = append(errs, errors.New("keypad: codes: an empty code: remove it"))
		case f == Bytes && len(c) != 1:
			errs = append(errs, fmt.Errorf("keypad: codes: %q is not one byte, but framing is %q: use framing %q for codes of several characters", c, f, Lines))
		case f == Lines && (strings.ContainsAny(c, "\r\n") || len(c) > maxLine || strings.TrimSpace(c) != c):
			errs = append(errs, fmt.Errorf("keypad: codes: %q cannot be a line's code (no CR, LF or spaces around it, at most %d bytes)", c, maxLine))
		}
		if strings.TrimSpace(k) == "" {
			errs = append(errs, fmt.Errorf("keypad: codes: %q names no key: give a key name such as \"+\" or \"KP_Enter\"", c))
		}
	}
	return errors.Join(errs...)
}

// Feed takes bytes as they came and returns the key names of the codes
// they complete, in order.
func (d *Decoder) Feed(b []byte) []string {
	var out []string
	for _, c := range b {
		if d.framing == Bytes {
			if k := d.name(string([]byte{c})); k != "" {
				out = append(out, k)
			} else if c != '\n' { // the LF of a CR LF pair is no key
				d.Dropped++
			}
			continue
		}
		switch {
		case c == '\r' || c == '\n':
			if d.overlong {
				d.Dropped++
			} else if code := strings.TrimSpace(string(d.line)); code != "" {
				if k := d.name(code); k != "" {
					out = append(out, k)
				} else {
					d.Dropped++
				}
			}
			d.line, d.overlong = d.line[:0], false
		case len(d.line) >= maxLine:
			d.overlong = true
		default:
			d.line = append(d.line, c)
		}
	}
	return out
}

// Reset forgets a line in progress (the keypad was unplugged mid-line).
func (d *Decoder) Reset() { d.line, d.overlong = d.line[:0], false }

// name is a code's key name, "" for noise.
func (d *Decoder) name(code string) string {
	if k, ok := d.codes[code]; ok {
		return k
	}
	for i := 0; i < len(code); i++ {
		if code[i] <= ' ' || code[i] > '~' {
			return ""
		}
	}
	return code
}
