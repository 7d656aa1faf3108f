package queue

import "strings"

// NormalizePhone checks a Vietnamese mobile number and returns its one
// canonical form, +84 followed by nine digits. It accepts the national
// form 0xxxxxxxxx and the international forms +84xxxxxxxxx and
// 84xxxxxxxxx, with spaces, dots, dashes or parentheses between digits.
// The first digit after the 0 must be that of a mobile network (3, 5, 7, 8
// or 9): numbers are taken to reach the citizen by SMS or call.
func NormalizePhone(s string) (string, error) {
	bad := errorf(KindInvalid, "invalid_phone", "{phone} is not a Vietnamese mobile number: write 10 digits starting with 0 (e.g. 0912 345 678) or +84 and 9 digits", "phone", quoted(truncateRunes(s, 20)))
	if len(s) > 32 {
		return "", bad
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", bad
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+84"):
		d = d[3:]
	case strings.HasPrefix(d, "84") && len(d) == 11:
		d = d[2:]
	case strings.HasPrefix(d, "0") && len(d) == 10:
		d = d[1:]
	default:
		return "", bad
	}
	if len(d) != 9 || strings.IndexByte("35789", d[0]) < 0 {
		return "", bad
	}
	return "+84" + d, nil
}

// MaskPhone shows a canonical phone number with its middle hidden, in the
// national form: "+84912345678" → "0912 *** 678". Staff views use it.
func MaskPhone(p string) string {
	if !strings.HasPrefix(p, "+84") || len(p) != 12 {
		return "***"
	}
	n := "0" + p[3:]
	return n[:4] + " *** " + n[7:]
}

// LocalPhone shows a canonical phone number in the national form
// ("+84912345678" → "0912345678").
func LocalPhone(p string) string {
	if strings.HasPrefix(p, "+84") {
		return "0" + p[3:]
	}
	return p
}
