// Package ratelimit limits how often a key (an IP address, a phone number,
// a staff id) may do something: a token bucket per key, with the time passed
// in, and a bounded number of keys so that a flood of distinct keys cannot
// grow memory without limit.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter allows Burst events at once per key and then one per Every. It is
// safe for concurrent use. The zero value is not usable; call New.
type Limiter struct {
	every time.Duration
	burst float64
	max   int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// New returns a limiter of burst events per key, refilled one per every.
// At most maxKeys keys are tracked; when full, buckets that have refilled
// completely are forgotten, and if none has, new keys are refused until
// some have (a flood of distinct keys is itself limited).
func New(burst int, every time.Duration, maxKeys int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	if maxKeys < 1 {
		maxKeys = 100_000
	}
	return &Limiter{every: every, burst: float64(burst), max: maxKeys, buckets: map[string]*bucket{}}
}

// Allow reports whether key may act at now, and takes a token if so. When
// it may not, retry says how long until it may.
func (l *Limiter) Allow(key string, now time.Time) (ok bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.sweep(now)
			if len(l.buckets) >= l.max {
				return false, l.every
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	need := (1 - b.tokens) * float64(l.every)
	return false, time.Duration(need)
}

// refill adds the tokens earned since the bucket was last seen. A clock
// that went back earns nothing (and does not take anything either).
func (l *Limiter) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.at); d > 0 && l.every > 0 {
		b.tokens = min(l.burst, b.tokens+float64(d)/float64(l.every))
	}
	if now.After(b.at) {
		b.at = now
	}
}

// sweep forgets buckets that are full again: they behave as new keys.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// Keys returns how many keys are tracked (for tests and metrics).
func (l *Limiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Refund gives back a token that Allow took for key, for an event that
// turned out not to count (a right PIN, when only wrong ones are
// limited). A bucket never grows beyond its burst.
func (l *Limiter) Refund(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		l.refill(b, now)
		b.tokens = min(l.burst, b.tokens+1)
	}
}
