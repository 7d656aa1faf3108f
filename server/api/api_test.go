package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"luot/server/auth"
	"luot/server/queue"
)

func TestOfficeAndState(t *testing.T) {
	e := newEnv(t)
	var o OfficeJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office}).decode(t, &o)
	if o.ID != office || o.Name != "Bộ phận Một cửa Quận 1" || o.Timezone != queue.DefaultTimezone || !o.OpenNow {
		t.Fatalf("office = %+v", o)
	}
	if len(o.Services) != 4 || o.Services[0].Name != "Cấp phép xây dựng" || o.Services[0].NameEN != "Construction permits" || !o.Services[0].Served {
		t.Fatalf("services = %+v", o.Services)
	}
	if len(o.Counters) != 4 || o.Counters[0].Number != 1 || o.Counters[0].State != queue.CounterClosed || len(o.Counters[3].Services) != 3 {
		t.Fatalf("counters = %+v", o.Counters)
	}
	if len(o.Hours["mon"]) != 1 || len(o.Priority) != 4 {
		t.Fatalf("hours %v priorities %v", o.Hours, o.Priority)
	}
	e.issue(t, "kiosk1", "ho-tich")
	var s queue.Snapshot
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/state"}).decode(t, &s)
	if s.Seq != 1 || s.Waiting["ho-tich"] != 1 || s.Waiting["dat-dai"] != 0 || len(s.Counters) != 4 {
		t.Fatalf("state = %+v", s)
	}
	for _, p := range []string{"/api/v1/offices/nope", "/api/v1/offices/nope/state", "/api/v1/offices/nope/events"} {
		if code := e.must(t, 404, req{method: "GET", path: p}).errCode(t); code != "unknown_office" {
			t.Fatalf("%s: code %s", p, code)
		}
	}
	if r := e.must(t, 404, req{method: "GET", path: "/api/v1/nothing"}); r.errCode(t) != "not_found" {
		t.Fatal("unknown route is not a JSON 404")
	}
}

func TestIssueAndTrack(t *testing.T) {
	e := newEnv(t)
	t1 := e.issue(t, "kiosk1", "xay-dung")
	t2 := e.issue(t, "kiosk2", "xay-dung")
	if t1.Number != "A001" || t2.Number != "A002" || t1.Source != queue.SourceKiosk || t1.Status != queue.StatusWaiting {
		t.Fatalf("tickets %+v %+v", t1, t2)
	}
	// No counter is open in an office open by its hours: a place, no time.
	if t1.ServiceName != "Cấp phép xây dựng" || t2.Ahead != 1 || t2.ETASeconds != -1 || !t2.Provisional || t1.CalledAt != nil {
		t.Fatalf("ticket 2 = %+v", t2)
	}
	if !strings.HasPrefix(t1.TrackURL, "https://luot.example.vn/t/"+t1.ID+"?token=") {
		t.Fatalf("track_url = %s", t1.TrackURL)
	}
	token := t1.TrackURL[strings.Index(t1.TrackURL, "token=")+6:]
	var got TicketJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/tickets/" + t1.ID + "?token=" + token}).decode(t, &got)
	if got.ID != t1.ID || got.Status != queue.StatusWaiting || got.Ahead != 0 {
		t.Fatalf("tracked = %+v", got)
	}
	// A clerk issues too (source clerk).
	tok := e.login(t, "nv1", "q1")
	var a ticketAnswer
	e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", token: tok, body: map[string]string{"service": "chung-thuc", "priority": "elderly"}}).decode(t, &a)
	if a.Ticket.Source != queue.SourceClerk || a.Ticket.Priority != queue.PriorityElderly || a.Ticket.Number != "C001" {
		t.Fatalf("clerk ticket %+v", a.Ticket)
	}
	// Called: the tracking answer shows the counter.
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/open", token: tok})
	e.clock.Advance(time.Minute)
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/next", token: tok})
	e.must(t, 200, req{method: "GET", path: "/api/v1/tickets/" + t1.ID + "?token=" + token}).decode(t, &got)
	if got.Status != queue.StatusCalled || got.Counter != "q1" || got.CounterNumber != 1 || got.CalledAt == nil {
		t.Fatalf("called ticket = %+v", got)
	}
	// Wrong or missing tokens: no way in.
	e.must(t, 404, req{method: "GET", path: "/api/v1/tickets/" + t1.ID + "?token=" + token + "x"})
	e.must(t, 404, req{method: "GET", path: "/api/v1/tickets/" + t1.ID + "?token=" + t2.TrackURL[strings.Index(t2.TrackURL, "token=")+6:]})
	e.must(t, 401, req{method: "GET", path: "/api/v1/tickets/" + t1.ID})
	e.must(t, 404, req{method: "GET", path: "/api/v1/tickets/nosuchticket?token=abc"})
}

