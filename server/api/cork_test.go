package api

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// countingConn counts the writes that reach the real connection.
type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// corkPair upgrades a real loopback websocket through corkingWriter and
// returns the server's side (its conn, the corked connection and the
// counter of real writes) and the client's.
func corkPair(t *testing.T) (*websocket.Conn, *corkedConn, *countingConn, *websocket.Conn) {
	t.Helper()
	type side struct {
		ws *websocket.Conn
		cc *corkedConn
	}
	got := make(chan side, 1)
	hold := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, cc, err := upgradeCorked(&websocket.Upgrader{}, w, r)
		if err != nil {
			t.Errorf("upgrade: %v", err)
			return
		}
		got <- side{ws, cc}
		<-hold // the handler's end would not close a hijacked conn, but keep it tidy
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hold) })
	client, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	s := <-got
	t.Cleanup(func() { s.ws.Close() })
	counter := &countingConn{Conn: s.cc.Conn}
	s.cc.Conn = counter
	return s.ws, s.cc, counter, client
}

// readAll reads n text messages from the client side.
func readAll(t *testing.T, c *websocket.Conn, n int) []string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var out []string
	for range n {
		_, b, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read message %d of %d: %v", len(out)+1, n, err)
		}
		out = append(out, string(b))
	}
	return out
}

func TestCorkedBurstIsOneWrite(t *testing.T) {
	ws, cc, counter, client := corkPair(t)
	cc.cork()
	var want []string
	for i := range 10 {
		m := strings.Repeat(string(rune('a'+i)), 100+i)
		want = append(want, m)
		if err := ws.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if n := counter.writes.Load(); n != 0 {
		t.Fatalf("%d writes reached the connection while corked", n)
	}
	if err := cc.flush(); err != nil {
		t.Fatal(err)
	}
	if n := counter.writes.Load(); n != 1 {
		t.Fatalf("a burst of 10 messages took %d writes, want 1", n)
	}
	if got := readAll(t, client, 10); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("messages changed or reordered:\n%q\nwant\n%q", got, want)
	}
	// Uncorked, every message is written at once.
	if err := ws.WriteMessage(websocket.TextMessage, []byte("after")); err != nil {
		t.Fatal(err)
	}
	if n := counter.writes.Load(); n != 2 {
		t.Fatalf("uncorked message: %d writes in all, want 2", n)
	}
	if got := readAll(t, client, 1); got[0] != "after" {
		t.Fatalf("got %q", got)
	}
}

// A message larger than gorilla's buffer is written in two parts; the
// second part is payload, which must not be mistaken for a frame header
// ('x' is 0x78: read as a header, an opcode of 8, a close frame).
func TestCorkedLargeMessagesKeepOrder(t *testing.T) {
	ws, cc, _, client := corkPair(t)
	want := []string{"first", strings.Repeat("x", 10_000), "middle", strings.Repeat("y", 70_000), "last"}
	for round := range 2 {
		cc.cork()
		for _, m := range want {
			if err := ws.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
				t.Fatal(err)
			}
		}
		if err := cc.flush(); err != nil {
			t.Fatal(err)
		}
		got := readAll(t, client, len(want))
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("round %d: message %d is %d bytes starting %.10q, want %d bytes starting %.10q", round, i, len(got[i]), got[i], len(want[i]), want[i])
			}
		}
	}
}

func TestCorkLimitSpillsInOrder(t *testing.T) {
	ws, cc, counter, client := corkPair(t)
	cc.cork()
	var want []string
	for i := range 200 {
		m := strings.Repeat(string(rune('a'+i%26)), 1000)
		want = append(want, m)
		if err := ws.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := cc.flush(); err != nil {
		t.Fatal(err)
	}
	// 200 kB in bursts of at most corkLimit: a few writes, not 200.
	if n := counter.writes.Load(); n < 3 || n > 10 {
		t.Fatalf("200 messages of 1 kB took %d writes; want a few (corkLimit %d)", n, corkLimit)
	}
	got := readAll(t, client, len(want))
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("message %d changed", i)
		}
	}
}

