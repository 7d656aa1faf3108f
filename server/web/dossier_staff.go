package web

import (
	"cmp"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/queue"
)

// The staff's dossier pages (docs/dossier.md, "Pages"):
//
//	GET /staff/dossiers                 the work list: a handler's department's dossiers (every
//	                                    department's for managers and clerks), late first, then by due date
//	GET /staff/dossiers/{code}          a dossier: the applicant, papers, dates, the history, and the
//	                                    actions its status allows the member
//	GET /staff/dossiers/{code}/receipt  the receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a
//	                                    printable A5 page; ?k= the applicant's token makes its QR the
//	                                    applicant's link, which the console knows only right after the
//	                                    receipt (the server keeps the token's hash)
//
// The list and the dossier are drawn by the server from the store; their
// actions go to the JSON API (POST /api/v1/dossiers/{code}/actions/…,
// dossier.js) with the session cookie and the CSRF token, as the console's
// do, so that the API decides and records every change. The console's
// "Tiếp nhận hồ sơ" is clerk.html's and dossier_clerk.js's; its catalogue
// is made here (consoleCatalogue).

// dossierRoutes adds the dossier pages' routes.
func (s *Server) dossierRoutes() {
	m := s.mux
	m.HandleFunc("GET /staff/dossiers", s.dossierListPage)
	m.HandleFunc("GET /staff/dossiers/{code}", s.dossierPage)
	m.HandleFunc("GET /staff/dossiers/{code}/receipt", s.dossierReceiptPage)
}

// dossierRole is the role a session acts in on dossiers: manager
// (administrators: every dossier), handler (their department's), clerk
// (at a counter: receives and hands over), or "" (no dossier pages).
func dossierRole(se *auth.Session) dossier.Role {
	switch {
	case se.Can(auth.ManageDossiers):
		return dossier.RoleManager
	case se.Can(auth.HandleDossiers):
		return dossier.RoleHandler
	case se.Can(auth.ServeCounter):
		return dossier.RoleClerk
	}
	return ""
}

// dossiers returns the office's dossier configuration and the store that
// keeps its dossiers; ok is false when the server keeps none for that
// office.
func (s *Server) dossiers(office string) (*dossier.Config, dossier.Store, bool) {
	c := s.cfg.Dossiers
	st, isStore := s.cfg.DB.(dossier.Store)
	if c == nil || !isStore || c.Office != office {
		return nil, nil, false
	}
	return c, st, true
}

// dossierAuth checks the session of a dossier page: without one, the
// staff login; without a role on dossiers, 403; an office without
// dossiers, 404.
func (s *Server) dossierAuth(w http.ResponseWriter, r *http.Request) (*auth.Session, string, *dossier.Config, dossier.Store, bool) {
	se, tok, ok := s.authAny(w, r, "/staff/login")
	if !ok {
		return nil, "", nil, nil, false
	}
	tr := translator(lang(r))
	if dossierRole(se) == "" {
		s.fail(w, r, http.StatusForbidden, tr("dz.err.role"))
		return nil, "", nil, nil, false
	}
	c, st, ok := s.dossiers(se.Office)
	if !ok {
		s.fail(w, r, http.StatusNotFound, tr("dz.err.off"))
		return nil, "", nil, nil, false
	}
	return se, tok, c, st, true
}

// maysee reports whether a session may see a dossier: managers and
// clerks every dossier of their office, handlers their department's.
func maysee(se *auth.Session, d dossier.Dossier) bool {
	if d.Office != se.Office {
		return false
	}
	if dossierRole(se) == dossier.RoleHandler {
		return d.Department != "" && d.Department == se.Unit
	}
	return true
}

// dossierNames names the catalogue's things in a page's language.
type dossierNames struct {
	c    *dossier.Config
	lang string
	loc  *time.Location
	tr   func(string) string
}

func (n dossierNames) pick(vi, en string) string {
	if n.lang == "en" && en != "" {
		return en
	}
	return vi
}

