package announce

import (
	"strings"
	"testing"
)

// TestVietnameseNumber checks the reader against numbers chosen to hit
// every rule of spoken Vietnamese.
func TestVietnameseNumber(t *testing.T) {
	cases := []struct {
		n    int
		want string
	}{
		// units alone: một, bốn, năm (never mốt, tư, lăm)
		{0, "không"},
		{1, "một"},
		{4, "bốn"},
		{5, "năm"},
		{9, "chín"},
		// 10–19: mười; một after mười, lăm for 5, bốn for 4
		{10, "mười"},
		{11, "mười một"},
		{14, "mười bốn"},
		{15, "mười lăm"},
		{19, "mười chín"},
		// 20–99: mươi; mốt, tư, lăm
		{20, "hai mươi"},
		{21, "hai mươi mốt"},
		{24, "hai mươi tư"},
		{25, "hai mươi lăm"},
		{31, "ba mươi mốt"},
		{44, "bốn mươi tư"},
		{55, "năm mươi lăm"},
		{90, "chín mươi"},
		{99, "chín mươi chín"},
		// hundreds: linh for a zero tens digit, then một/bốn/năm
		{100, "một trăm"},
		{101, "một trăm linh một"},
		{104, "một trăm linh bốn"},
		{105, "một trăm linh năm"},
		{110, "một trăm mười"},
		{111, "một trăm mười một"},
		{115, "một trăm mười lăm"},
		{121, "một trăm hai mươi mốt"},
		{124, "một trăm hai mươi tư"},
		{205, "hai trăm linh năm"},
		{350, "ba trăm năm mươi"},
		{999, "chín trăm chín mươi chín"},
		// nghìn: a later group reads "không trăm"; a zero group is silent
		{1000, "một nghìn"},
		{1001, "một nghìn không trăm linh một"},
		{1005, "một nghìn không trăm linh năm"},
		{1010, "một nghìn không trăm mười"},
		{1015, "một nghìn không trăm mười lăm"},
		{1021, "một nghìn không trăm hai mươi mốt"},
		{1023, "một nghìn không trăm hai mươi ba"},
		{1100, "một nghìn một trăm"},
		{1234, "một nghìn hai trăm ba mươi tư"},
		{2000, "hai nghìn"},
		{2005, "hai nghìn không trăm linh năm"},
		{2025, "hai nghìn không trăm hai mươi lăm"},
		{10000, "mười nghìn"},
		{15000, "mười lăm nghìn"},
		{21000, "hai mươi mốt nghìn"},
		{24500, "hai mươi tư nghìn năm trăm"},
		{100000, "một trăm nghìn"},
		{105001, "một trăm linh năm nghìn không trăm linh một"},
		{1000000, "một triệu"},
		{1000023, "một triệu không trăm hai mươi ba"},
		{2001000, "hai triệu không trăm linh một nghìn"},
	}
	for _, c := range cases {
		w, err := VietnameseNumber(c.n, false)
		if err != nil {
			t.Errorf("%d: %v", c.n, err)
			continue
		}
		if got := strings.Join(w, " "); got != c.want {
			t.Errorf("%d read as %q, want %q", c.n, got, c.want)
		}
	}
}

func TestVietnameseNumberSouthern(t *testing.T) {
	for n, want := range map[int]string{105: "một trăm lẻ năm", 1001: "một nghìn không trăm lẻ một", 21: "hai mươi mốt"} {
		w, err := VietnameseNumber(n, true)
		if err != nil || strings.Join(w, " ") != want {
			t.Errorf("%d (southern) read as %q (%v), want %q", n, strings.Join(w, " "), err, want)
		}
	}
}

func TestVietnameseNumberOutOfRange(t *testing.T) {
	for _, n := range []int{-1, 1_000_000_000} {
		if _, err := VietnameseNumber(n, false); err == nil {
			t.Errorf("%d: no error", n)
		}
	}
}

