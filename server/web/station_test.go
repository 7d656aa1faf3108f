package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"luot/server/auth"
	"luot/server/queue"
)

// uploadPhoto posts the staff photo form as a browser does: multipart,
// with the session cookie, this server's Origin and (unless csrf is "-")
// the session's CSRF token.
func uploadPhoto(t *testing.T, e *env, token, id, csrf string, file []byte) resp {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if csrf != "-" {
		_ = mw.WriteField("csrf", auth.CSRFToken(token))
	}
	_ = mw.WriteField("id", id)
	if file != nil {
		fw, _ := mw.CreateFormFile("photo", "anh.jpg")
		_, _ = fw.Write(file)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/staff-photo", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.srv.URL)
	req.AddCookie(cookie(token))
	r, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	return resp{status: r.StatusCode, header: r.Header, body: string(body)}
}

func picture(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	return m
}

func jpegOf(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAdminStationDevice: the device form registers a station for a
// counter chosen in its select; a station without a counter or with one
// the office lacks is refused by the counter field, nothing registered.
func TestAdminStationDevice(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	page := e.do("GET", "/admin", adm, nil, "")
	if !strings.Contains(page.body, `<option value="station">Màn hình quầy</option>`) || !strings.Contains(page.body, `<option value="q3">Quầy 3</option>`) {
		t.Fatalf("device form without station kind or counter select:\n%s", page.body[strings.Index(page.body, `id="devices"`):])
	}
	before := adminSnapshot(t, e)
	for _, f := range []url.Values{
		{"id": {"st1"}, "name": {"Quầy 3"}, "kind": {"station"}},
		{"id": {"st1"}, "name": {"Quầy 3"}, "kind": {"station"}, "counter": {"q9"}},
		{"id": {"st1"}, "name": {"Quầy 3"}, "kind": {"station"}, "counter": {`"><script>alert(1)</script>`}},
	} {
		r := e.do("POST", "/admin/device", adm, f, "")
		if r.status != 400 || !strings.Contains(r.body, `<select name="counter" aria-invalid="true">`) || strings.Contains(r.body, "<script>alert") {
			t.Fatalf("%v: %d\n%s", f, r.status, r.body)
		}
		if adminSnapshot(t, e) != before {
			t.Fatalf("%v changed something", f)
		}
	}
	r := e.do("POST", "/admin/device", adm, url.Values{"id": {"st1"}, "name": {"Quầy 3"}, "kind": {"station"}, "counter": {"q3"}}, "-")
	if r.status != 403 || adminSnapshot(t, e) != before {
		t.Fatalf("without CSRF: %d", r.status)
	}
	r = e.do("POST", "/admin/device", adm, url.Values{"id": {"st1"}, "name": {"Quầy 3"}, "kind": {"station"}, "counter": {"q3"}}, "")
	if r.status != 200 || !strings.Contains(r.body, `id="device-key"`) || !strings.Contains(r.body, `<code class="device-counter">q3</code>`) {
		t.Fatalf("register station: %d\n%s", r.status, r.body)
	}
	// A kiosk ignores the counter select.
	e.do("POST", "/admin/device", adm, url.Values{"id": {"k2"}, "name": {"Kiosk"}, "kind": {"kiosk"}, "counter": {"q3"}}, "")
	ds, _ := e.db.ListDevices(context.Background(), office)
	i := slices.IndexFunc(ds, func(d queue.Device) bool { return d.ID == "st1" })
	j := slices.IndexFunc(ds, func(d queue.Device) bool { return d.ID == "k2" })
	if i < 0 || ds[i].Kind != queue.DeviceStation || ds[i].Counter != "q3" || j < 0 || ds[j].Counter != "" {
		t.Fatalf("devices %+v", ds)
	}
}

// TestAdminStaffTitleAndPhoto: an admin sets a clerk's title and uploads
// and removes their photo; hostile titles, files of other types or too
// large, forms without the CSRF token and clerks are refused, nothing
// changed.
func TestAdminStaffTitleAndPhoto(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	adm := e.login("admin", "")
	clerk := e.login("nv1", "q1")
	before := adminSnapshot(t, e)
	for _, c := range []struct {
		tok  string
		f    url.Values
		csrf string
		want int
	}{
		{adm, url.Values{"id": {"nv1"}, "title": {"Chuyên\u202e viên"}}, "", 400},
		{adm, url.Values{"id": {"nv1"}, "title": {"a\x07b"}}, "", 400},
		{adm, url.Values{"id": {"nv1"}, "title": {strings.Repeat("x", 300)}}, "", 400},
		{adm, url.Values{"id": {"ghost"}, "title": {"Chuyên viên"}}, "", 400},
		{adm, url.Values{"id": {"nv1"}, "title": {"Chuyên viên"}}, "-", 403},
		{clerk, url.Values{"id": {"nv1"}, "title": {"Chuyên viên"}}, "", 403},
	} {
		if r := e.do("POST", "/admin/staff-title", c.tok, c.f, c.csrf); r.status != c.want {
			t.Fatalf("%v: %d, want %d\n%s", c.f, r.status, c.want, r.body)
		}
		if adminSnapshot(t, e) != before {
			t.Fatalf("%v changed something", c.f)
		}
	}
	if r := e.do("POST", "/admin/staff-title", adm, url.Values{"id": {"nv1"}, "title": {"  Chuyên viên chính "}}, ""); r.status != 303 {
		t.Fatalf("title: %d %s", r.status, r.body)
	}
	// A new member with a title.
	if r := e.do("POST", "/admin/staff", adm, url.Values{"id": {"nv9"}, "name": {"Lan"}, "title": {"Cán bộ một cửa"}, "role": {"clerk"}, "pin": {"4321"}}, ""); r.status != 303 {
		t.Fatalf("new member: %d %s", r.status, r.body)
	}
	list, _ := e.db.ListStaff(ctx, office)
	titles := map[string]string{}
	for _, m := range list {
		titles[m.ID] = m.Title
	}
	if titles["nv1"] != "Chuyên viên chính" || titles["nv9"] != "Cán bộ một cửa" {
		t.Fatalf("titles %v", titles)
	}

	// Photos: refused ones change nothing.
	before = adminSnapshot(t, e)
	var gif bytes.Buffer
	gif.WriteString("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	big := append(jpegOf(t, 8, 8), bytes.Repeat([]byte{0}, 2<<20)...)
	for _, c := range []struct {
		name string
		tok  string
		id   string
		csrf string
		file []byte
		want int
	}{
		{"gif", adm, "nv1", "", gif.Bytes(), 400},
		{"text", adm, "nv1", "", []byte("<svg onload=alert(1)>"), 400},
		{"webp", adm, "nv1", "", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), 400},
		{"broken jpeg", adm, "nv1", "", jpegOf(t, 30, 30)[:200], 400},
		{"no file", adm, "nv1", "", nil, 400},
		{"too large", adm, "nv1", "", big, 400},
		{"far too large", adm, "nv1", "", append(big, bytes.Repeat([]byte{0}, 1<<20)...), 413},
		{"unknown member", adm, "ghost", "", jpegOf(t, 30, 30), 400},
		{"no csrf", adm, "nv1", "-", jpegOf(t, 30, 30), 403},
		{"clerk", clerk, "nv1", "", jpegOf(t, 30, 30), 403},
	} {
		if r := uploadPhoto(t, e, c.tok, c.id, c.csrf, c.file); r.status != c.want {
			t.Fatalf("%s: %d, want %d\n%.3000s", c.name, r.status, c.want, r.body)
		}
		if adminSnapshot(t, e) != before {
			t.Fatalf("%s changed something", c.name)
		}
	}
	// A large JPEG is kept re-encoded, at most 480 pixels a side.
	up := jpegOf(t, 1200, 900)
	if r := uploadPhoto(t, e, adm, "nv1", "", up); r.status != 303 {
		t.Fatalf("upload: %d\n%s", r.status, r.body)
	}
	got, _, err := e.db.StaffPhoto(ctx, office, "nv1")
	if err != nil || bytes.Equal(got, up) {
		t.Fatalf("stored photo: %d bytes, %v", len(got), err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(got))
	if err != nil || max(cfg.Width, cfg.Height) != 480 {
		t.Fatalf("stored photo %+v %v", cfg, err)
	}
	// A PNG too.
	var pb bytes.Buffer
	_ = png.Encode(&pb, picture(64, 80))
	if r := uploadPhoto(t, e, adm, "nv2", "", pb.Bytes()); r.status != 303 {
		t.Fatalf("png: %d\n%s", r.status, r.body)
	}
	page := e.do("GET", "/admin", adm, nil, "")
	if !strings.Contains(page.body, `<img src="/admin/staff-photo/nv1"`) || strings.Contains(page.body, `<img src="/admin/staff-photo/nv3"`) {
		t.Fatal("the staff table does not show who has a photo")
	}
	r := e.do("GET", "/admin/staff-photo/nv1", adm, nil, "")
	if r.status != 200 || r.header.Get("Content-Type") != "image/jpeg" || r.body != string(got) {
		t.Fatalf("admin photo: %d %v", r.status, r.header)
	}
	if r := e.do("GET", "/admin/staff-photo/nv1", clerk, nil, ""); r.status != 403 {
		t.Fatalf("clerk reads a photo: %d", r.status)
	}
	if r := e.do("GET", "/admin/staff-photo/nv3", adm, nil, ""); r.status != 404 {
		t.Fatalf("no photo: %d", r.status)
	}
	// Removed.
	if r := e.do("POST", "/admin/staff-photo-remove", adm, url.Values{"id": {"nv1"}}, "-"); r.status != 403 {
		t.Fatalf("remove without csrf: %d", r.status)
	}
	if r := e.do("POST", "/admin/staff-photo-remove", adm, url.Values{"id": {"nv1"}}, ""); r.status != 303 {
		t.Fatalf("remove: %d", r.status)
	}
	if _, _, err := e.db.StaffPhoto(ctx, office, "nv1"); err == nil {
		t.Fatal("photo not removed")
	}
}

// TestRatingReport: ratings by clerk and counter with their channel, in
// JSON, CSV (vi and en) and on the reports page.
func TestRatingReport(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	adm := e.login("admin", "")
	c1 := e.login("nv1", "q1")
	c2 := e.login("nv2", "q2")
	e.call("POST", "/api/v1/counters/q1/open", bearer(c1), nil, 200, nil)
	e.call("POST", "/api/v1/counters/q2/open", bearer(c2), nil, 200, nil)
	serve := func(tok, counter, service string) string {
		t.Helper()
		e.issue(service)
		var j struct{ Ticket struct{ ID string } }
		e.call("POST", "/api/v1/counters/"+counter+"/next", bearer(tok), nil, 200, &j)
		e.call("POST", "/api/v1/counters/"+counter+"/start", bearer(tok), nil, 200, nil)
		e.call("POST", "/api/v1/counters/"+counter+"/done", bearer(tok), nil, 200, nil)
		return j.Ticket.ID
	}
	v, _ := e.eng.View(office)
	day := v.Day
	put := func(id, counter, staff, channel string, score int, reasons ...string) {
		t.Helper()
		if err := e.db.PutRating(ctx, queue.Rating{Office: office, Ticket: id, Score: score, Counter: counter, Staff: staff, Day: day, At: e.clock.Now(), Channel: channel, Reasons: reasons}); err != nil {
			t.Fatal(err)
		}
	}
	put(serve(c1, "q1", "xay-dung"), "q1", "nv1", queue.RatingStation, 4)
	put(serve(c1, "q1", "xay-dung"), "q1", "nv1", queue.RatingStation, 2, "wait")
	put(serve(c1, "q1", "xay-dung"), "q1", "nv1", queue.RatingPhone, 3)
	put(serve(c2, "q2", "ho-kinh-doanh"), "q2", "nv2", queue.RatingPhone, 1)

	var j RatingsJSON
	r := e.do("GET", "/admin/reports/ratings.json", adm, nil, "")
	if r.status != 200 || json.Unmarshal([]byte(r.body), &j) != nil {
		t.Fatalf("json: %d %s", r.status, r.body)
	}
	if j.Total.N != 4 || len(j.ByStaff) != 2 || len(j.ByCounter) != 2 {
		t.Fatalf("report %+v", j)
	}
	nv1 := j.ByStaff[0]
	if nv1.Key != "nv1" || nv1.Label != "Nhân viên 1" || nv1.N != 3 || nv1.Avg != 3 || nv1.Scores != [4]int{0, 1, 1, 1} || nv1.Reasons["wait"] != 1 ||
		nv1.ByChan[0].Channel != "station" || nv1.ByChan[0].N != 2 || nv1.ByChan[0].Avg != 3 || nv1.ByChan[1].Channel != "phone" || nv1.ByChan[1].N != 1 {
		t.Fatalf("nv1 %+v", nv1)
	}
	if q2 := j.ByCounter[1]; q2.Key != "q2" || q2.Label != "Quầy 2" || q2.N != 1 || q2.ByChan[1].Scores != [4]int{1, 0, 0, 0} || q2.ByChan[0].N != 0 {
		t.Fatalf("q2 %+v", q2)
	}
	// CSV in both languages.
	for _, l := range []string{"vi", "en"} {
		r := e.do("GET", "/admin/reports/ratings.csv?lang="+l, adm, nil, "")
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
		if r.status != 200 || err != nil || len(recs) != 6 {
			t.Fatalf("csv %s: %d %v\n%s", l, r.status, err, r.body)
		}
		head, nv1 := recs[0], recs[2]
		wantHead := map[string]string{"vi": "Số đánh giá màn hình quầy", "en": "Ratings station"}[l]
		if head[5] != wantHead || nv1[1] != "nv1" || nv1[3] != "3" || nv1[5] != "2" || nv1[6] != "3.0" {
			t.Fatalf("csv %s: %v / %v", l, head, nv1)
		}
	}
	// The reports page shows both tables; a clerk reads no report.
	page := e.do("GET", "/admin/reports", adm, nil, "")
	if !strings.Contains(page.body, `id="ratings-staff"`) || !strings.Contains(page.body, `<tr data-key="nv1"><th scope="row">Nhân viên 1</th><td>3</td><td>3.0</td><td class="ch-station">2</td>`) ||
		!strings.Contains(page.body, `href="/admin/reports/ratings.csv?from=`) {
		t.Fatalf("reports page:\n%s", page.body[strings.Index(page.body, `id="ratings"`):])
	}
	for _, p := range []string{"/admin/reports/ratings.json", "/admin/reports/ratings.csv"} {
		if r := e.do("GET", p, c1, nil, ""); r.status != 403 {
			t.Fatalf("clerk %s: %d", p, r.status)
		}
		if r := e.do("GET", p+"?from=2026-13-01", adm, nil, ""); r.status != 400 {
			t.Fatalf("bad date %s: %d", p, r.status)
		}
	}
	if r := e.do("GET", "/admin/reports?lang=en&from=2020-01-01&to=2020-01-02", adm, nil, ""); !strings.Contains(r.body, "No ratings in this date range.") {
		t.Fatal("empty range: no sentence")
	}
}
