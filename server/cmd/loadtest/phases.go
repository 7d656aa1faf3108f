package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"luot/server/client"
)

// measuredPhase runs the mode for -duration and gathers what the report
// needs: the requests, the issues, the server's CPU, memory and engine,
// and the events published meanwhile.
func (l *loader) measuredPhase(ctx context.Context) (*results, error) {
	cfg := l.cfg
	r := &results{mode: cfg.mode, raw: l.raw, rec: l.rec}
	s0, err := l.anon.State(ctx, l.office())
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	r.seq0, r.waiting0 = s0.Seq, waitingOf(s0)
	fmt.Printf("measured phase: %s, mode %s, load average %s, waiting %d, seq %d\n", cfg.duration, cfg.mode, loadAvg(), r.waiting0, r.seq0)
	eng0, engErr := l.scrapeEngine(ctx)
	smp := startSampler(cfg.pid)
	start := time.Now()
	pctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	switch cfg.mode {
	case "mixed", "cluster":
		mix, err := parseMix(cfg.mix)
		if err != nil {
			return nil, err
		}
		if err := l.mixed(pctx, cfg.rate, mix); err != nil {
			return nil, err
		}
	case "issue":
		l.issueLoop(pctx)
	case "flood":
		mix, err := parseMix(cfg.mix)
		if err != nil {
			return nil, err
		}
		if r.flood, err = l.flood(pctx, mix); err != nil {
			return nil, err
		}
	case "photos":
		if r.photos, err = l.photoRounds(pctx); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown -mode %q", cfg.mode)
	}
	r.elapsed = time.Since(start)
	r.issued = l.issued.Load()
	r.server, r.cpu, r.peakRSS = smp.finish()
	eng1, err := l.scrapeEngine(ctx)
	if engErr == nil {
		engErr = err
	}
	r.engine = engineReport(eng0, eng1, r.elapsed)
	if engErr != nil {
		r.engine = engErr.Error()
	}
	r.loadAfter = loadAvg()
	time.Sleep(cfg.settle) // let the last events reach every client
	s1, err := l.anon.State(ctx, l.office())
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	r.seq1, r.waiting1 = s1.Seq, waitingOf(s1)
	return r, nil
}

// waitingOf is how many people wait in all of an office's queues.
func waitingOf(s *client.Snapshot) int {
	n := 0
	for _, w := range s.Waiting {
		n += w
	}
	return n
}

// issueLoop is -mode issue: -concurrency kiosks issuing as fast as the
// server answers.
func (l *loader) issueLoop(ctx context.Context) {
	var wg sync.WaitGroup
	for range l.cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				l.kioskIssue(ctx, "kiosk")
			}
		}()
	}
	wg.Wait()
}

// flood is -mode flood: -concurrency workers flood staff logins and
// remote numbers from one address (127.0.9.9) while the mixed load runs
// from the others. It returns the flood's own recorder, where a 429 is the
// expected answer.
func (l *loader) flood(ctx context.Context, mix map[string]float64) (*recorder, error) {
	cfg := l.cfg
	rec := newRecorder()
	fl := &loader{cfg: cfg, base: l.base, rec: rec, rnd: rand.New(rand.NewPCG(9, 9)), services: l.services, hasRemote: l.hasRemote}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: transport(net.IPv4(127, 0, 9, 9), cfg.concurrency)}
	c, err := newClient(l.base, hc)
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for i := range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if i%2 == 0 || !fl.hasRemote {
					fl.timed(ctx, "flood-login", func() (int, error) {
						_, err := c.Login(ctx, cfg.office, "q1", "nobody", "0000")
						return http.StatusCreated, err
					}, http.StatusTooManyRequests)
				} else {
					fl.timed(ctx, "flood-remote", func() (int, error) {
						_, err := c.RemoteTicket(ctx, cfg.office, client.RemoteTicketRequest{Service: l.services[0], Phone: phone(fl.intn(1 << 30)), Name: "Flood"})
						return http.StatusCreated, err
					}, http.StatusTooManyRequests)
				}
			}
		}()
	}
	err = l.mixed(ctx, cfg.rate, mix)
	wg.Wait()
	return rec, err
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
				l.request(ctx, k)
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

// request sends one request of a kind of the mix (but the clerks').
func (l *loader) request(ctx context.Context, kind string) {
	switch kind {
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
		l.readState(ctx)
	case "office":
		l.readOffice(ctx)
	}
}
