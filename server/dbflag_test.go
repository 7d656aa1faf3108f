package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDBFlag: -db takes a PostgreSQL URL only, its pool at least one
// connection, and the SQLite-only file backup and restore are refused
// with it, saying what to use instead.
func TestDBFlag(t *testing.T) {
	o, err := parseFlags([]string{"-db", "postgres://luot@db.example/luot", "-db-pool", "20"})
	if err != nil || o.dbURL != "postgres://luot@db.example/luot" || o.dbPool != 20 {
		t.Fatalf("parseFlags: %+v %v", o, err)
	}
	if o, err := parseFlags(nil); err != nil || o.dbURL != "" {
		t.Fatalf("without -db: %+v %v", o, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-db", "/var/lib/luot/luot.db"}, "PostgreSQL URL"},
		{[]string{"-db", "mysql://u@h/db"}, "PostgreSQL URL"},
		{[]string{"-db", "postgres://u@h/db", "-db-pool", "0"}, "-db-pool 0"},
		{[]string{"-db", "postgres://u@h/db", "-backup-to", "x.db"}, "pg_dump"},
		{[]string{"-db", "postgres://u@h/db", "-restore", "x.db"}, "pg_dump"},
	} {
		_, err := parseFlags(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseFlags(%q): %v, want an error with %q", c.args, err, c.want)
		}
	}
}

// TestClusterSecretFile: the cluster's secret read from a file (kept out of
// the process list), given once, never empty.
func TestClusterSecretFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "secret")
	if err := os.WriteFile(good, []byte("a-secret-of-enough-length\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cluster := []string{"-db", "postgres://u@h/db", "-advertise", "http://127.0.0.1:8081"}
	o, err := parseFlags(append(cluster, "-cluster-secret-file", good))
	if err != nil || o.clusterSecret != "a-secret-of-enough-length" {
		t.Fatalf("parseFlags with -cluster-secret-file: secret %q, %v", o.clusterSecret, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append(cluster, "-cluster-secret-file", good, "-cluster-secret", "a-secret-of-enough-length"), "once"},
		{append(cluster, "-cluster-secret-file", filepath.Join(dir, "missing")), "read the cluster's secret"},
		{append(cluster, "-cluster-secret-file", empty), "is empty"},
	} {
		if _, err := parseFlags(c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseFlags(%q): %v, want an error with %q", c.args, err, c.want)
		}
	}
}
