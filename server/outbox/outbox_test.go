package outbox_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/server/notify"
	"luot/server/outbox"
	"luot/server/webhook"
	"luot/server/webpush"
)

// TestQuietHoursHold: at 22:00 a "near" message waits until 07:00 while
// "called" and a phone code go at once; holding is not a try.
func TestQuietHoursHold(t *testing.T) {
	db, _ := openStore(t)
	g, srv := newGateway(t)
	night := time.Date(2026, 11, 26, 22, 0, 0, 0, hanoi)
	clk := clock.NewFake(night)
	cfg := notify.Config{QuietFrom: "21:00", QuietTo: "07:00", MaxTries: 1}
	s := sender(db, cfg, srv.URL, clk)
	enqueue(t, db, night,
		phoneNotice("ticket/T1/near", notify.TicketNear, night),
		phoneNotice("ticket/T1/called/1", notify.TicketCalled, night),
		phoneNotice("phone-code/r1", notify.PhoneCode, night))

	if n := runOnce(t, s); n != 2 {
		t.Fatalf("at 22:00 delivered %d, want 2 (called and the phone code)", n)
	}
	_, keys, _ := g.counts()
	if keys["ticket/T1/called/1"] != 1 || keys["phone-code/r1"] != 1 || keys["ticket/T1/near"] != 0 {
		t.Fatalf("at 22:00 the gateway got %v", keys)
	}
	if m := metrics(t, db, night); m.Queued != 1 || m.Sent != 2 || m.Dead != 0 {
		t.Fatalf("metrics at 22:00 = %+v, want 1 queued, 2 sent", m)
	}
	for _, at := range []time.Time{night.Add(time.Minute), time.Date(2026, 11, 27, 3, 0, 0, 0, hanoi), time.Date(2026, 11, 27, 6, 59, 59, 0, hanoi)} {
		clk.Set(at)
		if n := runOnce(t, s); n != 0 {
			t.Fatalf("at %s delivered %d, want the near message held", at.Format("15:04:05"), n)
		}
	}
	if hits, _, _ := g.counts(); hits != 2 {
		t.Fatalf("the gateway got %d requests during the quiet hours", hits)
	}
	// MaxTries 1: had a hold counted as a try, the message would be dead
	// or fail here; it is delivered.
	clk.Set(time.Date(2026, 11, 27, 7, 0, 0, 0, hanoi))
	if n := runOnce(t, s); n != 1 {
		t.Fatalf("at 07:00 delivered %d, want the held message", n)
	}
	if _, keys, _ := g.counts(); keys["ticket/T1/near"] != 1 {
		t.Fatalf("at 07:00 the gateway got %v", keys)
	}
	if m := metrics(t, db, clk.Now()); m.Queued != 0 || m.Sent != 3 || m.Dead != 0 {
		t.Fatalf("metrics = %+v, want 3 sent", m)
	}
}