func (n dossierNames) procedure(code string) string {
	if p, ok := n.c.Procedure(code); ok {
		return n.pick(p.Name, p.NameEN)
	}
	return code
}

func (n dossierNames) department(id string) string {
	if id == "" {
		return ""
	}
	if d, ok := n.c.Department(id); ok {
		return n.pick(d.Name, d.NameEN)
	}
	return id
}

func (n dossierNames) field(id string) string {
	if f, ok := n.c.Field(id); ok {
		return n.pick(f.Name, f.NameEN)
	}
	return id
}

func (n dossierNames) status(st dossier.Status) string { return n.tr("dz.st." + string(st)) }

// when writes a time of the office: "14:05 03/12/2026"; "" for none.
func (n dossierNames) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(n.loc).Format("15:04 02/01/2006")
}

// due writes a due date: due dates fall at the end of a working day
// (24:00, or 23:59 for some sources), written as that day
// ("03/12/2026"); another time is written with it.
func (n dossierNames) due(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(n.loc)
	switch {
	case l.Hour() == 0 && l.Minute() == 0:
		return l.Add(-time.Minute).Format("02/01/2006")
	case l.Hour() == 23 && l.Minute() == 59:
		return l.Format("02/01/2006")
	}
	return l.Format("15:04 02/01/2006")
}

// dueDay is a due date's day for a date input ("2026-12-03").
func (n dossierNames) dueDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(n.loc)
	if l.Hour() == 0 && l.Minute() == 0 {
		l = l.Add(-time.Minute)
	}
	return l.Format("2006-01-02")
}

func (s *Server) dossierNames(r *http.Request, c *dossier.Config, office string) dossierNames {
	l := lang(r)
	n := dossierNames{c: c, lang: l, loc: time.UTC, tr: translator(l)}
	if v, err := s.cfg.Engine.View(office); err == nil {
		n.loc = v.Office.Location()
	}
	return n
}

// dossierRow is one line of the work list.
type dossierRow struct {
	Code, Procedure, Applicant, Status, StatusID, Department, Received, Due string
	Late                                                                    bool
}

// dossierListData fills the work list.
type dossierListData struct {
	Role dossier.Role
	// Department is a handler's department (named); the filter's choice
	// for the others.
	Department, DepartmentName string
	Departments                []dossier.Department
	// Status is the filter's ("open", "all" or a status), Late "1" for
	// late ones only, Q the search.
	Status, Late, Q string
	Statuses        []dossier.Status
	Rows            []dossierRow
	LateCount       int
	// Capped is true when the list shows its first dossierListMax only.
	Capped bool
}

// dossierListMax is how many dossiers the list shows.
const dossierListMax = 500

// openStatuses are the statuses of dossiers still to be worked on.
var openStatuses = []dossier.Status{dossier.StatusSubmitted, dossier.StatusReceived, dossier.StatusProcessing,
	dossier.StatusNeedsSupplement, dossier.StatusAwaitingPayment, dossier.StatusSuspended, dossier.StatusCompleted}

