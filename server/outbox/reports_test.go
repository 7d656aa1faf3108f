package outbox_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/modem"
	"luot/modem/virtual"
	"luot/server/notify"
	"luot/server/outbox"
	"luot/server/store"
)

// waitDelivery waits (a bounded wait that only catches a hang) until the
// delivery reports gave message id an outcome.
func waitDelivery(t *testing.T, db *store.DB, id int64) store.SMSDelivery {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		d, err := db.SMSDelivery(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != "" {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %d: no delivery outcome recorded: %+v", id, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestModemDeliveryReports: through the real modem driver and the
// virtual modem on a pseudo-terminal, the sender keeps the references of
// an SMS's parts, the virtual modem's delivery reports come back on
// Modem.Reports, and Reports marks the outbox message delivered; a
// failure report (the network gave up) marks the next one undelivered,
// still sent, and the metrics count both.
func TestModemDeliveryReports(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	vm, err := virtual.Start(virtual.Options{Out: filepath.Join(t.TempDir(), "sms.jsonl"), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vm.Close() })
	m, err := modem.Open(modem.Config{Port: vm.Path(), Timeout: 500 * time.Millisecond, SendTimeout: 5 * time.Second, RetryDelay: -1, CheckEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	s := &outbox.Sender{
		Store: db, Config: notify.Config{QuietFrom: "00:00", QuietTo: "00:00"}, Now: clk.Now, Zone: inHanoi, Log: quiet,
		// A long address makes the SMS two parts, each with its report.
		BaseURL: "https://mot-cua.phuong-hoan-kiem.ha-noi.example.gov.vn",
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.SMSChannel{SenderRefs: func(ctx context.Context, phone, text string) ([]int, error) {
			return m.Send(ctx, phone, text, false)
		}}},
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&outbox.Reports{Store: db, Now: clk.Now, Log: quiet}).Follow(rctx, m.Reports())
	}()
	t.Cleanup(func() { cancel(); <-done })

	enqueue(t, db, t0, phoneNotice("called/1", notify.TicketCalled, t0))
	if n := runOnce(t, s); n != 1 {
		t.Fatalf("delivered %d, want 1", n)
	}
	d := waitDelivery(t, db, 1)
	sent := vm.Messages()
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "1005") {
		t.Fatalf("the virtual modem got %+v", sent)
	}
	if sent[0].Parts < 2 {
		t.Fatalf("a message of %d part: the test wants concatenated parts (a longer BaseURL)", sent[0].Parts)
	}
	if d.State != store.SMSDelivered || d.Parts != sent[0].Parts || d.Reported != d.Parts || !d.At.Equal(t0) {
		t.Fatalf("message 1: %+v, want delivered in %d parts at %s", d, sent[0].Parts, t0)
	}

	vm.ReportNext(0x46, 1) // validity period expired: the first part fails
	clk.Advance(time.Minute)
	enqueue(t, db, clk.Now(), phoneNotice("called/2", notify.TicketCalled, clk.Now()))
	if n := runOnce(t, s); n != 1 {
		t.Fatalf("delivered %d, want 1", n)
	}
	d = waitDelivery(t, db, 2)
	if d.State != store.SMSUndelivered || !strings.Contains(d.Reason, "0x46") {
		t.Fatalf("message 2: %+v, want undelivered (0x46)", d)
	}
	clk.Advance(time.Hour)
	if n := runOnce(t, s); n != 0 {
		t.Fatalf("an undelivered message was sent again (%d)", n)
	}
	if got := metrics(t, db, clk.Now()); got != (notify.Metrics{Sent: 2, Delivered: 1, Undelivered: 1}) {
		t.Fatalf("metrics %+v", got)
	}
}

// A report that comes before the sender kept its part's reference is
// recorded by the next Retry; one that names no part for ReportEarlyFor
// is forgotten; a report not final records nothing.
func TestEarlyReports(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	r := &outbox.Reports{Store: db, Now: clk.Now, Log: quiet}
	enqueue(t, db, t0, phoneNotice("called/1", notify.TicketCalled, t0))
	ms, err := db.Claim(ctx, t0, time.Minute, 1)
	if err != nil || len(ms) != 1 {
		t.Fatalf("claim: %v %v", ms, err)
	}
	id := ms[0].ID
	r.Handle(ctx, modem.Report{Ref: 9, Status: 0x21}) // still trying
	r.Handle(ctx, modem.Report{Ref: 9, Status: 0x00}) // before the parts
	r.Handle(ctx, modem.Report{Ref: 200, Status: 0x00})
	if err := db.RecordSMSParts(ctx, id, []int{9}, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	r.Retry(ctx)
	if d, _ := db.SMSDelivery(ctx, id); d.State != store.SMSDelivered || !d.At.Equal(t0) {
		t.Fatalf("after Retry: %+v, want delivered at the report's arrival", d)
	}
	// Reference 200 is still kept; once it is too old it is dropped, and
	// a part with that reference recorded later is not matched by it.
	clk.Advance(outbox.ReportEarlyFor)
	r.Retry(ctx)
	enqueue(t, db, clk.Now(), phoneNotice("called/2", notify.TicketCalled, clk.Now()))
	ms, err = db.Claim(ctx, clk.Now(), time.Minute, 1)
	if err != nil || len(ms) != 1 {
		t.Fatalf("claim: %v %v", ms, err)
	}
	if err := db.RecordSMSParts(ctx, ms[0].ID, []int{200}, clk.Now()); err != nil {
		t.Fatal(err)
	}
	r.Retry(ctx)
	if d, _ := db.SMSDelivery(ctx, ms[0].ID); d.State != "" || d.Reported != 0 {
		t.Fatalf("a forgotten report was recorded: %+v", d)
	}
}
