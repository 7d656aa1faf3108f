// Helpers of the tests that run the real server binary.
package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/internal/pgtest"
)

// TestMain removes the server binary the tests built (internal/e2etest)
// and stops the tests' PostgreSQL cluster (internal/pgtest).
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Shutdown()
	e2etest.Cleanup()
	os.Exit(code)
}

// serverProc is a running server child process.
type serverProc struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}

	mu  sync.Mutex
	log []string // the lines it wrote to stderr
}

// logged reports whether the server wrote a line containing s.
func (p *serverProc) logged(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.log {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

var servingLine = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startServer starts the real server binary on a free loopback port with
// the given data folder and waits until it serves.
func startServer(t *testing.T, data string, extra ...string) *serverProc {
	t.Helper()
	bin := e2etest.Build(t, e2etest.Server)
	args := append([]string{"-addr", "127.0.0.1:0", "-data", data}, extra...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log = append(p.log, sc.Text())
			p.mu.Unlock()
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	select {
	case p.addr = <-addrc:
	case <-p.done:
		t.Fatal("server exited before serving")
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start serving within 60 s")
	}
	return p
}

// eachServerBackend runs fn on each database the server can use: SQLite
// in the data folder (db empty) and PostgreSQL, a fresh database of the
// tests' private cluster (internal/pgtest) given as db = -db URL.
func eachServerBackend(t *testing.T, fn func(t *testing.T, db []string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, nil) })
	t.Run("postgres", func(t *testing.T) { fn(t, []string{"-db", pgtest.Get(t).NewDatabase(t)}) })
}

func (p *serverProc) url() string { return "http://" + p.addr }

// kill sends SIGKILL — no chance to flush or close anything — and waits.
func (p *serverProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

type acked struct {
	id, token, number, service string
}

func tokenOf(trackURL string) string {
	m := regexp.MustCompile(`token=([^&]+)`).FindStringSubmatch(trackURL)
	if m == nil {
		return ""
	}
	return m[1]
}
