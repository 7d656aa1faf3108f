package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/queue"
	"luot/server/ratelimit"
)

// The dossiers' API (docs/dossier.md, "JSON API"):
//
//	GET  /api/v1/offices/{office}/dossier-catalogue   anyone: fields, departments, procedures with their papers
//	GET  /api/v1/offices/{office}/dossiers/ready      anyone: the boards' list of results ready for pickup
//	POST /api/v1/offices/{office}/dossier-pickups     kiosk: {code, k} → 201 {dossier, ticket} when ready, else 200 {dossier}
//	POST /api/v1/dossiers/{code}/lookup               the applicant: {k} or {phone4} → {dossier, history, can_rate}; rate-limited
//	POST /api/v1/dossiers/{code}/rating               the applicant: {k or phone4, score, comment} → {rating}; once
//	POST /api/v1/counters/{id}/dossiers               the clerk at that counter, serving a ticket: receive (or refuse) → 201 {dossier, link, print}
//	GET  /api/v1/dossiers                             handlers (their department's), clerks, managers: late first, then by due date
//	GET  /api/v1/dossiers/{code}                      the same: the staff dossier with its history
//	GET  /api/v1/tickets/{id}/dossier                 clerks: the dossier received from, or picked up by, a ticket
//	POST /api/v1/dossiers/{code}/actions/{action}     by action (docs/dossier.md, "Transitions") → {dossier}
//	POST /api/v1/dossiers/{code}/print                clerks, managers: {counter, kind} → 201 {job}
//
// The routes exist when Config.Dossiers is set and the Store keeps
// dossiers (dossier.Store). Dossiers belong to the office
// Config.Dossiers.Office. Every change is in the dossier's history and in
// the audit log; a change that makes a result ready for pickup, or ends
// that, records the new list on the office's stream (dossiers.ready).

// DossierLimits are the rate limits of the applicant's look-ups. Each is
// a token bucket: Burst at once, then one per Every.
type DossierLimits struct {
	// Look-ups by code and phone (and failed look-ups by token) per
	// client address: 10 per 10 minutes when 0.
	PerAddrBurst int
	PerAddrEvery time.Duration
	// Failed look-ups by phone per dossier: 5, then one an hour when 0
	// (the dossier's look-up by phone is locked for an hour; its token
	// still works).
	FailuresBurst int
	FailuresEvery time.Duration
	// Pickups per kiosk: 30 a minute when 0 (a kiosk scans a receipt a
	// few seconds at the fastest; a typed code per second is a script).
	PickupsBurst int
	PickupsEvery time.Duration
}

func (l DossierLimits) withDefaults() DossierLimits {
	if l.PerAddrBurst <= 0 || l.PerAddrEvery <= 0 {
		l.PerAddrBurst, l.PerAddrEvery = 10, time.Minute
	}
	if l.FailuresBurst <= 0 || l.FailuresEvery <= 0 {
		l.FailuresBurst, l.FailuresEvery = 5, time.Hour
	}
	if l.PickupsBurst <= 0 || l.PickupsEvery <= 0 {
		l.PickupsBurst, l.PickupsEvery = 30, 2*time.Second
	}
	return l
}

// dsr is the dossiers' API: the configuration, the store, the rate
// limits, and the lock that keeps the ready lists in order.
type dsr struct {
	s   *Server
	cfg *dossier.Config
	st  dossier.Store
	lim DossierLimits
	// byAddr limits the applicant's look-ups per address; failures the
	// failed look-ups by phone per dossier; pickups the kiosks'.
	byAddr, failures, pickups *ratelimit.Limiter
	// readyMu makes the reading of the ready list and its recording on
	// the stream one step, so that the last list recorded is the latest.
	readyMu sync.Mutex
}

// dossierRoutes registers the dossiers' API when it is configured.
func (s *Server) dossierRoutes() {
	dst, ok := s.cfg.Store.(dossier.Store)
	if s.cfg.Dossiers == nil || !ok {
		return
	}
	lim := s.cfg.DossierLimits.withDefaults()
	x := &dsr{s: s, cfg: s.cfg.Dossiers, st: dst, lim: lim,
		byAddr:   ratelimit.New(lim.PerAddrBurst, lim.PerAddrEvery, 100_000),
		failures: ratelimit.New(lim.FailuresBurst, lim.FailuresEvery, 100_000),
		pickups:  ratelimit.New(lim.PickupsBurst, lim.PickupsEvery, 10_000),
	}
	s.dossiers = x
	const p = "/api/v1"
	m := s.mux
	m.HandleFunc("GET "+p+"/offices/{office}/dossier-catalogue", x.catalogue)
	m.HandleFunc("GET "+p+"/offices/{office}/dossiers/ready", x.readyList)
	m.HandleFunc("POST "+p+"/offices/{office}/dossier-pickups", x.pickup)
	m.HandleFunc("POST "+p+"/dossiers/{code}/lookup", x.lookup)
	m.HandleFunc("POST "+p+"/dossiers/{code}/rating", x.rate)
	m.HandleFunc("POST "+p+"/counters/{id}/dossiers", x.receive)
	m.HandleFunc("GET "+p+"/dossiers", x.list)
	m.HandleFunc("GET "+p+"/dossiers/{code}", x.get)
	m.HandleFunc("GET "+p+"/tickets/{id}/dossier", x.ofTicket)
	m.HandleFunc("POST "+p+"/dossiers/{code}/actions/{action}", x.act)
	m.HandleFunc("POST "+p+"/dossiers/{code}/print", x.print)
}

