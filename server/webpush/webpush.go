// Package webpush sends Web Push messages: VAPID keys kept in the data
// folder (RFC 8292), payloads encrypted with aes128gcm (RFC 8291, RFC 8188)
// and the push service's answers (404 and 410: the subscription is gone).
// Standard-library crypto only.
package webpush

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Keys are the application server's VAPID key pair (P-256).
type Keys struct {
	priv *ecdsa.PrivateKey
}

// LoadOrCreateKeys reads the VAPID keys from dir, making them (a 0600
// file) the first time.
func LoadOrCreateKeys(dir string) (*Keys, error) {
	return nil, errors.New("webpush: not implemented yet")
}

// PublicKey is the applicationServerKey browsers subscribe with: the
// uncompressed public point, base64url without padding.
func (k *Keys) PublicKey() string { return "" }

// Subscription is a browser's push subscription: its endpoint and its
// keys as PushSubscription.toJSON() gives them (base64url).
type Subscription struct {
	Endpoint string
	P256DH   string
	Auth     string
}

// Urgency is a message's Urgency header (RFC 8030 §5.3).
type Urgency string

// The urgencies of RFC 8030.
const (
	UrgencyVeryLow Urgency = "very-low"
	UrgencyLow     Urgency = "low"
	UrgencyNormal  Urgency = "normal"
	UrgencyHigh    Urgency = "high"
)

// Options are a message's delivery options.
type Options struct {
	// TTL is how long the push service keeps the message for an offline
	// browser (whole seconds; 0 means deliver now or never).
	TTL time.Duration
	// Urgency is the Urgency header; empty sends none (normal).
	Urgency Urgency
	// Topic replaces a message still waiting with the same topic
	// (at most 32 base64url characters); empty sends none.
	Topic string
}

// Client sends push messages.
type Client struct {
	// Keys sign the VAPID token.
	Keys *Keys
	// Subject is the VAPID contact: a mailto: or https: URL.
	Subject string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// Now is the clock of the token's expiry; nil means time.Now.
	Now func() time.Time
}

// ErrGone says that the push service no longer knows the subscription
// (404 or 410): drop it.
var ErrGone = errors.New("webpush: the subscription is gone (the push service answered 404 or 410): drop it")

// StatusError is a push service's refusal.
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("webpush: the push service answered %d: %s", e.Status, e.Body)
}

// Permanent reports whether sending again cannot help (a 4xx answer).
func (e *StatusError) Permanent() bool { return e.Status >= 400 && e.Status < 500 }

// Send encrypts payload for s and posts it to its endpoint.
func (c *Client) Send(ctx context.Context, s Subscription, payload []byte, o Options) error {
	return errors.New("webpush: not implemented yet")
}

// Encrypt encrypts payload for a subscriber's p256dh key and auth secret
// with the content coding aes128gcm (RFC 8291), salt (16 bytes) and the
// sender's ephemeral key server, in a single record.
func Encrypt(payload, p256dh, auth, salt []byte, server *ecdh.PrivateKey) ([]byte, error) {
	return nil, errors.New("webpush: not implemented yet")
}
