package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"luot/internal/random"
	"luot/server/notify"
	"luot/server/queue"
)

// The SQLite store is the outbox and the subscriptions (docs/notify.md,
// migration 0009_notify).
var _ notify.Store = (*DB)(nil)

// Limits of what the outbox stores: longer input is refused, not cut
// (a key cut short could meet another's).
const (
	// MaxNoticeKey is the longest notice key, in bytes.
	MaxNoticeKey = 200
	// MaxItemID is the longest item id (a ticket's id, a booking's,
	// dossier's or report's code), in bytes.
	MaxItemID = 100
	// MaxEndpoint is the longest push endpoint or link, in bytes.
	MaxEndpoint = 2048
	// maxReason is the most of a failure's reason kept, in runes.
	maxReason = 300
	// MaxClaim is the most messages one Claim takes (a larger limit
	// takes this many).
	MaxClaim = 1000
)

// sqlOutboxPut writes a notice's messages, one per subscription of its
// item; a (key, subscription) already there is skipped. It runs in the
// transaction of the notice's fact (commitTx), so it is prepared at Open.
const sqlOutboxPut = `INSERT INTO outbox (key, sub, lang, kind, item_type, item_id, office, at, params, not_before, created_at)
	SELECT ?, id, lang, ?, item_type, item_id, office, ?, ?, ?, ? FROM subscriptions
	WHERE item_type = ? AND item_id = ? AND office = ?
	ON CONFLICT DO NOTHING`

// sqlOutboxPhonePut writes the one message of a notice sent to a phone.
const sqlOutboxPhonePut = `INSERT INTO outbox (key, sub, phone, lang, kind, item_type, item_id, office, at, params, not_before, created_at)
	VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`

// validLang reports whether l is a language of the texts.
func validLang(l string) bool { return l == "vi" || l == "en" }

// validItemType reports whether t is an item one can follow.
func validItemType(t notify.ItemType) bool {
	switch t {
	case notify.ItemTicket, notify.ItemBooking, notify.ItemDossier, notify.ItemReport:
		return true
	}
	return false
}

// plainText reports whether s is valid UTF-8 without control characters
// (what keys, ids and endpoints are made of).
func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// checkItem refuses an item the outbox cannot file.
func checkItem(it notify.Item) error {
	switch {
	case !validItemType(it.Type):
		return fmt.Errorf("item type %q is not one of ticket, booking, dossier, report", it.Type)
	case it.ID == "" || len(it.ID) > MaxItemID || !plainText(it.ID):
		return fmt.Errorf("item id %q: give the id of the %s (1 to %d bytes, no control characters)", trimForError(it.ID), it.Type, MaxItemID)
	case it.Office == "":
		return fmt.Errorf("%s %s: the office is required", it.Type, it.ID)
	}
	return nil
}

