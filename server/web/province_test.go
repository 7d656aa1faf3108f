package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/internal/pgtest"
	"luot/server/queue"
	"luot/server/report"
)

// provinceOther is the second office of the province tests.
const provinceOther = "phuong-hai"

// newProvinceEnv is the demo office with dossiers, its clerks nv1 and
// nv2, its administrator, a province administrator "tinh" (staff of the
// demo office), and a second office phuong-hai with its clerk "hai"; on
// SQLite, or on PostgreSQL when databaseURL is given.
func newProvinceEnv(t testing.TB, databaseURL ...string) *env {
	t.Helper()
	other := demoOffice()
	other.ID, other.Name, other.NameEN = provinceOther, "Bộ phận Một cửa Phường Hai", "Ward Two One-Stop Shop"
	return newDossierStack(t, stack{
		office: demoOffice(),
		others: []queue.Office{other},
		staff: append(clerks(2),
			queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin},
			queue.Staff{ID: "tinh", Name: "Sở Nội vụ", Role: queue.RoleProvince},
			queue.Staff{ID: "hai", Office: provinceOther, Name: "Nhân viên Phường Hai", Role: queue.RoleClerk}),
		kiosk:       queue.Device{ID: "kiosk1", Name: "Kiosk sảnh"},
		databaseURL: strings.Join(databaseURL, ""),
	})
}

// seedQueue issues two tickets of the demo office and calls one after
// three minutes, so that today has a wait to show.
func (e *env) seedQueue(t testing.TB) {
	t.Helper()
	e.issue("xay-dung")
	e.issue("xay-dung")
	e.clock.Advance(3 * time.Minute)
	nv1 := e.login("nv1", "q1")
	e.call("POST", "/api/v1/counters/q1/open", bearer(nv1), nil, 200, nil)
	e.call("POST", "/api/v1/counters/q1/next", bearer(nv1), nil, 200, nil)
}

// cells are the text of a table line's cells (its header first), tags
// and spaces at the ends removed.
var cellRE = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
var tagRE = regexp.MustCompile(`<[^>]+>`)

func provinceCells(t testing.TB, body, office string) []string {
	t.Helper()
	i := strings.Index(body, `data-office="`+office+`"`)
	if i < 0 {
		t.Fatalf("no line of %s in the page:\n%s", office, body)
	}
	line := body[i:]
	line = line[:strings.Index(line, "</tr>")]
	var out []string
	for _, m := range cellRE.FindAllStringSubmatch(line, -1) {
		out = append(out, strings.TrimSpace(tagRE.ReplaceAllString(m[1], "")))
	}
	return out
}

// TestProvincePage: the province administrator's page shows each office's
// line and the total with the API's figures, every column of an office
// that keeps no dossiers empty ("–"); /admin leads them to it. On SQLite
// and on PostgreSQL.
func TestProvincePage(t *testing.T) {
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			var url []string
			if be == "postgres" {
				url = append(url, pgtest.Get(t).NewDatabase(t))
			}
			e := newProvinceEnv(t, url...)
			if got := e.db.Backend(); got != be {
				t.Fatalf("backend %s, want %s", got, be)
			}
			provincePage(t, e)
		})
	}
}

