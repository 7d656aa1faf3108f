package web

import (
	"net/url"
	"testing"

	"luot/server/queue"
)

// The admin forms' decoders must never panic, and what they accept must
// be within the bounds they promise.

func FuzzParseServiceForm(f *testing.F) {
	f.Add("xay-dung", "Cấp phép", "A", "3", "1", "15", "30", "2", "0", "0", "on")
	f.Add("", "<script>", "AAA", "-1", "x", "0", "", "", "", "", "")
	f.Add("c", "x", "", "", "1", "NaN", "", "", "", "", "on")
	f.Add("b", "x", "", "", "1001", "1e308", "99999999999", "1", "1", "1", "off")
	f.Fuzz(func(t *testing.T, id, name, prefix, digits, first, minutes, slot, cap, daily, remote, active string) {
		sv, err := ParseServiceForm(url.Values{"id": {id}, "name": {name}, "prefix": {prefix}, "digits": {digits}, "first_number": {first},
			"default_minutes": {minutes}, "slot_minutes": {slot}, "slot_capacity": {cap}, "daily_cap": {daily}, "remote_cap": {remote}, "active": {active}})
		if err == nil && (!(sv.DefaultMinutes > 0 && sv.DefaultMinutes <= 1440) || sv.Digits < 0 || sv.Digits > 6 || sv.SlotCapacity < 0) {
			t.Fatalf("accepted %+v", sv)
		}
	})
}

func FuzzParseCounterServices(f *testing.F) {
	f.Add("xay-dung:0, ho-tich:10")
	f.Add("a;b:;c:-1\nd:99999999999999999999")
	f.Add(":::,,,")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseCounterServices(s)
		if err != nil {
			return
		}
		for _, cs := range l {
			if cs.OffsetMinutes < 0 || cs.Service == "" {
				t.Fatalf("accepted %+v", cs)
			}
		}
		if again, err := ParseCounterServices(FormatCounterServices(l)); err != nil || len(again) != len(l) {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
	})
}

func FuzzParseHoursAndPolicy(f *testing.F) {
	f.Add("07:30-11:30, 13:30-17:00", "2026-01-01\n2026-04-30", "20", "30", "15", "walkin", "8")
	f.Add("-,-,-", ",,,", "-5", "x", "", "refuse", "0")
	f.Add("+7:30-11:-0, 13:30-24:00", "", "0", "0", "0", "walkin", "1")
	f.Add("０７:30-11:30", "", "0", "0", "0", "walkin", "1")
	f.Fuzz(func(t *testing.T, hours, holidays, bonus, early, late, lateCheckin, recent string) {
		h, err := ParseHours(url.Values{"hours_mon": {hours}})
		if err == nil && len(h["mon"]) > 12 {
			t.Fatalf("accepted %d spans", len(h["mon"]))
		}
		if err == nil {
			// Hours the office accepts are written the one way times are.
			o := demoOffice()
			o.Hours = h
			if o.Validate() == nil {
				for _, sp := range h["mon"] {
					f, err1 := queue.ParseClock(sp.From)
					e, err2 := queue.ParseClockEnd(sp.To)
					if err1 != nil || err2 != nil || queue.FormatClock(f) != sp.From || queue.FormatClock(e) != sp.To {
						t.Fatalf("accepted span %q-%q", sp.From, sp.To)
					}
				}
			}
		}
		_ = ParseHolidays(holidays)
		p, err := ParsePolicy(url.Values{"default_bonus": {bonus}, "booking_early": {early}, "booking_late": {late}, "late_checkin": {lateCheckin}, "recent_calls": {recent}}, demoOffice().Policy)
		if err == nil && (p.DefaultBonusMinutes < 0 || p.BookingEarlyMinutes < 0 || p.RecentCalls > 50) {
			t.Fatalf("accepted %+v", p)
		}
	})
}
