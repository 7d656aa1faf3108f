package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

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

// TestLinksNameTheServerNotTheHostHeader: started without -public-url,
// the real server warns, and its tracking links (track_url, what the
// kiosk prints as a QR) and the QR codes of the web pages name the
// address it listens on, whatever Host header a request sends; with
// -public-url, that address. A -public-url that is not an address stops it.
func TestLinksNameTheServerNotTheHostHeader(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	const evil = "evil.example"
	check := func(srv *serverProc, want string) {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"service": "chung-thuc"})
		req, _ := http.NewRequest("POST", srv.url()+"/api/v1/offices/demo/tickets", bytes.NewReader(b))
		req.Host = evil
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Device-Key", "demo-kiosk")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var a struct {
			Ticket struct {
				ID       string `json:"id"`
				TrackURL string `json:"track_url"`
			} `json:"ticket"`
		}
		json.NewDecoder(res.Body).Decode(&a)
		res.Body.Close()
		if res.StatusCode != 201 || !strings.HasPrefix(a.Ticket.TrackURL, want+"/t/"+a.Ticket.ID+"?token=") || strings.Contains(a.Ticket.TrackURL, evil) {
			t.Fatalf("issue with Host %s: %d, track_url %q, want it under %s", evil, res.StatusCode, a.Ticket.TrackURL, want)
		}
		req, _ = http.NewRequest("GET", srv.url()+"/qr/t/"+a.Ticket.ID+".png?token="+tokenOf(a.Ticket.TrackURL), nil)
		req.Host = evil
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		png, _ := io.ReadAll(res.Body)
		res.Body.Close()
		wantPNG, _ := qrcode.Encode(a.Ticket.TrackURL, qrcode.Medium, 256)
		if res.StatusCode != 200 || !bytes.Equal(png, wantPNG) {
			t.Fatalf("QR with Host %s: %d, not the QR of %s", evil, res.StatusCode, a.Ticket.TrackURL)
		}
	}
	srv := startServer(t, t.TempDir(), "-demo")
	if !srv.logged("no -public-url") {
		t.Error("no warning that -public-url is not set")
	}
	check(srv, srv.url())
	srv.kill()

	const public = "https://mot-cua.example.gov.vn"
	srv = startServer(t, t.TempDir(), "-demo", "-public-url", public)
	if srv.logged("no -public-url") {
		t.Error("a warning about -public-url although it is set")
	}
	check(srv, public)
	srv.kill()

	bin := e2etest.Build(t, e2etest.Server)
	for _, bad := range []string{"mot-cua.example.gov.vn", "ftp://x.example", "https://", "https://x.example/?a=1"} {
		out, err := exec.Command(bin, "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-public-url", bad).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "-public-url") {
			t.Errorf("-public-url %q: err %v, output %s; want a refusal", bad, err, out)
		}
	}
}

// TestOwnURL: without -public-url, links name the listen address, or one
// of the machine's own addresses when it listens on all of them — never
// 0.0.0.0 or ::.
func TestOwnURL(t *testing.T) {
	for _, c := range []struct {
		addr *net.TCPAddr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 10), Port: 8080}, "http://192.168.1.10:8080"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, "http://127.0.0.1:80"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::5"), Port: 8080}, "http://[2001:db8::5]:8080"},
	} {
		if got := ownURL(c.addr); got != c.want {
			t.Errorf("ownURL(%s) = %s, want %s", c.addr, got, c.want)
		}
	}
	for _, a := range []*net.TCPAddr{{Port: 8080}, {IP: net.IPv4zero, Port: 8080}, {IP: net.IPv6unspecified, Port: 8080}} {
		got := ownURL(a)
		u, err := url.Parse(got)
		if err != nil || u.Port() != "8080" || net.ParseIP(u.Hostname()) == nil || net.ParseIP(u.Hostname()).IsUnspecified() {
			t.Errorf("ownURL(%s) = %s, want an address of this machine on port 8080", a, got)
		}
	}
}
