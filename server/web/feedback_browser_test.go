package web

import (
	"context"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"luot/server/feedback"
)

// staffIn logs a moderator or handler in through /staff/login at
// 1366×768 with the pages in lang, and waits for the inbox to be drawn
// and connected to the event stream.
func staffIn(t *testing.T, ctx context.Context, e *env, lang, staff string) {
	t.Helper()
	run(t, ctx, chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(e.srv.URL+"/staff/login?lang="+lang), chromedp.WaitVisible(chromedp.CSS("#staff")),
		chromedp.SendKeys(chromedp.CSS("#staff"), staff),
		chromedp.SendKeys(chromedp.CSS("#pin"), "1234"),
		chromedp.Click(chromedp.CSS("#login-button")))
	waitJS(t, ctx, staff+"'s inbox", `location.pathname === "/staff/reports" && document.getElementById("fb").dataset.loaded >= 1 && document.getElementById("conn").classList.contains("ok")`)
}

// TestBrowserStaffFeedbackJourney: a moderator's inbox shows a new report
// live; the moderator accepts it and assigns it to a ward; the handler of
// that ward answers it from a template with a photo and resolves it; the
// handler of another ward never sees it.
func TestBrowserStaffFeedbackJourney(t *testing.T) {
	e := newFeedbackEnv(t)
	mod := newBrowser(t)
	staffIn(t, mod, e, "vi", "kd1")
	waitJS(t, mod, "an empty inbox", `!document.getElementById("empty").hidden && document.querySelectorAll("#reports tr").length === 0`)

	// A citizen sends a report: it appears without a reload, marked new.
	run(t, mod, chromedp.Evaluate[chromedp.Void](`window.__samePage = true`))
	code := e.fileNew(newReport{category: "moi-truong", description: "Rac thai do tren via he truoc cho Ben Thanh", address: "12 Le Loi, Ben Nghe",
		name: "Nguyen Van An", phone: "0912345678", lat: "10.7725", lon: "106.6980",
		photos: [][]byte{testPNG(t, color.RGBA{200, 30, 30, 255}), testPNG(t, color.RGBA{30, 120, 200, 255})}})
	waitJS(t, mod, "the new report live", `window.__samePage === true && !!document.querySelector('#reports tr.fresh[data-code="`+code+`"]') && document.getElementById("live-notice").textContent.includes("`+code+`")`)
	if got := jsText(t, mod, `document.querySelector('#counts li[data-status="new"] .n').textContent`); got != "1" {
		t.Errorf("count of new reports: %q", got)
	}
	shot(t, mod, *screenshots, "feedback-inbox.png")

	// The moderator opens it: photos, place, reporter, and accepts it.
	run(t, mod, chromedp.Click(chromedp.CSS(`#reports a`)))
	waitJS(t, mod, "the report", `document.getElementById("fb").dataset.status === "new" && document.querySelectorAll("#r-photos img").length === 2 && document.getElementById("conn").classList.contains("ok")`)
	if offered := jsText(t, mod, `[...document.querySelectorAll("#actions button, #actions select, #actions input, #actions textarea, #r-overdue")].filter(x => x.getClientRects().length > 0).map(x => x.id).join(",")`); offered != "act-accept,reason,act-refuse,act-unfounded,dup-code,act-duplicate" {
		t.Errorf("a moderator is offered %s for a new report", offered)
	}
	t.Logf("Leaflet in the build: %v", e.web.leaflet)
	// The place on a map when the build has Leaflet (scripts/setup.sh),
	// else in words and a link only.
	if e.web.leaflet {
		waitJS(t, mod, "the map", `document.getElementById("r-map").dataset.ready === "1" && document.getElementById("r-map").getClientRects().length > 0 && document.querySelectorAll("#r-map path").length >= 1`)
	} else if n, _ := chromedp.Run(mod, chromedp.Evaluate[int](`document.getElementById("r-map").getClientRects().length`)); n != 0 {
		t.Error("a map box is drawn without Leaflet")
	}
	if got := jsText(t, mod, `document.getElementById("r-rep-name").textContent + "|" + document.getElementById("r-rep-phone").textContent + "|" + document.getElementById("r-coords").textContent`); !strings.HasPrefix(got, "Nguyen Van An|+84912345678|10.772500, 106.698000") {
		t.Errorf("reporter and place: %q", got)
	}
	run(t, mod, chromedp.Evaluate[chromedp.Void](holdPosts))
	run(t, mod, chromedp.Evaluate[chromedp.Void](`window.__hold = true; document.getElementById("act-accept").click()`))
	waitJS(t, mod, "buttons disabled in flight", `window.__held.length === 1 && [...document.querySelectorAll("#actions button")].every(b => b.disabled)`)
	run(t, mod, chromedp.Evaluate[chromedp.Void](`window.__hold = false; window.__release()`))
	waitJS(t, mod, "accepted", `document.getElementById("fb").dataset.status === "accepted" && !document.getElementById("form-assign").hidden && !document.getElementById("act-assign").disabled`)
	run(t, mod, chromedp.SetValue(chromedp.CSS("#assign-unit"), "p-ben-nghe"), chromedp.Click(chromedp.CSS("#act-assign")))
	waitJS(t, mod, "assigned", `document.getElementById("fb").dataset.status === "assigned" && document.getElementById("r-unit").textContent === "Phường Bến Nghé"`)
	if got := jsText(t, mod, `document.getElementById("r-timeline").textContent`); !strings.Contains(got, "bởi Pham Thu Ha") || !strings.Contains(got, "Chuyển xử lý") {
		t.Errorf("timeline without the moderator's name: %q", got)
	}
	if n, _ := chromedp.Run(mod, chromedp.Evaluate[int](`window.__posts.length`)); n != 2 {
		t.Errorf("accept and assign sent %d requests", n)
	}

	// The handler of another ward sees nothing of it.
	other := newBrowser(t)
	staffIn(t, other, e, "vi", "xl2")
	waitJS(t, other, "another ward's empty inbox", `!document.getElementById("empty").hidden`)
	if n, _ := chromedp.Run(other, chromedp.Evaluate[int](`document.querySelectorAll("#reports tr").length`)); n != 0 {
		t.Errorf("the other ward's handler sees %d reports", n)
	}
	run(t, other, chromedp.Navigate(e.srv.URL+"/staff/reports/"+code))
	waitJS(t, other, "refused by the API", `!document.getElementById("fb-error").hidden && document.getElementById("fb-error").textContent.trim() !== "" && document.getElementById("r-body").hidden`)
	if txt := jsText(t, other, `document.body.innerText`); strings.Contains(txt, "Nguyen Van An") || strings.Contains(txt, "912345678") {
		t.Errorf("the other ward's handler sees the reporter: %q", txt)
	}

	// The ward's handler answers from the template, with a photo, and
	// resolves.
	h := newBrowser(t)
	staffIn(t, h, e, "vi", "xl1")
	waitJS(t, h, "the ward's report in its inbox", `!!document.querySelector('#reports tr[data-code="`+code+`"]')`)
	run(t, h, chromedp.Click(chromedp.CSS(`#reports a`)))
	waitJS(t, h, "the report, answer form", `document.getElementById("fb").dataset.status === "assigned" && !document.getElementById("form-answer").hidden && document.querySelectorAll("#template option").length === 2`)
	// What is offered is what is drawn (an element hidden by its
	// attribute but shown by a style would count as offered).
	offered := jsText(t, h, `[...document.querySelectorAll("#actions button, #actions select, #actions input, #actions textarea")].filter(x => x.getClientRects().length > 0).map(x => x.id).join(",")`)
	if offered != "act-start,reason,act-unfounded,act-return,template,answer-text,answer-photos,act-answer,act-resolve" {
		t.Errorf("a handler is offered %s", offered)
	}
	run(t, h, chromedp.Evaluate[chromedp.Void](`const s = document.getElementById("template"); s.value = "da-xu-ly"; s.dispatchEvent(new Event("change"))`))
	if got := jsText(t, h, `document.getElementById("answer-text").value`); !strings.HasPrefix(got, "Phường đã cho dọn sạch") {
		t.Fatalf("the template's text: %q", got)
	}
	run(t, h, chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-text").value += " Cảm ơn anh."`))
	pic := filepath.Join(t.TempDir(), "after.png")
	if err := os.WriteFile(pic, testPNG(t, color.RGBA{20, 160, 60, 255}), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, h, chromedp.SetUploadFiles(chromedp.CSS("#answer-photos"), []string{pic}))
	waitJS(t, h, "the photo uploaded", `document.getElementById("fb").dataset.uploaded === "1" && document.querySelectorAll("#answer-photo-list img").length === 1 && !document.getElementById("act-answer").disabled`)
	if dis, _ := chromedp.Run(h, chromedp.Evaluate[bool](`document.getElementById("act-resolve").disabled`)); !dis {
		t.Error("resolve is offered before an answer is saved")
	}
	run(t, h, chromedp.Click(chromedp.CSS("#act-answer")))
	waitJS(t, h, "answer saved", `document.getElementById("r-answer").textContent.includes("Cảm ơn anh.") && document.querySelectorAll("#r-photos-after img").length === 1 && !document.getElementById("act-resolve").disabled`)
	shot(t, h, *screenshots, "feedback-report.png")
	run(t, h, chromedp.Click(chromedp.CSS("#act-resolve")))
	waitJS(t, h, "resolved", `document.getElementById("fb").dataset.status === "resolved" && !document.getElementById("no-actions").hidden`)

	// The moderator's open page followed it live.
	waitJS(t, mod, "the moderator's page live", `document.getElementById("fb").dataset.status === "resolved"`)

	rep, err := e.db.Report(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	answerPhotos := 0
	for _, p := range rep.Photos {
		if p.Answer {
			answerPhotos++
		}
	}
	if rep.Status != feedback.StatusResolved || rep.Unit != "p-ben-nghe" || !strings.HasSuffix(rep.Answer, "Cảm ơn anh.") || answerPhotos != 1 {
		t.Fatalf("stored report: status %s, unit %s, answer %q, %d answer photos", rep.Status, rep.Unit, rep.Answer, answerPhotos)
	}
}

// TestBrowserStaffFeedbackOverdue: an overdue report comes first in the
// inbox, flagged in words (not by colour alone), counted, and the
// overdue filter keeps it alone; in English too.
func TestBrowserStaffFeedbackOverdue(t *testing.T) {
	e := newFeedbackEnv(t)
	red := testPNG(t, color.RGBA{200, 30, 30, 255})
	late := e.fileNew(newReport{category: "moi-truong", description: "Rac do tren via he", address: "12 Le Loi", anonymous: true, photos: [][]byte{red}})
	e.clock.Advance(5 * 24 * time.Hour)
	fresh := e.fileNew(newReport{category: "moi-truong", description: "Cay do chan duong", address: "3 Hai Ba Trung", anonymous: true, photos: [][]byte{red}})
	want := map[string]string{"vi": "Quá hạn", "en": "Overdue"}
	var ctx context.Context
	for _, lang := range langs {
		ctx = newBrowser(t)
		staffIn(t, ctx, e, lang, "kd1")
		waitJS(t, ctx, "two reports", `document.querySelectorAll("#reports tr").length === 2`)
		got := jsText(t, ctx, `[...document.querySelectorAll("#reports tr")].map(tr => tr.dataset.code + (tr.classList.contains("overdue") ? "!" : "") + "|" + tr.cells[6].textContent).join("\n")`)
		rows := strings.Split(got, "\n")
		if len(rows) != 2 || !strings.HasPrefix(rows[0], late+"!|") || !strings.Contains(rows[0], want[lang]) || !strings.HasPrefix(rows[1], fresh+"|") || strings.Contains(rows[1], want[lang]) {
			t.Errorf("%s: rows %q; want %s first, flagged %q in words, then %s unflagged", lang, rows, late, want[lang], fresh)
		}
		if n := jsText(t, ctx, `document.querySelector('#counts li[data-status="overdue"] .n').textContent`); n != "1" {
			t.Errorf("%s: overdue count %q", lang, n)
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(`#counts li[data-status="overdue"] a`)))
		waitJS(t, ctx, "the overdue filter", `location.search.includes("overdue=1") && document.getElementById("f-overdue").checked && document.querySelectorAll("#reports tr").length === 1 && document.querySelector("#reports tr").dataset.code === "`+late+`"`)
		// The report's page says it too, and only for the late one.
		for code, shown := range map[string]bool{late: true, fresh: false} {
			run(t, ctx, chromedp.Navigate(e.srv.URL+"/staff/reports/"+code))
			waitJS(t, ctx, "report "+code, `document.getElementById("fb").dataset.status === "new"`)
			flag := jsText(t, ctx, `(() => { const f = document.getElementById("r-overdue"); return f.getClientRects().length > 0 ? f.textContent.trim() : ""; })()`)
			if shown != strings.Contains(flag, want[lang]) || (!shown && flag != "") {
				t.Errorf("%s: report %s's overdue flag: %q", lang, code, flag)
			}
		}
	}
	// The form's filters: a word of the description, then a category
	// without reports.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/staff/reports"))
	waitJS(t, ctx, "the inbox", `document.querySelectorAll("#reports tr").length === 2`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-q"), "chan duong"), chromedp.Click(chromedp.CSS("#f-apply")))
	waitJS(t, ctx, "the text search", `location.search.includes("q=chan+duong") && document.getElementById("f-q").value === "chan duong" && document.querySelectorAll("#reports tr").length === 1 && document.querySelector("#reports tr").dataset.code === "`+fresh+`"`)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/staff/reports?category=trat-tu-do-thi"))
	waitJS(t, ctx, "the category filter", `document.getElementById("f-category").value === "trat-tu-do-thi" && document.getElementById("fb").dataset.loaded >= 1 && document.querySelectorAll("#reports tr").length === 0 && document.getElementById("empty").getClientRects().length > 0`)
}

// TestBrowserStaffFeedbackModeration: refuse, unfounded and duplicate ask
// first and send nothing when the moderator goes back; a missing reason or
// code is said before anything is sent; the API's refusal is shown in the
// page's language; a confirmed duplicate closes the report; a photo hidden
// from the public is marked so and leaves the public report.
func TestBrowserStaffFeedbackModeration(t *testing.T) {
	e := newFeedbackEnv(t)
	red, blue := testPNG(t, color.RGBA{200, 30, 30, 255}), testPNG(t, color.RGBA{30, 120, 200, 255})
	first := e.fileNew(newReport{category: "moi-truong", description: "Rac do tren via he", address: "12 Le Loi", anonymous: true, photos: [][]byte{red}})
	again := e.fileNew(newReport{category: "moi-truong", description: "Rac do o via he Le Loi", address: "14 Le Loi", name: "Tran Van Binh", phone: "0912000002", photos: [][]byte{red, blue}})
	ctx := newBrowser(t)
	staffIn(t, ctx, e, "en", "kd1")
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/staff/reports/"+again))
	waitJS(t, ctx, "the report", `document.getElementById("fb").dataset.status === "new" && document.querySelectorAll("#r-photos img").length === 2`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts))
	errText := func() string {
		return jsText(t, ctx, `(() => { const e = document.getElementById("fb-error"); return e.getClientRects().length > 0 ? e.textContent : ""; })()`)
	}

	// No reason: said at once, nothing sent.
	run(t, ctx, chromedp.Click(chromedp.CSS("#act-refuse")))
	if got := errText(); got != "Write the reason." || postCount(t, ctx) != 0 {
		t.Errorf("refuse without a reason: error %q, %d requests", got, postCount(t, ctx))
	}
	// With a reason it asks; going back sends nothing.
	for _, act := range []string{"refuse", "unfounded"} {
		run(t, ctx, chromedp.SetValue(chromedp.CSS("#reason"), "Not enough information"), chromedp.Click(chromedp.CSS("#act-"+act)))
		waitJS(t, ctx, act+" asks first", `document.getElementById("confirm").open && document.getElementById("confirm-text").textContent.includes("`+again+`")`)
		if act == "refuse" {
			run(t, ctx, chromedp.Click(chromedp.CSS("#confirm-no")))
		} else {
			key(t, ctx, kb.Escape)
		}
		waitJS(t, ctx, "dialog closed", `!document.getElementById("confirm").open`)
	}
	// A code not written as one: said at once.
	run(t, ctx, chromedp.SetValue(chromedp.CSS("#dup-code"), "42"), chromedp.Click(chromedp.CSS("#act-duplicate")))
	if got := errText(); !strings.Contains(got, "PA-YYMM-NNNNN") || postCount(t, ctx) != 0 {
		t.Errorf("duplicate of a bad code: error %q, %d requests", got, postCount(t, ctx))
	}
	// A report that does not exist: the API says so, in English.
	run(t, ctx, chromedp.SetValue(chromedp.CSS("#dup-code"), "PA-2611-09999"), chromedp.Click(chromedp.CSS("#act-duplicate")))
	waitJS(t, ctx, "asks first", `document.getElementById("confirm").open`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#confirm-yes")))
	waitJS(t, ctx, "the API's refusal", `document.getElementById("fb-error").textContent.includes("PA-2611-09999") && !document.getElementById("act-duplicate").disabled`)
	if got := errText(); !strings.Contains(got, "does not exist") {
		t.Errorf("the API's refusal: %q", got)
	}
	if n := postCount(t, ctx); n != 1 {
		t.Errorf("%d requests sent; want only the confirmed one", n)
	}

	// Hide the second photo from the public.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#r-photos li:nth-child(2) button`)))
	waitJS(t, ctx, "photo hidden", `document.querySelectorAll("#r-photos li.hidden-photo").length === 1 && document.querySelector("#r-photos li:nth-child(2)").textContent.includes("Hidden from the public") && document.querySelector("#r-photos li:nth-child(2) button").textContent === "Show to the public again"`)
	var pub struct {
		Report struct{ Photos []struct{ Hash string } }
	}
	e.call("GET", "/api/v1/reports/"+again, nil, nil, 200, &pub)
	if len(pub.Report.Photos) != 1 {
		t.Errorf("the public sees %d photos, want 1", len(pub.Report.Photos))
	}

	// A confirmed duplicate closes it.
	run(t, ctx, chromedp.SetValue(chromedp.CSS("#dup-code"), first), chromedp.Click(chromedp.CSS("#act-duplicate")))
	waitJS(t, ctx, "asks first", `document.getElementById("confirm").open`)
	run(t, ctx, chromedp.Click(chromedp.CSS("#confirm-yes")))
	waitJS(t, ctx, "duplicate", `document.getElementById("fb").dataset.status === "duplicate" && document.getElementById("r-dup-link").textContent === "`+first+`" && document.getElementById("no-actions").getClientRects().length > 0`)
	rep, err := e.db.Report(context.Background(), again)
	if err != nil || rep.Status != feedback.StatusDuplicate || rep.DuplicateOf != first {
		t.Fatalf("stored: %+v %v", rep.Status, err)
	}
}
