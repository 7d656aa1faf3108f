package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/server/api"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/notify"
	"luot/server/queue"
)

// dzcReady is true when the console's dossier card has looked up the
// served ticket's dossier (none, or one) and is drawn.
const dzcReady = `!document.getElementById("dzc").hidden && (document.getElementById("dzc").dataset.looked || "") !== ""`

// dzReady is true when a dossier's page is drawn and its script acts.
const dzReady = `document.getElementById("dz").dataset.ready === "1"`

// TestBrowserClerkReceivesDossier: in Chromium, the clerk at counter 1
// calls a citizen who took a number online for building permits; "Tiếp
// nhận hồ sơ" (key H) proposes the building permit first and the
// citizen's name and phone; "Tiếp nhận" stays disabled until every
// required paper is ticked; the receipt is recorded and printed on the
// counter's station, the console shows the code, "In lại" prints it
// again, "Mở giấy A5" opens the printable receipt whose QR carries the
// applicant's token. The next citizen's dossier is refused with a reason.
// Later the result, completed by the department, is collected with a
// pickup ticket at counter 3, whose console shows the dossier with "Trả
// kết quả": it is returned.
func TestBrowserClerkReceivesDossier(t *testing.T) {
	e := newDossierEnv(t)
	bg := context.Background()
	if err := e.db.PutDevice(bg, queue.Device{ID: "station-q1", Office: office, Name: "Màn hình quầy 1", Kind: queue.DeviceStation, Counter: "q1"}, auth.Hash("station-key")); err != nil {
		t.Fatal(err)
	}
	var tk struct{ Ticket api.TicketJSON }
	e.call("POST", "/api/v1/offices/"+office+"/remote-tickets", nil, map[string]string{"service": "xay-dung", "name": "Nguyen Van An", "phone": "0912000031"}, 201, &tk)
	e.issue("xay-dung")
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 900))
	loginIn(t, ctx, e, "/clerk/login", "nv1", "q1")
	waitJS(t, ctx, "console", `!!document.getElementById("console") && document.getElementById("conn").classList.contains("ok")`)
	if !jsBool(t, ctx, `document.getElementById("dzc").hidden`) {
		t.Error("the dossier card shows with no ticket served")
	}
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-open")))
	waitJS(t, ctx, "counter open", `document.getElementById("console").dataset.state === "open"`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "the citizen called, no dossier yet", `document.getElementById("cur-number").textContent === "`+tk.Ticket.Number+`" && `+dzcReady+` && !document.getElementById("dzc-open").hidden`)

	// H opens the form: the ticket's service's procedure first, the
	// ticket's applicant.
	key(t, ctx, "h")
	waitJS(t, ctx, "the form", `!document.getElementById("dzc-form").hidden`)
	if jsBool(t, ctx, `!!document.getElementById("dzc-sms")`) {
		t.Error("the consent to SMS is offered by a server without an SMS route")
	}
	if got := jsText(t, ctx, `[...document.querySelectorAll("#dzc-procedure optgroup")].map(g => g.label + ": " + [...g.children].map(o => o.value).join(" ")).join(" | ")`); got != "Thủ tục của lĩnh vực này: XD-01 | Thủ tục khác: HT-01 KD-01" {
		t.Errorf("procedures proposed: %q", got)
	}
	if got := jsText(t, ctx, `document.getElementById("dzc-name").value + "|" + document.getElementById("dzc-phone").value + "|" + document.getElementById("dzc-terms").textContent`); got != "Nguyen Van An|+84912000031|15 ngày làm việc · 75.000 đ" {
		t.Errorf("the applicant and terms: %q", got)
	}
	if got := jsText(t, ctx, `[...document.querySelectorAll("#dzc-papers li")].map(l => l.textContent.trim()).join(" / ")`); got != "Đơn đề nghị cấp giấy phép xây dựng (bắt buộc) / Giấy chứng nhận quyền sử dụng đất (bắt buộc) / Bản vẽ thiết kế xây dựng (bắt buộc) / Giấy ủy quyền (nếu có)" {
		t.Errorf("the checklist: %q", got)
	}
	// The required papers one by one.
	for i, want := range []string{"Còn thiếu 3 giấy tờ bắt buộc.", "Còn thiếu 2 giấy tờ bắt buộc.", "Còn thiếu 1 giấy tờ bắt buộc."} {
		if got := jsText(t, ctx, `document.getElementById("dzc-missing").textContent`); got != want || !jsBool(t, ctx, `document.getElementById("dzc-receive").disabled`) {
			t.Errorf("after %d papers: %q, receive enabled %v", i, got, !jsBool(t, ctx, `document.getElementById("dzc-receive").disabled`))
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(`#dzc-papers li:nth-child(`+string(rune('1'+i))+`) input`)))
	}
	waitJS(t, ctx, "receive enabled", `!document.getElementById("dzc-receive").disabled && document.getElementById("dzc-missing").textContent === ""`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#dzc-id"), "001234567890"),
		chromedp.SendKeys(chromedp.CSS("#dzc-extra"), "Ban sao so ho khau"),
		chromedp.Click(chromedp.CSS("#dzc-receive")))
	waitJS(t, ctx, "received", `!!document.getElementById("dzc").dataset.created && !document.getElementById("dzc-view").hidden && document.getElementById("dzc-form").hidden`)
	code := jsText(t, ctx, `document.getElementById("dzc").dataset.created`)
	if !strings.HasPrefix(code, "TP-261127-") || jsText(t, ctx, `document.getElementById("dzc-code").textContent`) != code {
		t.Fatalf("the code shown: %q", code)
	}
	d, err := e.db.Dossier(bg, code)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != dossier.StatusProcessing || d.Department != "qldt" || d.Ticket == "" || d.TicketNumber != tk.Ticket.Number || d.Applicant.IDMasked != "********7890" ||
		strings.Join(d.Papers, ",") != "don,gcn,ban-ve" || strings.Join(d.Extra, ",") != "Ban sao so ho khau" || d.ReceivedBy == "" {
		t.Errorf("the dossier stored: %+v", d)
	}
	notice := jsText(t, ctx, `document.getElementById("dzc-notice").textContent`)
	if !strings.Contains(notice, "Đã tiếp nhận hồ sơ "+code+", hẹn trả "+dueDay(d.DueAt)) || !strings.Contains(notice, "Đã gửi giấy tiếp nhận tới máy in của quầy.") {
		t.Errorf("the notice: %q", notice)
	}
	// "In lại": the receipt a second time on the counter's printer.
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-reprint")))
	waitJS(t, ctx, "reprinted", `document.getElementById("dzc-notice").textContent === "Đã gửi lệnh in lại giấy tiếp nhận `+code+`."`)
	jobs, err := e.db.QueuedPrintJobs(bg, office, "q1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 || jobs[0].Kind != queue.PrintDossierReceipt || jobs[1].Kind != queue.PrintDossierReceipt {
		t.Errorf("print jobs at counter 1: %+v", jobs)
	}
	// "Mở giấy A5": the printable receipt, its QR with the token.
	a5 := jsText(t, ctx, `document.getElementById("dzc-a5").getAttribute("href")`)
	if !strings.HasPrefix(a5, "/staff/dossiers/"+code+"/receipt?k=") {
		t.Fatalf("the A5 link: %q", a5)
	}
	shot(t, ctx, *screenshots, "dossier-console.png")
	a5tab := newTab(t, ctx)
	run(t, a5tab, chromedp.Navigate(e.srv.URL+a5))
	waitJS(t, a5tab, "the A5 receipt", `document.getElementById("receipt").dataset.token === "1" && document.querySelector("#r-qr svg path").getAttribute("d").length > 100`)
	if got := jsText(t, a5tab, `document.getElementById("r-code").textContent + "|" + document.getElementById("r-due").textContent + "|" + document.getElementById("r-papers").innerText.replace(/\n/g, "; ")`); got != code+"|"+dueDay(d.DueAt)+"|Đơn đề nghị cấp giấy phép xây dựng; Giấy chứng nhận quyền sử dụng đất; Bản vẽ thiết kế xây dựng; Ban sao so ho khau" {
		t.Errorf("the A5 receipt: %q", got)
	}
	shot(t, a5tab, *screenshots, "dossier-receipt-a5.png")

	// The next citizen's dossier is refused, with its reason.
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-start")))
	waitJS(t, ctx, "serving", `!document.getElementById("btn-done").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-done")))
	waitJS(t, ctx, "done", `document.getElementById("current").hidden && !document.getElementById("btn-next").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "the next citizen, a new card", dzcReady+` && document.getElementById("dzc-view").hidden && !document.getElementById("dzc-open").hidden && document.getElementById("dzc-notice").hidden`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-open")))
	waitJS(t, ctx, "the form again", `!document.getElementById("dzc-form").hidden && document.getElementById("dzc-name").value === ""`)
	if !jsBool(t, ctx, `document.getElementById("dzc-refuse").disabled`) {
		t.Error("refusal offered without a name and a reason")
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#dzc-name"), "Tran Van Binh"), chromedp.SendKeys(chromedp.CSS("#dzc-reason"), "Thieu giay chung nhan quyen su dung dat"))
	waitJS(t, ctx, "refusal enabled", `!document.getElementById("dzc-refuse").disabled && document.getElementById("dzc-receive").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-refuse")))
	waitJS(t, ctx, "refused", `document.getElementById("dzc").dataset.status === "refused" && document.getElementById("dzc-reprint").hidden && document.getElementById("dzc-a5").hidden`)
	refused := jsText(t, ctx, `document.getElementById("dzc").dataset.created`)
	if got := jsText(t, ctx, `document.getElementById("dzc-notice").textContent`); got != "Đã ghi từ chối tiếp nhận (mã "+refused+")." {
		t.Errorf("refusal notice %q", got)
	}
	if rd, err := e.db.Dossier(bg, refused); err != nil || rd.Status != dossier.StatusRefused || rd.Reason != "Thieu giay chung nhan quyen su dung dat" {
		t.Errorf("the refusal stored: %+v %v", rd, err)
	}

	// The department completes the first; the applicant takes a pickup
	// ticket at the kiosk; counter 3 calls it.
	qldt := e.login("xl-qldt", "")
	e.dossierAct(qldt, code, "complete", map[string]any{"result": "Giay phep xay dung so 12/GPXD"})
	k := strings.TrimPrefix(a5, "/staff/dossiers/"+code+"/receipt?k=")
	var pick struct{ Ticket api.TicketJSON }
	e.call("POST", "/api/v1/offices/"+office+"/dossier-pickups", map[string]string{"X-Device-Key": kioskKey}, map[string]string{"code": code, "k": k}, http.StatusCreated, &pick)
	c3 := newBrowser(t)
	run(t, c3, chromedp.EmulateViewport(1366, 900))
	loginIn(t, c3, e, "/clerk/login", "nv2", "q3")
	waitJS(t, c3, "counter 3's console", `document.getElementById("conn").classList.contains("ok")`)
	run(t, c3, chromedp.Click(chromedp.CSS("#btn-open")))
	waitJS(t, c3, "open", `document.getElementById("console").dataset.state === "open"`)
	run(t, c3, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, c3, "the pickup ticket's dossier", `document.getElementById("cur-number").textContent === "`+pick.Ticket.Number+`" && document.getElementById("dzc").dataset.kind === "pickup" && !document.getElementById("dzc-return").hidden && !document.getElementById("dzc-return").disabled`)
	if got := jsText(t, c3, `document.getElementById("dzc-code").textContent + "|" + document.getElementById("dzc-v-status").textContent + "|" + document.getElementById("dzc-v-result").textContent + "|" + document.getElementById("dzc-open").hidden`); got != code+"|Đã có kết quả|Giay phep xay dung so 12/GPXD|true" {
		t.Errorf("the pickup's dossier: %q", got)
	}
	shot(t, c3, *screenshots, "dossier-console-pickup.png")
	run(t, c3, chromedp.Click(chromedp.CSS("#dzc-return")))
	waitJS(t, c3, "returned", `document.getElementById("dzc").dataset.status === "returned" && document.getElementById("dzc-return").disabled && document.getElementById("dzc-notice").textContent === "Đã trả kết quả hồ sơ `+code+`."`)
	if rd, _ := e.db.Dossier(bg, code); rd.Status != dossier.StatusReturned || rd.ReturnedAt.IsZero() {
		t.Errorf("the dossier after the hand-over: %s", rd.Status)
	}
}

// TestBrowserHandlerDossiers: in Chromium, a handler of the building
// department logs in from the dossiers' address and lands on their list:
// their department's only, the late one first. On a dossier they ask for
// a supplement (what and by), record it brought, add a note, complete it
// with its result; a late dossier gets its apology with a new date; a
// change made meanwhile by someone else is refused, not overwritten; a
// transfer sends the dossier to another department and the handler back
// to the list. Every step is in the history.
func TestBrowserHandlerDossiers(t *testing.T) {
	e := newDossierEnv(t)
	bg := context.Background()
	nv1 := e.login("nv1", "q1")
	e.serve(nv1, "q1", "xay-dung")
	late := e.receiveAt(nv1, "q1", xdBody("Nguyen Van An")).Dossier.Code
	e.finish(nv1, "q1")
	e.clock.Advance(25 * 24 * time.Hour)
	nv1 = e.login("nv1", "q1")
	e.serve(nv1, "q1", "xay-dung")
	code := e.receiveAt(nv1, "q1", xdBody("Tran Thi Binh")).Dossier.Code
	e.finish(nv1, "q1")
	e.serve(nv1, "q1", "xay-dung")
	moving := e.receiveAt(nv1, "q1", xdBody("Pham Van Chau")).Dossier.Code
	e.finish(nv1, "q1")
	e.serve(nv1, "q1", "ho-tich")
	other := e.receiveAt(nv1, "q1", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "Le Van Cuong"}, "papers": []string{"to-khai", "chung-sinh"}}).Dossier.Code

	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(e.srv.URL+"/staff/dossiers?lang=vi"), chromedp.WaitVisible(chromedp.CSS("#staff")))
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#staff"), "xl-qldt"), chromedp.SendKeys(chromedp.CSS("#pin"), "1234"), chromedp.Click(chromedp.CSS("#login-button")))
	waitJS(t, ctx, "the list", `location.pathname === "/staff/dossiers" && document.querySelectorAll("#dossiers tbody tr").length === 3`)
	if got := jsText(t, ctx, `[...document.querySelectorAll("#dossiers tbody tr")].map(r => r.dataset.code + (r.classList.contains("late") ? "!" : "")).join(" ")`); got != late+"! "+code+" "+moving {
		t.Errorf("the list: %q", got)
	}
	if jsBool(t, ctx, `document.body.innerText.includes("`+other+`")`) {
		t.Error("another department's dossier is listed")
	}
	shot(t, ctx, *screenshots, "dossier-list.png")

	// The late one: an apology with a new date.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#dossiers tr[data-code="`+late+`"] a`)))
	waitJS(t, ctx, "the late dossier", dzReady+` && document.getElementById("dz").dataset.code === "`+late+`" && !!document.getElementById("d-late") && !!document.getElementById("form-apologize")`)
	newDue := e.clock.Now().In(mustLoc(t)).AddDate(0, 0, 5).Format("2006-01-02")
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#apologize-note"), "Ho so can tham dinh them, xin loi ong ba."),
		chromedp.SetValue(chromedp.CSS("#apologize-new_due"), newDue),
		chromedp.Click(chromedp.CSS("#act-apologize")))
	waitJS(t, ctx, "apologized", dzReady+` && !!document.getElementById("d-apology") && document.getElementById("d-apology").textContent.includes("Ho so can tham dinh them") && !!document.getElementById("d-original-due")`)
	if ld, _ := e.db.Dossier(bg, late); ld.Apology == nil || (dossierNames{loc: mustLoc(t)}).dueDay(ld.DueAt) != newDue {
		t.Errorf("the apology stored: %+v", ld.Apology)
	}

	// Another: supplement, supplied, note, complete.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/staff/dossiers/"+code))
	waitJS(t, ctx, "the dossier", dzReady+` && document.getElementById("dz").dataset.status === "processing"`)
	offered := jsText(t, ctx, `[...document.querySelectorAll("#actions form")].map(f => f.dataset.action).join(",")`)
	if offered != "complete,supplement,payment,transfer,suspend,note" {
		t.Errorf("a handler is offered %s on a dossier on time", offered)
	}
	// Required fields are asked for before anything is sent: empty ones
	// by the browser, blank ones by the page.
	by := e.clock.Now().In(mustLoc(t)).AddDate(0, 0, 7).Format("2006-01-02")
	run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts))
	run(t, ctx, chromedp.Click(chromedp.CSS("#act-supplement")))
	if n := postCount(t, ctx); n != 0 || jsBool(t, ctx, `document.getElementById("form-supplement").checkValidity()`) {
		t.Errorf("an empty form sent %d requests", n)
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#supplement-what"), "   "), chromedp.SetValue(chromedp.CSS("#supplement-by"), by),
		chromedp.Click(chromedp.CSS("#act-supplement")))
	waitJS(t, ctx, "asked for the fields", `!document.getElementById("dz-error").hidden && document.getElementById("dz-error").textContent === "Hãy điền đủ các ô bắt buộc."`)
	if n := postCount(t, ctx); n != 0 {
		t.Errorf("a blank form sent %d requests", n)
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("supplement-what").value = ""`), chromedp.SendKeys(chromedp.CSS("#supplement-what"), "Ban ve mat bang tang 2"),
		chromedp.Click(chromedp.CSS("#act-supplement")))
	waitJS(t, ctx, "supplement requested", dzReady+` && document.getElementById("dz").dataset.status === "needs_supplement" && document.getElementById("d-supplement").textContent.includes("Ban ve mat bang tang 2")`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#act-supplied")))
	waitJS(t, ctx, "supplied", dzReady+` && document.getElementById("dz").dataset.status === "processing"`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#note-note"), "Da kiem tra hien truong"), chromedp.Click(chromedp.CSS("#act-note")))
	waitJS(t, ctx, "noted", dzReady+` && document.getElementById("history").textContent.includes("Da kiem tra hien truong")`)
	// A change made meanwhile elsewhere: the page's version is stale.
	e.dossierAct(e.login("admin", ""), code, "note", map[string]any{"note": "Kiem tra boi quan tri"})
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#complete-result"), "Giay phep so 15/GPXD"), chromedp.Click(chromedp.CSS("#act-complete")))
	waitJS(t, ctx, "the stale change refused", `!document.getElementById("dz-error").hidden && document.getElementById("dz-error").textContent.includes("`+code+`") && !document.getElementById("act-complete").disabled`)
	if cd, _ := e.db.Dossier(bg, code); cd.Status != dossier.StatusProcessing {
		t.Errorf("a stale completion changed the dossier: %s", cd.Status)
	}
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "reloaded", dzReady+` && document.getElementById("dz").dataset.status === "processing" && !!document.getElementById("complete-result")`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#complete-result"), "Giay phep so 15/GPXD"), chromedp.Click(chromedp.CSS("#act-complete")))
	waitJS(t, ctx, "completed", dzReady+` && document.getElementById("dz").dataset.status === "completed" && document.getElementById("d-result").textContent === "Giay phep so 15/GPXD" && !!document.getElementById("no-actions") === false`)
	hist := jsText(t, ctx, `[...document.querySelectorAll("#history tbody tr")].map(r => r.children[1].textContent + "/" + r.children[3].textContent).join(" | ")`)
	for _, want := range []string{"Yêu cầu bổ sung/Vo Minh Tuan", "Đã bổ sung/Vo Minh Tuan", "Ghi chú/Vo Minh Tuan", "Có kết quả/Vo Minh Tuan", "Chuyển xử lý/"} {
		if !strings.Contains(hist, want) {
			t.Errorf("the history lacks %q: %s", want, hist)
		}
	}
	if got := jsText(t, ctx, `[...document.querySelectorAll("#actions form")].map(f => f.dataset.action).join(",")`); got != "note" {
		t.Errorf("a handler is offered %s on a completed dossier", got)
	}
	shot(t, ctx, *screenshots, "dossier-page.png")

	// A transfer: to the justice department, and back to the list.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/staff/dossiers/"+moving))
	waitJS(t, ctx, "the third dossier", dzReady+` && document.getElementById("dz").dataset.code === "`+moving+`"`)
	run(t, ctx, chromedp.SetValue(chromedp.CSS("#transfer-department"), "tu-phap"), chromedp.Click(chromedp.CSS("#act-transfer")))
	waitJS(t, ctx, "back to the list", `location.pathname === "/staff/dossiers" && document.body.innerText.includes("Đã chuyển hồ sơ sang đơn vị khác.") && !document.querySelector('#dossiers tr[data-code="`+moving+`"]')`)
	if md, _ := e.db.Dossier(bg, moving); md.Department != "tu-phap" {
		t.Errorf("transferred to %q", md.Department)
	}
}

// jsBool evaluates a boolean in the page.
func jsBool(t *testing.T, ctx context.Context, expr string) bool {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return b
}

// newTab opens a second tab of ctx's browser.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	return tab
}

// mustLoc is the test office's time zone.
func mustLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// dueDay writes a due date as the pages do (the day it ends).
func dueDay(t time.Time) string {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	n := dossierNames{loc: loc}
	return n.due(t)
}

// TestBrowserClerkSMSConsent: in Chromium, on a server with an SMS
// route, the console's form asks whether the citizen agrees to SMS about
// the dossier, unticked; ticked, "Tiếp nhận" waits for a phone; the
// dossier received with the consent has the applicant's SMS subscription
// (the phone, the applicant's link, the page's language) and its
// "received" SMS is in the outbox at once. The next dossier, unticked,
// has none. (Without an SMS route the box is absent:
// TestBrowserClerkReceivesDossier.)
func TestBrowserClerkSMSConsent(t *testing.T) {
	e := newDossierStack(t, stack{
		office: demoOffice(),
		staff:  append(clerks(2), dossierStaff...),
		kiosk:  queue.Device{ID: "kiosk1", Name: "Kiosk sảnh"},
		notify: &notifyOn{sms: true},
	})
	bg := context.Background()
	var tk struct{ Ticket api.TicketJSON }
	e.call("POST", "/api/v1/offices/"+office+"/remote-tickets", nil, map[string]string{"service": "xay-dung", "name": "Nguyen Van An", "phone": "0912000031"}, 201, &tk)
	e.issue("xay-dung")
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 900))
	loginIn(t, ctx, e, "/clerk/login", "nv1", "q1")
	waitJS(t, ctx, "console", `!!document.getElementById("console") && document.getElementById("conn").classList.contains("ok")`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-open")))
	waitJS(t, ctx, "counter open", `document.getElementById("console").dataset.state === "open"`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "the citizen called", `document.getElementById("cur-number").textContent === "`+tk.Ticket.Number+`" && `+dzcReady+` && !document.getElementById("dzc-open").hidden`)
	key(t, ctx, "h")
	waitJS(t, ctx, "the form", `!document.getElementById("dzc-form").hidden`)
	if got := jsText(t, ctx, `document.getElementById("dzc-sms").checked + "|" + document.getElementById("dzc-sms").parentElement.textContent.trim()`); got != "false|Công dân đồng ý nhận SMS về hồ sơ này" {
		t.Errorf("the consent box: %q", got)
	}
	for i := range 3 {
		run(t, ctx, chromedp.Click(chromedp.CSS(`#dzc-papers li:nth-child(`+string(rune('1'+i))+`) input`)))
	}
	waitJS(t, ctx, "receive enabled", `!document.getElementById("dzc-receive").disabled`)
	// Ticked without a phone: "Tiếp nhận" waits for one.
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-sms")))
	if !jsBool(t, ctx, `(() => { const p = document.getElementById("dzc-phone"); p.value = ""; p.dispatchEvent(new Event("input")); return true })()`) {
		t.Fatal("the phone was not cleared")
	}
	waitJS(t, ctx, "a phone needed", `document.getElementById("dzc-receive").disabled && document.getElementById("dzc-missing").textContent === "Nhập số điện thoại để gửi SMS, hoặc bỏ đánh dấu đồng ý."`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#dzc-phone"), "0912000031"))
	waitJS(t, ctx, "receive enabled again", `!document.getElementById("dzc-receive").disabled && document.getElementById("dzc-missing").textContent === ""`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-receive")))
	waitJS(t, ctx, "received", `!!document.getElementById("dzc").dataset.created && document.getElementById("dzc-form").hidden`)
	code := jsText(t, ctx, `document.getElementById("dzc").dataset.created`)
	if n := jsText(t, ctx, `document.getElementById("dzc-notice").textContent`); !strings.HasSuffix(n, "Công dân sẽ nhận SMS về hồ sơ.") {
		t.Errorf("the notice: %q", n)
	}
	item := notify.Item{Type: notify.ItemDossier, ID: code, Office: office}
	subs, err := e.db.Subscriptions(bg, item)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Channel != notify.SMS || subs[0].Phone != "+84912000031" || subs[0].Lang != "vi" || !strings.Contains(subs[0].Link, "/hs/"+code+"?k=") {
		t.Fatalf("subscriptions of %s: %+v", code, subs)
	}
	ms, err := e.db.Claim(bg, e.clock.Now(), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Sub.ID != subs[0].ID || ms[0].Notice.Kind != notify.DossierReceived || ms[0].Notice.Item != item {
		t.Fatalf("the outbox: %+v", ms)
	}

	// The next citizen, the box left unticked: no subscription.
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-start")))
	waitJS(t, ctx, "serving", `!document.getElementById("btn-done").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-done")))
	waitJS(t, ctx, "done", `document.getElementById("current").hidden && !document.getElementById("btn-next").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#btn-next")))
	waitJS(t, ctx, "the next citizen", dzcReady+` && !document.getElementById("dzc-open").hidden && document.getElementById("dzc-notice").hidden`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-open")))
	waitJS(t, ctx, "the form again, unticked", `!document.getElementById("dzc-form").hidden && !document.getElementById("dzc-sms").checked`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#dzc-name"), "Tran Van Binh"), chromedp.SendKeys(chromedp.CSS("#dzc-phone"), "0912000032"))
	for i := range 3 {
		run(t, ctx, chromedp.Click(chromedp.CSS(`#dzc-papers li:nth-child(`+string(rune('1'+i))+`) input`)))
	}
	waitJS(t, ctx, "receive enabled", `!document.getElementById("dzc-receive").disabled`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#dzc-receive")))
	waitJS(t, ctx, "received", `document.getElementById("dzc").dataset.created !== "`+code+`" && document.getElementById("dzc-form").hidden`)
	second := jsText(t, ctx, `document.getElementById("dzc").dataset.created`)
	if s, err := e.db.Subscriptions(bg, notify.Item{Type: notify.ItemDossier, ID: second, Office: office}); err != nil || len(s) != 0 {
		t.Errorf("subscriptions of %s without consent: %+v %v", second, s, err)
	}
}
