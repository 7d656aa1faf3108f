package stationdev

import (
	"context"
	"errors"

	"luot/display/device"
	"luot/display/stationstate"
	"luot/server/client"
)

// The device feeds the model (display/stationstate) under d.mu and carries
// out the effects it returns, each on its own goroutine, reporting each
// result back to the model.

func newModel(cfg device.Config) *stationstate.Model {
	return stationstate.New(stationstate.Options{English: cfg.Language == "en", Keys: cfg.Keys, StaffPrefix: cfg.StaffPrefix, NoRating: !cfg.Rating})
}

func (d *Device) viewLocked() stationstate.View { return d.model.View() }

// modelStation gives the model GET /station's answer and, when read, the
// clerk's photo.
func (d *Device) modelStation(st *client.Station, photo []byte) {
	d.model.SetStation(st, d.opts.Clock.Now())
	if st.Clerk != nil && photo != nil {
		d.model.SetClerkPhoto(st.Clerk.ID, photo)
	}
}

func (d *Device) modelConnected(up bool) { d.model.SetConnected(up, d.opts.Clock.Now()) }

// modelPrinter shows the printer's fault (nil: none).
func (d *Device) modelPrinter(f *Fault) {
	d.mu.Lock()
	if f == nil {
		d.model.SetPrinter("", "")
	} else {
		d.model.SetPrinter(f.Vietnamese, f.English)
	}
	d.mu.Unlock()
	d.publish()
}

// Key takes a key the clerk pressed: a Fyne key name from the window, or
// a serial keypad's code turned into one.
func (d *Device) Key(name string) {
	d.input(func() []stationstate.Effect { return d.model.Key(name, d.opts.Clock.Now()) })
}

// Tap takes a touch on the citizen's side.
func (d *Device) Tap(t stationstate.Tap) {
	d.input(func() []stationstate.Effect { return d.model.Tap(t, d.opts.Clock.Now()) })
}

// Tick gives the model the time: the rating prompt's timeout, the end of
// thanks, ratings to send again. Run calls it every TickEvery.
func (d *Device) Tick() {
	now := d.opts.Clock.Now()
	d.mu.Lock()
	w := d.model.Wake()
	d.mu.Unlock()
	if w.IsZero() || now.Before(w) {
		return // nothing due: an idle station costs no work on its ticks
	}
	d.input(func() []stationstate.Effect { return d.model.Tick(now) })
}

// input runs f on the model under the lock, publishes the view and starts
// the effects.
func (d *Device) input(f func() []stationstate.Effect) {
	d.mu.Lock()
	before := d.model.View().Version
	effs := f()
	changed := d.model.View().Version != before
	d.mu.Unlock()
	if changed {
		d.publish()
	}
	d.start(effs)
}

// start carries out effects, each on its own goroutine. Before Run (no
// context yet) there is nothing to do them with: they are refused as if
// the server could not be reached.
func (d *Device) start(effs []stationstate.Effect) {
	for _, e := range effs {
		d.busy.Add(1)
		go func() {
			defer d.busy.Done()
			d.execute(e)
		}()
	}
}

// errNotRunning answers effects that come before Run or after it ended.
var errNotRunning = errors.New("the station is not running")

func (d *Device) execute(e stationstate.Effect) {
	ctx := d.runCtx()
	if ctx == nil {
		ctx = canceled
	}
	switch e := e.(type) {
	case stationstate.Rate:
		r, err := d.rate(ctx, client.StationRating{Ticket: e.Ticket, Score: e.Score, Reasons: e.Reasons}, e.Key)
		d.mu.Lock()
		d.lastRating = &RatingResult{Ticket: e.Ticket, Score: e.Score, Reasons: e.Reasons}
		if err != nil {
			d.lastRating.Code, d.lastRating.Status = codeOf(err), client.StatusOf(err)
			d.log.Warn("rating not stored", "ticket", e.Ticket, "score", e.Score, "err", err)
		} else {
			d.lastRating.Channel = r.Channel
			d.log.Info("rating stored", "ticket", e.Ticket, "score", e.Score)
		}
		effs := d.model.Rated(e.Key, err, d.opts.Clock.Now())
		d.mu.Unlock()
		d.publish()
		d.start(effs)
	case stationstate.SignIn:
		err := d.signIn(ctx, e.Staff, e.PIN)
		if err != nil {
			d.log.Warn("sign-in refused", "staff", e.Staff, "err", err)
		}
		d.mu.Lock()
		d.model.SignedIn(e.Staff, err, d.opts.Clock.Now())
		d.mu.Unlock()
		d.publish()
	case stationstate.SignOut:
		if e.Expired {
			d.mu.Lock()
			d.session = nil
			d.mu.Unlock()
			d.askStation()
			return
		}
		if err := d.signOut(ctx); err != nil && !errors.Is(err, errNotSignedIn) {
			d.log.Warn("sign-out not told to the server; the session ends when it expires", "err", err)
		}
	case stationstate.Act:
		t, err := d.act(ctx, string(e.Action), e.Key)
		if err != nil {
			d.log.Warn("key refused", "key", e.Press, "action", e.Action, "err", err)
		} else {
			d.log.Info("key", "key", e.Press, "action", e.Action)
		}
		d.mu.Lock()
		effs := d.model.Acted(e.Key, t, err, d.opts.Clock.Now())
		d.mu.Unlock()
		d.publish()
		d.start(effs)
	}
}

// RatingResult is the last rating the station sent and the server's
// answer: stored (Channel set) or refused (Code, e.g. already_rated).
type RatingResult struct {
	Ticket  string   `json:"ticket"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons,omitempty"`
	Channel string   `json:"channel,omitempty"`
	Status  int      `json:"status,omitempty"`
	Code    string   `json:"code,omitempty"`
}

func codeOf(err error) string {
	var e *client.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "network"
}

var canceled = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()
