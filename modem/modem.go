// Package modem sends SMS through a GSM modem on a serial port: AT
// commands in PDU mode, SMS-SUBMIT in UCS-2 or the GSM 7-bit default
// alphabet, long messages split into concatenated parts, delivery reports
// (+CDS), and a reset of a modem that stops answering.
package modem

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.bug.st/serial"

	"luot/internal/serialio"
)

// Config says how to reach a modem.
type Config struct {
	// Port is the device path, best a stable /dev/serial/by-id/… link (a
	// USB modem has several ports: the AT one is usually the second or
	// third).
	Port string
	// Baud is the line speed; 0 means 115200.
	Baud int
	// Timeout bounds the answer to each AT command and the wait for the
	// "> " prompt of AT+CMGS; 0 means 5 s.
	Timeout time.Duration
	// SendTimeout bounds the wait for +CMGS once a part was given to the
	// modem (the network's answer); 0 means 60 s.
	SendTimeout time.Duration
	// Tries is how many times a part is tried (after a reset or a
	// temporary +CMS ERROR) before Send gives up; 0 means 3.
	Tries int
	// RetryDelay is the pause after a temporary +CMS ERROR; 0 means 2 s,
	// negative none.
	RetryDelay time.Duration
	// CheckEvery is how often an idle modem is sent AT, and reset when it
	// does not answer, so that its status is true between messages; 0
	// means 1 minute, negative never.
	CheckEvery time.Duration
	// Now gives the time of status changes; nil means time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Baud == 0 {
		c.Baud = 115200
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = 60 * time.Second
	}
	if c.Tries <= 0 {
		c.Tries = 3
	}
	if c.RetryDelay == 0 {
		c.RetryDelay = 2 * time.Second
	}
	if c.CheckEvery == 0 {
		c.CheckEvery = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Port is what a Modem needs from a serial port; go.bug.st/serial's Port
// has it.
type Port interface {
	io.ReadWriteCloser
	ResetInputBuffer() error
	SetDTR(bool) error
}

// Status is the modem's health, for the server's device.status: State is
// "ok" or "fault".
type Status struct {
	State   string
	Message string    // Vietnamese / English, for staff
	Since   time.Time // when State last changed
	Resets  int       // resets done since Open
	Sent    int       // parts accepted by the network since Open
	// LastError is the last failure of a part, even one a retry fixed.
	LastError string
}

// OK reports whether the modem works.
func (s Status) OK() bool { return s.State == "ok" }

// Modem is one GSM modem on a serial port. Send may be called from several
// goroutines: parts go out one at a time.
type Modem struct {
	cfg  Config
	mode *serial.Mode

	mu      sync.Mutex // one exchange with the modem at a time
	port    Port
	lines   chan string   // lines of the current connection, "> " as ">"
	readEnd chan struct{} // closed when its reader stops
	ref     byte
	closed  bool
	stop    chan struct{} // closed by Close: ends the idle checks

	reports chan Report

	stMu sync.Mutex
	st   Status
}

// Open opens the port and prepares the modem (echo off, PDU mode,
// delivery reports as +CDS). It fails when the port cannot be opened or
// the modem does not answer.
func Open(c Config) (*Modem, error) {
	if c.Port == "" {
		return nil, errors.New("modem: no port: set Port (e.g. /dev/serial/by-id/usb-…-if02-port0 or /dev/ttyUSB2)")
	}
	c = c.withDefaults()
	m := &Modem{
		cfg:     c,
		mode:    &serial.Mode{BaudRate: c.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit},
		reports: make(chan Report, 64),
		ref:     byte(c.Now().UnixNano()),
		stop:    make(chan struct{}),
	}
	m.st = Status{State: "ok", Message: "Modem sẵn sàng / Modem ready", Since: c.Now()}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.connect(context.Background()); err != nil {
		m.drop()
		return nil, err
	}
	if c.CheckEvery > 0 {
		go m.watch(c.CheckEvery)
	}
	return m, nil
}

// watch checks the idle modem every interval; a check never waits behind
// a Send (which tells the modem's health itself).
func (m *Modem) watch(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		if !m.mu.TryLock() {
			continue
		}
		if !m.closed {
			_ = m.check(context.Background())
		}
		m.mu.Unlock()
	}
}

