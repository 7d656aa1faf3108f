// Package client is the typed Go client of the Lượt server's HTTP API and
// event stream, used by the kiosk and the display. It depends on nothing of
// the server but the wire contract (DESIGN.md, "Interfaces"): no SQLite, no
// domain package.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one Lượt server. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	http      *http.Client
	deviceKey string
	token     string
	// Retries is how many times an idempotent request (GET, or a POST with
	// an idempotency key) is retried after a network error.
	retries int
	backoff time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithDeviceKey authenticates as a registered device (kiosk, display).
func WithDeviceKey(key string) Option { return func(c *Client) { c.deviceKey = key } }

// WithToken authenticates as a logged-in staff member.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient replaces the HTTP client (default: 10 s timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithRetries sets how often a safe request is retried after a network
// error, and the first pause between tries (it doubles each time).
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = n, backoff }
}

// New returns a client of the server at baseURL (e.g. "http://127.0.0.1:8080").
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server URL %q is not valid: write it like http://127.0.0.1:8080", baseURL)
	}
	c := &Client{base: u, http: &http.Client{Timeout: 10 * time.Second}, retries: 3, backoff: 200 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// BaseURL is the server's base URL.
func (c *Client) BaseURL() string { return c.base.String() }

// Error is an error answered by the server.
type Error struct {
	Status  int    // HTTP status
	Code    string // one of the Code… constants, e.g. CodeOfficeClosed
	Message string // for people
	// ComeBackAt is when the refusal ends, when the server says it (the
	// answer's come_back_at): a booking checked in too early, an office
	// closed now. It is in the office's UTC offset; zero otherwise.
	ComeBackAt time.Time
}

func (e *Error) Error() string {
	return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, e.Message)
}

// IsUnavailable reports whether err means the server cannot be reached or
// cannot serve now (network error, 5xx) — the kiosk's out-of-service case —
// as opposed to a refusal of the request itself.
func IsUnavailable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Status >= 500
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

// StatusOf returns the HTTP status of a server error, or 0.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// NewIdempotencyKey returns a random key for a request that must not be
// done twice (one per tap on the kiosk, kept across retries).
func NewIdempotencyKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// do sends a request and decodes a JSON answer into out (if not nil). It
// retries network errors when the request is safe to repeat: a GET, or a
// request with an idempotency key.
func (c *Client) do(ctx context.Context, method, path string, body any, idemKey string, out any) (int, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return 0, fmt.Errorf("encode request: %w", err)
		}
	}
	safe := method == http.MethodGet || idemKey != ""
	wait := c.backoff
	for try := 0; ; try++ {
		status, err := c.once(ctx, method, path, payload, idemKey, out)
		var netErr net.Error
		retry := safe && try < c.retries && err != nil && ctx.Err() == nil &&
			(errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF))
		if !retry {
			return status, err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (c *Client) once(ctx context.Context, method, path string, payload []byte, idemKey string, out any) (int, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return 0, fmt.Errorf("build request %s %s: %w", method, path, err)
	}
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.deviceKey != "" {
		req.Header.Set("X-Device-Key", c.deviceKey)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Error struct {
				Code       string `json:"code"`
				Message    string `json:"message"`
				ComeBackAt string `json:"come_back_at"`
			} `json:"error"`
		}
		if json.Unmarshal(data, &e) != nil || e.Error.Code == "" {
			e.Error.Code = "http_" + fmt.Sprint(resp.StatusCode)
			e.Error.Message = strings.TrimSpace(string(data))
		}
		ae := &Error{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
		if e.Error.ComeBackAt != "" {
			ae.ComeBackAt, _ = time.Parse(time.RFC3339, e.Error.ComeBackAt) // unreadable: as if absent
		}
		return resp.StatusCode, ae
	}
	if out != nil && resp.StatusCode != http.StatusNoContent && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: answer is not the expected JSON: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}
