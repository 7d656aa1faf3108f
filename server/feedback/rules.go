package feedback

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"luot/server/queue"
)

// Category returns the category with that id.
func (c *Config) Category(id string) (Category, bool) {
	for _, k := range c.Categories {
		if k.ID == id {
			return k, true
		}
	}
	return Category{}, false
}

// Unit returns the unit with that id.
func (c *Config) Unit(id string) (Unit, bool) {
	for _, u := range c.Units {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

// TypeCreated is the type of a report's first event.
const TypeCreated = "report.created"

// EventType is the type of the events of an action: "report." and the
// action ("report.accept", "report.me_too").
func EventType(a Action) string { return "report." + string(a) }

// Actions is every action, in the order of the statuses they lead to.
var Actions = []Action{
	ActAccept, ActRefuse, ActUnfounded, ActDuplicate, ActAssign, ActStart, ActReturn, ActAnswer,
	ActResolve, ActReopen, ActSatisfied, ActMeToo, ActHidePhoto, ActShowPhoto, ActErase,
}

// Statuses is every status, open ones first.
var Statuses = []Status{
	StatusNew, StatusAccepted, StatusAssigned, StatusInProgress,
	StatusResolved, StatusUnfounded, StatusRefused, StatusDuplicate,
}

var openStatuses = Statuses[:4]

// Open reports whether the report is still being handled (not closed):
// new, accepted, assigned or in progress.
func (r Report) Open() bool { return slices.Contains(openStatuses, r.Status) }

// Overdue reports whether a deadline has passed unmet at now: the report
// is open, and it is not acknowledged (accepted) by its AckDue or not
// resolved by its ResolveDue. A deadline is passed from its very instant
// (24:00 of its day).
func (r Report) Overdue(now time.Time) bool {
	if !r.Open() {
		return false
	}
	past := func(due time.Time) bool { return !due.IsZero() && !now.Before(due) }
	return (r.Accepted.IsZero() && past(r.AckDue)) || past(r.ResolveDue)
}

// ClosesAt is when the report counts as closed, for the erasure of its
// reporter's data and for its verdict: a resolved report closes when the
// reporter says they are satisfied (Closed) or when its reopen window
// ends; an unfounded, refused or duplicate one when it became so. ok is
// false while the report is open.
func (r Report) ClosesAt(c *Config) (t time.Time, ok bool) {
	switch {
	case r.Open():
		return time.Time{}, false
	case r.Status == StatusResolved && r.Closed.IsZero():
		return r.Resolved.Add(c.ReopenFor()), true
	default:
		return r.Closed, true
	}
}

// Closes reports whether the report counts as closed at now (ClosesAt).
func (r Report) Closes(c *Config, now time.Time) bool {
	t, ok := r.ClosesAt(c)
	return ok && !now.Before(t)
}

// Public is the report as anyone may see it: no reporter, no hidden
// photos, no manage token, no Open311 client nor its media_url; the
// answer and its photos only once resolved (until then an answer is a
// draft).
func Public(r Report) Report {
	p := r.clone()
	p.Reporter = Reporter{}
	p.TokenHash = nil
	p.Client = ""
	p.MediaURL = ""
	p.Erased = time.Time{}
	resolved := r.Status == StatusResolved
	if !resolved {
		p.Answer = ""
	}
	p.Photos = p.Photos[:0]
	for _, ph := range r.Photos {
		if !ph.Hidden && (resolved || !ph.Answer) {
			p.Photos = append(p.Photos, ph)
		}
	}
	return p
}

// clone is a copy of r that shares no slice or pointer with it.
func (r Report) clone() Report {
	c := r
	c.Photos = slices.Clone(r.Photos)
	if c.Photos == nil {
		c.Photos = []Photo{}
	}
	c.TokenHash = slices.Clone(r.TokenHash)
	if r.Place.Point != nil {
		p := *r.Place.Point
		c.Place.Point = &p
	}
	return c
}

var codePattern = regexp.MustCompile(`^PA-\d{4}-\d{5,7}$`)

// ValidCode reports whether s is written as a report's code,
// PA-YYMM-NNNNN (the sequence may grow to seven digits).
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Who may do what, and from which statuses. A handler acts only on the
// reports of their own unit, and only once a moderator has assigned them
// (the moderator's check comes first); a moderator may do everything
// staff do except return a report (a moderator reassigns instead). Hiding
// and showing photos is moderation: moderators only. "Me too" is the
// public's (the reporter's own report is theirs already, staff do not
// vote). Open311 clients only create and read reports. An admin acts as
// a moderator: the caller maps the role.
//
// That the reporter holds the report's token, that a duplicate_of report
// exists (and is not itself a duplicate), that an answer's photos were
// uploaded: those the caller checks, with the store; Decide checks their
// syntax.
var rules = map[Action]map[Role][]Status{
	ActAccept:    {RoleModerator: {StatusNew}},
	ActRefuse:    {RoleModerator: {StatusNew, StatusAccepted}},
	ActUnfounded: {RoleModerator: openStatuses, RoleHandler: {StatusAssigned, StatusInProgress}},
	ActDuplicate: {RoleModerator: {StatusNew, StatusAccepted}},
	ActAssign:    {RoleModerator: {StatusAccepted, StatusAssigned, StatusInProgress}},
	ActStart:     {RoleModerator: {StatusAssigned}, RoleHandler: {StatusAssigned}},
	ActReturn:    {RoleHandler: {StatusAssigned, StatusInProgress}},
	ActAnswer:    {RoleModerator: {StatusAssigned, StatusInProgress}, RoleHandler: {StatusAssigned, StatusInProgress}},
	ActResolve:   {RoleModerator: {StatusAssigned, StatusInProgress}, RoleHandler: {StatusAssigned, StatusInProgress}},
	ActReopen:    {RoleReporter: {StatusResolved}},
	ActSatisfied: {RoleReporter: {StatusResolved}},
	ActMeToo:     {RolePublic: openStatuses},
	ActHidePhoto: {RoleModerator: Statuses},
	ActShowPhoto: {RoleModerator: Statuses},
	ActErase:     {RoleSystem: Statuses[4:]},
}

// next is the status an action leads to; actions not listed keep it.
var next = map[Action]Status{
	ActAccept: StatusAccepted, ActRefuse: StatusRefused, ActUnfounded: StatusUnfounded,
	ActDuplicate: StatusDuplicate, ActAssign: StatusAssigned, ActStart: StatusInProgress,
	ActReturn: StatusAccepted, ActResolve: StatusResolved, ActReopen: StatusAssigned,
}

// verbs are the English verbs of the staff's actions, which fill the
// {action} of a refusal (server/msgtext has their Vietnamese).
var verbs = map[Action]string{
	ActAccept: "accept", ActRefuse: "refuse", ActUnfounded: "find unfounded", ActDuplicate: "mark as a duplicate",
	ActAssign: "assign", ActStart: "start", ActReturn: "return", ActAnswer: "answer", ActResolve: "resolve",
}

// forbidden is the refusal of an actor whose role may not take the action.
func forbidden(a Action) error {
	switch a {
	case ActReopen, ActSatisfied:
		return queue.NewError(queue.KindForbidden, "report_forbidden", "only the reporter may give a verdict, from the link received when sending the report")
	case ActMeToo:
		return queue.NewError(queue.KindForbidden, "report_forbidden", "me too is said by other citizens, not by staff or by the reporter")
	case ActErase:
		return queue.NewError(queue.KindForbidden, "report_forbidden", "personal data are erased by the server itself when their time comes")
	case ActReturn:
		return queue.NewError(queue.KindForbidden, "report_forbidden", "only the unit in charge returns a report; a moderator assigns it to another unit instead")
	case ActUnfounded, ActStart, ActAnswer, ActResolve:
		return queue.NewError(queue.KindForbidden, "report_forbidden", "only a moderator or the unit in charge may do this")
	default:
		return queue.NewError(queue.KindForbidden, "report_forbidden", "only a moderator may do this")
	}
}

// Decide checks a command against the report and the actor's rights and
// returns the event that carries it out, or a *queue.Error saying why
// not: forbidden (the actor may not), conflict (not in this status), or
// invalid (the command's reason, unit, text or photos are wrong), in
// that order. See rules for who may do what.
func Decide(c *Config, r Report, cmd Command, now time.Time) (Event, error) {
	byRole, known := rules[cmd.Action]
	if !known {
		return Event{}, queue.NewError(queue.KindInvalid, "unknown_action", "{given} is not an action on reports", "given", quote(string(cmd.Action)))
	}
	from, allowed := byRole[cmd.Actor.Role]
	if !allowed {
		return Event{}, forbidden(cmd.Action)
	}
	if cmd.Actor.Role == RoleHandler && (cmd.Actor.Unit == "" || cmd.Actor.Unit != r.Unit) {
		return Event{}, queue.NewError(queue.KindForbidden, "not_your_unit", "report {code} is in the hands of another unit: a moderator may assign it to yours", "code", r.Code)
	}
	if !slices.Contains(from, r.Status) {
		return Event{}, wrongStatus(c, r, cmd.Action)
	}
	e := Event{
		Report: r.Code, Office: r.Office, Type: EventType(cmd.Action), At: now, Actor: cmd.Actor,
		Status: r.Status, Unit: r.Unit,
	}
	if s, ok := next[cmd.Action]; ok {
		e.Status = s
	}
	var err error
	switch cmd.Action {
	case ActRefuse, ActUnfounded, ActReturn:
		e.Reason, err = reason(cmd.Reason, true)
	case ActDuplicate:
		e.Reason, err = reason(cmd.Reason, false)
		if err == nil {
			e.DuplicateOf, err = duplicateOf(r, cmd.DuplicateOf)
		}
	case ActAssign:
		e.Unit, err = assignTo(c, r, cmd.Unit)
	case ActAnswer:
		e.Text, e.Photos, err = answer(r, cmd)
	case ActResolve:
		if r.Answer == "" {
			err = queue.NewError(queue.KindConflict, "answer_required", "report {code} has no answer yet: answer it before resolving it", "code", r.Code)
		}
	case ActReopen:
		err = verdictWindow(c, r, now, true)
		if err == nil {
			e.Reason, err = reason(cmd.Reason, true)
		}
		if err == nil {
			days := 1
			if k, ok := c.Category(r.Category); ok {
				days = k.ResolveDays
			}
			e.ResolveDue = c.Calendar.AddWorkingDays(now, days)
		}
	case ActSatisfied:
		err = verdictWindow(c, r, now, false)
	case ActHidePhoto, ActShowPhoto:
		e.Photo, err = photoToggle(r, cmd.Photo, cmd.Action == ActHidePhoto)
	case ActErase:
		err = eraseDue(c, r, now)
	}
	if err != nil {
		return Event{}, err
	}
	return e, nil
}

// wrongStatus is the refusal of an action the report's status does not
// allow.
func wrongStatus(c *Config, r Report, a Action) error {
	switch a {
	case ActReopen, ActSatisfied:
		return queue.NewError(queue.KindConflict, "report_not_resolved", "report {code} is {status}: a verdict is given once it is resolved", "code", r.Code, "status", string(r.Status))
	case ActMeToo:
		return queue.NewError(queue.KindConflict, "report_closed", "report {code} is {status}: me too is only for reports still being handled; send a new report", "code", r.Code, "status", string(r.Status))
	case ActErase:
		return queue.NewError(queue.KindConflict, "report_open", "report {code} is still being handled: personal data are erased only after it closes", "code", r.Code)
	}
	return queue.NewError(queue.KindConflict, "report_status", "report {code} is {status}: you cannot {action} it", "code", r.Code, "status", string(r.Status), "action", verbs[a])
}

// reason cleans and checks a reason.
func reason(s string, required bool) (string, error) {
	s = cleanText(s)
	return s, checkText("the reason", s, required, MaxReason, true, "invalid_reason")
}

// duplicateOf checks the code of the report r duplicates.
func duplicateOf(r Report, code string) (string, error) {
	code = strings.TrimSpace(code)
	if !ValidCode(code) {
		return "", queue.NewError(queue.KindInvalid, "invalid_duplicate", "{given} is not a report code: write the code of the other report, PA-YYMM-NNNNN", "given", quote(code))
	}
	if code == r.Code {
		return "", queue.NewError(queue.KindInvalid, "invalid_duplicate", "a report cannot duplicate itself: give the code of the other report")
	}
	return code, nil
}

// assignTo checks the unit a report is assigned to; none means the unit
// already in charge (the one routing chose).
func assignTo(c *Config, r Report, unit string) (string, error) {
	if unit == "" {
		unit = r.Unit
	}
	if _, ok := c.Unit(unit); !ok {
		return "", queue.NewError(queue.KindInvalid, "unknown_unit", "unit {unit} does not exist: choose one of the units", "unit", quote(unit))
	}
	if unit == r.Unit && r.Status != StatusAccepted {
		return "", queue.NewError(queue.KindConflict, "already_assigned", "report {code} is already assigned to unit {unit}", "code", r.Code, "unit", unit)
	}
	return unit, nil
}

// answer checks an answer: its text, and its photos with those the
// answer has already (at most MaxPhotos in all).
func answer(r Report, cmd Command) (string, []string, error) {
	text := cleanText(cmd.Text)
	if err := checkText("the answer", text, true, MaxReason, true, "invalid_answer"); err != nil {
		return "", nil, err
	}
	photos, err := checkPhotos(cmd.Photos)
	if err != nil {
		return "", nil, err
	}
	var have []string
	for _, p := range r.Photos {
		if p.Answer {
			have = append(have, p.Hash)
		}
	}
	photos = slices.DeleteFunc(photos, func(h string) bool { return slices.Contains(have, h) })
	if n := len(have) + len(photos); n > MaxPhotos {
		return "", nil, queue.NewError(queue.KindInvalid, "too_many_photos", "at most {max} photos: leave out {n}", "max", MaxPhotos, "n", n-MaxPhotos)
	}
	return text, photos, nil
}

// verdictWindow checks that the reporter may still give a verdict: the
// report is resolved, not judged satisfying, within the reopen window
// (its last instant included), and, to reopen, not reopened before.
func verdictWindow(c *Config, r Report, now time.Time, reopen bool) error {
	if r.Verdict == VerdictSatisfied {
		return queue.NewError(queue.KindConflict, "already_satisfied", "the reporter has said report {code} was handled to their satisfaction: it is closed; send a new report if the problem is back", "code", r.Code)
	}
	if now.After(r.Resolved.Add(c.ReopenFor())) {
		return queue.NewError(queue.KindConflict, "verdict_expired", "report {code} was resolved more than {days} days ago: it is closed; send a new report if the problem is back", "code", r.Code, "days", int(c.ReopenFor().Hours()/24))
	}
	if reopen && r.Reopened > 0 {
		return queue.NewError(queue.KindConflict, "reopened_once", "report {code} has been reopened once already: send a new report if the problem is back", "code", r.Code)
	}
	return nil
}

// photoToggle checks that the report has the photo and that it is not
// hidden (hide) or shown (show) already.
func photoToggle(r Report, hash string, hide bool) (string, error) {
	i := slices.IndexFunc(r.Photos, func(p Photo) bool { return p.Hash == hash })
	switch {
	case i < 0:
		return "", queue.NewError(queue.KindInvalid, "unknown_photo", "report {code} has no photo {photo}", "code", r.Code, "photo", quote(hash))
	case hide && r.Photos[i].Hidden:
		return "", queue.NewError(queue.KindConflict, "photo_hidden", "this photo is hidden already")
	case !hide && !r.Photos[i].Hidden:
		return "", queue.NewError(queue.KindConflict, "photo_shown", "this photo is shown already")
	}
	return hash, nil
}

// eraseDue checks that the reporter's data are due for erasure: the
// report closed EraseDelay ago, and they are not erased yet.
func eraseDue(c *Config, r Report, now time.Time) error {
	if !r.Erased.IsZero() {
		return queue.NewError(queue.KindConflict, "already_erased", "the personal data of report {code} are erased already", "code", r.Code)
	}
	closes, _ := r.ClosesAt(c)
	if due := closes.Add(c.EraseDelay()); now.Before(due) {
		return queue.NewError(queue.KindConflict, "erase_not_due", "the personal data of report {code} are kept until {date}", "code", r.Code, "date", due.In(c.Calendar.Zone()).Format(time.DateOnly))
	}
	return nil
}

// Apply is the report after the event. It trusts the event (Decide or
// Create made it, or the store read it back): it changes nothing else.
func Apply(r Report, e Event) Report {
	if e.Type == TypeCreated && e.Created != nil {
		return e.Created.clone()
	}
	r = r.clone()
	r.Status = e.Status
	r.Version++
	switch Action(strings.TrimPrefix(e.Type, "report.")) {
	case ActAccept:
		r.Accepted = e.At
	case ActRefuse, ActUnfounded:
		r.Reason = e.Reason
		r.Closed = e.At
	case ActDuplicate:
		r.Reason = e.Reason
		r.DuplicateOf = e.DuplicateOf
		r.Closed = e.At
	case ActAssign:
		r.Unit = e.Unit
	case ActReturn:
		r.Reason = e.Reason
	case ActAnswer:
		r.Answer = e.Text
		for _, h := range e.Photos {
			if !slices.ContainsFunc(r.Photos, func(p Photo) bool { return p.Answer && p.Hash == h }) {
				r.Photos = append(r.Photos, Photo{Hash: h, Answer: true})
			}
		}
	case ActResolve:
		r.Resolved = e.At
	case ActReopen:
		r.Reopened++
		r.Verdict = VerdictReopened
		r.Reason = e.Reason
		r.Resolved = time.Time{}
		r.ResolveDue = e.ResolveDue
	case ActSatisfied:
		r.Verdict = VerdictSatisfied
		r.Closed = e.At
	case ActMeToo:
		r.MeToo++
	case ActHidePhoto, ActShowPhoto:
		for i := range r.Photos {
			if r.Photos[i].Hash == e.Photo {
				r.Photos[i].Hidden = e.Type == EventType(ActHidePhoto)
			}
		}
	case ActErase:
		r.Reporter.Name, r.Reporter.Phone = "", ""
		r.Erased = e.At
	}
	return r
}
