package api

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
)

// The reporter of reportParts, in every form the phone may be written.
var personal = []string{"Nguyễn Văn Bình", "0903123456", "903123456", "+84903123456", "0903 123 456"}

// noPersonal fails if b holds the reporter's name or phone.
func noPersonal(t testing.TB, what string, b []byte) {
	t.Helper()
	for _, p := range personal {
		if bytes.Contains(b, []byte(p)) {
			t.Fatalf("%s holds the reporter's %q: %s", what, p, b)
		}
	}
}

// TestFeedbackJourney follows a report from the citizen's form to the
// citizen's verdict through every role's routes, with the report's
// public stream and the staff's streams watching.
func TestFeedbackJourney(t *testing.T) {
	e := newFbEnv(t)
	// The pages' configuration.
	var cfg FeedbackConfigJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/feedback"}).decode(t, &cfg)
	if len(cfg.Categories) != 3 || len(cfg.Units) != 3 || cfg.Limits.MaxPhotos != 5 || cfg.Limits.MaxPhotoBytes != 10<<20 || cfg.Limits.MaxDescription != 4000 {
		t.Fatalf("configuration: %+v", cfg)
	}
	if !bytes.Contains(cfg.Wards, []byte(`"phuong-dong"`)) || !bytes.Contains(cfg.Wards, []byte(`"MultiPolygon"`)) {
		t.Fatalf("wards: %s", cfg.Wards)
	}
	e.must(t, 404, req{method: "GET", path: "/api/v1/offices/hn-bd/feedback"})

	mod, hq, ht := e.staffLogin(t, "mod"), e.staffLogin(t, "h-qldt"), e.staffLogin(t, "h-tnmt")
	// The staff streams, opened before anything happens.
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	modWS, _, err := e.dialPath(t, "/api/v1/feedback/events", bearer(mod))
	if err != nil {
		t.Fatal(err)
	}
	tnmtWS, _, err := e.dialPath(t, "/api/v1/feedback/events", bearer(ht))
	if err != nil {
		t.Fatal(err)
	}
	var hello StaffStreamJSON
	readJSON(t, modWS, &hello)
	if hello.Type != "hello" || hello.Seq != 0 {
		t.Fatalf("hello: %+v", hello)
	}
	readJSON(t, tnmtWS, &hello)

	// A citizen sends a report with two photos, one of them with GPS in
	// its EXIF.
	gps := withGPS(jpegOf(t, 80, 60, 1))
	c := e.newReport(t, append(reportParts(t), photoPart(gps))...)
	rep := c.Report
	if !feedback.ValidCode(rep.Code) || rep.Status != feedback.StatusNew || rep.Unit != "phuong-dong" || rep.Place.Ward != "phuong-dong" || len(rep.Photos) != 2 {
		t.Fatalf("created: %+v", rep)
	}
	if c.Token == "" || c.ReportURL != "https://luot.example.vn/pa/"+rep.Code+"?k="+url.QueryEscape(c.Token) {
		t.Fatalf("token %q, report_url %q", c.Token, c.ReportURL)
	}
	// The staff's streams: the moderator sees it, the other unit does not.
	var m StaffStreamJSON
	readJSON(t, modWS, &m)
	if m.Type != "report.created" || m.Report == nil || m.Report.Code != rep.Code || m.Report.Reporter.Name != "Nguyễn Văn Bình" || m.Seq <= 0 {
		t.Fatalf("moderator's stream: %+v", m)
	}
	// The photos are served without EXIF; the thumbnail too.
	for _, ph := range rep.Photos {
		for _, u := range []string{ph.URL, ph.ThumbURL} {
			r := e.must(t, 200, req{method: "GET", path: u})
			if r.header.Get("Content-Type") != "image/jpeg" || r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.header.Get("Cache-Control"), "public") {
				t.Fatalf("GET %s: headers %v", u, r.header)
			}
			if bytes.Contains(r.body, []byte("Exif")) || bytes.Contains(r.body, gpsMarker) || !bytes.HasPrefix(r.body, []byte{0xFF, 0xD8}) {
				t.Fatalf("GET %s: the served photo keeps EXIF or is no JPEG", u)
			}
			etag := r.header.Get("ETag")
			if nm := e.do(t, req{method: "GET", path: u, header: map[string]string{"If-None-Match": etag}}); nm.status != http.StatusNotModified {
				t.Fatalf("GET %s with its ETag: %d", u, nm.status)
			}
		}
	}
	if !bytes.Contains(gps, gpsMarker) {
		t.Fatal("the test's GPS marker is not in the upload")
	}

	// The public report, for anyone and for its reporter.
	path := "/api/v1/reports/" + rep.Code
	var page ReportPageJSON
	r := e.must(t, 200, req{method: "GET", path: path})
	noPersonal(t, "the public report", r.body)
	r.decode(t, &page)
	if page.Mine || page.CanRate || page.CanReopen || len(page.Timeline) != 1 || page.Timeline[0].Type != "report.created" {
		t.Fatalf("public page: %+v", page)
	}
	page = ReportPageJSON{}
	e.must(t, 200, req{method: "GET", path: path + "?k=" + url.QueryEscape(c.Token)}).decode(t, &page)
	if !page.Mine || page.CanRate {
		t.Fatalf("reporter's page: %+v", page)
	}
	var wrong ReportPageJSON
	e.must(t, 200, req{method: "GET", path: path + "?k=wrong"}).decode(t, &wrong)
	if wrong.Mine {
		t.Fatal("a wrong k is the reporter")
	}

	// The report's public stream.
	pubWS, _, err := e.dialPath(t, path+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	var pe ReportEventJSON
	noPersonal(t, "the report's stream", readJSON(t, pubWS, &pe))
	if pe.Type != "report.snapshot" || pe.Report.Code != rep.Code {
		t.Fatalf("snapshot: %+v", pe)
	}
	expect := func(typ string, status feedback.Status) {
		t.Helper()
		var pe ReportEventJSON
		noPersonal(t, "the report's stream", readJSON(t, pubWS, &pe))
		if pe.Type != typ || pe.Report.Status != status {
			t.Fatalf("stream: got %s %s, want %s %s", pe.Type, pe.Report.Status, typ, status)
		}
		var m StaffStreamJSON
		readJSON(t, modWS, &m)
		if m.Type != typ || m.Event == nil || m.Event.Actor.Name == "" && m.Event.Actor.Role != feedback.RoleReporter && m.Event.Actor.Role != feedback.RolePublic {
			t.Fatalf("moderator's stream: %+v", m)
		}
	}

	// The inbox: the moderator sees it with its reporter; the handlers of
	// other units do not.
	var inbox StaffReportsJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/reports", token: mod}).decode(t, &inbox)
	if len(inbox.Reports) != 1 || inbox.Reports[0].Reporter.Phone != "+84903123456" || inbox.Reports[0].Version != 1 {
		t.Fatalf("moderator's inbox: %+v", inbox)
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/reports", token: hq}).decode(t, &inbox)
	if len(inbox.Reports) != 0 {
		t.Fatalf("handler's inbox holds another unit's report: %+v", inbox)
	}
	e.must(t, 403, req{method: "GET", path: "/api/v1/feedback/reports/" + rep.Code, token: hq})

	// The moderator accepts it and assigns it to the urban department.
	e.mustAct(t, mod, rep.Code, "accept", nil)
	expect("report.accept", feedback.StatusAccepted)
	sr := e.mustAct(t, mod, rep.Code, "assign", map[string]string{"unit": "qldt"})
	if sr.Unit != "qldt" || sr.Status != feedback.StatusAssigned {
		t.Fatalf("assigned: %+v", sr)
	}
	expect("report.assign", feedback.StatusAssigned)
	// Another unit's handler may neither read nor act on it.
	if got := e.act(t, ht, rep.Code, "start", nil); got.status != 403 || got.errCode(t) != "not_your_unit" {
		t.Fatalf("another unit's start: %d %s", got.status, got.body)
	}
	e.must(t, 403, req{method: "GET", path: "/api/v1/feedback/reports/" + rep.Code, token: ht})

	// The handler starts, uploads the answer's photo, answers and
	// resolves.
	e.mustAct(t, hq, rep.Code, "start", nil)
	expect("report.start", feedback.StatusInProgress)
	body, ct := form(t, photoPart(jpegOf(t, 70, 50, 9)))
	var up struct {
		Photos []UploadedPhotoJSON `json:"photos"`
	}
	e.must(t, 201, req{method: "POST", path: "/api/v1/feedback/photos", token: hq, body: body, ctype: ct}).decode(t, &up)
	if len(up.Photos) != 1 || !validHash(up.Photos[0].Hash) {
		t.Fatalf("upload: %+v", up)
	}
	// Not in any report yet: staff only.
	e.must(t, 404, req{method: "GET", path: up.Photos[0].URL})
	e.must(t, 200, req{method: "GET", path: up.Photos[0].URL, token: hq})
	e.mustAct(t, hq, rep.Code, "answer", map[string]any{"text": "Đã cưỡng chế tháo dỡ phần lấn chiếm.", "photos": []string{up.Photos[0].Hash}})
	expect("report.answer", feedback.StatusInProgress)
	// The draft answer is not public yet.
	r = e.must(t, 200, req{method: "GET", path: path})
	if bytes.Contains(r.body, []byte("cưỡng chế")) {
		t.Fatalf("the draft answer is public: %s", r.body)
	}
	e.mustAct(t, hq, rep.Code, "resolve", nil)
	expect("report.resolve", feedback.StatusResolved)
	page = ReportPageJSON{}
	e.must(t, 200, req{method: "GET", path: path}).decode(t, &page)
	if page.Report.Answer != "Đã cưỡng chế tháo dỡ phần lấn chiếm." || len(page.Report.Photos) != 3 || !page.Report.Photos[2].Answer || page.Report.ResolvedAt == nil {
		t.Fatalf("resolved page: %+v", page.Report)
	}
	page = ReportPageJSON{}
	e.must(t, 200, req{method: "GET", path: path + "?k=" + url.QueryEscape(c.Token)}).decode(t, &page)
	if !page.CanRate || !page.CanReopen {
		t.Fatalf("the reporter may rate and reopen: %+v", page)
	}

	// Only the reporter gives the verdict.
	vpath := path + "/verdict"
	if got := e.do(t, req{method: "POST", path: vpath, body: map[string]string{"verdict": "satisfied"}}); got.status != 403 || got.errCode(t) != "not_reporter" {
		t.Fatalf("verdict without k: %d %s", got.status, got.body)
	}
	if got := e.do(t, req{method: "POST", path: vpath, body: map[string]string{"k": "guess", "verdict": "satisfied"}}); got.status != 403 || got.errCode(t) != "not_reporter" {
		t.Fatalf("verdict with a wrong k: %d %s", got.status, got.body)
	}
	r = e.must(t, 200, req{method: "POST", path: vpath, body: map[string]string{"k": c.Token, "verdict": "satisfied"}})
	noPersonal(t, "the verdict's answer", r.body)
	expect("report.satisfied", feedback.StatusResolved)
	page = ReportPageJSON{}
	e.must(t, 200, req{method: "GET", path: path + "?k=" + url.QueryEscape(c.Token)}).decode(t, &page)
	if page.Report.Verdict != "satisfied" || page.CanRate || page.CanReopen {
		t.Fatalf("after the verdict: %+v", page)
	}
	if got := e.do(t, req{method: "POST", path: vpath, body: map[string]string{"k": c.Token, "verdict": "reopen", "reason": "Vẫn còn"}}); got.status != 409 {
		t.Fatalf("reopen after satisfied: %d %s", got.status, got.body)
	}

	// A report of the environment reaches its unit's stream, and "me
	// too" counts once per address.
	c2 := e.newReport(t, text("category", "moi-truong"), text("description", "Rác đổ trộm"), text("address", "Hẻm 5 Trần Hưng Đạo"), text("anonymous", "1"), text("name", "Nguyễn Văn Bình"), text("phone", "0903123456"))
	for {
		var m StaffStreamJSON
		readJSON(t, tnmtWS, &m)
		if m.Report == nil || m.Report.Code == rep.Code {
			t.Fatalf("the environment's handler got another unit's event: %+v", m)
		}
		if m.Report.Code == c2.Report.Code {
			if !m.Report.Reporter.Anonymous || m.Report.Reporter.Name != "" || m.Report.Reporter.Phone != "" {
				t.Fatalf("an anonymous report shows its reporter to staff: %+v", m.Report.Reporter)
			}
			break
		}
	}
	for range 2 {
		var mt map[string]int
		e.must(t, 200, req{method: "POST", path: "/api/v1/reports/" + c2.Report.Code + "/me-too"}).decode(t, &mt)
		if mt["me_too"] != 1 {
			t.Fatalf("me too: %v", mt)
		}
	}
	// The resolved report takes no more "me too".
	if got := e.do(t, req{method: "POST", path: "/api/v1/reports/" + rep.Code + "/me-too"}); got.status != 409 {
		t.Fatalf("me too on a resolved report: %d %s", got.status, got.body)
	}

	// A duplicate must name a report that exists.
	c3 := e.newReport(t)
	if got := e.act(t, mod, c3.Report.Code, "duplicate", map[string]string{"duplicate_of": "PA-2611-99999"}); got.status != 404 || got.errCode(t) != "unknown_report" {
		t.Fatalf("duplicate of nothing: %d %s", got.status, got.body)
	}
	if sr := e.mustAct(t, mod, c3.Report.Code, "duplicate", map[string]string{"duplicate_of": rep.Code}); sr.Status != feedback.StatusDuplicate || sr.DuplicateOf != rep.Code {
		t.Fatalf("duplicate: %+v", sr)
	}

	// The moderator hides a photo (the one no other report shows): the
	// public no longer gets it.
	hidden := rep.Photos[1].Hash
	e.mustAct(t, mod, rep.Code, "hide-photo", map[string]string{"photo": hidden})
	page = ReportPageJSON{}
	e.must(t, 200, req{method: "GET", path: path}).decode(t, &page)
	if len(page.Report.Photos) != 2 || slices.ContainsFunc(page.Report.Photos, func(p PhotoJSON) bool { return p.Hash == hidden }) {
		t.Fatalf("the hidden photo is public: %+v", page.Report.Photos)
	}
	e.must(t, 404, req{method: "GET", path: "/api/v1/photos/" + hidden})
	if r := e.must(t, 200, req{method: "GET", path: "/api/v1/photos/" + hidden, token: mod}); r.header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("a staff-only photo is cached: %v", r.header)
	}

	// The staff report and its timeline, with names; the templates.
	var sp StaffReportPageJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/reports/" + rep.Code, token: hq}).decode(t, &sp)
	if len(sp.Timeline) < 7 || sp.Timeline[1].Actor.Name != "Kiểm duyệt viên" || len(sp.Report.Photos) != 3 || !sp.Report.Photos[1].Hidden {
		t.Fatalf("staff report: %+v", sp)
	}
	var tpl struct {
		Templates []feedback.Template `json:"templates"`
	}
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/templates", token: hq}).decode(t, &tpl)
	if len(tpl.Templates) != 1 {
		t.Fatalf("templates: %+v", tpl)
	}
	// A moderator's stream resumed with since gets what followed.
	again, _, err := e.dialPath(t, "/api/v1/feedback/events?since="+strconv.FormatInt(m.Seq, 10), bearer(mod))
	if err != nil {
		t.Fatal(err)
	}
	readJSON(t, again, &hello)
	var next StaffStreamJSON
	readJSON(t, again, &next)
	if next.Seq != m.Seq+1 || next.Type != "report.accept" {
		t.Fatalf("resumed stream: %+v after %d", next, m.Seq)
	}
}

