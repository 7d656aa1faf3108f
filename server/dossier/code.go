package dossier

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"luot/server/queue"
)

// FormatCode is the code of the n-th dossier of an office's day:
// {prefix}-{YYMMDD}-{NNNN}, the date of localDay as it is (the caller
// gives it in the office's time zone), n with at least four digits
// (widening past 9,999).
func FormatCode(prefix string, localDay time.Time, n int) string {
	return fmt.Sprintf("%s-%s-%04d", prefix, localDay.Format("060102"), n)
}

// CleanCode is a code as typed or scanned, made ready for ParseCode:
// trimmed and in upper case.
func CleanCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ParseCode splits a dossier code into its prefix (2–10 upper-case
// letters or digits), its date (YYMMDD, a real date) and its number (1
// or more: four digits, or five or six without a leading zero). It is
// the inverse of FormatCode: FormatCode of its parts is the code again.
// The error is a *queue.Error of kind invalid, invalid_dossier_code.
func ParseCode(code string) (prefix, yymmdd string, n int, err error) {
	bad := queue.NewError(queue.KindInvalid, "invalid_dossier_code", "{given} is not a dossier code: write it as on the receipt, such as TP-261203-0001", "given", quote(code))
	parts := strings.Split(code, "-")
	if len(parts) != 3 || !prefixPattern.MatchString(parts[0]) {
		return "", "", 0, bad
	}
	day, num := parts[1], parts[2]
	if len(day) != 6 || !digits(day) {
		return "", "", 0, bad
	}
	if _, err := time.Parse("060102", day); err != nil {
		return "", "", 0, bad
	}
	if len(num) < 4 || len(num) > 6 || !digits(num) || (len(num) > 4 && num[0] == '0') {
		return "", "", 0, bad
	}
	n, _ = strconv.Atoi(num)
	if n < 1 {
		return "", "", 0, bad
	}
	return parts[0], day, n, nil
}

// digits reports whether s is made of ASCII digits only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaskName is a name as the boards show it: the family name (the first
// word) whole and the other words by their initial and a full stop
// ("Nguyễn Văn An" → "Nguyễn V. A."). A name of one word is shown as it
// is; spaces are collapsed.
func MaskName(name string) string {
	words := strings.Fields(norm.NFC.String(name))
	if len(words) == 0 {
		return ""
	}
	out := []string{words[0]}
	for _, w := range words[1:] {
		out = append(out, initial(w)+".")
	}
	return strings.Join(out, " ")
}

// initial is the first letter of a word with the marks that follow it
// (a letter and its combining marks are one character to a reader), in
// upper case.
func initial(w string) string {
	var b strings.Builder
	for i, r := range w {
		if i > 0 && !unicode.Is(unicode.Mn, r) {
			break
		}
		if i == 0 {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// MaskID is an ID card number with all but its last 4 characters
// replaced by '*' ("001234567890" → "********7890"), spaces and dots
// left out; a number of 4 characters or fewer is all stars, so that
// nothing short is kept whole.
func MaskID(id string) string {
	var r []rune
	for _, c := range id {
		if !unicode.IsSpace(c) && c != '.' && c != '-' {
			r = append(r, c)
		}
	}
	if len(r) == 0 {
		return ""
	}
	keep := 4
	if len(r) <= 4 {
		keep = 0
	}
	return strings.Repeat("*", len(r)-keep) + string(r[len(r)-keep:])
}
