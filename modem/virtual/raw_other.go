//go:build !linux

package virtual

// makeRaw is a no-op outside Linux: clients that open the port with
// go.bug.st/serial put it in raw mode themselves.
func makeRaw(fd uintptr) error { return nil }
