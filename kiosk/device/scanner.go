package device

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.bug.st/serial"
)

// Scanner reads a serial barcode/QR scanner (RS-232 or USB-CDC, the
// "USB COM port" mode of most scanners): one code per line, ended by CR,
// LF or both.
type Scanner struct {
	// Port is the device path (best a /dev/serial/by-id/… link).
	Port string
	// Baud is the line speed (9600 when 0; USB-CDC scanners ignore it).
	Baud int
	// Retry is the pause before reopening a lost or missing port (2 s).
	Retry time.Duration
	// Log receives connection changes (slog.Default when nil).
	Log *slog.Logger
}

// maxLine bounds a line: a longer one is noise (a wrong baud rate) and is
// dropped.
const maxLine = 512

// Run reads codes and passes each to onCode, until ctx ends. A port that
// is missing or lost is reopened every Retry, so a scanner plugged in
// later works without a restart. It returns ctx's error.
func (s *Scanner) Run(ctx context.Context, onCode func(string)) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	retry := s.Retry
	if retry <= 0 {
		retry = 2 * time.Second
	}
	warned := false
	for {
		err := s.read(ctx, onCode, func() {
			log.Info("scanner: connected", "port", s.Port)
			warned = false
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !warned {
			log.Warn("scanner: not available; retrying", "port", s.Port, "every", retry, "err", err)
			warned = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(retry):
		}
	}
}

func (s *Scanner) read(ctx context.Context, onCode func(string), connected func()) error {
	baud := s.Baud
	if baud <= 0 {
		baud = 9600
	}
	p, err := serial.Open(s.Port, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return fmt.Errorf("open scanner port %s: %w (check the path and that the user is in the dialout group)", s.Port, err)
	}
	defer p.Close()
	stop := context.AfterFunc(ctx, func() { p.Close() })
	defer stop()
	if err := p.SetReadTimeout(500 * time.Millisecond); err != nil {
		return fmt.Errorf("scanner port %s: %w", s.Port, err)
	}
	connected()
	buf := make([]byte, 256)
	line := make([]byte, 0, maxLine)
	overlong := false
	for {
		n, err := p.Read(buf)
		if err != nil {
			return fmt.Errorf("read scanner port %s: %w", s.Port, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n == 0 {
			// A read timeout returns (0, nil). A pseudo-terminal whose other
			// end closed keeps answering (0, nil) too: that is not an error,
			// the scanner may come back.
			continue
		}
		for _, b := range buf[:n] {
			switch {
			case b == '\r' || b == '\n':
				if len(line) > 0 && !overlong {
					onCode(string(line))
				}
				line, overlong = line[:0], false
			case len(line) >= maxLine:
				overlong = true
			default:
				line = append(line, b)
			}
		}
	}
}
