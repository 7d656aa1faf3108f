package outbox_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"luot/server/notify"
	"luot/server/outbox"
	"luot/server/webhook"
)

// minRate is the floor: messages delivered a second to a local
// gateway.
const minRate = 200

// BenchmarkThroughput delivers b.N messages from a SQLite outbox to a
// local gateway (each claimed, signed, posted, marked sent on disk), and
// then posts b.N bare requests to the same gateway with the same
// concurrency: the physical limit the sender is measured against. It
// fails below 200 messages a second once b.N is large enough to say
// (run with -benchtime=2000x).
func BenchmarkThroughput(b *testing.B) {
	db, _ := openStore(b)
	g, srv := newGateway(b)
	now := time.Now()
	notices := make([]notify.Notice, b.N)
	for i := range notices {
		notices[i] = phoneNotice(fmt.Sprintf("ticket/T%d/called/1", i), notify.TicketCalled, now)
	}
	enqueue(b, db, now, notices...)
	s := &outbox.Sender{
		Store:    db,
		Now:      func() time.Time { return now },
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.WebhookChannel{Client: &webhook.Client{URL: srv.URL, Secret: secret}}},
	}

	b.ResetTimer()
	start := time.Now()
	delivered := 0
	for delivered < b.N {
		n, err := s.RunOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatalf("a round delivered nothing with %d of %d delivered", delivered, b.N)
		}
		delivered += n
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if _, keys, bad := g.counts(); len(keys) != b.N || bad != 0 {
		b.Fatalf("the gateway got %d distinct messages (%d badly signed), want %d", len(keys), bad, b.N)
	}
	rate := float64(b.N) / elapsed.Seconds()

	// The same gateway, bare POSTs of a like body, as many at once as
	// the sender's workers.
	body := []byte(`{"key":"k","kind":"ticket.called","phone":"+84901234567","text":"Mời số 1005 đến quầy 3"}`)
	next := make(chan int)
	var wg sync.WaitGroup
	rawStart := time.Now()
	for range outbox.DefaultWorkers {
		wg.Go(func() {
			for range next {
				req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
				req.Header.Set("Idempotency-Key", "k")
				req.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, body))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					continue
				}
				resp.Body.Close()
			}
		})
	}
	for i := range b.N {
		next <- i
	}
	close(next)
	wg.Wait()
	raw := float64(b.N) / time.Since(rawStart).Seconds()

	b.ReportMetric(rate, "msg/s")
	b.ReportMetric(raw, "raw-POST/s")
	b.Logf("%d messages: %.0f delivered/s through the outbox, %.0f bare POSTs/s to the same gateway", b.N, rate, raw)
	if b.N >= 1000 && rate < minRate {
		b.Errorf("%.0f messages/s, below the %d required (the gateway alone takes %.0f/s)", rate, minRate, raw)
	}
}
