// Package web serves Lượt's web pages: the citizens' pages (take a number,
// book an appointment, follow a ticket, rate the service) and the staff's
// (clerk console, administration, reports, web board). Pages are
// html/template files and static files embedded from assets/web, with small
// plain JavaScript and no build step. Every answer carries security headers:
// a Content-Security-Policy without inline script, no framing, no sniffing.
package web

import (
	"context"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"luot/assets"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/engine"
	"luot/server/feedback"
	"luot/server/hub"
	"luot/server/notify"
	"luot/server/queue"
)

// Store is what the pages need from durable storage besides what the
// engine does: sessions (auth.Sessions), staff and devices, the audit log
// and the reports' rows. *store.DB implements it (the server's main
// checks).
type Store interface {
	auth.Sessions
	// engine.Stations: whether a counter has a station to print on.
	engine.Stations
	auth.Devices
	DeleteSession(ctx context.Context, hash []byte) error
	ListStaff(ctx context.Context, office string) ([]queue.Staff, error)
	PutStaff(ctx context.Context, s queue.Staff, pinHash []byte) error
	Audit(ctx context.Context, office string, at time.Time, who, action, detail string) error
	AuditLog(ctx context.Context, office string, limit int) ([]queue.AuditEntry, error)
	ReportRows(ctx context.Context, office, from, to string) ([]queue.Ticket, []queue.Rating, error)
	// The counter stations' (admin_station.go): the ratings by clerk and
	// counter, and the staff's photos.
	RatingRows(ctx context.Context, office, from, to string) ([]queue.Rating, error)
	PutStaffPhoto(ctx context.Context, office, staff string, jpeg []byte, at time.Time) error
	DeleteStaffPhoto(ctx context.Context, office, staff string) error
	StaffPhoto(ctx context.Context, office, staff string) ([]byte, time.Time, error)
}

// Config wires the web pages to the rest of the server.
type Config struct {
	Engine *engine.Engine
	DB     Store
	Hub    *hub.Hub
	// PublicURL is the base URL citizens reach the server at, for the
	// tracking links in QR codes; "" makes them relative paths (never
	// built from a request's Host header).
	PublicURL string
	// AllowedOrigins are the other origins that may open the public event
	// stream (the API's Config.AllowedOrigins); the pages' changes come
	// only from the server's own origin (auth.Origins).
	AllowedOrigins []string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Log receives errors (slog.Default when nil).
	Log *slog.Logger
	// Feedback is the feedback reports' configuration of the office that
	// runs them (api.Config.Feedback's): the citizens' pages /pa… and the
	// staff's statistics read it, the reports from DB, which must then
	// keep them too (feedback.Store). nil: no feedback pages.
	Feedback *feedback.Config
	// MinAdminPIN is the shortest PIN the administration forms accept for
	// an administrator (queue.DefaultMinAdminPIN when 0).
	MinAdminPIN int
	// FeedbackTileURL is the map tiles' URL template of the citizens'
	// feedback pages (/pa…), as the API gives it to them
	// ("https://tile.example/{z}/{x}/{y}.png"): its origin is added to
	// their Content-Security-Policy for images. "" draws the markers on a
	// plain background.
	FeedbackTileURL string
	// Dossiers is the dossier configuration of the office that keeps
	// dossiers (api.Config.Dossiers's): the applicant's pages /hs…, the
	// console's "Tiếp nhận hồ sơ" and the staff's pages /staff/dossiers…
	// are its office's; the staff's read the dossiers from DB, which must
	// then keep them too (dossier.Store). nil: no dossier pages.
	Dossiers *dossier.Config
	// Notify keeps the citizens' subscriptions: the unsubscribe page
	// /u/{token} (notify.go). nil: that page answers that nothing is
	// subscribed.
	Notify notify.Store
	// SMS is true when an SMS route (a modem or the province's gateway)
	// delivers the outbox's SMS: the console then asks, when it receives
	// a dossier, whether the applicant agrees to SMS about it.
	SMS bool
	// Planning, when set, serves the planning look-up's page (qh.go).
	Planning PlanningView
}

// Server is the web pages' http.Handler. Make it with New.
type Server struct {
	cfg Config
	now func() time.Time
	log *slog.Logger
	mux *http.ServeMux
	// staffTpl are the staff pages' templates, by page name.
	staffTpl map[string]*template.Template
	// authn authenticates staff sessions (as the API does).
	authn *auth.Auth
	// paTpl are the feedback pages' templates, by page name; paCSP their
	// Content-Security-Policy; leaflet is true when the build has Leaflet.
	paTpl   map[string]*template.Template
	paCSP   string
	leaflet bool
	// hsTpl is the applicant's dossier page (hs.go).
	hsTpl *template.Template
	// qhTpl is the planning look-up's page.
	qhTpl *template.Template
	// uTpl is the unsubscribe page (unsubscribe.go).
	uTpl *template.Template
}

// New returns the handler of the web pages.
func New(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{cfg: cfg, now: cfg.Now, log: cfg.Log, mux: http.NewServeMux(), paTpl: map[string]*template.Template{}}
	s.authn = auth.New(auth.Config{Sessions: cfg.DB, Origins: auth.Origins{PublicURL: cfg.PublicURL, Allowed: cfg.AllowedOrigins}, Now: cfg.Now})
	static, err := fs.Sub(assets.Web, "web/static")
	if err != nil {
		return nil, err
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", fileServer(static)))
	for _, name := range []string{"favicon.ico", "favicon.svg"} {
		s.mux.Handle("GET /"+name, icon(static, name))
	}
	if err := s.citizenRoutes(); err != nil {
		return nil, err
	}
	if err := s.paRoutes(); err != nil {
		return nil, err
	}
	if err := s.qhRoutes(); err != nil {
		return nil, err
	}
	if err := s.hsRoutes(); err != nil {
		return nil, err
	}
	if err := s.appRoutes(); err != nil {
		return nil, err
	}
	if err := s.unsubscribeRoutes(); err != nil {
		return nil, err
	}
	if err := s.staffRoutes(); err != nil {
		return nil, err
	}
	return s, nil
}

// fileServer serves the files of fsys, but answers 404 for a folder
// instead of listing it (http.FileServer lists folders that have no
// index.html): what files a build embeds is nobody's business.
func fileServer(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)[1:]
		if name == "" {
			name = "."
		}
		if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// icon serves the site's icon name from fsys at the root, where browsers
// ask for it, cached for a week: it changes with the brand, not a release.
func icon(fsys fs.FS, name string) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=604800")
		if strings.HasSuffix(name, ".ico") {
			w.Header().Set("Content-Type", "image/x-icon")
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + name
		files.ServeHTTP(w, r2)
	})
}

// contentSecurityPolicy allows only the server's own scripts, styles,
// images (and data: images for QR codes) and websocket.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"media-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// ServeHTTP serves a page with the security headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}