func TestIdempotentIssue(t *testing.T) {
	e := newEnv(t)
	q := req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "kiosk1",
		body: map[string]string{"service": "ho-tich"}, header: map[string]string{"Idempotency-Key": "tap-1"}}
	var a, b ticketAnswer
	e.must(t, 201, q).decode(t, &a)
	seq := e.seq(t)
	r := e.must(t, 201, q)
	r.decode(t, &b)
	if a.Ticket.ID != b.Ticket.ID || a.Ticket.Number != b.Ticket.Number || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("repeat gave %+v, first %+v", b.Ticket, a.Ticket)
	}
	if e.seq(t) != seq {
		t.Fatal("a repeated request changed the office")
	}
	// The same key from another kiosk is another request.
	q2 := q
	q2.device = "kiosk2"
	var c ticketAnswer
	e.must(t, 201, q2).decode(t, &c)
	if c.Ticket.ID == a.Ticket.ID {
		t.Fatal("idempotency key was not scoped by device")
	}
	// The same key for another service is refused.
	q3 := q
	q3.body = map[string]string{"service": "xay-dung"}
	if code := e.must(t, 409, q3).errCode(t); code != "idempotency_key_reused" {
		t.Fatal(code)
	}
}

func TestSessions(t *testing.T) {
	e := newEnv(t)
	r := e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q2", "staff": "nv2", "pin": "1234"}})
	var s SessionJSON
	r.decode(t, &s)
	if s.Token == "" || !s.ExpiresAt.After(e.clock.Now()) || s.Role != queue.RoleClerk || s.Counter != "q2" || s.Name != "Nhân viên 2" {
		t.Fatalf("session %+v", s)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || !cookie.Secure || cookie.Value != s.Token || cookie.MaxAge != 12*3600 {
		t.Fatalf("cookie %+v", cookie)
	}
	// The cookie works for the console.
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/open", header: map[string]string{"Cookie": SessionCookie + "=" + s.Token, CSRFHeader: auth.CSRFToken(s.Token)}})
	// … only with the session's CSRF token.
	e.must(t, 403, req{method: "POST", path: "/api/v1/counters/q2/pause", header: map[string]string{"Cookie": SessionCookie + "=" + s.Token}})
	e.must(t, 403, req{method: "POST", path: "/api/v1/counters/q2/pause", header: map[string]string{"Cookie": SessionCookie + "=" + s.Token, CSRFHeader: auth.CSRFToken("another")}})
	// … but not from another site's page.
	e.must(t, 403, req{method: "POST", path: "/api/v1/counters/q2/pause", header: map[string]string{"Cookie": SessionCookie + "=" + s.Token, "Origin": "https://evil.example"}})
	// Admin without counter.
	adm := e.login(t, "admin", "")
	if adm == "" {
		t.Fatal("no admin token")
	}
	// Clerk without counter: refused.
	e.must(t, 400, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "staff": "nv1", "pin": "1234"}})
	e.must(t, 404, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q9", "staff": "nv1", "pin": "1234"}})
	e.must(t, 403, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "off", "pin": "1234"}})
	e.must(t, 401, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "ghost", "pin": "1234"}})
	// Logout ends the session.
	e.must(t, 204, req{method: "DELETE", path: "/api/v1/sessions", token: s.Token})
	e.must(t, 401, req{method: "POST", path: "/api/v1/counters/q2/pause", token: s.Token})
	// Expiry.
	tok := e.login(t, "nv3", "q3")
	e.clock.Advance(13 * time.Hour)
	if code := e.must(t, 401, req{method: "POST", path: "/api/v1/counters/q3/open", token: tok}).errCode(t); code != "invalid_session" {
		t.Fatal(code)
	}
}

func TestLockout(t *testing.T) {
	e := newEnv(t)
	bad := req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"Accept-Language": "en"},
		body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "0000"}}
	for i := 1; i < 5; i++ {
		e.must(t, 401, bad)
	}
	r := e.must(t, 429, bad)
	if r.errCode(t) != "locked_out" || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "too many wrong PINs") {
		t.Fatalf("lockout answer %s %v", r.body, r.header)
	}
	// Even the right PIN is refused while locked.
	good := bad
	good.body = map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "1234"}
	e.must(t, 429, good)
	e.clock.Advance(6 * time.Minute)
	e.must(t, 201, good)
}

