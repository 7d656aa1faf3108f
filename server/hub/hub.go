// Package hub fans the encoded events of each office out to the clients that
// follow it (boards, kiosks, consoles, phones).
//
// Every event is encoded once per audience, by the engine — the public
// message and the staff one — and the same byte slices are handed to every
// subscriber of its office, which sends the one its client may see. Publish never blocks: each
// subscriber has a bounded buffer, and a subscriber whose buffer is full is
// dropped — its Done channel is closed and Err says why — so that one slow
// client never delays the others. A dropped client reconnects and resumes
// with the seq of the last event it handled.
//
// The buffer is grown lazily: a subscriber starts with a small channel
// (chanSize events) and only one that lags behind gets an overflow queue,
// up to the hub's buffer in all, so that 10,000 idle followers do not each
// hold room for hundreds of events; the limit at which a slow subscriber
// is dropped is the same.
package hub

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// DefaultBuffer is the number of events a subscriber may lag behind before
// it is dropped, when New is given 0.
const DefaultBuffer = 256

// chanSize is the capacity of a subscriber's channel; events beyond it
// wait in the subscriber's overflow queue, which C refills the channel
// from.
const chanSize = 8

// Errors that end a subscription; Sub.Err returns one of them.
var (
	// ErrSlow ends a subscriber that did not keep up with the events of its
	// office. It should reconnect and resume from its last seq.
	ErrSlow = errors.New("subscriber too slow: its event buffer filled up; reconnect and resume with since=<last seq>")
	// ErrUnsubscribed ends a subscription closed by its owner.
	ErrUnsubscribed = errors.New("unsubscribed")
	// ErrClosed ends every subscription when the hub shuts down.
	ErrClosed = errors.New("server shutting down; reconnect shortly and resume with since=<last seq>")
)

// Message is one event as delivered to subscribers: its seq and its JSON
// encodings, Msg for anyone and Staff for the office's staff (the same
// bytes when the event carries nothing private). Both are shared by all
// subscribers and must not be modified.
type Message struct {
	Seq   int64
	Msg   []byte
	Staff []byte
}

// For returns the encoding for a staff client (staff true) or anyone.
func (m Message) For(staff bool) []byte {
	if staff && m.Staff != nil {
		return m.Staff
	}
	return m.Msg
}

// Hub is safe for concurrent use. The zero value is not usable; call New.
type Hub struct {
	buffer int

	mu      sync.RWMutex
	offices map[string]*room
	closed  bool

	total   atomic.Int64
	dropped atomic.Int64
}

// room holds the subscribers of one office.
type room struct {
	mu   sync.Mutex
	subs map[*Sub]struct{}
}

// Sub is one subscription to the events of an office.
type Sub struct {
	office string
	hub    *Hub
	ch     chan Message
	done   chan struct{}
	once   sync.Once
	err    error // set before done is closed

	// mu guards over: the events that did not fit in ch, oldest first,
	// allocated only when the subscriber lags.
	mu   sync.Mutex
	over []Message
}

// New returns a hub whose subscribers each buffer up to buffer events
// (DefaultBuffer when buffer ≤ 0).
func New(buffer int) *Hub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	return &Hub{buffer: buffer, offices: map[string]*room{}}
}

// Subscribe starts delivering the events of office published from now on.
// The caller must eventually call Close on the subscription (closing an
// already dropped one is harmless). After Close of the hub, Subscribe
// returns a subscription that is already done with ErrClosed.
func (h *Hub) Subscribe(office string) *Sub {
	s := &Sub{office: office, hub: h, ch: make(chan Message, min(h.buffer, chanSize)), done: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		s.end(ErrClosed)
		return s
	}
	r := h.offices[office]
	if r == nil {
		r = &room{subs: map[*Sub]struct{}{}}
		h.offices[office] = r
	}
	r.mu.Lock()
	r.subs[s] = struct{}{}
	r.mu.Unlock()
	h.mu.Unlock()
	h.total.Add(1)
	return s
}

