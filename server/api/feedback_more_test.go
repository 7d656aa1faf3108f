package api

import (
	"bufio"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
)

// TestFeedbackReopen: the reporter reopens a resolved report once, with a
// reason; it goes back to its unit.
func TestFeedbackReopen(t *testing.T) {
	e := newFbEnv(t)
	c := e.newReport(t, text("category", "moi-truong"), text("description", "Khói"), text("address", "Chợ"))
	mod, ht := e.staffLogin(t, "mod"), e.staffLogin(t, "h-tnmt")
	code := c.Report.Code
	e.mustAct(t, mod, code, "accept", nil)
	e.mustAct(t, mod, code, "assign", map[string]string{}) // the unit routing chose
	e.mustAct(t, ht, code, "answer", map[string]string{"text": "Đã nhắc nhở cơ sở."})
	e.mustAct(t, ht, code, "resolve", nil)
	v := "/api/v1/reports/" + code + "/verdict"
	if r := e.do(t, req{method: "POST", path: v, body: map[string]string{"k": c.Token, "verdict": "reopen"}}); r.status != 400 || r.errCode(t) != "invalid_reason" {
		t.Fatalf("reopen without a reason: %d %s", r.status, r.body)
	}
	if r := e.do(t, req{method: "POST", path: v, body: map[string]string{"k": c.Token, "verdict": "maybe"}}); r.status != 400 || r.errCode(t) != "invalid_verdict" {
		t.Fatalf("unknown verdict: %d %s", r.status, r.body)
	}
	var a struct {
		Report PublicReportJSON `json:"report"`
	}
	e.must(t, 200, req{method: "POST", path: v, body: map[string]string{"k": c.Token, "verdict": "reopen", "reason": "Vẫn còn khói mỗi tối"}}).decode(t, &a)
	if a.Report.Status != feedback.StatusAssigned || a.Report.Unit != "tnmt" || a.Report.Answer != "" {
		t.Fatalf("reopened: %+v", a.Report)
	}
	var page ReportPageJSON
	e.must(t, 200, req{method: "GET", path: "/api/v1/reports/" + code + "?k=" + url.QueryEscape(c.Token)}).decode(t, &page)
	if page.CanReopen || page.CanRate || page.Timeline[len(page.Timeline)-1].Reason != "Vẫn còn khói mỗi tối" {
		t.Fatalf("after reopening: %+v", page)
	}
	// Once: resolved again, it cannot be reopened a second time.
	e.mustAct(t, ht, code, "resolve", nil)
	if r := e.do(t, req{method: "POST", path: v, body: map[string]string{"k": c.Token, "verdict": "reopen", "reason": "Lại nữa"}}); r.status != 409 || r.errCode(t) != "reopened_once" {
		t.Fatalf("second reopen: %d %s", r.status, r.body)
	}
}

// TestFeedbackInboxFilters: overdue first, filters and the text search.
func TestFeedbackInboxFilters(t *testing.T) {
	e := newFbEnv(t)
	a := e.newReport(t)
	b := e.newReport(t, text("category", "moi-truong"), text("description", "Khói từ lò đốt rác"), text("address", "Chợ Bến Thành"))
	mod := e.staffLogin(t, "mod")
	e.mustAct(t, mod, a.Report.Code, "accept", nil)
	// Friday 08:00 + a week: b's acknowledgement (1 working day) is past,
	// a was accepted in time.
	e.clock.Advance(7 * 24 * time.Hour)
	mod = e.staffLogin(t, "mod") // a new day's session
	codes := func(q string) []string {
		t.Helper()
		var l StaffReportsJSON
		e.must(t, 200, req{method: "GET", path: "/api/v1/feedback/reports" + q, token: mod}).decode(t, &l)
		var out []string
		for _, r := range l.Reports {
			out = append(out, r.Code)
		}
		return out
	}
	if got := codes(""); len(got) != 2 || got[0] != b.Report.Code {
		t.Fatalf("inbox order: %v, want the overdue %s first", got, b.Report.Code)
	}
	for q, want := range map[string]string{
		"?overdue=1": b.Report.Code, "?q=" + url.QueryEscape("lò đốt"): b.Report.Code, "?q=bình": a.Report.Code,
		"?status=accepted": a.Report.Code, "?category=moi-truong": b.Report.Code, "?unit=tnmt": b.Report.Code,
	} {
		if got := codes(q); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %v, want [%s]", q, got, want)
		}
	}
	for _, q := range []string{"?overdue=yes", "?q=" + strings.Repeat("x", 201), "?unit=" + url.QueryEscape("<x>"), "?status=x"} {
		if r := e.do(t, req{method: "GET", path: "/api/v1/feedback/reports" + q, token: mod}); r.status != 400 {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
}

// TestFeedbackStaffStreamOwnPagesOnly: a page of an origin allowed to
// read the public streams may not open the staff's, even with a session.
func TestFeedbackStaffStreamOwnPagesOnly(t *testing.T) {
	e := newFbEnv(t, withConfig(func(c *Config) { c.AllowedOrigins = []string{"*"} }))
	mod := e.staffLogin(t, "mod")
	hdr := http.Header{"Authorization": {"Bearer " + mod}, "Origin": {"https://board.example"}}
	if _, res, err := e.dialPath(t, "/api/v1/feedback/events", hdr); err == nil || res == nil || res.StatusCode != 403 {
		t.Fatalf("staff stream from another origin: %v %v", err, res)
	}
	// The report's public stream is open to it.
	c := e.newReport(t)
	if _, _, err := e.dialPath(t, "/api/v1/reports/"+c.Report.Code+"/events", http.Header{"Origin": {"https://board.example"}}); err != nil {
		t.Fatal(err)
	}
}

// TestFeedbackOversizeRefusedEarly: a report declaring a body above the
// limit is refused from its headers, without waiting for the body.
func TestFeedbackOversizeRefusedEarly(t *testing.T) {
	e := newFbEnv(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(wait))
	_, err = conn.Write([]byte("POST /api/v1/offices/" + office + "/reports HTTP/1.1\r\nHost: x\r\n" +
		"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 60000000\r\n\r\n--B\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("status %d", res.StatusCode)
	}
}
