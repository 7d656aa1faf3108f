package printer

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Ticket is what the kiosk prints for a citizen. Vietnamese fields come
// first; the English ones (…EN) are printed below them and may be empty.
type Ticket struct {
	Office     string // office name, e.g. "UBND Phường Bến Nghé"
	OfficeEN   string
	Service    string // service name, e.g. "Cấp giấy phép xây dựng"
	ServiceEN  string
	Number     string // display number, e.g. "A001" or "1023"
	Priority   string // priority class in words ("Người cao tuổi"); empty = none
	PriorityEN string
	Ahead      int           // people waiting before this ticket
	ETA        time.Duration // estimated wait; negative = unknown
	// Provisional is true when no counter is open: the ticket then says
	// so, with Expected as "called after HH:MM" when it is known, never
	// the wait (which would promise a short one).
	Provisional bool
	Expected    time.Time // expected call time, printed in its own location; zero = unknown
	TrackURL    string    // tracking link, printed as a QR code; empty = no QR
	Issued      time.Time // issue time, printed in its own location
	Kiosk       string    // kiosk name, e.g. "Ki-ốt 1"
}

// QR settings of the ticket: 5-dot modules at level M give a code of about
// 30 mm for a 60-character URL, easy for phone cameras.
const (
	ticketQRModule = 5
	ticketQRLevel  = QRLevelM
)

// EncodeTicket lays out a ticket for a printer profile and returns the whole
// byte stream to send: initialisation, office, service, the number as large
// as the paper allows without wrapping, priority mark, people ahead,
// estimated wait, the QR of the tracking link with its caption, date, time
// and kiosk, then the cut. This is the one layout function of Lượt.
func EncodeTicket(t Ticket, p Profile) ([]byte, error) {
	e := NewEncoder(p)
	e.Init()
	cols := p.Columns()
	var err error
	line := func(text string, st Style) {
		if err == nil && text != "" {
			err = e.Line(text, st)
		}
	}
	// block prints text at the largest magnification (up to max) at which
	// it fits one line, or wraps it at 1×.
	block := func(text string, st Style, maxMag int) {
		text = clean(text)
		if text == "" {
			return
		}
		n := utf8.RuneCountInString(text)
		for m := maxMag; m >= 1; m-- {
			if n*m <= cols {
				st.Width, st.Height = m, m
				line(text, st)
				return
			}
		}
		st.Width, st.Height = 1, 1
		for _, l := range wrap(text, cols) {
			line(l, st)
		}
	}
	center := Style{Align: AlignCenter}
	bold := Style{Align: AlignCenter, Bold: true}

	block(t.Office, bold, 1)
	block(t.OfficeEN, center, 1)
	e.Blank()
	block(t.Service, bold, 2)
	block(t.ServiceEN, center, 1)

	num := clean(t.Number)
	if num == "" {
		return nil, fmt.Errorf("printer: the ticket has no number; refusing to print a ticket the citizen cannot use")
	}
	mag := NumberMagnification(num, p)
	line(num, Style{Align: AlignCenter, Bold: true, Width: mag, Height: mag})

	if pr := clean(t.Priority); pr != "" {
		block("** ƯU TIÊN: "+pr+" **", bold, 1)
		if en := clean(t.PriorityEN); en != "" {
			block("Priority: "+en, center, 1)
		}
	}
	e.Blank()
	pair := func(vi, en string) {
		block(vi, center, 1)
		block(en, center, 1)
	}
	pair(fmt.Sprintf("Người chờ trước: %d", t.Ahead), fmt.Sprintf("People ahead: %d", t.Ahead))
	if t.Provisional {
		pair(noCounterText(t.Expected))
	} else {
		vi, en := waitText(t.ETA)
		pair("Dự kiến chờ: "+vi, "Est. wait: "+en)
	}

	if u := strings.TrimSpace(t.TrackURL); u != "" && err == nil {
		err = e.QR(u, ticketQRModule, ticketQRLevel)
		vi, en := "Quét mã để theo dõi lượt", "Scan to track"
		if both := vi + " / " + en; utf8.RuneCountInString(both) <= cols {
			block(both, center, 1)
		} else {
			block(vi, center, 1)
			block(en, center, 1)
		}
	}
	foot := ""
	if !t.Issued.IsZero() {
		foot = t.Issued.Format("02/01/2006 15:04")
	}
	if k := clean(t.Kiosk); k != "" {
		if foot != "" {
			foot += " "
		}
		foot += k
	}
	block(foot, center, 1)
	if err != nil {
		return nil, err
	}
	e.Cut(true)
	return e.Bytes(), nil
}

// NumberMagnification is the GS ! magnification (1–8, same for width and
// height) at which number fills as much of the paper as it can in font A
// without wrapping.
func NumberMagnification(number string, p Profile) int {
	n := utf8.RuneCountInString(number)
	if n == 0 {
		return 1
	}
	return clampMag(p.WidthDots / (n * p.Fonts[0].Width))
}

// waitText words an estimated wait in Vietnamese and English, rounded up
// to the minute (the line already says it is an estimate).
// noCounterText says that no counter is open yet and, when expected is
// known, after what time (HH:MM in its location) the ticket is expected to
// be called.
func noCounterText(expected time.Time) (vi, en string) {
	if expected.IsZero() {
		return "Chưa có quầy mở", "No counter is open yet"
	}
	hm := expected.Format("15:04")
	return "Chưa có quầy mở; dự kiến gọi sau " + hm, "No counter is open yet; expected to be called after " + hm
}

func waitText(d time.Duration) (vi, en string) {
	if d < 0 {
		return "chưa xác định", "unknown"
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "dưới 1 phút", "under 1 min"
	}
	if m < 60 {
		return fmt.Sprintf("%d phút", m), fmt.Sprintf("%d min", m)
	}
	h, mm := m/60, m%60
	if mm == 0 {
		return fmt.Sprintf("%d giờ", h), fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d giờ %d phút", h, mm), fmt.Sprintf("%d h %d min", h, mm)
}

// clean normalises to NFC, turns control characters and runs of spaces into
// single spaces and trims.
func clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// wrap breaks text into lines of at most cols characters at spaces; a word
// longer than a line is cut.
func wrap(text string, cols int) []string {
	if cols < 1 {
		cols = 1
	}
	var out []string
	cur := []rune{}
	for _, w := range strings.Fields(text) {
		wr := []rune(w)
		for len(wr) > cols {
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
			out = append(out, string(wr[:cols]))
			wr = wr[cols:]
		}
		switch {
		case len(cur) == 0:
			cur = append(cur, wr...)
		case len(cur)+1+len(wr) <= cols:
			cur = append(append(cur, ' '), wr...)
		default:
			out = append(out, string(cur))
			cur = append([]rune(nil), wr...)
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
