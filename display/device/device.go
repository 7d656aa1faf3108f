// Package device runs a waiting-room display: it follows the office's
// event stream with the server client (resuming from the last seq after any
// drop), keeps the board state, hands every new view to the screen, queues
// the announcements of new calls, and serves the state as JSON for tests
// and technicians. It has no Fyne driver, so it is tested without cgo;
// display/main.go joins it to the Fyne window.
package device

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"luot/assets"
	"luot/display/announce"
	"luot/display/audio"
	"luot/display/boardstate"
	"luot/internal/clock"
	"luot/server/client"
)

// Device is one running display.
type Device struct {
	cfg    Config
	client *client.Client
	show   func(boardstate.View)
	log    *slog.Logger
	queue  *announce.Queue // nil when announcements are off
	clock  clock.Clock

	mu    sync.Mutex
	model *boardstate.Model

	refetch chan struct{} // asks for the office configuration again
	drawn   atomic.Int64  // the version of the last view the screen drew
}

// Drawn records that the screen drew the view of a version (the state
// endpoint shows it, so that tests know what is on screen, not only in
// memory).
func (d *Device) Drawn(version int64) { d.drawn.Store(version) }

// Options are the parts a test may replace.
type Options struct {
	// Show receives every new view of the board (on the caller's
	// goroutine: the screen must hand it to its UI thread, fyne.Do).
	Show func(boardstate.View)
	// Sink says the announcements (default: the embedded voice clips
	// played as cfg.Audio says).
	Sink announce.Sink
	// Clock defaults to the system clock.
	Clock clock.Clock
	Log   *slog.Logger
}

// New makes a display from its configuration.
func New(cfg Config, o Options) (*Device, error) {
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
		o.Show = func(boardstate.View) {}
	}
	c, err := client.New(cfg.Server, client.WithDeviceKey(cfg.DeviceKey))
	if err != nil {
		return nil, err
	}
	d := &Device{
		cfg: cfg, client: c, show: o.Show, log: o.Log, clock: o.Clock,
		model:   boardstate.New(boardstate.Filter{Counters: cfg.Counters, Services: cfg.Services}, cfg.RecentCalls),
		refetch: make(chan struct{}, 1),
	}
	if cfg.Announce {
		sink := o.Sink
		if sink == nil {
			if sink, err = newSpeaker(cfg); err != nil {
				return nil, err
			}
		}
		reading, _ := announce.ParseReading(cfg.Reading)
		d.queue = announce.NewQueue(announce.QueueConfig{
			Sink:    sink,
			Options: announce.Options{Reading: reading, Southern: cfg.Southern, English: cfg.AnnounceEnglish},
			MaxAge:  cfg.MaxAge.Duration, Clock: o.Clock, Log: o.Log,
		})
	}
	return d, nil
}

// newSpeaker loads the embedded voice clips and picks the sound output.
func newSpeaker(cfg Config) (*audio.Speaker, error) {
	lib, err := audio.LoadLibrary(assets.Voice, "voice")
	if err != nil {
		return nil, err
	}
	if m := lib.Missing(announce.Clips()); len(m) > 0 {
		return nil, fmt.Errorf("voice clips missing: %s (run scripts/make-voice-clips.sh)", strings.Join(m, ", "))
	}
	var p audio.Player = audio.Aplay{Device: cfg.AudioDevice}
	if cfg.Audio == "silent" {
		p = audio.Silent{}
	}
	return &audio.Speaker{Library: lib, Player: p, Volume: float64(cfg.Volume) / 100}, nil
}

// Announced returns the announcements said to their end, oldest first
// (the last announce.MaxLog; none when announcements are off).
func (d *Device) Announced() []announce.Said {
	if d.queue == nil {
		return nil
	}
	return d.queue.Log()
}

// View returns what the board shows now.
func (d *Device) View() boardstate.View {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.model.View()
}

// Stats returns what the announcer did (zero when announcements are off).
func (d *Device) Stats() announce.Stats {
	if d.queue == nil {
		return announce.Stats{}
	}
	return d.queue.Stats()
}

func (d *Device) publish() {
	d.show(d.View())
}