func (s *Server) dossierListPage(w http.ResponseWriter, r *http.Request) {
	se, tok, c, st, ok := s.dossierAuth(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	n := s.dossierNames(r, c, se.Office)
	d := dossierListData{Role: dossierRole(se), Status: q.Get("status"), Late: q.Get("late"), Q: strings.TrimSpace(q.Get("q")),
		Statuses: dossier.Statuses, Departments: c.Departments}
	f := dossier.Filter{Office: se.Office, Order: "due", Limit: dossierListMax + 1}
	switch {
	case d.Status == "" || d.Status == "open":
		d.Status, f.Statuses = "open", openStatuses
	case d.Status == "all":
	case slices.Contains(dossier.Statuses, dossier.Status(d.Status)):
		f.Statuses = []dossier.Status{dossier.Status(d.Status)}
	default:
		s.fail(w, r, http.StatusBadRequest, n.tr("dz.err.status"))
		return
	}
	if d.Role == dossier.RoleHandler {
		d.Department = se.Unit
		f.Departments = []string{se.Unit}
	} else if dep := q.Get("department"); dep != "" {
		if _, known := c.Department(dep); !known {
			s.fail(w, r, http.StatusBadRequest, n.tr("dz.err.department"))
			return
		}
		d.Department = dep
		f.Departments = []string{dep}
	}
	d.DepartmentName = n.department(d.Department)
	if len(d.Q) > 100 {
		d.Q = string([]rune(d.Q)[:100])
	}
	if code := strings.ToUpper(d.Q); d.Q != "" && validDossierCode(code) {
		f.Codes = []string{code}
	}
	list, err := st.Dossiers(r.Context(), f)
	if err != nil {
		s.log.Error("list dossiers", "office", se.Office, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, n.tr("dz.err.storage"))
		return
	}
	now := s.now()
	if len(list) > dossierListMax {
		list, d.Capped = list[:dossierListMax], true
	}
	// Late first, then the nearer due date (none last), then the code.
	slices.SortStableFunc(list, func(a, b dossier.Dossier) int {
		la, lb := a.Late(now), b.Late(now)
		if la != lb {
			if la {
				return -1
			}
			return 1
		}
		if a.DueAt.IsZero() != b.DueAt.IsZero() {
			if a.DueAt.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.DueAt.Compare(b.DueAt), strings.Compare(a.Code, b.Code))
	})
	needle := strings.ToLower(d.Q)
	for _, x := range list {
		late := x.Late(now)
		if d.Late == "1" && !late {
			continue
		}
		if needle != "" && len(f.Codes) == 0 && !strings.Contains(strings.ToLower(x.Applicant.Name), needle) && !strings.Contains(strings.ToLower(x.Code), needle) {
			continue
		}
		if late {
			d.LateCount++
		}
		d.Rows = append(d.Rows, dossierRow{Code: x.Code, Procedure: n.procedure(x.Procedure), Applicant: x.Applicant.Name,
			Status: n.status(x.Status), StatusID: string(x.Status), Department: n.department(x.Department),
			Received: n.when(cmp.Or(x.ReceivedAt, x.SubmittedAt)), Due: n.due(x.DueAt), Late: late})
	}
	p := page{Title: "dz.list", CSRF: auth.CSRFToken(tok), Session: se, Styles: []string{"dossier.css"}, Data: d}
	if q.Get("moved") == "1" {
		p.Notice = "dz.moved"
	}
	s.render(w, r, http.StatusOK, "dossier_list", p)
}

// validDossierCode reports whether s is written as a dossier code.
func validDossierCode(s string) bool {
	_, _, _, err := dossier.ParseCode(s)
	return err == nil
}

// dossierEntry is one line of a dossier's history.
type dossierEntry struct {
	At, What, Status, Who, Department, Note, StepDue string
	// Detail is what the step asked or gave: a supplement's papers and
	// date, an apology's new date, a result.
	Detail string
}

// dossierPaper is a line of the papers checklist.
type dossierPaper struct {
	Name               string
	Received, Optional bool
}

// dossierForm is an action the member may take: its fields.
type dossierForm struct {
	Action string
	// Fields: "note", "reason", "what", "by", "result", "department",
	// "new_due".
	Fields []string
	// Required are the fields the action needs.
	Required []string
}

// Has reports whether the form has field f.
func (f dossierForm) Has(field string) bool { return slices.Contains(f.Fields, field) }

// Needs reports whether field f is required.
func (f dossierForm) Needs(field string) bool { return slices.Contains(f.Required, field) }

// dossierPageData fills a dossier's page.
type dossierPageData struct {
	D                                          dossier.Dossier
	Procedure, Field, Department, Status, Days string
	Late                                       bool
	Received, Submitted, Due, OriginalDue      string
	Completed, Returned                        string
	SupplementBy, ApologyNewDue, ApologyAt     string
	Fee                                        string
	Papers                                     []dossierPaper
	History                                    []dossierEntry
	Forms                                      []dossierForm
	// Departments are the other departments a transfer may go to.
	Departments []dossier.Department
	// Today and DueDay bound the date inputs ("2026-12-03").
	Today, DueDay string
	Texts         map[string]string
	// Role is the member's role on dossiers.
	Role dossier.Role
}

// dossierAction is a row of the transitions' table (docs/dossier.md) as
// the staff pages offer it: who may, from which statuses, with which
// fields.
type dossierAction struct {
	act      dossier.Action
	roles    []dossier.Role
	from     []dossier.Status // nil: any status
	fields   []string
	required []string
}

var (
	rClerk   = dossier.RoleClerk
	rHandler = dossier.RoleHandler
	rManager = dossier.RoleManager
	sProc    = dossier.StatusProcessing
)

// dossierActions are the staff's actions in the order the page offers
// them (the applicant's, the kiosk's and the integration's are not
// offered). A manager may do all a handler may.
var dossierActions = []dossierAction{
	{act: dossier.ActReceive, roles: []dossier.Role{rClerk}, from: []dossier.Status{dossier.StatusSubmitted}, fields: []string{"note"}},
	{act: dossier.ActProcess, roles: []dossier.Role{rClerk, rHandler}, from: []dossier.Status{dossier.StatusReceived}, fields: []string{"note"}},
	{act: dossier.ActComplete, roles: []dossier.Role{rHandler}, from: []dossier.Status{sProc}, fields: []string{"result"}, required: []string{"result"}},
	{act: dossier.ActSupplement, roles: []dossier.Role{rHandler}, from: []dossier.Status{sProc}, fields: []string{"what", "by"}, required: []string{"what", "by"}},
	{act: dossier.ActSupplied, roles: []dossier.Role{rClerk, rHandler}, from: []dossier.Status{dossier.StatusNeedsSupplement}, fields: []string{"note"}},
	{act: dossier.ActPayment, roles: []dossier.Role{rHandler}, from: []dossier.Status{sProc}, fields: []string{"note"}},
	{act: dossier.ActPaid, roles: []dossier.Role{rClerk, rHandler}, from: []dossier.Status{dossier.StatusAwaitingPayment}, fields: []string{"note"}},
	{act: dossier.ActTransfer, roles: []dossier.Role{rHandler, rManager}, from: []dossier.Status{sProc}, fields: []string{"department", "note"}, required: []string{"department"}},
	{act: dossier.ActApologize, roles: []dossier.Role{rHandler, rManager}, fields: []string{"note", "new_due"}, required: []string{"note", "new_due"}},
	{act: dossier.ActReturn, roles: []dossier.Role{rClerk, rManager}, from: []dossier.Status{dossier.StatusCompleted}, fields: []string{"note"}},
	{act: dossier.ActSuspend, roles: []dossier.Role{rHandler, rManager}, from: []dossier.Status{sProc, dossier.StatusNeedsSupplement, dossier.StatusAwaitingPayment}, fields: []string{"reason"}, required: []string{"reason"}},
	{act: dossier.ActResume, roles: []dossier.Role{rHandler, rManager}, from: []dossier.Status{dossier.StatusSuspended}, fields: []string{"note"}},
	{act: dossier.ActRefuse, roles: []dossier.Role{rClerk, rManager}, from: []dossier.Status{dossier.StatusSubmitted, dossier.StatusReceived}, fields: []string{"reason"}, required: []string{"reason"}},
	{act: dossier.ActWithdraw, roles: []dossier.Role{rClerk, rManager}, from: []dossier.Status{dossier.StatusSubmitted, dossier.StatusReceived, sProc, dossier.StatusNeedsSupplement, dossier.StatusAwaitingPayment, dossier.StatusSuspended}, fields: []string{"reason"}, required: []string{"reason"}},
	{act: dossier.ActNote, roles: []dossier.Role{rClerk, rHandler, rManager}, fields: []string{"note"}, required: []string{"note"}},
}

// apologyWindow is how near its due date an open dossier may get its
// apology before it is late: within its last working day (the domain
// decides exactly; the page offers the form a little early rather than
// too late).
const apologyWindow = 48 * time.Hour

// formsFor are the actions a member in role may take on d now.
func formsFor(role dossier.Role, d dossier.Dossier, now time.Time) []dossierForm {
	var out []dossierForm
	for _, a := range dossierActions {
		may := slices.Contains(a.roles, role) || (role == rManager && slices.Contains(a.roles, rHandler))
		if !may || (a.from != nil && !slices.Contains(a.from, d.Status)) {
			continue
		}
		if a.act == dossier.ActApologize && (!d.Open() || (!d.Late(now) && d.DueAt.Sub(now) > apologyWindow)) {
			continue
		}
		out = append(out, dossierForm{Action: string(a.act), Fields: a.fields, Required: a.required})
	}
	return out
}

// dossierScriptTexts are the keys of the texts dossier.js shows.
var dossierScriptTexts = []string{"err.network", "err.http", "dz.err.required"}

func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request) {
	se, tok, c, st, ok := s.dossierAuth(w, r)
	if !ok {
		return
	}
	n := s.dossierNames(r, c, se.Office)
	d, ok := s.loadDossier(w, r, se, st, n)
	if !ok {
		return
	}
	hist, err := st.History(r.Context(), d.Code)
	if err != nil {
		s.log.Error("dossier history", "code", d.Code, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, n.tr("dz.err.storage"))
		return
	}
	now := s.now()
	pd := dossierPageData{D: d, Procedure: n.procedure(d.Procedure), Field: n.field(d.Field), Department: n.department(d.Department),
		Status: n.status(d.Status), Late: d.Late(now), Received: n.when(d.ReceivedAt), Submitted: n.when(d.SubmittedAt),
		Due: n.due(d.DueAt), Completed: n.when(d.CompletedAt), Returned: n.when(d.ReturnedAt), Fee: n.money(d.Fee),
		Today: now.In(n.loc).Format("2006-01-02"), DueDay: n.dueDay(d.DueAt), Texts: map[string]string{}, Role: dossierRole(se)}
	if !d.OriginalDue.IsZero() && !d.OriginalDue.Equal(d.DueAt) {
		pd.OriginalDue = n.due(d.OriginalDue)
	}
	if d.Supplement != nil {
		pd.SupplementBy = n.due(d.Supplement.By)
	}
	if d.Apology != nil {
		pd.ApologyNewDue, pd.ApologyAt = n.due(d.Apology.NewDue), n.when(d.Apology.At)
	}
	if p, ok := c.Procedure(d.Procedure); ok {
		pd.Days = daysText(n, p.Days)
		for _, x := range p.Papers {
			pd.Papers = append(pd.Papers, dossierPaper{Name: n.pick(x.Name, x.NameEN), Received: slices.Contains(d.Papers, x.ID), Optional: x.Optional})
		}
	}
	for _, e := range hist {
		pd.History = append(pd.History, historyEntry(n, e))
	}
	if mayAct(se, d) {
		pd.Forms = formsFor(dossierRole(se), d, now)
	}
	for _, dep := range c.Departments {
		if dep.ID != d.Department {
			pd.Departments = append(pd.Departments, dossier.Department{ID: dep.ID, Name: n.pick(dep.Name, dep.NameEN)})
		}
	}
	for _, k := range dossierScriptTexts {
		pd.Texts[k] = n.tr(k)
	}
	s.render(w, r, http.StatusOK, "dossier", page{Title: "dz.dossier", CSRF: auth.CSRFToken(tok), Session: se,
		Scripts: []string{"dossier.js"}, Styles: []string{"dossier.css"}, Data: pd})
}

