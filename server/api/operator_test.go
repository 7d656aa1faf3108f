package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveFrom sends a request to the API's handler as if it came from the
// peer remote (an address of another machine: httptest's server is
// reached over loopback only).
func (e *env) serveFrom(remote, method, path string, hdr map[string]string) resp {
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = remote
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.api.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return resp{status: w.Code, header: w.Result().Header, body: b}
}

// TestMetricsAreForOperatorsOnly: the metrics (per-route counts, failed
// logins, websocket clients) are served, under both paths, only to this
// machine by default — not to another address, nor through a proxy on
// this machine — and with a token from anywhere when one is configured.
// /healthz answers everyone, with its figures only for operators.
func TestMetricsAreForOperatorsOnly(t *testing.T) {
	const stranger = "203.0.113.7:40000"
	e := newEnv(t)
	for _, p := range []string{"/metrics", "/api/v1/metrics"} {
		if r := e.do(t, req{method: "GET", path: p}); r.status != 200 || !strings.Contains(string(r.body), "luot_commit_batches_total") {
			t.Fatalf("GET %s from loopback: %d %.200s", p, r.status, r.body)
		}
		r := e.serveFrom(stranger, "GET", p, nil)
		if r.status != http.StatusForbidden || r.errCode(t) != "metrics_loopback_only" || strings.Contains(string(r.body), "luot_") {
			t.Fatalf("GET %s from another machine: %d %.200s", p, r.status, r.body)
		}
		for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-IP"} {
			r := e.do(t, req{method: "GET", path: p, header: map[string]string{h: "203.0.113.7"}})
			if r.status != http.StatusForbidden || strings.Contains(string(r.body), "luot_") {
				t.Fatalf("GET %s through a proxy (%s): %d %.200s", p, h, r.status, r.body)
			}
		}
	}
	for _, p := range []string{"/healthz", "/api/v1/healthz"} {
		r := e.serveFrom(stranger, "GET", p, nil)
		if r.status != 200 || strings.TrimSpace(string(r.body)) != `{"status":"ok"}` {
			t.Fatalf("GET %s from another machine: %d %s, want only the status", p, r.status, r.body)
		}
		if r := e.do(t, req{method: "GET", path: p}); r.status != 200 || !strings.Contains(string(r.body), `"websocket_clients"`) {
			t.Fatalf("GET %s from loopback: %d %s, want the figures", p, r.status, r.body)
		}
	}

	const token = "s3cret-metrics-token-0123456789"
	e = newEnv(t, withConfig(func(c *Config) { c.MetricsToken = token }))
	for _, p := range []string{"/metrics", "/api/v1/metrics"} {
		for name, hdr := range map[string]map[string]string{
			"no token":       nil,
			"wrong token":    {"Authorization": "Bearer " + strings.ToUpper(token)},
			"basic auth":     {"Authorization": "Basic " + token},
			"token in query": nil,
		} {
			path := p
			if name == "token in query" {
				path += "?token=" + token
			}
			for _, r := range []resp{e.do(t, req{method: "GET", path: path, header: hdr}), e.serveFrom(stranger, "GET", path, hdr)} {
				if r.status != http.StatusUnauthorized || r.errCode(t) != "metrics_token_required" || r.header.Get("WWW-Authenticate") == "" || strings.Contains(string(r.body), token) {
					t.Fatalf("GET %s with %s: %d %.200s", p, name, r.status, r.body)
				}
			}
		}
		ok := map[string]string{"Authorization": "Bearer " + token}
		for _, r := range []resp{e.do(t, req{method: "GET", path: p, header: ok}), e.serveFrom(stranger, "GET", p, ok)} {
			if r.status != 200 || !strings.Contains(string(r.body), "luot_commit_batches_total") {
				t.Fatalf("GET %s with the token: %d %.200s", p, r.status, r.body)
			}
		}
	}
	if r := e.serveFrom(stranger, "GET", "/healthz", nil); strings.TrimSpace(string(r.body)) != `{"status":"ok"}` {
		t.Fatalf("healthz without the token: %s", r.body)
	}
	if r := e.serveFrom(stranger, "GET", "/healthz", map[string]string{"Authorization": "Bearer " + token}); !strings.Contains(string(r.body), `"websocket_clients"`) {
		t.Fatalf("healthz with the token: %s", r.body)
	}
}
