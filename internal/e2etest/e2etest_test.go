package e2etest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

func TestRootHoldsTheModule(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(Root(t), "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module luot\n") {
		t.Fatalf("go.mod at the root: %v %.40q", err, mod)
	}
}

func TestBuildOnceAndRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds escpos: skipped with -short")
	}
	bin := Build(t, Escpos)
	if again := Build(t, Escpos); again != bin {
		t.Errorf("second Build: %s, first %s", again, bin)
	}
	out, _ := exec.Command(bin, "profiles").CombinedOutput()
	if !strings.Contains(string(out), "generic-80") {
		t.Errorf("escpos profiles:\n%s", out)
	}
}

func TestFreeAddrCanBeListenedOn(t *testing.T) {
	addr := FreeAddr(t)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

// fatalTB records a failure instead of failing the test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fails runs f as a test and returns its failure message ("" if none).
func fails(t *testing.T, f func(tb testing.TB)) string {
	tb := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); f(tb) }()
	<-done
	return tb.msg
}

func TestWaitForReturnsTheTimeTaken(t *testing.T) {
	begin := time.Now()
	took := WaitFor(t, time.Second, "100 ms", func() bool { return time.Since(begin) > 100*time.Millisecond })
	if took < 100*time.Millisecond || took > 300*time.Millisecond {
		t.Errorf("took %v for a 100 ms condition polled every 20 ms", took)
	}
	msg := fails(t, func(tb testing.TB) { WaitFor(tb, 100*time.Millisecond, "never", func() bool { return false }) })
	if msg != "gave up after 100ms waiting for never" {
		t.Errorf("failure %q", msg)
	}
}

func TestStartKeepsOutputAndStopsOnSIGTERM(t *testing.T) {
	p, lines := StartLines(t, "sh", exec.Command("sh", "-c", "echo one; echo two >&2; printf 'three\\r\\nfour'; exec sleep 60"))
	var got []string
	WaitFor(t, 5*time.Second, "two lines", func() bool {
		select {
		case l := <-lines:
			got = append(got, l)
		default:
		}
		return len(got) == 2
	})
	if strings.Join(got, ",") != "one,three" {
		t.Errorf("lines %q", got)
	}
	if p.Exited() || p.Err() != nil {
		t.Errorf("running: exited %v, err %v", p.Exited(), p.Err())
	}
	if !p.Stop(5 * time.Second) {
		t.Fatal("sleep did not end on SIGTERM")
	}
	var exit *exec.ExitError
	if err := p.Err(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("Err after SIGTERM: %v", err)
	}
	if l, open := <-lines; l != "four" {
		t.Errorf("the last line, without its newline: %q (open %v)", l, open)
	}
	if _, open := <-lines; open {
		t.Error("the lines' channel is open after the program ended")
	}
	if log := p.Log(); !strings.Contains(log, "one\n") || !strings.Contains(log, "two\n") || !strings.Contains(log, "three\r\n") || !strings.Contains(log, "four") {
		t.Errorf("log %q", log)
	}
}

func TestStopSendsSIGQUITBeforeSIGKILL(t *testing.T) {
	// The shell stands for a Go program that is stuck: it ignores SIGTERM
	// and, on SIGQUIT, writes to standard error as Go's runtime writes the
	// goroutines' stacks, then exits.
	p, lines := StartLines(t, "stuck", exec.Command("sh", "-c", "trap '' TERM; trap 'echo goroutine 1 [chan receive]: >&2; exit 2' QUIT; echo before >&2; echo ready; while :; do sleep 0.1; done"))
	if l := <-lines; l != "ready" {
		t.Fatalf("first line %q", l)
	}
	if p.Stop(300 * time.Millisecond) {
		t.Error("Stop says it ended by itself")
	}
	// Exit status 2 is the QUIT trap's: Stop sent SIGQUIT and waited for
	// it before any SIGKILL.
	var exit *exec.ExitError
	if err := p.Err(); !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("Err: %v, want the exit status 2 of the QUIT trap", err)
	}
	if got := p.log.dump(); got != "goroutine 1 [chan receive]:\n" {
		t.Errorf("kept after SIGQUIT: %q", got)
	}
	// Standard output and error are read apart: their lines may
	// interleave either way.
	if got := strings.Split(strings.TrimSuffix(p.log.before(), "\n"), "\n"); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"before", "ready"}) {
		t.Errorf("kept before SIGQUIT: %q, want the lines before and ready", got)
	}
}

