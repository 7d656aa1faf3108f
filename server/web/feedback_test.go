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
	code := e.fileReport(newReport{category: "moi-truong", description: "Rac do tren via he", address: "12 Le Loi", name: "Nguyen Van An", phone: "0912345678",
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
