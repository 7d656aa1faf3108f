package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRawCommitsOnTheStoreSettings: the raw commit rate is measured on
// the connection settings of the server's store, not on a copy of them
// (the copy this tool once had lacked foreign_keys).
func TestRawCommitsOnTheStoreSettings(t *testing.T) {
	db, err := openRaw(filepath.Join(t.TempDir(), "raw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	var sync, fk, busy int
	for q, dst := range map[string]any{"PRAGMA journal_mode": &mode, "PRAGMA synchronous": &sync, "PRAGMA foreign_keys": &fk, "PRAGMA busy_timeout": &busy} {
		if err := db.QueryRow(q).Scan(dst); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if !strings.EqualFold(mode, "wal") || sync != 2 || fk != 1 || busy != 5000 {
		t.Fatalf("journal_mode %s, synchronous %d, foreign_keys %d, busy_timeout %d: not the store's settings", mode, sync, fk, busy)
	}
}
