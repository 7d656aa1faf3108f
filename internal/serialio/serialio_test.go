package serialio

import (
	"bytes"
	"errors"
	"io"
	"syscall"
	"testing"
)

// stutter writes at most 3 bytes a call and fails with EINTR every other
// call, after part of the bytes went out.
type stutter struct {
	out   bytes.Buffer
	calls int
	zero  bool
}

func (s *stutter) Write(b []byte) (int, error) {
	s.calls++
	if s.zero {
		return 0, nil
	}
	n := min(len(b), 3)
	s.out.Write(b[:n])
	if s.calls%2 == 0 {
		return n, syscall.EINTR
	}
	return n, nil
}

func TestWriteAll(t *testing.T) {
	s := &stutter{}
	msg := []byte("AT+CMGS=23\r0011000B914890")
	if err := WriteAll(s, msg); err != nil || !bytes.Equal(s.out.Bytes(), msg) {
		t.Fatalf("wrote %q, %v; want %q", s.out.Bytes(), err, msg)
	}
	if err := WriteAll(&stutter{zero: true}, msg); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("a port that takes nothing: %v, want io.ErrShortWrite", err)
	}
}
