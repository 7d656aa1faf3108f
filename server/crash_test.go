package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"luot/server/client"
)

// buildServer compiles this command once per test binary.
var buildServer = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "luot-server-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "luot-server")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// serverProc is a running server child process.
type serverProc struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}
}

var servingLine = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startServer starts the real server binary on a free loopback port with
// the given data folder and waits until it serves.
func startServer(t *testing.T, data string, extra ...string) *serverProc {
	t.Helper()
	bin, err := buildServer()
	if err != nil {
		t.Fatal(err)
	}
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

func (p *serverProc) url() string { return "http://" + p.addr }

// kill sends SIGKILL — no chance to flush or close anything — and waits.
func (p *serverProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

type acked struct {
	id, token, number, service string
}

// TestCrashKeepsAcknowledgedTickets kills the server with SIGKILL in the
// middle of a load of kiosk issues and clerk calls, restarts it on the same
// data, and checks DESIGN.md's promises: every ticket whose issue got a 2xx
// is there with its number; numbers are not reused after the restart; the
// event stream resumes with since and has no gap.
func TestCrashKeepsAcknowledgedTickets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	data := t.TempDir()
	srv := startServer(t, data, "-demo")
	ctx := context.Background()

	kiosk, err := client.New(srv.url(), client.WithDeviceKey("demo-kiosk"), client.WithRetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	office, err := kiosk.Office(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	// Two clerks call while kiosks issue.
	for i, counter := range []string{"q1", "q3"} {
		anon, _ := client.New(srv.url())
		s, err := anon.Login(ctx, "demo", counter, fmt.Sprintf("nv%d", i+1), "1234")
		if err != nil {
			t.Fatalf("login at %s: %v", counter, err)
		}
		clerk, _ := client.New(srv.url(), client.WithToken(s.Token), client.WithRetries(0, 0))
		if _, err := clerk.Act(ctx, counter, client.ActionOpen, nil); err != nil {
			t.Fatalf("open %s: %v", counter, err)
		}
		go func() {
			for range 10000 {
				if _, err := clerk.Act(ctx, counter, client.ActionNext, nil); err != nil {
					return // the server died
				}
			}
		}()
	}

	const killAfter = 150
	var (
		mu   sync.Mutex
		acks []acked
		wg   sync.WaitGroup
	)
	killed := make(chan struct{})
	var once sync.Once
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				svc := office.Services[(w+i)%len(office.Services)].ID
				tk, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: svc}, client.NewIdempotencyKey())
				if err != nil {
					select {
					case <-killed:
						return // expected: the server is gone
					default:
						t.Errorf("issue before the kill: %v", err)
						return
					}
				}
				mu.Lock()
				acks = append(acks, acked{tk.ID, tokenOf(tk.TrackURL), tk.Number, svc})
				n := len(acks)
				mu.Unlock()
				if n == killAfter {
					once.Do(func() { close(killed); srv.kill() })
				}
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	got := append([]acked(nil), acks...)
	mu.Unlock()
	if len(got) < killAfter {
		t.Fatalf("only %d tickets acknowledged before the kill", len(got))
	}

	srv2 := startServer(t, data, "-demo")
	c2, _ := client.New(srv2.url(), client.WithDeviceKey("demo-kiosk"))
	used := map[string]bool{}
	for _, a := range got {
		tk, err := c2.Ticket(ctx, a.id, a.token)
		if err != nil {
			t.Fatalf("acknowledged ticket %s (%s) lost after kill -9: %v", a.id, a.number, err)
		}
		if tk.Number != a.number {
			t.Fatalf("ticket %s had number %s, now %s", a.id, a.number, tk.Number)
		}
		if used[a.number] {
			t.Fatalf("number %s acknowledged twice", a.number)
		}
		used[a.number] = true
	}
	for _, s := range office.Services {
		tk, err := c2.Issue(ctx, "demo", client.IssueRequest{Service: s.ID}, client.NewIdempotencyKey())
		if err != nil {
			t.Fatalf("issue after restart: %v", err)
		}
		if used[tk.Number] {
			t.Fatalf("number %s reused after restart", tk.Number)
		}
	}

	// The event stream, replayed from the first event, has every seq once,
	// in order, across the crash.
	state, err := c2.State(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{want: state.Seq, done: make(chan struct{}), from: 1}
	fctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	go c2.Follow(fctx, "demo", client.FollowOptions{Since: 1}, rec)
	select {
	case <-rec.done:
	case <-fctx.Done():
		t.Fatalf("event stream did not reach seq %d (got up to %d)", state.Seq, rec.last())
	}
	if err := rec.check(); err != nil {
		t.Fatal(err)
	}
	// Resume from the middle: exactly the events after it.
	mid := state.Seq / 2
	rec2 := &recorder{want: state.Seq, done: make(chan struct{}), from: mid}
	go c2.Follow(fctx, "demo", client.FollowOptions{Since: mid}, rec2)
	select {
	case <-rec2.done:
	case <-fctx.Done():
		t.Fatalf("resumed stream did not reach seq %d", state.Seq)
	}
	if err := rec2.check(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tickets acknowledged before SIGKILL, all present after restart; %d events gapless", len(got), state.Seq)
}

func tokenOf(trackURL string) string {
	m := regexp.MustCompile(`token=([^&]+)`).FindStringSubmatch(trackURL)
	if m == nil {
		return ""
	}
	return m[1]
}

// recorder is a client.Handler that checks the seqs it gets.
type recorder struct {
	mu   sync.Mutex
	from int64 // seq before the first expected event (0: a snapshot first)
	want int64
	seqs []int64
	snap bool
	err  error
	done chan struct{}
	once sync.Once
}

func (r *recorder) Event(e client.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Type == "snapshot" {
		if r.from > 0 {
			r.err = errors.New("resume with since got a snapshot instead of the missed events")
		}
		r.snap = true
		r.seqs = []int64{e.Seq}
	} else {
		if n := len(r.seqs); n > 0 && e.Seq != r.seqs[n-1]+1 {
			r.err = fmt.Errorf("seq %d after %d", e.Seq, r.seqs[n-1])
		}
		if len(r.seqs) == 0 && r.from > 0 && e.Seq != r.from+1 {
			r.err = fmt.Errorf("resume from %d started at %d", r.from, e.Seq)
		}
		r.seqs = append(r.seqs, e.Seq)
	}
	if e.Seq >= r.want {
		r.once.Do(func() { close(r.done) })
	}
}

func (r *recorder) Connected(bool, error) {}

func (r *recorder) last() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seqs) == 0 {
		return 0
	}
	return r.seqs[len(r.seqs)-1]
}

func (r *recorder) check() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
