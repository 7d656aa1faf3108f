package keypad

import (
	"time"

	"go.bug.st/serial"
)

// SetTimings shortens the reader's timings for tests.
func (k *Keypad) SetTimings(read, retryFirst, retryMax time.Duration) {
	k.readTimeout, k.retryFirst, k.retryMax = read, retryFirst, retryMax
}

// Counts returns how many reads, opens and hang-ups the reader has done.
func (k *Keypad) Counts() (reads, opens, hangups int64) {
	return k.reads.Load(), k.opens.Load(), k.hangups.Load()
}

// SetOpen replaces serial.Open, for a port that misbehaves in a way a
// pseudo-terminal cannot.
func (k *Keypad) SetOpen(open func(path string, mode *serial.Mode) (serial.Port, error)) {
	k.open = open
}
