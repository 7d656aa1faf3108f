package cluster_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/internal/pgtest"
	"luot/server/auth"
	"luot/server/client"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// proc is one server process of the cluster.
type proc struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}

	mu  sync.Mutex
	log []string
}

func (p *proc) logged(parts ...string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.log {
		ok := true
		for _, s := range parts {
			ok = ok && strings.Contains(l, s)
		}
		if ok {
			return true
		}
	}
	return false
}

func (p *proc) tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.log[max(0, len(p.log)-30):], "\n")
}

var takenLine = regexp.MustCompile(`^time=(\S+) .*office taken.* office=demo`)

// takenAt is when the process logged that it took office demo (the last
// time, by its log's clock: the same machine's).
func (p *proc) takenAt() (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var at time.Time
	for _, l := range p.log {
		if m := takenLine.FindStringSubmatch(l); m != nil {
			if tm, err := time.Parse(time.RFC3339Nano, m[1]); err == nil {
				at = tm
			}
		}
	}
	return at, !at.IsZero()
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// buildServer builds the server binary into a temporary folder.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "luot-server")
	cmd := exec.Command("go", "build", "-o", bin, "./server")
	cmd.Dir = e2etest.Root(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./server: %v\n%s", err, out)
	}
	return bin
}

var serving = regexp.MustCompile(`msg=serving addr=(\S+)`)

func startProc(t *testing.T, bin, db, secret string) *proc {
	t.Helper()
	addr := e2etest.FreeAddr(t)
	cmd := exec.Command(bin, "-addr", addr, "-data", t.TempDir(), "-db", db, "-demo",
		"-advertise", "http://"+addr, "-cluster-secret", secret, "-max-ws-per-addr", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, url: "http://" + addr, done: make(chan struct{})}
	up := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log = append(p.log, sc.Text())
			p.mu.Unlock()
			if serving.MatchString(sc.Text()) {
				close(up)
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill)
	select {
	case <-up:
	case <-p.done:
		t.Fatalf("server exited before serving:\n%s", p.tail())
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not serve within 60 s:\n%s", p.tail())
	}
	return p
}

// follower checks that it sees every seq once, in order, after its first
// snapshot (or after last when it resumes).
type follower struct {
	mu     sync.Mutex
	last   int64
	snaps  int
	events int
	types  map[string]int
	err    error
}

func (f *follower) Event(e client.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e.Type == "snapshot" {
		f.snaps++
		if f.snaps > 1 && f.err == nil {
			f.err = fmt.Errorf("a second snapshot at seq %d (after %d): the resume lost events", e.Seq, f.last)
		}
		f.last = e.Seq
		return
	}
	if e.Seq != f.last+1 && f.err == nil {
		f.err = fmt.Errorf("seq %d after %d", e.Seq, f.last)
	}
	f.last = e.Seq
	f.events++
	if f.types == nil {
		f.types = map[string]int{}
	}
	f.types[e.Type]++
}

func (f *follower) Connected(bool, error) {}

func (f *follower) state() (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last, f.err
}

type ack struct {
	id, token, number string
	start, end        time.Time
}

