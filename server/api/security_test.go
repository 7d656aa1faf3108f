package api

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/server/auth"
	"luot/server/queue"
)

// TestEveryAuthenticatedRouteRefusesBadCredentials calls every route that
// needs a staff session or a device key with no credentials, a forged
// token or key, and an expired session: each answers 401 with a JSON
// error, before doing anything.
func TestEveryAuthenticatedRouteRefusesBadCredentials(t *testing.T) {
	e := newEnv(t)
	e.addDevice("kiosk-x", office, queue.DeviceKiosk)
	expired := e.login(t, "nv1", "q1")
	admin := e.login(t, "admin", "")
	// The clerk's keyed press, kept: its repeat must not be answered to
	// anyone without a valid session, not even the clerk once expired.
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/open", token: expired, header: map[string]string{"Idempotency-Key": "used-key"}})
	e.clock.Advance(13 * time.Hour) // past the 12-hour session
	type route struct{ method, path string }
	routes := []route{
		{"POST", "/api/v1/offices/" + office + "/tickets"},
		{"DELETE", "/api/v1/sessions"},
		{"POST", "/api/v1/admin/devices"},
		{"GET", "/api/v1/admin/devices"},
		{"DELETE", "/api/v1/admin/devices/kiosk-x"},
	}
	for _, a := range counterActions {
		routes = append(routes, route{"POST", "/api/v1/counters/q1/" + a})
	}
	for _, r := range routes {
		for _, c := range []struct {
			name  string
			token string
			hdr   map[string]string
		}{
			{"no credentials", "", nil},
			{"forged token", "Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ", nil},
			{"expired session", expired, nil},
			{"an admin session that expired", admin, nil},
			{"malformed authorization", "", map[string]string{"Authorization": "Bearer"}},
			{"a forged token with a used Idempotency-Key", "Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ", map[string]string{"Idempotency-Key": "used-key"}},
			{"an expired session with its own used Idempotency-Key", expired, map[string]string{"Idempotency-Key": "used-key"}},
		} {
			got := e.do(t, req{method: r.method, path: r.path, token: c.token, header: c.hdr, body: map[string]string{}})
			if got.status != http.StatusUnauthorized {
				t.Errorf("%s %s with %s: %d %s, want 401", r.method, r.path, c.name, got.status, got.body)
				continue
			}
			got.errCode(t)
		}
	}
	// The event stream is open to anyone, but a bearer token it is given
	// must be good: a forged, expired or malformed one is refused before
	// the upgrade rather than silently served the public stream.
	events := "/api/v1/offices/" + office + "/events"
	for _, c := range []struct{ name, token, hdr string }{
		{"forged token", "Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ", ""},
		{"expired session", expired, ""},
		{"malformed authorization", "", "Bearer"},
	} {
		q := req{method: "GET", path: events, token: c.token}
		if c.hdr != "" {
			q.header = map[string]string{"Authorization": c.hdr}
		}
		got := e.do(t, q)
		if got.status != http.StatusUnauthorized {
			t.Errorf("GET %s with %s: %d %s, want 401", events, c.name, got.status, got.body)
			continue
		}
		got.errCode(t)
	}
	// Device routes with a forged or revoked key.
	for _, r := range []route{{"POST", "/api/v1/offices/" + office + "/tickets"}, {"POST", "/api/v1/devices/status"}} {
		got := e.do(t, req{method: r.method, path: r.path, device: "forged-device-key", body: map[string]string{"service": "ho-tich", "status": "ok"}})
		if got.status != http.StatusUnauthorized {
			t.Errorf("%s %s with a forged device key: %d %s", r.method, r.path, got.status, got.body)
		}
	}
}

// TestOversizedBodyIsCutOff sends bodies above the limit, declared and
// undeclared (chunked): 413 before the handler reads them whole.
func TestOversizedBodyIsCutOff(t *testing.T) {
	e := newEnv(t)
	e.addDevice("kiosk-x", office, queue.DeviceKiosk)
	big := `{"service":"` + strings.Repeat("a", 64<<10) + `"}`
	got := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "kiosk-x", body: big})
	if got.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("64 KiB body: %d %s", got.status, got.body)
	}
	got = e.do(t, req{method: "POST", path: "/api/v1/sessions", body: big})
	if got.status != http.StatusRequestEntityTooLarge && got.status != http.StatusTooManyRequests {
		t.Fatalf("64 KiB login body: %d %s", got.status, got.body)
	}
}