// trimForError cuts s for an error message.
func trimForError(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// checkNotice refuses a notice whose messages cannot be stored.
func checkNotice(n notify.Notice) error {
	switch {
	case n.Key == "" || len(n.Key) > MaxNoticeKey || !plainText(n.Key):
		return fmt.Errorf("notice key %q: give the key of docs/notify.md (1 to %d bytes, no control characters)", trimForError(n.Key), MaxNoticeKey)
	case !slices.Contains(notify.Kinds, n.Kind):
		return fmt.Errorf("notice %s: kind %q is not a notify kind", n.Key, n.Kind)
	case n.At.IsZero():
		return fmt.Errorf("notice %s: the time of its fact is required", n.Key)
	case n.Item.Office == "":
		return fmt.Errorf("notice %s: the office of its item is required", n.Key)
	}
	if n.Phone == "" {
		if err := checkItem(n.Item); err != nil {
			return fmt.Errorf("notice %s: %w", n.Key, err)
		}
		return nil
	}
	if p, err := queue.NormalizePhone(n.Phone); err != nil || p != n.Phone {
		return fmt.Errorf("notice %s: phone %q is not a normalised Vietnamese mobile number (+84 and 9 digits)", n.Key, trimForError(n.Phone))
	}
	if n.Lang != "" && !validLang(n.Lang) {
		return fmt.Errorf("notice %s: language %q is neither vi nor en", n.Key, n.Lang)
	}
	if n.Item.Type != "" && !validItemType(n.Item.Type) || len(n.Item.ID) > MaxItemID || !plainText(n.Item.ID) {
		return fmt.Errorf("notice %s: item %s %q is not an item one can follow", n.Key, n.Item.Type, trimForError(n.Item.ID))
	}
	return nil
}

// enqueueTx writes the outbox messages of notices in tx, due at now: one
// per subscription of each notice's item, or the one to its phone. A
// message already there (same key and subscription, or key and phone) is
// kept as it is. A bad notice fails the whole transaction.
func (db *DB) enqueueTx(ctx context.Context, tx *sql.Tx, notices []notify.Notice, now time.Time) error {
	if len(notices) == 0 {
		return nil
	}
	if now.IsZero() {
		return errors.New("enqueue notices: the time is required")
	}
	for _, n := range notices {
		if err := checkNotice(n); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		params := "{}"
		if len(n.Params) > 0 {
			b, err := json.Marshal(n.Params)
			if err != nil {
				return fmt.Errorf("enqueue notice %s: encode its params: %w", n.Key, err)
			}
			params = string(b)
		}
		var err error
		if n.Phone == "" {
			_, err = db.txStmt(ctx, tx, sqlOutboxPut).ExecContext(ctx, n.Key, string(n.Kind), fmtTime(n.At), params, fmtTime(now), fmtTime(now),
				string(n.Item.Type), n.Item.ID, n.Item.Office)
		} else {
			lang := n.Lang
			if lang == "" {
				lang = "vi"
			}
			_, err = db.txStmt(ctx, tx, sqlOutboxPhonePut).ExecContext(ctx, n.Key, n.Phone, lang, string(n.Kind),
				string(n.Item.Type), n.Item.ID, n.Item.Office, fmtTime(n.At), params, fmtTime(now), fmtTime(now))
		}
		if isForeignKey(err) {
			return fmt.Errorf("enqueue notice %s: office %q: %w", n.Key, n.Item.Office, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("enqueue notice %s: %w", n.Key, err)
		}
	}
	return nil
}

// Enqueue writes the messages of these notices in one transaction (see
// notify.Store), due at now; a (key, subscription) — or (key, phone) —
// already in the outbox is skipped. A bad notice (no key, an unknown
// kind, no item, a phone not normalised, an unknown office) fails them
// all and writes nothing.
func (db *DB) Enqueue(ctx context.Context, notices []notify.Notice, now time.Time) error {
	if len(notices) == 0 {
		return nil
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enqueue %d notices: %w", len(notices), err)
	}
	defer tx.Rollback()
	if err := db.enqueueTx(ctx, tx, notices, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enqueue %d notices: %w", len(notices), err)
	}
	return nil
}

// checkSubscription refuses an opt-in that cannot be stored.
func checkSubscription(s notify.Subscription) error {
	if err := checkItem(s.Item); err != nil {
		return err
	}
	if !validLang(s.Lang) {
		return fmt.Errorf("subscription language %q is neither vi nor en", s.Lang)
	}
	if len(s.Link) > MaxEndpoint || !plainText(s.Link) {
		return fmt.Errorf("subscription link: at most %d bytes, no control characters", MaxEndpoint)
	}
	switch s.Channel {
	case notify.Push:
		if s.Phone != "" {
			return errors.New("a push subscription has no phone: subscribe the phone on its own (channel sms)")
		}
		u, err := url.Parse(s.Endpoint)
		if err != nil || len(s.Endpoint) > MaxEndpoint || !plainText(s.Endpoint) || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("push endpoint %q is not an http(s) URL of at most %d bytes", trimForError(s.Endpoint), MaxEndpoint)
		}
		if k, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s.P256DH, "=")); err != nil || len(k) != 65 || k[0] != 4 {
			return errors.New("push key p256dh is not a P-256 public key (65 bytes, uncompressed, base64url)")
		}
		if a, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s.Auth, "=")); err != nil || len(a) != 16 {
			return errors.New("push secret auth is not 16 bytes in base64url")
		}
	case notify.SMS:
		if s.Endpoint != "" || s.P256DH != "" || s.Auth != "" {
			return errors.New("an SMS subscription has no push endpoint or keys: subscribe the browser on its own (channel push)")
		}
		if p, err := queue.NormalizePhone(s.Phone); err != nil || p != s.Phone {
			return fmt.Errorf("phone %q is not a normalised Vietnamese mobile number (+84 and 9 digits)", trimForError(s.Phone))
		}
	default:
		return fmt.Errorf("channel %q is neither push nor sms", s.Channel)
	}
	return nil
}

