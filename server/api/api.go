// Package api is Lượt's HTTP API and websocket event stream, under /api/v1,
// as described in DESIGN.md ("Interfaces").
//
// Mount the handler returned by New at the root of the server's mux (its
// patterns carry the /api/v1 prefix):
//
//	h, err := api.New(api.Config{Engine: eng, Store: db, Hub: hb, Now: time.Now})
//	mux.Handle("/api/v1/", h)
//	mux.Handle("/healthz", h) // also served as /api/v1/healthz
//	mux.Handle("/metrics", h) // also served as /api/v1/metrics
//
// Routes and who may call them:
//
//	GET    /api/v1/offices/{office}            anyone: public configuration
//	GET    /api/v1/offices/{office}/state      anyone: snapshot
//	GET    /api/v1/offices/{office}/events     anyone (websocket, read-only; ?since=SEQ): public events; a staff session of the office: whole events
//	POST   /api/v1/offices/{office}/tickets    kiosk device key of the office, or staff of the office
//	GET    /api/v1/tickets/{id}?token=         the holder of the ticket's token
//	POST   /api/v1/sessions                    staff (PIN) → bearer token and cookie
//	DELETE /api/v1/sessions                    the session's holder
//	POST   /api/v1/counters/{id}/{action}      the clerk logged in at that counter, or an admin of its office
//	POST   /api/v1/admin/devices               admin
//	GET    /api/v1/admin/devices               admin
//	DELETE /api/v1/admin/devices/{id}          admin
//	POST   /api/v1/devices/status              any registered device (its key)
//	GET    /api/v1/station …                   a counter station (its key): station.go
//	…                                          the citizens' routes (citizen.go), the feedback reports' (feedback.go), the dossiers' (dossier.go) and the planning look-up's (planning.go)
//	GET    /api/v1/province/stats              province administrator: every office's figures (province.go)
//	GET    /healthz                            anyone: {"status":"ok"}; operators also get figures
//	GET    /metrics                            operator: this machine, or Config.MetricsToken
//
// Requests that are unsafe to repeat — POST …/tickets, POST …/checkins and
// every POST /counters/{id}/{action} — accept an Idempotency-Key header
// (at most 128 printable ASCII characters), scoped by device or staff
// member: a repeat gets the first answer with Idempotent-Replayed: true
// and changes nothing; the key with another request is a 409
// idempotency_key_reused. A counter action's answer is kept in the
// transaction of its change, so a retry after a crash gets it too. Without
// a key, "next", "call" and "done" refuse (409 just_called) to end a
// ticket called seconds ago and not started: a double-click.
//
// Every error is JSON {"error": {"code", "message"}} with status 400
// (invalid), 401 (no or bad credentials), 403 (not allowed), 404, 409
// (state conflict), 413 (body too large), 415 (body not JSON), 429 (locked
// out) or 503 (office closed, or storage failing: try again).
package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/engine"
	"luot/server/feedback"
	"luot/server/hub"
	"luot/server/notify"
	"luot/server/photo"
	"luot/server/queue"
	"luot/server/ratelimit"
)

// Store is what the API needs from durable storage besides what the engine
// does: staff logins, sessions, devices and the audit log. *store.DB
// implements it (the server's main checks). Lookups signal "not found" by
// errors wrapping queue.ErrNotFound or auth's errors.
type Store interface {
	// Print jobs of counter stations (printjobs.go).
	printStore
	StaffAuth(ctx context.Context, office, id string) (queue.Staff, []byte, int, error)
	RecordLoginFailure(ctx context.Context, office, id string) (int, error)
	ResetLoginFailures(ctx context.Context, office, id string) error
	CreateSession(ctx context.Context, s auth.Session) error
	SessionByTokenHash(ctx context.Context, hash []byte, now time.Time) (auth.Session, error)
	DeleteSession(ctx context.Context, hash []byte) error
	PutDevice(ctx context.Context, d queue.Device, keyHash []byte) error
	DeviceByKeyHash(ctx context.Context, hash []byte) (queue.Device, error)
	TouchDevice(ctx context.Context, id string, at time.Time, status string) error
	RevokeDevice(ctx context.Context, id string) error
	ListDevices(ctx context.Context, office string) ([]queue.Device, error)
	Audit(ctx context.Context, office string, at time.Time, who, action, detail string) error

	// The citizens' API: bookings, ratings, and the idempotency keys of
	// remote numbers.
	Booking(ctx context.Context, code string) (*queue.Booking, error)
	PutRating(ctx context.Context, r queue.Rating) error
	RatingOf(ctx context.Context, ticket string) (*queue.Rating, error)
	// PutRatingKeyed is PutRating with an idempotency key: a rating
	// stored with the key already is returned with replayed true.
	PutRatingKeyed(ctx context.Context, r queue.Rating, key string) (*queue.Rating, bool, error)
	RatingByKey(ctx context.Context, office, key string) (*queue.Rating, error)
	TicketByIdempotencyKey(ctx context.Context, office, key string) (string, error)

	// The counter stations' (station.go): the clerk signed in at a
	// counter and their photo.
	CounterClerk(ctx context.Context, office, counter string, now time.Time) (queue.Staff, bool, error)
	StaffPhoto(ctx context.Context, office, staff string) ([]byte, time.Time, error)

	// Fault classifies a storage failure as queue.ErrStorageFull,
	// ErrStorageBusy or ErrStorageIO (nil for any other error), so that
	// the answer can say what is wrong.
	Fault(err error) error
}

