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
//	loadtest -server ./luot-server -db postgres:///postgres?host=/run/postgresql -mode issue
//
// With -db (a PostgreSQL cluster on this machine whose role may create
// databases) the tool runs the mode twice in one run, on SQLite and then
// on PostgreSQL (a fresh database, dropped afterwards), each against its
// own raw durable-commit rate — for PostgreSQL single-row transactions
// with synchronous_commit=on on the same machine (postgres.go) — and
// prints the two side by side.
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
//   - photos: rounds of -concurrency citizens sending a feedback report
//     with a 12-megapixel photo at once (the server started with the demo
//     city's feedback configuration): each round's time beside the time
//     to merely decode the photo on this machine, and the server's peak
//     memory.
//   - cluster (with -db): -processes server processes (3) on one fresh
//     PostgreSQL database, started with -advertise and a shared
//     -cluster-secret so that they form one cluster; -trackers
//     ticket-tracking clients spread evenly over them; the mixed load
//     through the first process; per process its RSS and the latency from
//     a clerk's 2xx call to each of its clients receiving the event
//     (cluster.go).
//
// Beside the fan-out figures the tool prints the physical limit of the
// machine (-baseline, on by default): the same number of websocket
// clients fed by a bare gorilla/websocket server in the tool itself
// (baseline.go), timed by the same code.
//
// The tool talks to the server through its Go client (server/client), so
// that it sends and reads the API's real JSON; only the event fleets read
// the streams' raw frames, to time each one's arrival cheaply.
//
// The tool refuses any target that is not a loopback address. It raises
// its own open-files limit for thousands of websocket clients; a server
// it starts (-server) inherits the raised limit, one started by a script
// must be given it there (ulimit -n). Every run stops by itself after
// -duration (plus setup).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

