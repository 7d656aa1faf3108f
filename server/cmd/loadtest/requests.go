package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"luot/server/client"
)

// loader holds the clients and what the run learned.
type loader struct {
	cfg      *config
	base     string
	rec      *recorder
	main     *http.Client     // kiosks and clerks (127.0.0.1), and /metrics
	anon     *client.Client   // reads of the tool itself (office, state), on main
	kiosk    *client.Client   // the kiosk's device key, on main
	citizens []*client.Client // one per citizen source address
	services []string
	rnd      *rand.Rand
	rndMu    sync.Mutex

	tmu      sync.Mutex
	tickets  []ticketRef // recent tickets, for tracking reads
	keys     []keyRef    // recent kiosk idempotency keys, for retries
	issued   atomic.Int64
	answered sync.Map // ticket id → time the clerk's "next" answer arrived
	callSent sync.Map // ticket id → time the clerk's "next" that called it was sent

	clerkBehind           atomic.Int64 // clerk requests sent over 1 s late (the counters could not keep up)
	hasRemote, hasBooking bool
	hasTicketStream       bool
	unbookable            sync.Map // services that take no appointments
	bookingDate           string
	raw                   float64 // raw durable commits/s on the server's disk, 0 when not measured
	rawWhat               string  // what raw measured (which database, which settings)
}

type ticketRef struct{ id, token string }
type keyRef struct{ key, service, id string }

// newClient is a client of the server for the load: on hc, and without
// the client's own retries (a network error is a result here, not
// something to hide).
func newClient(base string, hc *http.Client, opts ...client.Option) (*client.Client, error) {
	return client.New(base, append([]client.Option{client.WithHTTPClient(hc), client.WithRetries(0, 0)}, opts...)...)
}

func (l *loader) intn(n int) int {
	l.rndMu.Lock()
	defer l.rndMu.Unlock()
	return l.rnd.IntN(n)
}

// timed sends one request of kind through f and records it (note); f
// returns the status of a success, which the client does not show.
func (l *loader) timed(ctx context.Context, kind string, f func() (int, error), want ...int) error {
	start := time.Now()
	status, err := f()
	l.note(ctx, kind, time.Since(start), status, err, want...)
	return err
}

// note records a request of kind that took d and succeeded with status or
// failed with err. want lists the statuses that count as success: a
// server's refusal is recorded with its status and code, a network error
// as status 0 — unless the phase's end cut the request off (ctx done),
// which is not an error. An empty kind records nothing.
func (l *loader) note(ctx context.Context, kind string, d time.Duration, status int, err error, want ...int) {
	if kind == "" {
		return
	}
	var ae *client.Error
	switch {
	case errors.As(err, &ae):
		status = ae.Status
	case err != nil && ctx.Err() != nil:
		return
	case err != nil:
		l.rec.fail(kind, d, 0, shorten(err.Error()))
		return
	}
	switch {
	case slices.Contains(want, status):
		l.rec.ok(kind, d, status)
	case ae != nil:
		l.rec.fail(kind, d, status, fmt.Sprintf("%d %s: %s", status, ae.Code, shorten(ae.Message)))
	default:
		l.rec.fail(kind, d, status, fmt.Sprintf("%d (a success, where %v was expected)", status, want))
	}
}

func (l *loader) office() string { return l.cfg.office }

func (l *loader) service() string { return l.services[l.intn(len(l.services))] }

func (l *loader) citizen() *client.Client { return l.citizens[l.intn(len(l.citizens))] }

func (l *loader) kioskIssue(ctx context.Context, kind string) {
	svc := l.service()
	key := client.NewIdempotencyKey()
	var tk *client.Ticket
	err := l.timed(ctx, kind, func() (status int, err error) {
		tk, err = l.kiosk.Issue(ctx, l.office(), client.IssueRequest{Service: svc}, key)
		return http.StatusCreated, err
	}, http.StatusCreated)
	if err == nil {
		l.issued.Add(1)
		l.remember(tk, key, svc)
	}
}

// kioskRetry repeats an earlier request with its idempotency key, as a
// kiosk does after a lost answer: it must get the same ticket.
func (l *loader) kioskRetry(ctx context.Context) {
	l.tmu.Lock()
	if len(l.keys) == 0 {
		l.tmu.Unlock()
		l.kioskIssue(ctx, "kiosk")
		return
	}
	k := l.keys[l.intn(len(l.keys))]
	l.tmu.Unlock()
	start := time.Now()
	tk, err := l.kiosk.Issue(ctx, l.office(), client.IssueRequest{Service: k.service}, k.key)
	d := time.Since(start)
	if err == nil && tk.ID != k.id {
		l.rec.fail("kiosk-retry", d, http.StatusCreated, "a repeated idempotency key made another ticket")
		return
	}
	l.note(ctx, "kiosk-retry", d, http.StatusCreated, err, http.StatusCreated)
}

func (l *loader) remember(tk *client.Ticket, key, svc string) {
	l.tmu.Lock()
	defer l.tmu.Unlock()
	l.tickets = append(l.tickets, ticketRef{tk.ID, tk.TrackToken()})
	if len(l.tickets) > 2000 {
		l.tickets = slices.Clone(l.tickets[1000:])
	}
	if key != "" {
		l.keys = append(l.keys, keyRef{key, svc, tk.ID})
		if len(l.keys) > 2000 {
			l.keys = slices.Clone(l.keys[1000:])
		}
	}
}

