package dossier

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/queue"
)

// Open reports whether the dossier is still being handled: not refused,
// withdrawn, completed or returned (a suspended dossier is open).
func (d Dossier) Open() bool {
	switch d.Status {
	case StatusRefused, StatusWithdrawn, StatusCompleted, StatusReturned:
		return false
	}
	return true
}

// Late reports whether the dossier is late (trễ hạn) at now: open and
// past its due date (from its very instant, 24:00 of the due day; while
// its clock is stopped, late only if it stopped late), or
// completed (or returned) after it. A dossier with an apology is late
// against the apology's new date. A dossier without a due date (not yet
// received) is never late.
func (d Dossier) Late(now time.Time) bool {
	if d.DueAt.IsZero() {
		return false
	}
	switch {
	case d.Status == StatusCompleted || d.Status == StatusReturned:
		return !d.CompletedAt.Before(d.DueAt)
	case !d.Open():
		return false
	case !d.StoppedAt.IsZero():
		// A clock stopped before the due date moves it by the working days
		// it stands still: not late until it runs again.
		return !d.StoppedAt.Before(d.DueAt)
	}
	return !now.Before(d.DueAt)
}

// stoppedDays is the working days a clock stopped at from and resumed at
// to was stopped: those from the day after from's to to's, both
// included (a stop and a resumption on the same day move nothing; a stop
// on Monday and a resumption on Thursday move three).
func (c *Config) stoppedDays(from, to time.Time) int {
	loc := c.Calendar.Zone()
	from, to = from.In(loc), to.In(loc)
	y, m, d := from.Date()
	end := to.Format(time.DateOnly)
	n := 0
	for i := 1; i <= maxStopDays; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
		if day.Format(time.DateOnly) > end {
			break
		}
		if c.Calendar.IsWorkingDay(day) {
			n++
		}
	}
	return n
}

// maxStopDays bounds the days a stop is counted over (ten years).
const maxStopDays = 3660

// moveDue is a due date moved by n working days: the end of the n-th
// working day after the due day (the day that ends at due).
func (c *Config) moveDue(due time.Time, n int) time.Time {
	if n <= 0 || due.IsZero() {
		return due
	}
	return c.Calendar.AddWorkingDays(due.Add(-time.Nanosecond), n)
}

// stepDue is the deadline of the department's step: the end of the
// working day before the due day (the last day is the return's), or the
// due date itself when that is not after now (a same-day procedure).
func (c *Config) stepDue(due, now time.Time) time.Time {
	if due.IsZero() {
		return time.Time{}
	}
	loc := c.Calendar.Zone()
	last := due.Add(-time.Nanosecond).In(loc)
	y, m, d := last.Date()
	for i := 1; i <= maxStopDays; i++ {
		day := time.Date(y, m, d-i, 12, 0, 0, 0, loc)
		if c.Calendar.IsWorkingDay(day) {
			step := c.Calendar.AddWorkingDays(day, 0)
			if !step.After(now) {
				return due
			}
			return step
		}
	}
	return due
}

// endOfDay is the end (24:00) of the local day of t.
func (c *Config) endOfDay(t time.Time) time.Time { return c.Calendar.AddWorkingDays(t, 0) }

