package api

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// A rate-limited login is answered after the tarpit, with the Retry-After
// that is left; holding it as long as the client must wait anyway means the
// next attempt, right after the answer, is the one that is allowed.
func TestTarpitHoldsRateLimitedAnswers(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.Tarpit = time.Second; c.AddrFailures = 1000 }))
	var (
		mu    sync.Mutex
		waits []time.Duration
	)
	e.api.tarpit.wait = func(_ context.Context, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		e.clock.Advance(d) // the time the client spends waiting
	}
	held := func() []time.Duration { // what the handlers have held so far
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(waits)
	}
	bad := map[string]string{"office": office, "counter": "q1", "staff": "ghost", "pin": "0000"}
	for i := 0; i < loginBurst; i++ {
		e.must(t, 401, req{method: "POST", path: "/api/v1/sessions", body: bad})
	}
	if h := held(); len(h) != 0 {
		t.Fatalf("answers within the limit were held: %v", h)
	}
	// The bucket is empty: the next token is loginEvery (2 s) away. The
	// answer is held 1 s (the tarpit's cap) and says 1 s more.
	r := e.must(t, 429, req{method: "POST", path: "/api/v1/sessions", body: bad})
	if r.errCode(t) != "rate_limited" || r.header.Get("Retry-After") != "1" {
		t.Fatalf("first 429: %s, Retry-After %q", r.body, r.header.Get("Retry-After"))
	}
	// Now the token is 1 s away: held exactly that, and Retry-After is the
	// minimum, 1.
	r = e.must(t, 429, req{method: "POST", path: "/api/v1/sessions", body: bad})
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("second 429: Retry-After %q", r.header.Get("Retry-After"))
	}
	if h := held(); !slices.Equal(h, []time.Duration{time.Second, time.Second}) {
		t.Fatalf("held %v, want [1s 1s]", h)
	}
	// The client that waited is let through.
	e.must(t, 401, req{method: "POST", path: "/api/v1/sessions", body: bad})

	// The citizens' limits go through the same tarpit.
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 1, PerIPEvery: 10 * time.Second, PerPhoneBurst: 5, PerPhoneEvery: time.Minute})
	e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", body: map[string]string{"service": "ho-tich", "phone": "0901234567", "name": "Lê Thị Hoa"}})
	r = e.must(t, 429, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", body: map[string]string{"service": "ho-tich", "phone": "0901234568", "name": "Trần Văn Nam"}})
	if h := held(); r.header.Get("Retry-After") != "9" || len(h) != 3 || h[2] != time.Second {
		t.Fatalf("citizen 429: Retry-After %q, held %v", r.header.Get("Retry-After"), h)
	}
}

// Without a tarpit (Config.Tarpit 0, as in the other tests) nothing is held.
func TestTarpitOff(t *testing.T) {
	tp := newTarpit(0)
	tp.wait = func(context.Context, time.Duration) { t.Fatal("held without a tarpit") }
	if d := tp.hold(context.Background(), time.Minute); d != 0 {
		t.Fatalf("held %v", d)
	}
}

// At most tarpitSlots answers are held at once; the next is answered at
// once, and a slot freed is used again.
func TestTarpitSlotsBounded(t *testing.T) {
	tp := newTarpit(time.Second)
	entered, release := make(chan struct{}), make(chan struct{})
	tp.wait = func(_ context.Context, d time.Duration) {
		if d == time.Second { // the ones that fill the slots
			entered <- struct{}{}
			<-release
		}
	}
	finished := make(chan struct{}) // a hold returned: its slot is free
	for range tarpitSlots {
		go func() {
			tp.hold(context.Background(), time.Second)
			finished <- struct{}{}
		}()
		<-entered
	}
	if d := tp.hold(context.Background(), time.Second); d != 0 {
		t.Fatalf("held beyond the %d slots: %v", tarpitSlots, d)
	}
	release <- struct{}{} // one held answer goes
	<-finished
	if d := tp.hold(context.Background(), 300*time.Millisecond); d != 300*time.Millisecond {
		t.Fatalf("held %v in a freed slot, want 300ms", d)
	}
	close(release)
	for range tarpitSlots - 1 {
		<-finished
	}
}

// The real wait ends when the client goes away.
func TestSleepCtxEndsWithTheRequest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sleepCtx(ctx, time.Hour) // returns at once, or the test times out
}
