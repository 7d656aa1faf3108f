// Command loadtest drives a running Lượt server on loopback with a
// realistic, bounded load and prints what a province needs to trust it:
// requests/s, latency p50/p95/p99/max and errors by kind, the fan-out
// latency of events to every board and tracking client, the server's CPU
// and memory, durable ticket issues/s, and — measured in the same run, on
// the same disk — the raw SQLite durable-commit rate that issues/s is
// compared to.
//
//	loadtest -server ./luot-server [-data DIR] -mode mixed -rate 500 -duration 30s -boards 50 -trackers 50
//	loadtest -url http://127.0.0.1:8080 -pid 1234 -mode issue -concurrency 32 -duration 20s
//
// Modes:
//
//   - mixed: an open-loop mix at -rate requests/s (-mix weights): kiosks
//     issuing with idempotency keys (and some retries of a key), citizens
//     taking remote numbers and booking (when the server has those
//     endpoints), clerks at every counter calling next/start/done, phones
//     reading their ticket, boards reading the state; plus -boards and
//     -trackers websocket clients following the office's events.
//   - issue: -concurrency kiosks issue walk-in tickets as fast as the
//     server answers (closed loop): durable issues/s against the raw
//     durable-commit rate.
//   - flood: one client address floods the public writes (staff login,
//     remote numbers) with -concurrency workers while the mixed load runs
//     from other addresses: the flood should get 429s, the others should
//     keep their latency.
//
// The tool refuses any target that is not a loopback address. It raises
// its own open-files limit for thousands of websocket clients; a server
// it starts (-server) inherits the raised limit, one started by a script
// must be given it there (ulimit -n). Every run stops by itself after
// -duration (plus setup).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

type config struct {
	url, server, data, mode, office, kioskKey, pin, mix string
	pid, boards, trackers, concurrency, prefill, seed   int
	clerks                                              int
	rate                                                float64
	duration, raw, settle                               time.Duration
	counters                                            []string
	serverArgs                                          string
	cpuprofile                                          string
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func parse() (*config, error) {
	var c config
	var counters string
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "", "base URL of a running server on loopback (e.g. http://127.0.0.1:8080)")
	fs.StringVar(&c.server, "server", "", "server binary to start on a free loopback port with -demo (instead of -url)")
	fs.StringVar(&c.serverArgs, "server-args", "", "extra flags for the started server (space-separated)")
	fs.StringVar(&c.data, "data", "", "data folder of the started server, and where the raw commit rate is measured (default: a new temporary folder)")
	fs.IntVar(&c.pid, "pid", 0, "process id of the server given by -url, for its CPU and memory")
	fs.StringVar(&c.mode, "mode", "mixed", "mixed, issue or flood")
	fs.Float64Var(&c.rate, "rate", 100, "requests/s of the mixed load (open loop)")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "length of the measured phase (at most 10m)")
	fs.DurationVar(&c.raw, "raw", 3*time.Second, "how long to measure the raw SQLite durable-commit rate (0: skip)")
	fs.DurationVar(&c.settle, "settle", 2*time.Second, "pause after the load before fan-out is measured")
	fs.IntVar(&c.boards, "boards", 0, "board websocket clients (office event stream)")
	fs.IntVar(&c.trackers, "trackers", 0, "ticket-tracking websocket clients")
	fs.IntVar(&c.concurrency, "concurrency", 32, "workers of -mode issue, and flooders of -mode flood")
	fs.IntVar(&c.prefill, "prefill", 200, "tickets issued before the measured phase (people already waiting)")
	fs.IntVar(&c.seed, "seed", 1, "seed of the random choices")
	fs.StringVar(&c.office, "office", "demo", "office to load")
	fs.StringVar(&c.kioskKey, "kiosk-key", "demo-kiosk", "device key of a kiosk of the office")
	fs.StringVar(&c.pin, "pin", "1234", "PIN of the clerks")
	fs.StringVar(&counters, "counters", "q1:nv1,q2:nv2,q3:nv3,q4:nv4", "counter:clerk pairs that call tickets")
	fs.IntVar(&c.clerks, "clerks", 0, "with -server: counters with a clerk each (q1:nv1 … qN:nvN); above the demo's 4, the started server imports the demo office with more counters, each serving what a demo counter serves (replaces -counters)")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write the tool's own CPU profile to this file (what the load generator costs the shared machine)")
	fs.StringVar(&c.mix, "mix", "kiosk=12,kiosk-retry=1,remote=3,booking=1,clerk=45,track=23,state=10,office=5", "weights of the mixed load's kinds")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return nil, err
	}
	if (c.url == "") == (c.server == "") {
		return nil, errors.New("give exactly one of -url (a running server) or -server (a binary to start)")
	}
	if c.duration <= 0 || c.duration > 10*time.Minute {
		return nil, errors.New("-duration must be between 0 and 10m")
	}
	if c.rate <= 0 || c.rate > 20000 {
		return nil, errors.New("-rate must be between 0 and 20000")
	}
	for _, p := range strings.Split(counters, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.counters = append(c.counters, p)
		}
	}
	if c.clerks != 0 {
		if c.server == "" || c.clerks < 1 || c.clerks > 99 {
			return nil, errors.New("-clerks needs -server (the tool writes the office it starts) and is between 1 and 99")
		}
		c.counters = nil
		for i := 1; i <= c.clerks; i++ {
			c.counters = append(c.counters, fmt.Sprintf("q%d:nv%d", i, i))
		}
	}
	return &c, nil
}

