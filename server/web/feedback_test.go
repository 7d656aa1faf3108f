package web

import (
	"encoding/json"
	"image/color"
	"net/http"
	"strings"
	"testing"
)

// TestFeedbackPagesNeedStaff: the feedback pages send a visitor without a
// session to the login without a counter, refuse a clerk, and open for a
// moderator and a handler; a code not written as one is 404.
func TestFeedbackPagesNeedStaff(t *testing.T) {
	e := newFeedbackEnv(t)
	for _, p := range []string{"/staff/reports", "/staff/reports/stats", "/staff/reports/PA-2611-00001"} {
		r := e.do("GET", p, "", nil, "")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/staff/login?next=") {
			t.Errorf("%s without a session: %d %s", p, r.status, r.header.Get("Location"))
		}
	}
	clerk := e.login("nv1", "q1")
	if r := e.do("GET", "/staff/reports?lang=en", clerk, nil, ""); r.status != http.StatusForbidden || !strings.Contains(r.body, "only moderators and handlers") {
		t.Errorf("a clerk: %d %s", r.status, r.body)
	}
	for _, who := range []string{"kd1", "xl1", "admin"} {
		tok := e.login(who, "")
		for _, p := range []string{"/staff/reports", "/staff/reports/PA-2611-00001"} {
			if r := e.do("GET", p, tok, nil, ""); r.status != http.StatusOK || !strings.Contains(r.body, `id="fb-texts"`) {
				t.Errorf("%s opens %s: %d", who, p, r.status)
			}
		}
		if r := e.do("GET", "/staff/reports/nope", tok, nil, ""); r.status != http.StatusNotFound {
			t.Errorf("%s opens a bad code: %d", who, r.status)
		}
	}
	// The login page of moderators and handlers offers no counter first.
	if r := e.do("GET", "/staff/login?lang=vi", "", nil, ""); r.status != 200 || !strings.Contains(r.body, `<option value="" selected>`) || !strings.Contains(r.body, "Đăng nhập xử lý phản ánh") {
		t.Errorf("staff login: %d", r.status)
	}
	// The API behind the pages: a report filed, a moderator sees it.
	code := e.fileNew(newReport{category: "moi-truong", description: "Rac do tren via he", address: "12 Le Loi", name: "Nguyen Van An", phone: "0912345678",
		lat: "10.7769", lon: "106.7009", photos: [][]byte{testPNG(t, color.RGBA{200, 30, 30, 255})}})
	mod := e.login("kd1", "")
	r := e.apiDo("GET", "/api/v1/feedback/reports", mod, "")
	var j struct{ Reports []struct{ Code string } }
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || len(j.Reports) != 1 || j.Reports[0].Code != code {
		t.Fatalf("inbox: %d %s", r.status, r.body)
	}
	// Logging out works for every role and leads to their login.
	if r := e.do("POST", "/logout", mod, nil, ""); r.status != http.StatusSeeOther || r.header.Get("Location") != "/staff/login" {
		t.Errorf("moderator's logout: %d %s", r.status, r.header.Get("Location"))
	}
}

// TestFeedbackStatsPage: the statistics page counts the office's reports
// for a moderator and the unit's for a handler, with its SVG charts, and
// its CSV link downloads the same figures in the page's language.
func TestFeedbackStatsPage(t *testing.T) {
	e := newFeedbackEnv(t)
	red := testPNG(t, color.RGBA{200, 30, 30, 255})
	a := e.fileNew(newReport{category: "moi-truong", description: "Rac do tren via he", address: "12 Le Loi", name: "Nguyen Van An", phone: "0912345678", photos: [][]byte{red}})
	e.fileNew(newReport{category: "trat-tu-do-thi", description: "Lan chiem via he", address: "5 Dong Khoi", anonymous: true, photos: [][]byte{red}})
	mod := e.login("kd1", "")
	e.act(mod, a, "accept", nil)
	e.act(mod, a, "assign", map[string]any{"unit": "p-ben-nghe"})

	r := e.do("GET", "/staff/reports/stats?lang=vi", mod, nil, "")
	if r.status != 200 {
		t.Fatalf("stats: %d %s", r.status, r.body)
	}
	for _, want := range []string{"Tổng số phản ánh</th><td class=\"n\">2</td>", `id="chart-category"`, "<svg", "Môi trường", "Phường Bến Nghé",
		`href="/staff/reports/stats.csv?from=&amp;to=&amp;lang=vi"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the moderator's statistics lack %q", want)
		}
	}
	for lang, head := range map[string]string{"vi": "\ufeffPhần,Mã,Tên,Số phản ánh", "en": "\ufeffSection,Key,Name,Reports"} {
		c := e.do("GET", "/staff/reports/stats.csv?lang="+lang, mod, nil, "")
		if c.status != 200 || !strings.HasPrefix(c.body, head) || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(c.header.Get("Content-Disposition"), "-"+lang+".csv") {
			t.Errorf("CSV in %s: %d %q %q", lang, c.status, c.header, c.body[:min(len(c.body), 80)])
		}
	}
	// A handler's figures are their ward's: one report, one for the other.
	for who, n := range map[string]string{"xl1": "1", "xl2": "0"} {
		r := e.do("GET", "/staff/reports/stats?lang=en", e.login(who, ""), nil, "")
		if r.status != 200 || !strings.Contains(r.body, "Reports</th><td class=\"n\">"+n+"</td>") {
			t.Errorf("%s's statistics: %d, want %s reports", who, r.status, n)
		}
	}
	if r := e.do("GET", "/staff/reports/stats?from=2026-13-01", mod, nil, ""); r.status != 400 {
		t.Errorf("a bad date: %d", r.status)
	}
}
