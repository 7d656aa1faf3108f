package outbox_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/server/notify"
	"luot/server/outbox"
	"luot/server/queue"
	"luot/server/store"
	"luot/server/webhook"
)

var ctx = context.Background()

// hanoi is the office's zone (fixed: no tz database needed).
var hanoi = time.FixedZone("ICT", 7*3600)

func inHanoi(string) *time.Location { return hanoi }

// quiet drops the sender's log (the tests check the outbox itself).
var quiet = slog.New(slog.DiscardHandler)

// t0 is 10:00 in Hà Nội, outside the quiet hours.
var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, hanoi)

// secret signs the test gateway's requests.
var secret = []byte("khoá bí mật của cổng tin nhắn")

func openStore(t testing.TB) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "luot.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o := queue.Office{
		ID: "hoankiem", Name: "Bộ phận một cửa phường Hoàn Kiếm", NameEN: "Hoan Kiem ward one-stop shop",
		Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "B", DefaultMinutes: 5, Active: true}},
		Counters: []queue.Counter{{ID: "q3", Number: 3, Name: "Quầy 3", Services: []queue.CounterService{{Service: "ho-tich"}}}},
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateOffice(ctx, o, t0); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// phoneNotice is a notice sent by SMS to a phone, with every parameter a
// kind may use.
func phoneNotice(key string, kind notify.Kind, at time.Time) notify.Notice {
	return notify.Notice{
		Key: key, Kind: kind, At: at,
		Item:   notify.Item{Type: notify.ItemTicket, ID: "T1", Office: "hoankiem"},
		Params: map[string]string{"number": "1005", "counter": "3", "ahead": "3", "code": "482913", "link": "/t/T1?k=abc"},
		Phone:  "+84901234567", Lang: "vi",
	}
}

func enqueue(t testing.TB, db notify.Store, now time.Time, ns ...notify.Notice) {
	t.Helper()
	if err := db.Enqueue(ctx, ns, now); err != nil {
		t.Fatal(err)
	}
}

func metrics(t testing.TB, db notify.Store, now time.Time) notify.Metrics {
	t.Helper()
	m, err := db.OutboxMetrics(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// gateway is a local SMS gateway: it checks each request's signature and
// records the keys it received and those it accepted (answered 2xx to a
// sender still listening), answering Status (200 when 0).
type gateway struct {
	Status atomic.Int32
	mu     sync.Mutex
	// stall, when set, is called before the answer with the request and
	// its key; it may block (a request whose sender is gone meanwhile is
	// not accepted).
	stall    func(r *http.Request, key string)
	received map[string]int
	keys     map[string]int
	bodies   []webhook.Body
	hits     int
	badSigs  int
}

func newGateway(t testing.TB) (*gateway, *httptest.Server) {
	g := &gateway{keys: map[string]int{}, received: map[string]int{}}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var b webhook.Body
	if err == nil {
		err = json.Unmarshal(body, &b)
	}
	ok := err == nil && webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader)) && r.Header.Get("Idempotency-Key") == b.Key
	status := int(g.Status.Load())
	if status == 0 {
		status = http.StatusOK
	}
	g.mu.Lock()
	g.hits++
	if ok {
		g.received[b.Key]++
	}
	stall := g.stall
	g.mu.Unlock()
	if stall != nil && ok {
		stall(r, b.Key)
	}
	g.mu.Lock()
	if !ok {
		g.badSigs++
		status = http.StatusUnauthorized
	} else if status/100 == 2 && r.Context().Err() == nil {
		g.keys[b.Key]++
		g.bodies = append(g.bodies, b)
	}
	g.mu.Unlock()
	w.WriteHeader(status)
}

// setStall sets the function called before each answer (nil: none).
func (g *gateway) setStall(f func(r *http.Request, key string)) {
	g.mu.Lock()
	g.stall = f
	g.mu.Unlock()
}

// counts returns the requests, the accepted keys and the bad signatures.
func (g *gateway) counts() (hits int, keys map[string]int, bad int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.hits, maps.Clone(g.keys), g.badSigs
}

// receivedKeys returns how many times each key was received, accepted
// or not.
func (g *gateway) receivedKeys() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.received)
}

func (g *gateway) accepted() []webhook.Body {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]webhook.Body(nil), g.bodies...)
}

// sender is a sender on db delivering SMS to the gateway at url, on clk,
// in Hà Nội.
func sender(db notify.Store, cfg notify.Config, url string, clk *clock.Fake) *outbox.Sender {
	return &outbox.Sender{
		Store:    db,
		Config:   cfg,
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.WebhookChannel{Client: &webhook.Client{URL: url, Secret: secret}}},
		Now:      clk.Now,
		Zone:     inHanoi,
		Log:      quiet,
		BaseURL:  "https://luot.example.gov.vn",
	}
}

func runOnce(t testing.TB, s *outbox.Sender) int {
	t.Helper()
	n, err := s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
