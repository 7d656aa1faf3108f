package client

import "testing"

// TestScannedBookingCode: a scanner's read or a typed code becomes the
// code: bare, with spaces, dashes, dots or a line end, or inside a link.
func TestScannedBookingCode(t *testing.T) {
	for in, want := range map[string]string{
		"ac3467":                                "AC3467",
		" AC-3467\r":                            "AC3467",
		"AC.34.67\n":                            "AC3467",
		"https://luot.example.vn/b/AC3467":      "AC3467",
		"https://luot.example.vn/c?code=xy7966": "XY7966",
	} {
		got, ok := ScannedBookingCode(in)
		if !ok || got != want {
			t.Errorf("ScannedBookingCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "AB234", "AC34676", "AB0345", "ABI345", "ĐB2345", "https://luot.example.vn/b/"} {
		if _, ok := ScannedBookingCode(bad); ok {
			t.Errorf("ScannedBookingCode(%q) accepted", bad)
		}
	}
}
