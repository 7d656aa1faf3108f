package dossier_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/queue"
)

// allowed is the table of docs/dossier.md, "Transitions", written out:
// for each action, the roles that may take it and the statuses it is
// taken from ("open" is every open status, "any" every status), and the
// status it leads to ("" keeps it). The manager may do all a handler may.
var allowed = []struct {
	action dossier.Action
	roles  string
	from   string
	to     dossier.Status
}{
	{dossier.ActReceive, "clerk integration", "submitted", dossier.StatusReceived},
	{dossier.ActRefuse, "clerk integration manager", "submitted received", dossier.StatusRefused},
	{dossier.ActProcess, "clerk handler manager integration", "received", dossier.StatusProcessing},
	{dossier.ActTransfer, "handler manager integration", "processing", dossier.StatusProcessing},
	{dossier.ActSupplement, "handler manager integration", "processing", dossier.StatusNeedsSupplement},
	{dossier.ActSupplied, "clerk handler manager integration", "needs_supplement", dossier.StatusProcessing},
	{dossier.ActPayment, "handler manager integration", "processing", dossier.StatusAwaitingPayment},
	{dossier.ActPaid, "clerk handler manager integration", "awaiting_payment", dossier.StatusProcessing},
	{dossier.ActSuspend, "handler manager integration", "processing needs_supplement awaiting_payment", dossier.StatusSuspended},
	{dossier.ActResume, "handler manager integration", "suspended", dossier.StatusProcessing},
	{dossier.ActWithdraw, "clerk manager integration", "open", dossier.StatusWithdrawn},
	{dossier.ActComplete, "handler manager integration", "processing", dossier.StatusCompleted},
	{dossier.ActPickup, "kiosk", "completed", ""},
	{dossier.ActReturn, "clerk manager integration", "completed", dossier.StatusReturned},
	{dossier.ActRate, "applicant", "returned", ""},
	{dossier.ActApologize, "handler manager", "open", ""},
	{dossier.ActNote, "clerk handler manager integration", "any", ""},
}

var open = "submitted received processing needs_supplement awaiting_payment suspended"

// TestTransitions: every action by every role from every status, allowed
// or refused, as the table says; allowed ones lead to the table's status,
// refused ones are forbidden (the role) or a conflict (the status).
func TestTransitions(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2026-12-28 10:00")
	actors := map[dossier.Role]dossier.Actor{
		dossier.RoleClerk: clerk, dossier.RoleHandler: handler, dossier.RoleManager: manager, dossier.RoleIntegration: system,
		dossier.RoleKiosk: kiosk, dossier.RoleApplicant: applicant, dossier.RoleSystem: {Role: dossier.RoleSystem},
	}
	if len(allowed) != len(dossier.Actions) {
		t.Fatalf("the table has %d actions, the domain %d", len(allowed), len(dossier.Actions))
	}
	n := 0
	for _, row := range allowed {
		from := strings.Fields(strings.NewReplacer("open", open, "any", statusList()).Replace(row.from))
		for role, actor := range actors {
			for _, st := range dossier.Statuses {
				n++
				d := inStatus(t, c, st, now)
				cmd := command(row.action, actor, now)
				e, err := dossier.Decide(c, d, cmd, now)
				name := fmt.Sprintf("%s by %s from %s", row.action, role, st)
				roleOK := slices.Contains(strings.Fields(row.roles), string(role))
				statusOK := slices.Contains(from, string(st))
				switch {
				case !roleOK:
					wantCode(t, name, err, queue.KindForbidden, "dossier_forbidden")
				case !statusOK:
					var qe *queue.Error
					if !errors.As(err, &qe) || qe.Kind != queue.KindConflict {
						t.Errorf("%s: %v, want a conflict", name, err)
					} else if !strings.Contains(err.Error(), d.Code) {
						t.Errorf("%s: %q does not name the dossier", name, err)
					} else {
						checkSaid(t, name, qe)
					}
				case err != nil:
					t.Errorf("%s: refused: %v", name, err)
				default:
					want := row.to
					if want == "" {
						want = st
					}
					if e.Status != want || e.Type != dossier.EventType(row.action) || !e.At.Equal(now) || e.Actor != actor || e.Dossier != d.Code {
						t.Errorf("%s: event %+v, want status %s", name, e, want)
					}
					if got := dossier.Apply(d, e); got.Status != want || got.Version != d.Version+1 {
						t.Errorf("%s: applied, status %s version %d", name, got.Status, got.Version)
					}
				}
			}
		}
	}
	if n != 17*7*10 {
		t.Errorf("%d cases", n)
	}
	// Unknown actions are refused before anything else.
	_, err := dossier.Decide(c, inStatus(t, c, dossier.StatusProcessing, now), dossier.Command{Action: "approve", Actor: manager}, now)
	wantCode(t, "unknown action", err, queue.KindInvalid, "unknown_action")
}

