package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"luot/server/queue"
)

func TestCSRFTokenBoundToSession(t *testing.T) {
	a, b := CSRFToken("session-a"), CSRFToken("session-b")
	if a == b || a == "" || !ValidCSRF("session-a", a) || ValidCSRF("session-a", b) || ValidCSRF("session-a", "") {
		t.Fatalf("tokens %q %q", a, b)
	}
}

func TestHash(t *testing.T) {
	if h := Hash("k"); len(h) != 32 || string(h) == string(Hash("l")) || string(h) != string(Hash("k")) {
		t.Fatalf("hash %x", h)
	}
}

// The origin rules: the server's own pages, by Origin, then Sec-Fetch-Site,
// then Referer; the allowed origins only read.
func TestOrigins(t *testing.T) {
	o := Origins{PublicURL: "https://luot.example.vn", Allowed: []string{"https://board.example.vn/"}}
	star := Origins{Allowed: []string{"*"}}
	for _, c := range []struct {
		name      string
		o         Origins
		hdr       map[string]string
		own, read bool
	}{
		{"no page (a device)", o, nil, true, true},
		{"own host", o, map[string]string{"Origin": "http://luot.local:8080"}, true, true},
		{"own host, other case", o, map[string]string{"Origin": "http://LUOT.local:8080"}, true, true},
		{"public URL", o, map[string]string{"Origin": "https://luot.example.vn"}, true, true},
		{"allowed origin", o, map[string]string{"Origin": "https://board.example.vn"}, false, true},
		{"any origin with *", star, map[string]string{"Origin": "https://evil.example"}, false, true},
		{"another site", o, map[string]string{"Origin": "https://evil.example"}, false, false},
		{"opaque origin", o, map[string]string{"Origin": "null"}, false, false},
		{"same host, other port", o, map[string]string{"Origin": "http://luot.local:9090"}, false, false},
		{"no Origin, cross-site fetch", o, map[string]string{"Sec-Fetch-Site": "cross-site"}, false, false},
		{"no Origin, same-origin fetch", o, map[string]string{"Sec-Fetch-Site": "same-origin"}, true, true},
		{"no Origin, own Referer", o, map[string]string{"Referer": "http://luot.local:8080/admin"}, true, true},
		{"no Origin, foreign Referer", o, map[string]string{"Referer": "https://evil.example/x"}, false, false},
		{"no Origin, garbage Referer", o, map[string]string{"Referer": "::"}, false, false},
	} {
		r := httptest.NewRequest("POST", "http://luot.local:8080/api/v1/sessions", nil)
		for k, v := range c.hdr {
			r.Header.Set(k, v)
		}
		if got := c.o.Own(r); got != c.own {
			t.Errorf("%s: Own %v, want %v", c.name, got, c.own)
		}
		if got := c.o.MayRead(r); got != c.read {
			t.Errorf("%s: MayRead %v, want %v", c.name, got, c.read)
		}
	}
}

func TestCan(t *testing.T) {
	for _, p := range []Perm{ServeCounter, AnyCounter, ManageOffice, ManageStaff, ManageDevices, ReadReports} {
		if !Can(queue.RoleAdmin, p) {
			t.Errorf("an admin may not %s", p)
		}
		if Can("", p) || Can("root", p) {
			t.Errorf("an unknown role may %s", p)
		}
	}
	if !Can(queue.RoleClerk, ServeCounter) || Can(queue.RoleClerk, AnyCounter) || Can(queue.RoleClerk, ManageDevices) {
		t.Error("a clerk's permissions are wrong")
	}
	if !KnownRole(queue.RoleClerk) || KnownRole("root") {
		t.Error("KnownRole is wrong")
	}
	// Feedback reports: a moderator and an admin moderate, a handler
	// handles; none of them serves a counter but the admin, and a clerk
	// touches no report.
	for _, c := range []struct {
		role               queue.Role
		moderate, handle   bool
		counter, anyOffice bool
	}{
		{queue.RoleModerator, true, false, false, false},
		{queue.RoleHandler, false, true, false, false},
		{queue.RoleAdmin, true, false, true, true},
		{queue.RoleClerk, false, false, true, false},
	} {
		if Can(c.role, ModerateReports) != c.moderate || Can(c.role, HandleReports) != c.handle ||
			Can(c.role, ServeCounter) != c.counter || Can(c.role, ManageOffice) != c.anyOffice || !KnownRole(c.role) {
			t.Errorf("%s's permissions are wrong", c.role)
		}
	}
}