// mayAct reports whether a member may act on a dossier they see: those
// who see it (a handler only their department's) may take the actions of
// their role.
func mayAct(se *auth.Session, d dossier.Dossier) bool { return maysee(se, d) }

// loadDossier reads the dossier of the page's {code} for se: 404 alike
// for a code not written as one, one that does not exist and one the
// member may not see (a handler of another department learns nothing).
func (s *Server) loadDossier(w http.ResponseWriter, r *http.Request, se *auth.Session, st dossier.Store, n dossierNames) (dossier.Dossier, bool) {
	code := strings.ToUpper(r.PathValue("code"))
	if !validDossierCode(code) {
		s.fail(w, r, http.StatusNotFound, n.tr("dz.err.unknown"))
		return dossier.Dossier{}, false
	}
	d, err := st.Dossier(r.Context(), code)
	switch {
	case errors.Is(err, queue.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, n.tr("dz.err.unknown"))
		return dossier.Dossier{}, false
	case err != nil:
		s.log.Error("read dossier", "code", code, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, n.tr("dz.err.storage"))
		return dossier.Dossier{}, false
	case !maysee(se, d):
		s.fail(w, r, http.StatusNotFound, n.tr("dz.err.unknown"))
		return dossier.Dossier{}, false
	}
	return d, true
}

