package store

import (
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/auth"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/queue"
)

// hcm is the test office's time zone.
var hcm = time.FixedZone("ICT", 7*3600)

// sampleReport is a report with every field set, as the domain would
// hand it to CreateReport (no code, no version).
func sampleReport(office string, created time.Time) feedback.Report {
	return feedback.Report{
		Office:      office,
		Category:    "rac-thai",
		Description: "Rác đổ trộm ở đầu ngõ <b>42</b>",
		Place: feedback.Place{
			Point:    &geo.Point{Lat: 21.0285, Lon: 105.8542},
			Accuracy: 12.5,
			Address:  "Ngõ 42 Hàng Bạc",
			Ward:     "phuong-a",
		},
		Photos:      []feedback.Photo{{Hash: "aa11"}, {Hash: "bb22", Hidden: true}, {Hash: "cc33", Answer: true}},
		Reporter:    feedback.Reporter{Name: "Nguyễn Thị Bình", Phone: "0912345678"},
		Channel:     feedback.ChannelOpen311,
		Client:      "app-thanh-pho",
		Status:      feedback.StatusInProgress,
		Unit:        "phuong-a",
		Reason:      "chuyển lại",
		DuplicateOf: "PA-2611-00009",
		Answer:      "Đã thu gom",
		Verdict:     feedback.VerdictReopened,
		Reopened:    1,
		MeToo:       3,
		Created:     created,
		AckDue:      created.Add(24 * time.Hour).In(hcm),
		ResolveDue:  created.Add(5 * 24 * time.Hour),
		Accepted:    created.Add(time.Hour),
		Resolved:    created.Add(2 * time.Hour),
		Closed:      time.Time{},
		Erased:      time.Time{},
		TokenHash:   []byte("0123456789abcdef0123456789abcdef"),
	}
}

// createdEvent is a report's "report.created" event.
func createdEvent(r feedback.Report) feedback.Event {
	return feedback.Event{Type: "report.created", At: r.Created, Status: r.Status, Unit: r.Unit,
		Actor: feedback.Actor{Role: feedback.RoleReporter, Name: r.Reporter.Name, ID: r.Reporter.Phone}}
}

func createReport(t *testing.T, db *DB, r feedback.Report, key string) (feedback.Report, feedback.Event) {
	t.Helper()
	got, e, replayed, err := db.CreateReport(ctx, r, createdEvent(r), key)
	if err != nil {
		t.Fatal(err)
	}
	if replayed {
		t.Fatalf("report %s replayed, want new", got.Code)
	}
	return got, e
}

// event returns a decide function that checks nothing and returns an
// event of type typ at at.
func event(typ string, at time.Time, actor feedback.Actor) func(feedback.Report) (feedback.Event, error) {
	return func(r feedback.Report) (feedback.Event, error) {
		return feedback.Event{Type: typ, At: at, Actor: actor, Status: r.Status}, nil
	}
}

var moderator = feedback.Actor{Role: feedback.RoleModerator, ID: "mod1", Name: "Trần Văn Kiểm"}

// Every field of a report comes back as it was stored, in UTC, with its
// code and version 1; its created event carries the report without the
// reporter, and the timeline is that one event.
func TestReportRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleReport("hoankiem", t0.In(hcm))
		got, e := createReport(t, db, in, "")
		want := in
		want.Code, want.Version = "PA-2611-00001", 1
		normalize(&want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("CreateReport returned\n%+v\nwant\n%+v", got, want)
		}
		back, err := db.Report(ctx, got.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, want) {
			t.Fatalf("Report read back\n%+v\nwant\n%+v", back, want)
		}
		if e.Seq <= 0 || e.Report != want.Code || e.Office != "hoankiem" || e.Created == nil {
			t.Fatalf("created event = %+v", e)
		}
		if e.Actor.Name != "" || e.Actor.ID != "" || e.Actor.Role != feedback.RoleReporter {
			t.Errorf("the created event names the reporter: %+v", e.Actor)
		}
		if e.Created.Reporter != (feedback.Reporter{}) || e.Created.TokenHash != nil || e.Created.Client != "" {
			t.Errorf("the created event's report holds the reporter: %+v", e.Created)
		}
		tl, err := db.Timeline(ctx, got.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(tl) != 1 || !reflect.DeepEqual(tl[0], e) {
			t.Fatalf("timeline = %+v, want [%+v]", tl, e)
		}
		// A report without a point or photos reads back without them.
		bare := feedback.Report{Office: "hoankiem", Category: "khac", Status: feedback.StatusNew, Created: t0,
			Place: feedback.Place{Address: "Chợ Đồng Xuân"}, Reporter: feedback.Reporter{Anonymous: true}}
		b, _ := createReport(t, db, bare, "")
		if back, err := db.Report(ctx, b.Code); err != nil || back.Place.Point != nil || len(back.Photos) != 0 || !back.Reporter.Anonymous {
			t.Fatalf("bare report read back as %+v, %v", back, err)
		}
		for _, code := range []string{"PA-2611-99999", ""} {
			if _, err := db.Report(ctx, code); !errors.Is(err, queue.ErrNotFound) {
				t.Errorf("Report(%q) error = %v, want ErrNotFound", code, err)
			}
			if _, err := db.Timeline(ctx, code); !errors.Is(err, queue.ErrNotFound) {
				t.Errorf("Timeline(%q) error = %v, want ErrNotFound", code, err)
			}
		}
	})
}

