package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"luot/server/queue"
)

const bookingColumns = `code, office, service, date, slot, name, phone, status, ticket, created_at, token_hash`

// putBooking inserts a new booking or updates the status and ticket of an
// existing one. A new booking whose code is already used (by an older
// booking of any office) is refused with ErrConflict rather than
// overwriting it: an update must match the stored office and creation time.
func putBooking(ctx context.Context, tx *sql.Tx, office string, b *queue.Booking, at time.Time) error {
	if b.Office != office {
		return fmt.Errorf("booking %s belongs to office %q: %w", b.Code, b.Office, ErrConflict)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO bookings (`+bookingColumns+`, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET status = excluded.status, ticket = excluded.ticket,
			name = excluded.name, phone = excluded.phone, updated_at = excluded.updated_at
		WHERE bookings.office = excluded.office AND bookings.created_at = excluded.created_at`,
		b.Code, b.Office, b.Service, b.Date, b.Slot, b.Name, b.Phone, string(b.Status), b.Ticket,
		fmtTime(b.CreatedAt), b.TokenHash, fmtTime(at))
	if err != nil {
		return conflict("save booking "+b.Code, err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		return fmt.Errorf("booking code %s is already used by another booking: %w; make another code", b.Code, ErrConflict)
	}
	return nil
}

func scanBooking(s scanner) (*queue.Booking, error) {
	var b queue.Booking
	var status string
	var created sql.NullString
	if err := s.Scan(&b.Code, &b.Office, &b.Service, &b.Date, &b.Slot, &b.Name, &b.Phone, &status, &b.Ticket, &created, &b.TokenHash); err != nil {
		return nil, err
	}
	b.Status = queue.BookingStatus(status)
	// Slots stored by versions that read "+9:00" as 09:00 are counted in
	// the canonical form (queue.StoredClock).
	b.Slot = queue.StoredClock(b.Slot)
	b.Name = queue.StripFormatChars(b.Name)
	t, err := parseTime(created)
	if err != nil {
		return nil, fmt.Errorf("booking %s: %w", b.Code, err)
	}
	b.CreatedAt = t
	return &b, nil
}

// loadBookings reads the bookings of the state's day and later days.
func loadBookings(ctx context.Context, tx *sql.Tx, s *queue.State) error {
	return eachRow(ctx, tx, "bookings", func(r scanner) error {
		b, err := scanBooking(r)
		if err != nil {
			return err
		}
		s.Bookings[b.Code] = b
		return nil
	}, `SELECT `+bookingColumns+` FROM bookings WHERE office = ? AND date >= ?`, s.Office.ID, s.Day)
}

// Booking loads a booking by code, of any office and date. It returns
// ErrNotFound when there is none.
func (db *DB) Booking(ctx context.Context, code string) (*queue.Booking, error) {
	b, err := scanBooking(db.r.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("booking %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load booking %s: %w", code, err)
	}
	return b, nil
}

// PutRating stores a rating. A ticket is rated once, whatever the
// channel: a second rating fails with ErrConflict; an unknown ticket with
// ErrNotFound. An empty Channel is queue.RatingPhone.
func (db *DB) PutRating(ctx context.Context, r queue.Rating) error {
	_, _, err := db.PutRatingKeyed(ctx, r, "")
	return err
}

// PutRatingKeyed is PutRating with an idempotency key (scoped by the
// caller, "" for none). When a rating of the office was already stored
// with key, it stores nothing and returns that rating with replayed true:
// the caller compares it with r to tell a retry from a key used again for
// another request.
func (db *DB) PutRatingKeyed(ctx context.Context, r queue.Rating, key string) (*queue.Rating, bool, error) {
	if r.Score < 1 || r.Score > 4 {
		return nil, false, fmt.Errorf("rating of ticket %s: score %d must be 1 to 4", r.Ticket, r.Score)
	}
	if r.Channel == "" {
		r.Channel = queue.RatingPhone
	}
	if r.Channel != queue.RatingPhone && r.Channel != queue.RatingStation {
		return nil, false, fmt.Errorf("rating of ticket %s: channel %q must be %q or %q", r.Ticket, r.Channel, queue.RatingPhone, queue.RatingStation)
	}
	for _, id := range r.Reasons {
		if !queue.ValidID(id) {
			return nil, false, fmt.Errorf("rating of ticket %s: reason %q is not an id", r.Ticket, id)
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, fmt.Errorf("save rating of ticket %s: %w", r.Ticket, err)
	}
	defer tx.Rollback()
	if key != "" {
		prev, err := scanRating(tx.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE office = ? AND idem_key = ?`, r.Office, key))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, false, fmt.Errorf("look up the idempotency key of a rating: %w", err)
		}
		if err == nil {
			return prev, true, nil
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO ratings (office, ticket, score, comment, counter, staff, service, day, at, channel, reasons, idem_key)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ? AND office = ?)`,
		r.Office, r.Ticket, r.Score, r.Comment, r.Counter, r.Staff, r.Service, r.Day, fmtTime(r.At),
		r.Channel, strings.Join(r.Reasons, ","), key, r.Ticket, r.Office)
	if isConstraint(err) {
		return nil, false, fmt.Errorf("ticket %s is already rated: %w", r.Ticket, ErrConflict)
	}
	if err != nil {
		return nil, false, fmt.Errorf("save rating of ticket %s: %w", r.Ticket, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, false, fmt.Errorf("rating of ticket %s of office %s: %w", r.Ticket, r.Office, ErrNotFound)
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("save rating of ticket %s: %w", r.Ticket, err)
	}
	return &r, false, nil
}

// RatingByKey returns the rating of an office stored with an idempotency
// key (scoped by the caller), or nil when there is none.
func (db *DB) RatingByKey(ctx context.Context, office, key string) (*queue.Rating, error) {
	if key == "" {
		return nil, nil
	}
	r, err := scanRating(db.r.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE office = ? AND idem_key = ?`, office, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up the idempotency key of a rating: %w", err)
	}
	return r, nil
}

