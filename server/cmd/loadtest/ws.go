package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/client"
)

// receipt is one event received by one client: its seq and when.
type receipt struct {
	seq int64
	at  int64 // UnixNano of receipt
}

// eventInfo is what the observer learns of an event (or what the baseline
// server sent).
type eventInfo struct {
	typ    string
	at     time.Time // the event's "at": the command's time, before its commit
	ticket string    // ticket id of ticket.* events
}

// wsFleet is a set of websocket clients following an office's events. It
// reads the raw frames (not through client.Follow): one client of a
// thousand must not cost the machine a JSON decoding per message, and each
// message's arrival is timed as it is read.
type wsFleet struct {
	url    string // ws://…/events
	kind   string // "board", "tracker" or "baseline"
	n      int
	dialer *websocket.Dialer

	mu      sync.Mutex
	clients []*wsClient
	noSeq   bool     // ticket streams: messages without seq
	urls    []string // one URL per client (ticket streams), else url
	// closeIsEnd: a normal close from the server ends a client's reading
	// without counting it dropped (the baseline server closes its clients
	// after its last message).
	closeIsEnd bool
	readers    sync.WaitGroup // the clients' reading goroutines

	connected atomic.Int64
	dropped   atomic.Int64 // closed by the server or the network while reading
	dialErrs  atomic.Int64
	firstErr  atomic.Value
}

type wsClient struct {
	rec    []receipt
	closed bool // we closed it at the end
	conn   *websocket.Conn
	mu     sync.Mutex
}

// connect opens n clients, at most par dials at a time; each reads until
// ctx ends. It returns when all have connected (or failed to).
func (f *wsFleet) connect(ctx context.Context, par int, srcIPs []net.IP) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := range f.n {
		sem <- struct{}{}
		wg.Add(1)
		c := &wsClient{}
		f.mu.Lock()
		f.clients = append(f.clients, c)
		f.mu.Unlock()
		go func() {
			defer wg.Done()
			d := *f.dialer
			if len(srcIPs) > 0 {
				// Spread the clients over loopback source addresses so that
				// 10,000 connections do not exhaust one address's ports.
				nd := &net.Dialer{LocalAddr: &net.TCPAddr{IP: srcIPs[i%len(srcIPs)]}, Timeout: 10 * time.Second}
				d.NetDialContext = nd.DialContext
			}
			u := f.url
			if len(f.urls) > 0 {
				u = f.urls[i%len(f.urls)]
			}
			conn, resp, err := d.DialContext(ctx, u, http.Header{})
			<-sem
			if err != nil {
				f.dialErrs.Add(1)
				if resp != nil {
					err = fmt.Errorf("%s: %w", resp.Status, err)
				}
				f.firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			f.connected.Add(1)
			c.mu.Lock()
			c.conn = conn
			c.mu.Unlock()
			f.readers.Add(1)
			go f.read(ctx, c)
		}()
	}
	wg.Wait()
}

// read records every message's seq and receipt time.
func (f *wsFleet) read(ctx context.Context, c *wsClient) {
	defer f.readers.Done()
	conn := c.conn
	conn.SetReadLimit(1 << 20)
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		conn.Close()
	})
	defer stop()
	for {
		_, msg, err := conn.ReadMessage()
		now := time.Now().UnixNano()
		if err != nil {
			c.mu.Lock()
			if f.closeIsEnd && websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				c.closed = true
			}
			gone := !c.closed
			c.mu.Unlock()
			if gone {
				f.dropped.Add(1)
				f.firstErr.CompareAndSwap(nil, "read: "+err.Error())
			}
			return
		}
		c.rec = append(c.rec, receipt{seqOf(msg), now})
	}
}

