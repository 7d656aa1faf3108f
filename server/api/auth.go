package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"luot/server/queue"
	"luot/server/store"
)

// SessionCookie is the name of the staff session cookie (the console's
// alternative to the bearer token).
const SessionCookie = "luot_session"

// CSRFHeader is the header in which a page authenticated by the session
// cookie sends its CSRF token on every state-changing API request. Bearer
// clients (kiosks, displays, scripts) never need it: a browser cannot be
// tricked into sending an Authorization header to another site.
const CSRFHeader = "X-CSRF-Token"

// CSRFToken returns the CSRF token of a session: a hash of the session
// token under a fixed label, so that it is bound to the session, needs no
// storage, and reveals nothing of the session token (which stays in an
// HttpOnly cookie). Pages embed it in every form and send it in CSRFHeader.
func CSRFToken(sessionToken string) string {
	h := sha256.Sum256([]byte("luot-csrf\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// ValidCSRF reports, in constant time, whether got is the CSRF token of
// the session token.
func ValidCSRF(sessionToken, got string) bool {
	want := CSRFToken(sessionToken)
	return got != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// HashToken is the hash under which a secret token is stored: a session's
// (for pages that authenticate the session cookie themselves) or a
// booking's manage token (for the booking's QR code).
func HashToken(token string) []byte { return hashSecret(token) }

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// actor is who makes a request.
type actor struct {
	device  *queue.Device
	session *store.Session
	cookie  bool // the session came from the cookie, not the header
}

// scope is the prefix of an idempotency key: the key is the client's, the
// scope makes it unique per actor.
func (a actor) scope() string {
	if a.device != nil {
		return "device:" + a.device.ID + ":"
	}
	return "staff:" + a.session.Staff + ":"
}

func (a actor) who() string {
	if a.device != nil {
		return a.device.ID
	}
	if a.session != nil {
		return a.session.Staff
	}
	return "anonymous"
}

var (
	errNoAuth      = newError(http.StatusUnauthorized, "unauthenticated", "log in first: send Authorization: Bearer <token> (from POST /api/v1/sessions) or the session cookie")
	errBadSession  = newError(http.StatusUnauthorized, "invalid_session", "the session token is unknown or has expired: log in again")
	errBadDevice   = newError(http.StatusUnauthorized, "invalid_device_key", "the device key is unknown or was revoked: ask an administrator to register the device again")
	errCrossOrigin = newError(http.StatusForbidden, "cross_origin", "this request comes from another site's page and was refused")
	errCSRF        = newError(http.StatusForbidden, "csrf", "the request lacks a valid CSRF token (header "+CSRFHeader+"): reload the page and try again")
)

// device authenticates the X-Device-Key header. ok is false when there is
// none.
func (s *Server) device(r *http.Request) (*queue.Device, bool, error) {
	key := r.Header.Get("X-Device-Key")
	if key == "" {
		return nil, false, nil
	}
	if len(key) > 256 {
		return nil, true, errBadDevice
	}
	d, err := s.st.DeviceByKeyHash(r.Context(), hashSecret(key))
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrRevoked) {
		return nil, true, errBadDevice
	}
	if err != nil {
		return nil, true, err
	}
	return &d, true, nil
}

// sessionToken returns the bearer token, or the cookie's, and whether it
// came from the cookie.
func sessionToken(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok), false
		}
		return "", false
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value, true
	}
	return "", false
}

// session authenticates a staff member. ok is false when the request
// carries no credentials at all.
func (s *Server) session(r *http.Request) (*store.Session, bool, error) {
	tok, fromCookie := sessionToken(r)
	if tok == "" {
		if r.Header.Get("Authorization") != "" {
			return nil, true, errBadSession
		}
		return nil, false, nil
	}
	if len(tok) > 256 {
		return nil, true, errBadSession
	}
	if fromCookie && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if !s.sameOrigin(r) {
			return nil, true, errCrossOrigin
		}
		if !ValidCSRF(tok, r.Header.Get(CSRFHeader)) {
			return nil, true, errCSRF
		}
	}
	se, err := s.st.SessionByTokenHash(r.Context(), hashSecret(tok), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, true, errBadSession
	}
	if err != nil {
		return nil, true, err
	}
	return &se, true, nil
}

// staff requires a staff session.
func (s *Server) staff(r *http.Request) (*store.Session, error) {
	se, ok, err := s.session(r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoAuth
	}
	return se, nil
}

// admin requires an admin session.
func (s *Server) admin(r *http.Request) (*store.Session, error) {
	se, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	if se.Role != queue.RoleAdmin {
		return nil, newError(http.StatusForbidden, "forbidden", "only an administrator of the office may do this")
	}
	return se, nil
}

// sameOrigin reports whether a browser request comes from a page of this
// server (or of an allowed origin). A request without Origin (not from a
// browser page, or a same-origin GET) passes.
func (s *Server) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	if s.public != "" {
		if p, err := url.Parse(s.public); err == nil && strings.EqualFold(p.Host, u.Host) {
			return true
		}
	}
	return slices.ContainsFunc(s.cfg.AllowedOrigins, func(a string) bool {
		return a == "*" || strings.EqualFold(strings.TrimRight(a, "/"), o)
	})
}
