package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"

	"luot/internal/config"
	"luot/internal/serialio"
)

// Config says how to reach a printer and what it is. It can be read from
// JSON; its durations are config.Duration ("2s", or whole nanoseconds).
type Config struct {
	// Port is the device path, best a stable /dev/serial/by-id/… link.
	// Leave it empty and set USB to find the port by USB ids instead.
	Port string `json:"port,omitempty"`
	// USB is "VID:PID" in hex (e.g. "0416:5011"), optionally followed by
	// ":SERIAL", matched against the USB serial ports found on each
	// (re)connection.
	USB string `json:"usb,omitempty"`
	// Baud is the line speed; 0 means 9600 (the usual factory setting).
	Baud int `json:"baud,omitempty"`
	// DataBits is 7 or 8; 0 means 8.
	DataBits int `json:"data_bits,omitempty"`
	// Parity is "none" (default), "odd" or "even".
	Parity string `json:"parity,omitempty"`
	// StopBits is 1 (default) or 2.
	StopBits int `json:"stop_bits,omitempty"`
	// RTSCTS makes the writer wait for CTS before each chunk (hardware
	// flow control for RS-232 printers wired for it). It needs real modem
	// lines: a pseudo-terminal has none and fails with it.
	RTSCTS bool `json:"rtscts,omitempty"`
	// ChunkSize is how many bytes are written before waiting for them to
	// leave (drain); 0 means 256.
	ChunkSize int `json:"chunk_size,omitempty"`
	// WriteTimeout bounds each chunk's write and drain; 0 means 2 s plus
	// the chunk's time on the line.
	WriteTimeout config.Duration `json:"write_timeout,omitzero"`
	// ReadTimeout bounds the wait for each status reply; 0 means 500 ms.
	ReadTimeout config.Duration `json:"read_timeout,omitzero"`
	// Profile names the printer profile (see LookupProfile); "" means
	// "epson-tm-t20iii".
	Profile string `json:"profile,omitempty"`
	// Vietnamese overrides the profile's Vietnamese method when set.
	Vietnamese Method `json:"vietnamese,omitempty"`
	// CP1258Page overrides the ESC t number of Windows-1258 for clones whose
	// firmware numbers it differently (0 = keep the profile's).
	CP1258Page int `json:"cp1258_page,omitempty"`
}

func (c Config) withDefaults() Config {
	if c.Baud == 0 {
		c.Baud = 9600
	}
	if c.DataBits == 0 {
		c.DataBits = 8
	}
	if c.StopBits == 0 {
		c.StopBits = 1
	}
	if c.ChunkSize <= 0 {
		c.ChunkSize = 256
	}
	if c.ReadTimeout.Duration <= 0 {
		c.ReadTimeout.Duration = 500 * time.Millisecond
	}
	if c.Profile == "" {
		c.Profile = "epson-tm-t20iii"
	}
	return c
}

func (c Config) mode() (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: c.Baud, DataBits: c.DataBits}
	switch strings.ToLower(c.Parity) {
	case "", "none", "n":
		m.Parity = serial.NoParity
	case "odd", "o":
		m.Parity = serial.OddParity
	case "even", "e":
		m.Parity = serial.EvenParity
	default:
		return nil, fmt.Errorf("printer: parity %q: use none, odd or even", c.Parity)
	}
	switch c.StopBits {
	case 1:
		m.StopBits = serial.OneStopBit
	case 2:
		m.StopBits = serial.TwoStopBits
	default:
		return nil, fmt.Errorf("printer: %d stop bits: use 1 or 2", c.StopBits)
	}
	if c.DataBits != 7 && c.DataBits != 8 {
		return nil, fmt.Errorf("printer: %d data bits: use 7 or 8", c.DataBits)
	}
	return m, nil
}