// TestFeedbackPublicList: filters, a box, a circle, open reports, pages;
// no reporter anywhere.
func TestFeedbackPublicList(t *testing.T) {
	e := newFbEnv(t)
	a := e.newReport(t) // xay-dung at (10.775, 106.7)
	b := e.newReport(t, text("category", "moi-truong"), text("description", "Khói"), text("lat", "10.8"), text("lon", "106.75"), text("name", "Nguyễn Văn Bình"), text("phone", "0903123456"))
	c := e.newReport(t, text("category", "do-thi"), text("description", "Lấn chiếm"), text("address", "Chợ Bến Thành"))
	mod := e.staffLogin(t, "mod")
	e.mustAct(t, mod, c.Report.Code, "refuse", map[string]string{"reason": "Không đủ thông tin"})
	list := func(q string) []string {
		t.Helper()
		r := e.must(t, 200, req{method: "GET", path: "/api/v1/offices/" + office + "/reports" + q})
		noPersonal(t, "the public list", r.body)
		var l ReportsJSON
		r.decode(t, &l)
		var codes []string
		for _, x := range l.Reports {
			codes = append(codes, x.Code)
		}
		slices.Sort(codes)
		return codes
	}
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"", sorted(a.Report.Code, b.Report.Code, c.Report.Code)},
		{"?category=moi-truong", sorted(b.Report.Code)},
		{"?category=moi-truong,xay-dung", sorted(a.Report.Code, b.Report.Code)},
		{"?status=refused", sorted(c.Report.Code)},
		{"?open=1", sorted(a.Report.Code, b.Report.Code)},
		{"?open=1&status=refused", nil},
		{"?bbox=106.69,10.77,106.71,10.78", sorted(a.Report.Code)},
		{"?bbox=106.0,10.0,107.0,11.0", sorted(a.Report.Code, b.Report.Code)},
		{"?near=10.7751,106.7001&radius=100", sorted(a.Report.Code)},
		{"?near=10.7751,106.7001&radius=10000", sorted(a.Report.Code, b.Report.Code)},
		{"?near=10.7751,106.7001&radius=10000&limit=1&offset=1", []string{a.Report.Code}}, // newest first
		{"?near=10.7751,106.7001&radius=10000&bbox=106.74,10.79,106.76,10.81", sorted(b.Report.Code)},
		{"?from=2026-11-27&to=2026-11-27", sorted(a.Report.Code, b.Report.Code, c.Report.Code)},
		{"?from=2026-11-28", nil},
		{"?limit=2", nil}, // checked by length below
	} {
		got := list(c.q)
		if c.q == "?limit=2" {
			if len(got) != 2 {
				t.Errorf("%s: %v", c.q, got)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.q, got, c.want)
		}
	}
	for _, q := range []string{"?bbox=1,2,3", "?bbox=107,10,106,11", "?near=91,0", "?near=10,106&radius=0", "?near=10,106&radius=NaN", "?status=open", "?category=" + url.QueryEscape("<b>"), "?limit=-1", "?limit=501", "?open=yes", "?from=27/11/2026", "?bbox=NaN,1,2,3"} {
		if r := e.do(t, req{method: "GET", path: "/api/v1/offices/" + office + "/reports" + q}); r.status != 400 {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		} else {
			r.errCode(t)
		}
	}
}

