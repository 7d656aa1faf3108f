package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
)

// xdBody is a building permit's receipt with every required paper.
func xdBody(name string) map[string]any {
	return map[string]any{"procedure": "XD-01", "applicant": map[string]string{"name": name, "phone": "0912000021", "id_number": "001234567890"},
		"papers": []string{"don", "gcn", "ban-ve"}}
}

// TestDossierPagesWhoSeesWhat: a handler's list holds their
// department's dossiers only, late first; another department's dossier
// is 404 to them, alike with a code that does not exist; the filters
// refuse what is not theirs; without a session the pages lead to the
// staff login, which leads back.
func TestDossierPagesWhoSeesWhat(t *testing.T) {
	e := newDossierEnv(t)
	nv1 := e.login("nv1", "q1")
	e.serve(nv1, "q1", "xay-dung")
	early := e.receiveAt(nv1, "q1", xdBody("Nguyen Van An")).Dossier.Code
	// Twenty-five days later a second permit: the first is late by then.
	e.finish(nv1, "q1")
	e.clock.Advance(25 * 24 * time.Hour)
	nv1 = e.login("nv1", "q1")
	e.serve(nv1, "q1", "xay-dung")
	late := early
	fresh := e.receiveAt(nv1, "q1", xdBody("Tran Thi Binh")).Dossier.Code
	e.finish(nv1, "q1")
	e.serve(nv1, "q1", "ho-tich")
	birth := e.receiveAt(nv1, "q1", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "Le Van Cuong"}, "papers": []string{"to-khai", "chung-sinh"}}).Dossier.Code

	qldt := e.login("xl-qldt", "")
	r := e.do("GET", "/staff/dossiers?lang=vi", qldt, nil, "")
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	rows := regexp.MustCompile(`<tr data-code="([^"]+)"[^>]*?( class="late")?>`).FindAllStringSubmatch(r.body, -1)
	if len(rows) != 2 || rows[0][1] != late || rows[0][2] == "" || rows[1][1] != fresh || rows[1][2] != "" {
		t.Errorf("the building department's list: %q (want %s late, then %s)", rows, late, fresh)
	}
	if strings.Contains(r.body, birth) || !strings.Contains(r.body, "Trễ hạn: 1 hồ sơ") {
		t.Errorf("the list shows another department's dossier, or not the late count")
	}
	if r := e.do("GET", "/staff/dossiers/"+birth, qldt, nil, ""); r.status != 404 {
		t.Errorf("another department's dossier: %d", r.status)
	}
	if r := e.do("GET", "/staff/dossiers/TP-010101-0001", qldt, nil, ""); r.status != 404 {
		t.Errorf("a dossier that does not exist: %d", r.status)
	}
	if r := e.do("GET", "/staff/dossiers/not-a-code", qldt, nil, ""); r.status != 404 {
		t.Errorf("a code not written as one: %d", r.status)
	}
	if r := e.do("GET", "/staff/dossiers?status=lost", qldt, nil, ""); r.status != 400 {
		t.Errorf("an unknown status: %d", r.status)
	}
	// Late only; a search by name.
	if r := e.do("GET", "/staff/dossiers?late=1", qldt, nil, ""); !strings.Contains(r.body, late) || strings.Contains(r.body, fresh) {
		t.Errorf("late only: %s", r.body)
	}
	if r := e.do("GET", "/staff/dossiers?q=binh", qldt, nil, ""); strings.Contains(r.body, late) || !strings.Contains(r.body, fresh) {
		t.Error("the search by name")
	}
	// The administrator sees every department's, and may pick one.
	adm := e.login("admin", "")
	if r := e.do("GET", "/staff/dossiers", adm, nil, ""); !strings.Contains(r.body, birth) || !strings.Contains(r.body, fresh) {
		t.Error("the administrator's list lacks dossiers")
	}
	if r := e.do("GET", "/staff/dossiers?department=tu-phap", adm, nil, ""); !strings.Contains(r.body, birth) || strings.Contains(r.body, fresh) {
		t.Error("the administrator's list of one department")
	}
	if r := e.do("GET", "/staff/dossiers?department=nowhere", adm, nil, ""); r.status != 400 {
		t.Errorf("an unknown department: %d", r.status)
	}
	// The handler's own dossier: the history and the actions of a
	// processing dossier, the late one with its apology.
	r = e.do("GET", "/staff/dossiers/"+late+"?lang=en", qldt, nil, "")
	if r.status != 200 {
		t.Fatalf("dossier page: %d %s", r.status, r.body)
	}
	forms := regexp.MustCompile(`<form class="dz-form" id="form-([a-z]+)"`).FindAllStringSubmatch(r.body, -1)
	var got []string
	for _, f := range forms {
		got = append(got, f[1])
	}
	if strings.Join(got, ",") != "complete,supplement,payment,transfer,apologize,suspend,note" {
		t.Errorf("a handler is offered %v on a late processing dossier", got)
	}
	for _, want := range []string{"Building permit for a house", "Urban Management Department", "Nguyen Van An", "********7890", "Late", "Sent for processing", "75,000 VND"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the dossier page lacks %q", want)
		}
	}
	// Without a session: the staff login, which leads back.
	res := e.do("GET", "/staff/dossiers/"+late, "", nil, "")
	if loc := res.header.Get("Location"); res.status != 303 || loc != "/staff/login?next="+url.QueryEscape("/staff/dossiers/"+late) {
		t.Errorf("without a session: %d %q", res.status, loc)
	}
	if r := e.do("GET", "/staff/login?next="+url.QueryEscape("/staff/dossiers/"+late), "", nil, ""); !strings.Contains(r.body, `data-next="/staff/dossiers/`+late+`"`) {
		t.Error("the staff login does not lead back to the dossier")
	}
}

