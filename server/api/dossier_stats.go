package api

import (
	"fmt"
	"net/http"
	"time"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/msgtext"
	"luot/server/report"
)

// The dossiers' reports (docs/dossier.md, "JSON API"):
//
//	GET /api/v1/dossiers/stats       manager: ?from=&to= (dates of receipt, YYYY-MM-DD, both inclusive) → DossierStatsJSON
//	GET /api/v1/dossiers/stats.csv   manager: the same as CSV (?lang=vi|en, else Accept-Language)
//
// The figures (dossier.Figures) count the dossiers received in the
// period: on time, early and late by procedure, field, department and
// month, the average processing days, the late list.

// DossierStatsJSON answers GET /dossiers/stats: the period asked for
// ("" when open-ended) and the figures.
type DossierStatsJSON struct {
	From    string        `json:"from,omitempty"`
	To      string        `json:"to,omitempty"`
	Figures dossier.Stats `json:"figures"`
}

func (s *Server) dossierStatsRoutes() {
	s.mux.HandleFunc("GET /api/v1/dossiers/stats", s.dossierStats)
	s.mux.HandleFunc("GET /api/v1/dossiers/stats.csv", s.dossierStatsCSV)
}

// dossierFigures reads the dossiers of the request's period and computes
// their figures.
func (s *Server) dossierFigures(w http.ResponseWriter, r *http.Request) (*dossier.Config, DossierStatsJSON, bool) {
	var j DossierStatsJSON
	cfg, st, err := s.dossierSetup()
	if err == nil {
		var se *auth.Session
		if se, err = s.require(r, auth.ManageDossiers); err == nil && se.Office != cfg.Office {
			err = newError(http.StatusNotFound, "dossiers_unavailable", "dossiers are not set up for office {office}", "office", se.Office)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, j, false
	}
	q := r.URL.Query()
	j.From, j.To = q.Get("from"), q.Get("to")
	from, to, err := DossierPeriod(j.From, j.To, cfg.Calendar.Zone())
	if err != nil {
		s.fail(w, r, err)
		return nil, j, false
	}
	ds, err := st.Dossiers(r.Context(), dossier.Filter{Office: cfg.Office, From: from, To: to})
	if err != nil {
		s.fail(w, r, err)
		return nil, j, false
	}
	j.Figures = dossier.Figures(cfg, ds, s.now())
	return cfg, j, true
}

// DossierPeriod reads a report's period: from and to are dates
// (YYYY-MM-DD, both inclusive, "" open-ended) in loc; the answer bounds
// the time of receipt (from ≤ received < to).
func DossierPeriod(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	var f, t time.Time
	for _, p := range []struct {
		name, v string
		out     *time.Time
	}{{"from", from, &f}, {"to", to, &t}} {
		if p.v == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, p.v, loc)
		if err != nil {
			return f, t, badRequest("invalid_date", "{field} must be a date written YYYY-MM-DD", "field", p.name)
		}
		*p.out = d
	}
	if !t.IsZero() {
		t = t.AddDate(0, 0, 1)
		if !f.IsZero() && !t.After(f) {
			return f, t, badRequest("invalid_period", "the period ends ({to}) before it starts ({from}): swap the dates", "from", from, "to", to)
		}
	}
	return f, t, nil
}

func (s *Server) dossierStats(w http.ResponseWriter, r *http.Request) {
	if _, j, ok := s.dossierFigures(w, r); ok {
		writeJSON(w, http.StatusOK, j)
	}
}

// dossierStatsCSV answers the figures as CSV (report.WriteDossierCSV) in
// ?lang= or the language of Accept-Language, with a byte-order mark so
// that spreadsheet programs read UTF-8.
func (s *Server) dossierStatsCSV(w http.ResponseWriter, r *http.Request) {
	cfg, j, ok := s.dossierFigures(w, r)
	if !ok {
		return
	}
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		lang = l
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="luot-ho-so-%s-%s-%s.csv"`, cfg.Office, period(StatsJSON{From: j.From, To: j.To}), lang))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\ufeff"))
	if err := report.WriteDossierCSV(w, cfg, &j.Figures, lang, cfg.Calendar.Zone()); err != nil {
		s.log.Warn("write dossier CSV", "err", err)
	}
}
