package vpty

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// TestOpen: bytes pass unchanged both ways (raw: no CR/LF translation, no
// echo), and closing the master ends a Read in progress although the
// terminal side is still held open.
func TestOpen(t *testing.T) {
	master, tty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	in := []byte("AT\r\n\x1b\x00\xff")
	if _, err := tty.Write(in); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(in))
	if _, err := io.ReadFull(master, got); err != nil || !bytes.Equal(got, in) {
		t.Fatalf("master read %q, %v; want %q", got, err, in)
	}
	if _, err := master.Write([]byte("OK\r\n")); err != nil {
		t.Fatal(err)
	}
	back := make([]byte, 4)
	if _, err := io.ReadFull(tty, back); err != nil || string(back) != "OK\r\n" {
		t.Fatalf("terminal read %q, %v", back, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := master.Read(make([]byte, 16))
		done <- err
	}()
	master.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a Read on a closed master succeeded")
		}
	case <-time.After(time.Minute): // a bound for a hang, not a timing
		t.Fatal("closing the master did not end its Read")
	}
}
