package web

import (
	"fmt"
	"net/http"
	"time"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
	"luot/server/report"
)

// maxReportDays is the longest range a report covers.
const maxReportDays = 366

// reportData fills the reports page.
type reportData struct {
	From, To  string
	R         report.Report
	Label     func(section, key string) string
	Sources   []queue.Source
	Charts    []string
	Scores    []int
	CSVURL    string
	HasAny    bool
	Ratings   bool
	SectionsT []reportSection
	// Rat is the ratings by clerk and counter, by channel (RatSections:
	// its tables; RatChannels: the channels' names, report.Channels'
	// order).
	Rat         RatingsJSON
	RatSections []ratingSection
	RatChannels []string
	RatCSVURL   string
	RatJSONURL  string
}

type ratingSection struct {
	ID, Title string
	Rows      []report.RatingFigures
}

type reportSection struct {
	Title   string
	Section string
	Groups  []report.Group
}

// reportRange reads from and to (YYYY-MM-DD); both default to today.
func reportRange(r *http.Request, v *engine.View, now time.Time) (string, string, error) {
	today := v.Office.Day(now)
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if from == "" {
		from = today
	}
	if to == "" {
		to = from
	}
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return "", "", fieldErr("from", "viết ngày theo dạng YYYY-MM-DD", "write the dates as YYYY-MM-DD")
	}
	if t.Before(f) {
		return "", "", fieldErr("to", "ngày kết thúc ở trước ngày bắt đầu", "the end date is before the start date")
	}
	if t.Sub(f) > maxReportDays*24*time.Hour {
		return "", "", fieldErr("to", "một báo cáo gồm tối đa %d ngày: chọn khoảng ngắn hơn", "a report covers at most %d days: choose a shorter range", maxReportDays)
	}
	return from, to, nil
}

func (s *Server) loadReport(w http.ResponseWriter, r *http.Request) (*auth.Session, string, *engine.View, *report.Report, bool) {
	se, tok, ok := s.auth(w, r, auth.ReadReports, "/admin/login")
	if !ok {
		return nil, "", nil, nil, false
	}
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return nil, "", nil, nil, false
	}
	from, to, err := reportRange(r, v, s.now())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, errText(lang(r), err))
		return nil, "", nil, nil, false
	}
	rows, ratings, err := s.cfg.DB.ReportRows(r.Context(), se.Office, from, to)
	if err != nil {
		s.log.Error("report", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, translator(lang(r))("rep.err.read"))
		return nil, "", nil, nil, false
	}
	rep := report.Compute(rows, ratings, from, to, v.Office.Location())
	return se, tok, v, &rep, true
}

// labeler names report keys: services and counters by name, hours as
// "08:00".
func labeler(v *engine.View, lang string) func(section, key string) string {
	return func(section, key string) string {
		switch section {
		case "service":
			if sv := v.Office.Service(key); sv != nil {
				if lang == "en" && sv.NameEN != "" {
					return sv.NameEN
				}
				return sv.Name
			}
		case "counter":
			if k := v.Office.Counter(key); k != nil {
				// A counter's name is the office's Vietnamese; English pages
				// name it by its number.
				if lang == "en" {
					return fmt.Sprintf("Counter %d", k.Number)
				}
				if k.Name != "" {
					return k.Name
				}
				return fmt.Sprintf("%d", k.Number)
			}
		case "hour":
			return key + ":00"
		}
		return key
	}
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	se, tok, v, rep, ok := s.loadReport(w, r)
	if !ok {
		return
	}
	l := lang(r)
	tr := translator(l)
	label := labeler(v, l)
	d := reportData{From: rep.From, To: rep.To, R: *rep, Label: label, Sources: report.Sources, Scores: []int{1, 2, 3, 4},
		CSVURL: "/admin/reports.csv?from=" + rep.From + "&to=" + rep.To + "&lang=" + l, HasAny: rep.Total.Tickets > 0}
	var hours, days, waits []report.Bar
	for _, g := range rep.ByHour {
		hours = append(hours, report.Bar{Label: g.Key, Value: float64(g.Tickets)})
	}
	for _, g := range rep.ByDay {
		days = append(days, report.Bar{Label: g.Key[5:], Value: float64(g.Tickets)})
	}
	for _, g := range rep.ByService {
		waits = append(waits, report.Bar{Label: label("service", g.Key), Value: float64(int(g.Wait.Avg/6)) / 10})
	}
	d.Charts = []string{
		report.BarChart(tr("chart.hour"), hours, ""),
		report.BarChart(tr("chart.day"), days, ""),
		report.BarChart(tr("chart.wait"), waits, tr("rep.min")),
	}
	d.SectionsT = []reportSection{
		{tr("by.service"), "service", rep.ByService}, {tr("by.counter"), "counter", rep.ByCounter},
		{tr("by.staff"), "staff", rep.ByStaff}, {tr("by.day"), "day", rep.ByDay}, {tr("by.hour"), "hour", rep.ByHour},
	}
	ratings, err := s.cfg.DB.RatingRows(r.Context(), se.Office, rep.From, rep.To)
	var staff []queue.Staff
	if err == nil {
		staff, err = s.cfg.DB.ListStaff(r.Context(), se.Office)
	}
	if err != nil {
		s.log.Error("rating report", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, tr("rep.err.read"))
		return
	}
	rr := report.ComputeRatings(ratings, rep.From, rep.To)
	d.Rat = ratingsJSONOf(&rr, ratingLabeler(v, staff, l))
	d.RatSections = []ratingSection{{"staff", tr("rat.by.staff"), d.Rat.ByStaff}, {"counter", tr("rat.by.counter"), d.Rat.ByCounter}}
	for _, ch := range report.Channels {
		d.RatChannels = append(d.RatChannels, tr("rat."+ch))
	}
	q := "?from=" + rep.From + "&to=" + rep.To + "&lang=" + l
	d.RatCSVURL, d.RatJSONURL = "/admin/reports/ratings.csv"+q, "/admin/reports/ratings.json"+q
	s.render(w, r, http.StatusOK, "reports", page{Title: "reports", CSRF: auth.CSRFToken(tok), Session: se, Data: d})
}

func (s *Server) reportsCSV(w http.ResponseWriter, r *http.Request) {
	_, _, v, rep, ok := s.loadReport(w, r)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="luot-%s-%s-%s-%s.csv"`, v.Office.ID, rep.From, rep.To, lang(r)))
	h.Set("Cache-Control", "no-store")
	// A byte-order mark so that spreadsheet programs read UTF-8 (Vietnamese).
	_, _ = w.Write([]byte("\ufeff"))
	if err := report.WriteCSV(w, rep, labeler(v, lang(r)), lang(r)); err != nil {
		s.log.Warn("write report CSV", "err", err)
	}
}
