package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"luot/server/queue"
)

// OfficeIDs lists the ids of the offices in the database, sorted.
func (db *DB) OfficeIDs(ctx context.Context) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id FROM offices ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list offices: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list offices: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list offices: %w", err)
	}
	return ids, nil
}

// Commit writes a change durably in one transaction (see engine.Store):
// tickets (upsert), counter statuses, next-number rows, averages, the
// configuration and business day, the idempotency key, the keyed reply
// and the events, whose encodings events[i] are stored exactly as given:
// the staff one in data, the public one in public when it differs (NULL
// otherwise).
//
// It refuses, with ErrConflict and writing nothing, a change whose event
// seqs do not continue the office's last seq exactly (last+1, last+2, …),
// whose issue order goes back, whose number row does not move forward, or
// that would give a (day, service, number), an idempotency key or a reply
// key twice. The outbox messages of the change's notices (one per
// subscription of each notice's item) are written in the same
// transaction; a notice about another office, or one the outbox cannot
// store, refuses the change.
func (db *DB) Commit(ctx context.Context, c *queue.Change, events []queue.EncodedEvent) error {
	// One path writes changes: a commit is a batch of one.
	return db.CommitBatch(ctx, []*queue.Change{c}, [][]queue.EncodedEvent{events})
}

// checkKeys refuses a change whose keys cannot be stored: a ticket's
// idempotency key without a ticket, a reply without a key.
func checkKeys(c *queue.Change) error {
	if c.IdempotencyKey != "" && c.Ticket == nil {
		return fmt.Errorf("commit change of office %s: idempotency key %q without a ticket", c.Office, c.IdempotencyKey)
	}
	if c.Reply != nil && c.Reply.Key == "" {
		return fmt.Errorf("commit change of office %s: a reply without its idempotency key", c.Office)
	}
	return nil
}

// officePos is an office's stored position: its last event seq, last
// issue order and business day. A commit reads it once, checks and
// advances it change by change (commitTx), and writes it once.
type officePos struct {
	seq, order int64
	day        string
}

// readPos reads an office's position in tx.
func (db *DB) readPos(ctx context.Context, tx *sql.Tx, office string) (officePos, error) {
	var p officePos
	err := db.txStmt(ctx, tx, sqlOfficePos).QueryRowContext(ctx, office).Scan(&p.seq, &p.order, &p.day)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("office %q: %w; create it first", office, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("read office: %w", err)
	}
	return p, nil
}

// writePos writes an office's position in tx.
func (db *DB) writePos(ctx context.Context, tx *sql.Tx, office string, p officePos) error {
	if _, err := db.txStmt(ctx, tx, sqlOfficeUpdate).ExecContext(ctx, p.day, p.seq, p.order, office); err != nil {
		return fmt.Errorf("save office position: %w", err)
	}
	return nil
}

