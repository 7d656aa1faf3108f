package keypad

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"go.bug.st/serial"
)

// Config is a serial keypad in the station's configuration file
// ("keypad": {"port": "/dev/serial/by-id/…", "framing": "byte"}).
type Config struct {
	// Port is the device path (best a /dev/serial/by-id/… link, which
	// survives replugging into another USB socket).
	Port string `json:"port"`
	// Baud is the line speed (9600 when 0; USB-CDC keypads ignore it).
	Baud int `json:"baud,omitempty"`
	// Framing is "line" (one code per line, the default) or "byte".
	Framing Framing `json:"framing,omitempty"`
	// Codes maps the keypad's codes to key names: {"N": "+", "E":
	// "KP_Enter"}. A printable code not listed is its own key name.
	Codes map[string]string `json:"codes,omitempty"`
}

// Validate checks the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.Port == "" {
		errs = append(errs, errors.New("keypad: port is empty: give the keypad's device path, e.g. /dev/serial/by-id/usb-…"))
	}
	if c.Baud < 0 {
		errs = append(errs, fmt.Errorf("keypad: baud %d: give a line speed such as 9600, or 0 for 9600", c.Baud))
	}
	f := c.Framing
	if f == "" {
		f = Lines
	}
	errs = append(errs, checkCodes(f, c.Codes))
	return errors.Join(errs...)
}

// Timings of the reader.
const (
	// readTimeout bounds one Read, so that a cancelled context is seen
	// even when no key comes.
	readTimeout = 500 * time.Millisecond
	// RetryFirst and RetryMax bound the pause before reopening a lost or
	// missing port: it doubles from the first to the max, and starts
	// again from the first once the keypad is back.
	RetryFirst = 500 * time.Millisecond
	RetryMax   = 10 * time.Second
)

// Keypad reads a serial keypad.
type Keypad struct {
	cfg Config
	// Log receives connection changes (slog.Default when nil).
	Log *slog.Logger

	readTimeout           time.Duration
	retryFirst, retryMax  time.Duration
	open                  func(path string, mode *serial.Mode) (serial.Port, error)
	reads, opens, hangups atomic.Int64 // for tests: the loop neither spins nor hammers
}

// New returns a keypad for a checked configuration.
func New(c Config) (*Keypad, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Baud == 0 {
		c.Baud = 9600
	}
	if c.Framing == "" {
		c.Framing = Lines
	}
	return &Keypad{cfg: c, readTimeout: readTimeout, retryFirst: RetryFirst, retryMax: RetryMax, open: serial.Open}, nil
}

// Backoff is the pause before the n-th reopening in a row (n from 1):
// first, doubled each time, at most max.
func Backoff(n int, first, max time.Duration) time.Duration {
	d := first
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// Run reads keys and passes each key name to onKey, until ctx ends. A
// port that is missing or lost (the keypad unplugged) is reopened after a
// pause that grows (Backoff) while it stays away, so a keypad plugged in
// later works without a restart. It returns ctx's error.
func (k *Keypad) Run(ctx context.Context, onKey func(string)) error {
	log := k.Log
	if log == nil {
		log = slog.Default()
	}
	dec, err := NewDecoder(k.cfg.Framing, k.cfg.Codes)
	if err != nil {
		return err // checked by New
	}
	fails := 0
	for {
		err := k.read(ctx, dec, onKey, func() {
			log.Info("keypad: connected", "port", k.cfg.Port)
			fails = 0
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		dec.Reset()
		fails++
		wait := Backoff(fails, k.retryFirst, k.retryMax)
		if fails == 1 {
			log.Warn("keypad: not available; retrying", "port", k.cfg.Port, "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// errHangup: reads return at once with nothing, again and again (the
// other end of a pseudo-terminal went away): the port is reopened rather
// than read in a busy loop.
var errHangup = errors.New("the port answers reads with nothing at once (hung up)")

func (k *Keypad) read(ctx context.Context, dec *Decoder, onKey func(string), connected func()) error {
	k.opens.Add(1)
	p, err := k.open(k.cfg.Port, &serial.Mode{BaudRate: k.cfg.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return fmt.Errorf("open keypad port %s: %w (check the path and that the user is in the dialout group)", k.cfg.Port, err)
	}
	defer p.Close()
	stop := context.AfterFunc(ctx, func() { p.Close() })
	defer stop()
	if err := p.SetReadTimeout(k.readTimeout); err != nil {
		return fmt.Errorf("keypad port %s: %w", k.cfg.Port, err)
	}
	// The backoff starts again only once the port has proved alive (a
	// key, or a quiet read timeout): a port that opens and fails at once
	// keeps backing off.
	alive := false
	buf := make([]byte, 256)
	quick := 0 // empty reads in a row that came back long before the timeout
	for {
		start := time.Now()
		n, err := p.Read(buf)
		k.reads.Add(1)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return fmt.Errorf("read keypad port %s: %w", k.cfg.Port, err)
		}
		if n == 0 {
			// A read timeout is (0, nil): nothing pressed, read again.
			// The same answer at once, repeatedly, is a hang-up.
			if time.Since(start) < k.readTimeout/4 {
				if quick++; quick >= 3 {
					k.hangups.Add(1)
					return fmt.Errorf("keypad port %s: %w", k.cfg.Port, errHangup)
				}
				continue
			}
			quick = 0
		} else {
			quick = 0
		}
		if !alive {
			alive = true
			connected()
		}
		if n == 0 {
			continue
		}
		for _, key := range dec.Feed(buf[:n]) {
			onKey(key)
		}
	}
}
