package queue

// Times of day: appointment slots and opening hours.
//
// Rules decided here:
//
//   - A time of day is written HH:MM and nothing else: two ASCII digits,
//     a colon, two ASCII digits, from 00:00 to 23:59. No sign, space,
//     single digit, seconds, other digits (fullwidth, Arabic-Indic) or
//     other colon is read as a time. This is the only parser of times in
//     Lượt: slots of the API, opening hours of the office file and of the
//     admin forms all go through it.
//   - "24:00" (midnight at the end of the day) is accepted only as the end
//     of an opening span ([ParseClockEnd]); the office file writes opening
//     round the clock as 00:00–24:00. A slot never starts at 24:00.
//   - Because one spelling is accepted per time, the string read is its
//     canonical form ([FormatClock] of its minute); bookings are stored,
//     compared and counted against a slot's capacity in that form.
//   - Data stored by earlier versions, which read each half with
//     strconv.Atoi and so took "+9:00" or "10:-0", is brought to the
//     canonical form when it is loaded ([StoredClock]), not by a migration:
//     it covers the office configuration (JSON) as well as bookings, and
//     needs no schema change.

// errClock is the message of a time that is not HH:MM; it does not repeat
// the input.
const errClock = "write the time as HH:MM: two digits, a colon, two digits, from 00:00 to 23:59"

// ParseClock reads a time of day written HH:MM (00:00–23:59) and returns
// its minute after midnight. Every other spelling is an error of kind
// invalid with code invalid_time.
func ParseClock(s string) (int, error) {
	m, ok := clockMinute(s)
	if !ok || m >= 24*60 {
		return 0, errorf(KindInvalid, "invalid_time", errClock)
	}
	return m, nil
}

// ParseClockEnd reads the end of an opening span: HH:MM as ParseClock, or
// "24:00" for the end of the day (minute 1440).
func ParseClockEnd(s string) (int, error) {
	m, ok := clockMinute(s)
	if !ok {
		return 0, errorf(KindInvalid, "invalid_time", "write the time as HH:MM: two digits, a colon, two digits, from 00:00 to 24:00")
	}
	return m, nil
}

// clockMinute reads HH:MM from 00:00 to 24:00.
func clockMinute(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' || !digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4]) {
		return 0, false
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// FormatClock writes minute m after midnight as HH:MM, the one spelling
// ParseClock reads (m from 0 to 1440).
func FormatClock(m int) string {
	return string([]byte{byte('0' + m/600), byte('0' + m/60%10), ':', byte('0' + m%60/10), byte('0' + m%10)})
}

// StoredClock returns the canonical HH:MM of a time stored by an earlier
// version, whose parser read each half with strconv.Atoi: a half could be
// two digits, or a sign and one digit ("+9:00", "10:-0", "-0:30"; a
// negative value was refused). A string that was never a time is returned
// unchanged, so that whoever reads it still refuses it.
func StoredClock(s string) string {
	if len(s) != 5 || s[2] != ':' {
		return s
	}
	h, ok1 := storedHalf(s[:2])
	m, ok2 := storedHalf(s[3:])
	if !ok1 || !ok2 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return s
	}
	return FormatClock(h*60 + m)
}

// storedHalf reads a half of an old time: "09", "+9", "-0".
func storedHalf(s string) (int, bool) {
	switch {
	case digit(s[0]) && digit(s[1]):
		return int(s[0]-'0')*10 + int(s[1]-'0'), true
	case s[0] == '+' && digit(s[1]):
		return int(s[1] - '0'), true
	case s[0] == '-' && s[1] == '0':
		return 0, true
	}
	return 0, false
}
