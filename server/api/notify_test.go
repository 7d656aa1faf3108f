package api

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"luot/server/notify"
)

// pushKeys are a browser's push keys: a real P-256 point and 16 random
// bytes, as PushSubscription.toJSON gives them.
func pushKeys(t testing.TB) map[string]string {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	return map[string]string{"p256dh": base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()), "auth": base64.RawURLEncoding.EncodeToString(auth)}
}

// notifyEnv is bookableEnv with the notifications on: the env's store,
// push (any key is a key to the API) and SMS as asked.
func notifyEnv(t *testing.T, push string, sms bool) *env {
	t.Helper()
	e := bookableEnv(t, 3)
	e.api.cfg.Notify, e.api.cfg.PushKey, e.api.cfg.SMS = e.db, push, sms
	return e
}

// remote takes an online number for phone and answers it with its token.
func (e *env) remote(t *testing.T, service, phone string) (TicketJSON, string) {
	t.Helper()
	var a ticketAnswer
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": service, "phone": phone, "name": "Nguyễn Văn Ánh"}}).decode(t, &a)
	u, err := url.Parse(a.Ticket.TrackURL)
	if err != nil {
		t.Fatal(err)
	}
	return a.Ticket, u.Query().Get("token")
}

func (e *env) subs(t *testing.T, typ notify.ItemType, id string) []notify.Subscription {
	t.Helper()
	s, err := e.db.Subscriptions(context.Background(), notify.Item{Type: typ, ID: id, Office: office})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPushKey(t *testing.T) {
	e := notifyEnv(t, "", false)
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/push/key"}), 404, "push_off")
	e = notifyEnv(t, "BPUBLICKEY", true)
	var k struct {
		PublicKey string `json:"public_key"`
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/push/key"}).decode(t, &k)
	if k.PublicKey != "BPUBLICKEY" {
		t.Fatalf("key %q", k.PublicKey)
	}
	var o OfficeJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office}).decode(t, &o)
	if !o.Push || !o.SMS || !o.LinkBySMS {
		t.Fatalf("office flags %+v", o)
	}
}

// TestSubscribeTicket: a ticket's holder subscribes its browser and a
// phone; the store keeps both with the tracking link, and the engine
// watches the ticket: calls that bring it 3 ahead write its near notice
// to the outbox, for each subscription.
func TestSubscribeTicket(t *testing.T) {
	e := notifyEnv(t, "BPUBLICKEY", true)
	for range 5 {
		e.issue(t, "kiosk1", "chung-thuc")
	}
	tk, token := e.remote(t, "chung-thuc", "0912 345 678")
	keys := pushKeys(t)
	var a struct {
		ID          int64  `json:"id"`
		Unsubscribe string `json:"unsubscribe"`
	}
	e.must(t, 201, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{
		"item": map[string]string{"type": "ticket", "id": tk.ID}, "secret": token, "channel": "push", "lang": "en",
		"push": map[string]any{"endpoint": "https://push.example.net/send/abc", "expirationTime": nil, "keys": keys}}}).decode(t, &a)
	if a.ID == 0 || !strings.HasPrefix(a.Unsubscribe, "https://luot.example.vn/u/") {
		t.Fatalf("answer %+v", a)
	}
	e.must(t, 201, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{
		"item": map[string]string{"type": "ticket", "id": tk.ID, "office": office}, "secret": token, "channel": "sms", "phone": "0987 654 321"}})
	subs := e.subs(t, notify.ItemTicket, tk.ID)
	if len(subs) != 2 {
		t.Fatalf("subscriptions %+v", subs)
	}
	p, s := subs[0], subs[1]
	if p.Channel != notify.Push || p.Lang != "en" || p.Endpoint != "https://push.example.net/send/abc" || p.P256DH != keys["p256dh"] || p.Auth != keys["auth"] ||
		p.Link != "https://luot.example.vn/t/"+tk.ID+"?token="+url.QueryEscape(token) || !p.Created.Equal(e.clock.Now()) {
		t.Errorf("push subscription %+v", p)
	}
	if s.Channel != notify.SMS || s.Phone != "+84987654321" || s.Lang != "vi" || s.Link != p.Link {
		t.Errorf("sms subscription %+v", s)
	}
	if !strings.HasSuffix(a.Unsubscribe, "/u/"+p.Token) {
		t.Errorf("unsubscribe %q is not the token's", a.Unsubscribe)
	}
	// The same browser again is the same subscription.
	e.must(t, 201, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{
		"item": map[string]string{"type": "ticket", "id": tk.ID}, "secret": token, "channel": "push",
		"push": map[string]any{"endpoint": "https://push.example.net/send/abc", "keys": keys}}})
	if n := len(e.subs(t, notify.ItemTicket, tk.ID)); n != 2 {
		t.Fatalf("%d subscriptions after the same browser again", n)
	}

	// Five ahead; the clerk calls two: 3 ahead, near.
	clerk := e.clerk(t, "nv3", "q3")
	for range 2 {
		e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q3/next", token: clerk})
		e.clock.Advance(10 * time.Second) // not a double click
	}
	msgs, err := e.db.Claim(context.Background(), e.clock.Now().Add(24*time.Hour), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var near []notify.Message
	for _, m := range msgs {
		if m.Notice.Kind == notify.TicketNear && m.Notice.Item.ID == tk.ID {
			near = append(near, m)
		}
	}
	if len(near) != 2 {
		t.Fatalf("near messages %+v of %d claimed", near, len(msgs))
	}
}

