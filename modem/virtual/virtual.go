// Package virtual is a GSM modem on a pseudo-terminal for tests and demos.
package virtual

import "errors"

// Options configure a virtual modem.
type Options struct {
	// Out is the file receiving one JSON line per message. Required.
	Out string
	// Link, when set, is a symbolic link kept pointing at the pty.
	Link string
}

// Modem is a running virtual modem.
type Modem struct{}

// Start opens a pseudo-terminal and answers AT commands on it.
func Start(o Options) (*Modem, error) { return nil, errors.New("virtual: not implemented") }

// Path returns the device path.
func (v *Modem) Path() string { return "" }

// Close stops the virtual modem.
func (v *Modem) Close() error { return nil }
