package feedback_test

import (
	"reflect"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/feedback/feedbacktest"
)

var ict = time.FixedZone("ICT", 7*3600)

// TestStatsSeed: the 1,756 reports of the seed show exactly the seed's
// figures: its total, its counts by category, 54 unfounded, 19 months.
func TestStatsSeed(t *testing.T) {
	cfg := feedbacktest.Config(ict)
	reports := feedbacktest.SeedReports(cfg)
	now := time.Date(2021, 1, 4, 9, 0, 0, 0, ict)
	f := feedback.Stats(cfg, reports, now)

	if f.Total != 1756 {
		t.Errorf("total %d, want 1756", f.Total)
	}
	want := []feedback.Count{
		{Key: "xay-dung", N: 593}, {Key: "do-thi", N: 435}, {Key: "moi-truong", N: 326}, {Key: "giao-thong", N: 229},
		{Key: "van-hoa", N: 108}, {Key: "rung", N: 20}, {Key: "thuc-pham", N: 28}, {Key: "gia-ca", N: 11},
		{Key: "thu-tuc", N: 0}, {Key: "khac", N: 6},
	}
	if !reflect.DeepEqual(f.ByCategory, want) {
		t.Errorf("by category %v,\nwant %v", f.ByCategory, want)
	}
	if f.Unfounded != 54 || f.UnfoundedShare != 54.0/1756 {
		t.Errorf("unfounded %d (%v), want 54", f.Unfounded, f.UnfoundedShare)
	}
	if len(f.ByMonth) != 19 || f.ByMonth[0].Key != "2019-06" || f.ByMonth[18].Key != "2020-12" {
		t.Fatalf("months %v", f.ByMonth)
	}
	sum := 0
	for _, m := range f.ByMonth {
		sum += m.N
		if m.N != 92 && m.N != 93 { // 1,756 / 19 = 92.4: spread evenly
			t.Errorf("month %s has %d reports", m.Key, m.N)
		}
	}
	if sum != 1756 {
		t.Errorf("months sum to %d", sum)
	}
	byStatus := map[feedback.Status]int{}
	sum = 0
	for _, s := range f.ByStatus {
		byStatus[feedback.Status(s.Key)] = s.N
		sum += s.N
	}
	if sum != 1756 || byStatus[feedback.StatusUnfounded] != 54 || byStatus[feedback.StatusRefused] != 25 || byStatus[feedback.StatusDuplicate] != 15 ||
		byStatus[feedback.StatusResolved] != 1756-54-25-15-30 || f.Open != 30 || f.Closed != 1726 || f.Resolved != 1632 {
		t.Errorf("statuses %v, open %d, closed %d, resolved %d", f.ByStatus, f.Open, f.Closed, f.Resolved)
	}
	// Every report is a unit's; construction and urban order located in
	// a ward went to the ward; those with an address only have no ward.
	sum = 0
	for _, u := range f.ByUnit {
		sum += u.N
	}
	wards := 0
	for _, w := range f.ByWard {
		wards += w.N
	}
	if sum != 1756 || wards+f.NoWard != 1756 || f.NoWard != 439 || len(f.ByWard) != 3 {
		t.Errorf("units %v (%d), wards %v + %d without", f.ByUnit, sum, f.ByWard, f.NoWard)
	}
	// The rates are what the seed's durations make them; they must be
	// neither empty nor perfect for the charts to mean something.
	for name, r := range map[string]float64{"on time": f.OnTimeRate, "acknowledged on time": f.AckOnTimeRate, "satisfied": f.SatisfiedShare, "satisfied of resolved": f.SatisfiedOfResolved} {
		if r <= 0.2 || r >= 1 {
			t.Errorf("%s rate %v", name, r)
		}
	}
	if f.MedianDaysToResolve < 3 || f.MedianDaysToResolve > 12 || f.Overdue == 0 || f.Overdue > f.Open {
		t.Errorf("median %v days, overdue %d", f.MedianDaysToResolve, f.Overdue)
	}
	t.Logf("on time %d/%d, acknowledged on time %d/%d, median %.2f days, satisfied %d of %d verdicts, overdue %d",
		f.OnTime, f.Closed, f.AckOnTime, f.Acknowledged, f.MedianDaysToResolve, f.Satisfied, f.Verdicts, f.Overdue)
	// Deterministic: the same call, the same reports and figures.
	if again := feedbacktest.SeedReports(cfg); !reflect.DeepEqual(again, reports) {
		t.Error("SeedReports is not deterministic")
	}
	if again := feedback.Stats(cfg, reports, now); !reflect.DeepEqual(again, f) {
		t.Error("Stats is not deterministic")
	}
	codes := map[string]bool{}
	for _, r := range reports {
		if codes[r.Code] || !feedback.ValidCode(r.Code) {
			t.Fatalf("code %q repeated or not valid", r.Code)
		}
		codes[r.Code] = true
	}
}

