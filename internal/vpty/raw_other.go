//go:build !linux

package vpty

import "os"

// makeRaw is a no-op outside Linux: clients that open the port with
// go.bug.st/serial put it in raw mode themselves.
func makeRaw(fd uintptr) error { return nil }

// pollable returns f unchanged outside Linux.
func pollable(f *os.File) (*os.File, error) { return f, nil }
