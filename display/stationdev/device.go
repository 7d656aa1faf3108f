// Package stationdev runs a counter station (display -counter q3): it
// follows the office's event stream with resume, reads the station's
// configuration (GET /station) at start and whenever its counter changes,
// feeds the station's model (display/stationstate) and carries out what
// the model asks: the clerk's sign-in with the station's device key (the
// session token kept in memory only), counter actions with one
// idempotency key per press, sign-out, the citizen's rating. It prints
// the counter's print jobs in order through the printer package with a
// journal, so that a restart acknowledges a printed job without printing
// it again, and reports printer faults as device.status. It serves its
// state as JSON for tests and technicians. It has no Fyne driver, so it
// is tested without cgo; display/main.go joins it to the window.
package stationdev

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"luot/display/device"
	"luot/display/keypad"
	"luot/display/stationstate"
	"luot/internal/clock"
	"luot/server/client"
)

// Device is one running counter station.
type Device struct {
	cfg     device.Config
	opts    Options
	client  *client.Client // with the station's device key
	log     *slog.Logger
	printer Printer        // nil: no printer
	journal *Journal       // nil without a printer
	keypad  *keypad.Keypad // nil without a serial keypad

	mu         sync.Mutex
	model      *stationstate.Model
	ctx        context.Context // Run's, nil before
	station    *client.Station // the last answer of GET /station
	photoOf    string          // the clerk and photo path the model has
	session    *client.Client  // the clerk's session at the station, nil when none
	fault      *Fault
	lastRating *RatingResult
	// reported is the printer status last reported to the server.
	reported string
	counts   Counts

	busy      sync.WaitGroup // effects under way
	refetch   chan struct{}  // asks for GET /station again
	printWake chan struct{}  // asks the print loop to list the jobs
	drawn     atomic.Int64   // the version of the last view the screen drew
}

// Counts are what the station did since it started, for the state
// endpoint.
type Counts struct {
	Events      int `json:"events"`
	Connects    int `json:"connects"`
	Disconnects int `json:"disconnects"`
	Fetches     int `json:"station_fetches"`
	Actions     int `json:"actions"`
	Refused     int `json:"actions_refused"`
	Ratings     int `json:"ratings"`
	RatingsNot  int `json:"ratings_refused"`
	Printed     int `json:"printed"`
	Acked       int `json:"acked"`
	PrintFailed int `json:"print_failed"`
}

// Options are the parts a program or a test gives.
type Options struct {
	// Show receives every new view (on the caller's goroutine: the screen
	// hands it to its UI thread, fyne.Do).
	Show func(stationstate.View)
	// Printer is the counter's printer; nil: none (jobs wait on the
	// server). With a printer, the configuration's journal is opened.
	Printer Printer
	// Clock defaults to the system clock; the model's timeouts follow it.
	Clock clock.Clock
	Log   *slog.Logger
	// TickEvery is how often the model is given the time (default
	// 250 ms), for the rating prompt's timeout and the thanks.
	TickEvery time.Duration
	// RetryEvery is how often a job held back by a printer fault or an
	// unreachable server is tried again (default 10 s).
	RetryEvery time.Duration
	// PrintTimeout bounds one job's printing (default 60 s).
	PrintTimeout time.Duration
	// RequestTimeout bounds one call to the server (default 15 s).
	RequestTimeout time.Duration
	// Follow tunes the stream's reconnection (tests shorten it).
	Follow client.FollowOptions
}