// TestBackoffAndDeadLetter: a gateway answering 503 is tried again after
// each backoff (not a second before), and the message is dead after
// MaxTries; nothing is tried after.
func TestBackoffAndDeadLetter(t *testing.T) {
	db, _ := openStore(t)
	g, srv := newGateway(t)
	g.Status.Store(http.StatusServiceUnavailable)
	clk := clock.NewFake(t0)
	cfg := notify.Config{QuietFrom: "21:00", QuietTo: "07:00", MaxTries: 3, BaseDelay: 10 * time.Second, MaxDelay: time.Hour}
	s := sender(db, cfg, srv.URL, clk)
	s.Jitter = func() float64 { return 0.5 }
	valid := cfg
	if err := valid.Validate(); err != nil {
		t.Fatal(err)
	}
	enqueue(t, db, t0, phoneNotice("ticket/T1/near", notify.TicketNear, t0))

	hits := func() int { h, _, _ := g.counts(); return h }
	runOnce(t, s)
	if hits() != 1 {
		t.Fatalf("first round: %d requests", hits())
	}
	for try := 1; try < 3; try++ {
		d := valid.Backoff(try, 0.5)
		if d <= time.Second {
			t.Fatalf("Backoff(%d) = %s", try, d)
		}
		clk.Advance(d - time.Second)
		runOnce(t, s)
		if hits() != try {
			t.Fatalf("retried %s before the backoff of try %d (%s)", time.Second, try, d)
		}
		if m := metrics(t, db, clk.Now()); m.Queued != 1 || m.Dead != 0 {
			t.Fatalf("after try %d metrics = %+v, want 1 queued", try, m)
		}
		clk.Advance(time.Second)
		runOnce(t, s)
		if hits() != try+1 {
			t.Fatalf("not retried at the end of the backoff of try %d (%s): %d requests", try, d, hits())
		}
	}
	if m := metrics(t, db, clk.Now()); m.Queued != 0 || m.Dead != 1 || m.Sent != 0 {
		t.Fatalf("after %d tries metrics = %+v, want 1 dead", cfg.MaxTries, m)
	}
	g.Status.Store(http.StatusOK)
	clk.Advance(24 * time.Hour)
	runOnce(t, s)
	if hits() != 3 {
		t.Errorf("a dead letter was tried again: %d requests", hits())
	}
}

// TestRetryThenSent: a 5xx, then a timeout, then the gateway accepts.
func TestRetryThenSent(t *testing.T) {
	db, _ := openStore(t)
	g, srv := newGateway(t)
	clk := clock.NewFake(t0)
	s := sender(db, notify.Config{}, srv.URL, clk)
	s.Timeout = 100 * time.Millisecond
	enqueue(t, db, t0, phoneNotice("ticket/T1/near", notify.TicketNear, t0))

	g.Status.Store(http.StatusBadGateway)
	runOnce(t, s)
	release := make(chan struct{})
	g.Status.Store(http.StatusOK)
	g.setStall(func(*http.Request, string) { <-release })
	clk.Advance(time.Hour)
	if n := runOnce(t, s); n != 0 {
		t.Fatalf("a timed-out delivery counted as delivered")
	}
	close(release)
	g.setStall(nil)
	if m := metrics(t, db, clk.Now()); m.Queued != 1 || m.Dead != 0 {
		t.Fatalf("after a 502 and a timeout metrics = %+v, want 1 queued", m)
	}
	clk.Advance(time.Hour)
	if n := runOnce(t, s); n != 1 {
		t.Fatalf("delivered %d after the gateway recovered", n)
	}
	if m := metrics(t, db, clk.Now()); m.Queued != 0 || m.Sent != 1 {
		t.Fatalf("metrics = %+v, want 1 sent", m)
	}
}

// TestWebhook4xxDeadAtOnce: a 4xx is a permanent refusal, dead after one
// try whatever MaxTries; 408 and 429 are not.
func TestWebhook4xxDeadAtOnce(t *testing.T) {
	for _, tc := range []struct {
		status int
		dead   bool
	}{{400, true}, {403, true}, {404, true}, {422, true}, {408, false}, {429, false}, {500, false}} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			db, _ := openStore(t)
			g, srv := newGateway(t)
			g.Status.Store(int32(tc.status))
			clk := clock.NewFake(t0)
			s := sender(db, notify.Config{MaxTries: 8}, srv.URL, clk)
			enqueue(t, db, t0, phoneNotice("ticket/T1/called/1", notify.TicketCalled, t0))
			runOnce(t, s)
			m := metrics(t, db, t0)
			if dead := m.Dead == 1 && m.Queued == 0; dead != tc.dead {
				t.Fatalf("after one %d metrics = %+v, want dead %v", tc.status, m, tc.dead)
			}
			clk.Advance(48 * time.Hour)
			runOnce(t, s)
			if hits, _, _ := g.counts(); tc.dead && hits != 1 {
				t.Errorf("a message refused with %d was tried %d times", tc.status, hits)
			}
		})
	}
}

