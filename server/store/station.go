package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"luot/server/queue"
)

// MaxStaffPhoto is the largest staff photo the store keeps, in bytes: the
// server re-encodes uploads to a small JPEG long before this.
const MaxStaffPhoto = 512 << 10

// PutStaffPhoto keeps jpeg (a JPEG the caller made) as the photo of a
// staff member, replacing any photo they had. An unknown member gives
// ErrNotFound.
func (db *DB) PutStaffPhoto(ctx context.Context, office, staff string, jpeg []byte, at time.Time) error {
	if len(jpeg) == 0 || len(jpeg) > MaxStaffPhoto {
		return fmt.Errorf("photo of staff %s: %d bytes; a photo has 1 to %d bytes", staff, len(jpeg), MaxStaffPhoto)
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO staff_photos (office, staff, jpeg, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (office, staff) DO UPDATE SET jpeg = excluded.jpeg, updated_at = excluded.updated_at`,
		office, staff, jpeg, fmtTime(at))
	if isForeignKey(err) {
		return fmt.Errorf("photo of staff %q of office %q: %w", staff, office, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("save photo of staff %s: %w", staff, err)
	}
	return nil
}

// DeleteStaffPhoto removes the photo of a staff member; none is no error.
func (db *DB) DeleteStaffPhoto(ctx context.Context, office, staff string) error {
	if _, err := db.w.ExecContext(ctx, `DELETE FROM staff_photos WHERE office = ? AND staff = ?`, office, staff); err != nil {
		return fmt.Errorf("remove photo of staff %s: %w", staff, err)
	}
	return nil
}

// StaffPhoto returns the photo (JPEG) of a staff member and when it was
// uploaded; ErrNotFound when they have none.
func (db *DB) StaffPhoto(ctx context.Context, office, staff string) ([]byte, time.Time, error) {
	var b []byte
	var at sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT jpeg, updated_at FROM staff_photos WHERE office = ? AND staff = ?`, office, staff).Scan(&b, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("photo of staff %q of office %q: %w", staff, office, ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("load photo of staff %s: %w", staff, err)
	}
	t, err := parseTime(at)
	return b, t, err
}

// CounterClerk returns the staff member signed in at a counter: the one
// of the newest session at that counter still valid at now, whose account
// is not disabled. ok is false when nobody is.
func (db *DB) CounterClerk(ctx context.Context, office, counter string, now time.Time) (queue.Staff, bool, error) {
	var s queue.Staff
	var role string
	err := db.r.QueryRowContext(ctx, `SELECT staff.office, staff.id, staff.name, staff.title, `+hasPhoto+`, staff.role, staff.unit
		FROM sessions JOIN staff ON staff.office = sessions.office AND staff.id = sessions.staff
		WHERE sessions.office = ? AND sessions.counter = ? AND sessions.expires_at > ? AND staff.disabled = 0
		ORDER BY sessions.created_at DESC LIMIT 1`, office, counter, fmtTime(now)).
		Scan(&s.Office, &s.ID, &s.Name, &s.Title, &s.HasPhoto, &role, &s.Unit)
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Staff{}, false, nil
	}
	if err != nil {
		return queue.Staff{}, false, fmt.Errorf("clerk at counter %s of office %s: %w", counter, office, err)
	}
	s.Role = queue.Role(role)
	return s, true, nil
}
