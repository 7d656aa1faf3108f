package client

import (
	"context"
	"net/http"
)

// Check-in refusal codes the server answers with (Error.Code), by the
// contract of POST /offices/{office}/checkins. Status 404 always means an
// unknown code; a 409 carries one of the others.
const (
	CodeUnknownBooking   = "unknown_booking"
	CodeBookingCancelled = "booking_cancelled"
	CodeTooEarly         = "too_early"
	CodeTooLate          = "too_late"
	CodeCheckedIn        = "already_checked_in"
)

// CheckIn turns a booking into a ticket when its holder arrives: code is
// the booking's 6-character code, key the idempotency key of this one
// check-in (NewIdempotencyKey), so that a retried request answers the same
// ticket instead of "already checked in". The server answers 201 with the
// ticket; 404 for an unknown code; 409 for a cancelled booking, one checked
// in too early (the message says when to come back) or too late.
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
