package store

import (
	"context"
	"errors"
	"time"

	"luot/server/notify"
)

// The SQLite store is the outbox and the subscriptions (docs/notify.md).
var _ notify.Store = (*DB)(nil)

// errNotifyTODO is returned by the outbox until it is built (issue 20).
var errNotifyTODO = errors.New("notifications are not stored yet")

// Subscribe implements notify.Store.
func (db *DB) Subscribe(ctx context.Context, s notify.Subscription) (notify.Subscription, error) {
	return s, errNotifyTODO
}

// Unsubscribe implements notify.Store.
func (db *DB) Unsubscribe(ctx context.Context, token string) error { return errNotifyTODO }

// Subscriptions implements notify.Store.
func (db *DB) Subscriptions(ctx context.Context, item notify.Item) ([]notify.Subscription, error) {
	return nil, errNotifyTODO
}

// DropSubscription implements notify.Store.
func (db *DB) DropSubscription(ctx context.Context, id int64) error { return errNotifyTODO }

// Enqueue implements notify.Store.
func (db *DB) Enqueue(ctx context.Context, notices []notify.Notice, now time.Time) error {
	return errNotifyTODO
}

// Claim implements notify.Store.
func (db *DB) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	return nil, errNotifyTODO
}

// MarkSent implements notify.Store.
func (db *DB) MarkSent(ctx context.Context, id int64, now time.Time) error { return errNotifyTODO }

// MarkFailed implements notify.Store.
func (db *DB) MarkFailed(ctx context.Context, id int64, now time.Time, reason string, retry time.Time, dead bool) error {
	return errNotifyTODO
}

// Hold implements notify.Store.
func (db *DB) Hold(ctx context.Context, id int64, until time.Time) error { return errNotifyTODO }

// WatchedTickets implements notify.Store.
func (db *DB) WatchedTickets(ctx context.Context, office string) ([]string, error) {
	return nil, errNotifyTODO
}

// OutboxMetrics implements notify.Store.
func (db *DB) OutboxMetrics(ctx context.Context, now time.Time) (notify.Metrics, error) {
	return notify.Metrics{}, errNotifyTODO
}