// TestNoChannel: a message whose channel the server lacks fails a try,
// stays queued (the server may come back with the channel), and dies
// after MaxTries like any failure.
func TestNoChannel(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	s := &outbox.Sender{Store: db, Config: notify.Config{MaxTries: 2}, Now: clk.Now, Zone: inHanoi, Log: quiet}
	enqueue(t, db, t0, phoneNotice("ticket/T1/near", notify.TicketNear, t0))
	runOnce(t, s)
	if m := metrics(t, db, t0); m.Queued != 1 || m.Dead != 0 {
		t.Fatalf("metrics = %+v, want 1 queued", m)
	}
	clk.Advance(time.Hour)
	runOnce(t, s)
	if m := metrics(t, db, clk.Now()); m.Queued != 0 || m.Dead != 1 {
		t.Fatalf("metrics = %+v, want 1 dead", m)
	}
}

// TestStopIsNotATry: a sender stopped during a delivery counts no try
// (MaxTries 1 would make it dead) and leaves the message for after the
// lease.
func TestStopIsNotATry(t *testing.T) {
	db, _ := openStore(t)
	g, srv := newGateway(t)
	clk := clock.NewFake(t0)
	s := sender(db, notify.Config{MaxTries: 1}, srv.URL, clk)
	enqueue(t, db, t0, phoneNotice("ticket/T1/called/1", notify.TicketCalled, t0))
	rctx, cancel := context.WithCancel(ctx)
	arrived, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	g.setStall(func(*http.Request, string) { close(arrived); <-release })
	done := make(chan error, 1)
	go func() { _, err := s.RunOnce(rctx); done <- err }()
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("the delivery never reached the gateway")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("RunOnce = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("RunOnce did not stop with its context")
	}
	if m := metrics(t, db, t0); m.Queued != 1 || m.Dead != 0 || m.Sent != 0 {
		t.Fatalf("metrics = %+v, want 1 queued", m)
	}
	g.setStall(nil)
	clk.Advance(outbox.DefaultLease - time.Second)
	if n := runOnce(t, s); n != 0 {
		t.Fatal("a leased message was claimed again before its lease ended")
	}
	clk.Advance(time.Second)
	if n := runOnce(t, s); n != 1 {
		t.Fatal("the message was not delivered after its lease")
	}
}

// TestSMSText: an SMS carries notify.SMSText with the item's link and
// the unsubscribe link made absolute, in the subscriber's language, its
// dates in the office's zone, and unaccented when configured.
func TestSMSText(t *testing.T) {
	for _, unaccented := range []bool{false, true} {
		db, _ := openStore(t)
		g, srv := newGateway(t)
		clk := clock.NewFake(t0)
		s := sender(db, notify.Config{SMSUnaccented: unaccented}, srv.URL, clk)
		item := notify.Item{Type: notify.ItemDossier, ID: "HS-2026-000123", Office: "hoankiem"}
		sub, err := db.Subscribe(ctx, notify.Subscription{Item: item, Channel: notify.SMS, Lang: "en", Phone: "+84912345678", Link: "/hs/HS-2026-000123?k=s3cr3t"})
		if err != nil {
			t.Fatal(err)
		}
		// The new date is 01:00 on 1 December in Hà Nội, still 30
		// November in UTC: the text says the office's day.
		n := notify.Notice{Key: "dossier/HS-2026-000123/event/1", Kind: notify.DossierLate, Item: item, At: t0,
			Params: map[string]string{"code": "HS-2026-000123", "procedure": "Đăng ký khai sinh", "new_due": "2026-11-30T18:00:00Z"}}
		enqueue(t, db, t0, n)
		if got := runOnce(t, s); got != 1 {
			t.Fatalf("delivered %d", got)
		}
		bodies := g.accepted()
		if len(bodies) != 1 {
			t.Fatalf("the gateway got %d messages", len(bodies))
		}
		want := notify.SMSText(n.InZone(hanoi), "en", "https://luot.example.gov.vn/hs/HS-2026-000123?k=s3cr3t", "https://luot.example.gov.vn/u/"+sub.Token, unaccented)
		b := bodies[0]
		if !strings.Contains(b.Text, "01/12/2026") {
			t.Errorf("the text %q does not say the new date in Hà Nội (01/12/2026)", b.Text)
		}
		if b.Text != want || b.Phone != "+84912345678" || b.Kind != notify.DossierLate || b.Key != webhook.Key(notify.Message{Notice: n, Sub: sub}) {
			t.Errorf("unaccented %v: the gateway got %+v, want text %q", unaccented, b, want)
		}
	}
}

