package notify_test

import (
	"strings"
	"testing"
	"time"

	"luot/server/notify"
)

func TestValidateDefaults(t *testing.T) {
	var c notify.Config
	if err := c.Validate(); err != nil {
		t.Fatalf("the zero config: %v", err)
	}
	want := notify.Config{Near: 3, QuietFrom: "21:00", QuietTo: "07:00", MaxTries: 8, BaseDelay: 10 * time.Second, MaxDelay: time.Hour}
	if c != want {
		t.Errorf("the zero config became %+v, want %+v", c, want)
	}
	c = notify.Config{Near: 5, QuietFrom: "22:30", QuietTo: "06:00", MaxTries: 3, BaseDelay: time.Second, MaxDelay: time.Minute, SMSUnaccented: true}
	kept := c
	if err := c.Validate(); err != nil || c != kept {
		t.Errorf("a full config: %v, became %+v", err, c)
	}
	c = notify.Config{QuietFrom: "00:00", QuietTo: "00:00"}
	if err := c.Validate(); err != nil || c.QuietFrom != "00:00" || c.QuietTo != "00:00" {
		t.Errorf("no quiet hours (equal bounds): %v, became %+v", err, c)
	}
}

func TestValidateRefuses(t *testing.T) {
	cases := []struct {
		name string
		c    notify.Config
		says string
	}{
		{"negative near", notify.Config{Near: -1}, "near is -1"},
		{"one bound", notify.Config{QuietFrom: "21:00"}, "give both bounds"},
		{"the other bound", notify.Config{QuietTo: "07:00"}, "give both bounds"},
		{"hour 24", notify.Config{QuietFrom: "24:00", QuietTo: "07:00"}, `quiet_from "24:00" is not a time of day`},
		{"minute 60", notify.Config{QuietFrom: "21:00", QuietTo: "07:60"}, `quiet_to "07:60"`},
		{"no leading zero", notify.Config{QuietFrom: "9:00", QuietTo: "07:00"}, `quiet_from "9:00"`},
		{"seconds", notify.Config{QuietFrom: "21:00:00", QuietTo: "07:00"}, `quiet_from "21:00:00"`},
		{"a sign", notify.Config{QuietFrom: "+1:00", QuietTo: "07:00"}, `quiet_from "+1:00"`},
		{"a negative minute", notify.Config{QuietFrom: "21:-1", QuietTo: "07:00"}, `quiet_from "21:-1"`},
		{"words", notify.Config{QuietFrom: "evening", QuietTo: "07:00"}, `quiet_from "evening"`},
		{"negative tries", notify.Config{MaxTries: -2}, "max_tries is -2"},
		{"negative delay", notify.Config{BaseDelay: -time.Second}, "cannot be negative"},
		{"negative max delay", notify.Config{MaxDelay: -time.Second}, "cannot be negative"},
		{"max below base", notify.Config{BaseDelay: time.Minute, MaxDelay: time.Second}, "shorter than the first"},
		{"default max below base", notify.Config{BaseDelay: 2 * time.Hour}, "shorter than the first"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Validate(%+v) = %v, want an error saying %q", tc.c, err, tc.says)
			}
			if c != tc.c {
				t.Errorf("a refused config was changed: %+v, was %+v", c, tc.c)
			}
		})
	}
}

func TestQuiet(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, hcm)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	def := notify.Config{}
	day := notify.Config{QuietFrom: "12:00", QuietTo: "13:30"}
	none := notify.Config{QuietFrom: "08:00", QuietTo: "08:00"}
	cases := []struct {
		name  string
		c     notify.Config
		k     notify.Kind
		t     time.Time
		until string // "" for not held
	}{
		{"evening before the quiet hours", def, notify.TicketNear, at("2026-12-03 20:59:59"), ""},
		{"their first second", def, notify.TicketNear, at("2026-12-03 21:00:00"), "2026-12-04 07:00:00"},
		{"before midnight: held to tomorrow", def, notify.DossierReady, at("2026-12-03 23:30:00"), "2026-12-04 07:00:00"},
		{"after midnight: held to this morning", def, notify.BookingDayBefore, at("2026-12-04 02:00:00"), "2026-12-04 07:00:00"},
		{"the last second", def, notify.ReportStatus, at("2026-12-04 06:59:59"), "2026-12-04 07:00:00"},
		{"their end", def, notify.ReportStatus, at("2026-12-04 07:00:00"), ""},
		{"day", def, notify.TicketMissed, at("2026-12-04 12:00:00"), ""},
		{"New Year's Eve: held into the next year", def, notify.TicketNear, at("2026-12-31 22:00:00"), "2027-01-01 07:00:00"},
		{"called is never held", def, notify.TicketCalled, at("2026-12-03 23:30:00"), ""},
		{"a phone code is never held", def, notify.PhoneCode, at("2026-12-04 02:00:00"), ""},
		{"a link asked again is never held", def, notify.LinkAgain, at("2026-12-04 02:00:00"), ""},
		{"quiet hours within a day", day, notify.TicketNear, at("2026-12-04 12:45:00"), "2026-12-04 13:30:00"},
		{"before them", day, notify.TicketNear, at("2026-12-04 11:59:00"), ""},
		{"after them", day, notify.TicketNear, at("2026-12-04 13:30:00"), ""},
		{"equal bounds: none", none, notify.TicketNear, at("2026-12-04 08:00:00"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			until, held := tc.c.Quiet(tc.k, tc.t, hcm)
			if tc.until == "" {
				if held {
					t.Fatalf("held until %v, want not held", until)
				}
				return
			}
			if !held || !until.Equal(at(tc.until)) {
				t.Fatalf("Quiet = %v, %v; want held until %s", until, held, tc.until)
			}
			if until.Location() != hcm {
				t.Errorf("until is in %v, want the office's zone", until.Location())
			}
		})
	}
	// The office's zone decides, not the instant's: 14:30 UTC is 21:30 in Hà Nội.
	utc := time.Date(2026, 12, 3, 14, 30, 0, 0, time.UTC)
	if until, held := def.Quiet(notify.TicketNear, utc, hcm); !held || !until.Equal(at("2026-12-04 07:00:00")) {
		t.Errorf("14:30 UTC in Asia/Ho_Chi_Minh: %v %v, want held until 07:00 there", until, held)
	}
	if _, held := def.Quiet(notify.TicketNear, utc, nil); held {
		t.Errorf("14:30 UTC with no zone (UTC) is held")
	}
}

func TestQuietAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// The clocks go forward at 02:00 on 29 March 2026: quiet hours ending
	// at 02:30 end at 03:30 that night (02:30 does not exist), still after t.
	c := notify.Config{QuietFrom: "22:00", QuietTo: "02:30"}
	tt := time.Date(2026, 3, 28, 23, 0, 0, 0, berlin)
	until, held := c.Quiet(notify.TicketNear, tt, berlin)
	if !held || !until.After(tt) || until.Sub(tt) > 4*time.Hour {
		t.Errorf("across the change: %v %v", until, held)
	}
}

func TestBackoff(t *testing.T) {
	def := notify.Config{}
	cases := []struct {
		c      notify.Config
		tries  int
		jitter float64
		want   time.Duration
	}{
		{def, 1, 0, 10 * time.Second},
		{def, 2, 0, 20 * time.Second},
		{def, 3, 0, 40 * time.Second},
		{def, 9, 0, 2560 * time.Second},
		{def, 10, 0, time.Hour}, // 5120 s, capped
		{def, 1000, 0, time.Hour},
		{def, 0, 0, 10 * time.Second},
		{def, -5, 0, 10 * time.Second},
		{def, 1, 0.5, 9 * time.Second}, // 10 % off
		{def, 1, 0.999999, 8000002 * time.Microsecond},
		{def, 30, 0.5, 54 * time.Minute}, // the cap is never exceeded
		{def, 1, 1, 10 * time.Second},    // out of range: no jitter
		{def, 1, -0.5, 10 * time.Second},
		{notify.Config{BaseDelay: time.Second, MaxDelay: 5 * time.Second}, 4, 0, 5 * time.Second},
		{notify.Config{BaseDelay: time.Duration(1 << 62), MaxDelay: time.Duration(1<<63 - 1)}, 5, 0, time.Duration(1<<63 - 1)},
	}
	for _, tc := range cases {
		if got := tc.c.Backoff(tc.tries, tc.jitter); got != tc.want {
			t.Errorf("%+v.Backoff(%d, %v) = %v, want %v", tc.c, tc.tries, tc.jitter, got, tc.want)
		}
	}
	nan := 0.0
	nan /= nan
	if got := def.Backoff(2, nan); got != 20*time.Second {
		t.Errorf("NaN jitter: %v, want no jitter", got)
	}
	prev := time.Duration(0)
	for tries := 1; tries < 70; tries++ {
		d := def.Backoff(tries, 0)
		if d < prev || d > time.Hour {
			t.Fatalf("Backoff(%d) = %v after %v: the delays grow up to the cap", tries, d, prev)
		}
		prev = d
	}
}

func TestKeys(t *testing.T) {
	cases := map[string]string{
		notify.TicketKey("T1", "near"):         "ticket/T1/near",
		notify.TicketKey("T1", "missed"):       "ticket/T1/missed",
		notify.TicketCalledKey("T1", 2):        "ticket/T1/called/2",
		notify.BookingKey("B7", "day-before"):  "booking/B7/day-before",
		notify.BookingKey("B7", "hour-before"): "booking/B7/hour-before",
		notify.DossierKey("TP-261203-0001", 7): "dossier/TP-261203-0001/event/7",
		notify.ReportKey("PA-2612-00012", 9):   "report/PA-2612-00012/event/9",
		notify.PhoneCodeKey("x1y2"):            "phone-code/x1y2",
		notify.LinkAgainKey("z9"):              "link-again/z9",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("key %q, want %q", got, want)
		}
	}
}
