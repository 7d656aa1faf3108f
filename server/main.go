// Command server is the Lượt server: the queue engine of one or more
// offices on an embedded SQLite file, its HTTP API and websocket event
// stream, and (later) its web pages.
//
//	server -addr 127.0.0.1:8080 -data DIR [-db postgres://…] [-demo] [-import FILE] [-export FILE] [-feedback FILE] [-dossiers FILE]
//
// Everything is kept in DIR/luot.db (or, with -db, in that PostgreSQL
// database, which several servers may share), and the feedback reports'
// photos in DIR/photos. -demo seeds the demo office once (and warns that demo
// credentials are in use), with the demo's feedback reports; -import
// loads an office file (see assets/demo/office.jsonc) and goes on
// serving; -export writes an office's configuration to a file and exits;
// -feedback serves citizens' feedback reports configured by a feedback
// file (see assets/demo/feedback.jsonc); -dossiers follows dossiers (hồ
// sơ) with the catalogue of a dossier file (see assets/demo/dossiers.jsonc;
// -demo seeds sample dossiers).
//
// Notifications (docs/notify.md): -push sends web push (VAPID keys made
// once in DIR); -sms-modem PORT sends SMS through a GSM modem, or
// -sms-webhook URL with -sms-webhook-secret-file through the province's
// gateway; -notify-near, -quiet-hours and -sms-unaccented set the rules;
// -phone-codes makes online numbers confirm their phone by SMS.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // appliances may lack the system timezone database

	"luot/assets"
	"luot/server/api"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/dossierfile"
	"luot/server/dossierjobs"
	"luot/server/engine"
	"luot/server/feedback"
	"luot/server/feedbackfile"
	"luot/server/feedbackjobs"
	"luot/server/geo"
	"luot/server/hub"
	"luot/server/notify"
	"luot/server/officefile"
	"luot/server/open311"
	"luot/server/photo"
	"luot/server/planning"
	"luot/server/planning/planningdemo"
	"luot/server/province"
	"luot/server/queue"
	"luot/server/store"
	"luot/server/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "luot-server:", err)
		os.Exit(1)
	}
}

type options struct {
	addr, data, publicURL, importFile, exportFile, office string
	dbURL                                                 string
	dbPool                                                int
	backupFile, restoreFile                               string
	origins, pprofAddr, trustedProxies                    string
	metrics, metricsTokenFile                             string
	demo                                                  bool
	tarpit                                                time.Duration
	maxWSPerAddr, adminPINMin, remoteBurst                int
	remoteEvery                                           time.Duration
	feedbackFile, feedbackOffice                          string
	feedbackEraseAfter                                    time.Duration
	dossiersFile, dossiersOffice                          string
	notify                                                notifyFlags
	advertise, clusterSecret, clusterSecretFile           string
}

