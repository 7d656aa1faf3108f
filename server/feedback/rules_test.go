package feedback_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/queue"
)

// The statuses in the order of the grid's columns.
var columns = []feedback.Status{
	feedback.StatusNew, feedback.StatusAccepted, feedback.StatusAssigned, feedback.StatusInProgress,
	feedback.StatusResolved, feedback.StatusUnfounded, feedback.StatusRefused, feedback.StatusDuplicate,
}

// grid is the specification of docs/feedback.md and the actions'
// comments: for each action, the roles that may take it and, one
// character a status in the order of columns, from where ('x').
//
//	new accepted assigned in_progress | resolved unfounded refused duplicate
var grid = map[feedback.Action]map[feedback.Role]string{
	feedback.ActAccept:    {feedback.RoleModerator: "x... ...."},
	feedback.ActRefuse:    {feedback.RoleModerator: "xx.. ...."},
	feedback.ActUnfounded: {feedback.RoleModerator: "xxxx ....", feedback.RoleHandler: "..xx ...."},
	feedback.ActDuplicate: {feedback.RoleModerator: "xx.. ...."},
	feedback.ActAssign:    {feedback.RoleModerator: ".xxx ...."},
	feedback.ActStart:     {feedback.RoleModerator: "..x. ....", feedback.RoleHandler: "..x. ...."},
	feedback.ActReturn:    {feedback.RoleHandler: "..xx ...."},
	feedback.ActAnswer:    {feedback.RoleModerator: "..xx ....", feedback.RoleHandler: "..xx ...."},
	feedback.ActResolve:   {feedback.RoleModerator: "..xx ....", feedback.RoleHandler: "..xx ...."},
	feedback.ActReopen:    {feedback.RoleReporter: ".... x..."},
	feedback.ActSatisfied: {feedback.RoleReporter: ".... x..."},
	feedback.ActMeToo:     {feedback.RolePublic: "xxxx ...."},
	feedback.ActHidePhoto: {feedback.RoleModerator: "xxxx xxxx"},
	feedback.ActShowPhoto: {feedback.RoleModerator: "xxxx xxxx"},
	feedback.ActErase:     {feedback.RoleSystem: ".... xxxx"},
}

// after is the status each action leads to ("" keeps it).
var after = map[feedback.Action]feedback.Status{
	feedback.ActAccept: feedback.StatusAccepted, feedback.ActRefuse: feedback.StatusRefused,
	feedback.ActUnfounded: feedback.StatusUnfounded, feedback.ActDuplicate: feedback.StatusDuplicate,
	feedback.ActAssign: feedback.StatusAssigned, feedback.ActStart: feedback.StatusInProgress,
	feedback.ActReturn: feedback.StatusAccepted, feedback.ActResolve: feedback.StatusResolved,
	feedback.ActReopen: feedback.StatusAssigned,
}

func allowedFrom(spec string, s feedback.Status) bool {
	spec = strings.ReplaceAll(spec, " ", "")
	return spec[slices.Index(columns, s)] == 'x'
}

// actors are every kind of actor: a handler of the report's unit and one
// of another, and an actor without a role.
var actors = map[string]feedback.Actor{
	"reporter":           {Role: feedback.RoleReporter},
	"public":             {Role: feedback.RolePublic},
	"moderator":          {Role: feedback.RoleModerator, ID: "mod1", Name: "Lê Thị Hoa"},
	"handler":            {Role: feedback.RoleHandler, ID: "h1", Name: "Trần Văn Bình", Unit: "tnmt"},
	"other handler":      {Role: feedback.RoleHandler, ID: "h2", Name: "Phạm Thu", Unit: "qldt"},
	"handler of no unit": {Role: feedback.RoleHandler, ID: "h3"},
	"system":             {Role: feedback.RoleSystem},
	"client":             {Role: feedback.RoleClient, Name: "app"},
	"nobody":             {},
}

// the clock of the matrix: a report made at t0, resolved (if it is) a
// day before now.
var (
	resolvedAt = t0.Add(48 * time.Hour)
	now        = t0.Add(72 * time.Hour)
	eraseNow   = t0.Add(2 * 365 * 24 * time.Hour)
)

