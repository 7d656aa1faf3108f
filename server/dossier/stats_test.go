package dossier_test

import (
	"math"
	"testing"
	"time"

	"luot/server/dossier"
)

// TestFigures: early, on time and late; open and open late; refused and
// withdrawn; averages in working days; the months and the late list.
func TestFigures(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2027-01-20 10:00")
	mk := func(code, proc, dept string, st dossier.Status, recv, due, done string) dossier.Dossier {
		p, _ := c.Procedure(proc)
		d := dossier.Dossier{Code: code, Procedure: proc, Field: p.Field, Department: dept, Status: st, ReceivedAt: at(t, recv), DueAt: at(t, due)}
		d.OriginalDue = d.DueAt
		if done != "" {
			d.CompletedAt = at(t, done)
		}
		return d
	}
	apologised := mk("TP-261201-0005", "XD-01", "qldt", dossier.StatusReturned, "2026-12-01 09:00", "2027-01-05 00:00", "2027-01-04 10:00")
	apologised.OriginalDue = at(t, "2026-12-23 00:00")
	apologised.Apology = &dossier.Apology{NewDue: apologised.DueAt, Text: "Xin lỗi"}
	ds := []dossier.Dossier{
		// Received Monday 7 December 08:00, completed Wednesday 9 at 08:00: two working days, early.
		mk("TP-261207-0001", "XD-01", "qldt", dossier.StatusCompleted, "2026-12-07 08:00", "2026-12-29 00:00", "2026-12-09 08:00"),
		// Completed on its due day: on time. Friday 12:00 to Monday 12:00 is one working day.
		mk("TP-261211-0001", "CT-01", "tu-phap", dossier.StatusReturned, "2026-12-11 12:00", "2026-12-15 00:00", "2026-12-14 12:00"),
		// Completed after its due date: late by a day.
		mk("TP-261207-0002", "XD-01", "qldt", dossier.StatusCompleted, "2026-12-07 08:00", "2026-12-29 00:00", "2026-12-29 10:00"),
		apologised,
		// Open, late now; open, not late.
		mk("TP-270104-0001", "XD-01", "qldt", dossier.StatusProcessing, "2027-01-04 08:00", "2027-01-15 00:00", ""),
		mk("TP-270118-0001", "XD-01", "qldt", dossier.StatusNeedsSupplement, "2027-01-18 08:00", "2027-02-20 00:00", ""),
		mk("TP-270119-0001", "CT-01", "tu-phap", dossier.StatusRefused, "2027-01-19 08:00", "2027-01-20 00:00", ""),
		mk("TP-270119-0002", "CT-01", "tu-phap", dossier.StatusWithdrawn, "2027-01-19 09:00", "2027-01-20 00:00", ""),
	}
	s := dossier.Figures(c, ds, now)
	a := s.All
	if a.Total != 8 || a.Done != 4 || a.Early != 1 || a.OnTime != 1 || a.Late != 2 || a.Open != 2 || a.OpenLate != 1 || a.Refused != 1 || a.Withdrawn != 1 {
		t.Errorf("all: %+v", a)
	}
	if a.OnTimeRate != 0.5 {
		t.Errorf("on-time rate %v", a.OnTimeRate)
	}
	// 2 + 1 + 16 days and 2 hours (7 Dec 08:00 → 29 Dec 10:00) + the
	// apologised one's, averaged.
	daysLate := 16 + 2.0/24
	// 1 Dec 09:00 → 4 Jan 10:00: 15 hours of Tuesday 1, 23 working days
	// (1 January is no holiday in this calendar), 10 hours of Monday 4.
	daysApology := 15.0/24 + 23 + 10.0/24
	want := (2 + 1 + daysLate + daysApology) / 4
	if math.Abs(a.AvgDays-want) > 1e-9 {
		t.Errorf("average days %v, want %v", a.AvgDays, want)
	}
	if len(s.ByProcedure) != 4 || s.ByProcedure[0].Key != "XD-01" || s.ByProcedure[0].Total != 5 || s.ByProcedure[1].Key != "CT-01" || s.ByProcedure[1].Total != 3 ||
		s.ByProcedure[2].Total != 0 || s.ByProcedure[3].Key != "XD-02" {
		t.Errorf("by procedure %+v", s.ByProcedure)
	}
	if len(s.ByField) != 2 || s.ByField[0].Key != "xay-dung" || s.ByField[0].Late != 2 || s.ByField[1].OnTime != 1 {
		t.Errorf("by field %+v", s.ByField)
	}
	if len(s.ByDepartment) != 2 || s.ByDepartment[0].Key != "qldt" || s.ByDepartment[0].OpenLate != 1 || s.ByDepartment[1].Refused != 1 {
		t.Errorf("by department %+v", s.ByDepartment)
	}
	if len(s.ByMonth) != 2 || s.ByMonth[0].Key != "2026-12" || s.ByMonth[0].Total != 4 || s.ByMonth[1].Key != "2027-01" || s.ByMonth[1].Total != 4 {
		t.Errorf("by month %+v", s.ByMonth)
	}
	// The late list: the apologised one (due 22 Dec; 23 Dec → 4 Jan 10:00:
	// 8 working days and some hours, 9), the open one
	// (15 Jan → 20 Jan 10:00: 3 days and some hours, 4), the late one (a day).
	if len(s.Late) != 3 {
		t.Fatalf("late list %+v", s.Late)
	}
	for i, w := range []struct {
		code string
		days int
	}{{"TP-261201-0005", 9}, {"TP-270104-0001", 4}, {"TP-261207-0002", 1}} {
		if l := s.Late[i]; l.Code != w.code || l.DaysLate != w.days {
			t.Errorf("late[%d] = %+v, want %s, %d days", i, l, w.code, w.days)
		}
	}
	if l := s.Late[0]; !l.DueAt.Equal(apologised.OriginalDue) || !l.NewDue.Equal(apologised.DueAt) {
		t.Errorf("the apologised one's dates: %+v", l)
	}

	// Nothing: zeros, every configured key listed, no months.
	s = dossier.Figures(c, nil, now)
	if s.All.Total != 0 || s.All.OnTimeRate != 0 || len(s.ByProcedure) != 4 || len(s.ByMonth) != 0 || s.Late == nil {
		t.Errorf("empty: %+v", s)
	}
}

