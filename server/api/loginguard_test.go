package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// proxiedEnv is the test API behind a trusted proxy (the test's own
// address), so that each request can come from the address it names in
// X-Forwarded-For.
func proxiedEnv(t *testing.T, opts ...envOpt) *env {
	t.Helper()
	trusted, _ := ParseTrustedProxies("127.0.0.1, ::1")
	return newEnv(t, append([]envOpt{withConfig(func(c *Config) { c.TrustedProxies = trusted })}, opts...)...)
}

// loginFrom tries a PIN for staff from the client address addr.
func (e *env) loginFrom(t *testing.T, addr, staff, pin string) resp {
	t.Helper()
	counter := "q1"
	if staff == "admin" {
		counter = ""
	}
	return e.do(t, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": addr, "Accept-Language": "en"},
		body: map[string]string{"office": office, "counter": counter, "staff": staff, "pin": pin}})
}

func (e *env) metricsText(t *testing.T) string {
	t.Helper()
	res, err := e.srv.Client().Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func (e *env) auditActions(t *testing.T) map[string][]string {
	t.Helper()
	log, err := e.db.AuditLog(context.Background(), office, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, a := range log {
		out[a.Action] = append(out[a.Action], a.Detail)
	}
	return out
}

// The attack: ten wrong PINs in about a second, again and again, against
// admin and nv4. The lock-out is the attacker's address's only: the right
// PIN from the office works throughout.
func TestAttackerLockoutDoesNotStopTheRightPINElsewhere(t *testing.T) {
	// The attacker's budget of wrong PINs (rule 2) and the accounts'
	// budgets for new addresses (rule 4) are raised here, to show rule 3
	// alone.
	e := proxiedEnv(t, withConfig(func(c *Config) { c.AddrFailures, c.AccountGuesses = 1000, 1000 }))
	const attacker, office1, office2 = "203.0.113.66", "192.0.2.10", "192.0.2.11"
	for round := range 3 {
		for _, staff := range []string{"admin", "nv4"} {
			for i := 1; i <= 5; i++ {
				r := e.loginFrom(t, attacker, staff, "0000")
				want := http.StatusUnauthorized
				if i == 5 {
					want = http.StatusTooManyRequests
				}
				if r.status != want {
					t.Fatalf("round %d, %s, wrong PIN %d: %d %s", round, staff, i, r.status, r.body)
				}
			}
			// The attacker's address is locked out of that account …
			wantErr(t, e.loginFrom(t, attacker, staff, "1234"), http.StatusTooManyRequests, "locked_out")
		}
		// … the members are not, from the office's computers.
		e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": office1},
			body: map[string]string{"office": office, "staff": "admin", "pin": "1234"}})
		if r := e.loginFrom(t, office2, "nv4", "1234"); r.status != http.StatusCreated {
			t.Fatalf("round %d: the right PIN from another address: %d %s", round, r.status, r.body)
		}
		e.clock.Advance(time.Duration(5<<round)*time.Minute + time.Second) // the attacker's lock-out, doubling
	}
	// An alert was raised: the audit log, the log's metric.
	if a := e.auditActions(t)["login_alert"]; len(a) == 0 || !strings.Contains(a[0], "address_locked") {
		t.Fatalf("no address_locked alert in the audit log: %v", a)
	}
	m := e.metricsText(t)
	for _, want := range []string{`luot_login_alerts_total{kind="address_locked"}`, `luot_login_failures_total{reason="wrong_pin"} 30`, `luot_login_failures_total{reason="address_locked"} 6`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// The lock-out of one address doubles, and the right PIN from that
// address clears it (rules 2 and 4 raised, to show rule 3 alone).
func TestAddressLockoutDoublesAndClears(t *testing.T) {
	e := proxiedEnv(t, withConfig(func(c *Config) { c.AddrFailures, c.AccountGuesses = 1000, 1000 }))
	const a = "203.0.113.7"
	fail5 := func() {
		t.Helper()
		for i := 1; i <= 5; i++ {
			e.loginFrom(t, a, "nv1", "9999")
		}
	}
	fail5()
	e.clock.Advance(5*time.Minute + time.Second)
	fail5()
	r := e.loginFrom(t, a, "nv1", "1234")
	if r.status != 429 || r.header.Get("Retry-After") != "601" {
		t.Fatalf("second lock-out: %d Retry-After %s: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	e.clock.Advance(10*time.Minute + time.Second)
	e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": a},
		body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "1234"}})
	// Cleared: the next mistake is the first of five again.
	for i := 1; i <= 4; i++ {
		wantErr(t, e.loginFrom(t, a, "nv1", "9999"), 401, "invalid_credentials")
	}
}

// Guessing one account from ever new addresses is bounded per account:
// at most 10 + 24 wrong PINs are checked in a day, all addresses
// together, and the member still logs in from the computer they use.
func TestAccountGuessBound(t *testing.T) {
	e := proxiedEnv(t)
	const desk = "192.0.2.10"
	e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": desk},
		body: map[string]string{"office": office, "staff": "admin", "pin": "1234"}})
	checked, guarded := 0, 0
	for i := range 24 * 60 { // one guess a minute for a day, each from a new address
		r := e.loginFrom(t, fmt.Sprintf("2001:db8:%x:%x::1", i/256, i%256), "admin", fmt.Sprintf("%06d", i))
		switch {
		case r.status == http.StatusUnauthorized:
			checked++
		case r.status == http.StatusTooManyRequests && r.errCode(t) == "locked_out":
			guarded++
			if !strings.Contains(string(r.body), "computer you used before") {
				t.Fatalf("answer without advice: %s", r.body)
			}
		default:
			t.Fatalf("guess %d: %d %s", i, r.status, r.body)
		}
		if i%120 == 0 { // the administrator, at the desk, is never kept out
			e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": desk},
				body: map[string]string{"office": office, "staff": "admin", "pin": "1234"}})
		}
		e.clock.Advance(time.Minute)
	}
	if checked > 10+24 || checked < 30 || checked+guarded != 24*60 {
		t.Fatalf("%d guesses checked in a day (%d refused), want at most 34", checked, guarded)
	}
	if a := e.auditActions(t)["login_alert"]; len(a) == 0 || !strings.Contains(strings.Join(a, "\n"), "account_budget_spent") {
		t.Fatalf("no account_budget_spent alert: %v", a)
	}
	if m := e.metricsText(t); !strings.Contains(m, `luot_login_alerts_total{kind="account_budget_spent"}`) {
		t.Fatal("no alert metric")
	}
}

