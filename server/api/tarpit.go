package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"
)

// The tarpit.
//
// A client past a rate limit gets 429 — and, when Config.Tarpit is set, gets
// it late: the answer is held back for as long as the client would have to
// wait anyway (its Retry-After), at most Config.Tarpit. A script flooding
// over a few connections, each waiting for its answer before sending again,
// then sends a few requests a second instead of thousands, and the two
// cores of an office appliance stay with the other users. A client that
// respects Retry-After loses nothing.
//
// At most tarpitSlots answers are held at once, so that a flood over many
// connections cannot pile up goroutines and sockets: beyond that, 429 is
// answered at once, as without the tarpit.
const tarpitSlots = 256

// tarpit holds back rate-limited answers. The zero value holds nothing.
type tarpit struct {
	max   time.Duration
	slots chan struct{}
	// wait blocks for d or until ctx is done (a timer; tests replace it).
	wait func(ctx context.Context, d time.Duration)
}

func newTarpit(max time.Duration) *tarpit {
	return &tarpit{max: max, slots: make(chan struct{}, tarpitSlots), wait: sleepCtx}
}

// sleepCtx waits for d or until ctx is done, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// hold waits up to min(retry, t.max) when a slot is free, and returns how
// long it held the answer (0 when it did not).
func (t *tarpit) hold(ctx context.Context, retry time.Duration) time.Duration {
	d := min(retry, t.max)
	if d <= 0 {
		return 0
	}
	select {
	case t.slots <- struct{}{}:
	default:
		return 0 // all slots taken: answer at once
	}
	defer func() { <-t.slots }()
	t.wait(ctx, d)
	return d
}

// tooMany answers 429 rate_limited, after the tarpit, with the Retry-After
// that is left then; what says what was limited ("login attempts from this
// address").
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, retry time.Duration, what string) {
	retry -= s.tarpit.hold(r.Context(), retry)
	secs := max(1, int(math.Ceil(retry.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, r, newError(http.StatusTooManyRequests, "rate_limited",
		"too many {what}: try again in {seconds} seconds", "what", what, "seconds", secs))
}