func parseFlags(args []string) (*options, error) {
	var o options
	fs := flag.NewFlagSet("luot-server", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	fs.StringVar(&o.data, "data", "data", "folder that holds the SQLite file luot.db (and, with -db too, the staff photos and web push keys)")
	fs.StringVar(&o.dbURL, "db", "", "PostgreSQL database to use instead of the SQLite file of -data: postgres://user:password@host/dbname (any parameter pgx reads, e.g. ?host=/run/postgresql for a unix socket); several servers may share it")
	fs.IntVar(&o.dbPool, "db-pool", store.DefaultPoolSize, "with -db, the most connections this server opens to PostgreSQL (max_connections must cover every server's pool)")
	fs.BoolVar(&o.demo, "demo", false, "seed the demo office (once) — demo PINs and device keys are public: never in production")
	fs.StringVar(&o.importFile, "import", "", "load an office configuration file (JSON with comments) before serving")
	fs.StringVar(&o.exportFile, "export", "", "write the configuration of -office to this file and exit")
	fs.StringVar(&o.office, "office", "", "office to export (default: the only office)")
	fs.StringVar(&o.backupFile, "backup-to", "", "write a consistent copy of the database to this new file and exit (safe while a server runs)")
	fs.StringVar(&o.restoreFile, "restore", "", "replace the database by this backup and exit (stop the server first; the old file is kept)")
	fs.StringVar(&o.publicURL, "public-url", "", "base URL citizens' phones reach the server at, for tracking links and QR codes (default: the address the server listens on, with a warning)")
	fs.StringVar(&o.origins, "allowed-origins", "", "comma-separated extra origins allowed to open the event stream from a browser")
	fs.DurationVar(&o.tarpit, "tarpit", time.Second, "hold each rate-limited (429) answer back for as long as the client must wait anyway, at most this long (0: answer at once)")
	fs.IntVar(&o.maxWSPerAddr, "max-ws-per-addr", api.DefaultMaxStreamsPerAddr, "live websocket streams (boards, consoles, tracking pages) one client address may hold; raise it when more screens share one NAT address (0: no cap)")
	fs.StringVar(&o.metrics, "metrics", "loopback", "who may read /metrics and /healthz's figures: loopback (this machine only, not through a proxy) or token (anyone with the bearer token of -metrics-token-file)")
	fs.StringVar(&o.metricsTokenFile, "metrics-token-file", "", "file holding the bearer token of -metrics token (at least 16 characters)")
	fs.StringVar(&o.trustedProxies, "trusted-proxies", "", "comma-separated CIDR prefixes of reverse proxies whose X-Forwarded-For gives the client address (e.g. 127.0.0.1/32,10.0.0.0/8); none by default: the peer's address counts")
	fs.IntVar(&o.adminPINMin, "admin-pin-min", queue.DefaultMinAdminPIN, "shortest PIN accepted for an administrator where PINs are set (administration forms, -import); clerks' PINs have at least 4")
	fs.IntVar(&o.remoteBurst, "remote-burst", api.DefaultCitizenLimits().RemotePerOfficeBurst, "online numbers an office gives at once, from everyone together, before -remote-every applies")
	fs.DurationVar(&o.remoteEvery, "remote-every", api.DefaultCitizenLimits().RemotePerOfficeEvery, "after -remote-burst, one more online number per office this often (each service's daily cap of online numbers bounds the rest)")
	fs.StringVar(&o.feedbackFile, "feedback", "", "serve citizens' feedback reports configured by this feedback file (JSON with comments, see assets/demo/feedback.jsonc; the wards' GeoJSON it names is read beside it); with -demo and no -feedback, the demo's")
	fs.StringVar(&o.feedbackOffice, "feedback-office", "", "office that runs the feedback reports (default: \"demo\" with -demo, else the only office)")
	fs.DurationVar(&o.feedbackEraseAfter, "feedback-erase-after", 0, "erase a feedback report's reporter (name, phone) this long after it closes (default: the feedback file's erase_after_days, 365 days when it has none)")
	fs.StringVar(&o.dossiersFile, "dossiers", "", "follow dossiers (hồ sơ) with the catalogue of this dossier file (JSON with comments, see assets/demo/dossiers.jsonc); with -demo and no -dossiers, the demo's")
	fs.StringVar(&o.dossiersOffice, "dossiers-office", "", "office that follows the dossiers (default: \"demo\" with -demo, else the only office)")
	o.notify.define(fs)
	fs.StringVar(&o.advertise, "advertise", "", "with -db: run as one of several processes sharing the database's offices, reachable by the others at this base URL (http://10.0.0.5:8080); needs -cluster-secret")
	fs.StringVar(&o.clusterSecret, "cluster-secret", "", "with -advertise: the secret shared by every process of the cluster, at least 16 characters, carried by requests forwarded to an office's owner (visible in the process list: prefer -cluster-secret-file)")
	fs.StringVar(&o.clusterSecretFile, "cluster-secret-file", "", "with -advertise: file holding the secret of -cluster-secret")
	fs.StringVar(&o.pprofAddr, "pprof", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6060) for profiling; off by default")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.remoteBurst < 1 || o.remoteEvery <= 0 {
		return nil, fmt.Errorf("-remote-burst must be at least 1 and -remote-every above 0 (got %d and %v)", o.remoteBurst, o.remoteEvery)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; see -h", fs.Arg(0))
	}
	switch {
	case o.dbURL != "" && !store.IsPostgresURL(o.dbURL):
		return nil, errors.New("-db takes a PostgreSQL URL (postgres://…); leave it out to use the SQLite file in -data")
	case o.dbPool < 1:
		return nil, fmt.Errorf("-db-pool %d: use at least 1 connection", o.dbPool)
	case o.dbURL != "" && (o.backupFile != "" || o.restoreFile != ""):
		return nil, errors.New("-backup-to and -restore copy the SQLite file and do not work with -db: back a PostgreSQL database up and restore it with PostgreSQL's tools (pg_dump/pg_restore, or pg_basebackup with WAL archiving; docs/deploy-postgresql.md)")
	}
	if o.publicURL != "" {
		u, err := url.Parse(o.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("-public-url %q: write the address citizens reach, like https://mot-cua.example.gov.vn", o.publicURL)
		}
	}
	switch {
	case o.maxWSPerAddr < 0:
		return nil, fmt.Errorf("-max-ws-per-addr %d: use a positive number, or 0 for no cap", o.maxWSPerAddr)
	case o.metrics != "loopback" && o.metrics != "token":
		return nil, fmt.Errorf("-metrics %q: use loopback or token", o.metrics)
	case o.metrics == "token" && o.metricsTokenFile == "":
		return nil, errors.New("-metrics token needs -metrics-token-file, the file that holds the token")
	case o.metrics != "token" && o.metricsTokenFile != "":
		return nil, errors.New("-metrics-token-file is used only with -metrics token")
	case o.feedbackEraseAfter < 0:
		return nil, fmt.Errorf("-feedback-erase-after %v: use a positive duration such as 8760h (365 days), or leave it out", o.feedbackEraseAfter)
	}
	if err := o.notify.check(o.publicURL); err != nil {
		return nil, err
	}
	if err := o.checkCluster(); err != nil {
		return nil, err
	}
	return &o, nil
}

