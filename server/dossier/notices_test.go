package dossier_test

import (
	"strings"
	"testing"

	"luot/server/dossier"
	"luot/server/notify"
)

// TestNotices: every allowed action from every status it is taken from,
// and the creations: received, supplement, ready and late are told, with
// their key, item and parameters; nothing else is.
func TestNotices(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2026-12-28 10:00")
	want := map[dossier.Action]notify.Kind{
		dossier.ActReceive:    notify.DossierReceived,
		dossier.ActSupplement: notify.DossierSupplement,
		dossier.ActComplete:   notify.DossierReady,
		dossier.ActApologize:  notify.DossierLate,
	}
	actors := map[string]dossier.Actor{"clerk": clerk, "handler": handler, "manager": manager, "integration": system, "kiosk": kiosk, "applicant": applicant}
	told := map[notify.Kind]int{}
	for _, row := range allowed {
		from := strings.Fields(strings.NewReplacer("open", open, "any", statusList()).Replace(row.from))
		actor := actors[strings.Fields(row.roles)[0]]
		for _, st := range from {
			before := inStatus(t, c, dossier.Status(st), now)
			e, err := dossier.Decide(c, before, command(row.action, actor, now), now)
			if err != nil {
				t.Fatalf("%s from %s: %v", row.action, st, err)
			}
			e.Seq = 42
			after := dossier.Apply(before, e)
			ns := dossier.Notices(before, after, e)
			kind, ok := want[row.action]
			if !ok {
				if len(ns) != 0 {
					t.Errorf("%s from %s tells %+v, want nothing", row.action, st, ns)
				}
				continue
			}
			if len(ns) != 1 {
				t.Errorf("%s from %s tells %d notices, want one %s", row.action, st, len(ns), kind)
				continue
			}
			n := ns[0]
			told[n.Kind]++
			if n.Kind != kind || n.Key != "dossier/TP-261207-0001/event/42" || !n.At.Equal(now) || n.Phone != "" ||
				n.Item != (notify.Item{Type: notify.ItemDossier, ID: "TP-261207-0001", Office: "demo"}) || n.Params["code"] != "TP-261207-0001" {
				t.Errorf("%s from %s: %+v", row.action, st, n)
			}
			for k, v := range n.Params {
				if v == "" {
					t.Errorf("%s from %s: an empty parameter %q", row.action, st, k)
				}
			}
		}
	}
	if len(told) != len(want) {
		t.Errorf("told %v, want each of %v", told, want)
	}
}

// TestNoticeWords: the parameters of each notice, said in the office's
// zone as the sender says them (InZone, then Render).
func TestNoticeWords(t *testing.T) {
	c := testConfig(t)
	mon := at(t, "2026-12-07 09:00")
	words := func(n notify.Notice) string { _, b := notify.Render(n.InZone(hcm), "vi"); return b }

	// Received at the counter: created received, due 15 working days later.
	created, e, err := dossier.Create(c, dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Nguyễn Văn An"},
		Papers: []string{"don", "ban-ve"}, Code: "TP-261207-0001"}, clerk, mon)
	if err != nil {
		t.Fatal(err)
	}
	e.Seq = 1
	ns := dossier.Notices(dossier.Dossier{}, created, e)
	if len(ns) != 1 || ns[0].Kind != notify.DossierReceived || ns[0].Key != "dossier/TP-261207-0001/event/1" {
		t.Fatalf("created received: %+v", ns)
	}
	if got, w := words(ns[0]), "Hồ sơ TP-261207-0001 đã được tiếp nhận. Ngày hẹn trả kết quả: "+dossier.DueDay(hcm, created.DueAt)[len("Thứ Hai, "):]+"."; got != w {
		t.Errorf("received: %q, want %q", got, w)
	}

	// Online: submitted tells nothing; received later tells.
	sub, e, err := dossier.Create(c, dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Trần Bình"},
		Channel: dossier.ChannelOnline, Status: dossier.StatusSubmitted, Code: "TP-261207-0002"}, system, mon)
	if err != nil {
		t.Fatal(err)
	}
	if ns := dossier.Notices(dossier.Dossier{}, sub, e); len(ns) != 0 {
		t.Errorf("submitted online: %+v, want nothing", ns)
	}

	// A supplement: what and by when (the end of the day asked).
	processing := inStatus(t, c, dossier.StatusProcessing, mon)
	e, err = dossier.Decide(c, processing, dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Bản vẽ mặt bằng có chữ ký", By: at(t, "2026-12-11 10:00")}, mon)
	if err != nil {
		t.Fatal(err)
	}
	e.Seq = 2
	ns = dossier.Notices(processing, dossier.Apply(processing, e), e)
	if len(ns) != 1 || words(ns[0]) != "Hồ sơ TP-261207-0001 cần bổ sung: Bản vẽ mặt bằng có chữ ký. Xin nộp trước hết ngày 11/12/2026." {
		t.Errorf("supplement: %+v %q", ns, words(ns[0]))
	}

	// Late: the old and the new due day.
	late := inStatus(t, c, dossier.StatusProcessing, mon)
	late.DueAt = at(t, "2026-12-05 00:00") // the end of Friday 4 December
	e, err = dossier.Decide(c, late, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Xin lỗi ông/bà", NewDue: at(t, "2026-12-10 08:00")}, mon)
	if err != nil {
		t.Fatal(err)
	}
	e.Seq = 3
	ns = dossier.Notices(late, dossier.Apply(late, e), e)
	if len(ns) != 1 || words(ns[0]) != "Chúng tôi xin lỗi: hồ sơ TP-261207-0001 chưa có kết quả đúng hẹn ngày 04/12/2026. Ngày hẹn mới: 10/12/2026." {
		t.Errorf("late: %+v %q", ns, words(ns[0]))
	}

	// No code yet (the store gives it): nothing to key a notice by.
	nocode := created
	nocode.Code = ""
	if ns := dossier.Notices(dossier.Dossier{}, nocode, e); ns != nil {
		t.Errorf("without a code: %+v", ns)
	}
}
