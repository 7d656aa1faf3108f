package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/server/api"
	"luot/server/auth"
	"luot/server/engine"
	"luot/server/planning"
	"luot/server/queue"
	"luot/server/servertest/backend"
	"luot/server/store"
)

// start is a Friday morning in Hồ Chí Minh City.
var start = backend.Start

const office = "demo"

// demoOffice is a demo-like office: four services, four counters.
func demoOffice() queue.Office { return backend.DemoOffice() }

// kioskKey is the device key of every test's kiosk.
const kioskKey = "kiosk-key"

// stack is what differs between the tests' servers; newStack builds the
// rest the same way for all.
type stack struct {
	office queue.Office
	// staff are the office's people, every one with PIN 1234 (their
	// Office is filled in).
	staff []queue.Staff
	// kiosk is the office's kiosk, whose key is kioskKey (its Office and
	// Kind are filled in).
	kiosk queue.Device
	// apiCfg and webCfg, when set, change the API's and the pages'
	// configuration before they are made (the feedback reports').
	apiCfg func(*api.Config)
	webCfg func(*Config)
	// notify, when set, serves the notifications with the stack's store.
	notify *notifyOn
	// planning, when set, is stored and served as the planning look-up.
	planning *planning.Data
	// others are offices stored beside office (without staff or devices).
	others []queue.Office
	// databaseURL, when set, is an empty PostgreSQL database (pgtest's)
	// to run on instead of a SQLite file.
	databaseURL string
}

// notifyOn is how a stack serves the notifications: web push with this
// application server key ("": no push), and SMS or not.
type notifyOn struct {
	pushKey string
	sms     bool
}

// env is the real API and pages on a temporary SQLite file, routed as
// server/main.go routes them, on a clock that moves only when told.
type env struct {
	t        testing.TB
	officeID string
	db       *store.DB
	eng      *engine.Engine
	clock    *clock.Fake
	srv      *httptest.Server
	web      *Server
}

// newEnv is the demo office: four clerks nv1…nv4, an admin and kiosk1.
func newEnv(t testing.TB) *env {
	t.Helper()
	return newStack(t, stack{
		office: demoOffice(),
		staff:  append(clerks(4), queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin}),
		kiosk:  queue.Device{ID: "kiosk1", Name: "Kiosk sảnh"},
	})
}

// clerks are nv1…nvN, clerks named "Nhân viên N".
func clerks(n int) []queue.Staff { return backend.Clerks(n) }

// newStack stores s in a new SQLite file and serves it through the real
// engine, hub, API and pages (servertest/backend, with the API and the
// pages mounted as servertest mounts them; this package's own tests cannot
// import servertest, which imports it), all on a clock that starts at
// start. The server's warnings go to the test's log.
func newStack(t testing.TB, s stack) *env {
	t.Helper()
	k := s.kiosk
	k.Office, k.Kind = s.office.ID, queue.DeviceKiosk
	log := backend.TestLog(t)
	b := backend.New(t, backend.Config{
		Office: s.office, Others: s.others, Staff: s.staff, Devices: []backend.Device{{Device: k, Key: kioskKey}},
		Start: start, Log: log, DatabaseURL: s.databaseURL,
	})
	db, h, clk, eng := b.DB, b.Hub, b.Clock, b.Engine
	acfg := api.Config{Engine: eng, Store: db, Hub: h, Now: clk.Now, Log: log}
	if s.notify != nil {
		acfg.Notify, acfg.PushKey, acfg.SMS = db, s.notify.pushKey, s.notify.sms
	}
	var plan *api.Planning
	if s.planning != nil {
		d := *s.planning
		if err := db.ReplaceZones(context.Background(), d.Zones, d.ZonesInfo); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceParcels(context.Background(), d.Parcels, d.ParcelInfo); err != nil {
			t.Fatal(err)
		}
		var err error
		if plan, err = api.NewPlanning(db, d); err != nil {
			t.Fatal(err)
		}
		acfg.Planning = plan
	}
	if s.apiCfg != nil {
		s.apiCfg(&acfg)
	}
	a, err := api.New(acfg)
	if err != nil {
		t.Fatal(err)
	}
	wcfg := Config{Engine: eng, DB: db, Hub: h, Now: clk.Now, Log: log}
	if plan != nil {
		wcfg.Planning = plan
	}
	if s.notify != nil {
		wcfg.Notify, wcfg.SMS = db, s.notify.sms
	}
	if s.webCfg != nil {
		s.webCfg(&wcfg)
	}
	w, err := New(wcfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.Handle("/", w)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, officeID: s.office.ID, db: db, eng: eng, clock: clk, srv: srv, web: w}
}

// call sends body (when not nil) as JSON with the headers hdr, fails the
// test unless the answer is want, and decodes it into out (when not nil).
func (e *env) call(method, path string, hdr map[string]string, body any, want int, out any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
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
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		e.t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatal(err)
		}
	}
}

// bearer is the header of an API call made with a session token.
func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// login opens a session through the API and returns its token.
func (e *env) login(staff, counter string) string {
	e.t.Helper()
	var s api.SessionJSON
	e.call("POST", "/api/v1/sessions", nil, map[string]string{"office": e.officeID, "staff": staff, "counter": counter, "pin": "1234"}, 201, &s)
	return s.Token
}

// issue issues a kiosk ticket and returns its number.
func (e *env) issue(service string) string {
	e.t.Helper()
	var j struct{ Ticket struct{ Number string } }
	e.call("POST", "/api/v1/offices/"+e.officeID+"/tickets", map[string]string{"X-Device-Key": kioskKey}, map[string]string{"service": service}, 201, &j)
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
			f.Set("csrf", auth.CSRFToken(token))
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
		req.AddCookie(cookie(token))
	}
	r, err := client().Do(req)
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
		req.AddCookie(cookie(token))
		req.Header.Set(auth.CSRFHeader, auth.CSRFToken(token))
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

// cookie is the session cookie of token.
func cookie(token string) *http.Cookie { return &http.Cookie{Name: auth.SessionCookie, Value: token} }

// client is a browser's view of the forms: it does not follow redirects,
// so a test sees the 303 a form answers.
func client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
}
