package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/feedback"
)

func TestIntegrationPutCreatesOnceAndIsIdempotent(t *testing.T) {
	e := newIntegEnv(t)
	received := start.Add(-2 * time.Hour)
	body := newBody(received)
	a := e.putOK(t, http.StatusCreated, "TP-261127-0901", body)
	d := a.Dossier
	if !a.Changed || d.Code != "TP-261127-0901" || d.Status != dossier.StatusReceived || d.Procedure != "KD-01" || d.Department != "tckh" {
		t.Fatalf("created %+v", a)
	}
	if !d.ReceivedAt.Equal(received) || d.DueAt.IsZero() || d.Applicant.IDMasked != "********7890" || d.Applicant.Phone != "+84912345678" || d.External != "G22.99-261127-0001" {
		t.Fatalf("created dossier %+v", d)
	}
	if d.ProcedureName != "Đăng ký thành lập hộ kinh doanh" {
		t.Fatalf("procedure name %q", d.ProcedureName)
	}
	// The same PUT again changes nothing.
	again := e.putOK(t, http.StatusOK, "TP-261127-0901", body)
	if again.Changed || again.Dossier.Version != d.Version {
		t.Fatalf("repeat changed it: %+v", again)
	}
	h := e.history(t, "TP-261127-0901")
	if len(h) != 1 || h[0].Actor.Role != dossier.RoleIntegration || h[0].Actor.ID != "motcua" || h[0].Type != dossier.TypeCreated {
		t.Fatalf("history %+v", h)
	}
	if au := e.audits(t, "dossier_put"); len(au) != 1 || au[0].Who != "integration:motcua" || !strings.Contains(au[0].Detail, "TP-261127-0901 created received") {
		t.Fatalf("audit %+v", au)
	}
}

func TestIntegrationPutMovesOneStepAtItsTime(t *testing.T) {
	e := newIntegEnv(t)
	code := "TP-261127-0902"
	received := start.Add(-3 * time.Hour)
	e.putOK(t, http.StatusCreated, code, newBody(received))
	at1 := start.Add(-2 * time.Hour)
	p := e.putOK(t, http.StatusOK, code, map[string]any{"status": "processing", "status_at": at1.Format(time.RFC3339), "note": "Chuyển phòng"})
	if !p.Changed || p.Dossier.Status != dossier.StatusProcessing || p.Dossier.Department != "tckh" {
		t.Fatalf("processing: %+v", p)
	}
	// A transfer: the same status at another department.
	at2 := start.Add(-time.Hour)
	tr := e.putOK(t, http.StatusOK, code, map[string]any{"status": "processing", "department": "tu-phap", "status_at": at2.Format(time.RFC3339)})
	if !tr.Changed || tr.Dossier.Department != "tu-phap" {
		t.Fatalf("transfer: %+v", tr)
	}
	done := map[string]any{"status": "completed", "result": "Giấy chứng nhận đăng ký hộ kinh doanh", "status_at": start.Format(time.RFC3339)}
	c := e.putOK(t, http.StatusOK, code, done)
	if !c.Changed || c.Dossier.Status != dossier.StatusCompleted || c.Dossier.Result == "" {
		t.Fatalf("completed: %+v", c)
	}
	if again := e.putOK(t, http.StatusOK, code, done); again.Changed {
		t.Fatalf("the same completion again changed it: %+v", again)
	}
	// The board's list has it (the api lane's ready list, on change).
	r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/offices/" + office + "/dossiers/ready"})
	if !strings.Contains(string(r.body), code) {
		t.Fatalf("ready list lacks %s: %s", code, r.body)
	}
	h := e.history(t, code)
	var types []string
	for _, ev := range h {
		types = append(types, ev.Type)
	}
	if got := strings.Join(types, " "); got != "dossier.created dossier.process dossier.transfer dossier.complete" {
		t.Fatalf("history %s", got)
	}
	if !h[1].At.Equal(at1) || !h[2].At.Equal(at2) || h[1].Note != "Chuyển phòng" {
		t.Fatalf("events' times and notes: %+v", h)
	}
	// A note alone is recorded once.
	note := map[string]any{"note": "Đã gửi kết quả qua bưu điện"}
	if n := e.putOK(t, http.StatusOK, code, note); !n.Changed {
		t.Fatal("note not recorded")
	}
	if n := e.putOK(t, http.StatusOK, code, note); n.Changed {
		t.Fatal("the same note recorded twice")
	}
	if au := e.audits(t, "dossier_put"); len(au) != 5 {
		t.Fatalf("audit: %d dossier_put entries, want 5: %+v", len(au), au)
	}
}