// Codes count per month of receipt in the office's time zone, for the
// whole server (two offices share the sequence); an unknown office is
// refused and takes no number.
func TestReportCodes(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		other := testOffice(t)
		other.ID = "badinh"
		if err := db.CreateOffice(ctx, other, t0); err != nil {
			t.Fatal(err)
		}
		nov := time.Date(2026, 11, 30, 16, 59, 0, 0, time.UTC) // 23:59 on 30 November in Hà Nội
		dec := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)  // 00:00 on 1 December in Hà Nội
		steps := []struct {
			office string
			at     time.Time
			want   string
		}{
			{"hoankiem", nov, "PA-2611-00001"},
			{"badinh", nov, "PA-2611-00002"},
			{"hoankiem", dec, "PA-2612-00001"},
			{"hoankiem", nov.Add(-time.Hour), "PA-2611-00003"},
			{"badinh", time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC), "PA-2701-00001"}, // 1 January 2027 in Hà Nội
			{"hoankiem", dec.Add(time.Minute), "PA-2612-00002"},
		}
		for _, s := range steps {
			r := sampleReport(s.office, s.at)
			got, _ := createReport(t, db, r, "")
			if got.Code != s.want {
				t.Errorf("report of %s at %s: code %s, want %s", s.office, s.at, got.Code, s.want)
			}
		}
		_, _, _, err := db.CreateReport(ctx, sampleReport("nowhere", dec), createdEvent(sampleReport("nowhere", dec)), "")
		if !errors.Is(err, queue.ErrNotFound) {
			t.Fatalf("report of an unknown office: %v, want ErrNotFound", err)
		}
		_, _, _, err = db.CreateReport(ctx, sampleReport("hoankiem", time.Time{}), feedback.Event{}, "")
		if err == nil {
			t.Fatal("a report without a creation time was stored")
		}
		got, _ := createReport(t, db, sampleReport("hoankiem", dec), "")
		if got.Code != "PA-2612-00003" {
			t.Fatalf("after refusals the next code is %s, want PA-2612-00003", got.Code)
		}
	})
}

// A key seen before returns the report it made and its created event,
// stores nothing and takes no number; keys are per office.
func TestReportIdempotency(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		r := sampleReport("hoankiem", t0)
		first, fe := createReport(t, db, r, "k-1")
		again := r
		again.Description = "gửi lại"
		got, e, replayed, err := db.CreateReport(ctx, again, createdEvent(again), "k-1")
		if err != nil || !replayed {
			t.Fatalf("replay: replayed %v, err %v", replayed, err)
		}
		if !reflect.DeepEqual(got, first) || !reflect.DeepEqual(e, fe) {
			t.Fatalf("replay returned %+v %+v, want %+v %+v", got, e, first, fe)
		}
		all, err := db.Reports(ctx, feedback.Filter{})
		if err != nil || len(all) != 1 {
			t.Fatalf("after a replay there are %d reports (%v), want 1", len(all), err)
		}
		other, _ := createReport(t, db, r, "k-2")
		if other.Code != "PA-2611-00002" {
			t.Fatalf("a new key made %s, want PA-2611-00002", other.Code)
		}
		unkeyed, _ := createReport(t, db, r, "")
		if unkeyed.Code != "PA-2611-00003" {
			t.Fatalf("no key made %s, want PA-2611-00003", unkeyed.Code)
		}
	})
}