// TestVietnameseTicket reads display numbers with letter prefixes, by value
// and digit by digit.
func TestVietnameseTicket(t *testing.T) {
	cases := []struct {
		number string
		how    Reading
		want   string
	}{
		{"1023", ByValue, "một nghìn không trăm hai mươi ba"},
		{"1023", ByDigit, "một không hai ba"},
		{"A001", ByValue, "a một"},
		{"A001", ByDigit, "a không không một"},
		{"A015", ByValue, "a mười lăm"},
		{"B021", ByValue, "bê hai mươi mốt"},
		{"C024", ByValue, "xê hai mươi tư"},
		{"D105", ByValue, "dê một trăm linh năm"},
		{"E2000", ByValue, "e hai nghìn"},
		{"R125", ByDigit, "e-rờ một hai năm"},
		{"a10", ByValue, "a mười"},
		{"G-044", ByValue, "giê bốn mươi tư"},
		{"AB12", ByValue, "a bê mười hai"},
		{"Đ5", ByValue, "đê năm"},
	}
	for _, c := range cases {
		w, err := VietnameseTicket(c.number, c.how, false)
		if err != nil {
			t.Errorf("%s: %v", c.number, err)
			continue
		}
		if got := strings.Join(w, " "); got != c.want {
			t.Errorf("%s (%s) read as %q, want %q", c.number, c.how, got, c.want)
		}
	}
	for _, bad := range []string{"", "1A", "A?1", "12345678901"} {
		if w, err := VietnameseTicket(bad, ByValue, false); err == nil {
			t.Errorf("%q read as %q without error", bad, w)
		}
	}
}

func TestEnglish(t *testing.T) {
	cases := []struct {
		number string
		how    Reading
		want   string
	}{
		{"1023", ByValue, "one thousand twenty three"},
		{"1023", ByDigit, "one zero two three"},
		{"A001", ByValue, "A one"},
		{"B115", ByValue, "B one hundred fifteen"},
		{"2000", ByValue, "two thousand"},
		{"17", ByValue, "seventeen"},
		{"90", ByValue, "ninety"},
		{"1000023", ByValue, "one million twenty three"},
	}
	for _, c := range cases {
		w, err := EnglishTicket(c.number, c.how)
		if err != nil {
			t.Errorf("%s: %v", c.number, err)
			continue
		}
		if got := strings.Join(w, " "); got != c.want {
			t.Errorf("%s read as %q, want %q", c.number, got, c.want)
		}
	}
}

func TestParseReading(t *testing.T) {
	for in, want := range map[string]Reading{"": ByValue, "number": ByValue, "Digits": ByDigit} {
		if got, err := ParseReading(in); err != nil || got != want {
			t.Errorf("ParseReading(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseReading("roman"); err == nil {
		t.Error("ParseReading(roman): no error")
	}
}

func TestSentence(t *testing.T) {
	a, err := Sentence("1023", 3, Options{English: true})
	if err != nil {
		t.Fatal(err)
	}
	want := "Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số ba. Ticket number one thousand twenty three, please go to counter three."
	if a.Text != want {
		t.Errorf("text %q, want %q", a.Text, want)
	}
	got := strings.Join(a.ClipNames(), " ")
	wantClips := "chime vi-moi-cong-dan vi-mot vi-nghin vi-khong vi-tram vi-hai vi-muoi vi-ba vi-den-quay-so vi-ba " +
		"en-ticket-number en-one en-thousand en-twenty en-three en-please-go-to-counter en-three"
	if got != wantClips {
		t.Errorf("clips\n %s\nwant\n %s", got, wantClips)
	}
	b, err := Sentence("A021", 14, Options{Reading: ByDigit})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.ClipNames(), " "); got != "chime vi-moi-cong-dan vi-letter-a vi-khong vi-hai vi-mot vi-den-quay-so vi-muoi-huyen vi-bon" {
		t.Errorf("A021 to 14 by digit: %s", got)
	}
	if _, err := Sentence("A?", 1, Options{}); err == nil {
		t.Error("unreadable number: no error")
	}
}
