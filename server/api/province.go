package api

import (
	"errors"
	"fmt"
	"net/http"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/msgtext"
	"luot/server/province"
	"luot/server/queue"
	"luot/server/report"
)

// The province's figures (docs/province.md):
//
//	GET /api/v1/province/stats      province administrator: ?from=&to= (business days, YYYY-MM-DD, both inclusive; today by default) → report.Province
//	GET /api/v1/province/stats.csv  province administrator: the same as CSV (?lang=vi|en, else Accept-Language)
//
// Every office's queue (today and over the period), dossiers and
// feedback reports side by side, with their total. Only a session with
// auth.ReadProvince (queue.RoleProvince) may read them: an office's
// clerk or administrator gets 403, whatever office they ask about.

// errNotDesk refuses a staff session that does not serve the office's
// counters (a moderator, a handler, a province administrator) what only
// the desk does: issue numbers, check bookings in.
var errNotDesk = newError(http.StatusForbidden, "forbidden", "only the office's clerks and administrators may do this")

func (s *Server) provinceRoutes() {
	s.mux.HandleFunc("GET /api/v1/province/stats", s.provinceStats)
	s.mux.HandleFunc("GET /api/v1/province/stats.csv", s.provinceStatsCSV)
}

// provinceSources are the sources of the province's figures: the store,
// and the dossiers' and feedback reports' configurations and stores when
// the API has them (the pages build theirs from the same configuration).
func (s *Server) provinceSources() (province.Sources, error) {
	q, ok := s.st.(province.Store)
	if !ok {
		return province.Sources{}, errors.New("api: the store has no report rows (ReportRows): the province's figures cannot be read")
	}
	src := province.Sources{Queue: q}
	if s.dossiers != nil {
		src.DossierStore, src.DossierConfigs = s.dossiers.st, []*dossier.Config{s.dossiers.cfg}
	}
	if s.feedback != nil {
		src.FeedbackStore, src.FeedbackConfigs = s.feedback.st, []*feedback.Config{s.feedback.cfg}
	}
	return src, nil
}

// provinceOffices are the offices of the province's figures: every
// office the engine runs, by id.
func (s *Server) provinceOffices() []*queue.Office {
	var out []*queue.Office
	for _, id := range s.eng.OfficeIDs() {
		if v, err := s.eng.View(id); err == nil {
			o := v.Office
			out = append(out, &o)
		}
	}
	return out
}

// provinceFigures checks the session and the period and gathers the
// figures.
func (s *Server) provinceFigures(w http.ResponseWriter, r *http.Request) (report.Province, bool) {
	if _, err := s.require(r, auth.ReadProvince); err != nil {
		s.fail(w, r, err)
		return report.Province{}, false
	}
	offices := s.provinceOffices()
	now := s.now()
	today := now.UTC().Format("2006-01-02")
	if len(offices) > 0 {
		today = offices[0].Day(now)
	}
	q := r.URL.Query()
	from, to, err := province.Period(q.Get("from"), q.Get("to"), today)
	var pe *province.PeriodError
	if errors.As(err, &pe) {
		switch pe.Reason {
		case "order":
			err = badRequest("invalid_period", "the period ends ({to}) before it starts ({from}): swap the dates", "from", q.Get("from"), "to", q.Get("to"))
		case "length":
			err = badRequest("period_too_long", "a period covers at most {max} days: choose a shorter one", "max", province.MaxDays)
		default:
			err = badRequest("invalid_date", "{field} must be a date written YYYY-MM-DD", "field", pe.Field)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return report.Province{}, false
	}
	src, err := s.provinceSources()
	if err != nil {
		s.fail(w, r, err)
		return report.Province{}, false
	}
	p, err := province.Gather(r.Context(), src, offices, from, to, now)
	if err != nil {
		s.fail(w, r, err)
		return report.Province{}, false
	}
	return p, true
}

func (s *Server) provinceStats(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.provinceFigures(w, r); ok {
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, p)
	}
}

// provinceStatsCSV answers the figures as CSV (report.WriteProvinceCSV)
// in ?lang= or the language of Accept-Language, with a byte-order mark so
// that spreadsheet programs read UTF-8.
func (s *Server) provinceStatsCSV(w http.ResponseWriter, r *http.Request) {
	p, ok := s.provinceFigures(w, r)
	if !ok {
		return
	}
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		lang = l
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="luot-tinh-%s-%s-%s.csv"`, p.From, p.To, lang))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\ufeff"))
	if err := report.WriteProvinceCSV(w, &p, lang); err != nil {
		s.log.Warn("write province CSV", "err", err)
	}
}