// TestFeedbackPermissions: who may call which staff route.
func TestFeedbackPermissions(t *testing.T) {
	e := newFbEnv(t)
	c := e.newReport(t)
	clerk := e.login(t, "nv1", "q1")
	admin := e.login(t, "admin", "")
	hq, ht := e.staffLogin(t, "h-qldt"), e.staffLogin(t, "h-tnmt")
	code := c.Report.Code
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/feedback/reports"},
		{"GET", "/api/v1/feedback/reports/" + code},
		{"POST", "/api/v1/feedback/reports/" + code + "/accept"},
		{"GET", "/api/v1/feedback/templates"},
		{"GET", "/api/v1/feedback/events"},
		{"POST", "/api/v1/feedback/photos"},
	}
	for _, r := range routes {
		if got := e.do(t, req{method: r.method, path: r.path}); got.status != 401 || got.errCode(t) != "unauthenticated" {
			t.Errorf("%s %s without a session: %d %s", r.method, r.path, got.status, got.body)
		}
		if got := e.do(t, req{method: r.method, path: r.path, token: "Zm9yZ2Vk"}); got.status != 401 {
			t.Errorf("%s %s with a forged token: %d %s", r.method, r.path, got.status, got.body)
		}
		if got := e.do(t, req{method: r.method, path: r.path, token: clerk}); got.status != 403 || got.errCode(t) != "forbidden" {
			t.Errorf("%s %s by a clerk: %d %s", r.method, r.path, got.status, got.body)
		}
	}
	// An administrator moderates; a handler acts only on their unit's
	// reports and only once assigned.
	e.mustAct(t, admin, code, "accept", nil)
	if got := e.act(t, hq, code, "start", nil); got.status != 403 {
		t.Fatalf("a handler starts a report not assigned to them: %d %s", got.status, got.body)
	}
	if got := e.act(t, hq, code, "assign", map[string]string{"unit": "qldt"}); got.status != 403 {
		t.Fatalf("a handler assigns: %d %s", got.status, got.body)
	}
	e.mustAct(t, admin, code, "assign", map[string]string{"unit": "qldt"})
	e.mustAct(t, hq, code, "start", nil)
	if got := e.act(t, ht, code, "answer", map[string]string{"text": "x"}); got.status != 403 || got.errCode(t) != "not_your_unit" {
		t.Fatalf("another unit answers: %d %s", got.status, got.body)
	}
	if got := e.do(t, req{method: "GET", path: "/api/v1/feedback/reports?unit=qldt", token: ht}); got.status != 403 {
		t.Fatalf("a handler lists another unit: %d %s", got.status, got.body)
	}
	// A handler's stream of another unit sees nothing of it: its first
	// message after hello would be this report's next event.
	ws, _, err := e.dialPath(t, "/api/v1/feedback/events?since=0", http.Header{"Authorization": {"Bearer " + ht}})
	if err != nil {
		t.Fatal(err)
	}
	var hello StaffStreamJSON
	readJSON(t, ws, &hello)
	other := e.newReport(t, text("category", "moi-truong"), text("description", "Khói"), text("address", "Chợ"))
	var m StaffStreamJSON
	readJSON(t, ws, &m)
	if m.Report == nil || m.Report.Code != other.Report.Code {
		t.Fatalf("the environment's handler got %+v first, want %s", m, other.Report.Code)
	}
	// Unknown actions and reports.
	if got := e.act(t, admin, code, "explode", nil); got.status != 404 || got.errCode(t) != "unknown_action" {
		t.Fatalf("unknown action: %d %s", got.status, got.body)
	}
	if got := e.act(t, admin, "PA-2611-99999", "accept", nil); got.status != 404 || got.errCode(t) != "unknown_report" {
		t.Fatalf("unknown report: %d %s", got.status, got.body)
	}
	if got := e.do(t, req{method: "GET", path: "/api/v1/reports/' OR 1=1 --"}); got.status != 404 {
		t.Fatalf("injected code: %d %s", got.status, got.body)
	}
}

