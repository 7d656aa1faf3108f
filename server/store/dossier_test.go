package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/queue"
	"luot/server/workday"
)

// The code date of t0 (08:00 in Hà Nội, Thursday 26 November 2026).
const day0 = "261126"

// sampleDossier is a dossier with every field set, as the domain would
// hand it to CreateDossier (no code, no version).
func sampleDossier(office string, received time.Time) dossier.Dossier {
	return dossier.Dossier{
		Office:     office,
		Procedure:  "1.001612",
		Field:      "xay-dung",
		Department: "qldt",
		Channel:    dossier.ChannelCounter,
		Applicant: dossier.Applicant{
			Name:     "Nguyễn Văn An",
			Phone:    "0912 345 678",
			IDMasked: "********7890",
			Address:  "12 Hàng Bạc, Hoàn Kiếm",
		},
		Papers:       []string{"don", "ban-ve"},
		Extra:        []string{"Bản sao sổ đỏ"},
		Fee:          150000,
		Status:       dossier.StatusProcessing,
		Ticket:       "t0001",
		TicketNumber: "A001",
		Counter:      "q1",
		ReceivedBy:   "Trần Thị Lan",
		ReceivedAt:   received.In(hcm),
		DueAt:        received.Add(15 * 24 * time.Hour),
		OriginalDue:  received.Add(15 * 24 * time.Hour),
		Supplement:   &dossier.Supplement{What: "Bản vẽ mặt bằng", By: received.Add(72 * time.Hour).In(hcm), At: received},
		External:     "000.00.21.H26-261126-0001",
		TokenHash:    []byte("0123456789abcdef0123456789abcdef"),
	}
}

// createdDossierEvent is a dossier's "dossier.created" event, made by a
// clerk.
func createdDossierEvent(d dossier.Dossier) dossier.Event {
	return dossier.Event{Type: dossier.TypeCreated, At: dossierAt(d), Status: d.Status, Department: d.Department,
		Actor: dossier.Actor{Role: dossier.RoleClerk, ID: "nv1", Name: "Trần Thị Lan"}, DueAt: d.DueAt}
}

func createDossier(t testing.TB, db *DB, d dossier.Dossier, key string) (dossier.Dossier, dossier.Event) {
	t.Helper()
	got, e, replayed, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", key)
	if err != nil {
		t.Fatal(err)
	}
	if replayed {
		t.Fatalf("dossier %s replayed, want new", got.Code)
	}
	return got, e
}

// dossierEvent returns a decide function that checks nothing and returns
// an event of action a at at, to status s.
func dossierEvent(a dossier.Action, at time.Time, s dossier.Status) func(dossier.Dossier) (dossier.Event, error) {
	return func(dossier.Dossier) (dossier.Event, error) {
		return dossier.Event{Type: dossier.EventType(a), At: at, Status: s, Actor: dossier.Actor{Role: dossier.RoleHandler, ID: "xl1", Name: "Lê Văn Xử"}}, nil
	}
}

// Every field of a dossier comes back as it was stored, in UTC, with its
// code and version 1; its created event carries the whole dossier, but
// the events table holds none of the applicant's data.
func TestDossierRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleDossier("hoankiem", t0)
		got, e := createDossier(t, db, in, "")
		if got.Code != "TP-"+day0+"-0001" || got.Version != 1 {
			t.Fatalf("code %q version %d", got.Code, got.Version)
		}
		want := in
		want.Code, want.Version = got.Code, 1
		normalizeDossier(&want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("created\n got %+v\nwant %+v", got, want)
		}
		loaded, err := db.Dossier(ctx, got.Code)
		if err != nil || !reflect.DeepEqual(loaded, want) {
			t.Fatalf("loaded\n got %+v\nwant %+v (%v)", loaded, want, err)
		}
		if e.Seq <= 0 || e.Dossier != got.Code || e.Office != "hoankiem" || e.Type != dossier.TypeCreated || e.Created == nil || !reflect.DeepEqual(*e.Created, want) {
			t.Errorf("created event %+v", e)
		}
		for _, secret := range []string{"0912", "345 678", "7890", "Hàng Bạc", "Nguyễn Văn An"} {
			if n := count(t, db, `SELECT count(*) FROM dossier_events WHERE `+holds(db, "data")+` OR `+holds(db, "created"), secret, secret); n != 0 {
				t.Errorf("%q is in %d stored events", secret, n)
			}
			if n := count(t, db, `SELECT count(*) FROM dossiers WHERE `+holds(db, "data"), secret); n != 0 {
				t.Errorf("%q is in the dossier's JSON", secret)
			}
		}
		h, err := db.History(ctx, got.Code)
		if err != nil || len(h) != 1 || h[0].Seq != e.Seq || h[0].Created == nil || !reflect.DeepEqual(*h[0].Created, withoutToken(want)) {
			t.Fatalf("history %+v %v", h, err)
		}
		if h[0].Actor.Name != "Trần Thị Lan" || !h[0].At.Equal(t0) {
			t.Errorf("history's event %+v", h[0])
		}
		since, err := db.DossierEventsSince(ctx, "hoankiem", 0, 0)
		if err != nil || len(since) != 1 || since[0].Created == nil || since[0].Created.Applicant != in.Applicant {
			t.Fatalf("events since 0: %+v %v", since, err)
		}
	})
}

// withoutToken is d without its token hash, as a created event keeps it.
func withoutToken(d dossier.Dossier) dossier.Dossier {
	d.TokenHash = nil
	return d
}

