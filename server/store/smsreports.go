package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SMSReportWindow is how long after its part was sent a delivery report
// is matched: the SMS's validity (the modem asks for 24 h). The modem's
// references wrap at 256, so an older part with the same reference is
// another message's.
const SMSReportWindow = 24 * time.Hour

// The outcomes delivery reports give a sent SMS (SMSDelivery.State).
const (
	// SMSDelivered: every part reached the phone.
	SMSDelivered = "delivered"
	// SMSUndelivered: the network gave up on a part (a final failure
	// report); the message is not sent again, the network accepted it.
	SMSUndelivered = "failed"
)

// maxSMSParts is the most parts a message may have (the concatenation
// header counts them in one byte).
const maxSMSParts = 255

// SMSDelivery is what the delivery reports said of one outbox message.
type SMSDelivery struct {
	// State is "" (no outcome known yet, or a channel without reports),
	// SMSDelivered or SMSUndelivered.
	State string
	// At is when the outcome's report arrived (zero without one).
	At time.Time
	// Reason says why it failed (the message's last error).
	Reason string
	// Parts is how many parts the modem accepted; Reported how many of
	// them have their final report.
	Parts, Reported int
}

// RecordSMSParts keeps the modem's references (TP-MR, 0–255, in part
// order) of the parts of outbox message id, sent at at, so that their
// delivery reports find the message. A message sent again (after its
// lease ran out) keeps the references of its last send, its outcome
// reset. A bad reference or no reference is refused and changes nothing;
// an unknown message is ErrNotFound.
func (db *DB) RecordSMSParts(ctx context.Context, id int64, refs []int, at time.Time) error {
	switch {
	case at.IsZero():
		return fmt.Errorf("record the SMS parts of message %d: the time is required", id)
	case len(refs) == 0 || len(refs) > maxSMSParts:
		return fmt.Errorf("record the SMS parts of message %d: %d references: give one per part (1 to %d)", id, len(refs), maxSMSParts)
	}
	for i, r := range refs {
		if r < 0 || r > 255 {
			return fmt.Errorf("record the SMS parts of message %d: part %d's reference %d is not a modem reference (0 to 255)", id, i+1, r)
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record the SMS parts of message %d: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET delivery = '', delivered_at = NULL WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("record the SMS parts of message %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("record the SMS parts of message %d: %w (its subscription may have been deleted)", id, ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sms_parts WHERE message = ?`, id); err != nil {
		return fmt.Errorf("record the SMS parts of message %d: %w", id, err)
	}
	for i, r := range refs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sms_parts (message, part, ref, sent_at) VALUES (?, ?, ?, ?)`,
			id, i+1, r, fmtTime(at)); err != nil {
			return fmt.Errorf("record the SMS parts of message %d: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record the SMS parts of message %d: %w", id, err)
	}
	return nil
}

// smsFailures names the TP-ST values (3GPP TS 23.040 9.2.3.15) of a part
// the service centre gave up on.
var smsFailures = map[int]string{
	0x40: "remote procedure error", 0x41: "incompatible destination", 0x42: "connection rejected by the phone",
	0x43: "number not obtainable", 0x44: "quality of service not available", 0x45: "no interworking available",
	0x46: "validity period expired", 0x47: "deleted by the sender", 0x48: "deleted by the service centre",
	0x49: "the message does not exist",
	0x60: "congestion", 0x61: "the phone is busy", 0x62: "no response from the phone", 0x63: "service rejected",
	0x64: "quality of service not available", 0x65: "error in the phone",
}

// smsFailure is the reason kept for a final failure report.
func smsFailure(status int) string {
	what, ok := smsFailures[status]
	if !ok {
		what = "the network gave up"
	}
	return fmt.Sprintf("SMS delivery report: not delivered to the phone: %s (TP-ST 0x%02X)", what, status)
}

// RecordSMSReport records a delivery report received at at: status is
// its TP-ST (below 0x20 delivered, 0x40 and above failed for good;
// 0x20–0x3F, the centre still trying, records nothing and returns 0). It
// names the most recent part with reference ref that has no report yet,
// sent at most SMSReportWindow before at (or after it: a report can
// arrive before its parts are recorded), and returns its message. The
// message is delivered once every part is; a failed part makes it
// undelivered with the reason. A reference that names no such part is
// ErrNotFound and changes nothing; a reference or status outside a byte
// is refused.
func (db *DB) RecordSMSReport(ctx context.Context, ref, status int, at time.Time) (int64, error) {
	switch {
	case at.IsZero():
		return 0, fmt.Errorf("record the SMS delivery report %d: the time is required", ref)
	case ref < 0 || ref > 255:
		return 0, fmt.Errorf("record the SMS delivery report %d: not a modem reference (0 to 255)", ref)
	case status < 0 || status > 255:
		return 0, fmt.Errorf("record the SMS delivery report %d: status %d is not a TP-ST (0 to 255)", ref, status)
	case status >= 0x20 && status < 0x40:
		return 0, nil // another report follows
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("record the SMS delivery report %d: %w", ref, err)
	}
	defer tx.Rollback()
	var id int64
	var part int
	err = tx.QueryRowContext(ctx, `SELECT message, part FROM sms_parts
		WHERE ref = ? AND reported_at IS NULL AND sent_at >= ?
		ORDER BY sent_at DESC, message DESC, part DESC LIMIT 1`+db.forUpdate(""), ref, fmtTime(at.Add(-SMSReportWindow))).Scan(&id, &part)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("record the SMS delivery report %d: no part sent in the last %s has this reference: %w", ref, SMSReportWindow, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("record the SMS delivery report %d: %w", ref, err)
	}
	if db.postgres() {
		// The reports of two parts of one message may come together:
		// the second waits here, so that it sees the first's part as
		// reported when it decides whether every part was delivered.
		if _, err := tx.ExecContext(ctx, `SELECT id FROM outbox WHERE id = ?`+db.forUpdate(""), id); err != nil {
			return 0, fmt.Errorf("record the SMS delivery report %d: lock message %d: %w", ref, id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sms_parts SET status = ?, reported_at = ? WHERE message = ? AND part = ?`,
		status, fmtTime(at), id, part); err != nil {
		return 0, fmt.Errorf("record the SMS delivery report %d: %w", ref, err)
	}
	if status >= 0x40 {
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET delivery = 'failed', delivered_at = ?, last_error = ? WHERE id = ? AND delivery <> 'failed'`,
			fmtTime(at), cleanReason(smsFailure(status)), id)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET delivery = 'delivered', delivered_at = ? WHERE id = ? AND delivery = ''
			AND NOT EXISTS (SELECT 1 FROM sms_parts WHERE message = ? AND (status IS NULL OR status >= 32))`, fmtTime(at), id, id)
	}
	if err != nil {
		return 0, fmt.Errorf("record the SMS delivery report %d on message %d: %w", ref, id, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("record the SMS delivery report %d: %w", ref, err)
	}
	return id, nil
}

// SMSDelivery tells what the delivery reports said of outbox message id;
// an unknown message is ErrNotFound.
func (db *DB) SMSDelivery(ctx context.Context, id int64) (SMSDelivery, error) {
	var d SMSDelivery
	var at sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT o.delivery, o.delivered_at, o.last_error,
		(SELECT count(*) FROM sms_parts WHERE message = o.id),
		(SELECT count(*) FROM sms_parts WHERE message = o.id AND reported_at IS NOT NULL)
		FROM outbox o WHERE o.id = ?`, id).Scan(&d.State, &at, &d.Reason, &d.Parts, &d.Reported)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("SMS delivery of message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("SMS delivery of message %d: %w", id, err)
	}
	if d.State != SMSUndelivered {
		d.Reason = ""
	}
	if d.At, err = parseTime(at); err != nil {
		return d, fmt.Errorf("SMS delivery of message %d: %w", id, err)
	}
	return d, nil
}