// New makes a station from its configuration. It fails when the
// configuration is not a station's (no counter) or the journal cannot be
// opened.
func New(cfg device.Config, o Options) (*Device, error) {
	if cfg.Counter == "" {
		return nil, errors.New("no counter: a counter station needs -counter (e.g. -counter q3)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Show == nil {
		o.Show = func(stationstate.View) {}
	}
	if o.TickEvery <= 0 {
		o.TickEvery = 250 * time.Millisecond
	}
	if o.RetryEvery <= 0 {
		o.RetryEvery = 10 * time.Second
	}
	if o.PrintTimeout <= 0 {
		o.PrintTimeout = time.Minute
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 15 * time.Second
	}
	c, err := client.New(cfg.Server, client.WithDeviceKey(cfg.DeviceKey))
	if err != nil {
		return nil, err
	}
	d := &Device{
		cfg: cfg, opts: o, client: c, log: o.Log.With("counter", cfg.Counter), printer: o.Printer, model: newModel(cfg),
		refetch: make(chan struct{}, 1), printWake: make(chan struct{}, 1),
	}
	if d.keypad, err = openKeypad(cfg.Station); err != nil {
		return nil, err
	}
	if d.keypad != nil {
		d.keypad.Log = d.log
	}
	if o.Printer != nil {
		path, err := cfg.JournalPath()
		if err != nil {
			return nil, err
		}
		if d.journal, err = OpenJournal(path); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Drawn records that the screen drew the view of a version.
func (d *Device) Drawn(version int64) { d.drawn.Store(version) }

// View returns what the station shows now.
func (d *Device) View() stationstate.View {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.viewLocked()
}

// Counts returns what the station did so far.
func (d *Device) Counts() Counts {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.counts
}

func (d *Device) countPrint(f func(*Counts)) {
	d.mu.Lock()
	f(&d.counts)
	d.mu.Unlock()
}

func (d *Device) publish() { d.opts.Show(d.View()) }

// ErrWrongStation is why Run stops when the server does not know the
// device key as the station of the configured counter.
var ErrWrongStation = errors.New("this device key is not the station of the configured counter")

// Run runs the station until ctx ends. It returns an error wrapping
// ErrWrongStation when the server refuses the key or binds it to another
// counter (a configuration to fix, not to retry).
func (d *Device) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	d.mu.Lock()
	d.ctx = ctx
	d.mu.Unlock()
	defer func() {
		cancel(nil)
		d.busy.Wait() // the effects under way end with ctx
		if d.journal != nil {
			d.journal.Close()
		}
	}()
	d.publish()
	go d.stationLoop(ctx, cancel)
	go d.tickLoop(ctx)
	var printing sync.WaitGroup
	if d.printer != nil {
		printing.Go(func() { d.printLoop(ctx) })
	}
	defer printing.Wait() // before the journal closes (deferred earlier, run later)
	if d.keypad != nil {
		go d.keypad.Run(ctx, d.Key)
	}
	d.askStation()
	d.askPrint()
	err := d.client.Follow(ctx, d.cfg.Office, d.opts.Follow, handler{d})
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func (d *Device) runCtx() context.Context {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ctx
}

func (d *Device) tickLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.opts.Clock.After(d.opts.TickEvery):
			d.Tick()
		}
	}
}

func (d *Device) askStation() {
	select {
	case d.refetch <- struct{}{}:
	default:
	}
}

// stationLoop reads GET /station when asked: at start, after each
// reconnection, on config.changed and on the events of its counter (the
// clerk may have changed), and after the station's own sign-in and out.
// A failure is retried with a growing pause; a refusal of the key stops
// the station.
func (d *Device) stationLoop(ctx context.Context, stop context.CancelCauseFunc) {
	pause := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.refetch:
		}
		for {
			err := d.fetchStation(ctx)
			if err == nil {
				pause = time.Second
				break
			}
			if errors.Is(err, ErrWrongStation) {
				d.log.Error("station refused", "err", err)
				stop(err)
				return
			}
			if ctx.Err() != nil {
				return
			}
			d.log.Warn("could not read the station's configuration; retrying", "err", err, "in", pause)
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, 30*time.Second)
		}
	}
}