// TestDossierReceiptPage: the A5 receipt draws the applicant's link as
// its QR, with the token only when it is the dossier's; a refused
// dossier has no receipt.
func TestDossierReceiptPage(t *testing.T) {
	e := newDossierEnv(t)
	nv1 := e.login("nv1", "q1")
	e.serve(nv1, "q1", "xay-dung")
	rec := e.receiveAt(nv1, "q1", xdBody("Nguyen Van An"))
	code := rec.Dossier.Code
	k := ""
	if u, err := url.Parse(rec.Link); err == nil {
		k = u.Query().Get("k")
	}
	if k == "" {
		t.Fatalf("the receipt's link has no token: %q", rec.Link)
	}
	qr := func(body string) string {
		return regexp.MustCompile(`<svg class="qr"[^>]*>.*?</svg>`).FindString(body)
	}
	want := func(link string) string {
		s, err := qrSVG(link, "Mã QR tra cứu hồ sơ")
		if err != nil {
			t.Fatal(err)
		}
		return string(s)
	}
	r := e.do("GET", "/staff/dossiers/"+code+"/receipt?lang=vi&k="+url.QueryEscape(k), nv1, nil, "")
	if r.status != 200 {
		t.Fatalf("receipt: %d %s", r.status, r.body)
	}
	if got := qr(r.body); got == "" || got != want("/hs/"+code+"?k="+url.QueryEscape(k)) {
		t.Errorf("the receipt's QR is not the applicant's link with the token")
	}
	for _, s := range []string{"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", code, "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Nguyen Van An",
		"Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế xây dựng", "15 ngày làm việc", `data-token="1"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the receipt lacks %q", s)
		}
	}
	if strings.Contains(r.body, "Giấy ủy quyền") {
		t.Error("the receipt lists a paper not received")
	}
	if rp := r.header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("Referrer-Policy %q", rp)
	}
	// A forged token: the link without it.
	r = e.do("GET", "/staff/dossiers/"+code+"/receipt?lang=vi&k=forged", nv1, nil, "")
	if got := qr(r.body); got != want("/hs/"+code) || strings.Contains(r.body, "forged") {
		t.Errorf("a forged token is drawn into the receipt")
	}
	// A refusal has a code but no receipt.
	e.finish(nv1, "q1")
	e.serve(nv1, "q1", "xay-dung")
	body := xdBody("Tran Van Binh")
	body["refuse"] = "Thieu ban ve thiet ke"
	refused := e.receiveAt(nv1, "q1", body).Dossier.Code
	if r := e.do("GET", "/staff/dossiers/"+refused+"/receipt", nv1, nil, ""); r.status != 409 {
		t.Errorf("a refused dossier's receipt: %d", r.status)
	}
}

// TestDossierFormsByRole: the forms a dossier's page offers follow the
// transitions' table by role and status (docs/dossier.md); the apology
// only near or past the due date.
func TestDossierFormsByRole(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	later := now.Add(10 * 24 * time.Hour)
	for _, c := range []struct {
		role   dossier.Role
		status dossier.Status
		due    time.Time
		want   string
	}{
		{dossier.RoleHandler, dossier.StatusProcessing, later, "complete,supplement,payment,transfer,suspend,note"},
		{dossier.RoleHandler, dossier.StatusProcessing, now.Add(time.Hour), "complete,supplement,payment,transfer,apologize,suspend,note"},
		{dossier.RoleHandler, dossier.StatusProcessing, now.Add(-time.Hour), "complete,supplement,payment,transfer,apologize,suspend,note"},
		{dossier.RoleHandler, dossier.StatusReceived, later, "process,note"},
		{dossier.RoleHandler, dossier.StatusNeedsSupplement, later, "supplied,suspend,note"},
		{dossier.RoleHandler, dossier.StatusAwaitingPayment, later, "paid,suspend,note"},
		{dossier.RoleHandler, dossier.StatusSuspended, later, "resume,note"},
		{dossier.RoleHandler, dossier.StatusCompleted, now.Add(-time.Hour), "note"},
		{dossier.RoleClerk, dossier.StatusSubmitted, time.Time{}, "receive,refuse,withdraw,note"},
		{dossier.RoleClerk, dossier.StatusCompleted, later, "return,note"},
		{dossier.RoleClerk, dossier.StatusProcessing, now.Add(-time.Hour), "withdraw,note"},
		{dossier.RoleManager, dossier.StatusReceived, later, "process,refuse,withdraw,note"},
		{dossier.RoleManager, dossier.StatusProcessing, now.Add(-time.Hour), "complete,supplement,payment,transfer,apologize,suspend,withdraw,note"},
		{dossier.RoleManager, dossier.StatusReturned, later, "note"},
		{dossier.RoleManager, dossier.StatusRefused, later, "note"},
	} {
		var got []string
		for _, f := range formsFor(c.role, dossier.Dossier{Status: c.status, DueAt: c.due}, now) {
			got = append(got, f.Action)
		}
		if s := strings.Join(got, ","); s != c.want {
			t.Errorf("%s on %s: %s, want %s", c.role, c.status, s, c.want)
		}
	}
}
