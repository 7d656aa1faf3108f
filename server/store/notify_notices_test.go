package store

import (
	"maps"
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/notify"
)

// A dossier's event writes, in its own transaction, one message per
// subscription for each notice dossier.Notices makes of it, keyed by the
// event's seq; an update refused writes none.
func TestDossierNoticesWritten(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		cfg := dossierConfig(t)
		in := sampleDossier("hoankiem", t0)
		in.Procedure, in.Status, in.Supplement = "XD-01", dossier.StatusProcessing, nil
		d, _ := createDossier(t, db, in, "")
		item := notify.Item{Type: notify.ItemDossier, ID: d.Code, Office: "hoankiem"}
		s := subscribe(t, db, smsSub(item, "+84912345678", "vi"))
		handler := dossier.Actor{Role: dossier.RoleHandler, ID: "xl1", Unit: "qldt"}
		update := func(cmd dossier.Command, at time.Time) (dossier.Dossier, dossier.Dossier, dossier.Event, error) {
			var before dossier.Dossier
			next, e, err := db.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
				before = cur
				return dossier.Decide(cfg, cur, cmd, at)
			})
			return before, next, e, err
		}
		// Refused by the rules (a clerk cannot ask for supplements): nothing.
		if _, _, _, err := update(dossier.Command{Action: dossier.ActSupplement, Actor: dossier.Actor{Role: dossier.RoleClerk, ID: "nv1"}, What: "x", By: t0.Add(72 * time.Hour)}, t0.Add(time.Hour)); err == nil {
			t.Fatal("a clerk asked for supplements")
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("a refused update wrote %d messages", n)
		}
		before, next, e, err := update(dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Bản vẽ mặt bằng", By: t0.Add(72 * time.Hour)}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := dossier.Notices(before, next, e)
		if len(want) != 1 || want[0].Kind != notify.DossierSupplement || want[0].Key != notify.DossierKey(d.Code, e.Seq) || want[0].Item != item {
			t.Fatalf("dossier.Notices of a supplement request: %+v (event seq %d)", want, e.Seq)
		}
		ms := claim(t, db, t0.Add(time.Hour), time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != s.ID || ms[0].Notice.Key != want[0].Key || ms[0].Notice.Kind != want[0].Kind ||
			!maps.Equal(ms[0].Notice.Params, want[0].Params) || !ms[0].Created.Equal(e.At) {
			t.Fatalf("messages of the supplement request: %+v, want %+v", ms, want)
		}
		// A note tells nothing.
		if _, _, _, err := update(dossier.Command{Action: dossier.ActNote, Actor: handler, Note: "đã gọi điện"}, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 1 {
			t.Fatalf("%d messages after a note, want 1", n)
		}
	})
}

// A report's status change writes the messages of feedback.Notices in
// its transaction, keyed by the event's seq.
func TestReportNoticesWritten(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleReport("hoankiem", t0)
		in.Status = feedback.StatusAccepted
		r, _ := createReport(t, db, in, "")
		item := notify.Item{Type: notify.ItemReport, ID: r.Code, Office: "hoankiem"}
		s := subscribe(t, db, pushSub(t, item, "https://push.example/r", "en"))
		var before feedback.Report
		next, e, err := db.UpdateReport(ctx, r.Code, func(cur feedback.Report) (feedback.Event, error) {
			before = cur
			return feedback.Event{Type: "report.assign", At: t0.Add(time.Hour), Actor: moderator, Status: feedback.StatusAssigned, Unit: "phuong-a"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := feedback.Notices(before, next, e)
		if len(want) != 1 || want[0].Kind != notify.ReportStatus || want[0].Key != notify.ReportKey(r.Code, e.Seq) {
			t.Fatalf("feedback.Notices of a status change: %+v (event seq %d)", want, e.Seq)
		}
		ms := claim(t, db, t0.Add(time.Hour), time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != s.ID || ms[0].Notice.Key != want[0].Key || ms[0].Notice.Lang != "en" {
			t.Fatalf("messages of the status change: %+v, want %+v", ms, want)
		}
	})
}

// An online dossier received at the counter tells its followers, with
// its due date.
func TestDossierReceivedNotice(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		cfg := dossierConfig(t)
		in := sampleDossier("hoankiem", t0)
		in.Procedure, in.Status, in.Supplement, in.Channel = "XD-01", dossier.StatusSubmitted, nil, dossier.ChannelOnline
		in.SubmittedAt, in.ReceivedAt, in.DueAt, in.OriginalDue = t0, time.Time{}, time.Time{}, time.Time{}
		d, _ := createDossier(t, db, in, "")
		item := notify.Item{Type: notify.ItemDossier, ID: d.Code, Office: "hoankiem"}
		s := subscribe(t, db, pushSub(t, item, "https://push.example/d", "vi"))
		next, e, err := db.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
			return dossier.Decide(cfg, cur, dossier.Command{Action: dossier.ActReceive, Actor: dossier.Actor{Role: dossier.RoleClerk, ID: "nv1"}}, t0.Add(time.Hour))
		})
		if err != nil {
			t.Fatal(err)
		}
		ms := claim(t, db, t0.Add(time.Hour), time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != s.ID || ms[0].Notice.Kind != notify.DossierReceived || ms[0].Notice.Key != notify.DossierKey(d.Code, e.Seq) ||
			ms[0].Notice.Params["due"] != next.DueAt.Format(time.RFC3339) || next.DueAt.IsZero() {
			t.Fatalf("messages of the receipt: %+v (due %s)", ms, next.DueAt)
		}
	})
}