// checkLoopback refuses a target that is not on this machine's loopback.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%q is not an http URL", raw)
	}
	host := u.Hostname()
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("cannot resolve %q: %v", host, err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("refusing target %s (%s): this tool loads loopback servers only", host, ip)
		}
	}
	return nil
}

// srcIPs are loopback source addresses (127.0.1.1 …) that stand for
// distinct citizens, so that per-address rate limits see many of them.
func srcIPs(n int) []net.IP {
	ips := make([]net.IP, 0, n)
	for i := range n {
		ips = append(ips, net.IPv4(127, 0, byte(1+i/250), byte(1+i%250)))
	}
	return ips
}

func transport(src net.IP, conns int) *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if src != nil {
		d.LocalAddr = &net.TCPAddr{IP: src}
	}
	return &http.Transport{DialContext: d.DialContext, MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
}

// loader holds the clients and what the run learned.
type loader struct {
	cfg      *config
	base     string
	rec      *recorder
	main     *http.Client   // kiosks and clerks (127.0.0.1)
	citizens []*http.Client // one per citizen source address
	services []string
	rnd      *rand.Rand
	rndMu    sync.Mutex

	tmu      sync.Mutex
	tickets  []ticketRef // recent tickets, for tracking reads
	keys     []keyRef    // recent kiosk idempotency keys, for retries
	issued   atomic.Int64
	answered sync.Map // ticket id → time the clerk's "next" answer arrived

	clerkBehind           atomic.Int64 // clerk requests sent over 1 s late (the counters could not keep up)
	hasRemote, hasBooking bool
	hasTicketStream       bool
	unbookable            sync.Map // services that take no appointments
	bookingDate           string
}

type ticketRef struct{ id, token string }
type keyRef struct{ key, service, id string }

func (l *loader) intn(n int) int {
	l.rndMu.Lock()
	defer l.rndMu.Unlock()
	return l.rnd.IntN(n)
}

// call sends one request and records it under kind. want lists the
// statuses that count as success. It returns the status and body.
func (l *loader) call(ctx context.Context, hc *http.Client, kind, method, path string, hdr map[string]string, body any, want ...int) (int, []byte, http.Header) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, rd)
	if err != nil {
		l.rec.fail(kind, 0, 0, err.Error())
		return 0, nil, nil
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() == nil && kind != "" {
			l.rec.fail(kind, time.Since(start), 0, shorten(err.Error()))
		}
		return 0, nil, nil
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if kind == "" {
		return resp.StatusCode, data, resp.Header
	}
	if slices.Contains(want, resp.StatusCode) {
		l.rec.ok(kind, d, resp.StatusCode)
	} else {
		l.rec.fail(kind, d, resp.StatusCode, fmt.Sprintf("%d %s", resp.StatusCode, shorten(string(data))))
	}
	return resp.StatusCode, data, resp.Header
}

var spaces = regexp.MustCompile(`\s+`)

