package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"luot/assets"
	"luot/server/auth"
	"luot/server/queue"
	"luot/server/report"
)

// Staff pages and their routes:
//
//	GET  /clerk/login, /admin/login   login form (the form posts JSON to POST /api/v1/sessions)
//	GET  /clerk                       clerk console (staff session with a counter)
//	GET  /clerk/state                 the console's data as JSON (same session)
//	POST /logout                      ends the session (CSRF)
//	GET  /admin                       administration (admin session)
//	POST /admin/office|services|counters|staff|devices …  changes (admin, CSRF)
//	POST /admin/test-print            a test receipt at a counter's station (admin, CSRF; print.go)
//	GET  /admin/reports               reports with SVG charts (admin)
//	GET  /admin/reports.csv           the same figures as CSV (admin)
//	GET  /admin/province              every office's figures side by side (province administrator; province.go)
//	…                                 the stations' staff photos and rating reports (admin_station.go)
//	GET  /board/{office}              web board for smart TVs (public)
//	GET  /board/voice/{clip}.wav      the display's voice clips (the chime among them)
//	GET  /board/voice/sentence        the clips and pauses of a call's announcement
//
// Authentication is the API's session cookie (HttpOnly, SameSite=Strict),
// checked by server/auth, as the API does. Every state-changing request
// carries the session's CSRF token (auth.CSRFToken): forms in a hidden
// "csrf" field,
// the console's calls to the JSON API in the X-CSRF-Token header; a POST
// without it, with a wrong one, or from another origin gets 403.
func (s *Server) staffRoutes() error {
	tpl, err := parseStaffTemplates()
	if err != nil {
		return err
	}
	s.staffTpl = tpl
	m := s.mux
	m.HandleFunc("GET /clerk/login", s.loginPage("/clerk"))
	m.HandleFunc("GET /admin/login", s.loginPage("/admin"))
	m.HandleFunc("GET /clerk", s.clerkPage)
	m.HandleFunc("GET /clerk/state", s.clerkState)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /admin", s.adminPage)
	for _, f := range adminForms {
		m.HandleFunc("POST /admin/"+f, s.adminPost(f))
		// A refused form's page is at its POST address; its language link
		// (?lang=…) leads back to the admin page.
		m.HandleFunc("GET /admin/"+f, s.adminFormGet)
	}
	m.HandleFunc("POST /admin/test-print", s.adminTestPrint)
	m.HandleFunc("GET /admin/test-print", s.adminFormGet)
	m.HandleFunc("GET /admin/reports", s.reportsPage)
	m.HandleFunc("GET /admin/reports.csv", s.reportsCSV)
	m.HandleFunc("GET /admin/province", s.provincePage)
	s.stationAdminRoutes()
	m.HandleFunc("GET /board/{office}", s.boardPage)
	m.HandleFunc("GET /board/voice/sentence", s.boardSentence)
	m.HandleFunc("GET /board/voice/{clip}", s.voiceClip)
	s.feedbackRoutes()
	s.dossierRoutes()
	s.dossierAdminRoutes()
	return nil
}

// staffTemplateNames are the pages; each is layout.html plus its file.
var staffTemplateNames = []string{"login", "clerk", "admin", "reports", "board", "error", "feedback_inbox", "feedback_report", "feedback_stats", "dossier_list", "dossier", "dossier_receipt"}