// reportIn is a report of the unit tnmt in status s, as the transitions
// leading there would have left it: a visible photo A and a hidden one B.
func reportIn(s feedback.Status) feedback.Report {
	r := feedback.Report{
		Code: "PA-2612-00001", Office: "demo", Category: "moi-truong", Description: "Rác",
		Place:    feedback.Place{Point: point(16.46, 107.59)},
		Photos:   []feedback.Photo{{Hash: hashA}, {Hash: hashB, Hidden: true}},
		Reporter: feedback.Reporter{Name: "Nguyễn Văn An", Phone: "+84912345678"},
		Channel:  feedback.ChannelWeb, Status: s, Unit: "tnmt",
		Created: t0, AckDue: time.Date(2026, 12, 3, 0, 0, 0, 0, hcm), ResolveDue: time.Date(2026, 12, 11, 0, 0, 0, 0, hcm),
		TokenHash: []byte("token-hash"), Version: 3,
	}
	switch s {
	case feedback.StatusAccepted:
		r.Accepted = t0.Add(time.Hour)
	case feedback.StatusAssigned, feedback.StatusInProgress:
		r.Accepted = t0.Add(time.Hour)
		r.Answer = "Đã cử người dọn"
	case feedback.StatusResolved:
		r.Accepted = t0.Add(time.Hour)
		r.Answer = "Đã dọn xong"
		r.Resolved = resolvedAt
	case feedback.StatusUnfounded, feedback.StatusRefused:
		r.Reason = "Không đúng"
		r.Closed = t0.Add(2 * time.Hour)
	case feedback.StatusDuplicate:
		r.DuplicateOf = "PA-2611-00007"
		r.Closed = t0.Add(2 * time.Hour)
	}
	return r
}

// command is a valid command of each action.
func command(a feedback.Action, actor feedback.Actor) feedback.Command {
	cmd := feedback.Command{Action: a, Actor: actor}
	switch a {
	case feedback.ActRefuse, feedback.ActUnfounded, feedback.ActReturn, feedback.ActReopen:
		cmd.Reason = "  Lý do\nrõ ràng  "
	case feedback.ActDuplicate:
		cmd.DuplicateOf = "PA-2612-00002"
	case feedback.ActAssign:
		cmd.Unit = "qldt"
	case feedback.ActAnswer:
		cmd.Text = "Đã dọn sạch"
		cmd.Photos = []string{hashC}
	case feedback.ActHidePhoto:
		cmd.Photo = hashA
	case feedback.ActShowPhoto:
		cmd.Photo = hashB
	}
	return cmd
}

// applied checks what Apply made of each allowed action.
func applied(t *testing.T, name string, c *feedback.Config, a feedback.Action, before, r feedback.Report, at time.Time) {
	t.Helper()
	want := clone(before)
	want.Version++
	if s, ok := after[a]; ok {
		want.Status = s
	}
	switch a {
	case feedback.ActAccept:
		want.Accepted = at
	case feedback.ActRefuse, feedback.ActUnfounded:
		want.Reason, want.Closed = "Lý do\nrõ ràng", at
	case feedback.ActDuplicate:
		want.DuplicateOf, want.Closed = "PA-2612-00002", at
	case feedback.ActAssign:
		want.Unit = "qldt"
	case feedback.ActReturn:
		want.Reason = "Lý do\nrõ ràng"
	case feedback.ActAnswer:
		want.Answer = "Đã dọn sạch"
		want.Photos = append(want.Photos, feedback.Photo{Hash: hashC, Answer: true})
	case feedback.ActResolve:
		want.Resolved = at
	case feedback.ActReopen:
		want.Reason, want.Reopened, want.Verdict = "Lý do\nrõ ràng", 1, feedback.VerdictReopened
		want.Resolved = time.Time{}
		want.ResolveDue = c.Calendar.AddWorkingDays(at, 7)
	case feedback.ActSatisfied:
		want.Verdict, want.Closed = feedback.VerdictSatisfied, at
	case feedback.ActMeToo:
		want.MeToo++
	case feedback.ActHidePhoto:
		want.Photos[0].Hidden = true
	case feedback.ActShowPhoto:
		want.Photos[1].Hidden = false
	case feedback.ActErase:
		want.Reporter = feedback.Reporter{}
		want.Erased = at
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("%s: Apply gave\n%+v\nwant\n%+v", name, r, want)
	}
}

