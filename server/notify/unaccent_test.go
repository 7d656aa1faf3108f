package notify_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/notify"
)

// The Vietnamese letters with marks: each vowel with each tone (none,
// huyền, sắc, hỏi, ngã, nặng), and đ; written out, not built.
const (
	lowerVi = "aàáảãạ" + "ăằắẳẵặ" + "âầấẩẫậ" + "eèéẻẽẹ" + "êềếểễệ" + "iìíỉĩị" +
		"oòóỏõọ" + "ôồốổỗộ" + "ơờớởỡợ" + "uùúủũụ" + "ưừứửữự" + "yỳýỷỹỵ" + "đ"
	upperVi = "AÀÁẢÃẠ" + "ĂẰẮẲẴẶ" + "ÂẦẤẨẪẬ" + "EÈÉẺẼẸ" + "ÊỀẾỂỄỆ" + "IÌÍỈĨỊ" +
		"OÒÓỎÕỌ" + "ÔỒỐỔỖỘ" + "ƠỜỚỞỠỢ" + "UÙÚỦŨỤ" + "ƯỪỨỬỮỰ" + "YỲÝỶỸỴ" + "Đ"
	lowerPlain = "aaaaaa" + "aaaaaa" + "aaaaaa" + "eeeeee" + "eeeeee" + "iiiiii" +
		"oooooo" + "oooooo" + "oooooo" + "uuuuuu" + "uuuuuu" + "yyyyyy" + "d"
)

func TestUnaccentEveryLetter(t *testing.T) {
	if n := utf8.RuneCountInString(lowerVi); n != 73 || utf8.RuneCountInString(upperVi) != 73 || len(lowerPlain) != 73 {
		t.Fatalf("the letters are %d, want 12 vowels × 6 tones + đ = 73", n)
	}
	if strings.ToUpper(lowerVi) != upperVi || !norm.NFC.IsNormalString(lowerVi) || !norm.NFC.IsNormalString(upperVi) {
		t.Fatalf("the upper case letters are not the lower case ones' (or not NFC)")
	}
	upperPlain := strings.ToUpper(lowerPlain)
	lower, upper := []rune(lowerVi), []rune(upperVi)
	for i := range lower {
		for _, c := range []struct{ in, want string }{
			{string(lower[i]), lowerPlain[i : i+1]},
			{string(upper[i]), upperPlain[i : i+1]},
			{norm.NFD.String(string(lower[i])), lowerPlain[i : i+1]},
			{norm.NFD.String(string(upper[i])), upperPlain[i : i+1]},
		} {
			if got := notify.Unaccent(c.in); got != c.want {
				t.Errorf("Unaccent(%q %U) = %q, want %q", c.in, []rune(c.in), got, c.want)
			}
		}
	}
	if got := notify.Unaccent(lowerVi + upperVi); got != lowerPlain+upperPlain {
		t.Errorf("the whole alphabet: %q", got)
	}
}