// historyEntry writes an event of the history in the page's language.
func historyEntry(n dossierNames, e dossier.Event) dossierEntry {
	act := strings.TrimPrefix(e.Type, "dossier.")
	what := n.tr("dz.ev." + act)
	if what == "dz.ev."+act {
		what = act
	}
	h := dossierEntry{At: n.when(e.At), What: what, Status: n.status(e.Status), Who: e.Actor.Name,
		Department: n.department(e.Department), Note: e.Note, StepDue: n.due(e.StepDue)}
	if h.Who == "" {
		h.Who = n.tr("dz.role." + string(e.Actor.Role))
	}
	switch {
	case e.Supplement != nil:
		h.Detail = fmt.Sprintf(n.tr("dz.ev.supplement.detail"), e.Supplement.What, n.due(e.Supplement.By))
	case e.Apology != nil:
		h.Detail = fmt.Sprintf(n.tr("dz.ev.apology.detail"), n.due(e.Apology.NewDue))
		if h.Note == "" {
			h.Note = e.Apology.Text
		}
	case e.Result != "":
		h.Detail = e.Result
	case e.Pickup != nil:
		h.Detail = fmt.Sprintf(n.tr("dz.ev.pickup.detail"), e.Pickup.Number)
	case e.Rating != nil:
		h.Detail = fmt.Sprintf(n.tr("dz.ev.rating.detail"), e.Rating.Score)
	}
	return h
}