// Codes are numbered per prefix and day of receipt in the office's time
// zone, from 0001, and continue after a restart; a code given by the
// integration moves the sequence past its number, and a code in use is
// refused.
func TestDossierCodes(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		code := func(d dossier.Dossier, prefix string) string {
			t.Helper()
			got, _, _, err := db.CreateDossier(ctx, d, createdDossierEvent(d), prefix, "")
			if err != nil {
				t.Fatal(err)
			}
			return got.Code
		}
		d := sampleDossier("hoankiem", t0)
		late := sampleDossier("hoankiem", time.Date(2026, 11, 26, 16, 59, 0, 0, time.UTC)) // 23:59 local
		next := sampleDossier("hoankiem", time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC))  // 00:00 local on the 27th
		online := sampleDossier("hoankiem", time.Time{})
		online.Status, online.SubmittedAt = dossier.StatusSubmitted, t0.Add(-48*time.Hour)
		for i, c := range []struct {
			d      dossier.Dossier
			prefix string
			want   string
		}{
			{d, "TP", "TP-261126-0001"},
			{late, "TP", "TP-261126-0002"},
			{next, "TP", "TP-261127-0001"},
			{d, "HK", "HK-261126-0001"},
			{online, "TP", "TP-261124-0001"},
			{d, "TP", "TP-261126-0003"},
		} {
			if got := code(c.d, c.prefix); got != c.want {
				t.Errorf("%d: code %s, want %s", i, got, c.want)
			}
		}
		given := sampleDossier("hoankiem", t0)
		given.Code = "TP-261126-0007"
		if got := code(given, "TP"); got != given.Code {
			t.Fatalf("given code stored as %s", got)
		}
		if got := code(d, "TP"); got != "TP-261126-0008" {
			t.Errorf("after the integration's 0007: %s, want TP-261126-0008", got)
		}
		_, _, _, err := db.CreateDossier(ctx, given, createdDossierEvent(given), "TP", "")
		mustErrIs(t, err, ErrConflict)
		small := sampleDossier("hoankiem", t0)
		small.Code = "TP-261126-0004"
		if got := code(small, "TP"); got != small.Code {
			t.Fatalf("given code stored as %s", got)
		}
		if got := code(d, "TP"); got != "TP-261126-0009" {
			t.Errorf("a smaller given code moved the sequence back: %s, want TP-261126-0009", got)
		}
		db.Close()
		db = reopen(t, db)
		if got := code(d, "TP"); got != "TP-261126-0010" {
			t.Errorf("after a restart: %s, want TP-261126-0010", got)
		}
	})
}

// Dossiers created at once by many goroutines get different codes, 1 to
// n without a gap.
func TestDossierCodesConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		const workers, each = 8, 12
		codes := make(chan string, workers*each)
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					d := sampleDossier("hoankiem", t0.Add(time.Duration(w*each+i)*time.Second))
					got, _, _, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", fmt.Sprintf("counter:hoankiem:%d-%d", w, i))
					if err != nil {
						errs <- err
						return
					}
					codes <- got.Code
				}
			}()
		}
		wg.Wait()
		close(codes)
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for c := range codes {
			if seen[c] {
				t.Errorf("code %s given twice", c)
			}
			seen[c] = true
		}
		for n := 1; n <= workers*each; n++ {
			if c := dossier.FormatCode("TP", t0.In(hcm), n); !seen[c] {
				t.Errorf("code %s was skipped", c)
			}
		}
		if n := count(t, db, `SELECT last FROM dossier_seq WHERE prefix = 'TP' AND day = ?`, day0); n != workers*each {
			t.Errorf("sequence at %d, want %d", n, workers*each)
		}
	})
}

// A transaction that fails after taking a number (here: the write of the
// event, refused by a trigger as a full disk would refuse it) stores
// nothing: no dossier, no key, and the number was never shown, so the
// next dossier takes it.
func TestDossierNumberRolledBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		d := sampleDossier("hoankiem", t0)
		first, _ := createDossier(t, db, d, "")
		undo := failInserts(t, db, "dossier_events", "no room")
		_, _, _, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", "counter:hoankiem:k1")
		if err == nil || !strings.Contains(err.Error(), "no room") {
			t.Fatalf("create with the events refused: %v", err)
		}
		if n := count(t, db, `SELECT count(*) FROM dossiers`); n != 1 {
			t.Errorf("%d dossiers after the failed one, want 1", n)
		}
		if n := count(t, db, `SELECT count(*) FROM dossier_keys`); n != 0 {
			t.Errorf("the failed creation kept its key")
		}
		if n := count(t, db, `SELECT last FROM dossier_seq WHERE prefix = 'TP' AND day = ?`, day0); n != 1 {
			t.Errorf("sequence at %d after the failed creation, want 1", n)
		}
		undo()
		second, _, replayed, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", "counter:hoankiem:k1")
		if err != nil || replayed {
			t.Fatalf("again with the same key: %v (replayed %v)", err, replayed)
		}
		if first.Code != "TP-"+day0+"-0001" || second.Code != "TP-"+day0+"-0002" {
			t.Errorf("codes %s then %s, want 0001 then 0002", first.Code, second.Code)
		}
		// A cancelled request takes nothing either.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, _, err := db.CreateDossier(cctx, d, createdDossierEvent(d), "TP", ""); err == nil {
			t.Fatal("a cancelled creation succeeded")
		}
		if third, _ := createDossier(t, db, d, ""); third.Code != "TP-"+day0+"-0003" {
			t.Errorf("after a cancelled creation: %s, want 0003", third.Code)
		}
	})
}

