package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestTicketStreamEncodesOncePerEventForAllFollowers: three phones follow
// one ticket and one follows another; each event is rendered and encoded
// once per followed ticket, every follower of a ticket gets the same
// bytes, and the shared entry goes when its followers leave.
func TestTicketStreamEncodesOncePerEventForAllFollowers(t *testing.T) {
	e := newEnv(t)
	a, b := e.issue(t, "kiosk1", "ho-tich"), e.issue(t, "kiosk1", "ho-tich")
	c := e.api.citizen
	dial := func(tk TicketJSON) *websocket.Conn {
		t.Helper()
		token := tk.TrackURL[strings.Index(tk.TrackURL, "token=")+6:]
		u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/tickets/" + tk.ID + "/events?token=" + token
		ws, _, err := websocket.DefaultDialer.Dial(u, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		return ws
	}
	read := func(ws *websocket.Conn) []byte {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(wait))
		_, m, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	followers := []*websocket.Conn{dial(a), dial(a), dial(a)}
	other := dial(b)
	var first [][]byte
	for _, ws := range followers {
		first = append(first, read(ws))
	}
	read(other)
	if !bytes.Equal(first[0], first[1]) || !bytes.Equal(first[0], first[2]) {
		t.Fatalf("followers of one ticket got different messages:\n%s\n%s", first[0], first[2])
	}
	if n, f := c.feeds.renders.Load(), c.feeds.followed(); n != 2 || f != 2 {
		t.Fatalf("%d renders for 4 followers of 2 tickets, %d followed; want 2 and 2", n, f)
	}
	// One change (a call: one commit, one view): one more render per
	// followed ticket.
	clerk := e.clerk(t, "nv2", "q2")
	for _, ws := range append(followers, other) {
		read(ws) // the counter opened: a new forecast
	}
	n0 := c.feeds.renders.Load()
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/next", token: clerk})
	var called [][]byte
	for _, ws := range followers {
		m := read(ws)
		for !bytes.Contains(m, []byte(`"status":"called"`)) {
			m = read(ws)
		}
		called = append(called, m)
	}
	if !bytes.Equal(called[0], called[1]) || !bytes.Equal(called[0], called[2]) {
		t.Fatal("followers of one ticket got different messages after the call")
	}
	read(other) // b moved up: ahead 0
	if n := c.feeds.renders.Load() - n0; n != 2 {
		t.Fatalf("%d renders for one call, want 2 (one per followed ticket)", n)
	}
	for _, ws := range append(followers, other) {
		ws.Close()
	}
	deadline := time.Now().Add(wait)
	for c.feeds.followed() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d tickets still followed after every follower left", c.feeds.followed())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTicketStreamSendsWhatThePageShowsChanging: an event that moves the
// forecast by seconds only (time passing, a ticket issued behind) sends
// nothing; one that moves it by a minute does.
func TestTicketStreamSendsWhatThePageShowsChanging(t *testing.T) {
	e := newEnv(t)
	clerk := e.clerk(t, "nv2", "q2")
	e.issue(t, "kiosk1", "ho-tich")
	tk := e.issue(t, "kiosk1", "ho-tich")
	// The first is called: the one we follow waits for the end of its
	// service, which comes closer as time passes.
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/next", token: clerk})
	token := tk.TrackURL[strings.Index(tk.TrackURL, "token=")+6:]
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/tickets/" + tk.ID + "/events?token=" + token
	ws, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	read := func(within time.Duration) *TrackJSON {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(within))
		_, m, err := ws.ReadMessage()
		if err != nil {
			return nil
		}
		var j TrackJSON
		if err := json.Unmarshal(m, &j); err != nil {
			t.Fatal(err)
		}
		return &j
	}
	first := read(wait)
	if first == nil || first.Ticket.ETASeconds <= 0 {
		t.Fatalf("first message %+v", first)
	}
	e.clock.Advance(10 * time.Second)
	e.issue(t, "kiosk1", "ho-tich") // behind ours: 10 s less to wait, the same minute
	e.clock.Advance(2 * time.Minute)
	e.issue(t, "kiosk1", "ho-tich")
	// The next message is the second event's: nothing was sent for the
	// first. (A read that times out breaks a gorilla connection, so the
	// absence is shown by what comes next.)
	j := read(wait)
	if j == nil || j.Ticket.ETASeconds != first.Ticket.ETASeconds-130 {
		t.Fatalf("after 10 s, then 2 min more: %+v, want the second change (eta %d s), not the first", j, first.Ticket.ETASeconds-130)
	}
}
