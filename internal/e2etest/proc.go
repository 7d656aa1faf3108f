package e2etest

import (
	"bytes"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Proc is a process a test started, in its own process group: signals go
// to the group, so that what a program (or a script) started ends with it.
type Proc struct {
	Name string // for messages: "server", "kiosk", …
	cmd  *exec.Cmd
	log  *tail
	done chan struct{}
	err  error // what Wait returned; read after done
}

// Start starts cmd and ends it when the test ends (SIGTERM, then SIGKILL
// after 10 s). Its standard error, and its standard output unless the
// caller set them, are kept in a bounded log (Log), printed when the test
// has failed.
func Start(t testing.TB, name string, cmd *exec.Cmd) *Proc {
	t.Helper()
	return start(t, name, cmd, nil)
}

// StartLines is Start for a program whose output the test reads: each
// line of its standard output goes to the log and to the returned channel,
// which is closed when the program has ended. The channel holds 1,024
// lines; when nobody reads them, later lines are left out of it (never
// blocking the program) but are still in the log.
func StartLines(t testing.TB, name string, cmd *exec.Cmd) (*Proc, <-chan string) {
	t.Helper()
	lines := make(chan string, 1024)
	return start(t, name, cmd, lines), lines
}

func start(t testing.TB, name string, cmd *exec.Cmd, lines chan string) *Proc {
	t.Helper()
	p := &Proc{Name: name, cmd: cmd, log: &tail{}, done: make(chan struct{})}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A grandchild that keeps the output pipes open must not hold Wait.
	cmd.WaitDelay = 5 * time.Second
	if cmd.Stderr == nil {
		cmd.Stderr = p.log
	}
	var lw *lineWriter
	if lines != nil {
		lw = &lineWriter{log: p.log, lines: lines}
		cmd.Stdout = lw
	} else if cmd.Stdout == nil {
		cmd.Stdout = p.log
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		// Wait returns once exec has copied all the output (or given up
		// after WaitDelay): no line is written after this.
		p.err = cmd.Wait()
		if lw != nil {
			lw.end()
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Stop(10 * time.Second)
		if t.Failed() {
			t.Logf("--- last output of %s:\n%s", name, p.log)
		}
	})
	return p
}

// Stop sends SIGTERM to the process group and waits up to d, then sends
// SIGKILL and waits. It reports whether the process ended by itself within
// d (true as well when it had already ended).
func (p *Proc) Stop(d time.Duration) bool {
	if p.Exited() {
		return true
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		p.Kill()
		return false
	}
}

// Kill ends the process group at once (SIGKILL: no chance to clean up,
// as in a crash) and waits for the process.
func (p *Proc) Kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Done is closed when the process has ended.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Err is what waiting for the process returned (nil for a zero exit
// status, an *exec.ExitError for another status or a signal); nil while it
// runs.
func (p *Proc) Err() error {
	if !p.Exited() {
		return nil
	}
	return p.err
}

// Log returns the last 64 KiB (at least) of what the process wrote.
func (p *Proc) Log() string { return p.log.String() }

// tail keeps the end of a process's output, for failure messages: a
// program that logs for minutes must not fill the test's memory.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (l *tail) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, b...)
	if len(l.buf) > 128<<10 {
		// A copy, so that the dropped head is freed.
		l.buf = append([]byte(nil), l.buf[len(l.buf)-64<<10:]...)
	}
	return len(b), nil
}

func (l *tail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}

// lineWriter is a standard output read line by line: each line goes to
// the log, whole (not cut by what the program writes to standard error
// meanwhile), and, when the channel has room, to the channel.
type lineWriter struct {
	log     *tail
	lines   chan string
	mu      sync.Mutex
	partial []byte
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, b...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.send(w.partial[:i+1])
		w.partial = w.partial[i+1:]
	}
	return len(b), nil
}

func (w *lineWriter) send(line []byte) {
	w.log.Write(line)
	select {
	case w.lines <- strings.TrimRight(string(line), "\r\n"):
	default: // nobody reads: the log still has it
	}
}

// end sends a last line without its newline, if any, and closes the
// channel.
func (w *lineWriter) end() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.send(w.partial)
		w.partial = nil
	}
	close(w.lines)
}
