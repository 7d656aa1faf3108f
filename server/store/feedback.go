package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"luot/server/feedback"
	"luot/server/notify"
	"luot/server/queue"
)

// The SQLite store keeps the feedback reports (migration 0005).
var _ feedback.Store = (*DB)(nil)

// eventCreated is the type of the event that makes a report.
const eventCreated = "report.created"

// eventErase is the type of the event that erases a reporter's data; the
// store clears the name and phone itself on it, whatever else the event
// does, so that erasure does not depend on any other code.
const eventErase = "report." + string(feedback.ActErase)

// DefaultEventsLimit is how many events ReportEventsSince returns when asked
// for 0 or fewer.
const DefaultEventsLimit = 1000

// openStatus reports whether a report of status s is being handled, for
// the inbox's order (open reports first).
func openStatus(s feedback.Status) bool {
	switch s {
	case feedback.StatusNew, feedback.StatusAccepted, feedback.StatusAssigned, feedback.StatusInProgress:
		return true
	}
	return false
}

// utc is t in UTC without its monotonic reading, as it comes back from
// the database.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Round(0)
}

// normalize puts every time of r in UTC, so that what is stored reads
// back equal.
func normalize(r *feedback.Report) {
	for _, t := range []*time.Time{&r.Created, &r.AckDue, &r.ResolveDue, &r.Accepted, &r.Resolved, &r.Closed, &r.Erased} {
		*t = utc(*t)
	}
}

// scrubActor keeps the reporter out of events: a reporter, or the
// public, is named by role only, never by the name or phone they gave,
// so that erasing a report's personal data leaves none in its events.
func scrubActor(a *feedback.Actor) {
	if a.Role == feedback.RoleReporter || a.Role == feedback.RolePublic {
		a.ID, a.Name = "", ""
	}
}

// reportRow is the columns of a report written beside its JSON.
type reportRow struct {
	open           int
	lat, lon       any
	due, closed    any
	data           string
	public         map[feedback.Photo]bool
	name, phone    string
	anonymous      int
	tokenHash      []byte
	client, erased any
}

// rowOf computes the stored form of r (normalized already).
func rowOf(r *feedback.Report) (reportRow, error) {
	var w reportRow
	if openStatus(r.Status) {
		w.open = 1
		if r.Status == feedback.StatusNew && !r.AckDue.IsZero() {
			w.due = fmtTime(r.AckDue)
		} else {
			w.due = fmtTime(r.ResolveDue)
		}
	}
	if p := r.Place.Point; p != nil {
		w.lat, w.lon = p.Lat, p.Lon
	}
	switch {
	case !r.Closed.IsZero():
		w.closed = fmtTime(r.Closed)
	case r.Status == feedback.StatusResolved && !r.Resolved.IsZero():
		w.closed = fmtTime(r.Resolved)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return w, fmt.Errorf("encode report %s: %w", r.Code, err)
	}
	w.data = string(b)
	w.public = map[feedback.Photo]bool{}
	for _, p := range feedback.Public(*r).Photos {
		if !p.Hidden {
			w.public[feedback.Photo{Hash: p.Hash, Answer: p.Answer}] = true
		}
	}
	w.name, w.phone, w.anonymous = r.Reporter.Name, r.Reporter.Phone, boolInt(r.Reporter.Anonymous)
	w.tokenHash, w.client, w.erased = r.TokenHash, r.Client, fmtTime(r.Erased)
	return w, nil
}

// writePhotos replaces the rows of r's photos.
func writePhotos(ctx context.Context, tx *sql.Tx, r *feedback.Report, w reportRow) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM report_photos WHERE report = ?`, r.Code); err != nil {
		return fmt.Errorf("write photos of %s: %w", r.Code, err)
	}
	for _, p := range r.Photos {
		pub := !p.Hidden && w.public[feedback.Photo{Hash: p.Hash, Answer: p.Answer}]
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_photos (hash, report, answer, hidden, public) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (hash, report, answer) DO UPDATE SET
				hidden = CASE WHEN excluded.hidden < report_photos.hidden THEN excluded.hidden ELSE report_photos.hidden END,
				public = CASE WHEN excluded.public > report_photos.public THEN excluded.public ELSE report_photos.public END`,
			p.Hash, r.Code, boolInt(p.Answer), boolInt(p.Hidden), boolInt(pub)); err != nil {
			return fmt.Errorf("write photo %s of %s: %w", p.Hash, r.Code, err)
		}
	}
	return nil
}