const subscriptionColumns = `id, token, item_type, item_id, office, channel, lang, endpoint, p256dh, auth, phone, link, created_at`

// scanSubscription reads the columns of subscriptionColumns.
func scanSubscription(r scanner) (notify.Subscription, error) {
	var s notify.Subscription
	var typ, channel string
	var created sql.NullString
	if err := r.Scan(&s.ID, &s.Token, &typ, &s.Item.ID, &s.Item.Office, &channel, &s.Lang, &s.Endpoint,
		&s.P256DH, &s.Auth, &s.Phone, &s.Link, &created); err != nil {
		return s, err
	}
	s.Item.Type, s.Channel = notify.ItemType(typ), notify.Channel(channel)
	var err error
	s.Created, err = parseTime(created)
	return s, err
}

// Subscribe stores s (see notify.Store) with a new random Token and
// Created set to s.Created (the caller's clock; the wall clock when
// zero). The same endpoint or phone for the same item is one
// subscription: the stored one is returned with s's language, link and
// push keys. An office the store does not have is ErrNotFound; bad input
// (an unknown item type or channel, a phone not normalised, push keys of
// the wrong size) is refused and nothing is written.
func (db *DB) Subscribe(ctx context.Context, s notify.Subscription) (notify.Subscription, error) {
	if err := checkSubscription(s); err != nil {
		return s, fmt.Errorf("subscribe: %w", err)
	}
	return db.subscribeTx(ctx, db.w, s)
}

// subscribeTx stores s, checked already, in q: the store's writer or
// the transaction of the item's creation (CreateDossier).
func (db *DB) subscribeTx(ctx context.Context, q rowQuerier, s notify.Subscription) (notify.Subscription, error) {
	if s.Created.IsZero() {
		s.Created = time.Now()
	}
	row := q.QueryRowContext(ctx, `INSERT INTO subscriptions (token, item_type, item_id, office, channel, lang, endpoint, p256dh, auth, phone, link, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (item_type, item_id, office, channel, endpoint, phone) DO UPDATE SET
			lang = excluded.lang, link = excluded.link, p256dh = excluded.p256dh, auth = excluded.auth
		RETURNING `+subscriptionColumns,
		random.Token(), string(s.Item.Type), s.Item.ID, s.Item.Office, string(s.Channel), s.Lang, s.Endpoint,
		s.P256DH, s.Auth, s.Phone, s.Link, fmtTime(s.Created))
	got, err := scanSubscription(row)
	if isForeignKey(err) {
		return s, fmt.Errorf("subscribe to %s %s: office %q: %w", s.Item.Type, s.Item.ID, s.Item.Office, ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("subscribe to %s %s: %w", s.Item.Type, s.Item.ID, err)
	}
	return got, nil
}

// Unsubscribe deletes the subscription with this token and its messages
// not yet sent (see notify.Store); an unknown token is ErrNotFound.
func (db *DB) Unsubscribe(ctx context.Context, token string) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM subscriptions WHERE token = ?`, token)
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("unsubscribe: no subscription has this token: %w", ErrNotFound)
	}
	return nil
}

// Subscriptions lists an item's subscriptions, oldest first.
func (db *DB) Subscriptions(ctx context.Context, item notify.Item) ([]notify.Subscription, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE item_type = ? AND item_id = ? AND office = ? ORDER BY id`, string(item.Type), item.ID, item.Office)
	if err != nil {
		return nil, fmt.Errorf("subscriptions of %s %s: %w", item.Type, item.ID, err)
	}
	defer rows.Close()
	var out []notify.Subscription
	for rows.Next() {
		s, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions of %s %s: %w", item.Type, item.ID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions of %s %s: %w", item.Type, item.ID, err)
	}
	return out, nil
}

// DropSubscription deletes a subscription its channel says is gone, and
// its messages; an unknown id is ErrNotFound.
func (db *DB) DropSubscription(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("drop subscription %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("drop subscription %d: %w", id, ErrNotFound)
	}
	return nil
}

