package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"
)

// seedOutcomes makes dossiers through the integration with every
// outcome: A late (3 working days, done after its due date), B early, C
// on time (same day), D open and late, E refused. Times are in the
// office's zone; the clock is Friday 27 November 2026, 08:00.
func (e *integEnv) seedOutcomes(t testing.TB) {
	t.Helper()
	at := func(day, hour, min int) string {
		return time.Date(2026, 11, day, hour, min, 0, 0, start.Location()).Format(time.RFC3339)
	}
	type step struct {
		status, at string
	}
	for _, d := range []struct {
		code, procedure, received string
		steps                     []step
	}{
		{"TP-261123-0001", "KD-01", at(23, 9, 0), []step{{"processing", at(23, 10, 0)}, {"completed", at(27, 7, 0)}}},
		{"TP-261126-0001", "KD-01", at(26, 8, 0), []step{{"processing", at(26, 9, 0)}, {"completed", at(27, 7, 30)}}},
		{"TP-261127-0001", "HT-01", at(27, 7, 0), []step{{"processing", at(27, 7, 10)}, {"completed", at(27, 7, 50)}}},
		{"TP-261120-0001", "KD-01", at(20, 9, 0), []step{{"processing", at(20, 10, 0)}}},
	} {
		b := newBody(time.Time{})
		b["procedure"], b["received_at"], b["external"] = d.procedure, d.received, d.code
		if d.procedure == "HT-01" {
			b["papers"] = []string{"to-khai"}
		}
		e.putOK(t, http.StatusCreated, d.code, b)
		for _, s := range d.steps {
			e.putOK(t, http.StatusOK, d.code, map[string]any{"status": s.status, "status_at": s.at, "result": "Kết quả"})
		}
	}
	r := newBody(time.Time{})
	r["status"], r["note"], r["received_at"] = "refused", "Thiếu giấy tờ", at(27, 7, 40)
	e.putOK(t, http.StatusCreated, "TP-261127-0002", r)
}

func TestDossierStats(t *testing.T) {
	e := newIntegEnv(t)
	e.seedOutcomes(t)
	r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers/stats", token: e.adminTok})
	var j DossierStatsJSON
	r.decode(t, &j)
	a := j.Figures.All
	if a.Total != 5 || a.Done != 3 || a.Early != 1 || a.OnTime != 1 || a.Late != 1 || a.OpenLate != 1 || a.Refused != 1 || a.Open != 1 {
		t.Fatalf("all %+v", a)
	}
	late := map[string]bool{}
	for _, l := range j.Figures.Late {
		late[l.Code] = true
	}
	if len(late) != 2 || !late["TP-261123-0001"] || !late["TP-261120-0001"] {
		t.Fatalf("late list %+v", j.Figures.Late)
	}
	byDept := map[string]int{}
	for _, d := range j.Figures.ByDepartment {
		byDept[d.Key] = d.Total
	}
	if byDept["tckh"] != 4 || byDept["tu-phap"] != 1 {
		t.Fatalf("by department %+v", j.Figures.ByDepartment)
	}
	if len(j.Figures.ByProcedure) == 0 || len(j.Figures.ByField) == 0 || len(j.Figures.ByMonth) == 0 {
		t.Fatalf("figures %+v", j.Figures)
	}
	// A period: the dossiers received from the 26th.
	r = e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers/stats?from=2026-11-26&to=2026-11-27", token: e.adminTok})
	r.decode(t, &j)
	if j.Figures.All.Total >= 5 || j.Figures.All.Done != 2 || j.From != "2026-11-26" {
		t.Fatalf("period: %+v", j)
	}
}

func TestDossierStatsCSV(t *testing.T) {
	e := newIntegEnv(t)
	e.seedOutcomes(t)
	for _, c := range []struct{ lang, first, late string }{{"vi", "Phần", "Hồ sơ trễ hạn"}, {"en", "Section", "Late dossier"}} {
		r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/dossiers/stats.csv?lang=" + c.lang, token: e.adminTok})
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "luot-ho-so-hcm-q1-all-"+c.lang+".csv") {
			t.Fatalf("disposition %q", cd)
		}
		body := bytes.TrimPrefix(r.body, []byte("\ufeff"))
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", c.lang, err)
		}
		if recs[0][0] != c.first || len(recs[0]) != 21 {
			t.Fatalf("%s header %q", c.lang, recs[0])
		}
		lates := 0
		for _, rec := range recs[1:] {
			if rec[0] == c.late {
				lates++
				if rec[1] == "" || rec[17] == "" || rec[20] == "" {
					t.Errorf("late line %q", rec)
				}
			}
		}
		if lates != 2 || recs[1][3] != "5" {
			t.Fatalf("%s: %d late lines, total line %q", c.lang, lates, recs[1])
		}
	}
}

func TestDossierStatsRefused(t *testing.T) {
	e := newIntegEnv(t)
	for _, c := range []struct {
		name, query, tok string
		status           int
		err              string
	}{
		{"a clerk", "", e.login(t, "nv1", "q1"), http.StatusForbidden, "forbidden"},
		{"a handler", "", e.login(t, "h-tp", ""), http.StatusForbidden, "forbidden"},
		{"nobody", "", "", http.StatusUnauthorized, "unauthenticated"},
		{"the integration's key", "", e.key, http.StatusUnauthorized, "invalid_session"},
		{"a bad date", "?from=27/11/2026", e.adminTok, http.StatusBadRequest, "invalid_date"},
		{"a period backwards", "?from=2026-11-27&to=2026-11-01", e.adminTok, http.StatusBadRequest, "invalid_period"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range []string{"/api/v1/dossiers/stats", "/api/v1/dossiers/stats.csv"} {
				r := e.do(t, req{method: "GET", path: p + c.query, token: c.tok})
				if r.status != c.status || r.errCode(t) != c.err {
					t.Fatalf("%s: status %d, want %d %s: %s", p, r.status, c.status, c.err, r.body)
				}
			}
		})
	}
}
