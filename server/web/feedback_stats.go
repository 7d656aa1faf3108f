package web

import (
	"fmt"
	"net/http"
	"time"

	"luot/server/auth"
	"luot/server/feedback"
	"luot/server/report"
)

// statsData fills the statistics page.
type statsData struct {
	From, To string
	F        feedback.Figures
	Charts   []report.Chart
	CSVURL   string
	// Figures are the headline figures: a name, the value as shown, and
	// what it is made of.
	Figures []statsFigure
	// Sections are the counts' tables.
	Sections []statsSection
	// Unit is the handler's unit whose reports the figures count ("" for
	// a moderator: the whole office's).
	Unit string
}

type statsFigure struct{ Name, Value, Of string }

type statsSection struct {
	ID, Title string
	Rows      []statsRow
}

type statsRow struct {
	Name  string
	N     int
	Share string
}

// feedbackStats reads the figures of the request's period (from, to:
// YYYY-MM-DD in the office's time zone, both optional): every report of
// the office for a moderator, the unit's for a handler.
func (s *Server) feedbackStats(w http.ResponseWriter, r *http.Request) (*auth.Session, string, *feedback.Config, *statsData, bool) {
	se, tok, ok := s.feedbackAuth(w, r)
	if !ok {
		return nil, "", nil, nil, false
	}
	cfg := s.cfg.Feedback
	st, isStore := s.cfg.DB.(feedback.Store)
	if cfg == nil || !isStore || cfg.Office != se.Office {
		s.fail(w, r, http.StatusNotFound, "feedback reports are not set up on this server: ask the administrator to configure them")
		return nil, "", nil, nil, false
	}
	loc := cfg.Calendar.Location
	if loc == nil {
		loc = time.UTC
	}
	d := &statsData{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	f := feedback.Filter{Office: cfg.Office}
	if d.From != "" {
		t, err := time.ParseInLocation(time.DateOnly, d.From, loc)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, errText(lang(r), fieldErr("from", "viết ngày theo dạng YYYY-MM-DD", "write the dates as YYYY-MM-DD")))
			return nil, "", nil, nil, false
		}
		f.From = t
	}
	if d.To != "" {
		t, err := time.ParseInLocation(time.DateOnly, d.To, loc)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, errText(lang(r), fieldErr("to", "viết ngày theo dạng YYYY-MM-DD", "write the dates as YYYY-MM-DD")))
			return nil, "", nil, nil, false
		}
		f.To = t.AddDate(0, 0, 1)
		if !f.From.IsZero() && !f.To.After(f.From) {
			s.fail(w, r, http.StatusBadRequest, errText(lang(r), fieldErr("to", "ngày kết thúc ở trước ngày bắt đầu", "the end date is before the start date")))
			return nil, "", nil, nil, false
		}
	}
	if !canModerate(se) {
		f.Units = []string{se.Unit}
		d.Unit = se.Unit
	}
	reps, err := st.Reports(r.Context(), f)
	if err != nil {
		s.log.Error("feedback statistics", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the statistics could not be read because storage is failing; try again in a moment")
		return nil, "", nil, nil, false
	}
	d.F = feedback.Stats(cfg, reps, s.now())
	return se, tok, cfg, d, true
}

// pct writes n of of as a percentage with one decimal ("–" of nothing).
func pct(n, of int) string {
	if of <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func (s *Server) feedbackStatsPage(w http.ResponseWriter, r *http.Request) {
	se, tok, cfg, d, ok := s.feedbackStats(w, r)
	if !ok {
		return
	}
	l := lang(r)
	tr := translator(l)
	f := d.F
	d.CSVURL = "/staff/reports/stats.csv?from=" + d.From + "&to=" + d.To + "&lang=" + l
	d.Charts = report.FeedbackCharts(cfg, &f, l)
	of := func(n, total int) string { return fmt.Sprintf(tr("fb.of"), n, total) }
	d.Figures = []statsFigure{
		{tr("fb.total"), fmt.Sprint(f.Total), ""},
		{tr("fb.ontime"), pct(f.OnTime, f.Closed), of(f.OnTime, f.Closed)},
		{tr("fb.acked"), pct(f.AckOnTime, f.Acknowledged), of(f.AckOnTime, f.Acknowledged)},
		{tr("fb.median"), fmt.Sprintf("%.1f", f.MedianDaysToResolve), fmt.Sprintf(tr("fb.of.resolved"), f.Resolved)},
		{tr("fb.unfounded.share"), pct(f.Unfounded, f.Total), of(f.Unfounded, f.Total)},
		{tr("fb.satisfied.share"), pct(f.Satisfied, f.Verdicts), of(f.Satisfied, f.Verdicts)},
		{tr("fb.overdue.open"), pct(f.Overdue, f.Open), of(f.Overdue, f.Open)},
	}
	name := func(vi, en, key string) string {
		if l == "en" && en != "" {
			return en
		}
		if vi != "" {
			return vi
		}
		return key
	}
	rows := func(cs []feedback.Count, label func(string) string) []statsRow {
		out := make([]statsRow, 0, len(cs))
		for _, c := range cs {
			out = append(out, statsRow{Name: label(c.Key), N: c.N, Share: pct(c.N, f.Total)})
		}
		return out
	}
	category := func(k string) string {
		if c, ok := cfg.Category(k); ok {
			return name(c.Name, c.NameEN, k)
		}
		return k
	}
	unit := func(k string) string {
		if u, ok := cfg.Unit(k); ok {
			return name(u.Name, u.NameEN, k)
		}
		return k
	}
	status := func(k string) string { return tr("fb.st." + k) }
	month := func(k string) string { return k }
	wards := rows(f.ByWard, unit)
	if f.NoWard > 0 {
		wards = append(wards, statsRow{Name: tr("fb.no.ward"), N: f.NoWard, Share: pct(f.NoWard, f.Total)})
	}
	d.Sections = []statsSection{
		{"category", tr("fb.by.category"), rows(f.ByCategory, category)},
		{"unit", tr("fb.by.unit"), rows(f.ByUnit, unit)},
		{"ward", tr("fb.by.ward"), wards},
		{"status", tr("fb.by.status"), rows(f.ByStatus, status)},
		{"month", tr("fb.by.month"), rows(f.ByMonth, month)},
	}
	if d.Unit != "" {
		d.Unit = unit(d.Unit)
	}
	s.render(w, r, http.StatusOK, "feedback_stats", page{Title: "fb.stats", CSRF: auth.CSRFToken(tok), Session: se,
		Styles: []string{"feedback.css"}, Data: d})
}

// feedbackStatsCSV writes the page's figures as CSV in the page's
// language (report.WriteFeedbackCSV).
func (s *Server) feedbackStatsCSV(w http.ResponseWriter, r *http.Request) {
	se, _, cfg, d, ok := s.feedbackStats(w, r)
	if !ok {
		return
	}
	l := lang(r)
	name := "all"
	if d.From != "" || d.To != "" {
		name = d.From + "-" + d.To
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="luot-phan-anh-%s-%s-%s.csv"`, se.Office, name, l))
	h.Set("Cache-Control", "no-store")
	// A byte-order mark so that spreadsheet programs read UTF-8.
	_, _ = w.Write([]byte("\ufeff"))
	if err := report.WriteFeedbackCSV(w, cfg, &d.F, l); err != nil {
		s.log.Warn("write feedback CSV", "err", err)
	}
}
