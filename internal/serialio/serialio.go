// Package serialio holds what the serial devices' drivers (the printer,
// the GSM modem) share about writing to a port.
package serialio

import (
	"errors"
	"io"
	"syscall"
)

// WriteAll writes all of b to w. A write(2) to a tty that a signal
// interrupts fails with EINTR, possibly after part of b went out; Go's own
// preemption signals do this to any blocking write, so it is no sign of a
// lost device. go.bug.st/serial retries EINTR in Read but not in Write:
// WriteAll continues after the part written instead.
func WriteAll(w io.Writer, b []byte) error {
	for len(b) > 0 {
		k, err := w.Write(b)
		b = b[max(k, 0):]
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil:
			return err
		case k == 0:
			return io.ErrShortWrite
		}
	}
	return nil
}