// addrLike matches what an answer must never show of the transport: an
// IP address, a host:port, or the text of a read error.
var addrLike = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+|\[?[0-9a-fA-F]*:[0-9a-fA-F:]*\]?:\d+|:\d{2,5}\b|(?i)\beof\b|\btcp\b|connection reset|i/o timeout`)

// TestShortBodyIsNotEchoed sends, over a raw connection, a request whose
// body is shorter than its Content-Length and then stops sending: the
// answer is a fixed 400 that names no address, port or transport error
// (the detail is for the server's log), and nothing changes.
func TestShortBodyIsNotEchoed(t *testing.T) {
	e := newEnv(t)
	u, _ := url.Parse(e.srv.URL)
	clerk := e.clerk(t, "nv1", "q1")
	before := e.seq(t)
	for _, path := range []string{"/api/v1/offices/" + office + "/tickets", "/api/v1/sessions", "/api/v1/counters/q1/transfer"} {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		body := `{"service":"ho-tich"`
		_, err = io.WriteString(c, "POST "+path+" HTTP/1.1\r\nHost: "+u.Host+"\r\nContent-Type: application/json\r\n"+
			"X-Device-Key: "+e.keys["kiosk1"]+"\r\nAuthorization: Bearer "+clerk+"\r\nContent-Length: 200\r\nConnection: close\r\n\r\n"+body)
		if err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).CloseWrite() // the rest of the body never comes
		c.SetReadDeadline(time.Now().Add(wait))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(res.Body)
		c.Close()
		r := resp{status: res.StatusCode, header: res.Header, body: b}
		if r.status != http.StatusBadRequest || r.errCode(t) != "unreadable_body" {
			t.Fatalf("%s: %d %s, want 400 unreadable_body", path, r.status, b)
		}
		if m := addrLike.FindString(string(b)); m != "" {
			t.Fatalf("%s: the answer shows %q of the transport: %s", path, m, b)
		}
	}
	// A read error that names the sockets (as a timeout or a reset does).
	opErr := &net.OpError{Op: "read", Net: "tcp",
		Source: &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 8080},
		Addr:   &net.TCPAddr{IP: net.IPv4(10, 9, 8, 7), Port: 54321}, Err: errors.New("connection reset by peer")}
	r := httptest.NewRequest("POST", "/api/v1/offices/"+office+"/tickets", io.MultiReader(strings.NewReader(`{"serv`), errReader{opErr}))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Device-Key", e.keys["kiosk1"])
	w := httptest.NewRecorder()
	e.api.ServeHTTP(w, r)
	got := resp{status: w.Code, body: w.Body.Bytes()}
	if got.status != http.StatusBadRequest || got.errCode(t) != "unreadable_body" {
		t.Fatalf("body read error: %d %s", got.status, got.body)
	}
	if m := addrLike.FindString(string(got.body)); m != "" {
		t.Fatalf("body read error: the answer shows %q: %s", m, got.body)
	}
	if got := e.seq(t); got != before {
		t.Fatalf("seq moved from %d to %d", before, got)
	}
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestTrackURLIgnoresTheHostHeader: track_url (which the kiosk prints as
// a QR code) is made from Config.PublicURL — a relative path without one —
// never from the request's Host header, when a ticket is issued and when
// it is looked up.
func TestTrackURLIgnoresTheHostHeader(t *testing.T) {
	for _, public := range []string{"https://luot.example.vn", ""} {
		e := newEnv(t, withConfig(func(c *Config) { c.PublicURL = public }))
		withHost := func(method, path, body string) TicketJSON {
			t.Helper()
			r, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
			r.Host = "evil.example"
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Device-Key", e.keys["kiosk1"])
			res, err := e.srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode/100 != 2 {
				t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
			}
			if method == "GET" { // the ticket itself
				var tk TicketJSON
				resp{body: b}.decode(t, &tk)
				return tk
			}
			var a ticketAnswer
			resp{body: b}.decode(t, &a)
			return a.Ticket
		}
		tk := withHost("POST", "/api/v1/offices/"+office+"/tickets", `{"service":"ho-tich"}`)
		token := tk.TrackURL[strings.Index(tk.TrackURL, "token=")+6:]
		got := withHost("GET", "/api/v1/tickets/"+tk.ID+"?token="+token, "")
		for _, u := range []string{tk.TrackURL, got.TrackURL} {
			if !strings.HasPrefix(u, public+"/t/"+tk.ID+"?token=") || strings.Contains(u, "evil") {
				t.Fatalf("PublicURL %q: track_url %q", public, u)
			}
		}
	}
}

// TestCookieOnlyFromOwnPages: the session cookie counts for a change (and
// a login) only from the server's own pages, as on the web pages
// (auth.Origins.Own). The API used to let the origins of -allowed-origins
// (meant for opening the public event stream) log in and make changes
// with the cookie, and took a change whose browser said Sec-Fetch-Site:
// cross-site when it sent no Origin.
func TestCookieOnlyFromOwnPages(t *testing.T) {
	for _, allowed := range []string{"https://board.example.vn", "*"} {
		e := newEnv(t, withConfig(func(c *Config) { c.AllowedOrigins = []string{allowed} }))
		tok := e.login(t, "nv1", "q1")
		cookie := map[string]string{"Cookie": SessionCookie + "=" + tok, CSRFHeader: auth.CSRFToken(tok)}
		with := func(k, v string) map[string]string {
			h := map[string]string{k: v}
			for k, v := range cookie {
				h[k] = v
			}
			return h
		}
		for _, c := range []struct {
			name string
			hdr  map[string]string
		}{
			{"an allowed origin's page", with("Origin", "https://board.example.vn")},
			{"a cross-site fetch without Origin", with("Sec-Fetch-Site", "cross-site")},
			{"another site's Referer without Origin", with("Referer", "https://evil.example/page")},
		} {
			r := e.must(t, http.StatusForbidden, req{method: "POST", path: "/api/v1/counters/q1/open", header: c.hdr})
			if code := r.errCode(t); code != "cross_origin" {
				t.Errorf("allowed %s, %s: code %s", allowed, c.name, code)
			}
			login := req{method: "POST", path: "/api/v1/sessions", header: map[string]string{}, body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "1234"}}
			for k, v := range c.hdr {
				if k != "Cookie" && k != CSRFHeader {
					login.header[k] = v
				}
			}
			if r := e.must(t, http.StatusForbidden, login); r.errCode(t) != "cross_origin" {
				t.Errorf("allowed %s, login from %s: %s", allowed, c.name, r.body)
			}
		}
		// The server's own page, and the bearer token from anywhere, work.
		e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/open", header: with("Origin", e.srv.URL)})
		e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/pause", token: tok, header: map[string]string{"Origin": "https://board.example.vn"}})
	}
}