func statusList() string {
	var s []string
	for _, st := range dossier.Statuses {
		s = append(s, string(st))
	}
	return strings.Join(s, " ")
}

// inStatus is a permit of department qldt in status st, late at now
// (its due date passed), as far as that status has one.
func inStatus(t *testing.T, c *dossier.Config, st dossier.Status, now time.Time) dossier.Dossier {
	t.Helper()
	d := received(t, c, now.AddDate(0, -2, 0))
	d.Status = st
	d.Department = "qldt"
	d.DueAt = now.AddDate(0, 0, -3)
	d.Version = 4
	if st == dossier.StatusCompleted || st == dossier.StatusReturned {
		d.CompletedAt = now.AddDate(0, 0, -1)
		d.Result = "Đã cấp giấy phép"
	}
	return d
}

// command is a valid command of action by actor at now: what each action
// needs, so that only the role and the status decide.
func command(a dossier.Action, actor dossier.Actor, now time.Time) dossier.Command {
	cmd := dossier.Command{Action: a, Actor: actor, Note: "Ghi chú"}
	switch a {
	case dossier.ActTransfer:
		cmd.Department = "tu-phap"
	case dossier.ActSupplement:
		cmd.What, cmd.By = "Bản vẽ mặt bằng có chữ ký", now.AddDate(0, 0, 10)
	case dossier.ActComplete:
		cmd.Result = "Đã cấp giấy phép xây dựng"
	case dossier.ActPickup:
		cmd.Pickup = &dossier.Pickup{Ticket: "t9", Number: "R004", Day: "2026-12-28"}
	case dossier.ActRate:
		cmd.Rating = &dossier.Rating{Score: 4, Comment: "Nhanh"}
	case dossier.ActApologize:
		cmd.NewDue = now.AddDate(0, 0, 5)
	}
	return cmd
}

