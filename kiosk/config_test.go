package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kiosk.json")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	c, err := loadConfig([]string{"-device-key", "k"})
	if err != nil || c.Server != "http://127.0.0.1:8080" || c.Office != "demo" || c.Printer.Profile != "epson-tm-t20iii" ||
		c.ResultTimeout.Duration != 20*time.Second || c.IdleTimeout.Duration != time.Minute || c.RefreshEvery.Duration != 0 {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	file := writeConfig(t, `{"server": "http://10.0.0.2:8080", "device_key": "from-file", "office": "q1",
		"printer": {"port": "/dev/ttyUSB0", "baud": 115200, "write_timeout": "3s", "read_timeout": 700000000},
		"result_timeout": "15s", "idle_timeout": 90000000000, "retry_every": "2s", "language": "en"}`)
	c, err = loadConfig([]string{"-config", file})
	if err != nil || c.Server != "http://10.0.0.2:8080" || c.DeviceKey != "from-file" || c.Office != "q1" || c.Language != "en" ||
		c.Printer.Port != "/dev/ttyUSB0" || c.Printer.Baud != 115200 || c.Printer.Profile != "epson-tm-t20iii" ||
		c.Printer.WriteTimeout.Duration != 3*time.Second || c.Printer.ReadTimeout.Duration != 700*time.Millisecond ||
		c.ResultTimeout.Duration != 15*time.Second || c.IdleTimeout.Duration != 90*time.Second || c.RetryEvery.Duration != 2*time.Second {
		t.Fatalf("file: %+v, %v", c, err)
	}
	// Flags win over the file, before or after -config.
	for _, args := range [][]string{
		{"-result-timeout", "5s", "-printer-baud", "9600", "-lang", "vi", "-config", file},
		{"-config", file, "-result-timeout", "5s", "-printer-baud", "9600", "-lang", "vi"},
	} {
		c, err = loadConfig(args)
		if err != nil || c.ResultTimeout.Duration != 5*time.Second || c.Printer.Baud != 9600 || c.Language != "vi" ||
			c.Printer.Port != "/dev/ttyUSB0" || c.IdleTimeout.Duration != 90*time.Second {
			t.Errorf("%q: %+v, %v", args, c, err)
		}
	}
}

func TestLoadConfigRefuses(t *testing.T) {
	cases := map[string]string{
		`{"device_key": "k", "result_timout": "5s"}`:               `unknown field "result_timout"`,
		`{"device_key": "k", "printer": {"prot": "/dev/ttyUSB0"}}`: `unknown field "prot"`,
		`{"device_key": "k", "idle_timeout": "a minute"}`:          `duration "a minute"`,
		`{"device_key": "k", "printer": {"write_timeout": 2.5}}`:   "whole nanoseconds",
		`{"device_key": "k", "language": "fr"}`:                    `language "fr"`,
		`{"device_key": "k"} {}`:                                   "text after the JSON object",
		`{"office": "q1"}`:                                         "device key",
	}
	for text, says := range cases {
		if _, err := loadConfig([]string{"-config", writeConfig(t, text)}); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v; want an error saying %q", text, err, says)
		}
	}
	for _, args := range [][]string{{"-idle-timeout", "60"}, {"-device-key", "k", "stray"}, {"-config", "/nonexistent/kiosk.json"}} {
		if _, err := loadConfig(args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestDocumentedConfigs reads the example files of kiosk/README.md and
// docs/deploy.md: the configurations installed from them must keep
// loading.
func TestDocumentedConfigs(t *testing.T) {
	examples := map[string]*regexp.Regexp{
		"README.md":         regexp.MustCompile("(?s)```json\n(\\{.*?\\})\n```"),
		"../docs/deploy.md": regexp.MustCompile(`(?s)/etc/luot/kiosk.json.*?\n\n(    \{.*?\})\n\n`),
	}
	for doc, re := range examples {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s: no example configuration found", doc)
		}
		if _, err := loadConfig([]string{"-config", writeConfig(t, string(m[1]))}); err != nil {
			t.Errorf("%s's example: %v", doc, err)
		}
	}
}