// TestSubscribeItems: a booking, a dossier and a report are followed
// with their own secrets; a wrong secret is an unknown item and stores
// nothing.
func TestSubscribeItems(t *testing.T) {
	ds := newDsEnv(t)
	ds.api.cfg.Notify, ds.api.cfg.SMS = ds.db, true
	tok, _ := ds.serving(t, "nv1", "q1", "xay-dung")
	rd := ds.received(t, tok, "q1", permit())
	k := linkToken(t, rd.Link)
	sub := func(e *env, typ, id, secret string, want int) resp {
		t.Helper()
		return e.must(t, want, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{
			"item": map[string]string{"type": typ, "id": id}, "secret": secret, "channel": "sms", "phone": "0912345678"}})
	}
	wantErr(t, sub(ds.env, "dossier", rd.Dossier.Code, k+"x", 404), 404, "unknown_item")
	if n := len(ds.subs(t, notify.ItemDossier, rd.Dossier.Code)); n != 0 {
		t.Fatalf("a wrong secret stored %d subscriptions", n)
	}
	sub(ds.env, "dossier", rd.Dossier.Code, k, 201)
	if s := ds.subs(t, notify.ItemDossier, rd.Dossier.Code); len(s) != 1 || !strings.Contains(s[0].Link, "/hs/"+rd.Dossier.Code+"?k=") {
		t.Fatalf("dossier subscriptions %+v", s)
	}

	fb := newFbEnv(t)
	fb.api.cfg.Notify, fb.api.cfg.SMS = fb.db, true
	c := fb.newReport(t)
	wantErr(t, sub(fb.env, "report", c.Report.Code, "nope", 404), 404, "unknown_item")
	sub(fb.env, "report", c.Report.Code, c.Token, 201)
	if s := fb.subs(t, notify.ItemReport, c.Report.Code); len(s) != 1 || !strings.Contains(s[0].Link, "/pa/"+c.Report.Code+"?k=") {
		t.Fatalf("report subscriptions %+v", s)
	}

	e := notifyEnv(t, "", true)
	b := e.book(t, "2026-11-28", "09:00", "0912345678")
	mu, _ := url.Parse(b.ManageURL)
	bt := mu.Query().Get("token")
	wantErr(t, sub(e, "booking", b.Code, bt+"x", 404), 404, "unknown_item")
	sub(e, "booking", strings.ToLower(b.Code), bt, 201)
	if s := e.subs(t, notify.ItemBooking, b.Code); len(s) != 1 || !strings.Contains(s[0].Link, "/b/"+b.Code+"?token=") {
		t.Fatalf("booking subscriptions %+v", s)
	}
	// A ticket of an unknown id, or a cancelled one, is not followed.
	tk, token := e.remote(t, "ho-tich", "0912 000 111")
	e.must(t, 200, req{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/cancel", body: map[string]string{"token": token}})
	wantErr(t, sub(e, "ticket", tk.ID, token, 409), 409, "item_ended")
	wantErr(t, sub(e, "ticket", "T-nope", token, 404), 404, "unknown_item")
}

// TestSubscribeBadInput: each bad body gets a clear 4xx and stores
// nothing.
func TestSubscribeBadInput(t *testing.T) {
	e := notifyEnv(t, "BKEY", false)
	tk, token := e.remote(t, "ho-tich", "0912 345 678")
	keys := pushKeys(t)
	item := map[string]string{"type": "ticket", "id": tk.ID}
	push := func(endpoint string, k map[string]string) map[string]any {
		return map[string]any{"endpoint": endpoint, "keys": k}
	}
	for _, c := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"not JSON", "{", 400, ""},
		{"unknown field", map[string]any{"item": item, "secret": token, "channel": "push", "push": push("https://p.example/x", keys), "x": 1}, 400, ""},
		{"no item type", map[string]any{"item": map[string]string{"id": tk.ID}, "secret": token, "channel": "push", "push": push("https://p.example/x", keys)}, 400, "invalid_item"},
		{"no secret", map[string]any{"item": item, "channel": "push", "push": push("https://p.example/x", keys)}, 401, "secret_required"},
		{"bad channel", map[string]any{"item": item, "secret": token, "channel": "fax"}, 400, "invalid_channel"},
		{"bad lang", map[string]any{"item": item, "secret": token, "channel": "push", "lang": "fr", "push": push("https://p.example/x", keys)}, 400, "invalid_lang"},
		{"plain http endpoint", map[string]any{"item": item, "secret": token, "channel": "push", "push": push("http://p.example/x", keys)}, 400, "invalid_push"},
		{"javascript endpoint", map[string]any{"item": item, "secret": token, "channel": "push", "push": push("javascript:alert(1)", keys)}, 400, "invalid_push"},
		{"short p256dh", map[string]any{"item": item, "secret": token, "channel": "push", "push": push("https://p.example/x", map[string]string{"p256dh": "AAAA", "auth": keys["auth"]})}, 400, "invalid_push"},
		{"no push", map[string]any{"item": item, "secret": token, "channel": "push"}, 400, "invalid_push"},
		{"push with a phone", map[string]any{"item": item, "secret": token, "channel": "push", "phone": "0912345678", "push": push("https://p.example/x", keys)}, 400, "invalid_push"},
		{"bad phone", map[string]any{"item": item, "secret": token, "channel": "sms", "phone": "12"}, 400, "invalid_phone"},
		{"sms off", map[string]any{"item": item, "secret": token, "channel": "sms", "phone": "0912345678"}, 404, "sms_off"},
		{"wrong office", map[string]any{"item": map[string]string{"type": "ticket", "id": tk.ID, "office": "hn-bd"}, "secret": token, "channel": "push", "push": push("https://p.example/x", keys)}, 404, "unknown_item"},
	} {
		r := e.do(t, req{method: "POST", path: "/api/v1/subscriptions", body: c.body})
		if r.status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		if c.code != "" && r.errCode(t) != c.code {
			t.Errorf("%s: %s", c.name, r.body)
		}
	}
	if s := e.subs(t, notify.ItemTicket, tk.ID); len(s) != 0 {
		t.Fatalf("bad input stored %+v", s)
	}
	// A loopback endpoint (a local push service) is accepted.
	e.must(t, 201, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{"item": item, "secret": token, "channel": "push", "push": push("http://127.0.0.1:8090/push/1", keys)}})
	// At most MaxSubscriptionsPerItem per item; the same browser again
	// is still welcome.
	for i := 1; i < MaxSubscriptionsPerItem; i++ {
		e.must(t, 201, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{"item": item, "secret": token, "channel": "push", "push": push(fmt.Sprintf("https://p.example/%d", i), keys)}})
	}
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{"item": item, "secret": token, "channel": "push", "push": push("https://p.example/one-more", keys)}}), 409, "too_many_subscriptions")
	e.must(t, 201, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{"item": item, "secret": token, "channel": "push", "push": push("https://p.example/3", keys)}})
	if s := e.subs(t, notify.ItemTicket, tk.ID); len(s) != MaxSubscriptionsPerItem {
		t.Fatalf("%d subscriptions, want %d", len(s), MaxSubscriptionsPerItem)
	}
	// Without the notifications, the route says so.
	off := newEnv(t)
	wantErr(t, off.do(t, req{method: "POST", path: "/api/v1/subscriptions", body: map[string]any{}}), 404, "notifications_off")
}

