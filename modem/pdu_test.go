package modem_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"luot/modem"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeSubmitKnown reads the SMS-SUBMIT "hellohello" to +46708251358
// as published in the GSM 03.40 PDU-mode literature.
func TestDecodeSubmitKnown(t *testing.T) {
	s, err := modem.DecodeSubmit(mustHex(t, "11000B916407281553F80000AA0AE8329BFD4697D9EC37"))
	if err != nil {
		t.Fatal(err)
	}
	want := modem.Submit{Phone: "+46708251358", Text: "hellohello", GSM7: true, Parts: 1, Part: 1}
	if s != want {
		t.Fatalf("decoded %+v, want %+v", s, want)
	}
}

// TestEncodeSubmitKnown: the same message as we encode it differs only in
// the first octet (a delivery report asked for) and a 24-hour validity.
func TestEncodeSubmitKnown(t *testing.T) {
	p, err := modem.EncodeSubmit("+46708251358", "hellohello", true, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "31000B916407281553F80000A70AE8329BFD4697D9EC37")
	if len(p) != 1 || !bytes.Equal(p[0], want) {
		t.Fatalf("encoded %X, want %X", p, want)
	}
}

func vietnamese(n int) string {
	const src = "Mời công dân số A012 đến quầy 3. Hồ sơ của ông/bà đã được tiếp nhận; kết quả trả vào ngày 27 tháng 11. Xin cảm ơn! Ưu tiên người cao tuổi, phụ nữ mang thai. "
	r := []rune(strings.Repeat(src, n/utf8.RuneCountInString(src)+1))
	return string(r[:n])
}

func decodeAll(t *testing.T, parts [][]byte) (string, []modem.Submit) {
	t.Helper()
	var b strings.Builder
	var subs []modem.Submit
	for i, p := range parts {
		s, err := modem.DecodeSubmit(p)
		if err != nil {
			t.Fatalf("part %d: %v (%X)", i+1, err, p)
		}
		if s.Part != i+1 || s.Parts != len(parts) {
			t.Fatalf("part %d says %d of %d", i+1, s.Part, s.Parts)
		}
		b.WriteString(s.Text)
		subs = append(subs, s)
	}
	return b.String(), subs
}

// TestPartLengths: UCS-2 takes 70 characters in one part and 67 a part
// when concatenated; GSM-7 160 and 153.
func TestPartLengths(t *testing.T) {
	cases := []struct {
		n     int
		gsm7  bool
		parts int
	}{
		{70, false, 1}, {71, false, 2}, {134, false, 2}, {135, false, 3}, {201, false, 3}, {202, false, 4},
		{160, true, 1}, {161, true, 2}, {306, true, 2}, {307, true, 3},
	}
	for _, c := range cases {
		text := vietnamese(c.n)
		if c.gsm7 {
			text = strings.Repeat("abcdefghij", c.n/10+1)[:c.n]
		}
		parts, err := modem.EncodeSubmit("0912345678", text, c.gsm7, 42)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != c.parts {
			t.Errorf("%d characters (gsm7 %v): %d parts, want %d", c.n, c.gsm7, len(parts), c.parts)
			continue
		}
		got, subs := decodeAll(t, parts)
		if got != text {
			t.Errorf("%d characters (gsm7 %v): round trip gave %q", c.n, c.gsm7, got)
		}
		for _, s := range subs {
			if len(parts) > 1 && s.ConcatRef != 42 {
				t.Errorf("concatenation reference %d, want 42", s.ConcatRef)
			}
			if !s.StatusReport || s.Phone != "0912345678" || s.GSM7 != c.gsm7 {
				t.Errorf("part %+v", s)
			}
		}
		for _, p := range parts {
			if len(p) > 175 {
				t.Errorf("a TPDU of %d octets, more than fits in an SMS", len(p))
			}
		}
	}
}