// TestFeedbackRateLimits: reports per address and per phone; refusals
// store nothing.
func TestFeedbackRateLimits(t *testing.T) {
	e := newFbEnv(t, withConfig(func(c *Config) {
		c.FeedbackLimits.PerAddrBurst, c.FeedbackLimits.PerAddrEvery = 3, 20*time.Minute
		c.FeedbackLimits.PerPhoneBurst, c.FeedbackLimits.PerPhoneEvery = 1, time.Hour
	}))
	e.newReport(t)
	before := e.counts(t)
	r := e.postReport(t, nil, reportParts(t)...) // the same phone
	if r.status != 429 || r.errCode(t) != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("second report of a phone: %d %s", r.status, r.body)
	}
	if got := e.counts(t); got != before {
		t.Fatalf("a refused report changed %+v to %+v", before, got)
	}
	other := func() []part {
		return append(without(reportParts(t), "phone"), text("phone", "0987654321"))
	}
	e.newReport(t, other()...) // the address's third
	r = e.postReport(t, nil, other()...)
	if r.status != 429 || r.errCode(t) != "rate_limited" {
		t.Fatalf("fourth report of an address: %d %s", r.status, r.body)
	}
	e.clock.Advance(20 * time.Minute)
	if r = e.postReport(t, nil, append(without(reportParts(t), "phone"), text("phone", "0911111111"))...); r.status != 201 {
		t.Fatalf("after the refill: %d %s", r.status, r.body)
	}
}