// Run follows the office until ctx ends. The first connection takes a
// snapshot; every reconnection resumes from the last seq seen, so that no
// call is missed or repeated.
func (d *Device) Run(ctx context.Context) error {
	d.publish()
	if d.queue != nil {
		go d.queue.Run(ctx)
	}
	go d.officeLoop(ctx)
	d.askOffice()
	err := d.client.Follow(ctx, d.cfg.Office, client.FollowOptions{Since: 0}, handler{d})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func (d *Device) askOffice() {
	select {
	case d.refetch <- struct{}{}:
	default:
	}
}

// officeLoop fetches the office's configuration (names, services,
// counters, ticker) and the dossiers ready for pickup when asked: at
// start, after each reconnection and on config.changed (the stream's
// dossiers.ready events keep the list between). A failure is retried
// with a growing pause.
func (d *Device) officeLoop(ctx context.Context) {
	pause := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.refetch:
		}
		for {
			err := d.fetchOffice(ctx)
			if err == nil {
				pause = time.Second
				break
			}
			if ctx.Err() != nil {
				return
			}
			d.log.Warn("could not read the office configuration; retrying", "office", d.cfg.Office, "err", err, "in", pause)
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, 30*time.Second)
		}
	}
}

// fetchOffice reads the office and its ready dossiers into the model and
// shows the result. A server without dossiers (404) lists none.
func (d *Device) fetchOffice(ctx context.Context) error {
	o, err := d.client.Office(ctx, d.cfg.Office)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.model.SetOffice(o)
	d.mu.Unlock()
	d.publish()
	r, err := d.client.ReadyDossierList(ctx, d.cfg.Office)
	var ce *client.Error
	if errors.As(err, &ce) && ce.Status == http.StatusNotFound && ce.Code != client.CodeUnknownOffice {
		r, err = &client.ReadyDossiers{}, nil
	}
	if err != nil {
		return fmt.Errorf("dossiers ready for pickup: %w", err)
	}
	d.mu.Lock()
	d.model.SetReadyDossiers(r)
	d.mu.Unlock()
	d.publish()
	return nil
}

// handler receives the event stream.
type handler struct{ d *Device }

func (h handler) Event(e client.Event) {
	d := h.d
	d.mu.Lock()
	calls, err := d.model.Apply(e)
	d.mu.Unlock()
	if err != nil {
		d.log.Warn("event not understood; skipped", "seq", e.Seq, "type", e.Type, "err", err)
	}
	if e.Type == "config.changed" {
		d.askOffice()
	}
	d.publish()
	for _, c := range calls {
		d.log.Info("call", "seq", c.Seq, "number", c.Number, "counter", c.Counter, "recall", c.Recall)
		if d.queue != nil {
			d.queue.Add(c)
		}
	}
}

func (h handler) Connected(up bool, err error) {
	d := h.d
	d.mu.Lock()
	d.model.SetConnected(up, err, d.clock.Now())
	d.mu.Unlock()
	if up {
		d.log.Info("event stream connected", "office", d.cfg.Office)
		d.askOffice()
	} else {
		d.log.Warn("event stream lost; reconnecting", "err", err)
	}
	d.publish()
}

// State is what the state endpoint serves.
type State struct {
	boardstate.View
	// DrawnVersion is the version of the last view the screen drew: the
	// screen shows the state when it equals Version.
	DrawnVersion  int64          `json:"drawn_version"`
	Announcements announce.Stats `json:"announcements"`
	// Announced lists the announcements said to their end, oldest first:
	// each call's seq, number, counter and recall flag, and the sentence.
	Announced []announce.Said `json:"announced"`
}

// ServeState serves the state at /state on addr until ctx ends. It returns
// the address it listens on once listening.
func (d *Device) ServeState(ctx context.Context, addr string) (string, error) {
	return ServeState(ctx, addr, func() any {
		return State{View: d.View(), DrawnVersion: d.drawn.Load(), Announcements: d.Stats(), Announced: d.Announced()}
	})
}

// ServeState serves state() as JSON at http://addr/state until ctx ends,
// for tests and technicians (the board's and the counter station's). It
// returns the address it listens on once listening.
func ServeState(ctx context.Context, addr string, state func() any) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("state endpoint: %w (choose another -state-addr)", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(state())
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	context.AfterFunc(ctx, func() { srv.Close() })
	return ln.Addr().String(), nil
}
