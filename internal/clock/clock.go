// Package clock gives timed code (the display's announcement queue, blink
// and wall clock; the kiosk's timeouts and polls; the server under test) a
// clock that tests can replace by a fake one they move by hand, so that no
// test sleeps and hopes.
package clock

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// After sends the time on the channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not started; it reports whether it
	// did.
	Stop() bool
}

// AfterFunc calls f once d has passed on c. On the real clock f runs in
// its own goroutine (time.AfterFunc); on a Fake it runs on the goroutine
// that moves the clock past it, before Advance or Set returns, so that a
// test knows the call has happened — and that it has not, before. Any
// other Clock gets a goroutine that waits on After.
func AfterFunc(c Clock, d time.Duration, f func()) Timer {
	if a, ok := c.(interface {
		AfterFunc(time.Duration, func()) Timer
	}); ok {
		return a.AfterFunc(d, f)
	}
	t := &chanTimer{stop: make(chan struct{})}
	ch := c.After(d)
	go func() {
		select {
		case <-ch:
			if t.state.CompareAndSwap(pending, fired) {
				f()
			}
		case <-t.stop:
		}
	}()
	return t
}

const (
	pending int32 = iota
	fired
	stopped
)

// chanTimer is AfterFunc over a clock's After.
type chanTimer struct {
	state atomic.Int32
	stop  chan struct{}
}

func (t *chanTimer) Stop() bool {
	if !t.state.CompareAndSwap(pending, stopped) {
		return false
	}
	close(t.stop)
	return true
}

// Real is the system clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// AfterFunc returns time.AfterFunc(d, f).
func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Fake is a clock that moves only when told to. It is safe for concurrent
// use.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	changed chan struct{} // closed and replaced when waiters change
}

// waiter is a pending After (ch) or AfterFunc (fn).
type waiter struct {
	at time.Time
	ch chan time.Time
	fn *fakeFunc
}

// fakeFunc is a Fake's AfterFunc timer.
type fakeFunc struct {
	c    *Fake
	f    func()
	done bool // fired or stopped; guarded by c.mu
}

func (t *fakeFunc) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	t.c.waiters = slices.DeleteFunc(t.c.waiters, func(w waiter) bool { return w.fn == t })
	t.c.notify()
	return true
}

// NewFake returns a fake clock showing now.
func NewFake(now time.Time) *Fake { return &Fake{now: now, changed: make(chan struct{})} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// After returns a channel that receives the time once the clock has been
// moved d past now.
func (f *Fake) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- f.now
		return ch
	}
	f.waiters = append(f.waiters, waiter{at: f.now.Add(d), ch: ch})
	f.notify()
	return ch
}

// AfterFunc calls fn once the clock has been moved d past now, on the
// goroutine that moves it (after Advance, Set or AdvanceToNext has released
// the clock, so fn may read it). Timers due at one move run in time order.
// With d <= 0, fn runs at once in its own goroutine, as with time.AfterFunc.
func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeFunc{c: f, f: fn}
	if d <= 0 {
		t.done = true
		go fn()
		return t
	}
	f.waiters = append(f.waiters, waiter{at: f.now.Add(d), fn: t})
	f.notify()
	return t
}

func (f *Fake) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// Advance moves the clock by d, firing every timer that falls due.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	due := f.set(f.now.Add(d))
	f.mu.Unlock()
	run(due)
}

// Set moves the clock to t (forwards or backwards), firing every timer
// that falls due.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	due := f.set(t)
	f.mu.Unlock()
	run(due)
}

// set moves the clock, sends to the due channels and returns the due
// AfterFunc timers, in time order, for the caller to run once it has
// released the lock.
func (f *Fake) set(t time.Time) []waiter {
	f.now = t
	kept := f.waiters[:0]
	var due []waiter
	for _, w := range f.waiters {
		switch {
		case w.at.After(t):
			kept = append(kept, w)
		case w.fn != nil:
			w.fn.done = true
			due = append(due, w)
		default:
			w.ch <- t
		}
	}
	clear(f.waiters[len(kept):])
	f.waiters = kept
	f.notify()
	slices.SortStableFunc(due, func(a, b waiter) int { return a.at.Compare(b.at) })
	return due
}

func run(due []waiter) {
	for _, w := range due {
		w.fn.f()
	}
}

// AdvanceToNext moves the clock to the earliest pending timer and fires it
// (with any other due at the same time). It returns false when no timer is
// pending.
func (f *Fake) AdvanceToNext() bool {
	f.mu.Lock()
	if len(f.waiters) == 0 {
		f.mu.Unlock()
		return false
	}
	next := slices.MinFunc(f.waiters, func(a, b waiter) int { return a.at.Compare(b.at) })
	due := f.set(next.at)
	f.mu.Unlock()
	run(due)
	return true
}

// Waiters returns how many timers are pending.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// WaitForWaiters waits, in real time up to limit, until at least n timers
// are pending. It reports whether they are.
func (f *Fake) WaitForWaiters(n int, limit time.Duration) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ok, changed := len(f.waiters) >= n, f.changed
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return false
		}
	}
}
