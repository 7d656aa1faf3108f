package api

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFeedbackBadInputChangesNothing is the bad-input matrix for
// a new report, multipart included: each request gets its status and a
// JSON error with a code and a message, and leaves the reports, their
// events and the photo folder as they were.
func TestFeedbackBadInputChangesNothing(t *testing.T) {
	e := newFbEnv(t)
	e.newReport(t) // something to keep
	good := reportParts(t)
	photo := jpegOf(t, 64, 48, 3)
	broken := photo[:len(photo)/2]
	html := part{name: "photo", filename: "anh.jpg", ctype: "image/jpeg", data: []byte("<html><script>alert(1)</script></html>")}
	exe := part{name: "photo", filename: "anh.jpg", ctype: "image/jpeg", data: append([]byte("MZ\x90\x00"), make([]byte, 512)...)}
	big := part{name: "photo", filename: "lon.jpg", ctype: "image/jpeg", data: append(bytes.Clone(photo), make([]byte, 20<<20)...)}
	six := slices6(t)
	raw := func(body, ct string) req {
		return req{method: "POST", path: "/api/v1/offices/" + office + "/reports", body: body, ctype: ct}
	}
	with := func(replace ...part) []part {
		var names []string
		for _, p := range replace {
			names = append(names, p.name)
		}
		return append(without(good, names...), replace...)
	}
	cases := []struct {
		name   string
		q      req
		parts  []part
		status int
		code   string
	}{
		{name: "JSON instead of a form", q: raw(`{"category":"xay-dung"}`, "application/json"), status: 415, code: "not_multipart"},
		{name: "no content type", q: raw("category=xay-dung", "application/x-www-form-urlencoded"), status: 415, code: "not_multipart"},
		{name: "missing boundary", q: raw("--x\r\n\r\n", "multipart/form-data"), status: 400, code: "invalid_multipart"},
		{name: "boundary of 71 characters", q: raw("", "multipart/form-data; boundary="+strings.Repeat("b", 71)), status: 400, code: "invalid_multipart"},
		{name: "malformed multipart", q: raw("--B\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nxay-dung", "multipart/form-data; boundary=B"), status: 400, code: "invalid_multipart"},
		{name: "garbage body", q: raw("\x00\xff not multipart at all", "multipart/form-data; boundary=B"), status: 400, code: "invalid_multipart"},
		{name: "bad Idempotency-Key", q: req{header: map[string]string{"Idempotency-Key": "khóa"}}, parts: good, status: 400, code: "invalid_idempotency_key"},
		{name: "unknown field", parts: append(bytes2(good), text("vip", "1")), status: 400, code: "unknown_field"},
		{name: "a field twice", parts: append(bytes2(good), text("category", "moi-truong")), status: 400, code: "duplicate_field"},
		{name: "a field as a file", parts: with(part{name: "description", filename: "a.txt", data: []byte("x")}), status: 400, code: "invalid_field"},
		{name: "a photo as text", parts: append(bytes2(good), text("photo", "x")), status: 400, code: "invalid_photo"},
		{name: "no category", parts: without(good, "category"), status: 400, code: "invalid_category"},
		{name: "unknown category", parts: with(text("category", "vip")), status: 400, code: "unknown_category"},
		{name: "SQL injection as category", parts: with(text("category", "x'); DROP TABLE reports; --")), status: 400, code: "invalid_category"},
		{name: "no description", parts: without(good, "description"), status: 400, code: "invalid_description"},
		{name: "oversize description", parts: with(text("description", strings.Repeat("ư", 4001))), status: 400, code: "invalid_description"},
		{name: "description with a bidi override", parts: with(text("description", "Rác \u202eđổ trộm")), status: 400, code: "invalid_description"},
		{name: "description with a NUL", parts: with(text("description", "Rác\x00")), status: 400, code: "invalid_description"},
		{name: "description not UTF-8", parts: with(text("description", "R\xffc")), status: 400, code: "invalid_text"},
		{name: "name with a zero-width space", parts: with(text("name", "Bình\u200b")), status: 400, code: "invalid_name"},
		{name: "name with markup", parts: with(text("name", "<b>Bình</b>")), status: 400, code: "invalid_name"},
		{name: "address on two lines", parts: with(text("address", "12 Lê Lợi\nQuận 1")), status: 400, code: "invalid_address"},
		{name: "oversize address", parts: with(text("address", strings.Repeat("a", 301))), status: 400, code: "invalid_address"},
		{name: "text fields too large together", parts: with(text("address", strings.Repeat("a", 70<<10))), status: 413, code: "fields_too_large"},
		{name: "no place", parts: without(good, "lat", "lon", "address"), status: 400, code: "place_required"},
		{name: "lat without lon", parts: without(good, "lon"), status: 400, code: "invalid_place"},
		{name: "latitude off the Earth", parts: with(text("lat", "91")), status: 400, code: "invalid_place"},
		{name: "latitude NaN", parts: with(text("lat", "NaN")), status: 400, code: "invalid_place"},
		{name: "latitude infinite", parts: with(text("lat", "Inf")), status: 400, code: "invalid_place"},
		{name: "negative accuracy", parts: with(text("accuracy", "-1")), status: 400, code: "invalid_accuracy"},
		{name: "anonymous yes", parts: with(text("anonymous", "yes")), status: 400, code: "invalid_anonymous"},
		{name: "not a phone", parts: with(text("phone", "12345")), status: 400, code: "invalid_phone"},
		{name: "a file that lies about its type (HTML)", parts: with(html), status: 400, code: "photo_type"},
		{name: "a file that lies about its type (a program)", parts: with(exe), status: 400, code: "photo_type"},
		{name: "a pixel bomb", parts: with(part{name: "photo", filename: "bom.png", ctype: "image/png", data: pngBomb()}), status: 400, code: "photo_too_many_pixels"},
		{name: "six photos", parts: append(without(good, "photo"), six...), status: 413, code: "too_many_photos"},
		{name: "a 20 MB photo", parts: with(big), status: 413, code: "photo_too_large"},
		{name: "a broken JPEG", parts: with(part{name: "photo", filename: "hong.jpg", ctype: "image/jpeg", data: broken}), status: 400, code: "photo_broken"},
		{name: "an empty photo", parts: with(part{name: "photo", filename: "rong.jpg", ctype: "image/jpeg"}), status: 400, code: "invalid_photo"},
		{name: "a good photo then a broken one", parts: append(bytes2(good), part{name: "photo", filename: "hong.jpg", ctype: "image/jpeg", data: broken}), status: 400, code: "photo_broken"},
		{name: "unknown office", q: req{path: "/api/v1/offices/hn-bd/reports"}, parts: good, status: 404, code: "unknown_office"},
	}
	before := e.counts(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			if c.parts != nil {
				body, ct := form(t, c.parts...)
				q.body, q.ctype = body, ct
			}
			if q.method == "" {
				q.method = "POST"
			}
			if q.path == "" {
				q.path = "/api/v1/offices/" + office + "/reports"
			}
			r := e.do(t, q)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, c.status, r.body)
			}
			if code := r.errCode(t); code != c.code {
				t.Fatalf("code %q, want %q: %s", code, c.code, r.body)
			}
			noPersonal(t, "the error", r.body)
			if got := e.counts(t); got != before {
				t.Fatalf("reports, events, photo files went from %+v to %+v", before, got)
			}
		})
	}
	// A good report is still taken.
	e.newReport(t)
}

