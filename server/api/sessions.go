package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/server/engine"
	"luot/server/queue"
	"luot/server/store"
)

// SessionJSON answers POST /sessions.
type SessionJSON struct {
	Token     string     `json:"token"`
	ExpiresAt time.Time  `json:"expires_at"`
	Office    string     `json:"office"`
	Staff     string     `json:"staff"`
	Name      string     `json:"name"`
	Role      queue.Role `json:"role"`
	Counter   string     `json:"counter,omitempty"`
}

// dummyHash is compared against when the staff member does not exist, so
// that a wrong id takes as long as a wrong PIN.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not-a-pin"), bcrypt.DefaultCost)

var errBadLogin = newError(http.StatusUnauthorized, "invalid_credentials", "wrong staff id or PIN")

// Login rate limit per client address: loginBurst attempts at once, then
// one per loginEvery. It stops a client from spraying PINs across many
// staff ids (each id also locks itself after MaxLoginAttempts wrong PINs).
const (
	loginBurst = 30
	loginEvery = 2 * time.Second
)

// clientAddr is the address a request came from (the proxy's, behind one).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// pinMatches reports whether pin is the one hashed in hash, after waiting
// for a free check; false when ctx ends first.
func (s *Server) pinMatches(ctx context.Context, hash []byte, pin string) bool {
	select {
	case s.pinChecks <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	defer func() { <-s.pinChecks }()
	return bcrypt.CompareHashAndPassword(hash, []byte(pin)) == nil
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	// A login from another site's page (login CSRF) is refused.
	if !s.sameOrigin(r) {
		s.fail(w, r, errCrossOrigin)
		return
	}
	if ok, retry := s.logins.Allow(clientAddr(r), s.now()); !ok {
		s.tooMany(w, r, retry, "login attempts from this address")
		return
	}
	b, ok := decodeBody(w, r, s, decodeSession)
	if !ok {
		return
	}
	v, err := s.eng.View(b.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := s.now()
	st, hash, _, lockedUntil, err := s.st.StaffAuth(ctx, b.Office, b.Staff)
	if errors.Is(err, store.ErrNotFound) {
		_ = s.pinMatches(ctx, dummyHash, b.PIN)
		s.fail(w, r, errBadLogin)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lockedUntil.After(now) {
		s.fail(w, r, s.lockedOut(w, v, lockedUntil, now))
		return
	}
	if hash == nil || !s.pinMatches(ctx, hash, b.PIN) {
		if ctx.Err() != nil {
			return // the client went away while its check waited: nothing to answer or count
		}
		_, until, err := s.st.RecordLoginFailure(ctx, b.Office, b.Staff, now, s.cfg.MaxLoginAttempts, s.cfg.LockoutFor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.audit(r, b.Office, b.Staff, "login_failed", "")
		if until.After(now) {
			s.fail(w, r, s.lockedOut(w, v, until, now))
			return
		}
		s.fail(w, r, errBadLogin)
		return
	}
	if st.Disabled {
		s.fail(w, r, newError(http.StatusForbidden, "staff_disabled", "this staff account is disabled: ask an administrator"))
		return
	}
	if st.Role != queue.RoleAdmin && b.Counter == "" {
		s.fail(w, r, badRequest("counter_required", "choose the counter you are working at"))
		return
	}
	if b.Counter != "" && v.Office.Counter(b.Counter) == nil {
		s.fail(w, r, newError(http.StatusNotFound, "unknown_counter", fmt.Sprintf("counter %q does not exist in office %s", b.Counter, b.Office)))
		return
	}
	if err := s.st.ResetLoginFailures(ctx, b.Office, b.Staff); err != nil {
		s.fail(w, r, err)
		return
	}
	token := engine.NewToken()
	se := store.Session{
		TokenHash: hashSecret(token), Office: b.Office, Staff: st.ID, Counter: b.Counter,
		Role: st.Role, Created: now, Expires: now.Add(s.cfg.SessionTTL),
	}
	if err := s.st.CreateSession(ctx, se); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, b.Office, st.ID, "login", "counter "+b.Counter)
	// Max-Age, which browsers prefer to Expires, counts from when the
	// browser gets the cookie: a counter PC whose date is off by more than
	// the session's length (or a test's fake clock) keeps the session.
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: se.Expires,
		MaxAge:   int(se.Expires.Sub(now) / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure,
	})
	writeJSON(w, http.StatusCreated, SessionJSON{
		Token: token, ExpiresAt: se.Expires.In(v.Office.Location()), Office: b.Office,
		Staff: st.ID, Name: st.Name, Role: st.Role, Counter: b.Counter,
	})
}

func (s *Server) lockedOut(w http.ResponseWriter, v *engine.View, until, now time.Time) *Error {
	secs := int(until.Sub(now).Seconds()) + 1
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return newError(http.StatusTooManyRequests, "locked_out", fmt.Sprintf(
		"too many wrong PINs: logins for this staff member are locked until %s; wait, or ask an administrator to reset the PIN",
		until.In(v.Office.Location()).Format("15:04")))
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) {
	se, err := s.staff(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.st.DeleteSession(r.Context(), se.TokenHash); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "logout", "")
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure})
	w.WriteHeader(http.StatusNoContent)
}

// audit records an action; a failure is logged, not shown to the user
// (the action itself succeeded).
func (s *Server) audit(r *http.Request, office, who, action, detail string) {
	if err := s.st.Audit(r.Context(), office, s.now(), who, action, detail); err != nil {
		s.log.Warn("audit log write failed", "office", office, "action", action, "err", err)
	}
}
