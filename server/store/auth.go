package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"luot/server/auth"
	"luot/server/queue"
)

// PutStaff adds a staff member or updates one (name, title, role, unit,
// disabled). A non-nil pinHash (a bcrypt hash made by the caller)
// replaces the PIN and clears the count of wrong PINs; a nil pinHash
// keeps the current one (a new member without a PIN cannot log in).
// Disabling a member ends their sessions, and so does a change of role or
// unit. A handler needs a unit, other roles have none.
func (db *DB) PutStaff(ctx context.Context, s queue.Staff, pinHash []byte) error {
	if !queue.ValidID(s.ID) {
		return fmt.Errorf("staff id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", s.ID)
	}
	if !auth.KnownRole(s.Role) {
		return fmt.Errorf("staff %s: role %q is unknown; use %q, %q, %q, %q or %q", s.ID, s.Role,
			queue.RoleClerk, queue.RoleAdmin, queue.RoleModerator, queue.RoleHandler, queue.RoleProvince)
	}
	if err := s.CheckUnit(); err != nil {
		return fmt.Errorf("staff %s: %w", s.ID, err)
	}
	if err := queue.CheckName("staff name", s.Name, true); err != nil {
		return fmt.Errorf("staff %s: %w", s.ID, err)
	}
	if err := queue.CheckName("staff title", s.Title, false); err != nil {
		return fmt.Errorf("staff %s: %w", s.ID, err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save staff %s: %w", s.ID, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO staff (office, id, name, title, role, unit, disabled, pin_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (office, id) DO UPDATE SET name = excluded.name, title = excluded.title, role = excluded.role, unit = excluded.unit, disabled = excluded.disabled`,
		s.Office, s.ID, s.Name, s.Title, string(s.Role), s.Unit, boolInt(s.Disabled), pinHash)
	if isForeignKey(err) {
		return fmt.Errorf("save staff %s: office %q: %w", s.ID, s.Office, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("save staff %s: %w", s.ID, err)
	}
	if pinHash != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET pin_hash = ?, failed_attempts = 0 WHERE office = ? AND id = ?`,
			pinHash, s.Office, s.ID); err != nil {
			return fmt.Errorf("save PIN of staff %s: %w", s.ID, err)
		}
	}
	// A session carries the role and unit it was opened with: disabling
	// a member ends all of their sessions, a new role or unit those of
	// the old one (they log in again, with the new rights).
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE office = ? AND staff = ? AND (? <> 0 OR role <> ? OR unit <> ?)`,
		s.Office, s.ID, boolInt(s.Disabled), string(s.Role), s.Unit); err != nil {
		return fmt.Errorf("end sessions of staff %s: %w", s.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save staff %s: %w", s.ID, err)
	}
	return nil
}

// StaffAuth returns what a login needs: the staff member, their PIN hash
// (nil when none is set) and the wrong PINs since their last login. It
// returns auth.ErrUnknownStaff (and ErrNotFound) for an unknown member;
// the caller decides what a disabled member may do.
//
// The store never locks an account out: logins are throttled in memory
// by the API's login guard (server/api/loginguard.go), by address and
// account, so that wrong PINs typed by someone else cannot lock a clerk
// out. The staff table's locked_until column (migration 0001), from when
// the store did, is no longer read or written; it stays so that no
// migration is needed.
func (db *DB) StaffAuth(ctx context.Context, office, id string) (queue.Staff, []byte, int, error) {
	var s queue.Staff
	var role string
	var disabled, failed int
	var hash []byte
	err := db.r.QueryRowContext(ctx, `SELECT office, id, name, title, `+hasPhoto+`, role, unit, disabled, pin_hash, failed_attempts
		FROM staff WHERE office = ? AND id = ?`, office, id).
		Scan(&s.Office, &s.ID, &s.Name, &s.Title, &s.HasPhoto, &role, &s.Unit, &disabled, &hash, &failed)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil, 0, fmt.Errorf("staff %q of office %q: %w (%w)", id, office, auth.ErrUnknownStaff, ErrNotFound)
	}
	if err != nil {
		return s, nil, 0, fmt.Errorf("staff %s of office %s: %w", id, office, err)
	}
	s.Role, s.Disabled = queue.Role(role), disabled != 0
	return s, hash, failed, nil
}

// RecordLoginFailure counts a wrong PIN of a staff member, for the record
// (it locks nothing, see StaffAuth), and returns the count since their
// last login.
func (db *DB) RecordLoginFailure(ctx context.Context, office, id string) (int, error) {
	var failed int
	err := db.w.QueryRowContext(ctx, `UPDATE staff SET failed_attempts = failed_attempts + 1 WHERE office = ? AND id = ? RETURNING failed_attempts`,
		office, id).Scan(&failed)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("staff %q of office %q: %w", id, office, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("record login failure of %s: %w", id, err)
	}
	return failed, nil
}

// ResetLoginFailures clears the count of wrong PINs of a staff member,
// after a successful login.
func (db *DB) ResetLoginFailures(ctx context.Context, office, id string) error {
	res, err := db.w.ExecContext(ctx, `UPDATE staff SET failed_attempts = 0 WHERE office = ? AND id = ?`, office, id)
	if err != nil {
		return fmt.Errorf("reset login failures of %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("staff %q of office %q: %w", id, office, ErrNotFound)
	}
	return nil
}

// hasPhoto is the column expression of Staff.HasPhoto in a query of the
// staff table.
const hasPhoto = `EXISTS (SELECT 1 FROM staff_photos p WHERE p.office = staff.office AND p.staff = staff.id)`

// ListStaff returns the staff of an office, by id, without PIN hashes.
func (db *DB) ListStaff(ctx context.Context, office string) ([]queue.Staff, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT office, id, name, title, `+hasPhoto+`, role, unit, disabled FROM staff WHERE office = ? ORDER BY id`, office)
	if err != nil {
		return nil, fmt.Errorf("list staff of %s: %w", office, err)
	}
	defer rows.Close()
	var out []queue.Staff
	for rows.Next() {
		var s queue.Staff
		var role string
		var disabled int
		if err := rows.Scan(&s.Office, &s.ID, &s.Name, &s.Title, &s.HasPhoto, &role, &s.Unit, &disabled); err != nil {
			return nil, fmt.Errorf("list staff of %s: %w", office, err)
		}
		s.Role, s.Disabled = queue.Role(role), disabled != 0
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list staff of %s: %w", office, err)
	}
	return out, nil
}

// PutDevice registers a device or updates its name, kind, counter (a
// station's, which it needs; other kinds have none) and revoked flag.
// A non-nil keyHash (the sha256 of its key, made by the caller) replaces
// the key; a new device needs one. LastSeen and Status are left alone (see
// TouchDevice). An id used in another office gives auth.ErrDeviceIDTaken
// (and ErrConflict); a key hash used by another device gives ErrConflict.
func (db *DB) PutDevice(ctx context.Context, d queue.Device, keyHash []byte) error {
	if !queue.ValidID(d.ID) {
		return fmt.Errorf("device id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", d.ID)
	}
	switch {
	case d.Kind != queue.DeviceKiosk && d.Kind != queue.DeviceDisplay && d.Kind != queue.DeviceStation:
		return fmt.Errorf("device %s: kind %q is unknown; use %q, %q or %q", d.ID, d.Kind, queue.DeviceKiosk, queue.DeviceDisplay, queue.DeviceStation)
	case d.Kind == queue.DeviceStation && !queue.ValidID(d.Counter):
		return fmt.Errorf("device %s: a station needs the id of its counter, not %q", d.ID, d.Counter)
	case d.Kind != queue.DeviceStation && d.Counter != "":
		return fmt.Errorf("device %s: only a station is bound to a counter; a %s has none", d.ID, d.Kind)
	}
	if err := queue.CheckName("device name", d.Name, false); err != nil {
		return fmt.Errorf("device %s: %w", d.ID, err)
	}
	if keyHash != nil && len(keyHash) < 16 {
		return fmt.Errorf("device %s: key hash of %d bytes is too short; store a sha256 hash, not the key", d.ID, len(keyHash))
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save device %s: %w", d.ID, err)
	}
	defer tx.Rollback()
	var office string
	err = tx.QueryRowContext(ctx, `SELECT office FROM devices WHERE id = ?`, d.ID).Scan(&office)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if keyHash == nil {
			return fmt.Errorf("device %s is new and needs a key hash", d.ID)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO devices (id, office, name, kind, counter, key_hash, revoked) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.Office, d.Name, string(d.Kind), d.Counter, keyHash, boolInt(d.Revoked))
	case err != nil:
		return fmt.Errorf("save device %s: %w", d.ID, err)
	case office != d.Office:
		return fmt.Errorf("device id %s is used in office %s: %w (%w)", d.ID, office, auth.ErrDeviceIDTaken, ErrConflict)
	default:
		_, err = tx.ExecContext(ctx, `UPDATE devices SET name = ?, kind = ?, counter = ?, revoked = ?, key_hash = coalesce(?, key_hash) WHERE id = ?`,
			d.Name, string(d.Kind), d.Counter, boolInt(d.Revoked), keyHash, d.ID)
	}
	if isForeignKey(err) {
		return fmt.Errorf("save device %s: office %q: %w", d.ID, d.Office, ErrNotFound)
	}
	if err != nil {
		if isConstraint(err) {
			return fmt.Errorf("save device %s: %w: its key hash belongs to another device; make a new key", d.ID, ErrConflict)
		}
		return fmt.Errorf("save device %s: %w", d.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save device %s: %w", d.ID, err)
	}
	return nil
}

const deviceColumns = `id, office, name, kind, counter, revoked, last_seen, status`

func scanDevice(s scanner) (queue.Device, error) {
	var d queue.Device
	var kind string
	var revoked int
	var seen sql.NullString
	if err := s.Scan(&d.ID, &d.Office, &d.Name, &kind, &d.Counter, &revoked, &seen, &d.Status); err != nil {
		return d, err
	}
	d.Kind, d.Revoked = queue.DeviceKind(kind), revoked != 0
	var err error
	d.LastSeen, err = parseTime(seen)
	return d, err
}

// DeviceByKeyHash finds a device by the sha256 of its key. An unknown
// hash gives auth.ErrUnknownDevice (and ErrNotFound); a revoked device is
// returned with auth.ErrRevokedDevice (and ErrRevoked), so that callers
// which only check err != nil refuse it.
func (db *DB) DeviceByKeyHash(ctx context.Context, hash []byte) (queue.Device, error) {
	d, err := scanDevice(db.r.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE key_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Device{}, fmt.Errorf("device key: %w (%w)", auth.ErrUnknownDevice, ErrNotFound)
	}
	if err != nil {
		return queue.Device{}, fmt.Errorf("device key: %w", err)
	}
	if d.Revoked {
		return d, fmt.Errorf("device %s: %w (%w); register it again", d.ID, auth.ErrRevokedDevice, ErrRevoked)
	}
	return d, nil
}

// DeviceKeyHash returns the stored key hash of a device of an office (for
// exporting the office's configuration).
func (db *DB) DeviceKeyHash(ctx context.Context, office, id string) ([]byte, error) {
	var hash []byte
	err := db.r.QueryRowContext(ctx, `SELECT key_hash FROM devices WHERE office = ? AND id = ?`, office, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("device %q of office %q: %w", id, office, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("device %s: %w", id, err)
	}
	return hash, nil
}

// TouchDevice records that a device was seen at at, with its reported
// status (e.g. a printer fault; "" for fine).
func (db *DB) TouchDevice(ctx context.Context, id string, at time.Time, status string) error {
	res, err := db.w.ExecContext(ctx, `UPDATE devices SET last_seen = ?, status = ? WHERE id = ?`, fmtTime(at), status, id)
	if err != nil {
		return fmt.Errorf("touch device %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("device %q: %w", id, ErrNotFound)
	}
	return nil
}

// RevokeDevice revokes a device's key: DeviceByKeyHash refuses it from now
// on. Registering it again needs a new key (PutDevice with Revoked false
// and a new hash).
func (db *DB) RevokeDevice(ctx context.Context, id string) error {
	res, err := db.w.ExecContext(ctx, `UPDATE devices SET revoked = 1 WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("device %q: %w", id, ErrNotFound)
	}
	return nil
}

// ListDevices returns the devices of an office, by id.
func (db *DB) ListDevices(ctx context.Context, office string) ([]queue.Device, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE office = ? ORDER BY id`, office)
	if err != nil {
		return nil, fmt.Errorf("list devices of %s: %w", office, err)
	}
	defer rows.Close()
	var out []queue.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("list devices of %s: %w", office, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list devices of %s: %w", office, err)
	}
	return out, nil
}

// CreateSession stores a session. The staff member must exist
// (ErrNotFound otherwise); a token hash already used gives ErrConflict.
func (db *DB) CreateSession(ctx context.Context, s auth.Session) error {
	if len(s.TokenHash) < 16 {
		return fmt.Errorf("session of %s: token hash of %d bytes is too short; store a sha256 hash, not the token", s.Staff, len(s.TokenHash))
	}
	if !s.Expires.After(s.Created) {
		return fmt.Errorf("session of %s: expires (%s) must be after created (%s)", s.Staff, s.Expires, s.Created)
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, office, staff, counter, role, unit, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.Office, s.Staff, s.Counter, string(s.Role), s.Unit, fmtTime(s.Created), fmtTime(s.Expires))
	if isForeignKey(err) {
		return fmt.Errorf("session: staff %q of office %q: %w", s.Staff, s.Office, ErrNotFound)
	}
	if err != nil {
		return conflict("create session of "+s.Staff, err)
	}
	return nil
}

// SessionByTokenHash returns the session with this token hash that is
// still valid at now; an unknown or expired session gives
// auth.ErrUnknownSession (and ErrNotFound).
func (db *DB) SessionByTokenHash(ctx context.Context, hash []byte, now time.Time) (auth.Session, error) {
	var s auth.Session
	var role string
	var created, expires sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT token_hash, office, staff, counter, role, unit, created_at, expires_at
		FROM sessions WHERE token_hash = ? AND expires_at > ?`, hash, fmtTime(now)).
		Scan(&s.TokenHash, &s.Office, &s.Staff, &s.Counter, &role, &s.Unit, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Session{}, fmt.Errorf("session: %w (%w)", auth.ErrUnknownSession, ErrNotFound)
	}
	if err != nil {
		return auth.Session{}, fmt.Errorf("session: %w", err)
	}
	s.Role = queue.Role(role)
	if s.Created, err = parseTime(created); err != nil {
		return auth.Session{}, err
	}
	if s.Expires, err = parseTime(expires); err != nil {
		return auth.Session{}, err
	}
	return s, nil
}

// DeleteSession ends a session (logout). Deleting an unknown session is
// not an error.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that expired at or before
// now and returns how many; run it now and then.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, fmtTime(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
