package main

import (
	"errors"
	"flag"
	"fmt"
	"image/color"
	"time"

	"luot/internal/config"
	"luot/printer"
)

// Config is the kiosk's configuration: a JSON file (-config) and flags,
// flags winning. See README.md for an example file.
type Config struct {
	// Server is the Lượt server's base URL.
	Server string `json:"server"`
	// DeviceKey is the kiosk's key, registered by an admin (X-Device-Key).
	DeviceKey string `json:"device_key"`
	// Office is the office id.
	Office string `json:"office"`
	// KioskName is printed on tickets.
	KioskName string `json:"kiosk_name"`
	// Language is "vi" (default) or "en", the language the kiosk returns to.
	Language string `json:"language"`
	// Printer says how to reach the ticket printer; no port and no USB
	// ids means no printer (tickets are only shown).
	Printer printer.Config `json:"printer"`
	// VirtualPrinter starts the virtual printer in this process and
	// prints to it; VirtualOut is where it writes ticket PNGs (a new
	// temporary folder when empty).
	VirtualPrinter bool   `json:"virtual_printer"`
	VirtualOut     string `json:"virtual_out"`
	// Scanner is the barcode/QR scanner's serial port (none when empty).
	Scanner     string `json:"scanner"`
	ScannerBaud int    `json:"scanner_baud"`
	// Timeouts, as Go durations ("20s"; config.Duration); 0 takes
	// ui.Config's default.
	ResultTimeout config.Duration `json:"result_timeout"`
	IdleTimeout   config.Duration `json:"idle_timeout"`
	RefreshEvery  config.Duration `json:"refresh_every"`
	RetryEvery    config.Duration `json:"retry_every"`
	// ServicesPerPage is how many services the start screen shows at once.
	ServicesPerPage int `json:"services_per_page"`
	// StaffPIN opens the staff menu (five quick taps on the office name);
	// empty disables it.
	StaffPIN string `json:"staff_pin"`
	// NoDossiers hides "Nhận kết quả / Tra cứu hồ sơ" (an office that
	// receives no dossiers).
	NoDossiers bool `json:"no_dossiers"`
	// Colour is the office's colour, "#rrggbb".
	Colour string `json:"colour"`
	// Windowed runs in a window of Size ("1366x768") instead of full
	// screen; ShowCursor keeps the mouse pointer.
	Windowed   bool   `json:"windowed"`
	Size       string `json:"size"`
	ShowCursor bool   `json:"show_cursor"`
	// DebugAddr, when set, serves Go's profiles and a memory report
	// (/debug/pprof/, /debug/memory) there: for technicians and soak runs,
	// on a local address only.
	DebugAddr string `json:"debug_addr"`
}

// defaultConfig is the kiosk of the demo office on this machine. The
// timeouts are those of ui.Config's defaults, written here for -h.
func defaultConfig() Config {
	return Config{Server: "http://127.0.0.1:8080", Office: "demo", KioskName: "Ki-ốt 1", Language: "vi",
		Printer: printer.Config{Profile: "epson-tm-t20iii"}, Size: "1366x768",
		ResultTimeout: config.Duration{Duration: 20 * time.Second}, IdleTimeout: config.Duration{Duration: 60 * time.Second}}
}

// loadConfig reads the defaults, then the -config file, then the flags
// given (config.Load).
func loadConfig(args []string) (*Config, error) {
	c := defaultConfig()
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.String("config", "", "JSON configuration file (flags given override it)")
	fs.StringVar(&c.Server, "server", c.Server, "Lượt server URL")
	fs.StringVar(&c.DeviceKey, "device-key", "", "this kiosk's device key (demo server: demo-kiosk)")
	fs.StringVar(&c.Office, "office", c.Office, "office id")
	fs.StringVar(&c.KioskName, "name", c.KioskName, "kiosk name printed on tickets")
	fs.StringVar(&c.Language, "lang", c.Language, "language to return to: vi or en")
	fs.StringVar(&c.Printer.Port, "printer", "", "printer serial port (e.g. /dev/serial/by-id/usb-…)")
	fs.StringVar(&c.Printer.USB, "printer-usb", "", "find the printer by USB ids VID:PID instead of a port")
	fs.StringVar(&c.Printer.Profile, "printer-profile", c.Printer.Profile, "printer profile (go run ./printer/cmd/escpos profiles)")
	fs.IntVar(&c.Printer.Baud, "printer-baud", 0, "printer baud rate (default 9600)")
	fs.BoolVar(&c.VirtualPrinter, "virtual-printer", false, "print to a virtual printer started in this process (no hardware needed)")
	fs.StringVar(&c.VirtualOut, "virtual-out", "", "folder for the virtual printer's ticket PNGs (default: a new temporary folder)")
	fs.StringVar(&c.Scanner, "scanner", "", "barcode/QR scanner serial port")
	fs.IntVar(&c.ScannerBaud, "scanner-baud", 0, "scanner baud rate (default 9600)")
	fs.Var(&c.ResultTimeout, "result-timeout", "how long the result screen stays (a `duration`: 20s, 1m30s)")
	fs.Var(&c.IdleTimeout, "idle-timeout", "back to the start screen after this `duration` without a touch")
	fs.StringVar(&c.StaffPIN, "staff-pin", "", "PIN of the staff menu (five quick taps on the office name); empty disables it")
	fs.StringVar(&c.Colour, "colour", "", "the office's colour, #rrggbb")
	fs.BoolVar(&c.Windowed, "windowed", false, "run in a window instead of full screen")
	fs.StringVar(&c.Size, "size", c.Size, "window size with -windowed, WIDTHxHEIGHT")
	fs.BoolVar(&c.ShowCursor, "show-cursor", false, "keep the mouse pointer visible")
	fs.StringVar(&c.DebugAddr, "debug-addr", "", "serve /debug/pprof/ and /debug/memory on this local address (e.g. 127.0.0.1:6061)")
	if err := config.Load(fs, args, &c, "kiosk/README.md"); err != nil {
		return nil, err
	}
	return &c, c.check()
}

func (c *Config) check() error {
	var errs []error
	if c.Server == "" || c.Office == "" {
		errs = append(errs, errors.New("set the server URL (-server) and the office (-office)"))
	}
	if c.DeviceKey == "" {
		errs = append(errs, errors.New("set the kiosk's device key (-device-key, or device_key in the file); an admin registers the kiosk and gets it"))
	}
	if c.Language != "vi" && c.Language != "en" {
		errs = append(errs, fmt.Errorf("language %q: use vi or en", c.Language))
	}
	if c.Colour != "" {
		if _, err := parseColour(c.Colour); err != nil {
			errs = append(errs, err)
		}
	}
	if _, _, err := parseSize(c.Size); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func parseColour(s string) (color.NRGBA, error) {
	var r, g, b uint8
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("colour %q: write it like #9b111e", s)
	}
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{}, fmt.Errorf("colour %q: write it like #9b111e", s)
	}
	return color.NRGBA{R: r, G: g, B: b, A: 0xff}, nil
}

func parseSize(s string) (float32, float32, error) {
	var w, h int
	if _, err := fmt.Sscanf(s, "%dx%d", &w, &h); err != nil || w < 320 || h < 240 {
		return 0, 0, fmt.Errorf("size %q: write it like 1366x768", s)
	}
	return float32(w), float32(h), nil
}
