package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFailTextsCoverEveryRefusal: every sentence the staff pages pass to
// fail has its Vietnamese (and the English stays itself), so that a
// Vietnamese page never shows an English refusal.
func TestFailTextsCoverEveryRefusal(t *testing.T) {
	names, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	found := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) != 4 {
				return true
			}
			if sel, ok := c.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "fail" {
				return true
			}
			lit, ok := c.Args[3].(*ast.BasicLit)
			if !ok {
				return true
			}
			msg, _ := strconv.Unquote(lit.Value)
			found++
			vi := failText("vi", msg)
			if vi == msg || failText("en", msg) != msg {
				t.Errorf("%s: %q has no Vietnamese in failTexts", fset.Position(c.Pos()), msg)
			}
			return true
		})
	}
	// Most pages name their refusals by text key (translator); the
	// literal sentences left are few, but never none.
	if found < 5 {
		t.Fatalf("found only %d refusals: the scan is broken", found)
	}
	for _, status := range []int{400, 401, 403, 404, 409, 503, 500} {
		if vi, en := statusTitle("vi", status), statusTitle("en", status); vi == en || vi == "" || en == "" {
			t.Errorf("status %d: titles %q and %q", status, vi, en)
		}
	}
}

// TestPageLanguage: the page's language comes from ?lang=, the cookie,
// then Accept-Language read as the API reads it; anything else is
// Vietnamese.
func TestPageLanguage(t *testing.T) {
	for _, c := range []struct{ query, cookie, header, want string }{
		{"", "", "", "vi"},
		{"en", "", "", "en"},
		{"fr", "", "en", "en"},
		{"", "en", "vi", "en"},
		{"", "xx", "en-US,en;q=0.9", "en"},
		{"", "", "eng", "vi"},
		{"", "", "english", "vi"},
		{"", "", "en;q=0,vi", "vi"},
		{"", "", "\x7f\xff,en", "en"},
		{"", "", strings.Repeat("a,", 5000) + "en", "vi"},
		{"EN", "EN", "", "vi"},
	} {
		r := httptest.NewRequest("GET", "/clerk/login?lang="+c.query, nil)
		if c.cookie != "" {
			r.AddCookie(&http.Cookie{Name: "luot_lang", Value: c.cookie})
		}
		if c.header != "" {
			r.Header.Set("Accept-Language", c.header)
		}
		if got := lang(r); got != c.want {
			t.Errorf("lang(?lang=%q, cookie %q, Accept-Language %.30q) = %q, want %q", c.query, c.cookie, c.header, got, c.want)
		}
	}
}
