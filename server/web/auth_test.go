package web

import (
	"net/url"
	"strings"
	"testing"

	"luot/server/auth"
)

// TestAuthMatrix checks every staff and admin route for each kind of
// caller: no session, a clerk of another counter, the clerk of counter q1,
// and an admin.
func TestAuthMatrix(t *testing.T) {
	e := newEnv(t)
	tokens := map[string]string{
		"none":  "",
		"other": e.login("nv2", "q2"),
		"clerk": e.login("nv1", "q1"),
		"admin": e.login("admin", ""),
	}
	who := []string{"none", "other", "clerk", "admin"}
	type route struct {
		method, path string
		form         url.Values
		want         [4]int // none, other, clerk, admin
	}
	routes := []route{
		{"GET", "/clerk", nil, [4]int{303, 200, 200, 303}},
		{"GET", "/clerk/state", nil, [4]int{401, 200, 200, 409}},
		{"GET", "/admin", nil, [4]int{303, 403, 403, 200}},
		{"GET", "/admin/reports", nil, [4]int{303, 403, 403, 200}},
		{"GET", "/admin/reports.csv", nil, [4]int{401, 403, 403, 200}},
		{"POST", "/admin/office", url.Values{"name": {"Bộ phận Một cửa"}, "ticker": {"Xin chào"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/hours", url.Values{"hours_mon": {"07:30-11:30"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/policy", url.Values{"default_bonus": {"15"}, "booking_early": {"30"}, "booking_late": {"15"}, "late_checkin": {"walkin"}, "recent_calls": {"8"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/service", url.Values{"id": {"chung-thuc"}, "name": {"Chứng thực"}, "prefix": {"C"}, "default_minutes": {"4"}, "active": {"on"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/counter", url.Values{"id": {"q3"}, "number": {"3"}, "name": {"Quầy 3"}, "services": {"chung-thuc:0, ho-tich:5"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/staff", url.Values{"id": {"nv9"}, "name": {"Mới"}, "role": {"clerk"}, "pin": {"9876"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/staff-state", url.Values{"id": {"nv4"}, "disabled": {"true"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/staff-pin", url.Values{"id": {"nv3"}, "pin": {"5555"}}, [4]int{401, 403, 403, 303}},
		{"POST", "/admin/device", url.Values{"id": {"display9"}, "name": {"TV"}, "kind": {"display"}}, [4]int{401, 403, 403, 200}},
		{"POST", "/admin/device-revoke", url.Values{"id": {"kiosk1"}}, [4]int{401, 403, 403, 303}},
	}
	for _, rt := range routes {
		for i, w := range who {
			r := e.do(rt.method, rt.path, tokens[w], rt.form, "")
			if r.status != rt.want[i] {
				t.Errorf("%s %s as %s: %d, want %d (%.200s)", rt.method, rt.path, w, r.status, rt.want[i], r.body)
			}
		}
	}
	// The console's calls to the API: the clerk of another counter is refused.
	for i, w := range who {
		want := [4]int{401, 403, 200, 200}[i]
		if r := e.apiDo("POST", "/api/v1/counters/q1/open", tokens[w], ""); r.status != want {
			t.Errorf("open q1 as %s: %d, want %d (%s)", w, r.status, want, r.body)
		}
	}
	// Logout last: it ends the session.
	for i, w := range who {
		want := [4]int{401, 303, 303, 303}[i]
		if r := e.do("POST", "/logout", tokens[w], nil, ""); r.status != want {
			t.Errorf("logout as %s: %d, want %d", w, r.status, want)
		}
	}
	if r := e.do("GET", "/admin", tokens["admin"], nil, ""); r.status != 303 {
		t.Errorf("after logout: %d", r.status)
	}
}

// TestCSRF checks that a missing or wrong token, or another origin, is
// refused on forms and on the console's API calls, and changes nothing.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	clerk := e.login("nv1", "q1")
	form := url.Values{"name": {"Đổi tên"}}
	for _, csrf := range []string{"-", "wrong", auth.CSRFToken(clerk)} {
		if r := e.do("POST", "/admin/office", adm, form, csrf); r.status != 403 {
			t.Errorf("csrf %q: %d", csrf, r.status)
		}
	}
	if r := e.do("POST", "/logout", clerk, nil, "-"); r.status != 403 {
		t.Errorf("logout without csrf: %d", r.status)
	}
	v, _ := e.eng.View(office)
	if v.Office.Name == "Đổi tên" {
		t.Fatal("a refused form changed the office")
	}
	// API: cookie without the header.
	r := e.apiDo("POST", "/api/v1/counters/q1/open", "", "")
	if r.status != 401 {
		t.Fatalf("no session: %d", r.status)
	}
	for _, h := range []string{"", "wrong"} {
		resp := doRaw(t, e, "POST", "/api/v1/counters/q1/open", clerk, map[string]string{auth.CSRFHeader: h, "Origin": e.srv.URL})
		if resp != 403 {
			t.Errorf("API with CSRF header %q: %d", h, resp)
		}
	}
	if resp := doRaw(t, e, "POST", "/admin/office?x=1", adm, map[string]string{auth.CSRFHeader: auth.CSRFToken(adm), "Origin": "https://evil.example"}); resp != 403 {
		t.Errorf("form from another origin: %d", resp)
	}
}

func doRaw(t *testing.T, e *env, method, path, token string, hdr map[string]string) int {
	t.Helper()
	req, _ := newRequest(method, e.srv.URL+path)
	for k, v := range hdr {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	req.AddCookie(cookie(token))
	r, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	return r.StatusCode
}

// TestHostileNamesRenderAsText sets a service name that is HTML and
// checks that every page shows it as text, and the CSV as a plain cell.
func TestHostileNamesRenderAsText(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	const evil = `<script>alert(1)</script>`
	if r := e.do("POST", "/admin/service", adm, url.Values{"id": {"xay-dung"}, "name": {evil}, "name_en": {evil}, "prefix": {"A"}, "default_minutes": {"15"}, "active": {"on"}}, ""); r.status != 303 {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/admin/staff", adm, url.Values{"id": {"nv8"}, "name": {evil}, "role": {"clerk"}, "pin": {"1234"}}, ""); r.status != 303 {
		t.Fatalf("add staff: %d %s", r.status, r.body)
	}
	e.apiDo("POST", "/api/v1/counters/q1/open", adm, "")
	e.issue("xay-dung")
	clerk := e.login("nv1", "q1")
	e.apiDo("POST", "/api/v1/counters/q1/next", clerk, "")
	pages := map[string]string{"/admin": adm, "/admin/reports": adm, "/clerk": clerk, "/board/" + office: "", "/clerk/login": ""}
	for p, tok := range pages {
		r := e.do("GET", p, tok, nil, "")
		if r.status != 200 {
			t.Fatalf("GET %s: %d", p, r.status)
		}
		if strings.Contains(r.body, evil) || strings.Contains(r.body, "<script>alert") {
			t.Errorf("GET %s shows the name as HTML", p)
		}
		if p != "/board/"+office && p != "/clerk/login" && !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("GET %s does not show the name as text", p)
		}
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") || r.header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: headers %v", p, r.header)
		}
	}
	// The clerk's JSON: a string, escaped by the encoder.
	st := e.do("GET", "/clerk/state", clerk, nil, "")
	if strings.Contains(st.body, "<script>") {
		t.Errorf("state JSON carries raw HTML: %s", st.body)
	}
	csv := e.do("GET", "/admin/reports.csv", adm, nil, "")
	if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv headers %v", csv.header)
	}
	if !strings.Contains(csv.body, ",<script>alert(1)</script>,") {
		t.Errorf("csv does not carry the name as a plain cell:\n%s", csv.body)
	}
}
