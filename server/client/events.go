package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Event is one message of an office's event stream.
type Event struct {
	Seq  int64           `json:"seq"`
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// TicketData is the payload of ticket.* events.
type TicketData struct {
	Ticket Ticket `json:"ticket"`
	Reason string `json:"reason,omitempty"`
}

// DecodeTicket returns the ticket of a ticket.* event.
func (e Event) DecodeTicket() (*TicketData, error) {
	var d TicketData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
	}
	return &d, nil
}

// DecodeSnapshot returns the state carried by a snapshot event.
func (e Event) DecodeSnapshot() (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(e.Data, &s); err != nil {
		return nil, fmt.Errorf("snapshot event %d: %w", e.Seq, err)
	}
	return &s, nil
}

// Handler receives an office's event stream from Follow.
type Handler interface {
	// Event receives events in seq order, each once and without gaps. A
	// "snapshot" event carries the whole state and resets what came before
	// (it comes first on a fresh start, or when the server no longer has
	// the events that were missed).
	Event(Event)
	// Connected reports that the stream is up (err nil) or down (err why).
	Connected(up bool, err error)
}

// FollowOptions tune Follow.
type FollowOptions struct {
	// Since is the last seq the caller has seen (0: start with a snapshot).
	Since int64
	// MinBackoff and MaxBackoff bound the pause before reconnecting; it
	// doubles after each failure, with jitter (defaults 250 ms and 10 s).
	MinBackoff, MaxBackoff time.Duration
	// ReadTimeout closes a connection that carried nothing, not even a
	// ping, for this long (default 75 s).
	ReadTimeout time.Duration
}

// errGap is why a connection is dropped when a seq is missing.
var errGap = errors.New("event stream has a gap; resuming")

// Follow follows an office's event stream until ctx ends, reconnecting with
// backoff and jitter after any failure and resuming from the last seen seq,
// so that h sees every event once, in order. It returns ctx's error.
func (c *Client) Follow(ctx context.Context, office string, opt FollowOptions, h Handler) error {
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 250 * time.Millisecond
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(10*time.Second, opt.MinBackoff)
	}
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = 75 * time.Second
	}
	last := opt.Since
	backoff := opt.MinBackoff
	for {
		err := c.followOnce(ctx, office, &last, opt.ReadTimeout, h, func() { backoff = opt.MinBackoff })
		if ctx.Err() != nil {
			return ctx.Err()
		}
		h.Connected(false, err)
		if errors.Is(err, errGap) {
			continue // resume at once
		}
		// Full jitter between half and all of the backoff, so that many
		// displays do not come back in lockstep after a server restart.
		pause := backoff/2 + time.Duration(rand.Int64N(int64(backoff/2)+1))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		backoff = min(backoff*2, opt.MaxBackoff)
	}
}

func (c *Client) followOnce(ctx context.Context, office string, last *int64, readTimeout time.Duration, h Handler, connected func()) error {
	u := *c.base
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	hdr := http.Header{}
	if c.deviceKey != "" {
		hdr.Set("X-Device-Key", c.deviceKey)
	}
	if c.token != "" {
		hdr.Set("Authorization", "Bearer "+c.token)
	}
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, resp, err := d.DialContext(ctx, u.String()+eventsPath(office, *last), hdr)
	if err != nil {
		if resp != nil {
			return fmt.Errorf("connect to event stream: %s: %w", resp.Status, err)
		}
		return fmt.Errorf("connect to event stream: %w", err)
	}
	defer conn.Close()
	conn.SetReadLimit(16 << 20)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	extend := func() { conn.SetReadDeadline(time.Now().Add(readTimeout)) }
	extend()
	conn.SetPingHandler(func(data string) error {
		extend()
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(5*time.Second))
	})
	connected()
	h.Connected(true, nil)
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return fmt.Errorf("event stream: %w", err)
		}
		extend()
		var e Event
		if err := json.Unmarshal(msg, &e); err != nil {
			return fmt.Errorf("event stream sent a message that is not an event: %w", err)
		}
		switch {
		case e.Type == "snapshot":
			*last = e.Seq
		case e.Seq <= *last:
			continue // already seen (replay overlap)
		case *last > 0 && e.Seq != *last+1:
			return fmt.Errorf("%w: after seq %d came %d", errGap, *last, e.Seq)
		default:
			*last = e.Seq
		}
		h.Event(e)
	}
}
