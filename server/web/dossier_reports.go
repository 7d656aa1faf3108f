package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/queue"
	"luot/server/report"
)

// The administrator's dossier pages (docs/dossier.md, "Pages"):
//
//	GET  /admin/dossiers/reports        on time, early and late by procedure, field, department and
//	                                    month, the average processing days, the late list; SVG charts
//	                                    (report.DossierCharts); links to the CSV in both languages
//	                                    (GET /api/v1/dossiers/stats.csv)
//	GET  /admin/dossiers/keys           the province's integration keys (scope dossiers)
//	POST /admin/dossiers/keys           issues a key (form: id, name; CSRF): the page shows it once
//	POST /admin/dossiers/keys/revoke    revokes one (form: id; CSRF)
//
// Both need auth.ManageDossiers and an office that keeps dossiers.

func init() {
	staffTemplateNames = append(staffTemplateNames, "dossier_reports", "dossier_keys")
}

// dossierAdminRoutes adds the administrator's dossier pages.
func (s *Server) dossierAdminRoutes() {
	m := s.mux
	m.HandleFunc("GET /admin/dossiers/reports", s.dossierReportsPage)
	m.HandleFunc("GET /admin/dossiers/keys", s.dossierKeysPage)
	m.HandleFunc("POST /admin/dossiers/keys", s.dossierKeyIssue)
	m.HandleFunc("POST /admin/dossiers/keys/revoke", s.dossierKeyRevoke)
}

// dossierAdmin checks an administrator's session on an office with
// dossiers.
func (s *Server) dossierAdmin(w http.ResponseWriter, r *http.Request) (*auth.Session, string, *dossier.Config, dossier.Store, bool) {
	se, tok, ok := s.auth(w, r, auth.ManageDossiers, "/admin/login")
	if !ok {
		return nil, "", nil, nil, false
	}
	cfg, st, ok := s.dossiers(se.Office)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "dossiers are not set up for this office: ask the administrator to configure them")
		return nil, "", nil, nil, false
	}
	return se, tok, cfg, st, true
}

// dossierReportsData fills the reports page.
type dossierReportsData struct {
	From, To string
	Stats    dossier.Stats
	Charts   []report.Chart
	// CSV are the CSV links: Vietnamese, English.
	CSV     [2]string
	Figures []statsFigure
	// Sections are the tallies' tables.
	Sections []dossierSection
	Late     []dossierLateRow
}

type dossierSection struct {
	ID, Title string
	Rows      []dossierTallyRow
}

type dossierTallyRow struct {
	Name                                       string
	Total, Done, Early, OnTime, Late, OpenLate int
	Rate, Days                                 string
}

type dossierLateRow struct {
	Code, Procedure, Department, Status string
	Received, Due, NewDue, Completed    string
	DaysLate                            int
}

