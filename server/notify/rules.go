package notify

import (
	"fmt"
	"strconv"
	"time"
)

// The defaults of Config's zero fields.
const (
	DefaultNear      = 3
	DefaultQuietFrom = "21:00"
	DefaultQuietTo   = "07:00"
	DefaultMaxTries  = 8
	DefaultBaseDelay = 10 * time.Second
	DefaultMaxDelay  = time.Hour
	// Jitter is the largest share of a retry's delay taken off at
	// random, so that messages failed together do not retry together.
	Jitter = 0.2
)

// Validate fills the zero fields with their defaults (near 3, quiet
// hours 21:00–07:00, 8 tries, retries after 10 s doubling up to 1 h) and
// refuses negative numbers, a quiet bound that is not a time of day, one
// quiet bound without the other, and a MaxDelay below BaseDelay. On an
// error c is left as it was.
func (c *Config) Validate() error {
	v := *c
	if v.Near < 0 {
		return fmt.Errorf("notify: near is %d: give how many tickets ahead make a ticket's turn near, 1 or more (0 for the default %d)", v.Near, DefaultNear)
	}
	if v.Near == 0 {
		v.Near = DefaultNear
	}
	switch {
	case v.QuietFrom == "" && v.QuietTo == "":
		v.QuietFrom, v.QuietTo = DefaultQuietFrom, DefaultQuietTo
	case v.QuietFrom == "" || v.QuietTo == "":
		return fmt.Errorf("notify: quiet hours from %q to %q: give both bounds (HH:MM), or neither for %s–%s; equal bounds mean no quiet hours", v.QuietFrom, v.QuietTo, DefaultQuietFrom, DefaultQuietTo)
	}
	for _, b := range []struct{ name, v string }{{"quiet_from", v.QuietFrom}, {"quiet_to", v.QuietTo}} {
		if _, ok := clock(b.v); !ok {
			return fmt.Errorf("notify: %s %q is not a time of day: give HH:MM, 00:00 to 23:59", b.name, b.v)
		}
	}
	if v.MaxTries < 0 {
		return fmt.Errorf("notify: max_tries is %d: give 1 or more (0 for the default %d)", v.MaxTries, DefaultMaxTries)
	}
	if v.MaxTries == 0 {
		v.MaxTries = DefaultMaxTries
	}
	if v.BaseDelay < 0 || v.MaxDelay < 0 {
		return fmt.Errorf("notify: retry delays %v and %v: a delay cannot be negative (0 for the defaults %v and %v)", v.BaseDelay, v.MaxDelay, DefaultBaseDelay, DefaultMaxDelay)
	}
	if v.BaseDelay == 0 {
		v.BaseDelay = DefaultBaseDelay
	}
	if v.MaxDelay == 0 {
		v.MaxDelay = DefaultMaxDelay
	}
	if v.MaxDelay < v.BaseDelay {
		return fmt.Errorf("notify: the longest retry delay %v is shorter than the first %v: give a longer one", v.MaxDelay, v.BaseDelay)
	}
	*c = v
	return nil
}

// clock reads "HH:MM" (00:00 to 23:59) as minutes after midnight.
func clock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[0] == '-' || s[3] == '+' || s[3] == '-' ||
		h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// Urgent tells the kinds that quiet hours do not hold: a call (the
// citizen must come now) and what the citizen has just asked for and
// is waiting for (a phone code, a lost link).
func Urgent(k Kind) bool { return k == TicketCalled || k == PhoneCode || k == LinkAgain }

// Quiet tells whether a notice of kind k due at t is held by the quiet
// hours of the office's zone loc (UTC when nil), and until when: the end
// of the quiet hours, in loc. Urgent kinds are never held; equal bounds
// mean no quiet hours. The zero fields have their defaults (Validate).
func (c Config) Quiet(k Kind, t time.Time, loc *time.Location) (until time.Time, held bool) {
	if Urgent(k) {
		return time.Time{}, false
	}
	fromS, toS := c.QuietFrom, c.QuietTo
	if fromS == "" && toS == "" {
		fromS, toS = DefaultQuietFrom, DefaultQuietTo
	}
	from, ok1 := clock(fromS)
	to, ok2 := clock(toS)
	if !ok1 || !ok2 || from == to {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	m := lt.Hour()*60 + lt.Minute()
	y, mo, d := lt.Date()
	switch {
	case from < to && m >= from && m < to: // within one day
	case from > to && m < to: // after midnight
	case from > to && m >= from: // before midnight: ends tomorrow
		d++
	default:
		return time.Time{}, false
	}
	until = time.Date(y, mo, d, to/60, to%60, 0, 0, loc)
	if !until.After(t) { // a clock change ate the end of the quiet hours
		return time.Time{}, false
	}
	return until, true
}

// Backoff is the delay before the next try after tries failed tries:
// BaseDelay·2^(tries-1) up to MaxDelay, less up to Jitter of it by
// jitter in [0,1) (the caller's random number; out of range counts as
// 0), so MaxDelay is never exceeded. The zero fields have their
// defaults (Validate).
func (c Config) Backoff(tries int, jitter float64) time.Duration {
	base, max := c.BaseDelay, c.MaxDelay
	if base <= 0 {
		base = DefaultBaseDelay
	}
	if max <= 0 {
		max = DefaultMaxDelay
	}
	if max < base {
		max = base
	}
	d := base
	for i := 1; i < tries && d < max; i++ {
		d *= 2
		if d <= 0 { // overflowed: past any MaxDelay
			d = max
		}
	}
	d = min(d, max)
	if !(jitter > 0 && jitter < 1) { // NaN too
		jitter = 0
	}
	return d - time.Duration(float64(d)*Jitter*jitter)
}

// TicketKey is the key of a ticket's notice: "ticket/{id}/{fact}",
// fact "near" or "missed" (TicketCalledKey for a call).
func TicketKey(id, fact string) string { return "ticket/" + id + "/" + fact }

// TicketCalledKey is the key of a ticket's call: "ticket/{id}/called/{n}",
// n the seq of the call's (or recall's) event (queue.EventNotices), so
// every call is told and the same event is one message.
func TicketCalledKey(id string, n int) string { return TicketKey(id, "called/"+strconv.Itoa(n)) }

// BookingKey is the key of a booking's reminder: "booking/{id}/{fact}",
// fact "day-before" or "hour-before".
func BookingKey(id, fact string) string { return "booking/" + id + "/" + fact }

// DossierKey is the key of the notice of a dossier's event (its
// store-given Seq): "dossier/{code}/event/{seq}".
func DossierKey(code string, seq int64) string {
	return "dossier/" + code + "/event/" + strconv.FormatInt(seq, 10)
}

// ReportKey is the key of the notice of a report's event (its
// store-given Seq): "report/{code}/event/{seq}".
func ReportKey(code string, seq int64) string {
	return "report/" + code + "/event/" + strconv.FormatInt(seq, 10)
}

// PhoneCodeKey is the key of a phone code: "phone-code/{random}".
func PhoneCodeKey(random string) string { return "phone-code/" + random }

// LinkAgainKey is the key of a "send my link again": "link-again/{random}".
func LinkAgainKey(random string) string { return "link-again/" + random }
