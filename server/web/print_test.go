package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/queue"
)

// addStation registers a counter station for counter.
func (e *env) addStation(id, counter string) {
	e.t.Helper()
	d := queue.Device{ID: id, Office: office, Name: id, Kind: queue.DeviceStation, Counter: counter}
	if err := e.db.PutDevice(context.Background(), d, auth.Hash("key-"+id+"-"+random.Token())); err != nil {
		e.t.Fatal(err)
	}
}

// queuedJobs are the queued print jobs of counter.
func (e *env) queuedJobs(counter string) []queue.PrintJob {
	e.t.Helper()
	js, err := e.db.QueuedPrintJobs(context.Background(), office, counter, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return js
}

// TestAdminTestPrint: "In thử" on a counter's row queues the test receipt
// for its station and says so beside the counters; a counter without a
// station gets the refusal on its row (409) and nothing is queued; the
// form needs the CSRF token and an administrator.
func TestAdminTestPrint(t *testing.T) {
	e := newEnv(t)
	e.addStation("st-q1", "q1")
	adm := e.login("admin", "")
	page := e.do("GET", "/admin", adm, nil, "")
	if !strings.Contains(page.body, `action="/admin/test-print"`) || !strings.Contains(page.body, `id="print-q1"`) {
		t.Fatal("the admin page has no test print button per counter")
	}

	r := e.do("POST", "/admin/test-print", adm, url.Values{"id": {"q1"}}, "")
	if r.status != 303 || r.header.Get("Location") != "/admin?printed=q1#counters" {
		t.Fatalf("test print: %d %s", r.status, r.header.Get("Location"))
	}
	js := e.queuedJobs("q1")
	if len(js) != 1 || js[0].Kind != queue.PrintTest || js[0].By != "admin" {
		t.Fatalf("queued jobs %+v", js)
	}
	if page := e.do("GET", "/admin?printed=q1", adm, nil, ""); !strings.Contains(page.body, `id="test-print-sent"`) || !strings.Contains(page.body, "Đã gửi phiếu in thử tới máy in của quầy 1") {
		t.Fatalf("no confirmation on the page:\n%s", page.body)
	}
	if page := e.do("GET", "/admin?printed=<b>x", adm, nil, ""); strings.Contains(page.body, `id="test-print-sent"`) {
		t.Fatal("a confirmation for no counter")
	}
	audit, err := e.db.AuditLog(context.Background(), office, 5)
	if err != nil || len(audit) == 0 || audit[0].Action != "test_print" || audit[0].Detail != "q1 #"+strconv.FormatInt(js[0].ID, 10) {
		t.Fatalf("audit %+v %v", audit, err)
	}

	clerk := e.login("nv1", "q1")
	before := adminSnapshot(t, e)
	r = e.do("POST", "/admin/test-print", adm, url.Values{"id": {"q2"}}, "")
	if r.status != 409 || !strings.Contains(r.body, "Quầy 2 chưa có màn hình quầy để in") || !strings.Contains(r.body, `class="row-error"`) {
		t.Fatalf("no station: %d\n%s", r.status, r.body)
	}
	if r := e.do("POST", "/admin/test-print?lang=en", adm, url.Values{"id": {"q2"}}, ""); !strings.Contains(r.body, "counter 2 has no station to print on") {
		t.Fatalf("no station in English: %s", r.body)
	}
	if r := e.do("POST", "/admin/test-print", adm, url.Values{"id": {"q9"}}, ""); r.status != 404 {
		t.Fatalf("unknown counter: %d", r.status)
	}
	if r := e.do("POST", "/admin/test-print", adm, url.Values{"id": {"q1"}}, "-"); r.status != 403 {
		t.Fatalf("without CSRF: %d", r.status)
	}
	if r := e.do("POST", "/admin/test-print", adm, url.Values{"id": {"q1"}}, "wrong"); r.status != 403 {
		t.Fatalf("wrong CSRF: %d", r.status)
	}
	if r := e.do("POST", "/admin/test-print", clerk, url.Values{"id": {"q1"}}, ""); r.status != 403 {
		t.Fatalf("a clerk: %d", r.status)
	}
	if r := postRaw(t, e, "/admin/test-print", adm, "csrf="+url.QueryEscape(auth.CSRFToken(adm))+"&id="+strings.Repeat("q", 70<<10)); r.status != 400 && r.status != 413 {
		t.Fatalf("oversized form: %d", r.status)
	}
	if after := adminSnapshot(t, e); after != before {
		t.Fatal("a refused test print changed something")
	}
	if js := e.queuedJobs("q1"); len(js) != 1 {
		t.Fatalf("refusals queued jobs: %+v", js)
	}
	if js := e.queuedJobs("q2"); len(js) != 0 {
		t.Fatalf("a job for a counter without a station: %+v", js)
	}
}

// TestBrowserClerkReprint: in a real browser, "In lại" prints the current
// ticket again at the clerk's counter, then (the ticket done) the last
// one; at a counter without a station the console says why, in the page's
// language, and nothing is queued.
func TestBrowserClerkReprint(t *testing.T) {
	e := newEnv(t)
	e.addStation("st-q1", "q1")
	ctx := newBrowser(t)
	a1 := e.issue("xay-dung")
	e.clock.Advance(time.Minute)

	loginIn(t, ctx, e, "/clerk/login", "nv1", "q1")
	waitJS(t, ctx, "console", `!!document.getElementById("console") && document.getElementById("conn").classList.contains("ok")`)
	waitJS(t, ctx, "nothing to reprint", `document.getElementById("btn-reprint").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-open")))
	waitJS(t, ctx, "counter open", `!document.getElementById("btn-next").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "called", `document.getElementById("cur-number").textContent === "`+a1+`" && !document.getElementById("btn-reprint").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-reprint")))
	waitJS(t, ctx, "reprint sent", `document.getElementById("action-notice").textContent === "Đã gửi lệnh in lại số `+a1+` tới máy in của quầy."`)
	js := e.queuedJobs("q1")
	if len(js) != 1 || js[0].Kind != queue.PrintReprint || js[0].By != "nv1" || !strings.Contains(js[0].Doc.Lines[3].Text, a1) {
		t.Fatalf("queued %+v", js)
	}
	// Done: the last ticket is what "In lại" prints (the shortcut I).
	e.clock.Advance(5 * time.Minute)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-done")))
	waitJS(t, ctx, "done", `document.getElementById("current").hidden && !document.getElementById("btn-reprint").disabled`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "i", bubbles: true}))`))
	waitJS(t, ctx, "reprint of the last ticket", `document.getElementById("action-notice").textContent.includes("`+a1+`")`)
	if js := e.queuedJobs("q1"); len(js) != 2 {
		t.Fatalf("after the second reprint: %+v", js)
	}

	// Counter 3 has no station: the refusal is shown, nothing is queued.
	b := e.issue("chung-thuc")
	tok := e.login("nv3", "q3")
	e.call("POST", "/api/v1/counters/q3/open", bearer(tok), nil, 200, nil)
	e.call("POST", "/api/v1/counters/q3/next", bearer(tok), nil, 200, nil)
	ctx3 := newBrowser(t)
	loginIn(t, ctx3, e, "/clerk/login", "nv3", "q3")
	waitJS(t, ctx3, "called at q3", `document.getElementById("cur-number").textContent === "`+b+`" && !document.getElementById("btn-reprint").disabled`)
	run(t, ctx3, chromedp.Click(chromedp.CSS("#btn-reprint")))
	waitJS(t, ctx3, "no station", `!document.getElementById("action-error").hidden && document.getElementById("action-error").textContent.includes("Quầy 3 chưa có màn hình quầy")`)
	if js := e.queuedJobs("q3"); len(js) != 0 {
		t.Fatalf("a job at a counter without a station: %+v", js)
	}
}
