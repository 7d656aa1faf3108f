package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// bareServer is the least a websocket server can do with
// gorilla/websocket, in the tool itself on loopback: no store, no engine,
// no hub, no JSON; each event is one PreparedMessage (framed once) written
// to every connection by the connection's own writer goroutine (so that
// both cores write, as the server's hub does). What the server's fan-out
// takes beyond this is the server's cost; this is the machine's.
type bareServer struct {
	ln     net.Listener
	srv    *http.Server
	mu     sync.Mutex
	conns  []chan *websocket.PreparedMessage
	joined chan struct{} // one token per connection taken
	late   atomic.Int64  // messages not queued: a client's queue was full
	wg     sync.WaitGroup
}

// bareQueue is each connection's queue of messages; a client that falls
// this far behind misses messages (the server's hub drops such a client).
const bareQueue = 1024

// startBare listens on a free loopback port for up to n clients.
func startBare(n int) (*bareServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bareServer{ln: ln, joined: make(chan struct{}, n)}
	b.srv = &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	go b.srv.Serve(ln)
	return b, nil
}

// url is the websocket URL of the server.
func (b *bareServer) url() string { return "ws://" + b.ln.Addr().String() + "/" }

func (b *bareServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{ReadBufferSize: 256, WriteBufferSize: 4096}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ch := make(chan *websocket.PreparedMessage, bareQueue)
	b.mu.Lock()
	b.conns = append(b.conns, ch)
	b.wg.Add(1)
	b.mu.Unlock()
	select {
	case b.joined <- struct{}{}:
	default:
	}
	go func() {
		defer b.wg.Done()
		defer conn.Close()
		for pm := range ch {
			conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := conn.WritePreparedMessage(pm); err != nil {
				for range ch {
				}
				return
			}
		}
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(5*time.Second))
	}()
}

// await waits until n connections were taken.
func (b *bareServer) await(n int, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for i := range n {
		select {
		case <-b.joined:
		case <-t.C:
			return fmt.Errorf("baseline server: %d of %d clients arrived in %s", i, n, timeout)
		}
	}
	return nil
}

// send writes one message to every connection.
func (b *bareServer) send(msg []byte) error {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, msg)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.conns {
		select {
		case ch <- pm:
		default:
			b.late.Add(1)
		}
	}
	return nil
}

// finish closes every connection after its queued messages, and stops.
func (b *bareServer) finish() {
	b.mu.Lock()
	for _, ch := range b.conns {
		close(ch)
	}
	b.conns = nil
	b.mu.Unlock()
	b.wg.Wait()
	b.srv.Close()
}

// baselineMessage is the seq-th message of the baseline: an event of the
// server's shape (seq first, as seqOf reads it), padded to about size
// bytes.
func baselineMessage(seq int64, at time.Time, size int) []byte {
	m := fmt.Sprintf(`{"seq":%d,"type":"ticket.called","at":%q,"data":{"pad":"`, seq, at.Format(time.RFC3339Nano))
	return []byte(m + strings.Repeat("x", max(0, size-len(m)-3)) + `"}}`)
}

// plan is what the baseline sends: to clients clients, events messages of
// size bytes, one every every.
type plan struct {
	clients, events, size int
	every                 time.Duration
}

// Limits of the baseline: about baselineSpan of the phase's pace (it runs
// after the measured phase and adds to the run's length), at least
// baselineMin messages, at most baselineMax, never more than the phase
// published (nor fewer than baselineMin).
const (
	baselineMin  = 20
	baselineMax  = 1000
	baselineSpan = 5 * time.Second
)

// baselinePlan sends messages at the measured phase's pace (one every
// elapsed/published), of its events' mean size, to as many clients as
// connected to the server: the same work per second as the server's fan-out
// had, so that the two latencies compare. A faster pace than the phase's
// would queue messages the server never had to queue.
func baselinePlan(ev *events, r *results) plan {
	n := r.seq1 - r.seq0
	p := plan{clients: ev.clients(), size: ev.meanEventBytes(), every: 10 * time.Millisecond}
	if p.size <= 0 {
		p.size = 400
	}
	if n > 0 && r.elapsed > 0 {
		p.every = max(r.elapsed/time.Duration(n), time.Microsecond)
	}
	p.events = int(min(max(int64(baselineSpan/p.every), baselineMin), baselineMax, max(n, baselineMin)))
	return p
}

// baselineResult is the fan-out of the bare server, measured by the code
// that measures the server's (measure).
type baselineResult struct {
	plan
	fanout
	connected, dropped, late int64
	firstErr                 string
}

// runBaseline connects p.clients clients to a bare server (from the
// source addresses src, as the fleets do), sends p's messages and
// measures their fan-out.
func runBaseline(ctx context.Context, p plan, src []net.IP) (*baselineResult, error) {
	if p.clients <= 0 || p.events <= 0 {
		return nil, errors.New("nothing to measure")
	}
	b, err := startBare(p.clients)
	if err != nil {
		return nil, err
	}
	defer b.finish()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute) // a client that never ends stops here
	defer cancel()
	f := &wsFleet{url: b.url(), kind: "baseline", n: p.clients, closeIsEnd: true,
		dialer: &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 256}}
	f.connect(ctx, 200, src)
	if err := b.await(int(f.connected.Load()), 30*time.Second); err != nil {
		return nil, err
	}
	info := make(map[int64]eventInfo, p.events)
	next := time.Now()
	for seq := int64(1); seq <= int64(p.events); seq++ {
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		next = next.Add(p.every)
		at := time.Now()
		info[seq] = eventInfo{typ: "ticket.called", at: at}
		if err := b.send(baselineMessage(seq, at, p.size)); err != nil {
			return nil, err
		}
	}
	b.finish()
	f.readers.Wait()
	r := &baselineResult{plan: p, fanout: measure([]*wsFleet{f}, info, 1, int64(p.events), nil),
		connected: f.connected.Load(), dropped: f.dropped.Load(), late: b.late.Load()}
	if e := f.firstErr.Load(); e != nil {
		r.firstErr = e.(string)
	}
	return r, nil
}
