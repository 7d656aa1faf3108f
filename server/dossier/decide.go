package dossier

import (
	"slices"
	"strings"
	"time"

	"luot/server/queue"
)

// openStatuses are the statuses of a dossier still being handled.
var openStatuses = []Status{
	StatusSubmitted, StatusReceived, StatusProcessing, StatusNeedsSupplement, StatusAwaitingPayment, StatusSuspended,
}

// Who may do what, and from which statuses (docs/dossier.md,
// "Transitions"). A manager may do all a handler may, for every
// department; a handler acts only on the dossiers of their own
// department (Actor.Unit). That a pickup ticket is not already active,
// that the applicant holds the token, that the dossier is this office's:
// those the caller checks, with the store.
var rules = map[Action]map[Role][]Status{
	ActReceive:    {RoleClerk: {StatusSubmitted}, RoleIntegration: {StatusSubmitted}},
	ActRefuse:     {RoleClerk: {StatusSubmitted, StatusReceived}, RoleIntegration: {StatusSubmitted, StatusReceived}, RoleManager: {StatusSubmitted, StatusReceived}},
	ActProcess:    {RoleClerk: {StatusReceived}, RoleHandler: {StatusReceived}, RoleManager: {StatusReceived}, RoleIntegration: {StatusReceived}},
	ActTransfer:   {RoleHandler: {StatusProcessing}, RoleManager: {StatusProcessing}, RoleIntegration: {StatusProcessing}},
	ActSupplement: {RoleHandler: {StatusProcessing}, RoleManager: {StatusProcessing}, RoleIntegration: {StatusProcessing}},
	ActSupplied:   {RoleClerk: {StatusNeedsSupplement}, RoleHandler: {StatusNeedsSupplement}, RoleManager: {StatusNeedsSupplement}, RoleIntegration: {StatusNeedsSupplement}},
	ActPayment:    {RoleHandler: {StatusProcessing}, RoleManager: {StatusProcessing}, RoleIntegration: {StatusProcessing}},
	ActPaid:       {RoleClerk: {StatusAwaitingPayment}, RoleHandler: {StatusAwaitingPayment}, RoleManager: {StatusAwaitingPayment}, RoleIntegration: {StatusAwaitingPayment}},
	ActSuspend:    {RoleHandler: suspendable, RoleManager: suspendable, RoleIntegration: suspendable},
	ActResume:     {RoleHandler: {StatusSuspended}, RoleManager: {StatusSuspended}, RoleIntegration: {StatusSuspended}},
	ActWithdraw:   {RoleClerk: openStatuses, RoleManager: openStatuses, RoleIntegration: openStatuses},
	ActComplete:   {RoleHandler: {StatusProcessing}, RoleManager: {StatusProcessing}, RoleIntegration: {StatusProcessing}},
	ActPickup:     {RoleKiosk: {StatusCompleted}},
	ActReturn:     {RoleClerk: {StatusCompleted}, RoleManager: {StatusCompleted}, RoleIntegration: {StatusCompleted}},
	ActRate:       {RoleApplicant: {StatusReturned}},
	ActApologize:  {RoleHandler: openStatuses, RoleManager: openStatuses},
	ActNote:       {RoleClerk: Statuses, RoleHandler: Statuses, RoleManager: Statuses, RoleIntegration: Statuses},
}

// suspendable are the statuses a dossier may be suspended from.
var suspendable = []Status{StatusProcessing, StatusNeedsSupplement, StatusAwaitingPayment}

// Actions is every action, in the order of a dossier's life.
var Actions = []Action{
	ActReceive, ActRefuse, ActProcess, ActTransfer, ActSupplement, ActSupplied, ActPayment, ActPaid,
	ActSuspend, ActResume, ActWithdraw, ActComplete, ActPickup, ActReturn, ActRate, ActApologize, ActNote,
}

// next is the status an action leads to; actions not listed keep it.
var next = map[Action]Status{
	ActReceive: StatusReceived, ActRefuse: StatusRefused, ActProcess: StatusProcessing, ActTransfer: StatusProcessing,
	ActSupplement: StatusNeedsSupplement, ActSupplied: StatusProcessing, ActPayment: StatusAwaitingPayment,
	ActPaid: StatusProcessing, ActSuspend: StatusSuspended, ActResume: StatusProcessing, ActWithdraw: StatusWithdrawn,
	ActComplete: StatusCompleted, ActReturn: StatusReturned,
}