// Config configures the API. Engine, Store and Hub are required; the hub
// must be the engine's Publisher.
type Config struct {
	Engine *engine.Engine
	Store  Store
	Hub    *hub.Hub
	// PublicURL is the server's public base URL (e.g.
	// "https://luot.example.gov.vn"); when set, track_url is absolute and
	// the session cookie is Secure if it starts with https. When empty,
	// track_url is a relative path: it is never built from a request's
	// Host header, which anyone can forge.
	PublicURL string
	// AllowedOrigins lists the browser origins ("https://board.example")
	// besides the server's own host that may open the public event
	// stream; "*" allows any. They may not log in nor make changes with
	// the session cookie (auth.Origins). Requests without an Origin header
	// (devices) are allowed.
	AllowedOrigins []string
	// Now is the clock (time.Now when nil; a fake clock in tests).
	Now func() time.Time
	// Log receives errors and notable events (slog.Default when nil).
	Log *slog.Logger
	// Registry receives the metrics and is served at /metrics. When nil,
	// the API makes its own registry with the Go and process collectors.
	Registry *prometheus.Registry
	// MetricsToken, when set, is the bearer token that the metrics
	// (/metrics and /api/v1/metrics) require, from any address. When
	// empty, they are served only to this machine: a loopback peer that no
	// proxy forwarded (see operator). /healthz answers everyone, but its
	// figures only to those who may read the metrics.
	MetricsToken string

	// MaxBody is the largest accepted request body (8 KiB when 0).
	MaxBody int64
	// SessionTTL is how long a staff session lasts (12 hours when 0).
	SessionTTL time.Duration
	// MaxLoginAttempts wrong PINs in a row from one client address lock
	// that address (only) out of that staff member's account for
	// LockoutFor, doubling with each further lock-out up to 24 hours (5 and
	// 5 minutes when 0). See loginguard.go for all the login rules.
	MaxLoginAttempts int
	LockoutFor       time.Duration
	// AddrFailures wrong PINs per client address, over all accounts, are
	// allowed at once, then one per AddrFailureEvery (10 and 10 minutes
	// when 0).
	AddrFailures     int
	AddrFailureEvery time.Duration
	// AccountGuesses wrong PINs per account from addresses its member
	// never logged in from are allowed at once, then one per
	// AccountGuessEvery (10 and 1 hour when 0).
	AccountGuesses    int
	AccountGuessEvery time.Duration
	// PingInterval is how often the event stream pings (25 s when 0); a
	// client that answers nothing for three intervals is disconnected.
	PingInterval time.Duration
	// WriteTimeout bounds each websocket write (10 s when 0).
	WriteTimeout time.Duration
	// Tarpit holds back each rate-limited (429) answer for as long as the
	// client must wait anyway, at most this long, so that a flooding script
	// slows down (tarpit.go); 0 answers at once. The server sets 1 s.
	Tarpit time.Duration
	// ClientMessages is how many messages a client may send on the
	// read-only event stream within ClientWindow before it is cut off (20
	// per 10 s when 0).
	ClientMessages int
	ClientWindow   time.Duration
	// MaxStreamsPerAddr caps the live streams (office and ticket streams
	// together) of one client address (clientAddr); the next is refused
	// with 429 before the upgrade. DefaultMaxStreamsPerAddr when 0; no cap
	// when negative.
	MaxStreamsPerAddr int
	// PhoneVerifier, when set, makes every online number need a phone
	// confirmed by a code sent to it (phoneverify.go); nil: no codes.
	PhoneVerifier PhoneVerifier
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed (clientaddr.go); none by default: the peer's address counts.
	TrustedProxies []netip.Prefix

	// Feedback, when set with PhotoPipeline and PhotoDir (and a Store
	// that keeps reports, feedback.Store), serves the feedback reports'
	// API (feedback.go) for the office Feedback.Office.
	Feedback *feedback.Config
	// PhotoPipeline processes the reports' photos, within its limits and
	// memory budget; PhotoDir keeps them.
	PhotoPipeline *photo.Pipeline
	PhotoDir      *photo.Dir
	// FeedbackMap is the map the citizen pages draw.
	FeedbackMap FeedbackMap
	// FeedbackLimits are the rate limits and sizes of the reports'
	// public writes (see FeedbackLimits for the defaults).
	FeedbackLimits FeedbackLimits

	// Dossiers, when set (and the Store keeps dossiers, dossier.Store),
	// serves the dossiers' API (dossier.go) for the office
	// Dossiers.Office, whose configuration it is (validated).
	Dossiers *dossier.Config
	// DossierLimits are the rate limits of the applicant's look-ups and
	// of the kiosks' pickups (see DossierLimits for the defaults).
	DossierLimits DossierLimits

	// Notify, when set, keeps the citizens' opt-ins and the outbox
	// (notify.go): subscriptions, "send my link again", the outbox's
	// metrics. nil: no notifications (those routes answer 404).
	Notify notify.Store
	// PushKey is the VAPID application server key (base64url, the
	// webpush keys' PublicKey) that the pages subscribe with; "" when
	// web push is off.
	PushKey string
	// SMS is true when an SMS route (a modem or the province's gateway)
	// delivers the outbox's SMS: the pages offer SMS opt-ins and "send
	// my link again" (link_by_sms).
	SMS bool

	// Planning, when set, serves the planning look-up (planning.go).
	Planning *Planning
}

