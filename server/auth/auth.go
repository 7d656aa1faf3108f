// Package auth is who may do what on a Lượt server, for the API
// (server/api) and the web pages (server/web) alike: staff sessions and
// their cookie, the hashes under which secrets are stored, the origin and
// CSRF checks of a browser's requests, roles and their permissions, and
// the registration of devices.
//
// It does no I/O of its own but through the small store interfaces it
// names (Sessions, Devices), which server/store implements; the clock is
// passed in.
package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/server/queue"
)

// SessionCookie is the name of the staff session cookie (the pages'
// alternative to the bearer token).
const SessionCookie = "luot_session"

// maxToken is the longest session token or device key looked up; a longer
// one is refused without asking the store.
const maxToken = 256

// Hash is the hash under which a long random secret is stored: a
// session's token, a device's key, a booking's manage token, a metrics
// token compared in constant time. SHA-256: the secrets are long and
// random, so a slow hash adds nothing (PINs, which are short, go through
// HashPIN).
func Hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// HashPIN makes the bcrypt hash under which a staff PIN is stored. PINs
// are 1 to queue.MaxPIN characters (bcrypt reads at most 72 bytes); the
// rules of a new PIN's length are queue.CheckPIN's.
func HashPIN(pin string) ([]byte, error) {
	if pin == "" || len(pin) > queue.MaxPIN {
		return nil, fmt.Errorf("a PIN must have 1 to %d characters", queue.MaxPIN)
	}
	return bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
}

// Session is a staff member's login: found by the hash of its token (the
// token itself is never stored), valid until Expires.
type Session struct {
	TokenHash []byte
	Office    string
	Staff     string
	// Counter is the counter the member logged in at ("" for an
	// administrator who logged in without one).
	Counter string
	Role    queue.Role
	// Unit is a handler's unit (queue.Staff.Unit) when the session was
	// opened; a change of unit ends the member's sessions.
	Unit    string
	Created time.Time
	Expires time.Time
}

// Can reports whether the session's role has the permission.
func (s *Session) Can(p Perm) bool { return Can(s.Role, p) }

// Errors of authentication. A store wraps ErrUnknownStaff,
// ErrUnknownSession, ErrUnknownDevice and ErrRevokedDevice; the others
// come from this package's checks. Callers turn them into their own answers (a JSON
// error, a page).
var (
	// ErrNoCredentials: the request carries no session token (and, where
	// a device may call, no device key).
	ErrNoCredentials = errors.New("auth: no credentials")
	// ErrUnknownStaff: no staff member has this id in the office.
	ErrUnknownStaff = errors.New("auth: unknown staff member")
	// ErrUnknownSession: the token is malformed, unknown or expired.
	ErrUnknownSession = errors.New("auth: unknown or expired session")
	// ErrUnknownDevice: no device has this key.
	ErrUnknownDevice = errors.New("auth: unknown device key")
	// ErrRevokedDevice: the device's key was revoked.
	ErrRevokedDevice = errors.New("auth: device revoked")
	// ErrCrossOrigin: a cookie-authenticated change (or a login) comes
	// from another site's page.
	ErrCrossOrigin = errors.New("auth: request from another site")
	// ErrCSRF: a cookie-authenticated change lacks the session's CSRF
	// token.
	ErrCSRF = errors.New("auth: missing or wrong CSRF token")
)

// Sessions is the storage of sessions that Authenticate reads.
type Sessions interface {
	// SessionByTokenHash returns the session with this token hash that is
	// still valid at now, or an error wrapping ErrUnknownSession.
	SessionByTokenHash(ctx context.Context, hash []byte, now time.Time) (Session, error)
}

// Config configures an Auth.
type Config struct {
	// Sessions is where sessions are looked up (required).
	Sessions Sessions
	// Origins are the origins a browser's requests may come from.
	Origins Origins
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Auth authenticates the staff's requests. Make it with New.
type Auth struct {
	cfg Config
}

// New returns an Auth.
func New(cfg Config) *Auth {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Auth{cfg: cfg}
}

// Origins returns the origins the Auth checks requests against.
func (a *Auth) Origins() Origins { return a.cfg.Origins }

// Token returns the request's session token: the bearer token of the
// Authorization header, else the session cookie's, and whether it came
// from the cookie. An Authorization header of another scheme, or a token
// longer than any the server makes, gives ErrUnknownSession; no token at
// all gives "" and no error.
func Token(r *http.Request) (tok string, fromCookie bool, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, _ := strings.Cut(h, " ")
		t = strings.TrimSpace(t)
		if !strings.EqualFold(scheme, "Bearer") || t == "" || len(t) > maxToken {
			return "", false, ErrUnknownSession
		}
		return t, false, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return "", false, nil
	}
	if len(c.Value) > maxToken {
		return "", true, ErrUnknownSession
	}
	return c.Value, true, nil
}

// Authenticate returns the request's staff session and its token. A
// request without a token gives ErrNoCredentials. A change (any method
// but GET and HEAD) authenticated by the cookie must come from this
// server's own origin (Origins.Own) and carry the session's CSRF token
// (CSRFFrom), else ErrCrossOrigin or ErrCSRF; a bearer token needs
// neither, since a browser never sends one to another site by itself.
// Storage failures are returned as they are.
func (a *Auth) Authenticate(r *http.Request) (*Session, string, error) {
	tok, fromCookie, err := Token(r)
	if err != nil {
		return nil, "", err
	}
	if tok == "" {
		return nil, "", ErrNoCredentials
	}
	if fromCookie && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if !a.cfg.Origins.Own(r) {
			return nil, "", ErrCrossOrigin
		}
		if !ValidCSRF(tok, CSRFFrom(r)) {
			return nil, "", ErrCSRF
		}
	}
	se, err := a.cfg.Sessions.SessionByTokenHash(r.Context(), Hash(tok), a.cfg.Now())
	if err != nil {
		return nil, "", err
	}
	return &se, tok, nil
}

// SetCookie gives the browser the session cookie of token, valid until
// expires. Max-Age, which browsers prefer to Expires, counts from when
// the browser gets the cookie: a counter PC whose date is off by more
// than the session's length (or a test's fake clock) keeps the session.
func SetCookie(w http.ResponseWriter, token string, expires, now time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		MaxAge:   int(expires.Sub(now) / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure,
	})
}

// ClearCookie tells the browser to forget the session cookie (logout).
func ClearCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secure})
}