// WatchedTickets lists the ids of an office's tickets, not yet final,
// that have a subscription, sorted.
func (db *DB) WatchedTickets(ctx context.Context, office string) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT s.item_id FROM subscriptions s
		JOIN tickets t ON t.id = s.item_id AND t.office = s.office
		WHERE s.office = ? AND s.item_type = ? AND t.status NOT IN (?, ?, ?, ?)
		ORDER BY s.item_id`,
		office, string(notify.ItemTicket),
		string(queue.StatusDone), string(queue.StatusNoShow), string(queue.StatusCancelled), string(queue.StatusExpired))
	if err != nil {
		return nil, fmt.Errorf("watched tickets of office %s: %w", office, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("watched tickets of office %s: %w", office, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("watched tickets of office %s: %w", office, err)
	}
	return ids, nil
}

const messageColumns = `o.id, o.key, o.phone, o.lang, o.kind, o.item_type, o.item_id, o.office, o.at, o.params,
	o.state, o.tries, o.not_before, o.created_at, o.last_error,
	s.id, s.token, s.channel, s.lang, s.endpoint, s.p256dh, s.auth, s.phone, s.link, s.created_at`

// scanMessage reads the columns of messageColumns (outbox o LEFT JOIN
// subscriptions s).
func scanMessage(r scanner) (notify.Message, error) {
	var m notify.Message
	var phone, lang, kind, typ, state, params string
	var at, notBefore, created sql.NullString
	var sid sql.NullInt64
	var token, channel, slang, endpoint, p256dh, auth, sphone, link, screated sql.NullString
	if err := r.Scan(&m.ID, &m.Notice.Key, &phone, &lang, &kind, &typ, &m.Notice.Item.ID, &m.Notice.Item.Office,
		&at, &params, &state, &m.Tries, &notBefore, &created, &m.LastError,
		&sid, &token, &channel, &slang, &endpoint, &p256dh, &auth, &sphone, &link, &screated); err != nil {
		return m, err
	}
	m.Notice.Kind, m.Notice.Item.Type, m.State = notify.Kind(kind), notify.ItemType(typ), notify.State(state)
	if params != "" && params != "{}" {
		if err := json.Unmarshal([]byte(params), &m.Notice.Params); err != nil {
			return m, fmt.Errorf("message %d: stored params: %w", m.ID, err)
		}
	}
	var err error
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&m.Notice.At, at}, {&m.NotBefore, notBefore}, {&m.Created, created}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return m, fmt.Errorf("message %d: %w", m.ID, err)
		}
	}
	if !sid.Valid {
		// A message to a phone: an SMS without a subscription.
		m.Notice.Phone, m.Notice.Lang = phone, lang
		m.Sub = notify.Subscription{Item: m.Notice.Item, Channel: notify.SMS, Lang: lang, Phone: phone}
		return m, nil
	}
	m.Notice.Lang = slang.String
	m.Sub = notify.Subscription{ID: sid.Int64, Token: token.String, Item: m.Notice.Item, Channel: notify.Channel(channel.String),
		Lang: slang.String, Endpoint: endpoint.String, P256DH: p256dh.String, Auth: auth.String, Phone: sphone.String, Link: link.String}
	if m.Sub.Created, err = parseTime(screated); err != nil {
		return m, fmt.Errorf("message %d: %w", m.ID, err)
	}
	return m, nil
}

// Claim takes up to limit (at most MaxClaim) queued messages due at now
// and not leased (or whose lease ran out), earliest due first, and
// leases them until now+lease (see notify.Store). It runs in one write
// transaction, so two claimers — even in two processes on the same file —
// never get the same message while its lease runs; on PostgreSQL the rows
// it reads are locked and another claimer skips them.
func (db *DB) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	switch {
	case now.IsZero():
		return nil, errors.New("claim messages: the time is required")
	case lease <= 0:
		return nil, fmt.Errorf("claim messages: lease %s: give a positive lease (longer than a delivery takes)", lease)
	case limit <= 0:
		return nil, fmt.Errorf("claim messages: limit %d: claim at least one", limit)
	}
	limit = min(limit, MaxClaim)
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	defer tx.Rollback()
	t := fmtTime(now)
	var out []notify.Message
	err = eachRow(ctx, tx, "due messages", func(r scanner) error {
		m, err := scanMessage(r)
		if err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}, `SELECT `+messageColumns+` FROM outbox o LEFT JOIN subscriptions s ON s.id = o.sub
		WHERE o.state = 'queued' AND o.not_before <= ? AND (o.leased_until IS NULL OR o.leased_until <= ?)
		ORDER BY o.not_before, o.id LIMIT ?`+db.forUpdate("OF o SKIP LOCKED"), t, t, limit)
	if err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	args := []any{fmtTime(now.Add(lease))}
	for _, m := range out {
		args = append(args, m.ID)
	}
	q := `UPDATE outbox SET leased_until = ? WHERE id IN (?` + strings.Repeat(", ?", len(out)-1) + `)`
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return nil, fmt.Errorf("claim %d messages: lease them: %w", len(out), err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	return out, nil
}

// messageGone tells why an update of message id changed no row: it does
// not exist (ErrNotFound), or it is no longer queued (nil: another
// sender finished it after this one's lease ran out; nothing to do).
func (db *DB) messageGone(ctx context.Context, what string, id int64) error {
	var state string
	err := db.w.QueryRowContext(ctx, `SELECT state FROM outbox WHERE id = ?`, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s message %d: %w (its subscription may have been deleted)", what, id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s message %d: %w", what, id, err)
	}
	return nil
}

// MarkSent records a delivery at now: the message is sent, whatever it
// was (a channel that accepted it is the truth, even after a late dead
// letter). An unknown id is ErrNotFound.
func (db *DB) MarkSent(ctx context.Context, id int64, now time.Time) error {
	if now.IsZero() {
		return fmt.Errorf("mark message %d sent: the time is required", id)
	}
	res, err := db.w.ExecContext(ctx, `UPDATE outbox SET state = 'sent', done_at = ?, leased_until = NULL WHERE id = ?`, fmtTime(now), id)
	if err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mark message %d sent: %w (its subscription may have been deleted)", id, ErrNotFound)
	}
	return nil
}

// cleanReason makes a failure's reason fit to keep: valid UTF-8 without
// control characters, at most maxReason runes.
func cleanReason(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxReason {
		s = string([]rune(s)[:maxReason-1]) + "…"
	}
	return s
}

// MarkFailed records a failed try of a queued message (see notify.Store):
// Tries+1, the reason (cut to 300 characters), and either the next try at
// retry or, when dead, the dead letter. A message no longer queued (sent
// or dead meanwhile) is left as it is; an unknown id is ErrNotFound.
func (db *DB) MarkFailed(ctx context.Context, id int64, now time.Time, reason string, retry time.Time, dead bool) error {
	if now.IsZero() {
		return fmt.Errorf("mark message %d failed: the time is required", id)
	}
	if !dead && retry.IsZero() {
		return fmt.Errorf("mark message %d failed: give the time of the next try, or make it dead", id)
	}
	var res sql.Result
	var err error
	if dead {
		res, err = db.w.ExecContext(ctx, `UPDATE outbox SET state = 'dead', tries = tries + 1, last_error = ?, done_at = ?, leased_until = NULL
			WHERE id = ? AND state = 'queued'`, cleanReason(reason), fmtTime(now), id)
	} else {
		res, err = db.w.ExecContext(ctx, `UPDATE outbox SET tries = tries + 1, last_error = ?, not_before = ?, leased_until = NULL
			WHERE id = ? AND state = 'queued'`, cleanReason(reason), fmtTime(retry), id)
	}
	if err != nil {
		return fmt.Errorf("mark message %d failed: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.messageGone(ctx, "mark failed", id)
	}
	return nil
}

// Hold moves a queued message's NotBefore to until and ends its lease,
// without counting a try (quiet hours). A message no longer queued is
// left as it is; an unknown id is ErrNotFound.
func (db *DB) Hold(ctx context.Context, id int64, until time.Time) error {
	if until.IsZero() {
		return fmt.Errorf("hold message %d: the time to hold it until is required", id)
	}
	res, err := db.w.ExecContext(ctx, `UPDATE outbox SET not_before = ?, leased_until = NULL WHERE id = ? AND state = 'queued'`, fmtTime(until), id)
	if err != nil {
		return fmt.Errorf("hold message %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.messageGone(ctx, "hold", id)
	}
	return nil
}

// OutboxMetrics counts the outbox's messages by state and, among them,
// those the SMS delivery reports said delivered or undelivered, and the age at now
// of the oldest queued one (held and leased ones included: they are not
// delivered yet). Sent and dead messages are counted while they are kept
// (until their item's retention).
func (db *DB) OutboxMetrics(ctx context.Context, now time.Time) (notify.Metrics, error) {
	var m notify.Metrics
	tx, err := db.r.BeginTx(ctx, snapshot)
	if err != nil {
		return m, fmt.Errorf("outbox metrics: %w", err)
	}
	defer tx.Rollback()
	err = eachRow(ctx, tx, "outbox metrics", func(r scanner) error {
		var state, delivery string
		var n int
		if err := r.Scan(&state, &delivery, &n); err != nil {
			return err
		}
		switch notify.State(state) {
		case notify.Queued:
			m.Queued += n
		case notify.Sent:
			m.Sent += n
		case notify.Dead:
			m.Dead += n
		}
		switch delivery {
		case SMSDelivered:
			m.Delivered += n
		case SMSUndelivered:
			m.Undelivered += n
		}
		return nil
	}, `SELECT state, delivery, count(*) FROM outbox GROUP BY state, delivery`)
	if err != nil {
		return m, err
	}
	var oldest sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT min(created_at) FROM outbox WHERE state = 'queued'`).Scan(&oldest); err != nil {
		return m, fmt.Errorf("outbox metrics: %w", err)
	}
	t, err := parseTime(oldest)
	if err != nil {
		return m, fmt.Errorf("outbox metrics: %w", err)
	}
	if !t.IsZero() && now.After(t) {
		m.Oldest = now.Sub(t)
	}
	return m, nil
}

