package web

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
	"luot/server/dossier"
)

// hsScreens makes the dossier pages' browser tests save their
// screenshots: go test ./server/web -run BrowserHS -hs-screenshots
var hsScreens = flag.Bool("hs-screenshots", false, "save docs/screenshots/hs-*.png")

// hostile texts staff may type: the pages must show them as they are.
const (
	hsHostileWhat = `Bản sao <img src=x onerror="window.pwned=1"> sổ hộ khẩu & "giấy ủy quyền"`
	// hsStaffNote is a note for staff only: the applicant never reads it.
	hsStaffNote   = `Ghi chu noi bo <script>window.pwned=2</script>`
	hsHostileText = `Xin lỗi ông/bà vì sự <b>chậm trễ</b> & bất tiện`
)

// hsAxe fails the test on a serious or critical axe-core finding.
func hsAxe(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	vs, err := browsertest.Axe(ctx)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if bad := browsertest.SeriousOnly(vs); len(bad) > 0 {
		t.Errorf("%s: axe: %v", where, bad)
	}
}

// hsNotPwned fails the test when a text the page was given ran as code
// or became markup.
func hsNotPwned(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.pwned) + " " + document.querySelectorAll("main img, main script, main i, main b b").length`))
	if err != nil || got != "undefined 0" {
		t.Fatalf("%s: injected markup ran or was made (pwned, elements: %q, %v)", where, got, err)
	}
}

// TestBrowserHSJourney follows a dossier from the applicant's phone
// (390×844) through the receipt's link: received and passed to its
// department, with its due date; papers asked for (what, by when); late,
// then the office's apology with a new date; the result ready; handed
// over, then rated once. Staff's texts with markup in them show as text;
// their notes for staff are not shown.
func TestBrowserHSJourney(t *testing.T) {
	browsertest.NeedAxe(t)
	e := newHSStack(t, nil)
	clerk := e.login("nv1", "q1")
	e.call("POST", "/api/v1/counters/q1/open", bearer(clerk), nil, 200, nil)
	code, link := e.receive(clerk, "q1", "xay-dung", "XD-01", "Nguyễn Văn An", "0912345678")
	if !strings.HasPrefix(link, "/hs/"+code+"?k=") {
		t.Fatalf("link %q of %s", link, code)
	}

	ctx := newBrowser(t)
	// A phone set to another zone still reads the office's dates.
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Los_Angeles"}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+link))
	// Received Friday 27 November at 08:00, 2 working days: due at the
	// end of Tuesday 1 December.
	waitJS(t, ctx, "the dossier", `document.querySelector('#d-code').textContent === "`+code+`" && document.querySelector('#d-status').textContent === "Đang xử lý"`)
	waitJS(t, ctx, "its facts", `new Date().getTimezoneOffset() > 0 && document.querySelector('#f-received dd').textContent === "08:00, Thứ Sáu, 27/11/2026" && document.querySelector('#d-procedure').textContent === "Cấp giấy phép sửa chữa nhà ở" && document.querySelector('#f-due dd').textContent === "Thứ Ba, 01/12/2026" && document.querySelector('#f-name dd').textContent === "Nguyễn V. A." && document.querySelector('#lookup').hidden && document.querySelector('#late').hidden`)
	waitJS(t, ctx, "the timeline", `[...document.querySelectorAll('#timeline li b')].some((b) => b.textContent === "Chuyển Phòng Quản lý đô thị xử lý")`)
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "Văn An") || strings.Contains(text, "0912") || strings.Contains(text, "Nhan Vien") {
		t.Fatalf("the page shows the full name, the phone or a staff name:\n%s", text)
	}
	hsAxe(t, ctx, "processing, 390×844")
	shot(t, ctx, *hsScreens, "hs-processing.png")

	// Papers asked for, by Monday; a note with markup.
	handler := e.login("xl1", "")
	by := time.Date(2026, 11, 30, 17, 0, 0, 0, e.officeLoc(t))
	e.dossierAct(handler, code, "supplement", map[string]any{"what": hsHostileWhat, "by": by.Format(time.RFC3339)})
	e.dossierAct(handler, code, "note", map[string]any{"note": hsStaffNote})
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "papers to bring", `document.querySelector('#d-status').textContent === "Cần bổ sung giấy tờ" && !document.querySelector('#supplement').hidden && document.querySelector('#supplement-what').textContent === `+jsString(hsHostileWhat)+` && document.querySelector('#supplement-by').textContent.startsWith("Hạn bổ sung: ") && document.querySelector('#supplement-by').textContent.includes("30/11/2026")`)
	waitJS(t, ctx, "the request in the timeline, as text; the staff's note left out", `!document.querySelector('#timeline li[data-type="dossier.note"]') && [...document.querySelectorAll('#timeline li[data-type="dossier.supplement"] p')].some((p) => p.textContent === `+jsString(hsHostileWhat)+`)`)
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "noi bo") {
		t.Fatalf("the page shows a staff note:\n%s", text)
	}
	hsNotPwned(t, ctx, "papers to bring")
	hsAxe(t, ctx, "papers to bring, 390×844")
	shot(t, ctx, *hsScreens, "hs-supplement.png")

	// The papers come the same day (the clock moves nothing); Wednesday
	// morning the dossier is late.
	e.dossierAct(handler, code, "supplied", nil)
	e.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, e.officeLoc(t)))
	handler = e.login("xl1", "") // the sessions of Friday have ended
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "late", `!document.querySelector('#d-late').hidden && !document.querySelector('#late').hidden && document.querySelector('#late-text').textContent.includes("Thứ Ba, 01/12/2026") && document.querySelector('#apology').hidden && document.querySelector('#supplement').hidden`)

	// The office apologises with a new date, Friday 4 December.
	mgr := e.login("ql1", "")
	newDue := time.Date(2026, 12, 4, 17, 0, 0, 0, e.officeLoc(t))
	e.dossierAct(mgr, code, "apologize", map[string]any{"note": hsHostileText, "new_due": newDue.Format(time.RFC3339)})
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "the apology", `!document.querySelector('#late').hidden && document.querySelector('#apology').textContent === `+jsString(hsHostileText)+` && document.querySelector('#late-new').textContent.startsWith("Hẹn trả kết quả mới: ") && document.querySelector('#late-new').textContent.includes("04/12/2026") && document.querySelector('#f-due dd').textContent === "Thứ Sáu, 04/12/2026" && document.querySelector('#d-late').hidden`)
	hsNotPwned(t, ctx, "the apology")
	hsAxe(t, ctx, "apology, 390×844")
	shot(t, ctx, *hsScreens, "hs-apology.png")

	// The result is ready, then handed over.
	e.dossierAct(handler, code, "complete", map[string]any{"result": "Giấy phép sửa chữa số 12/GPSC"})
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "ready", `document.querySelector('#d-status').textContent === "Đã có kết quả" && !document.querySelector('#ready').hidden && document.querySelector('#result').textContent === "Giấy phép sửa chữa số 12/GPSC" && document.querySelector('#late').hidden && document.querySelector('#rating').hidden`)
	e.dossierAct(mgr, code, "return", nil)
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "returned, to rate", `document.querySelector('#d-status').textContent === "Đã trả kết quả" && document.querySelector('#ready').hidden && !document.querySelector('#rating').hidden && document.querySelector('#rated').hidden`)
	hsAxe(t, ctx, "returned, 390×844")
	shot(t, ctx, *hsScreens, "hs-returned.png")

	// A rating needs a score; then it is taken once.
	run(t, ctx, chromedp.Click(`#rate`))
	waitJS(t, ctx, "score needed", `document.querySelector('#rating-error').textContent === "Hãy chọn một mức đánh giá."`)
	run(t, ctx, chromedp.Click(`#rating input[value="3"]`), chromedp.SendKeys(`#comment`, `Nhanh <i>gọn</i>`), chromedp.Click(`#rate`))
	waitJS(t, ctx, "rated", `document.querySelector('#rated').textContent === "Cảm ơn bạn đã đánh giá: Hài lòng." && document.querySelector('#rating').hidden`)
	k := link[strings.Index(link, "?k=")+3:]
	r := e.apiDo("POST", "/api/v1/dossiers/"+code+"/rating", "", `{"k":"`+k+`","score":1}`)
	if r.status != 409 {
		t.Fatalf("a second rating: %d %s, want 409", r.status, r.body)
	}
	var d struct {
		Rating *dossier.Rating `json:"rating"`
	}
	e.call("GET", "/api/v1/dossiers/"+code, bearer(mgr), nil, 200, &d)
	if d.Rating == nil || d.Rating.Score != 3 || d.Rating.Comment != "Nhanh <i>gọn</i>" {
		t.Fatalf("stored rating %+v", d.Rating)
	}

	// The same page in English.
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "English", `document.documentElement.lang === "en" && document.querySelector('#d-status').textContent === "Result handed over" && document.querySelector('#rated').textContent === "Thank you for your rating: Satisfied." && document.querySelector('#d-procedure').textContent === "Permit to repair a house"`)
	hsAxe(t, ctx, "returned in English, 390×844")

	// The phone keeps the link: the form lists it.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/hs"))
	waitJS(t, ctx, "kept on the phone", `!document.querySelector('#mine').hidden && document.querySelector('#mine a').getAttribute('href') === `+jsString(link)+` && document.querySelector('#mine a').textContent.startsWith("`+code+` · ")`)
}

