package queue

import (
	"fmt"
	mrand "math/rand"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/quick"
)

func TestParseClock(t *testing.T) {
	for _, c := range []struct {
		s      string
		minute int
	}{{"00:00", 0}, {"09:00", 540}, {"09:05", 545}, {"12:30", 750}, {"23:59", 1439}} {
		m, err := ParseClock(c.s)
		if err != nil || m != c.minute {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", c.s, m, err, c.minute)
		}
		if e, err := ParseClockEnd(c.s); err != nil || e != c.minute {
			t.Errorf("ParseClockEnd(%q) = %d, %v", c.s, e, err)
		}
	}
	if _, err := ParseClock("24:00"); err == nil {
		t.Error("24:00 is no start of a slot")
	}
	if m, err := ParseClockEnd("24:00"); err != nil || m != 24*60 {
		t.Errorf("ParseClockEnd(24:00) = %d, %v", m, err)
	}
	for _, s := range []string{
		"", "9:00", "09:0", "9:0", "0900", "09.00", "09h00", "09:00:00", "09:00 ", " 09:00", " 9:00",
		"+9:00", "-0:00", "10:+0", "10:-0", "+0:30", "09:+5", "-9:00",
		"０９:００", "09：00", "٠٩:٠٠", "09:0０", "2４:00",
		"24:01", "24:30", "25:00", "23:60", "99:99", "ab:cd", "0x:10", "\x0009:00", "09:00\x00",
	} {
		if m, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%+q) = %d, want an error", s, m)
		} else {
			wantCode(t, err, "invalid_time")
			if strings.Contains(err.Error(), s) && s != "" {
				t.Errorf("the error repeats the input: %v", err)
			}
		}
		if m, err := ParseClockEnd(s); err == nil {
			t.Errorf("ParseClockEnd(%+q) = %d, want an error", s, m)
		}
	}
}

// TestFormatClockRoundTrip: every minute of the day (and the end, 24:00)
// has one spelling, and it parses back to the minute.
func TestFormatClockRoundTrip(t *testing.T) {
	for m := 0; m <= 24*60; m++ {
		s := FormatClock(m)
		if want := fmt.Sprintf("%02d:%02d", m/60, m%60); s != want {
			t.Fatalf("FormatClock(%d) = %q, want %q", m, s, want)
		}
		if got, err := ParseClockEnd(s); err != nil || got != m {
			t.Fatalf("ParseClockEnd(%q) = %d, %v", s, got, err)
		}
	}
}

// TestClockSpellingProperty: whatever string is read as a time is the
// canonical spelling of that time (so two spellings never make two slots).
func TestClockSpellingProperty(t *testing.T) {
	alphabet := []rune("0123456789012345:::+- .h０９：\u202e")
	gen := func(rng *rand.Rand) string {
		var b strings.Builder
		for range 3 + rng.IntN(4) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	rng := rand.New(rand.NewPCG(14, 8))
	for range 200000 {
		s := gen(rng)
		if m, err := ParseClockEnd(s); err == nil && FormatClock(m) != s {
			t.Fatalf("%q is read as %d, whose spelling is %q", s, m, FormatClock(m))
		}
	}
	// And over arbitrary strings (testing/quick draws them, seeded).
	cfg := &quick.Config{MaxCount: 20000, Rand: mrand.New(mrand.NewSource(14))}
	if err := quick.Check(func(s string) bool {
		m, err := ParseClockEnd(s)
		return err != nil || FormatClock(m) == s
	}, cfg); err != nil {
		t.Fatal(err)
	}
}

func TestStoredClock(t *testing.T) {
	for in, want := range map[string]string{
		"09:00": "09:00", "+9:00": "09:00", "10:+0": "10:00", "10:-0": "10:00", "-0:30": "00:30",
		"+0:+0": "00:00", "24:00": "24:00", "+7:30": "07:30",
		// Never times, then or now: unchanged, still refused by ParseClock.
		"-9:00": "-9:00", "9:00": "9:00", " 9:00": " 9:00", "24:30": "24:30", "ab:cd": "ab:cd", "++:00": "++:00", "": "",
	} {
		if got := StoredClock(in); got != want {
			t.Errorf("StoredClock(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBookCountsOneSpelling: a slot never holds more than its capacity,
// whatever spellings of its time are tried (seeded, deterministic).
func TestBookCountsOneSpelling(t *testing.T) {
	s := newTestState(t, bookable) // a: 30-minute slots of 3 places
	rng := rand.New(rand.NewPCG(14, 9))
	spell := []func(string) string{
		func(c string) string { return c },
		func(c string) string { return "+" + c[1:] },
		func(c string) string { return c[:3] + "+" + c[4:] },
		func(c string) string { return c[:3] + "-" + c[4:] },
		func(c string) string { return c[1:] },
		func(c string) string { return " " + c },
		func(c string) string { return strings.ReplaceAll(c, "0", "０") },
	}
	phone := 0
	for range 300 {
		slot := spell[rng.IntN(len(spell))]([]string{"09:00", "09:30"}[rng.IntN(2)])
		phone++
		c, err := s.Book(at("08:00"), BookRequest{Code: BookingCode([]byte(fmt.Sprintf("%06d", phone))), Service: "a", Date: testDay, Slot: slot, Name: "A", Phone: fmt.Sprintf("+8490%07d", phone)})
		if err != nil {
			continue
		}
		if c.Bookings[0].Slot != "09:00" && c.Bookings[0].Slot != "09:30" {
			t.Fatalf("booked %q as slot %q", slot, c.Bookings[0].Slot)
		}
		s.apply(c)
	}
	for _, slot := range []string{"09:00", "09:30"} {
		if n := s.taken("a", testDay, slot); n != 3 {
			t.Errorf("slot %s holds %d bookings, want its 3 places", slot, n)
		}
	}
	if len(s.Bookings) != 6 {
		t.Fatalf("%d bookings in two slots of 3 places", len(s.Bookings))
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "24:00", "23:59", "+9:00", "10:-0", " 9:00", "０９:００", "9:0", "", "24:01", "\xff\xfe:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := ParseClock(s); err == nil && (m < 0 || m >= 24*60 || FormatClock(m) != s) {
			t.Fatalf("ParseClock(%q) = %d", s, m)
		}
		if m, err := ParseClockEnd(s); err == nil && (m < 0 || m > 24*60 || FormatClock(m) != s) {
			t.Fatalf("ParseClockEnd(%q) = %d", s, m)
		}
		// Whatever StoredClock makes of a string is either the string or
		// a time that parses.
		if c := StoredClock(s); c != s {
			if _, err := ParseClockEnd(c); err != nil {
				t.Fatalf("StoredClock(%q) = %q, not a time", s, c)
			}
		}
	})
}