// Port is what a Printer needs from a serial port; go.bug.st/serial's Port
// has it. Modem lines are kept apart (ModemLines) because their ioctls fail
// on a pseudo-terminal.
type Port interface {
	io.ReadWriteCloser
	// SetReadTimeout bounds Read; a timed-out Read returns (0, nil).
	SetReadTimeout(time.Duration) error
	Drain() error
	ResetInputBuffer() error
	ResetOutputBuffer() error
}

// ModemLines gives access to CTS, used only when Config.RTSCTS is set.
type ModemLines interface {
	GetModemStatusBits() (*serial.ModemStatusBits, error)
}

// Errors of the connection, for errors.Is.
var (
	// ErrNotConnected: the port could not be opened or was lost.
	ErrNotConnected = errors.New("printer: not connected")
	// ErrWriteTimeout: the printer did not take the data in time.
	ErrWriteTimeout = errors.New("printer: write timed out")
)

// ConnError is a failure to open or use the serial port. It wraps the
// cause and ErrNotConnected (or ErrWriteTimeout); the printer is reopened on
// the next call.
type ConnError struct {
	Op   string // "open", "write", "read", "find"
	Path string
	Err  error
}

func (e *ConnError) Error() string {
	what := "Mất kết nối với máy in: kiểm tra cáp và nguồn máy in. / Lost the connection to the printer: check its cable and power."
	if errors.Is(e.Err, ErrWriteTimeout) {
		what = "Máy in không nhận dữ liệu: kiểm tra giấy, nắp và cáp. / The printer stopped taking data: check paper, cover and cable."
	}
	return fmt.Sprintf("printer: %s %s: %v — %s", e.Op, e.Path, e.Err, what)
}

// Unwrap returns the cause and ErrNotConnected.
func (e *ConnError) Unwrap() []error { return []error{e.Err, ErrNotConnected} }

// Printer is one ESC/POS printer on a serial port. Its methods are safe for
// concurrent use; they run one at a time. After the device disappears each
// call tries to open it again, so a printer that is unplugged and plugged
// back in works again without restarting anything.
type Printer struct {
	cfg     Config
	mode    *serial.Mode
	profile Profile
	openFn  func(path string, mode *serial.Mode) (Port, error)

	mu   sync.Mutex
	port Port
	path string
}

// New checks cfg and returns a Printer that connects on first use.
func New(cfg Config) (*Printer, error) {
	cfg = cfg.withDefaults()
	if cfg.Port == "" && cfg.USB == "" {
		return nil, errors.New("printer: no port: set Port (e.g. /dev/serial/by-id/usb-…) or USB (VID:PID); `escpos ports` lists them")
	}
	mode, err := cfg.mode()
	if err != nil {
		return nil, err
	}
	prof, err := LookupProfile(cfg.Profile)
	if err != nil {
		return nil, err
	}
	if cfg.Vietnamese != "" {
		prof.Vietnamese = cfg.Vietnamese
	}
	if cfg.CP1258Page > 0 {
		prof = prof.WithCodePage(CharsetCP1258, cfg.CP1258Page)
	}
	if err := prof.Validate(); err != nil {
		return nil, err
	}
	return &Printer{cfg: cfg, mode: mode, profile: prof, openFn: openSerial}, nil
}

// Open is New followed by a connection attempt: it fails if the port cannot
// be opened now.
func Open(cfg Config) (*Printer, error) {
	p, err := New(cfg)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.connect(); err != nil {
		return nil, err
	}
	return p, nil
}

func openSerial(path string, mode *serial.Mode) (Port, error) {
	sp, err := serial.Open(path, mode)
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// Profile returns the profile the printer encodes for.
func (p *Printer) Profile() Profile { return p.profile }

// Close closes the port. The Printer may be used again: it reopens.
func (p *Printer) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.port == nil {
		return nil
	}
	err := p.port.Close()
	p.port = nil
	return err
}