func (l *loader) remote(ctx context.Context) {
	if !l.hasRemote {
		return
	}
	svc := l.service()
	var tk *client.Ticket
	err := l.timed(ctx, "remote", func() (status int, err error) {
		tk, err = l.citizen().RemoteTicket(ctx, l.office(), client.RemoteTicketRequest{Service: svc, Phone: phone(l.intn(1 << 30)), Name: "Nguyễn Văn Tải"})
		return http.StatusCreated, err
	}, http.StatusCreated)
	if err == nil {
		l.issued.Add(1)
		l.remember(tk, "", svc)
	}
}

// bookable picks a service that takes appointments, as far as the run
// has learned.
func (l *loader) bookable() string {
	svc := l.service()
	if _, no := l.unbookable.Load(svc); !no {
		return svc
	}
	for _, s := range l.services {
		if _, no := l.unbookable.Load(s); !no {
			return s
		}
	}
	return l.services[0]
}

// booking reads a service's free slots of the booking date and books one
// of them. Reading the slots is recorded only when it fails; a service
// without appointments is remembered and skipped.
func (l *loader) booking(ctx context.Context) {
	if !l.hasBooking {
		return
	}
	svc := l.bookable()
	c := l.citizen()
	start := time.Now()
	slots, err := c.Slots(ctx, l.office(), svc, l.bookingDate)
	var ae *client.Error
	switch {
	case errors.As(err, &ae) && ae.Code == "service_not_bookable":
		l.unbookable.Store(svc, true)
		return
	case err != nil:
		l.note(ctx, "slots", time.Since(start), 0, err, http.StatusOK)
		return
	case len(slots) == 0:
		return // this service's day is full
	}
	slot := slots[l.intn(len(slots))].Start
	l.timed(ctx, "booking", func() (int, error) {
		_, err := c.Book(ctx, l.office(), client.BookingRequest{Service: svc, Date: l.bookingDate, Slot: slot, Name: "Trần Thị Đặt", Phone: phone(l.intn(1 << 30))})
		return http.StatusCreated, err
	}, http.StatusCreated, http.StatusConflict) // 409: the slot just filled, a correct answer
}

func (l *loader) track(ctx context.Context) {
	l.tmu.Lock()
	if len(l.tickets) == 0 {
		l.tmu.Unlock()
		return
	}
	t := l.tickets[l.intn(len(l.tickets))]
	l.tmu.Unlock()
	l.timed(ctx, "track", func() (int, error) {
		_, err := l.citizen().Ticket(ctx, t.id, t.token)
		return http.StatusOK, err
	}, http.StatusOK)
}

func (l *loader) readState(ctx context.Context) {
	l.timed(ctx, "state", func() (int, error) {
		_, err := l.citizen().State(ctx, l.office())
		return http.StatusOK, err
	}, http.StatusOK)
}

func (l *loader) readOffice(ctx context.Context) {
	l.timed(ctx, "office", func() (int, error) {
		_, err := l.citizen().Office(ctx, l.office())
		return http.StatusOK, err
	}, http.StatusOK)
}

// clerk logs in at a counter, opens it and calls, starts and finishes
// tickets at perSec requests/s until ctx ends. Each action is one press
// of the console: the client gives it its own idempotency key.
func (l *loader) clerk(ctx context.Context, counter, staff string, perSec float64, ready chan<- error) {
	s, err := l.anon.Login(ctx, l.office(), counter, staff, l.cfg.pin)
	if err != nil {
		ready <- fmt.Errorf("login of %s at %s: %v", staff, counter, err)
		return
	}
	c, err := newClient(l.base, l.main, client.WithToken(s.Token))
	if err != nil {
		ready <- err
		return
	}
	// Finish whatever the counter held from an earlier run.
	c.Act(ctx, counter, client.ActionOpen, nil)
	c.Act(ctx, counter, client.ActionDone, nil)
	ready <- nil
	if perSec <= 0 {
		<-ctx.Done()
		return
	}
	every := time.Duration(float64(time.Second) / perSec)
	next := time.Now()
	step := 0
	for ctx.Err() == nil {
		next = next.Add(every)
		if time.Until(next) < -time.Second {
			l.clerkBehind.Add(1) // a request more than 1 s behind the plan
		}
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
		switch step {
		case 0:
			var tk *client.Ticket
			sent := time.Now()
			l.timed(ctx, "next", func() (status int, err error) {
				if tk, err = c.Act(ctx, counter, client.ActionNext, nil); tk == nil {
					return http.StatusNoContent, err // nobody waits
				}
				return http.StatusOK, err
			}, http.StatusOK, http.StatusNoContent)
			if tk != nil {
				l.answered.Store(tk.ID, time.Now())
				l.callSent.Store(tk.ID, sent)
				step = 1
			}
		case 1:
			l.act(ctx, c, counter, client.ActionStart)
			step = 2
		case 2:
			l.act(ctx, c, counter, client.ActionDone)
			step = 0
		}
	}
}

// act records one counter action that answers 200.
func (l *loader) act(ctx context.Context, c *client.Client, counter string, a client.CounterAction) {
	l.timed(ctx, string(a), func() (int, error) {
		_, err := c.Act(ctx, counter, a, nil)
		return http.StatusOK, err
	}, http.StatusOK)
}
