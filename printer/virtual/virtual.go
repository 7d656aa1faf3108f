package virtual

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"luot/internal/vpty"
	"luot/printer"
)

// State is the condition the virtual printer reports to DLE EOT. The zero
// State is a ready printer.
type State struct {
	Offline      bool // offline with no other cause
	CoverOpen    bool
	PaperEnd     bool
	PaperNearEnd bool
	CutterError  bool
	NoAnswer     bool // ignore status queries, like a printer that is off
}

// ControlFile is the name of the file in the output folder that a
// technician can write to switch faults on a running virtual printer: one
// fault name per line (no-answer, cover-open, paper-end, paper-near-end,
// cutter-error, offline); an empty or missing file means ready. It is read
// at every status query, so a change applies to the next ticket.
const ControlFile = "fault"

// Options configure a virtual printer.
type Options struct {
	// OutDir receives ticket-NNNN.png and ticket-NNNN.txt for each cut
	// ticket, and is where the ControlFile is read. Required.
	OutDir string
	// Profile is the printer profile to emulate (paper width, ESC t
	// numbering); "" means "epson-tm-t20iii".
	Profile string
	// ProfileData, when its Name is set, is used instead of Profile (for a
	// profile changed by configuration, e.g. another CP1258 number).
	ProfileData printer.Profile
	// Link, when set, is a symbolic link kept pointing at the current
	// pseudo-terminal, so that a client can reopen the same path after
	// Unplug and Replug (like /dev/serial/by-id on a real machine).
	Link string
	// Chatty makes status replies arrive after an XON byte and a 4-byte
	// automatic status back block, as some printers send, to check that
	// clients filter them.
	Chatty bool
}

// Ticket is one cut ticket as the virtual printer printed it.
type Ticket struct {
	Seq      int
	Page     Page
	Text     string      // as RenderText
	Image    *image.Gray // as RenderPNG
	PNGPath  string
	TextPath string
}

// Printer is a running virtual printer.
type Printer struct {
	opts    Options
	profile printer.Profile

	mu      sync.Mutex
	state   State
	master  *os.File
	slave   *os.File
	path    string
	tickets []*Ticket
	next    int           // index of the next ticket for Next
	notify  chan struct{} // closed when a ticket arrives
	closed  bool
	readErr error
	queries int
	recv    int           // bytes received on the current pty
	holdAt  int           // stop reading once recv reaches it (0 = never)
	held    chan struct{} // closed when reading stopped at holdAt
	gate    chan struct{} // closed by Unplug to release a held reader
	wg      sync.WaitGroup
}

// Start opens a pseudo-terminal and starts decoding what is written to it.
// Print to Path() with package printer (or anything that speaks ESC/POS).
func Start(opts Options) (*Printer, error) {
	if opts.OutDir == "" {
		return nil, errors.New("virtual: Options.OutDir is required: the folder where tickets are written")
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("virtual: output folder: %w", err)
	}
	prof := opts.ProfileData
	if prof.Name == "" {
		name := opts.Profile
		if name == "" {
			name = "epson-tm-t20iii"
		}
		var err error
		if prof, err = printer.LookupProfile(name); err != nil {
			return nil, err
		}
	}
	v := &Printer{opts: opts, profile: prof, notify: make(chan struct{})}
	if err := v.plug(); err != nil {
		return nil, err
	}
	return v, nil
}

func (v *Printer) plug() error {
	master, slave, err := vpty.Open()
	if err != nil {
		return fmt.Errorf("virtual: %w", err)
	}
	path := slave.Name()
	if v.opts.Link != "" {
		_ = os.Remove(v.opts.Link)
		if err := os.Symlink(path, v.opts.Link); err != nil {
			master.Close()
			slave.Close()
			return fmt.Errorf("virtual: link %s: %w", v.opts.Link, err)
		}
	}
	v.mu.Lock()
	v.master, v.slave, v.path = master, slave, path
	v.recv, v.holdAt = 0, 0
	v.held, v.gate = make(chan struct{}), make(chan struct{})
	gate := v.gate
	v.mu.Unlock()
	d := NewDecoder(v.profile)
	d.OnStatus = func(n byte) { v.answer(master, n) }
	d.OnCut = v.cut
	v.wg.Add(1)
	go v.read(master, d, gate)
	return nil
}

func (v *Printer) read(master *os.File, d *Decoder, gate chan struct{}) {
	defer v.wg.Done()
	buf := make([]byte, 4096)
	for {
		limit := len(buf)
		v.mu.Lock()
		if v.holdAt > 0 {
			if v.recv >= v.holdAt {
				held := v.held
				v.mu.Unlock()
				close(held)
				<-gate // stalled, like a printer whose buffer is full, until Unplug
				return
			}
			limit = min(limit, v.holdAt-v.recv)
		}
		v.mu.Unlock()
		n, err := master.Read(buf[:limit])
		if n > 0 {
			v.mu.Lock()
			v.recv += n
			v.mu.Unlock()
			d.Write(buf[:n])
		}
		if err != nil {
			v.mu.Lock()
			if !v.closed && v.master == master {
				v.readErr = err
			}
			v.mu.Unlock()
			return
		}
	}
}

