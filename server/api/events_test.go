package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// storedEvents reads the office's events after since from the store.
func storedEvents(t *testing.T, e *env, since int64) []wsEvent {
	t.Helper()
	msgs, complete, err := e.db.EventsSince(context.Background(), office, since, 0)
	if err != nil || !complete {
		t.Fatalf("events since %d: complete %v, %v", since, complete, err)
	}
	out := make([]wsEvent, len(msgs))
	for i, m := range msgs {
		if err := json.Unmarshal(m.Public, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestEventsSnapshotThenLive(t *testing.T) {
	e := newEnv(t)
	e.issue(t, "kiosk1", "ho-tich")
	ws := e.dial(t, "", nil)
	snap := readEvent(t, ws)
	if snap.Type != "snapshot" || snap.Seq != 1 || !strings.Contains(string(snap.Data), `"waiting"`) {
		t.Fatalf("first message %+v", snap)
	}
	e.issue(t, "kiosk2", "xay-dung")
	if ev := readEvent(t, ws); ev.Type != "ticket.issued" || ev.Seq != 2 {
		t.Fatalf("live %+v", ev)
	}
}

func TestEventsResumeWithSince(t *testing.T) {
	e := newEnv(t)
	clerk := e.clerk(t, "nv1", "q1")
	ws := e.dial(t, "?since=0", nil)
	got := []wsEvent{readEvent(t, ws)} // counter.opened, replayed
	for i := 0; i < 3; i++ {
		e.issue(t, "kiosk1", "xay-dung")
		got = append(got, readEvent(t, ws))
	}
	last := got[len(got)-1].Seq
	ws.Close()
	// While it is away: issues, a call, a status report.
	for i := 0; i < 5; i++ {
		e.issue(t, "kiosk2", "ho-tich")
	}
	e.clock.Advance(time.Minute)
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk})
	e.must(t, 200, req{method: "POST", path: "/api/v1/devices/status", device: "kiosk2", body: map[string]string{"status": "paper_low"}})
	missed := storedEvents(t, e, last)
	ws2 := e.dial(t, fmt.Sprintf("?since=%d", last), nil)
	for i, want := range missed {
		ev := readEvent(t, ws2)
		if ev.Seq != want.Seq || ev.Type != want.Type {
			t.Fatalf("replayed event %d: seq %d %s, want seq %d %s", i, ev.Seq, ev.Type, want.Seq, want.Type)
		}
	}
	// Then live, no repeat and no gap.
	e.issue(t, "kiosk3", "chung-thuc")
	if ev := readEvent(t, ws2); ev.Seq != missed[len(missed)-1].Seq+1 || ev.Type != "ticket.issued" {
		t.Fatalf("after replay: %+v", ev)
	}
	// A since the store no longer has (pruned) or never had gives a snapshot.
	if _, err := e.db.PruneEvents(context.Background(), office, 5); err != nil {
		t.Fatal(err)
	}
	for _, since := range []string{"2", "999"} {
		ws3 := e.dial(t, "?since="+since, nil)
		if ev := readEvent(t, ws3); ev.Type != "snapshot" || ev.Seq != e.seq(t) {
			t.Fatalf("since=%s: first message %+v, want a snapshot at %d", since, ev, e.seq(t))
		}
	}
	// Caught up: nothing to replay, then live.
	ws4 := e.dial(t, fmt.Sprintf("?since=%d", e.seq(t)), nil)
	e.issue(t, "kiosk3", "chung-thuc")
	if ev := readEvent(t, ws4); ev.Seq != e.seq(t) || ev.Type != "ticket.issued" {
		t.Fatalf("caught-up client got %+v", ev)
	}
}

func TestEventsOriginAndFlood(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.AllowedOrigins = []string{"https://board.example.vn"} }))
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/offices/" + office + "/events"
	_, res, err := websocket.DefaultDialer.Dial(u, http.Header{"Origin": {"https://evil.example"}})
	if err == nil || res == nil || res.StatusCode != 403 {
		t.Fatalf("foreign origin: err %v, res %v", err, res)
	}
	e.dial(t, "", http.Header{"Origin": {"https://board.example.vn"}})
	e.dial(t, "", http.Header{"Origin": {e.srv.URL}})
	// A client that floods the read-only stream is cut off.
	ws := e.dial(t, "", nil)
	readEvent(t, ws)
	for i := 0; i < 100; i++ {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"hello":1}`)); err != nil {
			break
		}
	}
	ws.SetReadDeadline(time.Now().Add(wait))
	for {
		_, _, err := ws.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code != websocket.ClosePolicyViolation {
				t.Fatalf("close code %d, want %d", ce.Code, websocket.ClosePolicyViolation)
			}
			break
		}
		if err != nil {
			t.Fatalf("flooding client: %v, want a close frame", err)
		}
	}
	// A client sending one huge message is cut off too.
	ws2 := e.dial(t, "", nil)
	readEvent(t, ws2)
	ws2.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", 64<<10)))
	ws2.SetReadDeadline(time.Now().Add(wait))
	_, _, err = ws2.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Fatalf("huge message: %v", err)
	}
}

// smallBuffers makes the server's sockets buffer little, so that a client
// that stops reading blocks its writer after a few events, as over a slow
// network.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// TestSlowClientDropped: one client stops reading; it is disconnected, and
// the other clients keep receiving every event. Their delivery latency
// (publish → received) is measured and printed, not asserted.
func TestSlowClientDropped(t *testing.T) {
	e := newEnv(t, withHubBuffer(16), withConfig(func(c *Config) { c.WriteTimeout = 30 * time.Second }))
	// Restart the test server on small socket buffers.
	e.srv.Close()
	e.srv = httptest.NewUnstartedServer(e.api)
	e.srv.Listener = smallBuffers{e.srv.Listener}
	e.srv.Start()
	t.Cleanup(e.srv.Close)

	var mu sync.Mutex
	published := map[int64]time.Time{}
	e.pubHook = func(_ string, seq int64) {
		mu.Lock()
		published[seq] = time.Now()
		mu.Unlock()
	}
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/offices/" + office + "/events"
	slowDialer := websocket.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(4096)
		}
		return c, err
	}}
	slow, _, err := slowDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	const fast = 4
	const events = 300
	type lat struct{ d []time.Duration }
	results := make([]lat, fast)
	var wg sync.WaitGroup
	ready := make(chan struct{}, fast)
	for i := 0; i < fast; i++ {
		c := e.dial(t, "", nil)
		wg.Add(1)
		go func(i int, c *websocket.Conn) {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(time.Minute))
			c.ReadMessage() // snapshot
			ready <- struct{}{}
			for want := int64(1); want <= events; want++ {
				_, b, err := c.ReadMessage()
				at := time.Now()
				if err != nil {
					t.Errorf("fast client %d: %v at seq %d", i, err, want)
					return
				}
				var ev wsEvent
				json.Unmarshal(b, &ev)
				if ev.Seq != want {
					t.Errorf("fast client %d: seq %d, want %d", i, ev.Seq, want)
					return
				}
				mu.Lock()
				results[i].d = append(results[i].d, at.Sub(published[ev.Seq]))
				mu.Unlock()
			}
		}(i, c)
	}
	for i := 0; i < fast; i++ {
		<-ready
	}
	// The slow client reads its snapshot, then nothing more.
	slow.SetReadDeadline(time.Now().Add(wait))
	if _, _, err := slow.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	// A ticket event is a few hundred bytes; a fat ticker in the config
	// makes no difference to ticket events, so issue many tickets.
	services := []string{"xay-dung", "ho-tich", "chung-thuc"}
	for i := 0; i < events; i++ {
		e.issue(t, "kiosk1", services[i%3])
	}
	wg.Wait()
	if e.hub.Dropped() < 1 {
		t.Fatal("the slow client was not dropped")
	}
	// The slow client finds its stream closed with "try again later" after
	// what was buffered.
	slow.SetReadDeadline(time.Now().Add(wait))
	n := 0
	for {
		_, _, err := slow.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				t.Logf("slow client: received %d of %d events, then close %d %q", n, events, ce.Code, ce.Text)
			} else {
				t.Logf("slow client: received %d of %d events, then %v", n, events, err)
			}
			break
		}
		n++
	}
	if n >= events {
		t.Fatalf("slow client received all %d events; it was never behind", n)
	}
	var all []time.Duration
	for _, r := range results {
		all = append(all, r.d...)
	}
	slices.Sort(all)
	if len(all) > 0 {
		p := func(q float64) time.Duration { return all[int(q*float64(len(all)-1))] }
		t.Logf("delivery latency to %d fast clients over %d events while one client stalled: p50 %v, p99 %v, max %v",
			fast, events, p(0.5), p(0.99), all[len(all)-1])
	}
}
