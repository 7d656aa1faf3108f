package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"luot/internal/clock"
	"luot/internal/random"
	"luot/server/auth"
	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/servertest/backend"
	"luot/server/store"
)

// wait bounds every wait on a channel or a socket in these tests.
const wait = 10 * time.Second

// start is a Friday morning in Hồ Chí Minh City.
var start = backend.Start

// env is a running API on a real SQLite file.
type env struct {
	t     *testing.T
	db    *store.DB
	eng   *engine.Engine
	hub   *hub.Hub
	clock *clock.Fake
	api   *Server
	srv   *httptest.Server
	// keys are the device keys: kiosk1…kiosk8, display.
	keys map[string]string
	// pub, when set, sees every event before the hub does.
	pubHook func(office string, seq int64)
}

// hookPub forwards to the hub after calling the env's hook (an engine
// made again by restart publishes through it).
type hookPub struct{ e *env }

func (p hookPub) Publish(office string, seq int64, msg, staff []byte) {
	if p.e.pubHook != nil {
		p.e.pubHook(office, seq)
	}
	p.e.hub.Publish(office, seq, msg, staff)
}

func testOffice() queue.Office {
	return queue.Office{
		ID: "hcm-q1", Name: "Bộ phận Một cửa Quận 1", NameEN: "District 1 One-Stop Shop",
		Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{
			{ID: "xay-dung", Name: "Cấp phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 10, Active: true},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "B", DefaultMinutes: 5, Active: true},
			{ID: "chung-thuc", Name: "Chứng thực bản sao", NameEN: "Certified copies", Prefix: "C", DefaultMinutes: 3, Active: true},
			{ID: "dat-dai", Name: "Đất đai", NameEN: "Land", Prefix: "D", DefaultMinutes: 15, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "ho-tich", OffsetMinutes: 10}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "chung-thuc", OffsetMinutes: 5}}},
			{ID: "q3", Number: 3, Name: "Quầy 3", Services: []queue.CounterService{{Service: "chung-thuc"}, {Service: "xay-dung", OffsetMinutes: 5}}},
			{ID: "q4", Number: 4, Name: "Quầy 4", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "chung-thuc"}, {Service: "xay-dung"}}},
		},
	}
}

// envOpt changes the API's configuration, or the backend's.
type envOpt func(*Config, *backend.Config)

func withHubBuffer(n int) envOpt { return func(_ *Config, b *backend.Config) { b.HubBuffer = n } }
func withConfig(f func(*Config)) envOpt {
	return func(c *Config, _ *backend.Config) { f(c) }
}

// withDatabase runs the env on the empty PostgreSQL database at url
// (pgtest's) instead of a SQLite file.
func withDatabase(url string) envOpt {
	return func(_ *Config, b *backend.Config) { b.DatabaseURL = url }
}

