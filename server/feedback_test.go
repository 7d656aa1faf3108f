package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/server/engine"
	"luot/server/feedback"
	"luot/server/feedbackjobs"
	"luot/server/hub"
	"luot/server/photo"
	"luot/server/store"
)

// demoDB is a database with the demo office imported, in dir.
func demoDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	eng := engine.New(db, hub.New(0), time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if err := importOffice(ctx, db, eng, assets.DemoOffice, true, 0); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestFeedbackDemo: with -demo the demo office runs the demo's feedback
// reports on its calendar, its moderator and handlers are imported, the
// samples are seeded once, and the hourly housekeeping erases the
// reporters of closed reports a year on and sweeps photos no report
// uses, keeping the others.
func TestFeedbackDemo(t *testing.T) {
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
	if fb.cfg.Office != "demo" || fb.cfg.Calendar.Location.String() != "Asia/Ho_Chi_Minh" || len(fb.cfg.Categories) != 10 || fb.cfg.EraseDelay() != 365*24*time.Hour {
		t.Fatalf("demo feedback: office %q, zone %v, %d categories, erase after %v", fb.cfg.Office, fb.cfg.Calendar.Location, len(fb.cfg.Categories), fb.cfg.EraseDelay())
	}
	if fb.photos.Root() != filepath.Join(dir, "photos") {
		t.Fatalf("photos in %s", fb.photos.Root())
	}
	for id, unit := range map[string]string{"kiemduyet": "", "xl-dong": "phuong-dong", "xl-qldt": "qldt"} {
		s, _, _, err := db.StaffAuth(ctx, "demo", id)
		if err != nil || s.Unit != unit {
			t.Errorf("demo staff %s: %+v, %v", id, s, err)
		}
		if _, ok := fb.cfg.Unit(s.Unit); unit != "" && !ok {
			t.Errorf("demo staff %s works for unit %q, which the demo's feedback file lacks", id, s.Unit)
		}
	}
	now := time.Now()
	n, err := feedbackjobs.SeedDemo(ctx, db, fb.cfg, feedbackjobs.Photos{Pipeline: fb.pipeline, Dir: fb.photos}, now)
	if err != nil || n != feedbackjobs.DemoReports {
		t.Fatalf("SeedDemo = %d, %v", n, err)
	}
	// A photo uploaded two days ago that no report took, and every photo
	// made two days old: the first goes, the others stay.
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{1, 2, 3, 255}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	png.Encode(&buf, img)
	stray, err := photo.Process(&buf, photo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if err := fb.photos.Save(stray); err != nil {
		t.Fatal(err)
	}
	old := now.Add(-48 * time.Hour)
	filepath.WalkDir(fb.photos.Root(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	later := now.Add(fb.cfg.EraseDelay() + 10*24*time.Hour)
	maintainFeedback(ctx, db, fb, later, log)
	if fb.photos.Has(stray.Hash) {
		t.Errorf("the unused photo was kept; log:\n%s", logs.String())
	}
	rs, err := db.Reports(ctx, feedback.Filter{Office: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	erased := 0
	for _, r := range rs {
		for _, p := range r.Photos {
			if !fb.photos.Has(p.Hash) {
				t.Errorf("photo %s of %s was swept", p.Hash, r.Code)
			}
		}
		if !r.Open() && !r.Erased.IsZero() {
			erased++
		}
		if !r.Open() && (r.Reporter.Name != "" || r.Reporter.Phone != "") {
			t.Errorf("closed report %s keeps its reporter a year on", r.Code)
		}
		if r.Open() && !r.Reporter.Anonymous && r.Reporter.Name == "" {
			t.Errorf("open report %s lost its reporter", r.Code)
		}
	}
	if erased == 0 || !strings.Contains(logs.String(), "erased the reporters' personal data") {
		t.Fatalf("%d reports erased; log:\n%s", erased, logs.String())
	}
	// The demo seeds once.
	if n, err := feedbackjobs.SeedDemo(ctx, db, fb.cfg, feedbackjobs.Photos{Pipeline: fb.pipeline, Dir: fb.photos}, later); n != 0 || err != nil {
		t.Fatalf("second SeedDemo = %d, %v", n, err)
	}
}

// TestFeedbackFlags: -feedback reads a file and the wards beside it,
// -feedback-erase-after overrides the file's delay, a negative one is
// refused, an unknown office is refused, and without -feedback or -demo
// there are no feedback reports.
func TestFeedbackFlags(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demoDB(t, dir)
	conf := filepath.Join(dir, "conf")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(conf, "feedback.jsonc"), assets.DemoFeedback, 0o644)
	os.WriteFile(filepath.Join(conf, "wards.geojson"), assets.DemoWards, 0o644)
	load := func(args ...string) (*feedbackSetup, error) {
		t.Helper()
		o, err := parseFlags(append([]string{"-data", dir}, args...))
		if err != nil {
			return nil, err
		}
		return loadFeedback(ctx, db, o)
	}
	fb, err := load("-feedback", filepath.Join(conf, "feedback.jsonc"), "-feedback-erase-after", "48h")
	if err != nil {
		t.Fatal(err)
	}
	if fb.cfg.Office != "demo" || fb.cfg.EraseDelay() != 48*time.Hour || len(fb.file.WardsGeoJSON) == 0 {
		t.Fatalf("office %q, erase after %v, wards %d bytes", fb.cfg.Office, fb.cfg.EraseDelay(), len(fb.file.WardsGeoJSON))
	}
	if fb, err := load(); fb != nil || err != nil {
		t.Fatalf("no -feedback: %v, %v", fb, err)
	}
	for _, args := range [][]string{
		{"-feedback-erase-after", "-1h"},
		{"-feedback", filepath.Join(conf, "missing.jsonc")},
		{"-feedback", filepath.Join(conf, "feedback.jsonc"), "-feedback-office", "nowhere"},
	} {
		if _, err := load(args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	os.Remove(filepath.Join(conf, "wards.geojson"))
	if _, err := load("-feedback", filepath.Join(conf, "feedback.jsonc")); err == nil {
		t.Error("a feedback file whose wards file is missing was accepted")
	}
}
