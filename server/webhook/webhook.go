// Package webhook sends SMS through the province's SMS brand-name or
// Zalo gateway: a JSON POST signed with HMAC-SHA256.
package webhook

import (
	"context"
	"net/http"

	"luot/server/notify"
)

// Client posts messages to a gateway.
type Client struct {
	URL    string
	Secret []byte
	HTTP   *http.Client
}

// Send posts one message.
func (c *Client) Send(ctx context.Context, m notify.Message, text string) error {
	panic("not implemented")
}

// Verify reports whether header signs body with secret.
func Verify(secret, body []byte, header string) bool {
	panic("not implemented")
}
