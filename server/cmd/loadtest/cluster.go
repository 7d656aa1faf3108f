package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/client"
)

// -mode cluster: several server processes (-processes, 3 by default) on
// one fresh PostgreSQL database of -db, started with -advertise and a
// shared -cluster-secret so that they form one cluster (docs/cluster.md);
// the -trackers ticket-tracking websocket clients are spread evenly over
// them; the mixed load (clerks calling, kiosks issuing) goes to one
// process (-via, the first by default), which forwards the writes to the
// office's owner when it is not the owner; the report gives, per
// process, its memory (RSS from /proc) and the latency from a call to
// each of its clients receiving the event (p50, p99, max): the owner's
// clients beside the followers'.

// clusterProc is one started process of the cluster.
type clusterProc struct {
	base  string
	cmd   *exec.Cmd
	data  string
	smp   *sampler
	fleet *wsFleet
}

// freePorts reserves n loopback ports by listening and closing: each
// process needs its address before it starts, for -advertise.
func freePorts(n int) ([]string, error) {
	var addrs []string
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free loopback port: %w", err)
		}
		lns = append(lns, ln)
		addrs = append(addrs, ln.Addr().String())
	}
	return addrs, nil
}

// clusterArgs are the flags of process i of a cluster at addrs, on the
// database dbURL, sharing secret. The processes serve the demo office as
// -demo makes it (four counters): a process owns no office before it
// serves, so -import cannot change it at start (docs/cluster.md).
func clusterArgs(i int, addrs []string, dbURL, secret string) []string {
	return append(append([]string(nil), serverArgsForLoad...), "-addr", addrs[i], "-db", dbURL,
		"-advertise", "http://"+addrs[i], "-cluster-secret", secret,
		// Forwarded requests come from the other processes.
		"-trusted-proxies", "127.0.0.1/32")
}

// clusterResult is what -mode cluster measured.
type clusterResult struct {
	*results
	owner string // the office's owner at the end (its advertised URL)
	via   int    // the process the requests went to (1…)
	procs []procFigures
}

// procFigures are one process's figures.
type procFigures struct {
	base                string
	owner               bool
	clients, failed     int64
	dropped             int64
	rssStart, rss, peak int64
	cpu                 float64
	fromSent            summary // the clerk's call sent → each client
	fromAnswer, fromAt  summary
}

// runCluster is -mode cluster (see above).
func runCluster(ctx context.Context, cfg *config) (_ *clusterResult, err error) {
	var undo []func()
	defer func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}()
	cfg.backend = "postgres"
	if cfg.data == "" {
		if cfg.data, err = os.MkdirTemp("", "luot-load"); err != nil {
			return nil, err
		}
		dir := cfg.data
		undo = append(undo, func() { os.RemoveAll(dir) })
	}
	u, drop, err := freshDatabase(ctx, cfg.db)
	undo = append(undo, drop) // after the processes stop
	if err != nil {
		return nil, err
	}
	cfg.dbURL = u
	addrs, err := freePorts(cfg.processes)
	if err != nil {
		return nil, err
	}
	sb := make([]byte, 16)
	rand.Read(sb)
	secret := hex.EncodeToString(sb)
	var extra []string
	if cfg.serverArgs != "" {
		extra = strings.Fields(cfg.serverArgs)
	}
	procs := make([]*clusterProc, cfg.processes)
	// One after the other: the first creates the office, the others find it.
	for i := range procs {
		p := &clusterProc{data: filepath.Join(cfg.data, fmt.Sprintf("p%d", i+1))}
		if err := os.MkdirAll(p.data, 0o755); err != nil {
			return nil, err
		}
		args := append(clusterArgs(i, addrs, u, secret), extra...)
		if p.base, p.cmd, err = startServer(ctx, cfg.server, p.data, args); err != nil {
			return nil, fmt.Errorf("process %d: %w", i+1, err)
		}
		cmd := p.cmd
		undo = append(undo, func() { stopServer(cmd) })
		if err := checkLoopback(p.base); err != nil {
			return nil, err
		}
		procs[i] = p
		fmt.Printf("process %d: %s (pid %d), data %s\n", i+1, p.base, p.cmd.Process.Pid, p.data)
	}
	fmt.Printf("cluster of %d processes on PostgreSQL %s; requests through process %d\n", len(procs), redact(u), cfg.via)
	l, err := newLoader(cfg, procs[cfg.via-1].base)
	if err != nil {
		return nil, err
	}
	if err := l.learnOffice(ctx); err != nil {
		return nil, err
	}
	// The office has an owner once a ticket is issued (503 office_moving
	// until a process has taken it).
	deadline := time.Now().Add(30 * time.Second)
	for l.issued.Load() == 0 {
		if time.Now().After(deadline) {
			var b strings.Builder
			l.rec.print(&b, time.Second)
			return nil, fmt.Errorf("no process took office %s within 30 s:\n%s", cfg.office, b.String())
		}
		l.kioskIssue(ctx, "")
		if l.issued.Load() == 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	for range cfg.prefill {
		l.kioskIssue(ctx, "")
	}
	fmt.Printf("prefilled %d waiting tickets\n", l.issued.Load())
	l.rec = newRecorder()
	l.issued.Store(0)

	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	ev, err := l.connectCluster(wctx, procs)
	if err != nil {
		return nil, err
	}
	for _, p := range procs {
		p.smp = startSampler(p.cmd.Process.Pid)
	}
	cfg.pid = procs[cfg.via-1].cmd.Process.Pid
	r, err := l.measuredPhase(ctx)
	if err != nil {
		return nil, err
	}
	r.backend = cfg.backend
	wcancel()
	ev.wait()
	fo := ev.fanout(l, r.seq0+1, r.seq1)
	r.fanout = &fo
	if cfg.baseline {
		b, err := runBaseline(ctx, baselinePlan(ev, r), ev.src)
		if err != nil {
			r.baselineErr = err
		}
		r.baseline = b
	}
	cr := &clusterResult{results: r, via: cfg.via}
	cr.owner, err = officeOwner(ctx, u, cfg.office)
	if err != nil {
		cr.owner = "? (" + err.Error() + ")"
	}
	answered, sent := times(&l.answered), times(&l.callSent)
	ev.obs.mu.Lock()
	info := ev.obs.info
	ev.obs.mu.Unlock()
	for _, p := range procs {
		_, cpu, peak := p.smp.finish()
		end, _ := readProc(p.smp.pid)
		fo := measure([]*wsFleet{p.fleet}, info, r.seq0+1, r.seq1, answered)
		// measure times "from the answer" by the map it is given.
		fs := measure([]*wsFleet{p.fleet}, info, r.seq0+1, r.seq1, sent)
		cr.procs = append(cr.procs, procFigures{
			base: p.base, owner: strings.TrimRight(cr.owner, "/") == p.base,
			clients: p.fleet.connected.Load(), failed: p.fleet.dialErrs.Load(), dropped: p.fleet.dropped.Load(),
			rssStart: p.smp.start.rss, rss: end.rss, peak: peak, cpu: cpu,
			fromAnswer: fo.fromAnswer, fromAt: fo.fromAt, fromSent: fs.fromAnswer,
		})
	}
	return cr, nil
}

