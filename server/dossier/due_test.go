package dossier_test

import (
	"testing"

	"luot/server/dossier"
)

// TestDue: due dates on the office's calendar, the same-day cut-off
// included.
func TestDue(t *testing.T) {
	c := testConfig(t)
	permit, _ := c.Procedure("XD-01")
	copyCert, _ := c.Procedure("CT-01")
	signature, _ := c.Procedure("CT-02") // its own cut-off, 11:00
	adjust, _ := c.Procedure("XD-02")
	ten := permit
	ten.Days = 10
	one := permit
	one.Days = 1
	cases := []struct {
		name string
		p    dossier.Procedure
		from string
		want string // the local instant the dossier is due: 24:00 of its last day
	}{
		{"same day, Monday morning: that evening", copyCert, "2026-12-07 09:00", "2026-12-08 00:00"},
		{"same day, 14:59: that evening", copyCert, "2026-12-07 14:59", "2026-12-08 00:00"},
		{"same day, 15:00 is past the cut-off: Tuesday", copyCert, "2026-12-07 15:00", "2026-12-09 00:00"},
		{"same day, Friday 16:00: Monday", copyCert, "2026-12-04 16:00", "2026-12-08 00:00"},
		{"same day, Friday 10:00: Friday", copyCert, "2026-12-04 10:00", "2026-12-05 00:00"},
		{"same day, Saturday morning: Monday", copyCert, "2026-12-05 08:00", "2026-12-08 00:00"},
		{"same day, Sunday: Monday", copyCert, "2026-12-06 08:00", "2026-12-08 00:00"},
		{"same day, the procedure's own cut-off 11:00", signature, "2026-12-07 11:30", "2026-12-09 00:00"},
		{"same day, before its own cut-off", signature, "2026-12-07 10:59", "2026-12-08 00:00"},
		{"same day, on Quốc khánh (a holiday)", copyCert, "2026-09-02 09:00", "2026-09-04 00:00"},
		{"same day, Monday 31 August after the cut-off: over the holidays of 1–2 September", copyCert, "2026-08-31 16:00", "2026-09-04 00:00"},
		{"one day, Friday: Monday", one, "2026-12-04 09:00", "2026-12-08 00:00"},
		{"ten days over two weekends", adjust, "2026-12-07 10:00", "2026-12-22 00:00"},
		{"ten days, received Saturday: counted from Monday", ten, "2026-12-05 09:00", "2026-12-19 00:00"},
		{"ten days over the holidays of 1–2 September", ten, "2026-08-28 10:00", "2026-09-16 00:00"},
		{"ten days over Tết, holidays spanning a weekend", ten, "2027-02-03 10:00", "2027-02-27 00:00"},
		{"15-day permit received before Tết", permit, "2027-02-03 15:00", "2027-03-06 00:00"},
		{"15-day permit received the last day before Tết, after hours", permit, "2027-02-03 23:30", "2027-03-06 00:00"},
		{"15-day permit received a month before Tết", permit, "2027-01-04 08:00", "2027-01-26 00:00"},
		{"15-day permit received on a Tết holiday", permit, "2027-02-09 09:00", "2027-03-06 00:00"},
	}
	for _, k := range cases {
		if got := local(c.Due(k.p, at(t, k.from))); got != k.want {
			t.Errorf("%s: Due(%s, %s) = %s, want %s", k.name, k.p.Code, k.from, got, k.want)
		}
	}
}