func provincePage(t *testing.T, e *env) {
	admin := e.login("admin", "")
	key := e.issueKey(t, admin, "motcua", "Hệ thống một cửa tỉnh")
	e.seedOutcomes(t, key)
	e.seedQueue(t)
	tok := e.login("tinh", "")

	r := e.do("GET", "/admin", tok, nil, "")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/province" {
		t.Fatalf("/admin for the province: %d %v", r.status, r.header)
	}
	r = e.do("GET", "/admin/province?from=2026-11-20&to=2026-11-27&lang=en", tok, nil, "")
	if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("page: %d %s", r.status, r.body)
	}
	var p report.Province
	e.call("GET", "/api/v1/province/stats?from=2026-11-20&to=2026-11-27", bearer(tok), nil, 200, &p)
	if len(p.Offices) != 2 || p.Offices[0].Queue.Tickets != 2 || p.Offices[0].Queue.Waits != 1 || p.Offices[0].Dossiers.Received != 4 {
		t.Fatalf("API figures %+v", p)
	}
	demo := provinceCells(t, r.body, office)
	// In English, by its English name; every figure of the API's.
	want := []string{"City One-stop shop (demo)", "2", "0", "0", "3.0", "2", "0", "0", "3.0", "4", "2", "1", "1", "66.7%"}
	if strings.Join(demo, ",") != strings.Join(want, ",") {
		t.Errorf("demo's line %q, want %q", demo, want)
	}
	hai := provinceCells(t, r.body, provinceOther)
	if strings.Join(hai, ",") != "Ward Two One-Stop Shop (phuong-hai),0,0,0,–,0,0,0,–,–,–,–,–,–" {
		t.Errorf("phuong-hai's line %q", hai)
	}
	total := provinceCells(t, r.body, "total")
	if strings.Join(total, ",") != "Total,2,0,0,3.0,2,0,0,3.0,4,2,1,1,66.7%" {
		t.Errorf("total line %q", total)
	}
	for _, link := range []string{`href="/api/v1/province/stats.csv?from=2026-11-20&amp;lang=vi&amp;to=2026-11-27"`, `href="/api/v1/province/stats.csv?from=2026-11-20&amp;lang=en&amp;to=2026-11-27"`, `href="/admin/province"`} {
		if !strings.Contains(r.body, link) {
			t.Errorf("the page lacks %s", link)
		}
	}
	// Without dates: today, in Vietnamese by default.
	r = e.do("GET", "/admin/province", tok, nil, "")
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="2026-11-27"`) || !strings.Contains(r.body, "Số liệu toàn tỉnh") {
		t.Errorf("today's page: %d", r.status)
	}
	// A bad period is refused, saying why, in the page's language.
	for _, c := range []struct{ query, want string }{
		{"?from=27/11/2026", "viết ngày theo dạng YYYY-MM-DD"},
		{"?from=2026-11-27&to=2026-11-01", "ngày kết thúc ở trước ngày bắt đầu"},
		{"?from=2025-01-01&to=2026-11-27", "tối đa 366 ngày"},
	} {
		r := e.do("GET", "/admin/province"+c.query, tok, nil, "")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d, want 400 saying %q", c.query, r.status, c.want)
		}
	}
}

// TestProvincePageRefused: an office's clerk or administrator (of this
// office or another) gets 403 on the page and its CSV; nobody logged in
// goes to the login; the province administrator sees nothing of the
// office's own administration.
func TestProvincePageRefused(t *testing.T) {
	e := newProvinceEnv(t)
	var hai struct{ Token string }
	e.call("POST", "/api/v1/sessions", nil, map[string]string{"office": provinceOther, "staff": "hai", "counter": "q1", "pin": "1234"}, 201, &hai)
	for who, tok := range map[string]string{"clerk": e.login("nv1", "q1"), "admin": e.login("admin", ""), "other office's clerk": hai.Token} {
		r := e.do("GET", "/admin/province", tok, nil, "")
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "Chỉ cán bộ quản trị cấp tỉnh mới được mở trang này") || strings.Contains(r.body, "province-figures") {
			t.Errorf("%s: %d %s", who, r.status, r.body)
		}
		if r := e.apiDo("GET", "/api/v1/province/stats.csv", tok, ""); r.status != http.StatusForbidden {
			t.Errorf("%s: CSV %d", who, r.status)
		}
	}
	r := e.do("GET", "/admin/province?from=2026-11-01", "", nil, "")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/login?next="+url.QueryEscape("/admin/province?from=2026-11-01") {
		t.Errorf("nobody: %d %v", r.status, r.header)
	}
	tok := e.login("tinh", "")
	for _, path := range []string{"/admin/reports", "/admin/dossiers/reports", "/clerk"} {
		if r := e.do("GET", path, tok, nil, ""); r.status != http.StatusForbidden {
			t.Errorf("province on %s: %d", path, r.status)
		}
	}
	if r := e.do("POST", "/admin/office", tok, url.Values{"name": {"Đổi tên"}}, ""); r.status != http.StatusForbidden {
		t.Errorf("province changes the office: %d", r.status)
	}
}

// TestProvinceRoleOnlyFromTheOperator: an office's administrator can
// neither give the province role nor disable or re-PIN a province
// administrator (which would open every office's figures to them): each
// form is refused and changes nothing.
func TestProvinceRoleOnlyFromTheOperator(t *testing.T) {
	e := newProvinceEnv(t)
	admin := e.login("admin", "")
	before, err := e.db.ListStaff(context.Background(), office)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		form string
		f    url.Values
		want string
	}{
		{"staff", url.Values{"id": {"tinh2"}, "name": {"Người mới"}, "role": {"province"}, "pin": {"123456"}}, "vai trò phải là"},
		{"staff-pin", url.Values{"id": {"tinh"}, "pin": {"9999"}}, "tinh là cán bộ cấp tỉnh"},
		{"staff-state", url.Values{"id": {"tinh"}, "disabled": {"true"}}, "tinh là cán bộ cấp tỉnh"},
		{"staff", url.Values{"id": {"tinh"}, "name": {"Đè lên"}, "role": {"admin"}, "pin": {"123456"}}, "tinh là cán bộ cấp tỉnh"},
	} {
		r := e.do("POST", "/admin/"+c.form, admin, c.f, "")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, c.want) {
			t.Errorf("%s %v: %d, want 400 saying %q", c.form, c.f, r.status, c.want)
		}
	}
	after, err := e.db.ListStaff(context.Background(), office)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	if string(a) != string(b) {
		t.Errorf("the staff changed:\n%s\n%s", b, a)
	}
	// The PIN still opens the account.
	e.login("tinh", "")
}
