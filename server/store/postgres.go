package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL under the same store.
//
//   - SQL: the store's statements keep SQLite's ? and ?NNN placeholders;
//     the driver rebinds them to $n, once per distinct statement (rebind).
//     Where the two dialects differ the SQL is written in the subset both
//     accept; the statements that must differ are in pgStatements.
//   - Connections: one pool (PostgresOptions.PoolSize) for reads and
//     writes. PostgreSQL runs writers concurrently, so Commit locks the
//     office's row (SELECT … FOR UPDATE) where SQLite relies on its single
//     writer: two commits of one office, from any process, are serialized
//     and the second sees the first's seq.
//   - Schema: migrations_pg/, the same tables in PostgreSQL's types
//     (BIGINT, DOUBLE PRECISION, BYTEA); times stay fixed-width TEXT.
//     Processes starting together migrate one at a time (an advisory
//     lock).
//   - Errors: unique and foreign-key violations are ErrConflict and
//     ErrNotFound as on SQLite; a server out of reach (refused, lost,
//     restarting) is ErrUnavailable, which the API answers with 503
//     database_unavailable. The pool reconnects by itself.
//   - SQLite only: the file backup (Backup, -backup-to) and restore.

// The two backends, as Backend names them.
const (
	BackendSQLite   = "sqlite"
	BackendPostgres = "postgres"
)

// DefaultPoolSize is the number of PostgreSQL connections one process
// opens when PostgresOptions.PoolSize is zero.
const DefaultPoolSize = 10

//go:embed migrations_pg/*.sql
var migrationFilesPG embed.FS

// PostgresOptions tunes OpenPostgres.
type PostgresOptions struct {
	// PoolSize is the most connections this process holds open (reads
	// and writes share them); 0 means DefaultPoolSize. Every process of
	// a cluster has its own pool: PostgreSQL's max_connections must cover
	// the sum.
	PoolSize int
}

// IsPostgresURL reports whether s names a PostgreSQL database
// (postgres:// or postgresql://), as the -db flag accepts.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// OpenPostgres opens the PostgreSQL database at url (postgres://…, any
// parameter pgx accepts, e.g. host=/run/postgresql for a unix socket),
// applies the migrations it lacks in one transaction, and refuses a
// database written by a newer program. The tables must already be
// creatable by the user: the database itself is made by its operator.
func OpenPostgres(url string, opts ...PostgresOptions) (*DB, error) {
	var o PostgresOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.PoolSize < 0 {
		return nil, fmt.Errorf("open PostgreSQL: pool size %d is negative; give a positive number or 0 for the default (%d)", o.PoolSize, DefaultPoolSize)
	}
	if o.PoolSize == 0 {
		o.PoolSize = DefaultPoolSize
	}
	if !IsPostgresURL(url) {
		return nil, fmt.Errorf("open PostgreSQL: %q is not a postgres:// URL", redactURL(url))
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL %s: %w", redactURL(url), err)
	}
	w := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	w.SetMaxOpenConns(o.PoolSize)
	w.SetMaxIdleConns(o.PoolSize)
	db := &DB{path: url, backend: BackendPostgres, w: w, r: w}
	ctx, cancel := context.WithTimeout(context.Background(), BusyTimeout)
	defer cancel()
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open PostgreSQL %s: %w", redactURL(url), classify(err))
	}
	if err := db.migrate(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open PostgreSQL %s: %w", redactURL(url), err)
	}
	return db, nil
}

// Backend names the database under the store: BackendSQLite ("sqlite")
// or BackendPostgres ("postgres").
func (db *DB) Backend() string {
	if db.backend == "" {
		return BackendSQLite
	}
	return db.backend
}

// postgres reports whether the store runs on PostgreSQL.
func (db *DB) postgres() bool { return db.backend == BackendPostgres }

// sqliteOnly refuses an operation that exists on SQLite alone.
func (db *DB) sqliteOnly(what, instead string) error {
	if db.postgres() {
		return fmt.Errorf("%s works on SQLite only and this server runs on PostgreSQL: %s", what, instead)
	}
	return nil
}

// redactURL hides the password of a database URL, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// pgConnector wraps pgx's database/sql connector so that every statement
// the store sends, written with SQLite's ? and ?NNN placeholders, reaches
// PostgreSQL with $n ones. The rest of the store keeps one SQL text for
// both databases.
type pgConnector struct{ driver.Connector }