// Publish hands an event of office — msg for anyone, staff for the
// office's staff (nil: msg) — to every subscriber of that office without
// blocking; a subscriber with a full buffer is dropped with ErrSlow. The
// engine calls Publish in seq order per office. Publish implements
// engine.Publisher.
func (h *Hub) Publish(office string, seq int64, msg, staff []byte) {
	h.mu.RLock()
	r := h.offices[office]
	h.mu.RUnlock()
	if r == nil {
		return
	}
	m := Message{Seq: seq, Msg: msg, Staff: staff}
	r.mu.Lock()
	defer r.mu.Unlock()
	for s := range r.subs {
		if !s.offer(m, h.buffer) {
			delete(r.subs, s)
			h.total.Add(-1)
			h.dropped.Add(1)
			s.end(ErrSlow)
		}
	}
}

// offer queues m for the subscriber, in order after what it has not read:
// in its channel when there is room and nothing waits in the overflow,
// otherwise in the overflow. It reports false when limit events are
// already waiting (the subscriber is too slow).
func (s *Sub) offer(m Message, limit int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refill()
	if len(s.over) == 0 {
		select {
		case s.ch <- m:
			return true
		default:
		}
	}
	if len(s.ch)+len(s.over) >= limit {
		return false
	}
	s.over = append(s.over, m)
	return true
}

// refill moves events from the overflow into the channel while it has
// room. s.mu is held.
func (s *Sub) refill() {
	n := 0
	for n < len(s.over) {
		select {
		case s.ch <- s.over[n]:
			n++
			continue
		default:
		}
		break
	}
	if n == 0 {
		return
	}
	clear(s.over[:n])
	s.over = s.over[n:]
	if len(s.over) == 0 {
		s.over = nil // the lag is over: give the memory back
	}
}

// Subscribers returns the number of live subscriptions across offices.
func (h *Hub) Subscribers() int { return int(h.total.Load()) }

// Dropped returns how many subscribers have been dropped for being slow
// since the hub was made.
func (h *Hub) Dropped() int64 { return h.dropped.Load() }

// Counts returns the number of live subscriptions per office (offices
// without any are left out).
func (h *Hub) Counts() map[string]int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := map[string]int{}
	for id, r := range h.offices {
		r.mu.Lock()
		if n := len(r.subs); n > 0 {
			out[id] = n
		}
		r.mu.Unlock()
	}
	return out
}

// Close ends every subscription with ErrClosed and refuses new ones.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, r := range h.offices {
		r.mu.Lock()
		for s := range r.subs {
			delete(r.subs, s)
			h.total.Add(-1)
			s.end(ErrClosed)
		}
		r.mu.Unlock()
	}
}

// C delivers the subscription's events in seq order. It is never closed:
// select on Done as well. Call C for every receive (as in
// `case m := <-sub.C():` in a loop): it moves events that overflowed the
// channel into it, so a reader that kept one channel value and drained it
// would wait for the next Publish to see them.
func (s *Sub) C() <-chan Message {
	s.mu.Lock()
	if len(s.over) > 0 {
		s.refill()
	}
	s.mu.Unlock()
	return s.ch
}

// Done is closed when the subscription ends (dropped, closed, or the hub
// shut down). Events already in C may still be read but the stream has a
// gap after them.
func (s *Sub) Done() <-chan struct{} { return s.done }

// Err says why the subscription ended, or nil while it is live.
func (s *Sub) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Office is the office the subscription follows.
func (s *Sub) Office() string { return s.office }

// Close ends the subscription with ErrUnsubscribed; it is safe to call more
// than once and after the subscription was dropped.
func (s *Sub) Close() {
	h := s.hub
	h.mu.RLock()
	r := h.offices[s.office]
	h.mu.RUnlock()
	if r != nil {
		r.mu.Lock()
		if _, ok := r.subs[s]; ok {
			delete(r.subs, s)
			h.total.Add(-1)
		}
		r.mu.Unlock()
	}
	s.end(ErrUnsubscribed)
}

func (s *Sub) end(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
	})
}

// String describes the subscription for logs.
func (s *Sub) String() string {
	s.mu.Lock()
	n := len(s.ch) + len(s.over)
	s.mu.Unlock()
	return fmt.Sprintf("subscription to office %s (%d/%d buffered)", s.office, n, s.hub.buffer)
}
