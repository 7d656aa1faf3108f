package api

import (
	"net/http"
	"sync"
)

// DefaultMaxStreamsPerAddr is how many live streams (the office's event
// stream and tickets' streams together) one client address may hold when
// Config.MaxStreamsPerAddr is 0. An office where every board, the clerks'
// PCs and the staff's phones on the Wi-Fi reach the server through one
// NAT address has a few dozen; a client holding a thousand never-reading
// sockets had doubled the kiosks' latency.
const DefaultMaxStreamsPerAddr = 50

// streamSlots counts the live streams of each client address.
type streamSlots struct {
	max int // ≤ 0: no cap
	mu  sync.Mutex
	n   map[string]int
}

// take reserves a stream for addr; false when addr holds max already.
func (l *streamSlots) take(addr string) bool {
	if l.max <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[addr] >= l.max {
		return false
	}
	if l.n == nil {
		l.n = map[string]int{}
	}
	l.n[addr]++
	return true
}

// give frees a stream that take reserved for addr.
func (l *streamSlots) give(addr string) {
	if l.max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[addr]--; l.n[addr] <= 0 {
		delete(l.n, addr) // the map holds only addresses with live streams
	}
}

// refuseStream answers 429 to a stream beyond the address's cap, before
// any upgrade. The message does not name the address (behind a proxy it
// is the proxy's).
func (s *Server) refuseStream(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "30")
	writeError(w, r, newError(http.StatusTooManyRequests, "too_many_streams",
		"your network address already holds {max} live streams, the most allowed: close a page or board left open and try again; an office with more screens behind one address can raise the server's -max-ws-per-addr",
		"max", s.streams.max))
}
