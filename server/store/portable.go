package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Helpers that keep the SQL of the dossiers, reports and outbox the same
// on SQLite and PostgreSQL.

// snapshot begins a read transaction whose statements all see the same
// committed data: PostgreSQL's default (READ COMMITTED) takes a new
// snapshot for each statement, REPEATABLE READ one for the transaction.
// SQLite's read transactions are snapshots anyway (its driver takes no
// isolation level).
var snapshot = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}

// sqlLimit is the LIMIT of a list with this limit: 0 means none. SQLite
// wants a negative number for "no limit" and PostgreSQL refuses one, so
// both get the largest bigint (OFFSET needs a LIMIT on SQLite).
func sqlLimit(limit int) int64 {
	if limit <= 0 {
		return math.MaxInt64
	}
	return int64(limit)
}

// dossierCreatedSeq orders dossiers as they were stored: the seq of a
// dossier's first event, written in the transaction that stored it
// (SQLite's rowid has no PostgreSQL equivalent).
const dossierCreatedSeq = `(SELECT min(seq) FROM dossier_events WHERE dossier_events.dossier = dossiers.code)`

// withoutFields returns the JSON object data without the fields names of
// its member obj, when that member's field role is one of roles; changed
// is false (and data is returned as is) when there was nothing to remove.
// It is the portable form of SQLite's json_remove guarded by
// json_extract: the other members keep their values (in the sorted order
// of encoding/json).
func withoutFields(data, obj, role string, roles []string, names ...string) (out string, changed bool, err error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &top); err != nil {
		return data, false, fmt.Errorf("stored JSON is not an object: %w", err)
	}
	raw, ok := top[obj]
	if !ok || string(raw) == "null" {
		return data, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return data, false, fmt.Errorf("stored JSON member %q is not an object: %w", obj, err)
	}
	var r string
	if v, ok := m[role]; !ok || json.Unmarshal(v, &r) != nil {
		return data, false, nil
	}
	match := false
	for _, x := range roles {
		match = match || r == x
	}
	if !match {
		return data, false, nil
	}
	for _, n := range names {
		if _, ok := m[n]; ok {
			delete(m, n)
			changed = true
		}
	}
	if !changed {
		return data, false, nil
	}
	if top[obj], err = json.Marshal(m); err != nil {
		return data, false, err
	}
	b, err := json.Marshal(top)
	if err != nil {
		return data, false, err
	}
	return string(b), true, nil
}

// forUpdate is the locking clause of a read that a transaction writes
// after (" FOR UPDATE", with its options): on PostgreSQL, where writers
// run side by side, it makes a second writer of the same rows wait for the
// first (or, with "SKIP LOCKED", pass them by); SQLite's one writer at a
// time needs none, and has no such clause.
func (db *DB) forUpdate(opts string) string {
	if !db.postgres() {
		return ""
	}
	if opts != "" {
		return " FOR UPDATE " + opts
	}
	return " FOR UPDATE"
}

// insertBatch is how many rows insertRows sends in one INSERT: one round
// trip for many rows (PostgreSQL answers each statement over the network,
// which made a row at a time ten times slower than SQLite), and within
// both databases' limits on parameters (SQLite 32766, PostgreSQL 65535).
const insertBatch = 500

// insertRows inserts n rows into table's columns cols in tx, a few hundred
// to a statement; row appends the values of row i (len(cols) of them) to
// args and returns it.
func insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(i int, args []any) []any) error {
	one := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	args := make([]any, 0, insertBatch*len(cols))
	for start := 0; start < n; start += insertBatch {
		end := min(start+insertBatch, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if len(args) != (end-start)*len(cols) {
			return fmt.Errorf("insert into %s: %d values for %d rows of %d columns", table, len(args), end-start, len(cols))
		}
		q := head + one + strings.Repeat(", "+one, end-start-1)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert rows %d–%d into %s: %w", start, end-1, table, err)
		}
	}
	return nil
}

// lockKey makes the transactions that give the same name wait for each
// other until the first ends, so that a check for an idempotency key and
// the insert of that key happen as one step: on PostgreSQL a transaction
// advisory lock on the name's hash (another name of the same hash only
// waits too), on SQLite nothing, its one writer at a time does it.
func (db *DB) lockKey(ctx context.Context, tx *sql.Tx, name string) error {
	if !db.postgres() {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, name); err != nil {
		return fmt.Errorf("lock %q: %w", name, err)
	}
	return nil
}
