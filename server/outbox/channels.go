package outbox

import (
	"context"

	"luot/server/notify"
)

// SMSChannel sends a message's text to its phone through Sender: the GSM
// modem, or a gateway.
type SMSChannel struct {
	Sender func(ctx context.Context, phone, text string) error
}

// Send sends body to m's phone.
func (c SMSChannel) Send(ctx context.Context, m notify.Message, title, body string) error {
	panic("not implemented")
}
