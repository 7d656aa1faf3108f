package client

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// scriptedStream is a websocket peer that answers each connection with the
// messages its script gives for the requested since.
type scriptedStream struct {
	mu     sync.Mutex
	sinces []string
	script func(conn int, since string) []string
	// hangUpFirst closes the first connection after its messages.
	hangUpFirst bool
}

func (s *scriptedStream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	s.mu.Lock()
	n := len(s.sinces)
	since := r.URL.Query().Get("since")
	s.sinces = append(s.sinces, since)
	s.mu.Unlock()
	for _, m := range s.script(n, since) {
		if err := c.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
			return
		}
	}
	if n == 0 && s.hangUpFirst {
		return
	}
	// Keep the connection until the client closes it.
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}

func ev(seq int64, typ string) string {
	return fmt.Sprintf(`{"seq":%d,"type":%q,"at":"2026-11-27T08:00:00+07:00","data":{}}`, seq, typ)
}

type collect struct {
	mu   sync.Mutex
	seqs []int64
	want int
	done chan struct{}
	once sync.Once
}

func (c *collect) Event(e Event) {
	c.mu.Lock()
	c.seqs = append(c.seqs, e.Seq)
	n := len(c.seqs)
	c.mu.Unlock()
	if n == c.want {
		c.once.Do(func() { close(c.done) })
	}
}

func (c *collect) Connected(bool, error) {}

func follow(t *testing.T, s *scriptedStream, since int64, want int) []int64 {
	t.Helper()
	srv := httptest.NewServer(s)
	defer srv.Close()
	cl, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := &collect{want: want, done: make(chan struct{})}
	errc := make(chan error, 1)
	go func() { errc <- cl.Follow(ctx, "demo", FollowOptions{Since: since, MinBackoff: time.Millisecond}, h) }()
	select {
	case <-h.done:
	case <-ctx.Done():
		t.Fatalf("got %v, want %d events", h.seqs, want)
	}
	cancel()
	<-errc
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int64(nil), h.seqs...)
}

func TestFollowResumesAfterAGap(t *testing.T) {
	s := &scriptedStream{script: func(conn int, since string) []string {
		switch since {
		case "3":
			return []string{ev(4, "ticket.issued"), ev(5, "ticket.called")}
		case "":
			return []string{ev(3, "snapshot"), ev(5, "ticket.called")} // 4 is missing
		}
		return nil
	}}
	got := follow(t, s, 0, 3)
	if fmt.Sprint(got) != "[3 4 5]" {
		t.Fatalf("events %v, want [3 4 5]", got)
	}
	if fmt.Sprint(s.sinces) != "[ 3]" {
		t.Fatalf("connections asked since %q, want a fresh start then since=3", s.sinces)
	}
}

func TestFollowSkipsRepeatsAndResumesAfterDisconnect(t *testing.T) {
	s := &scriptedStream{hangUpFirst: true, script: func(conn int, since string) []string {
		if conn == 0 {
			return []string{ev(11, "ticket.issued"), ev(12, "ticket.issued")}
		}
		// The server replays from since=12, with an overlap.
		return []string{ev(12, "ticket.issued"), ev(13, "ticket.called")}
	}}
	got := follow(t, s, 10, 3)
	if fmt.Sprint(got) != "[11 12 13]" {
		t.Fatalf("events %v, want [11 12 13]", got)
	}
	if fmt.Sprint(s.sinces) != "[10 12]" {
		t.Fatalf("connections asked since %q, want 10 then 12", s.sinces)
	}
}
