package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/server/api"
	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

// clock is a fake clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// start is a Friday morning in Hồ Chí Minh City.
var start = time.Date(2026, 11, 27, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))

const office = "demo"

// demoOffice is a demo-like office: four services, four counters.
func demoOffice() queue.Office {
	return queue.Office{
		ID: office, Name: "UBND thành phố — Bộ phận Một cửa", NameEN: "City One-stop shop",
		Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Ticker: "Công dân vui lòng giữ phiếu số thứ tự.",
		Services: []queue.Service{
			{ID: "xay-dung", Name: "Cấp giấy phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 15, Active: true},
			{ID: "ho-kinh-doanh", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business", Prefix: "B", DefaultMinutes: 10, Active: true},
			{ID: "chung-thuc", Name: "Chứng thực bản sao", NameEN: "Certified copies", Prefix: "C", DefaultMinutes: 3, Active: true},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "D", DefaultMinutes: 8, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "ho-tich", OffsetMinutes: 10}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-kinh-doanh"}, {Service: "chung-thuc", OffsetMinutes: 10}}},
			{ID: "q3", Number: 3, Name: "Quầy 3", Services: []queue.CounterService{{Service: "chung-thuc"}, {Service: "ho-tich"}}},
			{ID: "q4", Number: 4, Name: "Quầy 4", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "xay-dung", OffsetMinutes: 15}}},
		},
	}
}

// env is the real API and pages on a temporary SQLite file, routed as
// server/main.go routes them.
type env struct {
	t     testing.TB
	db    *store.DB
	eng   *engine.Engine
	clock *clock
	srv   *httptest.Server
	web   *Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "luot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: start}
	if err := db.CreateOffice(ctx, demoOffice(), clk.Now()); err != nil {
		t.Fatal(err)
	}
	pin, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	for i := 1; i <= 4; i++ {
		if err := db.PutStaff(ctx, queue.Staff{ID: fmt.Sprintf("nv%d", i), Office: office, Name: fmt.Sprintf("Nhân viên %d", i), Role: queue.RoleClerk}, pin); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.PutStaff(ctx, queue.Staff{ID: "admin", Office: office, Name: "Quản trị", Role: queue.RoleAdmin}, pin); err != nil {
		t.Fatal(err)
	}
	if err := db.PutDevice(ctx, queue.Device{ID: "kiosk1", Office: office, Name: "Kiosk sảnh", Kind: queue.DeviceKiosk}, api.HashToken("kiosk-key")); err != nil {
		t.Fatal(err)
	}
	h := hub.New(0)
	t.Cleanup(h.Close)
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng := engine.New(db, h, clk.Now, log)
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := api.New(api.Config{Engine: eng, Store: db, Hub: h, Now: clk.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(Config{Engine: eng, DB: db, Hub: h, Now: clk.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.Handle("/", w)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, eng: eng, clock: clk, srv: srv, web: w}
}

// login opens a session through the API and returns its token.
func (e *env) login(staff, counter string) string {
	e.t.Helper()
	b, _ := json.Marshal(map[string]string{"office": office, "staff": staff, "counter": counter, "pin": "1234"})
	r, err := http.Post(e.srv.URL+"/api/v1/sessions", "application/json", bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	defer r.Body.Close()
	var s api.SessionJSON
	if r.StatusCode != 201 || json.NewDecoder(r.Body).Decode(&s) != nil {
		e.t.Fatalf("login %s: %s", staff, r.Status)
	}
	return s.Token
}

// issue issues a kiosk ticket and returns its number.
func (e *env) issue(service string) string {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/offices/"+office+"/tickets", strings.NewReader(`{"service":"`+service+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Device-Key", "kiosk-key")
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer r.Body.Close()
	var j struct{ Ticket struct{ Number string } }
	if r.StatusCode != 201 || json.NewDecoder(r.Body).Decode(&j) != nil {
		e.t.Fatalf("issue %s: %s", service, r.Status)
	}
	return j.Ticket.Number
}

// resp is an answer read whole.
type resp struct {
	status int
	header http.Header
	body   string
}

// do sends a request with the session cookie of token (when not empty);
// a POST carries this server's Origin, form as its body and, unless
// csrf is "-", the csrf field (the session's token when csrf is "").
func (e *env) do(method, path, token string, form url.Values, csrf string) resp {
	e.t.Helper()
	var body io.Reader
	if form != nil || method == "POST" {
		if form == nil {
			form = url.Values{}
		}
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		switch csrf {
		case "-":
		case "":
			f.Set("csrf", api.CSRFToken(token))
		default:
			f.Set("csrf", csrf)
		}
		body = strings.NewReader(f.Encode())
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.srv.URL)
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: token})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
	r, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{status: r.StatusCode, header: r.Header, body: string(b)}
}

// apiDo calls the JSON API with the session cookie and the CSRF header.
func (e *env) apiDo(method, path, token, body string) resp {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", e.srv.URL)
	if token != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: token})
		req.Header.Set(api.CSRFHeader, api.CSRFToken(token))
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{status: r.StatusCode, header: r.Header, body: string(b)}
}

func newRequest(method, u string) (*http.Request, error) { return http.NewRequest(method, u, nil) }

func cookie(token string) *http.Cookie { return &http.Cookie{Name: api.SessionCookie, Value: token} }

func client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
}

// testLog sends the server's warnings and errors to the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
