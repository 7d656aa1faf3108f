package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestErrorLanguage: an error's message is in the language the request's
// Accept-Language names first among vi and en, Vietnamese otherwise, for
// the domain's errors and the API's own; the code and the body's shape do
// not change with it.
func TestErrorLanguage(t *testing.T) {
	e := newEnv(t)
	tok := e.login(t, "nv1", "q1")
	next := func(al string) resp {
		h := map[string]string{}
		if al != "" {
			h["Accept-Language"] = al
		}
		return e.do(t, req{method: "POST", path: "/api/v1/counters/q1/next", token: tok, header: h})
	}
	const vi, en = "Quầy 1 đang đóng: hãy mở quầy trước", "counter 1 is closed: open it first"
	for _, c := range []struct{ header, want string }{
		{"", vi},
		{"vi-VN,vi;q=0.9", vi},
		{"en", en},
		{"en-GB,en;q=0.9,vi;q=0.5", en},
		{"fr-FR, en;q=0.5, vi;q=0.9", en},
		{"en;q=0, vi", vi},
		{"fr, de, ja", vi},
		{"eng", vi},
		{"*", vi},
		{";;;,,,q=1", vi},
		{"\xff\xfe en", vi},
		{strings.Repeat("x-", 4000) + ",en", vi},
		{"en" + strings.Repeat(";q=1", 1000), en},
	} {
		r := next(c.header)
		wantErr(t, r, 409, "counter_not_open")
		var body map[string]map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		if got := body["error"]["message"]; got != c.want {
			t.Errorf("Accept-Language %.40q: message %q, want %q", c.header, got, c.want)
		}
		if len(body) != 1 || len(body["error"]) != 2 {
			t.Errorf("Accept-Language %.40q: the body's shape changed: %s", c.header, r.body)
		}
	}
	// The API's own errors, with a parameter, and its words.
	bad := func(al string) resp {
		return e.do(t, req{method: "POST", path: "/api/v1/sessions", header: map[string]string{"Accept-Language": al, "X-Forwarded-For": "203.0.113.9"},
			body: map[string]string{"office": office, "counter": "q1", "staff": "nv1", "pin": "9999"}})
	}
	if r := bad("vi"); !strings.Contains(string(r.body), "Sai mã nhân viên hoặc mã PIN") {
		t.Errorf("a wrong PIN in Vietnamese: %s", r.body)
	}
	if r := bad("en"); !strings.Contains(string(r.body), "wrong staff id or PIN") {
		t.Errorf("a wrong PIN in English: %s", r.body)
	}
	r := e.do(t, req{method: "POST", path: "/api/v1/counters/q1/call", token: tok, body: map[string]string{"number": "Z999"}})
	if r.errCode(t) == "counter_not_open" {
		e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/open", token: tok})
		r = e.do(t, req{method: "POST", path: "/api/v1/counters/q1/call", token: tok, body: map[string]string{"number": "Z999"}})
	}
	wantErr(t, r, 404, "unknown_ticket")
	if !strings.Contains(string(r.body), `Hôm nay không có số \"Z999\"`) {
		t.Errorf("an unknown ticket in Vietnamese: %s", r.body)
	}
	if r := e.do(t, req{method: "GET", path: "/api/v1/nowhere", header: map[string]string{"Accept-Language": "vi"}}); !strings.Contains(string(r.body), "Không có đường dẫn API GET /api/v1/nowhere") {
		t.Errorf("an unknown route in Vietnamese: %s", r.body)
	}
}
