package auth

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Origins are the web origins whose pages may send requests to the
// server.
//
// There are two circles. A page of the server itself (its request Host,
// or the host of PublicURL) may do anything its credentials allow: log in,
// and make changes with the session cookie. The origins of Allowed (a
// board hosted elsewhere, "*" for any) may besides only read: open the
// office's public event stream. A cookie-authenticated change from an
// allowed origin is refused like one from any other site: the cookie is
// the server's own pages' credential.
type Origins struct {
	// PublicURL is the server's public base URL ("" when not set).
	PublicURL string
	// Allowed are the other origins ("https://board.example") that may
	// open the public event stream; "*" allows any.
	Allowed []string
}

// Own reports whether a browser's request comes from a page of this
// server, or from no page at all (a device, a script). The Origin header
// decides when there is one. Without it (older browsers on a same-origin
// request), Sec-Fetch-Site "cross-site" refuses, and so does a Referer
// naming another host; a request with neither is not from a browser page
// of another site, and passes.
func (o Origins) Own(r *http.Request) bool {
	if origin := r.Header.Get("Origin"); origin != "" {
		return o.ownHost(r, hostOf(origin))
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		return o.ownHost(r, hostOf(ref))
	}
	return true
}

// MayRead reports whether a browser's request may open the public event
// stream: it is Own, or its Origin is one of Allowed.
func (o Origins) MayRead(r *http.Request) bool {
	if o.Own(r) {
		return true
	}
	origin := r.Header.Get("Origin")
	return origin != "" && slices.ContainsFunc(o.Allowed, func(a string) bool {
		return a == "*" || strings.EqualFold(strings.TrimRight(a, "/"), origin)
	})
}

// ownHost reports whether host ("" when it could not be read) is the
// request's own or the public URL's.
func (o Origins) ownHost(r *http.Request, host string) bool {
	if host == "" {
		return false
	}
	if strings.EqualFold(host, r.Host) {
		return true
	}
	return o.PublicURL != "" && strings.EqualFold(host, hostOf(o.PublicURL))
}

// hostOf is the host[:port] of an absolute URL, "" when it has none.
func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}