// TestClockStops: waiting for supplements or payment stops the clock
// when the procedure says so; the due date moves by the working days it
// stood still.
func TestClockStops(t *testing.T) {
	c := testConfig(t)
	type wait struct {
		stop, resume string
	}
	cases := []struct {
		name      string
		procedure string
		action    dossier.Action // supplement or payment
		w         wait
		moved     int // working days the due date moves
	}{
		{"supplement, Monday to Thursday: three days", "XD-01", dossier.ActSupplement, wait{"2026-12-14 10:00", "2026-12-17 09:00"}, 3},
		{"supplement, stopped and resumed the same day: nothing", "XD-01", dossier.ActSupplement, wait{"2026-12-14 10:00", "2026-12-14 16:00"}, 0},
		{"supplement, Friday to Monday: one day", "XD-01", dossier.ActSupplement, wait{"2026-12-11 10:00", "2026-12-14 09:00"}, 1},
		{"supplement, Wednesday to the next Wednesday: five days", "XD-01", dossier.ActSupplement, wait{"2026-12-09 10:00", "2026-12-16 09:00"}, 5},
		{"payment stops too", "XD-01", dossier.ActPayment, wait{"2026-12-14 10:00", "2026-12-17 09:00"}, 3},
		{"a procedure whose clock runs on through supplements", "XD-02", dossier.ActSupplement, wait{"2026-12-14 10:00", "2026-12-17 09:00"}, 0},
		{"a procedure whose clock runs on through payment", "XD-02", dossier.ActPayment, wait{"2026-12-14 10:00", "2026-12-17 09:00"}, 0},
	}
	for _, k := range cases {
		d, _, err := dossier.Create(c, dossier.NewDossier{Procedure: k.procedure, Applicant: dossier.Applicant{Name: "Nguyễn Văn An"}, Papers: papersOf(c, k.procedure)}, clerk, at(t, "2026-12-07 09:00"))
		if err != nil {
			t.Fatal(err)
		}
		d, _ = step(t, c, d, dossier.Command{Action: dossier.ActProcess, Actor: clerk}, at(t, "2026-12-07 09:00"))
		due := d.DueAt
		cmd := dossier.Command{Action: k.action, Actor: handler, What: "Bản vẽ có chữ ký", By: at(t, "2026-12-31 00:00")}
		d, _ = step(t, c, d, cmd, at(t, k.w.stop))
		if stopped := !d.StoppedAt.IsZero(); stopped != (k.moved > 0 || k.procedure == "XD-01") {
			t.Errorf("%s: clock stopped %v", k.name, stopped)
		}
		if d.Late(at(t, "2027-06-01 00:00")) && k.procedure == "XD-01" {
			t.Errorf("%s: late while its clock stands still", k.name)
		}
		back := dossier.ActSupplied
		if k.action == dossier.ActPayment {
			back = dossier.ActPaid
		}
		var e dossier.Event
		d, e = step(t, c, d, dossier.Command{Action: back, Actor: clerk}, at(t, k.w.resume))
		want := due
		if k.moved > 0 {
			want = c.Calendar.AddWorkingDays(due.Add(-1), k.moved)
		}
		if !d.DueAt.Equal(want) || d.StoppedDays != k.moved || !d.StoppedAt.IsZero() || e.StoppedDays != k.moved || !e.DueAt.Equal(want) {
			t.Errorf("%s: due %s (stopped %d days, at %v), want %s (%d days)", k.name, local(d.DueAt), d.StoppedDays, d.StoppedAt, local(want), k.moved)
		}
		if !d.OriginalDue.Equal(due) {
			t.Errorf("%s: original due %s, want %s", k.name, local(d.OriginalDue), local(due))
		}
	}
	// Two stops add up; a suspension keeps a stopped clock stopped.
	d := received(t, c, at(t, "2026-12-07 09:00"))
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActProcess, Actor: handler}, at(t, "2026-12-07 10:00"))
	due := d.DueAt
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Bản vẽ", By: at(t, "2026-12-10 00:00")}, at(t, "2026-12-08 10:00"))
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActSupplied, Actor: clerk}, at(t, "2026-12-10 10:00")) // 2 days
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActPayment, Actor: handler}, at(t, "2026-12-11 10:00"))
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActSuspend, Actor: manager, Note: "Chờ ý kiến Sở Xây dựng"}, at(t, "2026-12-14 10:00"))
	if d.StoppedAt.IsZero() || d.StoppedDays != 2 {
		t.Errorf("suspended while waiting for payment: stopped at %v, %d days", d.StoppedAt, d.StoppedDays)
	}
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActResume, Actor: manager}, at(t, "2026-12-16 10:00")) // 11 → 16: 3 days
	if d.StoppedDays != 5 || !d.DueAt.Equal(c.Calendar.AddWorkingDays(due.Add(-1), 5)) || d.Status != dossier.StatusProcessing {
		t.Errorf("after two stops: %d days, due %s (was %s)", d.StoppedDays, local(d.DueAt), local(due))
	}
}

// papersOf is every required paper of a procedure.
func papersOf(c *dossier.Config, code string) []string {
	p, _ := c.Procedure(code)
	var out []string
	for _, pp := range p.Papers {
		if !pp.Optional {
			out = append(out, pp.ID)
		}
	}
	return out
}