// TestSMSChannel: the modem's route gets the phone and the whole text.
func TestSMSChannel(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	type sms struct{ phone, text string }
	var got []sms
	s := &outbox.Sender{Store: db, Now: clk.Now, Zone: inHanoi, Log: quiet,
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.SMSChannel{Sender: func(_ context.Context, phone, text string) error {
			got = append(got, sms{phone, text})
			return nil
		}}}, Workers: 1}
	n := phoneNotice("phone-code/r2", notify.PhoneCode, t0)
	enqueue(t, db, t0, n)
	runOnce(t, s)
	want := []sms{{"+84901234567", notify.SMSText(n, "vi", "/t/T1?k=abc", "", false)}}
	if !slices.Equal(got, want) {
		t.Errorf("the modem got %q, want %q", got, want)
	}
}

// TestIsPermanent: what dead-letters at once.
func TestIsPermanent(t *testing.T) {
	temp := errors.New("timeout")
	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"nil":                    {nil, false},
		"plain":                  {temp, false},
		"Permanent":              {outbox.Permanent(temp), true},
		"wrapped Permanent":      {fmt.Errorf("sending: %w", outbox.Permanent(temp)), true},
		"ErrGone":                {fmt.Errorf("push: %w", outbox.ErrGone), true},
		"webhook 400":            {&webhook.StatusError{Status: 400}, true},
		"webhook 503":            {fmt.Errorf("x: %w", &webhook.StatusError{Status: 503}), false},
		"webhook 429":            {&webhook.StatusError{Status: 429}, false},
		"push 403":               {&webpush.StatusError{Status: 403}, true},
		"push 500":               {&webpush.StatusError{Status: 500}, false},
		"joined, one permanent":  {errors.Join(temp, outbox.Permanent(temp)), true},
		"joined, none permanent": {errors.Join(temp, temp), false},
	} {
		if got := outbox.IsPermanent(tc.err); got != tc.want {
			t.Errorf("%s: IsPermanent = %v, want %v", name, got, tc.want)
		}
	}
	if outbox.Permanent(nil) != nil {
		t.Error("Permanent(nil) is not nil")
	}
	if !errors.Is(outbox.Permanent(temp), temp) {
		t.Error("Permanent hides its cause from errors.Is")
	}
}

// TestBadSender: a sender without its parts, or with a lease shorter
// than a delivery, refuses to run and claims nothing.
func TestBadSender(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	enqueue(t, db, t0, phoneNotice("ticket/T1/near", notify.TicketNear, t0))
	for name, s := range map[string]*outbox.Sender{
		"no store":       {Now: clk.Now},
		"no clock":       {Store: db},
		"short lease":    {Store: db, Now: clk.Now, Lease: time.Second, Timeout: 5 * time.Second},
		"bad quiet time": {Store: db, Now: clk.Now, Config: notify.Config{QuietFrom: "25:00", QuietTo: "07:00"}},
	} {
		if _, err := s.RunOnce(ctx); err == nil {
			t.Errorf("%s: RunOnce ran", name)
		}
	}
	if m := metrics(t, db, t0); m.Queued != 1 {
		t.Fatalf("metrics = %+v: a refused sender claimed", m)
	}
	// Claimed, the message would be leased: a good sender gets it now.
	s := &outbox.Sender{Store: db, Now: clk.Now, Zone: inHanoi, Log: quiet, Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.SMSChannel{Sender: func(context.Context, string, string) error { return nil }}}}
	if n := runOnce(t, s); n != 1 {
		t.Fatalf("delivered %d after the refusals, want 1", n)
	}
}

