package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"luot/server/queue"
)

// The admin forms' decoders: each reads url.Values into a piece of the
// configuration and says, in words, what is wrong. The full office is then
// checked by queue.Office.Validate before it takes effect.

// FormError is a form field that is not valid: Field names the input
// (e.g. "digits"; empty when the whole form is at fault), VI and EN say
// what is wrong in each language.
type FormError struct{ Field, VI, EN string }

// Error is the English text (logs and the tests read it).
func (e *FormError) Error() string { return e.EN }

// In is the text in lang ("vi" or "en").
func (e *FormError) In(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.VI
}

// fieldErr makes a FormError for field; vi and en are formats of the same
// arguments.
func fieldErr(field, vi, en string, a ...any) error {
	return &FormError{Field: field, VI: fmt.Sprintf(vi, a...), EN: fmt.Sprintf(en, a...)}
}

func formInt(f url.Values, name string, min, max int) (int, error) {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, fieldErr(name, "phải là số nguyên từ %[2]d đến %[3]d (đã nhập %[4]q)", "%[1]s must be a whole number from %[2]d to %[3]d (got %[4]q)", name, min, max, truncate(s, 20))
	}
	return n, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// ParseServiceForm reads a service from an admin form: id, name, name_en,
// prefix, digits, first_number, default_minutes, slot_minutes,
// slot_capacity, daily_cap, remote_cap, active ("on" when checked).
func ParseServiceForm(f url.Values) (queue.Service, error) {
	sv := queue.Service{
		ID: strings.TrimSpace(f.Get("id")), Name: strings.TrimSpace(f.Get("name")), NameEN: strings.TrimSpace(f.Get("name_en")),
		Prefix: strings.ToUpper(strings.TrimSpace(f.Get("prefix"))), Active: f.Get("active") == "on",
	}
	if !queue.ValidID(sv.ID) {
		return sv, fieldErr("id", "mã lĩnh vực %q không hợp lệ: dùng 1–32 chữ thường không dấu, chữ số, '-' hoặc '_'", "service id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", truncate(sv.ID, 40))
	}
	var err error
	if sv.Digits, err = formInt(f, "digits", 0, 6); err != nil {
		return sv, err
	}
	if sv.FirstNumber, err = formInt(f, "first_number", 0, 99999); err != nil {
		return sv, err
	}
	m, err := strconv.ParseFloat(strings.TrimSpace(f.Get("default_minutes")), 64)
	if err != nil || !(m > 0 && m <= 24*60) { // NaN fails both comparisons
		return sv, fieldErr("default_minutes", "số phút mỗi lượt phải lớn hơn 0 và tối đa 1440", "default minutes must be a number above 0 and at most 1440")
	}
	sv.DefaultMinutes = m
	for _, x := range []struct {
		name string
		dst  *int
		max  int
	}{{"slot_minutes", &sv.SlotMinutes, 24 * 60}, {"slot_capacity", &sv.SlotCapacity, 10000}, {"daily_cap", &sv.DailyCap, 100000}, {"remote_cap", &sv.RemoteCap, 100000}} {
		if *x.dst, err = formInt(f, x.name, 0, x.max); err != nil {
			return sv, err
		}
	}
	return sv, nil
}

// ParseCounterServices reads a counter's service list written as
// "service:offset, service:offset …" in order (an offset may be left out:
// 0 = primary). Services not listed are never served there.
func ParseCounterServices(s string) ([]queue.CounterService, error) {
	var out []queue.CounterService
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, off, hasOff := strings.Cut(part, ":")
		cs := queue.CounterService{Service: strings.TrimSpace(id)}
		if !queue.ValidID(cs.Service) {
			return nil, fieldErr("services", "%q không phải mã lĩnh vực; viết lĩnh_vực:phút, ví dụ ho-tich:0, chung-thuc:10", "%q is not a service id; write service:offset, e.g. ho-tich:0, chung-thuc:10", truncate(part, 40))
		}
		if hasOff {
			n, err := strconv.Atoi(strings.TrimSpace(off))
			if err != nil || n < 0 || n > 7*24*60 {
				return nil, fieldErr("services", "số phút lùi của %s phải từ 0 đến tối đa một tuần", "offset of %s must be 0 or more minutes (at most a week)", cs.Service)
			}
			cs.OffsetMinutes = n
		}
		if len(out) >= 100 {
			return nil, fieldErr("services", "một quầy phục vụ tối đa 100 lĩnh vực", "a counter serves at most 100 services")
		}
		out = append(out, cs)
	}
	return out, nil
}

