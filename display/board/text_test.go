package board

import (
	"os"
	"regexp"
	"testing"
	"time"
)

func TestText(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{line("recall", true, 2), "Gọi lại lần 2 · Recall"},
		{line("recall", false, 12), "Gọi lại lần 12"},
		{line("paused", true), "Tạm nghỉ · Paused"},
		{line("noCounters", false), "Chưa có quầy mở"},
		{tr(langEN, "lost"), "Connection lost — reconnecting…"},
		{tr(langVI, "no such sentence"), "no such sentence"},
	} {
		if c.got != c.want {
			t.Errorf("%q; want %q", c.got, c.want)
		}
	}
	vi, en := dateLines(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
	if vi != "Chủ nhật, 29/11/2026" || en != "Sunday, 29 November 2026" {
		t.Errorf("date lines %q, %q", vi, en)
	}
}

// TestTextIDs checks that every sentence the renderer asks for is in
// texts: a misspelt id would show on the board as it is.
func TestTextIDs(t *testing.T) {
	src, err := os.ReadFile("render.go")
	if err != nil {
		t.Fatal(err)
	}
	use := regexp.MustCompile(`(?:tr\(lang(?:VI|EN), |line\(|title\(b, r\.\w+, r\.\w+, )"(\w+)"`)
	banner := regexp.MustCompile(`banner :?= "(\w+)"`)
	n := 0
	for _, re := range []*regexp.Regexp{use, banner} {
		for _, m := range re.FindAllSubmatch(src, -1) {
			n++
			if _, ok := texts[string(m[1])]; !ok {
				t.Errorf("render.go asks for %q, which texts lacks", m[1])
			}
		}
	}
	if n < len(texts) {
		t.Errorf("found %d uses of %d sentences: is the pattern stale?", n, len(texts))
	}
}