// TestEveryTransition decides every action by every kind of actor on a
// report in every status: the allowed ones give their event and Apply
// makes the report the docs say; the refused ones say why, with the code
// of the first rule broken, and change nothing.
func TestEveryTransition(t *testing.T) {
	c := testConfig(t)
	allowed := 0
	for _, a := range feedback.Actions {
		spec, ok := grid[a]
		if !ok {
			t.Fatalf("action %s is not in the grid", a)
		}
		for who, actor := range actors {
			for _, s := range columns {
				name := fmt.Sprintf("%s by %s on %s", a, who, s)
				r := reportIn(s)
				before := clone(r)
				at := now
				if a == feedback.ActErase {
					at = eraseNow
				}
				e, err := feedback.Decide(c, r, command(a, actor), at)
				if !reflect.DeepEqual(r, before) {
					t.Errorf("%s: Decide changed the report", name)
				}
				from, roleMay := spec[actor.Role]
				switch {
				case !roleMay:
					wantError(t, name, err, queue.KindForbidden, "report_forbidden")
				case actor.Role == feedback.RoleHandler && actor.Unit != "tnmt":
					wantError(t, name, err, queue.KindForbidden, "not_your_unit")
				case !allowedFrom(from, s):
					code := map[feedback.Action]string{
						feedback.ActReopen: "report_not_resolved", feedback.ActSatisfied: "report_not_resolved",
						feedback.ActMeToo: "report_closed", feedback.ActErase: "report_open",
					}[a]
					if code == "" {
						code = "report_status"
					}
					wantError(t, name, err, queue.KindConflict, code)
				default:
					allowed++
					if err != nil {
						t.Errorf("%s: refused: %v", name, err)
						continue
					}
					wantStatus := s
					if n, ok := after[a]; ok {
						wantStatus = n
					}
					if e.Type != "report."+string(a) || e.Report != r.Code || e.Office != "demo" || !e.At.Equal(at) || e.Actor != actor || e.Status != wantStatus {
						t.Errorf("%s: event %+v", name, e)
					}
					applied(t, name, c, a, before, feedback.Apply(r, e), at)
					if !reflect.DeepEqual(r, before) {
						t.Errorf("%s: Apply changed the report it was given", name)
					}
				}
				if err != nil && !reflect.DeepEqual(e, feedback.Event{}) {
					t.Errorf("%s: a refusal still gave an event %+v", name, e)
				}
			}
		}
	}
	// Each 'x' of the grid is one allowed case (of the three handlers,
	// only the report's unit's may).
	if allowed != 52 {
		t.Errorf("%d allowed cases, want the grid's 52: the grid and the loop disagree", allowed)
	}
}