// seqOf reads the seq of an event message cheaply: they start with
// {"seq":N.
func seqOf(msg []byte) int64 {
	const p = `{"seq":`
	if !bytes.HasPrefix(msg, []byte(p)) {
		return -1
	}
	rest := msg[len(p):]
	end := bytes.IndexAny(rest, ",}")
	if end < 0 {
		return -1
	}
	n, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// fanout is the event fan-out latency of fleets, measured per delivery
// (one event to one client) and per event (to the last client).
type fanout struct {
	fromAt           summary // all ticket.called deliveries, from the event's at
	fromAtLast       summary // per ticket.called event, the slowest client
	fromAnswer       summary // ticket.called deliveries, from the clerk's answer
	allEvents        summary // every event delivery, from its at
	missing, clients int     // events a client that stayed connected never got
}

// measure computes the fan-out of the events with seq in [from, to] (events
// published during the measured phase). answered maps a called ticket's
// id to when the clerk's "next" answer arrived.
func measure(fleets []*wsFleet, info map[int64]eventInfo, from, to int64, answered map[string]time.Time) fanout {
	var fa, fl, fans, all []time.Duration
	last := map[int64]time.Duration{}
	var out fanout
	// Ticket streams carry no seq: a message is the answer to the latest
	// event before it arrived.
	var seqs []int64
	for s := from; s <= to; s++ {
		if _, ok := info[s]; ok {
			seqs = append(seqs, s)
		}
	}
	attribute := func(at int64) int64 {
		i := sort.Search(len(seqs), func(i int) bool { return info[seqs[i]].at.UnixNano() > at })
		if i == 0 {
			return -1
		}
		return seqs[i-1]
	}
	for _, f := range fleets {
		for _, c := range f.clients {
			if c.conn == nil {
				continue
			}
			out.clients++
			got := map[int64]bool{}
			dropped := false
			for _, r := range c.rec {
				if f.noSeq {
					r.seq = attribute(r.at)
				}
				if r.seq < from || r.seq > to {
					continue
				}
				got[r.seq] = true
				ev, ok := info[r.seq]
				if !ok {
					continue
				}
				d := time.Duration(r.at - ev.at.UnixNano())
				all = append(all, d)
				if ev.typ != "ticket.called" {
					continue
				}
				fa = append(fa, d)
				last[r.seq] = max(last[r.seq], d)
				if t, ok := answered[ev.ticket]; ok {
					fans = append(fans, time.Duration(r.at-t.UnixNano()))
				}
			}
			c.mu.Lock()
			dropped = !c.closed
			c.mu.Unlock()
			if !dropped && !f.noSeq {
				for s := from; s <= to; s++ {
					if !got[s] {
						out.missing++
					}
				}
			}
		}
	}
	for _, d := range last {
		fl = append(fl, d)
	}
	out.fromAt, out.fromAtLast, out.fromAnswer, out.allEvents = summarize(fa), summarize(fl), summarize(fans), summarize(all)
	return out
}

// observer follows the office's events through the client (client.Follow)
// and keeps each event's type, time and ticket, which the fleets'
// receipts are timed against. It is not counted in the fan-out.
type observer struct {
	mu    sync.Mutex
	info  map[int64]eventInfo
	bytes int // total size of the events seen, for the baseline's messages
	up    chan struct{}
	once  sync.Once
}

func newObserver() *observer {
	return &observer{info: map[int64]eventInfo{}, up: make(chan struct{})}
}

// Event keeps what the fan-out needs of one event.
func (o *observer) Event(e client.Event) {
	if e.Type == "snapshot" {
		return
	}
	inf := eventInfo{typ: e.Type, at: e.At}
	if d, err := e.DecodeTicket(); err == nil {
		inf.ticket = d.Ticket.ID
	}
	msg, _ := json.Marshal(e)
	o.mu.Lock()
	o.info[e.Seq] = inf
	o.bytes += len(msg)
	o.mu.Unlock()
}

// Connected signals the first connection.
func (o *observer) Connected(up bool, _ error) {
	if up {
		o.once.Do(func() { close(o.up) })
	}
}

// events are the run's websocket clients: the fleets, measured, and the
// observer.
type events struct {
	fleets   []*wsFleet
	obs      *observer
	followed chan struct{} // closed when the observer's Follow returned
	src      []net.IP      // the source addresses the fleets dial from
}

// connectEvents connects -boards and -trackers clients (and the observer)
// before the measured phase; they read until ctx ends.
func (l *loader) connectEvents(ctx context.Context) (*events, error) {
	cfg := l.cfg
	// The server caps the streams of one address (-max-ws-per-addr, 50 by
	// default): at most 40 clients per source address.
	ev := &events{src: srcIPs(max(64, (cfg.boards+cfg.trackers+39)/40))}
	if cfg.boards+cfg.trackers == 0 {
		return ev, nil
	}
	ev.obs, ev.followed = newObserver(), make(chan struct{})
	go func() {
		defer close(ev.followed)
		l.anon.Follow(ctx, l.office(), client.FollowOptions{}, ev.obs)
	}()
	select {
	case <-ev.obs.up:
	case <-time.After(30 * time.Second):
		return nil, errors.New("the observer could not connect to the office's event stream in 30 s")
	}
	evURL := l.anon.EventsURL(l.office())
	dialer := &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 256}
	trackers := &wsFleet{url: evURL, kind: "tracker", n: cfg.trackers, dialer: dialer}
	if l.hasTicketStream && cfg.trackers > 0 {
		// Each tracker follows one of the youngest waiting tickets, as a
		// phone does with the ticket's QR.
		l.tmu.Lock()
		for _, t := range l.tickets[max(0, len(l.tickets)-100):] {
			trackers.urls = append(trackers.urls, l.anon.TicketEventsURL(t.id, t.token))
		}
		l.tmu.Unlock()
		trackers.noSeq = true
	}
	for _, f := range []*wsFleet{{url: evURL, kind: "board", n: cfg.boards, dialer: dialer}, trackers} {
		if f.n == 0 {
			continue
		}
		start := time.Now()
		f.connect(ctx, 200, ev.src)
		fmt.Printf("%s clients: %d connected in %.1f s, %d failed", f.kind, f.connected.Load(), time.Since(start).Seconds(), f.dialErrs.Load())
		if e := f.firstErr.Load(); e != nil {
			fmt.Printf(" (first error: %s)", e)
		}
		fmt.Println()
		ev.fleets = append(ev.fleets, f)
	}
	if cfg.trackers > 0 && trackers.noSeq {
		fmt.Printf("tracking clients follow %d tickets' own streams (/tickets/{id}/events); a message is timed against the latest event before it\n", len(trackers.urls))
	} else if cfg.trackers > 0 {
		fmt.Println("tracking clients follow the office event stream (this server has no per-ticket stream)")
	}
	return ev, nil
}

