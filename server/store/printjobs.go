package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"luot/server/queue"
)

// Print jobs (migration 0007): queued by a change (queue.Change.PrintJobs,
// written by commitTx with their print.queued events), listed and
// acknowledged by the counter's station.

const printJobColumns = `office, id, counter, kind, state, doc, by_whom, created_at, done_at, fault`

// putPrintJob writes a new job of office in tx.
func putPrintJob(ctx context.Context, tx *sql.Tx, office string, j *queue.PrintJob) error {
	if j.Office != office {
		return fmt.Errorf("print job %d belongs to office %q: %w", j.ID, j.Office, ErrConflict)
	}
	doc, err := json.Marshal(j.Doc)
	if err != nil {
		return fmt.Errorf("encode print job %d: %w", j.ID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO print_jobs (`+printJobColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		office, j.ID, j.Counter, j.Kind, string(j.State), string(doc), j.By, fmtTime(j.CreatedAt), fmtTime(j.DoneAt), j.Fault)
	if err != nil {
		return conflict(fmt.Sprintf("save print job %d", j.ID), err)
	}
	return nil
}

func scanPrintJob(s scanner) (queue.PrintJob, error) {
	var j queue.PrintJob
	var state, doc string
	var created, done sql.NullString
	if err := s.Scan(&j.Office, &j.ID, &j.Counter, &j.Kind, &state, &doc, &j.By, &created, &done, &j.Fault); err != nil {
		return j, err
	}
	j.State = queue.PrintJobState(state)
	if err := json.Unmarshal([]byte(doc), &j.Doc); err != nil {
		return j, fmt.Errorf("print job %d: stored document: %w", j.ID, err)
	}
	var err error
	if j.CreatedAt, err = parseTime(created); err != nil {
		return j, err
	}
	j.DoneAt, err = parseTime(done)
	return j, err
}

// QueuedPrintJobs returns the queued jobs of a counter, oldest first, at
// most limit of them.
func (db *DB) QueuedPrintJobs(ctx context.Context, office, counter string, limit int) ([]queue.PrintJob, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+printJobColumns+` FROM print_jobs
		WHERE office = ? AND counter = ? AND state = 'queued' ORDER BY id LIMIT ?`, office, counter, limit)
	if err != nil {
		return nil, fmt.Errorf("print jobs of counter %s: %w", counter, err)
	}
	defer rows.Close()
	var out []queue.PrintJob
	for rows.Next() {
		j, err := scanPrintJob(rows)
		if err != nil {
			return nil, fmt.Errorf("print jobs of counter %s: %w", counter, err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("print jobs of counter %s: %w", counter, err)
	}
	return out, nil
}

// PrintJob returns a job of an office; ErrNotFound when there is none.
func (db *DB) PrintJob(ctx context.Context, office string, id int64) (queue.PrintJob, error) {
	j, err := scanPrintJob(db.r.QueryRowContext(ctx, `SELECT `+printJobColumns+` FROM print_jobs WHERE office = ? AND id = ?`, office, id))
	if errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("print job %d of office %q: %w", id, office, ErrNotFound)
	}
	if err != nil {
		return j, fmt.Errorf("load print job %d: %w", id, err)
	}
	return j, nil
}

// AckPrintJob applies a station's acknowledgement (queue.PrintJob.Ack) to
// a job of its counter in one transaction and returns the job after it;
// changed is false when it was already final with that result. A job of
// another counter, or none, is ErrNotFound (a station sees only its own);
// the other result is the domain's print_job_done conflict.
func (db *DB) AckPrintJob(ctx context.Context, office, counter string, id int64, result queue.PrintJobState, fault string, now time.Time) (job queue.PrintJob, changed bool, err error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return job, false, fmt.Errorf("acknowledge print job %d: %w", id, err)
	}
	defer tx.Rollback()
	j, err := scanPrintJob(tx.QueryRowContext(ctx, `SELECT `+printJobColumns+` FROM print_jobs WHERE office = ? AND id = ? AND counter = ?`+db.forUpdate(""), office, id, counter))
	if errors.Is(err, sql.ErrNoRows) {
		return job, false, fmt.Errorf("print job %d of counter %q: %w", id, counter, ErrNotFound)
	}
	if err != nil {
		return job, false, fmt.Errorf("load print job %d: %w", id, err)
	}
	next, changed, err := j.Ack(result, fault, now)
	if err != nil || !changed {
		return next, false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE print_jobs SET state = ?, done_at = ?, fault = ? WHERE office = ? AND id = ? AND state = 'queued'`,
		string(next.State), fmtTime(next.DoneAt), next.Fault, office, id); err != nil {
		return job, false, fmt.Errorf("acknowledge print job %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return job, false, fmt.Errorf("acknowledge print job %d: %w", id, err)
	}
	return next, true, nil
}

// HasStation reports whether a counter has a registered station that is
// not revoked: only then may print jobs be queued for it.
func (db *DB) HasStation(ctx context.Context, office, counter string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM devices WHERE office = ? AND kind = ? AND counter = ? AND revoked = 0`,
		office, string(queue.DeviceStation), counter).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("station of counter %s: %w", counter, err)
	}
	return n > 0, nil
}

// PrunePrintJobsBefore deletes the final (printed or failed) jobs done
// before before, and returns how many it deleted. Queued jobs stay until
// their station acknowledges them.
func (db *DB) PrunePrintJobsBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM print_jobs WHERE state <> 'queued' AND done_at < ?`, fmtTime(before))
	if err != nil {
		return 0, fmt.Errorf("prune print jobs done before %s: %w", before.Format(time.RFC3339), err)
	}
	return res.RowsAffected()
}
