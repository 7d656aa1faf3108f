package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestStaticFoldersAreNotListed: the embedded files are served, but a
// folder under /static/ or /citizen/ answers 404, not a list of the
// files (however the path is spelt, after any redirect).
func TestStaticFoldersAreNotListed(t *testing.T) {
	e := newEnv(t)
	get := func(path string) (int, string) {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, p := range []string{"/static/luot.css", "/static/staff/board.js", "/citizen/take.js", "/citizen/citizen.css"} {
		if st, _ := get(p); st != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, st)
		}
	}
	for _, p := range []string{
		"/static/", "/static", "/static/staff/", "/static/staff", "/static/./staff/", "/static//staff/",
		"/static/staff/../", "/static/%2e/", "/citizen/", "/citizen", "/citizen/./", "/citizen/index.html",
		"/static/index.html", "/static/staff/index.html",
	} {
		st, body := get(p)
		if st != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404: %.200s", p, st, body)
		}
		for _, leak := range []string{"luot.css", "board.js", "take.js", "staff/", "<a href"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s lists the folder (%q): %.200s", p, leak, body)
			}
		}
	}
}