// day is a time on day d of December 2026 (a Tuesday the 1st) at hour h,
// office time.
func day(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, ict) }

// TestStatsRates checks the rates, shares and the median on reports
// small enough to count by hand.
func TestStatsRates(t *testing.T) {
	cfg := &feedback.Config{
		Categories: []feedback.Category{{ID: "a", Unit: "u1"}, {ID: "b", Unit: "u2"}},
		Units:      []feedback.Unit{{ID: "u2", Kind: feedback.UnitDepartment}, {ID: "u1", Kind: feedback.UnitDepartment}, {ID: "w1", Kind: feedback.UnitWard}},
		Calendar:   feedback.Calendar{Location: ict},
	}
	// Deadlines: acknowledge by the 2nd 24:00 (= the 3rd 00:00), resolve
	// by the 10th 24:00.
	base := func(cat string, st feedback.Status) feedback.Report {
		return feedback.Report{Category: cat, Unit: "u1", Status: st, Created: day(1, 9), AckDue: day(3, 0), ResolveDue: day(11, 0)}
	}
	resolved := func(days int, accepted time.Time, v feedback.Verdict) feedback.Report {
		r := base("a", feedback.StatusResolved)
		r.Accepted, r.Resolved, r.Verdict = accepted, r.Created.Add(time.Duration(days)*24*time.Hour), v
		return r
	}
	reports := []feedback.Report{
		resolved(1, day(1, 10), feedback.VerdictSatisfied), // on time, acknowledged on time
		resolved(3, day(2, 23), feedback.VerdictNone),      // on time, acknowledged on time (an hour before)
		resolved(9, day(3, 0), feedback.VerdictSatisfied),  // on time (the 10th 09:00), acknowledged at the deadline: late
		resolved(10, day(4, 8), feedback.VerdictNone),      // the 11th 09:00: late, acknowledged late
	}
	unfounded := base("b", feedback.StatusUnfounded) // closed on time, acknowledged on time
	unfounded.Unit, unfounded.Accepted, unfounded.Closed = "u2", day(1, 12), day(5, 10)
	refused := base("b", feedback.StatusRefused) // closed without acceptance, at the resolve deadline: late both ways
	refused.Closed = day(11, 0)
	duplicate := base("zz", feedback.StatusDuplicate) // an unknown category; closed early, unacknowledged before: its closing acknowledges it
	duplicate.Closed, duplicate.Place.Ward = day(1, 11), "w1"
	fresh := base("a", feedback.StatusNew) // open, past both deadlines at now: overdue, not acknowledged
	reopened := base("a", feedback.StatusAssigned)
	reopened.Accepted, reopened.Verdict, reopened.ResolveDue = day(1, 10), feedback.VerdictReopened, day(20, 0) // open, not overdue
	reopened.Created = time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)                                           // the 1st 03:00 office time: December
	reports = append(reports, unfounded, refused, duplicate, fresh, reopened)
	early := base("a", feedback.StatusResolved) // October: November has no report
	early.Created, early.Accepted, early.Resolved, early.AckDue, early.ResolveDue = time.Date(2026, 10, 5, 9, 0, 0, 0, ict), time.Date(2026, 10, 5, 10, 0, 0, 0, ict), time.Date(2026, 10, 7, 9, 0, 0, 0, ict), time.Date(2026, 10, 7, 0, 0, 0, 0, ict), time.Date(2026, 10, 20, 0, 0, 0, 0, ict)
	reports = append(reports, early) // resolved in 2 days, on time both ways

	f := feedback.Stats(cfg, reports, day(12, 9))
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("total", f.Total, 10)
	check("closed", f.Closed, 8)
	check("on time", f.OnTime, 6) // resolved 1, 3, 9 and 2 days; unfounded; duplicate
	check("on-time rate", f.OnTimeRate, 6.0/8)
	check("acknowledged", f.Acknowledged, 9)
	check("acknowledged on time", f.AckOnTime, 6) // resolved 1, 3, early; unfounded; duplicate; reopened
	check("acknowledged-on-time rate", f.AckOnTimeRate, 6.0/9)
	check("resolved", f.Resolved, 5)
	check("median days (1, 2, 3, 9, 10)", f.MedianDaysToResolve, 3.0)
	check("unfounded", [2]any{f.Unfounded, f.UnfoundedShare}, [2]any{1, 0.1})
	check("verdicts", [2]int{f.Verdicts, f.Satisfied}, [2]int{3, 2})
	check("satisfied share", f.SatisfiedShare, 2.0/3)
	check("satisfied of resolved", f.SatisfiedOfResolved, 2.0/5)
	check("open, overdue", [2]int{f.Open, f.Overdue}, [2]int{2, 1})
	check("by category", f.ByCategory, []feedback.Count{{Key: "a", N: 7}, {Key: "b", N: 2}, {Key: "zz", N: 1}})
	check("by unit (the configuration's order)", f.ByUnit, []feedback.Count{{Key: "u2", N: 1}, {Key: "u1", N: 9}})
	check("by ward", [2]any{f.ByWard, f.NoWard}, [2]any{[]feedback.Count{{Key: "w1", N: 1}}, 9})
	check("by month (office time, gaps kept)", f.ByMonth, []feedback.Count{{Key: "2026-10", N: 1}, {Key: "2026-11", N: 0}, {Key: "2026-12", N: 9}})
	check("by status", f.ByStatus, []feedback.Count{{Key: "new", N: 1}, {Key: "accepted", N: 0}, {Key: "assigned", N: 1}, {Key: "in_progress", N: 0},
		{Key: "resolved", N: 5}, {Key: "unfounded", N: 1}, {Key: "refused", N: 1}, {Key: "duplicate", N: 1}})

	// An even count of resolved reports: the mean of the two middle.
	f = feedback.Stats(cfg, reports[:4], day(12, 9))
	check("median days (1, 3, 9, 10)", f.MedianDaysToResolve, 6.0)
	f = feedback.Stats(cfg, reports[:1], day(12, 9))
	check("median days (1)", f.MedianDaysToResolve, 1.0)

	// Nothing: zeros, no division by zero, every category and status listed.
	f = feedback.Stats(cfg, nil, day(12, 9))
	check("empty", [6]float64{f.OnTimeRate, f.AckOnTimeRate, f.MedianDaysToResolve, f.UnfoundedShare, f.SatisfiedShare, f.SatisfiedOfResolved}, [6]float64{})
	check("empty categories", f.ByCategory, []feedback.Count{{Key: "a"}, {Key: "b"}})
	check("empty months", len(f.ByMonth), 0)
	check("empty statuses", len(f.ByStatus), len(feedback.Statuses))
}
