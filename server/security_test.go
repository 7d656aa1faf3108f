package main

import (
	"io"
	"net"
	"testing"
	"time"
)

// TestSlowlorisIsCutOff opens connections to the real server that send a
// request's headers one byte at a time and never finish them: the server
// closes each within its ReadHeaderTimeout (5 s), so a few sockets cannot
// hold its resources for long.
func TestSlowlorisIsCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	srv := startServer(t, t.TempDir(), "-demo")
	const n = 5
	done := make(chan time.Duration, n)
	for range n {
		go func() {
			c, err := net.Dial("tcp", srv.addr)
			if err != nil {
				done <- -1
				return
			}
			defer c.Close()
			start := time.Now()
			c.Write([]byte("GET /api/v1/offices/demo HTTP/1.1\r\nHost: x\r\n"))
			closed := make(chan struct{})
			go func() { io.Copy(io.Discard, c); close(closed) }()
			tick := time.NewTicker(500 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-closed:
					done <- time.Since(start)
					return
				case <-tick.C:
					if time.Since(start) > 20*time.Second {
						done <- -2
						return
					}
					c.Write([]byte("X")) // one more byte of a header that never ends
				}
			}
		}()
	}
	for range n {
		d := <-done
		if d < 0 {
			t.Fatalf("a slow request was not cut off (code %d)", d)
		}
		if d > 10*time.Second {
			t.Fatalf("a slow request held its connection for %s", d)
		}
		t.Logf("slow request cut off after %s", d.Round(100*time.Millisecond))
	}
}
