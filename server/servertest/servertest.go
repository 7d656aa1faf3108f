// Package servertest runs a whole Lượt server in the test's process, in the
// style of net/http/httptest: a real SQLite file in t.TempDir(), an office,
// staff with a known PIN and a kiosk with a known key, the real engine,
// hub, API and web pages routed as server/main.go routes them, on an
// httptest.Server, all on a fake clock that moves only when the test says.
// Everything is closed by t.Cleanup.
//
// It is for tests only, and it is the one package besides the programs
// that wires the transports to the store (server/deps_test.go TestLayers).
// The API's and the web pages' own (internal) tests cannot import it,
// since it imports them: they build on its lower half, servertest/backend
// (store, offices, staff, devices, clock, hub, engine), and mount their own
// handler.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/server/api"
	"luot/server/dossier"
	"luot/server/engine"
	"luot/server/feedback"
	"luot/server/hub"
	"luot/server/open311"
	"luot/server/photo"
	"luot/server/planning"
	"luot/server/queue"
	"luot/server/servertest/backend"
	"luot/server/store"
	"luot/server/web"
)

// Start is where the fake clock starts unless told otherwise: Friday 27
// November 2026, 08:00 in Hồ Chí Minh City.
var Start = backend.Start

// PIN is the PIN of every staff member the server is given.
const PIN = backend.PIN

// KioskKey is the device key of the default kiosk ("kiosk1").
const KioskKey = "kiosk-key"

// DemoOffice is a demo-like office, "demo", open around the clock: four
// services (xay-dung A, ho-kinh-doanh B, chung-thuc C, ho-tich D), the
// results service tra-ket-qua R, and four counters q1…q4.
func DemoOffice() queue.Office { return backend.DemoOffice() }

// Clerks are nv1…nvN, clerks named "Nhân viên N" (their Office is filled
// in by New).
func Clerks(n int) []queue.Staff { return backend.Clerks(n) }

// Device is a device to register, with its key.
type Device = backend.Device

// config is what the options set.
type config struct {
	office     queue.Office
	others     []queue.Office
	staff      []queue.Staff
	devices    []Device
	start      time.Time
	log        *slog.Logger
	hubBuf     int
	pub        func(office string, seq int64)
	apiCfg     []func(*api.Config)
	open311Cfg []func(*open311.Config)
	webCfg     []func(*web.Config)
	limits     *api.CitizenLimits
	noWeb      bool
	dbURL      string
	wrap       func(http.Handler) http.Handler
	testLogs   bool
	feedback   *feedback.Config
	dossiers   *dossier.Config
	planning   *planning.Data
}

// Option changes what New builds.
type Option func(*config)

// WithOffice serves o instead of DemoOffice.
func WithOffice(o queue.Office) Option { return func(c *config) { c.office = o } }

// WithOtherOffice stores a further office beside the main one (its staff
// and devices are given with WithStaff and WithDevice, Office set).
func WithOtherOffice(o queue.Office) Option {
	return func(c *config) { c.others = append(c.others, o) }
}

// WithStaff replaces the default staff (clerks nv1…nv4 and "admin"). All
// have the PIN PIN; an empty Office is the main office.
func WithStaff(s ...queue.Staff) Option { return func(c *config) { c.staff = s } }

// WithDevices replaces the default device (kiosk "kiosk1", key KioskKey).
// An empty Office is the main office.
func WithDevices(d ...Device) Option { return func(c *config) { c.devices = d } }

// WithStart starts the fake clock at t0 instead of Start.
func WithStart(t0 time.Time) Option { return func(c *config) { c.start = t0 } }

