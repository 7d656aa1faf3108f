package api

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// dialFrom opens path (a stream) from the loopback source address src;
// it returns the connection, or the refusal's status and body.
func (e *env) dialFrom(t *testing.T, src, path string) (*websocket.Conn, int, []byte) {
	t.Helper()
	nd := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: wait}
	d := websocket.Dialer{NetDialContext: nd.DialContext, HandshakeTimeout: wait}
	c, res, err := d.Dial("ws"+strings.TrimPrefix(e.srv.URL, "http")+path, nil)
	if err == nil {
		t.Cleanup(func() { c.Close() })
		return c, 0, nil
	}
	if res == nil {
		t.Fatalf("dial %s from %s: %v", path, src, err)
	}
	b, _ := io.ReadAll(res.Body)
	return nil, res.StatusCode, b
}

// TestStreamsPerAddressAreCapped: one address may hold at most
// MaxStreamsPerAddr live streams, office and ticket streams together (a
// thousand never-reading sockets from one address slowed every kiosk);
// the next is refused with 429 before the upgrade. Another address is
// not affected, and a closed stream frees its place (no leak: after all
// are closed, as many can be opened again).
func TestStreamsPerAddressAreCapped(t *testing.T) {
	const max = 3
	e := newEnv(t, withConfig(func(c *Config) { c.MaxStreamsPerAddr = max }))
	tk := e.issue(t, "kiosk1", "ho-tich")
	u, _ := url.Parse(tk.TrackURL)
	officePath := "/api/v1/offices/" + office + "/events"
	ticketPath := "/api/v1/tickets/" + tk.ID + "/events?token=" + url.QueryEscape(u.Query().Get("token"))

	var open []*websocket.Conn
	for i, p := range []string{officePath, ticketPath, officePath} {
		c, st, b := e.dialFrom(t, "127.0.0.1", p)
		if c == nil {
			t.Fatalf("stream %d: %d %s", i+1, st, b)
		}
		open = append(open, c) // never read: as a hostile client
	}
	for _, p := range []string{officePath, ticketPath} {
		c, st, b := e.dialFrom(t, "127.0.0.1", p)
		if c != nil || st != http.StatusTooManyRequests {
			t.Fatalf("stream %d from one address on %s: status %d, want 429", max+1, p, st)
		}
		var eb errorBody
		if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code != "too_many_streams" || strings.Contains(eb.Error.Message, "127.0.0.1") {
			t.Fatalf("refusal %s", b)
		}
	}
	// Another address (another office PC) still connects.
	if c, st, b := e.dialFrom(t, "127.0.0.2", officePath); c == nil {
		t.Fatalf("another address: %d %s", st, b)
	} else {
		c.Close()
	}
	// Closing one frees its place once the server has seen it go.
	open[0].Close()
	open[0] = e.redial(t, "127.0.0.1", officePath)
	if c, st, _ := e.dialFrom(t, "127.0.0.1", officePath); c != nil || st != http.StatusTooManyRequests {
		t.Fatalf("after the place was taken again: status %d, want 429", st)
	}
	// All closed: as many as before are accepted again.
	for _, c := range open {
		c.Close()
	}
	for range max {
		e.redial(t, "127.0.0.1", ticketPath)
	}
}

// redial dials path from src until it is accepted (a closed stream's place
// is freed when the server's handler has noticed the close), within wait.
func (e *env) redial(t *testing.T, src, path string) *websocket.Conn {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		c, st, b := e.dialFrom(t, src, path)
		if c != nil {
			return c
		}
		if st != http.StatusTooManyRequests || time.Now().After(deadline) {
			t.Fatalf("dial %s from %s after closing: %d %s", path, src, st, b)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