func shorten(s string) string {
	s = spaces.ReplaceAllString(s, " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func (l *loader) kioskIssue(ctx context.Context, kind string) {
	svc := l.services[l.intn(len(l.services))]
	key := fmt.Sprintf("lt-%d-%d", time.Now().UnixNano(), l.intn(1<<30))
	status, data, _ := l.call(ctx, l.main, kind, "POST", "/api/v1/offices/"+l.cfg.office+"/tickets",
		map[string]string{"X-Device-Key": l.cfg.kioskKey, "Idempotency-Key": key}, map[string]string{"service": svc}, http.StatusCreated)
	if status == http.StatusCreated {
		l.issued.Add(1)
		l.remember(data, key, svc)
	}
}

// kioskRetry repeats an earlier request with its idempotency key, as a
// kiosk does after a lost answer: it must get the same ticket.
func (l *loader) kioskRetry(ctx context.Context) {
	l.tmu.Lock()
	if len(l.keys) == 0 {
		l.tmu.Unlock()
		l.kioskIssue(ctx, "kiosk")
		return
	}
	k := l.keys[l.intn(len(l.keys))]
	l.tmu.Unlock()
	start := time.Now()
	status, data, hdr := l.call(ctx, l.main, "", "POST", "/api/v1/offices/"+l.cfg.office+"/tickets",
		map[string]string{"X-Device-Key": l.cfg.kioskKey, "Idempotency-Key": k.key}, map[string]string{"service": k.service})
	d := time.Since(start)
	var out struct {
		Ticket struct{ ID string } `json:"ticket"`
	}
	json.Unmarshal(data, &out)
	switch {
	case status == 0 && ctx.Err() != nil:
		// Cut off by the end of the measured phase, not an error (the
		// other kinds skip these too).
	case status != http.StatusCreated:
		l.rec.fail("kiosk-retry", d, status, fmt.Sprintf("%d %s", status, shorten(string(data))))
	case out.Ticket.ID != k.id || hdr.Get("Idempotent-Replayed") != "true":
		l.rec.fail("kiosk-retry", d, status, "a repeated idempotency key made another ticket")
	default:
		l.rec.ok("kiosk-retry", d, status)
	}
}

func (l *loader) remember(data []byte, key, svc string) {
	var out struct {
		Ticket struct {
			ID       string `json:"id"`
			TrackURL string `json:"track_url"`
		} `json:"ticket"`
	}
	if json.Unmarshal(data, &out) != nil {
		return
	}
	u, _ := url.Parse(out.Ticket.TrackURL)
	tok := ""
	if u != nil {
		tok = u.Query().Get("token")
	}
	l.tmu.Lock()
	l.tickets = append(l.tickets, ticketRef{out.Ticket.ID, tok})
	if len(l.tickets) > 2000 {
		l.tickets = slices.Clone(l.tickets[1000:])
	}
	if key != "" {
		l.keys = append(l.keys, keyRef{key, svc, out.Ticket.ID})
		if len(l.keys) > 2000 {
			l.keys = slices.Clone(l.keys[1000:])
		}
	}
	l.tmu.Unlock()
}

// services2 calls f on each service until it returns false.
func (l *loader) services2(f func(string) bool) {
	for _, s := range l.services {
		if !f(s) {
			return
		}
	}
}

func (l *loader) citizen() *http.Client { return l.citizens[l.intn(len(l.citizens))] }

func phone(r int) string { return fmt.Sprintf("09%08d", r%100000000) }

func (l *loader) remote(ctx context.Context) {
	if !l.hasRemote {
		return
	}
	svc := l.services[l.intn(len(l.services))]
	status, data, _ := l.call(ctx, l.citizen(), "remote", "POST", "/api/v1/offices/"+l.cfg.office+"/remote-tickets", nil,
		map[string]string{"service": svc, "phone": phone(l.intn(1 << 30)), "name": "Nguyễn Văn Tải"}, http.StatusCreated)
	if status == http.StatusCreated {
		l.issued.Add(1)
		l.remember(data, "", svc)
	}
}

var hhmm = regexp.MustCompile(`^\d\d:\d\d$`)

// freeSlots finds the offered slots in a slots answer: the start (HH:MM)
// of each slot object that does not say it is full, or bare HH:MM strings.
func freeSlots(v any, out *[]string) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			freeSlots(e, out)
		}
	case map[string]any:
		full := false
		for _, k := range []string{"free", "left", "available", "remaining"} {
			if n, ok := x[k].(float64); ok && n <= 0 {
				full = true
			}
			if b, ok := x[k].(bool); ok && !b {
				full = true
			}
		}
		// A slot object names its start ("slot", or "start"/"time") and
		// its end ("end"): book the start. (Taking any HH:MM string, as
		// this tool once did, picked the end of the day's last slot,
		// "24:00", now and then — a slot that does not exist.)
		if !full {
			for _, k := range []string{"slot", "start", "time"} {
				if s, ok := x[k].(string); ok && hhmm.MatchString(s) {
					*out = append(*out, s)
					break
				}
			}
		}
		for _, e := range x {
			if _, ok := e.(string); !ok {
				freeSlots(e, out)
			}
		}
	case string:
		if hhmm.MatchString(x) {
			*out = append(*out, x)
		}
	}
}

