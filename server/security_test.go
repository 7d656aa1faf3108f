package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/internal/e2etest"
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

// get sends GET url with the headers hdr (name, value pairs) and returns
// the status and body.
func get(t *testing.T, url string, hdr ...string) (int, string) {
	t.Helper()
	r, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestMetricsFlags: by default the real server serves its metrics to its
// own machine only (not through a proxy); with -metrics token, only to
// the holder of the token in -metrics-token-file; a missing or weak token
// stops the server at start.
func TestMetricsFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	srv := startServer(t, t.TempDir(), "-demo")
	for _, p := range []string{"/metrics", "/api/v1/metrics"} {
		if st, body := get(t, srv.url()+p); st != 200 || !strings.Contains(body, "luot_commit_batches_total") {
			t.Fatalf("GET %s on loopback: %d %.200s", p, st, body)
		}
		if st, body := get(t, srv.url()+p, "X-Forwarded-For", "203.0.113.7"); st != 403 || strings.Contains(body, "luot_") {
			t.Fatalf("GET %s through a proxy: %d %.200s", p, st, body)
		}
	}
	srv.kill()

	dir := t.TempDir()
	tokFile := filepath.Join(dir, "metrics.token")
	const token = "a-long-metrics-token-4f9c2e"
	if err := os.WriteFile(tokFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv = startServer(t, t.TempDir(), "-demo", "-metrics", "token", "-metrics-token-file", tokFile)
	if st, body := get(t, srv.url()+"/metrics"); st != 401 || strings.Contains(body, "luot_") {
		t.Fatalf("GET /metrics without the token: %d %.200s", st, body)
	}
	if st, body := get(t, srv.url()+"/metrics", "Authorization", "Bearer "+token); st != 200 || !strings.Contains(body, "luot_commit_batches_total") {
		t.Fatalf("GET /metrics with the token: %d %.200s", st, body)
	}
	if st, body := get(t, srv.url()+"/healthz"); st != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Fatalf("GET /healthz without the token: %d %s", st, body)
	}
	srv.kill()

	weak := filepath.Join(dir, "weak.token")
	os.WriteFile(weak, []byte("weak-tok"), 0o600)
	bin := e2etest.Build(t, e2etest.Server)
	for _, args := range [][]string{
		{"-metrics", "token"},
		{"-metrics", "token", "-metrics-token-file", filepath.Join(dir, "missing")},
		{"-metrics", "token", "-metrics-token-file", weak},
		{"-metrics", "open"},
		{"-metrics-token-file", tokFile},
	} {
		out, err := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-data", t.TempDir()}, args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "metrics") || strings.Contains(string(out), "weak-tok") {
			t.Errorf("server %v: err %v, output %s; want a refusal naming the metrics flags", args, err, out)
		}
	}
}