// commitTx writes one change in tx, checking it against the office's
// position pos (as left by the changes before it in the same transaction)
// and advancing pos; the caller writes pos back once (writePos).
func (db *DB) commitTx(ctx context.Context, tx *sql.Tx, c *queue.Change, events []queue.EncodedEvent, pos *officePos) error {
	st := func(q string) stmt { return db.txStmt(ctx, tx, q) }
	lastSeq, lastOrder, day := pos.seq, pos.order, pos.day
	for i, ev := range c.Events {
		if want := lastSeq + int64(i) + 1; ev.Seq != want {
			return fmt.Errorf("event %d (%s) has seq %d but the next seq is %d: %w; the in-memory state is stale, reload it", i, ev.Type, ev.Seq, want, ErrConflict)
		}
		if ev.Office != "" && ev.Office != c.Office {
			return fmt.Errorf("event seq %d belongs to office %q: %w", ev.Seq, ev.Office, ErrConflict)
		}
	}
	if c.Order < lastOrder {
		return fmt.Errorf("issue order %d is behind the stored %d: %w; the in-memory state is stale, reload it", c.Order, lastOrder, ErrConflict)
	}
	if c.Day == "" {
		return errors.New("change has no business day")
	}
	if c.Day < day {
		return fmt.Errorf("business day %s is before the stored %s: %w", c.Day, day, ErrConflict)
	}
	at := changeTime(c)
	newSeq := lastSeq + int64(len(c.Events))

	if c.Config != nil {
		if c.Config.ID != c.Office {
			return fmt.Errorf("configuration is for office %q: %w", c.Config.ID, ErrConflict)
		}
		cfg, err := json.Marshal(c.Config)
		if err != nil {
			return fmt.Errorf("encode configuration: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offices SET config = ?, updated_at = ? WHERE id = ?`, string(cfg), fmtTime(at), c.Office); err != nil {
			return fmt.Errorf("save configuration: %w", err)
		}
		if err := syncCounters(ctx, tx, c.Office, c.Config); err != nil {
			return err
		}
	}
	*pos = officePos{seq: newSeq, order: c.Order, day: c.Day}
	for _, t := range c.Tickets {
		if t.Office != c.Office {
			return fmt.Errorf("ticket %s belongs to office %q: %w", t.ID, t.Office, ErrConflict)
		}
		if err := putTicket(ctx, st, t); err != nil {
			return err
		}
	}
	for _, cs := range c.Counters {
		if _, err := st(sqlCounterPut).ExecContext(ctx,
			c.Office, cs.Counter, string(cs.State), cs.Staff, cs.Current); err != nil {
			return fmt.Errorf("save counter %s: %w", cs.Counter, err)
		}
	}
	for _, n := range c.Numbers {
		res, err := st(sqlNumberPut).ExecContext(ctx,
			c.Office, n.Day, n.Service, n.Last)
		if err != nil {
			return fmt.Errorf("save number %s/%s=%d: %w", n.Day, n.Service, n.Last, err)
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			return fmt.Errorf("number %d of %s on %s is not after the stored last number: %w; the in-memory state is stale, reload it", n.Last, n.Service, n.Day, ErrConflict)
		}
	}
	for _, a := range c.Averages {
		if _, err := st(sqlAveragePut).ExecContext(ctx,
			c.Office, a.Service, a.Seconds); err != nil {
			return fmt.Errorf("save average of %s: %w", a.Service, err)
		}
	}
	for _, b := range c.Bookings {
		if err := putBooking(ctx, tx, c.Office, b, at); err != nil {
			return err
		}
	}
	if c.IdempotencyKey != "" {
		if _, err := st(sqlIdempotencyPut).ExecContext(ctx,
			c.Office, c.IdempotencyKey, c.Ticket.ID, fmtTime(at)); err != nil {
			return conflict(fmt.Sprintf("save idempotency key %q", c.IdempotencyKey), err)
		}
	}
	if r := c.Reply; r != nil {
		body := r.Body
		if body == nil {
			body = []byte{} // a 204: no body, which is not NULL
		}
		if _, err := st(sqlActionKeyPut).ExecContext(ctx,
			c.Office, r.Key, r.Request, r.Status, body, fmtTime(at)); err != nil {
			return conflict("save the answer of an idempotency key", err)
		}
	}
	for i := range c.PrintJobs {
		if err := putPrintJob(ctx, tx, c.Office, &c.PrintJobs[i]); err != nil {
			return err
		}
	}
	if len(c.Events) > 0 {
		ins := st(sqlEventPut)
		for i, ev := range c.Events {
			enc := events[i]
			if len(enc.Staff) == 0 || len(enc.Public) == 0 {
				return fmt.Errorf("event seq %d (%s) has an empty encoding", ev.Seq, ev.Type)
			}
			var public []byte // NULL: the same as data
			if !bytes.Equal(enc.Public, enc.Staff) {
				public = enc.Public
			}
			if _, err := ins.ExecContext(ctx, c.Office, ev.Seq, string(ev.Type), fmtTime(ev.At), enc.Staff, public); err != nil {
				return conflict(fmt.Sprintf("save event seq %d", ev.Seq), err)
			}
		}
	}
	for _, n := range c.Notices {
		if n.Item.Office != c.Office {
			return fmt.Errorf("notice %s is about office %q: %w", n.Key, n.Item.Office, ErrConflict)
		}
	}
	return db.enqueueTx(ctx, tx, c.Notices, at)
}

// changeTime is the time a change happened, for bookkeeping columns: its
// own (every command sets it), else — a change built by hand — its first
// event's, else its ticket's issue time, else the wall clock.
func changeTime(c *queue.Change) time.Time {
	switch {
	case !c.At.IsZero():
		return c.At
	case len(c.Events) > 0 && !c.Events[0].At.IsZero():
		return c.Events[0].At
	case c.Ticket != nil && !c.Ticket.IssuedAt.IsZero():
		return c.Ticket.IssuedAt
	}
	return time.Now()
}

// syncCounters keeps counter_status in step with a configuration: rows of
// removed counters go, new counters start closed (as State.Apply does).
func syncCounters(ctx context.Context, tx *sql.Tx, office string, o *queue.Office) error {
	ids := make([]any, 0, len(o.Counters)+1)
	ids = append(ids, office)
	ph := ""
	for i, k := range o.Counters {
		if i > 0 {
			ph += ","
		}
		ph += "?"
		ids = append(ids, k.ID)
	}
	q := `DELETE FROM counter_status WHERE office = ?`
	if ph != "" {
		q += ` AND counter NOT IN (` + ph + `)`
	}
	if _, err := tx.ExecContext(ctx, q, ids...); err != nil {
		return fmt.Errorf("remove counters: %w", err)
	}
	for _, k := range o.Counters {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counter_status (office, counter, state) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			office, k.ID, string(queue.CounterClosed)); err != nil {
			return fmt.Errorf("add counter %s: %w", k.ID, err)
		}
	}
	return nil
}

