// Package config holds what the configurations of the kiosk, the display
// and the printer share: the Duration type of their JSON files and flags,
// and Load, which reads the defaults, then a JSON file, then the flags.
//
// Both programs read their settings the same way: the defaults, then the
// file named by -config (JSON, unknown keys refused), then the flags given
// on the command line, which win over the file.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// Duration is a time.Duration in a configuration file or on the command
// line.
//
// In JSON it is a Go duration string such as "750ms", "20s" or "1m30s"
// (time.ParseDuration), and MarshalJSON writes it that way. A bare whole
// number is read as nanoseconds, the way encoding/json writes a plain
// time.Duration: files written by Go code, or by hand for the printer's
// write_timeout, keep their meaning. A number with a fraction or an
// exponent is refused rather than guessed at. null leaves the value as it
// is (the default), as encoding/json does for its own types.
//
// As a flag (flag.Value) it takes the same strings as time.ParseDuration.
type Duration struct{ time.Duration }

// hint says how to write a duration; every parse error ends with it.
const hint = `write it like "750ms", "20s" or "1m30s"`

// ParseDuration reads s as a Go duration string ("750ms", "20s").
func ParseDuration(s string) (Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return Duration{}, fmt.Errorf("duration %q: %s", s, hint)
	}
	return Duration{v}, nil
}

// UnmarshalJSON reads "20s", or a whole number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("duration %s: %s", b, hint)
		}
		v, err := ParseDuration(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("duration %s: %s (a bare number is whole nanoseconds)", clip(b), hint)
	}
	d.Duration = time.Duration(n)
	return nil
}

// clip shortens what an error quotes of the input.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// MarshalJSON writes "20s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// Set is part of flag.Value: it reads a Go duration string.
func (d *Duration) Set(s string) error {
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// String is part of flag.Value; it writes "1m30s".
func (d Duration) String() string { return d.Duration.String() }

// Load fills into (a pointer to a configuration struct whose fields the
// flags of fs are bound to) from the command line args: what into and the
// flags hold before the call are the defaults; the JSON file named by the
// flag "config", if fs defines it and it is given, overrides them; the
// flags given override the file. readme names the document that lists
// the file's keys, for the error message. Load returns flag.ErrHelp for
// -h and an error for an argument that is not a flag.
//
// The flags are parsed twice, before the file (to learn its name) and
// after it (so that they win), so a flag.Value must replace its value on
// Set rather than add to it.
func Load(fs *flag.FlagSet, args []string, into any, readme string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: every setting is a flag (see -h)", fs.Arg(0))
	}
	f := fs.Lookup("config")
	if f == nil || f.Value.String() == "" {
		return nil
	}
	if err := ReadFile(f.Value.String(), into, readme); err != nil {
		return err
	}
	return fs.Parse(args)
}

// ReadFile decodes the JSON file path into into, keeping the fields the
// file does not name. It refuses unknown keys (a misspelt key would
// otherwise be silently ignored) and anything after the JSON object.
func ReadFile(path string, into any, readme string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read the configuration file: %w", err)
	}
	return Decode(data, into, fmt.Sprintf("configuration file %s", path), readme)
}

// Decode decodes one JSON value from data into into like ReadFile; what
// names the input in errors.
func Decode(data []byte, into any, what, readme string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s is empty: write one JSON object (see %s for its keys)", what, readme)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("%s: %w (see %s for its keys)", what, err, readme)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: text after the JSON object: write one object (see %s)", what, readme)
	}
	return nil
}
