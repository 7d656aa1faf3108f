package queue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Print jobs: the rules of a Document, of a job's acknowledgement, and the
// documents the server itself prints (a reprinted ticket, the
// administrator's test receipt). Time is always given.

// Limits of a Document. A receipt is a slip of paper: a few dozen lines
// of a few hundred characters each; anything bigger is a mistake (or an
// attack on the station's printer) and is refused whole.
const (
	// MaxDocLines is the most lines a Document may have.
	MaxDocLines = 60
	// MaxDocText is the longest Text or TextEN of a line, in characters.
	MaxDocText = 300
	// MaxDocBig is the longest text of a big line (a number printed
	// many times its size), in characters.
	MaxDocBig = 12
	// MaxQRText is the longest text of a QR line, in bytes: a link that
	// a phone's camera still reads from a receipt.
	MaxQRText = 400
	// MaxFault is the longest printer fault code of a failed job.
	MaxFault = 32
)

// docStyles are the known line styles.
var docStyles = map[string]bool{
	LineTitle: true, LineText: true, LineBig: true, LineSmall: true,
	LineRule: true, LineQR: true, LineBlank: true,
}

// docAligns are the known alignments ("" is the style's own).
var docAligns = map[string]bool{"": true, "left": true, "center": true, "right": true}

// Validate checks a Document: 1 to MaxDocLines lines, each of a known
// style and alignment; text lines (title, text, big, small) have Text; a
// big line at most MaxDocBig characters and no TextEN; a QR line has
// Text of printable ASCII (a link) of at most MaxQRText bytes and no
// TextEN; rule and blank lines have no text. Texts are valid UTF-8 of at
// most MaxDocText characters without control or invisible formatting
// characters (the rule of names). The error names the first wrong line
// (from 1) and never repeats its text.
func (d Document) Validate() error {
	if len(d.Lines) == 0 {
		return errorf(KindInvalid, "invalid_document", "the document has no lines: send at least one")
	}
	if len(d.Lines) > MaxDocLines {
		return errorf(KindInvalid, "invalid_document", "the document has {n} lines; at most {max} are printed", "n", len(d.Lines), "max", MaxDocLines)
	}
	for i, l := range d.Lines {
		if err := l.validate(i + 1); err != nil {
			return err
		}
	}
	return nil
}

func (l DocLine) validate(n int) error {
	if !docStyles[l.Style] {
		return errorf(KindInvalid, "invalid_document", "line {line} of the document: style {style} is unknown: use title, text, big, small, rule, qr or blank", "line", n, "style", quoted(truncateRunes(l.Style, 20)))
	}
	if !docAligns[l.Align] {
		return errorf(KindInvalid, "invalid_document", "line {line} of the document: alignment {align} is unknown: use left, center, right or leave it empty", "line", n, "align", quoted(truncateRunes(l.Align, 20)))
	}
	switch l.Style {
	case LineRule, LineBlank:
		if l.Text != "" || l.TextEN != "" {
			return errorf(KindInvalid, "invalid_document", "line {line} of the document: a {style} line has no text", "line", n, "style", l.Style)
		}
		return nil
	case LineQR:
		if l.Text == "" {
			return errorf(KindInvalid, "invalid_document", "line {line} of the document: a qr line needs its text (the link to encode)", "line", n)
		}
		if len(l.Text) > MaxQRText {
			return errorf(KindInvalid, "invalid_document", "line {line} of the document: the qr text is longer than {max} bytes", "line", n, "max", MaxQRText)
		}
		for i := 0; i < len(l.Text); i++ {
			if c := l.Text[i]; c < 0x21 || c > 0x7e {
				return errorf(KindInvalid, "invalid_document", "line {line} of the document: the qr text may hold only printable ASCII (a link, percent-encoded)", "line", n)
			}
		}
		if l.TextEN != "" {
			return errorf(KindInvalid, "invalid_document", "line {line} of the document: a qr line has no text_en: put its caption on a line of its own", "line", n)
		}
		return nil
	}
	max := MaxDocText
	if l.Style == LineBig {
		max = MaxDocBig
		if l.TextEN != "" {
			return errorf(KindInvalid, "invalid_document", "line {line} of the document: a big line has no text_en: put the English on a line of its own", "line", n)
		}
	}
	if err := checkDocText(n, "text", l.Text, true, max); err != nil {
		return err
	}
	return checkDocText(n, "text_en", l.TextEN, false, MaxDocText)
}

