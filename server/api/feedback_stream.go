package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/feedback"
)

// The report streams. The API process is the only writer of reports
// besides the erasure job, so a write wakes the streams in-process: after
// each committed event the handler publishes it to the reportBus, which
// wakes (never blocks on) every stream that follows the report or the
// office. A woken stream reads what it has not sent from the store
// (EventsSince, Timeline) and sends it; the store is the truth, the
// wake-up only says "look now". A stream also looks at every ping
// (PingInterval), which catches a write the bus did not see (the erasure
// job). Nothing is lost while a stream is slow: a wake-up is a flag, not
// a queue, and the next read of the store finds every event after the
// last one sent.

// reportBus wakes the streams that follow a report, or all reports.
type reportBus struct {
	mu   sync.Mutex
	subs map[*busSub]struct{}
	// last is the highest seq published, so that a staff stream without
	// since starts at the end.
	last atomic.Int64
}

// busSub is one stream's wake-up: code "" follows every report.
type busSub struct {
	code string
	wake chan struct{}
}

func newReportBus() *reportBus { return &reportBus{subs: map[*busSub]struct{}{}} }

func (b *reportBus) subscribe(code string) *busSub {
	s := &busSub{code: code, wake: make(chan struct{}, 1)}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

func (b *reportBus) unsubscribe(s *busSub) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

// publish wakes the streams that follow e's report.
func (b *reportBus) publish(e feedback.Event) {
	for {
		l := b.last.Load()
		if e.Seq <= l || b.last.CompareAndSwap(l, e.Seq) {
			break
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.code == "" || s.code == e.Report {
			select {
			case s.wake <- struct{}{}:
			default: // already woken: it will read this event too
			}
		}
	}
}

// ws is one feedback stream's websocket, with the read loop that handles
// pongs and cuts off a client that floods.
type ws struct {
	s         *Server
	conn      *websocket.Conn
	done      chan struct{}
	addr      string
	closeOnce sync.Once
}

// openWS upgrades the request; false when it (or the upgrader) answered.
func (f *fb) openWS(w http.ResponseWriter, r *http.Request, what string) (*ws, bool) {
	s := f.s
	addr := clientAddr(r)
	if !s.streams.take(addr) {
		s.refuseStream(w, r)
		return nil, false
	}
	up := s.upgrader(what)
	up.ReadBufferSize, up.WriteBufferSize = 1024, 4096
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		s.streams.give(addr)
		return nil, false
	}
	c := &ws{s: s, conn: conn, done: make(chan struct{}), addr: addr}
	s.ws.Add(1)
	go s.readLoop(conn, c.done, c.closeWith)
	return c, true
}

func (c *ws) close() {
	c.conn.Close()
	c.s.ws.Add(-1)
	c.s.streams.give(c.addr)
}

func (c *ws) closeWith(code int, reason string) {
	c.closeOnce.Do(func() {
		_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		c.conn.Close()
	})
}

func (c *ws) send(v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteTimeout))
	return c.conn.WriteMessage(websocket.TextMessage, b) == nil
}

func (c *ws) ping() bool {
	return c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.cfg.WriteTimeout)) == nil
}

// loop calls look at once, then at every wake-up and every ping, until
// look fails or the client leaves.
func (c *ws) loop(sub *busSub, look func() bool) {
	ping := time.NewTicker(c.s.cfg.PingInterval)
	defer ping.Stop()
	if !look() {
		return
	}
	for {
		select {
		case <-sub.wake:
		case <-ping.C:
			if !c.ping() {
				return
			}
		case <-c.done:
			return
		}
		if !look() {
			return
		}
	}
}

// ReportEventJSON is a message of a report's public stream: what
// happened, when, and the report after it. The first message, of type
// "report.snapshot", is the report as it is when the stream opens.
type ReportEventJSON struct {
	Type   string           `json:"type"`
	At     time.Time        `json:"at"`
	Report PublicReportJSON `json:"report"`
}

