package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/feedback"
	"luot/server/queue"
	"luot/server/workday"
)

// integEnv is the API with dossiers on a real SQLite file: the office
// hcm-q1's dossier catalogue (integConfig), its integration client
// "motcua" (key in key), an Open311 client "app" (key in open311Key),
// a revoked integration client "old" (key in revokedKey), a handler
// "h-tp" of the department tu-phap, and the clerks and the admin of
// newEnv.
type integEnv struct {
	*env
	cfg                         *dossier.Config
	key, open311Key, revokedKey string
	otherOfficeKey              string
	adminTok                    string
}

// integConfig is a small catalogue: a 3-working-day procedure (KD-01), a
// same-day one (HT-01), two fields, two departments; prefix TP.
func integConfig(t testing.TB) *dossier.Config {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	c := &dossier.Config{
		Office: office, Prefix: "TP",
		Fields: []dossier.Field{{ID: "kinh-doanh", Name: "Hộ kinh doanh", NameEN: "Household business"}, {ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status"}},
		Departments: []dossier.Department{
			{ID: "tckh", Name: "Phòng Tài chính – Kế hoạch", NameEN: "Finance and planning"},
			{ID: "tu-phap", Name: "Phòng Tư pháp", NameEN: "Justice"},
		},
		Procedures: []dossier.Procedure{
			{Code: "KD-01", Name: "Đăng ký thành lập hộ kinh doanh", NameEN: "Register a household business", Field: "kinh-doanh", Service: "xay-dung", Department: "tckh", Days: 3,
				Papers: []dossier.Paper{{ID: "giay-de-nghi", Name: "Giấy đề nghị"}, {ID: "cccd", Name: "Bản sao căn cước", Optional: true}}},
			{Code: "HT-01", Name: "Đăng ký khai sinh", NameEN: "Register a birth", Field: "ho-tich", Service: "ho-tich", Department: "tu-phap", Days: 0,
				Papers: []dossier.Paper{{ID: "to-khai", Name: "Tờ khai"}}},
		},
		Calendar:      workday.Calendar{Location: loc, Holidays: []string{"2026-12-31"}},
		PickupService: "chung-thuc",
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

func newIntegEnv(t testing.TB, opts ...envOpt) *integEnv {
	t.Helper()
	cfg := integConfig(t)
	opts = append([]envOpt{withConfig(func(c *Config) { c.Dossiers = cfg; c.MaxBody = 64 << 10 })}, opts...)
	e := &integEnv{env: newEnv(t, opts...), cfg: cfg}
	ctx := context.Background()
	pin, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	if err := e.db.PutStaff(ctx, queue.Staff{ID: "h-tp", Office: office, Name: "Cán bộ Tư pháp", Role: queue.RoleHandler, Unit: "tu-phap"}, pin); err != nil {
		t.Fatal(err)
	}
	e.adminTok = e.login(t, "admin", "")
	issue := func(id string) string {
		r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/admin/integration-clients", token: e.adminTok, body: map[string]string{"id": id, "name": "Hệ thống một cửa tỉnh " + id}})
		var a IntegrationClientIssued
		r.decode(t, &a)
		if a.Key == "" || a.Client.Scope != feedback.ScopeDossiers {
			t.Fatalf("issued %+v", a)
		}
		return a.Key
	}
	e.key = issue("motcua")
	e.revokedKey = issue("old")
	e.must(t, http.StatusNoContent, req{method: "DELETE", path: "/api/v1/admin/integration-clients/old", token: e.adminTok})
	r := e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/admin/open311-clients", token: e.adminTok, body: map[string]string{"id": "app", "name": "Ứng dụng phản ánh"}})
	var o Open311ClientIssued
	r.decode(t, &o)
	e.open311Key = o.Key
	// A dossiers key of the other office (hn-bd), put straight in the store.
	e.otherOfficeKey = "other-office-key-0123456789abcdef"
	if err := e.db.PutAPIClient(ctx, feedback.APIClient{ID: "motcua-hn", Office: "hn-bd", Name: "Một cửa Hà Nội", Created: start, Scope: feedback.ScopeDossiers}, auth.Hash(e.otherOfficeKey)); err != nil {
		t.Fatal(err)
	}
	return e
}

// put sends PUT /dossiers/{code} with key.
func (e *integEnv) put(t testing.TB, key, code string, body any) resp {
	t.Helper()
	return e.do(t, req{method: "PUT", path: "/api/v1/dossiers/" + code, token: key, body: body})
}

// putOK sends a PUT that must answer status, and its answer.
func (e *integEnv) putOK(t testing.TB, status int, code string, body any) DossierPutAnswer {
	t.Helper()
	r := e.put(t, e.key, code, body)
	if r.status != status {
		t.Fatalf("PUT %s: status %d, want %d: %s", code, r.status, status, r.body)
	}
	var a DossierPutAnswer
	r.decode(t, &a)
	return a
}

// history is the stored history of a dossier.
func (e *integEnv) history(t testing.TB, code string) []dossier.Event {
	t.Helper()
	h, err := e.db.History(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// audits are the office's audit entries of action.
func (e *integEnv) audits(t testing.TB, action string) []queue.AuditEntry {
	t.Helper()
	all, err := e.db.AuditLog(context.Background(), office, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []queue.AuditEntry
	for _, a := range all {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

// newBody is a PUT creating a received KD-01 dossier.
func newBody(received time.Time) map[string]any {
	return map[string]any{
		"procedure": "KD-01", "applicant": map[string]string{"name": "Nguyễn Văn An", "phone": "0912 345 678"},
		"id_number": "001234567890", "channel": "online", "external": "G22.99-261127-0001",
		"received_at": received.Format(time.RFC3339), "status": "received", "papers": []string{"giay-de-nghi"},
	}
}