// cleanText trims s and normalises it to NFC, so that the same
// Vietnamese typed with combining marks or precomposed letters is kept
// the same.
func cleanText(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// checkText applies the queue's rule of names and comments to s (already
// cleaned): present when required, at most max characters, lines
// allowed or not. The error is sent with code.
func checkText(what, s string, required bool, max int, lines bool, code string) error {
	var err error
	switch {
	case required && s == "":
		err = queue.NewError(queue.KindInvalid, code, "{what} is required", "what", what)
	case utf8.RuneCountInString(s) > max:
		err = queue.NewError(queue.KindInvalid, code, "{what} is longer than {max} characters", "what", what, "max", max)
	case !lines && strings.ContainsAny(s, "\n\t"):
		err = queue.NewError(queue.KindInvalid, code, "{what} contains {problem}, which is not allowed: type it again without it", "what", what, "problem", "a control character (a line break, a tab or the like)")
	default:
		err = queue.CheckComment(what, s, max)
	}
	var e *queue.Error
	if errors.As(err, &e) {
		c := *e
		c.Code = code
		return &c
	}
	return err
}

// Limits of the applicant's other data.
const (
	maxAddress = 200
	maxExtra   = 200 // characters of a paper named in words
	maxRef     = 100 // characters of a ticket, counter or external id
)

// An ID number as typed (9 or 12 digits) and as kept masked.
var (
	idNumberPattern = regexp.MustCompile(`^(\d{9}|\d{12})$`)
	idMaskedPattern = regexp.MustCompile(`^\*{0,8}\d{4}$|^\*{4,12}$`)
)

// creators are the roles that create dossiers: the clerk at the counter,
// the province's system (and its imports, with a manager), the server's
// demo seed.
var creators = []Role{RoleClerk, RoleIntegration, RoleManager, RoleSystem}

// Create checks a new dossier and makes it with its "dossier.created"
// event, at now, by by: the procedure's field, department and fee; the
// applicant's name (required), phone (a Vietnamese mobile number, kept in
// its canonical form), ID number (kept masked) and address; the papers
// received (ids of the procedure's checklist, all its required ones when
// a clerk receives at the counter) and others in words. In status
// received (the default) the clock starts: ReceivedAt and the due date
// (Due); submitted is an online dossier not yet received; refused needs
// the reason. The code is the integration's (it must carry the office's
// prefix) or empty for the store to give. Errors are *queue.Error values:
// forbidden, not found (an unknown procedure, a code of another office)
// or invalid.
func Create(c *Config, nd NewDossier, by Actor, now time.Time) (Dossier, Event, error) {
	if !slices.Contains(creators, by.Role) {
		return Dossier{}, Event{}, queue.NewError(queue.KindForbidden, "dossier_forbidden", "dossiers are received by a clerk at the counter or by the province's one-stop system")
	}
	p, ok := c.Procedure(strings.TrimSpace(nd.Procedure))
	if !ok {
		return Dossier{}, Event{}, queue.NewError(queue.KindNotFound, "unknown_procedure", "procedure {procedure} is not in the catalogue: choose one of its procedures", "procedure", quote(nd.Procedure))
	}
	d := Dossier{
		Office: c.Office, Procedure: p.Code, Field: p.Field, Department: p.Department,
		Channel: nd.Channel, Fee: p.Fee, Status: nd.Status, Sample: nd.Sample,
		TokenHash: slices.Clone(nd.TokenHash), Version: 1,
	}
	if d.Channel == "" {
		d.Channel = ChannelCounter
	}
	if d.Channel != ChannelCounter && d.Channel != ChannelOnline && d.Channel != ChannelPost {
		return Dossier{}, Event{}, queue.NewError(queue.KindInvalid, "invalid_channel", "channel {channel} is unknown: a dossier comes at the counter, online or by post", "channel", quote(string(nd.Channel)))
	}
	if d.Status == "" {
		d.Status = StatusReceived
	}
	if d.Status != StatusReceived && d.Status != StatusSubmitted && d.Status != StatusRefused {
		return Dossier{}, Event{}, queue.NewError(queue.KindInvalid, "invalid_status", "a new dossier is received, submitted or refused, not {status}", "status", string(d.Status))
	}
	var err error
	if d.Code, err = c.ownCode(nd.Code); err != nil {
		return Dossier{}, Event{}, err
	}
	if d.Applicant, err = applicant(nd); err != nil {
		return Dossier{}, Event{}, err
	}
	if d.Papers, d.Extra, err = papers(p, nd, by.Role == RoleClerk && d.Status == StatusReceived); err != nil {
		return Dossier{}, Event{}, err
	}
	for _, ref := range []struct{ what, v string }{{"the ticket", nd.Ticket}, {"the ticket number", nd.TicketNumber}, {"the counter", nd.Counter}, {"the external id", nd.External}} {
		if err := checkText(ref.what, strings.TrimSpace(ref.v), false, maxRef, false, "invalid_dossier"); err != nil {
			return Dossier{}, Event{}, err
		}
	}
	d.Ticket, d.TicketNumber, d.Counter = strings.TrimSpace(nd.Ticket), strings.TrimSpace(nd.TicketNumber), strings.TrimSpace(nd.Counter)
	d.External = strings.TrimSpace(nd.External)
	e := Event{Dossier: d.Code, Office: d.Office, Type: TypeCreated, At: now, Actor: by, Status: d.Status, Department: d.Department}
	switch d.Status {
	case StatusReceived:
		d.ReceivedAt = now
		d.ReceivedBy = by.Name
		d.DueAt = c.Due(p, now)
		d.OriginalDue = d.DueAt
		e.DueAt = d.DueAt
	case StatusSubmitted:
		d.SubmittedAt = now
	case StatusRefused:
		// Refused at the counter: submitted and refused at once; the code
		// takes the day of it.
		d.SubmittedAt = now
		if d.Reason, err = reason(nd.Reason); err != nil {
			return Dossier{}, Event{}, err
		}
		e.Note = d.Reason
	}
	created := d.clone()
	e.Created = &created
	return d, e, nil
}

// ownCode checks the integration's own code: empty (the store gives
// one), or a code of the office's prefix.
func (c *Config) ownCode(code string) (string, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return "", nil
	}
	prefix, _, _, err := ParseCode(code)
	if err != nil {
		return "", err
	}
	if prefix != c.Prefix {
		return "", queue.NewError(queue.KindNotFound, "unknown_dossier", "dossier {code} is not one of this office's: its codes start with {prefix}", "code", code, "prefix", c.Prefix)
	}
	return code, nil
}