// A decide error is returned as is and changes nothing: no version, no
// event; so does an event without a type or time, and an unknown report.
func TestUpdateReportRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		r, _ := createReport(t, db, sampleReport("hoankiem", t0), "")
		errNo := queue.NewError(queue.KindConflict, "not_allowed", "not now")
		for name, decide := range map[string]func(feedback.Report) (feedback.Event, error){
			"decide error": func(feedback.Report) (feedback.Event, error) {
				return feedback.Event{Type: "report.accept", At: t0}, errNo
			},
			"no type": event("", t0, moderator),
			"no time": event("report.accept", time.Time{}, moderator),
		} {
			_, _, err := db.UpdateReport(ctx, r.Code, decide)
			if err == nil {
				t.Errorf("%s: update succeeded", name)
			}
			if name == "decide error" && !errors.Is(err, errNo) {
				t.Errorf("decide's error came back as %v", err)
			}
		}
		back, err := db.Report(ctx, r.Code)
		if err != nil || !reflect.DeepEqual(back, r) {
			t.Fatalf("after refusals the report is %+v (%v), want %+v", back, err, r)
		}
		if tl, _ := db.Timeline(ctx, r.Code); len(tl) != 1 {
			t.Fatalf("after refusals the timeline has %d events, want 1", len(tl))
		}
		called := false
		_, _, err = db.UpdateReport(ctx, "PA-2611-77777", func(feedback.Report) (feedback.Event, error) { called = true; return feedback.Event{}, nil })
		if !errors.Is(err, queue.ErrNotFound) || called {
			t.Fatalf("unknown report: err %v, decide called %v", err, called)
		}
	})
}

// Two updates of one report from two goroutines both apply, one after
// the other: each decides on the report the other left (versions 1 and 2)
// and the report ends at version 3 with three events in seq order.
func TestUpdateReportConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		r, _ := createReport(t, db, sampleReport("hoankiem", t0), "")
		var wg sync.WaitGroup
		var mu sync.Mutex
		var seen, got []int
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				next, _, err := db.UpdateReport(ctx, r.Code, func(cur feedback.Report) (feedback.Event, error) {
					mu.Lock()
					seen = append(seen, cur.Version)
					mu.Unlock()
					return feedback.Event{Type: "report.me_too", At: t0.Add(time.Duration(i+1) * time.Minute), Actor: feedback.Actor{Role: feedback.RolePublic}}, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				got = append(got, next.Version)
				mu.Unlock()
			}()
		}
		wg.Wait()
		slices.Sort(seen)
		slices.Sort(got)
		if !slices.Equal(seen, []int{1, 2}) || !slices.Equal(got, []int{2, 3}) {
			t.Fatalf("decided on versions %v and wrote %v, want [1 2] and [2 3]", seen, got)
		}
		back, _ := db.Report(ctx, r.Code)
		tl, _ := db.Timeline(ctx, r.Code)
		if back.Version != 3 || len(tl) != 3 || tl[0].Seq >= tl[1].Seq || tl[1].Seq >= tl[2].Seq {
			t.Fatalf("version %d, timeline %+v", back.Version, tl)
		}
	})
}

