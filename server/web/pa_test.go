package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"luot/server/queue"
)

// TestPAPages: the feedback pages are served with the office they are
// for and the security headers; a tile server's origin, and only a
// well-formed HTTP one, is added to the images the pages may load; a
// server that takes no feedback reports has no feedback pages.
func TestPAPages(t *testing.T) {
	e := newPAStack(t, stack{office: citOffice(), staff: paStaff(), kiosk: queue.Device{ID: "k1", Name: "k1"}})
	for _, p := range []string{"/pa", "/pa/", "/pa/new", "/pa/list", "/pa/PA-2611-00001", "/pa/PA-2611-00001?k=abc"} {
		res, err := http.Get(e.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if res.StatusCode != 200 || !strings.Contains(body, `<meta name="luot-office" content="hcm-q1">`) || !strings.Contains(body, `src="/citizen/pa.js"`) {
			t.Errorf("GET %s: %d %.300s", p, res.StatusCode, body)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: CSP %q", p, csp)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, "//unpkg") || strings.Contains(body, "cdn") {
			t.Errorf("GET %s: inline script or style, or a CDN: %.300s", p, body)
		}
	}
	for _, f := range []string{"/static/vendor/leaflet/README.md", "/citizen/pa-new.js", "/citizen/pa.css"} {
		if res, err := http.Get(e.srv.URL + f); err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", f, res.StatusCode, err)
		}
	}

	for _, c := range []struct{ tiles, want string }{
		{"https://tiles.example.vn/{z}/{x}/{y}.png", "img-src 'self' data: https://tiles.example.vn;"},
		{"http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "img-src 'self' data: http://10.0.0.5:8080;"},
		{"", "img-src 'self' data:;"},
		{"javascript:alert(1)", "img-src 'self' data:;"},
		{"//tiles.example.vn/{z}/{x}/{y}.png", "img-src 'self' data:;"},
		{"https://a.example; script-src *", "img-src 'self' data:;"},
		{"https://a.example;script-src", "img-src 'self' data:;"},
		{"https://a.example'x", "img-src 'self' data:;"},
	} {
		w, err := New(Config{Engine: e.eng, DB: e.db, Log: e.web.log, Feedback: paFeedback(), FeedbackTileURL: c.tiles})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		w.ServeHTTP(rec, httptest.NewRequest("GET", "/pa/list", nil))
		csp := rec.Header().Get("Content-Security-Policy")
		if rec.Code != 200 || !strings.Contains(csp, c.want) || strings.Count(csp, "script-src") != 1 {
			t.Errorf("tiles %q: %d, CSP %q, want %q in it", c.tiles, rec.Code, csp, c.want)
		}
	}
	none, err := New(Config{Engine: e.eng, DB: e.db, Log: e.web.log})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/pa", "/pa/new", "/pa/list", "/pa/PA-2611-00001"} {
		rec := httptest.NewRecorder()
		none.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != 404 || strings.Contains(rec.Body.String(), "luot-office") {
			t.Errorf("without feedback, GET %s: %d %.200s", p, rec.Code, rec.Body.String())
		}
	}
}
