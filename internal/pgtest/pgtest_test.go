package pgtest

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

// TestCluster: a new database is reachable at its URL, survives a crash
// and restart of the cluster (Stop immediate, Start), and is dropped when
// its test ends.
func TestCluster(t *testing.T) {
	c := Get(t)
	var name string
	t.Run("database", func(t *testing.T) {
		url := c.NewDatabase(t)
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, `CREATE TABLE t (n int); INSERT INTO t VALUES (42)`); err != nil {
			t.Fatal(err)
		}
		if err := c.Stop("immediate"); err != nil {
			t.Fatal(err)
		}
		if err := db.PingContext(ctx); err == nil {
			t.Fatal("ping answered with the cluster stopped")
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT n FROM t`).Scan(&n); err != nil || n != 42 {
			t.Fatalf("after the restart: %d %v", n, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	var left int
	err := c.admin(func(ctx context.Context, db *sql.DB) error {
		return db.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&left)
	})
	if err != nil || name == "" || left != 0 {
		t.Fatalf("database %q after its test: %d left, %v", name, left, err)
	}
	if err := c.Stop("sideways"); err == nil {
		t.Fatal("a stop mode pg_ctl lacks was accepted")
	}
}

// TestWatchdog: a test binary killed (SIGKILL, as go test's timeout
// would) leaves no cluster behind: the watchdog stops it and removes its
// directory.
func TestWatchdog(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") != "" {
		c := Get(t)
		os.Stdout.WriteString("dir " + c.Dir() + "\n")
		time.Sleep(time.Minute) // killed by the parent long before
		return
	}
	Get(t) // skips when PostgreSQL is missing
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdog$", "-test.v")
	cmd.Env = append(os.Environ(), "PGTEST_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var dir string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "dir "); ok {
			dir = d
			break
		}
	}
	if dir == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child started no cluster")
	}
	pidFile := filepath.Join(dir, "data", "postmaster.pid")
	if _, err := os.Stat(pidFile); err != nil {
		t.Fatalf("the child's cluster is not running: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(time.Minute) // bounds a hang, not the expected time
	for {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the killed test's cluster in %s is still there", dir)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
