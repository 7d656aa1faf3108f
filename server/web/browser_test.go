package web

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/server/queue"
)

// screenshots makes the browser tests save docs/screenshots/{console,
// admin,report,board-web}.png: go test ./server/web -run Browser -screenshots
var screenshots = flag.Bool("screenshots", false, "save screenshots of the staff pages under docs/screenshots")

// loginIn fills the login form of page (/clerk/login or /admin/login).
func loginIn(t *testing.T, ctx context.Context, e *env, page, staff, counter string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(e.srv.URL+page+"?lang=vi"), chromedp.WaitVisible(chromedp.CSS("#staff")))
	if counter != "" {
		run(t, ctx, chromedp.SetValue(chromedp.CSS("#counter"), counter))
	}
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#staff"), staff),
		chromedp.SendKeys(chromedp.CSS("#pin"), "1234"),
		chromedp.Click(chromedp.CSS("#login-button")))
}

// TestBrowserClerk logs in as a clerk, opens the counter, calls next,
// sees the ticket, marks it done, calls the next one and transfers it.
func TestBrowserClerk(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	a1 := e.issue("xay-dung")
	e.clock.Advance(2 * time.Minute)
	a2 := e.issue("xay-dung")
	e.clock.Advance(time.Minute)
	e.issue("ho-tich")

	loginIn(t, ctx, e, "/clerk/login", "nv1", "q1")
	waitJS(t, ctx, "console", `!!document.getElementById("console") && document.getElementById("conn").classList.contains("ok")`)
	waitJS(t, ctx, "waiting list in the rule's order", `[...document.querySelectorAll("#queue tr td:first-child")].map(x => x.textContent).join(",") === "`+a1+`,`+a2+`,D001"`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-open"))) // closed → open
	waitJS(t, ctx, "counter open", `document.getElementById("console").dataset.state === "open"`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "first ticket called", `document.getElementById("cur-number").textContent === "`+a1+`" && !document.getElementById("current").hidden`)
	cur, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#current")))
	if !strings.Contains(cur, "Cấp giấy phép xây dựng") || !strings.Contains(cur, "Máy lấy số") {
		t.Errorf("current ticket shows %q", cur)
	}
	shot(t, ctx, *screenshots, "console.png")
	// Keyboard shortcuts S = start (the citizen is here), D = done.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "s", bubbles: true}))`))
	waitJS(t, ctx, "started", `document.getElementById("cur-status").textContent === "Đang phục vụ"`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "d", bubbles: true}))`))
	waitJS(t, ctx, "done", `!document.getElementById("current-empty").hidden && document.getElementById("fig-served").textContent === "1"`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "second ticket", `document.getElementById("cur-number").textContent === "`+a2+`"`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#transfer-target"), "service:ho-tich"),
		chromedp.Click(chromedp.CSS("#btn-transfer")))
	waitJS(t, ctx, "transfer asks first", `document.getElementById("confirm").open`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#confirm-yes")))
	waitJS(t, ctx, "transferred", `!document.getElementById("current-empty").hidden`)
	v, _ := e.eng.View(office)
	for _, tk := range v.Tickets {
		if tk.Display == a2 && (tk.Service != "ho-tich" || tk.Status != queue.StatusWaiting) {
			t.Fatalf("after transfer: %+v", tk)
		}
	}
}

// TestBrowserAdminChangesService renames a service in the admin page and
// sees the new name on the kiosk's configuration endpoint.
func TestBrowserAdminChangesService(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	loginIn(t, ctx, e, "/admin/login", "admin", "")
	waitJS(t, ctx, "admin page", `!!document.getElementById("services")`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`input[name="name"][form="service-chung-thuc"]`), "Chứng thực bản sao, chữ ký"),
		chromedp.Click(chromedp.CSS(`button[form="service-chung-thuc"]`)))
	waitJS(t, ctx, "saved", `location.search.indexOf("saved=service") >= 0`)
	shot(t, ctx, *screenshots, "admin.png")
	var o struct {
		Services []struct{ ID, Name string }
	}
	e.call("GET", "/api/v1/offices/"+office, nil, nil, 200, &o)
	found := false
	for _, s := range o.Services {
		found = found || (s.ID == "chung-thuc" && s.Name == "Chứng thực bản sao, chữ ký")
	}
	if !found {
		t.Fatalf("the kiosk sees %+v", o.Services)
	}
	audit, _ := e.db.AuditLog(context.Background(), office, 5)
	if len(audit) == 0 || audit[0].Action != "admin.service" || audit[0].Who != "admin" {
		t.Fatalf("audit %+v", audit)
	}
}

// TestBrowserBoard opens the web board and sees a call arrive live, with
// a hostile service name shown as text.
func TestBrowserBoard(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	if r := e.do("POST", "/admin/service", adm, map[string][]string{"id": {"ho-tich"}, "name": {"<script>alert(1)</script>"}, "prefix": {"D"}, "default_minutes": {"8"}, "active": {"on"}}, ""); r.status != 303 {
		t.Fatalf("rename: %d", r.status)
	}
	clerk := e.login("nv1", "q1")
	e.apiDo("POST", "/api/v1/counters/q1/open", clerk, "")
	a1 := e.issue("xay-dung")
	e.issue("ho-tich")
	ctx := newBrowser(t)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/board/"+office))
	waitJS(t, ctx, "board connected", `document.getElementById("board").dataset.seq !== undefined || document.querySelectorAll("#waiting li").length > 0`)
	waitJS(t, ctx, "waiting per service", `[...document.querySelectorAll("#waiting li")].some(li => li.textContent === "<script>alert(1)</script>: 1")`)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#board script").length`)); n != 0 {
		t.Fatal("the service name became a script element")
	}
	if r := e.apiDo("POST", "/api/v1/counters/q1/next", clerk, ""); r.status != 200 {
		t.Fatalf("next: %d %s", r.status, r.body)
	}
	waitJS(t, ctx, "call shown live", `document.getElementById("latest-number").textContent === "`+a1+`" && document.getElementById("latest-counter").textContent === "1"`)
	waitJS(t, ctx, "counter tile", `[...document.querySelectorAll("#counters li")].some(li => li.textContent === "1`+a1+`")`)
	waitJS(t, ctx, "blink ended", `!document.querySelector(".latest-call").classList.contains("off")`)
	shot(t, ctx, *screenshots, "board-web.png")
	// Recall: announced again.
	e.apiDo("POST", "/api/v1/counters/q1/recall", clerk, "")
	waitJS(t, ctx, "recall", `[...document.querySelectorAll("#recent li")].length >= 1 && Number(document.getElementById("board").dataset.seq) >= 0`)
}

