package api

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/queue"
)

// station registers a counter station through the admin API, as an
// administrator does, and keeps its key under id.
func (e *env) station(t *testing.T, id, counter string) {
	t.Helper()
	admin := e.login(t, "admin", "")
	r := e.must(t, 201, req{method: "POST", path: "/api/v1/admin/devices", token: admin,
		body: map[string]string{"id": id, "name": "Màn hình " + counter, "kind": "station", "counter": counter}})
	var d DeviceRegistered
	r.decode(t, &d)
	if d.Device.Kind != queue.DeviceStation || d.Device.Counter != counter || d.Key == "" {
		t.Fatalf("registered %+v", d)
	}
	e.keys[id] = d.Key
}

// serveOne issues a ticket, and the clerk of tok at counter calls, starts
// and finishes it.
func (e *env) serveOne(t *testing.T, tok, counter, service string) TicketJSON {
	t.Helper()
	tk := e.issue(t, "kiosk1", service)
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/" + counter + "/call", token: tok, body: map[string]string{"number": tk.Number}})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/" + counter + "/start", token: tok})
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/" + counter + "/done", token: tok})
	return tk
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestStationRegister: a station is registered for a counter of the
// office; without a counter, with another office's or an unknown one, or
// a kiosk with a counter, it is refused and nothing is registered.
func TestStationRegister(t *testing.T) {
	e := newEnv(t)
	admin := e.login(t, "admin", "")
	count := func() int {
		ds, err := e.db.ListDevices(context.Background(), office)
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	n := count()
	for _, c := range []struct {
		body       map[string]string
		status     int
		code       string
		whatItTest string
	}{
		{map[string]string{"name": "S", "kind": "station"}, 400, "counter_required", "no counter"},
		{map[string]string{"name": "S", "kind": "station", "counter": "q9"}, 400, "unknown_counter", "unknown counter"},
		{map[string]string{"name": "S", "kind": "station", "counter": "<script>"}, 400, "invalid_counter", "hostile counter"},
		{map[string]string{"name": "S", "kind": "kiosk", "counter": "q1"}, 400, "counter_not_station", "kiosk with a counter"},
		{map[string]string{"name": "S", "kind": "display", "counter": "q1"}, 400, "counter_not_station", "display with a counter"},
		{map[string]string{"name": "S", "kind": "Station", "counter": "q1"}, 400, "invalid_kind", "kind spelt otherwise"},
	} {
		wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/admin/devices", token: admin, body: c.body}), c.status, c.code)
		if count() != n {
			t.Fatalf("%s: a device was registered", c.whatItTest)
		}
	}
	// A clerk may not register one.
	clerk := e.login(t, "nv1", "q1")
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/admin/devices", token: clerk, body: map[string]string{"name": "S", "kind": "station", "counter": "q1"}}), 403, "forbidden")
	e.station(t, "station-q1", "q1")
	var list struct{ Devices []queue.Device }
	e.must(t, 200, req{method: "GET", path: "/api/v1/admin/devices", token: admin}).decode(t, &list)
	i := slices.IndexFunc(list.Devices, func(d queue.Device) bool { return d.ID == "station-q1" })
	if i < 0 || list.Devices[i].Counter != "q1" || list.Devices[i].Kind != queue.DeviceStation {
		t.Fatalf("devices %+v", list.Devices)
	}
}

// TestStationGet: GET /station answers a station only, with its counter,
// the clerk signed in there (name, title, photo) and the rating policy
// with its defaults.
func TestStationGet(t *testing.T) {
	e := newEnv(t)
	e.station(t, "station-q1", "q1")
	var st StationJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/station", device: "station-q1"}).decode(t, &st)
	if st.Device != "station-q1" || st.Office.ID != office || st.Counter.ID != "q1" || st.Counter.Number != 1 ||
		st.Counter.State != queue.CounterClosed || st.Clerk != nil || st.Counter.Current != nil {
		t.Fatalf("station %+v", st)
	}
	if p := st.Rating; p.PromptSeconds != 30 || p.WindowSeconds != 600 || len(p.Scale) != 4 || p.Scale[0].Score != 4 ||
		p.Scale[0].Name != "Rất hài lòng" || p.Scale[3].NameEN != "Dissatisfied" || len(p.Reasons) != 4 || p.Reasons[0].ID != "wait" {
		t.Fatalf("rating policy %+v", p)
	}
	// Other keys, or none.
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station", device: "kiosk1"}), 403, "not_a_station")
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station", device: "display"}), 403, "not_a_station")
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station", device: "no-such-key"}), 401, "invalid_device_key")
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station"}), 401, "device_key_required")
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station/clerk-photo", device: "kiosk1"}), 403, "not_a_station")
	tok := e.clerk(t, "nv1", "q1")
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station", token: tok}), 401, "device_key_required")

	// The clerk signed in at q1, with a title; then with a photo.
	ctx := context.Background()
	if err := e.db.PutStaff(ctx, queue.Staff{ID: "nv1", Office: office, Name: "Nhân viên 1", Title: "Chuyên viên", Role: queue.RoleClerk}, nil); err != nil {
		t.Fatal(err)
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/station", device: "station-q1"}).decode(t, &st)
	if st.Clerk == nil || st.Clerk.ID != "nv1" || st.Clerk.Title != "Chuyên viên" || st.Clerk.PhotoURL != "" || st.Counter.State != queue.CounterOpen {
		t.Fatalf("with clerk %+v %+v", st.Clerk, st.Counter)
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station/clerk-photo", device: "station-q1"}), 404, "no_clerk_photo")
	photo := testJPEG(t, 40, 50)
	if err := e.db.PutStaffPhoto(ctx, office, "nv1", photo, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/station", device: "station-q1"}).decode(t, &st)
	if st.Clerk == nil || st.Clerk.PhotoURL == "" {
		t.Fatalf("photo url missing: %+v", st.Clerk)
	}
	r := e.must(t, 200, req{method: "GET", path: st.Clerk.PhotoURL, device: "station-q1"})
	if !bytes.Equal(r.body, photo) || r.header.Get("Content-Type") != "image/jpeg" || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("photo: %d bytes, %v", len(r.body), r.header)
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station/clerk-photo?staff=nv2", device: "station-q1"}), 404, "no_clerk_photo")

	// A ticket being served shows, without its token.
	tk := e.issue(t, "kiosk1", "xay-dung")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/next", token: tok})
	r = e.must(t, 200, req{method: "GET", path: "/api/v1/station", device: "station-q1"})
	r.decode(t, &st)
	if st.Counter.Current == nil || st.Counter.Current.ID != tk.ID || st.Counter.Current.Number != tk.Number || bytes.Contains(r.body, []byte("token")) {
		t.Fatalf("current %s", r.body)
	}
	// Signed out: no clerk, and no photo.
	e.must(t, 204, req{method: "DELETE", path: "/api/v1/sessions", token: tok})
	st = StationJSON{}
	e.must(t, 200, req{method: "GET", path: "/api/v1/station", device: "station-q1"}).decode(t, &st)
	if st.Clerk != nil {
		t.Fatalf("clerk after sign-out %+v", st.Clerk)
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station/clerk-photo", device: "station-q1"}), 404, "no_clerk_photo")
}

// TestStationSession: a station's key binds the session to its counter.
func TestStationSession(t *testing.T) {
	e := newEnv(t)
	e.station(t, "station-q1", "q1")
	login := func(device, off, counter string) resp {
		return e.do(t, req{method: "POST", path: "/api/v1/sessions", device: device,
			body: map[string]string{"office": off, "counter": counter, "staff": "nv1", "pin": "1234"}})
	}
	wantErr(t, login("station-q1", office, "q2"), 403, "station_other_counter")
	wantErr(t, login("kiosk1", office, "q1"), 403, "not_a_station")
	wantErr(t, login("display", office, "q1"), 403, "not_a_station")
	wantErr(t, login("no-such-key", office, "q1"), 401, "invalid_device_key")
	wantErr(t, login("station-q1", "hn-bd", "q1"), 403, "wrong_office")
	var s SessionJSON
	r := login("station-q1", office, "")
	if r.status != 201 {
		t.Fatalf("login without counter: %d %s", r.status, r.body)
	}
	r.decode(t, &s)
	if s.Counter != "q1" {
		t.Fatalf("session %+v", s)
	}
	r = login("station-q1", office, "q1")
	if r.status != 201 {
		t.Fatalf("login at q1: %d %s", r.status, r.body)
	}
	r.decode(t, &s)
	// The session acts at q1 only.
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/open", token: s.Token})
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/counters/q2/open", token: s.Token}), 403, "not_your_counter")
}

// TestStationRate: one rating per ticket whichever channel comes first,
// only of the station's counter, within the window after done; every
// refusal stores nothing.
func TestStationRate(t *testing.T) {
	e := newEnv(t)
	e.station(t, "station-q1", "q1")
	e.station(t, "station-q2", "q2")
	ctx := context.Background()
	tok := e.clerk(t, "nv1", "q1")
	tok2 := e.clerk(t, "nv2", "q2")
	rate := func(device string, body any, key string) resp {
		q := req{method: "POST", path: "/api/v1/station/ratings", device: device, body: body}
		if key != "" {
			q.header = map[string]string{"Idempotency-Key": key}
		}
		return e.do(t, q)
	}
	unrated := func(id string) {
		t.Helper()
		if rt, err := e.db.RatingOf(ctx, id); err != nil || rt != nil {
			t.Fatalf("ticket %s has a rating %+v %v", id, rt, err)
		}
	}
	a := e.serveOne(t, tok, "q1", "xay-dung")
	b := e.serveOne(t, tok2, "q2", "ho-tich")
	for _, c := range []struct {
		name   string
		device string
		body   any
		status int
		code   string
	}{
		{"kiosk", "kiosk1", map[string]any{"ticket": a.ID, "score": 4}, 403, "not_a_station"},
		{"display", "display", map[string]any{"ticket": a.ID, "score": 4}, 403, "not_a_station"},
		{"no key", "", map[string]any{"ticket": a.ID, "score": 4}, 401, "device_key_required"},
		{"other counter", "station-q2", map[string]any{"ticket": a.ID, "score": 4}, 403, "not_this_counter"},
		{"score 0", "station-q1", map[string]any{"ticket": a.ID, "score": 0}, 400, "invalid_score"},
		{"score 5", "station-q1", map[string]any{"ticket": a.ID, "score": 5}, 400, "invalid_score"},
		{"score as text", "station-q1", `{"ticket": "` + a.ID + `", "score": "4"}`, 400, "invalid_json"},
		{"reasons with 4", "station-q1", map[string]any{"ticket": a.ID, "score": 4, "reasons": []string{"wait"}}, 400, "invalid_reasons"},
		{"unknown reason", "station-q1", map[string]any{"ticket": a.ID, "score": 1, "reasons": []string{"nope"}}, 400, "unknown_reason"},
		{"hostile reason", "station-q1", map[string]any{"ticket": a.ID, "score": 1, "reasons": []string{"<img src=x onerror=alert(1)>"}}, 400, "unknown_reason"},
		{"reason twice", "station-q1", map[string]any{"ticket": a.ID, "score": 1, "reasons": []string{"wait", "wait"}}, 400, "invalid_reasons"},
		{"too many reasons", "station-q1", map[string]any{"ticket": a.ID, "score": 1, "reasons": strings.Split("a,b,c,d,e,f,g,h,i", ",")}, 400, "invalid_reasons"},
		{"unknown field", "station-q1", map[string]any{"ticket": a.ID, "score": 4, "counter": "q2"}, 400, "unknown_field"},
		{"no ticket", "station-q1", map[string]any{"score": 4}, 400, "invalid_ticket"},
		{"hostile ticket", "station-q1", map[string]any{"ticket": "a\u202e\x00b", "score": 4}, 400, "invalid_ticket"},
		{"unknown ticket", "station-q1", map[string]any{"ticket": "zzzz", "score": 4}, 404, "unknown_ticket"},
		{"malformed", "station-q1", `{"ticket": `, 400, "invalid_json"},
		{"two objects", "station-q1", `{"ticket": "x", "score": 4}{}`, 400, "invalid_json"},
		{"empty", "station-q1", ``, 400, "empty_body"},
		{"oversized", "station-q1", `{"ticket": "` + strings.Repeat("a", 9000) + `", "score": 4}`, 413, "body_too_large"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, rate(c.device, c.body, ""), c.status, c.code)
		})
	}
	unrated(a.ID)
	// Not done yet: called at q1.
	w := e.issue(t, "kiosk1", "xay-dung")
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/call", token: tok, body: map[string]string{"number": w.Number}})
	wantErr(t, rate("station-q1", map[string]any{"ticket": w.ID, "score": 4}, ""), 409, "not_done")
	unrated(w.ID)
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/no-show", token: tok})
	wantErr(t, rate("station-q1", map[string]any{"ticket": w.ID, "score": 4}, ""), 409, "not_done")
	// Waiting: served at no counter.
	x := e.issue(t, "kiosk1", "chung-thuc")
	wantErr(t, rate("station-q1", map[string]any{"ticket": x.ID, "score": 4}, ""), 403, "not_this_counter")

	// The rating, with its key; a retry gets the first answer.
	body := map[string]any{"ticket": a.ID, "score": 2, "reasons": []string{"wait", "guidance"}}
	r := rate("station-q1", body, "tap-1")
	if r.status != 201 {
		t.Fatalf("rate: %d %s", r.status, r.body)
	}
	var got struct{ Rating StationRatingJSON }
	r.decode(t, &got)
	if got.Rating.Channel != "station" || got.Rating.Score != 2 || !slices.Equal(got.Rating.Reasons, []string{"wait", "guidance"}) || got.Rating.Ticket != a.ID {
		t.Fatalf("rating %s", r.body)
	}
	r = rate("station-q1", body, "tap-1")
	if r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %v %s", r.status, r.header, r.body)
	}
	wantErr(t, rate("station-q1", map[string]any{"ticket": a.ID, "score": 1}, "tap-1"), 409, "idempotency_key_reused")
	wantErr(t, rate("station-q1", map[string]any{"ticket": a.ID, "score": 1}, "tap-2"), 409, "already_rated")
	wantErr(t, rate("station-q1", map[string]any{"ticket": a.ID, "score": 4}, ""), 409, "already_rated")
	// The phone comes second: refused.
	wantErr(t, e.do(t, req{method: "POST", path: "/api/v1/tickets/" + a.ID + "/rating", body: map[string]any{"token": tokenOf(t, a), "score": 4}}), 409, "already_rated")
	rt, err := e.db.RatingOf(ctx, a.ID)
	if err != nil || rt == nil || rt.Score != 2 || rt.Channel != queue.RatingStation || rt.Counter != "q1" || rt.Staff != "nv1" ||
		!slices.Equal(rt.Reasons, []string{"wait", "guidance"}) {
		t.Fatalf("stored %+v %v", rt, err)
	}

	// The phone first: the station is refused.
	e.must(t, 201, req{method: "POST", path: "/api/v1/tickets/" + b.ID + "/rating", body: map[string]any{"token": tokenOf(t, b), "score": 3}})
	wantErr(t, rate("station-q2", map[string]any{"ticket": b.ID, "score": 4}, "tap-3"), 409, "already_rated")
	if rt, err := e.db.RatingOf(ctx, b.ID); err != nil || rt.Channel != queue.RatingPhone || rt.Score != 3 {
		t.Fatalf("phone rating %+v %v", rt, err)
	}

	// Within the window (600 s after done), then too late.
	c := e.serveOne(t, tok, "q1", "xay-dung")
	d := e.serveOne(t, tok, "q1", "xay-dung")
	e.clock.Advance(599 * time.Second)
	if r := rate("station-q1", map[string]any{"ticket": c.ID, "score": 4}, "tap-c"); r.status != 201 {
		t.Fatalf("in time: %d %s", r.status, r.body)
	}
	e.clock.Advance(2 * time.Second)
	wantErr(t, rate("station-q1", map[string]any{"ticket": d.ID, "score": 4}, ""), 409, "rating_too_late")
	// A retry of the rating given in time still gets its answer.
	if r := rate("station-q1", map[string]any{"ticket": c.ID, "score": 4}, "tap-c"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("late retry: %d %s", r.status, r.body)
	}
	wantErr(t, rate("station-q1", map[string]any{"ticket": d.ID, "score": 4}, "tap-c"), 409, "idempotency_key_reused")
	// Keys are the station's own: another station's key of the same name is another key.
	wantErr(t, rate("station-q2", map[string]any{"ticket": c.ID, "score": 4}, "tap-c"), 403, "not_this_counter")
	unrated(d.ID)
	// Another office's ticket, done at its own q1, is unknown here.
	hn := e.must(t, 201, req{method: "POST", path: "/api/v1/sessions", body: map[string]string{"office": "hn-bd", "counter": "q1", "staff": "nv1", "pin": "1234"}})
	var hs SessionJSON
	hn.decode(t, &hs)
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/open", token: hs.Token})
	var other ticketAnswer
	e.must(t, 201, req{method: "POST", path: "/api/v1/offices/hn-bd/tickets", device: "kiosk-hn", body: map[string]string{"service": "xay-dung"}}).decode(t, &other)
	for _, a := range []string{"next", "start", "done"} {
		e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/" + a, token: hs.Token})
	}
	wantErr(t, rate("station-q1", map[string]any{"ticket": other.Ticket.ID, "score": 4}, ""), 404, "unknown_ticket")
	unrated(other.Ticket.ID)
	// The phone has no window.
	e.must(t, 201, req{method: "POST", path: "/api/v1/tickets/" + d.ID + "/rating", body: map[string]any{"token": tokenOf(t, d), "score": 4}})
}

// tokenOf is the token in a ticket's tracking link.
func tokenOf(t *testing.T, tk TicketJSON) string {
	t.Helper()
	u, err := url.Parse(tk.TrackURL)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("track url %q: %v", tk.TrackURL, err)
	}
	return u.Query().Get("token")
}

// TestStationCounterGone: a station whose counter is no longer in the
// office is told so, and DeviceByKeyHash loads its counter.
func TestStationCounterGone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key := "key-station-q9-" + random.Token()
	if err := e.db.PutDevice(ctx, queue.Device{ID: "station-q9", Office: office, Name: "x", Kind: queue.DeviceStation, Counter: "q9"}, auth.Hash(key)); err != nil {
		t.Fatal(err)
	}
	e.keys["station-q9"] = key
	d, err := e.db.DeviceByKeyHash(ctx, auth.Hash(key))
	if err != nil || d.Counter != "q9" || d.Kind != queue.DeviceStation {
		t.Fatalf("DeviceByKeyHash %+v %v", d, err)
	}
	wantErr(t, e.do(t, req{method: "GET", path: "/api/v1/station", device: "station-q9"}), 409, "station_counter_gone")
	// The store refuses a station without a counter, and a kiosk with one.
	if err := e.db.PutDevice(ctx, queue.Device{ID: "s2", Office: office, Kind: queue.DeviceStation}, auth.Hash("k2-"+random.Token())); err == nil {
		t.Fatal("station without counter stored")
	}
	if err := e.db.PutDevice(ctx, queue.Device{ID: "s3", Office: office, Kind: queue.DeviceKiosk, Counter: "q1"}, auth.Hash("k3-"+random.Token())); err == nil {
		t.Fatal("kiosk with counter stored")
	}
}