// photosChanged reports whether the rows of report_photos of next differ
// from those of cur (most events change no photo, and rewriting them
// would grow the write-ahead log for nothing).
func photosChanged(cur, next feedback.Report, w reportRow) bool {
	if len(cur.Photos) != len(next.Photos) {
		return true
	}
	old, err := rowOf(&cur)
	if err != nil {
		return true
	}
	for i, p := range next.Photos {
		key := feedback.Photo{Hash: p.Hash, Answer: p.Answer}
		if cur.Photos[i] != p || old.public[key] != w.public[key] {
			return true
		}
	}
	return false
}

// insertEvent stores e (its Report and Office set) and returns its seq.
func insertEvent(ctx context.Context, tx *sql.Tx, e *feedback.Event) error {
	e.At = utc(e.At)
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event %s of %s: %w", e.Type, e.Report, err)
	}
	var created any
	if e.Created != nil {
		b, err := json.Marshal(e.Created)
		if err != nil {
			return fmt.Errorf("encode event %s of %s: %w", e.Type, e.Report, err)
		}
		created = string(b)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO report_events (report, office, type, at, data, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`,
		e.Report, e.Office, e.Type, fmtTime(e.At), string(data), created).Scan(&e.Seq); err != nil {
		return fmt.Errorf("write event %s of %s: %w", e.Type, e.Report, err)
	}
	return nil
}

// reportLocation is the time zone of an office, for the month of a code.
func reportLocation(ctx context.Context, tx *sql.Tx, office string) (*time.Location, error) {
	var cfg []byte
	err := tx.QueryRowContext(ctx, `SELECT config FROM offices WHERE id = ?`, office).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("office %q: %w; reports belong to an office of this server", office, ErrNotFound)
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

// CreateReport gives r its code (PA-YYMM-NNNNN: the month of r.Created
// in the office's time zone, and the server's sequence of that month),
// version 1, and stores it with e, its "report.created" event, in one
// transaction. A key seen before (for the same office) returns the report
// it made, that report's first event and replayed true, and stores
// nothing. An office the store does not have is ErrNotFound.
func (db *DB) CreateReport(ctx context.Context, r feedback.Report, e feedback.Event, key string) (feedback.Report, feedback.Event, bool, error) {
	if r.Office == "" || r.Created.IsZero() {
		return r, e, false, fmt.Errorf("create report: office and creation time are required (office %q, created %s)", r.Office, r.Created)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return r, e, false, fmt.Errorf("create report: %w", err)
	}
	defer tx.Rollback()
	if key != "" {
		if err := db.lockKey(ctx, tx, "report_keys:"+r.Office+":"+key); err != nil {
			return r, e, false, fmt.Errorf("create report: %w", err)
		}
		var code string
		err := tx.QueryRowContext(ctx, `SELECT code FROM report_keys WHERE office = ? AND key = ?`, r.Office, key).Scan(&code)
		if err == nil {
			old, err := readReport(ctx, tx, code, "")
			if err != nil {
				return r, e, false, fmt.Errorf("create report again with key %q: %w", key, err)
			}
			var first feedback.Event
			err = eachEvent(ctx, tx, "events of "+code, func(ev feedback.Event) { first = ev },
				`SELECT seq, data, created FROM report_events WHERE report = ? ORDER BY seq LIMIT 1`, code)
			if err != nil {
				return r, e, false, err
			}
			return old, first, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return r, e, false, fmt.Errorf("create report: read key: %w", err)
		}
	}
	loc, err := reportLocation(ctx, tx, r.Office)
	if err != nil {
		return r, e, false, fmt.Errorf("create report: %w", err)
	}
	month := r.Created.In(loc).Format("0601")
	var n int
	if err := tx.QueryRowContext(ctx, `INSERT INTO report_seq (month, last) VALUES (?, 1)
		ON CONFLICT (month) DO UPDATE SET last = report_seq.last + 1 RETURNING last`, month).Scan(&n); err != nil {
		return r, e, false, fmt.Errorf("create report: number it: %w", err)
	}
	r.Code = fmt.Sprintf("PA-%s-%05d", month, n)
	r.Version = 1
	normalize(&r)
	w, err := rowOf(&r)
	if err != nil {
		return r, e, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reports (code, office, category, status, open, unit, ward, lat, lon,
		created_at, ack_due, resolve_due, due, closed_at, erased_at, version, name, phone, anonymous, client, token_hash, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Code, r.Office, r.Category, string(r.Status), w.open, r.Unit, r.Place.Ward, w.lat, w.lon,
		fmtTime(r.Created), fmtTime(r.AckDue), fmtTime(r.ResolveDue), w.due, w.closed, w.erased, r.Version,
		w.name, w.phone, w.anonymous, w.client, w.tokenHash, w.data); err != nil {
		return r, e, false, conflict("create report "+r.Code, err)
	}
	if err := writePhotos(ctx, tx, &r, w); err != nil {
		return r, e, false, err
	}
	e.Seq, e.Report, e.Office = 0, r.Code, r.Office
	if e.Type == "" {
		e.Type = eventCreated
	}
	if e.At.IsZero() {
		e.At = r.Created
	}
	if e.Status == "" {
		e.Status = r.Status
	}
	scrubActor(&e.Actor)
	created := r
	created.Reporter, created.TokenHash, created.Client = feedback.Reporter{}, nil, ""
	e.Created = &created
	if err := insertEvent(ctx, tx, &e); err != nil {
		return r, e, false, err
	}
	if err := db.enqueueTx(ctx, tx, feedback.Notices(feedback.Report{}, r, e), e.At); err != nil {
		return r, e, false, fmt.Errorf("create report %s: %w", r.Code, err)
	}
	if key != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_keys (office, key, code, created_at) VALUES (?, ?, ?, ?)`,
			r.Office, key, r.Code, fmtTime(r.Created)); err != nil {
			return r, e, false, conflict("create report: keep key", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return r, e, false, fmt.Errorf("create report %s: %w", r.Code, err)
	}
	return r, e, false, nil
}

const reportColumns = `data, version, name, phone, anonymous, client, token_hash, erased_at`

// scanReport reads the columns of reportColumns.
func scanReport(s scanner) (feedback.Report, error) {
	var r feedback.Report
	var data string
	var version, anonymous int
	var name, phone, client string
	var token []byte
	var erased sql.NullString
	if err := s.Scan(&data, &version, &name, &phone, &anonymous, &client, &token, &erased); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("stored report is not valid JSON: %w", err)
	}
	r.Version = version
	r.Reporter = feedback.Reporter{Name: name, Phone: phone, Anonymous: anonymous != 0}
	r.Client, r.TokenHash = client, token
	var err error
	r.Erased, err = parseTime(erased)
	return r, err
}