// FindUSB returns the serial port whose USB ids match "VID:PID[:SERIAL]".
func FindUSB(spec string) (string, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 {
		return "", fmt.Errorf("printer: USB %q: want VID:PID or VID:PID:SERIAL in hex", spec)
	}
	ports, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return "", fmt.Errorf("printer: listing serial ports: %w", err)
	}
	for _, d := range ports {
		if d.IsUSB && strings.EqualFold(d.VID, parts[0]) && strings.EqualFold(d.PID, parts[1]) &&
			(len(parts) < 3 || d.SerialNumber == parts[2]) {
			return d.Name, nil
		}
	}
	return "", fmt.Errorf("printer: no USB serial port with id %s is plugged in", spec)
}

func (p *Printer) connect() error {
	if p.port != nil {
		return nil
	}
	path := p.cfg.Port
	if path == "" {
		var err error
		if path, err = FindUSB(p.cfg.USB); err != nil {
			return &ConnError{Op: "find", Path: p.cfg.USB, Err: err}
		}
	}
	port, err := p.openFn(path, p.mode)
	if err != nil {
		return &ConnError{Op: "open", Path: path, Err: err}
	}
	if p.cfg.RTSCTS {
		ml, ok := port.(ModemLines)
		if !ok {
			port.Close()
			return &ConnError{Op: "open", Path: path, Err: errors.New("RTS/CTS asked for but the port has no modem lines")}
		}
		if _, err := ml.GetModemStatusBits(); err != nil {
			port.Close()
			return &ConnError{Op: "open", Path: path, Err: fmt.Errorf("RTS/CTS asked for but the modem lines cannot be read (a pseudo-terminal has none): %w", err)}
		}
	}
	_ = port.ResetInputBuffer()
	p.port, p.path = port, path
	return nil
}

// drop closes a broken port so that the next call reopens it.
func (p *Printer) drop() {
	if p.port != nil {
		_ = p.port.Close()
		p.port = nil
	}
}

// chunkTimeout is the write timeout of one chunk: the configured one, or
// 2 s plus the chunk's time on the line (10 bits per byte).
func (p *Printer) chunkTimeout(n int) time.Duration {
	if p.cfg.WriteTimeout.Duration > 0 {
		return p.cfg.WriteTimeout.Duration
	}
	return 2*time.Second + TransferTime(n, p.cfg.Baud)
}

// TransferTime is how long n bytes take on a serial line at baud with 8N1
// framing (10 bits per byte).
func TransferTime(n, baud int) time.Duration {
	if baud <= 0 {
		return 0
	}
	return time.Duration(int64(n) * 10 * int64(time.Second) / int64(baud))
}

// write sends data in chunks, draining after each, with a timeout per chunk.
// On timeout or error the port is dropped; a write blocked in the kernel is
// released by flushing the output queue and closing the port.
func (p *Printer) write(ctx context.Context, data []byte) error {
	for len(data) > 0 {
		n := min(len(data), p.cfg.ChunkSize)
		if p.cfg.RTSCTS {
			if err := p.waitCTS(ctx, p.chunkTimeout(n)); err != nil {
				return err
			}
		}
		port := p.port
		chunk := data[:n]
		done := make(chan error, 1)
		go func() {
			if err := serialio.WriteAll(port, chunk); err != nil {
				done <- err
				return
			}
			done <- drain(port)
		}()
		timer := time.NewTimer(p.chunkTimeout(n))
		select {
		case err := <-done:
			timer.Stop()
			if err != nil {
				path := p.path
				p.drop()
				return &ConnError{Op: "write", Path: path, Err: err}
			}
		case <-timer.C:
			_ = port.ResetOutputBuffer()
			path := p.path
			p.drop()
			return &ConnError{Op: "write", Path: path, Err: ErrWriteTimeout}
		case <-ctx.Done():
			timer.Stop()
			_ = port.ResetOutputBuffer()
			p.drop()
			return ctx.Err()
		}
		data = data[n:]
	}
	return nil
}