// A key seen before (for the same office) returns the dossier it made
// and its first event, replayed, and stores nothing; another key, or the
// same key at another office, makes a new dossier.
func TestDossierIdempotency(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		o2 := testOffice(t)
		o2.ID = "hangbac"
		if err := db.CreateOffice(ctx, o2, t0); err != nil {
			t.Fatal(err)
		}
		d := sampleDossier("hoankiem", t0)
		first, fe := createDossier(t, db, d, "counter:hoankiem:abc")
		if _, _, err := db.UpdateDossier(ctx, first.Code, dossierEvent(dossier.ActNote, t0.Add(time.Minute), "")); err != nil {
			t.Fatal(err)
		}
		other := sampleDossier("hoankiem", t0.Add(time.Hour))
		other.Applicant.Name = "Người khác"
		again, ae, replayed, err := db.CreateDossier(ctx, other, createdDossierEvent(other), "TP", "counter:hoankiem:abc")
		if err != nil || !replayed {
			t.Fatalf("same key: replayed %v, %v", replayed, err)
		}
		if again.Code != first.Code || again.Applicant.Name != d.Applicant.Name || again.Version != 2 {
			t.Errorf("same key gave %s %q version %d, want %s as stored (version 2)", again.Code, again.Applicant.Name, again.Version, first.Code)
		}
		if ae.Seq != fe.Seq || ae.Type != dossier.TypeCreated || ae.Created == nil || ae.Created.Code != first.Code {
			t.Errorf("replayed event %+v, want the first %+v", ae, fe)
		}
		if n := count(t, db, `SELECT count(*) FROM dossiers`); n != 1 {
			t.Errorf("%d dossiers after a replay, want 1", n)
		}
		if n := count(t, db, `SELECT last FROM dossier_seq`); n != 1 {
			t.Errorf("a replay took a number (sequence at %d)", n)
		}
		b, _ := createDossier(t, db, d, "counter:hoankiem:other")
		elsewhere := sampleDossier("hangbac", t0)
		c, _ := createDossier(t, db, elsewhere, "counter:hoankiem:abc")
		if b.Code == first.Code || c.Code == first.Code || c.Office != "hangbac" {
			t.Errorf("other key %s, other office %s %s", b.Code, c.Code, c.Office)
		}
		if _, _, _, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", strings.Repeat("k", MaxDossierKey+1)); err == nil {
			t.Error("an oversized key was kept")
		}
	})
}

// UpdateDossier applies the decided event (dossier.Apply), one version
// more, in the history; an error of decide, an event without a type or
// time, a second creation, an unknown status or an unknown dossier change
// nothing; a dossier whose history is full is refused.
func TestUpdateDossier(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		d := sampleDossier("hoankiem", t0)
		d.Status, d.Supplement = dossier.StatusReceived, nil
		cur, _ := createDossier(t, db, d, "")
		at := t0.Add(time.Hour)
		var seen dossier.Dossier
		next, e, err := db.UpdateDossier(ctx, cur.Code, func(x dossier.Dossier) (dossier.Event, error) {
			seen = x
			return dossier.Event{Type: dossier.EventType(dossier.ActProcess), At: at.In(hcm), Status: dossier.StatusProcessing,
				Department: "tu-phap", StepDue: at.Add(48 * time.Hour), Actor: dossier.Actor{Role: dossier.RoleClerk, ID: "nv1", Name: "Lan"}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(seen, cur) {
			t.Errorf("decide saw %+v, want the stored %+v", seen, cur)
		}
		if next.Status != dossier.StatusProcessing || next.Department != "tu-phap" || next.Version != 2 || next.Code != cur.Code {
			t.Errorf("after process: %+v", next)
		}
		if e.Seq <= 0 || e.Dossier != cur.Code || e.Office != "hoankiem" || e.At.Location() != time.UTC {
			t.Errorf("event %+v", e)
		}
		if got, err := db.Dossier(ctx, cur.Code); err != nil || !reflect.DeepEqual(got, next) {
			t.Fatalf("stored\n got %+v\nwant %+v (%v)", got, next, err)
		}
		// A note names no status: the dossier keeps its own; an applicant is
		// named by role only.
		noted, ne, err := db.UpdateDossier(ctx, cur.Code, func(dossier.Dossier) (dossier.Event, error) {
			return dossier.Event{Type: dossier.EventType(dossier.ActNote), At: at, Note: "gọi lại", Actor: dossier.Actor{Role: dossier.RoleApplicant, Name: "Nguyễn Văn An", ID: "0912345678"}}, nil
		})
		if err != nil || noted.Status != dossier.StatusProcessing || ne.Status != dossier.StatusProcessing || ne.Actor.Name != "" || ne.Actor.ID != "" {
			t.Fatalf("note: %+v %+v %v", noted, ne, err)
		}
		refused := errors.New("refused by the rules")
		for name, decide := range map[string]func(dossier.Dossier) (dossier.Event, error){
			"decide refuses": func(dossier.Dossier) (dossier.Event, error) { return dossier.Event{}, refused },
			"no type":        func(dossier.Dossier) (dossier.Event, error) { return dossier.Event{At: at}, nil },
			"no time":        func(dossier.Dossier) (dossier.Event, error) { return dossier.Event{Type: "dossier.note"}, nil },
			"created again": func(dossier.Dossier) (dossier.Event, error) {
				return dossier.Event{Type: dossier.TypeCreated, At: at}, nil
			},
			"unknown status": dossierEvent(dossier.ActNote, at, "lost"),
		} {
			_, _, err := db.UpdateDossier(ctx, cur.Code, decide)
			if err == nil {
				t.Errorf("%s: stored", name)
			}
			if name == "decide refuses" && err != refused {
				t.Errorf("decide's error came back as %v", err)
			}
		}
		if got, _ := db.Dossier(ctx, cur.Code); got.Version != 3 {
			t.Errorf("refused updates changed the dossier: version %d, want 3", got.Version)
		}
		if h, _ := db.History(ctx, cur.Code); len(h) != 3 || h[1].Type != "dossier.process" || !h[1].StepDue.Equal(at.Add(48*time.Hour)) || h[2].Note != "gọi lại" {
			t.Errorf("history %+v", h)
		}
		_, _, err = db.UpdateDossier(ctx, "TP-261126-9999", dossierEvent(dossier.ActNote, at, ""))
		mustErrIs(t, err, ErrNotFound)
		if _, err := db.w.ExecContext(ctx, `UPDATE dossiers SET version = ? WHERE code = ?`, dossier.MaxHistory, cur.Code); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.UpdateDossier(ctx, cur.Code, dossierEvent(dossier.ActNote, at, ""))
		mustErrIs(t, err, ErrConflict)
	})
}

// Updates of one dossier at once run one after the other: each sees the
// version the one before stored.
func TestUpdateDossierConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		cur, _ := createDossier(t, db, sampleDossier("hoankiem", t0), "")
		const n = 20
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := db.UpdateDossier(ctx, cur.Code, func(d dossier.Dossier) (dossier.Event, error) {
					return dossier.Event{Type: "dossier.note", At: t0.Add(time.Duration(i) * time.Minute), Note: fmt.Sprintf("v%d", d.Version)}, nil
				})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		h, err := db.History(ctx, cur.Code)
		if err != nil || len(h) != n+1 {
			t.Fatalf("history of %d events (%v), want %d", len(h), err, n+1)
		}
		for i, e := range h[1:] {
			if want := fmt.Sprintf("v%d", i+1); e.Note != want {
				t.Errorf("event %d saw %s, want %s", i+1, e.Note, want)
			}
		}
		if got, _ := db.Dossier(ctx, cur.Code); got.Version != n+1 {
			t.Errorf("version %d, want %d", got.Version, n+1)
		}
	})
}