func TestIntegrationStaleAndFutureChangesAreRefused(t *testing.T) {
	e := newIntegEnv(t)
	code := "TP-261127-0903"
	e.putOK(t, http.StatusCreated, code, newBody(start.Add(-3*time.Hour)))
	e.putOK(t, http.StatusOK, code, map[string]any{"status": "processing", "status_at": start.Add(-time.Hour).Format(time.RFC3339)})
	before := e.history(t, code)
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"before the latest change", map[string]any{"status": "completed", "result": "x", "status_at": start.Add(-2 * time.Hour).Format(time.RFC3339)}, http.StatusConflict, "stale_change"},
		{"in the future", map[string]any{"status": "completed", "result": "x", "status_at": start.Add(time.Hour).Format(time.RFC3339)}, http.StatusBadRequest, "time_in_future"},
		{"no single step", map[string]any{"status": "returned"}, http.StatusConflict, "no_transition"},
		{"back to received", map[string]any{"status": "received"}, http.StatusConflict, "no_transition"},
		{"another procedure", map[string]any{"procedure": "HT-01", "status": "completed", "result": "x"}, http.StatusConflict, "procedure_mismatch"},
		{"unknown department", map[string]any{"status": "processing", "department": "khong-co"}, http.StatusBadRequest, "unknown_department"},
		{"supplement without what", map[string]any{"status": "needs_supplement"}, http.StatusBadRequest, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.put(t, e.key, code, c.body)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if got := r.errCode(t); c.code != "" && got != c.code {
				t.Fatalf("code %s, want %s", got, c.code)
			}
			if after := e.history(t, code); len(after) != len(before) {
				t.Fatalf("a refused PUT changed the history: %d events, had %d", len(after), len(before))
			}
		})
	}
}

func TestIntegrationKeysRefused(t *testing.T) {
	e := newIntegEnv(t)
	staffTok := e.login(t, "nv1", "q1")
	code := "TP-261127-0904"
	for _, c := range []struct {
		name, key string
		status    int
		code      string
	}{
		{"no key", "", http.StatusUnauthorized, "api_key_required"},
		{"forged key", "forged-key-not-issued-by-anyone", http.StatusUnauthorized, "invalid_api_key"},
		{"oversized key", strings.Repeat("k", 300), http.StatusUnauthorized, "invalid_api_key"},
		{"revoked key", e.revokedKey, http.StatusUnauthorized, "invalid_api_key"},
		{"Open311 key", e.open311Key, http.StatusForbidden, "wrong_key_scope"},
		{"another office's key", e.otherOfficeKey, http.StatusForbidden, "wrong_key_scope"},
		{"a staff session", staffTok, http.StatusUnauthorized, "invalid_api_key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.put(t, c.key, code, newBody(start.Add(-time.Hour)))
			if r.status != c.status || r.errCode(t) != c.code {
				t.Fatalf("status %d, want %d %s: %s", r.status, c.status, c.code, r.body)
			}
			if _, err := e.db.Dossier(context.Background(), code); err == nil {
				t.Fatal("a refused key created the dossier")
			}
		})
	}
	// Every refusal with a key is audited, without the key.
	au := e.audits(t, "integration_refused")
	if len(au) != 6 {
		t.Fatalf("%d refusals audited, want 6: %+v", len(au), au)
	}
	for _, a := range au {
		if strings.Contains(a.Detail, e.open311Key) || strings.Contains(a.Detail, e.revokedKey) {
			t.Fatalf("audit keeps a key: %+v", a)
		}
	}
	// And the dossiers key opens nothing of Open311's admin, nor a
	// session's routes.
	r := e.do(t, req{method: "GET", path: "/api/v1/dossiers/" + code, token: e.key})
	if r.status != http.StatusUnauthorized {
		t.Fatalf("integration key on a staff route: %d %s", r.status, r.body)
	}
}