// One address spraying PINs over many staff ids runs out of its own
// budget of wrong PINs; other addresses do not.
func TestAddressFailureBudget(t *testing.T) {
	e := proxiedEnv(t)
	const sprayer = "198.51.100.99"
	ids := []string{"nv1", "nv2", "nv3", "nv4", "admin", "ghost1", "ghost2", "nv1", "nv2", "nv3"}
	for _, id := range ids {
		wantErr(t, e.loginFrom(t, sprayer, id, "4321"), 401, "invalid_credentials")
	}
	r := e.loginFrom(t, sprayer, "nv4", "4321")
	wantErr(t, r, http.StatusTooManyRequests, "rate_limited")
	if !strings.Contains(string(r.body), "wrong PINs from this address") {
		t.Fatalf("answer %s", r.body)
	}
	e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": "198.51.100.100"},
		body: map[string]string{"office": office, "counter": "q2", "staff": "nv2", "pin": "1234"}})
	// A right PIN costs nothing: an office behind one address logs in all day.
	for range 20 {
		e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": "198.51.100.100"},
			body: map[string]string{"office": office, "counter": "q2", "staff": "nv2", "pin": "1234"}})
	}
	if m := e.metricsText(t); !strings.Contains(m, `luot_login_failures_total{reason="address_budget"} 1`) ||
		!strings.Contains(m, `luot_login_failures_total{reason="unknown_staff"} 2`) {
		t.Fatalf("metrics:\n%s", grepLines(m, "luot_login"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestRightPINsAtOnceFromOneAddress: a shift starting behind one address —
// more clerks log in at the same moment than the address's budget of
// wrong PINs — all get in: only wrong PINs spend that budget, even while
// right ones are being checked. (The load tool's 12 clerks were refused.)
func TestRightPINsAtOnceFromOneAddress(t *testing.T) {
	e := proxiedEnv(t)
	var wg sync.WaitGroup
	codes := make([]int, 3*e.api.cfg.AddrFailures)
	for i := range codes {
		wg.Go(func() {
			staff := []string{"nv1", "nv2", "nv3", "nv4"}[i%4]
			r := e.do(t, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": "198.51.100.100"},
				body: map[string]string{"office": office, "counter": "q" + staff[2:], "staff": staff, "pin": "1234"}})
			codes[i] = r.status
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusCreated {
			t.Fatalf("login %d of %d at once from one address: %d", i+1, len(codes), c)
		}
	}
}
