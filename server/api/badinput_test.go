package api

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestBadInputChangesNothing sends hostile and broken requests: each gets
// its status and a JSON error, and the office's seq does not move.
func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	clerk := e.clerk(t, "nv1", "q1")
	hn := func() string { // a clerk of another office
		r := e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": "hn-bd", "counter": "q1", "staff": "nv1", "pin": "1234"}})
		var s SessionJSON
		r.decode(t, &s)
		return s.Token
	}()
	e.issue(t, "kiosk1", "ho-tich")
	tickets := "/api/v1/offices/" + office + "/tickets"
	vi := norm.NFD.String("Nguyễn Thị Ánh 👵🏽")
	sqli := "x'); DROP TABLE tickets; --"
	huge := `{"service":"ho-tich","pad":"` + strings.Repeat("a", 9000) + `"}`
	adm := e.login(t, "admin", "")
	cases := []struct {
		name   string
		q      req
		status int
		code   string
	}{
		{"malformed JSON", req{method: "POST", path: tickets, device: "kiosk1", body: `{"service":`}, 400, "invalid_json"},
		{"not an object", req{method: "POST", path: tickets, device: "kiosk1", body: `["ho-tich"]`}, 400, "invalid_json"},
		{"wrong type", req{method: "POST", path: tickets, device: "kiosk1", body: `{"service":12}`}, 400, "invalid_json"},
		{"unknown field", req{method: "POST", path: tickets, device: "kiosk1", body: `{"service":"ho-tich","vip":true}`}, 400, "unknown_field"},
		{"trailing data", req{method: "POST", path: tickets, device: "kiosk1", body: `{"service":"ho-tich"}{"service":"ho-tich"}`}, 400, "invalid_json"},
		{"empty body", req{method: "POST", path: tickets, device: "kiosk1", body: ``, ctype: "application/json"}, 400, "empty_body"},
		{"oversized", req{method: "POST", path: tickets, device: "kiosk1", body: huge}, 413, "body_too_large"},
		{"not JSON content type", req{method: "POST", path: tickets, device: "kiosk1", body: `{"service":"ho-tich"}`, ctype: "text/plain"}, 415, "not_json"},
		{"form post", req{method: "POST", path: tickets, device: "kiosk1", body: `service=ho-tich`, ctype: "application/x-www-form-urlencoded"}, 415, "not_json"},
		{"invalid UTF-8", req{method: "POST", path: tickets, device: "kiosk1", body: []byte("{\"service\":\"ho-\xff\"}")}, 400, "invalid_json"},
		{"unknown service", req{method: "POST", path: tickets, device: "kiosk1", body: map[string]string{"service": "visa"}}, 404, "unknown_service"},
		{"service not served", req{method: "POST", path: tickets, device: "kiosk1", body: map[string]string{"service": "dat-dai"}}, 409, "service_not_served"},
		{"SQL injection as service", req{method: "POST", path: tickets, device: "kiosk1", body: map[string]string{"service": sqli}}, 400, "invalid_service"},
		{"Vietnamese name as service", req{method: "POST", path: tickets, device: "kiosk1", body: map[string]string{"service": vi}}, 400, "invalid_service"},
		{"unknown priority", req{method: "POST", path: tickets, device: "kiosk1", body: map[string]string{"service": "ho-tich", "priority": "vip"}}, 400, "invalid_priority"},
		{"no credentials", req{method: "POST", path: tickets, body: map[string]string{"service": "ho-tich"}}, 401, "unauthenticated"},
		{"wrong device key", req{method: "POST", path: tickets, device: "not-a-key", body: map[string]string{"service": "ho-tich"}}, 401, "invalid_device_key"},
		{"display issues", req{method: "POST", path: tickets, device: "display", body: map[string]string{"service": "ho-tich"}}, 403, "not_a_kiosk"},
		{"kiosk of another office", req{method: "POST", path: tickets, device: "kiosk-hn", body: map[string]string{"service": "ho-tich"}}, 403, "wrong_office"},
		{"clerk of another office", req{method: "POST", path: tickets, token: hn, body: map[string]string{"service": "ho-tich"}}, 403, "wrong_office"},
		{"forged token", req{method: "POST", path: tickets, token: "forged", body: map[string]string{"service": "ho-tich"}}, 401, "invalid_session"},
		{"bad Idempotency-Key", req{method: "POST", path: tickets, device: "kiosk1", body: map[string]string{"service": "ho-tich"}, header: map[string]string{"Idempotency-Key": "a b"}}, 400, "invalid_idempotency_key"},
		{"unknown office", req{method: "POST", path: "/api/v1/offices/" + sqli + "/tickets", device: "kiosk1", body: map[string]string{"service": "ho-tich"}}, 404, "unknown_office"},
		{"basic auth", req{method: "POST", path: "/api/v1/counters/q1/next", header: map[string]string{"Authorization": "Basic bnYxOjEyMzQ="}}, 401, "invalid_session"},
		{"no token at counter", req{method: "POST", path: "/api/v1/counters/q1/next"}, 401, "unauthenticated"},
		{"forged token at counter", req{method: "POST", path: "/api/v1/counters/q1/next", token: "Zm9yZ2Vk"}, 401, "invalid_session"},
		{"clerk of another counter", req{method: "POST", path: "/api/v1/counters/q2/next", token: clerk}, 403, "not_your_counter"},
		{"clerk of another office's counter", req{method: "POST", path: "/api/v1/counters/q2/open", token: hn}, 403, "not_your_counter"},
		{"unknown counter", req{method: "POST", path: "/api/v1/counters/" + sqli + "/next", token: clerk}, 403, "not_your_counter"},
		{"unknown action", req{method: "POST", path: "/api/v1/counters/q1/explode", token: clerk}, 404, "not_found"},
		{"body on next", req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk, body: `{"force":true}`}, 400, "unknown_field"},
		{"bad Idempotency-Key on next", req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk, header: map[string]string{"Idempotency-Key": "a b"}}, 400, "invalid_idempotency_key"},
		{"Idempotency-Key too long on done", req{method: "POST", path: "/api/v1/counters/q1/done", token: clerk, header: map[string]string{"Idempotency-Key": strings.Repeat("k", 129)}}, 400, "invalid_idempotency_key"},
		{"Vietnamese Idempotency-Key on transfer", req{method: "POST", path: "/api/v1/counters/q1/transfer", token: clerk, body: map[string]any{"service": "ho-tich"}, header: map[string]string{"Idempotency-Key": "lượt-1"}}, 400, "invalid_idempotency_key"},
		{"Idempotency-Key with a tab", req{method: "POST", path: "/api/v1/counters/q1/open", token: clerk, header: map[string]string{"Idempotency-Key": "k\t1"}}, 400, "invalid_idempotency_key"},
		{"call unknown number", req{method: "POST", path: "/api/v1/counters/q1/call", token: clerk, body: map[string]string{"number": "Z999"}}, 404, "unknown_ticket"},
		{"call SQL injection", req{method: "POST", path: "/api/v1/counters/q1/call", token: clerk, body: map[string]string{"number": sqli}}, 400, "invalid_number"},
		{"transfer nowhere", req{method: "POST", path: "/api/v1/counters/q1/transfer", token: clerk, body: map[string]any{"to_end": true}}, 400, "invalid_transfer"},
		{"transfer without ticket", req{method: "POST", path: "/api/v1/counters/q1/transfer", token: clerk, body: map[string]any{"service": "chung-thuc"}}, 409, "no_current_ticket"},
		{"recall without ticket", req{method: "POST", path: "/api/v1/counters/q1/recall", token: clerk}, 409, "no_current_ticket"},
		{"booking cancel with a phone", req{method: "DELETE", path: "/api/v1/bookings/ACEFGH", body: map[string]string{"phone": "0912345678"}}, 400, "unknown_field"},
		{"booking cancel without token", req{method: "DELETE", path: "/api/v1/bookings/ACEFGH", body: map[string]string{}}, 401, "token_required"},
		{"booking cancel with a wrong token", req{method: "DELETE", path: "/api/v1/bookings/ACEFGH", body: map[string]string{"token": "x"}}, 404, "unknown_booking"},
		{"booking cancel with a huge token", req{method: "DELETE", path: "/api/v1/bookings/ACEFGH", body: map[string]string{"token": strings.Repeat("t", 129)}}, 401, "token_required"},
		{"login SQL injection", req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "nv1' OR '1'='1", "pin": "1234"}}, 400, "invalid_staff"},
		{"login SQL injection PIN", req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "nv2", "pin": "' OR 1=1 --"}}, 401, "invalid_credentials"},
		{"login unknown office", req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": "nope", "counter": "q1", "staff": "nv1", "pin": "1234"}}, 404, "unknown_office"},
		{"login unknown field", req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "1234", "role": "admin"}}, 400, "unknown_field"},
		{"device status without key", req{method: "POST", path: "/api/v1/devices/status", body: map[string]string{"status": "ok"}}, 401, "device_key_required"},
		{"device status bad word", req{method: "POST", path: "/api/v1/devices/status", device: "kiosk1", body: map[string]string{"status": "<script>"}}, 400, "invalid_status"},
		{"device status control char", req{method: "POST", path: "/api/v1/devices/status", device: "kiosk1", body: map[string]string{"status": "paper_end", "message": "a\x00b"}}, 400, "invalid_message"},
		{"device register by clerk", req{method: "POST", path: "/api/v1/admin/devices", token: clerk, body: map[string]string{"name": vi, "kind": "kiosk"}}, 403, "forbidden"},
		{"track unknown ticket", req{method: "GET", path: "/api/v1/tickets/" + sqli + "?token=x"}, 404, "unknown_ticket"},
		{"device name with a bidi override", req{method: "POST", path: "/api/v1/admin/devices", token: adm, body: map[string]string{"name": "TV \u202esảnh", "kind": "display"}}, 400, "invalid_device_name"},
		{"device name with a zero-width space", req{method: "POST", path: "/api/v1/admin/devices", token: adm, body: map[string]string{"name": "TV\u200bsảnh", "kind": "display"}}, 400, "invalid_device_name"},
		{"device status message with a BOM", req{method: "POST", path: "/api/v1/devices/status", device: "kiosk1", body: map[string]string{"status": "paper_end", "message": "\ufeffhết giấy"}}, 400, "invalid_message"},
		{"remote ticket name with a bidi isolate", req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "Lan\u2067"}}, 400, "invalid_name"},
		{"events bad since", req{method: "GET", path: "/api/v1/offices/" + office + "/events?since=-3"}, 400, "invalid_since"},
		{"metrics through a proxy", req{method: "GET", path: "/metrics", header: map[string]string{"X-Forwarded-For": "203.0.113.7"}}, 403, "metrics_loopback_only"},
		{"API metrics through a proxy", req{method: "GET", path: "/api/v1/metrics", header: map[string]string{"Forwarded": "for=203.0.113.7"}}, 403, "metrics_loopback_only"},
		{"device status truncated JSON", req{method: "POST", path: "/api/v1/devices/status", device: "kiosk1", body: `{"status":"ok"`}, 400, "invalid_json"},
		{"remote ticket bad code", req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "A", "code": "12 34 56"}}, 400, "invalid_code"},
		{"check-in with a link (clients take the code out)", req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "kiosk1", body: map[string]string{"code": "https://luot.example.vn/b/ACEFGH"}}, 400, "invalid_code"},
		{"check-in with a look-alike", req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "kiosk1", body: map[string]string{"code": "ACEF0H"}}, 400, "invalid_code"},
		{"check-in of an unknown code with a line end", req{method: "POST", path: "/api/v1/offices/" + office + "/checkins", device: "kiosk1", body: map[string]string{"code": "acef-gh\r\n"}}, 404, "unknown_booking"},
		{"phone code without a verifier", req{method: "POST", path: "/api/v1/offices/" + office + "/phone-codes", body: map[string]string{"phone": "0912345678"}}, 404, "phone_verification_off"},
		{"forged X-Forwarded-For login", req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"X-Forwarded-For": "garbage, 10.0.0.1"}, body: map[string]string{"office": office, "counter": "q1", "staff": "nv3", "pin": "0000"}}, 401, "invalid_credentials"},
	}
	before := e.seq(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(t, c.q)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if code := r.errCode(t); code != c.code {
				t.Fatalf("code %q, want %q: %s", code, c.code, r.body)
			}
			if got := e.seq(t); got != before {
				t.Fatalf("seq moved from %d to %d", before, got)
			}
		})
	}
	// Hostile text that is valid is kept, NFC-normalised: a device name
	// with combining marks and emoji, and one that looks like SQL.
	for _, name := range []string{vi, sqli, `<img src=x onerror=alert(1)>`} {
		var reg DeviceRegistered
		e.must(t, 201, req{method: "POST", path: "/api/v1/admin/devices", token: adm, body: map[string]string{"name": name, "kind": "display"}}).decode(t, &reg)
		if reg.Device.Name != norm.NFC.String(name) {
			t.Fatalf("name %q came back as %q", name, reg.Device.Name)
		}
	}
	body := string(e.must(t, 200, req{method: "GET", path: "/api/v1/admin/devices", token: adm}).body)
	if !strings.Contains(body, norm.NFC.String("Nguyễn Thị Ánh 👵🏽")) || !strings.Contains(body, `DROP TABLE tickets`) || strings.Contains(body, "<img") {
		t.Fatalf("device list lost a name, or did not escape HTML: %s", body)
	}
	if got := e.seq(t); got != before {
		t.Fatalf("seq moved from %d to %d", before, got)
	}
	// And the queue still works.
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/next", token: clerk})
}