// reportEvents streams a report's public events to anyone.
func (f *fb) reportEvents(w http.ResponseWriter, r *http.Request) {
	rep, err := f.report(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	sub := f.bus.subscribe(rep.Code)
	defer f.bus.unsubscribe(sub)
	// The events so far are counted before the snapshot: any event after
	// the count is sent, even if the snapshot shows it already.
	ctx := r.Context()
	evs, err := f.st.Timeline(ctx, rep.Code)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	sent := len(evs)
	c, ok := f.openWS(w, r, "this report's stream")
	if !ok {
		return
	}
	defer c.close()
	ctx = context.WithoutCancel(ctx) // the hijacked request's context may end
	if !c.send(ReportEventJSON{Type: "report.snapshot", At: f.s.now().In(f.loc()), Report: f.public(rep)}) {
		return
	}
	c.loop(sub, func() bool {
		evs, err := f.st.Timeline(ctx, rep.Code)
		if err != nil {
			c.closeWith(websocket.CloseTryAgainLater, "the server could not read the report; reconnect in a moment")
			return false
		}
		if len(evs) <= sent {
			return true
		}
		cur, err := f.st.Report(ctx, rep.Code)
		if err != nil {
			c.closeWith(websocket.CloseTryAgainLater, "the server could not read the report; reconnect in a moment")
			return false
		}
		pub := f.public(cur)
		for _, e := range evs[sent:] {
			if !c.send(ReportEventJSON{Type: e.Type, At: e.At.In(f.loc()), Report: pub}) {
				return false
			}
		}
		sent = len(evs)
		return true
	})
}

// StaffStreamJSON is a message of the staff's stream: the event, whole
// (who did it), and the report after it. The first message, of type
// "hello", carries the seq the stream starts after.
type StaffStreamJSON struct {
	Seq    int64            `json:"seq"`
	Type   string           `json:"type"`
	At     time.Time        `json:"at"`
	Event  *StaffEventJSON  `json:"event,omitempty"`
	Report *StaffReportJSON `json:"report,omitempty"`
}

// staffEvents streams the office's report events that the member may
// see: a moderator every one; a handler those of reports in their unit's
// charge, or that leave it, or that they made. With ?since=SEQ it starts
// after that event (the seq of the last one handled); without, at the
// end. Like the staff's other routes it needs a moderator's or handler's
// session (bearer token, or the cookie on this server's own pages).
func (f *fb) staffEvents(w http.ResponseWriter, r *http.Request) {
	m, err := f.member(r)
	if err != nil {
		f.s.fail(w, r, err)
		return
	}
	// It carries reporters' names and phones: only this server's pages
	// (or clients that are no page: no Origin) may open it, not the
	// origins that may read the public streams.
	if !f.s.auth.Origins().Own(r) {
		f.s.fail(w, r, errCrossOrigin)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	sub := f.bus.subscribe("")
	defer f.bus.unsubscribe(sub)
	last := int64(-1)
	if q := r.URL.Query().Get("since"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n < 0 {
			f.s.fail(w, r, badRequest("invalid_since", "since must be the seq of the last event you handled: a whole number, 0 or more"))
			return
		}
		last = n
	} else if last, err = f.endSeq(ctx); err != nil {
		f.s.fail(w, r, err)
		return
	}
	c, ok := f.openWS(w, r, "the reports' stream")
	if !ok {
		return
	}
	defer c.close()
	if !c.send(StaffStreamJSON{Seq: last, Type: "hello", At: f.s.now().In(f.loc())}) {
		return
	}
	c.loop(sub, func() bool {
		for {
			evs, err := f.st.ReportEventsSince(ctx, f.cfg.Office, last, replayPage)
			if err != nil {
				c.closeWith(websocket.CloseTryAgainLater, "the server could not read past events; reconnect in a moment")
				return false
			}
			reports := map[string]feedback.Report{}
			for _, e := range evs {
				last = e.Seq
				rep, ok := reports[e.Report]
				if !ok {
					if rep, err = f.st.Report(ctx, e.Report); err != nil {
						c.closeWith(websocket.CloseTryAgainLater, "the server could not read a report; reconnect in a moment")
						return false
					}
					reports[e.Report] = rep
				}
				if !m.moderator() && rep.Unit != m.actor.Unit && e.Unit != m.actor.Unit && e.Actor.Unit != m.actor.Unit {
					continue
				}
				ev, sr := f.staffEvent(e), f.staffView(rep)
				if !c.send(StaffStreamJSON{Seq: e.Seq, Type: e.Type, At: ev.At, Event: &ev, Report: &sr}) {
					return false
				}
			}
			if len(evs) < replayPage {
				return true
			}
		}
	})
}

// endSeq is the seq of the office's latest report event: the bus's when
// it has published one, else read from the store (once; the bus keeps
// it).
func (f *fb) endSeq(ctx context.Context) (int64, error) {
	if l := f.bus.last.Load(); l > 0 {
		return l, nil
	}
	last := int64(0)
	for {
		evs, err := f.st.ReportEventsSince(ctx, f.cfg.Office, last, replayPage)
		if err != nil {
			return 0, err
		}
		if len(evs) > 0 {
			last = evs[len(evs)-1].Seq
		}
		if len(evs) < replayPage {
			break
		}
	}
	for {
		l := f.bus.last.Load()
		if last <= l || f.bus.last.CompareAndSwap(l, last) {
			break
		}
	}
	return last, nil
}