func TestCounterActions(t *testing.T) {
	e := newEnv(t)
	tok := e.clerk(t, "nv1", "q1")
	act := func(action string, status int, body any) TicketJSON {
		t.Helper()
		r := e.must(t, status, req{method: "POST", path: "/api/v1/counters/q1/" + action, token: tok, body: body})
		var a ticketAnswer
		if status == 200 && len(r.body) > 0 {
			r.decode(t, &a)
		}
		return a.Ticket
	}
	act("next", 204, nil)
	a1 := e.issue(t, "kiosk1", "xay-dung")
	a2 := e.issue(t, "kiosk1", "xay-dung")
	e.issue(t, "kiosk1", "ho-tich")
	e.clock.Advance(time.Minute)
	if got := act("next", 200, nil); got.ID != a1.ID || got.Status != queue.StatusCalled || got.CounterNumber != 1 {
		t.Fatalf("next = %+v", got)
	}
	if got := act("recall", 200, nil); got.Recalls != 1 {
		t.Fatalf("recall = %+v", got)
	}
	if got := act("start", 200, map[string]any{}); got.Status != queue.StatusServing {
		t.Fatalf("start = %+v", got)
	}
	e.clock.Advance(5 * time.Minute)
	if got := act("done", 200, nil); got.Status != queue.StatusDone {
		t.Fatalf("done = %+v", got)
	}
	if got := act("next", 200, nil); got.ID != a2.ID {
		t.Fatalf("next = %+v", got)
	}
	if got := act("no-show", 200, nil); got.Status != queue.StatusNoShow {
		t.Fatalf("no-show = %+v", got)
	}
	if got := act("call", 200, map[string]string{"number": " a002 "}); got.ID != a2.ID || got.Status != queue.StatusCalled {
		t.Fatalf("call = %+v", got)
	}
	if got := act("transfer", 200, map[string]any{"service": "chung-thuc", "to_end": true}); got.Status != queue.StatusWaiting || got.Service != "chung-thuc" {
		t.Fatalf("transfer = %+v", got)
	}
	r := e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/pause", token: tok})
	var c counterAnswer
	r.decode(t, &c)
	if c.Counter.State != queue.CounterPaused {
		t.Fatalf("pause = %+v", c)
	}
	e.must(t, 409, req{method: "POST", path: "/api/v1/counters/q1/next", token: tok})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/close", token: tok})
	// An admin may act on any counter of the office.
	adm := e.login(t, "admin", "")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q3/open", token: adm})
	e.must(t, 404, req{method: "POST", path: "/api/v1/counters/q9/open", token: adm})
}

func TestDevices(t *testing.T) {
	e := newEnv(t)
	adm := e.login(t, "admin", "")
	name := norm.NFD.String("Ki-ốt sảnh tầng 1 🖨️")
	var reg DeviceRegistered
	e.must(t, 201, req{method: "POST", path: "/api/v1/admin/devices", token: adm, body: map[string]string{"name": name, "kind": "kiosk"}}).decode(t, &reg)
	if reg.Key == "" || reg.Device.Name != norm.NFC.String(name) || reg.Device.Office != office {
		t.Fatalf("registered %+v", reg)
	}
	e.keys["new"] = reg.Key
	var list struct{ Devices []queue.Device }
	e.must(t, 200, req{method: "GET", path: "/api/v1/admin/devices", token: adm}).decode(t, &list)
	found := false
	for _, d := range list.Devices {
		if d.ID == reg.Device.ID {
			found = d.Name == norm.NFC.String(name) && !strings.Contains(string(e.must(t, 200, req{method: "GET", path: "/api/v1/admin/devices", token: adm}).body), reg.Key)
		}
	}
	if !found {
		t.Fatal("registered device not listed with its NFC name, or its key is shown again")
	}
	e.issue(t, "new", "ho-tich")
	// Status report: an event and last-seen.
	ws := e.dial(t, "?since="+itoa(e.seq(t)), nil)
	var st struct{ Seq int64 }
	e.must(t, 200, req{method: "POST", path: "/api/v1/devices/status", device: "new", body: map[string]string{"status": "paper_end", "message": "Máy in hết giấy"}}).decode(t, &st)
	ev := readEvent(t, ws)
	if ev.Type != "device.status" || ev.Seq != st.Seq || !strings.Contains(string(ev.Data), "Máy in hết giấy") {
		t.Fatalf("event %+v %s", ev, ev.Data)
	}
	ds, _ := e.db.ListDevices(context.Background(), office)
	for _, d := range ds {
		if d.ID == reg.Device.ID && (d.Status != "paper_end" || !d.LastSeen.Equal(e.clock.Now())) {
			t.Fatalf("device after status: %+v", d)
		}
	}
	// Revoke: the key stops working.
	e.must(t, 204, req{method: "DELETE", path: "/api/v1/admin/devices/" + reg.Device.ID, token: adm})
	e.must(t, 401, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "new", body: map[string]string{"service": "ho-tich"}})
	e.must(t, 404, req{method: "DELETE", path: "/api/v1/admin/devices/kiosk-hn", token: adm}) // another office's
	// Clerks are not admins.
	clerk := e.login(t, "nv1", "q1")
	e.must(t, 403, req{method: "GET", path: "/api/v1/admin/devices", token: clerk})
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	e.must(t, 200, req{method: "GET", path: "/healthz"})
	e.issue(t, "kiosk1", "chung-thuc")
	ws := e.dial(t, "", nil)
	readEvent(t, ws)
	body := string(e.must(t, 200, req{method: "GET", path: "/metrics"}).body)
	for _, want := range []string{
		`luot_tickets_issued_total{office="hcm-q1",service="chung-thuc",source="kiosk"} 1`,
		`luot_waiting_tickets{office="hcm-q1",service="chung-thuc"} 1`,
		`luot_websocket_clients 1`,
		`luot_http_request_duration_seconds_bucket{code="201",route="POST /api/v1/offices/{office}/tickets",le=`,
		"luot_commit_batches_total ", "luot_commit_changes_total ", "luot_engine_busy_seconds_total ",
		"luot_commit_seconds_total ", "luot_forecast_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