// TestDecideRefusesBadInput checks the commands' own rules, on a report
// in a status that allows the action.
func TestDecideRefusesBadInput(t *testing.T) {
	c := testConfig(t)
	mod := actors["moderator"]
	handler := actors["handler"]
	long := strings.Repeat("ạ", feedback.MaxReason+1)
	cases := []struct {
		name   string
		status feedback.Status
		cmd    feedback.Command
		kind   queue.Kind
		code   string
	}{
		{"unknown action", feedback.StatusNew, feedback.Command{Action: "delete", Actor: mod}, queue.KindInvalid, "unknown_action"},
		{"refuse without a reason", feedback.StatusNew, feedback.Command{Action: feedback.ActRefuse, Actor: mod}, queue.KindInvalid, "invalid_reason"},
		{"refuse with a blank reason", feedback.StatusNew, feedback.Command{Action: feedback.ActRefuse, Actor: mod, Reason: " \n "}, queue.KindInvalid, "invalid_reason"},
		{"unfounded without a reason", feedback.StatusAssigned, feedback.Command{Action: feedback.ActUnfounded, Actor: handler}, queue.KindInvalid, "invalid_reason"},
		{"return without a reason", feedback.StatusInProgress, feedback.Command{Action: feedback.ActReturn, Actor: handler}, queue.KindInvalid, "invalid_reason"},
		{"reason too long", feedback.StatusNew, feedback.Command{Action: feedback.ActRefuse, Actor: mod, Reason: long}, queue.KindInvalid, "invalid_reason"},
		{"reason with an escape", feedback.StatusNew, feedback.Command{Action: feedback.ActRefuse, Actor: mod, Reason: "x\x1b"}, queue.KindInvalid, "invalid_reason"},
		{"duplicate of nothing", feedback.StatusNew, feedback.Command{Action: feedback.ActDuplicate, Actor: mod}, queue.KindInvalid, "invalid_duplicate"},
		{"duplicate of a bad code", feedback.StatusNew, feedback.Command{Action: feedback.ActDuplicate, Actor: mod, DuplicateOf: "PA-26-1"}, queue.KindInvalid, "invalid_duplicate"},
		{"duplicate of itself", feedback.StatusNew, feedback.Command{Action: feedback.ActDuplicate, Actor: mod, DuplicateOf: "PA-2612-00001"}, queue.KindInvalid, "invalid_duplicate"},
		{"duplicate with a reason too long", feedback.StatusNew, feedback.Command{Action: feedback.ActDuplicate, Actor: mod, DuplicateOf: "PA-2612-00002", Reason: long}, queue.KindInvalid, "invalid_reason"},
		{"assign to an unknown unit", feedback.StatusAccepted, feedback.Command{Action: feedback.ActAssign, Actor: mod, Unit: "ufo"}, queue.KindInvalid, "unknown_unit"},
		{"assign to the unit in charge", feedback.StatusInProgress, feedback.Command{Action: feedback.ActAssign, Actor: mod, Unit: "tnmt"}, queue.KindConflict, "already_assigned"},
		{"assign to nobody once assigned", feedback.StatusAssigned, feedback.Command{Action: feedback.ActAssign, Actor: mod}, queue.KindConflict, "already_assigned"},
		{"answer without text", feedback.StatusAssigned, feedback.Command{Action: feedback.ActAnswer, Actor: handler, Photos: []string{hashC}}, queue.KindInvalid, "invalid_answer"},
		{"answer too long", feedback.StatusAssigned, feedback.Command{Action: feedback.ActAnswer, Actor: handler, Text: long}, queue.KindInvalid, "invalid_answer"},
		{"answer with a bad photo", feedback.StatusAssigned, feedback.Command{Action: feedback.ActAnswer, Actor: handler, Text: "ok", Photos: []string{"x"}}, queue.KindInvalid, "invalid_photo"},
		{"answer with six photos", feedback.StatusAssigned, feedback.Command{Action: feedback.ActAnswer, Actor: handler, Text: "ok", Photos: []string{
			hashA, hashB, hashC, hashD, strings.Repeat("e", 64), strings.Repeat("f", 64)}}, queue.KindInvalid, "too_many_photos"},
		{"hide a photo the report lacks", feedback.StatusNew, feedback.Command{Action: feedback.ActHidePhoto, Actor: mod, Photo: hashD}, queue.KindInvalid, "unknown_photo"},
		{"hide a hidden photo", feedback.StatusNew, feedback.Command{Action: feedback.ActHidePhoto, Actor: mod, Photo: hashB}, queue.KindConflict, "photo_hidden"},
		{"show a shown photo", feedback.StatusNew, feedback.Command{Action: feedback.ActShowPhoto, Actor: mod, Photo: hashA}, queue.KindConflict, "photo_shown"},
		{"reopen without a reason", feedback.StatusResolved, feedback.Command{Action: feedback.ActReopen, Actor: actors["reporter"]}, queue.KindInvalid, "invalid_reason"},
		{"erase too early", feedback.StatusRefused, feedback.Command{Action: feedback.ActErase, Actor: actors["system"]}, queue.KindConflict, "erase_not_due"},
	}
	for _, tc := range cases {
		r := reportIn(tc.status)
		before := clone(r)
		e, err := feedback.Decide(c, r, tc.cmd, now)
		wantError(t, tc.name, err, tc.kind, tc.code)
		if !reflect.DeepEqual(e, feedback.Event{}) || !reflect.DeepEqual(r, before) {
			t.Errorf("%s: a refusal gave %+v or changed the report", tc.name, e)
		}
	}
}

func decide(t *testing.T, c *feedback.Config, r feedback.Report, cmd feedback.Command, at time.Time) feedback.Report {
	t.Helper()
	e, err := feedback.Decide(c, r, cmd, at)
	if err != nil {
		t.Fatalf("%s at %v: %v", cmd.Action, at, err)
	}
	return feedback.Apply(r, e)
}

