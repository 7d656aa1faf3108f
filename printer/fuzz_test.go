package printer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzEncodeText checks that whatever the text encoders accept decodes back
// to the same NFC text (control characters become spaces), that they never
// emit a control byte, and that TCVN-3 never uses Epson's blank 0xA1–0xA7.
func FuzzEncodeText(f *testing.F) {
	f.Add("Cấp giấy phép xây dựng")
	f.Add("ĐẾN LƯỢT BẠN — Quầy 3")
	f.Add(string(VietnameseLetters()))
	f.Add("a\u0300\u0302e\u0301\x1b@")
	f.Add("Ỳ ỹ Ǹ ǹ ß € 中文")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		want := strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7F {
				return ' '
			}
			return r
		}, norm.NFC.String(s))
		for _, m := range []Method{MethodTCVN3, MethodCP1258, MethodRaster} {
			segs, err := EncodeText(s, m)
			if err != nil {
				continue
			}
			for _, seg := range segs {
				for _, b := range seg.Bytes {
					if b < 0x20 || b == 0x7F {
						t.Fatalf("%s: control byte %02X for %q", m, b, s)
					}
					if m == MethodTCVN3 && b >= 0xA1 && b <= 0xA7 {
						t.Fatalf("TCVN-3 used blank position %02X for %q", b, s)
					}
				}
			}
			if got := norm.NFC.String(DecodeSegments(segs)); got != norm.NFC.String(want) {
				t.Fatalf("%s: %q round-trips as %q", m, s, got)
			}
		}
	})
}
