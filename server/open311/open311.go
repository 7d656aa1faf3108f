// Package open311 serves citizens' feedback reports as Open311 GeoReport
// v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/, so that
// the apps and aggregators that speak it can file reports and follow them.
// DESIGN.md, "Feedback reports"; docs/feedback.md.
//
// Mount the handler returned by New at /open311/:
//
//	h, err := open311.New(open311.Config{Store: db, Feedback: fcfg, PhotoPipeline: pipe, PhotoDir: dir, PublicURL: public})
//	mux.Handle("/open311/", h)
//
// Resources (each .json or .xml, the format taken from the path's suffix):
//
//	GET  /open311/v2/discovery.{f}         the service discovery document
//	GET  /open311/v2/services.{f}          one service per feedback category
//	GET  /open311/v2/services/{code}.{f}   its definition: the attributes
//	GET  /open311/v2/requests.{f}          reports: service_request_id, service_code, start_date, end_date, status
//	POST /open311/v2/requests.{f}          file a report (api_key of a client the admin registered)
//	GET  /open311/v2/requests/{id}.{f}     one report
//	GET  /open311/v2/tokens/{token}.{f}    404: every service is realtime, no token is issued
//
// How the spec's open points are settled here:
//
//   - One jurisdiction (the office of Config.Feedback): jurisdiction_id is
//     checked as text and otherwise ignored, as the spec allows.
//   - A service request is a report; its service_request_id is the
//     report's code (PA-YYMM-NNNNN); status is open until the report is
//     closed (resolved, unfounded, refused or duplicate); status_notes is
//     the answer, the reason or the status in words; agency_responsible
//     the name of the unit in charge; expected_datetime the resolve
//     deadline; media_url the first public photo, absolute with PublicURL.
//     The reporter (name, phone) is never in any answer.
//   - POST takes application/x-www-form-urlencoded as the spec says, and,
//     as an extension, multipart/form-data with the same fields and up to
//     five "media" file parts, which go through the photo pipeline.
//   - media_url (an http or https link) is kept with the report and shown
//     to staff as an outside link, never fetched: fetching addresses a
//     client names would let anyone make the server reach inside the
//     city's network. It is not published either (the city did not see
//     it): a request's media_url in answers is a photo the city keeps.
//     Photos the city should keep come as media parts.
//   - address_id is refused when it is the only location: the city has no
//     master address repository to look it up in.
//   - email, device_id and account_id are read and checked but not kept;
//     first_name, last_name (joined family name first) and phone are the
//     reporter's, for staff only, and not even that with attribute
//     anonymous=1. account_id is answered null.
//   - Errors are [{"code", "description"}] (XML <errors><error>), with 404
//     for what does not exist, 403 for a missing or wrong api_key, 400 for
//     anything else wrong in the request, and beyond the spec 405 (method),
//     413 (too large), 429 (rate limit, with Retry-After) and 503 (the
//     server's storage failing). Descriptions follow Accept-Language,
//     Vietnamese by default, like the rest of the server.
package open311

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"luot/server/feedback"
	"luot/server/photo"
	"luot/server/ratelimit"
)

// Prefix is where the handler serves: mount it at "/open311/".
const Prefix = "/open311/v2/"

// Config configures the Open311 endpoint. Store and Feedback are required.
type Config struct {
	Store feedback.Store
	// Feedback is the office's feedback configuration: its categories are
	// the services.
	Feedback *feedback.Config
	// PhotoPipeline processes the "media" parts of a multipart POST and
	// PhotoDir keeps them; without both, media parts are refused. The
	// largest part is the pipeline's MaxBytes.
	PhotoPipeline *photo.Pipeline
	PhotoDir      *photo.Dir
	// Published is told each event the endpoint commits (a new report),
	// so that the staff's streams show it at once; nil tells nobody.
	Published func(feedback.Event)
	// PublicURL is the server's public base URL; media_url and the
	// reporter's link are absolute with it, relative without (never built
	// from the request's Host, which anyone can forge).
	PublicURL string
	// Contact and KeyService are the discovery document's contact and
	// key_service: who runs the endpoint, and how to get an API key.
	Contact, KeyService string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Log receives failures (slog.Default when nil).
	Log *slog.Logger
	// ClientAddr is the address a request is counted by for the limits
	// (the peer's IP address when nil).
	ClientAddr func(*http.Request) string
	// AddrBurst requests per client address are allowed at once, then one
	// per AddrEvery (120 and 500 ms when 0).
	AddrBurst int
	AddrEvery time.Duration
	// KeyBurst reports per API key are allowed at once, then one per
	// KeyEvery (30 and 6 s when 0).
	KeyBurst int
	KeyEvery time.Duration
}

// Server is the Open311 handler. Make it with New.
type Server struct {
	cfg       Config
	fb        *feedback.Config
	st        feedback.Store
	now       func() time.Time
	log       *slog.Logger
	public    string
	changeset time.Time
	byAddr    *ratelimit.Limiter
	byKey     *ratelimit.Limiter
}

