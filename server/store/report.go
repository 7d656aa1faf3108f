package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"luot/server/queue"
)

// ReportRows loads what the reports need (see report.Compute) of an
// office's tickets issued on the business days from … to (inclusive,
// YYYY-MM-DD), and the ratings of those tickets. Only those fields are
// filled — never names, phones, tokens or comments — and of a rating only
// the office, ticket and score. Ratings come from the ratings table
// (office, ticket, score, …) when the database has one; before that table
// exists there are none.
func (db *DB) ReportRows(ctx context.Context, office, from, to string) ([]queue.Ticket, []queue.Rating, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, day, service, counter, staff, source, priority, status,
		issued_at, called_at, recalled_at, serving_at, finished_at, estimate_seconds
		FROM tickets WHERE office = ? AND day >= ? AND day <= ? ORDER BY issue_order`, office, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("read tickets of office %s for the report: %w", office, err)
	}
	defer rows.Close()
	var out []queue.Ticket
	for rows.Next() {
		r := queue.Ticket{Office: office}
		var source, priority, status string
		var issued, called, recalled, serving, finished sql.NullString
		if err := rows.Scan(&r.ID, &r.Day, &r.Service, &r.Counter, &r.Staff, &source, &priority, &status,
			&issued, &called, &recalled, &serving, &finished, &r.EstimateSeconds); err != nil {
			return nil, nil, fmt.Errorf("read a ticket for the report: %w", err)
		}
		r.Source, r.Priority, r.Status = queue.Source(source), queue.Priority(priority), queue.Status(status)
		for _, f := range []struct {
			dst *time.Time
			src sql.NullString
		}{{&r.IssuedAt, issued}, {&r.CalledAt, called}, {&r.RecalledAt, recalled}, {&r.ServingAt, serving}, {&r.FinishedAt, finished}} {
			t, err := parseTime(f.src)
			if err != nil {
				return nil, nil, fmt.Errorf("ticket %s: %w", r.ID, err)
			}
			*f.dst = t
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read tickets of office %s for the report: %w", office, err)
	}
	ratings, err := db.reportRatings(ctx, office, from, to)
	if err != nil {
		return nil, nil, err
	}
	return out, ratings, nil
}

// reportRatings reads the ratings of the office's tickets of the days
// from … to. (Open migrates every database, so the table is there.)
func (db *DB) reportRatings(ctx context.Context, office, from, to string) ([]queue.Rating, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT r.ticket, r.score FROM ratings r JOIN tickets t ON t.id = r.ticket
		WHERE r.office = ? AND t.office = ? AND t.day >= ? AND t.day <= ?`, office, office, from, to)
	if err != nil {
		return nil, fmt.Errorf("read ratings of office %s for the report: %w", office, err)
	}
	defer rows.Close()
	var out []queue.Rating
	for rows.Next() {
		r := queue.Rating{Office: office}
		if err := rows.Scan(&r.Ticket, &r.Score); err != nil {
			return nil, fmt.Errorf("read a rating for the report: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ratings of office %s for the report: %w", office, err)
	}
	return out, nil
}

// RatingRows loads the ratings of an office's tickets of the business
// days from … to (inclusive, YYYY-MM-DD), for the rating report: of each
// its ticket, score, counter, clerk, channel, reasons and day — never the
// comment.
func (db *DB) RatingRows(ctx context.Context, office, from, to string) ([]queue.Rating, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT ticket, score, counter, staff, channel, reasons, day, at FROM ratings
		WHERE office = ? AND day >= ? AND day <= ? ORDER BY at, ticket`, office, from, to)
	if err != nil {
		return nil, fmt.Errorf("read ratings of office %s for the rating report: %w", office, err)
	}
	defer rows.Close()
	var out []queue.Rating
	for rows.Next() {
		r := queue.Rating{Office: office}
		var reasons string
		var at sql.NullString
		if err := rows.Scan(&r.Ticket, &r.Score, &r.Counter, &r.Staff, &r.Channel, &reasons, &r.Day, &at); err != nil {
			return nil, fmt.Errorf("read a rating for the rating report: %w", err)
		}
		if reasons != "" {
			r.Reasons = strings.Split(reasons, ",")
		}
		if r.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ratings of office %s for the rating report: %w", office, err)
	}
	return out, nil
}