// The dossier of a ticket: the one it picked up, else the last one
// received from it.
func TestDossierByTicket(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		a, _ := createDossier(t, db, sampleDossier("hoankiem", t0), "")
		b := sampleDossier("hoankiem", t0.Add(time.Minute))
		b.Status = dossier.StatusCompleted
		b, _ = createDossier(t, db, b, "")
		if got, err := db.DossierByTicket(ctx, "t0001"); err != nil || got.Code != b.Code {
			t.Fatalf("ticket that brought two: %s %v, want the last %s", got.Code, err, b.Code)
		}
		_, err := db.DossierByTicket(ctx, "t0002")
		mustErrIs(t, err, ErrNotFound)
		if _, err := db.DossierByTicket(ctx, ""); err == nil {
			t.Error("an empty ticket id found a dossier")
		}
		pick := &dossier.Pickup{Ticket: "t0009", Number: "R001", Day: "2026-11-26", At: t0.Add(time.Hour)}
		if _, _, err := db.UpdateDossier(ctx, a.Code, func(d dossier.Dossier) (dossier.Event, error) {
			return dossier.Event{Type: dossier.EventType(dossier.ActPickup), At: pick.At, Status: d.Status, Pickup: pick, Actor: dossier.Actor{Role: dossier.RoleKiosk}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.DossierByTicket(ctx, "t0009"); err != nil || got.Code != a.Code || got.Pickup == nil || got.Pickup.Number != "R001" {
			t.Fatalf("picked up by t0009: %+v %v, want %s", got, err, a.Code)
		}
		// A ticket that brought one dossier and picks up another: the pickup.
		if _, _, err := db.UpdateDossier(ctx, a.Code, func(d dossier.Dossier) (dossier.Event, error) {
			p := *pick
			p.Ticket = "t0001"
			return dossier.Event{Type: dossier.EventType(dossier.ActPickup), At: pick.At, Status: d.Status, Pickup: &p, Actor: dossier.Actor{Role: dossier.RoleKiosk}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.DossierByTicket(ctx, "t0001"); err != nil || got.Code != a.Code {
			t.Fatalf("t0001 picks up %s: %s %v", a.Code, got.Code, err)
		}
		if _, err := db.DossierByTicket(ctx, "t0009"); !errors.Is(err, ErrNotFound) {
			t.Errorf("the earlier pickup ticket still finds the dossier: %v", err)
		}
	})
}

// The filters of Dossiers, each alone and together, the three orders,
// limit and offset; bad filters are refused.
func TestDossiersFilter(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		o2 := testOffice(t)
		o2.ID = "hangbac"
		if err := db.CreateOffice(ctx, o2, t0); err != nil {
			t.Fatal(err)
		}
		mk := func(office string, at time.Time, s dossier.Status, proc, dept, phone string, due time.Time, completed time.Time) dossier.Dossier {
			d := sampleDossier(office, at)
			d.Status, d.Procedure, d.Department, d.Applicant.Phone, d.DueAt, d.CompletedAt = s, proc, dept, phone, due, completed
			got, _ := createDossier(t, db, d, "")
			return got
		}
		h := time.Hour
		a := mk("hoankiem", t0, dossier.StatusProcessing, "p1", "qldt", "0912345678", t0.Add(10*24*h), time.Time{})
		b := mk("hoankiem", t0.Add(h), dossier.StatusProcessing, "p2", "tu-phap", "0987 654 321", t0.Add(-24*h), time.Time{}) // late
		c := mk("hoankiem", t0.Add(2*h), dossier.StatusCompleted, "p1", "qldt", "0900005678", t0.Add(5*24*h), t0.Add(3*h))
		d := mk("hoankiem", t0.Add(3*h), dossier.StatusCompleted, "p2", "qldt", "0900001111", t0.Add(5*24*h), t0.Add(5*h))
		e := mk("hoankiem", t0.Add(4*h), dossier.StatusNeedsSupplement, "p1", "tnmt", "", t0.Add(2*24*h), time.Time{})
		x := mk("hangbac", t0.Add(5*h), dossier.StatusProcessing, "p1", "qldt", "0912345678", t0.Add(24*h), time.Time{})
		codes := func(ds []dossier.Dossier) string {
			var s []string
			for _, d := range ds {
				s = append(s, d.Code)
			}
			return strings.Join(s, " ")
		}
		list := func(ds ...dossier.Dossier) string { return codes(ds) }
		for _, c := range []struct {
			name string
			f    dossier.Filter
			want string
		}{
			{"office, newest first", dossier.Filter{Office: "hoankiem"}, list(e, d, c, b, a)},
			{"every office", dossier.Filter{}, list(x, e, d, c, b, a)},
			{"codes", dossier.Filter{Codes: []string{a.Code, c.Code, "TP-000000-0000"}}, list(c, a)},
			{"statuses", dossier.Filter{Office: "hoankiem", Statuses: []dossier.Status{dossier.StatusProcessing, dossier.StatusNeedsSupplement}}, list(e, b, a)},
			{"procedures", dossier.Filter{Office: "hoankiem", Procedures: []string{"p2"}}, list(d, b)},
			{"departments", dossier.Filter{Office: "hoankiem", Departments: []string{"qldt", "tnmt"}}, list(e, d, c, a)},
			{"received from, to", dossier.Filter{Office: "hoankiem", From: t0.Add(h), To: t0.Add(3 * h)}, list(c, b)},
			{"phone's last 4", dossier.Filter{Office: "hoankiem", Phone4: "5678"}, list(c, a)},
			{"phone's last 4 and code", dossier.Filter{Codes: []string{a.Code}, Phone4: "5678"}, list(a)},
			{"phone's last 4 of another code", dossier.Filter{Codes: []string{b.Code}, Phone4: "5678"}, ""},
			{"phone with spaces", dossier.Filter{Phone4: "4321"}, list(b)},
			{"due: open first, late first", dossier.Filter{Office: "hoankiem", Order: "due"}, list(b, e, a, d, c)},
			{"completed: newest completed first", dossier.Filter{Office: "hoankiem", Order: "completed"}, list(d, c, e, b, a)},
			{"completed ones, limited", dossier.Filter{Office: "hoankiem", Statuses: []dossier.Status{dossier.StatusCompleted}, Order: "completed", Limit: 1}, list(d)},
			{"limit", dossier.Filter{Office: "hoankiem", Limit: 2}, list(e, d)},
			{"offset", dossier.Filter{Office: "hoankiem", Offset: 3}, list(b, a)},
			{"limit and offset", dossier.Filter{Office: "hoankiem", Limit: 2, Offset: 1}, list(d, c)},
			{"together", dossier.Filter{Office: "hoankiem", Procedures: []string{"p1"}, Departments: []string{"qldt"}, Order: "due"}, list(a, c)},
			{"nothing", dossier.Filter{Office: "nowhere"}, ""},
		} {
			got, err := db.Dossiers(ctx, c.f)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if codes(got) != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.name, codes(got), c.want)
			}
		}
		for name, f := range map[string]dossier.Filter{
			"unknown status":        {Statuses: []dossier.Status{"lost"}},
			"phone4 of 3 digits":    {Phone4: "678"},
			"phone4 with a letter":  {Phone4: "56a8"},
			"phone4 of 5 digits":    {Phone4: "45678"},
			"unknown order":         {Order: "name"},
			"negative limit":        {Limit: -1},
			"negative offset":       {Offset: -1},
			"phone4 in other forms": {Phone4: "５６７８"},
		} {
			if got, err := db.Dossiers(ctx, f); err == nil {
				t.Errorf("%s: listed %d dossiers, want an error", name, len(got))
			}
		}
	})
}

