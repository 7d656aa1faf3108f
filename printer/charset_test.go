package printer

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestVietnameseLettersAre134(t *testing.T) {
	ls := VietnameseLetters()
	if len(ls) != 134 {
		t.Fatalf("got %d letters, want 134", len(ls))
	}
	seen := map[rune]bool{}
	for i, r := range ls {
		if seen[r] || r < 0x80 || !norm.NFC.IsNormalString(string(r)) {
			t.Errorf("letter %d %q is duplicated, ASCII or not NFC", i, r)
		}
		seen[r] = true
		if (i < 67) != unicode.IsLower(r) {
			t.Errorf("letter %d %q in the wrong half", i, r)
		}
	}
	for _, r := range "đĐơƠưƯỹỸ" {
		if !seen[r] {
			t.Errorf("%q missing", r)
		}
	}
}

func TestRoundTripEveryLetter(t *testing.T) {
	letters := VietnameseLetters()
	for _, m := range []Method{MethodTCVN3, MethodCP1258} {
		for _, r := range letters {
			segs, err := EncodeText(string(r), m)
			if err != nil {
				t.Errorf("%s: %q: %v", m, r, err)
				continue
			}
			if got := DecodeSegments(segs); got != string(r) {
				t.Errorf("%s: %q decodes as %q (segments %v)", m, r, got, segs)
			}
		}
		all := string(letters)
		segs, err := EncodeText(all, m)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if got := DecodeSegments(segs); got != all {
			t.Errorf("%s: whole alphabet round trip\n got %q\nwant %q", m, got, all)
		}
		// Decomposed input (NFD, as some keyboards produce) encodes the same.
		segsNFD, err := EncodeText(norm.NFD.String(all), m)
		if err != nil || DecodeSegments(segsNFD) != all {
			t.Errorf("%s: NFD input does not round-trip: %v", m, err)
		}
	}
}

func TestRasterFontCoversEveryLetter(t *testing.T) {
	for _, r := range VietnameseLetters() {
		if !FontCovers(r) {
			t.Errorf("embedded font has no glyph for %q", r)
		}
	}
}