// Report returns the report with that code (ErrNotFound when none).
func (db *DB) Report(ctx context.Context, code string) (feedback.Report, error) {
	return readReport(ctx, db.r, code, "")
}

// readReport reads the report with that code from q; lock is the
// locking clause of a read that a write follows (db.forUpdate).
func readReport(ctx context.Context, q rowQuerier, code, lock string) (feedback.Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports WHERE code = ?`+lock, code))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("report %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("report %s: %w", code, err)
	}
	return r, nil
}

// UpdateReport loads the report, asks decide for the event, applies it
// (feedback.Apply; the store sets the version, one more than before) and
// stores the event and the new report in one write transaction, so that
// two updates of one report run one after the other. An error from decide
// is returned as is and nothing changes. The event of an erasure (type
// "report.erase") clears the reporter's name and phone whatever Apply
// did.
func (db *DB) UpdateReport(ctx context.Context, code string, decide func(feedback.Report) (feedback.Event, error)) (feedback.Report, feedback.Event, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return feedback.Report{}, feedback.Event{}, fmt.Errorf("update report %s: %w", code, err)
	}
	defer tx.Rollback()
	cur, err := readReport(ctx, tx, code, db.forUpdate(""))
	if err != nil {
		return cur, feedback.Event{}, err
	}
	e, err := decide(cur)
	if err != nil {
		return cur, e, err
	}
	if e.Type == "" || e.At.IsZero() {
		return cur, e, fmt.Errorf("update report %s: the event needs a type and a time (type %q, at %s)", code, e.Type, e.At)
	}
	e.Seq, e.Report, e.Office, e.Created = 0, cur.Code, cur.Office, nil
	next := feedback.Apply(cur, e)
	next.Code, next.Office, next.Version = cur.Code, cur.Office, cur.Version+1
	if e.Type == eventErase {
		next.Reporter.Name, next.Reporter.Phone = "", ""
		if next.Erased.IsZero() {
			next.Erased = e.At
		}
	}
	if e.Status == "" {
		e.Status = next.Status
	}
	scrubActor(&e.Actor)
	normalize(&next)
	w, err := rowOf(&next)
	if err != nil {
		return cur, e, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE reports SET category = ?, status = ?, open = ?, unit = ?, ward = ?, lat = ?, lon = ?,
		created_at = ?, ack_due = ?, resolve_due = ?, due = ?, closed_at = ?, erased_at = ?, version = ?,
		name = ?, phone = ?, anonymous = ?, client = ?, token_hash = ?, data = ?
		WHERE code = ? AND version = ?`,
		next.Category, string(next.Status), w.open, next.Unit, next.Place.Ward, w.lat, w.lon,
		fmtTime(next.Created), fmtTime(next.AckDue), fmtTime(next.ResolveDue), w.due, w.closed, w.erased, next.Version,
		w.name, w.phone, w.anonymous, w.client, w.tokenHash, w.data, code, cur.Version)
	if err != nil {
		return cur, e, fmt.Errorf("update report %s: %w", code, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cur, e, fmt.Errorf("update report %s: %w: it changed meanwhile; load it again", code, ErrConflict)
	}
	if photosChanged(cur, next, w) {
		if err := writePhotos(ctx, tx, &next, w); err != nil {
			return cur, e, err
		}
	}
	if err := insertEvent(ctx, tx, &e); err != nil {
		return cur, e, err
	}
	if err := db.enqueueTx(ctx, tx, feedback.Notices(cur, next, e), e.At); err != nil {
		return cur, e, fmt.Errorf("update report %s: %w", code, err)
	}
	if e.Type == eventErase {
		if err := eraseEvents(ctx, tx, code); err != nil {
			return cur, e, err
		}
		// The reporter's opt-ins (phones, browsers) go with their name.
		if _, err := eraseSubscriptionsTx(ctx, tx, notify.ItemReport, cur.Office, `SELECT ?`, code); err != nil {
			return cur, e, fmt.Errorf("update report %s: %w", code, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return cur, e, fmt.Errorf("update report %s: %w", code, err)
	}
	return next, e, nil
}

// eraseEvents removes the reporter's name and id from the report's
// stored events. The store never writes them (scrubActor); this covers
// events stored by another program, so that erasure is complete.
// The JSON is edited in Go, the same on both databases.
func eraseEvents(ctx context.Context, tx *sql.Tx, code string) error {
	type edit struct {
		seq  int64
		data string
	}
	var edits []edit
	roles := []string{string(feedback.RoleReporter), string(feedback.RolePublic)}
	err := eachRow(ctx, tx, "events of "+code, func(r scanner) error {
		var e edit
		if err := r.Scan(&e.seq, &e.data); err != nil {
			return err
		}
		out, changed, err := withoutFields(e.data, "actor", "role", roles, "name", "id")
		if err != nil {
			return fmt.Errorf("event %d: %w", e.seq, err)
		}
		if changed {
			edits = append(edits, edit{e.seq, out})
		}
		return nil
	}, `SELECT seq, data FROM report_events WHERE report = ? ORDER BY seq`, code)
	if err != nil {
		return fmt.Errorf("erase reporter from events of %s: %w", code, err)
	}
	for _, e := range edits {
		if _, err := tx.ExecContext(ctx, `UPDATE report_events SET data = ? WHERE seq = ?`, e.data, e.seq); err != nil {
			return fmt.Errorf("erase reporter from event %d of %s: %w", e.seq, code, err)
		}
	}
	return nil
}

// Reports lists the reports f selects: newest first, or with Order
// "deadline" the open ones first by the deadline they wait on (so the
// overdue lead), then the closed ones newest first.
func (db *DB) Reports(ctx context.Context, f feedback.Filter) ([]feedback.Report, error) {
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
	in("category", f.Categories)
	statuses := make([]string, len(f.Statuses))
	for i, s := range f.Statuses {
		statuses[i] = string(s)
	}
	in("status", statuses)
	in("unit", f.Units)
	if !f.From.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "created_at < ?"), append(args, fmtTime(f.To))
	}
	if f.SW != nil {
		where, args = append(where, "lat >= ? AND lon >= ?"), append(args, f.SW.Lat, f.SW.Lon)
	}
	if f.NE != nil {
		where, args = append(where, "lat <= ? AND lon <= ?"), append(args, f.NE.Lat, f.NE.Lon)
	}
	q := `SELECT ` + reportColumns + ` FROM reports`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	switch f.Order {
	case "deadline":
		q += " ORDER BY open DESC, due NULLS FIRST, created_at DESC, code DESC"
	case "":
		q += " ORDER BY created_at DESC, code DESC"
	default:
		return nil, fmt.Errorf("list reports: order %q is unknown; use \"deadline\" or \"\"", f.Order)
	}
	if f.Limit < 0 || f.Offset < 0 {
		return nil, fmt.Errorf("list reports: limit %d and offset %d must not be negative", f.Limit, f.Offset)
	}
	if f.Limit > 0 || f.Offset > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, sqlLimit(f.Limit), f.Offset)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []feedback.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("list reports: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// queryer is a connection pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// eachEvent runs a query of (seq, data, created) and hands each event to
// f.
func eachEvent(ctx context.Context, q queryer, what string, f func(feedback.Event), query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var data string
		var created sql.NullString
		if err := rows.Scan(&seq, &data, &created); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		var e feedback.Event
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return fmt.Errorf("read %s: event %d is not valid JSON: %w", what, seq, err)
		}
		e.Seq = seq
		if created.Valid {
			var r feedback.Report
			if err := json.Unmarshal([]byte(created.String), &r); err != nil {
				return fmt.Errorf("read %s: report of event %d is not valid JSON: %w", what, seq, err)
			}
			e.Created = &r
		}
		f(e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// Timeline is a report's events, oldest first (ErrNotFound for an unknown
// report). The event that made it carries the report as made, without
// the reporter (Created).
func (db *DB) Timeline(ctx context.Context, code string) ([]feedback.Event, error) {
	tx, err := db.r.BeginTx(ctx, snapshot)
	if err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", code, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE code = ?`, code).Scan(&n); err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", code, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("report %q: %w", code, ErrNotFound)
	}
	var out []feedback.Event
	err = eachEvent(ctx, tx, "timeline of "+code, func(e feedback.Event) { out = append(out, e) },
		`SELECT seq, data, created FROM report_events WHERE report = ? ORDER BY seq`, code)
	return out, err
}

// ReportEventsSince is an office's report events after seq, oldest first, at
// most limit of them (DefaultEventsLimit when limit ≤ 0).
func (db *DB) ReportEventsSince(ctx context.Context, office string, seq int64, limit int) ([]feedback.Event, error) {
	if limit <= 0 {
		limit = DefaultEventsLimit
	}
	var out []feedback.Event
	err := eachEvent(ctx, db.r, "report events of "+office, func(e feedback.Event) { out = append(out, e) },
		`SELECT seq, data, created FROM report_events WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?`, office, seq, limit)
	return out, err
}

// PhotoPublic reports whether some report shows the photo with that hash
// to the public, and whether any report has it at all.
func (db *DB) PhotoPublic(ctx context.Context, hash string) (bool, bool, error) {
	var n, pub int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*), coalesce(max(public), 0) FROM report_photos WHERE hash = ?`, hash).
		Scan(&n, &pub); err != nil {
		return false, false, fmt.Errorf("photo %s: %w", hash, err)
	}
	return pub != 0, n > 0, nil
}

// EraseDue lists the codes of reports closed before closedBefore that
// still hold a reporter's name or phone, oldest closed first. A resolved
// report counts as closed from its resolution: with the erasure a year
// away, the reopening window (days) does not matter, and the erasure's
// own rules (feedback.Decide) refuse a report still open to reopening.
func (db *DB) EraseDue(ctx context.Context, closedBefore time.Time) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT code FROM reports
		WHERE erased_at IS NULL AND closed_at < ? AND (name <> '' OR phone <> '') ORDER BY closed_at, code`, fmtTime(closedBefore))
	if err != nil {
		return nil, fmt.Errorf("reports to erase: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("reports to erase: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reports to erase: %w", err)
	}
	return out, nil
}

