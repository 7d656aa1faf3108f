package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"luot/server/queue"
)

// CreateOffice adds an office with its configuration, its business day
// being the local date of now, every counter closed, nothing issued and no
// events. It validates the configuration first, and fails with ErrConflict
// if the office exists. Later configuration changes go through Commit
// (queue.State.Reconfigure), so that they carry their event.
func (db *DB) CreateOffice(ctx context.Context, o queue.Office, now time.Time) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("create office %q: %w", o.ID, err)
	}
	cfg, err := json.Marshal(&o)
	if err != nil {
		return fmt.Errorf("create office %s: encode configuration: %w", o.ID, err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create office %s: %w", o.ID, err)
	}
	defer tx.Rollback()
	ts := fmtTime(now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO offices (id, config, day, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		o.ID, string(cfg), o.Day(now), ts, ts); err != nil {
		if isConstraint(err) {
			return fmt.Errorf("create office %s: %w: it exists already; change it through its configuration instead", o.ID, ErrConflict)
		}
		return fmt.Errorf("create office %s: %w", o.ID, err)
	}
	if err := syncCounters(ctx, tx, o.ID, &o); err != nil {
		return fmt.Errorf("create office %s: %w", o.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create office %s: %w", o.ID, err)
	}
	return nil
}

// Office returns the stored, validated configuration of an office.
func (db *DB) Office(ctx context.Context, id string) (queue.Office, error) {
	var cfg []byte
	err := db.r.QueryRowContext(ctx, `SELECT config FROM offices WHERE id = ?`, id).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Office{}, fmt.Errorf("office %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return queue.Office{}, fmt.Errorf("office %s: %w", id, err)
	}
	o, err := decodeOffice(cfg)
	if err != nil {
		return queue.Office{}, fmt.Errorf("office %s: %w", id, err)
	}
	return o, nil
}

// Audit records who did what in an office (configuration changes, logins,
// device registrations …). who is a staff id, a device id or "system".
func (db *DB) Audit(ctx context.Context, office string, at time.Time, who, action, detail string) error {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO audit (office, at, who, action, detail) VALUES (?, ?, ?, ?, ?)`,
		office, fmtTime(at), who, action, detail); err != nil {
		return fmt.Errorf("audit %s by %s in %s: %w", action, who, office, err)
	}
	return nil
}

// AuditLog returns the latest entries of an office's audit log, newest
// first, at most limit (limit <= 0: 100).
func (db *DB) AuditLog(ctx context.Context, office string, limit int) ([]queue.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, office, at, who, action, detail FROM audit
		WHERE office = ? ORDER BY at DESC, id DESC LIMIT ?`, office, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log of %s: %w", office, err)
	}
	defer rows.Close()
	var out []queue.AuditEntry
	for rows.Next() {
		var e queue.AuditEntry
		var at sql.NullString
		if err := rows.Scan(&e.ID, &e.Office, &at, &e.Who, &e.Action, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log of %s: %w", office, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("audit log of %s: %w", office, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log of %s: %w", office, err)
	}
	return out, nil
}

// PruneEvents deletes the events of an office with seq <= keepAfterSeq and
// returns how many it deleted. Clients that ask for events from before the
// cut then get complete=false from EventsSince and take a snapshot. The
// office's last seq is kept, so numbering continues without a gap.
func (db *DB) PruneEvents(ctx context.Context, office string, keepAfterSeq int64) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM events WHERE office = ? AND seq <= ?`, office, keepAfterSeq)
	if err != nil {
		return 0, fmt.Errorf("prune events of %s: %w", office, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("prune events of %s: %w", office, err)
	}
	return n, nil
}

// PruneEventsBefore deletes the events of every office that happened
// before before, and returns how many it deleted: the server keeps a few
// days of events for clients that resume (older ones take a snapshot, as
// after PruneEvents). Reports read the tickets, not the events.
func (db *DB) PruneEventsBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM events WHERE at < ?`, fmtTime(before))
	if err != nil {
		return 0, fmt.Errorf("prune events before %s: %w", before.Format(time.RFC3339), err)
	}
	return res.RowsAffected()
}

// PruneRepliesBefore deletes the stored answers of keyed requests (counter
// actions) made before before; a retry that comes later is a new request.
func (db *DB) PruneRepliesBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM action_keys WHERE created_at < ?`, fmtTime(before))
	if err != nil {
		return 0, fmt.Errorf("prune answers of idempotency keys before %s: %w", before.Format(time.RFC3339), err)
	}
	return res.RowsAffected()
}

// Backup writes a consistent copy of the whole database to path with
// VACUUM INTO, while the server keeps running (it reads one snapshot and
// does not block commits). path must not exist yet. On PostgreSQL it
// refuses: the database is backed up with PostgreSQL's own tools.
func (db *DB) Backup(ctx context.Context, path string) error {
	if err := db.sqliteOnly("backup to a file", "back the database up with PostgreSQL's tools (pg_dump, or pg_basebackup with WAL archiving; docs/deploy-postgresql.md)"); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup to %s: the file exists; choose a new name or remove it first", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