// TestFeedbackIdempotency: a repeated report with the same key makes
// nothing new.
func TestFeedbackIdempotency(t *testing.T) {
	e := newFbEnv(t)
	key := map[string]string{"Idempotency-Key": "f5b7a0e2-report-1"}
	r1 := e.postReport(t, key, reportParts(t)...)
	if r1.status != 201 {
		t.Fatalf("%d %s", r1.status, r1.body)
	}
	before := e.counts(t)
	r2 := e.postReport(t, key, reportParts(t)...)
	var a, b created
	r1.decode(t, &a)
	r2.decode(t, &b)
	if r2.status != 201 || r2.header.Get("Idempotent-Replayed") != "true" || b.Report.Code != a.Report.Code || b.Token != "" {
		t.Fatalf("replay: %d %s", r2.status, r2.body)
	}
	if got := e.counts(t); got != before {
		t.Fatalf("a replay changed %+v to %+v", before, got)
	}
}

// TestFeedbackInjectionVerbatim: HTML and SQL in free text are stored and
// returned as they were, inside JSON strings, never as markup.
func TestFeedbackInjectionVerbatim(t *testing.T) {
	e := newFbEnv(t)
	desc := `<script>alert("x")</script>' OR 1=1; DROP TABLE reports; -- <img src=x onerror=alert(1)>` + "\nDòng hai 👩‍💻"
	addr := `"><svg onload=alert(1)> 12 Lê Lợi`
	c := e.newReport(t, append(without(reportParts(t), "description", "address"), text("description", desc), text("address", addr))...)
	r := e.must(t, 200, req{method: "GET", path: "/api/v1/reports/" + c.Report.Code})
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if bytes.Contains(r.body, []byte("<script")) || bytes.Contains(r.body, []byte("<svg")) {
		t.Fatalf("markup in the JSON: %s", r.body)
	}
	var page ReportPageJSON
	r.decode(t, &page)
	if page.Report.Description != desc || page.Report.Place.Address != addr {
		t.Fatalf("stored %q / %q, want them verbatim", page.Report.Description, page.Report.Place.Address)
	}
	// The table is still there.
	e.newReport(t)
}