// PutAPIClient registers an API client (an Open311 client, or the
// province's one-stop system: c.Scope, feedback.ScopeOpen311 when empty)
// or updates its name and revoked flag; the scope of a client is the one
// it was registered with. A non-nil keyHash (the sha256 of its key, made
// by the caller) replaces the key; a new client needs one. A key hash
// used by another client gives ErrConflict, an unknown office
// ErrNotFound.
func (db *DB) PutAPIClient(ctx context.Context, c feedback.APIClient, keyHash []byte) error {
	if !queue.ValidID(c.ID) {
		return fmt.Errorf("API client id %q is not valid: use 1–32 lower-case letters, digits, '-' or '_'", c.ID)
	}
	if err := queue.CheckName("client name", c.Name, true); err != nil {
		return fmt.Errorf("API client %s: %w", c.ID, err)
	}
	if keyHash != nil && len(keyHash) < 16 {
		return fmt.Errorf("API client %s: key hash of %d bytes is too short; store a sha256 hash, not the key", c.ID, len(keyHash))
	}
	switch c.Scope {
	case "", feedback.ScopeOpen311, feedback.ScopeDossiers:
	default:
		return fmt.Errorf("API client %s: scope %q is unknown; use %q or %q", c.ID, c.Scope, feedback.ScopeOpen311, feedback.ScopeDossiers)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save API client %s: %w", c.ID, err)
	}
	defer tx.Rollback()
	// A new client is not there to be locked: its id is.
	if err := db.lockKey(ctx, tx, "api_clients:"+c.Office+":"+c.ID); err != nil {
		return fmt.Errorf("save API client %s: %w", c.ID, err)
	}
	var scope string
	err = tx.QueryRowContext(ctx, `SELECT scope FROM api_clients WHERE office = ? AND id = ?`, c.Office, c.ID).Scan(&scope)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if keyHash == nil || c.Created.IsZero() {
			return fmt.Errorf("API client %s is new and needs a key hash and a creation time", c.ID)
		}
		if c.Scope == "" {
			c.Scope = feedback.ScopeOpen311
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO api_clients (office, id, name, key_hash, created_at, revoked, scope) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.Office, c.ID, c.Name, keyHash, fmtTime(c.Created), boolInt(c.Revoked), c.Scope)
	case err != nil:
		return fmt.Errorf("save API client %s: %w", c.ID, err)
	case c.Scope != "" && c.Scope != scope:
		return fmt.Errorf("save API client %s: %w: it is a client of scope %q, not %q; register a new client with another id", c.ID, ErrConflict, scope, c.Scope)
	default:
		_, err = tx.ExecContext(ctx, `UPDATE api_clients SET name = ?, revoked = ?, key_hash = coalesce(?, key_hash) WHERE office = ? AND id = ?`,
			c.Name, boolInt(c.Revoked), keyHash, c.Office, c.ID)
	}
	if isForeignKey(err) {
		return fmt.Errorf("save API client %s: office %q: %w", c.ID, c.Office, ErrNotFound)
	}
	if err != nil {
		if isConstraint(err) {
			return fmt.Errorf("save API client %s: %w: its key hash belongs to another client; make a new key", c.ID, ErrConflict)
		}
		return fmt.Errorf("save API client %s: %w", c.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save API client %s: %w", c.ID, err)
	}
	return nil
}