func TestOutcome(t *testing.T) {
	c := testConfig(t)
	due := at(t, "2026-12-15 00:00") // Monday 14
	for _, k := range []struct {
		done string
		want dossier.Outcome
	}{
		{"2026-12-13 23:59", dossier.OutcomeEarly},
		{"2026-12-14 00:00", dossier.OutcomeOnTime},
		{"2026-12-14 23:59", dossier.OutcomeOnTime},
		{"2026-12-15 00:00", dossier.OutcomeLate},
	} {
		d := dossier.Dossier{Status: dossier.StatusCompleted, DueAt: due, CompletedAt: at(t, k.done)}
		if got := c.Outcome(d); got != k.want {
			t.Errorf("completed %s: %q, want %q", k.done, got, k.want)
		}
	}
	if got := c.Outcome(dossier.Dossier{Status: dossier.StatusProcessing, DueAt: due}); got != dossier.OutcomeNone {
		t.Errorf("open: %q", got)
	}
}

func TestLate(t *testing.T) {
	due := at(t, "2026-12-15 00:00")
	now := at(t, "2026-12-16 10:00")
	for _, k := range []struct {
		name string
		d    dossier.Dossier
		want bool
	}{
		{"processing, past due", dossier.Dossier{Status: dossier.StatusProcessing, DueAt: due}, true},
		{"processing, due later", dossier.Dossier{Status: dossier.StatusProcessing, DueAt: now.Add(time.Hour)}, false},
		{"processing, at the due instant", dossier.Dossier{Status: dossier.StatusProcessing, DueAt: now}, true},
		{"suspended, past due", dossier.Dossier{Status: dossier.StatusSuspended, DueAt: due}, true},
		{"waiting, clock stopped before the due date", dossier.Dossier{Status: dossier.StatusNeedsSupplement, DueAt: due, StoppedAt: due.Add(-time.Hour)}, false},
		{"waiting, clock stopped after it", dossier.Dossier{Status: dossier.StatusAwaitingPayment, DueAt: due, StoppedAt: due.Add(time.Hour)}, true},
		{"submitted, no due date", dossier.Dossier{Status: dossier.StatusSubmitted}, false},
		{"refused, past a due date", dossier.Dossier{Status: dossier.StatusRefused, DueAt: due}, false},
		{"withdrawn, past a due date", dossier.Dossier{Status: dossier.StatusWithdrawn, DueAt: due}, false},
		{"completed in time", dossier.Dossier{Status: dossier.StatusCompleted, DueAt: due, CompletedAt: due.Add(-time.Second)}, false},
		{"completed late", dossier.Dossier{Status: dossier.StatusCompleted, DueAt: due, CompletedAt: due}, true},
		{"returned, completed late", dossier.Dossier{Status: dossier.StatusReturned, DueAt: due, CompletedAt: due.Add(time.Hour)}, true},
	} {
		if got := k.d.Late(now); got != k.want {
			t.Errorf("%s: Late = %v, want %v", k.name, got, k.want)
		}
	}
}

// TestFiguresWithoutReceipt: an imported dossier completed without a
// time of receipt counts as done but not in the average.
func TestFiguresWithoutReceipt(t *testing.T) {
	c := testConfig(t)
	ds := []dossier.Dossier{
		{Code: "TP-261207-0001", Procedure: "CT-01", Status: dossier.StatusReturned, SubmittedAt: at(t, "2026-12-07 08:00"), DueAt: at(t, "2026-12-08 00:00"), CompletedAt: at(t, "2026-12-07 10:00")},
		{Code: "TP-261207-0002", Procedure: "CT-01", Status: dossier.StatusCompleted, ReceivedAt: at(t, "2026-12-07 08:00"), DueAt: at(t, "2026-12-08 00:00"), CompletedAt: at(t, "2026-12-07 14:00")},
	}
	s := dossier.Figures(c, ds, at(t, "2026-12-08 09:00"))
	if s.All.Done != 2 || s.All.OnTime != 2 || math.Abs(s.All.AvgDays-0.25) > 1e-9 {
		t.Errorf("all %+v, want 2 done on time in a quarter of a day on average", s.All)
	}
}
