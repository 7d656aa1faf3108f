// Package virtual is a GSM modem on a pseudo-terminal, for tests and the
// demo: it answers the AT commands package modem uses, decodes the
// SMS-SUBMIT PDUs, joins concatenated parts, writes each message as one
// JSON line to a file and sends delivery reports (+CDS). It can be told to
// answer +CMS ERROR or to fall silent, like a modem with no network or a
// hung one.
package virtual

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"luot/internal/vpty"
	"luot/modem"
)

// ControlFile is the name of the file, beside Options.Out, that a
// technician can write to change a running virtual modem's behaviour:
// lines "silent" (answer nothing), "cms-error N" (refuse every message
// with +CMS ERROR N) or "report-status N" (every delivery report says
// TP-ST N, such as 0x46: the network gave up); empty or missing means
// normal. It is read at every command.
const ControlFile = "modem-control"

// Options configure a virtual modem.
type Options struct {
	// Out is the file that receives one JSON line (a Message) per
	// message; it is appended to. Required.
	Out string
	// Link, when set, is a symbolic link kept pointing at the
	// pseudo-terminal (like /dev/serial/by-id on a real machine).
	Link string
	// Now gives the time of delivery reports; nil means time.Now.
	Now func() time.Time
	// NoReports makes the modem send no delivery reports.
	NoReports bool
}

// Message is one message as the virtual modem received it, all its parts
// joined: the JSON line written to Options.Out.
type Message struct {
	Seq      int    `json:"seq"`
	Phone    string `json:"phone"`
	Text     string `json:"text"`
	Encoding string `json:"encoding"` // "ucs2" or "gsm7"
	Parts    int    `json:"parts"`
	Refs     []int  `json:"refs"` // the TP-MR given to each part, in part order
}

type partKey struct {
	phone        string
	ref, parts   int
	gsm7, report bool
}

type partial struct {
	texts []string
	refs  []int
	got   int
}

// Modem is a running virtual modem.
type Modem struct {
	opts Options

	mu       sync.Mutex
	master   *os.File
	slave    *os.File
	path     string
	echo     bool
	pduMode  bool
	reportDS bool
	mr       byte
	failCode int // +CMS ERROR for the next failN messages
	failN    int
	// reportStatus is the TP-ST of the next reportN delivery reports.
	reportStatus byte
	reportN      int
	silent       int // commands to ignore; negative: all until Speak
	commands     []string
	pending      map[partKey]*partial
	msgs         []Message
	next         int
	notify       chan struct{}
	closed       bool
	wg           sync.WaitGroup
}

// Start opens a pseudo-terminal and answers on it. Open Path() with
// package modem.
func Start(o Options) (*Modem, error) {
	if o.Out == "" {
		return nil, errors.New("virtual: Options.Out is required: the file where messages are written")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return nil, fmt.Errorf("virtual: folder of %s: %w", o.Out, err)
	}
	master, slave, err := vpty.Open()
	if err != nil {
		return nil, fmt.Errorf("virtual: %w", err)
	}
	v := &Modem{opts: o, master: master, slave: slave, path: slave.Name(), echo: true,
		pending: map[partKey]*partial{}, notify: make(chan struct{})}
	if o.Link != "" {
		_ = os.Remove(o.Link)
		if err := os.Symlink(v.path, o.Link); err != nil {
			master.Close()
			slave.Close()
			return nil, fmt.Errorf("virtual: link %s: %w", o.Link, err)
		}
	}
	v.wg.Add(1)
	go v.read()
	return v, nil
}

// Path returns the device path to open: the Link if one was asked for,
// otherwise the pseudo-terminal (e.g. /dev/pts/3).
func (v *Modem) Path() string {
	if v.opts.Link != "" {
		return v.opts.Link
	}
	return v.path
}

// FailNext makes the next n messages (AT+CMGS) be refused with
// +CMS ERROR code.
func (v *Modem) FailNext(code, n int) {
	v.mu.Lock()
	v.failCode, v.failN = code, n
	v.mu.Unlock()
}

// ReportNext makes the delivery reports of the next n parts say status
// (TP-ST: 0x40 and up the network gave up, such as 0x46 validity period
// expired; 0x20–0x3F still trying) instead of delivered.
func (v *Modem) ReportNext(status byte, n int) {
	v.mu.Lock()
	v.reportStatus, v.reportN = status, n
	v.mu.Unlock()
}

// Silence makes the modem ignore the next n commands (n < 0: all of them
// until Speak), like a hung modem.
func (v *Modem) Silence(n int) {
	v.mu.Lock()
	v.silent = n
	v.mu.Unlock()
}

// Speak ends a Silence.
func (v *Modem) Speak() { v.Silence(0) }

