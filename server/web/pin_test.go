package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"luot/server/queue"
)

// An administrator's PIN has at least queue.DefaultMinAdminPIN characters
// wherever the forms set one: a new administrator, and a PIN reset of an
// existing one. A clerk's PIN still has 4. A refused PIN changes nothing.
func TestAdminPINMinimumInForms(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	for _, c := range []struct {
		form   string
		values url.Values
		status int
	}{
		{"staff", url.Values{"id": {"boss"}, "name": {"Trưởng phòng"}, "role": {"admin"}, "pin": {"1234"}}, 400},
		{"staff", url.Values{"id": {"boss"}, "name": {"Trưởng phòng"}, "role": {"admin"}, "pin": {"12345"}}, 400},
		{"staff-pin", url.Values{"id": {"admin"}, "pin": {"4321"}}, 400},
		{"staff", url.Values{"id": {"nv9"}, "name": {"Mới"}, "role": {"clerk"}, "pin": {"123"}}, 400},
		{"staff", url.Values{"id": {"nv9"}, "name": {"Mới"}, "role": {"clerk"}, "pin": {"9876"}}, 303},
		{"staff-pin", url.Values{"id": {"nv9"}, "pin": {"5555"}}, 303},
		{"staff", url.Values{"id": {"boss"}, "name": {"Trưởng phòng"}, "role": {"admin"}, "pin": {"246810"}}, 303},
		{"staff-pin", url.Values{"id": {"boss"}, "pin": {"135790"}}, 303},
	} {
		r := e.do("POST", "/admin/"+c.form+"?lang=en", adm, c.values, "")
		if r.status != c.status {
			t.Fatalf("%s %v: %d, want %d (%.300s)", c.form, c.values, r.status, c.status, r.body)
		}
		if c.status == 400 && !strings.Contains(r.body, "at least") {
			t.Errorf("%s %v: the page does not say why: %.300s", c.form, c.values, r.body)
		}
	}
	// The admin's PIN is still 1234 (set before the rule; it works until changed).
	e.login("admin", "")
	staff, err := e.db.ListStaff(context.Background(), office)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]queue.Role{}
	for _, s := range staff {
		roles[s.ID] = s.Role
	}
	if roles["boss"] != queue.RoleAdmin || roles["nv9"] != queue.RoleClerk {
		t.Fatalf("staff after the forms: %v", roles)
	}
}