// checkDocText is the rule of names (checkText) for a line's field, with
// the error naming the line and field.
func checkDocText(n int, field, s string, required bool, max int) error {
	if required && s == "" {
		return errorf(KindInvalid, "invalid_document", "line {line} of the document: a text line needs its text", "line", n)
	}
	if !utf8.ValidString(s) {
		return errorf(KindInvalid, "invalid_document", "line {line} of the document: {field} is not valid UTF-8", "line", n, "field", field)
	}
	if k := utf8.RuneCountInString(s); k > max {
		return errorf(KindInvalid, "invalid_document", "line {line} of the document: {field} has {n} characters; at most {max} fit", "line", n, "field", field, "n", k, "max", max)
	}
	if p := textProblem(s, false); p != "" {
		return errorf(KindInvalid, "invalid_document", "line {line} of the document: {field} contains {problem}, which is not allowed", "line", n, "field", field, "problem", p)
	}
	return nil
}

// printKinds are the known print job kinds.
var printKinds = map[string]bool{PrintReprint: true, PrintTest: true, PrintDossierReceipt: true, PrintApology: true}

// NewPrintJob makes a queued job of kind for counter from doc, asked for
// by by at now. The job's ID is given when it is queued (QueuePrint). It
// refuses an unknown kind or an invalid document.
func NewPrintJob(office, counter, kind, by string, doc Document, now time.Time) (PrintJob, error) {
	if !printKinds[kind] {
		return PrintJob{}, errorf(KindInvalid, "invalid_print_kind", "print job kind {kind} is unknown: use reprint, test, dossier_receipt or apology", "kind", quoted(truncateRunes(kind, 20)))
	}
	if err := doc.Validate(); err != nil {
		return PrintJob{}, err
	}
	return PrintJob{Office: office, Counter: counter, Kind: kind, State: PrintQueued, Doc: doc, By: by, CreatedAt: now.UTC()}, nil
}