func TestStopKillsTheGroupThatIgnoresSIGTERM(t *testing.T) {
	// The shell and its sleeps ignore SIGTERM (an ignored signal stays
	// ignored across exec).
	p, lines := StartLines(t, "stubborn", exec.Command("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"))
	if l := <-lines; l != "ready" {
		t.Fatalf("first line %q", l)
	}
	pid := p.cmd.Process.Pid
	begin := time.Now()
	if p.Stop(300 * time.Millisecond) {
		t.Error("Stop says it ended by itself")
	}
	if d := time.Since(begin); d < 300*time.Millisecond || d > 5*time.Second {
		t.Errorf("Stop took %v", d)
	}
	if !p.Exited() {
		t.Error("not exited after Stop")
	}
	if left := liveInGroup(pid); len(left) > 0 {
		t.Errorf("processes of the group still alive: %v", left)
	}
}

// liveInGroup lists the processes of group pgid that are not zombies (a
// killed child is a zombie until whoever adopted it reaps it).
func liveInGroup(pgid int) []string {
	var live []string
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp …; comm may hold spaces.
		fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(fields) > 2 && fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" {
			live = append(live, string(b[:strings.LastIndexByte(string(b), ')')+1]))
		}
	}
	return live
}

func TestLogKeepsTheEnd(t *testing.T) {
	var l tail
	line := strings.Repeat("x", 1023) + "\n"
	for i := range 300 {
		fmt.Fprintf(&l, "%04d%s", i, line[4:])
	}
	s := l.String()
	if len(s) < 64<<10 || len(s) > 128<<10 || !strings.HasSuffix(s, "0299"+line[4:]) {
		t.Errorf("tail of %d bytes ending %q", len(s), s[max(0, len(s)-30):])
	}
}

func TestXvfbScreenshotClick(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb: skipped with -short")
	}
	NeedTools(t, "Xvfb", "xdotool", "import", "xev")
	a, b := Xvfb(t), Xvfb(t)
	if a == b {
		t.Fatalf("two Xvfb on one display %s", a)
	}
	img := Screenshot(t, b, filepath.Join(t.TempDir(), "root.png"))
	if s := img.Bounds().Size(); s.X != 1920 || s.Y != 1080 {
		t.Errorf("screen %v, want 1920×1080", s)
	}
	// xev holds a connection (with none, Xvfb resets and the pointer goes
	// back to the middle) and reports the button on the root window.
	xev := exec.Command("xev", "-root", "-event", "button")
	xev.Env = append(os.Environ(), "DISPLAY="+a)
	_, events := StartLines(t, "xev", xev)
	WaitFor(t, 10*time.Second, "the click in xev's events", func() bool {
		Click(t, a, 100, 200) // again until xev has selected the events
		for {
			select {
			case l := <-events:
				if strings.Contains(l, "root:(100,200)") {
					return true
				}
			default:
				return false
			}
		}
	})
}

func TestXvfbSizeAndKey(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb: skipped with -short")
	}
	NeedTools(t, "Xvfb", "xdotool", "import", "xev")
	d := XvfbSize(t, 800, 1280)
	img := Screenshot(t, d, filepath.Join(t.TempDir(), "root.png"))
	if s := img.Bounds().Size(); s.X != 800 || s.Y != 1280 {
		t.Errorf("screen %v, want 800×1280", s)
	}
	// With no window manager the focus follows the pointer, here on the
	// root window, where xev listens.
	xev := exec.Command("xev", "-root", "-event", "keyboard")
	xev.Env = append(os.Environ(), "DISPLAY="+d)
	_, events := StartLines(t, "xev", xev)
	WaitFor(t, 10*time.Second, "KP_7 in xev's events", func() bool {
		Key(t, d, "KP_7") // again until xev has selected the events
		for {
			select {
			case l := <-events:
				if strings.Contains(l, "KP_7") {
					return true
				}
			default:
				return false
			}
		}
	})
}