// slices6 is six distinct photos.
func slices6(t testing.TB) []part {
	var out []part
	for i := range 6 {
		out = append(out, photoPart(jpegOf(t, 32, 32, 20+i)))
	}
	return out
}

// bytes2 is a copy of parts (appending to it leaves parts alone).
func bytes2(parts []part) []part { return append([]part(nil), parts...) }

// TestFeedbackSixthPhotoUnread: the sixth photo is refused before a byte
// of it is read: the server answers while the client is still sending
// it.
func TestFeedbackSixthPhotoUnread(t *testing.T) {
	e := newFbEnv(t)
	pr, pw := io.Pipe()
	defer pw.CloseWithError(io.ErrClosedPipe) // before the server's Close waits for the request
	mw := multipart.NewWriter(pw)
	answered := make(chan resp, 1)
	go func() {
		r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/offices/"+office+"/reports", pr)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := e.srv.Client().Do(r)
		if err != nil {
			answered <- resp{status: -1, body: []byte(err.Error())}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		answered <- resp{status: res.StatusCode, body: b}
	}()
	for _, p := range slices6(t)[:5] {
		w, _ := mw.CreateFormFile("photo", "anh.jpg")
		w.Write(p.data)
	}
	// The sixth part's header, and then nothing: the answer must come.
	if _, err := mw.CreateFormFile("photo", "anh6.jpg"); err != nil {
		t.Fatal(err)
	}
	pw.Write([]byte("\xff\xd8")) // the first bytes, flushed through the pipe
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	select {
	case r := <-answered:
		if r.status != 413 || !bytes.Contains(r.body, []byte("too_many_photos")) {
			t.Fatalf("sixth photo: %d %s", r.status, r.body)
		}
	case <-ctx.Done():
		t.Fatal("the server waited for the sixth photo's bytes")
	}
}

// TestFeedbackStaffBadInput: staff actions with bad bodies change
// nothing.
func TestFeedbackStaffBadInput(t *testing.T) {
	e := newFbEnv(t)
	c := e.newReport(t)
	mod := e.staffLogin(t, "mod")
	code := c.Report.Code
	cases := []struct {
		action string
		body   any
		status int
		code   string
	}{
		{"accept", `{"reason":`, 400, "invalid_json"},
		{"accept", `{"force":true}`, 400, "unknown_field"},
		{"refuse", map[string]string{}, 400, "invalid_reason"},
		{"refuse", map[string]string{"reason": "a\u202eb"}, 400, "invalid_reason"},
		{"refuse", map[string]string{"reason": strings.Repeat("x", 1001)}, 400, "invalid_reason"},
		{"duplicate", map[string]string{}, 400, "invalid_duplicate_of"},
		{"duplicate", map[string]string{"duplicate_of": "' OR 1=1"}, 400, "invalid_duplicate_of"},
		{"duplicate", map[string]string{"duplicate_of": code}, 400, "invalid_duplicate_of"},
		{"duplicate", map[string]string{"duplicate_of": "PA-2611-99999"}, 404, "unknown_report"},
		{"assign", map[string]string{"unit": "nowhere"}, 409, "report_status"},
		{"answer", map[string]any{"text": "x", "photos": []string{strings.Repeat("a", 64)}}, 404, "unknown_photo"},
		{"answer", map[string]any{"text": "x", "photos": []string{"../../etc/passwd"}}, 400, "invalid_photo"},
		{"hide-photo", map[string]string{"photo": strings.Repeat("f", 64)}, 400, "unknown_photo"},
		{"resolve", nil, 409, "report_status"},
	}
	before := e.counts(t)
	for _, c := range cases {
		r := e.act(t, mod, code, c.action, c.body)
		if r.status != c.status || r.errCode(t) != c.code {
			t.Errorf("%s %v: %d %s, want %d %s", c.action, c.body, r.status, r.body, c.status, c.code)
		}
	}
	if got := e.counts(t); got != before {
		t.Fatalf("refused actions changed %+v to %+v", before, got)
	}
	// Upload routes refuse what the report's form refuses.
	body, ct := form(t, text("category", "x"))
	if r := e.do(t, req{method: "POST", path: "/api/v1/feedback/photos", token: mod, body: body, ctype: ct}); r.status != 400 || r.errCode(t) != "unknown_field" {
		t.Fatalf("upload with a field: %d %s", r.status, r.body)
	}
	body, ct = form(t)
	if r := e.do(t, req{method: "POST", path: "/api/v1/feedback/photos", token: mod, body: body, ctype: ct}); r.status != 400 || r.errCode(t) != "no_photo" {
		t.Fatalf("upload of nothing: %d %s", r.status, r.body)
	}
	body, ct = form(t, part{name: "photo", filename: "bom.png", ctype: "image/png", data: pngBomb()})
	if r := e.do(t, req{method: "POST", path: "/api/v1/feedback/photos", token: mod, body: body, ctype: ct}); r.status != 400 || r.errCode(t) != "photo_too_many_pixels" {
		t.Fatalf("upload of a bomb: %d %s", r.status, r.body)
	}
	if got := e.counts(t); got != before {
		t.Fatalf("refused uploads changed %+v to %+v", before, got)
	}
	// Photo addresses that are not hashes.
	for _, p := range []string{"/api/v1/photos/..%2f..%2fluot.db", "/api/v1/photos/" + strings.Repeat("A", 64), "/api/v1/photos/" + strings.Repeat("a", 64) + "?size=big"} {
		if r := e.do(t, req{method: "GET", path: p}); r.status/100 != 4 || !utf8.Valid(r.body) {
			t.Errorf("GET %s: %d", p, r.status)
		}
	}
}