func parseStaffTemplates() (map[string]*template.Template, error) {
	files, err := fs.Sub(assets.Web, "web/templates/staff")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, name := range staffTemplateNames {
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(files, "layout.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse staff template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

var templateFuncs = template.FuncMap{
	"mins": func(sec float64) string { return fmt.Sprintf("%.1f", sec/60) },
	"svg":  func(s string) template.HTML { return template.HTML(s) }, // only for report.BarChart output, which escapes its text
	"join": strings.Join,
	// counterLabel is "Quầy 3 – Đất đai" / "Counter 3 – Đất đai", the name
	// left out when it only repeats the label (queue.CounterLabel).
	"counterLabel": func(lang string, k queue.Counter) string {
		vi, en := queue.CounterLabel(&k)
		if lang == "en" {
			return en
		}
		return vi
	},
	"dict3": func(p page, label string, st report.Stats) reportLine {
		return reportLine{P: p, Label: label, S: st}
	},
}

// reportLine is one line of a report table.
type reportLine struct {
	P     page
	Label string
	S     report.Stats
}

// page is what every staff template gets.
type page struct {
	Lang    string
	tr      func(string) string
	Title   string
	CSRF    string
	Session *auth.Session
	Error   string
	Notice  string
	Scripts []string
	Styles  []string
	Data    any
	// dossierNav is true when the member may open the dossier pages.
	dossierNav bool
}

// T translates a text key into the page's language.
func (p page) T(key string) string {
	if p.tr == nil {
		return translator(p.Lang)(key)
	}
	return p.tr(key)
}

// render writes a staff page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Lang = lang(r)
	p.tr = translator(p.Lang)
	if p.Session != nil && s.cfg.Dossiers != nil && s.cfg.Dossiers.Office == p.Session.Office {
		p.dossierNav = dossierRole(p.Session) != ""
	}
	var buf bytes.Buffer
	if err := s.staffTpl[name].Execute(&buf, p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "the page could not be drawn; it has been logged — try again", http.StatusInternalServerError)
		return
	}
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		// The choice sticks for the next pages (e.g. after the login).
		http.SetCookie(w, &http.Cookie{Name: "luot_lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	l := lang(r)
	s.render(w, r, status, "error", page{Title: statusTitle(l, status), Error: failText(l, msg)})
}

// auth checks the session for a page (auth.Authenticate). It answers (and
// returns ok false): a page (GET) without a session redirects to the login
// page; anything else without one is 401; a session without the
// permission is 403; a change without the session's CSRF token (form
// field or header) or from another origin is 403. A change's form is read
// first, at most 64 KiB.
func (s *Server) auth(w http.ResponseWriter, r *http.Request, p auth.Perm, login string) (*auth.Session, string, bool) {
	se, tok, ok := s.authAny(w, r, login)
	if !ok {
		return nil, "", false
	}
	if !se.Can(p) {
		s.fail(w, r, http.StatusForbidden, "only an administrator of the office may open this page; log in as an administrator")
		return nil, "", false
	}
	return se, tok, true
}

// authAny is auth for any staff member's session, whatever the role.
func (s *Server) authAny(w http.ResponseWriter, r *http.Request, login string) (*auth.Session, string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.PostForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, http.StatusBadRequest, "the form could not be read (is it larger than 64 KiB?)")
			return nil, "", false
		}
	}
	se, tok, err := s.authn.Authenticate(r)
	switch {
	case errors.Is(err, auth.ErrNoCredentials), errors.Is(err, auth.ErrUnknownSession):
		if r.Method == http.MethodGet && !strings.HasSuffix(r.URL.Path, ".csv") && !strings.HasSuffix(r.URL.Path, "/state") {
			http.Redirect(w, r, login+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		} else {
			s.fail(w, r, http.StatusUnauthorized, "log in first")
		}
		return nil, "", false
	case errors.Is(err, auth.ErrCrossOrigin):
		s.fail(w, r, http.StatusForbidden, "this request comes from another site's page and was refused")
		return nil, "", false
	case errors.Is(err, auth.ErrCSRF):
		s.fail(w, r, http.StatusForbidden, "the form has no valid security token (it may be from an old page): reload the page and try again")
		return nil, "", false
	case err != nil:
		s.log.Error("read session", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the server could not read your session because its storage is failing; try again in a moment")
		return nil, "", false
	}
	return se, tok, true
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	// Every member may log out, whatever the role.
	se, _, ok := s.authAny(w, r, "/clerk/login")
	if !ok {
		return
	}
	if err := s.cfg.DB.DeleteSession(r.Context(), se.TokenHash); err != nil {
		s.log.Error("logout", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the session could not be ended because storage is failing; try again")
		return
	}
	s.audit(r.Context(), se.Office, se.Staff, "logout", "web")
	auth.ClearCookie(w, strings.HasPrefix(s.cfg.PublicURL, "https://"))
	dest := "/clerk/login"
	switch {
	case se.Can(auth.AnyCounter) && se.Counter == "":
		dest = "/admin/login"
	case canSeeFeedback(se) && se.Counter == "":
		dest = "/staff/login"
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

// audit records who did what; a failure is logged (the change was made).
func (s *Server) audit(ctx context.Context, office, who, action, detail string) {
	if err := s.cfg.DB.Audit(ctx, office, s.now(), who, action, detail); err != nil {
		s.log.Warn("audit log write failed", "office", office, "action", action, "err", err)
	}
}

// loginData fills the login form.
type loginData struct {
	Offices []queue.Office
	Office  string
	Next    string
	Admin   bool
	// Reports is the login of moderators and handlers of feedback
	// reports, who work at no counter.
	Reports bool
}

func (s *Server) loginPage(dest string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := loginData{Next: dest, Admin: dest == "/admin", Reports: dest == "/staff/reports"}
		n := r.URL.Query().Get("next")
		// The staff login without a counter leads to the feedback reports
		// or to the dossiers.
		if (strings.HasPrefix(n, dest) || (d.Reports && strings.HasPrefix(n, "/staff/dossiers"))) && !strings.HasPrefix(n, "//") {
			d.Next = n
		}
		for _, id := range s.cfg.Engine.OfficeIDs() {
			if v, err := s.cfg.Engine.View(id); err == nil {
				d.Offices = append(d.Offices, v.Office)
			}
		}
		d.Office = r.URL.Query().Get("office")
		if d.Office == "" && len(d.Offices) > 0 {
			d.Office = d.Offices[0].ID
		}
		s.render(w, r, http.StatusOK, "login", page{Title: "login", Data: d, Scripts: []string{"login.js"}})
	}
}
