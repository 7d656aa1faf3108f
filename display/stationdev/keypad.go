package stationdev

import (
	"errors"
	"fmt"
	"os"

	"luot/display/device"
	"luot/display/keypad"
)

// openKeypad makes the configured serial keypad, nil when there is none.
// Its port must exist at start (a wrong path is a configuration to fix);
// once running, a keypad unplugged and plugged back works again.
func openKeypad(cfg device.Station) (*keypad.Keypad, error) {
	if cfg.KeypadSerial == "" {
		return nil, nil
	}
	if _, err := os.Stat(cfg.KeypadSerial); err != nil {
		return nil, fmt.Errorf("keypad port %s: %w: give the serial keypad's port (ls /dev/serial/by-id/), or leave -keypad-serial empty", cfg.KeypadSerial, errors.Unwrap(err))
	}
	return keypad.New(keypad.Config{Port: cfg.KeypadSerial, Baud: cfg.KeypadBaud, Framing: keypad.Framing(cfg.KeypadMode)})
}
