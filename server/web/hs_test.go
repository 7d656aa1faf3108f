package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"luot/server/dossier"
)

// TestHSPages: the applicant's page is served for the form and for any
// dossier address, with the office and its time zone, the security
// headers and a referrer policy that keeps the link's key to itself;
// what the address holds is never written into the page; a server that
// follows no dossiers has no such page.
func TestHSPages(t *testing.T) {
	e := newEnv(t)
	w, err := New(Config{Engine: e.eng, DB: e.db, Log: e.web.log, Dossiers: hsDossiers(office)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	defer srv.Close()
	for _, p := range []string{"/hs", "/hs/", "/hs/TP-261127-0001", "/hs/TP-261127-0001?k=abc",
		`/hs/%3Cscript%3Ealert(1)%3C%2Fscript%3E?k=%22%3E%3Cimg%20src%3Dx%3E`} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if res.StatusCode != 200 || !strings.Contains(body, `<meta name="luot-office" content="demo">`) ||
			!strings.Contains(body, `<meta name="luot-tz" content="Asia/Ho_Chi_Minh">`) || !strings.Contains(body, `src="/citizen/hs.js"`) {
			t.Errorf("GET %s: %d %.300s", p, res.StatusCode, body)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy || res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s: CSP %q, referrer %q", p, csp, res.Header.Get("Referrer-Policy"))
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "alert(1)") || strings.Contains(body, "img src") || strings.Contains(body, " style=") || strings.Contains(body, "abc") {
			t.Errorf("GET %s: the address or inline code in the page: %.300s", p, body)
		}
	}
	for _, f := range []string{"/citizen/hs.js", "/citizen/hs.css"} {
		if res, err := http.Get(srv.URL + f); err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", f, res.StatusCode, err)
		}
	}
	for _, cfg := range []*dossier.Config{nil, {}} {
		none, err := New(Config{Engine: e.eng, DB: e.db, Log: e.web.log, Dossiers: cfg})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/hs", "/hs/TP-261127-0001?k=abc"} {
			rec := httptest.NewRecorder()
			none.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
			if rec.Code != 404 || strings.Contains(rec.Body.String(), "luot-office") {
				t.Errorf("without dossiers (%v), GET %s: %d %.200s", cfg, p, rec.Code, rec.Body.String())
			}
		}
	}
}
