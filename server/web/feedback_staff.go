package web

import (
	"net/http"
	"strings"

	"luot/server/auth"
	"luot/server/feedback"
)

// The staff's feedback pages (docs/feedback.md, "Pages"):
//
//	GET /staff/login             login of moderators and handlers (no counter)
//	GET /staff/reports           the inbox: filters, counts per status, live
//	GET /staff/reports/{code}    a report: photos, place, reporter, timeline, actions
//	GET /staff/reports/stats     statistics: figures, SVG charts, CSV
//	GET /staff/reports/stats.csv the same figures as CSV, in the page's language
//
// The inbox and the report are shells drawn by their scripts from the
// JSON API (/api/v1/feedback/…), which decides who sees what: moderators
// (and administrators) every report of the office, handlers their unit's.
// Their changes go to the API with the session cookie and the CSRF token
// in X-CSRF-Token, as the clerk console's do.

// feedbackRoutes adds the feedback pages' routes.
func (s *Server) feedbackRoutes() {
	m := s.mux
	m.HandleFunc("GET /staff/login", s.loginPage("/staff/reports"))
	m.HandleFunc("GET /staff/reports", s.inboxPage)
	m.HandleFunc("GET /staff/reports/stats", s.feedbackStatsPage)
	m.HandleFunc("GET /staff/reports/stats.csv", s.feedbackStatsCSV)
	m.HandleFunc("GET /staff/reports/{code}", s.reportPage)
}

// canModerate reports whether a session may moderate reports (see every
// report of the office, accept, refuse, assign …).
func canModerate(se *auth.Session) bool { return se.Can(auth.ModerateReports) }

// canSeeFeedback reports whether a session may open the feedback pages.
func canSeeFeedback(se *auth.Session) bool {
	return canModerate(se) || se.Can(auth.HandleReports)
}

// feedbackAuth checks the session of a feedback page: without one, the
// login; with one that may not see reports, 403.
func (s *Server) feedbackAuth(w http.ResponseWriter, r *http.Request) (*auth.Session, string, bool) {
	se, tok, ok := s.authAny(w, r, "/staff/login")
	if !ok {
		return nil, "", false
	}
	if !canSeeFeedback(se) {
		s.fail(w, r, http.StatusForbidden, "only moderators and handlers of feedback reports may open this page; log in as one of them")
		return nil, "", false
	}
	return se, tok, true
}

// feedbackData fills the inbox and the report pages: what their scripts
// need to draw them in the page's language and the office's time zone.
type feedbackData struct {
	Office   string
	Timezone string
	Staff    string
	// Role is "moderator" for those who may moderate (administrators
	// too), "handler" otherwise.
	Role string
	// Unit is a handler's unit (its id; the script names it).
	Unit string
	// Code is the report's (report page only).
	Code string
	// Texts are the texts the scripts show (JSON in the page).
	Texts map[string]string
	// Statuses are the statuses in their order, for the filter.
	Statuses []string
}

// feedbackStatuses are the statuses of a report, in the order of the
// handling.
var feedbackStatuses = []string{"new", "accepted", "assigned", "in_progress", "resolved", "unfounded", "refused", "duplicate"}

func (s *Server) feedbackPageData(r *http.Request, se *auth.Session, code string) (feedbackData, error) {
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		return feedbackData{}, err
	}
	d := feedbackData{Office: se.Office, Timezone: v.Office.Timezone, Staff: se.Staff, Role: "handler", Code: code,
		Texts: map[string]string{}, Statuses: feedbackStatuses}
	if canModerate(se) {
		d.Role = "moderator"
	} else {
		d.Unit = se.Unit
	}
	tr := translator(lang(r))
	for k := range feedbackTexts {
		if strings.HasPrefix(k, "fb.") {
			d.Texts[k] = tr(k)
		}
	}
	for _, k := range []string{"err.network", "err.http", "live", "offline", "confirm", "go.back"} {
		d.Texts[k] = tr(k)
	}
	return d, nil
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.feedbackAuth(w, r)
	if !ok {
		return
	}
	d, err := s.feedbackPageData(r, se, "")
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	s.render(w, r, http.StatusOK, "feedback_inbox", page{Title: "fb.inbox", CSRF: auth.CSRFToken(tok), Session: se,
		Scripts: []string{"feedback.js"}, Styles: []string{"feedback.css"}, Data: d})
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.feedbackAuth(w, r)
	if !ok {
		return
	}
	code := r.PathValue("code")
	// The page of anything not written as a code is 404 without asking
	// the API.
	if !feedback.ValidCode(code) {
		s.fail(w, r, http.StatusNotFound, "there is no report with this code: check the address (a code is written PA-YYMM-NNNNN)")
		return
	}
	d, err := s.feedbackPageData(r, se, code)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	p := page{Title: "fb.report", CSRF: auth.CSRFToken(tok), Session: se,
		Scripts: []string{"confirm.js", "feedback.js"}, Styles: []string{"feedback.css"}, Data: d}
	if s.leaflet {
		// A small map of the place, with the citizen pages' Leaflet and
		// their policy (the tile server's origin for images).
		p.Scripts = []string{"../vendor/leaflet/leaflet.js", "confirm.js", "feedback.js"}
		p.Styles = []string{"../vendor/leaflet/leaflet.css", "feedback.css"}
		w.Header().Set("Content-Security-Policy", s.paCSP)
	}
	s.render(w, r, http.StatusOK, "feedback_report", p)
}

// Feedback reports whether the page's member may open the feedback pages
// (the layout's links).
func (p page) Feedback() bool { return p.Session != nil && canSeeFeedback(p.Session) }