// TestFeedbackStats: the figures and their CSV, a handler's of their
// unit only.
func TestFeedbackStats(t *testing.T) {
	e := newFbEnv(t)
	e.newReport(t)
	e.newReport(t, text("category", "moi-truong"), text("description", "Khói"), text("address", "Chợ"))
	e.newReport(t, text("category", "moi-truong"), text("description", "Rác"), text("address", "Chợ"))
	mod, ht := e.staffLogin(t, "mod"), e.staffLogin(t, "h-tnmt")
	var all, tnmt StatsJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/stats", token: mod}).decode(t, &all)
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/stats?from=2026-11-01&to=2026-11-30", token: ht}).decode(t, &tnmt)
	if all.Figures.Total != 3 || all.Figures.Open != 3 || tnmt.Figures.Total != 2 || tnmt.Unit != "tnmt" {
		t.Fatalf("figures: all %+v, tnmt %+v", all, tnmt)
	}
	var none StatsJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/stats?from=2026-12-01", token: mod}).decode(t, &none)
	if none.Figures.Total != 0 {
		t.Fatalf("December: %+v", none)
	}
	r := e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/stats.csv", token: mod, header: map[string]string{"Accept-Language": "en"}})
	if r.header.Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(r.body, []byte("\ufeff")) || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV: %v %.200s", r.header, r.body)
	}
	noPersonal(t, "the statistics", r.body)
	if got := e.do(t, req{method: "GET", path: "/api/v1/feedback/stats?from=27/11/2026", token: mod}); got.status != 400 || got.errCode(t) != "invalid_date" {
		t.Fatalf("bad from: %d %s", got.status, got.body)
	}
	if got := e.do(t, req{method: "GET", path: "/api/v1/feedback/stats.csv"}); got.status != 401 {
		t.Fatalf("CSV without a session: %d", got.status)
	}
}
