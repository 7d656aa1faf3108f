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
	sqlOfficePos    = `SELECT last_seq, last_order, day FROM offices WHERE id = ?`
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

// txStmt returns the prepared statement q bound to tx (no new prepare:
// tx runs on the connection the statement was prepared on).
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
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