// TestLifeOfAReport follows a report from its creation to its erasure
// through every kind of step, with the deadlines it keeps.
func TestLifeOfAReport(t *testing.T) {
	c := testConfig(t)
	mod, handler, reporter := actors["moderator"], actors["handler"], actors["reporter"]
	r, e, err := feedback.Create(c, validNew(), t0)
	if err != nil {
		t.Fatal(err)
	}
	r = feedback.Apply(feedback.Report{}, e)
	r.Code = "PA-2612-00001"
	if !r.Open() || r.Overdue(t0) {
		t.Fatal("a new report is open and not overdue")
	}
	// Not acknowledged by the end of Wednesday: overdue from its very
	// instant.
	if r.Overdue(r.AckDue.Add(-time.Nanosecond)) || !r.Overdue(r.AckDue) {
		t.Errorf("overdue around the ack deadline %v: want from that instant", r.AckDue)
	}
	r = decide(t, c, r, feedback.Command{Action: feedback.ActAccept, Actor: mod}, r.AckDue.Add(time.Hour))
	if r.Overdue(r.AckDue.Add(2*time.Hour)) || !r.Overdue(r.ResolveDue) {
		t.Error("accepted late: no longer overdue for acknowledging, but still for resolving")
	}
	// Assigning to no unit in particular confirms the routed one.
	r = decide(t, c, r, feedback.Command{Action: feedback.ActAssign, Actor: mod}, t0.Add(25*time.Hour))
	if r.Unit != "tnmt" || r.Status != feedback.StatusAssigned {
		t.Fatalf("assigned to %q, %s", r.Unit, r.Status)
	}
	// Returned as not theirs, reassigned, started.
	r = decide(t, c, r, feedback.Command{Action: feedback.ActReturn, Actor: handler, Reason: "Không thuộc thẩm quyền"}, t0.Add(26*time.Hour))
	if r.Status != feedback.StatusAccepted || r.Unit != "tnmt" || r.Reason != "Không thuộc thẩm quyền" {
		t.Fatalf("returned: %s %s %q", r.Status, r.Unit, r.Reason)
	}
	r = decide(t, c, r, feedback.Command{Action: feedback.ActAssign, Actor: mod, Unit: "qldt"}, t0.Add(27*time.Hour))
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActStart, Actor: handler}, t0.Add(28*time.Hour)); queue.KindOf(err) != queue.KindForbidden {
		t.Errorf("the former unit's handler started it: %v", err)
	}
	qldt := feedback.Actor{Role: feedback.RoleHandler, ID: "h2", Unit: "qldt"}
	r = decide(t, c, r, feedback.Command{Action: feedback.ActStart, Actor: qldt}, t0.Add(28*time.Hour))
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActResolve, Actor: qldt}, t0.Add(29*time.Hour)); !errors.Is(err, &queue.Error{Code: "answer_required"}) {
		t.Errorf("resolved without an answer: %v", err)
	}
	// Two answers: the text is the last, the photos add up to five.
	r = decide(t, c, r, feedback.Command{Action: feedback.ActAnswer, Actor: qldt, Text: "Bước 1", Photos: []string{hashC, hashD}}, t0.Add(30*time.Hour))
	r = decide(t, c, r, feedback.Command{Action: feedback.ActAnswer, Actor: qldt, Text: "Đã dọn xong", Photos: []string{hashD, hashB}}, t0.Add(31*time.Hour))
	if r.Answer != "Đã dọn xong" || len(r.Photos) != 4 || !r.Photos[3].Answer || r.Photos[3].Hash != hashB {
		t.Errorf("answer %q photos %+v", r.Answer, r.Photos)
	}
	three := []string{strings.Repeat("1", 64), strings.Repeat("2", 64), strings.Repeat("3", 64)}
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActAnswer, Actor: qldt, Text: "x", Photos: three}, t0.Add(32*time.Hour)); !errors.Is(err, &queue.Error{Code: "too_many_photos"}) {
		t.Errorf("an answer of six photos in all: %v", err)
	}
	resolved := t0.Add(33 * time.Hour)
	r = decide(t, c, r, feedback.Command{Action: feedback.ActResolve, Actor: qldt}, resolved)
	if r.Open() || r.Overdue(r.ResolveDue.Add(time.Hour)) || !r.Resolved.Equal(resolved) {
		t.Errorf("resolved: open %v, overdue later, resolved at %v", r.Open(), r.Resolved)
	}
	if at, ok := r.ClosesAt(c); !ok || !at.Equal(resolved.Add(7*24*time.Hour)) {
		t.Errorf("a resolved report closes at %v %v, want when its reopen window ends", at, ok)
	}
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActMeToo, Actor: actors["public"]}, resolved); !errors.Is(err, &queue.Error{Code: "report_closed"}) {
		t.Errorf("me too on a resolved report: %v", err)
	}

	// Reopened on the window's last instant; its deadline counts again.
	reopenAt := resolved.Add(7 * 24 * time.Hour)
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActReopen, Actor: reporter, Reason: "Rác lại bị đổ"}, reopenAt.Add(time.Nanosecond)); !errors.Is(err, &queue.Error{Code: "verdict_expired"}) {
		t.Errorf("reopened after the window: %v", err)
	}
	r = decide(t, c, r, feedback.Command{Action: feedback.ActReopen, Actor: reporter, Reason: "Rác lại bị đổ"}, reopenAt)
	if r.Status != feedback.StatusAssigned || r.Unit != "qldt" || r.Reopened != 1 || r.Verdict != feedback.VerdictReopened || !r.Resolved.IsZero() {
		t.Errorf("reopened: %+v", r)
	}
	if want := c.Calendar.AddWorkingDays(reopenAt, 7); !r.ResolveDue.Equal(want) {
		t.Errorf("resolve due %v after reopening, want %v (7 working days from the reopening)", r.ResolveDue, want)
	}
	if !r.Open() {
		t.Error("a reopened report is open")
	}
	again := reopenAt.Add(time.Hour)
	r = decide(t, c, r, feedback.Command{Action: feedback.ActResolve, Actor: qldt}, again)
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActReopen, Actor: reporter, Reason: "Vẫn còn"}, again); !errors.Is(err, &queue.Error{Code: "reopened_once"}) {
		t.Errorf("reopened twice: %v", err)
	}
	// Satisfied the second time: closed then, not at the window's end.
	satisfied := again.Add(time.Hour)
	r = decide(t, c, r, feedback.Command{Action: feedback.ActSatisfied, Actor: reporter}, satisfied)
	if at, ok := r.ClosesAt(c); !ok || !at.Equal(satisfied) || !r.Closes(c, satisfied) || r.Closes(c, satisfied.Add(-time.Nanosecond)) {
		t.Errorf("a satisfied report closes at %v %v, want at the verdict", at, ok)
	}
	for _, a := range []feedback.Action{feedback.ActSatisfied, feedback.ActReopen} {
		if _, err := feedback.Decide(c, r, feedback.Command{Action: a, Actor: reporter, Reason: "x"}, satisfied); !errors.Is(err, &queue.Error{Code: "already_satisfied"}) {
			t.Errorf("%s after satisfied: %v", a, err)
		}
	}

	// Erased a year after it closed, to the instant; only once.
	due := satisfied.Add(365 * 24 * time.Hour)
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActErase, Actor: actors["system"]}, due.Add(-time.Nanosecond)); !errors.Is(err, &queue.Error{Code: "erase_not_due"}) {
		t.Errorf("erased early: %v", err)
	}
	r = decide(t, c, r, feedback.Command{Action: feedback.ActErase, Actor: actors["system"]}, due)
	if r.Reporter != (feedback.Reporter{}) || !r.Erased.Equal(due) {
		t.Errorf("erased: reporter %+v at %v", r.Reporter, r.Erased)
	}
	if _, err := feedback.Decide(c, r, feedback.Command{Action: feedback.ActErase, Actor: actors["system"]}, due); !errors.Is(err, &queue.Error{Code: "already_erased"}) {
		t.Errorf("erased twice: %v", err)
	}
	if r.Version != 13 {
		t.Errorf("version %d after 12 events, want 13", r.Version)
	}
}