func TestIntegrationPutBadInput(t *testing.T) {
	e := newIntegEnv(t)
	good := newBody(start.Add(-time.Hour))
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range good {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for _, c := range []struct {
		name   string
		code   string // the dossier's code in the path
		body   any
		ctype  string
		status int
		err    string
	}{
		{"unknown procedure", "TP-261127-0910", with("procedure", "XX-99"), "", http.StatusNotFound, "unknown_procedure"},
		{"no procedure", "TP-261127-0911", with("procedure", nil), "", http.StatusBadRequest, "procedure_required"},
		{"a code of another office", "HN-261127-0001", good, "", http.StatusNotFound, "unknown_dossier"},
		{"not a code", "hello", good, "", http.StatusNotFound, "unknown_dossier"},
		{"malformed JSON", "TP-261127-0912", `{"procedure": "KD-01",`, "", http.StatusBadRequest, "invalid_json"},
		{"unknown field", "TP-261127-0913", with("secret", "x"), "", http.StatusBadRequest, "unknown_field"},
		{"two objects", "TP-261127-0914", `{"procedure":"KD-01"} {}`, "", http.StatusBadRequest, "invalid_json"},
		{"not JSON", "TP-261127-0915", "procedure=KD-01", "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, "not_json"},
		{"oversized", "TP-261127-0916", with("note", strings.Repeat("a", 70<<10)), "", http.StatusRequestEntityTooLarge, "body_too_large"},
		{"empty body", "TP-261127-0917", "", "application/json", http.StatusBadRequest, "empty_body"},
		{"received in the future", "TP-261127-0918", with("received_at", start.Add(time.Hour).Format(time.RFC3339)), "", http.StatusBadRequest, "time_in_future"},
		{"time without offset", "TP-261127-0919", with("received_at", "2026-11-27 07:00"), "", http.StatusBadRequest, "invalid_time"},
		{"unknown status", "TP-261127-0920", with("status", "lost"), "", http.StatusBadRequest, "invalid_status"},
		{"unknown channel", "TP-261127-0921", with("channel", "fax"), "", http.StatusBadRequest, "invalid_channel"},
		{"bad phone", "TP-261127-0922", with("applicant", map[string]string{"name": "A", "phone": "12"}), "", http.StatusBadRequest, "invalid_phone"},
		{"no name", "TP-261127-0923", with("applicant", map[string]string{"name": " "}), "", http.StatusBadRequest, ""},
		{"control character in the name", "TP-261127-0924", with("applicant", map[string]string{"name": "A\x07B"}), "", http.StatusBadRequest, "invalid_applicant_name"},
		{"bad ID number", "TP-261127-0925", with("id_number", "12ab"), "", http.StatusBadRequest, "invalid_id_number"},
		{"paper not on the checklist", "TP-261127-0926", with("papers", []string{"khac"}), "", http.StatusBadRequest, "invalid_papers"},
		{"papers of another type", "TP-261127-0927", with("papers", "giay-de-nghi"), "", http.StatusBadRequest, "invalid_json"},
		{"a new dossier straight to completed", "TP-261127-0928", with("status", "completed"), "", http.StatusConflict, "no_transition"},
		{"an apology's new date", "TP-261127-0930", with("new_due", start.Add(72*time.Hour).Format(time.RFC3339)), "", http.StatusBadRequest, "invalid_new_due"},
		{"a date of 1900", "TP-261127-0929", with("received_at", "1900-01-01T00:00:00Z"), "", http.StatusBadRequest, "invalid_time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(t, req{method: "PUT", path: "/api/v1/dossiers/" + c.code, token: e.key, body: c.body, ctype: c.ctype})
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if got := r.errCode(t); c.err != "" && got != c.err {
				t.Fatalf("error %s, want %s: %s", got, c.err, r.body)
			}
		})
	}
	all, err := e.db.Dossiers(context.Background(), dossier.Filter{Office: office})
	if err != nil || len(all) != 0 {
		t.Fatalf("bad input stored %d dossiers (%v)", len(all), err)
	}
}

func TestIntegrationClientsAdmin(t *testing.T) {
	e := newIntegEnv(t)
	r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/admin/integration-clients", token: e.adminTok})
	var l struct {
		Clients []feedback.APIClient `json:"clients"`
	}
	r.decode(t, &l)
	if len(l.Clients) != 2 || l.Clients[0].ID != "motcua" || l.Clients[1].ID != "old" || !l.Clients[1].Revoked {
		t.Fatalf("clients %+v (the Open311 client must not be listed)", l.Clients)
	}
	if strings.Contains(string(r.body), e.key) {
		t.Fatal("the list shows a key")
	}
	// The key is shown once: issuing again the same id is refused.
	r = e.must(t, http.StatusConflict, req{method: "POST", path: "/api/v1/admin/integration-clients", token: e.adminTok, body: map[string]string{"id": "motcua", "name": "Lần hai"}})
	if r.errCode(t) != "integration_client_exists" {
		t.Fatal(string(r.body))
	}
	// An Open311 client is not revoked here.
	r = e.must(t, http.StatusNotFound, req{method: "DELETE", path: "/api/v1/admin/integration-clients/app", token: e.adminTok})
	if r.errCode(t) != "integration_client_not_found" {
		t.Fatal(string(r.body))
	}
	e.put(t, e.open311Key, "TP-261127-0930", newBody(start.Add(-time.Hour))) // still an Open311 key: refused
	// Clerks and handlers may not manage keys.
	for _, tok := range []string{e.login(t, "nv2", "q2"), e.login(t, "h-tp", "")} {
		e.must(t, http.StatusForbidden, req{method: "GET", path: "/api/v1/admin/integration-clients", token: tok})
		e.must(t, http.StatusForbidden, req{method: "POST", path: "/api/v1/admin/integration-clients", token: tok, body: map[string]string{"id": "x", "name": "x"}})
	}
	// Bad input.
	e.must(t, http.StatusBadRequest, req{method: "POST", path: "/api/v1/admin/integration-clients", token: e.adminTok, body: map[string]string{"id": "Có Dấu", "name": "x"}})
	e.must(t, http.StatusBadRequest, req{method: "POST", path: "/api/v1/admin/integration-clients", token: e.adminTok, body: map[string]string{"id": "ok", "name": ""}})
	// Revoking motcua closes its key at once, and is audited.
	e.must(t, http.StatusNoContent, req{method: "DELETE", path: "/api/v1/admin/integration-clients/motcua", token: e.adminTok})
	if r := e.put(t, e.key, "TP-261127-0931", newBody(start.Add(-time.Hour))); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked key: %d %s", r.status, r.body)
	}
	if au := e.audits(t, "integration_client_revoked"); len(au) != 2 {
		t.Fatalf("revocations audited: %+v", au)
	}
	if au := e.audits(t, "integration_client_issued"); len(au) != 2 {
		t.Fatalf("issues audited: %+v", au)
	}
}