// Connect opens a connection that rebinds placeholders.
func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, classify(err)
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("pgx returned a %T, not a *stdlib.Conn", conn)
	}
	return pgConn{sc}, nil
}

// pgConn is a pgx connection whose statements are rebound and whose
// errors of a server out of reach wrap ErrUnavailable (classify), so that
// errors.Is finds it in whatever the store returns; every other method
// (session reset, value checks) is pgx's own.
type pgConn struct{ *stdlib.Conn }

func (c pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := c.Conn.PrepareContext(ctx, rebind(query))
	if err != nil {
		return nil, classify(err)
	}
	if ps, ok := s.(*stdlib.Stmt); ok {
		return pgStmt{ps}, nil
	}
	return s, nil
}

func (c pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	r, err := c.Conn.ExecContext(ctx, rebind(query), args)
	return r, classify(err)
}

func (c pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return wrapRows(c.Conn.QueryContext(ctx, rebind(query), args))
}

// pgStmt is a prepared statement whose errors are classified as pgConn's.
type pgStmt struct{ *stdlib.Stmt }

func (s pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	r, err := s.Stmt.ExecContext(ctx, args)
	return r, classify(err)
}

func (s pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return wrapRows(s.Stmt.QueryContext(ctx, args))
}

// pgRows are result rows whose errors (the connection lost in the middle)
// are classified as pgConn's; the end of the rows stays io.EOF, which
// database/sql compares by identity.
type pgRows struct{ *stdlib.Rows }

func (r pgRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err == io.EOF {
		return err
	}
	return classify(err)
}

// wrapRows wraps what a query returned.
func wrapRows(r driver.Rows, err error) (driver.Rows, error) {
	if err != nil {
		return nil, classify(err)
	}
	if pr, ok := r.(*stdlib.Rows); ok {
		return pgRows{pr}, nil
	}
	return r, nil
}

func (c pgConn) Ping(ctx context.Context) error { return classify(c.Conn.Ping(ctx)) }

func (c pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx begins a transaction. A read-only one of the default level runs
// at REPEATABLE READ: all its reads see one snapshot, as a read
// transaction on SQLite does (LoadState must not see an office's last seq
// from before a commit and its events from after it). Writing
// transactions keep READ COMMITTED, under the row locks they take.
func (c pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly && opts.Isolation == driver.IsolationLevel(sql.LevelDefault) {
		opts.Isolation = driver.IsolationLevel(sql.LevelRepeatableRead)
	}
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, classify(err)
	}
	return pgTx{tx}, nil
}

// pgTx is a transaction whose commit, when the server went away during
// it, fails with ErrUnavailable (the commit's outcome is then unknown to
// the caller: PostgreSQL may have made it durable just before).
type pgTx struct{ driver.Tx }

func (t pgTx) Commit() error   { return classify(t.Tx.Commit()) }
func (t pgTx) Rollback() error { return classify(t.Tx.Rollback()) }

// rebound caches rebind's results: the store sends a few hundred distinct
// statements, each rewritten once per process. Statements built with a
// varying number of placeholders (IN lists) could make more: past
// maxRebound entries the rest are rewritten each time instead.
var (
	rebound  sync.Map // string → string
	nRebound atomic.Int64
)

const maxRebound = 4096

// rebind rewrites SQLite placeholders as PostgreSQL's: ?NNN becomes $NNN
// and a bare ? the next number after the largest seen so far (SQLite's
// rule). Question marks inside string literals, quoted identifiers and
// comments are left alone.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	out := rebindText(q)
	if nRebound.Load() < maxRebound {
		if _, had := rebound.LoadOrStore(q, out); !had {
			nRebound.Add(1)
		}
	}
	return out
}

func rebindText(q string) string {
	if !strings.ContainsRune(q, '?') {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(q))
			b.WriteString(q[i:end])
			i = end - 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			j := strings.Index(q[i+2:], "*/")
			end := len(q)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(q[i:end])
			i = end - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 {
				k, _ := strconv.Atoi(q[i+1 : j])
				n = max(n, k)
				b.WriteByte('$')
				b.WriteString(q[i+1 : j])
				i = j - 1
				continue
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