// TestVerdictWindowEdges gives a verdict at the window's edges, with the
// default window and a configured one.
func TestVerdictWindowEdges(t *testing.T) {
	reporter := actors["reporter"]
	for _, window := range []time.Duration{0, 48 * time.Hour} {
		c := testConfig(t)
		c.ReopenWindow = window
		end := resolvedAt.Add(c.ReopenFor())
		for _, a := range []feedback.Action{feedback.ActReopen, feedback.ActSatisfied} {
			for _, tc := range []struct {
				at time.Time
				ok bool
			}{{resolvedAt, true}, {end, true}, {end.Add(time.Nanosecond), false}, {end.Add(24 * time.Hour), false}} {
				_, err := feedback.Decide(c, reportIn(feedback.StatusResolved), feedback.Command{Action: a, Actor: reporter, Reason: "Chưa xong"}, tc.at)
				if tc.ok && err != nil {
					t.Errorf("window %v: %s at %v refused: %v", window, a, tc.at, err)
				}
				if !tc.ok {
					wantError(t, fmt.Sprintf("window %v: %s at %v", window, a, tc.at), err, queue.KindConflict, "verdict_expired")
				}
			}
		}
		if end.Sub(resolvedAt) != map[time.Duration]time.Duration{0: 7 * 24 * time.Hour}[window]+window {
			t.Errorf("window %v: ends %v after resolution", window, end.Sub(resolvedAt))
		}
	}
}