// verbs are the English verbs of the actions, which fill the {action} of
// a refusal (server/msgtext has their Vietnamese).
var verbs = map[Action]string{
	ActReceive: "receive", ActRefuse: "refuse", ActProcess: "send for processing", ActTransfer: "transfer",
	ActSupplement: "ask for supplements to", ActSupplied: "record the supplements of", ActPayment: "ask for the payment of",
	ActPaid: "record the payment of", ActSuspend: "suspend", ActResume: "resume", ActWithdraw: "withdraw",
	ActComplete: "complete", ActPickup: "give a pickup ticket for", ActReturn: "hand over the result of",
	ActRate: "rate", ActApologize: "apologise for", ActNote: "add a note to",
}

// ParseAction is the action of its name in the HTTP API ("needs-supplement"
// style, '-' for '_'), or false.
func ParseAction(s string) (Action, bool) {
	a := Action(strings.ReplaceAll(s, "-", "_"))
	_, ok := rules[a]
	return a, ok
}

// forbidden is the refusal of an actor whose role may not take the action.
func forbidden(a Action) error {
	switch a {
	case ActPickup:
		return queue.NewError(queue.KindForbidden, "dossier_forbidden", "pickup tickets are given by the kiosk")
	case ActRate:
		return queue.NewError(queue.KindForbidden, "dossier_forbidden", "only the applicant rates a dossier, with its code and their link or phone")
	}
	_, clerks := rules[a][RoleClerk]
	_, handlers := rules[a][RoleHandler]
	_, managers := rules[a][RoleManager]
	switch {
	case clerks && handlers:
		return queue.NewError(queue.KindForbidden, "dossier_forbidden", "only the office's staff may {action} this dossier", "action", verbs[a])
	case handlers:
		return queue.NewError(queue.KindForbidden, "dossier_forbidden", "only the department's handlers or an administrator may {action} this dossier", "action", verbs[a])
	case clerks && managers:
		return queue.NewError(queue.KindForbidden, "dossier_forbidden", "only a clerk or an administrator may {action} this dossier", "action", verbs[a])
	}
	return queue.NewError(queue.KindForbidden, "dossier_forbidden", "only a clerk at the counter may {action} this dossier", "action", verbs[a])
}

// Decide checks a command against the dossier and the actor's rights and
// returns the event that carries it out, at now, or a *queue.Error saying
// why not: invalid (an unknown action), forbidden (the actor's role may
// not, or a handler of another department), conflict (not in this
// status, not late for an apology, rated already), or invalid (the
// command's reason, department, supplement, new date, rating or pickup
// are wrong), in that order. The event carries the dossier's status,
// department, due date and clock after it (Apply copies them).
func Decide(c *Config, d Dossier, cmd Command, now time.Time) (Event, error) {
	byRole, known := rules[cmd.Action]
	if !known {
		return Event{}, queue.NewError(queue.KindInvalid, "unknown_action", "{given} is not an action on dossiers", "given", quote(string(cmd.Action)))
	}
	from, allowed := byRole[cmd.Actor.Role]
	if !allowed {
		return Event{}, forbidden(cmd.Action)
	}
	if cmd.Actor.Role == RoleHandler && (cmd.Actor.Unit == "" || cmd.Actor.Unit != d.Department) {
		return Event{}, queue.NewError(queue.KindForbidden, "not_your_department", "dossier {code} is in the hands of another department", "code", d.Code)
	}
	if !slices.Contains(from, d.Status) {
		return Event{}, wrongStatus(d, cmd.Action)
	}
	e := Event{
		Dossier: d.Code, Office: d.Office, Type: EventType(cmd.Action), At: now, Actor: cmd.Actor,
		Status: d.Status, Department: d.Department, DueAt: d.DueAt,
		StoppedAt: d.StoppedAt, StoppedDays: d.StoppedDays,
	}
	if s, ok := next[cmd.Action]; ok {
		e.Status = s
	}
	p, _ := c.Procedure(d.Procedure)
	// A clock stopped for supplements or payment runs again when the
	// dossier leaves that wait (or ends), its due date moved by the working
	// days it stood still. A suspension keeps it as it is.
	if !d.StoppedAt.IsZero() && e.Status != d.Status && e.Status != StatusSuspended {
		k := c.stoppedDays(d.StoppedAt, now)
		e.StoppedAt, e.StoppedDays, e.DueAt = time.Time{}, d.StoppedDays+k, c.moveDue(d.DueAt, k)
	}
	var err error
	note := cleanText(cmd.Note)
	switch cmd.Action {
	case ActReceive:
		e.DueAt = c.Due(p, now)
	case ActRefuse, ActWithdraw, ActSuspend:
		e.Note, err = reason(cmd.Note)
	case ActProcess, ActTransfer:
		e.Department, err = c.department(d, cmd)
		e.StepDue = c.stepDue(e.DueAt, now)
	case ActSupplement:
		e.Supplement, err = c.supplement(cmd, now)
		if err == nil {
			e.StepDue = e.Supplement.By
			if c.supplementStops(p) {
				e.StoppedAt = now
			}
		}
	case ActPayment:
		if c.paymentStops(p) {
			e.StoppedAt = now
		}
	case ActSupplied, ActPaid, ActResume:
		e.StepDue = c.stepDue(e.DueAt, now)
	case ActComplete:
		e.Result, err = checkResult(cmd.Result)
	case ActPickup:
		e.Pickup, err = pickup(cmd.Pickup, now)
	case ActRate:
		e.Rating, err = rating(d, cmd.Rating, now)
	case ActApologize:
		e.Apology, err = c.apology(d, cmd, now)
		if err == nil {
			e.DueAt = e.Apology.NewDue
			e.StepDue = c.stepDue(e.DueAt, now)
		}
	case ActNote:
		err = checkText("the note", note, true, MaxNote, true, "invalid_note")
	}
	if err != nil {
		return Event{}, err
	}
	if e.Note == "" {
		if err := checkText("the note", note, false, MaxNote, true, "invalid_note"); err != nil {
			return Event{}, err
		}
		e.Note = note
	}
	return e, nil
}