// wait waits, after the clients' context ended, until every client has
// stopped reading.
func (ev *events) wait() {
	for _, f := range ev.fleets {
		f.readers.Wait()
	}
	if ev.followed != nil {
		<-ev.followed
	}
}

// clients is how many fleet clients connected.
func (ev *events) clients() int {
	n := 0
	for _, f := range ev.fleets {
		n += int(f.connected.Load())
	}
	return n
}

// meanEventBytes is the mean size of the events the observer saw (0: none).
func (ev *events) meanEventBytes() int {
	if ev.obs == nil {
		return 0
	}
	ev.obs.mu.Lock()
	defer ev.obs.mu.Unlock()
	if len(ev.obs.info) == 0 {
		return 0
	}
	return ev.obs.bytes / len(ev.obs.info)
}

// fanoutResult is the fan-out of the measured phase's events.
type fanoutResult struct {
	fanout
	events  int64
	dropped int64
	errs    []string // "kind: first error" of the fleets that lost clients
}

// fanout measures the fan-out of the events with seq in [from, to] (call
// it after wait).
func (ev *events) fanout(l *loader, from, to int64) fanoutResult {
	answered := map[string]time.Time{}
	l.answered.Range(func(k, v any) bool { answered[k.(string)] = v.(time.Time); return true })
	ev.obs.mu.Lock()
	info := ev.obs.info
	ev.obs.mu.Unlock()
	r := fanoutResult{fanout: measure(ev.fleets, info, from, to, answered), events: to - from + 1}
	for _, f := range ev.fleets {
		r.dropped += f.dropped.Load()
		if e := f.firstErr.Load(); e != nil && f.dropped.Load() > 0 {
			r.errs = append(r.errs, fmt.Sprintf("%s: first error %s", f.kind, e))
		}
	}
	return r
}