// ownURL is the base of links to the server when -public-url is not set:
// the address it listens on, or, when it listens on every interface, the
// first address of its network interfaces that a phone on the office's
// network could reach (a private IPv4 address before any other; loopback
// as a last resort). It is chosen once, at start, and logged: links are
// never made from a request's Host header, which anyone can forge and a
// proxy passes on.
func ownURL(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	ip := ta.IP
	if ip == nil || ip.IsUnspecified() {
		ip = pickOwnIP()
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(ta.Port))
}

// pickOwnIP is the machine's most reachable address: a private IPv4, then
// another global IPv4, then a global IPv6, then 127.0.0.1.
func pickOwnIP() net.IP {
	addrs, _ := net.InterfaceAddrs()
	rank := func(ip net.IP) int {
		switch {
		case ip.To4() != nil && ip.IsPrivate():
			return 0
		case ip.To4() != nil && ip.IsGlobalUnicast():
			return 1
		case ip.IsGlobalUnicast():
			return 2
		}
		return 3
	}
	best := net.IPv4(127, 0, 0, 1)
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if ok && rank(n.IP) < rank(best) {
			best = n.IP
		}
	}
	return best
}

// minMetricsToken is the shortest metrics token accepted: it guards the
// metrics from anywhere, so it must not be guessable.
const minMetricsToken = 16