func TestClosesAt(t *testing.T) {
	c := testConfig(t)
	for _, s := range columns {
		r := reportIn(s)
		at, ok := r.ClosesAt(c)
		switch s {
		case feedback.StatusResolved:
			if !ok || !at.Equal(resolvedAt.Add(7*24*time.Hour)) {
				t.Errorf("%s closes %v %v", s, at, ok)
			}
		case feedback.StatusUnfounded, feedback.StatusRefused, feedback.StatusDuplicate:
			if !ok || !at.Equal(r.Closed) || !r.Closes(c, r.Closed) {
				t.Errorf("%s closes %v %v, want when it became so", s, at, ok)
			}
		default:
			if ok || r.Closes(c, eraseNow) || !r.Open() {
				t.Errorf("%s is open: closes %v %v", s, at, ok)
			}
		}
	}
}

func TestOverdue(t *testing.T) {
	for _, s := range columns {
		r := reportIn(s)
		late := r.ResolveDue.Add(time.Hour)
		if got, want := r.Overdue(late), r.Open(); got != want {
			t.Errorf("%s after both deadlines: overdue %v, want %v", s, got, want)
		}
		ackOnly := r.AckDue.Add(time.Hour)
		if got, want := r.Overdue(ackOnly), s == feedback.StatusNew; got != want {
			t.Errorf("%s after the ack deadline only: overdue %v, want %v", s, got, want)
		}
		if r.Overdue(t0) {
			t.Errorf("%s at its creation is overdue", s)
		}
	}
	if (feedback.Report{Status: feedback.StatusNew}).Overdue(eraseNow) {
		t.Error("a report without deadlines is overdue")
	}
}

