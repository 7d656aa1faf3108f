package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The statements of Commit. They are prepared once on the write
// connection and reused by every transaction: parsing the SQL again for
// each ticket cost about a third of Commit's CPU.
const (
	sqlOfficePos = `SELECT last_seq, last_order, day FROM offices WHERE id = ?`
	// sqlOfficePosPG locks the office's row until the commit ends: on
	// PostgreSQL several connections (and processes) write at once, and a
	// second commit of the same office waits here, then reads the seq the
	// first one wrote (SQLite's BEGIN IMMEDIATE serializes them instead).
	sqlOfficePosPG  = sqlOfficePos + ` FOR UPDATE`
	sqlOfficeUpdate = `UPDATE offices SET day = ?, last_seq = ?, last_order = ? WHERE id = ?`
	sqlCounterPut   = `INSERT INTO counter_status (office, counter, state, staff, current) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (office, counter) DO UPDATE SET state = excluded.state, staff = excluded.staff, current = excluded.current`
	sqlNumberPut = `INSERT INTO numbers (office, day, service, last) VALUES (?, ?, ?, ?)
		ON CONFLICT (office, day, service) DO UPDATE SET last = excluded.last WHERE excluded.last > numbers.last`
	sqlAveragePut = `INSERT INTO averages (office, service, seconds) VALUES (?, ?, ?)
		ON CONFLICT (office, service) DO UPDATE SET seconds = excluded.seconds`
	sqlIdempotencyPut = `INSERT INTO idempotency (office, key, ticket, created_at) VALUES (?, ?, ?, ?)`
	sqlActionKeyPut   = `INSERT INTO action_keys (office, key, request, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	sqlEventPut       = `INSERT INTO events (office, seq, type, at, data, public) VALUES (?, ?, ?, ?, ?, ?)`
	sqlTicketPut      = `INSERT INTO tickets (` + ticketColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			day = excluded.day, service = excluded.service, number = excluded.number,
			number_service = excluded.number_service, display = excluded.display,
			source = excluded.source, priority = excluded.priority, status = excluded.status,
			va = excluded.va, issue_order = excluded.issue_order, pinned = excluded.pinned,
			issued_at = excluded.issued_at, called_at = excluded.called_at,
			recalled_at = excluded.recalled_at, serving_at = excluded.serving_at,
			finished_at = excluded.finished_at, counter = excluded.counter, staff = excluded.staff,
			recalls = excluded.recalls, transfers = excluded.transfers, token = excluded.token,
			booking = excluded.booking, name = excluded.name, phone = excluded.phone,
			estimate_seconds = excluded.estimate_seconds, device = excluded.device,
			dossier = excluded.dossier
		WHERE tickets.office = excluded.office`
)

// pgStatements are the statements of Commit whose PostgreSQL text
// differs from SQLite's: the one place where the store's SQL is split by
// dialect.
var pgStatements = map[string]string{
	sqlOfficePos: sqlOfficePosPG,
}

// stmtCache holds the statements prepared on the write pool at Open.
// (They cannot be prepared lazily: the pool has one connection, which the
// transaction that needs them holds.)
type stmtCache struct {
	m map[string]*sql.Stmt
}

// prepare prepares Commit's statements on the write connection.
func (db *DB) prepare() error {
	db.stmts.m = map[string]*sql.Stmt{}
	for _, q := range []string{sqlOfficePos, sqlOfficeUpdate, sqlCounterPut, sqlNumberPut, sqlAveragePut, sqlIdempotencyPut, sqlActionKeyPut, sqlEventPut, sqlTicketPut, sqlOutboxPut, sqlOutboxPhonePut} {
		s, err := db.w.Prepare(q)
		if err != nil {
			return fmt.Errorf("prepare statements: %w", err)
		}
		db.stmts.m[q] = s
	}
	return nil
}

// stmt is a statement of Commit run in a transaction: a prepared
// *sql.Stmt on SQLite, the SQL text itself on PostgreSQL (txSQL).
type stmt interface {
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

// txSQL runs q in tx. On PostgreSQL, pgx prepares each statement once per
// connection and keeps it (its statement cache), so the store need not:
// a *sql.Stmt prepared on the pool would be prepared again on whichever
// connection a transaction gets.
type txSQL struct {
	tx *sql.Tx
	q  string
}

func (s txSQL) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.tx.ExecContext(ctx, s.q, args...)
}

func (s txSQL) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return s.tx.QueryRowContext(ctx, s.q, args...)
}

// txStmt returns statement q of Commit for tx: on SQLite the statement
// prepared at Open bound to tx (no new prepare: tx runs on the connection
// the statement was prepared on); on PostgreSQL, its dialect's text.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, q string) stmt {
	if db.postgres() {
		if pq, ok := pgStatements[q]; ok {
			q = pq
		}
		return txSQL{tx, q}
	}
	s, ok := db.stmts.m[q]
	if !ok {
		panic("store: statement not prepared at Open: " + q)
	}
	return tx.StmtContext(ctx, s)
}

// closeStmts closes the prepared statements.
func (db *DB) closeStmts() {
	for _, s := range db.stmts.m {
		s.Close()
	}
	db.stmts.m = nil
}
