package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"luot/server/notify"
)

// SubscriptionByToken finds the subscription whose unsubscribe token is
// token, for the unsubscribe page to say what it stops; an unknown token
// is ErrNotFound.
func (db *DB) SubscriptionByToken(ctx context.Context, token string) (notify.Subscription, error) {
	s, err := scanSubscription(db.r.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE token = ?`, token))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("subscription by token: %w", ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("subscription by token: %w", err)
	}
	return s, nil
}