const ratingColumns = `office, ticket, score, comment, counter, staff, service, day, at, channel, reasons`

func scanRating(s scanner) (*queue.Rating, error) {
	var r queue.Rating
	var at sql.NullString
	var reasons string
	if err := s.Scan(&r.Office, &r.Ticket, &r.Score, &r.Comment, &r.Counter, &r.Staff, &r.Service, &r.Day, &at, &r.Channel, &reasons); err != nil {
		return nil, err
	}
	if reasons != "" {
		r.Reasons = strings.Split(reasons, ",")
	}
	var err error
	if r.At, err = parseTime(at); err != nil {
		return nil, err
	}
	return &r, nil
}

// RatingOf returns the rating of a ticket, or nil when it has none.
func (db *DB) RatingOf(ctx context.Context, ticket string) (*queue.Rating, error) {
	r, err := scanRating(db.r.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE ticket = ?`, ticket))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load rating of ticket %s: %w", ticket, err)
	}
	return r, nil
}

// ErasePersonalData erases the names and phone numbers of the tickets and
// bookings of every office that are older than the office's retention
// period (Policy.RetentionDays, counted in local days before the business
// day of now), and the notifications' data of that past (notify.go,
// eraseNotifyData): the subscriptions of those tickets and bookings and of
// the dossiers closed then, their messages, the messages sent to phones.
// It keeps everything else — numbers, times, statuses — for the
// statistics. It returns how many rows it erased; run it daily.
func (db *DB) ErasePersonalData(ctx context.Context, now time.Time) (int64, error) {
	ids, err := db.OfficeIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("erase personal data: %w", err)
	}
	var total int64
	for _, id := range ids {
		o, err := db.Office(ctx, id)
		if err != nil {
			return total, fmt.Errorf("erase personal data: %w", err)
		}
		cutoff := now.In(o.Location()).AddDate(0, 0, -o.Policy.RetentionDays).Format(time.DateOnly)
		for _, q := range []string{
			`UPDATE tickets SET name = '', phone = '' WHERE office = ? AND day < ? AND (name <> '' OR phone <> '')`,
			`UPDATE bookings SET name = '', phone = '' WHERE office = ? AND date < ? AND (name <> '' OR phone <> '')`,
		} {
			res, err := db.w.ExecContext(ctx, q, id, cutoff)
			if err != nil {
				return total, fmt.Errorf("erase personal data of office %s before %s: %w", id, cutoff, err)
			}
			n, _ := res.RowsAffected()
			total += n
		}
		before, err := time.ParseInLocation(time.DateOnly, cutoff, o.Location())
		if err != nil {
			return total, fmt.Errorf("erase personal data of office %s: cutoff %q: %w", id, cutoff, err)
		}
		n, err := db.eraseNotifyData(ctx, id, cutoff, before)
		total += n
		if err != nil {
			return total, fmt.Errorf("erase personal data of office %s before %s: %w", id, cutoff, err)
		}
	}
	return total, nil
}