// Path returns the device path to print to: the Link if one was asked for,
// otherwise the pseudo-terminal (e.g. /dev/pts/3).
func (v *Printer) Path() string {
	if v.opts.Link != "" {
		return v.opts.Link
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.path
}

// Profile returns the emulated profile.
func (v *Printer) Profile() printer.Profile { return v.profile }

// OutDir returns the output folder.
func (v *Printer) OutDir() string { return v.opts.OutDir }

// SetState switches the state reported to the next status queries.
func (v *Printer) SetState(s State) {
	v.mu.Lock()
	v.state = s
	v.mu.Unlock()
}

// SetFault switches one fault on or off, keeping the others.
func (v *Printer) SetFault(f printer.Fault, on bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.state.set(f, on)
}

func (s *State) set(f printer.Fault, on bool) {
	switch f {
	case printer.FaultNoAnswer:
		s.NoAnswer = on
	case printer.FaultCoverOpen:
		s.CoverOpen = on
	case printer.FaultPaperEnd:
		s.PaperEnd = on
	case printer.FaultPaperNearEnd:
		s.PaperNearEnd = on
	case printer.FaultCutter, printer.FaultUnrecoverable, printer.FaultRecoverable:
		s.CutterError = on
	case printer.FaultOffline:
		s.Offline = on
	}
}

// StatusQueries returns how many DLE EOT queries were received.
func (v *Printer) StatusQueries() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.queries
}

// effective merges the API state with the control file.
func (v *Printer) effective() State {
	v.mu.Lock()
	s := v.state
	v.queries++
	v.mu.Unlock()
	data, err := os.ReadFile(filepath.Join(v.opts.OutDir, ControlFile))
	if err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if f, ok := printer.ParseFault(l); ok {
				s.set(f, true)
			}
		}
	}
	return s
}

// Reply returns the byte a printer in state s sends for DLE EOT n, per the
// Epson ESC/POS reference (fixed bits 0x12 plus the status bits), and false
// for no reply.
func (s State) Reply(n byte) (byte, bool) {
	if s.NoAnswer {
		return 0, false
	}
	b := byte(0x12)
	switch n {
	case 1:
		if s.Offline || s.CoverOpen || s.PaperEnd || s.CutterError {
			b |= 0x08
		}
	case 2:
		if s.CoverOpen {
			b |= 0x04
		}
		if s.PaperEnd {
			b |= 0x20
		}
		if s.CutterError {
			b |= 0x40
		}
	case 3:
		if s.CutterError {
			b |= 0x08
		}
	case 4:
		if s.PaperNearEnd || s.PaperEnd {
			b |= 0x0C
		}
		if s.PaperEnd {
			b |= 0x60
		}
	default:
		return 0, false
	}
	return b, true
}

func (v *Printer) answer(master *os.File, n byte) {
	b, ok := v.effective().Reply(n)
	if !ok {
		return
	}
	out := []byte{b}
	if v.opts.Chatty {
		out = []byte{0x11, 0x14, 0x00, 0x00, 0x0F, b} // XON, ASB block, reply
	}
	_, _ = master.Write(out)
}

func (v *Printer) cut(pg Page) {
	t := &Ticket{Page: pg, Text: RenderText(pg, v.profile)}
	img, err := RenderPNG(pg, v.profile)
	if err == nil {
		t.Image = img
	}
	v.mu.Lock()
	t.Seq = len(v.tickets) + 1
	v.mu.Unlock()
	base := filepath.Join(v.opts.OutDir, fmt.Sprintf("ticket-%04d", t.Seq))
	t.TextPath = base + ".txt"
	_ = os.WriteFile(t.TextPath, []byte(t.Text), 0o644)
	if img != nil {
		var buf bytes.Buffer
		if png.Encode(&buf, img) == nil {
			t.PNGPath = base + ".png"
			_ = os.WriteFile(t.PNGPath, buf.Bytes(), 0o644)
		}
	}
	v.mu.Lock()
	v.tickets = append(v.tickets, t)
	close(v.notify)
	v.notify = make(chan struct{})
	v.mu.Unlock()
}

// Next waits for the next ticket not yet returned by Next and returns it.
func (v *Printer) Next(ctx context.Context) (*Ticket, error) {
	for {
		v.mu.Lock()
		if v.next < len(v.tickets) {
			t := v.tickets[v.next]
			v.next++
			v.mu.Unlock()
			return t, nil
		}
		ch := v.notify
		v.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("virtual: no ticket was cut: %w", ctx.Err())
		}
	}
}

// Tickets returns every ticket printed so far.
func (v *Printer) Tickets() []*Ticket {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]*Ticket(nil), v.tickets...)
}

// HoldAfter makes the printer stop reading once it has received n more
// bytes on the current connection, as a printer whose buffer is full: the
// client's writes then block. The returned channel is closed when reading
// has stopped. Unplug releases it.
func (v *Printer) HoldAfter(n int) <-chan struct{} {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.holdAt = v.recv + max(n, 1)
	return v.held
}

// Received returns how many bytes arrived on the current connection.
func (v *Printer) Received() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.recv
}

// Unplug closes the pseudo-terminal, as if the printer's cable were pulled:
// a client's writes and reads fail. The Link, if any, is removed.
func (v *Printer) Unplug() error {
	v.mu.Lock()
	master, slave, gate := v.master, v.slave, v.gate
	v.master, v.slave = nil, nil
	v.mu.Unlock()
	if master == nil {
		return nil
	}
	close(gate)
	if v.opts.Link != "" {
		_ = os.Remove(v.opts.Link)
	}
	err := errors.Join(master.Close(), slave.Close())
	v.wg.Wait()
	return err
}

// Replug opens a new pseudo-terminal after Unplug (at a new /dev/pts path;
// the Link follows it).
func (v *Printer) Replug() error {
	v.mu.Lock()
	plugged := v.master != nil
	v.mu.Unlock()
	if plugged {
		return nil
	}
	return v.plug()
}

// Close stops the virtual printer.
func (v *Printer) Close() error {
	v.mu.Lock()
	v.closed = true
	v.mu.Unlock()
	return v.Unplug()
}