// Commands returns the commands received so far (AT…, without the PDUs),
// the ignored ones included.
func (v *Modem) Commands() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.commands...)
}

// Messages returns every message received so far.
func (v *Modem) Messages() []Message {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]Message(nil), v.msgs...)
}

// Next waits for the next message not yet returned by Next.
func (v *Modem) Next(ctx context.Context) (Message, error) {
	for {
		v.mu.Lock()
		if v.next < len(v.msgs) {
			m := v.msgs[v.next]
			v.next++
			v.mu.Unlock()
			return m, nil
		}
		ch := v.notify
		v.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("virtual: no message arrived: %w", ctx.Err())
		}
	}
}

// ReadMessages reads the messages of an output file.
func ReadMessages(path string) ([]Message, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Message
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m Message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return out, fmt.Errorf("virtual: %s line %d: %w", path, len(out)+1, err)
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// Close stops the virtual modem; a client's reads and writes fail.
func (v *Modem) Close() error {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil
	}
	v.closed = true
	v.mu.Unlock()
	if v.opts.Link != "" {
		_ = os.Remove(v.opts.Link)
	}
	err := errors.Join(v.master.Close(), v.slave.Close())
	v.wg.Wait()
	return err
}

func (v *Modem) read() {
	defer v.wg.Done()
	buf := make([]byte, 1024)
	var line []byte
	pduLen := -1 // ≥ 0 while reading the PDU of AT+CMGS
	for {
		n, err := v.master.Read(buf)
		if err != nil {
			return
		}
		for _, b := range buf[:n] {
			switch {
			case pduLen >= 0 && b == 0x1A:
				v.submit(string(line), pduLen)
				line, pduLen = line[:0], -1
			case pduLen >= 0 && b == 0x1B: // cancelled
				v.write("\r\nOK\r\n")
				line, pduLen = line[:0], -1
			case pduLen >= 0:
				if b != '\r' && b != '\n' && len(line) < 1024 {
					line = append(line, b)
				}
			case b == 0x1B:
				line = line[:0]
			case b == '\r':
				cmd := strings.TrimSpace(string(line))
				line = line[:0]
				if cmd != "" {
					pduLen = v.command(cmd)
				}
			case b == '\n':
			default:
				if len(line) < 1024 {
					line = append(line, b)
				}
			}
		}
	}
}

func (v *Modem) write(s string) { _, _ = v.master.Write([]byte(s)) }

// control reads the ControlFile, if any, which applies on top of the
// state set by FailNext, ReportNext and Silence; reportStatus is -1
// without a "report-status" line.
func (v *Modem) control() (silent bool, failCode, reportStatus int) {
	reportStatus = -1
	data, err := os.ReadFile(filepath.Join(filepath.Dir(v.opts.Out), ControlFile))
	if err != nil {
		return false, 0, reportStatus
	}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) == 1 && f[0] == "silent":
			silent = true
		case len(f) == 2 && f[0] == "cms-error":
			failCode, _ = strconv.Atoi(f[1])
		case len(f) == 2 && f[0] == "report-status":
			if n, err := strconv.ParseUint(f[1], 0, 8); err == nil {
				reportStatus = int(n)
			}
		}
	}
	return silent, failCode, reportStatus
}

// command answers one command line and returns the PDU length that
// AT+CMGS announced, or -1.
func (v *Modem) command(cmd string) int {
	fileSilent, _, _ := v.control()
	v.mu.Lock()
	v.commands = append(v.commands, cmd)
	if v.silent != 0 || fileSilent {
		if v.silent > 0 {
			v.silent--
		}
		v.mu.Unlock()
		return -1
	}
	if v.echo {
		v.write(cmd + "\r")
	}
	up := strings.ToUpper(cmd)
	reply, pdu := "", -1
	switch {
	case up == "AT":
	case up == "ATZ" || up == "ATZ0":
		v.echo, v.pduMode, v.reportDS = true, false, false
	case up == "ATE0" || up == "ATE":
		v.echo = false
	case up == "ATE1":
		v.echo = true
	case up == "ATI" || up == "AT+CGMM":
		reply = "Luot virtual GSM modem"
	case up == "AT+CGMI":
		reply = "Luot"
	case up == "AT+CPIN?":
		reply = "+CPIN: READY"
	case up == "AT+CSQ":
		reply = "+CSQ: 21,99"
	case strings.HasPrefix(up, "AT+CMEE="):
	case up == "AT+CMGF=0":
		v.pduMode = true
	case up == "AT+CMGF=1":
		v.pduMode = false
	case up == "AT+CMGF?":
		reply = fmt.Sprintf("+CMGF: %d", map[bool]int{true: 0, false: 1}[v.pduMode])
	case strings.HasPrefix(up, "AT+CNMI="):
		f := strings.Split(up[len("AT+CNMI="):], ",")
		v.reportDS = len(f) >= 4 && strings.TrimSpace(f[3]) == "1"
	case strings.HasPrefix(up, "AT+CMGS="):
		n, err := strconv.Atoi(up[len("AT+CMGS="):])
		switch {
		case !v.pduMode:
			v.mu.Unlock()
			v.write("\r\n+CMS ERROR: 302\r\n") // text mode is not emulated
			return -1
		case err != nil || n < 1 || n > 175:
			v.mu.Unlock()
			v.write("\r\n+CMS ERROR: 304\r\n")
			return -1
		}
		v.mu.Unlock()
		v.write("\r\n> ")
		return n
	default:
		v.mu.Unlock()
		v.write("\r\nERROR\r\n")
		return pdu
	}
	v.mu.Unlock()
	if reply != "" {
		v.write("\r\n" + reply + "\r\n")
	}
	v.write("\r\nOK\r\n")
	return pdu
}

