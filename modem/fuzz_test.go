package modem_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/modem"
)

// FuzzDecodeSubmit: no input makes DecodeSubmit panic, what it accepts is
// a consistent part, and a message it accepts in one part encodes back to
// the same text. The seed corpus (testdata/fuzz/FuzzDecodeSubmit) holds
// PDUs of both alphabets, concatenated parts and broken ones.
func FuzzDecodeSubmit(f *testing.F) {
	for _, text := range []string{"hellohello", "Mời công dân số A012 đến quầy 3", "€[]{}"} {
		for _, gsm7 := range []bool{true, false} {
			parts, err := modem.EncodeSubmit("+84912345678", text, gsm7, 9)
			if err == nil {
				f.Add(parts[0])
			}
		}
	}
	f.Fuzz(func(t *testing.T, pdu []byte) {
		s, err := modem.DecodeSubmit(pdu)
		if err != nil {
			return
		}
		if s.Part < 1 || s.Part > s.Parts || !utf8.ValidString(s.Text) {
			t.Fatalf("inconsistent %+v", s)
		}
		if s.Parts != 1 || s.Text == "" || strings.HasPrefix(s.Phone, "+") && len(s.Phone) == 1 {
			return
		}
		if !s.GSM7 && !norm.NFC.IsNormalString(s.Text) {
			return // UCS-2 goes out as NFC
		}
		parts, err := modem.EncodeSubmit(s.Phone, s.Text, s.GSM7, 0)
		if err != nil {
			return // e.g. a phone with * or #, U+FFFD from a lone surrogate in GSM-7
		}
		var got strings.Builder
		for _, p := range parts {
			s2, err := modem.DecodeSubmit(p)
			if err != nil {
				t.Fatalf("our own PDU %X: %v", p, err)
			}
			got.WriteString(s2.Text)
		}
		if got.String() != s.Text {
			t.Fatalf("%q encoded and decoded again gave %q", s.Text, got.String())
		}
	})
}

// FuzzEncodeSubmit: any UTF-8 text round-trips through UCS-2 (as NFC), and
// through GSM-7 whenever GSM-7 accepts it.
func FuzzEncodeSubmit(f *testing.F) {
	f.Add("Mời công dân số A012 đến quầy 3", false)
	f.Add("Moi cong dan so A012 den quay 3 €", true)
	f.Add(strings.Repeat("ưở", 100), false)
	f.Fuzz(func(t *testing.T, text string, gsm7 bool) {
		if !utf8.ValidString(text) || text == "" {
			return
		}
		parts, err := modem.EncodeSubmit("0912345678", text, gsm7, 3)
		if err != nil {
			return
		}
		var got strings.Builder
		for i, p := range parts {
			s, err := modem.DecodeSubmit(p)
			if err != nil {
				t.Fatalf("part %d %X: %v", i+1, p, err)
			}
			got.WriteString(s.Text)
		}
		want := text
		if !gsm7 {
			want = norm.NFC.String(text)
		}
		if got.String() != want {
			t.Fatalf("%q came back as %q", want, got.String())
		}
	})
}

// TestFuzzSeeds: the seed corpus is what its names say: the good PDUs
// decode, the broken ones (named so) are refused.
func TestFuzzSeeds(t *testing.T) {
	files, err := filepath.Glob("testdata/fuzz/FuzzDecodeSubmit/*")
	if err != nil || len(files) < 8 {
		t.Fatalf("seed corpus: %d files, %v", len(files), err)
	}
	broken := []string{"empty", "status-report-not-submit", "udh-length-overflow"}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		q, ok := strings.CutPrefix(lines[len(lines)-1], "[]byte(")
		q, ok2 := strings.CutSuffix(q, ")")
		pdu, err := strconv.Unquote(q)
		if !ok || !ok2 || err != nil {
			t.Fatalf("%s: not a go test fuzz v1 []byte", f)
		}
		s, err := modem.DecodeSubmit([]byte(pdu))
		if want := !slices.Contains(broken, filepath.Base(f)); (err == nil) != want {
			t.Errorf("%s: decoded %+v, err %v; want success %v", f, s, err, want)
		}
	}
}
