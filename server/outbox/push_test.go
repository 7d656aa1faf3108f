package outbox_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/internal/pushtest"
	"luot/server/notify"
	"luot/server/outbox"
	"luot/server/webhook"
	"luot/server/webpush"
)

// TestPushDeliveredAndGoneDropped: a message reaches a real push service
// (web-push-testing, which decrypts it) with its texts, key and links; a
// subscription the service says is gone (410) gets a dead letter and is
// dropped.
func TestPushDeliveredAndGoneDropped(t *testing.T) {
	svc := pushtest.Start(t)
	keys, err := webpush.LoadOrCreateKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	psub, err := svc.Subscribe(wctx, keys.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	db, _ := openStore(t)
	item := notify.Item{Type: notify.ItemTicket, ID: "T7", Office: "hoankiem"}
	sub, err := db.Subscribe(ctx, notify.Subscription{Item: item, Channel: notify.Push, Lang: "en",
		Endpoint: psub.Endpoint, P256DH: psub.P256DH, Auth: psub.Auth, Link: "/t/T7?k=s3cr3t"})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(t0)
	s := &outbox.Sender{Store: db, Now: clk.Now, Zone: inHanoi, Log: quiet,
		Channels: map[notify.Channel]outbox.Channel{notify.Push: outbox.PushChannel{Client: &webpush.Client{Keys: keys, Subject: "mailto:admin@luot.example.gov.vn"}}}}

	called := notify.Notice{Key: notify.TicketCalledKey("T7", 1), Kind: notify.TicketCalled, Item: item, At: t0,
		Params: map[string]string{"number": "B007", "counter": "3"}}
	enqueue(t, db, t0, called)
	if n := runOnce(t, s); n != 1 {
		t.Fatalf("delivered %d, want 1", n)
	}
	msgs, err := svc.WaitMessages(wctx, psub, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got outbox.PushPayload
	if err := json.Unmarshal([]byte(msgs[0]), &got); err != nil {
		t.Fatalf("payload %q: %v", msgs[0], err)
	}
	title, body := notify.Render(called, "en")
	want := outbox.PushPayload{Key: webhook.Key(notify.Message{Notice: called, Sub: sub}), Kind: notify.TicketCalled, Item: item,
		Title: title, Body: body, URL: "/t/T7?k=s3cr3t", Unsubscribe: "/u/" + sub.Token}
	if got != want {
		t.Errorf("the browser got %+v, want %+v", got, want)
	}

	if err := svc.Expire(wctx, psub); err != nil {
		t.Fatal(err)
	}
	enqueue(t, db, t0, notify.Notice{Key: notify.TicketKey("T7", "missed"), Kind: notify.TicketMissed, Item: item, At: t0,
		Params: map[string]string{"number": "B007"}})
	if n := runOnce(t, s); n != 0 {
		t.Fatalf("delivered %d to an expired subscription", n)
	}
	subs, err := db.Subscriptions(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 0 {
		t.Errorf("the gone subscription is kept: %+v", subs)
	}
	if m := metrics(t, db, t0); m.Queued != 0 {
		t.Errorf("metrics = %+v: a message to the gone subscription is still queued", m)
	}
}
