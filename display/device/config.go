package device

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"luot/display/announce"
)

// Config is the display's configuration: defaults, then the config file
// (-config FILE, JSON with the keys below), then the flags given.
type Config struct {
	// Server is the Lượt server's base URL.
	Server string `json:"server"`
	// DeviceKey is this display's key (sent as X-Device-Key).
	DeviceKey string `json:"device_key"`
	// Office is the office id.
	Office string `json:"office"`
	// Counters and Services limit the board (ids, or counter numbers);
	// empty shows all.
	Counters []string `json:"counters"`
	Services []string `json:"services"`
	// English adds English lines under the Vietnamese ones.
	English bool `json:"english"`
	// Announce turns voice announcements on.
	Announce bool `json:"announce"`
	// AnnounceEnglish follows each Vietnamese announcement by an English one.
	AnnounceEnglish bool `json:"announce_english"`
	// Reading is "number" (1023 as one number) or "digits".
	Reading string `json:"reading"`
	// Southern reads 105 "một trăm lẻ năm" instead of "linh".
	Southern bool `json:"southern"`
	// Volume is 0–100.
	Volume int `json:"volume"`
	// Audio is "aplay" (ALSA) or "silent" (no sound, same pace).
	Audio string `json:"audio"`
	// AudioDevice is the ALSA device for aplay -D ("" = default).
	AudioDevice string `json:"audio_device"`
	// MaxAge: calls older than this when they arrive (replayed after a
	// reconnect) are shown but not announced.
	MaxAge Duration `json:"announce_max_age"`
	// Blink is how long a new call blinks; 0: it does not.
	Blink Duration `json:"blink"`
	// BlinkEvery is how long the call stays hidden, then shown, while it
	// blinks. Every change repaints the whole screen: with software
	// rendering keep it at 1 s or more; with a GPU, 500 ms looks livelier.
	BlinkEvery Duration `json:"blink_every"`
	// RecentCalls is how many recent calls the board lists.
	RecentCalls int `json:"recent_calls"`
	// Fullscreen, else a window of Width×Height.
	Fullscreen bool `json:"fullscreen"`
	Width      int  `json:"width"`
	Height     int  `json:"height"`
	// StateAddr, if set, serves the board's state as JSON at
	// http://StateAddr/state (use 127.0.0.1:0 for a free port).
	StateAddr string `json:"state_addr"`
}

// Duration is a time.Duration written as "90s" or "2m" in JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON reads "90s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is written as a string such as \"90s\" or \"2m\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes "1m30s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// Defaults are the settings of a display of the demo office on this machine.
func Defaults() Config {
	return Config{
		Server: "http://127.0.0.1:8080", DeviceKey: "demo-display", Office: "demo",
		English: true, Announce: true, Reading: "number", Volume: 100, Audio: "aplay",
		MaxAge: Duration{2 * time.Minute}, Blink: Duration{3 * time.Second}, BlinkEvery: Duration{time.Second}, RecentCalls: 8, Fullscreen: true, Width: 1920, Height: 1080,
	}
}