func (l *loader) booking(ctx context.Context) {
	if !l.hasBooking {
		return
	}
	svc := l.services[l.intn(len(l.services))]
	if _, no := l.unbookable.Load(svc); no {
		svc = l.services[0]
		l.services2(func(s string) bool {
			if _, no := l.unbookable.Load(s); !no {
				svc = s
				return false
			}
			return true
		})
	}
	hc := l.citizen()
	status, data, _ := l.call(ctx, hc, "", "GET", "/api/v1/offices/"+l.cfg.office+"/slots?service="+svc+"&date="+l.bookingDate, nil, nil)
	if status == http.StatusConflict && strings.Contains(string(data), "not_bookable") {
		l.unbookable.Store(svc, true) // this service takes no appointments
		return
	}
	start := time.Now()
	if status != http.StatusOK {
		l.rec.fail("slots", time.Since(start), status, fmt.Sprintf("%d %s", status, shorten(string(data))))
		return
	}
	var v any
	json.Unmarshal(data, &v)
	var slots []string
	freeSlots(v, &slots)
	if len(slots) == 0 {
		return // this service's day is full
	}
	l.call(ctx, hc, "booking", "POST", "/api/v1/offices/"+l.cfg.office+"/bookings", nil,
		map[string]string{"service": svc, "date": l.bookingDate, "slot": slots[l.intn(len(slots))], "name": "Trần Thị Đặt", "phone": phone(l.intn(1 << 30))},
		http.StatusCreated, http.StatusConflict) // 409: the slot just filled, a correct answer
}

func (l *loader) track(ctx context.Context) {
	l.tmu.Lock()
	if len(l.tickets) == 0 {
		l.tmu.Unlock()
		return
	}
	t := l.tickets[l.intn(len(l.tickets))]
	l.tmu.Unlock()
	l.call(ctx, l.citizen(), "track", "GET", "/api/v1/tickets/"+t.id+"?token="+url.QueryEscape(t.token), nil, nil, http.StatusOK)
}

// clerk logs in at a counter, opens it and calls, starts and finishes
// tickets at perSec requests/s until ctx ends.
func (l *loader) clerk(ctx context.Context, counter, staff string, perSec float64, ready chan<- error) {
	status, data, _ := l.call(ctx, l.main, "", "POST", "/api/v1/sessions", nil,
		map[string]string{"office": l.cfg.office, "counter": counter, "staff": staff, "pin": l.cfg.pin})
	var s struct{ Token string }
	json.Unmarshal(data, &s)
	if status != http.StatusCreated || s.Token == "" {
		ready <- fmt.Errorf("login of %s at %s: %d %s", staff, counter, status, shorten(string(data)))
		return
	}
	auth := map[string]string{"Authorization": "Bearer " + s.Token}
	p := "/api/v1/counters/" + counter + "/"
	// Finish whatever the counter held from an earlier run.
	l.call(ctx, l.main, "", "POST", p+"open", auth, map[string]any{})
	l.call(ctx, l.main, "", "POST", p+"done", auth, map[string]any{})
	ready <- nil
	if perSec <= 0 {
		<-ctx.Done()
		return
	}
	every := time.Duration(float64(time.Second) / perSec)
	next := time.Now()
	step := 0
	for ctx.Err() == nil {
		next = next.Add(every)
		if time.Until(next) < -time.Second {
			l.clerkBehind.Add(1) // a request more than 1 s behind the plan
		}
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
		switch step {
		case 0:
			status, data, _ := l.call(ctx, l.main, "next", "POST", p+"next", auth, map[string]any{}, http.StatusOK, http.StatusNoContent)
			if status == http.StatusOK {
				var out struct {
					Ticket struct{ ID string } `json:"ticket"`
				}
				json.Unmarshal(data, &out)
				l.answered.Store(out.Ticket.ID, time.Now())
				step = 1
			}
		case 1:
			l.call(ctx, l.main, "start", "POST", p+"start", auth, map[string]any{}, http.StatusOK)
			step = 2
		case 2:
			l.call(ctx, l.main, "done", "POST", p+"done", auth, map[string]any{}, http.StatusOK)
			step = 0
		}
	}
}