// wrongStatus is the refusal of an action the dossier's status does not
// allow.
func wrongStatus(d Dossier, a Action) error {
	switch a {
	case ActPickup:
		return queue.NewError(queue.KindConflict, "dossier_not_ready", "dossier {code} is {status}: its result is not ready yet", "code", d.Code, "status", string(d.Status))
	case ActRate:
		return queue.NewError(queue.KindConflict, "dossier_not_returned", "dossier {code} is {status}: it is rated once its result is handed over", "code", d.Code, "status", string(d.Status))
	}
	return queue.NewError(queue.KindConflict, "dossier_status", "dossier {code} is {status}: you cannot {action} it", "code", d.Code, "status", string(d.Status), "action", verbs[a])
}

// department checks the department a dossier goes to: the one given, or
// for process the dossier's own (the procedure's); a transfer goes to
// another.
func (c *Config) department(d Dossier, cmd Command) (string, error) {
	id := strings.TrimSpace(cmd.Department)
	if id == "" {
		if cmd.Action == ActTransfer {
			return "", queue.NewError(queue.KindInvalid, "unknown_department", "say which department the dossier is transferred to")
		}
		id = d.Department
	}
	if _, ok := c.Department(id); !ok {
		return "", queue.NewError(queue.KindInvalid, "unknown_department", "department {department} does not exist: choose one of the departments", "department", quote(id))
	}
	if cmd.Action == ActTransfer && id == d.Department {
		return "", queue.NewError(queue.KindConflict, "same_department", "dossier {code} is with department {department} already", "code", d.Code, "department", id)
	}
	return id, nil
}

// supplement checks a supplement request: what is missing, and by when
// (a day not before today; the deadline is the end of that day).
func (c *Config) supplement(cmd Command, now time.Time) (*Supplement, error) {
	what := cleanText(cmd.What)
	if err := checkText("what is missing", what, true, MaxNote, true, "invalid_supplement"); err != nil {
		return nil, err
	}
	if cmd.By.IsZero() {
		return nil, queue.NewError(queue.KindInvalid, "invalid_supplement", "say by which day the applicant should bring the supplements")
	}
	by := c.endOfDay(cmd.By)
	if !by.After(now) {
		return nil, queue.NewError(queue.KindInvalid, "date_in_past", "{date} is in the past: give today or a later day", "date", by.Add(-time.Nanosecond).In(c.Calendar.Zone()).Format(time.DateOnly))
	}
	return &Supplement{What: what, By: by, At: now}, nil
}

// checkResult checks a completion's result note.
func checkResult(s string) (string, error) {
	s = cleanText(s)
	return s, checkText("the result", s, true, MaxNote, true, "invalid_result")
}

// pickup checks the pickup ticket a kiosk gives. The kiosk claims the
// pickup with the id of the ticket it is about to issue (docs/dossier.md,
// "Pickup"): the number is not known yet, and may be empty.
func pickup(p *Pickup, now time.Time) (*Pickup, error) {
	if p == nil || strings.TrimSpace(p.Ticket) == "" {
		return nil, queue.NewError(queue.KindInvalid, "invalid_pickup", "a pickup needs its ticket's id")
	}
	out := *p
	if out.At.IsZero() {
		out.At = now
	}
	return &out, nil
}

