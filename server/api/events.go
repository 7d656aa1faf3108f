package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/auth"
	"luot/server/hub"
)

// replayPage is how many stored events are read at a time when a client
// resumes with since.
const replayPage = 500

// maxBurst bounds how many queued live events one write gathers.
const maxBurst = 64

// events serves the read-only event stream of an office over a websocket.
//
// Order of work, so that nothing is missed or repeated: subscribe to the
// hub first; then, when ?since=SEQ is given and the store still has every
// later event, replay them from the store, otherwise send the view's
// snapshot event; then forward live events, skipping any whose seq was
// already sent. The engine commits (and updates the view) before it
// publishes, so every event is either in the store/view when they are read
// or arrives through the subscription afterwards.
//
// A client too slow to keep up is dropped by the hub and disconnected with
// close code 1013 (try again later); it resumes with since. Pings go out
// every PingInterval; a client that answers nothing for three intervals is
// disconnected. Messages from the client are ignored, but one that sends
// more than ClientMessages within ClientWindow, or a message above 1 KiB,
// is cut off (1008 or 1009).
//
// What is sent depends on who asks (staffStream): the office's staff get
// the whole events, anyone else the public ones (queue.Event.Public), from
// the live stream and the replay alike; both encodings were made once,
// when the event was committed.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	office := r.PathValue("office")
	if _, err := s.eng.View(office); err != nil {
		s.fail(w, r, err)
		return
	}
	staff, err := s.staffStream(r, office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	since := int64(-1)
	if q := r.URL.Query().Get("since"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n < 0 {
			s.fail(w, r, badRequest("invalid_since", "since must be the seq of the last event you handled: a whole number, 0 or more"))
			return
		}
		since = n
	}
	st, ok := s.openStream(w, r, office, "this event stream")
	if !ok {
		return
	}
	defer st.close()
	finished := make(chan struct{})
	defer close(finished)
	var lastSent atomic.Int64
	go func() {
		// A slow client may be stuck in a write: cut it off at once when the
		// hub drops it, without waiting for the write deadline.
		select {
		case <-st.sub.Done():
			if err := st.sub.Err(); err == hub.ErrSlow || err == hub.ErrClosed {
				st.closeWith(websocket.CloseTryAgainLater, fmt.Sprintf("%v (last seq sent %d)", err, lastSent.Load()))
			}
		case <-finished:
		}
	}()
	write, closeWith, cc := st.write, st.closeWith, st.cc
	last := int64(-1)
	snapshot := since < 0
	if since >= 0 {
		last = since
		for {
			evs, complete, err := s.eng.EventsSince(r.Context(), office, last, replayPage)
			if err != nil {
				s.log.Error("event replay failed", "office", office, "since", last, "err", err)
				closeWith(websocket.CloseTryAgainLater, "the server could not read past events; reconnect in a moment")
				return
			}
			if !complete {
				snapshot = last == since // events were pruned: start again from a snapshot
				if !snapshot {
					closeWith(websocket.CloseTryAgainLater, "past events changed while replaying; reconnect")
					return
				}
				break
			}
			cc.cork()
			for _, m := range evs {
				msg := m.Public
				if staff {
					msg = m.Staff
				}
				if !write(msg) {
					return
				}
				last++
			}
			if cc.flush() != nil {
				return
			}
			lastSent.Store(last)
			if len(evs) < replayPage {
				break
			}
		}
	}
	if snapshot {
		v, err := s.eng.View(office)
		if err != nil {
			closeWith(websocket.CloseTryAgainLater, "the office is no longer served here")
			return
		}
		msg, err := v.SnapshotEvent()
		if err != nil {
			s.log.Error("snapshot for the event stream", "office", office, "err", err)
			closeWith(websocket.CloseInternalServerErr, "the server could not encode the office's state; reconnect in a moment")
			return
		}
		if !write(msg) {
			return
		}
		last = v.Seq
		lastSent.Store(last)
	}
	// forward writes a live event unless it was already sent (lastSent
	// follows once the burst is flushed).
	forward := func(m hub.Message) bool {
		if m.Seq <= last {
			return true
		}
		if !write(m.For(staff)) {
			return false
		}
		last = m.Seq
		return true
	}
	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case m := <-st.sub.C():
			// A batch's events are published together: those already
			// queued go out in one write.
			cc.cork()
			ok := forward(m)
		burst:
			for n := 1; ok && n < maxBurst; n++ {
				select {
				case m := <-st.sub.C():
					ok = forward(m)
				default:
					break burst
				}
			}
			if cc.flush() != nil || !ok {
				return
			}
			lastSent.Store(last)
		case <-st.sub.Done():
			return // closed by the watcher above, or the handler is ending
		case <-ping.C:
			if !st.ping() {
				return
			}
		case <-st.readerDone:
			return
		}
	}
}

