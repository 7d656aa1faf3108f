package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/modem/virtual"
	"luot/server/client"
	"luot/server/queue"
	"luot/server/store"
	"luot/server/webhook"
	"luot/server/webpush"
)

// modemEvents follows an office's stream from its first event and keeps
// the device.status events of the device "modem".
type modemEvents struct {
	mu  sync.Mutex
	got []queue.DeviceData
}

func (m *modemEvents) Event(e client.Event) {
	if e.Type != string(queue.EventDeviceStatus) {
		return
	}
	var d queue.DeviceData
	if json.Unmarshal(e.Data, &d) == nil && d.Device == "modem" {
		m.mu.Lock()
		m.got = append(m.got, d)
		m.mu.Unlock()
	}
}

func (m *modemEvents) Connected(bool, error) {}

func (m *modemEvents) has(status string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range m.got {
		if d.Status == status && d.Kind == "modem" && d.Message != "" {
			return true
		}
	}
	return false
}

func followModem(t *testing.T, base string) *modemEvents {
	t.Helper()
	c, err := client.New(base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	m := &modemEvents{}
	go func() { defer close(done); c.Follow(ctx, "demo", client.FollowOptions{Since: 1}, m) }()
	return m
}

// TestServerWithModemAndPush: with -sms-modem on the virtual modem and
// -push, the server opens the modem and tells the office it works
// (device.status of the device "modem"), serves the VAPID key it made
// in the data folder (0600), and the same key after a restart.
func TestServerWithModemAndPush(t *testing.T) {
	dir := t.TempDir()
	vm, err := virtual.Start(virtual.Options{Out: filepath.Join(dir, "sms.jsonl"), Link: filepath.Join(dir, "modem.tty")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vm.Close() })
	data := filepath.Join(dir, "data")
	args := []string{"-demo", "-push", "-push-subject", "mailto:it@example.gov.vn", "-sms-modem", filepath.Join(dir, "modem.tty")}
	p := startServer(t, data, args...)
	ev := followModem(t, p.url())
	e2etest.WaitFor(t, 30*time.Second, "the modem's ok on the office's stream", func() bool { return ev.has("ok") })
	e2etest.WaitFor(t, 10*time.Second, "the modem up in /metrics", func() bool {
		return strings.Contains(metricsText(t, p.url()), "\nluot_sms_modem_up 1\n")
	})
	if m := metricsText(t, p.url()); !strings.Contains(m, `luot_outbox_messages{state="queued"} 0`) || !strings.Contains(m, "\ngo_goroutines ") {
		t.Errorf("/metrics lacks the empty outbox's figures or the process's:\n%s", m)
	}
	key := pushKey(t, p.url())
	if len(key) != 87 { // base64url of an uncompressed P-256 point (65 bytes)
		t.Fatalf("push key %q: want the 65-byte public key in base64url", key)
	}
	fi, err := os.Stat(filepath.Join(data, webpush.KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the VAPID key file: %v, %v; want it in the data folder, mode 0600", fi, err)
	}
	p.kill()
	p = startServer(t, data, args...)
	if again := pushKey(t, p.url()); again != key {
		t.Errorf("the push key changed at restart: %q, then %q", key, again)
	}
}

// TestServerWithAbsentModem: a modem that cannot be opened does not stop
// the server; the office is told it is at fault.
func TestServerWithAbsentModem(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	p := startServer(t, data, "-demo", "-sms-modem", filepath.Join(dir, "no-such-port"))
	// The fault is told at once, so it may be the office's first event,
	// before any follower could say it has seen one: the office's stored
	// stream is read instead, from its start (WAL: beside the server).
	db, err := store.Open(filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e2etest.WaitFor(t, 30*time.Second, "the modem's fault in the office's stream", func() bool { return storedModemFault(t, db) })
	if !p.logged("the GSM modem cannot be opened") {
		t.Error("the server did not log why the modem cannot be opened")
	}
	// Push is off: no key to subscribe with.
	resp, err := http.Get(p.url() + "/api/v1/push/key")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("push key without -push: %s; want 404", resp.Status)
	}
}

func pushKey(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/push/key")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var k struct {
		PublicKey string `json:"public_key"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&k) != nil {
		t.Fatalf("push key: %s", resp.Status)
	}
	return k.PublicKey
}

// TestServerWithWebhook: with -sms-webhook and -phone-codes, the office
// says that online numbers need a code (phone_code), and an online
// number's phone code goes to the gateway as signed JSON with its
// idempotency key.
func TestServerWithWebhook(t *testing.T) {
	dir := t.TempDir()
	secret := "a-gateway-secret-of-some-length"
	secretFile := filepath.Join(dir, "secret")
	os.WriteFile(secretFile, []byte(secret+"\n"), 0o600)
	got := make(chan map[string]string, 10)
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !webhook.Verify([]byte(secret), body, r.Header.Get(webhook.SignatureHeader)) {
			t.Errorf("the gateway got a request whose signature does not verify: %s", body)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var m map[string]string
		json.Unmarshal(body, &m)
		m["idempotency-key"] = r.Header.Get("Idempotency-Key")
		got <- m
	}))
	t.Cleanup(gw.Close)
	p := startServer(t, filepath.Join(dir, "data"), "-demo", "-sms-webhook", gw.URL+"/sms", "-sms-webhook-secret-file", secretFile, "-phone-codes")
	// The office tells the take-a-number page to ask for the code.
	var office struct {
		PhoneCode bool `json:"phone_code"`
	}
	if r, err := http.Get(p.url() + "/api/v1/offices/demo"); err != nil {
		t.Fatal(err)
	} else {
		json.NewDecoder(r.Body).Decode(&office)
		r.Body.Close()
	}
	if !office.PhoneCode {
		t.Error("with -phone-codes the office's JSON does not say phone_code")
	}
	b, _ := json.Marshal(map[string]string{"phone": "0901234569"})
	resp, err := http.Post(p.url()+"/api/v1/offices/demo/phone-codes", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("phone code: %s", resp.Status)
	}
	select {
	case m := <-got:
		if m["phone"] != "+84901234569" || m["kind"] != "phone.code" || m["key"] == "" || m["idempotency-key"] != m["key"] ||
			!regexp.MustCompile(`\b\d{6}\b`).MatchString(m["text"]) {
			t.Errorf("the gateway got %v; want the phone code for +84901234569, keyed", m)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the gateway got nothing within 30 s")
	}
	e2etest.WaitFor(t, 10*time.Second, "the message counted sent in /metrics", func() bool {
		return strings.Contains(metricsText(t, p.url()), `luot_outbox_messages{state="sent"} 1`)
	})
	if m := metricsText(t, p.url()); strings.Contains(m, "luot_sms_modem_up") {
		t.Errorf("/metrics tells of a modem the server does not use:\n%s", m)
	}
	// A secret too short is refused at start.
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("short"), 0o600)
	o, err := parseFlags([]string{"-data", dir, "-sms-webhook", gw.URL, "-sms-webhook-secret-file", short})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setupNotifications(o, o.notify.config(), nil, nil, "http://x", slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "at least 16") {
		t.Errorf("a 5-character secret: %v; want it refused", err)
	}
}

// TestServerWithSilentModem: a modem that stops answering while the
// server sends through it is reported to the office as at fault, and as
// working again once it answers, the message delivered then.
func TestServerWithSilentModem(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the modem's timeouts and the outbox's retry: skipped with -short")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "sms.jsonl")
	vm, err := virtual.Start(virtual.Options{Out: out, Link: filepath.Join(dir, "modem.tty")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vm.Close() })
	p := startServer(t, filepath.Join(dir, "data"), "-demo", "-sms-modem", filepath.Join(dir, "modem.tty"), "-phone-codes", "-quiet-hours", "off")
	ev := followModem(t, p.url())
	e2etest.WaitFor(t, 30*time.Second, "the modem's ok on the office's stream", func() bool { return ev.has("ok") })
	control := filepath.Join(dir, virtual.ControlFile)
	if err := os.WriteFile(control, []byte("silent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{"phone": "0901234560"})
	resp, err := http.Post(p.url()+"/api/v1/offices/demo/phone-codes", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("phone code: %s", resp.Status)
	}
	took := e2etest.WaitFor(t, 2*time.Minute, "the modem's fault on the office's stream", func() bool { return ev.has("fault") })
	t.Logf("fault told after %v", took.Round(time.Second))
	ev.mu.Lock()
	n := len(ev.got)
	ev.mu.Unlock()
	os.WriteFile(control, nil, 0o644)
	e2etest.WaitFor(t, 3*time.Minute, "the modem's ok again and the code delivered", func() bool {
		ev.mu.Lock()
		again := len(ev.got) > n && ev.got[len(ev.got)-1].Status == "ok"
		ev.mu.Unlock()
		b, _ := os.ReadFile(out)
		return again && strings.Contains(string(b), "+84901234560")
	})
}

// metricsText reads /metrics (served to loopback).
func metricsText(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %s %s", resp.Status, b)
	}
	return string(b)
}

// TestServerRecordsDeliveryReports: the server sends through the
// virtual modem and records its delivery reports: the SMS counts as
// delivered on /metrics; with the control file's "report-status 0x46"
// (validity expired) the next one counts as undelivered, and is not sent
// again.
func TestServerRecordsDeliveryReports(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sms.jsonl")
	vm, err := virtual.Start(virtual.Options{Out: out, Link: filepath.Join(dir, "modem.tty")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vm.Close() })
	p := startServer(t, filepath.Join(dir, "data"), "-demo", "-sms-modem", filepath.Join(dir, "modem.tty"), "-phone-codes", "-quiet-hours", "off")
	ev := followModem(t, p.url())
	e2etest.WaitFor(t, 30*time.Second, "the modem's ok on the office's stream", func() bool { return ev.has("ok") })
	code := func(phone string) {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"phone": phone})
		resp, err := http.Post(p.url()+"/api/v1/offices/demo/phone-codes", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("phone code: %s", resp.Status)
		}
	}
	code("0901234561")
	e2etest.WaitFor(t, 30*time.Second, "the SMS delivered on /metrics", func() bool {
		return strings.Contains(metricsText(t, p.url()), `luot_outbox_sms_delivery{outcome="delivered"} 1`+"\n")
	})
	if err := os.WriteFile(filepath.Join(dir, virtual.ControlFile), []byte("report-status 0x46\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code("0901234562")
	e2etest.WaitFor(t, 30*time.Second, "the SMS undelivered on /metrics", func() bool {
		return strings.Contains(metricsText(t, p.url()), `luot_outbox_sms_delivery{outcome="undelivered"} 1`+"\n")
	})
	m := metricsText(t, p.url())
	for _, want := range []string{`luot_outbox_messages{state="sent"} 2`, `luot_outbox_messages{state="queued"} 0`, `luot_outbox_sms_delivery{outcome="delivered"} 1`} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if msgs, err := virtual.ReadMessages(out); err != nil || len(msgs) != 2 {
		t.Errorf("the virtual modem got %d messages (%v), want 2: the undelivered one is not sent again", len(msgs), err)
	}
	if !p.logged("SMS delivery report") {
		t.Error("the server did not log the delivery reports")
	}
}

// storedModemFault reports whether the demo office's stored events hold a
// device.status of the modem at fault, with a message.
func storedModemFault(t *testing.T, db *store.DB) bool {
	t.Helper()
	events, _, err := db.EventsSince(context.Background(), "demo", 0, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	m := &modemEvents{}
	for _, e := range events {
		var ce client.Event
		if json.Unmarshal(e.Public, &ce) == nil {
			m.Event(ce)
		}
	}
	return m.has("fault")
}
