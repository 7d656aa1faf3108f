package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"luot/server/geo"
	"luot/server/planning"
	"luot/server/planning/planningdemo"
)

// TestPlanningDemo: with -demo and nothing imported, the demo's invented
// plan is stored around the demo's map centre (the demo office), marked
// as sample data, once: a restart keeps it, and an import of the
// administrator's is never overwritten by the demo.
func TestPlanningDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demoDB(t, dir)
	o, err := parseFlags([]string{"-demo", "-data", dir})
	if err != nil {
		t.Fatal(err)
	}
	fb, err := loadFeedback(ctx, db, o)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	p, err := loadPlanning(ctx, db, o, fb, quiet)
	if err != nil {
		t.Fatal(err)
	}
	zi, pi := p.Imports()
	if !p.Sample() || zi.Count < 24 || pi.Count < 200 || p.Map.Center != fb.file.Map.Center {
		t.Fatalf("demo plan: zones %+v, parcels %+v, map %+v", zi, pi, p.Map)
	}
	a := p.Plan().At(fb.file.Map.Center)
	if len(a.Zones) != 1 || a.Outside {
		t.Fatalf("the demo office's place: %+v", a)
	}
	d, err := db.LoadPlanning(ctx)
	if err != nil || len(d.Zones) != zi.Count || len(d.Parcels) != pi.Count || !d.ZonesInfo.Sample || !d.ParcelInfo.Sample {
		t.Fatalf("stored: %d zones, %d parcels, %v", len(d.Zones), len(d.Parcels), err)
	}

	// An administrator's import: a restart with -demo keeps it.
	mine := []planning.Zone{{ID: "Z1", Code: "ODT", Area: planningdemo.Data(geo.Point{Lat: 10.7, Lon: 106.7}, planning.Info{}).Zones[0].Area}}
	if err := db.ReplaceZones(ctx, mine, planning.Info{Name: "mine", Count: 1}); err != nil {
		t.Fatal(err)
	}
	p, err = loadPlanning(ctx, db, o, fb, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if zi, _ := p.Imports(); zi.Name != "mine" || zi.Sample {
		t.Fatalf("after a restart: zones %+v", zi)
	}
}