// CreateDossier refuses what it cannot store, with an error that says
// what, and stores nothing: not even a number.
func TestCreateDossierBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		for _, c := range []struct {
			name   string
			change func(*dossier.Dossier, *string)
			says   string
			is     error
		}{
			{"no office", func(d *dossier.Dossier, _ *string) { d.Office = "" }, "office", nil},
			{"unknown office", func(d *dossier.Dossier, _ *string) { d.Office = "nowhere" }, "nowhere", ErrNotFound},
			{"unknown office, code given", func(d *dossier.Dossier, _ *string) { d.Office, d.Code = "nowhere", "TP-261126-0001" }, "nowhere", ErrNotFound},
			{"no procedure", func(d *dossier.Dossier, _ *string) { d.Procedure = "" }, "procedure", nil},
			{"no status", func(d *dossier.Dossier, _ *string) { d.Status = "" }, "status", nil},
			{"unknown status", func(d *dossier.Dossier, _ *string) { d.Status = "lost" }, "status", nil},
			{"no time", func(d *dossier.Dossier, _ *string) { d.ReceivedAt, d.SubmittedAt = time.Time{}, time.Time{} }, "time of receipt", nil},
			{"lower-case prefix", func(_ *dossier.Dossier, p *string) { *p = "tp" }, "prefix", nil},
			{"no prefix", func(_ *dossier.Dossier, p *string) { *p = "" }, "prefix", nil},
			{"long prefix", func(_ *dossier.Dossier, p *string) { *p = "ABCDEFGHIJK" }, "prefix", nil},
			{"not a code", func(d *dossier.Dossier, _ *string) { d.Code = "TP-2611-1" }, "TP-2611-1", nil},
			{"code with a bad date", func(d *dossier.Dossier, _ *string) { d.Code = "TP-261340-0001" }, "TP-261340-0001", nil},
		} {
			d, prefix := sampleDossier("hoankiem", t0), "TP"
			c.change(&d, &prefix)
			_, _, _, err := db.CreateDossier(ctx, d, createdDossierEvent(d), prefix, "")
			if err == nil {
				t.Errorf("%s: stored", c.name)
				continue
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("%s: %q does not say %q", c.name, err, c.says)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("%s: %v is not %v", c.name, err, c.is)
			}
		}
		for _, table := range []string{"dossiers", "dossier_events", "dossier_seq", "dossier_keys"} {
			if n := count(t, db, `SELECT count(*) FROM `+table); n != 0 {
				t.Errorf("%d rows in %s after refused creations", n, table)
			}
		}
		_, err := db.Dossier(ctx, "TP-261126-0001")
		mustErrIs(t, err, ErrNotFound)
		_, err = db.History(ctx, "TP-261126-0001")
		mustErrIs(t, err, ErrNotFound)
		if h, err := db.DossierEventsSince(ctx, "hoankiem", 0, 10); err != nil || len(h) != 0 {
			t.Errorf("events of an office without dossiers: %v %v", h, err)
		}
	})
}