// The filter selects by every field, and the two orders sort as they say.
func TestReportsFilter(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		other := testOffice(t)
		other.ID = "badinh"
		if err := db.CreateOffice(ctx, other, t0); err != nil {
			t.Fatal(err)
		}
		day := 24 * time.Hour
		mk := func(office, cat string, st feedback.Status, unit string, created time.Time, p *geo.Point, ack, resolve time.Time) string {
			r := feedback.Report{Office: office, Category: cat, Status: st, Unit: unit, Created: created,
				Place: feedback.Place{Point: p}, AckDue: ack, ResolveDue: resolve}
			got, _ := createReport(t, db, r, "")
			return got.Code
		}
		in := &geo.Point{Lat: 21.03, Lon: 105.85}
		out := &geo.Point{Lat: 10.77, Lon: 106.70}
		// a: new, ack due tomorrow; b: accepted, resolve due in 3 days; c:
		// assigned, overdue; d: resolved (closed); e: new, ack overdue, no
		// point; f: another office.
		a := mk("hoankiem", "rac-thai", feedback.StatusNew, "moi-truong", t0, in, t0.Add(day), t0.Add(5*day))
		b := mk("hoankiem", "giao-thong", feedback.StatusAccepted, "giao-thong", t0.Add(time.Hour), out, t0.Add(day), t0.Add(3*day))
		c := mk("hoankiem", "rac-thai", feedback.StatusAssigned, "phuong-a", t0.Add(2*time.Hour), in, t0.Add(-4*day), t0.Add(-day))
		d := mk("hoankiem", "xay-dung", feedback.StatusResolved, "phuong-a", t0.Add(3*time.Hour), in, t0.Add(day), t0.Add(-2*day))
		e := mk("hoankiem", "rac-thai", feedback.StatusNew, "moi-truong", t0.Add(4*time.Hour), nil, t0.Add(-time.Hour), t0.Add(4*day))
		f := mk("badinh", "rac-thai", feedback.StatusNew, "moi-truong", t0.Add(5*time.Hour), in, t0.Add(day), t0.Add(5*day))
		cases := []struct {
			name string
			f    feedback.Filter
			want []string
		}{
			{"all, newest first", feedback.Filter{}, []string{f, e, d, c, b, a}},
			{"office", feedback.Filter{Office: "hoankiem"}, []string{e, d, c, b, a}},
			{"codes", feedback.Filter{Codes: []string{a, c, "PA-0000-00000"}}, []string{c, a}},
			{"categories", feedback.Filter{Office: "hoankiem", Categories: []string{"giao-thong", "xay-dung"}}, []string{d, b}},
			{"statuses", feedback.Filter{Statuses: []feedback.Status{feedback.StatusNew}}, []string{f, e, a}},
			{"units", feedback.Filter{Units: []string{"phuong-a"}}, []string{d, c}},
			{"from", feedback.Filter{From: t0.Add(2 * time.Hour)}, []string{f, e, d, c}},
			{"to", feedback.Filter{To: t0.Add(2 * time.Hour)}, []string{b, a}},
			{"from and to", feedback.Filter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []string{c, b}},
			{"box", feedback.Filter{SW: &geo.Point{Lat: 20, Lon: 105}, NE: &geo.Point{Lat: 22, Lon: 106}}, []string{f, d, c, a}},
			{"south-west only", feedback.Filter{SW: &geo.Point{Lat: 15, Lon: 100}}, []string{f, d, c, a}},
			{"north-east only", feedback.Filter{NE: &geo.Point{Lat: 15, Lon: 110}}, []string{b}},
			{"combined", feedback.Filter{Office: "hoankiem", Categories: []string{"rac-thai"}, Statuses: []feedback.Status{feedback.StatusNew, feedback.StatusAssigned}, Units: []string{"moi-truong"}}, []string{e, a}},
			{"nothing", feedback.Filter{Office: "hoankiem", Categories: []string{"khong-co"}}, nil},
			{"deadline", feedback.Filter{Office: "hoankiem", Order: "deadline"}, []string{c, e, a, b, d}},
			{"limit", feedback.Filter{Limit: 2}, []string{f, e}},
			{"offset", feedback.Filter{Offset: 4}, []string{b, a}},
			{"limit and offset", feedback.Filter{Order: "deadline", Office: "hoankiem", Limit: 2, Offset: 1}, []string{e, a}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				rs, err := db.Reports(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var codes []string
				for _, r := range rs {
					codes = append(codes, r.Code)
				}
				if !slices.Equal(codes, c.want) {
					t.Fatalf("got %v, want %v", codes, c.want)
				}
			})
		}
		for _, bad := range []feedback.Filter{{Order: "name"}, {Limit: -1}, {Offset: -1}} {
			if _, err := db.Reports(ctx, bad); err == nil {
				t.Errorf("filter %+v accepted", bad)
			}
		}
	})
}

// ReportEventsSince returns an office's events after a seq, oldest first,
// at most limit; the other office's are not among them.
func TestReportEventsSince(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		other := testOffice(t)
		other.ID = "badinh"
		if err := db.CreateOffice(ctx, other, t0); err != nil {
			t.Fatal(err)
		}
		var mine []int64
		for i := range 3 {
			r, e := createReport(t, db, sampleReport("hoankiem", t0), "")
			mine = append(mine, e.Seq)
			createReport(t, db, sampleReport("badinh", t0), "")
			_, u, err := db.UpdateReport(ctx, r.Code, event("report.accept", t0.Add(time.Duration(i)*time.Minute), moderator))
			if err != nil {
				t.Fatal(err)
			}
			mine = append(mine, u.Seq)
		}
		seqs := func(since int64, limit int) []int64 {
			evs, err := db.ReportEventsSince(ctx, "hoankiem", since, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, e := range evs {
				if e.Office != "hoankiem" {
					t.Fatalf("event of %s in hoankiem's", e.Office)
				}
				out = append(out, e.Seq)
			}
			return out
		}
		if got := seqs(0, 0); !slices.Equal(got, mine) {
			t.Fatalf("all: %v, want %v", got, mine)
		}
		if got := seqs(mine[1], 2); !slices.Equal(got, mine[2:4]) {
			t.Fatalf("after %d, 2: %v, want %v", mine[1], got, mine[2:4])
		}
		if got := seqs(mine[5], 10); len(got) != 0 {
			t.Fatalf("after the last: %v", got)
		}
		if evs, _ := db.ReportEventsSince(ctx, "hoankiem", 0, 1); len(evs) != 1 || evs[0].Type != "report.created" || evs[0].Created == nil {
			t.Fatalf("first event = %+v", evs)
		}
	})
}