func (s *Server) dossierReportsPage(w http.ResponseWriter, r *http.Request) {
	se, tok, cfg, st, ok := s.dossierAdmin(w, r)
	if !ok {
		return
	}
	l := lang(r)
	tr := translator(l)
	loc := cfg.Calendar.Zone()
	d := &dossierReportsData{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	f := dossier.Filter{Office: cfg.Office}
	for _, p := range []struct {
		name, v string
		out     *time.Time
	}{{"from", d.From, &f.From}, {"to", d.To, &f.To}} {
		if p.v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, p.v, loc)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, errText(l, fieldErr(p.name, "viết ngày theo dạng YYYY-MM-DD", "write the dates as YYYY-MM-DD")))
			return
		}
		*p.out = t
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
		if !f.From.IsZero() && !f.To.After(f.From) {
			s.fail(w, r, http.StatusBadRequest, errText(l, fieldErr("to", "ngày kết thúc ở trước ngày bắt đầu", "the end date is before the start date")))
			return
		}
	}
	ds, err := st.Dossiers(r.Context(), f)
	if err != nil {
		s.log.Error("dossier reports", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the report could not be read because storage is failing; try again in a moment")
		return
	}
	d.Stats = dossier.Figures(cfg, ds, s.now())
	q := url.Values{}
	if d.From != "" {
		q.Set("from", d.From)
	}
	if d.To != "" {
		q.Set("to", d.To)
	}
	for i, lg := range []string{"vi", "en"} {
		q.Set("lang", lg)
		d.CSV[i] = "/api/v1/dossiers/stats.csv?" + q.Encode()
	}
	a := d.Stats.All
	of := func(n, total int) string { return fmt.Sprintf(tr("fb.of"), n, total) }
	d.Figures = []statsFigure{
		{tr("dr.total"), fmt.Sprint(a.Total), ""},
		{tr("dr.done"), fmt.Sprint(a.Done), ""},
		{tr("dr.ontime.rate"), pct(a.Early+a.OnTime, a.Done), of(a.Early+a.OnTime, a.Done)},
		{tr("dr.late.done"), pct(a.Late, a.Done), of(a.Late, a.Done)},
		{tr("dr.avg.days"), days(a), ""},
		{tr("dr.open.late"), pct(a.OpenLate, a.Open), of(a.OpenLate, a.Open)},
		{tr("dr.refused"), fmt.Sprint(a.Refused), ""},
	}
	titles := map[string]string{"procedure": tr("dr.by.procedure"), "field": tr("dr.by.field"), "department": tr("dr.by.department"), "month": tr("dr.by.month")}
	groups := report.DossierGroups(cfg, &d.Stats, l)
	for _, g := range groups {
		sec := dossierSection{ID: g.Section, Title: titles[g.Section]}
		for _, t := range g.Tallies {
			sec.Rows = append(sec.Rows, dossierTallyRow{Name: g.Label(t.Key), Total: t.Total, Done: t.Done, Early: t.Early, OnTime: t.OnTime,
				Late: t.Late, OpenLate: t.OpenLate, Rate: pct(t.Early+t.OnTime, t.Done), Days: days(t)})
		}
		d.Sections = append(d.Sections, sec)
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("02/01/2006 15:04")
	}
	for _, x := range d.Stats.Late {
		d.Late = append(d.Late, dossierLateRow{Code: x.Code, Procedure: groups[0].Label(x.Procedure), Department: groups[2].Label(x.Department),
			Status: report.DossierStatusName(x.Status, l), Received: at(x.ReceivedAt), Due: at(x.DueAt), NewDue: at(x.NewDue),
			Completed: at(x.CompletedAt), DaysLate: x.DaysLate})
	}
	d.Charts = report.DossierCharts(cfg, &d.Stats, l)
	s.render(w, r, http.StatusOK, "dossier_reports", page{Title: "dr.title", CSRF: auth.CSRFToken(tok), Session: se,
		Styles: []string{"feedback.css"}, Data: d})
}

// days is a tally's average processing days with one decimal ("–" when
// none is done).
func days(t dossier.Tally) string {
	if t.Done == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", t.AvgDays)
}

// keyStore is what the integration keys need from the store (*store.DB
// has it).
type keyStore interface {
	PutAPIClient(ctx context.Context, c feedback.APIClient, keyHash []byte) error
	APIClients(ctx context.Context, office string) ([]feedback.APIClient, error)
	RevokeAPIClient(ctx context.Context, office, id string) error
}

// dossierKeysData fills the keys page.
type dossierKeysData struct {
	Clients []feedback.APIClient
	// Issued is the client just issued and Key its key, shown this once.
	Issued *feedback.APIClient
	Key    string
	// ID and Name are the form's, kept when it is refused.
	ID, Name string
}

// keysPage draws the keys page with d (the clients read here).
func (s *Server) keysPage(w http.ResponseWriter, r *http.Request, se *auth.Session, tok string, status int, d dossierKeysData, errMsg string) {
	ks, ok := s.cfg.DB.(keyStore)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "dossiers are not set up for this office: ask the administrator to configure them")
		return
	}
	all, err := ks.APIClients(r.Context(), se.Office)
	if err != nil {
		s.log.Error("integration keys", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the administration page could not be read because storage is failing; try again in a moment")
		return
	}
	for _, c := range all {
		if c.Scope == feedback.ScopeDossiers {
			d.Clients = append(d.Clients, c)
		}
	}
	// The key is on this answer only: nothing may keep it.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "dossier_keys", page{Title: "dk.title", CSRF: auth.CSRFToken(tok), Session: se, Styles: []string{"feedback.css"}, Data: d, Error: errMsg})
}