// Check sends AT and resets the modem when it does not answer (or its
// port was lost); Status tells the outcome. Open runs it every
// Config.CheckEvery.
func (m *Modem) Check(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	return m.check(ctx)
}

func (m *Modem) check(ctx context.Context) error {
	if m.port != nil {
		_, err := m.command(ctx, "AT", m.cfg.Timeout)
		if err == nil || ctx.Err() != nil {
			return err
		}
		return m.reset(ctx, "không trả lời / does not answer")
	}
	return m.reset(ctx, "không mở được cổng / the port could not be opened")
}

// connect opens the port if needed and prepares the modem.
func (m *Modem) connect(ctx context.Context) error {
	if m.port == nil {
		sp, err := serial.Open(m.cfg.Port, m.mode)
		if err != nil {
			return fmt.Errorf("modem: opening %s: %w — check the cable and that no other program uses the port", m.cfg.Port, err)
		}
		_ = sp.ResetInputBuffer()
		m.port = sp
		m.lines = make(chan string, 64)
		m.readEnd = make(chan struct{})
		go m.read(sp, m.lines, m.readEnd)
	}
	// A modem just reset may miss the first AT while it wakes up.
	var err error
	for range 3 {
		if _, err = m.command(ctx, "AT", m.cfg.Timeout); err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err != nil {
		return fmt.Errorf("modem: %s does not answer AT: %w", m.cfg.Port, err)
	}
	for _, cmd := range []string{"ATE0", "AT+CMEE=1", "AT+CMGF=0"} {
		if _, err := m.command(ctx, cmd, m.cfg.Timeout); err != nil {
			return fmt.Errorf("modem: %s refused %s: %w", m.cfg.Port, cmd, err)
		}
	}
	// Delivery reports straight to us as +CDS; a modem without them
	// still sends.
	_, _ = m.command(ctx, "AT+CNMI=2,1,0,1,0", m.cfg.Timeout)
	return nil
}

// drop closes the port so that the next exchange reopens it.
func (m *Modem) drop() {
	if m.port == nil {
		return
	}
	_ = m.port.Close()
	<-m.readEnd
	m.port = nil
}

// read splits what the modem sends into lines, hands delivery reports to
// Reports and the rest to the exchange in progress.
func (m *Modem) read(port Port, lines chan string, end chan struct{}) {
	defer close(end)
	defer close(lines)
	var line []byte
	cds := false // the next line is a +CDS PDU
	cdsLen := 0
	buf := make([]byte, 512)
	for {
		n, err := port.Read(buf)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return
		}
		for _, b := range buf[:n] {
			switch {
			case b == '\r' || b == '\n':
				if len(line) == 0 {
					continue
				}
				l := string(line)
				line = line[:0]
				switch {
				case cds:
					cds = false
					m.report(l, cdsLen)
				case strings.HasPrefix(l, "+CDS:"):
					cds = true
					cdsLen, _ = strconv.Atoi(strings.TrimSpace(l[5:]))
				case strings.HasPrefix(l, "+CMTI:"), strings.HasPrefix(l, "+CDSI:"), l == "RING":
				default:
					deliver(lines, l)
				}
			case b == '>' && len(line) == 0:
				deliver(lines, ">")
			case b == ' ' && len(line) == 0:
			default:
				if len(line) < 4096 {
					line = append(line, b)
				}
			}
		}
	}
}

// deliver passes a line on, dropping the oldest one when nobody reads
// (lines that arrive between exchanges are stale anyway).
func deliver(lines chan string, l string) {
	for {
		select {
		case lines <- l:
			return
		default:
		}
		select {
		case <-lines:
		default:
		}
	}
}

// report decodes a +CDS PDU (with or without the SMSC address before the
// TPDU of length n) and hands it to Reports; a full channel drops it.
func (m *Modem) report(hexPDU string, n int) {
	b, err := hex.DecodeString(strings.TrimSpace(hexPDU))
	if err != nil {
		return
	}
	if len(b) > n && int(b[0])+1+n == len(b) {
		b = b[1+int(b[0]):]
	}
	r, err := DecodeStatusReport(b)
	if err != nil {
		return
	}
	select {
	case m.reports <- r:
	default:
	}
}

