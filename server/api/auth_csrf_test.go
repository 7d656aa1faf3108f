package api

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestLoginRateLimitedAndCrossOrigin checks that logins from one address
// are rate-limited (whatever staff id they try) and that a login from
// another site's page is refused.
func TestLoginRateLimitedAndCrossOrigin(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.AddrFailures = 1000 })) // the attempt limit, not the wrong-PIN budget
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

// At most cap(pinChecks) bcrypt comparisons run at once; one that waits
// gives up when its request ends.
func TestPINChecksBounded(t *testing.T) {
	e := newEnv(t)
	s := e.api
	for range cap(s.pinChecks) {
		s.pinChecks <- struct{}{}
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	hash, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	if s.pinMatches(gone, hash, "1234") {
		t.Fatal("a check ran with every slot taken")
	}
	<-s.pinChecks // one slot free
	if !s.pinMatches(context.Background(), hash, "1234") || s.pinMatches(context.Background(), hash, "0000") {
		t.Fatal("the check with a free slot is wrong")
	}
	if len(s.pinChecks) != cap(s.pinChecks)-1 {
		t.Fatalf("%d slots taken after the checks, want %d", len(s.pinChecks), cap(s.pinChecks)-1)
	}
	e.must(t, 401, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "0000"}})
	if _, _, fails, _ := e.db.StaffAuth(context.Background(), office, "nv1"); fails != 1 {
		t.Fatalf("a wrong PIN counted %d times, want 1", fails)
	}
}
