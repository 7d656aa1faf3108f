package main

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/internal/pgtest"
)

// TestClusterMode runs -mode cluster at small scale: three real server
// processes on one PostgreSQL database form one cluster (one owner, two
// followers), 300 tracking clients are spread evenly over them, and every
// process's clients receive the calls made through the second process
// (which forwards them when it does not own the office: the first
// started usually does), with each process's memory read from /proc.
func TestClusterMode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts three servers")
	}
	pg := pgtest.Get(t)
	cfg := &config{
		server: e2etest.Build(t, e2etest.Server), data: t.TempDir(), db: pg.URL("postgres"),
		mode: "cluster", processes: 3, via: 2, trackers: 300, office: "demo", kioskKey: "demo-kiosk", pin: "1234",
		counters: []string{"q1:nv1", "q2:nv2", "q3:nv3", "q4:nv4"}, mix: "kiosk=1,clerk=3",
		rate: 30, duration: 4 * time.Second, settle: time.Second, prefill: 30, seed: 1,
	}
	r, err := runCluster(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.print(&b)
	t.Log("\n" + b.String())
	if n, _, nerr := r.rec.totals(); n == 0 || nerr != 0 {
		t.Fatalf("%d requests, %d errors", n, nerr)
	}
	if len(r.procs) != 3 {
		t.Fatalf("%d processes", len(r.procs))
	}
	owners := 0
	for i, p := range r.procs {
		if p.owner {
			owners++
		}
		if p.clients != 100 || p.failed != 0 || p.dropped != 0 {
			t.Errorf("process %d: %d clients, %d failed, %d dropped; want 100, 0, 0", i+1, p.clients, p.failed, p.dropped)
		}
		if p.fromAnswer.n == 0 || p.fromSent.n != p.fromAnswer.n || p.fromSent.p50 <= 0 {
			t.Errorf("process %d: calls received from the send %v, from the answer %v", i+1, p.fromSent, p.fromAnswer)
		}
		if p.rss <= 0 || p.peak < p.rss {
			t.Errorf("process %d: RSS %d, peak %d", i+1, p.rss, p.peak)
		}
	}
	if owners != 1 {
		t.Fatalf("%d owners of the office (owner %q), want 1", owners, r.owner)
	}
	if r.procs[1].owner {
		t.Log("process 2 owned the office: nothing was forwarded in this run")
	}
	for _, want := range []string{"(owner)", "(follower)", "clerk's 2xx answer → each client", "clerk's call sent → each client"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestClusterFlags: -mode cluster needs a database, a process count the
// tool bounds, a -via among them, the demo office's counters and a
// tracking client per process; each refusal names the flags.
func TestClusterFlags(t *testing.T) {
	base := []string{"loadtest", "-server", "./luot-server", "-mode", "cluster", "-trackers", "30"}
	db := []string{"-db", "postgres:///postgres?host=/tmp/pg"}
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{append(slices.Clone(base), db...), true},
		{append(append(slices.Clone(base), db...), "-processes", "1"), true},
		{append(append(slices.Clone(base), db...), "-via", "3"), true},
		{base, false},
		{append(append(slices.Clone(base), db...), "-processes", "9"), false},
		{append(append(slices.Clone(base), db...), "-processes", "0"), false},
		{append(append(slices.Clone(base), db...), "-via", "4"), false},
		{append(append(slices.Clone(base), db...), "-clerks", "12"), false},
		{append(append(slices.Clone(base), db...), "-trackers", "2"), false},
	} {
		saved := os.Args
		os.Args = tc.args
		cfg, err := parse()
		os.Args = saved
		if tc.ok && (err != nil || cfg.processes < 1 || cfg.via < 1) {
			t.Errorf("%v refused: %v", tc.args[5:], err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "-mode cluster needs")) {
			t.Errorf("%v accepted or refused for another reason: %v", tc.args[5:], err)
		}
	}
}