// sessions is an in-memory Sessions.
type sessions map[string]Session

func (m sessions) SessionByTokenHash(_ context.Context, hash []byte, now time.Time) (Session, error) {
	s, ok := m[string(hash)]
	if !ok || !now.Before(s.Expires) {
		return Session{}, fmt.Errorf("session: %w", ErrUnknownSession)
	}
	return s, nil
}

func TestAuthenticate(t *testing.T) {
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	tok := "the-token"
	a := New(Config{Sessions: sessions{string(Hash(tok)): {Office: "hcm", Staff: "nv1", Role: queue.RoleClerk, Expires: now.Add(time.Hour)}},
		Now: func() time.Time { return now }})
	csrf := CSRFToken(tok)
	form := url.Values{CSRFField: {csrf}}.Encode()
	for _, c := range []struct {
		name, method, body string
		hdr                map[string]string
		want               error
	}{
		{"nothing", "POST", "", nil, ErrNoCredentials},
		{"bearer", "POST", "", map[string]string{"Authorization": "Bearer " + tok}, nil},
		{"bearer, any origin, no CSRF", "POST", "", map[string]string{"Authorization": "bearer " + tok, "Origin": "https://evil.example"}, nil},
		{"basic", "GET", "", map[string]string{"Authorization": "Basic " + tok}, ErrUnknownSession},
		{"empty bearer", "GET", "", map[string]string{"Authorization": "Bearer "}, ErrUnknownSession},
		{"long bearer", "GET", "", map[string]string{"Authorization": "Bearer " + strings.Repeat("a", 300)}, ErrUnknownSession},
		{"forged bearer", "GET", "", map[string]string{"Authorization": "Bearer forged"}, ErrUnknownSession},
		{"cookie read", "GET", "", map[string]string{"Cookie": SessionCookie + "=" + tok}, nil},
		{"cookie change without CSRF", "POST", "", map[string]string{"Cookie": SessionCookie + "=" + tok}, ErrCSRF},
		{"cookie change, CSRF header", "POST", "", map[string]string{"Cookie": SessionCookie + "=" + tok, CSRFHeader: csrf}, nil},
		{"cookie change, CSRF field", "POST", form, map[string]string{"Cookie": SessionCookie + "=" + tok, "Content-Type": "application/x-www-form-urlencoded"}, nil},
		{"cookie change, CSRF of another session", "POST", "", map[string]string{"Cookie": SessionCookie + "=" + tok, CSRFHeader: CSRFToken("x")}, ErrCSRF},
		{"cookie change from another site", "POST", "", map[string]string{"Cookie": SessionCookie + "=" + tok, CSRFHeader: csrf, "Origin": "https://evil.example"}, ErrCrossOrigin},
		{"cookie change, cross-site fetch", "POST", "", map[string]string{"Cookie": SessionCookie + "=" + tok, CSRFHeader: csrf, "Sec-Fetch-Site": "cross-site"}, ErrCrossOrigin},
		{"forged cookie", "GET", "", map[string]string{"Cookie": SessionCookie + "=forged"}, ErrUnknownSession},
	} {
		r := httptest.NewRequest(c.method, "http://luot.local/x", strings.NewReader(c.body))
		for k, v := range c.hdr {
			r.Header.Set(k, v)
		}
		if c.body != "" {
			_ = r.ParseForm() // the pages parse their forms first
		}
		se, got, err := a.Authenticate(r)
		if !errors.Is(err, c.want) || (c.want == nil) != (se != nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if c.want == nil && (got != tok || se.Staff != "nv1") {
			t.Errorf("%s: session %+v token %q", c.name, se, got)
		}
	}
	now = now.Add(time.Hour)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	if _, _, err := a.Authenticate(r); !errors.Is(err, ErrUnknownSession) {
		t.Errorf("an expired session: %v", err)
	}
}

func TestSetCookie(t *testing.T) {
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	w := httptest.NewRecorder()
	SetCookie(w, "tok", now.Add(2*time.Hour), now, true)
	c := w.Result().Cookies()[0]
	if c.Name != SessionCookie || c.Value != "tok" || c.MaxAge != 7200 || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", c)
	}
	w = httptest.NewRecorder()
	ClearCookie(w, false)
	if c := w.Result().Cookies()[0]; c.MaxAge >= 0 || c.Value != "" {
		t.Fatalf("cleared cookie %+v", c)
	}
}

