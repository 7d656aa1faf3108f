// Package store keeps Lượt's data in one SQLite file, through
// modernc.org/sqlite (pure Go, so the server builds with CGO_ENABLED=0),
// or in a PostgreSQL database ([OpenPostgres]) shared by several server
// processes. Both are the same *DB with the same methods and the same SQL:
// see postgres.go for what differs (placeholders rebound, the migrations
// of migrations_pg/, the office row locked by Commit, errors mapped).
//
// Durability: every connection runs with journal_mode=WAL, synchronous=FULL
// (a commit is on disk before Commit returns, so an acknowledged ticket
// survives kill -9 and a power cut), busy_timeout and foreign_keys=ON.
//
// Connections: the DB keeps two pools on the same file.
//
//   - The write pool has exactly one connection, and its transactions begin
//     with BEGIN IMMEDIATE. SQLite serializes writers anyway; with one
//     connection they queue inside database/sql instead of failing with
//     SQLITE_BUSY, and a transaction that reads before it writes (Commit
//     checks the last seq) holds the write lock from the start, so another
//     process on the same file cannot slip in between and cause
//     SQLITE_BUSY_SNAPSHOT.
//   - The read pool has several connections. In WAL mode readers see the
//     last committed snapshot and never wait for the writer, so ticket
//     look-ups, event replays and backups do not queue behind an fsync.
//     Reads that must agree with each other (LoadState) run in one read
//     transaction.
//
// The schema is created and upgraded by the embedded, numbered migrations in
// migrations/ (see [Open]); on PostgreSQL by those of migrations_pg/, one
// for each of SQLite's under the same name.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"luot/server/queue"
)

// Sentinel errors, for errors.Is. Returned errors wrap them with context.
// ErrNotFound and ErrConflict are the domain's (queue.ErrNotFound,
// queue.ErrConflict), so that callers need not import the store; the
// authentication lookups wrap auth's errors as well.
var (
	// ErrNotFound: the office, staff member, device or session does not exist.
	ErrNotFound = queue.ErrNotFound
	// ErrConflict: the write collides with what is stored (an event seq
	// already taken or out of order, a number already used, an id or key
	// already present). Nothing was written; the caller's state is stale or
	// wrong and should be reloaded.
	ErrConflict = queue.ErrConflict
	// ErrRevoked: the device exists but its key was revoked.
	ErrRevoked = errors.New("device revoked")
	// ErrSchemaTooNew: the database was written by a newer Lượt.
	ErrSchemaTooNew = errors.New("database is newer than this program")
)

// BusyTimeout is how long a connection waits for a lock held by another
// connection (another process on the same file) before failing.
const BusyTimeout = 5 * time.Second

