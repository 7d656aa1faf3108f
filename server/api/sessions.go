package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
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

// Login attempts per client address (rule 1 of loginguard.go):
// loginBurst at once, then one per loginEvery, right or wrong.
const (
	loginBurst = 30
	loginEvery = 2 * time.Second
)

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
	// A login from another site's page (login CSRF) is refused: only the
	// server's own pages log in (auth.Origins.Own).
	if !s.auth.Origins().Own(r) {
		s.fail(w, r, errCrossOrigin)
		return
	}
	addr, now := clientAddr(r), s.now()
	if ok, retry := s.logins.Allow(addr, now); !ok {
		s.metrics.loginFailures.WithLabelValues("rate").Inc()
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
	station, err := s.sessionStation(r, &b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	g := s.guard
	account := b.Office + "/" + b.Staff
	ctx := r.Context()
	st, hash, _, err := s.st.StaffAuth(ctx, b.Office, b.Staff)
	unknown := errors.Is(err, auth.ErrUnknownStaff)
	if err != nil && !unknown {
		s.fail(w, r, err)
		return
	}
	if !unknown {
		g.pinChanged(account, hash)
		// Rule 3: this address is locked out of this account.
		if until := g.lockedUntil(account, addr, now); !until.IsZero() {
			s.metrics.loginFailures.WithLabelValues("address_locked").Inc()
			s.fail(w, r, s.lockedOut(w, v, until, now, "from this address"))
			return
		}
	}
	// Rule 2: the address's wrong-PIN budget must have a token; only a
	// wrong PIN takes one. Right PINs never spend it, however many log in
	// at once from one address (a shift starting behind one NAT).
	if ok, retry := g.addrFails.Ready(addr, now); !ok {
		s.metrics.loginFailures.WithLabelValues("address_budget").Inc()
		s.loginAlert(r, b.Office, "", addr, "address_budget_spent", "wrong PINs from one address over all accounts")
		s.tooMany(w, r, retry, "wrong PINs from this address")
		return
	}
	if unknown {
		_ = s.pinMatches(ctx, dummyHash, b.PIN) // as long as a wrong PIN
		if ctx.Err() == nil {
			g.addrFails.Charge(addr, now) // an unknown id is a wrong guess
		}
		s.metrics.loginFailures.WithLabelValues("unknown_staff").Inc()
		s.fail(w, r, errBadLogin)
		return
	}
	// Rule 4: a new address draws on the account's guess budget.
	known := g.isKnown(account, addr, now)
	if !known {
		if ok, retry := g.guesses.Ready(account, now); !ok {
			s.metrics.loginFailures.WithLabelValues("account_guarded").Inc()
			s.loginAlert(r, b.Office, b.Staff, "", "account_budget_spent", "wrong PINs for one account from new addresses")
			s.fail(w, r, s.guarded(w, v, now.Add(retry), now))
			return
		}
	}
	if hash == nil || !s.pinMatches(ctx, hash, b.PIN) {
		if ctx.Err() != nil {
			return // the client went away while its check waited: nothing tried, nothing counted
		}
		g.addrFails.Charge(addr, now)
		if !known {
			g.guesses.Charge(account, now)
		}
		s.metrics.loginFailures.WithLabelValues("wrong_pin").Inc()
		// The account keeps a count of wrong PINs since its last login,
		// for the record; it never locks the account (loginguard.go).
		if _, err := s.st.RecordLoginFailure(ctx, b.Office, b.Staff); err != nil {
			s.fail(w, r, err)
			return
		}
		s.audit(r, b.Office, b.Staff, "login_failed", "")
		if until := g.failed(account, addr, now); !until.IsZero() {
			s.loginAlert(r, b.Office, b.Staff, addr, "address_locked", fmt.Sprintf("%d wrong PINs in a row from one address; that address is locked out of this account until %s",
				s.cfg.MaxLoginAttempts, until.In(v.Office.Location()).Format("2006-01-02 15:04")))
			s.fail(w, r, s.lockedOut(w, v, until, now, "from this address"))
			return
		}
		s.fail(w, r, errBadLogin)
		return
	}
	if st.Disabled {
		s.fail(w, r, newError(http.StatusForbidden, "staff_disabled", "this staff account is disabled: ask an administrator"))
		return
	}
	// A clerk works at a counter; moderators and handlers of feedback
	// reports work at none.
	if auth.Can(st.Role, auth.ServeCounter) && !auth.Can(st.Role, auth.AnyCounter) && b.Counter == "" {
		s.fail(w, r, badRequest("counter_required", "choose the counter you are working at"))
		return
	}
	if b.Counter != "" && v.Office.Counter(b.Counter) == nil {
		s.fail(w, r, newError(http.StatusNotFound, "unknown_counter", "counter {counter} does not exist in office {office}", "counter", fmt.Sprintf("%q", b.Counter), "office", b.Office))
		return
	}
	g.succeeded(account, addr, now)
	if err := s.st.ResetLoginFailures(ctx, b.Office, b.Staff); err != nil {
		s.fail(w, r, err)
		return
	}
	token := random.Token()
	se := auth.Session{
		TokenHash: auth.Hash(token), Office: b.Office, Staff: st.ID, Counter: b.Counter,
		Role: st.Role, Unit: st.Unit, Created: now, Expires: now.Add(s.cfg.SessionTTL),
	}
	if err := s.st.CreateSession(ctx, se); err != nil {
		s.fail(w, r, err)
		return
	}
	what := "counter " + b.Counter
	if station != nil {
		what += " at station " + station.ID
	}
	s.audit(r, b.Office, st.ID, "login", what)
	auth.SetCookie(w, token, se.Expires, now, s.secure)
	writeJSON(w, http.StatusCreated, SessionJSON{
		Token: token, ExpiresAt: se.Expires.In(v.Office.Location()), Office: b.Office,
		Staff: st.ID, Name: st.Name, Role: st.Role, Counter: b.Counter,
	})
}

// sessionStation checks the device key of a login, if any: only a
// counter station's key may come with one, and it binds the session to
// the station's counter. A login without a counter at a station takes
// the station's; another counter is a 403 station_other_counter, another
// office's station a 403 wrong_office. A kiosk's or a display's key is
// refused (403 not_a_station) rather than ignored: a device that sends its
// key to the login is misconfigured, and should hear so. These checks
// come before the PIN's, so that a refused login costs no PIN attempt.
func (s *Server) sessionStation(r *http.Request, b *SessionBody) (*queue.Device, error) {
	d, ok, err := s.device(r)
	if err != nil || !ok {
		return nil, err
	}
	switch {
	case d.Kind != queue.DeviceStation:
		return nil, newError(http.StatusForbidden, "not_a_station", "only a counter station may use this; this device is a {kind}", "kind", d.Kind)
	case d.Office != b.Office:
		return nil, newError(http.StatusForbidden, "wrong_office", "this device is registered for office {office}, not {other}", "office", d.Office, "other", b.Office)
	case b.Counter == "":
		b.Counter = d.Counter
	case b.Counter != d.Counter:
		return nil, newError(http.StatusForbidden, "station_other_counter",
			"this station is bound to counter {counter}: sign in at counter {counter} here, or at {other} on its own station or computer", "counter", d.Counter, "other", b.Counter)
	}
	return d, nil
}

// lockedOut is the answer to an address locked out of an account (rule 3).
func (s *Server) lockedOut(w http.ResponseWriter, v *engine.View, until, now time.Time, where string) *Error {
	w.Header().Set("Retry-After", strconv.Itoa(int(until.Sub(now).Seconds())+1))
	return newError(http.StatusTooManyRequests, "locked_out",
		"too many wrong PINs {where}: its logins for this staff member are refused until {time}; log in from your usual computer, wait, or ask an administrator to set a new PIN",
		"where", where, "time", until.In(v.Office.Location()).Format("15:04"))
}

// guarded is the answer to a new address while an account's guess budget
// is spent (rule 4).
func (s *Server) guarded(w http.ResponseWriter, v *engine.View, until, now time.Time) *Error {
	w.Header().Set("Retry-After", strconv.Itoa(int(until.Sub(now).Seconds())+1))
	return newError(http.StatusTooManyRequests, "locked_out",
		"too many wrong PINs for this staff member from other places: log in from a computer you used before, or try again after {time}",
		"time", until.In(v.Office.Location()).Format("15:04"))
}

// loginAlert reports repeated wrong PINs (loginguard.go): a warning in the
// log, a "login_alert" entry in the office's audit log and the alerts
// metric, at most once per kind, staff member and address per alertEvery.
func (s *Server) loginAlert(r *http.Request, office, staff, addr, kind, what string) {
	if !s.guard.shouldAlert(kind, office+"/"+staff, addr, s.now()) {
		return
	}
	s.metrics.loginAlerts.WithLabelValues(kind).Inc()
	s.log.Warn("repeated wrong PINs", "kind", kind, "office", office, "staff", staff, "client", addr, "what", what)
	detail := kind + ": " + what
	if addr != "" {
		detail += " (client " + addr + ")"
	}
	s.audit(r, office, staff, "login_alert", detail)
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
	auth.ClearCookie(w, s.secure)
	w.WriteHeader(http.StatusNoContent)
}

// audit records an action; a failure is logged, not shown to the user
// (the action itself succeeded).
func (s *Server) audit(r *http.Request, office, who, action, detail string) {
	if err := s.st.Audit(r.Context(), office, s.now(), who, action, detail); err != nil {
		s.log.Warn("audit log write failed", "office", office, "action", action, "err", err)
	}
}
