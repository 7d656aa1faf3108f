package feedback_test

import (
	"testing"

	"luot/server/feedback"
	"luot/server/notify"
)

// TestNotices: every allowed action from every status (the grid): a
// change of status is told with the new status, unless the reporter made
// it (a reopening); nothing else is told.
func TestNotices(t *testing.T) {
	c := testConfig(t)
	byRole := map[feedback.Role]feedback.Actor{}
	for _, a := range actors {
		if a.Role == feedback.RoleHandler && a.Unit != "tnmt" {
			continue
		}
		byRole[a.Role] = a
	}
	told := map[feedback.Status]int{}
	for _, a := range feedback.Actions {
		for role, from := range grid[a] {
			for _, s := range columns {
				if !allowedFrom(from, s) {
					continue
				}
				at := now
				if a == feedback.ActErase {
					at = eraseNow
				}
				r := reportIn(s)
				e, err := feedback.Decide(c, r, command(a, byRole[role]), at)
				if err != nil {
					t.Fatalf("%s by %s from %s: %v", a, role, s, err)
				}
				e.Seq = 77
				next := feedback.Apply(r, e)
				ns := feedback.Notices(r, next, e)
				wantTold := next.Status != s && role != feedback.RoleReporter
				if !wantTold {
					if len(ns) != 0 {
						t.Errorf("%s by %s from %s tells %+v, want nothing", a, role, s, ns)
					}
					continue
				}
				if len(ns) != 1 {
					t.Errorf("%s by %s from %s tells %d notices, want one", a, role, s, len(ns))
					continue
				}
				n := ns[0]
				told[next.Status]++
				if n.Kind != notify.ReportStatus || n.Key != "report/PA-2612-00001/event/77" || !n.At.Equal(at) || n.Phone != "" ||
					n.Item != (notify.Item{Type: notify.ItemReport, ID: "PA-2612-00001", Office: "demo"}) ||
					n.Params["code"] != "PA-2612-00001" || n.Params["status"] != string(next.Status) || len(n.Params) != 2 {
					t.Errorf("%s by %s from %s: %+v", a, role, s, n)
				}
			}
		}
	}
	// Every status but new is reached by staff and told.
	for _, s := range columns[1:] {
		if told[s] == 0 {
			t.Errorf("a change to %s was never told (told: %v)", s, told)
		}
	}
	// A new report tells nothing: its reporter has just made it.
	r, e, err := feedback.Create(c, validNew(), t0)
	if err != nil {
		t.Fatal(err)
	}
	r.Code, e.Seq = "PA-2612-00003", 1
	if ns := feedback.Notices(feedback.Report{}, r, e); len(ns) != 0 {
		t.Errorf("a new report tells %+v", ns)
	}
	// Said to the reporter in both languages.
	accepted := reportIn(feedback.StatusAccepted)
	ns := feedback.Notices(reportIn(feedback.StatusNew), accepted, feedback.Event{Seq: 5, Status: feedback.StatusAccepted, Actor: actors["moderator"]})
	if len(ns) != 1 {
		t.Fatalf("accepted: %+v", ns)
	}
	for lang, want := range map[string]string{"vi": "Phản ánh PA-2612-00001: Đã tiếp nhận.", "en": "Report PA-2612-00001: Accepted."} {
		if _, body := notify.Render(ns[0], lang); body != want {
			t.Errorf("accepted in %s: %q, want %q", lang, body, want)
		}
	}
}