// DossierEventsSince pages an office's events by seq, the office's only.
func TestDossierEventsSince(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		o2 := testOffice(t)
		o2.ID = "hangbac"
		if err := db.CreateOffice(ctx, o2, t0); err != nil {
			t.Fatal(err)
		}
		a, _ := createDossier(t, db, sampleDossier("hoankiem", t0), "")
		createDossier(t, db, sampleDossier("hangbac", t0), "")
		for i := range 3 {
			if _, _, err := db.UpdateDossier(ctx, a.Code, dossierEvent(dossier.ActNote, t0.Add(time.Duration(i+1)*time.Minute), "")); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.DossierEventsSince(ctx, "hoankiem", 0, 0)
		if err != nil || len(all) != 4 {
			t.Fatalf("%d events (%v), want 4", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Seq <= all[i-1].Seq || all[i].Office != "hoankiem" || all[i].Created != nil {
				t.Errorf("event %d: %+v", i, all[i])
			}
		}
		page, err := db.DossierEventsSince(ctx, "hoankiem", all[0].Seq, 2)
		if err != nil || len(page) != 2 || page[0].Seq != all[1].Seq || page[1].Seq != all[2].Seq {
			t.Fatalf("page after %d: %+v %v", all[0].Seq, page, err)
		}
		if rest, _ := db.DossierEventsSince(ctx, "hoankiem", all[3].Seq, 10); len(rest) != 0 {
			t.Errorf("events after the last: %+v", rest)
		}
	})
}

// A pickup ticket keeps its dossier (queue.Ticket.Dossier) in the
// tickets table, through a restart.
func TestTicketDossier(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		st := newOffice(t, db, t0)
		req := issue("t1", "xay-dung")
		req.Dossier = "TP-261126-0001"
		do(t, db, st)(st.Issue(t0, req))
		do(t, db, st)(st.Issue(t0.Add(time.Minute), issue("t2", "xay-dung")))
		got, err := db.Ticket(ctx, st.Office.ID, "t1")
		if err != nil || got.Dossier != "TP-261126-0001" {
			t.Fatalf("ticket %+v %v", got, err)
		}
		if got, _ := db.Ticket(ctx, st.Office.ID, "t2"); got.Dossier != "" {
			t.Errorf("ticket without a dossier has %q", got.Dossier)
		}
		storedSame(t, db, st)
		db.Close()
		db = reopenedSameDB(t, db, st)
		if got, _ := db.TicketByID(ctx, "t1"); got.Dossier != "TP-261126-0001" {
			t.Errorf("after a restart: %q", got.Dossier)
		}
	})
}

// API keys have a scope: open311 unless told, dossiers for the one-stop
// system's; it is fixed when the client is registered.
func TestAPIClientScope(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		old := feedback.APIClient{ID: "app", Office: "hoankiem", Name: "Ứng dụng", Created: t0}
		if err := db.PutAPIClient(ctx, old, queueHash("key-app")); err != nil {
			t.Fatal(err)
		}
		one := feedback.APIClient{ID: "motcua", Office: "hoankiem", Name: "Hệ thống một cửa tỉnh", Created: t0, Scope: feedback.ScopeDossiers}
		if err := db.PutAPIClient(ctx, one, queueHash("key-motcua")); err != nil {
			t.Fatal(err)
		}
		if got, err := db.APIClientByKeyHash(ctx, queueHash("key-motcua")); err != nil || got.Scope != feedback.ScopeDossiers {
			t.Fatalf("dossiers key: %+v %v", got, err)
		}
		if got, err := db.APIClientByKeyHash(ctx, queueHash("key-app")); err != nil || got.Scope != feedback.ScopeOpen311 {
			t.Fatalf("key without a scope: %+v %v", got, err)
		}
		bad := one
		bad.ID, bad.Scope = "x", "admin"
		if err := db.PutAPIClient(ctx, bad, queueHash("key-x")); err == nil || !strings.Contains(err.Error(), "admin") {
			t.Errorf("unknown scope: %v", err)
		}
		moved := one
		moved.Scope = feedback.ScopeOpen311
		mustErrIs(t, db.PutAPIClient(ctx, moved, nil), ErrConflict)
		renamed := one
		renamed.Name, renamed.Scope = "Cổng dịch vụ công tỉnh", ""
		if err := db.PutAPIClient(ctx, renamed, nil); err != nil {
			t.Fatal(err)
		}
		list, err := db.APIClients(ctx, "hoankiem")
		if err != nil || len(list) != 2 || list[1].Scope != feedback.ScopeDossiers || list[1].Name != renamed.Name {
			t.Fatalf("clients %+v %v", list, err)
		}
		if n := count(t, db, `SELECT count(*) FROM api_clients WHERE id = 'x'`); n != 0 {
			t.Error("the client of an unknown scope was stored")
		}
	})
}

