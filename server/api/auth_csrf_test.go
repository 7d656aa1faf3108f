package api

import (
	"testing"
)

// TestLoginRateLimitedAndCrossOrigin checks that logins from one address
// are rate-limited (whatever staff id they try) and that a login from
// another site's page is refused.
func TestLoginRateLimitedAndCrossOrigin(t *testing.T) {
	e := newEnv(t)
	bad := map[string]string{"office": office, "counter": "q1", "staff": "ghost", "pin": "0000"}
	for i := 0; i < loginBurst; i++ {
		e.must(t, 401, req{method: "POST", path: "/api/v1/sessions", body: bad})
	}
	r := e.must(t, 429, req{method: "POST", path: "/api/v1/sessions", body: bad})
	if code := r.errCode(t); code != "rate_limited" {
		t.Fatalf("code %s", code)
	}
	e.clock.Advance(loginEvery)
	e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "1234"}})

	e.must(t, 403, req{method: "POST", path: "/api/v1/sessions", body: bad, header: map[string]string{"Origin": "https://evil.example"}})
}

func TestCSRFTokenBoundToSession(t *testing.T) {
	a, b := CSRFToken("session-a"), CSRFToken("session-b")
	if a == b || a == "" || !ValidCSRF("session-a", a) || ValidCSRF("session-a", b) || ValidCSRF("session-a", "") {
		t.Fatalf("tokens %q %q", a, b)
	}
}