// rating checks the applicant's rating: once, 1 to 4, a comment of at
// most MaxNote characters.
func rating(d Dossier, r *Rating, now time.Time) (*Rating, error) {
	if d.Rating != nil {
		return nil, queue.NewError(queue.KindConflict, "already_rated", "dossier {code} has been rated already: a dossier is rated once", "code", d.Code)
	}
	if r == nil || r.Score < 1 || r.Score > 4 {
		return nil, queue.NewError(queue.KindInvalid, "invalid_rating", "the rating is 1 (not satisfied) to 4 (very satisfied)")
	}
	out := Rating{Score: r.Score, Comment: cleanText(r.Comment), At: now}
	if err := checkText("the comment", out.Comment, false, MaxNote, true, "invalid_rating"); err != nil {
		return nil, err
	}
	return &out, nil
}

// apology checks an apology: the dossier is late, or will be at the end
// of today (its due day has begun); the text; a new due date (the end of
// the day given) after now and after the due date.
func (c *Config) apology(d Dossier, cmd Command, now time.Time) (*Apology, error) {
	if d.DueAt.IsZero() || now.Before(c.dueDayStart(d.DueAt)) || (!d.StoppedAt.IsZero() && d.StoppedAt.Before(d.DueAt)) {
		return nil, queue.NewError(queue.KindConflict, "not_late", "dossier {code} is not late: an apology is made once its due day has come", "code", d.Code)
	}
	text := cleanText(cmd.Note)
	if err := checkText("the apology", text, true, MaxNote, true, "invalid_apology"); err != nil {
		return nil, err
	}
	if cmd.NewDue.IsZero() {
		return nil, queue.NewError(queue.KindInvalid, "invalid_apology", "give the new due date")
	}
	due := c.endOfDay(cmd.NewDue)
	day := func(t time.Time) string { return t.Add(-time.Nanosecond).In(c.Calendar.Zone()).Format(time.DateOnly) }
	if !due.After(now) {
		return nil, queue.NewError(queue.KindInvalid, "date_in_past", "{date} is in the past: give today or a later day", "date", day(due))
	}
	if !due.After(d.DueAt) {
		return nil, queue.NewError(queue.KindInvalid, "invalid_apology", "the new due date must come after the one it replaces, {date}", "date", day(d.DueAt))
	}
	return &Apology{At: now, Text: text, NewDue: due, By: cmd.Actor.Name}, nil
}

// dueDayStart is the start (00:00) of the last day before due.
func (c *Config) dueDayStart(due time.Time) time.Time {
	last := due.Add(-time.Nanosecond).In(c.Calendar.Zone())
	y, m, d := last.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, last.Location())
}

// Apply is the dossier after the event. It trusts the event (Decide or
// Create made it, or the store read it back): the status, department,
// due date and clock are the event's; the rest by its type.
func Apply(d Dossier, e Event) Dossier {
	if e.Type == TypeCreated && e.Created != nil {
		return e.Created.clone()
	}
	d = d.clone()
	d.Version++
	d.Status = e.Status
	if e.Department != "" {
		d.Department = e.Department
	}
	if !e.DueAt.IsZero() {
		d.DueAt = e.DueAt
	}
	d.StoppedAt, d.StoppedDays = e.StoppedAt, e.StoppedDays
	switch Action(strings.TrimPrefix(e.Type, "dossier.")) {
	case ActReceive:
		d.ReceivedAt = e.At
		d.ReceivedBy = e.Actor.Name
		d.OriginalDue = e.DueAt
	case ActRefuse, ActWithdraw, ActSuspend:
		d.Reason = e.Note
	case ActSupplement:
		if e.Supplement != nil {
			s := *e.Supplement
			d.Supplement = &s
		}
	case ActComplete:
		d.Result = e.Result
		d.CompletedAt = e.At
	case ActPickup:
		if e.Pickup != nil {
			p := *e.Pickup
			d.Pickup = &p
		}
	case ActReturn:
		d.ReturnedAt = e.At
	case ActRate:
		if e.Rating != nil {
			r := *e.Rating
			d.Rating = &r
		}
	case ActApologize:
		if e.Apology != nil {
			a := *e.Apology
			d.Apology = &a
		}
	}
	return d
}
