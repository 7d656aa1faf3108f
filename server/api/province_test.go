package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/internal/pgtest"
	"luot/server/photo"
	"luot/server/queue"
	"luot/server/report"
)

// provinceEnv is the API with two offices (hcm-q1, which keeps dossiers
// and feedback reports, and hn-bd, which keeps neither), a province
// administrator "tinh" (staff of hcm-q1, PIN 1234) and a moderator "mod".
type provinceEnv struct {
	*integEnv
	fb *fbEnv
}

func newProvinceEnv(t *testing.T, opts ...envOpt) *provinceEnv {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "photos")
	pd, err := photo.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ie := newIntegEnv(t, append([]envOpt{withConfig(func(c *Config) {
		c.Feedback, c.PhotoDir = feedbackConfig(t), pd
		c.PhotoPipeline = photo.NewPipeline(photo.Limits{}, 2, 0)
		c.FeedbackLimits.PerAddrBurst, c.FeedbackLimits.PerAddrEvery = 10_000, time.Second
	})}, opts...)...)
	pin, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	for _, st := range []queue.Staff{
		{ID: "tinh", Office: office, Name: "Sở Nội vụ", Role: queue.RoleProvince},
		{ID: "mod", Office: office, Name: "Kiểm duyệt viên", Role: queue.RoleModerator},
	} {
		if err := ie.db.PutStaff(context.Background(), st, pin); err != nil {
			t.Fatal(err)
		}
	}
	return &provinceEnv{integEnv: ie, fb: &fbEnv{env: ie.env, photos: dir}}
}

// seed makes the fixtures, on Friday 27 November 2026 then on Thursday
// 17 December (today at the end):
//   - hcm-q1's dossiers of seedOutcomes: 4 received 20–27 November, done
//     3 of which 2 by their due day and 1 late, 1 open and late (and 1
//     refused at the counter, never received: a period, which bounds the
//     time of receipt, leaves it out, as the office's own report does);
//   - three feedback reports of hcm-q1 made on 27 November, one refused at
//     once (closed on time), two left open, overdue by 17 December;
//   - on 17 December, hcm-q1 issues A, B, C: A called after 5 minutes and
//     served, B called after 10 and a no-show, C waiting; hn-bd issues X
//     and Y: X called after 5 minutes and served, Y waiting.
func (e *provinceEnv) seed(t *testing.T) {
	t.Helper()
	e.seedOutcomes(t)
	mod := e.login(t, "mod", "")
	var codes []string
	for range 3 {
		codes = append(codes, e.fb.newReport(t).Report.Code)
	}
	e.fb.mustAct(t, mod, codes[0], "refuse", map[string]string{"reason": "Không thuộc thẩm quyền"})
	e.clock.Advance(20 * 24 * time.Hour)

	hcm := e.clerk(t, "nv1", "q1")
	hnLogin := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": "hn-bd", "counter": "q1", "staff": "nv1", "pin": "1234"}})
	var hs SessionJSON
	hnLogin.decode(t, &hs)
	hn := hs.Token
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/open", token: hn})
	for range 3 {
		e.issue(t, "kiosk1", "xay-dung")
	}
	for range 2 {
		e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/hn-bd/tickets", device: "kiosk-hn", body: map[string]string{"service": "xay-dung"}})
	}
	act := func(tok, action string) {
		e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/" + action, token: tok})
	}
	e.clock.Advance(5 * time.Minute)
	act(hcm, "next") // A: 5 minutes
	act(hn, "next")  // X: 5 minutes
	e.clock.Advance(time.Minute)
	act(hcm, "done")
	act(hn, "done")
	e.clock.Advance(4 * time.Minute)
	act(hcm, "next") // B: 10 minutes
	e.clock.Advance(time.Minute)
	act(hcm, "no-show")
}

func (e *provinceEnv) figures(t *testing.T, tok, query string) report.Province {
	t.Helper()
	r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/province/stats" + query, token: tok})
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	var p report.Province
	r.decode(t, &p)
	return p
}

// TestProvinceStatsFigures checks the figures against the fixtures of
// seed, on SQLite and on PostgreSQL: the same store contract, the same
// figures.
func TestProvinceStatsFigures(t *testing.T) {
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			var opts []envOpt
			if be == "postgres" {
				opts = append(opts, withDatabase(pgtest.Get(t).NewDatabase(t)))
			}
			e := newProvinceEnv(t, opts...)
			if got := e.db.Backend(); got != be {
				t.Fatalf("backend %s, want %s", got, be)
			}
			provinceFigures(t, e)
		})
	}
}