// TestSlowChannelKeepsToTheLease: when deliveries are slow, none starts
// that could end after the lease; the rest are claimed again after it.
func TestSlowChannelKeepsToTheLease(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	var sent []string
	s := &outbox.Sender{Store: db, Now: clk.Now, Zone: inHanoi, Log: quiet, Workers: 1,
		Timeout: 30 * time.Second, Lease: 2 * time.Minute,
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.SMSChannel{Sender: func(_ context.Context, _, text string) error {
			sent = append(sent, text)
			clk.Advance(35 * time.Second) // each delivery takes 35 s
			return nil
		}}}}
	for i := range 5 {
		enqueue(t, db, t0, phoneNotice(fmt.Sprintf("phone-code/s%d", i), notify.PhoneCode, t0))
	}
	// Started at 0 s, 35 s and 70 s; the next would start at 105 s,
	// past lease − timeout (90 s).
	if n := runOnce(t, s); n != 3 {
		t.Fatalf("delivered %d in the first round, want 3", n)
	}
	if n := runOnce(t, s); n != 0 {
		t.Fatalf("delivered %d before the first round's lease ended", n)
	}
	clk.Set(t0.Add(2 * time.Minute))
	if n := runOnce(t, s); n != 2 {
		t.Fatalf("delivered %d after the lease, want the 2 left", n)
	}
	if len(sent) != 5 {
		t.Errorf("%d deliveries, want 5", len(sent))
	}
}

// TestRun: Run delivers in rounds back to back while they come back full
// (5 messages, batches of 2, an interval of an hour), logs the outbox's
// figures, and stops with its context.
func TestRun(t *testing.T) {
	db, _ := openStore(t)
	g, srv := newGateway(t)
	clk := clock.NewFake(t0)
	s := sender(db, notify.Config{}, srv.URL, clk)
	s.Batch = 2
	var log syncBuffer
	s.Log = slog.New(slog.NewTextHandler(&log, nil))
	for i := range 5 {
		enqueue(t, db, t0, phoneNotice(fmt.Sprintf("phone-code/r%d", i), notify.PhoneCode, t0))
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.Run(rctx, time.Hour); close(done) }()
	deadline := time.After(30 * time.Second)
	for {
		if _, keys, _ := g.counts(); len(keys) == 5 {
			break
		}
		select {
		case <-deadline:
			cancel()
			t.Fatal("Run did not deliver the 5 messages in rounds back to back")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
	if !strings.Contains(log.String(), "msg=outbox queued=3 sent=2 dead=0") {
		t.Errorf("the first round's figures are not in the log:\n%s", log.String())
	}
}

// syncBuffer is a log written by the sender's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestReasonWithoutPhone: a channel's error that names the phone (the
// modem's do) is kept on the message and logged with the phone masked.
func TestReasonWithoutPhone(t *testing.T) {
	db, _ := openStore(t)
	clk := clock.NewFake(t0)
	var log bytes.Buffer
	s := &outbox.Sender{Store: db, Now: clk.Now, Zone: inHanoi, Log: slog.New(slog.NewTextHandler(&log, nil)),
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.SMSChannel{Sender: func(_ context.Context, phone, _ string) error {
			return fmt.Errorf("modem: phone %q (%s): the network did not answer", phone, strings.TrimPrefix(phone, "+"))
		}}}, Workers: 1}
	enqueue(t, db, t0, phoneNotice("ticket/T1/near", notify.TicketNear, t0))
	runOnce(t, s)
	ms, err := db.Claim(ctx, clk.Now().Add(24*time.Hour), time.Minute, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("claim: %d messages, %v", len(ms), err)
	}
	if r := ms[0].LastError; strings.Contains(r, "901234567") || !strings.Contains(r, "…567") {
		t.Errorf("the kept reason %q names the phone (or lost its masked end)", r)
	}
	if strings.Contains(log.String(), "901234567") || !strings.Contains(log.String(), "…567") {
		t.Errorf("the log names the phone: %s", log.String())
	}
}