// command sends an AT command and waits for its final answer, returning
// the information lines before it. A prompt ("> ") is a final answer.
func (m *Modem) command(ctx context.Context, cmd string, timeout time.Duration) ([]string, error) {
	for len(m.lines) > 0 {
		<-m.lines
	}
	if err := serialio.WriteAll(m.port, []byte(cmd+"\r")); err != nil {
		return nil, fmt.Errorf("modem: writing to %s: %w", m.cfg.Port, err)
	}
	return m.answer(ctx, cmd, timeout)
}

// answer waits for the final answer to cmd.
func (m *Modem) answer(ctx context.Context, cmd string, timeout time.Duration) ([]string, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var info []string
	for {
		select {
		case l, ok := <-m.lines:
			if !ok {
				return info, fmt.Errorf("modem: %s was lost during %s", m.cfg.Port, cmd)
			}
			switch {
			case l == cmd: // echo
			case l == "OK", l == ">":
				return append(info, l), nil
			case l == "ERROR":
				return info, fmt.Errorf("modem: %s answered ERROR", cmd)
			case strings.HasPrefix(l, "+CMS ERROR:"):
				code, _ := strconv.Atoi(strings.TrimSpace(l[len("+CMS ERROR:"):]))
				return info, &CMSError{Code: code}
			case strings.HasPrefix(l, "+CME ERROR:"):
				return info, fmt.Errorf("modem: %s answered %s", cmd, l)
			default:
				info = append(info, l)
			}
		case <-timer.C:
			return info, fmt.Errorf("modem: no answer to %s within %v: %w", cmd, timeout, errNoAnswer)
		case <-ctx.Done():
			return info, ctx.Err()
		}
	}
}

// errNoAnswer marks one unanswered command; ErrNoAnswer is what Send
// returns once a reset did not help.
var errNoAnswer = errors.New("timed out")

// sendPart gives one TPDU to the modem and returns its TP-MR.
func (m *Modem) sendPart(ctx context.Context, tpdu []byte) (int, error) {
	cmd := fmt.Sprintf("AT+CMGS=%d", len(tpdu))
	info, err := m.command(ctx, cmd, m.cfg.Timeout)
	if err != nil {
		if errors.Is(err, errNoAnswer) {
			_ = serialio.WriteAll(m.port, []byte{0x1B}) // leave a prompt we missed
		}
		return 0, err
	}
	if info[len(info)-1] != ">" {
		return 0, fmt.Errorf("modem: %s answered OK instead of the > prompt", cmd)
	}
	body := "00" + strings.ToUpper(hex.EncodeToString(tpdu)) + "\x1A"
	if err := serialio.WriteAll(m.port, []byte(body)); err != nil {
		return 0, fmt.Errorf("modem: writing to %s: %w", m.cfg.Port, err)
	}
	info, err = m.answer(ctx, cmd, m.cfg.SendTimeout)
	if err != nil {
		return 0, err
	}
	for _, l := range info {
		if v, ok := strings.CutPrefix(l, "+CMGS:"); ok {
			if mr, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				return mr, nil
			}
		}
	}
	return 0, fmt.Errorf("modem: %s answered OK without +CMGS", cmd)
}

// Send sends text to phone (see EncodeSubmit for gsm7 and the parts) and
// returns the TP-MR of each part, which delivery reports carry. A part is
// tried up to Config.Tries times: after a temporary +CMS ERROR (following
// RetryDelay), and after a reset when the modem does not answer. The error
// is a permanent *CMSError or wraps ErrInvalid when the message itself is
// refused (see Permanent); refs then lists the parts already sent.
func (m *Modem) Send(ctx context.Context, phone, text string, gsm7 bool) (refs []int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	m.ref++
	parts, err := EncodeSubmit(phone, text, gsm7, m.ref)
	if err != nil {
		return nil, err
	}
	for i, p := range parts {
		mr, err := m.sendWithRetries(ctx, p)
		if err != nil {
			if len(parts) > 1 {
				err = fmt.Errorf("modem: part %d of %d: %w", i+1, len(parts), err)
			}
			return refs, err
		}
		refs = append(refs, mr)
	}
	return refs, nil
}

