package device

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"luot/display/announce"
	"luot/internal/config"
)

// Config is the display's configuration: defaults, then the config file
// (-config FILE, JSON with the keys below), then the flags given. Its
// durations are config.Duration: "90s" or "2m" in the file.
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
	MaxAge config.Duration `json:"announce_max_age"`
	// Blink is how long a new call blinks; 0: it does not.
	Blink config.Duration `json:"blink"`
	// BlinkEvery is how long the call stays hidden, then shown, while it
	// blinks. Every change repaints the whole screen: with software
	// rendering keep it at 1 s or more; with a GPU, 500 ms looks livelier.
	BlinkEvery config.Duration `json:"blink_every"`
	// RecentCalls is how many recent calls the board lists.
	RecentCalls int `json:"recent_calls"`
	// Fullscreen, else a window of Width×Height; 0 is the mode's own size
	// (the board 1920×1080, a counter station 1280×800): see WindowSize.
	Fullscreen bool `json:"fullscreen"`
	Width      int  `json:"width"`
	Height     int  `json:"height"`
	// StateAddr, if set, serves the board's state as JSON at
	// http://StateAddr/state (use 127.0.0.1:0 for a free port).
	StateAddr string `json:"state_addr"`

	// Station holds the counter station's settings; its Counter turns
	// counter mode on (config_station.go).
	Station
}

// Defaults are the settings of a display of the demo office on this machine.
func Defaults() Config {
	return Config{
		Server: "http://127.0.0.1:8080", DeviceKey: "demo-display", Office: "demo",
		English: true, Announce: true, Reading: "number", Volume: 100, Audio: "aplay",
		MaxAge: config.Duration{Duration: 2 * time.Minute}, Blink: config.Duration{Duration: 3 * time.Second},
		BlinkEvery: config.Duration{Duration: time.Second}, RecentCalls: 8, Fullscreen: true,
		Station: stationDefaults(),
	}
}

// ParseConfig reads the configuration from the command line: the
// defaults, then the file named by -config, then the flags given
// (config.Load). It returns flag.ErrHelp for -h.
func ParseConfig(args []string, stderr io.Writer) (Config, error) {
	c := Defaults()
	fs := flag.NewFlagSet("display", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.String("config", "", "configuration file (JSON; flags given override it)")
	fs.StringVar(&c.Server, "server", c.Server, "server base URL")
	fs.StringVar(&c.DeviceKey, "device-key", c.DeviceKey, "this display's device key")
	fs.StringVar(&c.Office, "office", c.Office, "office id")
	fs.Var((*list)(&c.Counters), "counters", "show only these counters (ids or numbers, comma-separated)")
	fs.Var((*list)(&c.Services), "services", "show only these services (ids, comma-separated)")
	fs.BoolVar(&c.English, "english", c.English, "English lines under the Vietnamese ones")
	fs.BoolVar(&c.Announce, "announce", c.Announce, "voice announcements")
	fs.BoolVar(&c.AnnounceEnglish, "announce-english", c.AnnounceEnglish, "follow each announcement in English")
	fs.StringVar(&c.Reading, "reading", c.Reading, `how ticket numbers are read: "number" (1023: một nghìn không trăm hai mươi ba) or "digits" (một không hai ba)`)
	fs.BoolVar(&c.Southern, "southern", c.Southern, `say "lẻ" instead of "linh" (một trăm lẻ năm)`)
	fs.IntVar(&c.Volume, "volume", c.Volume, "announcement volume, 0–100")
	fs.StringVar(&c.Audio, "audio", c.Audio, `sound output: "aplay" (ALSA) or "silent"`)
	fs.StringVar(&c.AudioDevice, "audio-device", c.AudioDevice, `ALSA device for aplay -D (e.g. "hw:0,3" for HDMI); empty: ALSA's default`)
	fs.Var(&c.MaxAge, "announce-max-age", "calls older than this `duration` when received (replayed after a reconnect) are shown but not announced")
	fs.Var(&c.Blink, "blink", "how long a new call blinks, a `duration` (0: no blinking)")
	fs.Var(&c.BlinkEvery, "blink-every", "half period of the blink, a `duration`: hidden this long, then shown (each change repaints the screen; keep 1s or more in software rendering)")
	fs.IntVar(&c.RecentCalls, "recent", c.RecentCalls, "how many recent calls to list")
	fs.BoolVar(&c.Fullscreen, "fullscreen", c.Fullscreen, "full screen (else a window of -width × -height)")
	fs.IntVar(&c.Width, "width", c.Width, "window width when not full screen (0: 1920, a counter station 1280)")
	fs.IntVar(&c.Height, "height", c.Height, "window height when not full screen (0: 1080, a counter station 800)")
	fs.StringVar(&c.StateAddr, "state-addr", c.StateAddr, "serve the board's (or station's) state as JSON at http://ADDR/state (e.g. 127.0.0.1:0); empty: off")
	c.Station.flags(fs)
	if err := config.Load(fs, args, &c, "display/README.md"); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// list is a comma-separated list flag; Set replaces the list (config.Load
// parses the flags twice).
type list []string

func (l *list) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(*l, ",")
}

func (l *list) Set(s string) error {
	*l = nil
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
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
	if w, h := c.WindowSize(); !c.Fullscreen && (w < 320 || h < 240) {
		errs = append(errs, fmt.Errorf("window %d×%d is too small: at least 320×240", w, h))
	}
	errs = append(errs, c.Station.validate()...)
	return errors.Join(errs...)
}

// WindowSize is the window's size when not full screen: Width×Height, or
// the mode's own size where they are 0.
func (c Config) WindowSize() (width, height int) {
	width, height = 1920, 1080
	if c.Counter != "" {
		width, height = 1280, 800
	}
	if c.Width != 0 {
		width = c.Width
	}
	if c.Height != 0 {
		height = c.Height
	}
	return width, height
}
