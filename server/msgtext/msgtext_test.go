package msgtext

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"luot/internal/browsertest"
	"luot/server/queue"
)

var param = regexp.MustCompile(`\{[^{}]*\}`)

func params(s string) []string {
	p := param.FindAllString(s, -1)
	slices.Sort(p)
	return slices.Compact(p)
}

// TestCatalogueCoversEverySource checks that every error template in the
// server's sources has its entry, under the code it is sent with, and
// that the catalogue holds nothing the sources no longer say.
func TestCatalogueCoversEverySource(t *testing.T) {
	s := scan(t)
	if len(s.templates) < 100 {
		t.Fatalf("found only %d templates in %v: the scan is broken", len(s.templates), sources)
	}
	seen := map[string]bool{}
	for _, e := range catalogue {
		if seen[e.En] {
			t.Errorf("the catalogue has %q twice", e.En)
		}
		seen[e.En] = true
		if _, ok := s.templates[e.En]; !ok {
			t.Errorf("the catalogue has %q, which no source sends: remove it or fix its text", e.En)
		}
		if codes := s.codes[e.En]; len(codes) > 0 && !slices.Contains(codes, e.Code) {
			t.Errorf("%q is sent with code %v, the catalogue says %s", e.En, codes, e.Code)
		}
	}
	for tpl, where := range s.templates {
		if !seen[tpl] {
			t.Errorf("%s: %q has no entry in the catalogue (msgtext/catalogue.go): add its Vietnamese", where, tpl)
		}
	}
	for ph, where := range s.phrases {
		if _, ok := words[ph]; !ok {
			t.Errorf("%s: the phrase %q fills a message but has no Vietnamese in words", where, ph)
		}
	}
}

// TestEveryCodeBothLanguages checks that every code a client may get
// (server/client/codes.go) has a message in each language, that the two
// differ, and that each names the same parameters, all filled when said.
func TestEveryCodeBothLanguages(t *testing.T) {
	codes := clientCodes(t)
	byCode := map[string]int{}
	for _, e := range catalogue {
		byCode[e.Code]++
		if e.Code == "" || strings.TrimSpace(e.En) == "" || strings.TrimSpace(e.Vi) == "" {
			t.Errorf("entry %+v lacks a code or a text", e)
			continue
		}
		if e.En == e.Vi {
			t.Errorf("%s: the Vietnamese of %q is the English", e.Code, e.En)
		}
		if pe, pv := params(e.En), params(e.Vi); !slices.Equal(pe, pv) {
			t.Errorf("%s: %q names %v, its Vietnamese %v", e.Code, e.En, pe, pv)
		}
		args := map[string]string{}
		for _, p := range params(e.En) {
			args[strings.Trim(p, "{}")] = "X"
		}
		for _, lang := range []string{"vi", "en"} {
			got := Say(lang, e.En, args, "fallback")
			if param.MatchString(got) || got == "fallback" {
				t.Errorf("%s in %s: %q leaves a parameter unfilled", e.Code, lang, got)
			}
			// Names of the API (routes, headers, JSON fields) are no language.
			text := apiNames.ReplaceAllString(got, "")
			if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
				t.Errorf("%s in %s: %q has words of the other language: %q", e.Code, lang, got, words)
			}
		}
	}
	for _, c := range codes {
		if why, ok := neverSent[c]; ok {
			for _, e := range catalogue {
				if e.Code == c {
					t.Errorf("code %q is said never to be sent (%s), yet the catalogue has %q", c, why, e.En)
				}
			}
			continue
		}
		if byCode[c] == 0 {
			t.Errorf("code %q (server/client/codes.go) has no message in the catalogue", c)
		}
	}
}

// neverSent are the codes of codes.go that no answer carries, and why.
// The catalogue check above finds every template a source sends, so a
// source that came to send one would fail it.
var neverSent = map[string]string{
	"nobody_waiting": "calling the next number when nobody waits answers 204 without a body",
}

// apiNames are the API's own names a message may quote: routes, headers
// and the JSON fields of a request.
var apiNames = regexp.MustCompile(`(?:POST|GET) \S+|"[a-z_]+"|/api/v1/\S+|[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)+|\?[a-z]+=|\b[a-z]+_[a-z_]+\b|\b[a-z]+(?:\.[a-z0-9_]+)+\b|Bearer <token>|Content-Type: \S+`)

// clientCodes are the string constants of server/client/codes.go.
func clientCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../client/codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
		return true
	})
	if len(out) < 30 {
		t.Fatalf("read only %d codes from codes.go", len(out))
	}
	return out
}