// ParseConfig reads the configuration from the command line (and the file
// it names). It returns flag.ErrHelp for -h.
func ParseConfig(args []string, stderr io.Writer) (Config, error) {
	c := Defaults()
	fs := flag.NewFlagSet("display", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("config", "", "configuration file (JSON; flags given override it)")
	fs.StringVar(&c.Server, "server", c.Server, "server base URL")
	fs.StringVar(&c.DeviceKey, "device-key", c.DeviceKey, "this display's device key")
	fs.StringVar(&c.Office, "office", c.Office, "office id")
	counters := fs.String("counters", "", "show only these counters (ids or numbers, comma-separated)")
	services := fs.String("services", "", "show only these services (ids, comma-separated)")
	fs.BoolVar(&c.English, "english", c.English, "English lines under the Vietnamese ones")
	fs.BoolVar(&c.Announce, "announce", c.Announce, "voice announcements")
	fs.BoolVar(&c.AnnounceEnglish, "announce-english", c.AnnounceEnglish, "follow each announcement in English")
	fs.StringVar(&c.Reading, "reading", c.Reading, `how ticket numbers are read: "number" (1023: một nghìn không trăm hai mươi ba) or "digits" (một không hai ba)`)
	fs.BoolVar(&c.Southern, "southern", c.Southern, `say "lẻ" instead of "linh" (một trăm lẻ năm)`)
	fs.IntVar(&c.Volume, "volume", c.Volume, "announcement volume, 0–100")
	fs.StringVar(&c.Audio, "audio", c.Audio, `sound output: "aplay" (ALSA) or "silent"`)
	fs.StringVar(&c.AudioDevice, "audio-device", c.AudioDevice, `ALSA device for aplay -D (e.g. "hw:0,3" for HDMI); empty: ALSA's default`)
	maxAge := fs.Duration("announce-max-age", c.MaxAge.Duration, "calls older than this when received (replayed after a reconnect) are shown but not announced")
	blink := fs.Duration("blink", c.Blink.Duration, "how long a new call blinks (0: no blinking)")
	blinkEvery := fs.Duration("blink-every", c.BlinkEvery.Duration, "half period of the blink: hidden this long, then shown (each change repaints the screen; keep 1s or more in software rendering)")
	fs.IntVar(&c.RecentCalls, "recent", c.RecentCalls, "how many recent calls to list")
	fs.BoolVar(&c.Fullscreen, "fullscreen", c.Fullscreen, "full screen (else a window of -width × -height)")
	fs.IntVar(&c.Width, "width", c.Width, "window width when not full screen")
	fs.IntVar(&c.Height, "height", c.Height, "window height when not full screen")
	fs.StringVar(&c.StateAddr, "state-addr", c.StateAddr, "serve the board's state as JSON at http://ADDR/state (e.g. 127.0.0.1:0); empty: off")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q: every setting is a flag (see -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *file != "" {
		fromFile, err := readFile(*file, Defaults())
		if err != nil {
			return c, err
		}
		// Flags given on the command line win over the file.
		flagged := c
		c = fromFile
		override(&c, flagged, set)
	}
	if set["counters"] {
		c.Counters = splitList(*counters)
	}
	if set["services"] {
		c.Services = splitList(*services)
	}
	if set["announce-max-age"] {
		c.MaxAge = Duration{*maxAge}
	}
	if set["blink"] {
		c.Blink = Duration{*blink}
	}
	if set["blink-every"] {
		c.BlinkEvery = Duration{*blinkEvery}
	}
	return c, c.Validate()
}

func readFile(path string, base Config) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, fmt.Errorf("read the configuration file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&base); err != nil {
		return base, fmt.Errorf("configuration file %s: %w (see display/README.md for its keys)", path, err)
	}
	return base, nil
}

// override copies into c the fields of f whose flags were given.
func override(c *Config, f Config, set map[string]bool) {
	pick := map[string]func(){
		"server": func() { c.Server = f.Server }, "device-key": func() { c.DeviceKey = f.DeviceKey },
		"office": func() { c.Office = f.Office }, "english": func() { c.English = f.English },
		"announce": func() { c.Announce = f.Announce }, "announce-english": func() { c.AnnounceEnglish = f.AnnounceEnglish },
		"reading": func() { c.Reading = f.Reading }, "southern": func() { c.Southern = f.Southern },
		"volume": func() { c.Volume = f.Volume }, "audio": func() { c.Audio = f.Audio },
		"audio-device": func() { c.AudioDevice = f.AudioDevice }, "recent": func() { c.RecentCalls = f.RecentCalls },
		"fullscreen": func() { c.Fullscreen = f.Fullscreen }, "width": func() { c.Width = f.Width },
		"height": func() { c.Height = f.Height }, "state-addr": func() { c.StateAddr = f.StateAddr },
	}
	for name, p := range pick {
		if set[name] {
			p()
		}
	}
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Validate checks the settings and says what to fix.
func (c Config) Validate() error {
	var errs []error
	if c.Server == "" {
		errs = append(errs, errors.New("no server URL: set -server (e.g. http://127.0.0.1:8080)"))
	}
	if c.Office == "" {
		errs = append(errs, errors.New("no office: set -office (e.g. demo)"))
	}
	if _, err := announce.ParseReading(c.Reading); err != nil {
		errs = append(errs, err)
	}
	if c.Volume < 0 || c.Volume > 100 {
		errs = append(errs, fmt.Errorf("volume %d is out of range: use 0 to 100", c.Volume))
	}
	if c.Audio != "aplay" && c.Audio != "silent" {
		errs = append(errs, fmt.Errorf("audio output %q is not known: use \"aplay\" or \"silent\"", c.Audio))
	}
	if c.MaxAge.Duration < 0 {
		errs = append(errs, errors.New("announce-max-age must not be negative (0 announces every call)"))
	}
	if c.Blink.Duration < 0 || c.Blink.Duration > time.Minute {
		errs = append(errs, fmt.Errorf("blink %v is out of range: use 0 (none) to 1m", c.Blink.Duration))
	}
	if c.BlinkEvery.Duration < 100*time.Millisecond || c.BlinkEvery.Duration > 10*time.Second {
		errs = append(errs, fmt.Errorf("blink-every %v is out of range: use 100ms to 10s", c.BlinkEvery.Duration))
	}
	if c.RecentCalls < 1 || c.RecentCalls > 30 {
		errs = append(errs, fmt.Errorf("recent calls %d is out of range: use 1 to 30", c.RecentCalls))
	}
	if !c.Fullscreen && (c.Width < 320 || c.Height < 240) {
		errs = append(errs, fmt.Errorf("window %d×%d is too small: at least 320×240", c.Width, c.Height))
	}
	return errors.Join(errs...)
}
