package config

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDurationJSON(t *testing.T) {
	good := []struct {
		in   string
		want time.Duration
	}{
		{`"750ms"`, 750 * time.Millisecond},
		{`"20s"`, 20 * time.Second},
		{`"1m30s"`, 90 * time.Second},
		{`"0"`, 0},
		{`"-2s"`, -2 * time.Second},
		{`"1h"`, time.Hour},
		{`"\u0032s"`, 2 * time.Second},
		{` "2s" `, 2 * time.Second},
		{`2000000000`, 2 * time.Second}, // nanoseconds, as encoding/json writes a time.Duration
		{`0`, 0},
		{`-1`, -1},
		{`9223372036854775807`, time.Duration(1<<63 - 1)},
	}
	for _, c := range good {
		var d Duration
		if err := json.Unmarshal([]byte(c.in), &d); err != nil || d.Duration != c.want {
			t.Errorf("%s: %v, %v; want %v", c.in, d, err, c.want)
		}
	}
	bad := []struct{ in, says string }{
		{`""`, `duration ""`},
		{`"20"`, `duration "20"`},
		{`"20 s"`, `duration "20 s"`},
		{`"abc"`, `"20s"`},
		{`"1.5.2s"`, `duration "1.5.2s"`},
		{`1.5`, `whole nanoseconds`},
		{`2e9`, `whole nanoseconds`},
		{`9223372036854775808`, `whole nanoseconds`},
		{`true`, `duration true`},
		{`{}`, `duration {}`},
		{`["2s"]`, `duration ["2s"]`},
	}
	for _, c := range bad {
		d := Duration{time.Minute}
		err := json.Unmarshal([]byte(c.in), &d)
		if err == nil || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), hint) {
			t.Errorf("%s: %v; want an error saying %q and how to write a duration", c.in, err, c.says)
		}
		if d.Duration != time.Minute {
			t.Errorf("%s changed the value to %v", c.in, d)
		}
	}
	// null keeps the default, as encoding/json does for its own types.
	d := Duration{time.Minute}
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d.Duration != time.Minute {
		t.Errorf("null: %v, %v; want the value kept", d, err)
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, v := range []time.Duration{0, 750 * time.Millisecond, 90 * time.Second, -3 * time.Hour, 1} {
		b, err := json.Marshal(Duration{v})
		if err != nil {
			t.Fatal(err)
		}
		var d Duration
		if err := json.Unmarshal(b, &d); err != nil || d.Duration != v {
			t.Errorf("%v → %s → %v, %v", v, b, d, err)
		}
	}
	if b, _ := json.Marshal(struct{ D Duration }{Duration{90 * time.Second}}); string(b) != `{"D":"1m30s"}` {
		t.Errorf("marshal: %s", b)
	}
}

func TestDurationFlag(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	d := Duration{time.Second}
	fs.Var(&d, "d", "a duration")
	if err := fs.Parse([]string{"-d", "750ms"}); err != nil || d.Duration != 750*time.Millisecond {
		t.Errorf("-d 750ms: %v, %v", d, err)
	}
	if err := fs.Parse([]string{"-d", "20"}); err == nil || !strings.Contains(err.Error(), hint) || d.Duration != 750*time.Millisecond {
		t.Errorf("-d 20: %v, %v; want an error and the value kept", d, err)
	}
}

// settings is a configuration like the kiosk's and the display's.
type settings struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Wait  Duration `json:"wait"`
	Blink Duration `json:"blink"`
}

func load(t *testing.T, args ...string) (settings, error) {
	t.Helper()
	c := settings{Name: "default", Count: 1, Wait: Duration{time.Second}, Blink: Duration{2 * time.Second}}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("config", "", "file")
	fs.StringVar(&c.Name, "name", c.Name, "")
	fs.IntVar(&c.Count, "count", c.Count, "")
	fs.Var(&c.Wait, "wait", "")
	fs.Var(&c.Blink, "blink", "")
	err := Load(fs, args, &c, "README.md")
	return c, err
}

func write(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.json")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadPrecedence(t *testing.T) {
	c, err := load(t)
	if err != nil || c.Name != "default" || c.Count != 1 || c.Wait.Duration != time.Second {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	file := write(t, `{"name": "file", "count": 5, "wait": "30s"}`)
	c, err = load(t, "-config", file)
	if err != nil || c.Name != "file" || c.Count != 5 || c.Wait.Duration != 30*time.Second || c.Blink.Duration != 2*time.Second {
		t.Errorf("file over defaults: %+v, %v", c, err)
	}
	// Flags win over the file, before or after -config.
	for _, args := range [][]string{
		{"-name", "flag", "-wait", "750ms", "-config", file},
		{"-config", file, "-name", "flag", "-wait", "750ms"},
	} {
		c, err = load(t, args...)
		if err != nil || c.Name != "flag" || c.Count != 5 || c.Wait.Duration != 750*time.Millisecond {
			t.Errorf("%q: %+v, %v; want the flags over the file", args, c, err)
		}
	}
	// A flag given with its default value still wins over the file.
	if c, err = load(t, "-config", file, "-count", "1"); err != nil || c.Count != 1 {
		t.Errorf("-count 1 over the file: %+v, %v", c, err)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		file string // "" for no file
		args []string
		says string
	}{
		{"", []string{"extra"}, `unexpected argument "extra"`},
		{"", []string{"-wait", "soon"}, `duration "soon"`},
		{"", []string{"-config", "/nonexistent/c.json"}, "read the configuration file"},
		{`{"nmae": "x"}`, nil, `unknown field "nmae"`},
		{`{"wait": "soon"}`, nil, `duration "soon"`},
		{`{"wait": 1.5}`, nil, "whole nanoseconds"},
		{`{"count": "5"}`, nil, "count"},
		{`{"name": "a"} {"name": "b"}`, nil, "text after the JSON object"},
		{`{"name": "a"`, nil, "unexpected EOF"},
		{``, nil, "is empty"},
		{`[]`, nil, "cannot unmarshal array"},
	}
	for _, c := range cases {
		args := c.args
		if c.file != "" || args == nil {
			args = append([]string{"-config", write(t, c.file)}, args...)
		}
		_, err := load(t, args...)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q %q: %v; want an error saying %q", c.file, args, err, c.says)
		}
		if err != nil && strings.HasPrefix(args[0], "-config") && c.file != "" && !strings.Contains(err.Error(), "README.md") {
			t.Errorf("%q: %v; want it to name the README", c.file, err)
		}
	}
	if _, err := load(t, "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v; want flag.ErrHelp", err)
	}
}

// FuzzDuration checks that any JSON input either decodes to a value that
// round-trips through MarshalJSON, or is refused with the hint and leaves
// the value unchanged.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{`"750ms"`, `"1m30s"`, `2000000000`, `null`, `""`, `1.5`, `"2h45m0.5s"`, `-9223372036854775808`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := Duration{42}
		err := d.UnmarshalJSON(b)
		if err != nil {
			if d.Duration != 42 || !strings.Contains(err.Error(), hint) {
				t.Fatalf("%q: %v, %v", b, d, err)
			}
			return
		}
		out, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Duration
		if err := back.UnmarshalJSON(out); err != nil || back != d {
			t.Fatalf("%q → %v → %s → %v, %v", b, d, out, back, err)
		}
	})
}
