package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestAdminFormsRefuseFormatCharacters: every name an admin types (office
// name and ticker, service, counter, staff and device names) refuses bidi
// overrides and zero-width characters with a 400 that changes nothing
// and marks the field;
// an emoji sequence joined by ZWJ is a name like any other.
func TestAdminFormsRefuseFormatCharacters(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	v0, err := e.eng.View(office)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		form   string
		values url.Values
	}{
		{"office", url.Values{"name": {"Bộ phận \u202eMột cửa"}, "name_en": {"One-stop"}, "ticker": {"Xin chào"}}},
		{"office", url.Values{"name": {"Bộ phận Một cửa"}, "name_en": {"One\u200bstop"}, "ticker": {"Xin chào"}}},
		{"office", url.Values{"name": {"Bộ phận Một cửa"}, "ticker": {"\ufeffXin chào"}}},
		{"service", url.Values{"id": {"xay-dung"}, "name": {"Xây dựng\u2066"}, "prefix": {"A"}, "default_minutes": {"15"}, "active": {"on"}}},
		{"service", url.Values{"id": {"moi"}, "name": {"Mới"}, "name_en": {"New\u200e"}, "prefix": {"M"}, "default_minutes": {"15"}, "active": {"on"}}},
		{"counter", url.Values{"id": {"q1"}, "number": {"1"}, "name": {"Quầy\u00ad 1"}, "services": {"xay-dung:0"}}},
		{"staff", url.Values{"id": {"nv8"}, "name": {"Nguyễn\u200f Lan"}, "role": {"clerk"}, "pin": {"1234"}}},
		{"staff", url.Values{"id": {"nv9"}, "name": {"Lan\U000e0041"}, "role": {"clerk"}, "pin": {"1234"}}},
		{"device", url.Values{"id": {"tv9"}, "name": {"TV\u2060sảnh"}, "kind": {"display"}}},
	}
	for _, c := range cases {
		r := e.do("POST", "/admin/"+c.form+"?lang=en", adm, c.values, "")
		if r.status != 400 || !strings.Contains(r.body, "character") || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Errorf("%s %v: %d, want 400 naming the character kind", c.form, c.values, r.status)
		}
	}
	// A Vietnamese page says it in Vietnamese.
	if r := e.do("POST", "/admin/office", adm, cases[0].values, ""); r.status != 400 || !strings.Contains(r.body, "ký tự định dạng vô hình") {
		t.Errorf("office on a Vietnamese page: %d, want 400 naming the character kind in Vietnamese: %.300s", r.status, r.body)
	}
	v, _ := e.eng.View(office)
	if v.Seq != v0.Seq || v.Office.Name != v0.Office.Name || v.Office.Ticker != v0.Office.Ticker || v.Office.Service("moi") != nil || v.Office.Counter("q1").Name != "Quầy 1" {
		t.Fatalf("a refused form changed the office: seq %d → %d", v0.Seq, v.Seq)
	}
	staff, _ := e.db.ListStaff(context.Background(), office)
	devs, _ := e.db.ListDevices(context.Background(), office)
	for _, s := range staff {
		if s.ID == "nv8" || s.ID == "nv9" {
			t.Fatalf("refused staff member %s was stored", s.ID)
		}
	}
	for _, d := range devs {
		if d.ID == "tv9" {
			t.Fatal("refused device was stored")
		}
	}
	if r := e.do("POST", "/admin/staff", adm, url.Values{"id": {"nv7"}, "name": {"Lan 👩‍💻"}, "role": {"clerk"}, "pin": {"1234"}}, ""); r.status != 303 {
		t.Fatalf("staff name with an emoji sequence: %d", r.status)
	}
}

// TestAdminHoursAreHHMM: opening hours are HH:MM-HH:MM, 24:00 allowed as
// an end; the spellings a lenient parser reads as times are refused and
// change nothing.
func TestAdminHoursAreHHMM(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	for _, h := range []string{"+7:30-11:30", "07:30-11:+0", "07:-0-11:30", "7:30-11:30", "07:30-11:3", "０７:30-11:30", "07:30-24:30", "24:00-24:00", "07:30-11:30 13:30-17:00"} {
		if r := e.do("POST", "/admin/hours", adm, url.Values{"hours_mon": {h}}, ""); r.status != 400 {
			t.Errorf("hours %q: %d, want 400", h, r.status)
		}
	}
	v, _ := e.eng.View(office)
	if got := v.Office.Hours["mon"]; len(got) != 1 || got[0].From != "00:00" || got[0].To != "24:00" {
		t.Fatalf("refused hours changed Monday: %v", got)
	}
	if r := e.do("POST", "/admin/hours", adm, url.Values{"hours_mon": {" 07:30-11:30 , 13:30 - 24:00 "}}, ""); r.status != 303 {
		t.Fatalf("valid hours: %d %s", r.status, r.body)
	}
	v, _ = e.eng.View(office)
	if got := FormatHours(v.Office.Hours, "mon"); got != "07:30-11:30, 13:30-24:00" {
		t.Fatalf("Monday is %q", got)
	}
}
