package dossier_test

import (
	"strings"
	"testing"

	"luot/server/dossier"
	"luot/server/queue"
)

// TestCreate: the three ways a dossier starts, and what is kept of the
// applicant.
func TestCreate(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2026-12-04 16:00") // Friday, after the cut-off
	d, e, err := dossier.Create(c, dossier.NewDossier{
		Procedure: " CT-01 ", Applicant: dossier.Applicant{Name: "  Nguyễn Văn An ", Phone: "0912.345.678", Address: "12 Lê Lợi"},
		IDNumber: "0012 3456 7890", Papers: []string{"ban-chinh"}, Extra: []string{"Bản sao CCCD", "  "},
		Ticket: "t1", TicketNumber: "C004", Counter: "q2", TokenHash: []byte{1, 2, 3},
	}, clerk, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Procedure != "CT-01" || d.Field != "chung-thuc" || d.Department != "tu-phap" || d.Channel != dossier.ChannelCounter ||
		d.Status != dossier.StatusReceived || !d.ReceivedAt.Equal(now) || local(d.DueAt) != "2026-12-08 00:00" || !d.OriginalDue.Equal(d.DueAt) ||
		d.ReceivedBy != clerk.Name || d.Counter != "q2" || d.TicketNumber != "C004" || d.Version != 1 || d.Office != "demo" || d.Code != "" {
		t.Errorf("received: %+v", d)
	}
	if d.Applicant != (dossier.Applicant{Name: "Nguyễn Văn An", Phone: "+84912345678", IDMasked: "********7890", Address: "12 Lê Lợi"}) {
		t.Errorf("applicant %+v", d.Applicant)
	}
	if len(d.Extra) != 1 || d.Extra[0] != "Bản sao CCCD" || len(d.Papers) != 1 {
		t.Errorf("papers %v, extra %q", d.Papers, d.Extra)
	}
	if e.Type != dossier.TypeCreated || e.Created == nil || e.Status != dossier.StatusReceived || !e.DueAt.Equal(d.DueAt) || e.Actor != clerk || e.Department != "tu-phap" {
		t.Errorf("event %+v", e)
	}
	if got := dossier.Apply(dossier.Dossier{}, e); got.Applicant != d.Applicant || !got.DueAt.Equal(d.DueAt) {
		t.Errorf("applied %+v", got)
	}
	d.TokenHash[0] = 9
	if e.Created.TokenHash[0] != 1 {
		t.Error("the event shares the dossier's token hash")
	}

	// Online, not yet received: no clock; received later, it starts.
	s, _, err := dossier.Create(c, dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Trần Bình"}, Channel: dossier.ChannelOnline, Status: dossier.StatusSubmitted, Code: "TP-261204-0042", External: "000.00.12.H56-261204-0042"}, system, now)
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != dossier.StatusSubmitted || !s.DueAt.IsZero() || !s.SubmittedAt.Equal(now) || !s.ReceivedAt.IsZero() || s.Code != "TP-261204-0042" || s.External == "" || s.Late(now.AddDate(1, 0, 0)) {
		t.Errorf("submitted: %+v", s)
	}
	mon := at(t, "2026-12-07 08:00")
	s, _ = step(t, c, s, dossier.Command{Action: dossier.ActReceive, Actor: system}, mon)
	if !s.ReceivedAt.Equal(mon) || local(s.DueAt) != "2026-12-29 00:00" || !s.OriginalDue.Equal(s.DueAt) || s.ReceivedBy != system.Name {
		t.Errorf("received online: %+v", s)
	}

	// Refused at the counter: a code for the record, the reason, no clock.
	r, e, err := dossier.Create(c, dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Lê Cường"}, Status: dossier.StatusRefused, Reason: "Thiếu bản vẽ thiết kế"}, clerk, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != dossier.StatusRefused || r.Reason != "Thiếu bản vẽ thiết kế" || e.Note != r.Reason || !r.DueAt.IsZero() || !r.SubmittedAt.Equal(now) || r.Open() {
		t.Errorf("refused: %+v", r)
	}
}

// TestCreateRefusals: the bad-input matrix of a new dossier.
func TestCreateRefusals(t *testing.T) {
	c := testConfig(t)
	now := at(t, "2026-12-07 09:00")
	good := func() dossier.NewDossier {
		return dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Nguyễn Văn An"}, Papers: []string{"don", "ban-ve"}}
	}
	with := func(f func(*dossier.NewDossier)) dossier.NewDossier { nd := good(); f(&nd); return nd }
	cases := []struct {
		name string
		nd   dossier.NewDossier
		by   dossier.Actor
		kind queue.Kind
		code string
	}{
		{"an unknown procedure", with(func(nd *dossier.NewDossier) { nd.Procedure = "XD-99" }), clerk, queue.KindNotFound, "unknown_procedure"},
		{"no procedure", with(func(nd *dossier.NewDossier) { nd.Procedure = "" }), clerk, queue.KindNotFound, "unknown_procedure"},
		{"by a handler", good(), handler, queue.KindForbidden, "dossier_forbidden"},
		{"by the kiosk", good(), kiosk, queue.KindForbidden, "dossier_forbidden"},
		{"by the applicant", good(), applicant, queue.KindForbidden, "dossier_forbidden"},
		{"no name", with(func(nd *dossier.NewDossier) { nd.Applicant.Name = "   " }), clerk, queue.KindInvalid, "invalid_applicant"},
		{"a name too long", with(func(nd *dossier.NewDossier) { nd.Applicant.Name = strings.Repeat("ă", dossier.MaxName+1) }), clerk, queue.KindInvalid, "invalid_applicant"},
		{"a name of two lines", with(func(nd *dossier.NewDossier) { nd.Applicant.Name = "An\nBình" }), clerk, queue.KindInvalid, "invalid_applicant"},
		{"a name with a direction override", with(func(nd *dossier.NewDossier) { nd.Applicant.Name = "An\u202e" }), clerk, queue.KindInvalid, "invalid_applicant"},
		{"a landline", with(func(nd *dossier.NewDossier) { nd.Applicant.Phone = "024 3825 1234" }), clerk, queue.KindInvalid, "invalid_phone"},
		{"an ID number of 10 digits", with(func(nd *dossier.NewDossier) { nd.IDNumber = "0012345678" }), clerk, queue.KindInvalid, "invalid_id_number"},
		{"an ID number with letters", with(func(nd *dossier.NewDossier) { nd.IDNumber = "00123456789A" }), clerk, queue.KindInvalid, "invalid_id_number"},
		{"a masked ID that shows everything", with(func(nd *dossier.NewDossier) { nd.Applicant.IDMasked = "001234567890" }), system, queue.KindInvalid, "invalid_id_number"},
		{"a required paper missing at the counter", with(func(nd *dossier.NewDossier) { nd.Papers = []string{"don"} }), clerk, queue.KindInvalid, "papers_missing"},
		{"a paper of another procedure", with(func(nd *dossier.NewDossier) { nd.Papers = append(nd.Papers, "ban-chinh") }), clerk, queue.KindInvalid, "invalid_papers"},
		{"a paper twice", with(func(nd *dossier.NewDossier) { nd.Papers = append(nd.Papers, "don") }), clerk, queue.KindInvalid, "invalid_papers"},
		{"too many papers", with(func(nd *dossier.NewDossier) { nd.Extra = make([]string, dossier.MaxPapers) }), clerk, queue.KindInvalid, "invalid_papers"},
		{"another paper of two lines", with(func(nd *dossier.NewDossier) { nd.Extra = []string{"a\nb"} }), clerk, queue.KindInvalid, "invalid_papers"},
		{"an unknown channel", with(func(nd *dossier.NewDossier) { nd.Channel = "fax" }), clerk, queue.KindInvalid, "invalid_channel"},
		{"created processing", with(func(nd *dossier.NewDossier) { nd.Status = dossier.StatusProcessing }), system, queue.KindInvalid, "invalid_status"},
		{"refused without a reason", with(func(nd *dossier.NewDossier) { nd.Status = dossier.StatusRefused }), clerk, queue.KindInvalid, "invalid_reason"},
		{"a code of another office", with(func(nd *dossier.NewDossier) { nd.Code = "HN-261207-0001" }), system, queue.KindNotFound, "unknown_dossier"},
		{"a code that is not one", with(func(nd *dossier.NewDossier) { nd.Code = "TP-2612-1" }), system, queue.KindInvalid, "invalid_dossier_code"},
		{"an external id of two lines", with(func(nd *dossier.NewDossier) { nd.External = "a\nb" }), system, queue.KindInvalid, "invalid_dossier"},
	}
	for _, k := range cases {
		_, _, err := dossier.Create(c, k.nd, k.by, now)
		wantCode(t, k.name, err, k.kind, k.code)
	}
	// The province's system and imports may record a dossier without
	// its checklist (their papers are in their own system).
	if _, _, err := dossier.Create(c, with(func(nd *dossier.NewDossier) { nd.Papers = nil }), system, now); err != nil {
		t.Errorf("integration without papers: %v", err)
	}
}