func parseMix(s string) (map[string]float64, error) {
	m := map[string]float64{}
	known := []string{"kiosk", "kiosk-retry", "remote", "booking", "clerk", "track", "state", "office"}
	for _, p := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f < 0 || !slices.Contains(known, k) {
			return nil, fmt.Errorf("-mix: %q is not kind=weight with a kind of %v", p, known)
		}
		m[k] = f
	}
	return m, nil
}

// mixed runs the open-loop mix at rate requests/s until ctx ends.
func (l *loader) mixed(ctx context.Context, rate float64, mix map[string]float64) error {
	if !l.hasRemote {
		mix["kiosk"] += mix["remote"]
		delete(mix, "remote")
	}
	if !l.hasBooking {
		delete(mix, "booking")
	}
	total := 0.0
	for _, w := range mix {
		total += w
	}
	clerkRate := rate * mix["clerk"] / total
	delete(mix, "clerk")
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range mix {
			if !yield(k) {
				return
			}
		}
	})
	cum := make([]float64, len(kinds))
	acc := 0.0
	for i, k := range kinds {
		acc += mix[k]
		cum[i] = acc
	}
	ready := make(chan error, len(l.cfg.counters))
	var wg sync.WaitGroup
	for _, p := range l.cfg.counters {
		counter, staff, _ := strings.Cut(p, ":")
		wg.Add(1)
		go func() { defer wg.Done(); l.clerk(ctx, counter, staff, clerkRate/float64(len(l.cfg.counters)), ready) }()
	}
	for range l.cfg.counters {
		if err := <-ready; err != nil {
			return err
		}
	}
	jobs := make(chan string, 4096)
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				switch k {
				case "kiosk":
					l.kioskIssue(ctx, "kiosk")
				case "kiosk-retry":
					l.kioskRetry(ctx)
				case "remote":
					l.remote(ctx)
				case "booking":
					l.booking(ctx)
				case "track":
					l.track(ctx)
				case "state":
					l.call(ctx, l.citizen(), "state", "GET", "/api/v1/offices/"+l.cfg.office+"/state", nil, nil, http.StatusOK)
				case "office":
					l.call(ctx, l.citizen(), "office", "GET", "/api/v1/offices/"+l.cfg.office, nil, nil, http.StatusOK)
				}
			}
		}()
	}
	otherRate := rate - clerkRate
	if otherRate > 0 && acc > 0 {
		every := time.Duration(float64(time.Second) / otherRate)
		next := time.Now()
		late := 0
	loop:
		for {
			next = next.Add(every)
			if d := time.Until(next); d > 0 {
				select {
				case <-ctx.Done():
					break loop
				case <-time.After(d):
				}
			} else if ctx.Err() != nil {
				break
			}
			x := float64(l.intn(1<<30)) / (1 << 30) * acc
			i, _ := slices.BinarySearch(cum, x)
			select {
			case jobs <- kinds[min(i, len(kinds)-1)]:
			default:
				late++
			}
		}
		if late > 0 {
			fmt.Printf("WARNING: the tool could not dispatch %d requests in time (its workers were all busy)\n", late)
		}
	} else {
		<-ctx.Done()
	}
	close(jobs)
	wg.Wait()
	fmt.Printf("offered %.0f req/s: clerks %.0f at %d counters (next → start → done, one at a time per counter), others %.0f\n",
		rate, clerkRate, len(l.cfg.counters), otherRate)
	if n := l.clerkBehind.Load(); n > 0 {
		fmt.Printf("WARNING: %d clerk requests were sent over 1 s behind the plan: each counter's requests wait for the previous answer, so slow answers lower the rate (more counters: -clerks)\n", n)
	}
	return nil
}

