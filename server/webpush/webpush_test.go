package webpush_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"luot/internal/pushtest"
	"luot/server/webpush"
)

var b64 = base64.RawURLEncoding

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decrypt is the user agent's side of RFC 8291, written apart from
// Encrypt from the RFC's steps, so that a round trip checks both.
func decrypt(body []byte, ua *ecdh.PrivateKey, auth []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("short body")
	}
	salt := body[:16]
	rs := binary.BigEndian.Uint32(body[16:20])
	idlen := int(body[20])
	if len(body) < 21+idlen {
		return nil, errors.New("short header")
	}
	asPub, err := ecdh.P256().NewPublicKey(body[21 : 21+idlen])
	if err != nil {
		return nil, err
	}
	record := body[21+idlen:]
	if uint32(len(record)) > rs {
		return nil, fmt.Errorf("record of %d bytes in record size %d", len(record), rs)
	}
	shared, err := ua.ECDH(asPub)
	if err != nil {
		return nil, err
	}
	prkKey, _ := hkdf.Extract(sha256.New, shared, auth)
	ikm, _ := hkdf.Expand(sha256.New, prkKey, "WebPush: info\x00"+string(ua.PublicKey().Bytes())+string(asPub.Bytes()), 32)
	prk, _ := hkdf.Extract(sha256.New, ikm, salt)
	cek, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	nonce, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	block, _ := aes.NewCipher(cek)
	gcm, _ := cipher.NewGCM(block)
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, err
	}
	plain = bytes.TrimRight(plain, "\x00")
	if len(plain) == 0 || plain[len(plain)-1] != 2 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:len(plain)-1], nil
}

// RFC 8291 Appendix A: the example's keys, salt and the encrypted body.
const (
	rfcPlain     = "When I grow up, I want to be a watermelon"
	rfcASPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
	rfcASPublic  = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
	rfcUAPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
	rfcUAPublic  = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	rfcSalt      = "DGv6ra1nlYgDCS1FRnbzlw"
	rfcAuth      = "BTBZMqHH6r4Tts7J_aSIgg"
	rfcBody      = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)

func TestEncryptRFC8291AppendixA(t *testing.T) {
	as, err := ecdh.P256().NewPrivateKey(mustB64(t, rfcASPrivate))
	if err != nil {
		t.Fatal(err)
	}
	if got := b64.EncodeToString(as.PublicKey().Bytes()); got != rfcASPublic {
		t.Fatalf("the example's sender key gives public key %s, want %s", got, rfcASPublic)
	}
	body, err := webpush.Encrypt([]byte(rfcPlain), mustB64(t, rfcUAPublic), mustB64(t, rfcAuth), mustB64(t, rfcSalt), as)
	if err != nil {
		t.Fatal(err)
	}
	if got := b64.EncodeToString(body); got != rfcBody {
		t.Fatalf("body\n got %s\nwant %s", got, rfcBody)
	}
	// And the RFC's body opens, with the user agent's key, to its text.
	ua, err := ecdh.P256().NewPrivateKey(mustB64(t, rfcUAPrivate))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := decrypt(mustB64(t, rfcBody), ua, mustB64(t, rfcAuth))
	if err != nil || string(plain) != rfcPlain {
		t.Fatalf("decrypt the RFC's body: %q, %v", plain, err)
	}
}

func TestEncryptRoundTripAndLimits(t *testing.T) {
	ua, _ := ecdh.P256().GenerateKey(rand.Reader)
	as, _ := ecdh.P256().GenerateKey(rand.Reader)
	auth := make([]byte, 16)
	salt := make([]byte, 16)
	rand.Read(auth)
	rand.Read(salt)
	for _, n := range []int{0, 1, 100, webpush.MaxPayload} {
		payload := bytes.Repeat([]byte("ư"), n/2)
		if n%2 == 1 {
			payload = append(payload, 'a')
		}
		body, err := webpush.Encrypt(payload, ua.PublicKey().Bytes(), auth, salt, as)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if len(body) > 4096 {
			t.Errorf("%d bytes make a body of %d bytes, more than 4096", n, len(body))
		}
		got, err := decrypt(body, ua, auth)
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("%d bytes: round trip gives %d bytes, %v", n, len(got), err)
		}
	}
	// A wrong auth secret does not open it.
	body, _ := webpush.Encrypt([]byte("x"), ua.PublicKey().Bytes(), auth, salt, as)
	other := bytes.Clone(auth)
	other[0] ^= 1
	if _, err := decrypt(body, ua, other); err == nil {
		t.Fatal("opened with a wrong auth secret")
	}
}

