package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"luot/server/dossier"
	"luot/server/notify"
)

// The SQLite store keeps the dossiers (migration 0008).
var _ dossier.Store = (*DB)(nil)

// MaxDossierKey is the longest idempotency key CreateDossier keeps (the
// caller's scope included).
const MaxDossierKey = 300

// validDossierStatus reports whether s is one of the ten statuses.
func validDossierStatus(s dossier.Status) bool {
	for _, x := range dossier.Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// validPrefix reports whether p is a code prefix: 2–10 upper-case
// letters or digits.
func validPrefix(p string) bool {
	if len(p) < 2 || len(p) > 10 {
		return false
	}
	for _, c := range p {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// phone4 is the last 4 digits of a phone number ("" with fewer).
func phone4(phone string) string {
	var d []byte
	for i := 0; i < len(phone); i++ {
		if c := phone[i]; c >= '0' && c <= '9' {
			d = append(d, c)
		}
	}
	if len(d) < 4 {
		return ""
	}
	return string(d[len(d)-4:])
}

// normalizeDossier puts every time of d in UTC without its monotonic
// reading, so that what is stored reads back equal.
func normalizeDossier(d *dossier.Dossier) {
	for _, t := range []*time.Time{&d.SubmittedAt, &d.ReceivedAt, &d.DueAt, &d.OriginalDue, &d.StoppedAt, &d.CompletedAt, &d.ReturnedAt} {
		*t = utc(*t)
	}
	if d.Supplement != nil {
		s := *d.Supplement
		s.By, s.At = utc(s.By), utc(s.At)
		d.Supplement = &s
	}
	if d.Apology != nil {
		a := *d.Apology
		a.At, a.NewDue = utc(a.At), utc(a.NewDue)
		d.Apology = &a
	}
	if d.Pickup != nil {
		p := *d.Pickup
		p.At = utc(p.At)
		d.Pickup = &p
	}
	if d.Rating != nil {
		r := *d.Rating
		r.At = utc(r.At)
		d.Rating = &r
	}
}

// normalizeDossierEvent does the same for an event.
func normalizeDossierEvent(e *dossier.Event) {
	e.At, e.StepDue, e.DueAt, e.StoppedAt = utc(e.At), utc(e.StepDue), utc(e.DueAt), utc(e.StoppedAt)
	if e.Supplement != nil {
		s := *e.Supplement
		s.By, s.At = utc(s.By), utc(s.At)
		e.Supplement = &s
	}
	if e.Apology != nil {
		a := *e.Apology
		a.At, a.NewDue = utc(a.At), utc(a.NewDue)
		e.Apology = &a
	}
	if e.Pickup != nil {
		p := *e.Pickup
		p.At = utc(p.At)
		e.Pickup = &p
	}
	if e.Rating != nil {
		r := *e.Rating
		r.At = utc(r.At)
		e.Rating = &r
	}
}

// dossierAt is the time of a dossier's code date: its receipt, or its
// submission when it was not received (an online dossier, a refusal).
func dossierAt(d dossier.Dossier) time.Time {
	if !d.ReceivedAt.IsZero() {
		return d.ReceivedAt
	}
	return d.SubmittedAt
}

// dossierRow is the columns of a dossier written beside its JSON.
type dossierRow struct {
	open                         int
	pickup                       string
	at, received, due, completed any
	data                         string
}

// dossierRowOf computes the stored form of d (normalized already). The
// JSON leaves out the applicant, who is in columns of their own.
func dossierRowOf(d *dossier.Dossier) (dossierRow, error) {
	var w dossierRow
	w.open = boolInt(d.Open())
	if d.Pickup != nil {
		w.pickup = d.Pickup.Ticket
	}
	w.at, w.received, w.due = fmtTime(dossierAt(*d)), fmtTime(d.ReceivedAt), fmtTime(d.DueAt)
	w.completed = fmtTime(d.CompletedAt)
	c := *d
	c.Applicant = dossier.Applicant{}
	b, err := json.Marshal(c)
	if err != nil {
		return w, fmt.Errorf("encode dossier %s: %w", d.Code, err)
	}
	w.data = string(b)
	return w, nil
}

// scrubDossierActor keeps the applicant out of events: they are named by
// role only, never by the name or phone they gave.
func scrubDossierActor(a *dossier.Actor) {
	if a.Role == dossier.RoleApplicant {
		a.ID, a.Name = "", ""
	}
}

// insertDossierEvent stores e (its Dossier and Office set) and sets its
// seq. created is the dossier a "dossier.created" event made (nil for
// other events); it is stored without the applicant.
func insertDossierEvent(ctx context.Context, tx *sql.Tx, e *dossier.Event, created *dossier.Dossier) error {
	normalizeDossierEvent(e)
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event %s of %s: %w", e.Type, e.Dossier, err)
	}
	var c any
	if created != nil {
		d := *created
		d.Applicant, d.TokenHash = dossier.Applicant{}, nil
		b, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode event %s of %s: %w", e.Type, e.Dossier, err)
		}
		c = string(b)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO dossier_events (dossier, office, type, at, data, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`,
		e.Dossier, e.Office, e.Type, fmtTime(e.At), string(data), c).Scan(&e.Seq); err != nil {
		return fmt.Errorf("write event %s of %s: %w", e.Type, e.Dossier, err)
	}
	return nil
}

// officeLocation is the time zone of an office, for the date of a code.
func officeLocation(ctx context.Context, tx *sql.Tx, office string) (*time.Location, error) {
	var cfg []byte
	err := tx.QueryRowContext(ctx, `SELECT config FROM offices WHERE id = ?`, office).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("office %q: %w; dossiers belong to an office of this server", office, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("office %s: %w", office, err)
	}
	o, err := decodeOffice(cfg)
	if err != nil {
		return nil, fmt.Errorf("office %s: %w", office, err)
	}
	return o.Location(), nil
}

// checkNewDossier refuses what CreateDossier cannot store.
func checkNewDossier(d dossier.Dossier, prefix, key string) error {
	switch {
	case d.Office == "":
		return fmt.Errorf("create dossier: the office is required")
	case d.Procedure == "":
		return fmt.Errorf("create dossier: the procedure is required")
	case !validDossierStatus(d.Status):
		return fmt.Errorf("create dossier: status %q is not a dossier status", d.Status)
	case dossierAt(d).IsZero():
		return fmt.Errorf("create dossier: the time of receipt (or of submission) is required: the code is dated by it")
	case d.Code == "" && !validPrefix(prefix):
		return fmt.Errorf("create dossier: code prefix %q is not valid: use 2–10 upper-case letters or digits", prefix)
	case len(key) > MaxDossierKey:
		return fmt.Errorf("create dossier: idempotency key of %d bytes is longer than %d", len(key), MaxDossierKey)
	}
	if d.Code != "" {
		if _, _, _, err := dossier.ParseCode(d.Code); err != nil {
			return fmt.Errorf("create dossier: code %q: %w", d.Code, err)
		}
	}
	return nil
}

// CreateDossier stores d and e, its "dossier.created" event, in one
// transaction (see dossier.Store). A code made here takes the next number
// of dossier_seq for the prefix and the day of d's receipt (of its
// submission when not received) in the office's time zone, in the same
// transaction: a number is used only by a committed dossier, so none is
// ever shown twice, even after a crash. A code given (the integration's)
// moves that sequence past its number, so that the codes made later never
// meet it. The event returned carries the whole dossier (Created).
//
// subs (the applicant's opt-ins given with the dossier) are stored in the
// same transaction before the notices of e are written, each for this
// dossier, with dossier.CodeInLink in its Link replaced by the code; a
// subscription the outbox cannot store refuses the whole creation.
func (db *DB) CreateDossier(ctx context.Context, d dossier.Dossier, e dossier.Event, prefix, key string, subs ...notify.Subscription) (dossier.Dossier, dossier.Event, bool, error) {
	if err := checkNewDossier(d, prefix, key); err != nil {
		return d, e, false, err
	}
	for i := range subs {
		// The code is not known yet: check the rest with a stand-in.
		s := subs[i]
		s.Item = notify.Item{Type: notify.ItemDossier, ID: "X", Office: d.Office}
		if err := checkSubscription(s); err != nil {
			return d, e, false, fmt.Errorf("create dossier: subscription %d: %w", i+1, err)
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return d, e, false, fmt.Errorf("create dossier: %w", err)
	}
	defer tx.Rollback()
	if key != "" {
		if err := db.lockKey(ctx, tx, "dossier_keys:"+d.Office+":"+key); err != nil {
			return d, e, false, fmt.Errorf("create dossier: %w", err)
		}
		var code string
		err := tx.QueryRowContext(ctx, `SELECT code FROM dossier_keys WHERE office = ? AND key = ?`, d.Office, key).Scan(&code)
		if err == nil {
			old, err := readDossier(ctx, tx, code, "")
			if err != nil {
				return d, e, false, fmt.Errorf("create dossier again with key %q: %w", key, err)
			}
			var first []dossier.Event
			if err := eachDossierEvent(ctx, tx, "events of "+code, func(ev dossier.Event) { first = append(first, ev) },
				`SELECT `+dossierEventColumns+` FROM dossier_events e JOIN dossiers d ON d.code = e.dossier
				WHERE e.dossier = ? ORDER BY e.seq LIMIT 1`, code); err != nil {
				return d, e, false, err
			}
			if len(first) == 0 {
				return d, e, false, fmt.Errorf("create dossier again with key %q: dossier %s has no events", key, code)
			}
			return old, first[0], true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return d, e, false, fmt.Errorf("create dossier: read key: %w", err)
		}
	}
	if d.Code == "" {
		loc, err := officeLocation(ctx, tx, d.Office)
		if err != nil {
			return d, e, false, fmt.Errorf("create dossier: %w", err)
		}
		day := dossierAt(d).In(loc)
		var n int
		if err := tx.QueryRowContext(ctx, `INSERT INTO dossier_seq (prefix, day, last) VALUES (?, ?, 1)
			ON CONFLICT (prefix, day) DO UPDATE SET last = dossier_seq.last + 1 RETURNING last`, prefix, day.Format("060102")).Scan(&n); err != nil {
			return d, e, false, fmt.Errorf("create dossier: number it: %w", err)
		}
		d.Code = dossier.FormatCode(prefix, day, n)
		if d.Code == "" {
			return d, e, false, fmt.Errorf("create dossier: no code was made for number %d of %s", n, prefix)
		}
	} else {
		p, yymmdd, n, err := dossier.ParseCode(d.Code)
		if err != nil {
			return d, e, false, fmt.Errorf("create dossier: code %q: %w", d.Code, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_seq (prefix, day, last) VALUES (?, ?, ?)
			ON CONFLICT (prefix, day) DO UPDATE SET last = excluded.last WHERE excluded.last > dossier_seq.last`, p, yymmdd, n); err != nil {
			return d, e, false, fmt.Errorf("create dossier %s: keep its number: %w", d.Code, err)
		}
	}
	d.Version = 1
	normalizeDossier(&d)
	w, err := dossierRowOf(&d)
	if err != nil {
		return d, e, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO dossiers (code, office, procedure, field, department, status, open, channel,
		ticket, pickup_ticket, at, received_at, due_at, completed_at, name, phone, phone4, id_masked, address,
		external, sample, token_hash, version, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Code, d.Office, d.Procedure, d.Field, d.Department, string(d.Status), w.open, string(d.Channel),
		d.Ticket, w.pickup, w.at, w.received, w.due, w.completed, d.Applicant.Name, d.Applicant.Phone,
		phone4(d.Applicant.Phone), d.Applicant.IDMasked, d.Applicant.Address,
		d.External, boolInt(d.Sample), d.TokenHash, d.Version, w.data); err != nil {
		if isForeignKey(err) {
			return d, e, false, fmt.Errorf("create dossier %s: office %q: %w", d.Code, d.Office, ErrNotFound)
		}
		if isConstraint(err) {
			return d, e, false, fmt.Errorf("create dossier: code %s is in use: %w", d.Code, ErrConflict)
		}
		return d, e, false, fmt.Errorf("create dossier %s: %w", d.Code, err)
	}
	e.Seq, e.Dossier, e.Office = 0, d.Code, d.Office
	if e.Type == "" {
		e.Type = dossier.TypeCreated
	}
	if e.At.IsZero() {
		e.At = dossierAt(d)
	}
	if e.Status == "" {
		e.Status = d.Status
	}
	if e.Department == "" {
		e.Department = d.Department
	}
	scrubDossierActor(&e.Actor)
	if err := insertDossierEvent(ctx, tx, &e, &d); err != nil {
		return d, e, false, err
	}
	for i, s := range subs {
		s.Item = notify.Item{Type: notify.ItemDossier, ID: d.Code, Office: d.Office}
		s.Link = strings.ReplaceAll(s.Link, dossier.CodeInLink, d.Code)
		if s.Created.IsZero() {
			s.Created = e.At
		}
		if err := checkSubscription(s); err != nil {
			return d, e, false, fmt.Errorf("create dossier %s: subscription %d: %w", d.Code, i+1, err)
		}
		if _, err := db.subscribeTx(ctx, tx, s); err != nil {
			return d, e, false, fmt.Errorf("create dossier %s: %w", d.Code, err)
		}
	}
	if err := db.enqueueTx(ctx, tx, dossier.Notices(dossier.Dossier{}, d, e), e.At); err != nil {
		return d, e, false, fmt.Errorf("create dossier %s: %w", d.Code, err)
	}
	if key != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_keys (office, key, code, created_at) VALUES (?, ?, ?, ?)`,
			d.Office, key, d.Code, fmtTime(e.At)); err != nil {
			return d, e, false, conflict("create dossier: keep key", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return d, e, false, fmt.Errorf("create dossier %s: %w", d.Code, err)
	}
	created := d
	e.Created = &created
	return d, e, false, nil
}

const dossierColumns = `data, version, name, phone, id_masked, address, token_hash`

// scanDossier reads the columns of dossierColumns.
func scanDossier(s scanner) (dossier.Dossier, error) {
	var d dossier.Dossier
	var data string
	var version int
	var a dossier.Applicant
	var token []byte
	if err := s.Scan(&data, &version, &a.Name, &a.Phone, &a.IDMasked, &a.Address, &token); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return d, fmt.Errorf("stored dossier is not valid JSON: %w", err)
	}
	d.Version, d.Applicant, d.TokenHash = version, a, token
	return d, nil
}

// Dossier returns the dossier with that code (ErrNotFound when none).
func (db *DB) Dossier(ctx context.Context, code string) (dossier.Dossier, error) {
	return readDossier(ctx, db.r, code, "")
}

// rowQuerier is a transaction or the pool: where a row is read.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readDossier reads the dossier with that code from q; lock is the
// locking clause of a read that a write follows (db.forUpdate).
func readDossier(ctx context.Context, q rowQuerier, code, lock string) (dossier.Dossier, error) {
	d, err := scanDossier(q.QueryRowContext(ctx, `SELECT `+dossierColumns+` FROM dossiers WHERE code = ?`+lock, code))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("dossier %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("dossier %s: %w", code, err)
	}
	return d, nil
}

// DossierByTicket returns the dossier that queue ticket picked up (its
// last pickup ticket) or else the one received from it; when a ticket
// brought several dossiers, the last one received (ErrNotFound when
// none).
func (db *DB) DossierByTicket(ctx context.Context, ticket string) (dossier.Dossier, error) {
	if ticket == "" {
		return dossier.Dossier{}, fmt.Errorf("dossier of a ticket: the ticket id is required")
	}
	d, err := scanDossier(db.r.QueryRowContext(ctx, `SELECT `+dossierColumns+` FROM dossiers
		WHERE pickup_ticket = ? OR ticket = ? ORDER BY pickup_ticket = ? DESC, `+dossierCreatedSeq+` DESC LIMIT 1`, ticket, ticket, ticket))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("dossier of ticket %q: %w", ticket, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("dossier of ticket %s: %w", ticket, err)
	}
	return d, nil
}

// UpdateDossier loads the dossier, asks decide for the event, applies it
// (dossier.Apply; the store sets the version, one more than before) and
// stores the event and the new dossier in one write transaction, so that
// two updates of one dossier run one after the other. An error from
// decide is returned as is and nothing changes; so is a dossier whose
// history is full (dossier.MaxHistory events).
func (db *DB) UpdateDossier(ctx context.Context, code string, decide func(dossier.Dossier) (dossier.Event, error)) (dossier.Dossier, dossier.Event, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return dossier.Dossier{}, dossier.Event{}, fmt.Errorf("update dossier %s: %w", code, err)
	}
	defer tx.Rollback()
	cur, err := readDossier(ctx, tx, code, db.forUpdate(""))
	if err != nil {
		return cur, dossier.Event{}, err
	}
	e, err := decide(cur)
	if err != nil {
		return cur, e, err
	}
	if e.Type == "" || e.Type == dossier.TypeCreated || e.At.IsZero() {
		return cur, e, fmt.Errorf("update dossier %s: the event needs a type other than %q and a time (type %q, at %s)", code, dossier.TypeCreated, e.Type, e.At)
	}
	if cur.Version >= dossier.MaxHistory {
		return cur, e, fmt.Errorf("update dossier %s: %w: its history holds %d events, the most a dossier keeps", code, ErrConflict, cur.Version)
	}
	e.Seq, e.Dossier, e.Office, e.Created = 0, cur.Code, cur.Office, nil
	if e.Status == "" {
		// An event that names no status (a note) leaves it as it is.
		e.Status = cur.Status
	}
	if !validDossierStatus(e.Status) {
		return cur, e, fmt.Errorf("update dossier %s: status %q of event %s is not a dossier status", code, e.Status, e.Type)
	}
	next := dossier.Apply(cur, e)
	next.Code, next.Office, next.Version = cur.Code, cur.Office, cur.Version+1
	scrubDossierActor(&e.Actor)
	normalizeDossier(&next)
	w, err := dossierRowOf(&next)
	if err != nil {
		return cur, e, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE dossiers SET procedure = ?, field = ?, department = ?, status = ?, open = ?,
		channel = ?, ticket = ?, pickup_ticket = ?, at = ?, received_at = ?, due_at = ?, completed_at = ?,
		name = ?, phone = ?, phone4 = ?, id_masked = ?, address = ?, external = ?, sample = ?, token_hash = ?,
		version = ?, data = ?
		WHERE code = ? AND version = ?`,
		next.Procedure, next.Field, next.Department, string(next.Status), w.open,
		string(next.Channel), next.Ticket, w.pickup, w.at, w.received, w.due, w.completed,
		next.Applicant.Name, next.Applicant.Phone, phone4(next.Applicant.Phone), next.Applicant.IDMasked, next.Applicant.Address,
		next.External, boolInt(next.Sample), next.TokenHash, next.Version, w.data, code, cur.Version)
	if err != nil {
		return cur, e, fmt.Errorf("update dossier %s: %w", code, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cur, e, fmt.Errorf("update dossier %s: %w: it changed meanwhile; load it again", code, ErrConflict)
	}
	if err := insertDossierEvent(ctx, tx, &e, nil); err != nil {
		return cur, e, err
	}
	if err := db.enqueueTx(ctx, tx, dossier.Notices(cur, next, e), e.At); err != nil {
		return cur, e, fmt.Errorf("update dossier %s: %w", code, err)
	}
	if err := tx.Commit(); err != nil {
		return cur, e, fmt.Errorf("update dossier %s: %w", code, err)
	}
	return next, e, nil
}

// Dossier list orders (dossier.Filter.Order).
const (
	orderNewest    = ""
	orderDue       = "due"
	orderCompleted = "completed"
)

// Dossiers lists the dossiers f selects: newest first (by the date of
// their code), or with Order "due" the open ones first by the nearer due
// date (so the late lead), then the others newest first, or with Order
// "completed" the newest completed first, then the others newest first.
func (db *DB) Dossiers(ctx context.Context, f dossier.Filter) ([]dossier.Dossier, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if f.Office != "" {
		where, args = append(where, "office = ?"), append(args, f.Office)
	}
	in("code", f.Codes)
	statuses := make([]string, len(f.Statuses))
	for i, s := range f.Statuses {
		if !validDossierStatus(s) {
			return nil, fmt.Errorf("list dossiers: status %q is not a dossier status", s)
		}
		statuses[i] = string(s)
	}
	in("status", statuses)
	in("procedure", f.Procedures)
	in("department", f.Departments)
	if !f.From.IsZero() {
		where, args = append(where, "received_at >= ?"), append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "received_at < ?"), append(args, fmtTime(f.To))
	}
	if f.Phone4 != "" {
		if len(f.Phone4) != 4 || phone4(f.Phone4) != f.Phone4 {
			return nil, fmt.Errorf("list dossiers: %q is not the last 4 digits of a phone number", f.Phone4)
		}
		where, args = append(where, "phone4 = ?"), append(args, f.Phone4)
	}
	q := `SELECT ` + dossierColumns + ` FROM dossiers`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	switch f.Order {
	case orderNewest:
		q += " ORDER BY at DESC, code DESC"
	case orderDue:
		q += " ORDER BY open DESC, CASE WHEN open = 1 THEN due_at END IS NULL, CASE WHEN open = 1 THEN due_at END, at DESC, code DESC"
	case orderCompleted:
		q += " ORDER BY status = 'completed' DESC, CASE WHEN status = 'completed' THEN completed_at END DESC NULLS LAST, at DESC, code DESC"
	default:
		return nil, fmt.Errorf("list dossiers: order %q is unknown; use %q, %q or %q", f.Order, orderDue, orderCompleted, orderNewest)
	}
	if f.Limit < 0 || f.Offset < 0 {
		return nil, fmt.Errorf("list dossiers: limit %d and offset %d must not be negative", f.Limit, f.Offset)
	}
	if f.Limit > 0 || f.Offset > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, sqlLimit(f.Limit), f.Offset)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list dossiers: %w", err)
	}
	defer rows.Close()
	var out []dossier.Dossier
	for rows.Next() {
		d, err := scanDossier(rows)
		if err != nil {
			return nil, fmt.Errorf("list dossiers: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list dossiers: %w", err)
	}
	return out, nil
}

