package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"luot/internal/e2etest"
	"luot/server/client"
)

// runOnce runs the server binary for a one-shot command (backup, restore).
func runOnce(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(e2etest.Build(t, e2etest.Server), args...).CombinedOutput()
	return string(out), err
}

// TestBackupWhileRunningAndRestore is the documented procedure: a backup
// taken while the server serves, then — server stopped — a restore, and the
// server starts on the restored data with every ticket of the backup.
func TestBackupWhileRunningAndRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	ctx := context.Background()
	data := t.TempDir()
	srv := startServer(t, data, "-demo")
	kiosk, _ := client.New(srv.url(), client.WithDeviceKey("demo-kiosk"))
	var before []*client.Ticket
	for range 5 {
		tk, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: "chung-thuc"}, client.NewIdempotencyKey())
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, tk)
	}
	backup := filepath.Join(t.TempDir(), "luot-backup.db")
	if out, err := runOnce(t, "-data", data, "-backup-to", backup); err != nil {
		t.Fatalf("backup while running: %v\n%s", err, out)
	}
	// A ticket after the backup is not in it.
	after, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: "chung-thuc"}, client.NewIdempotencyKey())
	if err != nil {
		t.Fatal(err)
	}
	// A restore under a running server is refused.
	if out, err := runOnce(t, "-data", data, "-restore", backup); err == nil || !strings.Contains(out, "stop it first") {
		t.Fatalf("restore under a live server: %v\n%s", err, out)
	}
	srv.kill()
	if out, err := runOnce(t, "-data", data, "-restore", backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	kept, _ := filepath.Glob(filepath.Join(data, "luot.db.before-restore-*"))
	if len(kept) != 1 {
		t.Fatalf("the replaced database was not kept: %v", kept)
	}
	srv2 := startServer(t, data)
	c2, _ := client.New(srv2.url())
	for _, tk := range before {
		got, err := c2.Ticket(ctx, tk.ID, tokenOf(tk.TrackURL))
		if err != nil || got.Number != tk.Number {
			t.Fatalf("ticket %s after restore: %v, %v", tk.Number, got, err)
		}
	}
	if _, err := c2.Ticket(ctx, after.ID, tokenOf(after.TrackURL)); client.StatusOf(err) != 404 {
		t.Fatalf("ticket issued after the backup: %v (want 404)", err)
	}
	// A broken file is refused and changes nothing.
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte("not a database"), 0o600)
	srv2.kill()
	if out, err := runOnce(t, "-data", data, "-restore", junk); err == nil {
		t.Fatalf("restoring junk succeeded:\n%s", out)
	}
}
