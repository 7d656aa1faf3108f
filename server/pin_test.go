package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/server/engine"
	"luot/server/hub"
	"luot/server/store"
)

// -import of a file whose administrator has a PIN shorter than
// -admin-pin-min is refused before the office exists; the demo's
// administrator has a 6-digit PIN and imports.
func TestImportRefusesShortAdminPIN(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng := engine.New(db, hub.New(0), time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	short := strings.Replace(string(assets.DemoOffice), `"pin": "123456"`, `"pin": "1234"`, 1)
	err = importOffice(ctx, db, eng, []byte(short), false, 6)
	if err == nil || !strings.Contains(err.Error(), "administrator's PIN must have at least 6") {
		t.Fatalf("short admin PIN imported: %v", err)
	}
	if _, err := db.Office(ctx, "demo"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused file created its office: %v", err)
	}
	if err := importOffice(ctx, db, eng, []byte(short), false, 4); err != nil {
		t.Fatalf("-admin-pin-min 4: %v", err)
	}
	if err := importOffice(ctx, db, eng, assets.DemoOffice, false, 0); err != nil {
		t.Fatalf("demo: %v", err)
	}
}

// A -trusted-proxies list that does not parse stops the server at start,
// saying what is wrong, rather than trusting nothing (or everything).
func TestBadTrustedProxiesRefused(t *testing.T) {
	err := run(context.Background(), []string{"-data", t.TempDir(), "-addr", "127.0.0.1:0", "-trusted-proxies", "10.0.0.0/8,proxy.local"})
	if err == nil || !strings.Contains(err.Error(), "-trusted-proxies") || !strings.Contains(err.Error(), "CIDR") {
		t.Fatalf("bad list: %v", err)
	}
}
