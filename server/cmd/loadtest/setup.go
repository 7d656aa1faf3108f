package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"luot/server/client"
)

// setup prepares a run: the data folder, the server (started, or given),
// the raw commit rate, the clients, what the office offers and the
// prefilled queue. cleanup stops what setup started; call it even after
// an error.
func setup(ctx context.Context, cfg *config) (l *loader, cleanup func(), err error) {
	var undo []func()
	cleanup = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	if cfg.data == "" {
		if cfg.data, err = os.MkdirTemp("", "luot-load"); err != nil {
			return nil, cleanup, err
		}
		dir := cfg.data
		undo = append(undo, func() { os.RemoveAll(dir) })
	}
	if err := os.MkdirAll(cfg.data, 0o755); err != nil {
		return nil, cleanup, err
	}
	if cfg.backend == "postgres" {
		u, drop, err := freshDatabase(ctx, cfg.db)
		undo = append(undo, drop) // after the server stops (undone in reverse)
		if err != nil {
			return nil, cleanup, err
		}
		cfg.dbURL = u
	}
	raw, rawWhat := 0.0, ""
	if cfg.raw > 0 {
		// Before the server starts: the machine is measured alone.
		if cfg.backend == "postgres" {
			var set string
			if raw, set, err = rawCommitRatePG(ctx, cfg.dbURL, cfg.raw); err != nil {
				return nil, cleanup, fmt.Errorf("raw PostgreSQL commit rate: %w", err)
			}
			rawWhat = "raw PostgreSQL durable commits (1-row transactions, one connection, synchronous_commit=on, this machine; " + set + ")"
		} else {
			if raw, err = rawCommitRate(cfg.data, cfg.raw); err != nil {
				return nil, cleanup, fmt.Errorf("raw commit rate: %w", err)
			}
			rawWhat = fmt.Sprintf("raw SQLite durable commits (1-row transactions on the store's settings: WAL, synchronous=FULL, foreign keys, one connection, in %s)", cfg.data)
		}
		fmt.Printf("%s: %.0f/s\n", rawWhat, raw)
	}
	base := cfg.url
	if cfg.server != "" {
		var srv *exec.Cmd
		if base, srv, err = startLoadServer(ctx, cfg); err != nil {
			return nil, cleanup, err
		}
		undo = append(undo, func() { stopServer(srv) })
	}
	if err := checkLoopback(base); err != nil {
		return nil, cleanup, err
	}
	if l, err = newLoader(cfg, base); err != nil {
		return nil, cleanup, err
	}
	l.raw, l.rawWhat = raw, rawWhat
	if err := l.learnOffice(ctx); err != nil {
		return nil, cleanup, err
	}
	if cfg.prefill > 0 {
		for range cfg.prefill {
			l.kioskIssue(ctx, "")
		}
		fmt.Printf("prefilled %d waiting tickets\n", cfg.prefill)
	}
	l.rec = newRecorder()
	l.issued.Store(0)
	return l, cleanup, nil
}

// startLoadServer starts -server with the load office (loadOffice).
func startLoadServer(ctx context.Context, cfg *config) (string, *exec.Cmd, error) {
	var extra []string
	if cfg.serverArgs != "" {
		extra = strings.Fields(cfg.serverArgs)
	}
	f, err := loadOffice(cfg.data, max(cfg.clerks, 4), cfg.pin)
	if err != nil {
		return "", nil, fmt.Errorf("office with %d counters: %w", max(cfg.clerks, 4), err)
	}
	own := append(append([]string(nil), serverArgsForLoad...), "-import", f)
	if cfg.mode == "photos" {
		fb, err := feedbackArgs(cfg.data, cfg.office)
		if err != nil {
			return "", nil, fmt.Errorf("feedback files: %w", err)
		}
		own = append(own, fb...)
	}
	if cfg.dbURL != "" {
		own = append(own, "-db", cfg.dbURL)
	}
	// The tool's own arguments first: -server-args may override them.
	extra = append(own, extra...)
	base, srv, err := startServer(ctx, cfg.server, cfg.data, extra)
	if err != nil {
		return "", nil, err
	}
	cfg.pid = srv.Process.Pid
	db := "SQLite in the data folder"
	if cfg.dbURL != "" {
		db = "PostgreSQL " + redact(cfg.dbURL)
	}
	fmt.Printf("started %s at %s (pid %d), data %s, database %s\n", cfg.server, base, cfg.pid, cfg.data, db)
	return base, srv, nil
}

// stopServer ends a started server: SIGTERM, then SIGKILL after 10 s.
func stopServer(srv *exec.Cmd) {
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { srv.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		srv.Process.Kill()
	}
}

// newLoader makes the run's clients: kiosks, clerks and the tool's own
// reads from 127.0.0.1, citizens from 250 other loopback addresses.
func newLoader(cfg *config, base string) (*loader, error) {
	l := &loader{cfg: cfg, base: strings.TrimRight(base, "/"), rec: newRecorder(), rnd: rand.New(rand.NewPCG(uint64(cfg.seed), 7))}
	l.main = &http.Client{Timeout: 30 * time.Second, Transport: transport(nil, 512)}
	var err error
	if l.anon, err = newClient(l.base, l.main); err != nil {
		return nil, err
	}
	if l.kiosk, err = newClient(l.base, l.main, client.WithDeviceKey(cfg.kioskKey)); err != nil {
		return nil, err
	}
	for _, ip := range srcIPs(250) {
		c, err := newClient(l.base, &http.Client{Timeout: 30 * time.Second, Transport: transport(ip, 8)})
		if err != nil {
			return nil, err
		}
		l.citizens = append(l.citizens, c)
	}
	return l, nil
}

// learnOffice reads the office's served services and time zone (for the
// booking date: tomorrow) and which citizen routes the server has.
func (l *loader) learnOffice(ctx context.Context) error {
	office, err := l.anon.Office(ctx, l.office())
	if err != nil {
		return fmt.Errorf("office %s: %w", l.office(), err)
	}
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
	p := "/api/v1/offices/" + l.office()
	l.hasRemote = l.routeExists(ctx, "POST", p+"/remote-tickets")
	l.hasBooking = l.routeExists(ctx, "POST", p+"/bookings")
	l.hasTicketStream = l.routeExists(ctx, "GET", "/api/v1/tickets/none/events?token=x")
	fmt.Printf("citizen endpoints: remote-tickets %v, bookings %v, ticket stream %v\n", l.hasRemote, l.hasBooking, l.hasTicketStream)
	return nil
}

// routeExists reports whether the server has a route, so that the tool
// can load servers from before a citizen endpoint: a request with an empty
// body gets anything but the API's catch-all 404 "not_found" (or 405).
func (l *loader) routeExists(ctx context.Context, method, path string) bool {
	var body io.Reader
	if method == "POST" {
		body = strings.NewReader("{}")
	}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, body)
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.main.Do(req)
	if err != nil {
		return false
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	return !(resp.StatusCode == http.StatusNotFound && strings.Contains(string(data), `"not_found"`)) && resp.StatusCode != http.StatusMethodNotAllowed
}
