package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"luot/assets"
	"luot/server/dossier"
)

// TestDossiersDemo: with -demo the demo office follows the demo's
// dossiers on its calendar; every procedure is of one of its services,
// its results service takes the pickup tickets, and every department has
// a demo handler (a staff member of role handler with that unit).
func TestDossiersDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demoDB(t, dir)
	o, err := parseFlags([]string{"-demo", "-data", dir})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadDossiers(ctx, db, o)
	if err != nil {
		t.Fatal(err)
	}
	if cfg == nil || cfg.Office != "demo" || cfg.Calendar.Location.String() != "Asia/Ho_Chi_Minh" || len(cfg.Procedures) == 0 {
		t.Fatalf("demo dossiers: %+v", cfg)
	}
	off, err := db.Office(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cfg.Procedures {
		if off.Service(p.Service) == nil {
			t.Errorf("procedure %s belongs to service %q, which the demo office lacks", p.Code, p.Service)
		}
	}
	if off.Service(cfg.PickupService) == nil {
		t.Errorf("the pickup service %q is not a service of the demo office", cfg.PickupService)
	}
	handlers := map[string]string{}
	for _, id := range []string{"xl-tuphap", "xl-tckh", "xl-ldtbxh", "xl-qldt", "xl-tnmt"} {
		s, _, _, err := db.StaffAuth(ctx, "demo", id)
		if err != nil || s.Role != "handler" {
			t.Errorf("demo handler %s: %+v, %v", id, s, err)
			continue
		}
		if _, ok := cfg.Department(s.Unit); !ok {
			t.Errorf("demo handler %s works for %q, which is not a department of the demo's dossiers", id, s.Unit)
		}
		handlers[s.Unit] = id
	}
	for _, d := range cfg.Departments {
		if handlers[d.ID] == "" {
			t.Errorf("department %s (%s) has no demo handler", d.ID, d.Name)
		}
	}
}

// TestDossiersFlags: without -demo and -dossiers no dossiers are
// followed; a missing file, a file that is not a dossier file, and one
// whose pickup service the office lacks are refused with what to do.
func TestDossiersFlags(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := demoDB(t, dir)
	load := func(args ...string) (*dossier.Config, error) {
		t.Helper()
		o, err := parseFlags(append([]string{"-data", dir}, args...))
		if err != nil {
			t.Fatal(err)
		}
		return loadDossiers(ctx, db, o)
	}
	if cfg, err := load(); cfg != nil || err != nil {
		t.Errorf("no -dossiers: %+v, %v; want none", cfg, err)
	}
	if _, err := load("-dossiers", filepath.Join(dir, "absent.jsonc")); err == nil || !strings.Contains(err.Error(), "read the dossier file") {
		t.Errorf("a missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.jsonc")
	os.WriteFile(bad, []byte("{ not json"), 0o644)
	if _, err := load("-dossiers", bad); err == nil || !strings.Contains(err.Error(), "dossier file") {
		t.Errorf("a file that is not JSON: %v", err)
	}
	good := filepath.Join(dir, "dossiers.jsonc")
	os.WriteFile(good, assets.DemoDossiers, 0o644)
	if _, err := load("-dossiers", good, "-dossiers-office", "elsewhere"); err == nil {
		t.Error("an unknown office was accepted")
	}
	if cfg, err := load("-dossiers", good); err != nil || cfg.Office != "demo" {
		t.Errorf("the demo's file given with -dossiers, for the only office: %+v, %v", cfg, err)
	}
	other := filepath.Join(dir, "other.jsonc")
	os.WriteFile(other, bytes.Replace(assets.DemoDossiers, []byte(`"tra-ket-qua"`), []byte(`"nhan-ket-qua"`), 1), 0o644)
	if _, err := load("-dossiers", other); err == nil || !strings.Contains(err.Error(), `pickup service "nhan-ket-qua"`) {
		t.Errorf("a pickup service the office lacks: %v", err)
	}
}