// TestBrowserHSForm looks a dossier up with the form, on a laptop
// (1366×768) and on a phone: bad input is refused with a clear message
// and asks the server nothing; a wrong phone is the server's refusal;
// the right one shows the dossier at an address without the digits, and
// takes the rating with them. A dossier refused at the counter says why.
// A link with a wrong key, or an address without a code, comes back to
// the form.
func TestBrowserHSForm(t *testing.T) {
	browsertest.NeedAxe(t)
	e := newHSStack(t, nil)
	clerk := e.login("nv1", "q2")
	e.call("POST", "/api/v1/counters/q2/open", bearer(clerk), nil, 200, nil)
	code, _ := e.receive(clerk, "q2", "ho-tich", "HT-01", "Trần Thị Bích", "0987 654 321")
	mgr := e.login("ql1", "")
	e.dossierAct(mgr, code, "complete", map[string]any{"result": "Giấy khai sinh"})
	e.dossierAct(mgr, code, "return", nil)

	ctx := newBrowser(t)
	// The office's start page leads here.
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/o/hcm-q1"))
	waitJS(t, ctx, "the start page offers the look-up", `!document.querySelector('#hs-card').hidden`)
	run(t, ctx, chromedp.Click(`#hs-card a`))
	waitJS(t, ctx, "the look-up from the start page", `location.pathname === "/hs" && !document.querySelector('#lookup').hidden`)
	for _, vp := range [][2]int64{{1366, 768}, {390, 844}} {
		run(t, ctx, chromedp.EmulateViewport(vp[0], vp[1]), chromedp.Navigate(e.srv.URL+"/hs"))
		waitJS(t, ctx, "the form", `!document.querySelector('#lookup').hidden && document.querySelector('#dossier').hidden && document.querySelector('#mine').hidden`)
		hsAxe(t, ctx, "form")
		if vp[0] == 390 {
			shot(t, ctx, *hsScreens, "hs-form.png")
		}
		run(t, ctx, chromedp.Click(`#find`))
		waitJS(t, ctx, "code needed", `document.querySelector('#form-error').textContent.startsWith("Mã hồ sơ gồm chữ, ngày và số thứ tự") && document.querySelector('#code').getAttribute('aria-invalid') === "true"`)
		run(t, ctx, chromedp.SendKeys(`#code`, strings.ToLower(code)), chromedp.SendKeys(`#phone4`, "43"), chromedp.Click(`#find`))
		waitJS(t, ctx, "4 digits needed", `document.querySelector('#form-error').textContent === "Hãy nhập đúng 4 chữ số cuối của số điện thoại." && document.activeElement.id === "phone4"`)
		run(t, ctx, chromedp.SendKeys(`#phone4`, "20"), chromedp.Click(`#find`))
		waitJS(t, ctx, "wrong phone refused", `!document.querySelector('#form-error').hidden && document.querySelector('#form-error').textContent.trim() !== "" && document.querySelector('#dossier').hidden`)
		hsAxe(t, ctx, "form with an error")
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#phone4').value = ""`), chromedp.SendKeys(`#phone4`, "4321"), chromedp.Click(`#find`))
		waitJS(t, ctx, "found", `document.querySelector('#d-code').textContent === "`+code+`" && document.querySelector('#d-status').textContent === "Đã trả kết quả" && location.pathname === "/hs/`+code+`" && location.search === "" && document.querySelector('#lookup').hidden`)
		hsAxe(t, ctx, "found by the form")
	}
	run(t, ctx, chromedp.Click(`#rating input[value="4"]`), chromedp.Click(`#rate`))
	waitJS(t, ctx, "rated with the phone's digits", `document.querySelector('#rated').textContent === "Cảm ơn bạn đã đánh giá: Rất hài lòng." && document.querySelector('#rating').hidden`)

	// A dossier refused at the counter: its link says so, with the
	// reason as text, and promises no date.
	reason := `Thiếu bản chính <i>giấy chứng sinh</i>`
	number := e.issue("ho-tich")
	e.call("POST", "/api/v1/counters/q2/call", bearer(clerk), map[string]string{"number": number}, 200, nil)
	var refused receivedJSON
	e.call("POST", "/api/v1/counters/q2/dossiers", bearer(clerk), map[string]any{
		"procedure": "HT-01", "applicant": map[string]string{"name": "Trần Văn Cường", "phone": "0912000444"}, "refuse": reason,
	}, 201, &refused)
	run(t, ctx, chromedp.Navigate(e.srv.URL+refused.Link))
	waitJS(t, ctx, "refused", `document.querySelector('#d-status').textContent === "Không được tiếp nhận" && !document.querySelector('#closed').hidden && document.querySelector('#closed-text').textContent === "Hồ sơ không được tiếp nhận. Lý do: " + `+jsString(reason)+` && document.querySelector('#f-due').hidden && document.querySelector('#rating').hidden && document.querySelector('#ready').hidden`)
	hsNotPwned(t, ctx, "refused")

	run(t, ctx, chromedp.Navigate(e.srv.URL+"/hs/"+code+"?k=AAAAAAAAAAAAAAAAAAAAAA"))
	waitJS(t, ctx, "a wrong key: the form", `!document.querySelector('#error').hidden && document.querySelector('#error').textContent.trim() !== "" && !document.querySelector('#lookup').hidden && document.querySelector('#code').value === "`+code+`" && document.activeElement.id === "phone4"`)
	run(t, ctx, chromedp.Navigate(e.srv.URL+`/hs/%3Cimg%20src=x%20onerror=window.pwned=1%3E`))
	waitJS(t, ctx, "no code: the form", `document.querySelector('#error').textContent.startsWith("Địa chỉ này không chứa một mã hồ sơ") && !document.querySelector('#lookup').hidden && document.querySelector('#code').value === ""`)
	hsNotPwned(t, ctx, "an address with markup")
}