func (m *Modem) sendWithRetries(ctx context.Context, tpdu []byte) (int, error) {
	var err error
	for try := 1; try <= m.cfg.Tries; try++ {
		if err = ctx.Err(); err != nil {
			return 0, err
		}
		if m.port == nil {
			if err = m.reset(ctx, "không mở được cổng / the port could not be opened"); err != nil {
				continue
			}
		}
		var mr int
		mr, err = m.sendPart(ctx, tpdu)
		if err == nil {
			m.setStatus(func(s *Status) {
				s.Sent++
				m.markOK(s, "Modem sẵn sàng / Modem ready")
			})
			return mr, nil
		}
		m.setStatus(func(s *Status) { s.LastError = err.Error() })
		var cms *CMSError
		switch {
		case errors.As(err, &cms):
			if cms.Permanent() {
				return 0, err
			}
			if deviceCMS(cms.Code) {
				m.setStatus(func(s *Status) {
					m.markFault(s, fmt.Sprintf("Modem báo lỗi SIM hoặc mạng (+CMS ERROR %d) / The modem reports a SIM or network error (+CMS ERROR %d)", cms.Code, cms.Code))
				})
			}
			if try < m.cfg.Tries && m.cfg.RetryDelay > 0 {
				t := time.NewTimer(m.cfg.RetryDelay)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return 0, ctx.Err()
				}
			}
		case ctx.Err() != nil:
			return 0, ctx.Err()
		default: // no answer, lost port, ERROR: reset before the next try
			if rerr := m.reset(ctx, "không trả lời / does not answer"); rerr != nil {
				err = rerr
			}
		}
	}
	if errors.Is(err, errNoAnswer) {
		return 0, fmt.Errorf("%w (%v)", ErrNoAnswer, err)
	}
	return 0, err
}

// reset drops the DTR line, reopens the port and sends ATZ and the
// preparation again. The status is fault until it succeeds.
func (m *Modem) reset(ctx context.Context, why string) error {
	m.setStatus(func(s *Status) {
		m.markFault(s, fmt.Sprintf("Modem %s, đang khởi động lại / Modem %s, resetting", vi(why), en(why)))
		s.Resets++
	})
	if m.port != nil {
		// A pseudo-terminal has no DTR: the error is expected there.
		if m.port.SetDTR(false) == nil {
			time.Sleep(200 * time.Millisecond)
			_ = m.port.SetDTR(true)
		}
		m.drop()
	}
	err := m.connect(ctx)
	if err == nil {
		_, err = m.command(ctx, "ATZ", m.cfg.Timeout)
		if err == nil {
			err = m.connect(ctx)
		}
	}
	if err != nil {
		m.drop()
		m.setStatus(func(s *Status) {
			m.markFault(s, "Modem không trả lời sau khi khởi động lại: kiểm tra nguồn, SIM và cáp / The modem does not answer after a reset: check its power, SIM and cable")
		})
		if errors.Is(err, errNoAnswer) {
			return fmt.Errorf("%w (%v)", ErrNoAnswer, err)
		}
		return err
	}
	m.setStatus(func(s *Status) {
		m.markOK(s, "Modem đã khởi động lại và sẵn sàng / Modem reset and ready")
	})
	return nil
}

func vi(s string) string { a, _, _ := strings.Cut(s, " / "); return a }
func en(s string) string { _, b, _ := strings.Cut(s, " / "); return b }

func (m *Modem) setStatus(f func(*Status)) {
	m.stMu.Lock()
	f(&m.st)
	m.stMu.Unlock()
}

func (m *Modem) markOK(s *Status, msg string) {
	if s.State != "ok" {
		s.State, s.Since = "ok", m.cfg.Now()
	}
	s.Message = msg
}

func (m *Modem) markFault(s *Status, msg string) {
	if s.State != "fault" {
		s.State, s.Since = "fault", m.cfg.Now()
	}
	s.Message = msg
}

// Reports returns the delivery reports as they arrive (a report that finds
// the channel full is dropped: they are advice, the message was sent). It
// is closed by Close.
func (m *Modem) Reports() <-chan Report { return m.reports }

// Status returns the modem's health.
func (m *Modem) Status() Status {
	m.stMu.Lock()
	defer m.stMu.Unlock()
	return m.st
}

// Close closes the port; Send then fails with ErrClosed.
func (m *Modem) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	close(m.stop)
	m.drop()
	close(m.reports)
	return nil
}