func TestEncryptRefusesBadInput(t *testing.T) {
	ua, _ := ecdh.P256().GenerateKey(rand.Reader)
	as, _ := ecdh.P256().GenerateKey(rand.Reader)
	x25519, _ := ecdh.X25519().GenerateKey(rand.Reader)
	p := ua.PublicKey().Bytes()
	notOnCurve := bytes.Clone(p)
	notOnCurve[64] ^= 1
	a16 := make([]byte, 16)
	for _, c := range []struct {
		name               string
		payload, key, auth []byte
		salt               []byte
		server             *ecdh.PrivateKey
	}{
		{"too large", make([]byte, webpush.MaxPayload+1), p, a16, a16, as},
		{"short key", nil, p[:33], a16, a16, as},
		{"key not on the curve", nil, notOnCurve, a16, a16, as},
		{"short auth", nil, p, a16[:15], a16, as},
		{"long salt", nil, p, a16, make([]byte, 17), as},
		{"no server key", nil, p, a16, a16, nil},
		{"X25519 server key", nil, p, a16, a16, x25519},
	} {
		if _, err := webpush.Encrypt(c.payload, c.key, c.auth, c.salt, c.server); !errors.Is(err, webpush.ErrInvalid) || !webpush.IsPermanent(err) {
			t.Errorf("%s: %v, want ErrInvalid", c.name, err)
		}
	}
}

func TestLoadOrCreateKeys(t *testing.T) {
	dir := t.TempDir()
	k1, err := webpush.LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	pub := mustB64(t, k1.PublicKey())
	if len(pub) != 65 || pub[0] != 4 {
		t.Fatalf("public key %s is not an uncompressed P-256 point", k1.PublicKey())
	}
	if _, err := ecdh.P256().NewPublicKey(pub); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, webpush.KeyFile)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := webpush.LoadOrCreateKeys(dir)
	if err != nil || k2.PublicKey() != k1.PublicKey() {
		t.Fatalf("second load: %v, key %s then %s", err, k1.PublicKey(), k2.PublicKey())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// A file others can read is refused, and left as it is.
	os.Chmod(file, 0o644)
	if _, err := webpush.LoadOrCreateKeys(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("mode 0644: %v", err)
	}
	os.Chmod(file, 0o600)
	before, _ := os.ReadFile(file)

	// A damaged file is refused, not replaced.
	os.WriteFile(file, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600)
	if _, err := webpush.LoadOrCreateKeys(dir); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged file: %v", err)
	}
	if b, _ := os.ReadFile(file); bytes.Equal(b, before) {
		t.Error("the damaged file was replaced")
	}

	// A folder that does not exist is an error, not a panic.
	if _, err := webpush.LoadOrCreateKeys(filepath.Join(dir, "none")); err == nil {
		t.Error("keys made in a folder that does not exist")
	}
}

func TestLoadOrCreateKeysRace(t *testing.T) {
	dir := t.TempDir()
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := webpush.LoadOrCreateKeys(dir)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = k.PublicKey()
		})
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatalf("racing creators got different keys: %v", keys)
		}
	}
}

// subscriber is a browser's side: its key pair and auth secret.
type subscriber struct {
	priv *ecdh.PrivateKey
	auth []byte
}

func newSubscriber(endpoint string) (subscriber, webpush.Subscription) {
	priv, _ := ecdh.P256().GenerateKey(rand.Reader)
	auth := make([]byte, 16)
	rand.Read(auth)
	return subscriber{priv, auth}, webpush.Subscription{
		Endpoint: endpoint,
		P256DH:   b64.EncodeToString(priv.PublicKey().Bytes()),
		Auth:     b64.EncodeToString(auth),
	}
}

type captured struct {
	header http.Header
	body   []byte
	path   string
}