// TestDecideRefusals: what each action checks beyond the role and the
// status, and the refusals of a handler of another department.
func TestDecideRefusals(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2026-12-28 10:00")
	processing := inStatus(t, c, dossier.StatusProcessing, now)
	rated := inStatus(t, c, dossier.StatusReturned, now)
	rated.Rating = &dossier.Rating{Score: 3, At: now}
	notLate := processing
	notLate.DueAt = at(t, "2026-12-30 00:00") // due Tuesday; now is Monday
	dueToday := processing
	dueToday.DueAt = at(t, "2026-12-29 00:00")
	stopped := inStatus(t, c, dossier.StatusNeedsSupplement, now)
	stopped.StoppedAt = now.AddDate(0, 0, -5) // stopped before its due date (3 days ago)
	cases := []struct {
		name string
		d    dossier.Dossier
		cmd  dossier.Command
		kind queue.Kind
		code string
	}{
		{"a handler of another department", processing, dossier.Command{Action: dossier.ActComplete, Actor: other, Result: "x"}, queue.KindForbidden, "not_your_department"},
		{"a handler without a department", processing, dossier.Command{Action: dossier.ActNote, Actor: dossier.Actor{Role: dossier.RoleHandler}, Note: "x"}, queue.KindForbidden, "not_your_department"},
		{"transfer to nowhere", processing, dossier.Command{Action: dossier.ActTransfer, Actor: handler}, queue.KindInvalid, "unknown_department"},
		{"transfer to an unknown department", processing, dossier.Command{Action: dossier.ActTransfer, Actor: handler, Department: "cong-an"}, queue.KindInvalid, "unknown_department"},
		{"transfer to the same department", processing, dossier.Command{Action: dossier.ActTransfer, Actor: manager, Department: "qldt"}, queue.KindConflict, "same_department"},
		{"supplement without what", processing, dossier.Command{Action: dossier.ActSupplement, Actor: handler, By: now.AddDate(0, 0, 3)}, queue.KindInvalid, "invalid_supplement"},
		{"supplement without by", processing, dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Bản vẽ"}, queue.KindInvalid, "invalid_supplement"},
		{"supplement by yesterday", processing, dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Bản vẽ", By: now.AddDate(0, 0, -1)}, queue.KindInvalid, "date_in_past"},
		{"complete without a result", processing, dossier.Command{Action: dossier.ActComplete, Actor: handler, Result: "  "}, queue.KindInvalid, "invalid_result"},
		{"suspend without a reason", processing, dossier.Command{Action: dossier.ActSuspend, Actor: handler}, queue.KindInvalid, "invalid_reason"},
		{"withdraw without a reason", processing, dossier.Command{Action: dossier.ActWithdraw, Actor: clerk}, queue.KindInvalid, "invalid_reason"},
		{"a reason with a control character", processing, dossier.Command{Action: dossier.ActWithdraw, Actor: clerk, Note: "rút\x00"}, queue.KindInvalid, "invalid_reason"},
		{"a note too long", processing, dossier.Command{Action: dossier.ActNote, Actor: clerk, Note: strings.Repeat("a", dossier.MaxNote+1)}, queue.KindInvalid, "invalid_note"},
		{"an empty note", processing, dossier.Command{Action: dossier.ActNote, Actor: clerk}, queue.KindInvalid, "invalid_note"},
		{"a pickup without a ticket", inStatus(t, c, dossier.StatusCompleted, now), dossier.Command{Action: dossier.ActPickup, Actor: kiosk}, queue.KindInvalid, "invalid_pickup"},
		{"rate twice", rated, dossier.Command{Action: dossier.ActRate, Actor: applicant, Rating: &dossier.Rating{Score: 4}}, queue.KindConflict, "already_rated"},
		{"rate 5", inStatus(t, c, dossier.StatusReturned, now), dossier.Command{Action: dossier.ActRate, Actor: applicant, Rating: &dossier.Rating{Score: 5}}, queue.KindInvalid, "invalid_rating"},
		{"rate 0", inStatus(t, c, dossier.StatusReturned, now), dossier.Command{Action: dossier.ActRate, Actor: applicant, Rating: &dossier.Rating{}}, queue.KindInvalid, "invalid_rating"},
		{"rate without a rating", inStatus(t, c, dossier.StatusReturned, now), dossier.Command{Action: dossier.ActRate, Actor: applicant}, queue.KindInvalid, "invalid_rating"},
		{"apologise for a dossier not late", notLate, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi", NewDue: now.AddDate(0, 0, 5)}, queue.KindConflict, "not_late"},
		{"apologise while the clock stopped in time", stopped, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi", NewDue: now.AddDate(0, 0, 5)}, queue.KindConflict, "not_late"},
		{"apologise without a text", processing, dossier.Command{Action: dossier.ActApologize, Actor: manager, NewDue: now.AddDate(0, 0, 5)}, queue.KindInvalid, "invalid_apology"},
		{"apologise without a new date", processing, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi"}, queue.KindInvalid, "invalid_apology"},
		{"apologise with a new date in the past", processing, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi", NewDue: now.AddDate(0, 0, -1)}, queue.KindInvalid, "date_in_past"},
		{"apologise, due today, with today as the new date", dueToday, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi", NewDue: now}, queue.KindInvalid, "invalid_apology"},
		{"pickup of a dossier not ready", processing, dossier.Command{Action: dossier.ActPickup, Actor: kiosk, Pickup: &dossier.Pickup{Ticket: "t", Number: "R1"}}, queue.KindConflict, "dossier_not_ready"},
		{"rate before the return", inStatus(t, c, dossier.StatusCompleted, now), dossier.Command{Action: dossier.ActRate, Actor: applicant, Rating: &dossier.Rating{Score: 4}}, queue.KindConflict, "dossier_not_returned"},
	}
	for _, k := range cases {
		before := fmt.Sprintf("%+v", k.d)
		_, err := dossier.Decide(c, k.d, k.cmd, now)
		wantCode(t, k.name, err, k.kind, k.code)
		if after := fmt.Sprintf("%+v", k.d); after != before {
			t.Errorf("%s: the dossier changed", k.name)
		}
	}
	// Due today (its last day has begun): an apology may come now.
	if _, err := dossier.Decide(c, dueToday, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi", NewDue: now.AddDate(0, 0, 3)}, now); err != nil {
		t.Errorf("apology on the due day: %v", err)
	}
}

// TestLife: a permit from the counter to the rating, with the history's
// step deadlines, the apology of a late dossier and the pickup.
func TestLife(t *testing.T) {
	c := testConfig(t)
	mon := at(t, "2026-12-07 09:30")
	d := received(t, c, mon)
	if d.Status != dossier.StatusReceived || local(d.DueAt) != "2026-12-29 00:00" || !d.OriginalDue.Equal(d.DueAt) || d.Version != 1 {
		t.Fatalf("received: %+v", d)
	}
	// Due Monday 28 December: the department's step ends the Friday before.
	d, e := step(t, c, d, dossier.Command{Action: dossier.ActProcess, Actor: clerk}, mon)
	if d.Department != "qldt" || local(e.StepDue) != "2026-12-26 00:00" || d.Version != 2 {
		t.Errorf("process: department %s, step due %s", d.Department, local(e.StepDue))
	}
	d, e = step(t, c, d, dossier.Command{Action: dossier.ActTransfer, Actor: handler, Department: "tu-phap", Note: "Cần thẩm định"}, at(t, "2026-12-08 10:00"))
	if d.Department != "tu-phap" || e.Note != "Cần thẩm định" || local(e.StepDue) != "2026-12-26 00:00" {
		t.Errorf("transfer: %s, %q, step due %s", d.Department, e.Note, local(e.StepDue))
	}
	// The handler of qldt no longer has it.
	if _, err := dossier.Decide(c, d, dossier.Command{Action: dossier.ActNote, Actor: handler, Note: "x"}, mon); err == nil {
		t.Error("qldt's handler acted on tu-phap's dossier")
	}
	d, e = step(t, c, d, dossier.Command{Action: dossier.ActSupplement, Actor: other, What: "Bản sao sổ đỏ", By: at(t, "2026-12-11 00:00")}, at(t, "2026-12-09 10:00"))
	if d.Supplement == nil || d.Supplement.What != "Bản sao sổ đỏ" || local(d.Supplement.By) != "2026-12-12 00:00" || !e.StepDue.Equal(d.Supplement.By) || d.StoppedAt.IsZero() {
		t.Errorf("supplement: %+v, step due %s", d.Supplement, local(e.StepDue))
	}
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActSupplied, Actor: clerk}, at(t, "2026-12-11 15:00")) // Thu, Fri: 2 days
	if local(d.DueAt) != "2026-12-31 00:00" || d.StoppedDays != 2 {
		t.Errorf("supplied: due %s, %d days", local(d.DueAt), d.StoppedDays)
	}
	// Late on 31 December: the apology moves the date.
	late := at(t, "2026-12-31 08:00")
	if !d.Late(late) || d.Late(at(t, "2026-12-30 23:59")) {
		t.Errorf("late at %s: %v", local(late), d.Late(late))
	}
	d, e = step(t, c, d, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Hồ sơ cần thêm thời gian thẩm định.", NewDue: at(t, "2027-01-05 00:00")}, late)
	if d.Apology == nil || local(d.DueAt) != "2027-01-06 00:00" || local(d.OriginalDue) != "2026-12-29 00:00" || d.Late(late) || d.Apology.By != manager.Name {
		t.Errorf("apology: %+v, due %s", d.Apology, local(d.DueAt))
	}
	d, e = step(t, c, d, dossier.Command{Action: dossier.ActComplete, Actor: other, Result: "Đã cấp giấy phép số 12/GPXD"}, at(t, "2027-01-04 14:00"))
	if d.Status != dossier.StatusCompleted || d.Result != "Đã cấp giấy phép số 12/GPXD" || !d.CompletedAt.Equal(at(t, "2027-01-04 14:00")) || !e.StepDue.IsZero() {
		t.Errorf("complete: %+v", d)
	}
	if d.Late(late) {
		t.Error("completed before the apology's new date: late")
	}
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActPickup, Actor: kiosk, Pickup: &dossier.Pickup{Ticket: "t9", Number: "R004", Day: "2027-01-05"}}, at(t, "2027-01-05 08:00"))
	if d.Pickup == nil || d.Pickup.Number != "R004" || !d.Pickup.At.Equal(at(t, "2027-01-05 08:00")) || d.Status != dossier.StatusCompleted {
		t.Errorf("pickup: %+v", d.Pickup)
	}
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActReturn, Actor: clerk}, at(t, "2027-01-05 08:10"))
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActRate, Actor: applicant, Rating: &dossier.Rating{Score: 4, Comment: " Cảm ơn "}}, at(t, "2027-01-05 09:00"))
	if d.Status != dossier.StatusReturned || d.Rating == nil || d.Rating.Score != 4 || d.Rating.Comment != "Cảm ơn" || d.ReturnedAt.IsZero() || d.Version != 10 {
		t.Errorf("returned and rated: %+v", d)
	}
	if c.Outcome(d) != dossier.OutcomeLate {
		t.Errorf("a dossier with an apology: outcome %q", c.Outcome(d))
	}
}

// TestSameDayStep: a same-day dossier's department step is due with the
// dossier itself (no working day before it is left).
func TestSameDayStep(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2026-12-07 09:00")
	d, _, err := dossier.Create(c, dossier.NewDossier{Procedure: "CT-01", Applicant: dossier.Applicant{Name: "Lý Thu"}, Papers: []string{"ban-chinh"}}, clerk, now)
	if err != nil {
		t.Fatal(err)
	}
	_, e := step(t, c, d, dossier.Command{Action: dossier.ActProcess, Actor: clerk}, now)
	if !e.StepDue.Equal(d.DueAt) || local(e.StepDue) != "2026-12-08 00:00" {
		t.Errorf("step due %s, dossier due %s", local(e.StepDue), local(d.DueAt))
	}
}
