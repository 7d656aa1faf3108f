package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"luot/server/notify"
)

// TestReceiveWithSMSConsent: the applicant's consent at the counter
// makes the SMS subscription with the dossier, so that the "received"
// SMS is in the outbox at once, in the page's language, with the
// applicant's link; without consent nothing is queued; the consent
// without a phone or with a refusal is refused, and on a server without
// an SMS route it is refused (404 sms_off) and no dossier is made.
func TestReceiveWithSMSConsent(t *testing.T) {
	e := newDsEnv(t)
	e.api.cfg.Notify, e.api.cfg.SMS = e.db, true
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	claim := func() []notify.Message {
		t.Helper()
		ms, err := e.db.Claim(context.Background(), e.clock.Now(), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}

	plain := e.received(t, tok, "q1", permit())
	if plain.SMS || len(claim()) != 0 || len(e.subs(t, notify.ItemDossier, plain.Dossier.Code)) != 0 {
		t.Fatalf("a dossier without consent is told: %+v", plain)
	}

	noPhone := permit()
	noPhone["sms_consent"] = true
	noPhone["applicant"] = map[string]string{"name": "Nguyễn Văn An"}
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: noPhone}), 400, "phone_required")
	refused := permit()
	refused["sms_consent"], refused["refuse"] = true, "Thiếu bản vẽ"
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: refused}), 400, "invalid_sms_consent")
	badLang := permit()
	badLang["sms_consent"], badLang["lang"] = true, "fr"
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: badLang}), 400, "invalid_lang")
	if n := e.dossierCount(t); n != 1 {
		t.Fatalf("%d dossiers after refused requests, want 1", n)
	}

	body := permit()
	body["sms_consent"], body["lang"] = true, "en"
	rd := e.received(t, tok, "q1", body)
	if !rd.SMS {
		t.Fatalf("answer %+v: sms not set", rd)
	}
	item := notify.Item{Type: notify.ItemDossier, ID: rd.Dossier.Code, Office: office}
	subs := e.subs(t, notify.ItemDossier, rd.Dossier.Code)
	if len(subs) != 1 || subs[0].Channel != notify.SMS || subs[0].Phone != "+84903123456" || subs[0].Lang != "en" || subs[0].Link != rd.Link {
		t.Fatalf("subscriptions %+v, link %s", subs, rd.Link)
	}
	ms := claim()
	if len(ms) != 1 || ms[0].Sub.ID != subs[0].ID || ms[0].Notice.Kind != notify.DossierReceived || ms[0].Notice.Item != item || ms[0].Notice.Lang != "en" {
		t.Fatalf("outbox %+v", ms)
	}

	// No SMS route: the consent is refused and nothing is made.
	e.api.cfg.SMS = false
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/counters/q1/dossiers", token: tok, body: body}), http.StatusNotFound, "sms_off")
	if n := e.dossierCount(t); n != 2 {
		t.Fatalf("%d dossiers after a consent without SMS, want 2", n)
	}
}
