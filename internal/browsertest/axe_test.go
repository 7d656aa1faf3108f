package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAxe: axe-core finds a planted critical violation (an input without
// a label) and nothing serious on a page that is right — served with the
// server's strict Content-Security-Policy, which must not stop it.
func TestAxe(t *testing.T) {
	NeedAxe(t)
	pages := map[string]string{
		"/good": `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lượt</title></head>
			<body><main><h1>Lấy số</h1><label for="n">Họ tên</label> <input id="n" name="n"></main></body></html>`,
		"/bad": `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lượt</title></head>
			<body><main><h1>Lấy số</h1><input id="n" name="n"></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	ctx := New(t, 2*time.Minute)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	vs, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := SeriousOnly(vs); len(s) > 0 {
		t.Errorf("a right page breaks %v", s)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	vs, err = Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(vs, func(v Violation) bool { return v.ID == "label" })
	if i < 0 || vs[i].Impact != "critical" || !vs[i].Serious() || len(vs[i].Nodes) != 1 {
		t.Fatalf("axe did not find the input without a label: %v", vs)
	}
	// Running it twice on the same page gives the same answer.
	again, err := Axe(ctx)
	if err != nil || len(again) != len(vs) {
		t.Fatalf("second run: %v %v", again, err)
	}
}
