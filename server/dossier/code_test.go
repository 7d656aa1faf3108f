package dossier_test

import (
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/queue"
)

func TestCodes(t *testing.T) {
	day := time.Date(2026, 12, 3, 15, 0, 0, 0, hcm)
	for _, k := range []struct {
		prefix string
		n      int
		want   string
	}{
		{"TP", 1, "TP-261203-0001"},
		{"TP", 42, "TP-261203-0042"},
		{"TP", 9999, "TP-261203-9999"},
		{"TP", 10000, "TP-261203-10000"},
		{"UBND01", 123456, "UBND01-261203-123456"},
	} {
		got := dossier.FormatCode(k.prefix, day, k.n)
		if got != k.want {
			t.Errorf("FormatCode(%s, %d) = %s, want %s", k.prefix, k.n, got, k.want)
		}
		p, ymd, n, err := dossier.ParseCode(got)
		if err != nil || p != k.prefix || ymd != "261203" || n != k.n {
			t.Errorf("ParseCode(%s) = %s %s %d %v", got, p, ymd, n, err)
		}
	}
	for _, bad := range []string{
		"", "TP", "TP-261203", "TP-261203-0001-1", "tp-261203-0001", "T-261203-0001", "TOOLONGPREF1-261203-0001",
		"TP-261232-0001", "TP-260229-0001", "TP-26120-0001", "TP-2612031-0001", "TP-261203-001", "TP-261203-0000",
		"TP-261203-01234", "TP-261203-1234567", "TP-261203-12a4", "TP_261203_0001", " TP-261203-0001", "TP-261203-+001",
		"TP-26l203-0001", "TP-261203-٠٠٠١",
	} {
		_, _, _, err := dossier.ParseCode(bad)
		wantCode(t, "ParseCode("+bad+")", err, queue.KindInvalid, "invalid_dossier_code")
	}
	if got := dossier.CleanCode("  tp-261203-0001\n"); got != "TP-261203-0001" {
		t.Errorf("CleanCode: %q", got)
	}
	// 29 February exists in leap years.
	if _, _, _, err := dossier.ParseCode("TP-280229-0001"); err != nil {
		t.Errorf("29 February 2028: %v", err)
	}
}

// FuzzParseCode: whatever is read at the kiosk, ParseCode either refuses
// it or gives the parts that FormatCode writes back as the same code.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"TP-261203-0001", "TP-261203-10000", "AB12-991231-999999", "TP-261203-0000", "TP--", "-0-", "TP-261203-01234", "TP-260229-0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prefix, ymd, n, err := dossier.ParseCode(s)
		if err != nil {
			if queue.KindOf(err) != queue.KindInvalid {
				t.Fatalf("%q: %v is not an invalid-input error", s, err)
			}
			return
		}
		day, perr := time.Parse("060102", ymd)
		if perr != nil || n < 1 {
			t.Fatalf("%q parsed to a date %q (%v) and number %d", s, ymd, perr, n)
		}
		if back := dossier.FormatCode(prefix, day, n); back != s {
			t.Fatalf("%q parsed to %s %s %d, written back as %q", s, prefix, ymd, n, back)
		}
	})
}

func TestMasks(t *testing.T) {
	for _, k := range []struct{ in, want string }{
		{"Nguyễn Văn An", "Nguyễn V. A."},
		{"  Trần   thị  bích ", "Trần T. B."},
		{"Nguyễn", "Nguyễn"},
		{"", ""},
		{"Đặng Ánh Ồn", "Đặng Á. Ồ."},
		{"Đặng A\u0301nh", "Đặng Á."}, // decomposed: the accent stays with its letter
		{"Lê đức Ưng", "Lê Đ. Ư."},
	} {
		if got := dossier.MaskName(k.in); got != k.want {
			t.Errorf("MaskName(%q) = %q, want %q", k.in, got, k.want)
		}
	}
	for _, k := range []struct{ in, want string }{
		{"001234567890", "********7890"},
		{"123456789", "*****6789"},
		{"0012 3456 7890", "********7890"},
		{"1234", "****"},
		{"12", "**"},
		{"", ""},
	} {
		if got := dossier.MaskID(k.in); got != k.want {
			t.Errorf("MaskID(%q) = %q, want %q", k.in, got, k.want)
		}
	}
}