// TestBrowserReport opens a report of a simulated day and downloads its CSV.
func TestBrowserReport(t *testing.T) {
	e := newEnv(t)
	e.simulateDay(t)
	ctx := newBrowser(t)
	loginIn(t, ctx, e, "/admin/login", "admin", "")
	waitJS(t, ctx, "admin page", `!!document.getElementById("services")`)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/reports?from=2026-11-27&to=2026-11-27"))
	waitJS(t, ctx, "report", `document.querySelectorAll("svg.chart").length === 3 && !!document.getElementById("report-total")`)
	total, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#report-total tbody tr, #report-total tr:nth-child(2)")))
	shot(t, ctx, *screenshots, "report.png")
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("csv-link").href).then(r => r.headers.get("content-type") + "\n" + r.headers.get("content-disposition") + "\n" + r.text()).then(x => x)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv, "text/csv") || !strings.Contains(csv, "attachment") {
		t.Fatalf("csv answer %q", csv[:min(len(csv), 200)])
	}
	_ = total
}

// simulateDay runs a small day through the engine: tickets of two
// services, served at two counters, one no-show.
func (e *env) simulateDay(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	do := func(cmd func(s *queue.State, now time.Time) (*queue.Change, error)) {
		t.Helper()
		if _, err := e.eng.Do(ctx, office, cmd); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"q1", "q3"} {
		do(func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Open(now, k, "nv1") })
	}
	services := []string{"xay-dung", "chung-thuc", "ho-tich", "xay-dung", "chung-thuc", "chung-thuc"}
	for i := 0; i < 18; i++ {
		e.issue(services[i%len(services)])
		e.clock.Advance(time.Duration(3+i%4) * time.Minute)
		if i%2 == 1 {
			for j, k := range []string{"q1", "q3"} {
				staff := []string{"nv1", "nv3"}[j]
				do(func(s *queue.State, now time.Time) (*queue.Change, error) { return s.Next(now, k, staff) })
				e.clock.Advance(time.Minute)
				if i == 5 && k == "q3" {
					do(func(s *queue.State, now time.Time) (*queue.Change, error) { return s.NoShow(now, k, staff) })
				}
			}
		}
	}
}