// drain waits until the port has sent its output, again through EINTR
// (tcdrain is interruptible too); the chunk's timer still bounds it.
func drain(port Port) error {
	for {
		err := port.Drain()
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// waitCTS waits until the printer raises CTS (it is not busy). CTS is polled
// every 10 ms because the modem-status ioctl cannot be waited on portably.
func (p *Printer) waitCTS(ctx context.Context, timeout time.Duration) error {
	ml := p.port.(ModemLines)
	deadline := time.Now().Add(timeout)
	for {
		bits, err := ml.GetModemStatusBits()
		if err != nil {
			path := p.path
			p.drop()
			return &ConnError{Op: "write", Path: path, Err: err}
		}
		if bits.CTS {
			return nil
		}
		if time.Now().After(deadline) {
			path := p.path
			p.drop()
			return &ConnError{Op: "write", Path: path, Err: fmt.Errorf("CTS stayed low (printer busy): %w", ErrWriteTimeout)}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// query sends DLE EOT n and waits up to ReadTimeout for its reply byte,
// skipping XON/XOFF and automatic status back blocks. A read that times out
// returns (0, nil) from go.bug.st/serial: that ends the wait, it is never
// retried in a loop.
func (p *Printer) query(ctx context.Context, n byte) (byte, error) {
	_ = p.port.ResetInputBuffer()
	if err := p.write(ctx, CmdStatus(n)); err != nil {
		return 0, err
	}
	deadline := time.Now().Add(p.cfg.ReadTimeout.Duration)
	skip := 0
	var buf [32]byte
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		rem := time.Until(deadline)
		if rem <= 0 {
			return 0, &FaultError{Faults: []Fault{FaultNoAnswer}}
		}
		if err := p.port.SetReadTimeout(rem); err != nil {
			return 0, err
		}
		k, err := p.port.Read(buf[:])
		if err != nil {
			path := p.path
			p.drop()
			return 0, &ConnError{Op: "read", Path: path, Err: err}
		}
		if k == 0 { // timed out
			return 0, &FaultError{Faults: []Fault{FaultNoAnswer}}
		}
		for _, b := range buf[:k] {
			switch {
			case skip > 0:
				skip--
			case b == 0x11 || b == 0x13: // XON, XOFF
			case isASBHeader(b):
				skip = 3
			case IsStatusReply(b):
				return b, nil
			}
		}
	}
}

// status reads DLE EOT 1, 2, 4 (and 3 when 2 reports an error).
func (p *Printer) status(ctx context.Context) (Status, error) {
	var st Status
	for _, n := range []byte{1, 2, 3, 4} {
		if n == 3 && !st.Error {
			continue
		}
		b, err := p.query(ctx, n)
		if err != nil {
			var fe *FaultError
			if errors.As(err, &fe) {
				fe.Status = st
			}
			return st, err
		}
		st.Set(n, b)
	}
	return st, nil
}

// Status connects if needed and reads the printer's status. It returns a
// *FaultError (errors.Is ErrNoAnswer) when the printer does not answer, a
// *ConnError when the port is missing; a status with faults is returned
// without error: use its Err and Warning methods.
func (p *Printer) Status(ctx context.Context) (Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.connect(); err != nil {
		return Status{}, err
	}
	return p.status(ctx)
}

// PrintTicket checks the status, then prints the ticket. It returns the
// status read before printing; the error is a *FaultError when the printer
// cannot print (nothing is sent then), a *ConnError when the port is
// missing or fails, or an encoding error. A status whose Warning is not nil
// (paper near end) prints and should be reported.
func (p *Printer) PrintTicket(ctx context.Context, t Ticket) (Status, error) {
	data, err := EncodeTicket(t, p.profile)
	if err != nil {
		return Status{}, err
	}
	return p.PrintRaw(ctx, data)
}

// PrintRaw checks the status like PrintTicket and sends data as it is.
func (p *Printer) PrintRaw(ctx context.Context, data []byte) (Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.connect(); err != nil {
		return Status{}, err
	}
	st, err := p.status(ctx)
	if err != nil {
		return st, err
	}
	if err := st.Err(); err != nil {
		return st, err
	}
	return st, p.write(ctx, data)
}