// dossierEventColumns are read by eachDossierEvent, from dossier_events e
// joined with the dossiers d they belong to (for the applicant of the
// created dossier).
const dossierEventColumns = `e.seq, e.data, e.created, d.name, d.phone, d.id_masked, d.address`

// eachDossierEvent runs a query of dossierEventColumns and hands each
// event to f. A "dossier.created" event carries the dossier as made, with
// the applicant of the dossier's row.
func eachDossierEvent(ctx context.Context, q queryer, what string, f func(dossier.Event), query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var data string
		var created sql.NullString
		var a dossier.Applicant
		if err := rows.Scan(&seq, &data, &created, &a.Name, &a.Phone, &a.IDMasked, &a.Address); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		var e dossier.Event
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return fmt.Errorf("read %s: event %d is not valid JSON: %w", what, seq, err)
		}
		e.Seq = seq
		if created.Valid {
			var d dossier.Dossier
			if err := json.Unmarshal([]byte(created.String), &d); err != nil {
				return fmt.Errorf("read %s: dossier of event %d is not valid JSON: %w", what, seq, err)
			}
			d.Applicant = a
			e.Created = &d
		}
		f(e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// History is a dossier's events, oldest first (ErrNotFound for an unknown
// dossier).
func (db *DB) History(ctx context.Context, code string) ([]dossier.Event, error) {
	tx, err := db.r.BeginTx(ctx, snapshot)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", code, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dossiers WHERE code = ?`, code).Scan(&n); err != nil {
		return nil, fmt.Errorf("history of %s: %w", code, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("dossier %q: %w", code, ErrNotFound)
	}
	var out []dossier.Event
	err = eachDossierEvent(ctx, tx, "history of "+code, func(e dossier.Event) { out = append(out, e) },
		`SELECT `+dossierEventColumns+` FROM dossier_events e JOIN dossiers d ON d.code = e.dossier
		WHERE e.dossier = ? ORDER BY e.seq`, code)
	return out, err
}

// DossierEventsSince is an office's dossier events after seq, oldest
// first, at most limit of them (DefaultEventsLimit when limit ≤ 0).
func (db *DB) DossierEventsSince(ctx context.Context, office string, seq int64, limit int) ([]dossier.Event, error) {
	if limit <= 0 {
		limit = DefaultEventsLimit
	}
	var out []dossier.Event
	err := eachDossierEvent(ctx, db.r, "dossier events of "+office, func(e dossier.Event) { out = append(out, e) },
		`SELECT `+dossierEventColumns+` FROM dossier_events e JOIN dossiers d ON d.code = e.dossier
		WHERE e.office = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`, office, seq, limit)
	return out, err
}
