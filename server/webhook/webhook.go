// Package webhook sends SMS through the province's SMS brand-name or
// Zalo gateway: one JSON POST per message, signed with HMAC-SHA256 so the
// gateway knows it comes from Lượt, and carrying an idempotency key so a
// message sent again after a crash is recognised (docs/notify.md).
//
// The request:
//
//	POST <URL>
//	Content-Type: application/json
//	Idempotency-Key: <key>
//	X-Luot-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>
//
//	{"key": "<key>", "kind": "ticket.called", "phone": "+84…", "text": "…"}
//
// Any 2xx is accepted; a 4xx is a permanent refusal (except 408, 425 and
// 429, which ask to come back later); a 5xx, a timeout or a broken connection
// is a temporary failure, tried again by the outbox.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"luot/server/notify"
)

// SignatureHeader is the header carrying the body's signature.
const SignatureHeader = "X-Luot-Signature"

// Timeout bounds one POST when Client.HTTP is nil.
const Timeout = 15 * time.Second

// defaultHTTP is the client used when Client.HTTP is nil.
var defaultHTTP = &http.Client{Timeout: Timeout}

// Client posts messages to a gateway.
type Client struct {
	// URL is the gateway's endpoint (http or https).
	URL string
	// Secret signs every body (HMAC-SHA256); the gateway holds the same.
	Secret []byte
	// HTTP is the client used (nil: one with a 15 s timeout).
	HTTP *http.Client
}

// Body is the JSON a gateway receives.
type Body struct {
	// Key identifies the message: the same key is the same SMS, sent
	// again after a crash or a lost answer.
	Key   string      `json:"key"`
	Kind  notify.Kind `json:"kind"`
	Phone string      `json:"phone"`
	Text  string      `json:"text"`
}

// StatusError is the gateway's refusal: an answer outside 2xx.
type StatusError struct {
	Status int
}

// Error says the status, never the body (it may echo the phone).
func (e *StatusError) Error() string {
	return fmt.Sprintf("webhook: the gateway answered %d %s", e.Status, http.StatusText(e.Status))
}

// Permanent reports whether sending again cannot help: a 4xx other than
// 408 (request timeout), 425 (too early) and 429 (too many requests).
func (e *StatusError) Permanent() bool {
	switch e.Status {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return e.Status >= 400 && e.Status < 500
}

// Key is the idempotency key of m: its notice's key, with the
// subscription's id when it goes to a subscription (one notice told to
// two phones is two SMS).
func Key(m notify.Message) string {
	if m.Sub.ID == 0 {
		return m.Notice.Key
	}
	return m.Notice.Key + "@" + strconv.FormatInt(m.Sub.ID, 10)
}

// Sign returns the signature header's value for body.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether header (the X-Luot-Signature value) signs body
// with secret. It compares in constant time; an empty secret verifies
// nothing.
func Verify(secret, body []byte, header string) bool {
	if len(secret) == 0 {
		return false
	}
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sum, err := hex.DecodeString(hexSum)
	if err != nil || len(sum) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(sum, mac.Sum(nil))
}

// Send posts m, whose SMS text is text, to the gateway. The error is a
// *StatusError for an answer outside 2xx; otherwise the request could not
// be made or answered (temporary).
func (c *Client) Send(ctx context.Context, m notify.Message, text string) error {
	if c.URL == "" || len(c.Secret) == 0 {
		return errors.New("webhook: no gateway URL or secret configured; set -sms-webhook and -sms-webhook-secret-file")
	}
	if m.Sub.Phone == "" {
		return errors.New("webhook: the message has no phone")
	}
	key := Key(m)
	body, err := json.Marshal(Body{Key: key, Kind: m.Notice.Kind, Phone: m.Sub.Phone, Text: text})
	if err != nil {
		return fmt.Errorf("webhook: encoding the message: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: the gateway URL is not usable: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set(SignatureHeader, Sign(c.Secret, body))
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		// The URL is the gateway's, not personal, but the query may hold
		// its access token: say only what failed.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook: posting to the gateway: %w", err)
	}
	// Drained so that the connection is reused (throughput).
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{Status: resp.StatusCode}
	}
	return nil
}
