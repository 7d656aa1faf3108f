package queue

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCheckNameFormatCharacters(t *testing.T) {
	refused := map[string]string{
		"\u202eLan": "invisible formatting", "Lan\u202d": "invisible formatting", "Lan\u202a": "invisible formatting",
		"Lan\u202b": "invisible formatting", "Lan\u202c": "invisible formatting",
		"Lan\u2066": "invisible formatting", "Lan\u2067": "invisible formatting", "Lan\u2068": "invisible formatting", "Lan\u2069": "invisible formatting",
		"Lan\u200e": "invisible formatting", "Lan\u200f": "invisible formatting", "Lan\u061c": "invisible formatting",
		"L\u200ban": "invisible formatting", "L\u200can": "invisible formatting", "L\u2060an": "invisible formatting",
		"\ufeffLan": "invisible formatting", "L\u00adan": "invisible formatting", "Lan\U000e0041": "invisible formatting",
		"L\u200dan": "zero-width joiner", "\u200d👩": "zero-width joiner", "👩\u200d": "zero-width joiner",
		"👩\u200d\u200d💻": "zero-width joiner", "👩\u200dA": "zero-width joiner",
		"Lan\x00": "control character", "L\x1ban": "control character", "L\x7fan": "control character",
		"L\u0085an": "control character", "L\u009ban": "control character", "L\nan": "control character", "L\tan": "control character",
		"L\u2028an": "separator", "L\u2029an": "separator",
	}
	for s, kind := range refused {
		err := CheckName("staff name", s, true)
		if err == nil {
			t.Errorf("CheckName(%+q) accepted it", s)
			continue
		}
		wantCode(t, err, "invalid_name")
		if !strings.Contains(err.Error(), kind) || !strings.HasPrefix(err.Error(), "staff name ") || strings.Contains(err.Error(), "Lan") {
			t.Errorf("CheckName(%+q) = %v; want the kind %q, not the name", s, err, kind)
		}
	}
	for _, s := range []string{
		"Nguyễn Thị Ánh", "Nguye\u0302\u0303n", "👩‍💻 Lan", "👨‍👩‍👧", "👩🏽‍💻", "🏳️‍🌈", "❤️‍🔥", "ĐẶNG", "李小龍", "محمد", "Quầy 1 — tầng 2",
	} {
		if err := CheckName("name", s, true); err != nil {
			t.Errorf("CheckName(%+q): %v", s, err)
		}
	}
	if err := CheckComment("the comment", "Tốt\n\tlắm 👩‍💻", 1000); err != nil {
		t.Errorf("a comment of two lines: %v", err)
	}
	if err := CheckComment("the comment", "Tốt\u202e", 1000); err == nil || !strings.Contains(err.Error(), "invisible formatting") {
		t.Errorf("a comment with an override: %v", err)
	}
	if err := CheckComment("the comment", "", 1000); err != nil {
		t.Errorf("an empty comment: %v", err)
	}
}

func TestStripFormatChars(t *testing.T) {
	for in, want := range map[string]string{
		"Cấp \u202ephép": "Cấp phép", "\ufeffQuầy\u200b 1\u2069": "Quầy 1", "👩‍💻 ok": "👩‍💻 ok", "a\u200db": "ab",
		"L\u2028an": "Lan", "plain": "plain",
	} {
		if got := StripFormatChars(in); got != want {
			t.Errorf("StripFormatChars(%+q) = %+q, want %+q", in, got, want)
		}
	}
}

// FuzzCheckName: what the rule accepts holds no control, format or
// separator character but a joiner between emoji; what StripFormatChars
// leaves of text without control characters is accepted.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"Nguyễn Thị Ánh", "\u202eLan", "L\u200ban", "\ufeff", "👩‍💻", "👩\u200d", "\u200d👩", "🏳️‍🌈", "a\u200db", "L\u00adan", "Lan\U000e0041", "L\u2028an", "\xff", "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckComment("text", s, 1<<20) == nil {
			rs := []rune(s)
			for i, r := range rs {
				switch {
				case r == '\n' || r == '\t':
				case r == '\u200d':
					if i == 0 || i == len(rs)-1 || !joinsAfter(rs[i-1]) || !isEmoji(rs[i+1]) {
						t.Fatalf("accepted a lone joiner in %+q", s)
					}
				case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
					t.Fatalf("accepted %U in %+q", r, s)
				}
			}
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
			c := StripFormatChars(s)
			if err := CheckComment("text", c, 1<<20); err != nil {
				t.Fatalf("StripFormatChars(%+q) = %+q, still refused: %v", s, c, err)
			}
			if StripFormatChars(c) != c {
				t.Fatalf("StripFormatChars is not idempotent on %+q", s)
			}
		}
	})
}
