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
	b := l.bucketOf(key, now)
	if b == nil {
		return false, l.every
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	need := (1 - b.tokens) * float64(l.every)
	return false, time.Duration(need)
}

// bucketOf returns key's bucket refilled to now, making a full one for a
// new key; nil when the table is full even after forgetting full buckets
// (a flood of keys is refused, not remembered). Called under l.mu.
func (l *Limiter) bucketOf(key string, now time.Time) *bucket {
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.sweep(now)
			if len(l.buckets) >= l.max {
				return nil
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	return b
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

// Ready reports whether key has a token at now, without taking it; when
// it has none, retry says how long until it has. With Charge it limits
// events that count only once their outcome is known (wrong PINs): many
// requests may be in flight at once, and those that turn out not to count
// (right PINs) must never be refused because others were in flight.
func (l *Limiter) Ready(key string, now time.Time) (ok bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return true, 0
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.every))
}

// Charge takes a token from key for an event that counted. Requests that
// were Ready together may charge more than the bucket holds: it goes into
// debt, which the refill pays back before key is Ready again, so the
// long-run rate stays one per Every. The debt is bounded by the burst
// (at most twice the burst in flight, which other limits keep far lower).
func (l *Limiter) Charge(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.bucketOf(key, now); b != nil {
		b.tokens = max(b.tokens-1, -l.burst)
	}
}