// Erasure clears the reporter's name and phone from the report, and none
// of the stored rows of the report or its events holds them (the store
// never writes them into events); EraseDue lists the closed reports not
// erased yet, and not after.
func TestReportErase(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleReport("hoankiem", t0)
		in.Status, in.Resolved = feedback.StatusResolved, t0.Add(time.Hour)
		r, _ := createReport(t, db, in, "")
		// The reporter acts on it, named in the command by the domain's
		// choice: the store keeps the name out.
		reporter := feedback.Actor{Role: feedback.RoleReporter, ID: in.Reporter.Phone, Name: in.Reporter.Name}
		if _, e, err := db.UpdateReport(ctx, r.Code, event("report.satisfied", t0.Add(2*time.Hour), reporter)); err != nil || e.Actor.Name != "" {
			t.Fatalf("reporter's event: %+v, %v", e, err)
		}
		// Events stored by another program may name the reporter: erasure
		// removes that too, and leaves a moderator's name and the other
		// members of the event as they were.
		moderator := feedback.Actor{Role: feedback.RoleModerator, ID: "nv1", Name: "Trần Văn Bình"}
		if _, _, err := db.UpdateReport(ctx, r.Code, event("report.note", t0.Add(2*time.Hour), moderator)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, `UPDATE report_events SET data = ? WHERE report = ? AND type = ?`,
			`{"type":"report.satisfied","actor":{"role":"reporter","id":"`+in.Reporter.Phone+`","name":"`+in.Reporter.Name+`"},"status":"resolved","text":"cảm ơn"}`,
			r.Code, "report.satisfied"); err != nil {
			t.Fatal(err)
		}
		open, _ := createReport(t, db, sampleReport("hoankiem", t0), "") // in progress: not due
		anon := in
		anon.Reporter = feedback.Reporter{Anonymous: true}
		createReport(t, db, anon, "") // nothing to erase
		// Satisfied at 2h: closed then.
		due, err := db.EraseDue(ctx, t0.Add(3*time.Hour))
		if err != nil || !slices.Equal(due, []string{r.Code}) {
			t.Fatalf("EraseDue = %v, %v; want [%s]", due, err, r.Code)
		}
		if due, _ := db.EraseDue(ctx, t0.Add(2*time.Hour)); len(due) != 0 {
			t.Fatalf("EraseDue before the closing = %v", due)
		}
		system := feedback.Actor{Role: feedback.RoleSystem}
		got, _, err := db.UpdateReport(ctx, r.Code, event("report.erase", t0.Add(400*24*time.Hour), system))
		if err != nil {
			t.Fatal(err)
		}
		if got.Reporter.Name != "" || got.Reporter.Phone != "" || !got.Erased.Equal(t0.Add(400*24*time.Hour)) {
			t.Fatalf("erased report: %+v", got)
		}
		back, _ := db.Report(ctx, r.Code)
		if back.Reporter.Name != "" || back.Reporter.Phone != "" || back.Erased.IsZero() {
			t.Fatalf("erased report read back: %+v", back)
		}
		var stored []string
		for _, q := range []string{
			`SELECT data || '|' || name || '|' || phone FROM reports WHERE code = ?`,
			`SELECT data || '|' || coalesce(created, '') FROM report_events WHERE report = ? ORDER BY seq`,
		} {
			rows, err := db.r.QueryContext(ctx, q, r.Code)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				stored = append(stored, s)
			}
			rows.Close()
		}
		for _, pii := range []string{in.Reporter.Name, in.Reporter.Phone} {
			for _, s := range stored {
				if strings.Contains(s, pii) {
					t.Errorf("%q is still stored in a row of the erased report: %s", pii, s)
				}
			}
		}
		tl, err := db.Timeline(ctx, r.Code)
		if err != nil {
			t.Fatal(err)
		}
		var satisfied, note bool
		for _, e := range tl {
			switch e.Type {
			case "report.satisfied":
				satisfied = e.Actor == feedback.Actor{Role: feedback.RoleReporter} && e.Text == "cảm ơn"
			case "report.note":
				note = e.Actor == moderator
			}
		}
		if !satisfied || !note {
			t.Errorf("events after erasure: the reporter's kept its text without the name (%v), the moderator's its name (%v): %+v", satisfied, note, tl)
		}
		if due, _ := db.EraseDue(ctx, t0.Add(500*24*time.Hour)); len(due) != 0 {
			t.Fatalf("EraseDue after erasure = %v (the open report %s must not be due)", due, open.Code)
		}
		// The other report keeps its reporter.
		if o, _ := db.Report(ctx, open.Code); o.Reporter.Name == "" {
			t.Fatal("erasing one report erased another")
		}
	})
}

