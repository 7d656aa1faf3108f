package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"luot/server/queue"
)

// readUntil reads the stream until the event of seq last and returns
// every message's bytes, in order.
func readUntil(t *testing.T, c *websocket.Conn, last int64) [][]byte {
	t.Helper()
	var out [][]byte
	for {
		c.SetReadDeadline(time.Now().Add(wait))
		_, b, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read event (after %d messages, want up to seq %d): %v", len(out), last, err)
		}
		out = append(out, b)
		var ev wsEvent
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatalf("event %s: %v", b, err)
		}
		if ev.Seq >= last {
			return out
		}
	}
}

// secretsOfADay plays a day that puts every kind of private datum into
// the office's events: bookings made, checked in and cancelled (codes),
// citizens' names and phones, tickets' tracking tokens, clerks' logins
// on counters and transfers, and an administrator's reconfiguration. It
// returns the secrets, each of which must never reach the public, and
// the clerk's bearer token.
func secretsOfADay(t *testing.T, e *env) (secrets []string, clerk string) {
	t.Helper()
	name, phone := "Phạm Thị Lan", "0912345678"
	b1 := e.bookFor(t, "2026-11-27", "09:00", phone)
	b2 := e.bookFor(t, "2026-11-27", "10:00", "0912345670")
	e.must(t, 200, req{method: "DELETE", path: "/api/v1/bookings/" + b2.Code, body: map[string]string{"token": b2.Token}})
	e.clock.Advance(45 * time.Minute) // 08:45: b1's check-in window is open
	r := e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "kiosk1", body: map[string]string{"code": b1.Code}})
	var in ticketAnswer
	r.decode(t, &in)
	r = e.must(t, 201, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0987654321", "name": "Nguyễn Văn Ánh"}})
	var rt ticketAnswer
	r.decode(t, &rt)
	clerk = e.clerk(t, "nv1", "q1")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/transfer", token: clerk, body: map[string]any{"service": "chung-thuc"}})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/pause", token: clerk})
	o := bookableOffice()
	o.Ticker = "Chào mừng"
	if _, err := e.eng.Do(context.Background(), office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Reconfigure(now, o, "admin")
	}); err != nil {
		t.Fatal(err)
	}
	tokenOf := func(u string) string { return u[strings.Index(u, "token=")+len("token="):] }
	return []string{
		b1.Code, b2.Code, b1.Token, b2.Token,
		tokenOf(in.Ticket.TrackURL), tokenOf(rt.Ticket.TrackURL),
		name, "Nguyễn Văn Ánh", phone, "912345678", "0912345670", "0987654321", "987654321",
		`"nv1"`, `"admin"`, `"staff"`, `"by"`,
	}, clerk
}

// TestPublicStreamCarriesNoSecrets: the public event stream (replayed
// from the store with ?since=0, and live), the snapshot event and the
// state snapshot carry nothing of a booking code, a tracking token, a
// citizen's name or phone, or a staff login; the stream of a staff
// session of the office still carries all of it.
func TestPublicStreamCarriesNoSecrets(t *testing.T) {
	e := bookableEnv(t, 3)
	live := e.dial(t, "?since=0", nil) // follows the whole day live
	secrets, clerk := secretsOfADay(t, e)
	last := e.seq(t)

	var public [][]byte
	public = append(public, readUntil(t, live, last)...)
	public = append(public, readUntil(t, e.dial(t, "?since=0", nil), last)...)
	public = append(public, readUntil(t, e.dial(t, "", nil), last)...) // the snapshot
	// A display's key is no staff session: it gets the public stream.
	public = append(public, readUntil(t, e.dial(t, "?since=0", http.Header{"X-Device-Key": {e.keys["display"]}}), last)...)
	public = append(public, e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/state"}).body)
	all := bytes.Join(public, []byte("\n"))
	for _, s := range secrets {
		for i, form := range []string{s, strings.Trim(jsonString(s), `"`)} {
			if (i == 0 || form != s) && bytes.Contains(all, []byte(form)) {
				t.Errorf("the public stream or state carries %q", form)
			}
		}
	}
	if t.Failed() {
		t.Logf("public bytes:\n%s", all)
	}
	// The public stream still has every event, with what a board needs.
	types := map[string]bool{}
	for _, m := range readUntil(t, e.dial(t, "?since=0", nil), last) {
		var ev wsEvent
		json.Unmarshal(m, &ev)
		types[ev.Type] = true
	}
	for _, typ := range []string{"booking.created", "booking.cancelled", "booking.checked_in", "ticket.issued", "ticket.called", "ticket.transferred", "counter.opened", "counter.paused", "config.changed"} {
		if !types[typ] {
			t.Errorf("the public stream lacks %s events", typ)
		}
	}

	// A clerk's session (bearer) gets the whole events.
	staff := bytes.Join(readUntil(t, e.dial(t, "?since=0", http.Header{"Authorization": {"Bearer " + clerk}}), last), []byte("\n"))
	for _, s := range []string{secrets[0], secrets[1], `"staff":"nv1"`, `"by":"admin"`} {
		if !bytes.Contains(staff, []byte(s)) {
			t.Errorf("the staff stream lacks %q:\n%s", s, staff)
		}
	}
	// Never names, phones or tokens, even there.
	for _, s := range secrets[2:13] {
		if bytes.Contains(staff, []byte(s)) {
			t.Errorf("the staff stream carries %q", s)
		}
	}
}

// TestStaffStreamAuth: the whole events go only to a staff session of
// the office; a bad bearer token is refused, a session of another office
// or a stale cookie gets the public stream, and the cookie counts only
// on a page of this server.
func TestStaffStreamAuth(t *testing.T) {
	e := bookableEnv(t, 3)
	b := e.bookFor(t, "2026-11-27", "09:00", "0912345678")
	last := e.seq(t)
	hasCode := func(h http.Header) bool {
		return bytes.Contains(bytes.Join(readUntil(t, e.dial(t, "?since=0", h), last), nil), []byte(b.Code))
	}
	clerk := e.login(t, "nv2", "q2")
	if !hasCode(http.Header{"Authorization": {"Bearer " + clerk}}) {
		t.Error("a clerk's bearer session does not get the whole events")
	}
	if !hasCode(http.Header{"Cookie": {SessionCookie + "=" + clerk}}) {
		t.Error("the console's cookie does not get the whole events")
	}
	// Another site's page is refused (the origin check), cookie or not.
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/offices/" + office + "/events?since=0"
	if _, res, err := websocket.DefaultDialer.Dial(u, http.Header{"Cookie": {SessionCookie + "=" + clerk}, "Origin": {"https://evil.example"}}); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("another site's page with the clerk's cookie: %v %v", err, res)
	}
	if hasCode(http.Header{"Cookie": {SessionCookie + "=stale"}}) {
		t.Error("a stale cookie gets the whole events")
	}
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": "hn-bd", "counter": "q1", "staff": "nv1", "pin": "1234"}})
	var other SessionJSON
	r.decode(t, &other)
	if hasCode(http.Header{"Authorization": {"Bearer " + other.Token}}) {
		t.Error("a session of another office gets the whole events")
	}
	_, res, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer nope"}})
	if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a bad bearer token: %v %v", err, res)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// bookableOffice is the test office with appointments for xay-dung, as
// bookableEnv configures it.
func bookableOffice() queue.Office {
	o := testOffice()
	o.Services[0].SlotMinutes, o.Services[0].SlotCapacity = 30, 3
	o.Policy.BookingHorizonDays = 7
	return o
}