// TestGSM7EscapeNotSplit: an extension character (two septets) at the
// boundary of a part moves whole to the next part.
func TestGSM7EscapeNotSplit(t *testing.T) {
	text := strings.Repeat("a", 152) + "€" + strings.Repeat("b", 20)
	parts, err := modem.EncodeSubmit("+84912345678", text, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, subs := decodeAll(t, parts)
	if got != text {
		t.Fatalf("round trip gave %q", got)
	}
	if subs[0].Text != strings.Repeat("a", 152) {
		t.Fatalf("first part %q: the € was split", subs[0].Text)
	}
}

// TestUCS2SurrogateNotSplit: a character outside the BMP at the boundary
// moves whole to the next part.
func TestUCS2SurrogateNotSplit(t *testing.T) {
	text := strings.Repeat("ư", 66) + "😀" + "x"
	parts, err := modem.EncodeSubmit("0912345678", text, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := decodeAll(t, parts); got != text {
		t.Fatalf("round trip gave %q", got)
	}
}

// TestUCS2IsNFC: decomposed input goes out composed (one unit a letter).
func TestUCS2IsNFC(t *testing.T) {
	nfd := "Lu\u031bo\u031b\u0323t" // Lượt decomposed
	parts, err := modem.EncodeSubmit("0912345678", nfd, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := decodeAll(t, parts); got != "Lượt" {
		t.Fatalf("got %q, want the NFC Lượt", got)
	}
}

func TestEncodeSubmitRefuses(t *testing.T) {
	cases := []struct {
		name, phone, text string
		gsm7              bool
		want              string
	}{
		{"accent in GSM-7", "0912345678", "Mời bạn", true, "not in the GSM 03.38 default alphabet"},
		{"đ in GSM-7", "0912345678", "đến", true, "U+0111"},
		{"emoji in GSM-7", "0912345678", "ok 😀", true, "U+1F600"},
		{"not UTF-8", "0912345678", "a\xffb", true, "not UTF-8"},
		{"empty text", "0912345678", "", false, "empty text"},
		{"empty phone", "", "hi", false, "want 1 to 20 digits"},
		{"plus only", "+", "hi", false, "want 1 to 20 digits"},
		{"spaces", "091 234 5678", "hi", false, "only digits"},
		{"letters", "09a2345678", "hi", false, "only digits"},
		{"too long phone", "+123456789012345678901", "hi", false, "want 1 to 20 digits"},
		{"too many parts", "0912345678", strings.Repeat("ư", 67*255+1), false, "more than the 255"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := modem.EncodeSubmit(c.phone, c.text, c.gsm7, 0)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, modem.ErrInvalid) || !modem.Permanent(err) {
				t.Fatalf("got %d parts, err %v; want an ErrInvalid saying %q", len(p), err, c.want)
			}
			// A sender that looks for a Permanent method in the chain
			// (outbox.IsPermanent) finds one.
			var perm interface{ Permanent() bool }
			if !errors.As(err, &perm) || !perm.Permanent() {
				t.Fatalf("%v has no Permanent method saying true", err)
			}
		})
	}
}

func TestDecodeSubmitRefuses(t *testing.T) {
	good, err := modem.EncodeSubmit("+84912345678", vietnamese(100), false, 7)
	if err != nil {
		t.Fatal(err)
	}
	p := good[0]
	cases := map[string][]byte{
		"empty":               nil,
		"deliver, not submit": append([]byte{0x04}, p[1:]...),
		"cut in address":      p[:5],
		"cut in user data":    p[:len(p)-1],
		"trailing octet":      append(append([]byte(nil), p...), 0),
		"8-bit data":          mustHex(t, "11000B916407281553F80004AA0141"),
		"compressed":          mustHex(t, "11000B916407281553F80020AA0141"),
		"part 3 of 2":         append(append([]byte{0x51}, mustHex(t, "000B916407281553F80008AA08")...), 5, 0, 3, 1, 2, 3, 0, 0x41),
		"UDH longer than UD":  append(append([]byte{0x51}, mustHex(t, "000B916407281553F80008AA02")...), 5, 0),
		"odd UCS-2":           mustHex(t, "11000B916407281553F80008AA03004100"),
		"GSM-7 over 160":      append(mustHex(t, "11000B916407281553F80000AAA1"), make([]byte, 141)...),
	}
	for name, b := range cases {
		if s, err := modem.DecodeSubmit(b); err == nil {
			t.Errorf("%s: decoded %+v, want an error", name, s)
		}
	}
}

func TestStatusReportRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 27, 8, 15, 30, 0, time.FixedZone("ICT", 7*3600))
	for _, st := range []byte{0x00, 0x20, 0x41} {
		r := modem.Report{Ref: 200, Phone: "+84912345678", Status: st, At: at}
		b, err := modem.EncodeStatusReport(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := modem.DecodeStatusReport(b)
		if err != nil {
			t.Fatal(err)
		}
		if got.Ref != r.Ref || got.Phone != r.Phone || got.Status != st || !got.At.Equal(at) {
			t.Fatalf("round trip of %+v gave %+v", r, got)
		}
		if got.Delivered() != (st == 0) || got.Final() != (st != 0x20) {
			t.Fatalf("status 0x%02X: delivered %v final %v", st, got.Delivered(), got.Final())
		}
	}
	if _, err := modem.DecodeStatusReport(mustHex(t, "0601")); err == nil {
		t.Fatal("a cut report decoded")
	}
}

func TestCMSErrorPermanent(t *testing.T) {
	for code, perm := range map[int]bool{1: true, 21: true, 28: true, 96: true, 304: true, 0xC3: true,
		38: false, 41: false, 42: false, 47: false, 314: false, 331: false, 332: false, 500: false} {
		e := &modem.CMSError{Code: code}
		if e.Permanent() != perm || modem.Permanent(e) != perm {
			t.Errorf("+CMS ERROR %d: permanent %v, want %v", code, e.Permanent(), perm)
		}
	}
}
