package announce

import (
	"fmt"
	"strings"
	"unicode"
)

// Reading says how a ticket number is read aloud.
type Reading int

const (
	// ByValue reads the digits as one number: "1023" is "một nghìn không
	// trăm hai mươi ba", "A005" is "a năm" (leading zeros are not read).
	ByValue Reading = iota
	// ByDigit reads digit by digit: "1023" is "một không hai ba", "A005"
	// is "a không không năm".
	ByDigit
)

// ParseReading parses "number" (or "value") and "digits".
func ParseReading(s string) (Reading, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "number", "value":
		return ByValue, nil
	case "digits", "digit":
		return ByDigit, nil
	}
	return 0, fmt.Errorf("number reading %q is not known: write \"number\" (1023 as one number) or \"digits\" (digit by digit)", s)
}

// String is the name ParseReading accepts.
func (r Reading) String() string {
	if r == ByDigit {
		return "digits"
	}
	return "number"
}

// Vietnamese digit words as read alone or as the last digit after "linh"
// or "mười".
var viDigits = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// maxValue bounds the numbers Vietnamese reads: below one billion
// (nghìn, triệu), far more than any ticket or counter.
const maxValue = 999_999_999

// VietnameseNumber returns the words of n read as a number, following the
// rules of spoken Vietnamese:
//
//   - 10–19 use "mười" (mười một, mười lăm); 20–99 use "mươi" (hai mươi);
//   - a final 1 after "mươi" is "mốt" (hai mươi mốt), but "một" after
//     "mười" or "linh" (mười một, một trăm linh một);
//   - a final 4 after "mươi" is "tư" (hai mươi tư), but "bốn" elsewhere;
//   - a final 5 after "mười"/"mươi" is "lăm" (mười lăm, hai mươi lăm), but
//     "năm" after "linh" (một trăm linh năm) or alone;
//   - a zero tens digit between hundreds and a unit is "linh" (or "lẻ"
//     when southern is true): một trăm linh năm;
//   - a group of three digits after a larger one reads its zero hundreds:
//     một nghìn không trăm hai mươi ba; a whole group of zeros is silent:
//     hai nghìn, một triệu không trăm linh một.
//
// It fails for negative numbers and for numbers of a billion or more.
func VietnameseNumber(n int, southern bool) ([]string, error) {
	if n < 0 || n > maxValue {
		return nil, fmt.Errorf("number %d cannot be read: only 0 to %d are", n, maxValue)
	}
	if n == 0 {
		return []string{"không"}, nil
	}
	groups := []struct {
		value int
		unit  string
	}{{n / 1_000_000, "triệu"}, {n / 1000 % 1000, "nghìn"}, {n % 1000, ""}}
	var words []string
	started := false
	for _, g := range groups {
		if g.value == 0 {
			continue
		}
		words = append(words, readGroup(g.value, started, southern)...)
		if g.unit != "" {
			words = append(words, g.unit)
		}
		started = true
	}
	return words, nil
}

// readGroup reads 1–999; full reads the hundreds even when zero, as a group
// that follows a larger one does.
func readGroup(v int, full, southern bool) []string {
	h, t, u := v/100, v/10%10, v%10
	var w []string
	if h > 0 || full {
		w = append(w, viDigits[h], "trăm")
	}
	hasHundreds := len(w) > 0
	switch {
	case t == 0 && u == 0:
		// nothing: "hai trăm"
	case t == 0:
		if hasHundreds {
			if southern {
				w = append(w, "lẻ")
			} else {
				w = append(w, "linh")
			}
		}
		w = append(w, viDigits[u])
	case t == 1:
		w = append(w, "mười")
		switch u {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, viDigits[u])
		}
	default:
		w = append(w, viDigits[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 4:
			w = append(w, "tư")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, viDigits[u])
		}
	}
	return w
}

// viLetters are the Vietnamese names of the letters a ticket prefix may
// have, as an announcer reads them.
var viLetters = map[rune]string{
	'A': "a", 'B': "bê", 'C': "xê", 'D': "dê", 'Đ': "đê", 'E': "e", 'F': "ép",
	'G': "giê", 'H': "hát", 'I': "i", 'J': "gi", 'K': "ca", 'L': "e-lờ",
	'M': "em-mờ", 'N': "en-nờ", 'O': "o", 'P': "pê", 'Q': "quy", 'R': "e-rờ",
	'S': "ét-xì", 'T': "tê", 'U': "u", 'V': "vê", 'W': "vê-kép", 'X': "ích-xì",
	'Y': "i-dài", 'Z': "dét",
}