// A resolved report counts as closed from its resolution for EraseDue.
func TestEraseDueResolved(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleReport("hoankiem", t0)
		in.Status, in.Resolved = feedback.StatusResolved, t0.Add(time.Hour)
		r, _ := createReport(t, db, in, "")
		if due, _ := db.EraseDue(ctx, t0.Add(time.Hour+time.Second)); !slices.Equal(due, []string{r.Code}) {
			t.Fatalf("EraseDue = %v, want [%s]", due, r.Code)
		}
	})
}

// A photo is public when some report shows it and it is not hidden there;
// known when some report has it at all.
func TestPhotoPublic(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		createReport(t, db, sampleReport("hoankiem", t0), "") // aa11 shown, bb22 hidden, cc33 answer
		check := func(hash string, public, known bool) {
			t.Helper()
			p, k, err := db.PhotoPublic(ctx, hash)
			if err != nil || p != public || k != known {
				t.Errorf("PhotoPublic(%s) = %v, %v, %v; want %v, %v", hash, p, k, err, public, known)
			}
		}
		check("aa11", true, true)
		check("bb22", false, true)
		check("zz99", false, false)
		// The hidden photo shown by another report is public.
		other := sampleReport("hoankiem", t0)
		other.Photos = []feedback.Photo{{Hash: "bb22"}}
		createReport(t, db, other, "")
		check("bb22", true, true)
	})
}

