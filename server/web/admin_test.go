package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"luot/server/auth"
	"luot/server/queue"
)

// adminSnapshot is everything an admin form can change.
func adminSnapshot(t *testing.T, e *env) string {
	t.Helper()
	v, err := e.eng.View(office)
	if err != nil {
		t.Fatal(err)
	}
	staff, err1 := e.db.ListStaff(context.Background(), office)
	devs, err2 := e.db.ListDevices(context.Background(), office)
	audit, err3 := e.db.AuditLog(context.Background(), office, 100)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	b, err := json.Marshal([]any{v.Seq, v.Office, staff, devs, len(audit)})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// postRaw posts body as a form exactly as given (no encoding).
func postRaw(t *testing.T, e *env, path, token, body string) resp {
	t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.AddCookie(cookie(token))
	r, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{status: r.StatusCode, header: r.Header, body: string(b)}
}

// TestAdminHostileFormsChangeNothing: oversized, malformed and
// out-of-range forms get a 4xx that changes nothing (configuration, staff,
// devices, audit log); a refused page shows what was typed as text, by
// the field at fault, in the page's language.
func TestAdminHostileFormsChangeNothing(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	csrf := url.QueryEscape(auth.CSRFToken(adm))
	before := adminSnapshot(t, e)
	big := strings.Repeat("x", 70<<10)
	for _, c := range []struct{ form, body string }{
		{"office", "csrf=" + csrf + "&name=" + big},                            // over 64 KiB
		{"service", "csrf=" + csrf + "&id=ho-tich&name=%zz&default_minutes=5"}, // bad percent-encoding
		{"office", "csrf=" + csrf + "&name=%ff%fe&ticker=x"},                   // not UTF-8
		{"service", "csrf=" + csrf + "&id=ho-tich&name=A&digits=99999999999999999999&default_minutes=5"},
		{"service", "csrf=" + csrf + "&id=ho-tich&name=A&digits=0x3&default_minutes=5"},
		{"service", "csrf=" + csrf + "&id=ho-tich&name=A&default_minutes=NaN"},
		{"service", "csrf=" + csrf + "&id=ho-tich&name=A&default_minutes=1e400"},
		{"service", "csrf=" + csrf + "&id=../../etc&name=A&default_minutes=5"},
		{"service", "csrf=" + csrf + "&id=ho-tich&name=&default_minutes=5"},
		{"counter", "csrf=" + csrf + "&id=q1&number=-1&services=ho-tich:0"},
		{"counter", "csrf=" + csrf + "&id=q1&number=1&services=" + strings.Repeat("ho-tich:1,", 101)},
		{"counter", "csrf=" + csrf + "&id=q1&number=1&services=nope:0"},
		{"hours", "csrf=" + csrf + "&hours_mon=" + strings.Repeat("07:00-07:01,", 13)},
		{"hours", "csrf=" + csrf + "&holidays=2026-02-30"},
		{"policy", "csrf=" + csrf + "&late_checkin=%3Cscript%3E&recent_calls=5"},
		{"policy", "csrf=" + csrf + "&default_bonus=-5&late_checkin=walkin&recent_calls=5"},
		{"staff", "csrf=" + csrf + "&id=nv7&name=Lan&role=root&pin=1234"},
		{"staff-state", "csrf=" + csrf + "&id=nobody&disabled=true"},
		{"staff-pin", "csrf=" + csrf + "&id=nv1&pin=" + strings.Repeat("9", 40)},
		{"device", "csrf=" + csrf + "&id=tv1&name=TV&kind=toaster"},
		{"device-revoke", "csrf=" + csrf + "&id=nothing"},
		{"office", "name=Hack"}, // no CSRF token
	} {
		r := postRaw(t, e, "/admin/"+c.form, adm, c.body)
		if r.status < 400 || r.status >= 500 {
			t.Errorf("%s %.80s: %d, want 4xx", c.form, c.body, r.status)
		}
		if after := adminSnapshot(t, e); after != before {
			t.Fatalf("%s %.80s changed the office:\n%s\n%s", c.form, c.body, before, after)
		}
	}

	// What was typed comes back as text in its field, the field marked.
	r := e.do("POST", "/admin/service", adm, url.Values{"id": {"ho-tich"}, "name": {`"><script>alert(1)</script>`}, "prefix": {"D"},
		"digits": {"99"}, "default_minutes": {"8"}, "active": {"on"}}, "")
	if r.status != 400 || strings.Contains(r.body, "<script>alert") || !strings.Contains(r.body, `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Fatalf("refused service form: %d\n%.2000s", r.status, r.body)
	}
	if !strings.Contains(r.body, `name="digits" value="99" form="service-ho-tich" maxlength="1" aria-label="Số chữ số — ho-tich" aria-invalid="true"`) ||
		!strings.Contains(r.body, "Số chữ số: phải là số nguyên từ 0 đến 6") {
		t.Fatalf("the digits field is not marked with its Vietnamese error:\n%s", r.body[strings.Index(r.body, `id="services"`):][:3000])
	}
	// A refusal about a whole row shows under that row, in English on an
	// English page.
	r = e.do("POST", "/admin/staff-state?lang=en", adm, url.Values{"id": {"admin"}, "disabled": {"true"}}, "")
	if i := strings.Index(r.body, `<tr class="row-error"><td colspan="8" role="alert">you cannot disable yourself`); r.status != 400 || i < 0 || i < strings.Index(r.body, `<code>admin</code>`) {
		t.Fatalf("self-disable: %d\n%s", r.status, r.body)
	}
	if after := adminSnapshot(t, e); after != before {
		t.Fatal("a refused form changed the office")
	}
}

// TestAdminAuditReadable: an admin change is logged as its fields before
// and after, and the page words them in its language (hours as
// "T2–T6 07:30–11:30, 13:30–17:00", no Go maps or JSON).
func TestAdminAuditReadable(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	hours := url.Values{"holidays": {"2026-09-02"}}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		hours.Set("hours_"+d, "07:30-11:30, 13:30-17:00")
	}
	hours.Set("hours_sat", "07:30-11:30")
	if r := e.do("POST", "/admin/hours", adm, hours, ""); r.status != 303 || r.header.Get("Location") != "/admin?saved=hours#hours" {
		t.Fatalf("hours: %d %s", r.status, r.header.Get("Location"))
	}
	if r := e.do("POST", "/admin/service", adm, url.Values{"id": {"ho-tich"}, "name": {"Hộ tịch"}, "prefix": {"D"}, "digits": {"3"}, "default_minutes": {"9"}, "active": {"on"}}, ""); r.status != 303 {
		t.Fatalf("service: %d", r.status)
	}
	for _, c := range []struct{ lang, hours, holiday, minutes string }{
		{"vi", "Giờ mở cửa: T2–CN 00:00–24:00 → T2–T6 07:30–11:30, 13:30–17:00; T7 07:30–11:30", "Ngày nghỉ lễ (YYYY-MM-DD, mỗi dòng một ngày): (trống) → 2026-09-02", "Phút mỗi lượt: "},
		{"en", "Opening hours: Mon–Sun 00:00–24:00 → Mon–Fri 07:30–11:30, 13:30–17:00; Sat 07:30–11:30", "Holidays (YYYY-MM-DD, one per line): (empty) → 2026-09-02", "Minutes each: "},
	} {
		r := e.do("GET", "/admin?lang="+c.lang, adm, nil, "")
		audit := r.body[strings.Index(r.body, `id="audit"`):]
		for _, want := range []string{c.hours, c.holiday, c.minutes} {
			if !strings.Contains(audit, want) {
				t.Errorf("%s: the audit log lacks %q:\n%s", c.lang, want, audit)
			}
		}
		for _, bad := range []string{"map[", "{&#34;", `{"`} {
			if strings.Contains(audit, bad) {
				t.Errorf("%s: the audit log shows %q:\n%s", c.lang, bad, audit)
			}
		}
	}
	// The stored detail is the fields, for any reader.
	log, _ := e.db.AuditLog(context.Background(), office, 5)
	var d auditDetail
	if err := json.Unmarshal([]byte(log[1].Detail), &d); err != nil || d.Form != "hours" || d.After["hours_mon"] != "07:30-11:30, 13:30-17:00" {
		t.Fatalf("stored detail %q (%v)", log[1].Detail, err)
	}
}

// TestAdminFormAddressLeadsBack: the language link of a refused form's
// page (GET of the form's address) leads to the admin page in that
// language, not to a 405.
func TestAdminFormAddressLeadsBack(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	for path, want := range map[string]string{"/admin/service?lang=en": "/admin?lang=en", "/admin/hours?lang=x": "/admin"} {
		if r := e.do("GET", path, adm, nil, ""); r.status != 303 || r.header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 303 to %q", path, r.status, r.header.Get("Location"), want)
		}
	}
}

