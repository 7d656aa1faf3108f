package client

import (
	"context"
	"net/http"
)

// CheckIn turns a booking into a ticket when its holder arrives: code is
// the booking's 6-character code, key the idempotency key of this one
// check-in (NewIdempotencyKey), so that a retried request answers the same
// ticket instead of "already checked in". The server answers 201 with the
// ticket; 404 for an unknown code; 409 for a cancelled booking, one checked
// in too early (Error.ComeBackAt says when to come back) or too late; the
// codes are CodeUnknownBooking and the other check-in codes.
func (c *Client) CheckIn(ctx context.Context, office, code, key string) (*Ticket, error) {
	var out struct {
		Ticket Ticket `json:"ticket"`
	}
	body := map[string]string{"code": code}
	if _, err := c.do(ctx, http.MethodPost, officePath(office)+"/checkins", body, key, &out); err != nil {
		return nil, err
	}
	return &out.Ticket, nil
}