const ticketColumns = `id, office, day, service, number, number_service, display, source, priority, status,
	va, issue_order, pinned, issued_at, called_at, recalled_at, serving_at, finished_at,
	counter, staff, recalls, transfers, token, booking, name, phone, estimate_seconds, device, dossier`

// putTicket inserts or replaces a ticket. The unique number and order
// indexes reject a second ticket with the same number or issue order.
func putTicket(ctx context.Context, st func(string) stmt, t *queue.Ticket) error {
	var transfers any
	if len(t.Transfers) > 0 {
		tr := make([]queue.Transfer, len(t.Transfers))
		for i, x := range t.Transfers {
			x.At = x.At.UTC()
			tr[i] = x
		}
		b, err := json.Marshal(tr)
		if err != nil {
			return fmt.Errorf("encode transfers of ticket %s: %w", t.ID, err)
		}
		transfers = string(b)
	}
	res, err := st(sqlTicketPut).ExecContext(ctx,
		t.ID, t.Office, t.Day, t.Service, t.Number, t.NumberService, t.Display, string(t.Source),
		string(t.Priority), string(t.Status), fmtTime(t.VA), t.Order, t.Pinned, fmtTime(t.IssuedAt),
		fmtTime(t.CalledAt), fmtTime(t.RecalledAt), fmtTime(t.ServingAt), fmtTime(t.FinishedAt),
		t.Counter, t.Staff, t.Recalls, transfers, t.Token, t.Booking, t.Name, t.Phone,
		t.EstimateSeconds, t.Device, t.Dossier)
	if err != nil {
		return conflict(fmt.Sprintf("save ticket %s (%s of %s on %s)", t.ID, t.Display, t.NumberService, t.Day), err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		return fmt.Errorf("ticket id %s is taken by another office: %w", t.ID, ErrConflict)
	}
	return nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// eachRow runs a query in tx and hands each row to row; an error (of the
// query, of a row, of the iteration) is returned as "read what: …". The
// rows are closed in every case.
func eachRow(ctx context.Context, tx *sql.Tx, what string, row func(scanner) error, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

func scanTicket(s scanner) (*queue.Ticket, error) {
	var t queue.Ticket
	var source, priority, status string
	var va, issued, called, recalled, serving, finished, transfers sql.NullString
	if err := s.Scan(&t.ID, &t.Office, &t.Day, &t.Service, &t.Number, &t.NumberService, &t.Display,
		&source, &priority, &status, &va, &t.Order, &t.Pinned, &issued, &called, &recalled, &serving,
		&finished, &t.Counter, &t.Staff, &t.Recalls, &transfers, &t.Token, &t.Booking, &t.Name,
		&t.Phone, &t.EstimateSeconds, &t.Device, &t.Dossier); err != nil {
		return nil, err
	}
	t.Source, t.Priority, t.Status = queue.Source(source), queue.Priority(priority), queue.Status(status)
	// A name stored before format characters were refused is shown
	// without them (queue.StripFormatChars).
	t.Name = queue.StripFormatChars(t.Name)
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&t.VA, va}, {&t.IssuedAt, issued}, {&t.CalledAt, called}, {&t.RecalledAt, recalled}, {&t.ServingAt, serving}, {&t.FinishedAt, finished}} {
		v, err := parseTime(f.src)
		if err != nil {
			return nil, fmt.Errorf("ticket %s: %w", t.ID, err)
		}
		*f.dst = v
	}
	if transfers.Valid && transfers.String != "" {
		if err := json.Unmarshal([]byte(transfers.String), &t.Transfers); err != nil {
			return nil, fmt.Errorf("ticket %s: stored transfers: %w", t.ID, err)
		}
		for i := range t.Transfers {
			t.Transfers[i].At = t.Transfers[i].At.UTC()
		}
	}
	return &t, nil
}

// Ticket loads a ticket of an office by id, of any day. It returns
// ErrNotFound when there is none.
func (db *DB) Ticket(ctx context.Context, office, id string) (*queue.Ticket, error) {
	t, err := scanTicket(db.r.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ? AND office = ?`, id, office))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("ticket %s of office %s: %w", id, office, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load ticket %s of office %s: %w", id, office, err)
	}
	return t, nil
}

// TicketByID loads a ticket by id whatever its office (ticket ids are
// unique across offices). It returns ErrNotFound when there is none.
func (db *DB) TicketByID(ctx context.Context, id string) (*queue.Ticket, error) {
	t, err := scanTicket(db.r.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("ticket %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load ticket %s: %w", id, err)
	}
	return t, nil
}

// TicketByIdempotencyKey returns the id of the ticket made by the request
// with this key, or "" if there was none.
func (db *DB) TicketByIdempotencyKey(ctx context.Context, office, key string) (string, error) {
	var id string
	err := db.r.QueryRowContext(ctx, `SELECT ticket FROM idempotency WHERE office = ? AND key = ?`, office, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up idempotency key of office %s: %w", office, err)
	}
	return id, nil
}

// Reply returns the stored answer to the keyed request with this key (see
// queue.Change.Reply), or nil if there is none.
func (db *DB) Reply(ctx context.Context, office, key string) (*queue.Reply, error) {
	r := queue.Reply{Key: key}
	err := db.r.QueryRowContext(ctx, `SELECT request, status, body FROM action_keys WHERE office = ? AND key = ?`, office, key).
		Scan(&r.Request, &r.Status, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up the answer of an idempotency key of office %s: %w", office, err)
	}
	return &r, nil
}

// EventsSince returns the encoded events of an office with seq > since, in
// order, at most limit of them (limit <= 0: all), for both audiences. complete is false — and
// no events are returned — when the event since+1 is no longer kept
// (pruned), or when since is beyond the office's last seq (the client saw
// a history this database does not have, e.g. after a restore): either way
// the client must start again from a snapshot.
func (db *DB) EventsSince(ctx context.Context, office string, since int64, limit int) ([]queue.EncodedEvent, bool, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, fmt.Errorf("events of office %s: %w", office, err)
	}
	defer tx.Rollback()
	var last int64
	err = tx.QueryRowContext(ctx, `SELECT last_seq FROM offices WHERE id = ?`, office).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("events of office %q: %w", office, ErrNotFound)
	}
	if err != nil {
		return nil, false, fmt.Errorf("events of office %s: %w", office, err)
	}
	if since < 0 || since > last {
		return nil, false, nil
	}
	if since == last {
		return nil, true, nil
	}
	q := `SELECT seq, data, public FROM events WHERE office = ? AND seq > ? ORDER BY seq`
	args := []any{office, since}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("events of office %s: %w", office, err)
	}
	defer rows.Close()
	var out []queue.EncodedEvent
	want := since + 1
	for rows.Next() {
		var seq int64
		var data, public []byte
		if err := rows.Scan(&seq, &data, &public); err != nil {
			return nil, false, fmt.Errorf("events of office %s: %w", office, err)
		}
		if seq != want {
			return nil, false, nil // pruned (or, impossibly, a gap)
		}
		if public == nil {
			public = data
		}
		out = append(out, queue.EncodedEvent{Staff: data, Public: public})
		want++
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("events of office %s: %w", office, err)
	}
	if len(out) == 0 {
		return nil, false, nil
	}
	return out, true, nil
}

// LoadState rebuilds the live state of an office from what was committed
// (see engine.Store). All reads happen in one read transaction, so the
// state is one consistent snapshot even while commits go on.
func (db *DB) LoadState(ctx context.Context, office string) (*queue.State, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("load office %s: %w", office, err)
	}
	defer tx.Rollback()
	s, err := loadState(ctx, tx, office)
	if err != nil {
		return nil, fmt.Errorf("load office %s: %w", office, err)
	}
	return s, nil
}

func loadState(ctx context.Context, tx *sql.Tx, office string) (*queue.State, error) {
	var cfg []byte
	var day string
	var lastSeq, lastOrder int64
	err := tx.QueryRowContext(ctx, `SELECT config, day, last_seq, last_order FROM offices WHERE id = ?`, office).
		Scan(&cfg, &day, &lastSeq, &lastOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	o, err := decodeOffice(cfg)
	if err != nil {
		return nil, err
	}
	s := queue.NewState(o, day)
	s.Seq, s.Order = lastSeq, lastOrder

	var maxSeq, maxOrder sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM events WHERE office = ?`, office).Scan(&maxSeq); err != nil {
		return nil, fmt.Errorf("read last event: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT max(issue_order) FROM tickets WHERE office = ?`, office).Scan(&maxOrder); err != nil {
		return nil, fmt.Errorf("read last order: %w", err)
	}
	if maxSeq.Int64 > lastSeq || maxOrder.Int64 > lastOrder {
		return nil, fmt.Errorf("database is inconsistent: last seq %d / order %d recorded, but seq %d / order %d stored; restore a backup", lastSeq, lastOrder, maxSeq.Int64, maxOrder.Int64)
	}

	err = eachRow(ctx, tx, "counters", func(r scanner) error {
		var cs queue.CounterStatus
		var state string
		if err := r.Scan(&cs.Counter, &state, &cs.Staff, &cs.Current); err != nil {
			return err
		}
		cs.State = queue.CounterState(state)
		if _, ok := s.Counters[cs.Counter]; ok {
			s.Counters[cs.Counter] = cs
		}
		return nil
	}, `SELECT counter, state, staff, current FROM counter_status WHERE office = ?`, office)
	if err != nil {
		return nil, err
	}

	err = eachRow(ctx, tx, "tickets", func(r scanner) error {
		t, err := scanTicket(r)
		if err != nil {
			return err
		}
		if t.Day != day && t.Status.Final() {
			return nil // a status this program does not know as final; keep memory as Apply would
		}
		s.Tickets[t.ID] = t
		if t.Source == queue.SourceRemote && t.Day == day {
			s.Remote[t.NumberService]++ // as Apply counted it: by the service it was issued for
		}
		return nil
	}, `SELECT `+ticketColumns+` FROM tickets
		WHERE office = ? AND (day = ? OR status NOT IN (?, ?, ?, ?))`,
		office, day, string(queue.StatusDone), string(queue.StatusNoShow), string(queue.StatusCancelled), string(queue.StatusExpired))
	if err != nil {
		return nil, err
	}

	err = eachRow(ctx, tx, "numbers", func(r scanner) error {
		var sv string
		var n int
		if err := r.Scan(&sv, &n); err != nil {
			return err
		}
		s.Numbers[sv] = n
		return nil
	}, `SELECT service, last FROM numbers WHERE office = ? AND day = ?`, office, day)
	if err != nil {
		return nil, err
	}

	if err := loadBookings(ctx, tx, s); err != nil {
		return nil, err
	}

	err = eachRow(ctx, tx, "averages", func(r scanner) error {
		var sv string
		var sec float64
		if err := r.Scan(&sv, &sec); err != nil {
			return err
		}
		s.Averages[sv] = sec
		return nil
	}, `SELECT service, seconds FROM averages WHERE office = ?`, office)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// decodeOffice reads and validates a stored configuration.
func decodeOffice(cfg []byte) (queue.Office, error) {
	var o queue.Office
	if err := json.Unmarshal(cfg, &o); err != nil {
		return o, fmt.Errorf("stored configuration is not valid JSON: %w", err)
	}
	o.NormalizeStored() // what earlier versions accepted still loads
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("stored configuration is not valid: %w; fix it with -import", err)
	}
	return o, nil
}