// metricsToken reads the token of -metrics token ("" with loopback).
func metricsToken(o *options) (string, error) {
	if o.metrics != "token" {
		return "", nil
	}
	b, err := os.ReadFile(o.metricsTokenFile)
	if err != nil {
		return "", fmt.Errorf("read the metrics token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < minMetricsToken || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("the metrics token in %s must be one word of at least %d characters", o.metricsTokenFile, minMetricsToken)
	}
	return tok, nil
}

func run(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	mtoken, err := metricsToken(o)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := os.MkdirAll(o.data, 0o750); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	switch {
	case o.backupFile != "":
		return backupTo(ctx, o.data, o.backupFile)
	case o.restoreFile != "":
		kept, err := restoreFrom(o.data, o.restoreFile, time.Now())
		if err == nil && kept != "" {
			log.Info("restored; the previous database is kept", "kept", kept)
		}
		return err
	}
	db, release, err := openStore(o)
	if err != nil {
		return err
	}
	defer release()
	defer db.Close()

	if o.exportFile != "" {
		return exportOffice(ctx, db, o.office, o.exportFile)
	}
	if o.advertise == "" { // a lone server on PostgreSQL: no other may write beside it
		alone, err := db.UseAlone(ctx)
		if err != nil {
			return err
		}
		defer alone()
	}

	h := hub.New(0)
	defer h.Close()
	eng := engine.New(db, h, time.Now, log)
	ncfg := o.notify.config()
	if err := ncfg.Validate(); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	eng.SetNotify(ncfg)                   // before Load, which reads the followed tickets
	node, err := newNode(o, db, eng, log) // before Load: the offices start as followers
	if err != nil {
		return err
	}
	if err := eng.Load(ctx); err != nil {
		return err
	}
	if o.demo {
		if err := importOffice(ctx, db, eng, assets.DemoOffice, true, o.adminPINMin); err != nil {
			return fmt.Errorf("seed demo office: %w", err)
		}
		log.Warn("DEMO MODE: office 'demo' with public credentials (clerks nv1…nv4 with PIN 1234, admin and province administrator tinh with PIN 123456, feedback moderator kiemduyet and handlers xl-qldt, xl-tnmt, xl-dong, xl-tay, xl-nam, dossier handlers xl-tuphap, xl-tckh, xl-ldtbxh (and xl-qldt, xl-tnmt) with PIN 1234; device keys demo-kiosk, demo-display, demo-station-q3). Never use them in production.")
	}
	if o.importFile != "" {
		data, err := os.ReadFile(o.importFile)
		if err != nil {
			return fmt.Errorf("read office file: %w", err)
		}
		if err := importOffice(ctx, db, eng, data, false, o.adminPINMin); err != nil {
			return fmt.Errorf("import %s: %w", o.importFile, err)
		}
	}

	fb, err := loadFeedback(ctx, db, o)
	if err != nil {
		return err
	}
	if fb != nil && o.demo {
		// The samples are a showcase, not the server's work: a demo on a
		// nearly full disk serves without (some of) them.
		n, err := feedbackjobs.SeedDemo(ctx, db, fb.cfg, feedbackjobs.Photos{Pipeline: fb.pipeline, Dir: fb.photos}, time.Now())
		if err != nil {
			log.Warn("seeding the demo's sample feedback reports failed; serving without them", "made", n, "err", err)
		} else if n > 0 {
			log.Info("seeded the demo's sample feedback reports", "reports", n)
		}
	}

	dossiers, err := loadDossiers(ctx, db, o)
	if err != nil {
		return err
	}
	if dossiers != nil && o.demo {
		// Like the feedback samples: a showcase, not the server's work.
		n, err := dossierjobs.SeedDemo(ctx, db, dossiers, time.Now())
		if err != nil {
			log.Warn("seeding the demo's sample dossiers failed; serving without (some of) them", "made", n, "err", err)
		} else if n > 0 {
			log.Info("seeded the demo's sample dossiers", "dossiers", n)
		}
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another server running?)", o.addr, err)
	}
	defer ln.Close()
	public := o.publicURL
	if public == "" {
		public = ownURL(ln.Addr())
		log.Warn("no -public-url: tracking links and the QR codes on tickets name this server as "+public+
			"; set -public-url to the address citizens' phones reach (links are never made from a request's Host header)", "links", public)
	}
	maxWS := o.maxWSPerAddr
	if maxWS == 0 {
		maxWS = -1 // the flag's 0 is "no cap"; the API's 0 is its default
	}
	var origins []string
	for _, s := range strings.Split(o.origins, ",") {
		if s = strings.TrimSpace(s); s != "" {
			origins = append(origins, s)
		}
	}
	trusted, err := api.ParseTrustedProxies(o.trustedProxies)
	if err != nil {
		return fmt.Errorf("-trusted-proxies: %w", err)
	}
	notes, err := setupNotifications(o, ncfg, db, eng, public, log)
	if err != nil {
		return err
	}
	plan, err := loadPlanning(ctx, db, o, fb, log)
	if err != nil {
		return err
	}
	acfg := api.Config{
		Engine: eng, Store: db, Hub: h, PublicURL: public, AllowedOrigins: origins,
		Now: time.Now, Log: log, Tarpit: o.tarpit, MetricsToken: mtoken,
		MaxStreamsPerAddr: maxWS, TrustedProxies: trusted,
		Notify: db, PushKey: notes.pushKey(), SMS: notes.sms(), PhoneVerifier: notes.phoneVerifier(db),
		Registry: notes.registry(),
	}
	if fb != nil {
		acfg.Feedback, acfg.PhotoPipeline, acfg.PhotoDir = fb.cfg, fb.pipeline, fb.photos
		acfg.FeedbackMap = api.FeedbackMap(fb.file.Map)
	}
	acfg.Dossiers = dossiers
	acfg.Planning = plan
	handler, err := api.New(acfg)
	if err != nil {
		return err
	}
	limits := api.DefaultCitizenLimits()
	limits.RemotePerOfficeBurst, limits.RemotePerOfficeEvery = o.remoteBurst, o.remoteEvery
	handler.SetCitizenLimits(limits)
	wcfg := web.Config{Engine: eng, DB: db, Hub: h, PublicURL: public, AllowedOrigins: origins, Now: time.Now, Log: log, MinAdminPIN: o.adminPINMin}
	if fb != nil {
		wcfg.Feedback, wcfg.FeedbackTileURL = fb.cfg, fb.file.Map.TileURL
	}
	wcfg.Dossiers = dossiers
	wcfg.Planning = plan
	wcfg.Notify, wcfg.SMS = db, notes.sms()
	pages, err := web.New(wcfg)
	if err != nil {
		return err
	}
	var o311 http.Handler // Open311 GeoReport v2 on the feedback reports
	if fb != nil {
		if o311, err = newOpen311(ctx, db, fb, handler, public, log); err != nil {
			return err
		}
	}
	var root http.Handler = route(handler, pages, o311)
	if node != nil {
		root = node.Forward(root)
	}
	srv := &http.Server{
		Handler:           root,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "data", o.data, "database", db.Backend(), "offices", eng.OfficeIDs())

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// Day rollover at local midnight even when nobody acts.
		t := time.NewTicker(20 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				eng.Tick(ctx)
			}
		}
	}()
	if o.pprofAddr != "" {
		if err := servePprof(o.pprofAddr, log); err != nil {
			return err
		}
	}
	go func() {
		// Another server process on the same database may import a plan:
		// serve it here too within half a minute.
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if ok, err := plan.Refresh(ctx, db); err != nil {
					log.Warn("reloading the planning look-up failed; serving the plan loaded before", "err", err)
				} else if ok {
					log.Info("reloaded the planning look-up: another process imported")
				}
			}
		}
	}()
	go func() {
		// Housekeeping at start and then daily.
		t := time.NewTicker(24 * time.Hour)
		defer t.Stop()
		for {
			maintain(ctx, db, time.Now(), log)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	notes.run(ctx, db, eng)
	if fb != nil {
		go func() {
			// Feedback reports' housekeeping at start and then hourly.
			t := time.NewTicker(time.Hour)
			defer t.Stop()
			for {
				maintainFeedback(ctx, db, fb, time.Now(), log)
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	if node != nil {
		go node.Run(ctx)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	h.Close() // ends websocket streams; clients resume elsewhere or later
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	notes.wait(sctx) // the sender's round in progress, before the store closes
	return nil
}

// eventRetention is how long events are kept for clients that resume
// with since (a board that was off for a few days); older ones resume
// from a snapshot.
const eventRetention = 7 * 24 * time.Hour

// maintain is the daily housekeeping: personal data (names, phones) past
// each office's retention period is erased, expired staff sessions are
// deleted, and events and the kept answers of keyed counter actions older
// than eventRetention are pruned. A failure is logged and retried the next
// day.
func maintain(ctx context.Context, db *store.DB, now time.Time, log *slog.Logger) {
	if n, err := db.ErasePersonalData(ctx, now); err != nil {
		log.Error("erasing old personal data failed; will retry tomorrow", "err", err)
	} else if n > 0 {
		log.Info("erased old personal data", "rows", n)
	}
	if n, err := db.DeleteExpiredSessions(ctx, now); err != nil {
		log.Error("deleting expired sessions failed; will retry tomorrow", "err", err)
	} else if n > 0 {
		log.Info("deleted expired sessions", "sessions", n)
	}
	if n, err := db.PruneEventsBefore(ctx, now.Add(-eventRetention)); err != nil {
		log.Error("pruning old events failed; will retry tomorrow", "err", err)
	} else if n > 0 {
		log.Info("pruned old events", "events", n, "kept", eventRetention.String())
	}
	if n, err := db.PruneRepliesBefore(ctx, now.Add(-eventRetention)); err != nil {
		log.Error("pruning old answers of counter actions failed; will retry tomorrow", "err", err)
	} else if n > 0 {
		log.Info("pruned old answers of counter actions", "answers", n, "kept", eventRetention.String())
	}
	// A done print job (a reprint holds the ticket's tracking link) is
	// kept as long as the events that announced it.
	if n, err := db.PrunePrintJobsBefore(ctx, now.Add(-eventRetention)); err != nil {
		log.Error("pruning old print jobs failed; will retry tomorrow", "err", err)
	} else if n > 0 {
		log.Info("pruned old print jobs", "jobs", n, "kept", eventRetention.String())
	}
}

// feedbackSetup is what serves the feedback reports: the configuration
// (of one office), its file (the map) and the photos.
type feedbackSetup struct {
	cfg      *feedback.Config
	file     *feedbackfile.File
	pipeline *photo.Pipeline
	photos   *photo.Dir
}

// loadFeedback reads the feedback file of -feedback (the demo's with
// -demo and no -feedback) for the office that runs the reports, on that
// office's calendar, and opens the photo folder. It returns nil when the
// server serves no feedback reports.
func loadFeedback(ctx context.Context, db *store.DB, o *options) (*feedbackSetup, error) {
	var data []byte
	var load func(string) ([]byte, error)
	switch {
	case o.feedbackFile != "":
		b, err := os.ReadFile(o.feedbackFile)
		if err != nil {
			return nil, fmt.Errorf("read the feedback file: %w", err)
		}
		data = b
		dir := filepath.Dir(o.feedbackFile)
		load = func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	case o.demo:
		data = assets.DemoFeedback
		load = func(name string) ([]byte, error) {
			if name != "wards.geojson" {
				return nil, fmt.Errorf("the demo's feedback file names %q: only wards.geojson is embedded", name)
			}
			return assets.DemoWards, nil
		}
	default:
		return nil, nil
	}
	f, err := feedbackfile.Parse(data, load)
	if err != nil {
		return nil, fmt.Errorf("feedback file: %w", err)
	}
	off, err := pickOffice(ctx, db, o.feedbackOffice, o.demo, "-feedback-office", "runs the feedback reports")
	if err != nil {
		return nil, err
	}
	cfg := f.Config
	cfg.Office = off.ID
	cfg.Calendar = feedback.OfficeCalendar(&off)
	if o.feedbackEraseAfter > 0 {
		cfg.EraseAfter = o.feedbackEraseAfter
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("feedback file: %w", err)
	}
	photos, err := photo.NewDir(filepath.Join(o.data, "photos"))
	if err != nil {
		return nil, err
	}
	return &feedbackSetup{cfg: &cfg, file: f, pipeline: photo.NewPipeline(photo.DefaultLimits, 0, 0), photos: photos}, nil
}

// pickOffice is the office a part of the server works for: the one its
// flag names, the demo's with -demo, or the data folder's only office.
// what says what the office does there, for the error that asks to choose.
func pickOffice(ctx context.Context, db *store.DB, named string, demo bool, flag, what string) (queue.Office, error) {
	if named == "" && demo {
		named = "demo"
	}
	if named == "" {
		ids, err := db.OfficeIDs(ctx)
		if err != nil {
			return queue.Office{}, err
		}
		if len(ids) != 1 {
			return queue.Office{}, fmt.Errorf("the data folder holds %d offices (%s): choose the one that %s with %s", len(ids), strings.Join(ids, ", "), what, flag)
		}
		named = ids[0]
	}
	off, err := db.Office(ctx, named)
	if err != nil {
		return queue.Office{}, fmt.Errorf("%s: %w", flag, err)
	}
	return off, nil
}

// loadDossiers reads the dossier file of -dossiers (the demo's with -demo
// and no -dossiers) for the office that follows the dossiers, on that
// office's calendar. It returns nil when the server follows no dossiers.
func loadDossiers(ctx context.Context, db *store.DB, o *options) (*dossier.Config, error) {
	var data []byte
	switch {
	case o.dossiersFile != "":
		b, err := os.ReadFile(o.dossiersFile)
		if err != nil {
			return nil, fmt.Errorf("read the dossier file: %w", err)
		}
		data = b
	case o.demo:
		data = assets.DemoDossiers
	default:
		return nil, nil
	}
	f, err := dossierfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("dossier file: %w", err)
	}
	off, err := pickOffice(ctx, db, o.dossiersOffice, o.demo, "-dossiers-office", "follows the dossiers")
	if err != nil {
		return nil, err
	}
	cfg, err := f.For(&off)
	if err != nil {
		return nil, err
	}
	if cfg.PickupService != "" && off.Service(cfg.PickupService) == nil {
		return nil, fmt.Errorf("dossier file: the pickup service %q is not a service of office %s: add it to the office (the results service, such as tra-ket-qua) or name one it has", cfg.PickupService, off.ID)
	}
	return cfg, nil
}

// photoGrace is how long an uploaded photo may wait for the report (or
// answer) that uses it before it is swept away.
const photoGrace = 24 * time.Hour

// maintainFeedback is the hourly housekeeping of the feedback reports:
// the reporters' personal data whose time has come are erased (each a
// "report.erase" event), and photos no report uses are removed a day
// after their upload. A failure is logged and retried the next hour.
func maintainFeedback(ctx context.Context, db *store.DB, fb *feedbackSetup, now time.Time, log *slog.Logger) {
	n, err := feedbackjobs.Erase(ctx, db, fb.cfg, now)
	if err != nil {
		log.Error("erasing reporters' personal data failed; will retry in an hour", "err", err)
	}
	if n > 0 {
		log.Info("erased the reporters' personal data of closed feedback reports", "reports", n)
	}
	swept, err := fb.photos.Sweep(func(hash string) bool {
		_, known, err := db.PhotoPublic(ctx, hash)
		return known || err != nil // when in doubt, keep it
	}, now.Add(-photoGrace))
	if err != nil {
		log.Error("sweeping unused photos failed; will retry in an hour", "err", err)
	}
	if swept > 0 {
		log.Info("removed photos no report uses", "photos", swept)
	}
}

// route sends the API's paths to the API and everything else to the web
// pages.
func route(apiHandler, pages, open311 http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	if open311 != nil {
		mux.Handle("/open311/", open311)
	}
	mux.Handle("/healthz", apiHandler)
	mux.Handle("/metrics", apiHandler)
	mux.Handle("/", pages)
	return mux
}

// newOpen311 is the Open311 endpoint on the feedback reports, beside the
// API: the same store, photos and client addresses, and it wakes the
// API's report streams. Its discovery document names the office and how
// to get a key.
func newOpen311(ctx context.Context, db *store.DB, fb *feedbackSetup, a *api.Server, public string, log *slog.Logger) (http.Handler, error) {
	off, err := db.Office(ctx, fb.cfg.Office)
	if err != nil {
		return nil, fmt.Errorf("open311: office %s: %w", fb.cfg.Office, err)
	}
	h, err := open311.New(open311.Config{
		Store: db, Feedback: fb.cfg, PhotoPipeline: fb.pipeline, PhotoDir: fb.photos, PublicURL: public,
		Contact:    off.Name,
		KeyService: "Quản trị viên của cơ quan cấp api_key (POST /api/v1/admin/open311-clients) / The office's administrator issues API keys",
		Now:        time.Now, Log: log, Published: a.ReportEvent, ClientAddr: a.ClientAddr,
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// importOffice loads an office file: a new office is created, an existing
// one is reconfigured through the engine (so that displays see
// config.changed). With onlyNew, an existing office is left alone (the demo
// seeds once and keeps what an admin changed).
func importOffice(ctx context.Context, db *store.DB, eng *engine.Engine, data []byte, onlyNew bool, minAdminPIN int) error {
	f, err := officefile.Parse(data)
	if err != nil {
		return err
	}
	if err := f.CheckPINs(minAdminPIN); err != nil {
		return err // before the office is created or changed
	}
	_, err = db.Office(ctx, f.Office.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if err := db.CreateOffice(ctx, f.Office, time.Now()); err != nil {
			return err
		}
		if err := eng.Load(ctx); err != nil {
			return err
		}
	case err != nil:
		return err
	case onlyNew:
		return nil
	default:
		if _, err := eng.Do(ctx, f.Office.ID, func(s *queue.State, now time.Time) (*queue.Change, error) {
			return s.Reconfigure(now, f.Office, "import")
		}); err != nil {
			return err
		}
	}
	return officefile.ApplyAccounts(ctx, db, f, auth.HashPIN, minAdminPIN)
}

func exportOffice(ctx context.Context, db *store.DB, office, path string) error {
	if office == "" {
		ids, err := db.OfficeIDs(ctx)
		if err != nil {
			return err
		}
		if len(ids) != 1 {
			return fmt.Errorf("the data folder holds %d offices (%s): choose one with -office", len(ids), strings.Join(ids, ", "))
		}
		office = ids[0]
	}
	f, err := officefile.Export(ctx, db, office)
	if err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := officefile.Encode(out, f); err != nil {
		out.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return out.Close()
}

// The store is what the engine, the API and the pages need: checked
// here, where they are wired together (each knows the store only by the
// interface it declares).
var (
	_ engine.BatchStore = (*store.DB)(nil)
	_ api.Store         = (*store.DB)(nil)
	_ web.Store         = (*store.DB)(nil)
	_ notify.Store      = (*store.DB)(nil)
	_ engine.WatchStore = (*store.DB)(nil)
	_ province.Store    = (*store.DB)(nil)
)

// demoPlanCentre is where the demo's invented plan lies without the demo's
// feedback map: the demo office.
var demoPlanCentre = geo.Point{Lat: 16.4637, Lon: 107.5909}

// loadPlanning builds the planning look-up from the last imports; with
// -demo and nothing imported yet, it first stores the demo's invented
// plan (marked as sample data) around the demo's map centre. Its map
// draws the feedback map's tiles when there are any.
func loadPlanning(ctx context.Context, db *store.DB, o *options, fb *feedbackSetup, log *slog.Logger) (*api.Planning, error) {
	d, err := db.LoadPlanning(ctx)
	if err != nil {
		return nil, err
	}
	var m api.FeedbackMap
	if fb != nil {
		m = api.FeedbackMap(fb.file.Map)
	}
	if o.demo && len(d.Zones) == 0 && len(d.Parcels) == 0 {
		centre := demoPlanCentre
		if m.Center.Valid() && m.Center != (geo.Point{}) {
			centre = m.Center
		}
		d = planningdemo.Data(centre, planning.Info{At: time.Now().UTC()})
		if err := db.ReplaceZones(ctx, d.Zones, d.ZonesInfo); err != nil {
			return nil, fmt.Errorf("seed the demo's sample plan: %w", err)
		}
		if err := db.ReplaceParcels(ctx, d.Parcels, d.ParcelInfo); err != nil {
			return nil, fmt.Errorf("seed the demo's sample parcels: %w", err)
		}
		log.Info("seeded the demo's sample plan", "zones", len(d.Zones), "parcels", len(d.Parcels))
	}
	p, err := api.NewPlanning(db, d)
	if err != nil {
		return nil, fmt.Errorf("planning look-up: the stored plan cannot be built: %w; import the zones and parcels again", err)
	}
	p.Map = m
	return p, nil
}