// FormatCounterServices writes a service list as ParseCounterServices reads it.
func FormatCounterServices(l []queue.CounterService) string {
	parts := make([]string, len(l))
	for i, cs := range l {
		parts[i] = cs.Service + ":" + strconv.Itoa(cs.OffsetMinutes)
	}
	return strings.Join(parts, ", ")
}

// weekdays in the order forms show them.
var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// ParseHours reads opening hours from fields hours_mon … hours_sun, each
// "HH:MM-HH:MM, HH:MM-HH:MM" (empty = closed).
func ParseHours(f url.Values) (queue.WeekHours, error) {
	h := queue.WeekHours{}
	for _, d := range weekdays {
		v := strings.TrimSpace(f.Get("hours_" + d))
		if v == "" {
			continue
		}
		for _, span := range strings.Split(v, ",") {
			from, to, ok := strings.Cut(strings.TrimSpace(span), "-")
			if !ok || len(h[d]) >= 12 {
				return nil, fieldErr("hours_"+d, "giờ mở cửa: viết các khoảng HH:MM-HH:MM, cách nhau bằng dấu phẩy (đã nhập %[2]q)", "opening hours of %[1]s: write spans as HH:MM-HH:MM separated by commas (got %[2]q)", d, truncate(v, 40))
			}
			h[d] = append(h[d], queue.Span{From: strings.TrimSpace(from), To: strings.TrimSpace(to)})
		}
	}
	return h, nil
}

// FormatHours writes one weekday's spans as ParseHours reads them.
func FormatHours(h queue.WeekHours, day string) string {
	parts := make([]string, 0, len(h[day]))
	for _, sp := range h[day] {
		parts = append(parts, sp.From+"-"+sp.To)
	}
	return strings.Join(parts, ", ")
}

// ParseHolidays reads holidays, one date (YYYY-MM-DD) per line or comma.
func ParseHolidays(s string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' }) {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// ParsePolicy reads the priority bonuses and booking windows into p:
// default_bonus, bonus_<class>, booking_early, booking_late, late_checkin,
// recent_calls.
func ParsePolicy(f url.Values, p queue.Policy) (queue.Policy, error) {
	var err error
	if p.DefaultBonusMinutes, err = formInt(f, "default_bonus", 0, queue.MaxBonusMinutes); err != nil {
		return p, err
	}
	p.PriorityBonusMinutes = map[queue.Priority]int{}
	for _, c := range queue.Priorities {
		if strings.TrimSpace(f.Get("bonus_"+string(c))) == "" {
			continue
		}
		if p.PriorityBonusMinutes[c], err = formInt(f, "bonus_"+string(c), 0, queue.MaxBonusMinutes); err != nil {
			return p, err
		}
	}
	if p.BookingEarlyMinutes, err = formInt(f, "booking_early", 0, 24*60); err != nil {
		return p, err
	}
	if p.BookingLateMinutes, err = formInt(f, "booking_late", 0, 24*60); err != nil {
		return p, err
	}
	p.LateCheckin = f.Get("late_checkin")
	if p.LateCheckin != queue.LateWalkIn && p.LateCheckin != queue.LateRefuse {
		return p, fieldErr("late_checkin", "chọn một cách xử lý người đến muộn trong danh sách", "late check-in must be %q or %q", queue.LateWalkIn, queue.LateRefuse)
	}
	if p.RecentCalls, err = formInt(f, "recent_calls", 1, 50); err != nil {
		return p, err
	}
	return p, nil
}
