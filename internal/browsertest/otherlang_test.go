package browsertest

import (
	"slices"
	"testing"
)

func TestOtherLanguage(t *testing.T) {
	for _, c := range []struct {
		text, lang string
		want       []string
	}{
		// English pages: Vietnamese words, but the app's name and the switch.
		{"Lượt · Take a number · Tiếng Việt", "en", nil},
		{"Counter 4 is closed: open it first", "en", nil},
		{"Please go to quầy 2", "en", []string{"quầy"}},
		{"Đã chờ 4 phút, waited", "en", []string{"Đã", "chờ", "phút"}},
		{"Nguyễn and Nguyễn", "en", []string{"Nguyễn"}},
		{"cafe\u0301 Lu\u031bo\u031b\u0323t", "en", []string{"café"}}, // decomposed marks are letters too
		// Vietnamese pages: English words as whole words, any case.
		{"Lượt · Lấy số · English", "vi", nil},
		{"Quầy 4 đang đóng: hãy mở quầy trước", "vi", nil},
		{"counter 4 is closed: open it first", "vi", []string{"counter", "is", "closed", "open", "it", "first"}},
		{"Trạng thái: called, serving ×2, elderly", "vi", []string{"called", "serving", "elderly"}},
		{"Mã PIN sai · QR · CSV", "vi", nil},
		{"Tên: Thenia Closedown", "vi", nil}, // no whole word
		{"WRONG staff id or PIN", "vi", []string{"WRONG", "staff", "or"}},
		{"", "vi", nil},
		{"", "en", nil},
	} {
		got := OtherLanguage(c.text, c.lang)
		if !slices.Equal(got, c.want) {
			t.Errorf("OtherLanguage(%q, %s) = %q, want %q", c.text, c.lang, got, c.want)
		}
	}
}