// probe reports whether a POST route exists (anything but the API's
// catch-all 404 "not_found").
func (l *loader) probe(path string) bool {
	status, data, _ := l.call(context.Background(), l.main, "", "POST", path, nil, map[string]string{})
	return !(status == http.StatusNotFound && strings.Contains(string(data), `"not_found"`)) && status != 0 && status != http.StatusMethodNotAllowed
}

func (l *loader) state(ctx context.Context) (seq int64, waiting int, err error) {
	status, data, _ := l.call(ctx, l.main, "", "GET", "/api/v1/offices/"+l.cfg.office+"/state", nil, nil)
	if status != http.StatusOK {
		return 0, 0, fmt.Errorf("state: %d %s", status, shorten(string(data)))
	}
	var s struct {
		Seq     int64          `json:"seq"`
		Waiting map[string]int `json:"waiting"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, 0, err
	}
	for _, n := range s.Waiting {
		waiting += n
	}
	return s.Seq, waiting, nil
}

func run() error {
	cfg, err := parse()
	if err != nil {
		return err
	}
	nofile, err := raiseOpenFiles(uint64(2*(cfg.boards+cfg.trackers) + 4096))
	if err != nil {
		return fmt.Errorf("raise open-files limit: %w", err)
	}
	if cfg.cpuprofile != "" {
		f, err := os.Create(cfg.cpuprofile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	host, _ := os.Hostname()
	fmt.Printf("loadtest %s on %s, %s, load average before: %s, open-files limit %d\n",
		strings.Join(os.Args[1:], " "), host, time.Now().Format(time.RFC3339), loadAvg(), nofile)

	if cfg.data == "" {
		if cfg.data, err = os.MkdirTemp("", "luot-load"); err != nil {
			return err
		}
		defer os.RemoveAll(cfg.data)
	}
	base := cfg.url
	var srv *exec.Cmd
	if cfg.server != "" {
		var extra []string
		if cfg.serverArgs != "" {
			extra = strings.Fields(cfg.serverArgs)
		}
		f, err := loadOffice(cfg.data, max(cfg.clerks, 4), cfg.pin)
		if err != nil {
			return fmt.Errorf("office with %d counters: %w", max(cfg.clerks, 4), err)
		}
		// The tool's own arguments first: -server-args may override them.
		extra = append(append(append([]string(nil), serverArgsForLoad...), "-import", f), extra...)
		base, srv, err = startServer(ctx, cfg.server, cfg.data, extra)
		if err != nil {
			return err
		}
		cfg.pid = srv.Process.Pid
		defer func() {
			srv.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { srv.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				srv.Process.Kill()
			}
		}()
		fmt.Printf("started %s at %s (pid %d), data %s\n", cfg.server, base, cfg.pid, cfg.data)
	}
	if err := checkLoopback(base); err != nil {
		return err
	}

	raw := 0.0
	if cfg.raw > 0 {
		raw, err = rawCommitRate(cfg.data, cfg.raw)
		if err != nil {
			return fmt.Errorf("raw commit rate: %w", err)
		}
		fmt.Printf("raw SQLite durable commits (1-row transactions on the store's settings: WAL, synchronous=FULL, foreign keys, one connection, in %s): %.0f/s\n", cfg.data, raw)
	}

	l := &loader{cfg: cfg, base: strings.TrimRight(base, "/"), rec: newRecorder(), rnd: rand.New(rand.NewPCG(uint64(cfg.seed), 7))}
	l.main = &http.Client{Timeout: 30 * time.Second, Transport: transport(nil, 512)}
	for _, ip := range srcIPs(250) {
		l.citizens = append(l.citizens, &http.Client{Timeout: 30 * time.Second, Transport: transport(ip, 8)})
	}
	status, data, _ := l.call(ctx, l.main, "", "GET", "/api/v1/offices/"+cfg.office, nil, nil)
	if status != http.StatusOK {
		return fmt.Errorf("office %s: %d %s", cfg.office, status, shorten(string(data)))
	}
	var office struct {
		Timezone string
		Services []struct {
			ID     string
			Active bool
			Served bool
		}
	}
	json.Unmarshal(data, &office)
	for _, s := range office.Services {
		if s.Active && s.Served {
			l.services = append(l.services, s.ID)
		}
	}
	if len(l.services) == 0 {
		return errors.New("the office has no active service that a counter serves")
	}
	loc, err := time.LoadLocation(office.Timezone)
	if err != nil {
		loc = time.UTC
	}
	l.bookingDate = time.Now().In(loc).AddDate(0, 0, 1).Format("2006-01-02")
	l.hasRemote = l.probe("/api/v1/offices/" + cfg.office + "/remote-tickets")
	l.hasBooking = l.probe("/api/v1/offices/" + cfg.office + "/bookings")
	if st, _, _ := l.call(ctx, l.main, "", "GET", "/api/v1/tickets/none/events?token=x", nil, nil); st == http.StatusNotFound || st == http.StatusUnauthorized {
		st2, body, _ := l.call(ctx, l.main, "", "GET", "/api/v1/tickets/none/events?token=x", nil, nil)
		l.hasTicketStream = st2 != 0 && !strings.Contains(string(body), `"not_found"`)
	}
	fmt.Printf("citizen endpoints: remote-tickets %v, bookings %v, ticket stream %v\n", l.hasRemote, l.hasBooking, l.hasTicketStream)

	if cfg.prefill > 0 {
		for range cfg.prefill {
			l.kioskIssue(ctx, "")
		}
		fmt.Printf("prefilled %d waiting tickets\n", cfg.prefill)
	}
	l.rec = newRecorder()
	l.issued.Store(0)

	// Event clients, connected before the measured phase.
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	u, _ := url.Parse(l.base)
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	evURL := u.String() + "/api/v1/offices/" + cfg.office + "/events"
	dialer := &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 256}
	var fleets []*wsFleet
	// The server caps the streams of one address (-max-ws-per-addr, 50 by
	// default): at most 40 clients per source address.
	src := srcIPs(max(64, (cfg.boards+cfg.trackers+39)/40))
	// The observer decodes every event once (type, at, ticket); it is not
	// counted in the fan-out.
	observer := &wsFleet{url: evURL, kind: "observer", n: 1, dialer: dialer, observer: true}
	if cfg.boards+cfg.trackers > 0 {
		observer.connect(wctx, 1, nil)
	}
	trackers := &wsFleet{url: evURL, kind: "tracker", n: cfg.trackers, dialer: dialer}
	if l.hasTicketStream && cfg.trackers > 0 {
		// Each tracker follows one of the youngest waiting tickets, as a
		// phone does with the ticket's QR.
		l.tmu.Lock()
		ts := l.tickets[max(0, len(l.tickets)-100):]
		for _, t := range ts {
			trackers.urls = append(trackers.urls, u.String()+"/api/v1/tickets/"+t.id+"/events?token="+url.QueryEscape(t.token))
		}
		l.tmu.Unlock()
		trackers.noSeq = true
	}
	for _, f := range []*wsFleet{{url: evURL, kind: "board", n: cfg.boards, dialer: dialer}, trackers} {
		if f.n == 0 {
			continue
		}
		start := time.Now()
		f.connect(wctx, 200, src)
		fmt.Printf("%s clients: %d connected in %.1f s, %d failed", f.kind, f.connected.Load(), time.Since(start).Seconds(), f.dialErrs.Load())
		if e := f.firstErr.Load(); e != nil {
			fmt.Printf(" (first error: %s)", e)
		}
		fmt.Println()
		fleets = append(fleets, f)
	}
	if cfg.trackers > 0 && trackers.noSeq {
		fmt.Printf("tracking clients follow %d tickets' own streams (/tickets/{id}/events); a message is timed against the latest event before it\n", len(trackers.urls))
	} else if cfg.trackers > 0 {
		fmt.Println("tracking clients follow the office event stream (this server has no per-ticket stream)")
	}

	seq0, waiting0, err := l.state(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("measured phase: %s, mode %s, load average %s, waiting %d, seq %d\n", cfg.duration, cfg.mode, loadAvg(), waiting0, seq0)
	eng0, engErr := l.scrapeEngine(ctx)
	smp := startSampler(cfg.pid)
	start := time.Now()
	pctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var flood *recorder
	switch cfg.mode {
	case "mixed":
		mix, err := parseMix(cfg.mix)
		if err != nil {
			return err
		}
		if err := l.mixed(pctx, cfg.rate, mix); err != nil {
			return err
		}
	case "issue":
		var wg sync.WaitGroup
		for range cfg.concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for pctx.Err() == nil {
					l.kioskIssue(pctx, "kiosk")
				}
			}()
		}
		wg.Wait()
	case "flood":
		mix, err := parseMix(cfg.mix)
		if err != nil {
			return err
		}
		flood = newRecorder()
		fl := &loader{cfg: cfg, base: l.base, rec: flood, rnd: rand.New(rand.NewPCG(9, 9)), services: l.services, hasRemote: l.hasRemote}
		fl.main = &http.Client{Timeout: 30 * time.Second, Transport: transport(net.IPv4(127, 0, 9, 9), cfg.concurrency)}
		fl.citizens = []*http.Client{fl.main}
		var wg sync.WaitGroup
		for i := range cfg.concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for pctx.Err() == nil {
					if i%2 == 0 || !fl.hasRemote {
						fl.call(pctx, fl.main, "flood-login", "POST", "/api/v1/sessions", nil,
							map[string]string{"office": cfg.office, "counter": "q1", "staff": "nobody", "pin": "0000"}, http.StatusTooManyRequests)
					} else {
						fl.call(pctx, fl.main, "flood-remote", "POST", "/api/v1/offices/"+cfg.office+"/remote-tickets", nil,
							map[string]string{"service": l.services[0], "phone": phone(fl.intn(1 << 30)), "name": "Flood"}, http.StatusTooManyRequests)
					}
				}
			}()
		}
		if err := l.mixed(pctx, cfg.rate, mix); err != nil {
			return err
		}
		wg.Wait()
	default:
		return fmt.Errorf("unknown -mode %q", cfg.mode)
	}
	elapsed := time.Since(start)
	issued := l.issued.Load()
	res := smp.finish()
	eng1, err := l.scrapeEngine(ctx)
	if engErr == nil {
		engErr = err
	}
	la := loadAvg()
	time.Sleep(cfg.settle) // let the last events reach every client
	seq1, waiting1, err := l.state(ctx)
	if err != nil {
		return err
	}
	wcancel()

	fmt.Printf("\n== requests (%s, %.1f s) ==\n", cfg.mode, elapsed.Seconds())
	worst, nerr := l.rec.print(os.Stdout, elapsed)
	fmt.Printf("worst p99 %s ms, errors %d\n", ms(worst), nerr)
	if flood != nil {
		fmt.Println("\n== flood from one address (429 expected) ==")
		flood.print(os.Stdout, elapsed)
	}
	fmt.Printf("\n== durable ticket issues ==\n%d issued in %.1f s: %.0f/s", issued, elapsed.Seconds(), float64(issued)/elapsed.Seconds())
	if raw > 0 {
		fmt.Printf(" = %.0f%% of the raw durable-commit rate (%.0f/s)", 100*float64(issued)/elapsed.Seconds()/raw, raw)
	}
	fmt.Printf("\nwaiting %d → %d, events seq %d → %d (%d events)\n", waiting0, waiting1, seq0, seq1, seq1-seq0)
	fmt.Printf("\n== server ==\n%s\nload average after: %s\n", res, la)
	if engErr != nil {
		fmt.Printf("engine (group commit): %v\n", engErr)
	} else {
		fmt.Printf("engine (group commit): %s\n", engineReport(eng0, eng1, elapsed))
	}

	if len(fleets) > 0 {
		observer.mu.Lock()
		info := observer.info
		observer.mu.Unlock()
		answered := map[string]time.Time{}
		l.answered.Range(func(k, v any) bool { answered[k.(string)] = v.(time.Time); return true })
		fo := measure(fleets, info, seq0+1, seq1, answered)
		dropped := int64(0)
		for _, f := range fleets {
			dropped += f.dropped.Load()
		}
		fmt.Printf("\n== event fan-out to %d websocket clients (%d events) ==\n", fo.clients, seq1-seq0)
		fmt.Printf("ticket.called, event at → each client:      %s\n", fo.fromAt)
		fmt.Printf("ticket.called, event at → last client:      %s\n", fo.fromAtLast)
		fmt.Printf("ticket.called, clerk's answer → each client: %s\n", fo.fromAnswer)
		fmt.Printf("every event, event at → each client:        %s\n", fo.allEvents)
		fmt.Printf("clients dropped while reading: %d; events missed by clients that stayed: %d\n", dropped, fo.missing)
		for _, f := range fleets {
			if e := f.firstErr.Load(); e != nil && f.dropped.Load() > 0 {
				fmt.Printf("  %s: first error %s\n", f.kind, e)
			}
		}
	}
	return nil
}
