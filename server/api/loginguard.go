package api

import (
	"crypto/sha256"
	"sync"
	"time"

	"luot/server/ratelimit"
)

// Login throttling.
//
// Locking an account on wrong PINs would lock it for everyone: anyone
// who knows a staff id (they are public) could keep a clerk or the
// administrator out forever, while 5 guesses every 5 minutes went on. So
// every rule below is checked BEFORE the PIN and without touching the
// account, and none of them stops the right PIN coming from somewhere
// else:
//
//  1. Attempts per client address (clientAddr: an IPv4 address, an IPv6
//     /64): loginBurst at once, then one per loginEvery, right or wrong
//     (bcrypt costs a core).
//  2. Wrong PINs per client address, over all accounts: AddrFailures (10),
//     refilled one per AddrFailureEvery (10 minutes). It stops one place
//     from spraying guesses over many staff ids. A right PIN costs nothing.
//  3. Wrong PINs per account AND address: after MaxLoginAttempts (5) in a
//     row, that address is locked out of that account for LockoutFor (5
//     minutes), doubling with each further lock-out up to maxLockout (24
//     hours). Only that address: the member logs in from elsewhere as
//     usual. A right PIN from that address, or a new PIN set by an
//     administrator, clears it.
//  4. Wrong PINs per account from "new" addresses — those the member has
//     not logged in from within knownFor (30 days): AccountGuesses (10),
//     refilled one per AccountGuessEvery (1 hour), shared by every new
//     address. While it is spent, new addresses cannot try that account
//     (429, "log in from a computer you used before"); the places the
//     member works from are not affected (each under rule 3).
//
// The resulting guessing rate per account (defaults): from addresses the
// member never used, all together, at most 10 + 24 = 34 guesses on the
// first day and 24 a day after; so a 4-digit PIN (10⁴) needs ≥ 208 days on
// average (5,000 guesses) and a 6-digit one (10⁶) ≥ 57 years. From one of
// the member's own places (an insider at that desk), at most 45 on the
// first day (5 guesses, then locks of 5, 10, 20 … 640 minutes) and 5 a day
// after. An attacker cannot make an address "known" without the PIN.
//
// Every refusal is counted in luot_login_failures_total{reason}; a
// lock-out starting (rule 3), a spent account budget (rule 4) and a spent
// address budget (rule 2) raise an alert: a warning in the log, an
// audit-log entry "login_alert" (the office's staff-only record) and
// luot_login_alerts_total{kind}, at most one per kind, account and
// address per alertEvery.
//
// The counters live in memory: a restart forgets them (and the known
// addresses), which gives an attacker at most one more budget per restart.
const (
	maxLockout = 24 * time.Hour
	knownFor   = 30 * 24 * time.Hour
	alertEvery = 10 * time.Minute
	// maxPairs bounds the (account, address) entries kept; maxKnown the
	// known addresses kept per account.
	maxPairs = 50_000
	maxKnown = 64
)

// loginGuard holds the counters of rules 2–4.
type loginGuard struct {
	maxFailures int
	lockFor     time.Duration
	addrFails   *ratelimit.Limiter // rule 2, by address
	guesses     *ratelimit.Limiter // rule 4, by account
	alerts      *ratelimit.Limiter // one alert per kind, account and address per alertEvery

	mu    sync.Mutex
	pairs map[pairKey]*pairState
	known map[string]map[string]time.Time // account → address → last login
	pins  map[string][sha256.Size]byte    // account → the PIN hash its counters are about
}

type pairKey struct{ account, addr string }

type pairState struct {
	failures int       // wrong PINs in a row since the last lock-out
	level    int       // lock-outs so far: the next lasts lockFor << level
	until    time.Time // locked until
	last     time.Time // last wrong PIN
}

func newLoginGuard(cfg Config) *loginGuard {
	return &loginGuard{
		maxFailures: cfg.MaxLoginAttempts,
		lockFor:     cfg.LockoutFor,
		addrFails:   ratelimit.New(cfg.AddrFailures, cfg.AddrFailureEvery, 100_000),
		guesses:     ratelimit.New(cfg.AccountGuesses, cfg.AccountGuessEvery, 100_000),
		alerts:      ratelimit.New(1, alertEvery, 10_000),
		pairs:       map[pairKey]*pairState{},
		known:       map[string]map[string]time.Time{},
		pins:        map[string][sha256.Size]byte{},
	}
}

// pinChanged forgets an account's lock-outs when its PIN hash is not the
// one they were counted against (an administrator set a new PIN).
func (g *loginGuard) pinChanged(account string, hash []byte) {
	sum := sha256.Sum256(hash)
	g.mu.Lock()
	defer g.mu.Unlock()
	if old, ok := g.pins[account]; ok && old != sum {
		for k := range g.pairs {
			if k.account == account {
				delete(g.pairs, k)
			}
		}
	}
	g.pins[account] = sum
}

// lockedUntil is when the address's lock-out of the account ends (zero
// when it is not locked out).
func (g *loginGuard) lockedUntil(account, addr string, now time.Time) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	if p := g.pairs[pairKey{account, addr}]; p != nil && p.until.After(now) {
		return p.until
	}
	return time.Time{}
}

// isKnown reports whether the member logged in from addr within knownFor.
func (g *loginGuard) isKnown(account, addr string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	at, ok := g.known[account][addr]
	return ok && now.Sub(at) < knownFor
}

// failed counts a wrong PIN of the account from addr; it returns the end
// of the lock-out it started (zero when none).
func (g *loginGuard) failed(account, addr string, now time.Time) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	k := pairKey{account, addr}
	p := g.pairs[k]
	if p == nil {
		if len(g.pairs) >= maxPairs {
			g.sweep(now)
		}
		p = &pairState{}
		g.pairs[k] = p
	}
	p.failures++
	p.last = now
	if p.failures < g.maxFailures {
		return time.Time{}
	}
	d := min(maxLockout, g.lockFor<<min(p.level, 20))
	p.failures, p.until = 0, now.Add(d)
	p.level++
	return p.until
}

// sweep makes room among the (account, address) entries: those whose
// lock-out ended more than maxLockout ago go, and if that is not enough,
// any unlocked ones (memory stays bounded; rules 2 and 4 still hold).
func (g *loginGuard) sweep(now time.Time) {
	for k, p := range g.pairs {
		if now.Sub(p.last) > 2*maxLockout {
			delete(g.pairs, k)
		}
	}
	for k, p := range g.pairs {
		if len(g.pairs) < maxPairs {
			return
		}
		if !p.until.After(now) {
			delete(g.pairs, k)
		}
	}
	for k := range g.pairs {
		if len(g.pairs) < maxPairs {
			return
		}
		delete(g.pairs, k)
	}
}

// succeeded clears the address's failures for the account and remembers
// the address as one the member logs in from.
func (g *loginGuard) succeeded(account, addr string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.pairs, pairKey{account, addr})
	m := g.known[account]
	if m == nil {
		m = map[string]time.Time{}
		g.known[account] = m
	}
	if _, ok := m[addr]; !ok && len(m) >= maxKnown {
		oldest, at := "", now
		for a, t := range m {
			if t.Before(at) || oldest == "" {
				oldest, at = a, t
			}
		}
		delete(m, oldest)
	}
	m[addr] = now
}

// shouldAlert reports whether an alert of this kind, account and address
// is due (at most one per alertEvery).
func (g *loginGuard) shouldAlert(kind, account, addr string, now time.Time) bool {
	ok, _ := g.alerts.Allow(kind+"|"+account+"|"+addr, now)
	return ok
}
