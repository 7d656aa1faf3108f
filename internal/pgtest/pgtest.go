// Package pgtest runs a private PostgreSQL cluster for tests: Debian's
// initdb and pg_ctl (package postgresql, installed by scripts/setup.sh)
// in a temporary directory, reachable only by its unix socket, started
// once per test binary and stopped by Main. No system service is used.
//
// Without PostgreSQL's programs a test that asks for the cluster is
// skipped with a message that says how to install them — but not under CI
// (CI set), where a missing PostgreSQL is a broken setup and fails.
//
// Run as root (containers, CI), the cluster's programs run as the
// postgres user (runuser), which owns the temporary directory: PostgreSQL
// refuses to run as root.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// BinDir is where Debian's postgresql package puts the server's programs.
// The environment variable LUOT_PG_BIN overrides it.
const BinDir = "/usr/lib/postgresql/15/bin"

// Install says how to get the programs (scripts/setup.sh does it).
const Install = "apt-get install postgresql (scripts/setup.sh does it)"

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	bin    string // initdb, pg_ctl, postgres
	dir    string // temporary directory: data/, the socket, the log
	runAs  string // "postgres" when the test runs as root, else ""
	user   string // the database superuser
	mu     sync.Mutex
	nextDB atomic.Int64
}

var (
	once    sync.Once
	shared  *Cluster
	initErr error
	missing bool // the programs are not installed
)

// Main runs the tests of a package (call it from TestMain) and then stops
// the cluster, if one was started, and removes its directory.
func Main(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops the cluster, if one was started, and removes its
// directory: for a TestMain that has other things to end too (Main is
// m.Run, then Shutdown).
func Shutdown() {
	if shared != nil {
		if err := shared.Stop("fast"); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
		os.RemoveAll(shared.dir)
	}
}

// Get returns the test binary's cluster, starting it on first use. It
// skips tb when PostgreSQL is not installed (fails under CI), and fails
// it when the cluster does not start.
func Get(tb testing.TB) *Cluster {
	tb.Helper()
	once.Do(func() { shared, initErr = start() })
	if missing {
		if os.Getenv("CI") != "" {
			tb.Fatalf("PostgreSQL is not installed under CI: %v; %s", initErr, Install)
		}
		tb.Skipf("PostgreSQL is not installed (%v): %s", initErr, Install)
	}
	if initErr != nil {
		tb.Fatalf("start PostgreSQL for the tests: %v", initErr)
	}
	return shared
}

// start creates and starts the cluster.
func start() (*Cluster, error) {
	bin := BinDir
	if b := os.Getenv("LUOT_PG_BIN"); b != "" {
		bin = b
	}
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(bin, p)); err != nil {
			missing = true
			return nil, fmt.Errorf("%s not found in %s", p, bin)
		}
	}
	dir, err := os.MkdirTemp("", "luot-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, PostgreSQL needs the postgres user (made by Debian's postgresql package): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.runAs = "postgres"
		c.user = "postgres"
	} else {
		u, err := user.Current()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.user = u.Username
	}
	out, err := c.run("initdb", "-D", c.data(), "-U", c.user, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions", "--no-sync")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if err := c.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c.watch()
	return c, nil
}

// watchdog stops the cluster and removes its directory once the test
// binary is gone without Main's clean-up (killed by go test's timeout, a
// panic, os.Exit in a test): a server left running would hold memory and
// connections for nothing. It is a shell in its own session, so that it
// outlives the process it watches; after a clean exit it finds nothing
// left to do.
const watchdog = `while kill -0 "$1" 2>/dev/null; do sleep 2; done
if [ -n "$5" ]; then runuser -u "$5" -- "$2" stop -D "$3" -m immediate; else "$2" stop -D "$3" -m immediate; fi >/dev/null 2>&1
rm -rf "$4"`

// watch starts the watchdog of the cluster.
func (c *Cluster) watch() {
	cmd := exec.Command("sh", "-c", watchdog, "pgtest-watchdog",
		strconv.Itoa(os.Getpid()), filepath.Join(c.bin, "pg_ctl"), c.data(), c.dir, c.runAs)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: no watchdog for the cluster (it may outlive a killed test):", err)
		return
	}
	go cmd.Wait() // reaped should it end first; it normally outlives this process
}

// data is the cluster's data directory.
func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// run runs one of PostgreSQL's programs, as the postgres user when root.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.runAs != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.runAs, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd.CombinedOutput()
}

// Start starts the cluster's server (after Stop) and waits until it
// accepts connections. It listens on its unix socket only: no TCP port,
// so that parallel test binaries never collide.
func (c *Cluster) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=200 -c fsync=on", c.dir)
	out, err := c.run("pg_ctl", "start", "-D", c.data(), "-w", "-t", "60", "-l", filepath.Join(c.dir, "log"), "-o", opts)
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, tail(string(log), 2000))
	}
	return nil
}

// Stop stops the cluster's server with pg_ctl's mode: "smart", "fast" or
// "immediate" (a crash: the next Start recovers from the WAL).
func (c *Cluster) Stop(mode string) error {
	switch mode {
	case "smart", "fast", "immediate":
	default:
		return fmt.Errorf("pgtest: stop mode %q: use smart, fast or immediate", mode)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out, err := c.run("pg_ctl", "stop", "-D", c.data(), "-w", "-t", "60", "-m", mode)
	if err != nil {
		return fmt.Errorf("pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
	return nil
}

// Dir is the cluster's temporary directory (its unix socket is there).
func (c *Cluster) Dir() string { return c.dir }

// URL is the postgres:// URL of database name on the cluster.
func (c *Cluster) URL(name string) string {
	q := url.Values{}
	q.Set("host", c.dir)
	q.Set("sslmode", "disable")
	u := url.URL{Scheme: "postgres", User: url.User(c.user), Path: "/" + name, RawQuery: q.Encode()}
	return u.String()
}

// NewDatabase creates a fresh, empty database on the cluster and returns
// its URL; it is dropped when tb ends (connections still open to it are
// ended).
func (c *Cluster) NewDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("luot_%d_%d", os.Getpid(), c.nextDB.Add(1))
	if err := c.admin(func(ctx context.Context, db *sql.DB) error {
		_, err := db.ExecContext(ctx, `CREATE DATABASE `+name)
		return err
	}); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if err := c.admin(func(ctx context.Context, db *sql.DB) error {
			_, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			return err
		}); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	return c.URL(name)
}

// admin runs fn on a connection to the cluster's postgres database.
func (c *Cluster) admin(fn func(context.Context, *sql.DB) error) error {
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return fn(ctx, db)
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// Available reports whether PostgreSQL's programs are installed.
func Available() bool {
	bin := BinDir
	if b := os.Getenv("LUOT_PG_BIN"); b != "" {
		bin = b
	}
	_, err := os.Stat(filepath.Join(bin, "pg_ctl"))
	return err == nil
}