type config struct {
	url, server, data, mode, office, kioskKey, pin, mix string
	db                                                  string // -db: the PostgreSQL cluster
	backend                                             string // of this pass: "sqlite" or "postgres"
	dbURL                                               string // postgres: this pass's database
	pid, boards, trackers, concurrency, prefill, seed   int
	clerks, processes, via                              int
	rate                                                float64
	duration, raw, settle                               time.Duration
	counters                                            []string
	serverArgs                                          string
	cpuprofile                                          string
	baseline                                            bool
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
	fs.StringVar(&c.db, "db", "", "with -server: also run on PostgreSQL, in a fresh database of this cluster on this machine (postgres://…; the role may CREATE DATABASE), beside SQLite in the same run")
	fs.IntVar(&c.pid, "pid", 0, "process id of the server given by -url, for its CPU and memory")
	fs.StringVar(&c.mode, "mode", "mixed", "mixed, issue, flood, photos or cluster")
	fs.IntVar(&c.processes, "processes", 3, "-mode cluster: server processes on the -db database, forming one cluster (1: the same load on one process, for comparison)")
	fs.IntVar(&c.via, "via", 1, "-mode cluster: the process (1…-processes) the requests go to; when it does not own the office it forwards the writes to the owner")
	fs.Float64Var(&c.rate, "rate", 100, "requests/s of the mixed load (open loop)")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "length of the measured phase (at most 10m)")
	fs.DurationVar(&c.raw, "raw", 3*time.Second, "how long to measure the raw durable-commit rate of each database (0: skip)")
	fs.DurationVar(&c.settle, "settle", 2*time.Second, "pause after the load before fan-out is measured")
	fs.IntVar(&c.boards, "boards", 0, "board websocket clients (office event stream)")
	fs.IntVar(&c.trackers, "trackers", 0, "ticket-tracking websocket clients")
	fs.IntVar(&c.concurrency, "concurrency", 32, "workers of -mode issue, flooders of -mode flood, simultaneous reports of -mode photos")
	fs.IntVar(&c.prefill, "prefill", 200, "tickets issued before the measured phase (people already waiting)")
	fs.IntVar(&c.seed, "seed", 1, "seed of the random choices")
	fs.StringVar(&c.office, "office", "demo", "office to load")
	fs.StringVar(&c.kioskKey, "kiosk-key", "demo-kiosk", "device key of a kiosk of the office")
	fs.StringVar(&c.pin, "pin", "1234", "PIN of the clerks")
	fs.StringVar(&counters, "counters", "q1:nv1,q2:nv2,q3:nv3,q4:nv4", "counter:clerk pairs that call tickets")
	fs.IntVar(&c.clerks, "clerks", 0, "with -server: counters with a clerk each (q1:nv1 … qN:nvN); above the demo's 4, the started server imports the demo office with more counters, each serving what a demo counter serves (replaces -counters)")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write the tool's own CPU profile to this file (what the load generator costs the shared machine)")
	fs.BoolVar(&c.baseline, "baseline", true, "with websocket clients: also time a bare gorilla websocket server feeding as many clients (the machine's physical limit, printed beside the fan-out)")
	fs.StringVar(&c.mix, "mix", "kiosk=12,kiosk-retry=1,remote=3,booking=1,clerk=45,track=23,state=10,office=5", "weights of the mixed load's kinds")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return nil, err
	}
	if (c.url == "") == (c.server == "") {
		return nil, errors.New("give exactly one of -url (a running server) or -server (a binary to start)")
	}
	if c.db != "" {
		if c.server == "" {
			return nil, errors.New("-db needs -server: the tool starts the server on SQLite and then on PostgreSQL")
		}
		if err := checkDBURL(c.db); err != nil {
			return nil, err
		}
	}
	if c.mode == "cluster" && (c.db == "" || c.clerks > 4 || c.processes < 1 || c.processes > 8 || c.via < 1 || c.via > c.processes || c.trackers < c.processes) {
		return nil, errors.New("-mode cluster needs -server, -db (the PostgreSQL cluster the processes share), -processes between 1 and 8, -via one of them, at most the demo office's 4 -clerks, and at least one of -trackers per process")
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

var spaces = regexp.MustCompile(`\s+`)

func shorten(s string) string {
	s = spaces.ReplaceAllString(s, " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func phone(r int) string { return fmt.Sprintf("09%08d", r%100000000) }

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

// run is the whole run: one pass (runPass) on SQLite, and with -db a
// second on PostgreSQL, then the two side by side.
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
	host, _ := os.Hostname()
	args := slices.Clone(os.Args[1:])
	for i, a := range args {
		args[i] = redact(a)
	}
	fmt.Printf("loadtest %s on %s, %s, load average before: %s, open-files limit %d\n",
		strings.Join(args, " "), host, time.Now().Format(time.RFC3339), loadAvg(), nofile)
	if cfg.mode == "cluster" {
		r, err := runCluster(context.Background(), cfg)
		if err != nil {
			return fmt.Errorf("cluster: %w", err)
		}
		r.print(os.Stdout)
		return nil
	}
	backends := []string{"sqlite"}
	if cfg.db != "" {
		backends = append(backends, "postgres")
	}
	var all []*results
	for _, b := range backends {
		c := *cfg
		c.backend = b
		if len(backends) > 1 {
			fmt.Printf("\n######## %s\n", b)
			if c.data != "" {
				c.data = filepath.Join(c.data, b) // each pass its own folder
			}
		}
		r, err := runPass(context.Background(), &c)
		if err != nil {
			return fmt.Errorf("%s: %w", b, err)
		}
		r.print(os.Stdout)
		all = append(all, r)
	}
	if len(all) > 1 {
		printSideBySide(os.Stdout, all)
	}
	return nil
}

// runPass is one pass on one database: setup (setup.go), the event
// clients (ws.go), the measured phase (phases.go), the baseline
// (baseline.go). The report is printed by the caller (report.go).
func runPass(ctx context.Context, cfg *config) (*results, error) {
	l, cleanup, err := setup(ctx, cfg)
	defer cleanup()
	if err != nil {
		return nil, err
	}
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	ev, err := l.connectEvents(wctx)
	if err != nil {
		return nil, err
	}
	r, err := l.measuredPhase(ctx)
	if err != nil {
		return nil, err
	}
	r.backend, r.rawWhat = cfg.backend, l.rawWhat
	wcancel()
	ev.wait()
	if len(ev.fleets) > 0 {
		fo := ev.fanout(l, r.seq0+1, r.seq1)
		r.fanout = &fo
		if cfg.baseline {
			b, err := runBaseline(ctx, baselinePlan(ev, r), ev.src)
			if err != nil {
				r.baselineErr = err
			}
			r.baseline = b
		}
	}
	return r, nil
}
