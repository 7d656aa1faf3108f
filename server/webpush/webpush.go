// Package webpush sends Web Push messages: VAPID keys kept in the data
// folder and the token that names the application server (RFC 8292),
// payloads encrypted with aes128gcm (RFC 8291, RFC 8188) and the push
// service's answers (404 and 410: the subscription is gone). Standard
// library crypto only.
package webpush

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// KeyFile is the file in the data folder that holds the VAPID private key
// (PKCS #8, PEM, mode 0600).
const KeyFile = "webpush-vapid.pem"

// Keys are the application server's VAPID key pair (ECDSA P-256).
type Keys struct {
	priv *ecdsa.PrivateKey
	pub  string // the uncompressed public point, base64url
}

// LoadOrCreateKeys reads the VAPID keys from KeyFile in dir, making them
// the first time. The keys are made once: browsers' subscriptions are
// bound to the public key, so a new key would silence every one of them.
// Two processes racing to make them end up with the same keys.
func LoadOrCreateKeys(dir string) (*Keys, error) {
	file := filepath.Join(dir, KeyFile)
	k, err := loadKeys(file)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("webpush: make VAPID keys: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("webpush: encode VAPID keys: %w", err)
	}
	// Written whole to a temporary file, then linked under its name: the
	// file appears complete or not at all, and never replaces one made
	// meanwhile by another process.
	tmp, err := os.CreateTemp(dir, KeyFile+".tmp-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("webpush: write VAPID keys in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("webpush: write VAPID keys: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("webpush: write VAPID keys: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("webpush: write VAPID keys: %w", err)
	}
	if err := os.Link(tmp.Name(), file); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("webpush: write VAPID keys: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the new name survives a power cut
		d.Close()
	}
	return loadKeys(file)
}

// loadKeys reads and checks a key file.
func loadKeys(file string) (*Keys, error) {
	fi, err := os.Stat(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("webpush: read VAPID keys: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("webpush: the VAPID key file %s can be read by others (mode %v): run chmod 600 on it", file, fi.Mode().Perm())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("webpush: read VAPID keys: %w", err)
	}
	bad := func(why string) error {
		return fmt.Errorf("webpush: the VAPID key file %s is damaged (%s): restore it from a backup, or delete it to make new keys (every push subscription made with the old keys then stops working)", file, why)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, bad("no PEM PRIVATE KEY block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, bad(err.Error())
	}
	priv, ok := key.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, bad("not an ECDSA P-256 key")
	}
	return newKeys(priv)
}

func newKeys(priv *ecdsa.PrivateKey) (*Keys, error) {
	pub, err := priv.PublicKey.Bytes()
	if err != nil {
		return nil, fmt.Errorf("webpush: VAPID public key: %w", err)
	}
	return &Keys{priv: priv, pub: b64.EncodeToString(pub)}, nil
}

// PublicKey is the applicationServerKey browsers subscribe with: the
// uncompressed public point, base64url without padding.
func (k *Keys) PublicKey() string { return k.pub }

// b64 is the base64url of the Web Push texts: no padding.
var b64 = base64.RawURLEncoding

// decode64 reads base64url with or without padding (browsers give none,
// some libraries pad).
func decode64(s string) ([]byte, error) {
	return b64.DecodeString(strings.TrimRight(s, "="))
}

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
	// TTL is how long the push service keeps the message for a browser
	// that is offline (whole seconds; 0: deliver now or never).
	TTL time.Duration
	// Urgency is the Urgency header; empty sends none (normal).
	Urgency Urgency
	// Topic replaces a message with the same topic still waiting at the
	// push service (at most 32 base64url characters); empty sends none.
	Topic string
}

// Client sends push messages. It is safe for concurrent use.
type Client struct {
	// Keys sign the VAPID token.
	Keys *Keys
	// Subject is the VAPID contact: a mailto: or https: URL.
	Subject string
	// HTTP sends the requests; nil means a client with a 30-second
	// timeout.
	HTTP *http.Client
	// Now is the clock of the token's expiry; nil means time.Now. Push
	// services check the expiry against their own clock: a server gives
	// the real one (not a demo's or a test's shifted clock).
	Now func() time.Time
}

// ErrGone says that the push service no longer knows the subscription
// (it answered 404 or 410): drop it. Send's error is then a *StatusError
// that matches ErrGone with errors.Is.
var ErrGone = errors.New("webpush: the subscription is gone (the push service answered 404 or 410): drop it")

// ErrInvalid says that a message cannot be sent as given (a damaged
// subscription, a payload too large, a bad option): sending it again
// cannot help.
var ErrInvalid = errors.New("webpush: the message cannot be sent")

// StatusError is a push service's refusal: its status and the start of
// its answer.
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	what := "try again later"
	switch {
	case e.Status == http.StatusNotFound || e.Status == http.StatusGone:
		what = "the subscription is gone: drop it"
	case e.Permanent():
		what = "sending again will not help"
	}
	body := strings.TrimSpace(e.Body)
	if body != "" {
		body = ": " + body
	}
	return fmt.Sprintf("webpush: the push service answered %d (%s)%s", e.Status, what, body)
}