func tokenOf(trackURL string) string {
	m := regexp.MustCompile(`token=([^&]+)`).FindStringSubmatch(trackURL)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestFailoverKillTheOwnerUnderLoad runs three server processes on one
// PostgreSQL database; 8 kiosks issue round-robin through all three, 4
// clerks call, 2 websocket followers per process watch. The owner of the
// office is killed with SIGKILL mid-load. Then: every ticket answered 2xx
// is there with its number, no number is used twice, every follower —
// those of the dead process resumed on another by seq — saw every event
// once in order, and the stored stream has no gap. It reports the time to
// take over and the issue latency across the kill.
func TestFailoverKillTheOwnerUnderLoad(t *testing.T) { failover(t, false) }

// TestFailoverDatabaseStoppedUnderLoad is the same load on the same three
// processes while PostgreSQL is stopped with pg_ctl stop -m immediate and
// started again: requests fail (and are retried) while it is gone, the
// processes take the office again by themselves, nothing acknowledged is
// lost and every follower sees every event once, in order.
func TestFailoverDatabaseStoppedUnderLoad(t *testing.T) { failover(t, true) }

func failover(t *testing.T, stopDB bool) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and three server processes")
	}
	pg := pgtest.Get(t)
	db := pg.NewDatabase(t)
	bin := buildServer(t)
	const secret = "a-test-cluster-secret-of-the-three"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	procs := []*proc{startProc(t, bin, db, secret)}
	e2etest.WaitFor(t, 20*time.Second, "the first process to take office demo", func() bool {
		return procs[0].logged("office taken", "office=demo")
	})
	procs = append(procs, startProc(t, bin, db, secret), startProc(t, bin, db, secret))

	dead := make([]chan struct{}, 3)
	for i := range dead {
		dead[i] = make(chan struct{})
	}
	alive := func(i int) bool {
		select {
		case <-dead[i]:
			return false
		default:
			return true
		}
	}

	// Followers: two per process; one of a killed process resumes on the
	// next process with the last seq it saw.
	var followers []*follower
	fctx, fcancel := context.WithCancel(ctx)
	defer fcancel()
	for i := range 6 {
		f := &follower{}
		followers = append(followers, f)
		go func() {
			at := i % 3
			for fctx.Err() == nil {
				c, _ := client.New(procs[at].url)
				since, _ := f.state()
				sctx, scancel := context.WithCancel(fctx)
				go func() {
					select {
					case <-dead[at]:
					case <-sctx.Done():
					}
					scancel()
				}()
				c.Follow(sctx, "demo", client.FollowOptions{Since: since, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}, f)
				scancel()
				at = (at + 1) % 3
			}
		}()
	}
	e2etest.WaitFor(t, 20*time.Second, "every follower's snapshot", func() bool {
		for _, f := range followers {
			f.mu.Lock()
			s := f.snaps
			f.mu.Unlock()
			if s == 0 {
				return false
			}
		}
		return true
	})

	kiosks := make([]*client.Client, 3)
	for i, p := range procs {
		kiosks[i], _ = client.New(p.url, client.WithDeviceKey("demo-kiosk"), client.WithRetries(0, 0))
	}
	office, err := kiosks[0].Office(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}

	var (
		mu      sync.Mutex
		acks    []ack
		killAt  time.Time
		killed  = make(chan struct{})
		stop    = make(chan struct{})
		refused []string
		calls   int
		fails   int                // issues answered other than 2xx, then retried
		clerkNo = map[string]int{} // clerks' refusals by message
	)
	// Clerks: one per counter, each on its own process, calling with a
	// key kept across retries on the next process.
	var wg sync.WaitGroup
	for i, counter := range []string{"q1", "q2", "q3", "q4"} {
		anon, _ := client.New(procs[i%3].url)
		s, err := anon.Login(ctx, "demo", counter, fmt.Sprintf("nv%d", i+1), "1234")
		if err != nil {
			t.Fatal(err)
		}
		clerks := make([]*client.Client, 3)
		for j, p := range procs {
			clerks[j], _ = client.New(p.url, client.WithToken(s.Token), client.WithRetries(0, 0))
		}
		if _, err := clerks[i%3].Act(ctx, counter, client.ActionOpen, nil); err != nil {
			t.Fatalf("open counter %s: %v", counter, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := i % 3
			// act sends a with a key kept across retries on the next
			// process; it reports false when a was refused (4xx).
			act := func(a client.CounterAction) (*client.Ticket, bool) {
				key := client.NewIdempotencyKey()
				begin := time.Now()
				for time.Since(begin) < 30*time.Second && ctx.Err() == nil {
					if !alive(at) {
						at = (at + 1) % 3
					}
					tk, err := clerks[at].ActWithKey(ctx, counter, a, nil, key)
					if err == nil {
						return tk, true
					}
					if s := client.StatusOf(err); s >= 400 && s < 500 {
						mu.Lock()
						clerkNo[string(a)+": "+err.Error()]++
						mu.Unlock()
						return nil, false
					}
					at = (at + 1) % 3
					time.Sleep(20 * time.Millisecond)
				}
				return nil, false
			}
			for {
				select {
				case <-stop:
					return
				default:
				}
				tk, ok := act(client.ActionNext)
				if !ok || tk == nil {
					time.Sleep(50 * time.Millisecond) // nobody waiting yet
					continue
				}
				mu.Lock()
				calls++
				mu.Unlock()
				if _, ok := act(client.ActionStart); ok {
					act(client.ActionDone)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	// Kiosks: 8, each issuing through the three processes in turn; a
	// failed issue is sent again, with the same key, to the next one.
	for k := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				svc := office.Services[(k+i)%len(office.Services)].ID
				key := client.NewIdempotencyKey()
				start := time.Now()
				at := (k + i) % 3
				for {
					if !alive(at) {
						at = (at + 1) % 3
					}
					tk, err := kiosks[at].Issue(ctx, "demo", client.IssueRequest{Service: svc}, key)
					if err == nil {
						mu.Lock()
						acks = append(acks, ack{tk.ID, tokenOf(tk.TrackURL), tk.Number, start, time.Now()})
						mu.Unlock()
						break
					}
					mu.Lock()
					fails++
					mu.Unlock()
					if s := client.StatusOf(err); s >= 400 && s < 500 || time.Since(start) > 30*time.Second || ctx.Err() != nil {
						mu.Lock()
						refused = append(refused, err.Error())
						mu.Unlock()
						break
					}
					at = (at + 1) % 3
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
	e2etest.WaitFor(t, 60*time.Second, "150 tickets before the kill", func() bool { return count() >= 150 })

	owner := -1
	for i, p := range procs {
		if p.logged("office taken", "office=demo") {
			owner = i
		}
	}
	if stopDB {
		failed := func() int { mu.Lock(); defer mu.Unlock(); return fails }
		f0 := failed()
		if err := pg.Stop("immediate"); err != nil {
			t.Fatal(err)
		}
		e2etest.WaitFor(t, 30*time.Second, "requests to fail while PostgreSQL is down", func() bool { return failed() > f0+20 })
		if err := pg.Start(); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		killAt = time.Now() // the time to take over counts from the restart
		mu.Unlock()
	} else {
		mu.Lock()
		killAt = time.Now()
		mu.Unlock()
		procs[owner].kill()
		close(dead[owner])
	}
	close(killed)
	before := count()
	e2etest.WaitFor(t, 90*time.Second, "150 tickets after the fault", func() bool { return count() >= before+150 })
	close(stop)
	wg.Wait()
	if len(refused) > 0 {
		t.Fatalf("%d issues refused, e.g. %s", len(refused), refused[0])
	}
	if calls < 20 || len(clerkNo) > 0 {
		t.Fatalf("the clerks called %d tickets; refused: %v", calls, clerkNo)
	}

	// The process that took the office last, after the fault.
	next := -1
	var taken time.Time
	for i, p := range procs {
		if i == owner && !stopDB {
			continue
		}
		if at, ok := p.takenAt(); ok && at.After(killAt.Add(-time.Second)) && at.After(taken) {
			next, taken = i, at
		}
	}
	if next < 0 {
		t.Fatal("no process took office demo after the fault")
	}
	survivor := kiosks[next]

	// Every acknowledged ticket is there with its number; no number twice.
	used := map[string]bool{}
	var takeover, worst time.Duration
	for _, a := range acks {
		tk, err := survivor.Ticket(ctx, a.id, a.token)
		if err != nil || tk.Number != a.number {
			t.Fatalf("acknowledged ticket %s (%s) after the owner's kill: %v %v", a.id, a.number, tk, err)
		}
		if used[a.number] {
			t.Fatalf("number %s acknowledged twice", a.number)
		}
		used[a.number] = true
		if a.end.After(killAt) {
			if d := a.end.Sub(killAt); takeover == 0 || d < takeover {
				takeover = d // the first issue answered after the kill
			}
			if a.start.Before(killAt.Add(time.Second)) {
				worst = max(worst, a.end.Sub(a.start))
			}
		}
	}
	st, err := survivor.State(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range followers {
		e2etest.WaitFor(t, 30*time.Second, fmt.Sprintf("follower %d to reach seq %d", i, st.Seq), func() bool {
			last, _ := f.state()
			return last >= st.Seq
		})
		if _, err := f.state(); err != nil {
			t.Fatalf("follower %d (started on process %d): %v", i, i%3, err)
		}
	}
	// The stored stream, replayed from its start on each survivor, has
	// every seq once, in order, across the kill.
	for i := range procs {
		if i == owner && !stopDB {
			continue
		}
		f := &follower{last: 1, snaps: 1}
		c, _ := client.New(procs[i].url)
		rctx, rcancel := context.WithCancel(ctx)
		go c.Follow(rctx, "demo", client.FollowOptions{Since: 1}, f)
		e2etest.WaitFor(t, 30*time.Second, "the replay to reach the last seq", func() bool {
			last, _ := f.state()
			return last >= st.Seq
		})
		rcancel()
		if _, err := f.state(); err != nil {
			t.Fatalf("replay on process %d: %v", i, err)
		}
		// Every issue and call answered 2xx is one event, and there is
		// no other: an answer lost with the owner was retried with its
		// key and got the same ticket.
		if f.types["ticket.issued"] != len(acks) || f.types["ticket.called"] != calls {
			t.Fatalf("replay on process %d: %d issued and %d called events for %d tickets and %d calls acknowledged", i, f.types["ticket.issued"], f.types["ticket.called"], len(acks), calls)
		}
	}
	// An administration form posted to a process that does not own the
	// office is forwarded to the owner (the pages' refusal names it too).
	other := -1
	for i := range procs {
		if i != next && (i != owner || stopDB) {
			other = i
		}
	}
	anon, _ := client.New(procs[other].url)
	admin, err := anon.Login(ctx, "demo", "", "admin", "123456")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"name": {"Phường Mẫu (chuyển tiếp)"}, "name_en": {office.NameEN}, "csrf": {auth.CSRFToken(admin.Token)}}
	req, _ := http.NewRequest("POST", procs[other].url+"/admin/office", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", procs[other].url)
	req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: admin.Token})
	noRedirect := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the office form posted to process %d (not the owner): %s, want 303", other, resp.Status)
	}
	if o, err := survivor.Office(ctx, "demo"); err != nil || o.Name != "Phường Mẫu (chuyển tiếp)" {
		t.Fatalf("the office after the forwarded form: %+v %v", o, err)
	}
	numbers := slices.Sorted(func(yield func(string) bool) {
		for n := range used {
			if !yield(n) {
				return
			}
		}
	})
	// The take-over time is a figure (target ≤ 5 s), logged with the run's
	// load: a busy machine must not fail the test.
	t.Logf("process %d took the office %v after the fault (target ≤ 5 s)", next, taken.Sub(killAt))
	fault := fmt.Sprintf("process %d (the owner) killed", owner)
	if stopDB {
		fault = fmt.Sprintf("PostgreSQL stopped (immediate) and restarted; process %d owned the office before", owner)
	}
	t.Logf("%d tickets acknowledged (%d before the fault), %d distinct numbers (%s … %s), %d calls, last seq %d, %d answers other than 2xx retried; %s; process %d took the office %v after the kill or restart (its log's clock), first issue answered %v after it, slowest issue started within 1 s of it %v",
		len(acks), before, len(used), numbers[0], numbers[len(numbers)-1], calls, st.Seq, fails, fault, next, taken.Sub(killAt).Round(time.Millisecond), takeover.Round(time.Millisecond), worst.Round(time.Millisecond))
}