// queueHash is a stand-in sha256 of an API key (any 32 bytes do).
func queueHash(key string) []byte {
	b := make([]byte, 32)
	copy(b, key)
	return b
}

// Keys and tickets stored before migration 0008 read back as Open311
// keys and tickets without a dossier.
func TestMigrationDossiersKeepsKeys(t *testing.T) {
	db, path := openDB(t)
	st := newOffice(t, db, t0)
	do(t, db, st)(st.Issue(t0, issue("t1", "xay-dung")))
	db.Close()
	raw := rawDB(t, path)
	for _, q := range []string{
		`DROP TABLE planning_imports`, `DROP TABLE planning_parcels`, `DROP TABLE planning_zones`, // 0011
		`DROP TABLE sms_parts`,                          // 0010
		`DROP TABLE outbox`, `DROP TABLE subscriptions`, // 0009
		`DROP TABLE dossier_keys`, `DROP TABLE dossier_events`, `DROP TABLE dossier_seq`, `DROP TABLE dossiers`,
		`ALTER TABLE tickets DROP COLUMN dossier`, `ALTER TABLE api_clients DROP COLUMN scope`,
		`DELETE FROM schema_version WHERE version >= 8`,
		`INSERT INTO api_clients (office, id, name, key_hash, created_at) VALUES ('hoankiem', 'app', 'App', x'000102030405060708090a0b0c0d0e0f', '2026-11-26T01:00:00.000000000Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if c, err := db.APIClients(ctx, "hoankiem"); err != nil || len(c) != 1 || c[0].Scope != feedback.ScopeOpen311 {
		t.Fatalf("old key %+v %v", c, err)
	}
	if tk, err := db.Ticket(ctx, "hoankiem", "t1"); err != nil || tk.Dossier != "" || tk.Status != queue.StatusWaiting {
		t.Fatalf("old ticket %+v %v", tk, err)
	}
}

// rawDB opens the database file without the store, to make it as an
// older version left it.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// dossierConfig is a catalogue of one 15-day permit, for the store test
// office.
func dossierConfig(t *testing.T) *dossier.Config {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	c := &dossier.Config{
		Office:      "hoankiem",
		Prefix:      "TP",
		Fields:      []dossier.Field{{ID: "xay-dung", Name: "Xây dựng"}},
		Departments: []dossier.Department{{ID: "qldt", Name: "Phòng Quản lý đô thị"}},
		Procedures: []dossier.Procedure{{Code: "XD-01", Name: "Cấp giấy phép xây dựng", Field: "xay-dung", Service: "xay-dung", Department: "qldt", Days: 15, Fee: 75000,
			Papers: []dossier.Paper{{ID: "don", Name: "Đơn đề nghị"}, {ID: "ban-ve", Name: "Bản vẽ"}}}},
		Calendar:      workday.Calendar{Location: loc},
		PickupService: "ho-tich",
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// A dossier's whole life through the domain's rules (Create, Decide,
// Apply): each stored state is what UpdateDossier returned, a refused
// command changes nothing, and applying the history from its created
// event gives the stored dossier again: the events lose nothing.
func TestDossierThroughRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		c := dossierConfig(t)
		clerk := dossier.Actor{Role: dossier.RoleClerk, ID: "nv1", Name: "Trần Thị Lan"}
		handler := dossier.Actor{Role: dossier.RoleHandler, ID: "xl1", Name: "Lê Văn Xử", Unit: "qldt"}
		d, e, err := dossier.Create(c, dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912345678"},
			IDNumber: "001234567890", Papers: []string{"don", "ban-ve"}, Ticket: "t1", TicketNumber: "A001", Counter: "q1", TokenHash: queueHash("token")}, clerk, t0)
		if err != nil {
			t.Fatal(err)
		}
		d, _, replayed, err := db.CreateDossier(ctx, d, e, c.Prefix, "counter:hoankiem:k1")
		if err != nil || replayed || d.Code != "TP-"+day0+"-0001" {
			t.Fatalf("create: %s %v %v", d.Code, replayed, err)
		}
		now := t0
		step := func(cmd dossier.Command) dossier.Dossier {
			t.Helper()
			now = now.Add(24 * time.Hour)
			next, _, err := db.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) { return dossier.Decide(c, cur, cmd, now) })
			if err != nil {
				t.Fatalf("%s: %v", cmd.Action, err)
			}
			stored, err := db.Dossier(ctx, d.Code)
			if err != nil || !reflect.DeepEqual(stored, next) {
				t.Fatalf("%s: stored\n%+v\nreturned\n%+v (%v)", cmd.Action, stored, next, err)
			}
			return next
		}
		step(dossier.Command{Action: dossier.ActProcess, Actor: clerk})
		step(dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Bản vẽ mặt bằng có chữ ký", By: t0.Add(7 * 24 * time.Hour)})
		step(dossier.Command{Action: dossier.ActSupplied, Actor: clerk})
		step(dossier.Command{Action: dossier.ActComplete, Actor: handler, Result: "Giấy phép số 12/GPXD"})
		step(dossier.Command{Action: dossier.ActPickup, Actor: dossier.Actor{Role: dossier.RoleKiosk}, Pickup: &dossier.Pickup{Ticket: "t9", Number: "B009", Day: "2026-12-01"}})
		step(dossier.Command{Action: dossier.ActReturn, Actor: clerk})
		last := step(dossier.Command{Action: dossier.ActRate, Actor: dossier.Actor{Role: dossier.RoleApplicant}, Rating: &dossier.Rating{Score: 4, Comment: "Nhanh"}})
		if last.Status != dossier.StatusReturned || last.Rating == nil || last.Pickup == nil || last.Supplement == nil || last.Version != 8 {
			t.Errorf("at the end: %+v", last)
		}
		_, _, err = db.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
			return dossier.Decide(c, cur, dossier.Command{Action: dossier.ActRate, Actor: dossier.Actor{Role: dossier.RoleApplicant}, Rating: &dossier.Rating{Score: 1}}, now)
		})
		var qe *queue.Error
		if !errors.As(err, &qe) {
			t.Fatalf("a second rating: %v, want the domain's refusal", err)
		}
		if got, _ := db.Dossier(ctx, d.Code); !reflect.DeepEqual(got, last) {
			t.Errorf("a refused rating changed the dossier")
		}
		h, err := db.History(ctx, d.Code)
		if err != nil || len(h) != 8 || h[0].Created == nil {
			t.Fatalf("history of %d events (%v)", len(h), err)
		}
		replay := dossier.Apply(dossier.Dossier{}, h[0])
		for _, e := range h[1:] {
			replay = dossier.Apply(replay, e)
		}
		want := last
		want.TokenHash = nil
		if !reflect.DeepEqual(replay, want) {
			t.Errorf("the history replays to\n%+v\nnot the stored\n%+v", replay, want)
		}
		if byTicket, err := db.DossierByTicket(ctx, "t9"); err != nil || byTicket.Code != d.Code {
			t.Errorf("by the pickup ticket: %s %v", byTicket.Code, err)
		}
	})
}

// TestDossierCrashHelper is the process TestDossierCodesAfterKill runs
// (and kills): it creates dossiers in the database it is given and says
// each code once it is committed.
func TestDossierCrashHelper(t *testing.T) {
	path := os.Getenv("LUOT_DOSSIER_CRASH_DB")
	if path == "" {
		t.Skip("run by TestDossierCodesAfterKill")
	}
	n, err := strconv.Atoi(os.Getenv("LUOT_DOSSIER_CRASH_N"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range n {
		d := sampleDossier("hoankiem", t0)
		got, _, _, err := db.CreateDossier(ctx, d, createdDossierEvent(d), "TP", "")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("ack %s\n", got.Code)
	}
}

// Two processes number dossiers in one database at once; one is killed
// (SIGKILL) in the middle. Every code either process acknowledged is
// there, no code was given twice, the sequence is exactly the number of
// dossiers (a number taken by a transaction the kill cut off was never
// used), and numbering goes on from it.
func TestDossierCodesAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	db, path := openDB(t)
	newOffice(t, db, t0)
	db.Close()
	start := func(n int) (*exec.Cmd, *bufio.Scanner) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDossierCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LUOT_DOSSIER_CRASH_DB="+path, fmt.Sprintf("LUOT_DOSSIER_CRASH_N=%d", n))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd, bufio.NewScanner(out)
	}
	acked := map[string]bool{}
	ack := func(line string) {
		if code, ok := strings.CutPrefix(line, "ack "); ok {
			if acked[code] {
				t.Errorf("code %s acknowledged twice", code)
			}
			acked[code] = true
		}
	}
	killed, kout := start(10000)
	other, oout := start(40)
	for n := 0; n < 15 && kout.Scan(); {
		if strings.HasPrefix(kout.Text(), "ack ") {
			n++
		}
		ack(kout.Text())
	}
	if err := killed.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	for kout.Scan() {
		ack(kout.Text())
	}
	killed.Wait()
	for oout.Scan() {
		ack(oout.Text())
	}
	if err := other.Wait(); err != nil {
		t.Fatalf("the process left running: %v", err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := db.Dossiers(ctx, dossier.Filter{Office: "hoankiem"})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, d := range all {
		stored[d.Code] = true
	}
	for c := range acked {
		if !stored[c] {
			t.Errorf("acknowledged code %s is not stored", c)
		}
	}
	last := count(t, db, `SELECT last FROM dossier_seq WHERE prefix = 'TP' AND day = ?`, day0)
	if len(stored) != len(all) || last != len(all) || len(acked) < 55 {
		t.Errorf("%d dossiers (%d codes), sequence at %d, %d acknowledged", len(all), len(stored), last, len(acked))
	}
	for n := 1; n <= last; n++ {
		if c := dossier.FormatCode("TP", t0.In(hcm), n); !stored[c] {
			t.Errorf("number %d was taken but its dossier is not stored", n)
		}
	}
	if next, _ := createDossier(t, db, sampleDossier("hoankiem", t0), ""); next.Code != dossier.FormatCode("TP", t0.In(hcm), last+1) {
		t.Errorf("after the kill: %s, want number %d", next.Code, last+1)
	}
}
