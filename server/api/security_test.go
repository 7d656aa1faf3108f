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
