package client

import (
	"net/url"
	"strings"
	"unicode"
)

// The booking-code rules of the wire contract. They are the server's
// (package queue, which owns them) written out again here, because this
// package depends on nothing of the server; a test of the server's API
// (server/api, contract_test.go) ties each of them to queue's, so that the
// two cannot drift apart.

// BookingCodeAlphabet is the alphabet of booking codes: capital letters and
// digits without the look-alikes 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B and U/V.
const BookingCodeAlphabet = "ACEFGHJKMNPRTWXY34679"

// BookingCodeLen is the length of a booking code.
const BookingCodeLen = 6

// NormalizeBookingCode turns what a citizen typed or a scanner read (lower
// case, spaces and line ends, dashes, dots) into the form of a code; it
// does not check it. The server normalises every code it is sent the same
// way.
func NormalizeBookingCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '.' {
			return -1
		}
		return r
	}, s)
}

// ValidBookingCode reports whether s is a well-formed booking code (already
// normalised).
func ValidBookingCode(s string) bool {
	if len(s) != BookingCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(BookingCodeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// ScannedBookingCode extracts a booking code from what a barcode/QR
// scanner read or a citizen typed: a bare code, or a link whose "code"
// query parameter or last path element is the code (a link is a client's
// matter: the API takes only codes). It returns the normalised code and
// whether it is well formed.
func ScannedBookingCode(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			if c := u.Query().Get("code"); c != "" {
				s = c
			} else {
				s = u.Path[strings.LastIndex(u.Path, "/")+1:]
			}
		}
	}
	s = NormalizeBookingCode(s)
	return s, ValidBookingCode(s)
}
