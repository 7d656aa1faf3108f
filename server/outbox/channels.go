package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"luot/server/notify"
	"luot/server/webhook"
	"luot/server/webpush"
)

// PushPayload is the JSON a push message carries to the service worker
// (web/sw.js shows it and opens URL on a click).
type PushPayload struct {
	// Key identifies the message (the service worker ignores a key it
	// has shown: a message sent again after a crash).
	Key   string      `json:"key"`
	Kind  notify.Kind `json:"kind"`
	Item  notify.Item `json:"item"`
	Title string      `json:"title"`
	Body  string      `json:"body"`
	// URL is the item's page; Unsubscribe the subscription's
	// unsubscribe page (site paths).
	URL         string `json:"url,omitempty"`
	Unsubscribe string `json:"unsubscribe,omitempty"`
}

// PushChannel delivers by Web Push.
type PushChannel struct {
	Client *webpush.Client
}

// pushTTL is how long a push service keeps a message for a browser that
// is offline: a turn that is near or called is stale quickly.
func pushTTL(k notify.Kind) time.Duration {
	switch k {
	case notify.TicketNear, notify.TicketCalled, notify.TicketMissed:
		return 15 * time.Minute
	case notify.BookingHourBefore:
		return time.Hour
	}
	return 24 * time.Hour
}

// Send encrypts and posts m to its subscription's endpoint. A gone
// endpoint (404, 410) is ErrGone; what webpush.IsPermanent says (a 4xx
// but 408, 425 and 429; a damaged subscription) is permanent.
func (c PushChannel) Send(ctx context.Context, m notify.Message, title, body string) error {
	if c.Client == nil {
		return errors.New("outbox: web push is not configured")
	}
	if m.Sub.Endpoint == "" {
		return Permanent(errors.New("outbox: the push subscription has no endpoint"))
	}
	p := PushPayload{Key: webhook.Key(m), Kind: m.Notice.Kind, Item: m.Notice.Item, Title: title, Body: body, URL: m.Sub.Link}
	if m.Sub.Token != "" {
		p.Unsubscribe = "/u/" + m.Sub.Token
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("outbox: encoding the push payload: %w", err)
	}
	o := webpush.Options{TTL: pushTTL(m.Notice.Kind), Urgency: webpush.UrgencyNormal}
	if m.Notice.Item.Type == notify.ItemTicket {
		// A ticket's newer message (called) replaces an older one (near)
		// still waiting at the push service.
		o.Urgency = webpush.UrgencyHigh
		sum := sha256.Sum256([]byte(string(m.Notice.Item.Type) + "/" + m.Notice.Item.Office + "/" + m.Notice.Item.ID))
		o.Topic = base64.RawURLEncoding.EncodeToString(sum[:])[:32]
	}
	err = c.Client.Send(ctx, webpush.Subscription{Endpoint: m.Sub.Endpoint, P256DH: m.Sub.P256DH, Auth: m.Sub.Auth}, payload, o)
	switch {
	case errors.Is(err, webpush.ErrGone):
		return fmt.Errorf("%w: %w", ErrGone, err)
	case webpush.IsPermanent(err):
		return Permanent(err)
	}
	return err
}

// SMSChannel sends a message's text to its phone through Sender: the GSM
// modem, or any route that needs only the phone and the text.
type SMSChannel struct {
	Sender func(ctx context.Context, phone, text string) error
	// SenderRefs, when set, is used instead of Sender: it also returns
	// the references of the parts (the modem's TP-MR), which its delivery
	// reports name (Reports).
	SenderRefs func(ctx context.Context, phone, text string) (refs []int, err error)
}

// Send sends body (the whole SMS text) to m's phone.
func (c SMSChannel) Send(ctx context.Context, m notify.Message, title, body string) error {
	_, err := c.SendRefs(ctx, m, title, body)
	return err
}

// SendRefs sends like Send and returns the parts' references (none
// through Sender).
func (c SMSChannel) SendRefs(ctx context.Context, m notify.Message, title, body string) ([]int, error) {
	if c.Sender == nil && c.SenderRefs == nil {
		return nil, errors.New("outbox: SMS is not configured")
	}
	if m.Sub.Phone == "" {
		return nil, Permanent(errors.New("outbox: the SMS message has no phone"))
	}
	if c.SenderRefs != nil {
		return c.SenderRefs(ctx, m.Sub.Phone, body)
	}
	return nil, c.Sender(ctx, m.Sub.Phone, body)
}

// WebhookChannel sends SMS through the province's gateway, with the
// message's key for the gateway's de-duplication.
type WebhookChannel struct {
	Client *webhook.Client
}

// Send posts body (the whole SMS text) for m to the gateway.
func (c WebhookChannel) Send(ctx context.Context, m notify.Message, title, body string) error {
	if c.Client == nil {
		return errors.New("outbox: the SMS gateway is not configured")
	}
	return c.Client.Send(ctx, m, body)
}
