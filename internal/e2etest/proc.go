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
	t    testing.TB
	cmd  *exec.Cmd
	log  *tail
	done chan struct{}
	err  error // what Wait returned; read after done
}

// QuitGrace is how long Stop waits, after SIGQUIT, for a program that did
// not end on SIGTERM to print its goroutines' stacks and exit (a Go
// program does so at once) before it sends SIGKILL.
const QuitGrace = 2 * time.Second

// Start starts cmd and ends it when the test ends (Stop with 10 s). Its standard error, and its standard output unless the
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
	p := &Proc{Name: name, t: t, cmd: cmd, log: &tail{}, done: make(chan struct{})}
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
			// Up to a SIGQUIT only: Stop logged the stacks after it.
			t.Logf("--- last output of %s:\n%s", name, p.log.before())
		}
	})
	return p
}

// Stop sends SIGTERM to the process group and waits up to d. It reports
// whether the process ended by itself within d (true as well when it had
// already ended). When it did not, Stop sends SIGQUIT to the process (not
// its group), waits up to QuitGrace, then sends SIGKILL to the group and
// waits; it logs (t.Logf) what the process wrote to its log (Log) after
// the SIGQUIT: a Go
// program writes every goroutine's stack there, which shows where its
// ending is stuck.
func (p *Proc) Stop(d time.Duration) bool {
	p.t.Helper()
	if p.Exited() {
		return true
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return true
	case <-time.After(d):
	}
	p.log.mark()
	syscall.Kill(p.cmd.Process.Pid, syscall.SIGQUIT)
	select {
	case <-p.done:
	case <-time.After(QuitGrace):
	}
	p.Kill()
	p.t.Logf("--- %s did not end within %v of SIGTERM; what it wrote after SIGQUIT (a Go program: its goroutines):\n%s",
		p.Name, d, p.log.dump())
	return false
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
// program that logs for minutes must not fill the test's memory. After
// mark it also keeps, whole up to maxDump, what follows: a goroutine dump
// is longer than the tail, and its head (the main goroutine) matters most.
type tail struct {
	mu     sync.Mutex
	buf    []byte
	marked bool
	pre    string // the tail at mark
	quit   []byte // written after mark
}

// maxDump bounds what a tail keeps after mark; a dump of a few hundred
// goroutines fits.
const maxDump = 4 << 20

func (l *tail) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.marked && len(l.quit) < maxDump {
		l.quit = append(l.quit, b[:min(len(b), maxDump-len(l.quit))]...)
	}
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

// mark starts keeping the output whole (dump), once.
func (l *tail) mark() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.marked {
		l.marked, l.pre = true, string(l.buf)
	}
}

// before is the tail at mark, or now when not marked.
func (l *tail) before() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.marked {
		return l.pre
	}
	return string(l.buf)
}

// dump is what was written after mark.
func (l *tail) dump() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.quit)
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
