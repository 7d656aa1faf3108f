// Package e2e holds the tests of the whole lobby: scripts/run.sh itself
// (TestRunScript) and a scripted morning of an office on the real binaries
// (TestDay). Both skip only under -short; a missing Xvfb or xdotool is a
// failure, not a skip.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// repoRoot is the module's root (this file is in e2e/).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// bins are the real programs, built once per test run.
type bins struct{ server, escpos, kiosk, display string }

// build builds the server and the escpos tool without cgo and the kiosk
// and the display with cgo (Fyne, OpenGL), once per test run, into a
// temporary folder; Go's build cache is shared with the other tests.
func build(t *testing.T) bins {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "luot-lobby-e2e-bin-"); buildErr != nil {
			return
		}
		for _, b := range []struct{ out, pkg, cgo string }{
			{"luot-server", "./server", "0"}, {"escpos", "./printer/cmd/escpos", "0"},
			{"luot-kiosk", "./kiosk", "1"}, {"luot-display", "./display", "1"},
		} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, b.out), b.pkg)
			cmd.Dir = repoRoot()
			cmd.Env = append(os.Environ(), "CGO_ENABLED="+b.cgo)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s (CGO_ENABLED=%s): %v\n%s", b.pkg, b.cgo, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bins{
		server: filepath.Join(binDir, "luot-server"), escpos: filepath.Join(binDir, "escpos"),
		kiosk: filepath.Join(binDir, "luot-kiosk"), display: filepath.Join(binDir, "luot-display"),
	}
}

// needTools fails the test (never skips it) when a program it drives is
// missing.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing and the end-to-end tests need it: run scripts/setup.sh (Debian packages xvfb, xdotool, imagemagick); go test -short skips these tests", tool)
		}
	}
}

// proc is a process started by a test, in its own process group.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	log  *logTail
}

// start runs cmd until the test ends (SIGTERM to its process group, then
// SIGKILL after 10 s). Its stderr (and stdout unless taken) is kept in the
// returned proc's log, shown when the test fails.
func start(t *testing.T, name string, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{name: name, cmd: cmd, done: make(chan struct{}), log: &logTail{}}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A grandchild that keeps the output pipes open must not hold Wait.
	cmd.WaitDelay = 5 * time.Second
	if cmd.Stderr == nil {
		cmd.Stderr = p.log
	}
	if cmd.Stdout == nil {
		cmd.Stdout = p.log
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.stop(10 * time.Second)
		if t.Failed() {
			t.Logf("--- last output of %s:\n%s", name, p.log)
		}
	})
	return p
}

// stop sends SIGTERM to the process group and waits up to d, then kills it.
// It reports whether the process ended by itself within d.
func (p *proc) stop(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	default:
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		return false
	}
}

// kill ends the process at once (SIGKILL, no chance to clean up) and waits.
func (p *proc) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// logTail keeps the last 64 KiB a process wrote.
type logTail struct {
	mu  sync.Mutex
	buf []byte
}

func (l *logTail) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, b...)
	if len(l.buf) > 128<<10 {
		l.buf = append([]byte(nil), l.buf[len(l.buf)-64<<10:]...)
	}
	return len(b), nil
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}

// lines sends each line read from r to the returned channel (buffered),
// and also to tail; the channel is closed at EOF.
func lines(r io.Reader, tail *logTail) <-chan string {
	ch := make(chan string, 1024)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			tail.Write([]byte(sc.Text() + "\n"))
			select {
			case ch <- sc.Text():
			default: // nobody reads: the tail still has it
			}
		}
	}()
	return ch
}

// xvfb starts an X server of 1920×1080 on a free display number (Xvfb
// picks it with -displayfd) and returns ":N".
func xvfb(t *testing.T) string {
	t.Helper()
	needTools(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	start(t, "Xvfb", cmd)
	w.Close()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not report its display number (got %q)", n)
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitFor polls cond every 100 ms until it holds; it fails the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	begin := time.Now()
	for !cond() {
		if time.Since(begin) > d {
			t.Fatalf("gave up after %v waiting for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(begin)
}

// healthy reports whether a server answers /healthz at base.
func healthy(base string) bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// processesUsing lists the live processes (pid and command line) whose
// command line mentions s: what is left of the programs of a folder.
func processesUsing(s string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		if st, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			// A zombie has exited; its parent has not reaped it yet.
			if f := strings.Fields(string(st)); len(f) > 2 && strings.HasSuffix(f[1], ")") && f[2] == "Z" {
				continue
			}
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmdline, s) {
			out = append(out, fmt.Sprintf("%d %s", pid, cmdline))
		}
	}
	return out
}

// ctxFor returns a context that ends after d or with the test.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
