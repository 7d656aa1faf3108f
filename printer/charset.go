package printer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Charset names a printer character table that Lượt knows how to encode to
// and decode from. A profile maps each Charset it supports to the ESC t
// number that selects it on that printer model.
type Charset string

// The character tables Lượt uses.
const (
	// CharsetPC437 is the power-on table of most printers. Only its ASCII
	// half is used by the encoder.
	CharsetPC437 Charset = "pc437"
	// CharsetTCVN3Lower is Epson's page 30, "TCVN-3 (Vietnamese)": the 67
	// lower-case letters of TCVN 5712:1993 VN3 at their VN3 positions.
	// Unlike generic VN3 tables it leaves 0xA1–0xA7 blank (no Ă Â Ê Ô Ơ Ư Đ).
	CharsetTCVN3Lower Charset = "tcvn3-lower"
	// CharsetTCVN3Upper is Epson's page 31: the 67 capitals at the byte
	// positions that page 30 uses for the matching lower-case letters.
	CharsetTCVN3Upper Charset = "tcvn3-upper"
	// CharsetCP1258 is Windows-1258 (Epson page 52 "WPC1258"; other numbers
	// on clones): precomposed base letters plus combining tone marks.
	CharsetCP1258 Charset = "cp1258"
)

// Segment is a run of encoded bytes that must be printed with one character
// table selected. Charset is empty for pure ASCII, which every table shares,
// so an ASCII run never forces an ESC t.
type Segment struct {
	Charset Charset
	Bytes   []byte
}

// UnencodableError reports a character that a text encoding cannot express.
// The encoder then falls back to drawing the line as a raster image.
type UnencodableError struct {
	Method Method
	Rune   rune
}

func (e *UnencodableError) Error() string {
	return fmt.Sprintf("printer: %q (U+%04X) has no code in %s; the line must be printed as an image", e.Rune, e.Rune, e.Method)
}

// tcvn3Lower lists the 67 lower-case Vietnamese letters of TCVN 5712:1993
// VN3 ("TCVN3", ".VnTime" fonts) with their byte values. Source: the VSCII
// article of Wikipedia (VSCII-3 table) and GNU libiconv's lib/tcvn.h
// (tcvn_2uni_2, rows 0xA0–0xFF), which agree on every lower-case letter.
var tcvn3Lower = map[rune]byte{
	'ă': 0xA8, 'â': 0xA9, 'ê': 0xAA, 'ô': 0xAB, 'ơ': 0xAC, 'ư': 0xAD, 'đ': 0xAE,
	'à': 0xB5, 'ả': 0xB6, 'ã': 0xB7, 'á': 0xB8, 'ạ': 0xB9,
	'ằ': 0xBB, 'ẳ': 0xBC, 'ẵ': 0xBD, 'ắ': 0xBE, 'ặ': 0xC6,
	'ầ': 0xC7, 'ẩ': 0xC8, 'ẫ': 0xC9, 'ấ': 0xCA, 'ậ': 0xCB,
	'è': 0xCC, 'ẻ': 0xCE, 'ẽ': 0xCF, 'é': 0xD0, 'ẹ': 0xD1,
	'ề': 0xD2, 'ể': 0xD3, 'ễ': 0xD4, 'ế': 0xD5, 'ệ': 0xD6,
	'ì': 0xD7, 'ỉ': 0xD8, 'ĩ': 0xDC, 'í': 0xDD, 'ị': 0xDE,
	'ò': 0xDF, 'ỏ': 0xE1, 'õ': 0xE2, 'ó': 0xE3, 'ọ': 0xE4,
	'ồ': 0xE5, 'ổ': 0xE6, 'ỗ': 0xE7, 'ố': 0xE8, 'ộ': 0xE9,
	'ờ': 0xEA, 'ở': 0xEB, 'ỡ': 0xEC, 'ớ': 0xED, 'ợ': 0xEE,
	'ù': 0xEF, 'ủ': 0xF1, 'ũ': 0xF2, 'ú': 0xF3, 'ụ': 0xF4,
	'ừ': 0xF5, 'ử': 0xF6, 'ữ': 0xF7, 'ứ': 0xF8, 'ự': 0xF9,
	'ỳ': 0xFA, 'ỷ': 0xFB, 'ỹ': 0xFC, 'ý': 0xFD, 'ỵ': 0xFE,
}

// Reverse tables, built once.
var (
	tcvn3LowerDec [256]rune
	tcvn3UpperDec [256]rune
	tcvn3UpperEnc = map[rune]byte{}
	cp1258Enc     = map[rune]byte{}
	cp1258Dec     [256]rune
	pc437Dec      [256]rune
)

func init() {
	for r, b := range tcvn3Lower {
		tcvn3LowerDec[b] = r
		u := unicode.ToUpper(r)
		tcvn3UpperEnc[u] = b
		tcvn3UpperDec[b] = u
	}
	for i := 0; i < 256; i++ {
		r := charmap.Windows1258.DecodeByte(byte(i))
		cp1258Dec[i] = r
		if r != utf8.RuneError {
			cp1258Enc[r] = byte(i)
		}
		pc437Dec[i] = charmap.CodePage437.DecodeByte(byte(i))
	}
}

