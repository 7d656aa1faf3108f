package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// CSRFHeader is the header in which a page authenticated by the session
// cookie sends its CSRF token on every state-changing request. Bearer
// clients (kiosks, displays, scripts) never need it: a browser cannot be
// tricked into sending an Authorization header to another site.
const CSRFHeader = "X-CSRF-Token"

// CSRFField is the hidden form field in which the pages' forms send it.
const CSRFField = "csrf"

// CSRFToken returns the CSRF token of a session: a hash of the session
// token under a fixed label, so that it is bound to the session, needs no
// storage, and reveals nothing of the session token (which stays in an
// HttpOnly cookie). Pages embed it in every form and send it in
// CSRFHeader.
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

// CSRFFrom returns the CSRF token a request carries: the CSRFHeader, else
// the CSRFField of a form the handler has already parsed (r.ParseForm,
// under the handler's own size limit). A body is never read here: the
// API's JSON bodies are read by its handlers, after authentication.
func CSRFFrom(r *http.Request) string {
	if t := r.Header.Get(CSRFHeader); t != "" {
		return t
	}
	return r.PostForm.Get(CSRFField)
}