// TestLinkAgain: the phone's live numbers and bookings are sent by SMS
// (one message each, the ticket's link with its token); the answer is
// the same for a phone with nothing; it is limited per phone.
func TestLinkAgain(t *testing.T) {
	e := notifyEnv(t, "", true)
	tk, token := e.remote(t, "ho-tich", "0912 345 678")
	b := e.book(t, "2026-11-28", "09:00", "0912345678")
	e.remote(t, "ho-tich", "0987 000 111")
	var a, none map[string]string
	e.must(t, 202, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "0912 345 678", "lang": "en"}}).decode(t, &a)
	e.must(t, 202, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "0933 333 333"}}).decode(t, &none)
	if a["phone"] == "" || strings.Contains(a["phone"], "345") || len(a) != len(none) {
		t.Fatalf("answers %v and %v", a, none)
	}
	msgs, err := e.db.Claim(context.Background(), e.clock.Now(), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages: %+v", len(msgs), msgs)
	}
	got := map[string]notify.Message{}
	for _, m := range msgs {
		if m.Notice.Kind != notify.LinkAgain || m.Sub.Channel != notify.SMS || m.Sub.Phone != "+84912345678" || m.Notice.Lang != "en" || !strings.HasPrefix(m.Notice.Key, "link-again/") {
			t.Errorf("message %+v", m)
		}
		got[string(m.Notice.Item.Type)] = m
	}
	if l := got["ticket"].Notice.Params["link"]; l != "https://luot.example.vn/t/"+tk.ID+"?token="+url.QueryEscape(token) || got["ticket"].Notice.Params["number"] != tk.Number {
		t.Errorf("ticket's message %+v", got["ticket"].Notice)
	}
	if got["booking"].Notice.Params["code"] != b.Code {
		t.Errorf("booking's message %+v", got["booking"].Notice)
	}
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "abc"}}), 400, "invalid_phone")
	if r := e.do(t, req{method: "POST", path: "/api/v1/offices/nowhere/link-again", body: map[string]string{"phone": "0912345678"}}); r.status != 404 {
		t.Errorf("an unknown office: %d", r.status)
	}
	// The limit per phone.
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 1000, PerIPEvery: time.Millisecond, PerPhoneBurst: 1, PerPhoneEvery: time.Hour})
	e.must(t, 202, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "0912345678"}})
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "0912345678"}}), 429, "rate_limited")
	// Without SMS there is no such route.
	off := notifyEnv(t, "K", false)
	wantErr(t, off.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "0912345678"}}), 404, "sms_off")
}