// TestAdminFeedbackStaff: the staff form adds report moderators and
// handlers; a handler needs a unit and only a handler has one, refused
// at the unit field with nothing stored; the list shows the unit.
func TestAdminFeedbackStaff(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"id": {"xl1"}, "name": {"Xử Lý"}, "role": {"handler"}, "pin": {"1234"}}, "Cán bộ xử lý phản ánh cần có đơn vị công tác"},
		{url.Values{"id": {"kd1"}, "name": {"Kiểm Duyệt"}, "role": {"moderator"}, "unit": {"qldt"}, "pin": {"1234"}}, "Chỉ cán bộ xử lý phản ánh mới thuộc một đơn vị"},
		{url.Values{"id": {"xl2"}, "name": {"Xử Lý"}, "role": {"handler"}, "unit": {"Phường A"}, "pin": {"1234"}}, "Mã đơn vị"},
	} {
		r := e.do("POST", "/admin/staff", adm, c.form, "")
		if r.status != 400 || !strings.Contains(r.body, c.want) || !strings.Contains(r.body, `name="unit"`) {
			t.Fatalf("%v: %d\n%.3000s", c.form, r.status, r.body)
		}
		if !strings.Contains(r.body, `name="unit" size="10" maxlength="32" value="`+c.form.Get("unit")+`" aria-invalid="true"`) {
			t.Fatalf("%v: the unit field is not marked:\n%.3000s", c.form, r.body)
		}
	}
	for _, f := range []url.Values{
		{"id": {"xl1"}, "name": {"Xử Lý"}, "role": {"handler"}, "unit": {"phuong-dong"}, "pin": {"1234"}},
		{"id": {"kd1"}, "name": {"Kiểm Duyệt"}, "role": {"moderator"}, "pin": {"1234"}},
	} {
		if r := e.do("POST", "/admin/staff", adm, f, ""); r.status != 303 {
			t.Fatalf("%v: %d\n%.2000s", f, r.status, r.body)
		}
	}
	list, err := e.db.ListStaff(context.Background(), e.officeID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]queue.Staff{}
	for _, s := range list {
		got[s.ID] = s
	}
	if got["xl1"].Role != queue.RoleHandler || got["xl1"].Unit != "phuong-dong" || got["kd1"].Role != queue.RoleModerator || got["kd1"].Unit != "" {
		t.Fatalf("stored staff: %+v", list)
	}
	if _, ok := got["xl2"]; ok {
		t.Fatal("a refused handler was stored")
	}
	r := e.do("GET", "/admin?lang=en", adm, nil, "")
	if !strings.Contains(r.body, "Report handler · <code>phuong-dong</code>") || !strings.Contains(r.body, "Report moderator") {
		t.Fatalf("the staff list does not show the roles and unit:\n%.3000s", r.body)
	}
}
