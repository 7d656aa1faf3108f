package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"luot/internal/browsertest"
	"luot/server/api"
	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

// updateTracking makes TestBrowserCitizen save the 390×844 screenshots of
// the tracking page: go test ./server/web -run BrowserCitizen -update-tracking-screenshot
var updateTracking = flag.Bool("update-tracking-screenshot", false, "save docs/screenshots/tracking*.png")

// citClock is a fake clock that moves only when told.
type citClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *citClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *citClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// citEnv is the real API and pages on a temporary SQLite file, one office
// "hcm-q1" open around the clock, a kiosk key and a clerk nv1 (PIN 1234).
type citEnv struct {
	srv   *httptest.Server
	db    *store.DB
	eng   *engine.Engine
	clock *citClock
	kiosk string
}

func newCitEnv(t *testing.T) *citEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "luot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &citClock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
	o := queue.Office{
		ID: "hcm-q1", Name: "Bộ phận Một cửa Quận 1", NameEN: "District 1 One-Stop Shop",
		Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{
			{ID: "xay-dung", Name: "Cấp phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 10, SlotMinutes: 30, SlotCapacity: 2, Active: true},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "B", DefaultMinutes: 5, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "xay-dung", OffsetMinutes: 10}}},
		},
	}
	if err := db.CreateOffice(ctx, o, clk.Now()); err != nil {
		t.Fatal(err)
	}
	pin, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	if err := db.PutStaff(ctx, queue.Staff{ID: "nv1", Office: o.ID, Name: "Nhân viên 1", Role: queue.RoleClerk}, pin); err != nil {
		t.Fatal(err)
	}
	key := "kiosk-key-" + engine.NewToken()
	if err := db.PutDevice(ctx, queue.Device{ID: "k1", Office: o.ID, Name: "k1", Kind: queue.DeviceKiosk}, sha(key)); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := hub.New(0)
	eng := engine.New(db, h, clk.Now, log)
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := api.New(api.Config{Engine: eng, Store: db, Hub: h, Now: clk.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := New(Config{Engine: eng, DB: db, Hub: h, Now: clk.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.Handle("/", pages)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { h.Close(); srv.Close() })
	return &citEnv{srv: srv, db: db, eng: eng, clock: clk, kiosk: key}
}

// call makes an API request and decodes the answer into out (if not nil).
func (e *citEnv) call(t *testing.T, method, path string, hdr map[string]string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	r, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *citEnv) clerk(t *testing.T) string {
	t.Helper()
	var s struct{ Token string }
	e.call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": "hcm-q1", "counter": "q2", "staff": "nv1", "pin": "1234"}, 201, &s)
	e.call(t, "POST", "/api/v1/counters/q2/open", map[string]string{"Authorization": "Bearer " + s.Token}, nil, 200, nil)
	return s.Token
}

func citWait(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var err error
	for {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil || !(strings.Contains(err.Error(), "navigated") || strings.Contains(err.Error(), "Cannot find context")) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 800) : ""`))
		t.Fatalf("%s: %v (waited for %s)\npage: %s", what, err, expr, text)
	}
}

func citDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func citShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !*updateTracking {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserCitizenTrack: take a number on the phone page, watch the
// tracking page follow the clerk's calls live until "Mời bạn đến quầy 2",
// then rate the service.
func TestBrowserCitizenTrack(t *testing.T) {
	e := newCitEnv(t)
	for range 2 {
		e.call(t, "POST", "/api/v1/offices/hcm-q1/tickets", map[string]string{"X-Device-Key": e.kiosk}, map[string]string{"service": "ho-tich"}, 201, nil)
	}
	ctx := browsertest.New(t, 2*time.Minute)
	citDo(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(e.srv.URL+"/"))
	citWait(t, ctx, "service list", `!!document.querySelector('[data-service="ho-tich"]')`)
	citDo(t, ctx,
		chromedp.Click(`[data-service="ho-tich"]`),
		chromedp.SendKeys(`#name`, "Nguyễn Thị Ánh"),
		chromedp.SendKeys(`#phone`, "0912 345 678"),
		chromedp.Click(`#take`),
	)
	citWait(t, ctx, "number given", `document.querySelector('#number').textContent === "B003"`)
	citWait(t, ctx, "QR shown", `document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0`)
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#track').href`))
	if err != nil || !strings.Contains(href, "/t/") || !strings.Contains(href, "token=") {
		t.Fatalf("tracking link %q %v", href, err)
	}
	citDo(t, ctx, chromedp.Navigate(href))
	citWait(t, ctx, "two ahead", `document.querySelector('#ahead').textContent === "2" && document.querySelector('#eta-at').textContent.includes(":")`)
	citWait(t, ctx, "live", `!document.querySelector('#live').classList.contains('polling')`)
	citWait(t, ctx, "counters", `document.querySelectorAll('#counters li').length === 1`)

	tok := e.clerk(t)
	auth := map[string]string{"Authorization": "Bearer " + tok}
	e.call(t, "POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	citWait(t, ctx, "one ahead after a call", `document.querySelector('#ahead').textContent === "1" && document.querySelector('#counters li b').textContent === "B001"`)
	e.clock.Add(4 * time.Minute)
	e.call(t, "POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	citWait(t, ctx, "nobody ahead", `document.querySelector('#ahead').textContent === "0"`)
	citShot(t, ctx, "tracking.png")
	e.clock.Add(5 * time.Minute)
	e.call(t, "POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	citWait(t, ctx, "called", `!document.querySelector('#called').hidden && document.querySelector('#called').textContent === "Mời bạn đến quầy 2"`)
	citShot(t, ctx, "tracking-called.png")
	// The English switch.
	citDo(t, ctx, chromedp.Click(`#lang`))
	citWait(t, ctx, "English", `document.querySelector('#called').textContent === "Please go to counter 2"`)
	citDo(t, ctx, chromedp.Click(`#lang`))

	e.clock.Add(6 * time.Minute)
	e.call(t, "POST", "/api/v1/counters/q2/done", auth, nil, 200, nil)
	citWait(t, ctx, "rating form", `!document.querySelector('#rating').hidden`)
	citDo(t, ctx,
		chromedp.Click(`input[name="score"][value="4"]`),
		chromedp.SendKeys(`#comment`, "Cán bộ nhiệt tình"),
		chromedp.Click(`#rate`),
	)
	citWait(t, ctx, "thanks", `!document.querySelector('#thanks').hidden`)
	id := strings.TrimPrefix(strings.Split(href, "?")[0], e.srv.URL+"/t/")
	r, err := e.db.RatingOf(context.Background(), id)
	if err != nil || r == nil || r.Score != 4 || r.Comment != "Cán bộ nhiệt tình" || r.Counter != "q2" || r.Staff != "nv1" {
		t.Fatalf("stored rating %+v %v", r, err)
	}
}

// TestBrowserCitizenBooking: book on the page, see the code and QR, cancel
// it on the cancel page; then book and check in through the API and follow
// the ticket.
func TestBrowserCitizenBooking(t *testing.T) {
	e := newCitEnv(t)
	ctx := browsertest.New(t, 2*time.Minute)
	citDo(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/o/hcm-q1/book"))
	citWait(t, ctx, "slots", `document.querySelectorAll('#slots button').length > 0 && document.querySelectorAll('#service option').length === 1`)
	first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#slots button').dataset.slot`))
	citDo(t, ctx,
		chromedp.Click(`#slots button`),
		chromedp.SendKeys(`#name`, "Trần Văn Bình"),
		chromedp.SendKeys(`#phone`, "0987654321"),
		chromedp.Click(`#submit`),
	)
	citWait(t, ctx, "confirmation", `location.pathname.startsWith("/b/") && document.querySelector('#code').textContent.length === 6`)
	code, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#code').textContent`))
	citWait(t, ctx, "QR", `document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0`)
	when, _ := chromedp.Run(ctx, chromedp.Text(`#when`))
	if !strings.HasPrefix(when, first) {
		t.Fatalf("confirmation says %q, booked %s", when, first)
	}
	b, err := e.db.Booking(context.Background(), code)
	if err != nil || b.Status != queue.BookingBooked || b.Phone != "+84987654321" || b.Name != "Trần Văn Bình" {
		t.Fatalf("stored booking %+v %v", b, err)
	}

	citDo(t, ctx, chromedp.Navigate(e.srv.URL+"/cancel"),
		chromedp.SendKeys(`#code`, strings.ToLower(code)),
		chromedp.SendKeys(`#phone`, "+84 987 654 321"),
		chromedp.Click(`#submit`),
	)
	citWait(t, ctx, "cancelled", `!document.querySelector('#ok').hidden`)
	if b, _ := e.db.Booking(context.Background(), code); b.Status != queue.BookingCancelled {
		t.Fatalf("booking not cancelled: %+v", b)
	}

	// Book and check in through the API, then follow the ticket.
	var bk struct{ Booking api.BookingJSON }
	e.call(t, "POST", "/api/v1/offices/hcm-q1/bookings", nil, map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "08:30", "name": "Lê C", "phone": "0911111111"}, 201, &bk)
	var tk struct{ Ticket api.TicketJSON }
	e.call(t, "POST", "/api/v1/offices/hcm-q1/checkins", map[string]string{"X-Device-Key": e.kiosk}, map[string]string{"code": bk.Booking.Code}, 201, &tk)
	if tk.Ticket.Source != queue.SourceBooking {
		t.Fatalf("check-in ticket %+v", tk.Ticket)
	}
	citDo(t, ctx, chromedp.Navigate(e.srv.URL+tk.Ticket.TrackURL))
	citWait(t, ctx, "tracking the booked ticket", `document.querySelector('#number').textContent === "`+tk.Ticket.Number+`" && document.querySelector('#ahead').textContent === "0"`)
}

// sha is how the store finds a device by its key.
func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
