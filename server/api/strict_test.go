package api

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// oddSlotSpellings are ways of writing a time of day that a lenient
// parser (strconv.Atoi on each half) reads as a slot, or that only look
// like one. None is HH:MM, so each must be refused with 400.
var oddSlotSpellings = []string{
	"10:+0", "10:-0", "+9:00", "-0:00", "09:+0", "+0:30",
	" 9:00", "09:00 ", " 09:00", "9:00", "09:0", "9:0", "0900", "09.00", "09h00", "09:00:00",
	"０９:００", "09：00", "٠٩:٠٠", "09:0０",
	"24:00", "23:60", "25:00", "99:99", "-1:00",
	"09:00\x00", "09:00\n", "\u202e09:00", "09\u200b:00",
}

// TestSlotSpellingsThroughAPI: only HH:MM books a slot; every other
// spelling of a time is a 400 that stores nothing, and a slot never holds
// more bookings than its capacity however its time is written.
func TestSlotSpellingsThroughAPI(t *testing.T) {
	e := bookableEnv(t, 3)
	books := "/api/v1/offices/" + office + "/bookings"
	const date = "2026-11-28"
	phone := 0
	book := func(slot string) resp {
		phone++
		return e.do(t, req{method: "POST", path: books, body: map[string]string{
			"service": "xay-dung", "date": date, "slot": slot, "name": "Phạm Thị Lan", "phone": fmt.Sprintf("0912%06d", phone)}})
	}
	// 10:00 is full first, then every other spelling of it is tried.
	for range 3 {
		if r := book("10:00"); r.status != http.StatusCreated {
			t.Fatalf("10:00: %d %s", r.status, r.body)
		}
	}
	for _, s := range oddSlotSpellings {
		r := book(s)
		if r.status != http.StatusBadRequest || r.errCode(t) != "invalid_slot" {
			t.Errorf("slot %q: %d %s, want 400 invalid_slot", s, r.status, r.body)
		}
	}
	wantErr(t, book("10:00"), http.StatusConflict, "slot_full")
	for range 3 {
		if r := book("09:00"); r.status != http.StatusCreated {
			t.Fatalf("09:00: %d %s", r.status, r.body)
		}
	}
	wantErr(t, book("09:00"), http.StatusConflict, "slot_full")
	if n := count(t, e, `SELECT count(*) FROM bookings`); n != 6 {
		t.Fatalf("%d bookings stored, want 6 (two slots of 3 places)", n)
	}
	if n := count(t, e, `SELECT count(*) FROM bookings WHERE slot NOT IN ('09:00', '10:00')`); n != 0 {
		t.Fatalf("%d bookings stored with a slot written otherwise than HH:MM", n)
	}
	// The free places the slots list agrees.
	var sl struct {
		Slots []struct {
			Slot string `json:"slot"`
		} `json:"slots"`
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/slots?service=xay-dung&date=" + date}).decode(t, &sl)
	for _, s := range sl.Slots {
		if s.Slot == "09:00" || s.Slot == "10:00" {
			t.Fatalf("full slot %s is offered", s.Slot)
		}
	}
}

// respell writes minute m of the day in a random spelling: mostly odd
// ones of the same length as HH:MM (a sign in place of a leading zero, the
// kind a lenient parser reads as the same time), others with missing or
// extra characters, spaces, other digits and colons, and sometimes the
// canonical HH:MM.
func respell(rng *rand.Rand, m int) string {
	field := func(s string) string { // s is two ASCII digits
		switch rng.IntN(9) {
		case 0, 1:
			if s[0] == '0' {
				return "+" + s[1:]
			}
		case 2:
			if s[0] == '0' {
				return "-" + s[1:]
			}
		case 3:
			return strings.TrimPrefix(s, "0")
		case 4:
			return " " + strings.TrimPrefix(s, "0")
		case 5:
			return strings.Map(func(r rune) rune { return r - '0' + '０' }, s) // fullwidth digits
		case 6:
			return "+" + s
		}
		return s
	}
	colon := []string{":", ":", ":", ":", ":", "：", ".", "h"}[rng.IntN(8)]
	s := field(fmt.Sprintf("%02d", m/60)) + colon + field(fmt.Sprintf("%02d", m%60))
	switch rng.IntN(12) {
	case 0:
		s = " " + s
	case 1:
		s += " "
	case 2, 3:
		s = fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	return s
}

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// TestSlotCapacityProperty: whatever spellings of three slot times are
// sent, in whatever order, each slot holds at most its capacity, and
// every booking is stored as HH:MM. The generator is seeded: the run is
// the same every time.
func TestSlotCapacityProperty(t *testing.T) {
	const capacity = 2
	e := bookableEnv(t, capacity)
	rng := rand.New(rand.NewPCG(14, 4))
	books := "/api/v1/offices/" + office + "/bookings"
	starts := []int{9 * 60, 9*60 + 30, 10 * 60} // 09:00, 09:30, 10:00
	accepted := map[string]int{}
	for i := range 90 {
		s := respell(rng, starts[rng.IntN(len(starts))])
		r := e.do(t, req{method: "POST", path: books, body: map[string]string{
			"service": "xay-dung", "date": "2026-11-28", "slot": s, "name": "Phạm Thị Lan", "phone": fmt.Sprintf("0913%06d", i)}})
		switch r.status {
		case http.StatusCreated:
			accepted[s]++
		case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict:
		default:
			t.Fatalf("slot %q: %d %s", s, r.status, r.body)
		}
	}
	for s := range accepted {
		if !hhmm.MatchString(s) {
			t.Errorf("spelling %q was accepted", s)
		}
	}
	if n := count(t, e, `SELECT count(*) FROM bookings WHERE slot NOT IN ('09:00', '09:30', '10:00')`); n != 0 {
		t.Errorf("%d bookings stored with a slot written otherwise than HH:MM", n)
	}
	if n := count(t, e, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM bookings GROUP BY slot)`); n > capacity {
		t.Errorf("a slot holds %d bookings, capacity %d", n, capacity)
	}
	total := count(t, e, `SELECT count(*) FROM bookings`)
	if total > capacity*len(starts) {
		t.Fatalf("%d bookings in %d slots of %d places", total, len(starts), capacity)
	}
}

// Names with invisible formatting characters: each is refused with the
// reason, without echoing the name.
var formatNames = []string{
	"\u202eNguyễn Lan",       // right-to-left override
	"Nguyễn\u202d Lan",       // left-to-right override
	"Nguyễn \u2067Lan\u2069", // right-to-left isolate
	"Lan\u200e", "Lan\u200f", // direction marks
	"Lan\u202a", "Lan\u202b", "Lan\u202c", // embeddings, pop
	"Ng\u200buyễn Lan",   // zero-width space
	"Nguy\u200cễn Lan",   // zero-width non-joiner
	"Nguyễn\u2060Lan",    // word joiner
	"\ufeffNguyễn Lan",   // byte order mark
	"Ngu\u00adyễn Lan",   // soft hyphen
	"Lan\U000e0041",      // tag character
	"Lan\u0085Lan",       // next line (a C1 control)
	"Lan\u2028Lan",       // line separator
	"Ng\u200duyễn Lan",   // joiner between letters
	"\u200d👩 Lan",        // joiner with nothing before
	"Lan 👩\u200d",        // joiner with nothing after
	"Lan 👩\u200d\u200d💻", // two joiners
}

// Names with emoji joined by U+200D are accepted: names accept emoji.
var emojiNames = []string{
	"Lan 👩‍💻",
	"👨‍👩‍👧 Gia đình",
	"Lan 👩🏽‍💻",
	"🏳️‍🌈 Lan",
	"Lan ❤️‍🔥",
}

// TestFormatCharactersInCitizenNames: a remote ticket or a booking whose
// name carries a bidi override, a zero-width or another format character
// is a 400 invalid_name that stores nothing and does not repeat the name;
// emoji sequences joined by ZWJ are kept.
func TestFormatCharactersInCitizenNames(t *testing.T) {
	e := bookableEnv(t, 100)
	remote := "/api/v1/offices/" + office + "/remote-tickets"
	books := "/api/v1/offices/" + office + "/bookings"
	phone := 0
	post := func(path, name string) resp {
		phone++
		body := map[string]string{"service": "ho-tich", "name": name, "phone": fmt.Sprintf("0914%06d", phone)}
		if path == books {
			body = map[string]string{"service": "xay-dung", "date": "2026-11-28", "slot": "09:00", "name": name, "phone": fmt.Sprintf("0914%06d", phone)}
		}
		return e.do(t, req{method: "POST", path: path, body: body, header: map[string]string{"Accept-Language": "en"}})
	}
	for _, path := range []string{remote, books} {
		for _, name := range formatNames {
			r := post(path, name)
			if r.status != http.StatusBadRequest || r.errCode(t) != "invalid_name" {
				t.Errorf("%s %+q: %d %s, want 400 invalid_name", path, name, r.status, r.body)
				continue
			}
			if strings.Contains(string(r.body), "Lan") || !strings.Contains(string(r.body), "character") {
				t.Errorf("%s %+q: the message repeats the name or does not say why: %s", path, name, r.body)
			}
		}
	}
	if n := count(t, e, `SELECT count(*) FROM bookings`) + count(t, e, `SELECT count(*) FROM tickets`); n != 0 {
		t.Fatalf("refused names stored %d rows", n)
	}
	for _, path := range []string{remote, books} {
		for _, name := range emojiNames {
			if r := post(path, name); r.status != http.StatusCreated {
				t.Errorf("%s %+q: %d %s, want 201", path, name, r.status, r.body)
			}
		}
	}
	if n := count(t, e, `SELECT count(*) FROM bookings WHERE name LIKE '%‍%'`); n != len(emojiNames) {
		t.Errorf("%d bookings kept a ZWJ sequence, want %d", n, len(emojiNames))
	}
}

// TestFormatCharactersInRatingComment: a rating comment obeys the rule of
// names (line breaks allowed): an override is refused, an emoji sequence
// kept.
func TestFormatCharactersInRatingComment(t *testing.T) {
	e := bookableEnv(t, 3)
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "Nguyễn Văn Ánh"}})
	var a ticketAnswer
	r.decode(t, &a)
	tk := a.Ticket
	token := tk.TrackURL[strings.Index(tk.TrackURL, "token=")+6:]
	clerk := e.clerk(t, "nv2", "q2")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/next", token: clerk})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/start", token: clerk}) // done right after a call is refused (the call guard)
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/done", token: clerk})
	rate := func(comment string) resp {
		return e.do(t, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/rating", body: map[string]any{"token": token, "score": 3, "comment": comment}})
	}
	for _, c := range []string{"Cán bộ \u202etận tình", "Tốt\u200b", "\ufeffTốt", "Tốt\u2066", "a\u200db"} {
		r := rate(c)
		if r.status != http.StatusBadRequest || r.errCode(t) != "invalid_comment" || strings.Contains(string(r.body), "Tốt") {
			t.Errorf("comment %+q: %d %s, want 400 invalid_comment without the comment", c, r.status, r.body)
		}
	}
	if n := count(t, e, `SELECT count(*) FROM ratings`); n != 0 {
		t.Fatalf("%d ratings stored from refused comments", n)
	}
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/rating", body: map[string]any{"token": token, "score": 3, "comment": "Cán bộ tận tình 👩‍💻\nCảm ơn"}})
}