func (s *Server) dossierKeysPage(w http.ResponseWriter, r *http.Request) {
	se, tok, _, _, ok := s.dossierAdmin(w, r)
	if !ok {
		return
	}
	s.keysPage(w, r, se, tok, http.StatusOK, dossierKeysData{}, "")
}

func (s *Server) dossierKeyIssue(w http.ResponseWriter, r *http.Request) {
	se, tok, _, _, ok := s.dossierAdmin(w, r)
	if !ok {
		return
	}
	ks, ok := s.cfg.DB.(keyStore)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "dossiers are not set up for this office: ask the administrator to configure them")
		return
	}
	l := lang(r)
	id := strings.TrimSpace(r.PostForm.Get("id"))
	name := strings.TrimSpace(norm.NFC.String(r.PostForm.Get("name")))
	d := dossierKeysData{ID: id, Name: name}
	refuse := func(err error) { s.keysPage(w, r, se, tok, http.StatusBadRequest, d, errText(l, err)) }
	if !queue.ValidID(id) {
		refuse(fieldErr("id", "mã hệ thống %q không hợp lệ: dùng 1–32 chữ thường không dấu, chữ số, '-' hoặc '_'", "client id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", truncate(id, 40)))
		return
	}
	if err := queue.CheckName("client name", name, true); err != nil {
		refuse(err)
		return
	}
	all, err := ks.APIClients(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "the change could not be saved because storage is failing; nothing was changed — try again")
		return
	}
	for _, c := range all {
		if c.ID == id {
			refuse(fieldErr("id", "đã có hệ thống kết nối %q (kể cả đã thu hồi khóa): hãy chọn mã khác", "there is a client %q already (revoked ones count): choose another id", id))
			return
		}
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // never fails (crypto/rand)
	key := base64.RawURLEncoding.EncodeToString(raw)
	c := feedback.APIClient{ID: id, Office: se.Office, Name: name, Created: s.now(), Scope: feedback.ScopeDossiers}
	if err := ks.PutAPIClient(r.Context(), c, auth.Hash(key)); err != nil {
		s.log.Error("issue integration key", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the change could not be saved because storage is failing; nothing was changed — try again")
		return
	}
	if err := s.cfg.DB.Audit(r.Context(), se.Office, s.now(), se.Staff, "integration_client_issued", c.ID+" "+c.Name); err != nil {
		s.log.Warn("audit log write failed", "err", err)
	}
	s.keysPage(w, r, se, tok, http.StatusCreated, dossierKeysData{Issued: &c, Key: key}, "")
}

func (s *Server) dossierKeyRevoke(w http.ResponseWriter, r *http.Request) {
	se, tok, _, _, ok := s.dossierAdmin(w, r)
	if !ok {
		return
	}
	ks, ok := s.cfg.DB.(keyStore)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "dossiers are not set up for this office: ask the administrator to configure them")
		return
	}
	id := r.PostForm.Get("id")
	all, err := ks.APIClients(r.Context(), se.Office)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "the change could not be saved because storage is failing; nothing was changed — try again")
		return
	}
	found := false
	for _, c := range all {
		found = found || (c.ID == id && c.Scope == feedback.ScopeDossiers)
	}
	if !found {
		s.keysPage(w, r, se, tok, http.StatusNotFound, dossierKeysData{}, errText(lang(r), fieldErr("id", "không có hệ thống kết nối %q", "there is no integration client %q", truncate(id, 40))))
		return
	}
	if err := ks.RevokeAPIClient(r.Context(), se.Office, id); err != nil {
		s.log.Error("revoke integration key", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the change could not be saved because storage is failing; nothing was changed — try again")
		return
	}
	if err := s.cfg.DB.Audit(r.Context(), se.Office, s.now(), se.Staff, "integration_client_revoked", id); err != nil {
		s.log.Warn("audit log write failed", "err", err)
	}
	http.Redirect(w, r, "/admin/dossiers/keys", http.StatusSeeOther)
}
