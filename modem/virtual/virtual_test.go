package virtual_test

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.bug.st/serial"

	"luot/modem"
	"luot/modem/virtual"
)

// conn is a raw line to a virtual modem, to send what package modem never
// would.
type conn struct {
	t    *testing.T
	port serial.Port
	buf  strings.Builder
}

func open(t *testing.T) (*virtual.Modem, *conn) {
	t.Helper()
	v, err := virtual.Start(virtual.Options{Out: filepath.Join(t.TempDir(), "out", "messages.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	p, err := serial.Open(v.Path(), &serial.Mode{BaudRate: 115200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return v, &conn{t: t, port: p}
}

// send writes s and returns what came back until want appeared (bounded
// by a 10 s wait that only catches a hang).
func (c *conn) send(s, want string) string {
	c.t.Helper()
	if _, err := c.port.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
	return c.until(want)
}

func (c *conn) until(want string) string {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	b := make([]byte, 256)
	for !strings.Contains(c.buf.String(), want) {
		if time.Now().After(deadline) {
			c.t.Fatalf("no %q; got %q", want, c.buf.String())
		}
		_ = c.port.SetReadTimeout(100 * time.Millisecond)
		n, err := c.port.Read(b)
		if err != nil {
			c.t.Fatal(err)
		}
		c.buf.Write(b[:n])
	}
	out := c.buf.String()
	i := strings.Index(out, want) + len(want)
	c.buf.Reset()
	c.buf.WriteString(out[i:])
	return out[:i]
}

func pdu(t *testing.T, phone, text string, gsm7 bool, ref byte) [][]byte {
	t.Helper()
	p, err := modem.EncodeSubmit(phone, text, gsm7, ref)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func cmgs(c *conn, p []byte, end string) string {
	c.send("AT+CMGS="+itoa(len(p))+"\r", "> ")
	return c.send("00"+strings.ToUpper(hex.EncodeToString(p))+"\x1A", end)
}

func itoa(n int) string { return strconv.Itoa(n) }

// waitCommands waits until the modem has taken n commands (bounded: only
// a hang fails it).
func waitCommands(t *testing.T, v *virtual.Modem, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(v.Commands()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("commands %q, waiting for %d", v.Commands(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCommands: echo until ATE0, the answers, ERROR for what it does not
// know, text mode refused for sending.
func TestCommands(t *testing.T) {
	_, c := open(t)
	if got := c.send("AT\r", "OK\r\n"); !strings.Contains(got, "AT\r") {
		t.Fatalf("no echo by default: %q", got)
	}
	c.send("ATE0\r", "OK\r\n")
	if got := c.send("AT+CPIN?\r", "OK\r\n"); strings.Contains(got, "AT+CPIN?") || !strings.Contains(got, "+CPIN: READY") {
		t.Fatalf("%q", got)
	}
	c.send("AT+FOO\r", "ERROR\r\n")
	c.send("AT+CMGF=1\r", "OK\r\n")
	c.send("AT+CMGS=20\r", "+CMS ERROR: 302\r\n")
	c.send("AT+CMGF=0\r", "OK\r\n")
	c.send("AT+CMGS=0\r", "+CMS ERROR: 304\r\n")
	c.send("AT+CMGS=x\r", "+CMS ERROR: 304\r\n")
	if got := c.send("at+cmgf?\r", "OK\r\n"); !strings.Contains(got, "+CMGF: 0") {
		t.Fatalf("%q", got)
	}
}

// TestBadPDUs are refused with +CMS ERROR 304 and store nothing.
func TestBadPDUs(t *testing.T) {
	v, c := open(t)
	c.send("ATE0\r", "OK\r\n")
	c.send("AT+CMGF=0\r", "OK\r\n")
	good := pdu(t, "0912345678", "Xin chào", false, 0)[0]
	hexGood := "00" + hex.EncodeToString(good)
	for name, body := range map[string]string{
		"not hex":      "00ZZ",
		"odd hex":      hexGood + "0",
		"wrong length": hexGood + "00",
		"not a submit": "0004" + hexGood[4:],
	} {
		t.Log(name)
		c.send("AT+CMGS="+itoa(len(good))+"\r", "> ")
		c.send(body+"\x1A", "+CMS ERROR: 304\r\n")
	}
	// ESC cancels.
	c.send("AT+CMGS="+itoa(len(good))+"\r", "> ")
	c.send(hexGood+"\x1B", "OK\r\n")
	if n := len(v.Messages()); n != 0 {
		t.Fatalf("%d messages stored from bad PDUs", n)
	}
	// And a good one still goes.
	if got := cmgs(c, good, "OK\r\n"); !strings.Contains(got, "+CMGS: 1") {
		t.Fatalf("%q", got)
	}
}

// TestPartsJoined: parts arriving out of order, one of them twice, make
// one message once all are in; the file holds it as one JSON line, and the
// delivery reports come only when asked for with AT+CNMI.
func TestPartsJoined(t *testing.T) {
	v, c := open(t)
	c.send("ATE0\r", "OK\r\n")
	c.send("AT+CMGF=0\r", "OK\r\n")
	text := strings.Repeat("Hồ sơ đã sẵn sàng. ", 10)
	parts := pdu(t, "+84912345678", text, false, 77)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	cmgs(c, parts[2], "OK\r\n")
	cmgs(c, parts[0], "OK\r\n")
	cmgs(c, parts[0], "OK\r\n")
	if n := len(v.Messages()); n != 0 {
		t.Fatalf("a message stored before all parts arrived")
	}
	c.send("AT+CNMI=2,1,0,1,0\r", "OK\r\n")
	got := cmgs(c, parts[1], "OK\r\n")
	got += c.until("\r\n+CDS: ")
	c.until("\r\n")
	line := c.until("\r\n")
	b, err := hex.DecodeString(strings.TrimSpace(line))
	if err != nil || len(b) < 2 {
		t.Fatalf("+CDS PDU %q", line)
	}
	r, err := modem.DecodeStatusReport(b[1:])
	if err != nil || r.Ref != 4 || !r.Delivered() || r.Phone != "+84912345678" {
		t.Fatalf("report %+v, %v (after %q)", r, err, got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := v.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != text || m.Parts != 3 || m.Encoding != "ucs2" || len(m.Refs) != 3 || m.Refs[0] != 3 || m.Refs[1] != 4 || m.Refs[2] != 1 {
		t.Fatalf("message %+v", m)
	}
	msgs, err := virtual.ReadMessages(v.Out())
	if err != nil || len(msgs) != 1 || msgs[0].Text != text || msgs[0].Seq != 1 {
		t.Fatalf("file: %+v, %v", msgs, err)
	}
}

// TestControlFile: "silent" and "cms-error N" in the control file apply
// to the next command; emptied, the modem is normal again.
func TestControlFile(t *testing.T) {
	v, c := open(t)
	c.send("ATE0\r", "OK\r\n")
	c.send("AT+CMGF=0\r", "OK\r\n")
	ctl := filepath.Join(filepath.Dir(v.Out()), virtual.ControlFile)
	if err := os.WriteFile(ctl, []byte("cms-error 38\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := pdu(t, "0912345678", "Moi ban", true, 0)[0]
	cmgs(c, p, "+CMS ERROR: 38\r\n")
	if err := os.WriteFile(ctl, []byte("silent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.send("AT\r", "") // ignored: nothing comes back before the next answer
	waitCommands(t, v, 4)
	if err := os.WriteFile(ctl, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := c.send("AT+CSQ\r", "OK\r\n"); strings.Count(got, "OK") != 1 || !strings.Contains(got, "+CSQ:") {
		t.Fatalf("the silent AT was answered: %q", got)
	}
	cmgs(c, p, "OK\r\n")
	if n := len(v.Messages()); n != 1 {
		t.Fatalf("%d messages", n)
	}
	if cmds := v.Commands(); len(cmds) != 6 || cmds[3] != "AT" {
		t.Fatalf("commands %q", cmds)
	}
}

func TestStartRefuses(t *testing.T) {
	if _, err := virtual.Start(virtual.Options{}); err == nil || !strings.Contains(err.Error(), "Out is required") {
		t.Fatalf("err %v", err)
	}
}

// readReport reads the next +CDS from c and decodes it.
func readReport(t *testing.T, c *conn) modem.Report {
	t.Helper()
	c.until("\r\n+CDS: ")
	c.until("\r\n")
	line := c.until("\r\n")
	b, err := hex.DecodeString(strings.TrimSpace(line))
	if err != nil || len(b) < 2 {
		t.Fatalf("+CDS PDU %q", line)
	}
	r, err := modem.DecodeStatusReport(b[1:])
	if err != nil {
		t.Fatalf("+CDS PDU %q: %v", line, err)
	}
	return r
}

// TestReportNext: the next part's report says what ReportNext asked (the
// network gave up), the one after is delivered again.
func TestReportNext(t *testing.T) {
	v, c := open(t)
	c.send("ATE0\r", "OK\r\n")
	c.send("AT+CMGF=0\r", "OK\r\n")
	c.send("AT+CNMI=2,1,0,1,0\r", "OK\r\n")
	v.ReportNext(0x46, 1)
	p := pdu(t, "0912345678", "Moi ban", true, 0)[0]
	cmgs(c, p, "OK\r\n")
	if r := readReport(t, c); r.Ref != 1 || r.Status != 0x46 || r.Delivered() || !r.Final() {
		t.Fatalf("failure report %+v", r)
	}
	cmgs(c, p, "OK\r\n")
	if r := readReport(t, c); r.Ref != 2 || !r.Delivered() {
		t.Fatalf("report after the failure %+v", r)
	}
	// The control file's "report-status" does the same for every report
	// while it is there.
	ctl := filepath.Join(filepath.Dir(v.Out()), virtual.ControlFile)
	if err := os.WriteFile(ctl, []byte("report-status 0x41\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for ref := 3; ref <= 4; ref++ {
		cmgs(c, p, "OK\r\n")
		if r := readReport(t, c); r.Ref != ref || r.Status != 0x41 {
			t.Fatalf("report %d with the control file %+v", ref, r)
		}
	}
	if err := os.WriteFile(ctl, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmgs(c, p, "OK\r\n")
	if r := readReport(t, c); r.Ref != 5 || !r.Delivered() {
		t.Fatalf("report with the control file emptied %+v", r)
	}
}
