package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingVerifier is a PhoneVerifier that keeps the codes it is asked
// to send, as an SMS gateway would deliver them.
type recordingVerifier struct {
	mu    sync.Mutex
	sent  map[string]string // phone → last code
	fails bool
}

func (v *recordingVerifier) SendCode(_ context.Context, office, phone, code string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.fails {
		return errors.New("gateway down")
	}
	if v.sent == nil {
		v.sent = map[string]string{}
	}
	v.sent[phone] = code
	return nil
}

func (v *recordingVerifier) code(phone string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.sent[phone]
}

func TestRemoteTicketNeedsVerifiedPhone(t *testing.T) {
	ver := &recordingVerifier{}
	e := newEnv(t, withConfig(func(c *Config) { c.PhoneVerifier = ver }))
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 100, PerIPEvery: time.Second, PerPhoneBurst: 100, PerPhoneEvery: time.Second})
	const phone, e164 = "0912 345 678", "+84912345678"
	wantStatus := func(r resp, status int) resp {
		t.Helper()
		if r.status != status {
			t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
		}
		return r
	}
	remote := func(code string) resp {
		body := map[string]string{"service": "ho-tich", "phone": phone, "name": "Vũ Thị Mai"}
		if code != "" {
			body["code"] = code
		}
		return e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", body: body})
	}
	askCode := func() resp {
		return e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/phone-codes", body: map[string]string{"phone": phone}})
	}
	// The office tells the pages to ask for a code.
	var o OfficeJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/offices/" + office}).decode(t, &o)
	if !o.PhoneCode {
		t.Fatal("phone_code false with a verifier")
	}
	wantErr(t, remote(""), http.StatusForbidden, "phone_unverified")
	wantErr(t, remote("123456"), http.StatusForbidden, "wrong_code") // no code was sent
	wantErr(t, remote("12345"), http.StatusBadRequest, "invalid_code")

	r := wantStatus(askCode(), http.StatusAccepted)
	code := ver.code(e164)
	if len(code) != codeDigits || strings.Contains(string(r.body), code) || strings.Contains(string(r.body), "345678") {
		t.Fatalf("code %q, answer %s", code, r.body)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr(t, remote(wrong), http.StatusForbidden, "wrong_code")
	wantStatus(remote(code), http.StatusCreated)
	// A code serves one ticket.
	wantErr(t, remote(code), http.StatusForbidden, "wrong_code")

	// Five wrong codes throw the code away; so does its expiry.
	wantStatus(askCode(), http.StatusAccepted)
	code = ver.code(e164)
	for range codeTries {
		wantErr(t, remote(wrong), http.StatusForbidden, "wrong_code")
	}
	wantErr(t, remote(code), http.StatusForbidden, "wrong_code")
	wantStatus(askCode(), http.StatusAccepted)
	code = ver.code(e164)
	e.clock.Advance(codeTTL)
	wantErr(t, remote(code), http.StatusForbidden, "wrong_code")

	// A gateway that fails: 503, try again.
	ver.fails = true
	r = e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/phone-codes", body: map[string]string{"phone": "0987654321"}})
	wantErr(t, r, http.StatusServiceUnavailable, "code_not_sent")
	if r.header.Get("Retry-After") != "60" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// Bad input changes nothing.
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/phone-codes", body: map[string]string{"phone": "12345"}}), http.StatusBadRequest, "invalid_phone")
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/nope/phone-codes", body: map[string]string{"phone": phone}}), http.StatusNotFound, "unknown_office")
}

// Without a verifier, nothing changes for the citizen and phone-codes is
// not there.
func TestPhoneVerificationOff(t *testing.T) {
	e := newEnv(t)
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/phone-codes", body: map[string]string{"phone": "0912345678"}}),
		http.StatusNotFound, "phone_verification_off")
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0912345678", "name": "Vũ Thị Mai", "code": "123456"}})
}