// New returns the Open311 handler; it fails when Store or Feedback is
// missing (a wiring mistake).
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Feedback == nil {
		return nil, errors.New("open311: Config needs Store and Feedback")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.ClientAddr == nil {
		cfg.ClientAddr = peerAddr
	}
	if cfg.AddrBurst <= 0 {
		cfg.AddrBurst = 120
	}
	if cfg.AddrEvery <= 0 {
		cfg.AddrEvery = 500 * time.Millisecond
	}
	if cfg.KeyBurst <= 0 {
		cfg.KeyBurst = 30
	}
	if cfg.KeyEvery <= 0 {
		cfg.KeyEvery = 6 * time.Second
	}
	return &Server{
		cfg: cfg, fb: cfg.Feedback, st: cfg.Store, now: cfg.Now, log: cfg.Log,
		public:    strings.TrimRight(cfg.PublicURL, "/"),
		changeset: cfg.Now(),
		byAddr:    ratelimit.New(cfg.AddrBurst, cfg.AddrEvery, 10_000),
		byKey:     ratelimit.New(cfg.KeyBurst, cfg.KeyEvery, 10_000),
	}, nil
}

// peerAddr is the peer's IP address.
func peerAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// ServeHTTP routes a request by its path: the resource, then its format
// suffix.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("open311: panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
			writeError(w, r, formatXML, newError(http.StatusInternalServerError, "internal", "the server failed on this request; it has been logged, try again"))
		}
	}()
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
	base, f, hasFormat := splitFormat(rest)
	if !ok || !hasFormat {
		writeError(w, r, formatXML, newError(http.StatusNotFound, "no_resource", "no Open311 resource at {path}: the resources are under /open311/v2/ and end in .json or .xml, e.g. /open311/v2/services.json", "path", strconv.Quote(truncate(r.URL.Path, 120))))
		return
	}
	if f != formatJSON && f != formatXML {
		writeError(w, r, formatXML, newError(http.StatusBadRequest, "unknown_format", "format {format} is not served: use .json or .xml", "format", strconv.Quote(truncate(string(f), 20))))
		return
	}
	if ok, retry := s.byAddr.Allow(s.cfg.ClientAddr(r), s.now()); !ok {
		s.tooMany(w, r, f, retry)
		return
	}
	seg := strings.Split(base, "/")
	method := func(allowed ...string) bool {
		for _, m := range allowed {
			if r.Method == m || (m == http.MethodGet && r.Method == http.MethodHead) {
				return true
			}
		}
		h.Set("Allow", strings.Join(allowed, ", "))
		writeError(w, r, f, newError(http.StatusMethodNotAllowed, "method_not_allowed", "{method} is not allowed here: use {allowed}", "method", r.Method, "allowed", strings.Join(allowed, " or ")))
		return false
	}
	switch {
	case len(seg) == 1 && seg[0] == "discovery":
		if method(http.MethodGet) {
			s.discovery(w, r, f)
		}
	case len(seg) == 1 && seg[0] == "services":
		if method(http.MethodGet) {
			s.services(w, r, f)
		}
	case len(seg) == 2 && seg[0] == "services" && seg[1] != "":
		if method(http.MethodGet) {
			s.definition(w, r, f, seg[1])
		}
	case len(seg) == 1 && seg[0] == "requests":
		if r.Method == http.MethodPost {
			s.post(w, r, f)
		} else if method(http.MethodGet, http.MethodPost) {
			s.requests(w, r, f)
		}
	case len(seg) == 2 && seg[0] == "requests" && seg[1] != "":
		if method(http.MethodGet) {
			s.request(w, r, f, seg[1])
		}
	case len(seg) == 2 && seg[0] == "tokens" && seg[1] != "":
		if method(http.MethodGet) {
			writeError(w, r, f, newError(http.StatusNotFound, "token_not_found", "token {token} was not found: this server answers a POST with the service_request_id at once (every service is realtime) and issues no tokens", "token", strconv.Quote(truncate(seg[1], 80))))
		}
	default:
		writeError(w, r, f, newError(http.StatusNotFound, "no_resource", "no Open311 resource at {path}: the resources are under /open311/v2/ and end in .json or .xml, e.g. /open311/v2/services.json", "path", strconv.Quote(truncate(r.URL.Path, 120))))
	}
}

// tooMany answers 429 with Retry-After in whole seconds.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, f format, retry time.Duration) {
	secs := int((retry + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	writeError(w, r, f, newError(http.StatusTooManyRequests, "rate_limited", "too many requests: try again in {seconds} s", "seconds", max(1, secs)))
}

// fail answers err: an *Error or a domain error by its status (statusOf),
// anything else (the store failing) as 503, logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, f format, err error) {
	var oe *Error
	if errors.As(err, &oe) {
		writeError(w, r, f, oe)
		return
	}
	if st := statusOf(err); st != 0 {
		writeError(w, r, f, wrapDomain(st, err))
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	s.log.Error("open311: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", "5")
	writeError(w, r, f, newError(http.StatusServiceUnavailable, "unavailable", "the server could not complete the request because its storage is failing; nothing was changed — try again in a moment"))
}
