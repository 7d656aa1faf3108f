package officefile

import (
	"bytes"
	"context"
	"strings"
	"testing"
	_ "time/tzdata"

	"luot/assets"
	"luot/server/queue"
)

func TestParseDemo(t *testing.T) {
	f, err := Parse(assets.DemoOffice)
	if err != nil {
		t.Fatalf("demo office file does not parse: %v", err)
	}
	if f.Office.ID != "demo" || len(f.Office.Services) < 6 || len(f.Office.Counters) != 4 {
		t.Fatalf("demo office: id %q, %d services, %d counters", f.Office.ID, len(f.Office.Services), len(f.Office.Counters))
	}
	clerks := 0
	for _, s := range f.Staff {
		if s.Role == "clerk" && s.PIN == "1234" {
			clerks++
		}
	}
	if clerks != 4 || len(f.Devices) != 3 {
		t.Fatalf("demo staff/devices: %d clerks with PIN 1234, %d devices", clerks, len(f.Devices))
	}
	if d := f.Devices[2]; d.Kind != "station" || d.Counter != "q3" {
		t.Fatalf("demo station: %+v", d)
	}
	if r := f.Office.Rating; len(r.Reasons) != 5 || r.PromptSeconds != 30 || r.WindowSeconds != 600 || f.Staff[0].Title == "" {
		t.Fatalf("demo rating policy %+v, title %q", r, f.Staff[0].Title)
	}
	for _, s := range f.Office.Services {
		if !f.Office.ServedBy(s.ID) {
			t.Errorf("demo service %s is served by no counter", s.ID)
		}
	}
}

func TestEncodeParseRoundTrip(t *testing.T) {
	f, err := Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatalf("exported file does not parse: %v\n%s", err, buf.String())
	}
	var again bytes.Buffer
	if err := Encode(&again, g); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Fatalf("round trip changed the file:\n%s\nvs\n%s", buf.String(), again.String())
	}
}