// applicant checks and cleans the applicant's data.
func applicant(nd NewDossier) (Applicant, error) {
	a := Applicant{Name: cleanText(nd.Applicant.Name), Address: cleanText(nd.Applicant.Address)}
	if err := checkText("the applicant's name", a.Name, true, MaxName, false, "invalid_applicant"); err != nil {
		return Applicant{}, err
	}
	if err := checkText("the address", a.Address, false, maxAddress, false, "invalid_applicant"); err != nil {
		return Applicant{}, err
	}
	if ph := strings.TrimSpace(nd.Applicant.Phone); ph != "" {
		p, err := queue.NormalizePhone(ph)
		if err != nil {
			return Applicant{}, err
		}
		a.Phone = p
	}
	switch id, masked := strings.Join(strings.Fields(nd.IDNumber), ""), strings.TrimSpace(nd.Applicant.IDMasked); {
	case id != "":
		if !idNumberPattern.MatchString(id) {
			return Applicant{}, queue.NewError(queue.KindInvalid, "invalid_id_number", "the ID number must be the 12 digits of a citizen's identity card (or the 9 of an old one)")
		}
		a.IDMasked = MaskID(id)
	case masked != "":
		if !idMaskedPattern.MatchString(masked) {
			return Applicant{}, queue.NewError(queue.KindInvalid, "invalid_id_number", "the masked ID number must be stars and its last 4 digits, such as ********7890")
		}
		a.IDMasked = masked
	}
	return a, nil
}

// papers checks the papers received: ids of the procedure's checklist,
// each once, all the required ones when complete is set; and the others
// in words.
func papers(p Procedure, nd NewDossier, complete bool) ([]string, []string, error) {
	if len(nd.Papers)+len(nd.Extra) > MaxPapers {
		return nil, nil, queue.NewError(queue.KindInvalid, "invalid_papers", "at most {max} papers are recorded", "max", MaxPapers)
	}
	got := []string{}
	for _, id := range nd.Papers {
		id = strings.TrimSpace(id)
		if !slices.ContainsFunc(p.Papers, func(pp Paper) bool { return pp.ID == id }) {
			return nil, nil, queue.NewError(queue.KindInvalid, "invalid_papers", "paper {paper} is not on the checklist of procedure {procedure}: tick papers of the list, or write others in words", "paper", quote(id), "procedure", p.Code)
		}
		if slices.Contains(got, id) {
			return nil, nil, queue.NewError(queue.KindInvalid, "invalid_papers", "paper {paper} is ticked twice", "paper", id)
		}
		got = append(got, id)
	}
	if complete {
		var missing []string
		for _, pp := range p.Papers {
			if !pp.Optional && !slices.Contains(got, pp.ID) {
				missing = append(missing, pp.Name)
			}
		}
		if len(missing) > 0 {
			return nil, nil, queue.NewError(queue.KindInvalid, "papers_missing", "the dossier lacks {papers}: receive it once they are brought, or refuse it with the reason", "papers", strings.Join(missing, "; "))
		}
	}
	var extra []string
	for _, x := range nd.Extra {
		x = cleanText(x)
		if x == "" {
			continue
		}
		if err := checkText("a paper", x, true, maxExtra, false, "invalid_papers"); err != nil {
			return nil, nil, err
		}
		extra = append(extra, x)
	}
	return got, extra, nil
}

// reason cleans and checks a required reason, note or result.
func reason(s string) (string, error) {
	s = cleanText(s)
	return s, checkText("the reason", s, true, MaxNote, true, "invalid_reason")
}

// clone is a copy of d that shares no slice or pointer with it.
func (d Dossier) clone() Dossier {
	c := d
	c.Papers = slices.Clone(d.Papers)
	if c.Papers == nil {
		c.Papers = []string{}
	}
	c.Extra = slices.Clone(d.Extra)
	c.TokenHash = slices.Clone(d.TokenHash)
	if d.Supplement != nil {
		s := *d.Supplement
		c.Supplement = &s
	}
	if d.Apology != nil {
		a := *d.Apology
		c.Apology = &a
	}
	if d.Pickup != nil {
		p := *d.Pickup
		c.Pickup = &p
	}
	if d.Rating != nil {
		r := *d.Rating
		c.Rating = &r
	}
	return c
}