func (d *Device) fetchStation(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, d.opts.RequestTimeout)
	defer cancel()
	st, err := d.client.Station(rctx)
	if err != nil {
		switch s := client.StatusOf(err); {
		case s == http.StatusUnauthorized, s == http.StatusForbidden, s == http.StatusNotFound, codeOf(err) == "station_counter_gone":
			return fmt.Errorf("%w: the server answered %v; register a station for counter %s on the admin page and give its key with -device-key", ErrWrongStation, err, d.cfg.Counter)
		}
		return err
	}
	if st.Counter.ID != d.cfg.Counter {
		return fmt.Errorf("%w: the key is the station of counter %q, not of %q: give this counter's station key, or -counter %s", ErrWrongStation, st.Counter.ID, d.cfg.Counter, st.Counter.ID)
	}
	var photo []byte
	clerk := ""
	if st.Clerk != nil {
		clerk = st.Clerk.ID + "\x00" + st.Clerk.PhotoURL
	}
	d.mu.Lock()
	d.counts.Fetches++
	d.station = st
	samePhoto := d.photoOf == clerk
	d.mu.Unlock()
	if !samePhoto && st.Clerk != nil && st.Clerk.PhotoURL != "" {
		p, err := d.client.ClerkPhoto(rctx, st.Clerk.PhotoURL)
		switch {
		case err == nil:
			photo = p
		case client.StatusOf(err) == http.StatusNotFound:
		default:
			d.log.Warn("could not read the clerk's photo; showing the name only until the next try", "clerk", st.Clerk.ID, "err", err)
			clerk = "" // try again at the next fetch
		}
	}
	d.mu.Lock()
	d.photoOf = clerk
	d.modelStation(st, photo)
	d.mu.Unlock()
	d.publish()
	return nil
}

// handler receives the event stream.
type handler struct{ d *Device }

func (h handler) Event(e client.Event) {
	d := h.d
	d.mu.Lock()
	d.counts.Events++
	effs, err := d.model.Apply(e, d.opts.Clock.Now())
	d.mu.Unlock()
	if err != nil {
		d.log.Warn("event not understood; skipped", "seq", e.Seq, "type", e.Type, "err", err)
	}
	switch {
	case e.Type == "config.changed":
		d.askStation()
	case e.Type == "print.queued" && d.mine(e, "counter"):
		d.askPrint()
	case len(e.Type) > 8 && e.Type[:8] == "counter." && d.mine(e, "counter"):
		d.askStation() // the clerk at the counter may have changed
	}
	d.publish()
	d.start(effs)
}

// mine reports whether the event's data names this station's counter in
// the field key.
func (d *Device) mine(e client.Event, key string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(e.Data, &m) != nil {
		return false
	}
	var c string
	return json.Unmarshal(m[key], &c) == nil && c == d.cfg.Counter
}

func (h handler) Connected(up bool, err error) {
	d := h.d
	d.mu.Lock()
	if up {
		d.counts.Connects++
	} else {
		d.counts.Disconnects++
	}
	d.modelConnected(up)
	d.mu.Unlock()
	if up {
		d.log.Info("event stream connected", "office", d.cfg.Office)
		d.askStation()
		d.askPrint()
	} else {
		d.log.Warn("event stream lost; reconnecting", "err", err)
	}
	d.publish()
}

// State is what the state endpoint serves.
type State struct {
	stationstate.View
	// DrawnVersion is the version of the last view the screen drew.
	DrawnVersion int64  `json:"drawn_version"`
	Counts       Counts `json:"counts"`
	// SignedIn is whether a clerk's session is held at the station.
	SignedIn bool `json:"signed_in"`
	// Fault is the printer's condition, nil when it prints.
	Fault *Fault `json:"fault,omitempty"`
	// LastRating is the last rating sent and the server's answer.
	LastRating *RatingResult `json:"last_rating,omitempty"`
	// PendingRatings waits for an answer or a retry.
	PendingRatings int `json:"pending_ratings"`
}

// StateNow returns what the state endpoint serves.
func (d *Device) StateNow() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	return State{View: d.viewLocked(), DrawnVersion: d.drawn.Load(), Counts: d.counts, SignedIn: d.session != nil, Fault: d.fault,
		LastRating: d.lastRating, PendingRatings: d.model.PendingRatings()}
}

// ServeState serves the state at /state on addr until ctx ends. It
// returns the address it listens on.
func (d *Device) ServeState(ctx context.Context, addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("state endpoint: %w (choose another -state-addr)", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(d.StateNow())
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	context.AfterFunc(ctx, func() { srv.Close() })
	return ln.Addr().String(), nil
}