// newEnv is the API on servertest/backend (this package's own tests
// cannot import servertest, which imports it): the office hcm-q1 with
// clerks nv1…nv4, an admin, a disabled clerk "off", kiosks kiosk1…kiosk8
// and a display; beside it the office hn-bd with its clerk nv1 and kiosk
// kiosk-hn. All PINs are 1234.
func newEnv(t testing.TB, opts ...envOpt) *env {
	tt, _ := t.(*testing.T)
	cfg := Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: "https://luot.example.vn"}
	var bc backend.Config
	for _, f := range opts {
		f(&cfg, &bc)
	}
	o := testOffice()
	other := testOffice()
	other.ID, other.Name = "hn-bd", "Bộ phận Một cửa Ba Đình"
	staff := backend.Clerks(4)
	staff = append(staff,
		queue.Staff{ID: "admin", Office: o.ID, Name: "Quản trị", Role: queue.RoleAdmin},
		queue.Staff{ID: "nv1", Office: other.ID, Name: "Nhân viên Hà Nội", Role: queue.RoleClerk},
		queue.Staff{ID: "off", Office: o.ID, Name: "Nghỉ việc", Role: queue.RoleClerk, Disabled: true},
	)
	var devices []backend.Device
	device := func(id, office string, kind queue.DeviceKind) {
		devices = append(devices, backend.Device{Device: queue.Device{ID: id, Office: office, Name: id, Kind: kind}, Key: "key-" + id + "-" + random.Token()})
	}
	for i := 1; i <= 8; i++ {
		device(fmt.Sprintf("kiosk%d", i), o.ID, queue.DeviceKiosk)
	}
	device("display", o.ID, queue.DeviceDisplay)
	device("kiosk-hn", other.ID, queue.DeviceKiosk)
	e := &env{t: tt}
	bc.Office, bc.Others, bc.Staff, bc.Devices = o, []queue.Office{other}, staff, devices
	bc.Start, bc.Log = start, cfg.Log
	bc.PublishHook = func(office string, seq int64) {
		if e.pubHook != nil {
			e.pubHook(office, seq)
		}
	}
	b := backend.New(t, bc)
	e.db, e.eng, e.hub, e.clock, e.keys = b.DB, b.Engine, b.Hub, b.Clock, b.Keys
	cfg.Store, cfg.Now, cfg.Engine, cfg.Hub = e.db, e.clock.Now, e.eng, e.hub
	var err error
	if e.api, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(e.api)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) addDevice(id, office string, kind queue.DeviceKind) {
	key := "key-" + id + "-" + random.Token()
	if err := e.db.PutDevice(context.Background(), queue.Device{ID: id, Office: office, Name: id, Kind: kind}, auth.Hash(key)); err != nil {
		panic(err)
	}
	e.keys[id] = key
}

// req is one API call.
type req struct {
	method, path string
	body         any    // marshalled to JSON unless a string or []byte (sent as is)
	ctype        string // Content-Type; application/json when a body is given
	device       string // device id whose key to send
	token        string // bearer token
	header       map[string]string
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r resp) errCode(t testing.TB) string {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(r.body, &b); err != nil || b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("status %d: body is not a JSON error: %s", r.status, r.body)
	}
	return b.Error.Code
}

func (e *env) do(t testing.TB, q req) resp {
	t.Helper()
	var body io.Reader
	ctype := q.ctype
	switch b := q.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	if body != nil && ctype == "" {
		ctype = "application/json"
	}
	r, err := http.NewRequest(q.method, e.srv.URL+q.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if q.device != "" {
		k, ok := e.keys[q.device]
		if !ok {
			k = q.device // a literal (wrong) key
		}
		r.Header.Set("X-Device-Key", k)
	}
	if q.token != "" {
		r.Header.Set("Authorization", "Bearer "+q.token)
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	res, err := e.srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (e *env) must(t testing.TB, status int, q req) resp {
	t.Helper()
	r := e.do(t, q)
	if r.status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", q.method, q.path, r.status, status, r.body)
	}
	return r
}

const office = "hcm-q1"

func (e *env) login(t testing.TB, staff, counter string) string {
	t.Helper()
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": counter, "staff": staff, "pin": "1234"}})
	var s SessionJSON
	r.decode(t, &s)
	return s.Token
}

// clerk logs staff in at counter and opens it.
func (e *env) clerk(t testing.TB, staff, counter string) string {
	t.Helper()
	tok := e.login(t, staff, counter)
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/" + counter + "/open", token: tok})
	return tok
}

func (e *env) issue(t testing.TB, kiosk, service string) TicketJSON {
	t.Helper()
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: kiosk, body: map[string]string{"service": service}})
	var a ticketAnswer
	r.decode(t, &a)
	return a.Ticket
}

func (e *env) seq(t testing.TB) int64 {
	t.Helper()
	v, err := e.eng.View(office)
	if err != nil {
		t.Fatal(err)
	}
	return v.Seq
}

// dial opens the event stream.
func (e *env) dial(t testing.TB, query string, hdr http.Header) *websocket.Conn {
	t.Helper()
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/offices/" + office + "/events" + query
	c, res, err := websocket.DefaultDialer.Dial(u, hdr)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", u, err, status)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// wsEvent is an event as received.
type wsEvent struct {
	Seq  int64           `json:"seq"`
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

func readEvent(t testing.TB, c *websocket.Conn) wsEvent {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var ev wsEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatalf("event %s: %v", b, err)
	}
	return ev
}
