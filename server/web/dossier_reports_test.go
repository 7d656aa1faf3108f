package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
)

// newKey is the key a keys page shows once.
var newKey = regexp.MustCompile(`<code id="new-key">([A-Za-z0-9_-]{43})</code>`)

// issueKey issues an integration key on the keys page and returns it.
func (e *env) issueKey(t testing.TB, admin, id, name string) string {
	t.Helper()
	r := e.do("POST", "/admin/dossiers/keys", admin, url.Values{"id": {id}, "name": {name}}, "")
	if r.status != http.StatusCreated {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}
	m := newKey.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the page shows no key: %s", r.body)
	}
	return m[1]
}

// putDossier creates or moves a dossier with the integration's key.
func (e *env) putDossier(t testing.TB, key, code string, body map[string]any, want int) {
	t.Helper()
	e.call("PUT", "/api/v1/dossiers/"+code, bearer(key), body, want, nil)
}

func TestDossierKeysPage(t *testing.T) {
	e := newDossierEnv(t)
	admin := e.login("admin", "")
	r := e.do("GET", "/admin/dossiers/keys", admin, nil, "")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="no-clients"`) {
		t.Fatalf("empty page: %d", r.status)
	}
	key := e.issueKey(t, admin, "motcua", "Hệ thống một cửa tỉnh")
	// The key works at once, and is never shown again.
	e.putDossier(t, key, "TP-261127-0101", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "Nguyễn Văn An"}, "received_at": start.Add(-time.Hour).Format(time.RFC3339), "status": "received"}, http.StatusCreated)
	r = e.do("GET", "/admin/dossiers/keys", admin, nil, "")
	if strings.Contains(r.body, key) || !strings.Contains(r.body, `id="client-motcua"`) || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("list: %s", r.body)
	}
	// Refusals keep what was typed and store nothing.
	for _, c := range []struct {
		id, name string
		status   int
	}{{"Mot Cua", "x", http.StatusBadRequest}, {"motcua", "Lần hai", http.StatusBadRequest}, {"ok", "", http.StatusBadRequest}} {
		r := e.do("POST", "/admin/dossiers/keys", admin, url.Values{"id": {c.id}, "name": {c.name}}, "")
		if r.status != c.status || !strings.Contains(r.body, `id="page-error"`) || newKey.MatchString(r.body) {
			t.Fatalf("%q: %d %s", c.id, r.status, r.body)
		}
	}
	// Without the CSRF token, nothing.
	if r := e.do("POST", "/admin/dossiers/keys", admin, url.Values{"id": {"csrf"}, "name": {"x"}}, "-"); r.status != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", r.status)
	}
	// A clerk may not open it.
	clerk := e.login("nv1", "q1")
	if r := e.do("GET", "/admin/dossiers/keys", clerk, nil, ""); r.status != http.StatusForbidden {
		t.Fatalf("clerk: %d", r.status)
	}
	// Revoking closes the key.
	if r := e.do("POST", "/admin/dossiers/keys/revoke", admin, url.Values{"id": {"motcua"}}, ""); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	e.putDossier(t, key, "TP-261127-0102", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "B"}}, http.StatusUnauthorized)
	if r := e.do("POST", "/admin/dossiers/keys/revoke", admin, url.Values{"id": {"nobody"}}, ""); r.status != http.StatusNotFound {
		t.Fatalf("revoke unknown: %d", r.status)
	}
	clients, err := e.db.APIClients(context.Background(), office)
	if err != nil || len(clients) != 1 || !clients[0].Revoked || clients[0].Scope != feedback.ScopeDossiers {
		t.Fatalf("stored clients %+v %v", clients, err)
	}
	log, _ := e.db.AuditLog(context.Background(), office, 100)
	var acts []string
	for _, a := range log {
		if strings.HasPrefix(a.Action, "integration_client") {
			acts = append(acts, a.Action+" "+a.Who)
		}
	}
	if strings.Join(acts, ",") != "integration_client_revoked admin,integration_client_issued admin" {
		t.Fatalf("audit %v", acts)
	}
}

func TestDossierReportsPage(t *testing.T) {
	e := newDossierEnv(t)
	admin := e.login("admin", "")
	key := e.issueKey(t, admin, "motcua", "Một cửa tỉnh")
	e.seedOutcomes(t, key)
	for _, c := range []struct{ lang, title, late string }{{"vi", "Báo cáo hồ sơ", "Hồ sơ trễ hạn"}, {"en", "Dossier reports", "Late dossiers"}} {
		r := e.do("GET", "/admin/dossiers/reports?lang="+c.lang, admin, nil, "")
		if r.status != http.StatusOK || !strings.Contains(r.body, c.title) || !strings.Contains(r.body, c.late) {
			t.Fatalf("%s: %d", c.lang, r.status)
		}
		if n := strings.Count(r.body, "<svg"); n != 5 {
			t.Errorf("%s: %d charts, want 5", c.lang, n)
		}
		for _, code := range []string{"TP-261123-0001", "TP-261120-0001"} {
			if !strings.Contains(r.body, `<a href="/staff/dossiers/`+code+`">`) {
				t.Errorf("%s: the late list lacks %s", c.lang, code)
			}
		}
		if !strings.Contains(r.body, `href="/api/v1/dossiers/stats.csv?lang=vi"`) || !strings.Contains(r.body, `href="/api/v1/dossiers/stats.csv?lang=en"`) {
			t.Errorf("%s: CSV links", c.lang)
		}
	}
	// A period keeps its dates in the CSV links.
	r := e.do("GET", "/admin/dossiers/reports?from=2026-11-26&to=2026-11-27", admin, nil, "")
	if !strings.Contains(r.body, `stats.csv?from=2026-11-26&amp;lang=vi&amp;to=2026-11-27`) {
		t.Fatalf("period links: %s", r.body)
	}
	for _, q := range []string{"?from=27-11-2026", "?from=2026-11-27&to=2026-11-01"} {
		if r := e.do("GET", "/admin/dossiers/reports"+q, admin, nil, ""); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d", q, r.status)
		}
	}
	for _, who := range []string{e.login("nv1", "q1"), e.login("xl-tuphap", "")} {
		if r := e.do("GET", "/admin/dossiers/reports", who, nil, ""); r.status != http.StatusForbidden {
			t.Errorf("not an admin: %d", r.status)
		}
	}
	if r := e.do("GET", "/admin/dossiers/reports", "", nil, ""); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Errorf("nobody: %d", r.status)
	}
}

// seedOutcomes makes, with the integration's key, dossiers of every
// outcome: A late (3 working days, done after its due date), B early, C
// on time (same day), D open and late, E refused. The clock is Friday 27
// November 2026, 08:00.
func (e *env) seedOutcomes(t testing.TB, key string) {
	t.Helper()
	at := func(day, hour, min int) string {
		return time.Date(2026, 11, day, hour, min, 0, 0, start.Location()).Format(time.RFC3339)
	}
	type step struct{ status, at string }
	for _, d := range []struct {
		code, procedure, received, paper string
		steps                            []step
	}{
		{"TP-261123-0001", "KD-01", at(23, 9, 0), "giay-de-nghi", []step{{"processing", at(23, 10, 0)}, {"completed", at(27, 7, 0)}}},
		{"TP-261126-0001", "KD-01", at(26, 8, 0), "giay-de-nghi", []step{{"processing", at(26, 9, 0)}, {"completed", at(27, 7, 30)}}},
		{"TP-261127-0001", "HT-01", at(27, 7, 0), "to-khai", []step{{"processing", at(27, 7, 10)}, {"completed", at(27, 7, 50)}}},
		{"TP-261120-0001", "KD-01", at(20, 9, 0), "giay-de-nghi", []step{{"processing", at(20, 10, 0)}}},
	} {
		e.putDossier(t, key, d.code, map[string]any{"procedure": d.procedure, "applicant": map[string]string{"name": "Nguyễn Văn An"},
			"received_at": d.received, "status": "received", "papers": []string{d.paper}}, http.StatusCreated)
		for _, s := range d.steps {
			e.putDossier(t, key, d.code, map[string]any{"status": s.status, "status_at": s.at, "result": "Kết quả"}, http.StatusOK)
		}
	}
	e.putDossier(t, key, "TP-261127-0002", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "Trần Thị Bình"},
		"status": "refused", "note": "Thiếu giấy tờ"}, http.StatusCreated)
}
