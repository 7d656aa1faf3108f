package keypad_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
	"go.bug.st/serial"
	"golang.org/x/sys/unix"

	"luot/display/keypad"
)

// virtualKeypad is the keypad's end of a pseudo-terminal, reached through
// a link as a /dev/serial/by-id/… path is; unplugging closes it and
// removes the link, plugging makes a new one at a new /dev/pts path.
type virtualKeypad struct {
	t             *testing.T
	link          string
	master, slave *os.File
}

func newVirtualKeypad(t *testing.T) *virtualKeypad {
	v := &virtualKeypad{t: t, link: filepath.Join(t.TempDir(), "ttyKEYPAD")}
	v.plug()
	t.Cleanup(v.unplug)
	return v
}

func (v *virtualKeypad) plug() {
	v.t.Helper()
	m, s, err := pty.Open()
	if err != nil {
		v.t.Fatal(err)
	}
	// raw, as a real serial line is before anyone opens it: no CR to LF
	// translation, no echo
	tio, err := unix.IoctlGetTermios(int(s.Fd()), unix.TCGETS)
	if err != nil {
		v.t.Fatal(err)
	}
	tio.Iflag &^= unix.ICRNL | unix.INLCR | unix.IGNCR | unix.IXON
	tio.Lflag &^= unix.ECHO | unix.ICANON | unix.ISIG | unix.IEXTEN
	tio.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(s.Fd()), unix.TCSETS, tio); err != nil {
		v.t.Fatal(err)
	}
	_ = os.Remove(v.link)
	if err := os.Symlink(s.Name(), v.link); err != nil {
		v.t.Fatal(err)
	}
	v.master, v.slave = m, s
}

func (v *virtualKeypad) unplug() {
	if v.master == nil {
		return
	}
	_ = os.Remove(v.link)
	v.master.Close()
	v.slave.Close()
	v.master, v.slave = nil, nil
}

func (v *virtualKeypad) press(s string) {
	v.t.Helper()
	if _, err := v.master.Write([]byte(s)); err != nil {
		v.t.Fatal(err)
	}
}

// reader runs a keypad on the virtual one and collects its keys.
type reader struct {
	t    *testing.T
	k    *keypad.Keypad
	keys chan string
}

func run(t *testing.T, v *virtualKeypad, cfg keypad.Config, read, retry time.Duration) *reader {
	cfg.Port = v.link
	k, err := keypad.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	k.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	k.SetTimings(read, retry, 4*retry)
	r := &reader{t: t, k: k, keys: make(chan string, 64)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- k.Run(ctx, func(key string) { r.keys <- key }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != context.Canceled {
				t.Errorf("Run returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not stop")
		}
	})
	return r
}

// want waits (bounded: only a hang fails it) for keys in order.
func (r *reader) want(keys ...string) {
	r.t.Helper()
	for _, w := range keys {
		select {
		case k := <-r.keys:
			if k != w {
				r.t.Fatalf("key %q, want %q", k, w)
			}
		case <-time.After(10 * time.Second):
			r.t.Fatalf("no key, want %q", w)
		}
	}
}

func (r *reader) none() {
	r.t.Helper()
	select {
	case k := <-r.keys:
		r.t.Fatalf("unexpected key %q", k)
	default:
	}
}