// eraseSubscriptionsTx deletes the subscriptions of the items of type typ
// that query (with args) selects — their messages go with them — and the
// messages sent to a phone about those items. It returns how many rows
// it deleted.
func eraseSubscriptionsTx(ctx context.Context, tx *sql.Tx, typ notify.ItemType, office, query string, args ...any) (int64, error) {
	var total int64
	for _, q := range []string{
		`DELETE FROM subscriptions WHERE item_type = ? AND office = ? AND item_id IN (` + query + `)`,
		`DELETE FROM outbox WHERE sub IS NULL AND item_type = ? AND office = ? AND item_id IN (` + query + `)`,
	} {
		res, err := tx.ExecContext(ctx, q, append([]any{string(typ), office}, args...)...)
		if err != nil {
			return total, fmt.Errorf("erase the subscriptions of %ss: %w", typ, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// eraseNotifyData deletes, for one office, the subscriptions (and their
// messages) of the tickets and bookings of business days before cutoff
// (a local date, "2006-01-02"; before is its first instant), of the
// dossiers closed before it, and of every item when the subscription
// itself is older and its item is not still open; and the messages sent
// to phones made before it. It returns how many rows it deleted.
func (db *DB) eraseNotifyData(ctx context.Context, office, cutoff string, before time.Time) (int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var total int64
	for _, e := range []struct {
		typ   notify.ItemType
		query string
		args  []any
	}{
		{notify.ItemTicket, `SELECT id FROM tickets WHERE office = ? AND day < ?`, []any{office, cutoff}},
		{notify.ItemBooking, `SELECT code FROM bookings WHERE office = ? AND date < ?`, []any{office, cutoff}},
		{notify.ItemDossier, `SELECT code FROM dossiers WHERE office = ? AND open = 0 AND coalesce(completed_at, at) < ?`, []any{office, fmtTime(before)}},
		// A ticket or booking subscription older than the retention
		// whose item is not stored (a wrong id) goes too.
		{notify.ItemTicket, `SELECT item_id FROM subscriptions WHERE office = ? AND item_type = 'ticket' AND created_at < ?
			AND item_id NOT IN (SELECT id FROM tickets WHERE office = ?)`, []any{office, fmtTime(before), office}},
		{notify.ItemBooking, `SELECT item_id FROM subscriptions WHERE office = ? AND item_type = 'booking' AND created_at < ?
			AND item_id NOT IN (SELECT code FROM bookings WHERE office = ?)`, []any{office, fmtTime(before), office}},
	} {
		n, err := eraseSubscriptionsTx(ctx, tx, e.typ, office, e.query, e.args...)
		if err != nil {
			return total, err
		}
		total += n
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE sub IS NULL AND office = ? AND created_at < ?`, office, fmtTime(before))
	if err != nil {
		return total, fmt.Errorf("erase the messages sent to phones: %w", err)
	}
	n, _ := res.RowsAffected()
	total += n
	if err := tx.Commit(); err != nil {
		return total, err
	}
	return total, nil
}