// submit takes the hex PDU of AT+CMGS (SMSC address first) of TPDU length n.
func (v *Modem) submit(hexPDU string, n int) {
	b, err := hex.DecodeString(strings.TrimSpace(hexPDU))
	if err != nil || len(b) < 1 || len(b) != 1+int(b[0])+n {
		v.write("\r\n+CMS ERROR: 304\r\n")
		return
	}
	s, err := modem.DecodeSubmit(b[1+int(b[0]):])
	if err != nil {
		v.write("\r\n+CMS ERROR: 304\r\n")
		return
	}
	_, fileCode, fileStatus := v.control()
	v.mu.Lock()
	if fileCode > 0 || v.failN > 0 {
		code := fileCode
		if code == 0 {
			code = v.failCode
			v.failN--
		}
		v.mu.Unlock()
		v.write(fmt.Sprintf("\r\n+CMS ERROR: %d\r\n", code))
		return
	}
	v.mr++
	if v.mr == 0 {
		v.mr = 1
	}
	mr := int(v.mr)
	report := s.StatusReport && v.reportDS && !v.opts.NoReports
	var status byte
	switch {
	case report && v.reportN > 0:
		status = v.reportStatus
		v.reportN--
	case fileStatus >= 0:
		status = byte(fileStatus)
	}
	msg, done := v.join(s, mr)
	v.mu.Unlock()
	if done { // before the answer, so that a client sees it once Send returns
		v.store(msg)
	}
	v.write(fmt.Sprintf("\r\n+CMGS: %d\r\n\r\nOK\r\n", mr))
	if report {
		r, err := modem.EncodeStatusReport(modem.Report{Ref: mr, Phone: s.Phone, Status: status, At: v.opts.Now()})
		if err == nil {
			v.write(fmt.Sprintf("\r\n+CDS: %d\r\n00%X\r\n", len(r), r))
		}
	}
}

// join adds a part (under v.mu) and returns the whole message once every
// part has arrived; a part sent again replaces the first copy.
func (v *Modem) join(s modem.Submit, mr int) (Message, bool) {
	enc := "ucs2"
	if s.GSM7 {
		enc = "gsm7"
	}
	if s.Parts == 1 {
		return Message{Phone: s.Phone, Text: s.Text, Encoding: enc, Parts: 1, Refs: []int{mr}}, true
	}
	k := partKey{phone: s.Phone, ref: s.ConcatRef, parts: s.Parts, gsm7: s.GSM7}
	p := v.pending[k]
	if p == nil {
		p = &partial{texts: make([]string, s.Parts), refs: make([]int, s.Parts)}
		v.pending[k] = p
	}
	if p.refs[s.Part-1] == 0 {
		p.got++
	}
	p.texts[s.Part-1], p.refs[s.Part-1] = s.Text, mr
	if p.got < s.Parts {
		return Message{}, false
	}
	delete(v.pending, k)
	return Message{Phone: s.Phone, Text: strings.Join(p.texts, ""), Encoding: enc, Parts: s.Parts, Refs: p.refs}, true
}

// store appends m to the output file and to Messages.
func (v *Modem) store(m Message) {
	v.mu.Lock()
	m.Seq = len(v.msgs) + 1
	line, _ := json.Marshal(m)
	if f, err := os.OpenFile(v.opts.Out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
		_, _ = f.Write(append(line, '\n'))
		_ = f.Close()
	}
	v.msgs = append(v.msgs, m)
	close(v.notify)
	v.notify = make(chan struct{})
	v.mu.Unlock()
}

// Out returns the output file.
func (v *Modem) Out() string { return v.opts.Out }