// daysText is a processing time: "15 ngày làm việc", "Trong ngày".
func daysText(n dossierNames, days int) string {
	if days == 0 {
		return n.tr("dz.sameday")
	}
	return fmt.Sprintf(n.tr("dz.days"), days)
}

// money writes an amount in đồng in the page's language: "1.500.000 đ",
// "1,500,000 VND"; 0 is free.
func (n dossierNames) money(v int64) string {
	sep, unit := ".", " đ"
	if n.lang == "en" {
		sep, unit = ",", " VND"
	}
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String() + unit
}

// receiptData fills the A5 receipt.
type receiptData struct {
	Office                                    queue.Office
	OfficeName                                string
	D                                         dossier.Dossier
	Procedure, Field, Department, Days, Fee   string
	Received, Due, Counter, Clerk, Link, Note string
	Papers                                    []string
	QR                                        template.HTML
	// Token is true when the QR carries the applicant's token.
	Token bool
}

func (s *Server) dossierReceiptPage(w http.ResponseWriter, r *http.Request) {
	se, tok, c, st, ok := s.dossierAuth(w, r)
	if !ok {
		return
	}
	n := s.dossierNames(r, c, se.Office)
	d, ok := s.loadDossier(w, r, se, st, n)
	if !ok {
		return
	}
	if d.Status == dossier.StatusRefused || d.ReceivedAt.IsZero() {
		s.fail(w, r, http.StatusConflict, n.tr("dz.err.noreceipt"))
		return
	}
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	rd := receiptData{Office: v.Office, OfficeName: n.pick(v.Office.Name, v.Office.NameEN), D: d,
		Procedure: n.procedure(d.Procedure), Field: n.field(d.Field), Department: n.department(d.Department),
		Fee: n.money(d.Fee), Received: n.when(d.ReceivedAt), Due: n.due(d.DueAt), Clerk: d.ReceivedBy}
	if d.Counter != "" {
		if k := v.Office.Counter(d.Counter); k != nil {
			rd.Counter = n.tr("counter") + " " + strconv.Itoa(k.Number)
		}
	}
	if p, ok := c.Procedure(d.Procedure); ok {
		rd.Days = daysText(n, p.Days)
		for _, x := range p.Papers {
			if slices.Contains(d.Papers, x.ID) {
				rd.Papers = append(rd.Papers, n.pick(x.Name, x.NameEN))
			}
		}
	}
	rd.Papers = append(rd.Papers, d.Extra...)
	// The applicant's link: with the token only when it is the
	// dossier's (the console passes it on right after the receipt); a
	// forged or stale one is left out, never drawn.
	rd.Link = s.baseURL() + "/hs/" + url.PathEscape(d.Code)
	if k := r.URL.Query().Get("k"); k != "" && len(k) <= 128 && len(d.TokenHash) > 0 && subtle.ConstantTimeCompare(auth.Hash(k), d.TokenHash) == 1 {
		rd.Link += "?k=" + url.QueryEscape(k)
		rd.Token = true
	}
	if rd.QR, err = qrSVG(rd.Link, n.tr("dz.qr.alt")); err != nil {
		s.log.Error("receipt QR", "code", d.Code, "err", err)
		s.fail(w, r, http.StatusInternalServerError, n.tr("dz.err.qr"))
		return
	}
	// The token must not leave in a Referer, nor stay in a cache.
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, http.StatusOK, "dossier_receipt", page{Title: "dz.receipt", CSRF: auth.CSRFToken(tok), Session: se,
		Scripts: []string{"dossier.js"}, Styles: []string{"dossier.css"}, Data: rd})
}