// TestStatusesHaveWords checks that every status and state a message can
// name has its Vietnamese.
func TestStatusesHaveWords(t *testing.T) {
	all := []string{
		string(queue.StatusWaiting), string(queue.StatusCalled), string(queue.StatusServing), string(queue.StatusDone),
		string(queue.StatusNoShow), string(queue.StatusCancelled), string(queue.StatusExpired),
		string(queue.CounterClosed), string(queue.CounterOpen), string(queue.CounterPaused),
		string(queue.BookingBooked), string(queue.BookingCheckedIn), string(queue.BookingCancelled),
		string(queue.BookingExpired), string(queue.BookingNoShow),
		string(queue.DeviceKiosk), string(queue.DeviceDisplay),
	}
	for _, w := range all {
		if words[w] == "" {
			t.Errorf("%q has no Vietnamese in words", w)
		}
	}
}

func TestSay(t *testing.T) {
	e := queue.NewError(queue.KindConflict, "counter_not_open", "counter {counter} is {state}: open it first", "counter", 4, "state", queue.CounterPaused)
	if got, want := Say("en", e.Template, e.Args, e.Message), "counter 4 is paused: open it first"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := Say("vi", e.Template, e.Args, e.Message), "Quầy 4 đang tạm dừng: hãy mở quầy trước"; got != want {
		t.Errorf("vi: %q, want %q", got, want)
	}
	// A name that happens to be a status word stays a name.
	e = queue.NewError(queue.KindNotFound, "unknown_ticket", "no ticket {ticket} today", "ticket", "done")
	if got, want := Say("vi", e.Template, e.Args, e.Message), "Hôm nay không có số done"; got != want {
		t.Errorf("vi: %q, want %q", got, want)
	}
	// A value that looks like a parameter is not filled again.
	e = queue.NewError(queue.KindNotFound, "unknown_ticket", "no ticket {ticket} today", "ticket", "{ticket}")
	if got, want := Say("vi", e.Template, e.Args, e.Message), "Hôm nay không có số {ticket}"; got != want {
		t.Errorf("vi: %q, want %q", got, want)
	}
	if got := Say("vi", "a template nobody wrote", nil, "the English"); got != "the English" {
		t.Errorf("an unknown template says %q, want the fallback", got)
	}
	// A geometry's problem prefixed with the planning import's feature:
	// both parts translated.
	args := map[string]string{"feature": "3 (Z-1)", "width": "4"}
	tpl := "feature {feature}: a VN-2000 zone is 3 or 6 degrees wide, not {width}: cadastral and planning maps use 3"
	if got, want := Say("vi", tpl, args, "x"), "Đối tượng 3 (Z-1): múi chiếu VN-2000 rộng 3 hoặc 6 độ, không phải 4: bản đồ địa chính và quy hoạch dùng múi 3 độ"; got != want {
		t.Errorf("vi: %q, want %q", got, want)
	}
	if got := Say("vi", "feature {feature}: a template nobody wrote", args, "the English"); got != "the English" {
		t.Errorf("a prefixed unknown template says %q, want the fallback", got)
	}
	if got := Say("vi", "", nil, "plain"); got != "plain" {
		t.Errorf("no template says %q, want the fallback", got)
	}
}

func TestLang(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"", "vi"},
		{"vi", "vi"},
		{"en", "en"},
		{"en-GB,en;q=0.9", "en"},
		{"EN-us", "en"},
		{"fr-FR, en;q=0.5, vi;q=0.9", "en"}, // the first of the two it names
		{"vi-VN,vi;q=0.9,en;q=0.8", "vi"},
		{"fr, de", "vi"},
		{"*", "vi"},
		{"eng", "vi"},            // not the primary subtag "en"
		{"env, vin", "vi"},       // prefixes are not tags
		{"en;q=0, vi", "vi"},     // q=0 means "not this one"
		{"en;q=0.000", "vi"},     //
		{"en;q=0.001", "en"},     //
		{"en;Q=0", "vi"},         //
		{" ;;,,;=,en", "en"},     // junk around a good tag
		{"en\x00", "vi"},         // a control byte makes no tag
		{"\xff\xfe, en", "en"},   // invalid UTF-8 is skipped
		{"tiếng việt, en", "en"}, // non-ASCII tags are not tags
		{"vi;q=abc", "vi"},       // an unreadable weight does not refuse
		{"en;q=", "en"},          //
		{"en-", "en"},            //
		{"-en", "vi"},            //
		{"english", "vi"},        //
	} {
		if got := Lang(c.header); got != c.want {
			t.Errorf("Lang(%q) = %q, want %q", c.header, got, c.want)
		}
	}
	// A huge header is read only so far, and quickly.
	long := strings.Repeat("fr,", 100000) + "en"
	if got := Lang(long); got != "vi" {
		t.Errorf("Lang(300 kB of fr then en) = %q, want vi (read only the first 512 bytes)", got)
	}
	if got := Lang("en" + strings.Repeat(",fr", 100000)); got != "en" {
		t.Errorf("Lang(en then 300 kB) = %q, want en", got)
	}
}

func FuzzLang(f *testing.F) {
	f.Add("en-GB,en;q=0.9")
	f.Add("vi;q=0")
	f.Fuzz(func(t *testing.T, h string) {
		if got := Lang(h); got != "vi" && got != "en" {
			t.Fatalf("Lang(%q) = %q", h, got)
		}
	})
}