func TestRasterMethodRefusesNonASCII(t *testing.T) {
	if _, err := EncodeText("Đến", MethodRaster); err == nil {
		t.Fatal("raster method encoded text")
	}
	segs, err := EncodeText("A012 ok", MethodRaster)
	if err != nil || DecodeSegments(segs) != "A012 ok" {
		t.Fatalf("ASCII on raster profile: %v %v", segs, err)
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTCVN3PublishedTable checks lower-case sentences against byte values
// written out by hand from the published TCVN 5712:1993 VN3 table (VSCII-3
// table of the Wikipedia article "VSCII"; GNU libiconv lib/tcvn.h,
// tcvn_2uni_2): â A9, ấ CA, é D0, ự F9, đ AE, ế D5, ư AD, ợ EE, ạ B9,
// ờ EA, ồ E5, ủ F1, ỏ E1, ả B6, ó E3.
func TestTCVN3PublishedTable(t *testing.T) {
	cases := []struct{ text, hex string }{
		{"cấp giấy phép xây dựng", "63 CA 70 20 67 69 CA 79 20 70 68 D0 70 20 78 A9 79 20 64 F9 6E 67"},
		{"đến lượt bạn", "AE D5 6E 20 6C AD EE 74 20 62 B9 6E"},
		{"mời công dân", "6D EA 69 20 63 AB 6E 67 20 64 A9 6E"},
		{"hồ sơ của bạn đã xong", "68 E5 20 73 AC 20 63 F1 61 20 62 B9 6E 20 AE B7 20 78 6F 6E 67"},
	}
	for _, c := range cases {
		segs, err := EncodeText(c.text, MethodTCVN3)
		if err != nil {
			t.Fatal(err)
		}
		if len(segs) != 1 || segs[0].Charset != CharsetTCVN3Lower {
			t.Fatalf("%q: want one lower-case run, got %v", c.text, segs)
		}
		if want := unhex(t, c.hex); !bytes.Equal(segs[0].Bytes, want) {
			t.Errorf("%q:\n got % X\nwant % X", c.text, segs[0].Bytes, want)
		}
	}
}

func TestTCVN3CapitalsShareLowerCasePositions(t *testing.T) {
	segs, err := EncodeText("ĐẾN LƯỢT", MethodTCVN3)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 1 || segs[0].Charset != CharsetTCVN3Upper {
		t.Fatalf("want one capital run, got %v", segs)
	}
	if want := unhex(t, "AE D5 4E 20 4C AD EE 54"); !bytes.Equal(segs[0].Bytes, want) {
		t.Errorf("got % X want % X", segs[0].Bytes, want)
	}
	// Epson's page 30 leaves 0xA1–0xA7 blank: never emit them.
	for _, r := range VietnameseLetters() {
		segs, _ := EncodeText(string(r), MethodTCVN3)
		for _, b := range segs[0].Bytes {
			if b >= 0xA1 && b <= 0xA7 {
				t.Errorf("%q encodes to blank position %02X", r, b)
			}
		}
	}
}

func TestCP1258Sentence(t *testing.T) {
	segs, err := EncodeText("Cấp giấy phép xây dựng", MethodCP1258)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "43 E2 EC 70 20 67 69 E2 EC 79 20 70 68 E9 70 20 78 E2 79 20 64 FD F2 6E 67")
	if len(segs) != 1 || segs[0].Charset != CharsetCP1258 || !bytes.Equal(segs[0].Bytes, want) {
		t.Fatalf("got %v\nwant % X", segs, want)
	}
}

// TestCP1258RefusesMarksThatDoNotCommute: the tone goes after the other
// marks as a combining byte, which keeps ặ (dot below and breve commute)
// but would turn ṹ (tilde, then acute: same combining class) into ú with a
// tilde; such a letter is refused, so that the raster fallback prints it.
// Found by FuzzEncodeText.
func TestCP1258RefusesMarksThatDoNotCommute(t *testing.T) {
	segs, err := EncodeText("ặ", MethodCP1258)
	if err != nil || norm.NFC.String(DecodeSegments(segs)) != "ặ" {
		t.Fatalf("ặ: %v, %v", segs, err)
	}
	var ue *UnencodableError
	if _, err := EncodeText("ṹ", MethodCP1258); !errors.As(err, &ue) || ue.Rune != 'ṹ' {
		t.Fatalf("ṹ: %v, want an UnencodableError for it", err)
	}
}

func TestEncodeLineSwitchesTablesWithinALine(t *testing.T) {
	p, err := LookupProfile("epson-tm-t20iii")
	if err != nil {
		t.Fatal(err)
	}
	// After init page 30 is selected: "Đến Bến Nghé" needs 31 for Đ, then
	// 30, and nothing more (B, N are ASCII).
	got, err := EncodeLine(p, "Đến Bến Nghé")
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "1B741F AE 1B741E D5 6E 20 42 D5 6E 20 4E 67 68 D0 0A")
	if !bytes.Equal(got, want) {
		t.Errorf("got  % X\nwant % X", got, want)
	}
	// A lower-case line needs no ESC t at all after init.
	got, _ = EncodeLine(p, "đến lượt")
	if bytes.Contains(got, []byte{ESC, 't'}) {
		t.Errorf("lower-case line selected a table: % X", got)
	}
}

func TestEncodeLineCP1258ProfileUsesCloneNumber(t *testing.T) {
	p, _ := LookupProfile("generic-80")
	p = p.WithCodePage(CharsetCP1258, 27)
	e := NewEncoder(p)
	e.Init()
	if want := unhex(t, "1B40 1C2E 1B741B"); !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("init % X want % X", e.Bytes(), want)
	}
	got, _ := EncodeLine(p, "Cấp giấy phép xây dựng")
	want := unhex(t, "43 E2 EC 70 20 67 69 E2 EC 79 20 70 68 E9 70 20 78 E2 79 20 64 FD F2 6E 67 0A")
	if !bytes.Equal(got, want) {
		t.Errorf("got % X", got)
	}
}

func TestRasterFallbackReselectsCodePage(t *testing.T) {
	p, _ := LookupProfile("generic-80")
	// "→" is in no Vietnamese table: the line becomes an image.
	got, err := EncodeLine(p, "Quầy 3 → 1023")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte{GS, 'v', '0', 0, 72, 0}) {
		t.Fatalf("want GS v 0 of 72 bytes per row, got % X", got[:min(8, len(got))])
	}
	if !bytes.HasSuffix(got, CmdCodePage(94)) {
		t.Errorf("code page not re-selected after the image: % X", got[len(got)-6:])
	}
	raster, _ := LookupProfile("generic-58")
	got, _ = EncodeLine(raster, "Đến lượt")
	if !bytes.HasPrefix(got, []byte{GS, 'v', '0', 0, 48, 0}) || !bytes.HasSuffix(got, CmdCodePage(0)) {
		t.Errorf("raster profile: % X…", got[:8])
	}
	got, _ = EncodeLine(raster, "A012")
	if !bytes.Equal(got, []byte("A012\n")) {
		t.Errorf("ASCII line on raster profile should stay text: % X", got)
	}
}