// times copies a map of ticket id → time (loader.answered, callSent).
func times(m *sync.Map) map[string]time.Time {
	out := map[string]time.Time{}
	m.Range(func(k, v any) bool { out[k.(string)] = v.(time.Time); return true })
	return out
}

// officeOwner reads which process owns office (its advertised URL).
func officeOwner(ctx context.Context, dbURL, office string) (string, error) {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var owner string
	err = db.QueryRowContext(ctx, `SELECT process FROM luot_cluster_owners WHERE office = $1`, office).Scan(&owner)
	return owner, err
}

// connectCluster connects the observer (to the first process) and
// -trackers ticket-tracking clients spread evenly over the processes,
// each following one of the youngest waiting tickets' own stream.
func (l *loader) connectCluster(ctx context.Context, procs []*clusterProc) (*events, error) {
	cfg := l.cfg
	if !l.hasTicketStream {
		return nil, errors.New("-mode cluster needs the per-ticket event stream (/tickets/{id}/events)")
	}
	ev := &events{src: srcIPs(max(64, (cfg.trackers+39)/40))}
	ev.obs, ev.followed = newObserver(), make(chan struct{})
	go func() {
		defer close(ev.followed)
		l.anon.Follow(ctx, l.office(), client.FollowOptions{}, ev.obs)
	}()
	select {
	case <-ev.obs.up:
	case <-time.After(30 * time.Second):
		return nil, errors.New("the observer could not connect to the office's event stream in 30 s")
	}
	l.tmu.Lock()
	tickets := append([]ticketRef(nil), l.tickets[max(0, len(l.tickets)-100):]...)
	l.tmu.Unlock()
	n := len(procs)
	for i, p := range procs {
		c, err := newClient(p.base, l.main)
		if err != nil {
			return nil, err
		}
		f := &wsFleet{kind: fmt.Sprintf("tracker@%d", i+1), n: cfg.trackers / n, noSeq: true,
			dialer: &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 256}}
		if i < cfg.trackers%n {
			f.n++
		}
		for _, t := range tickets {
			f.urls = append(f.urls, c.TicketEventsURL(t.id, t.token))
		}
		start := time.Now()
		f.connect(ctx, 200, ev.src)
		fmt.Printf("process %d: %d tracking clients connected in %.1f s, %d failed", i+1, f.connected.Load(), time.Since(start).Seconds(), f.dialErrs.Load())
		if e := f.firstErr.Load(); e != nil {
			fmt.Printf(" (first error: %s)", e)
		}
		fmt.Println()
		p.fleet = f
		ev.fleets = append(ev.fleets, f)
	}
	fmt.Printf("tracking clients follow %d tickets' own streams; a message is timed against the latest event before it\n", len(tickets))
	return ev, nil
}

// print writes the cluster's report: the run's (results.print, whose
// "server" is the -via process), then each process's figures.
func (cr *clusterResult) print(w io.Writer) {
	cr.results.print(w)
	fmt.Fprintf(w, "\n== %d processes, one office (owner %s) ==\n", len(cr.procs), cr.owner)
	if cr.procs[cr.via-1].owner {
		fmt.Fprintf(w, "requests went to process %d, the owner\n", cr.via)
	} else {
		fmt.Fprintf(w, "requests went to process %d, a follower: its writes were forwarded to the owner\n", cr.via)
	}
	for i, p := range cr.procs {
		role := "follower"
		if p.owner {
			role = "owner"
		}
		fmt.Fprintf(w, "process %d %s (%s): %d tracking clients (%d failed, %d dropped); RSS %s before the phase, %s after, %s peak sampled; CPU %.0f%% of one core\n",
			i+1, p.base, role, p.clients, p.failed, p.dropped, mb(p.rssStart), mb(p.rss), mb(p.peak), p.cpu)
		fmt.Fprintf(w, "  ticket.called, clerk's call sent → each client:             %s\n", p.fromSent)
		fmt.Fprintf(w, "  ticket.called, event at (the call's command) → each client: %s\n", p.fromAt)
		fmt.Fprintf(w, "  ticket.called, clerk's 2xx answer → each client:           %s\n", p.fromAnswer)
	}
	fmt.Fprintln(w, "(a negative time from the answer: the client had the event before the clerk's answer reached the tool)")
}