func TestUnaccent(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Thủ tục hành chính, đường Nguyễn Huệ", "Thu tuc hanh chinh, duong Nguyen Hue"},
		{"ĐỖ THỊ THU HƯƠNG", "DO THI THU HUONG"},
		{"Ðà Nẵng", "Da Nang"}, // Ð (U+00D0), the Eth typed for Đ
		// Decomposed in either order of the marks, and the old way of
		// some keyboards: a composed vowel with a combining tone.
		{"e\u0323\u0302", "e"},
		{"e\u0302\u0323", "e"},
		{"\u00ea\u0301", "e"},
		{"u\u031b\u0300", "u"},
		{"", ""},
		{"A012 → quầy 5", "A012 → quay 5"},
		{"Crème brûlée, señor", "Creme brulee, senor"},
		{"日本 Ωμέγα", "日本 Ωμεγα"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, c := range cases {
		if got := notify.Unaccent(c.in); got != c.want {
			t.Errorf("Unaccent(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzUnaccent: whatever the text, the result is valid UTF-8, NFC, with
// no combining diacritical mark and no đ; the same for the text's NFC
// and NFD forms; and unaccenting it again changes nothing. A Vietnamese
// text comes out ASCII.
func FuzzUnaccent(f *testing.F) {
	for _, s := range []string{lowerVi, upperVi, norm.NFD.String(lowerVi + upperVi), "Sắp đến lượt bạn: số A012, còn 3 người trước.",
		"e\u0323\u0302", "\u00ea\u0301", "Ðà Nẵng", "\xff\xfe", "", "日本 Ωμέγα", "a\u0300\u0300\u0300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := notify.Unaccent(s)
		if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("Unaccent(%q) = %q: not valid NFC UTF-8", s, got)
		}
		for _, r := range norm.NFD.String(got) {
			if (r >= 0x300 && r <= 0x36F) || r == 'đ' || r == 'Đ' || r == 'Ð' {
				t.Fatalf("Unaccent(%q) = %q keeps %U", s, got, r)
			}
		}
		if again := notify.Unaccent(got); again != got {
			t.Fatalf("Unaccent(%q) = %q, and again %q", s, got, again)
		}
		if utf8.ValidString(s) {
			if nfc, nfd := notify.Unaccent(norm.NFC.String(s)), notify.Unaccent(norm.NFD.String(s)); nfc != got || nfd != got {
				t.Fatalf("Unaccent(%q) = %q, of its NFC %q, of its NFD %q", s, got, nfc, nfd)
			}
		}
		vietnamese := true
		for _, r := range norm.NFC.String(s) {
			if r >= utf8.RuneSelf && !strings.ContainsRune(lowerVi+upperVi, r) {
				vietnamese = false
				break
			}
		}
		if vietnamese && utf8.ValidString(s) {
			for _, r := range got {
				if r >= utf8.RuneSelf {
					t.Fatalf("Unaccent(%q) = %q: a Vietnamese text not made ASCII", s, got)
				}
			}
		}
	})
}

// FuzzSMSText: whatever the parameters and links, an SMS is valid
// UTF-8 on one line, carries the link and the unsubscribe link as given
// (when they are one line already), is GSM-7 when unaccented, and is NFC
// otherwise.
func FuzzSMSText(f *testing.F) {
	f.Add("ticket.near", "vi", "A012", "3", "https://luot.example.vn/t/T1?token=abc", "https://luot.example.vn/u/x", false)
	f.Add("ticket.called", "en", "A012", "5", "https://l.vn/t/1", "https://l.vn/u/2", true)
	f.Add("dossier.supplement", "vi", "Bản sao\ngiấy khai sinh", "2026-12-07T17:00:00Z", "", "", true)
	f.Add("report.status", "vi", "{code}", "[x|y]", "https://l.vn/pa/PA-1?k=~€", "", true)
	f.Add("link.again", "en", "\xff", "0", "", "https://l.vn/u/Ω", false)
	f.Add("booking.hour-before", "vi", "Hộ tịch", "2026-12-04T02:30:00Z", "https://l.vn/b/X", "https://l.vn/u/Y", false)
	f.Fuzz(func(t *testing.T, kind, lang, a, b, link, unsub string, unaccented bool) {
		k := notify.Kind(kind)
		p := map[string]string{"number": a, "code": a, "service": a, "papers": a, "status": a,
			"ahead": b, "counter": b, "due": b, "by": b, "new_due": b, "time": b, "date": b}
		got := notify.SMSText(notify.Notice{Kind: k, Params: p}, lang, link, unsub, unaccented)
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r") {
			t.Fatalf("SMSText = %q: not one line of valid UTF-8", got)
		}
		if unaccented && !notify.IsGSM7(got) {
			t.Fatalf("SMSText unaccented = %q: not GSM-7", got)
		}
		if !unaccented && !norm.NFC.IsNormalString(got) {
			t.Fatalf("SMSText = %q: not NFC", got)
		}
		for _, l := range []string{link, unsub} {
			// A link is ASCII (RFC 3986); one GSM-7 cannot say is not one.
			plain := l != "" && (!unaccented || notify.IsGSM7(l)) &&
				!strings.ContainsFunc(l, func(r rune) bool { return r <= ' ' || r == 0x7f || r >= 0x80 })
			if plain && !strings.Contains(got, l) {
				t.Fatalf("SMSText = %q lacks the link %q", got, l)
			}
		}
		title, body := notify.Render(notify.Notice{Kind: k, Params: p}, lang)
		if title == "" || body == "" || !utf8.ValidString(title+body) {
			t.Fatalf("Render = %q, %q", title, body)
		}
	})
}