// TestRandomWalks applies random commands, valid or not, by random
// actors at random times, and checks after each step that the report
// stays one the rules can make.
func TestRandomWalks(t *testing.T) {
	c := testConfig(t)
	rng := rand.New(rand.NewPCG(18, 2026))
	names := make([]string, 0, len(actors))
	for n := range actors {
		names = append(names, n)
	}
	slices.Sort(names)
	units := []string{"tnmt", "qldt", "phuong-dong", "", "ufo"}
	photos := []string{hashA, hashB, hashC, hashD, "bad"}
	steps := 0
	seen := map[string]bool{} // action from status
	for walk := range 1000 {
		r, e, err := feedback.Create(c, validNew(), t0)
		if err != nil {
			t.Fatal(err)
		}
		r = feedback.Apply(feedback.Report{}, e)
		r.Code = "PA-2612-00001"
		at := t0
		for range 60 {
			at = at.Add(time.Duration(rng.IntN(36*60)) * time.Minute)
			if rng.IntN(50) == 0 {
				at = at.Add(400 * 24 * time.Hour) // erasure comes
			}
			action := feedback.Actions[rng.IntN(len(feedback.Actions))]
			// Mostly an actor of a role the grid allows the action.
			actor := actors[names[rng.IntN(len(names))]]
			if rng.IntN(4) > 0 {
				roles := slices.Sorted(maps.Keys(grid[action]))
				actor = feedback.Actor{Role: roles[rng.IntN(len(roles))], ID: "x"}
			}
			if actor.Role == feedback.RoleHandler && rng.IntN(4) > 0 {
				actor.Unit = r.Unit
			}
			cmd := feedback.Command{
				Action: action, Actor: actor,
				Reason: []string{"", "Lý do", "x\x00"}[rng.IntN(3)], Unit: units[rng.IntN(len(units))],
				DuplicateOf: []string{"", "PA-2612-00002", "PA-2612-00001"}[rng.IntN(3)],
				Text:        []string{"", "Trả lời"}[rng.IntN(2)],
				Photos:      photos[:rng.IntN(len(photos))], Photo: photos[rng.IntN(len(photos))],
			}
			e, err := feedback.Decide(c, r, cmd, at)
			if err != nil {
				if k := queue.KindOf(err); k != queue.KindInvalid && k != queue.KindConflict && k != queue.KindForbidden {
					t.Fatalf("walk %d: %s refused with %v (kind %q)", walk, cmd.Action, err, k)
				}
				continue
			}
			steps++
			seen[fmt.Sprint(cmd.Action, " from ", r.Status)] = true
			n := feedback.Apply(r, e)
			checkReport(t, fmt.Sprintf("walk %d after %s", walk, cmd.Action), c, r, n)
			r = n
		}
	}
	// Every transition of the grid was taken (45 pairs of action and
	// status), and many steps.
	if len(seen) != 45 || steps < 4000 {
		t.Errorf("%d steps took %d transitions of the 45: the walks test little: %v", steps, len(seen), seen)
	}
}

// checkReport checks what must hold of every report the rules make.
func checkReport(t *testing.T, what string, c *feedback.Config, before, r feedback.Report) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: "+format+"\n%+v", append([]any{what}, append(args, r)...)...)
	}
	if !slices.Contains(feedback.Statuses, r.Status) {
		fail("status %q is none of the statuses", r.Status)
	}
	if r.Version != before.Version+1 {
		fail("version %d after %d", r.Version, before.Version)
	}
	if _, ok := c.Unit(r.Unit); !ok {
		fail("unit %q is unknown", r.Unit)
	}
	if r.Open() == slices.Contains([]feedback.Status{feedback.StatusResolved, feedback.StatusUnfounded, feedback.StatusRefused, feedback.StatusDuplicate}, r.Status) {
		fail("open %v in status %s", r.Open(), r.Status)
	}
	if !r.Open() && r.Status != feedback.StatusResolved && r.Closed.IsZero() {
		fail("closed as %s without a time", r.Status)
	}
	if r.Status == feedback.StatusResolved && (r.Resolved.IsZero() || r.Answer == "") {
		fail("resolved without a time or an answer")
	}
	if r.Status != feedback.StatusNew && r.Open() && r.Accepted.IsZero() {
		fail("%s but never accepted", r.Status)
	}
	if r.Reopened > 1 || r.MeToo < before.MeToo || r.MeToo > before.MeToo+1 {
		fail("reopened %d times, me too %d after %d", r.Reopened, r.MeToo, before.MeToo)
	}
	if r.Status == feedback.StatusDuplicate && (r.DuplicateOf == "" || r.DuplicateOf == r.Code) {
		fail("duplicate of %q", r.DuplicateOf)
	}
	answers := 0
	for _, p := range r.Photos {
		if !feedback.ValidPhotoHash(p.Hash) {
			fail("photo %q", p.Hash)
		}
		if p.Answer {
			answers++
		}
	}
	if answers > feedback.MaxPhotos || len(r.Photos) < len(before.Photos) {
		fail("%d answer photos, %d photos after %d", answers, len(r.Photos), len(before.Photos))
	}
	if before.Status == feedback.StatusResolved && r.Open() && r.Reopened != before.Reopened+1 {
		fail("reopened without counting it")
	}
	if r.Reporter != before.Reporter && (r.Reporter != feedback.Reporter{} || r.Erased.IsZero()) {
		fail("reporter changed to %+v", r.Reporter)
	}
	p := feedback.Public(r)
	if p.Reporter != (feedback.Reporter{}) || p.TokenHash != nil || slices.ContainsFunc(p.Photos, func(p feedback.Photo) bool { return p.Hidden }) {
		fail("the public report shows %+v", p)
	}
}