func TestOutboxMetrics(t *testing.T) {
	e := notifyEnv(t, "", true)
	e.remote(t, "ho-tich", "0912 345 678")
	e.must(t, 202, req{method: "POST", path: "/api/v1/offices/" + office + "/link-again", body: map[string]string{"phone": "0912345678"}})
	e.clock.Advance(90 * time.Second)
	if r := e.do(t, req{method: "GET", path: "/api/v1/outbox/metrics"}); r.status != 401 {
		t.Fatalf("no session: %d %s", r.status, r.body)
	}
	clerk := e.login(t, "nv1", "q1")
	if r := e.do(t, req{method: "GET", path: "/api/v1/outbox/metrics", token: clerk}); r.status != 403 {
		t.Fatalf("a clerk: %d %s", r.status, r.body)
	}
	var m OutboxMetricsJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/outbox/metrics", token: e.login(t, "admin", "")}).decode(t, &m)
	if m.Queued != 1 || m.Sent != 0 || m.Dead != 0 || m.OldestSeconds != 90 {
		t.Fatalf("metrics %+v", m)
	}
	// The same figures for the operator's monitoring (/metrics, from this
	// machine).
	prom := string(e.must(t, 200, req{method: "GET", path: "/metrics"}).body)
	for _, want := range []string{`luot_outbox_messages{state="queued"} 1`, `luot_outbox_messages{state="dead"} 0`, "luot_outbox_oldest_queued_seconds 90",
		`luot_outbox_sms_delivery{outcome="delivered"} 0`} {
		if !strings.Contains(prom, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// Sent through the modem in two parts, both reported delivered.
	ctx := context.Background()
	ms, err := e.db.Claim(ctx, e.clock.Now(), time.Minute, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("claim: %+v %v", ms, err)
	}
	if err := e.db.MarkSent(ctx, ms[0].ID, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.db.RecordSMSParts(ctx, ms[0].ID, []int{41, 42}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []int{42, 41} {
		if _, err := e.db.RecordSMSReport(ctx, ref, 0, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/outbox/metrics", token: e.login(t, "admin", "")}).decode(t, &m)
	if m != (OutboxMetricsJSON{Sent: 1, Delivered: 1}) {
		t.Fatalf("metrics after the delivery reports %+v", m)
	}
	prom = string(e.must(t, 200, req{method: "GET", path: "/metrics"}).body)
	for _, want := range []string{`luot_outbox_sms_delivery{outcome="delivered"} 1`, `luot_outbox_sms_delivery{outcome="undelivered"} 0`} {
		if !strings.Contains(prom, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