// TestIntegrationConcurrentPuts: the province's system retrying at once
// (eight PUTs in flight) creates the dossier once and moves it once.
func TestIntegrationConcurrentPuts(t *testing.T) {
	e := newIntegEnv(t)
	code := "TP-261127-0950"
	burst := func(body map[string]any) (created, changed int) {
		t.Helper()
		type out struct {
			status int
			a      DossierPutAnswer
		}
		ch := make(chan out, 8)
		for range 8 {
			go func() {
				r := e.put(t, e.key, code, body)
				var a DossierPutAnswer
				_ = json.Unmarshal(r.body, &a)
				ch <- out{r.status, a}
			}()
		}
		for range 8 {
			select {
			case o := <-ch:
				switch {
				case o.status == http.StatusCreated:
					created++
				case o.status != http.StatusOK:
					t.Errorf("status %d", o.status)
				}
				if o.a.Changed {
					changed++
				}
			case <-time.After(wait):
				t.Fatal("a PUT hangs")
			}
		}
		return created, changed
	}
	if created, changed := burst(newBody(start.Add(-time.Hour))); created != 1 || changed != 1 {
		t.Fatalf("creation: %d created, %d changed", created, changed)
	}
	if created, changed := burst(map[string]any{"status": "processing", "status_at": start.Add(-time.Minute).Format(time.RFC3339)}); created != 0 || changed != 1 {
		t.Fatalf("processing: %d created, %d changed", created, changed)
	}
	if h := e.history(t, code); len(h) != 2 {
		t.Fatalf("history of %d events", len(h))
	}
}
