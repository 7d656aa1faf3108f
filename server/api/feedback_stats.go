package api

import (
	"fmt"
	"net/http"

	"luot/server/feedback"
	"luot/server/msgtext"
	"luot/server/report"
)

// StatsJSON answers GET /feedback/stats: the period asked for (dates, ""
// when open-ended), whose reports they are (a handler's: their unit's),
// and the figures (feedback.Stats).
type StatsJSON struct {
	From    string           `json:"from,omitempty"`
	To      string           `json:"to,omitempty"`
	Unit    string           `json:"unit,omitempty"`
	Figures feedback.Figures `json:"figures"`
}

// figures reads the reports of the request's period (?from=&to=, dates
// in the office's time zone, both inclusive) that the member may see and
// computes their figures.
func (f *fb) figures(w http.ResponseWriter, r *http.Request) (StatsJSON, bool) {
	m, err := f.member(r)
	if err != nil {
		f.s.fail(w, r, err)
		return StatsJSON{}, false
	}
	q := r.URL.Query()
	lq, err := parseListQuery(map[string][]string{"from": q["from"], "to": q["to"]}, f.loc())
	if err != nil {
		f.s.fail(w, r, err)
		return StatsJSON{}, false
	}
	flt := feedback.Filter{Office: f.cfg.Office, From: lq.filter.From, To: lq.filter.To}
	j := StatsJSON{From: q.Get("from"), To: q.Get("to")}
	if !m.moderator() {
		flt.Units, j.Unit = []string{m.actor.Unit}, m.actor.Unit
	}
	reps, err := f.st.Reports(r.Context(), flt)
	if err != nil {
		f.s.fail(w, r, err)
		return StatsJSON{}, false
	}
	j.Figures = feedback.Stats(f.cfg, reps, f.s.now())
	return j, true
}

// stats answers the figures as JSON.
func (f *fb) stats(w http.ResponseWriter, r *http.Request) {
	if j, ok := f.figures(w, r); ok {
		writeJSON(w, http.StatusOK, j)
	}
}

// statsCSV answers the figures as CSV (report.WriteFeedbackCSV) in the
// language of Accept-Language, with a byte-order mark so that spreadsheet
// programs read UTF-8.
func (f *fb) statsCSV(w http.ResponseWriter, r *http.Request) {
	j, ok := f.figures(w, r)
	if !ok {
		return
	}
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="luot-phan-anh-%s-%s-%s.csv"`, f.cfg.Office, period(j), lang))
	_, _ = w.Write([]byte("\ufeff"))
	if err := report.WriteFeedbackCSV(w, f.cfg, &j.Figures, lang); err != nil {
		f.s.log.Warn("write feedback CSV", "err", err)
	}
}

// period names the period of a file: from-to, "all" when open.
func period(j StatsJSON) string {
	switch {
	case j.From == "" && j.To == "":
		return "all"
	case j.To == "":
		return j.From + "-"
	}
	return j.From + "-" + j.To
}