// WithLog sends the server's log to l (discarded by default).
func WithLog(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithTestLog sends the server's warnings and errors to the test's log.
func WithTestLog() Option { return func(c *config) { c.testLogs = true } }

// WithHubBuffer sets the hub's per-subscriber buffer (hub.New's default
// when 0).
func WithHubBuffer(n int) Option { return func(c *config) { c.hubBuf = n } }

// WithPublishHook calls f with every event the engine publishes, before
// the hub gets it.
func WithPublishHook(f func(office string, seq int64)) Option {
	return func(c *config) { c.pub = f }
}

// WithAPIConfig changes the API's configuration before api.New: the
// test-only knobs (citizen limits, Tarpit, MaxStreamsPerAddr, trusted
// proxies, PublicURL…). Engine, Store, Hub, Now and Log are already set.
func WithAPIConfig(f func(*api.Config)) Option {
	return func(c *config) { c.apiCfg = append(c.apiCfg, f) }
}

// WithCitizenLimits sets the API's limits on citizens' requests
// (api.Server.SetCitizenLimits) before it serves, e.g. lifted for a test
// that books many times from one address.
func WithCitizenLimits(l api.CitizenLimits) Option { return func(c *config) { c.limits = &l } }

// WithWebConfig changes the web pages' configuration before web.New.
func WithWebConfig(f func(*web.Config)) Option {
	return func(c *config) { c.webCfg = append(c.webCfg, f) }
}

// WithOpen311Config changes the Open311 endpoint's configuration before
// open311.New (PublicURL, limits…); Store, Feedback, the photos, Now, Log
// and Published are already set.
func WithOpen311Config(f func(*open311.Config)) Option {
	return func(c *config) { c.open311Cfg = append(c.open311Cfg, f) }
}

// WithFeedback gives the main office the feedback configuration c
// instead of backend.DemoFeedback (its Office is set to the main office).
func WithFeedback(c *feedback.Config) Option { return func(o *config) { o.feedback = c } }

// WithDossiers gives the main office the dossier configuration c instead
// of the demo's (backend.DemoDossiers; its Office is set to the main
// office).
func WithDossiers(c *dossier.Config) Option { return func(o *config) { o.dossiers = c } }

// WithDatabase runs the server on the empty PostgreSQL database at url
// (e.g. pgtest.Get(t).NewDatabase(t)) instead of a SQLite file.
func WithDatabase(url string) Option { return func(c *config) { c.dbURL = url } }

// WithPlanning stores d as the planning look-up's imports before the
// server starts (the look-up is served, empty, without it).
func WithPlanning(d planning.Data) Option { return func(c *config) { c.planning = &d } }

// WithoutWeb serves the API alone, at the root (as a bare API server
// would): paths outside it answer the API's 404.
func WithoutWeb() Option { return func(c *config) { c.noWeb = true } }

// WithWrap puts w around the whole server's handler (to lose answers, drop
// connections, watch requests).
func WithWrap(w func(http.Handler) http.Handler) Option { return func(c *config) { c.wrap = w } }

// Server is a running server.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port".
	URL string
	// HTTP is the httptest server.
	HTTP *httptest.Server
	// Office is the main office's id.
	Office string
	DB     *store.DB
	Engine *engine.Engine
	Hub    *hub.Hub
	// Clock is the server's clock; it moves only when told.
	Clock *clock.Fake
	API   *api.Server
	// Web is the web pages' handler (nil with WithoutWeb).
	Web *web.Server
	// Keys are the registered devices' keys, by device id.
	Keys map[string]string
	// Feedback is the main office's feedback configuration, which the
	// API serves; Photos and Pipeline keep and process the reports'
	// photos (in t.TempDir()). The pages' tests hand them to web.Config
	// with WithWebConfig.
	Feedback *feedback.Config
	Photos   *photo.Dir
	Pipeline *photo.Pipeline
	// Dossiers is the main office's dossier configuration, which the API
	// serves (the demo's unless WithDossiers).
	Dossiers *dossier.Config
	// Planning is the planning look-up's current plan (WithPlanning).
	Planning *api.Planning
	// Open311 is the Open311 endpoint, at /open311/ (not with WithoutWeb).
	Open311 *open311.Server
}

