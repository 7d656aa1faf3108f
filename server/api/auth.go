package api

import (
	"errors"
	"net/http"

	"luot/server/auth"
	"luot/server/queue"
)

// SessionCookie is the name of the staff session cookie (the console's
// alternative to the bearer token): auth.SessionCookie.
const SessionCookie = auth.SessionCookie

// CSRFHeader is the header in which a page authenticated by the session
// cookie sends its CSRF token on every state-changing API request:
// auth.CSRFHeader.
const CSRFHeader = auth.CSRFHeader

// actor is who makes a request.
type actor struct {
	device  *queue.Device
	session *auth.Session
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
	errCSRF        = newError(http.StatusForbidden, "csrf", "the request lacks a valid CSRF token (header {header}): reload the page and try again", "header", CSRFHeader)
	errForbidden   = newError(http.StatusForbidden, "forbidden", "only an administrator of the office may do this")
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
	d, err := s.st.DeviceByKeyHash(r.Context(), auth.Hash(key))
	if errors.Is(err, auth.ErrUnknownDevice) || errors.Is(err, auth.ErrRevokedDevice) {
		return nil, true, errBadDevice
	}
	if err != nil {
		return nil, true, err
	}
	return &d, true, nil
}

// session authenticates a staff member (auth.Authenticate). ok is false
// when the request carries no credentials at all.
func (s *Server) session(r *http.Request) (*auth.Session, bool, error) {
	se, _, err := s.auth.Authenticate(r)
	switch {
	case errors.Is(err, auth.ErrNoCredentials):
		return nil, false, nil
	case errors.Is(err, auth.ErrUnknownSession):
		return nil, true, errBadSession
	case errors.Is(err, auth.ErrCrossOrigin):
		return nil, true, errCrossOrigin
	case errors.Is(err, auth.ErrCSRF):
		return nil, true, errCSRF
	case err != nil:
		return nil, true, err
	}
	return se, true, nil
}

// staff requires a staff session.
func (s *Server) staff(r *http.Request) (*auth.Session, error) {
	se, ok, err := s.session(r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoAuth
	}
	return se, nil
}

// require requires a staff session whose role has the permission.
func (s *Server) require(r *http.Request, p auth.Perm) (*auth.Session, error) {
	se, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	if !se.Can(p) {
		return nil, errForbidden
	}
	return se, nil
}