// Open311 clients are found by the hash of their key only; a revoked one
// is not found; a hash taken by another client conflicts.
func TestAPIClients(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		key := "k3y-of-the-city-app-0123456789"
		hash := auth.Hash(key)
		c := feedback.APIClient{ID: "app", Office: "hoankiem", Name: "Ứng dụng thành phố", Created: t0}
		if err := db.PutAPIClient(ctx, c, nil); err == nil {
			t.Fatal("a new client without a key hash was stored")
		}
		if err := db.PutAPIClient(ctx, c, []byte("short")); err == nil {
			t.Fatal("a short key hash (a key, not its hash) was stored")
		}
		if err := db.PutAPIClient(ctx, c, hash); err != nil {
			t.Fatal(err)
		}
		got, err := db.APIClientByKeyHash(ctx, hash)
		if err != nil || got != (feedback.APIClient{ID: "app", Office: "hoankiem", Name: c.Name, Created: t0, Scope: feedback.ScopeOpen311}) {
			t.Fatalf("by hash: %+v, %v", got, err)
		}
		if _, err := db.APIClientByKeyHash(ctx, []byte(key)); !errors.Is(err, queue.ErrNotFound) {
			t.Fatalf("looking up the key itself: %v, want ErrNotFound", err)
		}
		var stored int
		if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM api_clients WHERE `+holds(db, hexOf(db, "key_hash"))+` OR `+holds(db, "name"), hex.EncodeToString([]byte(key)), key).Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("the key is stored in %d rows (%v)", stored, err)
		}
		c2 := feedback.APIClient{ID: "app2", Office: "hoankiem", Name: "Khác", Created: t0.Add(time.Minute)}
		if err := db.PutAPIClient(ctx, c2, hash); !errors.Is(err, queue.ErrConflict) {
			t.Fatalf("a taken key hash: %v, want ErrConflict", err)
		}
		if err := db.PutAPIClient(ctx, feedback.APIClient{ID: "x", Office: "nowhere", Name: "X", Created: t0}, auth.Hash("other key")); !errors.Is(err, queue.ErrNotFound) {
			t.Fatalf("client of an unknown office: %v", err)
		}
		if err := db.PutAPIClient(ctx, c2, auth.Hash("key two")); err != nil {
			t.Fatal(err)
		}
		list, err := db.APIClients(ctx, "hoankiem")
		if err != nil || len(list) != 2 || list[0].ID != "app" || list[1].ID != "app2" {
			t.Fatalf("clients = %+v, %v", list, err)
		}
		if err := db.RevokeAPIClient(ctx, "hoankiem", "app"); err != nil {
			t.Fatal(err)
		}
		if got, err := db.APIClientByKeyHash(ctx, hash); !errors.Is(err, queue.ErrNotFound) || !got.Revoked {
			t.Fatalf("revoked client: %+v, %v", got, err)
		}
		if err := db.RevokeAPIClient(ctx, "hoankiem", "nobody"); !errors.Is(err, queue.ErrNotFound) {
			t.Fatalf("revoking an unknown client: %v", err)
		}
		if list, _ := db.APIClients(ctx, "hoankiem"); !list[0].Revoked || list[1].Revoked {
			t.Fatalf("after revoking: %+v", list)
		}
	})
}

// Handlers need a unit, other roles none; the unit is stored, listed,
// carried by the session, and a change of it ends the sessions.
func TestStaffUnit(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		for _, s := range []queue.Staff{
			{ID: "h1", Office: "hoankiem", Name: "Xử lý", Role: queue.RoleHandler},
			{ID: "h2", Office: "hoankiem", Name: "Xử lý", Role: queue.RoleHandler, Unit: "Phường A"},
			{ID: "m1", Office: "hoankiem", Name: "Kiểm duyệt", Role: queue.RoleModerator, Unit: "phuong-a"},
			{ID: "r1", Office: "hoankiem", Name: "Gốc", Role: "root"},
		} {
			if err := db.PutStaff(ctx, s, nil); err == nil {
				t.Errorf("staff %+v stored", s)
			}
		}
		h := queue.Staff{ID: "h1", Office: "hoankiem", Name: "Lê Xử Lý", Role: queue.RoleHandler, Unit: "phuong-a"}
		m := queue.Staff{ID: "m1", Office: "hoankiem", Name: "Kiểm Duyệt", Role: queue.RoleModerator}
		for _, s := range []queue.Staff{h, m} {
			if err := db.PutStaff(ctx, s, []byte("$2a$10$hash")); err != nil {
				t.Fatal(err)
			}
		}
		got, _, _, err := db.StaffAuth(ctx, "hoankiem", "h1")
		if err != nil || got != h {
			t.Fatalf("StaffAuth = %+v, %v; want %+v", got, err, h)
		}
		list, _ := db.ListStaff(ctx, "hoankiem")
		if len(list) != 2 || list[0] != h || list[1] != m {
			t.Fatalf("ListStaff = %+v", list)
		}
		session := func(s queue.Staff, token string) auth.Session {
			se := auth.Session{TokenHash: auth.Hash(token), Office: s.Office, Staff: s.ID, Role: s.Role, Unit: s.Unit, Created: t0, Expires: t0.Add(time.Hour)}
			if err := db.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
			return se
		}
		se := session(h, "token-h1")
		back, err := db.SessionByTokenHash(ctx, se.TokenHash, t0)
		if err != nil || back.Unit != "phuong-a" || back.Role != queue.RoleHandler {
			t.Fatalf("session = %+v, %v", back, err)
		}
		session(m, "token-m1")
		h.Name = "Lê Xử Lý Mới" // same role and unit: the session stays
		if err := db.PutStaff(ctx, h, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByTokenHash(ctx, se.TokenHash, t0); err != nil {
			t.Fatalf("a new name ended the session: %v", err)
		}
		h.Unit = "phuong-b"
		if err := db.PutStaff(ctx, h, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByTokenHash(ctx, se.TokenHash, t0); !errors.Is(err, queue.ErrNotFound) {
			t.Fatalf("a new unit kept the session: %v", err)
		}
		if _, err := db.SessionByTokenHash(ctx, auth.Hash("token-m1"), t0); err != nil {
			t.Fatalf("another member's session ended: %v", err)
		}
		if got, _, _, _ := db.StaffAuth(ctx, "hoankiem", "h1"); got.Unit != "phuong-b" {
			t.Fatalf("unit after the change: %q", got.Unit)
		}
	})
}

// A report goes through the domain's rules (feedback.Create, Decide,
// Apply) and the store: accepted, assigned, answered with a photo that
// turns public only when resolved, the reporter satisfied, and its
// personal data erased when due.
func TestReportThroughRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		cfg := &feedback.Config{
			Office: "hoankiem",
			Categories: []feedback.Category{
				{ID: "moi-truong", Name: "Môi trường", Unit: "tnmt", AckDays: 1, ResolveDays: 7},
			},
			Units: []feedback.Unit{
				{ID: "tnmt", Name: "Phòng Tài nguyên và Môi trường", Kind: feedback.UnitDepartment},
				{ID: "phuong-a", Name: "Phường A", Kind: feedback.UnitWard},
			},
			Calendar: feedback.Calendar{Location: loc},
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		photo, answerPhoto := strings.Repeat("a", 64), strings.Repeat("c", 64)
		r, e, err := feedback.Create(cfg, feedback.NewReport{
			Category: "moi-truong", Description: "Rác đổ trộm", Photos: []string{photo},
			Place:    feedback.Place{Point: &geo.Point{Lat: 21.03, Lon: 105.85}},
			Reporter: feedback.Reporter{Name: "Nguyễn Văn An", Phone: "0912345678"}, Channel: feedback.ChannelWeb,
		}, t0)
		if err != nil {
			t.Fatal(err)
		}
		r.Office = "hoankiem"
		r, _, _, err = db.CreateReport(ctx, r, e, "")
		if err != nil {
			t.Fatal(err)
		}
		now := t0
		do := func(cmd feedback.Command) feedback.Report {
			t.Helper()
			now = now.Add(time.Hour)
			next, _, err := db.UpdateReport(ctx, r.Code, func(cur feedback.Report) (feedback.Event, error) {
				return feedback.Decide(cfg, cur, cmd, now)
			})
			if err != nil {
				t.Fatalf("%s: %v", cmd.Action, err)
			}
			return next
		}
		handler := feedback.Actor{Role: feedback.RoleHandler, ID: "xl1", Name: "Lê Xử Lý", Unit: "phuong-a"}
		do(feedback.Command{Action: feedback.ActAccept, Actor: moderator})
		do(feedback.Command{Action: feedback.ActAssign, Actor: moderator, Unit: "phuong-a"})
		do(feedback.Command{Action: feedback.ActStart, Actor: handler})
		do(feedback.Command{Action: feedback.ActAnswer, Actor: handler, Text: "Đã thu gom", Photos: []string{answerPhoto}})
		if pub, known, _ := db.PhotoPublic(ctx, answerPhoto); pub || !known {
			t.Fatalf("a draft answer's photo: public %v, known %v", pub, known)
		}
		if pub, _, _ := db.PhotoPublic(ctx, photo); !pub {
			t.Fatal("the reporter's photo is not public")
		}
		got := do(feedback.Command{Action: feedback.ActResolve, Actor: handler})
		if got.Status != feedback.StatusResolved || got.Version != 6 {
			t.Fatalf("resolved report: %+v", got)
		}
		if pub, _, _ := db.PhotoPublic(ctx, answerPhoto); !pub {
			t.Fatal("the resolved answer's photo is not public")
		}
		// Refused by the rules: nothing changes.
		_, _, err = db.UpdateReport(ctx, r.Code, func(cur feedback.Report) (feedback.Event, error) {
			return feedback.Decide(cfg, cur, feedback.Command{Action: feedback.ActAccept, Actor: moderator}, now)
		})
		if err == nil {
			t.Fatal("accepting a resolved report succeeded")
		}
		got = do(feedback.Command{Action: feedback.ActSatisfied, Actor: feedback.Actor{Role: feedback.RoleReporter}})
		if got.Verdict != feedback.VerdictSatisfied || got.Closed.IsZero() {
			t.Fatalf("satisfied report: %+v", got)
		}
		erase := func(at time.Time) error {
			_, _, err := db.UpdateReport(ctx, r.Code, func(cur feedback.Report) (feedback.Event, error) {
				return feedback.Decide(cfg, cur, feedback.Command{Action: feedback.ActErase, Actor: feedback.Actor{Role: feedback.RoleSystem}}, at)
			})
			return err
		}
		due := got.Closed.Add(cfg.EraseDelay())
		// The erasure job asks for the reports closed EraseDelay before now.
		if codes, _ := db.EraseDue(ctx, due.Add(-time.Second).Add(-cfg.EraseDelay())); len(codes) != 0 {
			t.Fatalf("due a second early: %v", codes)
		}
		if err := erase(due.Add(-time.Second)); err == nil {
			t.Fatal("erased a second early")
		}
		if codes, _ := db.EraseDue(ctx, due.Add(time.Second).Add(-cfg.EraseDelay())); !slices.Equal(codes, []string{r.Code}) {
			t.Fatalf("EraseDue = %v", codes)
		}
		if err := erase(due.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		back, _ := db.Report(ctx, r.Code)
		if back.Reporter.Name != "" || back.Reporter.Phone != "" || back.Erased.IsZero() || back.Version != 8 {
			t.Fatalf("erased: %+v", back)
		}
		tl, _ := db.Timeline(ctx, r.Code)
		var types []string
		for _, e := range tl {
			types = append(types, strings.TrimPrefix(e.Type, "report."))
		}
		want := []string{"created", "accept", "assign", "start", "answer", "resolve", "satisfied", "erase"}
		if !slices.Equal(types, want) {
			t.Fatalf("timeline %v, want %v", types, want)
		}
	})
}

// Checkpoint empties the write-ahead log into the database file.
func TestCheckpoint(t *testing.T) {
	db, path := openDB(t)
	newOffice(t, db, t0)
	for range 5 {
		createReport(t, db, sampleReport("hoankiem", t0), "")
	}
	size := func() int64 {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if size() == 0 {
		t.Fatal("the log is empty before the checkpoint")
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if n := size(); n != 0 {
		t.Fatalf("the log holds %d bytes after the checkpoint", n)
	}
	if rs, err := db.Reports(ctx, feedback.Filter{}); err != nil || len(rs) != 5 {
		t.Fatalf("after the checkpoint: %d reports, %v", len(rs), err)
	}
}