// recorder is a push service that keeps each request and answers status.
func recorder(t *testing.T, status *atomic.Int32) (*httptest.Server, chan captured) {
	got := make(chan captured, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- captured{r.Header.Clone(), b, r.URL.Path}
		w.WriteHeader(int(status.Load()))
		fmt.Fprint(w, `{"reason":"test"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestSendRequest(t *testing.T) {
	var status atomic.Int32
	status.Store(201)
	srv, got := recorder(t, &status)
	keys, err := webpush.LoadOrCreateKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	c := &webpush.Client{Keys: keys, Subject: "mailto:ops@luot.example", Now: func() time.Time { return now }}
	ua, sub := newSubscriber(srv.URL + "/push/abc")
	payload := []byte(`{"title":"Sắp đến lượt bạn","key":"ticket/1/near"}`)
	if err := c.Send(context.Background(), sub, payload, webpush.Options{TTL: 90*time.Minute + 500*time.Millisecond, Urgency: webpush.UrgencyHigh, Topic: "ticket-1"}); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.path != "/push/abc" {
		t.Errorf("posted to %s", r.path)
	}
	for h, want := range map[string]string{
		"Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream",
		"Ttl": "5400", "Urgency": "high", "Topic": "ticket-1",
	} {
		if v := r.header.Get(h); v != want {
			t.Errorf("%s: %q, want %q", h, v, want)
		}
	}
	plain, err := decrypt(r.body, ua.priv, ua.auth)
	if err != nil || !bytes.Equal(plain, payload) {
		t.Fatalf("the subscriber reads %q, %v", plain, err)
	}

	// Authorization: vapid t=<ES256 JWT>, k=<the public key>.
	auth := r.header.Get("Authorization")
	tok, k, ok := strings.Cut(strings.TrimPrefix(auth, "vapid t="), ", k=")
	if !strings.HasPrefix(auth, "vapid t=") || !ok || k != keys.PublicKey() {
		t.Fatalf("Authorization %q", auth)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", tok)
	}
	var head struct{ Typ, Alg string }
	var claims struct {
		Aud string
		Exp int64
		Sub string
	}
	json.Unmarshal(mustB64(t, parts[0]), &head)
	json.Unmarshal(mustB64(t, parts[1]), &claims)
	if head.Alg != "ES256" || head.Typ != "JWT" {
		t.Errorf("header %+v", head)
	}
	if claims.Aud != srv.URL || claims.Sub != "mailto:ops@luot.example" || claims.Exp != now.Add(12*time.Hour).Unix() {
		t.Errorf("claims %+v (audience %s, expiry %d)", claims, srv.URL, now.Add(12*time.Hour).Unix())
	}
	pub := mustB64(t, keys.PublicKey())
	epub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(pub[1:33]), Y: new(big.Int).SetBytes(pub[33:])}
	sig := mustB64(t, parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if len(sig) != 64 || !ecdsa.Verify(epub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Fatal("the token's signature does not verify with the public key")
	}

	// Without urgency and topic, neither header is sent; TTL 0 is sent.
	c.Send(context.Background(), sub, nil, webpush.Options{})
	r = <-got
	if _, ok := r.header["Urgency"]; ok {
		t.Error("Urgency sent without one")
	}
	if _, ok := r.header["Topic"]; ok {
		t.Error("Topic sent without one")
	}
	if r.header.Get("TTL") != "0" {
		t.Errorf("TTL %q, want 0", r.header.Get("TTL"))
	}
}

func TestSendAnswers(t *testing.T) {
	var status atomic.Int32
	srv, got := recorder(t, &status)
	keys, _ := webpush.LoadOrCreateKeys(t.TempDir())
	c := &webpush.Client{Keys: keys, Subject: "https://luot.example/contact"}
	_, sub := newSubscriber(srv.URL + "/p")
	for _, a := range []struct {
		status         int
		ok, gone, perm bool
	}{
		{201, true, false, false},
		{202, true, false, false},
		{400, false, false, true},
		{403, false, false, true},
		{404, false, true, true},
		{410, false, true, true},
		{413, false, false, true},
		{429, false, false, false},
		{500, false, false, false},
		{503, false, false, false},
	} {
		status.Store(int32(a.status))
		err := c.Send(context.Background(), sub, []byte("x"), webpush.Options{TTL: time.Minute})
		<-got
		if (err == nil) != a.ok || errors.Is(err, webpush.ErrGone) != a.gone || webpush.IsPermanent(err) != a.perm {
			t.Errorf("%d: %v (gone %v, permanent %v)", a.status, err, errors.Is(err, webpush.ErrGone), webpush.IsPermanent(err))
		}
		var se *webpush.StatusError
		if !a.ok && (!errors.As(err, &se) || se.Status != a.status || !strings.Contains(se.Body, "test")) {
			t.Errorf("%d: %#v is not the StatusError of the answer", a.status, err)
		}
	}

	// A push service out of reach is temporary.
	srv.Close()
	err := c.Send(context.Background(), sub, []byte("x"), webpush.Options{})
	if err == nil || webpush.IsPermanent(err) || errors.Is(err, webpush.ErrGone) {
		t.Errorf("closed service: %v", err)
	}
}

func TestSendRefusesBadInput(t *testing.T) {
	var status atomic.Int32
	status.Store(201)
	srv, got := recorder(t, &status)
	keys, _ := webpush.LoadOrCreateKeys(t.TempDir())
	good := &webpush.Client{Keys: keys, Subject: "mailto:a@b.example"}
	_, sub := newSubscriber(srv.URL + "/p")
	with := func(f func(*webpush.Subscription)) webpush.Subscription { s := sub; f(&s); return s }
	for _, c := range []struct {
		name   string
		client *webpush.Client
		sub    webpush.Subscription
		o      webpush.Options
	}{
		{"no keys", &webpush.Client{Subject: "mailto:a@b.example"}, sub, webpush.Options{}},
		{"bad subject", &webpush.Client{Keys: keys, Subject: "ops@luot"}, sub, webpush.Options{}},
		{"http endpoint not loopback", good, with(func(s *webpush.Subscription) { s.Endpoint = "http://push.example.com/x" }), webpush.Options{}},
		{"ftp endpoint", good, with(func(s *webpush.Subscription) { s.Endpoint = "ftp://127.0.0.1/x" }), webpush.Options{}},
		{"relative endpoint", good, with(func(s *webpush.Subscription) { s.Endpoint = "/push" }), webpush.Options{}},
		{"p256dh not base64url", good, with(func(s *webpush.Subscription) { s.P256DH = "a+b/c" }), webpush.Options{}},
		{"auth short", good, with(func(s *webpush.Subscription) { s.Auth = "AAAA" }), webpush.Options{}},
		{"negative TTL", good, sub, webpush.Options{TTL: -time.Second}},
		{"unknown urgency", good, sub, webpush.Options{Urgency: "urgent"}},
		{"long topic", good, sub, webpush.Options{Topic: strings.Repeat("a", 33)}},
		{"topic not base64url", good, sub, webpush.Options{Topic: "vé số 1"}},
	} {
		err := c.client.Send(context.Background(), c.sub, []byte("x"), c.o)
		if !errors.Is(err, webpush.ErrInvalid) || !webpush.IsPermanent(err) {
			t.Errorf("%s: %v, want ErrInvalid", c.name, err)
		}
	}
	select {
	case r := <-got:
		t.Fatalf("a refused message reached the push service: %v", r.header)
	default:
	}
}

// TestSendToWebPushTesting delivers to a real push-service peer that
// checks the VAPID token and decrypts: npm's web-push-testing.
func TestSendToWebPushTesting(t *testing.T) {
	svc := pushtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	keys, err := webpush.LoadOrCreateKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := &webpush.Client{Keys: keys, Subject: "mailto:ops@luot.example", HTTP: &http.Client{Timeout: 10 * time.Second}}
	sub, err := svc.Subscribe(ctx, keys.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"title":"Sắp đến lượt bạn","body":"Còn 3 người trước bạn — quầy 2","key":"ticket/7/near"}`,
		`{"title":"Mời bạn đến quầy 2","key":"ticket/7/called/1"}`,
		strings.Repeat("đ", webpush.MaxPayload/2),
	}
	for i, p := range want {
		if err := c.Send(ctx, sub.Subscription, []byte(p), webpush.Options{TTL: time.Hour, Urgency: webpush.UrgencyHigh, Topic: fmt.Sprintf("t%d", i)}); err != nil {
			t.Fatalf("message %d: %v; the service said: %s", i, err, svc.Log())
		}
	}
	msgs, err := svc.WaitMessages(ctx, sub, len(want))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages, want %d", len(msgs), len(want))
	}
	for i := range want {
		if msgs[i] != want[i] {
			t.Errorf("message %d arrived as %q, want %q", i, msgs[i], want[i])
		}
	}

	// Signed with other keys than the subscription's: refused, permanently.
	other, _ := webpush.LoadOrCreateKeys(t.TempDir())
	stranger := &webpush.Client{Keys: other, Subject: "mailto:ops@luot.example"}
	if err := stranger.Send(ctx, sub.Subscription, []byte("x"), webpush.Options{}); !webpush.IsPermanent(err) || errors.Is(err, webpush.ErrGone) {
		t.Errorf("other keys: %v, want a permanent refusal", err)
	}

	// The user revoked the permission: the subscription is gone.
	if err := svc.Expire(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, sub.Subscription, []byte("x"), webpush.Options{}); !errors.Is(err, webpush.ErrGone) {
		t.Errorf("expired subscription: %v, want ErrGone", err)
	}
	if msgs, _ := svc.Messages(ctx, sub); len(msgs) != len(want) {
		t.Errorf("%d messages after the refused ones, want %d", len(msgs), len(want))
	}
}

// TestStandardLibraryOnly keeps the cryptography of push messages to the
// standard library's reviewed code.
func TestStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "luot/server/webpush").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") || first == "luot" {
			t.Errorf("webpush imports %s: only the standard library", imp)
		}
	}
}
