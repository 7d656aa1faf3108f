package stationdev

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"luot/server/client"
)

// errNotSignedIn is a counter key pressed with no session at the station:
// as the server says of a session it does not know, so that the model
// asks the clerk to sign in.
var errNotSignedIn = &client.Error{Status: http.StatusUnauthorized, Code: client.CodeInvalidSession,
	Message: "no clerk is signed in at the station: sign in with staff id, Enter, PIN, Enter"}

// retries is how many times a press or a rating is sent again, with the
// same idempotency key, after the server could not be reached (the
// client itself already retries network errors a few times).
const retries = 3

// signIn opens the clerk's session at the station's counter with the
// station's device key (so that the server binds it to this counter). The
// token stays in memory: a restarted station asks the clerk again.
func (d *Device) signIn(ctx context.Context, staff, pin string) error {
	rctx, cancel := context.WithTimeout(ctx, d.opts.RequestTimeout)
	defer cancel()
	s, err := d.client.Login(rctx, d.cfg.Office, d.cfg.Counter, staff, pin)
	if err != nil {
		return err
	}
	c, err := client.New(d.cfg.Server, client.WithToken(s.Token))
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.session = c
	d.mu.Unlock()
	d.log.Info("clerk signed in at the station", "staff", staff)
	d.askStation()
	return nil
}

// signOut ends the clerk's session. The session is forgotten even when
// the server cannot be told (it then expires on its own).
func (d *Device) signOut(ctx context.Context) error {
	d.mu.Lock()
	s := d.session
	d.session = nil
	d.mu.Unlock()
	if s == nil {
		return errNotSignedIn
	}
	rctx, cancel := context.WithTimeout(ctx, d.opts.RequestTimeout)
	defer cancel()
	err := s.Logout(rctx)
	if client.StatusOf(err) == http.StatusUnauthorized {
		err = nil // already ended
	}
	d.log.Info("clerk signed out at the station", "err", err)
	d.askStation()
	return err
}

// actionOf maps a key map's action to the server's.
func actionOf(a string) (client.CounterAction, error) {
	switch a {
	case "next":
		return client.ActionNext, nil
	case "recall":
		return client.ActionRecall, nil
	case "start":
		return client.ActionStart, nil
	case "done":
		return client.ActionDone, nil
	case "no_show", "no-show":
		return client.ActionNoShow, nil
	case "pause":
		return client.ActionPause, nil
	case "open":
		return client.ActionOpen, nil
	case "close":
		return client.ActionClose, nil
	}
	return "", fmt.Errorf("%q is not a counter action", a)
}

// act sends one press of a counter key with its idempotency key, sending
// it again with the same key while the server cannot be reached, so that a
// press that did arrive is never done twice.
func (d *Device) act(ctx context.Context, action, key string) (*client.Ticket, error) {
	a, err := actionOf(action)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	s := d.session
	d.mu.Unlock()
	if s == nil {
		return nil, errNotSignedIn
	}
	var t *client.Ticket
	err = d.again(ctx, func(ctx context.Context) error {
		var err error
		t, err = s.ActWithKey(ctx, d.cfg.Counter, a, nil, key)
		return err
	})
	d.mu.Lock()
	if err != nil {
		d.counts.Refused++
	} else {
		d.counts.Actions++
	}
	d.mu.Unlock()
	return t, err
}

// rate sends the citizen's rating with its idempotency key, once: the
// model sends it again (same key) after a failure to reach the server.
func (d *Device) rate(ctx context.Context, r client.StationRating, key string) (*client.Rating, error) {
	rctx, cancel := context.WithTimeout(ctx, d.opts.RequestTimeout)
	defer cancel()
	out, err := d.client.RateAtStation(rctx, r, key)
	d.mu.Lock()
	if err != nil {
		d.counts.RatingsNot++
	} else {
		d.counts.Ratings++
	}
	d.mu.Unlock()
	return out, err
}

// again calls f (each try bounded by the request timeout) and calls it
// again, up to retries times, while the server is unavailable (network
// error or 5xx); a refusal is final.
func (d *Device) again(ctx context.Context, f func(context.Context) error) error {
	pause := 500 * time.Millisecond
	for try := 0; ; try++ {
		rctx, cancel := context.WithTimeout(ctx, d.opts.RequestTimeout)
		err := f(rctx)
		cancel()
		if err == nil || !client.IsUnavailable(err) || try >= retries || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause *= 2
	}
}
