package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// receipt is one event received by one client: its seq and when.
type receipt struct {
	seq int64
	at  int64 // UnixNano of receipt
}

// eventInfo is what the observer learns of an event.
type eventInfo struct {
	typ    string
	at     time.Time // the event's "at": the command's time, before its commit
	ticket string    // ticket id of ticket.* events
}

// wsFleet is a set of websocket clients following an office's events.
type wsFleet struct {
	url    string // ws://…/events
	kind   string // "board" or "tracker"
	n      int
	dialer *websocket.Dialer

	mu       sync.Mutex
	clients  []*wsClient
	info     map[int64]eventInfo // filled by the observer (client 0 of the first fleet)
	observer bool
	noSeq    bool     // ticket streams: messages without seq
	urls     []string // one URL per client (ticket streams), else url

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
	f.info = map[int64]eventInfo{}
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
			go f.read(ctx, c, f.observer && i == 0)
		}()
	}
	wg.Wait()
}

// read records every message's seq and receipt time. The observer also
// decodes each event once for its type, time and ticket.
func (f *wsFleet) read(ctx context.Context, c *wsClient, observer bool) {
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
			gone := !c.closed
			c.mu.Unlock()
			if gone {
				f.dropped.Add(1)
				f.firstErr.CompareAndSwap(nil, "read: "+err.Error())
			}
			return
		}
		seq := seqOf(msg)
		c.rec = append(c.rec, receipt{seq, now})
		if observer {
			var e struct {
				Type string    `json:"type"`
				At   time.Time `json:"at"`
				Data struct {
					Ticket struct {
						ID string `json:"id"`
					} `json:"ticket"`
				} `json:"data"`
			}
			if json.Unmarshal(msg, &e) == nil {
				f.mu.Lock()
				f.info[seq] = eventInfo{typ: e.Type, at: e.At, ticket: e.Data.Ticket.ID}
				f.mu.Unlock()
			}
		}
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