const apiClientColumns = `office, id, name, created_at, revoked, scope`

func scanAPIClient(s scanner) (feedback.APIClient, error) {
	var c feedback.APIClient
	var created sql.NullString
	var revoked int
	if err := s.Scan(&c.Office, &c.ID, &c.Name, &created, &revoked, &c.Scope); err != nil {
		return c, err
	}
	c.Revoked = revoked != 0
	var err error
	c.Created, err = parseTime(created)
	return c, err
}

// APIClientByKeyHash finds an API client by the sha256 of its key,
// whatever its scope: the API that reads it checks the scope. An unknown
// hash gives ErrNotFound; so does a revoked client's (returned with
// Revoked set), so that a caller checking only the error refuses it.
func (db *DB) APIClientByKeyHash(ctx context.Context, hash []byte) (feedback.APIClient, error) {
	c, err := scanAPIClient(db.r.QueryRowContext(ctx, `SELECT `+apiClientColumns+` FROM api_clients WHERE key_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return feedback.APIClient{}, fmt.Errorf("API key: %w", ErrNotFound)
	}
	if err != nil {
		return feedback.APIClient{}, fmt.Errorf("API key: %w", err)
	}
	if c.Revoked {
		return c, fmt.Errorf("API client %s: its key was revoked: %w", c.ID, ErrNotFound)
	}
	return c, nil
}

// APIClients lists an office's API clients of every scope, revoked ones
// included, oldest first.
func (db *DB) APIClients(ctx context.Context, office string) ([]feedback.APIClient, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+apiClientColumns+` FROM api_clients WHERE office = ? ORDER BY created_at, id`, office)
	if err != nil {
		return nil, fmt.Errorf("API clients of %s: %w", office, err)
	}
	defer rows.Close()
	var out []feedback.APIClient
	for rows.Next() {
		c, err := scanAPIClient(rows)
		if err != nil {
			return nil, fmt.Errorf("API clients of %s: %w", office, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("API clients of %s: %w", office, err)
	}
	return out, nil
}

// RevokeAPIClient revokes an API client's key (ErrNotFound for an
// unknown client).
func (db *DB) RevokeAPIClient(ctx context.Context, office, id string) error {
	res, err := db.w.ExecContext(ctx, `UPDATE api_clients SET revoked = 1 WHERE office = ? AND id = ?`, office, id)
	if err != nil {
		return fmt.Errorf("revoke API client %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("API client %q of office %q: %w", id, office, ErrNotFound)
	}
	return nil
}

// Checkpoint copies the write-ahead log into the database file and
// empties it (PRAGMA wal_checkpoint(TRUNCATE)). SQLite does this by
// itself every thousand pages or so; a long run of small transactions on
// a small disk (the demo's sample reports) calls it to keep the log from
// taking megabytes the database itself does not need.
func (db *DB) Checkpoint(ctx context.Context) error {
	var busy, logged, done int
	if err := db.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint: a reader held the log; it is copied the next time")
	}
	return nil
}
