package device

import (
	"io"
	"strings"
	"testing"
)

func TestStationConfig(t *testing.T) {
	file := t.TempDir() + "/station.json"
	writeFile(t, file, `{"counter": "q3", "device_key": "st-q3", "keys": {"F1": "next", "KP_Add": "done"},
		"keypad_serial": "/dev/ttyUSB1", "keypad_mode": "byte", "printer": "virtual", "printer_out": "/tmp/out",
		"journal": "/var/lib/luot/q3.journal", "language": "en", "rating": false}`)
	c, err := ParseConfig([]string{"-config", file, "-keypad-baud", "19200"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Counter != "q3" || c.Keys["F1"] != "next" || c.Keys["KP_Add"] != "done" || c.KeypadMode != "byte" || c.KeypadBaud != 19200 ||
		c.Printer != "virtual" || c.Language != "en" || c.Rating || c.Journal != "/var/lib/luot/q3.journal" {
		t.Errorf("config %+v", c.Station)
	}
	if w, h := c.WindowSize(); w != 1280 || h != 800 {
		t.Errorf("station window %d×%d, want 1280×800", w, h)
	}
	if c, _ := ParseConfig(nil, io.Discard); c.Counter != "" || c.Language != "vi" || !c.Rating || c.KeypadMode != "line" {
		t.Errorf("defaults %+v", c.Station)
	} else if w, h := c.WindowSize(); w != 1920 || h != 1080 {
		t.Errorf("board window %d×%d, want 1920×1080", w, h)
	}
	if c, err := ParseConfig([]string{"-counter", "q1", "-keys", `{"KP_1":"recall"}`, "-width", "800", "-height", "1280"}, io.Discard); err != nil ||
		len(c.Keys) != 1 || c.Keys["KP_1"] != "recall" {
		t.Errorf("-keys: %v, %v", c.Keys, err)
	} else if w, h := c.WindowSize(); w != 800 || h != 1280 {
		t.Errorf("portrait window %d×%d", w, h)
	}
	for args, says := range map[string]string{
		`-counter q3 -keys {"F1":"launch"}`:           `key "F1" has unknown action "launch"`,
		`-counter q3 -keys {"":"next"}`:               "is empty or has spaces",
		`-counter q3 -keys [1]`:                       `want an object {"key name": "action"}`,
		`-printer /dev/ttyUSB0`:                       "printer set but no counter",
		`-keys {"F1":"next"} -journal j`:              "keys, journal set but no counter",
		`-counter q3 -keys {"F1":"next","F1":"done"}`: `key "F1" is mapped twice`,
		`-counter Q/3`:                                `counter "Q/3" is not a counter id`,
		`-counter q3 -keypad-mode word`:               `keypad mode "word" is not known`,
		`-counter q3 -keypad-baud 0`:                  "keypad baud 0 is out of range",
		`-counter q3 -language fr`:                    `language "fr" is not known`,
		`-counter q3 -printer-profile nope`:           "nope",
		`-counter q3 -printer-out /tmp/x`:             "printer_out is the virtual printer's folder",
		`-counter q3 -fullscreen=false -width 100`:    "window 100×800 is too small",
	} {
		if _, err := ParseConfig(strings.Fields(args), io.Discard); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v; want an error saying %q", args, err, says)
		}
	}
}