// Server is the API's http.Handler. Make it with New.
type Server struct {
	cfg     Config
	eng     *engine.Engine
	st      Store
	hub     *hub.Hub
	now     func() time.Time
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *metrics
	ws      atomic.Int64
	public  string
	secure  bool
	// logins limits login attempts per client address.
	logins *ratelimit.Limiter
	// streams counts the live streams per client address (streams.go).
	streams streamSlots
	// statuses limits the status changes each device announces (devices.go).
	statuses *ratelimit.Limiter
	// guard counts wrong PINs (loginguard.go).
	guard *loginGuard
	// tarpit holds back the answers of rate-limited requests.
	tarpit *tarpit
	// pinChecks bounds how many bcrypt comparisons run at once (half the
	// cores, at least one): each takes a core for tens of milliseconds, by
	// design, and a burst of logins (a shift starting, or a script guessing
	// PINs within its rate limit) must leave the rest to the queue.
	pinChecks chan struct{}
	// citizen serves the citizens' API (citizen.go).
	citizen *citizen
	// auth authenticates staff sessions and checks browsers' origins.
	auth *auth.Auth
	// feedback serves the feedback reports' API, when configured.
	feedback *fb
	// dossiers serves the dossiers' API, when configured.
	dossiers *dsr
}

// New returns the API handler. It fails if Engine, Store or Hub is
// missing (a wiring mistake) or if the metrics cannot be registered (the
// Registry already has them).
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil || cfg.Store == nil || cfg.Hub == nil {
		return nil, errors.New("api: Config needs Engine, Store and Hub")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 8 << 10
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxLoginAttempts <= 0 {
		cfg.MaxLoginAttempts = 5
	}
	if cfg.LockoutFor <= 0 {
		cfg.LockoutFor = 5 * time.Minute
	}
	if cfg.AddrFailures <= 0 {
		cfg.AddrFailures = 10
	}
	if cfg.AddrFailureEvery <= 0 {
		cfg.AddrFailureEvery = 10 * time.Minute
	}
	if cfg.AccountGuesses <= 0 {
		cfg.AccountGuesses = 10
	}
	if cfg.AccountGuessEvery <= 0 {
		cfg.AccountGuessEvery = time.Hour
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 25 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.ClientMessages <= 0 {
		cfg.ClientMessages = 20
	}
	if cfg.ClientWindow <= 0 {
		cfg.ClientWindow = 10 * time.Second
	}
	s := &Server{
		cfg: cfg, eng: cfg.Engine, st: cfg.Store, hub: cfg.Hub, now: cfg.Now, log: cfg.Log,
		mux:    http.NewServeMux(),
		public: strings.TrimRight(cfg.PublicURL, "/"),
		secure: strings.HasPrefix(cfg.PublicURL, "https://"),
	}
	s.auth = auth.New(auth.Config{Sessions: cfg.Store, Origins: auth.Origins{PublicURL: cfg.PublicURL, Allowed: cfg.AllowedOrigins}, Now: cfg.Now})
	m, err := newMetrics(s, cfg.Registry)
	if err != nil {
		return nil, fmt.Errorf("api: register metrics: %w", err)
	}
	s.metrics = m
	s.logins = ratelimit.New(loginBurst, loginEvery, 10_000)
	s.streams.max = cfg.MaxStreamsPerAddr
	if s.streams.max == 0 {
		s.streams.max = DefaultMaxStreamsPerAddr
	}
	s.statuses = ratelimit.New(statusBurst, statusEvery, 10_000)
	s.guard = newLoginGuard(cfg)
	s.tarpit = newTarpit(cfg.Tarpit)
	s.pinChecks = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	const p = "/api/v1"
	m := s.mux
	m.HandleFunc("GET "+p+"/offices/{office}", s.getOffice)
	m.HandleFunc("GET "+p+"/offices/{office}/state", s.getState)
	m.HandleFunc("GET "+p+"/offices/{office}/events", s.events)
	m.HandleFunc("POST "+p+"/offices/{office}/tickets", s.issueTicket)
	m.HandleFunc("GET "+p+"/tickets/{id}", s.getTicket)
	m.HandleFunc("POST "+p+"/sessions", s.createSession)
	m.HandleFunc("DELETE "+p+"/sessions", s.deleteSession)
	for _, a := range counterActions {
		m.HandleFunc("POST "+p+"/counters/{id}/"+a, s.counterAction(a))
	}
	m.HandleFunc("POST "+p+"/admin/devices", s.registerDevice)
	m.HandleFunc("GET "+p+"/admin/devices", s.listDevices)
	m.HandleFunc("DELETE "+p+"/admin/devices/{id}", s.revokeDevice)
	m.HandleFunc("POST "+p+"/devices/status", s.deviceStatus)
	s.open311ClientRoutes()
	s.citizenRoutes()
	s.feedbackRoutes()
	s.dossierRoutes()
	s.printJobRoutes()
	s.stationRoutes()
	s.dossierIntegRoutes()
	s.notifyRoutes()
	s.planningRoutes()
	s.provinceRoutes()
	for _, h := range []string{"/healthz", p + "/healthz"} {
		m.HandleFunc("GET "+h, s.healthz)
	}
	for _, h := range []string{"/metrics", p + "/metrics"} {
		m.HandleFunc("GET "+h, s.serveMetrics)
	}
	// Anything else under the API answers in JSON, not with the mux's text.
	m.HandleFunc(p+"/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, newError(http.StatusNotFound, "not_found", "no API route {method} {path}; see DESIGN.md for the routes", "method", r.Method, "path", r.URL.Path))
	})
}

// ServeHTTP serves the API, recording the latency of each request by route
// pattern and turning a panic into a 500 answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r = s.withClientAddr(r) // before the deferred metrics read r.Pattern
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
			if !rec.wrote {
				writeError(rec, r, newError(http.StatusInternalServerError, "internal", "the server failed on this request; it has been logged, try again"))
			}
		}
		if rec.status == http.StatusSwitchingProtocols {
			return // a websocket: its duration is the connection's, not a latency
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.latency.WithLabelValues(route, rec.code()).Observe(time.Since(start).Seconds())
	}()
	h := rec.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(rec, r)
}

// statusRecorder remembers the status written; it passes Hijack through
// for websockets.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) code() string {
	if !r.wrote {
		return "200"
	}
	return strconv.Itoa(r.status)
}

// Hijack lets the websocket upgrader take the connection over.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be taken over for a websocket")
	}
	r.wrote, r.status = true, http.StatusSwitchingProtocols
	return h.Hijack()
}

// healthz answers that the server is up. Its figures (offices served,
// websocket clients) are for operators only: to anyone else they would
// tell how busy the server is and whether an attack on it works.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.operator(r) != nil {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "offices": len(s.eng.OfficeIDs()), "websocket_clients": s.ws.Load()})
}