// isTone reports whether r is one of the five Vietnamese tone marks as a
// combining character (huyền, sắc, ngã, hỏi, nặng).
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// EncodeText turns one line of text into segments for the given method.
// The text is normalised to NFC first. For MethodTCVN3, lower-case letters go
// to the lower-case table and capitals to the upper-case table, so a
// mixed-case line alternates tables. For MethodCP1258, letters that
// Windows-1258 has precomposed are sent as one byte, the others as the base
// letter (with circumflex, breve or horn re-attached) followed by the tone
// mark as a combining byte. MethodRaster has no text encoding and always
// fails on non-ASCII. Control characters are replaced by spaces.
func EncodeText(s string, m Method) ([]Segment, error) {
	s = norm.NFC.String(s)
	var segs []Segment
	add := func(cs Charset, b ...byte) {
		if n := len(segs); n > 0 && segs[n-1].Charset == cs {
			segs[n-1].Bytes = append(segs[n-1].Bytes, b...)
			return
		}
		segs = append(segs, Segment{Charset: cs, Bytes: append([]byte(nil), b...)})
	}
	for _, r := range s {
		if r < 0x80 {
			if r < 0x20 || r == 0x7F {
				r = ' '
			}
			// ASCII is the same in every table: keep it in the current run so
			// that no ESC t is needed around spaces and digits.
			if n := len(segs); n > 0 {
				segs[n-1].Bytes = append(segs[n-1].Bytes, byte(r))
			} else {
				add("", byte(r))
			}
			continue
		}
		switch m {
		case MethodTCVN3:
			if b, ok := tcvn3Lower[r]; ok {
				add(CharsetTCVN3Lower, b)
			} else if b, ok := tcvn3UpperEnc[r]; ok {
				add(CharsetTCVN3Upper, b)
			} else {
				return nil, &UnencodableError{Method: m, Rune: r}
			}
		case MethodCP1258:
			b, err := encodeCP1258Rune(r)
			if err != nil {
				return nil, err
			}
			add(CharsetCP1258, b...)
		default:
			return nil, &UnencodableError{Method: m, Rune: r}
		}
	}
	// A leading ASCII-only run that was later followed by a table run is
	// fine as is; merge a first ASCII segment into the next one so that the
	// table is selected once, before the line.
	if len(segs) > 1 && segs[0].Charset == "" {
		segs[1].Bytes = append(segs[0].Bytes, segs[1].Bytes...)
		segs = segs[1:]
	}
	return segs, nil
}

func encodeCP1258Rune(r rune) ([]byte, error) {
	if b, ok := cp1258Enc[r]; ok {
		return []byte{b}, nil
	}
	// Decompose, take the tone mark off, recompose the rest (which brings
	// back circumflex, breve and horn: â ă ê ô ơ ư), then send base + tone.
	d := norm.NFD.String(string(r))
	var tone rune
	var rest strings.Builder
	for _, c := range d {
		if isTone(c) && tone == 0 {
			tone = c
			continue
		}
		rest.WriteRune(c)
	}
	base := norm.NFC.String(rest.String())
	bb, ok1 := cp1258Enc[firstRune(base)]
	if utf8.RuneCountInString(base) != 1 || !ok1 {
		return nil, &UnencodableError{Method: MethodCP1258, Rune: r}
	}
	if tone == 0 {
		return []byte{bb}, nil
	}
	tb, ok2 := cp1258Enc[tone]
	if !ok2 {
		return nil, &UnencodableError{Method: MethodCP1258, Rune: r}
	}
	// Moving the tone after the other marks keeps the letter only when
	// they commute (different combining classes, as the Vietnamese dot
	// below and breve): ṹ, u with tilde then acute, would come back as ú
	// with tilde. Check that the bytes print the letter.
	if norm.NFC.String(string([]rune{cp1258Dec[bb], cp1258Dec[tb]})) != string(r) {
		return nil, &UnencodableError{Method: MethodCP1258, Rune: r}
	}
	return []byte{bb, tb}, nil
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// DecodeByte returns the character that byte b prints as in table c, or
// utf8.RuneError for a position Lượt does not know (for the TCVN-3 tables:
// any non-ASCII position that is not a Vietnamese letter, 0xA1–0xA7 included).
func (c Charset) DecodeByte(b byte) rune {
	if b >= 0x20 && b < 0x7F {
		return rune(b)
	}
	switch c {
	case CharsetTCVN3Lower:
		if r := tcvn3LowerDec[b]; r != 0 {
			return r
		}
	case CharsetTCVN3Upper:
		if r := tcvn3UpperDec[b]; r != 0 {
			return r
		}
	case CharsetCP1258:
		return cp1258Dec[b]
	case CharsetPC437, "":
		if b >= 0x80 {
			return pc437Dec[b]
		}
	}
	return utf8.RuneError
}

// DecodeSegments is the inverse of EncodeText: it decodes each segment with
// its table and returns the NFC text.
func DecodeSegments(segs []Segment) string {
	var sb strings.Builder
	for _, s := range segs {
		for _, b := range s.Bytes {
			sb.WriteRune(s.Charset.DecodeByte(b))
		}
	}
	return norm.NFC.String(sb.String())
}

// VietnameseLetters returns the 134 non-ASCII Vietnamese letters in NFC:
// the 67 lower-case ones (a ă â e ê i o ô ơ u ư y with every tone, plus
// ă â ê ô ơ ư without tone, and đ) followed by their 67 capitals.
func VietnameseLetters() []rune {
	var lower []rune
	for _, base := range "aăâeêioôơuưy" {
		for _, tone := range []rune{0, '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'} {
			s := string(base)
			if tone != 0 {
				s += string(tone)
			}
			r := firstRune(norm.NFC.String(s))
			if r >= 0x80 {
				lower = append(lower, r)
			}
		}
	}
	lower = append(lower, 'đ')
	out := append([]rune(nil), lower...)
	for _, r := range lower {
		out = append(out, unicode.ToUpper(r))
	}
	return out
}