// enLetters are the English names of the same letters.
var enLetters = map[rune]string{
	'A': "A", 'B': "B", 'C': "C", 'D': "D", 'Đ': "D", 'E': "E", 'F': "F",
	'G': "G", 'H': "H", 'I': "I", 'J': "J", 'K': "K", 'L': "L", 'M': "M",
	'N': "N", 'O': "O", 'P': "P", 'Q': "Q", 'R': "R", 'S': "S", 'T': "T",
	'U': "U", 'V': "V", 'W': "W", 'X': "X", 'Y': "Y", 'Z': "Z",
}

// splitTicket splits a display number such as "A005" or "1023" into its
// letter prefix and its digits. Spaces and dashes are ignored.
func splitTicket(number string) (letters []rune, digits string, err error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(number) {
		switch {
		case r == ' ' || r == '-' || r == '.':
		case unicode.IsDigit(r) && r <= '9':
			b.WriteRune(r)
		case viLetters[r] != "" && b.Len() == 0:
			letters = append(letters, r)
		default:
			return nil, "", fmt.Errorf("ticket number %q cannot be read aloud: only letters A–Z followed by digits can", number)
		}
	}
	if b.Len() == 0 && len(letters) == 0 {
		return nil, "", fmt.Errorf("ticket number %q is empty", number)
	}
	return letters, b.String(), nil
}

// VietnameseTicket returns the words of a display number read aloud in
// Vietnamese: its letter prefix letter by letter, then its digits as one
// number or digit by digit.
func VietnameseTicket(number string, how Reading, southern bool) ([]string, error) {
	letters, digits, err := splitTicket(number)
	if err != nil {
		return nil, err
	}
	var w []string
	for _, r := range letters {
		w = append(w, viLetters[r])
	}
	if digits == "" {
		return w, nil
	}
	if how == ByDigit {
		for _, d := range digits {
			w = append(w, viDigits[d-'0'])
		}
		return w, nil
	}
	n, err := digitsValue(number, digits)
	if err != nil {
		return nil, err
	}
	nw, err := VietnameseNumber(n, southern)
	if err != nil {
		return nil, err
	}
	return append(w, nw...), nil
}

func digitsValue(number, digits string) (int, error) {
	n := 0
	for _, d := range digits {
		n = n*10 + int(d-'0')
		if n > maxValue {
			return 0, fmt.Errorf("ticket number %q is too long to read as a number: use digit-by-digit reading", number)
		}
	}
	return n, nil
}

var enOnes = [20]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
var enTens = [10]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

// EnglishNumber returns the words of n in English, without "and" (1023 is
// "one thousand twenty three").
func EnglishNumber(n int) ([]string, error) {
	if n < 0 || n > maxValue {
		return nil, fmt.Errorf("number %d cannot be read: only 0 to %d are", n, maxValue)
	}
	if n == 0 {
		return []string{"zero"}, nil
	}
	var w []string
	for _, g := range []struct {
		value int
		unit  string
	}{{n / 1_000_000, "million"}, {n / 1000 % 1000, "thousand"}, {n % 1000, ""}} {
		if g.value == 0 {
			continue
		}
		if h := g.value / 100; h > 0 {
			w = append(w, enOnes[h], "hundred")
		}
		switch r := g.value % 100; {
		case r == 0:
		case r < 20:
			w = append(w, enOnes[r])
		default:
			w = append(w, enTens[r/10])
			if r%10 != 0 {
				w = append(w, enOnes[r%10])
			}
		}
		if g.unit != "" {
			w = append(w, g.unit)
		}
	}
	return w, nil
}

// EnglishTicket returns the words of a display number read aloud in
// English.
func EnglishTicket(number string, how Reading) ([]string, error) {
	letters, digits, err := splitTicket(number)
	if err != nil {
		return nil, err
	}
	var w []string
	for _, r := range letters {
		w = append(w, enLetters[r])
	}
	if digits == "" {
		return w, nil
	}
	if how == ByDigit {
		for _, d := range digits {
			w = append(w, enOnes[d-'0'])
		}
		return w, nil
	}
	n, err := digitsValue(number, digits)
	if err != nil {
		return nil, err
	}
	nw, err := EnglishNumber(n)
	if err != nil {
		return nil, err
	}
	return append(w, nw...), nil
}
