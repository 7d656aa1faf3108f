package dossierjobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/server/dossier"
	"luot/server/dossierfile"
	"luot/server/dossierjobs"
	"luot/server/servertest/backend"
)

var ctx = context.Background()

// config is the demo's catalogue (assets/demo/dossiers.jsonc) on the
// demo office's calendar.
func config(t *testing.T, b *backend.Backend) *dossier.Config {
	t.Helper()
	off, err := b.DB.Office(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	f, err := dossierfile.Parse(assets.DemoDossiers)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.For(&off)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The demo's sample dossiers: DemoDossiers of them, marked as samples
// (Sample, the name's label), made before now, in every status, some
// late, some ready for pickup (completed), one with an apology, one
// rated; the history of each is whole; a second run adds none.
func TestSeedDemo(t *testing.T) {
	b := backend.New(t, backend.Config{Office: backend.DemoOffice()})
	cfg := config(t, b)
	now := b.Clock.Now()
	n, err := dossierjobs.SeedDemo(ctx, b.DB, cfg, now)
	if err != nil || n != dossierjobs.DemoDossiers {
		t.Fatalf("SeedDemo = %d, %v", n, err)
	}
	ds, err := b.DB.Dossiers(ctx, dossier.Filter{Office: "demo"})
	if err != nil || len(ds) != dossierjobs.DemoDossiers {
		t.Fatalf("%d dossiers stored (%v)", len(ds), err)
	}
	statuses := map[dossier.Status]int{}
	late, ready, apologies, rated := 0, 0, 0, 0
	for _, d := range ds {
		if !d.Sample || !strings.HasPrefix(d.Applicant.Name, dossierjobs.SampleLabel) {
			t.Errorf("%s is not marked as a sample: sample %v, name %q", d.Code, d.Sample, d.Applicant.Name)
		}
		if d.ReceivedAt.After(now) || d.SubmittedAt.After(now) || d.CompletedAt.After(now) {
			t.Errorf("%s is made in the future: %+v", d.Code, d)
		}
		statuses[d.Status]++
		if d.Late(now) {
			late++
		}
		if d.Status == dossier.StatusCompleted {
			ready++
		}
		if d.Apology != nil {
			apologies++
		}
		if d.Rating != nil {
			rated++
		}
		h, err := b.DB.History(ctx, d.Code)
		if err != nil || len(h) != d.Version {
			t.Errorf("%s: %d events for version %d (%v)", d.Code, len(h), d.Version, err)
		}
	}
	for _, s := range dossier.Statuses {
		if statuses[s] == 0 {
			t.Errorf("no sample dossier is %s (%v)", s, statuses)
		}
	}
	if late < 3 || ready < 3 || apologies == 0 || rated == 0 {
		t.Errorf("%d late, %d ready for pickup, %d apologies, %d rated; want a few late and ready, an apology and a rating", late, ready, apologies, rated)
	}
	if ready := dossier.ReadyList(cfg, ds); len(ready) < 3 || !strings.Contains(ready[0].Name, "Mẫu") {
		t.Errorf("the boards' list of samples: %+v", ready)
	}

	if n, err := dossierjobs.SeedDemo(ctx, b.DB, cfg, now.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("a second SeedDemo = %d, %v; want 0: the office has dossiers", n, err)
	}
}

// An office with dossiers of its own gets no samples.
func TestSeedDemoLeavesAnOfficeWithDossiers(t *testing.T) {
	b := backend.New(t, backend.Config{Office: backend.DemoOffice()})
	cfg := config(t, b)
	now := b.Clock.Now()
	p := cfg.Procedures[0]
	var papers []string
	for _, pp := range p.Papers {
		papers = append(papers, pp.ID)
	}
	d, e, err := dossier.Create(cfg, dossier.NewDossier{Procedure: p.Code, Applicant: dossier.Applicant{Name: "Trần Văn Thật", Phone: "0912345678"},
		Papers: papers}, dossier.Actor{Role: dossier.RoleClerk, ID: "nv1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := b.DB.CreateDossier(ctx, d, e, cfg.Prefix, ""); err != nil {
		t.Fatal(err)
	}
	if n, err := dossierjobs.SeedDemo(ctx, b.DB, cfg, now); err != nil || n != 0 {
		t.Fatalf("SeedDemo = %d, %v; want 0", n, err)
	}
	if ds, _ := b.DB.Dossiers(ctx, dossier.Filter{Office: "demo"}); len(ds) != 1 {
		t.Errorf("%d dossiers, want the office's one", len(ds))
	}
}