// Control frames are not held back: a ping sent while data is gathered
// reaches the client before that data; a close frame drops the gathered
// data, and nothing is sent after it.
func TestCorkedControlFrames(t *testing.T) {
	ws, cc, counter, client := corkPair(t)
	var mu sync.Mutex
	var order []string
	client.SetPingHandler(func(string) error {
		mu.Lock()
		order = append(order, "ping")
		mu.Unlock()
		return nil
	})
	cc.cork()
	if err := ws.WriteMessage(websocket.TextMessage, []byte("gathered")); err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := counter.writes.Load(); n != 1 {
		t.Fatalf("the ping was held back (%d writes)", n)
	}
	if err := cc.flush(); err != nil {
		t.Fatal(err)
	}
	for _, m := range readAll(t, client, 1) {
		mu.Lock()
		order = append(order, m)
		mu.Unlock()
	}
	if strings.Join(order, ",") != "ping,gathered" {
		t.Fatalf("order %v, want ping then the gathered message", order)
	}

	cc.cork()
	if err := ws.WriteMessage(websocket.TextMessage, []byte("dropped")); err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "slow"), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	before := counter.writes.Load()
	if err := cc.flush(); err != nil {
		t.Fatal(err)
	}
	if n := counter.writes.Load(); n != before {
		t.Fatalf("%d writes after the close frame", n-before)
	}
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := client.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseTryAgainLater) {
		t.Fatalf("after a close frame: message %q, error %v; want the close (1013) and nothing else", b, err)
	}
}

func TestFrameSize(t *testing.T) {
	big := make([]byte, 10)
	big[0], big[1] = 0x81, 127
	big[9] = 0x01 // 1-byte payload in the 64-bit length
	huge := bytes.Clone(big)
	huge[2] = 0x80 // beyond int32
	for _, c := range []struct {
		name          string
		p             []byte
		n             int
		control, clos bool
	}{
		{"empty", nil, 0, true, false},
		{"one byte", []byte{0x81}, 1, true, false},
		{"text 5", []byte{0x81, 5, 'h', 'e'}, 7, false, false},
		{"continuation 3", []byte{0x00, 3}, 5, false, false},
		{"16-bit length", []byte{0x81, 126, 0x01, 0x00}, 4 + 256, false, false},
		{"16-bit length cut", []byte{0x81, 126, 0x01}, 3, true, false},
		{"64-bit length", big, 10 + 1, false, false},
		{"64-bit length cut", big[:5], 5, true, false},
		{"64-bit length too large", huge, 10, true, false},
		{"masked", []byte{0x81, 0x80 | 2}, 2 + 4 + 2, false, false},
		{"ping", []byte{0x89, 1, 'p'}, 3, true, false},
		{"close", []byte{0x88, 2, 0x03, 0xf5}, 4, true, true},
	} {
		n, control, clos := frameSize(c.p)
		if n != c.n || control != c.control || clos != c.clos {
			t.Errorf("%s: frameSize = %d, %v, %v; want %d, %v, %v", c.name, n, control, clos, c.n, c.control, c.clos)
		}
	}
}

// frameSize reads bytes the server wrote, but must not panic or promise
// less than a header on anything.
func FuzzFrameSize(f *testing.F) {
	for _, s := range [][]byte{nil, {0x81}, {0x81, 5}, {0x81, 126, 1, 0}, {0x82, 127, 0, 0, 0, 0, 0, 0, 1, 0}, {0x88, 0}, {0xff, 0xff}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		n, control, _ := frameSize(p)
		if n < min(len(p), 2) {
			t.Fatalf("frameSize(%x) = %d: less than the header", p, n)
		}
		if len(p) >= 2 && !control && n < 2 {
			t.Fatalf("data frame of %d bytes", n)
		}
	})
}