func TestParseRefuses(t *testing.T) {
	demo := string(assets.DemoOffice)
	cases := []struct {
		name, from, to, want string
	}{
		{"unknown field", `"ticker":`, `"tickr": "x", "ticker":`, "unknown field"},
		{"bad pin", `"pin": "1234"}`, `"pin": "12ab"}`, "pin must be 4 to 12 digits"},
		{"pin and hash", `"pin": "1234"}`, `"pin": "1234", "pin_hash": "$2a$10$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`, "exactly one of pin"},
		{"bad role", `"role": "admin"`, `"role": "root"`, "role"},
		{"handler without unit", `"role": "clerk", "pin": "1234"},`, `"role": "handler", "pin": "1234"},`, "a handler needs"},
		{"clerk with unit", `"role": "clerk", "pin": "1234"},`, `"role": "clerk", "unit": "phuong-a", "pin": "1234"},`, "only a handler"},
		{"bad unit", `"role": "clerk", "pin": "1234"},`, `"role": "handler", "unit": "Phường A", "pin": "1234"},`, "unit"},
		{"short key", `"key": "demo-kiosk"`, `"key": "k"`, "key must be"},
		{"bad kind", `"kind": "display"`, `"kind": "phone"`, "kind"},
		{"station without counter", `"kind": "station", "counter": "q3"`, `"kind": "station"`, "a station needs"},
		{"station at unknown counter", `"counter": "q3", "key"`, `"counter": "q9", "key"`, "a station needs"},
		{"kiosk with counter", `"kind": "kiosk",`, `"kind": "kiosk", "counter": "q1",`, "only a station"},
		{"control character in title", `"title": "Chuyên viên"`, "\"title\": \"a\\u0007b\"", "control character"},
		{"reason id", `{"id": "wait",`, `{"id": "Chờ lâu",`, "reason 1 has id"},
		{"reason twice", `{"id": "other",`, `{"id": "wait",`, "reason wait appears twice"},
		{"reason without name", `"name": "Khác", "name_en": "Other"`, `"name": "", "name_en": "Other"`, "rating reason name"},
		{"reason bidi", `"name": "Khác"`, `"name": "Kh\u202eác"`, "invisible formatting character"},
		{"prompt too short", `"prompt_seconds": 30`, `"prompt_seconds": 1`, "prompt_seconds 1"},
		{"prompt too long", `"prompt_seconds": 30`, `"prompt_seconds": 3000`, "prompt_seconds 3000"},
		{"negative prompt", `"prompt_seconds": 30`, `"prompt_seconds": -30`, "prompt_seconds -30"},
		{"window shorter than prompt", `"window_seconds": 600`, `"window_seconds": 10`, "window_seconds 10"},
		{"window over a day", `"window_seconds": 600`, `"window_seconds": 100000`, "window_seconds 100000"},
		{"unknown rating field", `"prompt_seconds": 30`, `"prompt_seconds": 30, "scale": 5`, "unknown field"},
		{"too many reasons", `{"id": "other",`, `{"id": "r5", "name": "5"}, {"id": "r6", "name": "6"}, {"id": "r7", "name": "7"}, {"id": "r8", "name": "8"}, {"id": "other",`, "too many"},
		{"bad timezone", `"timezone": "Asia/Ho_Chi_Minh"`, `"timezone": "Mars/Olympus"`, "timezone"},
		{"unknown service at counter", `{"service": "xay-dung", "offset_minutes": 0}, {"service": "dat-dai"`, `{"service": "nope", "offset_minutes": 0}, {"service": "dat-dai"`, "nope"},
		{"trailing data", "\n}\n", "\n}\n{}", ""},
		{"script in staff name", `"Nguyễn Văn An"`, "\"bad\\u0007name\"", "control character"},
		{"bidi override in staff name", `"Nguyễn Văn An"`, `"Nguyễn \u202eVăn An"`, "invisible formatting character"},
		{"zero-width space in service name", `"Cấp giấy phép xây dựng"`, `"Cấp giấy\u200b phép xây dựng"`, "invisible formatting character"},
		{"BOM in counter name", `"Quầy 1"`, `"\ufeffQuầy 1"`, "invisible formatting character"},
		{"signed hour", `"mon": [{"from": "00:00"`, `"mon": [{"from": "+0:00"`, "opening hours of mon"},
		{"signed minute", `"tue": [{"from": "00:00", "to": "24:00"}]`, `"tue": [{"from": "00:00", "to": "23:-0"}]`, "opening hours of tue"},
		{"fullwidth digits", `"wed": [{"from": "00:00"`, `"wed": [{"from": "００:00"`, "opening hours of wed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := strings.Replace(demo, c.from, c.to, 1)
			if c.name == "trailing data" {
				in = demo + "{}"
			}
			if in == demo {
				t.Fatalf("test case did not change the file (from %q not found)", c.from)
			}
			_, err := Parse([]byte(in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(assets.DemoOffice)
	f.Add([]byte(`{"office": {"id": "x"}}`))
	f.Add([]byte(`// only a comment`))
	f.Add([]byte(`{"office": {"id": "a", "name": "<script>alert(1)</script>", "services": []}}`))
	f.Add([]byte("{\"a\": \"\\\"//\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		// Whatever parses must encode and parse back to the same file.
		var buf bytes.Buffer
		if err := Encode(&buf, file); err != nil {
			t.Fatalf("encode: %v", err)
		}
		if _, err := Parse(buf.Bytes()); err != nil {
			t.Fatalf("a parsed file does not parse after encoding: %v", err)
		}
	})
}

// recordingStore counts what ApplyAccounts writes.
type recordingStore struct{ staff, devices int }

func (s *recordingStore) PutStaff(context.Context, queue.Staff, []byte) error { s.staff++; return nil }
func (s *recordingStore) PutDevice(context.Context, queue.Device, []byte) error {
	s.devices++
	return nil
}

// An office file that gives an administrator a short PIN is refused
// before anything is written; the demo file passes.
func TestAdminPINMinimumOnImport(t *testing.T) {
	hash := func(string) ([]byte, error) { return []byte("hash"), nil }
	demo, err := Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	var st recordingStore
	if err := ApplyAccounts(context.Background(), &st, demo, hash, 0); err != nil || st.staff != len(demo.Staff) {
		t.Fatalf("demo: %v, %d staff written", err, st.staff)
	}
	short := strings.Replace(string(assets.DemoOffice), `"role": "admin", "pin": "123456"`, `"role": "admin", "pin": "1234"`, 1)
	f, err := Parse([]byte(short))
	if err != nil {
		t.Fatal(err) // a 4-digit PIN is well-formed; its length is a rule of its role
	}
	st = recordingStore{}
	err = ApplyAccounts(context.Background(), &st, f, hash, 0)
	if err == nil || !strings.Contains(err.Error(), "staff admin: an administrator's PIN must have at least 6") || st.staff+st.devices != 0 {
		t.Fatalf("short admin PIN: %v; %d staff, %d devices written", err, st.staff, st.devices)
	}
	// The minimum is configurable.
	if err := ApplyAccounts(context.Background(), &st, f, hash, 4); err != nil {
		t.Fatalf("minimum 4: %v", err)
	}
	if err := f.CheckPINs(8); err == nil {
		t.Fatal("minimum 8 accepted the demo's clerks and a 4-digit admin")
	}
}

// Moderators and handlers (with their unit) parse, and the unit goes to
// the store.
func TestFeedbackRoles(t *testing.T) {
	in := strings.Replace(string(assets.DemoOffice), `{"id": "admin",`,
		`{"id": "kd1", "name": "Kiểm Duyệt", "role": "moderator", "pin": "1234"}, {"id": "xl1", "name": "Xử Lý", "role": "handler", "unit": "phuong-a", "pin": "1234"}, {"id": "admin",`, 1)
	f, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	st := &unitStore{}
	if err := ApplyAccounts(context.Background(), st, f, func(string) ([]byte, error) { return []byte("hash"), nil }, 0); err != nil {
		t.Fatal(err)
	}
	if st.units["xl1"] != "phuong-a" || st.roles["kd1"] != queue.RoleModerator || st.units["kd1"] != "" {
		t.Fatalf("stored roles %v, units %v", st.roles, st.units)
	}
}

// unitStore keeps the roles and units ApplyAccounts writes.
type unitStore struct {
	roles map[string]queue.Role
	units map[string]string
}

func (s *unitStore) PutStaff(_ context.Context, m queue.Staff, _ []byte) error {
	if s.roles == nil {
		s.roles, s.units = map[string]queue.Role{}, map[string]string{}
	}
	s.roles[m.ID], s.units[m.ID] = m.Role, m.Unit
	return nil
}
func (s *unitStore) PutDevice(context.Context, queue.Device, []byte) error { return nil }

// The province administrator's role comes from the office file (the
// demo's "tinh"), with an administrator's PIN length; a short PIN is
// refused before anything is written, an unknown role names the known.
func TestProvinceRole(t *testing.T) {
	hash := func(string) ([]byte, error) { return []byte("hash"), nil }
	f, err := Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	st := &unitStore{}
	if err := ApplyAccounts(context.Background(), st, f, hash, 0); err != nil || st.roles["tinh"] != queue.RoleProvince {
		t.Fatalf("demo: %v, roles %v", err, st.roles)
	}
	short := strings.Replace(string(assets.DemoOffice), `"role": "province", "pin": "123456"`, `"role": "province", "pin": "1234"`, 1)
	if f, err = Parse([]byte(short)); err != nil {
		t.Fatal(err)
	}
	var rs recordingStore
	err = ApplyAccounts(context.Background(), &rs, f, hash, 0)
	if err == nil || !strings.Contains(err.Error(), "staff tinh: an administrator's PIN must have at least 6") || rs.staff+rs.devices != 0 {
		t.Fatalf("short PIN: %v; %d staff, %d devices written", err, rs.staff, rs.devices)
	}
	bad := strings.Replace(string(assets.DemoOffice), `"role": "province"`, `"role": "tinh"`, 1)
	if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "must be clerk, admin, moderator, handler or province") {
		t.Fatalf("unknown role: %v", err)
	}
}
