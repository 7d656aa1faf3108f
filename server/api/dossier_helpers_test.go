package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/server/dossier"
	"luot/server/queue"
	"luot/server/workday"
)

// dossierConfig is the office hcm-q1's dossier catalogue for these tests:
// a 15-day construction permit (service xay-dung, department qldt) and a
// same-day birth registration (service ho-tich, department tu-phap);
// pickup tickets of service ho-tich.
func dossierConfig(t testing.TB) *dossier.Config {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	c := &dossier.Config{
		Office: office, Prefix: "TP",
		Fields: []dossier.Field{{ID: "xay-dung", Name: "Xây dựng", NameEN: "Construction"}, {ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status"}},
		Departments: []dossier.Department{
			{ID: "qldt", Name: "Phòng Quản lý đô thị", NameEN: "Urban management"},
			{ID: "tu-phap", Name: "Phòng Tư pháp", NameEN: "Justice"},
		},
		Procedures: []dossier.Procedure{
			{Code: "XD-01", Name: "Cấp giấy phép xây dựng nhà ở riêng lẻ", NameEN: "Building permit for a house", Field: "xay-dung", Service: "xay-dung", Department: "qldt", Days: 15, Fee: 75000,
				Papers: []dossier.Paper{{ID: "don", Name: "Đơn đề nghị cấp giấy phép"}, {ID: "ban-ve", Name: "Bản vẽ thiết kế"}, {ID: "gcn", Name: "Giấy chứng nhận quyền sử dụng đất", Optional: true}}},
			{Code: "HT-01", Name: "Đăng ký khai sinh", NameEN: "Birth registration", Field: "ho-tich", Service: "ho-tich", Department: "tu-phap", Days: 0,
				Papers: []dossier.Paper{{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh"}}},
		},
		Calendar:      workday.Calendar{Location: loc, Holidays: []string{"2027-01-01"}},
		PickupService: "ho-tich", PickupPriority: queue.PriorityNone,
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// dsEnv is the API with dossiers: the clerks of newEnv, the handlers
// "xl-qldt" and "xl-tuphap", a station on counter q1.
type dsEnv struct {
	*env
	cfg *dossier.Config
}

func newDsEnv(t testing.TB, opts ...envOpt) *dsEnv {
	cfg := dossierConfig(t)
	opts = append([]envOpt{withConfig(func(c *Config) { c.Dossiers = cfg })}, opts...)
	e := &dsEnv{env: newEnv(t, opts...), cfg: cfg}
	pin, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	for _, st := range []queue.Staff{
		{ID: "xl-qldt", Office: office, Name: "Cán bộ Đô thị", Role: queue.RoleHandler, Unit: "qldt"},
		{ID: "xl-tuphap", Office: office, Name: "Cán bộ Tư pháp", Role: queue.RoleHandler, Unit: "tu-phap"},
	} {
		if err := e.db.PutStaff(context.Background(), st, pin); err != nil {
			t.Fatal(err)
		}
	}
	e.addStation(t, "st-q1", office, "q1")
	return e
}

// serving opens counter at the clerk's login, gives a kiosk ticket of
// service, calls it there and starts serving it; it returns the clerk's token and the ticket.
func (e *dsEnv) serving(t testing.TB, clerk, counter, service string) (string, TicketJSON) {
	t.Helper()
	tok := e.clerk(t, clerk, counter)
	tk := e.issue(t, "kiosk1", service)
	var a ticketAnswer
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/" + counter + "/call", token: tok, body: map[string]string{"number": tk.Number}})
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/" + counter + "/start", token: tok}).decode(t, &a)
	return tok, a.Ticket
}

// permit is a good body for XD-01.
func permit() map[string]any {
	return map[string]any{"procedure": "XD-01",
		"applicant": map[string]string{"name": "Nguyễn Văn An", "phone": "0903 123 456", "id_number": "001234567890", "address": "12 Lê Lợi"},
		"papers":    []string{"don", "ban-ve"}}
}

// received records a dossier at the clerk's counter and answers it.
func (e *dsEnv) received(t testing.TB, tok, counter string, body any) ReceivedDossierJSON {
	t.Helper()
	var out ReceivedDossierJSON
	e.must(t, http.StatusCreated, req{method: "POST", path: "/api/v1/counters/" + counter + "/dossiers", token: tok, body: body}).decode(t, &out)
	return out
}

// token is the k of an applicant's link.
func linkToken(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("k") == "" {
		t.Fatalf("link %q has no token", link)
	}
	return u.Query().Get("k")
}

// act posts a staff action and answers the dossier.
func (e *dsEnv) act(t testing.TB, tok, code, action string, body any) StaffDossierJSON {
	t.Helper()
	var out struct {
		Dossier StaffDossierJSON `json:"dossier"`
	}
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/dossiers/" + code + "/actions/" + action, token: tok, body: body}).decode(t, &out)
	return out.Dossier
}

// completed is a dossier received at q1 and completed by its handler;
// it answers the code and the applicant's token.
func (e *dsEnv) completed(t testing.TB) (code, k string) {
	t.Helper()
	tok, _ := e.serving(t, "nv1", "q1", "xay-dung")
	rd := e.received(t, tok, "q1", permit())
	h := e.login(t, "xl-qldt", "")
	e.act(t, h, rd.Dossier.Code, "complete", map[string]string{"result": "Giấy phép số 123/GPXD"})
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q1/done", token: tok})
	return rd.Dossier.Code, linkToken(t, rd.Link)
}

// dossierCount is how many dossiers the office has.
func (e *dsEnv) dossierCount(t testing.TB) int {
	t.Helper()
	ds, err := e.db.Dossiers(context.Background(), dossier.Filter{Office: office})
	if err != nil {
		t.Fatal(err)
	}
	return len(ds)
}

// readyEvents are the dossiers.ready events of the office's stream
// after seq: the lists of codes.
func (e *dsEnv) readyEvents(t testing.TB, seq int64) [][]string {
	t.Helper()
	evs, _, err := e.eng.EventsSince(context.Background(), office, seq, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, ev := range evs {
		var w struct {
			Type string                  `json:"type"`
			Data queue.DossiersReadyData `json:"data"`
		}
		if err := json.Unmarshal(ev.Public, &w); err != nil {
			t.Fatal(err)
		}
		if w.Type != string(queue.EventDossiersReady) {
			continue
		}
		codes := []string{}
		for _, d := range w.Data.Dossiers {
			codes = append(codes, d.Code+" "+d.Name)
		}
		out = append(out, codes)
	}
	return out
}

// audited reports whether the office's audit log has action with a
// detail containing s.
func (e *dsEnv) audited(t testing.TB, action, s string) bool {
	t.Helper()
	log, err := e.db.AuditLog(context.Background(), office, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range log {
		if a.Action == action && strings.Contains(a.Detail, s) {
			return true
		}
	}
	return false
}

// later moves the clock on.
func (e *dsEnv) later(d time.Duration) { e.clock.Advance(d) }