// New starts a server: by default DemoOffice, clerks nv1…nv4 and an admin
// "admin" (PIN PIN), the kiosk "kiosk1" (key KioskKey), the clock at
// Start, the API under /api/ and the pages elsewhere.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	c := config{
		office: DemoOffice(),
		staff:  append(Clerks(4), queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin}),
		devices: []Device{{Device: queue.Device{ID: "kiosk1", Name: "Kiosk sảnh", Kind: queue.DeviceKiosk},
			Key: KioskKey}},
		start: Start,
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&c)
	}
	if c.testLogs {
		c.log = backend.TestLog(t)
	}
	b := backend.New(t, backend.Config{
		Office: c.office, Others: c.others, Staff: c.staff, Devices: c.devices,
		Start: c.start, Log: c.log, HubBuffer: c.hubBuf, PublishHook: c.pub, Feedback: c.feedback,
		Dossiers: c.dossiers, DatabaseURL: c.dbURL,
	})
	s := &Server{Office: c.office.ID, DB: b.DB, Engine: b.Engine, Hub: b.Hub, Clock: b.Clock, Keys: b.Keys,
		Feedback: b.Feedback, Photos: b.Photos, Pipeline: b.Pipeline, Dossiers: b.Dossiers}
	db := b.DB
	var err error
	var pd planning.Data
	if c.planning != nil {
		pd = *c.planning
		if err := db.ReplaceZones(context.Background(), pd.Zones, pd.ZonesInfo); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceParcels(context.Background(), pd.Parcels, pd.ParcelInfo); err != nil {
			t.Fatal(err)
		}
	}
	if s.Planning, err = api.NewPlanning(db, pd); err != nil {
		t.Fatal(err)
	}
	s.Planning.Map = api.FeedbackMap(b.FeedbackMap)
	acfg := api.Config{Engine: s.Engine, Store: db, Hub: s.Hub, Now: s.Clock.Now, Log: c.log,
		Feedback: b.Feedback, PhotoPipeline: b.Pipeline, PhotoDir: b.Photos,
		FeedbackMap: api.FeedbackMap(b.FeedbackMap), Dossiers: b.Dossiers, Planning: s.Planning}
	for _, f := range c.apiCfg {
		f(&acfg)
	}
	if s.API, err = api.New(acfg); err != nil {
		t.Fatal(err)
	}
	if c.limits != nil {
		s.API.SetCitizenLimits(*c.limits)
	}
	ocfg := open311.Config{Store: db, Feedback: b.Feedback, PhotoPipeline: b.Pipeline, PhotoDir: b.Photos,
		PublicURL: acfg.PublicURL, Now: s.Clock.Now, Log: c.log, Published: s.API.ReportEvent, ClientAddr: s.API.ClientAddr}
	for _, f := range c.open311Cfg {
		f(&ocfg)
	}
	if s.Open311, err = open311.New(ocfg); err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s.API
	if !c.noWeb {
		wcfg := web.Config{Engine: s.Engine, DB: db, Hub: s.Hub, Now: s.Clock.Now, Log: c.log}
		if b.Feedback != nil {
			wcfg.Feedback, wcfg.FeedbackTileURL = b.Feedback, b.FeedbackMap.TileURL
		}
		wcfg.Dossiers = b.Dossiers
		wcfg.Planning = s.Planning
		for _, f := range c.webCfg {
			f(&wcfg)
		}
		if s.Web, err = web.New(wcfg); err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.Handle("/api/", s.API)
		mux.Handle("/open311/", s.Open311)
		mux.Handle("/", s.Web)
		h = mux
	}
	if c.wrap != nil {
		h = c.wrap(h)
	}
	s.HTTP = httptest.NewServer(h)
	s.URL = s.HTTP.URL
	t.Cleanup(s.HTTP.Close)
	return s
}

// Call sends body (marshalled to JSON, when not nil) with the headers hdr,
// fails the test unless the answer's status is want, and decodes the
// answer into out (when not nil).
func (s *Server) Call(t testing.TB, method, path string, hdr map[string]string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	r, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// Login opens a session of staff at counter (PIN PIN) in the main office
// through the API and returns its token.
func (s *Server) Login(t testing.TB, staff, counter string) string {
	t.Helper()
	var j api.SessionJSON
	s.Call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": s.Office, "staff": staff, "counter": counter, "pin": PIN}, http.StatusCreated, &j)
	return j.Token
}

// Issue issues a ticket for service at the main office's kiosk "kiosk1"
// and returns it.
func (s *Server) Issue(t testing.TB, service string) api.TicketJSON {
	t.Helper()
	return s.IssueAt(t, "kiosk1", service)
}

// IssueAt issues a ticket for service at the registered device kiosk and
// returns it.
func (s *Server) IssueAt(t testing.TB, kiosk, service string) api.TicketJSON {
	t.Helper()
	var j struct{ Ticket api.TicketJSON }
	s.Call(t, "POST", "/api/v1/offices/"+s.Office+"/tickets", map[string]string{"X-Device-Key": s.Keys[kiosk]}, map[string]string{"service": service}, http.StatusCreated, &j)
	return j.Ticket
}
