package api

import (
	"bufio"
	"encoding/binary"
	"math"
	"net"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// corkLimit bounds what a corked connection gathers before it writes: a
// burst larger than this goes out in several writes.
const corkLimit = 64 << 10

// keepBuffer is the largest gathering buffer a connection keeps between
// bursts; a larger one (a long replay) is left to the garbage collector.
const keepBuffer = 4 << 10

// corkedConn is the network connection under an event stream's websocket.
// Between cork and flush, the data frames gorilla writes are gathered and
// sent with one write: a group commit publishes several events at once, and
// a board that gets them in one system call (and reads them with one)
// instead of one each costs the server and the client a fraction of the
// CPU.
//
// Only the stream's own goroutine writes data frames, corks and flushes.
// Control frames (pings, pongs, the close frame another goroutine sends
// when the hub drops a slow client) are never held back: they go out at
// once, possibly before data frames still gathered, which RFC 6455 allows
// (section 5.4); after a close frame, gathered data is dropped (nothing may
// follow a close frame; the client resumes from the last seq it got).
//
// gorilla writes a frame with one Write, or two when the message does not
// fit its buffer (header and start, then the rest), and never lets another
// frame in between (its writes hold the connection's write lock); so
// corkedConn can tell a frame's start from the rest of a frame by counting
// the bytes due (rest) from each frame's header.
type corkedConn struct {
	net.Conn

	mu     sync.Mutex
	frames bool // the handshake is done: what is written now is frames
	corked bool
	closed bool   // a close frame was sent
	buf    []byte // gathered data frames
	rest   int    // bytes still due of the frame being written
	data   bool   // that frame is a data frame
}

// Write sends p, or keeps it for flush when the connection is corked and p
// belongs to a data frame.
func (c *corkedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if !c.frames {
		c.mu.Unlock()
		return c.Conn.Write(p) // the handshake's HTTP answer
	}
	if c.rest == 0 {
		n, control, close := frameSize(p)
		c.rest, c.data = n, !control
		if close {
			c.closed, c.buf = true, nil
		}
	}
	c.rest = max(c.rest-len(p), 0)
	if !c.corked || !c.data || c.closed {
		c.mu.Unlock()
		return c.Conn.Write(p)
	}
	if len(c.buf)+len(p) <= corkLimit {
		c.buf = append(c.buf, p...)
		c.mu.Unlock()
		return len(p), nil
	}
	pending := c.buf
	c.buf = nil
	c.mu.Unlock()
	// Data frames keep their order: what was gathered goes first.
	if len(pending) > 0 {
		if _, err := c.Conn.Write(pending); err != nil {
			return 0, err
		}
	}
	return c.Conn.Write(p)
}

// frameSize reads the header of the websocket frame that p starts (as a
// server writes it: unmasked): its whole length, and whether it is a
// control frame and a close frame. A header it cannot read counts as a
// control frame of p's length, so that it is never held back.
func frameSize(p []byte) (n int, control, close bool) {
	if len(p) < 2 {
		return len(p), true, false
	}
	op := p[0] & 0x0f
	control, close = op >= 8, op == 8
	size, hdr := int(p[1]&0x7f), 2
	switch size {
	case 126:
		if len(p) < 4 {
			return len(p), true, close
		}
		size, hdr = int(binary.BigEndian.Uint16(p[2:4])), 4
	case 127:
		if len(p) < 10 {
			return len(p), true, close
		}
		l := binary.BigEndian.Uint64(p[2:10])
		if l > math.MaxInt32 {
			return len(p), true, close
		}
		size, hdr = int(l), 10
	}
	if p[1]&0x80 != 0 {
		hdr += 4 // masked (a client's frame; not written by this server)
	}
	return hdr + size, control, close
}

// cork starts gathering data frames.
func (c *corkedConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// flush stops gathering and writes what was gathered.
func (c *corkedConn) flush() error {
	c.mu.Lock()
	c.corked = false
	pending := c.buf
	c.buf = nil
	c.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	_, err := c.Conn.Write(pending)
	if cap(pending) <= keepBuffer {
		c.mu.Lock()
		if c.buf == nil && !c.closed {
			c.buf = pending[:0] // reused by the next burst
		}
		c.mu.Unlock()
	}
	return err
}

// upgradeCorked upgrades the request to a websocket like up.Upgrade, on a
// corkedConn.
func upgradeCorked(up *websocket.Upgrader, w http.ResponseWriter, r *http.Request) (*websocket.Conn, *corkedConn, error) {
	cw := &corkingWriter{ResponseWriter: w}
	conn, err := up.Upgrade(cw, r, nil)
	if err != nil {
		return nil, nil, err
	}
	cw.conn.mu.Lock()
	cw.conn.frames = true
	cw.conn.mu.Unlock()
	return conn, cw.conn, nil
}

// corkingWriter hands gorilla's upgrader a corkedConn when it hijacks the
// connection.
type corkingWriter struct {
	http.ResponseWriter
	conn *corkedConn
}

// Hijack takes over the connection (through any wrappers of the response
// writer) and wraps it.
func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &corkedConn{Conn: c}
	return w.conn, brw, nil
}