func provinceFigures(t *testing.T, e *provinceEnv) {
	e.seed(t)
	tok := e.login(t, "tinh", "")

	p := e.figures(t, tok, "?from=2026-11-20&to=2026-12-17")
	if p.From != "2026-11-20" || p.To != "2026-12-17" || len(p.Offices) != 2 {
		t.Fatalf("period and offices: %+v", p)
	}
	hcm, hn := p.Offices[0], p.Offices[1]
	if hcm.Office != "hcm-q1" || hcm.Name != "Bộ phận Một cửa Quận 1" || hn.Office != "hn-bd" || hcm.Today != "2026-12-17" || hn.Today != "2026-12-17" {
		t.Fatalf("offices %+v %+v", hcm, hn)
	}
	wantHCM := report.ProvinceQueue{Tickets: 3, Served: 1, NoShow: 1, Waits: 2, AvgWaitSeconds: 450}
	wantHN := report.ProvinceQueue{Tickets: 2, Served: 1, NoShow: 0, Waits: 1, AvgWaitSeconds: 300}
	if hcm.Queue != wantHCM || hcm.QueueToday != wantHCM {
		t.Errorf("hcm-q1 queue %+v, today %+v; want %+v", hcm.Queue, hcm.QueueToday, wantHCM)
	}
	if hn.Queue != wantHN || hn.QueueToday != wantHN {
		t.Errorf("hn-bd queue %+v, today %+v; want %+v", hn.Queue, hn.QueueToday, wantHN)
	}
	wantD := report.ProvinceDossiers{Received: 4, Done: 3, OnTime: 2, Late: 1, Open: 1, OpenLate: 1, OnTimeRate: 2.0 / 3}
	if hcm.Dossiers == nil || *hcm.Dossiers != wantD {
		t.Errorf("hcm-q1 dossiers %+v, want %+v", hcm.Dossiers, wantD)
	}
	wantF := report.ProvinceFeedback{Reports: 3, Open: 2, Overdue: 2, Closed: 1, OnTime: 1, OnTimeRate: 1}
	if hcm.Feedback == nil || *hcm.Feedback != wantF {
		t.Errorf("hcm-q1 feedback %+v, want %+v", hcm.Feedback, wantF)
	}
	if hn.Dossiers != nil || hn.Feedback != nil {
		t.Errorf("hn-bd keeps no dossiers nor reports, got %+v %+v", hn.Dossiers, hn.Feedback)
	}
	wantT := report.ProvinceQueue{Tickets: 5, Served: 2, NoShow: 1, Waits: 3, AvgWaitSeconds: 400}
	if p.Total.Queue != wantT || p.Total.QueueToday != wantT || *p.Total.Dossiers != wantD || *p.Total.Feedback != wantF {
		t.Errorf("total %+v", p.Total)
	}

	// Today only (the default): the queue's figures, no dossier nor
	// report received today (zeros, not "none").
	p = e.figures(t, tok, "")
	if p.From != "2026-12-17" || p.To != "2026-12-17" || p.Offices[0].Queue != wantHCM || p.Offices[0].Dossiers == nil || p.Offices[0].Dossiers.Received != 0 ||
		p.Offices[0].Feedback == nil || p.Offices[0].Feedback.Reports != 0 {
		t.Errorf("today: %+v", p)
	}
	// A period without today: nothing in it, today's queue still said.
	p = e.figures(t, tok, "?from=2026-11-20&to=2026-11-27")
	if p.Offices[0].Queue != (report.ProvinceQueue{}) || p.Offices[0].QueueToday != wantHCM || p.Offices[1].QueueToday != wantHN || p.Offices[0].Dossiers.Received != 4 {
		t.Errorf("past period: %+v", p)
	}

	// The CSV: one line per office and the total, in either language.
	r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/province/stats.csv?from=2026-11-20&to=2026-12-17&lang=en", token: tok})
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(r.header.Get("Content-Disposition"), "luot-tinh-2026-11-20-2026-12-17-en.csv") {
		t.Errorf("CSV headers %v", r.header)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "Office" || rows[1][0] != "hcm-q1" || rows[2][0] != "hn-bd" || rows[3][0] != "Total" {
		t.Fatalf("CSV %q", rows)
	}
	if got := strings.Join(rows[1][3:], ","); got != "3,1,1,7.5,3,1,1,7.5,4,3,2,1,1,66.7,3,2,2,1,1,100.0" {
		t.Errorf("hcm-q1's CSV line %s", got)
	}
	if got := strings.Join(rows[2][3:], ","); got != "2,1,0,5.0,2,1,0,5.0,,,,,,,,,,,," {
		t.Errorf("hn-bd's CSV line %s", got)
	}
	r = e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/province/stats.csv", token: tok, header: map[string]string{"Accept-Language": "vi"}})
	if !strings.HasPrefix(string(r.body), "\ufeffMã đơn vị,") || !strings.Contains(string(r.body), "\nTổng,") {
		t.Errorf("Vietnamese CSV %s", r.body)
	}
}

// TestProvinceStatsRefused: only a province administrator reads the
// figures — an office's clerk, administrator or moderator, of this office
// or another, gets 403; no session 401; a bad period 400, saying why.
func TestProvinceStatsRefused(t *testing.T) {
	e := newProvinceEnv(t)
	hn := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": "hn-bd", "counter": "q1", "staff": "nv1", "pin": "1234"}})
	var hs SessionJSON
	hn.decode(t, &hs)
	for _, c := range []struct {
		who, tok string
	}{{"a clerk", e.login(t, "nv1", "q1")}, {"an office's administrator", e.adminTok}, {"a moderator", e.login(t, "mod", "")}, {"another office's clerk", hs.Token}} {
		for _, path := range []string{"/api/v1/province/stats", "/api/v1/province/stats.csv", "/api/v1/province/stats?from=2026-11-01&to=2026-11-30"} {
			r := e.do(t, req{method: "GET", path: path, token: c.tok})
			if r.status != http.StatusForbidden || r.errCode(t) != "forbidden" {
				t.Errorf("%s: GET %s: %d %s", c.who, path, r.status, r.body)
			}
		}
	}
	if r := e.do(t, req{method: "GET", path: "/api/v1/province/stats"}); r.status != http.StatusUnauthorized {
		t.Errorf("no session: %d %s", r.status, r.body)
	}

	tok := e.login(t, "tinh", "")
	for _, c := range []struct {
		query, code, vi string
	}{
		{"?from=27-11-2026", "invalid_date", "From phải là ngày"},
		{"?from=2026-11-01&to=2026-02-30", "invalid_date", "To phải là ngày"},
		{"?from=2026-11-30&to=2026-11-01", "invalid_period", "hãy đổi chỗ hai ngày"},
		{"?from=2025-11-01&to=2026-11-30", "period_too_long", "tối đa 366 ngày"},
	} {
		r := e.do(t, req{method: "GET", path: "/api/v1/province/stats" + c.query, token: tok, header: map[string]string{"Accept-Language": "vi"}})
		if r.status != http.StatusBadRequest || r.errCode(t) != c.code || !strings.Contains(string(r.body), c.vi) {
			t.Errorf("%s: %d %s", c.query, r.status, r.body)
		}
	}
	// 366 days is the most, and it is taken; 367 are not.
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/province/stats?from=2025-11-30&to=2026-11-30", token: tok})
	e.must(t, http.StatusBadRequest, req{method: "GET", path: "/api/v1/province/stats?from=2025-11-29&to=2026-11-30", token: tok})
}

// TestProvinceAdministratorServesNoDesk: a province administrator's
// session, though of an office, does none of the desk's work there — no
// number issued, no booking checked in — and reads the office's public
// event stream only (no staff login), where its clerk's session reads
// the whole events.
func TestProvinceAdministratorServesNoDesk(t *testing.T) {
	e := newProvinceEnv(t)
	clerk := e.clerk(t, "nv1", "q1")
	tok := e.login(t, "tinh", "")
	for _, path := range []string{"/api/v1/offices/" + office + "/tickets", "/api/v1/offices/" + office + "/checkins"} {
		r := e.do(t, req{method: "POST", path: path, token: tok, body: map[string]string{"service": "xay-dung", "code": "ABCD-1234"}, header: map[string]string{"Accept-Language": "vi"}})
		if r.status != http.StatusForbidden || r.errCode(t) != "forbidden" || !strings.Contains(string(r.body), "Chỉ cán bộ một cửa và quản trị viên") {
			t.Errorf("POST %s: %d %s", path, r.status, r.body)
		}
	}
	if n := e.issue(t, "kiosk1", "xay-dung"); n.Number == "" {
		t.Fatal("no number")
	}
	last := e.seq(t)
	whole := bytes.Join(readUntil(t, e.dial(t, "?since=0", http.Header{"Authorization": {"Bearer " + clerk}}), last), []byte("\n"))
	public := bytes.Join(readUntil(t, e.dial(t, "?since=0", http.Header{"Authorization": {"Bearer " + tok}}), last), []byte("\n"))
	if !bytes.Contains(whole, []byte(`"staff":"nv1"`)) || bytes.Contains(public, []byte(`"staff":"nv1"`)) {
		t.Errorf("the clerk's stream:\n%s\nthe province administrator's:\n%s", whole, public)
	}
}
