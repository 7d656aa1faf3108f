package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

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