// The applicant's consent at the counter: a dossier created with an SMS
// subscription stores it in the creation's transaction, before the
// notices, so that the "received" message is in the outbox for it, its
// link made with the code; without one nothing is queued; a bad
// subscription refuses the dossier (no code taken, nothing stored); a
// replay stores no second subscription.
func TestDossierCreatedWithSubscription(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		newOffice(t, db, t0)
		in := sampleDossier("hoankiem", t0)
		in.Status, in.Supplement = dossier.StatusReceived, nil
		sub := notify.Subscription{Channel: notify.SMS, Lang: "en", Phone: "+84912345678", Link: "https://luot.example/hs/" + dossier.CodeInLink + "?k=tok"}

		// Without consent: no subscription, no message.
		plain, _ := createDossier(t, db, in, "")
		if n := count(t, db, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("a dossier without subscription queued %d messages", n)
		}

		// A bad subscription (a phone not normalised) refuses the creation.
		bad := sub
		bad.Phone = "0912 345 678"
		if _, _, _, err := db.CreateDossier(ctx, in, createdDossierEvent(in), "TP", "k1", bad); err == nil {
			t.Fatal("a dossier with a bad subscription was created")
		}
		if n := count(t, db, `SELECT count(*) FROM dossiers`); n != 1 {
			t.Fatalf("%d dossiers after a refused creation, want 1", n)
		}

		d, e, replayed, err := db.CreateDossier(ctx, in, createdDossierEvent(in), "TP", "k1", sub)
		if err != nil || replayed {
			t.Fatalf("create with a subscription: replayed %v, %v", replayed, err)
		}
		if n := count(t, db, `SELECT count(*) FROM dossiers`); n != 2 || d.Code == plain.Code {
			t.Fatalf("%d dossiers, codes %s and %s", n, plain.Code, d.Code)
		}
		item := notify.Item{Type: notify.ItemDossier, ID: d.Code, Office: "hoankiem"}
		subs, err := db.Subscriptions(ctx, item)
		if err != nil {
			t.Fatal(err)
		}
		if len(subs) != 1 || subs[0].Phone != sub.Phone || subs[0].Lang != "en" || subs[0].Link != "https://luot.example/hs/"+d.Code+"?k=tok" ||
			!subs[0].Created.Equal(e.At) || subs[0].Token == "" {
			t.Fatalf("subscriptions of %s: %+v", d.Code, subs)
		}
		ms := claim(t, db, e.At, time.Minute, 10)
		if len(ms) != 1 || ms[0].Sub.ID != subs[0].ID || ms[0].Notice.Kind != notify.DossierReceived ||
			ms[0].Notice.Key != notify.DossierKey(d.Code, e.Seq) || ms[0].Notice.Lang != "en" || ms[0].Notice.Item != item {
			t.Fatalf("messages of the receipt: %+v", ms)
		}

		// The same request again: the dossier as it is, no second opt-in.
		again, _, replayed, err := db.CreateDossier(ctx, in, createdDossierEvent(in), "TP", "k1", sub)
		if err != nil || !replayed || again.Code != d.Code {
			t.Fatalf("replay: %s replayed %v, %v", again.Code, replayed, err)
		}
		if n := count(t, db, `SELECT count(*) FROM subscriptions`); n != 1 {
			t.Fatalf("%d subscriptions after a replay, want 1", n)
		}
	})
}