// TestBrowserBoardReadyPanel: the web board lists a dossier once its
// result is ready (code and masked name, as text, live from the stream) and drops
// it when it is handed over; the panel hides when nothing is ready, and
// an office that turns it off never shows it.
func TestBrowserBoardReadyPanel(t *testing.T) {
	e := newHSStack(t, nil)
	clerk := e.login("nv1", "q1")
	e.call("POST", "/api/v1/counters/q1/open", bearer(clerk), nil, 200, nil)
	code, _ := e.receive(clerk, "q1", "xay-dung", "XD-01", "&lt;b&gt;Lê Thị Hoa", "0912000111")
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(e.srv.URL+"/board/"+e.officeID+"?lang=vi"))
	waitJS(t, ctx, "no panel while nothing is ready", `document.getElementById("board").dataset.ready === "0" && getComputedStyle(document.getElementById("ready-box")).display === "none"`)
	handler := e.login("xl1", "")
	e.dossierAct(handler, code, "complete", map[string]any{"result": "Giấy phép"})
	waitJS(t, ctx, "ready, live", `getComputedStyle(document.getElementById("ready-box")).display !== "none" && document.querySelector("#ready li .code").textContent === "`+code+`" && document.querySelector("#ready li .who").textContent === "&lt;b&gt;Lê T. H."`)
	waitJS(t, ctx, "four columns", `document.getElementById("board-grid").classList.contains("with-ready") && document.querySelector("#ready-box h2").textContent === "Hồ sơ đã có kết quả"`)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#ready b").length`)); n != 0 {
		t.Fatal("a name became markup on the board")
	}
	shot(t, ctx, *hsScreens, "hs-board.png")
	mgr := e.login("ql1", "")
	e.dossierAct(mgr, code, "return", nil)
	waitJS(t, ctx, "handed over: no panel", `getComputedStyle(document.getElementById("ready-box")).display === "none" && document.getElementById("board").dataset.ready === "0" && !document.getElementById("board-grid").classList.contains("with-ready")`)

	// The same in English, from the start: the list comes with the page.
	code2, _ := e.receive(clerk, "q1", "xay-dung", "XD-01", "Pham Van Nam", "0912000222")
	e.dossierAct(handler, code2, "complete", map[string]any{"result": "Giấy phép"})
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/board/"+e.officeID+"?lang=en"))
	waitJS(t, ctx, "ready at start", `document.querySelector("#ready-box h2").textContent === "Results ready for pickup" && document.querySelector("#ready li .code").textContent === "`+code2+`"`)

	off := newHSStack(t, func(c *dossier.Config) { c.Board.Off = true })
	oc := off.login("nv1", "q1")
	off.call("POST", "/api/v1/counters/q1/open", bearer(oc), nil, 200, nil)
	c3, _ := off.receive(oc, "q1", "xay-dung", "XD-01", "Vo Van Ba", "0912000333")
	run(t, ctx, chromedp.Navigate(off.srv.URL+"/board/"+off.officeID))
	waitJS(t, ctx, "off: read", `document.getElementById("board").dataset.ready === "0"`)
	off.dossierAct(off.login("xl1", ""), c3, "complete", map[string]any{"result": "Giấy phép"})
	// A ticket after it: once the board shows it, it has handled the
	// dossier's event before.
	off.issue("ho-tich")
	waitJS(t, ctx, "the ticket after", `document.querySelectorAll("#waiting li").length > 0`)
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.getElementById("ready-box")).display === "none" && document.getElementById("board").dataset.ready === "0"`)); !hidden {
		t.Fatal("the panel shows on a board whose office turned it off")
	}
}