// Errors of the dossiers' API.
var (
	errNoDossier       = newError(http.StatusNotFound, "unknown_dossier", "no dossier has this code: check the code on your receipt")
	errNotDossierStaff = newError(http.StatusForbidden, "forbidden", "only the office's clerks, dossier handlers and administrators may do this")
	errNotYourDept     = newError(http.StatusForbidden, "not_your_department", "this dossier is in another department's charge: only its handlers and the administrators may see it")
	errNotApplicant    = newError(http.StatusForbidden, "not_applicant", "the link or the phone number's last 4 digits do not match this dossier: check the receipt")
)

// office checks the request's {office}: the one whose dossiers this
// server keeps.
func (x *dsr) office(r *http.Request) error {
	if o := r.PathValue("office"); o != x.cfg.Office {
		return newError(http.StatusNotFound, "unknown_office", "office {office} does not exist", "office", truncate(o, 40))
	}
	return nil
}

// normCode is a code as typed or read: upper case, without spaces.
func normCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ours reports whether code is well formed and carries this office's
// prefix.
func (x *dsr) ours(code string) bool {
	prefix, _, _, err := dossier.ParseCode(code)
	return err == nil && prefix == x.cfg.Prefix
}

// load returns the dossier with that code (normalised) if it is this
// office's; any other is errNoDossier, so that a code of another office
// tells nothing.
func (x *dsr) load(ctx context.Context, code string) (dossier.Dossier, error) {
	code = normCode(code)
	if len(code) > 32 || !x.ours(code) {
		return dossier.Dossier{}, errNoDossier
	}
	d, err := x.st.Dossier(ctx, code)
	if errors.Is(err, queue.ErrNotFound) || err == nil && d.Office != x.cfg.Office {
		return dossier.Dossier{}, errNoDossier
	}
	return d, err
}

// isApplicant reports whether k is the dossier's token, compared in
// constant time.
func isApplicant(d dossier.Dossier, k string) bool {
	if k == "" || len(k) > 128 || len(d.TokenHash) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(auth.Hash(k), d.TokenHash) == 1
}