// QueuePrint queues job (made by NewPrintJob) for its counter: the job
// takes the seq of its print.queued event as its id, which is unique in
// the office, and the store writes it with the event. A counter the
// office does not have is refused; whether the counter has a station is
// the caller's check (the devices are not in the state).
func (s *State) QueuePrint(now time.Time, job PrintJob) (*Change, error) {
	if job.Office != s.Office.ID {
		return nil, errorf(KindInvalid, "invalid_print_job", "the print job is for office {office}, not this one", "office", quoted(job.Office))
	}
	if s.Office.Counter(job.Counter) == nil {
		return nil, errorf(KindNotFound, ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", quoted(job.Counter), "office", s.Office.ID)
	}
	if job.State != PrintQueued {
		return nil, errorf(KindInvalid, "invalid_print_job", "a new print job must be queued, not {state}", "state", job.State)
	}
	if err := job.Doc.Validate(); err != nil {
		return nil, err
	}
	c := s.change(now)
	job.ID = s.Seq + 1
	s.emit(c, now, EventPrintQueued, PrintData{Counter: job.Counter, Job: job.ID})
	c.PrintJobs = append(c.PrintJobs, job)
	return c, nil
}

// ErrPrintJobDone: a job already acknowledged with the other result.
var ErrPrintJobDone = &Error{Kind: KindConflict, Code: "print_job_done"}

// faultPattern is the shape of a printer fault code ("paper-end").
var faultPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// CheckPrintResult checks a station's acknowledgement: result is printed
// or failed; fault, optional, is a printer fault code ("paper-end") of a
// failed job only.
func CheckPrintResult(result PrintJobState, fault string) error {
	if result != PrintPrinted && result != PrintFailed {
		return errorf(KindInvalid, "invalid_print_result", "result {result} is unknown: use \"printed\" or \"failed\"", "result", quoted(truncateRunes(string(result), 20)))
	}
	if fault != "" {
		if result == PrintPrinted {
			return errorf(KindInvalid, "invalid_print_fault", "a printed job has no fault: send the fault only with \"failed\"")
		}
		if len(fault) > MaxFault || !faultPattern.MatchString(fault) {
			return errorf(KindInvalid, "invalid_print_fault", "fault {fault} is not a fault code: use lower-case letters, digits, '-' or '_', at most {max}", "fault", quoted(truncateRunes(fault, 40)), "max", MaxFault)
		}
	}
	return nil
}

// Ack applies a station's acknowledgement to job at now: result is
// printed or failed, fault the printer's fault code of a failed job
// (optional; refused with printed). A queued job becomes final and
// changed is true. A final job acknowledged again with the same result is
// left as it is (changed false: the station retries after a restart); with
// the other result it is a conflict, print_job_done.
func (j PrintJob) Ack(result PrintJobState, fault string, now time.Time) (next PrintJob, changed bool, err error) {
	if err := CheckPrintResult(result, fault); err != nil {
		return j, false, err
	}
	switch j.State {
	case PrintQueued:
		j.State, j.Fault, j.DoneAt = result, fault, now.UTC()
		return j, true, nil
	case result:
		return j, false, nil
	}
	return j, false, errorf(KindConflict, ErrPrintJobDone.Code, "print job {job} was already acknowledged {state}: it cannot become {result}", "job", j.ID, "state", j.State, "result", result)
}

// docTime is how a receipt prints a time: in the office's zone.
func docTime(o *Office, t time.Time) string {
	return t.In(o.Location()).Format("02/01/2006 15:04")
}

// officeLines are the office's name, Vietnamese and English, as a title.
func officeLines(o *Office) []DocLine {
	return []DocLine{{Style: LineTitle, Text: o.Name, TextEN: o.NameEN}}
}

// CounterLabel is a counter as a receipt names it: "Quầy 3" / "Counter 3",
// with its name when it has one.
func CounterLabel(k *Counter) (vi, en string) {
	n := strconv.Itoa(k.Number)
	vi, en = "Quầy "+n, "Counter "+n
	// A name that only repeats the label ("Quầy 3") is not printed twice.
	if k.Name != "" && !strings.EqualFold(k.Name, vi) && !strings.EqualFold(k.Name, en) {
		vi += " – " + k.Name
		en += " – " + k.Name
	}
	return vi, en
}

// ReprintDocument is a ticket printed again at a counter: the office, "in
// lại", the number big, the service, the issue time, the QR of the
// tracking link (trackURL; none when empty) and the time of the reprint,
// all at now in the office's zone.
func ReprintDocument(o *Office, t *Ticket, trackURL string, now time.Time) Document {
	lines := officeLines(o)
	lines = append(lines,
		DocLine{Style: LineSmall, Text: "Phiếu in lại", TextEN: "Reprinted ticket", Align: "center"},
		DocLine{Style: LineRule},
		DocLine{Style: LineBig, Text: t.Display},
	)
	if sv := o.Service(t.Service); sv != nil {
		lines = append(lines, DocLine{Style: LineText, Text: sv.Name, TextEN: sv.NameEN, Align: "center"})
	}
	lines = append(lines, DocLine{Style: LineText, Text: "Lấy số lúc " + docTime(o, t.IssuedAt), TextEN: "Issued " + docTime(o, t.IssuedAt), Align: "center"})
	if trackURL != "" {
		lines = append(lines,
			DocLine{Style: LineBlank},
			DocLine{Style: LineQR, Text: trackURL},
			DocLine{Style: LineSmall, Text: "Quét mã để theo dõi lượt", TextEN: "Scan to track", Align: "center"},
		)
	}
	lines = append(lines,
		DocLine{Style: LineRule},
		DocLine{Style: LineSmall, Text: "In lúc " + docTime(o, now), TextEN: "Printed " + docTime(o, now), Align: "center"},
	)
	return Document{Lines: lines}
}

// ToneSample are the test receipt's Vietnamese lines: every vowel with
// each of the five tone marks, đ and the capitals, so that a wrong code
// page shows at once. Each line fits 58 mm paper (32 characters).
var ToneSample = []string{
	"a à á ả ã ạ ă ằ ắ ẳ ẵ ặ",
	"â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ",
	"ê ề ế ể ễ ệ i ì í ỉ ĩ ị",
	"o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ",
	"ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ",
	"ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ",
	"đ Đ Ă Â Ê Ô Ơ Ư",
	"Ấ Ầ Ẩ Ẫ Ậ Ế Ề Ể Ễ Ệ",
	"Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự",
}

// TestDocument is the administrator's test receipt for a counter's
// printer: the office, the counter, the time (now in the office's zone),
// a sample of every Vietnamese tone mark, and the styles a receipt uses.
func TestDocument(o *Office, k *Counter, now time.Time) Document {
	vi, en := CounterLabel(k)
	lines := officeLines(o)
	lines = append(lines,
		DocLine{Style: LineText, Text: "In thử – " + vi, TextEN: "Test print – " + en, Align: "center"},
		DocLine{Style: LineText, Text: docTime(o, now), Align: "center"},
		DocLine{Style: LineRule},
		DocLine{Style: LineText, Text: "Tiếng Việt có dấu:", TextEN: "Vietnamese tone marks:"},
	)
	for _, s := range ToneSample {
		lines = append(lines, DocLine{Style: LineText, Text: s})
	}
	lines = append(lines,
		DocLine{Style: LineRule},
		DocLine{Style: LineBig, Text: fmt.Sprintf("Q%d", k.Number)},
		DocLine{Style: LineSmall, Text: "Nếu mọi dấu in đúng, máy in đã sẵn sàng.", TextEN: "If every mark prints right, the printer is ready.", Align: "center"},
	)
	return Document{Lines: lines}
}