// devices is an in-memory Devices.
type devices struct {
	list  []queue.Device
	other map[string]bool // ids of other offices
	keys  map[string][]byte
}

func (d *devices) PutDevice(_ context.Context, dev queue.Device, keyHash []byte) error {
	if d.other[dev.ID] {
		return fmt.Errorf("device id %s: %w", dev.ID, ErrDeviceIDTaken)
	}
	for i := range d.list {
		if d.list[i].ID == dev.ID {
			d.list[i] = dev
			d.keys[dev.ID] = keyHash
			return nil
		}
	}
	d.list = append(d.list, dev)
	d.keys[dev.ID] = keyHash
	return nil
}

func (d *devices) ListDevices(context.Context, string) ([]queue.Device, error) { return d.list, nil }

func (d *devices) RevokeDevice(_ context.Context, id string) error {
	for i := range d.list {
		if d.list[i].ID == id {
			d.list[i].Revoked = true
		}
	}
	return nil
}

// TestRegisterDevice checks the one rule of device registration.
func TestRegisterDevice(t *testing.T) {
	ctx := context.Background()
	st := &devices{other: map[string]bool{"elsewhere": true}, keys: map[string][]byte{}}
	hcm := &queue.Office{ID: "hcm", Counters: []queue.Counter{{ID: "q1", Number: 1, Name: "Quầy 1"}}}
	d, key, err := RegisterDevice(ctx, st, hcm, "", "Sảnh", queue.DeviceKiosk, "")
	if err != nil || !queue.ValidID(d.ID) || key == "" || string(st.keys[d.ID]) != string(Hash(key)) {
		t.Fatalf("random id: %+v %q %v", d, key, err)
	}
	if _, _, err := RegisterDevice(ctx, st, hcm, "kiosk-hall", "", queue.DeviceKiosk, ""); err != nil {
		t.Fatal(err)
	}
	if d, _, err := RegisterDevice(ctx, st, hcm, "station-q1", "", queue.DeviceStation, "q1"); err != nil || d.Counter != "q1" || st.list[len(st.list)-1].Counter != "q1" {
		t.Fatalf("station: %+v %v", d, err)
	}
	if _, _, err := RegisterDevice(ctx, st, hcm, "", "", queue.DeviceKiosk, ""); err != nil {
		t.Fatal(err)
	}
	code := func(err error) string {
		var qe *queue.Error
		if !errors.As(err, &qe) {
			return fmt.Sprint(err)
		}
		return qe.Code
	}
	for _, c := range []struct {
		id, name string
		kind     queue.DeviceKind
		counter  string
		want     string
	}{
		{"kiosk-hall", "", queue.DeviceKiosk, "", "device_exists"},
		{"elsewhere", "", queue.DeviceKiosk, "", "device_id_taken"},
		{"Kiosk 1", "", queue.DeviceKiosk, "", "invalid_device_id"},
		{"ok", "", "printer", "", "invalid_kind"},
		{"ok", "a\u202eb", queue.DeviceDisplay, "", "invalid_name"},
		{"ok", "", queue.DeviceStation, "", "counter_required"},
		{"ok", "", queue.DeviceStation, "q9", "unknown_counter"},
		{"ok", "", queue.DeviceStation, "<q1>", "unknown_counter"},
		{"ok", "", queue.DeviceKiosk, "q1", "counter_not_station"},
		{"ok", "", queue.DeviceDisplay, "q1", "counter_not_station"},
	} {
		n := len(st.list)
		if _, _, err := RegisterDevice(ctx, st, hcm, c.id, c.name, c.kind, c.counter); code(err) != c.want || len(st.list) != n {
			t.Errorf("%q %q %q: %v, want %s and nothing changed", c.id, c.name, c.kind, err, c.want)
		}
	}
	// Revoked, the id is registered again with a new key.
	old := string(st.keys["kiosk-hall"])
	if err := RevokeDevice(ctx, st, "hcm", "kiosk-hall"); err != nil {
		t.Fatal(err)
	}
	if d, _, err := RegisterDevice(ctx, st, hcm, "kiosk-hall", "", queue.DeviceDisplay, ""); err != nil || d.Revoked || string(st.keys["kiosk-hall"]) == old {
		t.Fatalf("registered again: %+v %v", d, err)
	}
	if err := RevokeDevice(ctx, st, "hcm", "ghost"); code(err) != "unknown_device" {
		t.Fatalf("revoke unknown: %v", err)
	}
}