// qrSVG draws text as a QR code in SVG (one path of dark modules, the
// quiet zone included), for the printable pages: sharp at any size, and
// no image request.
func qrSVG(text, label string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bm := q.Bitmap()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`,
		len(bm), len(bm), template.HTMLEscapeString(label))
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil // only numbers and the escaped label
}

// consoleProcedure is a procedure as the console's form offers it, in
// the page's language.
type consoleProcedure struct {
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Service string         `json:"service"`
	Days    string         `json:"days"`
	Fee     string         `json:"fee"`
	Papers  []consolePaper `json:"papers"`
}

// consolePaper is a paper of the console's checklist.
type consolePaper struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Optional bool   `json:"optional,omitempty"`
}

// consoleCatalogue is the catalogue the console's "Tiếp nhận hồ sơ"
// offers, nil when the office keeps no dossiers; the script proposes
// first the procedures of the ticket's service.
func (s *Server) consoleCatalogue(r *http.Request, office string) []consoleProcedure {
	c, _, ok := s.dossiers(office)
	if !ok {
		return nil
	}
	n := s.dossierNames(r, c, office)
	out := []consoleProcedure{}
	for _, p := range c.Procedures {
		cp := consoleProcedure{Code: p.Code, Name: n.pick(p.Name, p.NameEN), Service: p.Service, Days: daysText(n, p.Days), Fee: n.money(p.Fee), Papers: []consolePaper{}}
		for _, x := range p.Papers {
			cp.Papers = append(cp.Papers, consolePaper{ID: x.ID, Name: n.pick(x.Name, x.NameEN), Optional: x.Optional})
		}
		out = append(out, cp)
	}
	return out
}

// DossierNav reports whether the page's member may open the dossier
// pages (the layout's link).
func (p page) DossierNav() bool { return p.dossierNav }

// clerkScripts are the console's scripts: with dossiers, its "Tiếp nhận
// hồ sơ" too.
func clerkScripts(d clerkData) []string {
	if d.Procedures != nil {
		return []string{"confirm.js", "clerk.js", "dossier_clerk.js"}
	}
	return []string{"confirm.js", "clerk.js"}
}

// clerkStyles are the console's own styles (with dossiers).
func clerkStyles(d clerkData) []string {
	if d.Procedures != nil {
		return []string{"dossier.css"}
	}
	return nil
}