// staffStream reports whether the office's event stream of this request
// may carry the whole events: only for a staff session (clerk or admin)
// of that office. Decided here, for the one route:
//
//   - a bearer token (the Authorization header) must be valid: a bad or
//     expired one is refused (401), as on every route, so that a console
//     knows to log in again; a session of another office gets the public
//     stream;
//   - the session cookie counts only on a page of this server (no Origin,
//     or this server's own), not of the origins -allowed-origins lets open
//     the public stream; a stale cookie gets the public stream, so that a
//     board opened in a clerk's old browser keeps working;
//   - a device key (kiosk, display) gets the public stream: a board shows
//     nothing private, and a kiosk checks bookings in by the code the
//     citizen types or scans, never from the stream.
func (s *Server) staffStream(r *http.Request, office string) (bool, error) {
	if r.Header.Get("Authorization") == "" {
		if _, err := r.Cookie(SessionCookie); err != nil || !s.auth.Origins().Own(r) {
			return false, nil
		}
	}
	se, ok, err := s.session(r)
	if r.Header.Get("Authorization") == "" && errors.Is(err, errBadSession) {
		return false, nil // a stale cookie
	}
	if err != nil || !ok {
		return false, err
	}
	// Those who serve the office's counters (auth.ServeCounter) read its
	// names and phones; a province administrator, who reads only
	// figures, gets the public stream.
	return se.Office == office && se.Can(auth.ServeCounter), nil
}

// stream is one client's websocket of an office's events (the office's
// stream or a ticket's): the connection, the hub subscription, and the
// read loop that handles pongs and cuts off a client that floods.
type stream struct {
	s          *Server
	conn       *websocket.Conn
	cc         *corkedConn
	sub        *hub.Sub
	readerDone chan struct{} // closed when the client is gone
	closeOnce  sync.Once
	addr       string // the client address whose stream slot this holds
}

// openStream upgrades the request (what names the stream in an origin
// refusal) and subscribes to office. When it returns false it or the
// upgrader has answered: 429 when the client's address holds
// MaxStreamsPerAddr streams already. The caller must call close.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request, office, what string) (*stream, bool) {
	addr := clientAddr(r)
	if !s.streams.take(addr) {
		s.refuseStream(w, r)
		return nil, false
	}
	up := s.upgrader(what)
	conn, cc, err := upgradeCorked(&up, w, r)
	if err != nil {
		s.streams.give(addr)
		return nil, false
	}
	st := &stream{s: s, conn: conn, cc: cc, sub: s.hub.Subscribe(office), readerDone: make(chan struct{}), addr: addr}
	s.ws.Add(1)
	go s.readLoop(conn, st.readerDone, st.closeWith)
	return st, true
}

// close ends the subscription and the connection.
func (st *stream) close() {
	st.sub.Close()
	st.conn.Close()
	st.s.ws.Add(-1)
	st.s.streams.give(st.addr)
}

// closeWith sends a close frame with a code and a reason and closes the
// connection; only the first call does anything.
func (st *stream) closeWith(code int, reason string) {
	st.closeOnce.Do(func() {
		_ = st.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		st.conn.Close()
	})
}

// write sends one message within the write timeout.
func (st *stream) write(msg []byte) bool {
	_ = st.conn.SetWriteDeadline(time.Now().Add(st.s.cfg.WriteTimeout))
	return st.conn.WriteMessage(websocket.TextMessage, msg) == nil
}

// ping sends a ping within the write timeout.
func (st *stream) ping() bool {
	return st.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(st.s.cfg.WriteTimeout)) == nil
}

// upgrader returns the websocket upgrader of the event streams; what names
// the stream in the origin refusal.
//
// Buffer sizes 0 make gorilla reuse the buffers that net/http allocated
// for the connection and hands over at the hijack (a 4 KiB reader and
// writer), instead of allocating its own beside them while net/http's stay
// referenced for the life of the handler: with 10,000 followers that
// would be about 50 MB of heap for nothing.
func (s *Server) upgrader(what string) websocket.Upgrader {
	return websocket.Upgrader{
		ReadBufferSize:  0,
		WriteBufferSize: 0,
		CheckOrigin:     s.auth.Origins().MayRead,
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			code := "websocket_refused"
			if status == http.StatusForbidden {
				code = "origin_not_allowed"
				e := newError(status, code, "pages of origin {origin} may not open {what}", "origin", fmt.Sprintf("%q", r.Header.Get("Origin")), "what", what)
				writeError(w, r, e)
				return
			}
			writeError(w, r, newError(status, code, "the stream could not be opened: {detail}", "detail", reason.Error()))
		},
	}
}

// readLoop reads (and ignores) what the client sends, so that pongs and
// close frames are handled, and cuts off a client that floods.
func (s *Server) readLoop(conn *websocket.Conn, done chan<- struct{}, closeWith func(int, string)) {
	defer close(done)
	wait := 3 * s.cfg.PingInterval
	conn.SetReadLimit(1024)
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(wait)) })
	var window time.Time
	n := 0
	for {
		if _, _, err := conn.NextReader(); err != nil {
			if err == websocket.ErrReadLimit {
				closeWith(websocket.CloseMessageTooBig, "this stream is read-only; messages above 1 KiB are refused")
			}
			return
		}
		now := time.Now()
		if now.Sub(window) > s.cfg.ClientWindow {
			window, n = now, 0
		}
		n++
		if n > s.cfg.ClientMessages {
			closeWith(websocket.ClosePolicyViolation, "this stream is read-only; too many messages from the client")
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(wait))
	}
}