// phoneEnds reports whether the applicant's phone ends with the 4 digits
// phone4, compared in constant time.
func phoneEnds(d dossier.Dossier, phone4 string) bool {
	var digits []byte
	for i := 0; i < len(d.Applicant.Phone); i++ {
		if c := d.Applicant.Phone[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	if len(digits) < 4 || len(phone4) != 4 {
		return false
	}
	return subtle.ConstantTimeCompare(digits[len(digits)-4:], []byte(phone4)) == 1
}

// link is the applicant's link to the dossier: absolute with the
// server's public URL, else a path (a scanner reads it all the same).
// Without a token it is the page that asks for the phone's last 4
// digits.
func (x *dsr) link(code, token string) string {
	l := x.s.public + "/hs/" + url.PathEscape(code)
	if token != "" {
		l += "?k=" + url.QueryEscape(token)
	}
	return l
}

// dossierMember is a staff member acting on dossiers.
type dossierMember struct {
	session *auth.Session
	actor   dossier.Actor
}

func (m dossierMember) manager() bool { return m.actor.Role == dossier.RoleManager }

// mayRead reports whether the member may see the dossier: managers and
// clerks every one (clerks hand the results over), a handler those of
// their department.
func (m dossierMember) mayRead(d dossier.Dossier) bool {
	return m.actor.Role != dossier.RoleHandler || m.actor.Unit != "" && d.Department == m.actor.Unit
}

// member authenticates a clerk, handler or manager of the office. The
// role is the widest the session's permissions give: manager
// (auth.ManageDossiers), handler (auth.HandleDossiers, of their unit read
// from the staff record at each request, so that a change counts at
// once), clerk (auth.ServeCounter).
func (x *dsr) member(r *http.Request) (dossierMember, error) {
	se, err := x.s.staff(r)
	if err != nil {
		return dossierMember{}, err
	}
	var role dossier.Role
	switch {
	case se.Can(auth.ManageDossiers):
		role = dossier.RoleManager
	case se.Can(auth.HandleDossiers):
		role = dossier.RoleHandler
	case se.Can(auth.ServeCounter):
		role = dossier.RoleClerk
	default:
		return dossierMember{}, errNotDossierStaff
	}
	if se.Office != x.cfg.Office {
		return dossierMember{}, newError(http.StatusForbidden, "wrong_office", "you are logged in at office {office}, not {other}", "office", se.Office, "other", x.cfg.Office)
	}
	st, _, _, err := x.s.st.StaffAuth(r.Context(), se.Office, se.Staff)
	if errors.Is(err, auth.ErrUnknownStaff) {
		return dossierMember{}, errBadSession
	}
	if err != nil {
		return dossierMember{}, err
	}
	if st.Disabled {
		return dossierMember{}, newError(http.StatusForbidden, "staff_disabled", "this staff account is disabled: ask an administrator")
	}
	a := dossier.Actor{Role: role, ID: st.ID, Name: st.Name, Unit: st.Unit}
	if role == dossier.RoleHandler && a.Unit == "" {
		return dossierMember{}, newError(http.StatusForbidden, "no_unit", "your staff account belongs to no unit: ask an administrator to set your department or ward")
	}
	return dossierMember{session: se, actor: a}, nil
}

// loc is the office's time zone.
func (x *dsr) loc() *time.Location { return x.cfg.Calendar.Zone() }

// changed follows a dossier's change: when its result became ready for
// pickup, or stopped being so, the office's stream gets the new list.
// Other lanes' writes (the integration, the import) call it too.
func (x *dsr) changed(ctx context.Context, before dossier.Status, after dossier.Dossier) {
	ready := dossier.StatusCompleted
	if (before == ready) == (after.Status == ready) {
		return
	}
	x.publishReady(ctx)
}

// publishReady records the list of ready dossiers on the office's queue
// stream (queue.EventDossiersReady). A failure is logged: the change
// itself is stored, and the boards read the list again at their next
// start or change.
func (x *dsr) publishReady(ctx context.Context) {
	if x.cfg.Board.Off {
		return
	}
	x.readyMu.Lock()
	defer x.readyMu.Unlock()
	list, err := x.ready(ctx)
	if err == nil {
		data := queue.DossiersReadyData{Dossiers: list}
		_, err = x.s.eng.Do(context.WithoutCancel(ctx), x.cfg.Office, func(st *queue.State, now time.Time) (*queue.Change, error) {
			return st.Note(now, queue.EventDossiersReady, data), nil
		})
	}
	if err != nil {
		x.s.log.Warn("recording the list of ready dossiers failed", "office", x.cfg.Office, "err", err)
	}
}

// ready is the boards' list: the newest completed dossiers, as many as
// the board shows, with the names it shows.
func (x *dsr) ready(ctx context.Context) ([]queue.ReadyDossier, error) {
	ds, err := x.st.Dossiers(ctx, dossier.Filter{Office: x.cfg.Office, Statuses: []dossier.Status{dossier.StatusCompleted}, Order: "completed", Limit: x.boardMax()})
	if err != nil {
		return nil, err
	}
	list := dossier.ReadyList(x.cfg, ds)
	if list == nil {
		list = []queue.ReadyDossier{}
	}
	return list, nil
}

func (x *dsr) boardMax() int {
	if x.cfg.Board.Max > 0 {
		return x.cfg.Board.Max
	}
	return 20
}

// ReadyDossiersJSON answers GET /offices/{office}/dossiers/ready
// (client.ReadyDossiers).
type ReadyDossiersJSON struct {
	Off      bool                 `json:"off,omitempty"`
	Dossiers []queue.ReadyDossier `json:"dossiers"`
}

func (x *dsr) readyList(w http.ResponseWriter, r *http.Request) {
	if err := x.office(r); err != nil {
		x.s.fail(w, r, err)
		return
	}
	if x.cfg.Board.Off {
		writeJSON(w, http.StatusOK, ReadyDossiersJSON{Off: true, Dossiers: []queue.ReadyDossier{}})
		return
	}
	list, err := x.ready(r.Context())
	if err != nil {
		x.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ReadyDossiersJSON{Dossiers: list})
}

// update carries out decide on the dossier with that code in the store's
// transaction, then follows the change (changed). before is the status
// the transaction read.
func (x *dsr) update(ctx context.Context, code string, decide func(dossier.Dossier) (dossier.Event, error)) (dossier.Dossier, dossier.Event, error) {
	var before dossier.Status
	after, ev, err := x.st.UpdateDossier(ctx, code, func(cur dossier.Dossier) (dossier.Event, error) {
		before = cur.Status
		return decide(cur)
	})
	if errors.Is(err, queue.ErrNotFound) {
		return dossier.Dossier{}, dossier.Event{}, errNoDossier
	}
	if err != nil {
		return dossier.Dossier{}, dossier.Event{}, err
	}
	x.changed(ctx, before, after)
	return after, ev, nil
}
