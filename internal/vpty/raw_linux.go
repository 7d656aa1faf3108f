//go:build linux

package vpty

import (
	"os"

	"golang.org/x/sys/unix"
)

// makeRaw puts the terminal side of the pty in raw mode (no echo, no
// newline translation, 8 bits), like a real serial port opened by
// go.bug.st/serial, so that the bytes pass unchanged even before a client
// configures the port.
func makeRaw(fd uintptr) error {
	t, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(int(fd), unix.TCSETS, t)
}

// pollable returns f, the pty's master, as a file in Go's poller, so that
// Close interrupts a Read in progress: pty.Open leaves it in blocking mode,
// where a Read only ends once every holder of the terminal side (the
// client too) has closed it.
func pollable(f *os.File) (*os.File, error) {
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	f.Close()
	return os.NewFile(uintptr(fd), f.Name()), nil
}