// Is makes a 404 or 410 match ErrGone.
func (e *StatusError) Is(target error) bool {
	return target == ErrGone && (e.Status == http.StatusNotFound || e.Status == http.StatusGone)
}

// Permanent reports whether sending the message again cannot help: a 4xx
// answer, except 408 (timeout), 425 (too early) and 429 (too many
// requests), which ask to try again later.
func (e *StatusError) Permanent() bool {
	switch e.Status {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return e.Status >= 400 && e.Status < 500
}

// IsPermanent reports whether err, from Send, says that sending the same
// message again cannot help: ErrInvalid, ErrGone or a permanent
// StatusError. Timeouts, network errors and 5xx are temporary.
func IsPermanent(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Permanent()
	}
	return errors.Is(err, ErrInvalid)
}

// defaultHTTP bounds a request to a push service that does not answer.
var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// tokenLife is how long a VAPID token is valid (RFC 8292 allows 24 h).
const tokenLife = 12 * time.Hour

// Send encrypts payload for s and posts it to s's endpoint. The endpoint
// must be https, or http on a loopback address (tests' push services).
// A 404 or 410 answer is an error matching ErrGone; [IsPermanent] tells
// whether trying again can help.
func (c *Client) Send(ctx context.Context, s Subscription, payload []byte, o Options) error {
	if c.Keys == nil {
		return fmt.Errorf("%w: the client has no VAPID keys", ErrInvalid)
	}
	u, err := checkEndpoint(s.Endpoint)
	if err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	p256dh, err := decode64(s.P256DH)
	if err != nil {
		return fmt.Errorf("%w: the subscription's p256dh key is not base64url: %v", ErrInvalid, err)
	}
	auth, err := decode64(s.Auth)
	if err != nil {
		return fmt.Errorf("%w: the subscription's auth secret is not base64url: %v", ErrInvalid, err)
	}
	server, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("webpush: make the message's key: %w", err)
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	body, err := Encrypt(payload, p256dh, auth, salt, server)
	if err != nil {
		return err
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	token, err := c.token(u.Scheme+"://"+u.Host, now())
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Content-Encoding", "aes128gcm")
	req.Header.Set("TTL", strconv.FormatInt(int64(o.TTL/time.Second), 10))
	if o.Urgency != "" {
		req.Header.Set("Urgency", string(o.Urgency))
	}
	if o.Topic != "" {
		req.Header.Set("Topic", o.Topic)
	}
	req.Header.Set("Authorization", "vapid t="+token+", k="+c.Keys.pub)
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("webpush: post to the push service %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &StatusError{Status: resp.StatusCode, Body: string(answer)}
}

// checkEndpoint refuses endpoints that are not push services' URLs.
func checkEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: the endpoint %q is not an absolute URL", ErrInvalid, endpoint)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return nil, fmt.Errorf("%w: the endpoint %q is plain http to a host that is not loopback: push services use https", ErrInvalid, endpoint)
		}
	default:
		return nil, fmt.Errorf("%w: the endpoint %q is not https", ErrInvalid, endpoint)
	}
	return u, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (o Options) check() error {
	if o.TTL < 0 {
		return fmt.Errorf("%w: TTL %v is negative", ErrInvalid, o.TTL)
	}
	switch o.Urgency {
	case "", UrgencyVeryLow, UrgencyLow, UrgencyNormal, UrgencyHigh:
	default:
		return fmt.Errorf("%w: urgency %q is none of very-low, low, normal, high", ErrInvalid, o.Urgency)
	}
	if len(o.Topic) > 32 {
		return fmt.Errorf("%w: topic %q is longer than 32 characters", ErrInvalid, o.Topic)
	}
	for _, r := range o.Topic {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("%w: topic %q has a character that is not base64url", ErrInvalid, o.Topic)
		}
	}
	return nil
}

// token is the VAPID JWT (RFC 8292 §2) for a push service's origin,
// signed with ES256.
func (c *Client) token(audience string, now time.Time) (string, error) {
	if !strings.HasPrefix(c.Subject, "mailto:") && !strings.HasPrefix(c.Subject, "https://") {
		return "", fmt.Errorf("%w: the VAPID subject %q is neither a mailto: nor an https: URL", ErrInvalid, c.Subject)
	}
	claims, err := json.Marshal(struct {
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
		Sub string `json:"sub"`
	}{audience, now.Add(tokenLife).Unix(), c.Subject})
	if err != nil {
		return "", err
	}
	signed := b64.EncodeToString([]byte(`{"typ":"JWT","alg":"ES256"}`)) + "." + b64.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signed))
	der, err := ecdsa.SignASN1(rand.Reader, c.Keys.priv, sum[:])
	if err != nil {
		return "", fmt.Errorf("webpush: sign the VAPID token: %w", err)
	}
	// JWS wants r and s as two 32-byte big-endian numbers, not DER.
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		return "", fmt.Errorf("webpush: sign the VAPID token: %w", err)
	}
	sig := make([]byte, 64)
	rs.R.FillBytes(sig[:32])
	rs.S.FillBytes(sig[32:])
	return signed + "." + b64.EncodeToString(sig), nil
}