// until waits (bounded) for a condition on the reader's counts.
func (r *reader) until(what string, ok func(reads, opens, hangups int64) bool) {
	r.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if ok(r.k.Counts()) {
			return
		}
		if time.Now().After(deadline) {
			rd, op, hu := r.k.Counts()
			r.t.Fatalf("%s: never (reads %d, opens %d, hang-ups %d)", what, rd, op, hu)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLinesOverPty(t *testing.T) {
	v := newVirtualKeypad(t)
	r := run(t, v, keypad.Config{Codes: map[string]string{"NEXT": "+", "OK": "KP_Enter"}}, 200*time.Millisecond, 50*time.Millisecond)
	r.until("open", func(_, opens, _ int64) bool { return opens >= 1 })
	v.press("1\r\n2\r\nOK\r\n")
	r.want("1", "2", "KP_Enter")
	v.press("NE")
	v.press("XT\n\x01\x02\n")
	r.want("+")
	r.none()
}

func TestBytesOverPty(t *testing.T) {
	v := newVirtualKeypad(t)
	r := run(t, v, keypad.Config{Framing: keypad.Bytes, Codes: map[string]string{"n": "+"}}, 200*time.Millisecond, 50*time.Millisecond)
	v.press("12\r")
	v.press("n\x1b")
	r.want("1", "2", "KP_Enter", "+", "Escape")
}

// A read that times out returns (0, nil): the reader waits the timeout
// each time instead of spinning.
func TestReadTimeoutsDoNotSpin(t *testing.T) {
	const read = 100 * time.Millisecond
	v := newVirtualKeypad(t)
	r := run(t, v, keypad.Config{}, read, 50*time.Millisecond)
	v.press("5\n")
	r.want("5")
	reads0, _, _ := r.k.Counts()
	start := time.Now()
	r.until("four more reads", func(reads, _, _ int64) bool { return reads >= reads0+4 })
	if el := time.Since(start); el < 3*read {
		t.Fatalf("4 empty reads in %v: the reader spins (timeout %v)", el, read)
	}
	if _, opens, hangups := r.k.Counts(); opens != 1 || hangups != 0 {
		t.Fatalf("an idle keypad was reopened: opens %d, hang-ups %d", opens, hangups)
	}
	v.press("6\n")
	r.want("6")
}

// Unplugged, the keypad is reopened with a growing pause; plugged again
// (at a new pts behind the same link), its keys arrive, and a line cut by
// the unplugging is not glued to the next one.
func TestUnplugAndReplug(t *testing.T) {
	const retry = 40 * time.Millisecond
	v := newVirtualKeypad(t)
	r := run(t, v, keypad.Config{}, 100*time.Millisecond, retry)
	v.press("1\n")
	r.want("1")
	v.press("GARB") // a line cut short
	r.until("the cut line read", func(reads, _, _ int64) bool { return reads >= 2 })
	_, opens0, _ := r.k.Counts()
	v.unplug()
	start := time.Now()
	r.until("three tries to reopen", func(_, opens, _ int64) bool { return opens >= opens0+3 })
	// the pauses before the 2nd and 3rd tries: at least retry, then 2×retry
	if el := time.Since(start); el < 3*retry {
		t.Fatalf("3 reopenings in %v: no backoff (first pause %v)", el, retry)
	}
	v.plug()
	v.press("2\n")
	r.want("2")
	r.none()
}

// hungUpPort answers every read at once with nothing, as a port whose
// other end hung up may: select(2) wakes for the hang-up, there is
// nothing to read.
type hungUpPort struct{ serial.Port }

func (hungUpPort) Read([]byte) (int, error)           { return 0, nil }
func (hungUpPort) SetReadTimeout(time.Duration) error { return nil }
func (hungUpPort) Close() error                       { return nil }

// brokenPort opens but fails every read (a USB-serial adapter whose
// keypad side is gone while its device node stays).
type brokenPort struct{ hungUpPort }

func (brokenPort) Read([]byte) (int, error) { return 0, unix.EIO }

// stub runs a keypad on a port that misbehaves as a pseudo-terminal
// cannot, and returns it running.
func stub(t *testing.T, port serial.Port, retry time.Duration) *reader {
	k, err := keypad.New(keypad.Config{Port: "/dev/ttyODD"})
	if err != nil {
		t.Fatal(err)
	}
	k.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	k.SetTimings(200*time.Millisecond, retry, 8*retry)
	k.SetOpen(func(string, *serial.Mode) (serial.Port, error) { return port, nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- k.Run(ctx, func(string) {}) }()
	t.Cleanup(func() { cancel(); <-done })
	return &reader{t: t, k: k}
}

// A port that opens and fails at once is reopened with a growing pause,
// not at the first pause for ever: only a port that proved alive starts
// the backoff again.
func TestBrokenPortBacksOff(t *testing.T) {
	const retry = 20 * time.Millisecond
	start := time.Now()
	r := stub(t, brokenPort{}, retry)
	r.until("four opens", func(_, opens, _ int64) bool { return opens >= 4 })
	// pauses of retry, 2×, 4× before the 2nd, 3rd and 4th
	if el := time.Since(start); el < 7*retry {
		t.Fatalf("4 opens in %v: the pause did not grow (first %v)", el, retry)
	}
}

func TestHungUpPortIsReopenedNotSpun(t *testing.T) {
	const retry = 20 * time.Millisecond
	start := time.Now()
	r := stub(t, hungUpPort{}, retry)
	r.until("three hang-ups", func(_, _, hangups int64) bool { return hangups >= 3 })
	el := time.Since(start)
	reads, opens, _ := r.k.Counts()
	if reads > 3*opens+3 {
		t.Fatalf("reads %d over %d opens: spinning on a hung-up port", reads, opens)
	}
	if el < 3*retry {
		t.Fatalf("3 hang-ups in %v: no pause between reopenings", el)
	}
}