// DB is an open Lượt database. It is safe for concurrent use.
type DB struct {
	path    string  // the SQLite file, or the PostgreSQL URL
	backend string  // BackendSQLite ("" too) or BackendPostgres
	w       *sql.DB // SQLite: one connection, BEGIN IMMEDIATE; PostgreSQL: the pool
	r       *sql.DB // SQLite: readers; PostgreSQL: the same pool as w

	stmts stmtCache // Commit's statements, prepared on w

	hook CommitHook // see hook.go
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns SQLite's embedded migrations in order. Their numbers
// must run 1, 2, 3 … without gaps; a test checks it.
func migrations() ([]migration, error) { return readMigrations(migrationFiles, "migrations") }

// readMigrations reads the numbered SQL files of dir in fsys, in order.
func readMigrations(fsys embed.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s: name must start with a positive number and '_', like 0002_bookings.sql", name)
		}
		b, err := fsys.ReadFile(dir + "/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(name, ".sql"), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d (migrations must be numbered without gaps)", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this program writes: the number of
// its last migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// dsn builds the connection string: a file: URI (so that any path, even
// one with '?' or '#', is taken literally) with the pragmas that every
// connection of the pool runs when it opens.
func dsn(path string, txlock string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // file:///C:/... on Windows
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if txlock != "" {
		q.Set("_txlock", txlock)
	}
	return u.String() + "?" + q.Encode()
}

// DSN is the connection string of the store's writing connection to the
// database at path: the pragmas every connection runs (busy timeout, WAL,
// synchronous=FULL, foreign keys) and BEGIN IMMEDIATE. It is exported so
// that a measurement of raw SQLite commits (cmd/loadtest) runs on exactly
// the server's settings.
func DSN(path string) string { return dsn(path, "immediate") }

// Open opens (creating it if needed) the database at path, applies the
// migrations it lacks in one transaction, and refuses a database written by
// a newer program.
func Open(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w, err := sql.Open("sqlite", dsn(abs, "immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, w: w}
	if err := db.checkPragmas(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.migrate(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.prepare(); err != nil {
		db.closeStmts()
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(abs, ""))
	if err != nil {
		db.closeStmts()
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.r = r
	return db, nil
}

// checkPragmas makes sure the durability settings took effect: a file
// system that cannot do WAL (some network shares) must fail loudly, not
// silently run with weaker guarantees.
func (db *DB) checkPragmas() error {
	var mode string
	if err := db.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL: put the data directory on a local disk", mode)
	}
	var sync, fk int
	if err := db.w.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
		return fmt.Errorf("read synchronous: %w", err)
	}
	if err := db.w.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		return fmt.Errorf("read foreign_keys: %w", err)
	}
	if sync != 2 || fk != 1 {
		return fmt.Errorf("pragmas not applied (synchronous=%d, foreign_keys=%d)", sync, fk)
	}
	return nil
}

// migrate applies the missing migrations in one transaction.
func (db *DB) migrate() error {
	ms, err := migrations()
	create := `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER NOT NULL PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL
	)`
	if db.postgres() {
		ms, err = readMigrations(migrationFilesPG, "migrations_pg")
	} else {
		create += ` STRICT`
	}
	if err != nil {
		return err
	}
	ctx := context.Background()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", classify(err))
	}
	defer tx.Rollback()
	if db.postgres() {
		// Several processes may start together on one database: the
		// first migrates, the others wait here and then find it done.
		if _, err := tx.Exec(`SELECT pg_advisory_xact_lock(` + migrationLockKey + `)`); err != nil {
			return fmt.Errorf("lock for migration: %w", classify(err))
		}
	}
	if _, err := tx.Exec(create); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	applied := map[int]string{}
	rows, err := tx.Query(`SELECT version, name FROM schema_version`)
	if err != nil {
		return fmt.Errorf("read schema_version: %w", err)
	}
	current := 0
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			rows.Close()
			return fmt.Errorf("read schema_version: %w", err)
		}
		applied[v] = name
		current = max(current, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read schema_version: %w", err)
	}
	latest := len(ms)
	if current > latest {
		return fmt.Errorf("%w (schema %d > %d); upgrade Lượt, or restore a backup made by this version", ErrSchemaTooNew, current, latest)
	}
	for _, m := range ms {
		if name, ok := applied[m.version]; ok {
			if name != m.name {
				return fmt.Errorf("schema version %d was applied as %q but this program calls it %q; the database comes from a different build of Lượt", m.version, name, m.name)
			}
			continue
		}
		if _, err := tx.Exec(m.sql); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, fmtTime(time.Now())); err != nil {
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migrations: %w", err)
	}
	return nil
}

// Close closes the database. Pending reads fail; Commit calls in progress
// finish first.
func (db *DB) Close() error {
	db.closeStmts()
	var errs []error
	if db.r != nil && db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	errs = append(errs, db.w.Close())
	return errors.Join(errs...)
}

// Path is the file the database was opened from (on PostgreSQL, its URL,
// password included: do not print it).
func (db *DB) Path() string { return db.path }

// timeLayout is how times are stored: UTC, fixed width, so that they sort
// as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// fmtTime formats t for storage; the zero time is NULL.
func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a stored time (NULL gives the zero time), in UTC.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// isConstraint reports whether err is a UNIQUE or PRIMARY KEY violation
// (SQLite's or PostgreSQL's).
func isConstraint(err error) bool {
	if pgCode(err) == "23505" { // unique_violation
		return true
	}
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	if pgCode(err) == "23503" { // foreign_key_violation
		return true
	}
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// conflict wraps err as ErrConflict when it is a constraint violation.
func conflict(what string, err error) error {
	if isConstraint(err) {
		return fmt.Errorf("%s: %w (%v)", what, ErrConflict, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// boolInt stores a bool as 0/1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
