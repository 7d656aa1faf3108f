// Package vpty opens the pseudo-terminals of the virtual devices (the
// printer, the GSM modem): the device reads and writes the master side;
// its client opens the terminal side by path, as it would a serial port.
package vpty

import (
	"fmt"
	"os"

	"github.com/creack/pty"
)

// Open opens a pseudo-terminal. The terminal side is in raw mode (no
// echo, no newline translation, 8 bits), like a serial port opened by
// go.bug.st/serial, so that bytes pass unchanged even before a client
// configures it; the master is in Go's poller, so that closing it ends a
// Read in progress even while a client holds the terminal side.
func Open() (master, tty *os.File, err error) {
	m, tty, err := pty.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open a pseudo-terminal: %w", err)
	}
	if err := makeRaw(tty.Fd()); err != nil {
		m.Close()
		tty.Close()
		return nil, nil, fmt.Errorf("pseudo-terminal %s: raw mode: %w", tty.Name(), err)
	}
	if master, err = pollable(m); err != nil {
		m.Close()
		tty.Close()
		return nil, nil, fmt.Errorf("pseudo-terminal %s: %w", tty.Name(), err)
	}
	return master, tty, nil
}
