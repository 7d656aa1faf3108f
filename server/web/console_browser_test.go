package web

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"luot/server/queue"
)

// The clerk console as a clerk meets it, at 1366×768, in Vietnamese and
// in English: the counter's state, buttons during a request, second
// thoughts on no-show, transfer and close, waits in words, and the page's
// language and accessibility.

var langs = []string{"vi", "en"}

// consoleIn logs staff in at counter on a 1366×768 screen with the pages
// in lang, and waits for the console to be connected and drawn.
func consoleIn(t *testing.T, ctx context.Context, e *env, lang, staff, counter string) {
	t.Helper()
	run(t, ctx, chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(e.srv.URL+"/clerk/login?lang="+lang), chromedp.WaitVisible(chromedp.CSS("#staff")),
		chromedp.SetValue(chromedp.CSS("#counter"), counter),
		chromedp.SendKeys(chromedp.CSS("#staff"), staff),
		chromedp.SendKeys(chromedp.CSS("#pin"), "1234"),
		chromedp.Click(chromedp.CSS("#login-button")))
	waitJS(t, ctx, "console", `document.documentElement.lang === "`+lang+`" && document.getElementById("conn").classList.contains("ok") && !!document.getElementById("console").dataset.state`)
}

// holdPosts wraps the page's fetch: each POST is recorded in __posts
// (path, key, language); while __hold is set a POST is not sent until
// __release() (a request in flight for as long as the test wants); while
// __fail is set it fails as when the network is down.
const holdPosts = `(() => {
  window.__posts = []; window.__held = []; window.__hold = false; window.__fail = false;
  const orig = window.fetch;
  window.fetch = function (url, init) {
    if (init && init.method === "POST") {
      const h = init.headers || {};
      window.__posts.push({path: String(url), key: h["Idempotency-Key"] || "", lang: h["Accept-Language"] || ""});
      if (window.__fail) { return Promise.reject(new TypeError("Failed to fetch (network cut by the test)")); }
      if (window.__hold) { return new Promise(ok => window.__held.push(() => ok(orig(url, init)))); }
    }
    return orig(url, init);
  };
  window.__release = () => { const h = window.__held; window.__held = []; h.forEach(f => f()); };
})()`

// manualSeconds takes the page's one-second timers made from now on (the
// no-show's undo countdown) off the clock: they run only when the test
// calls __tick(), one second per call — the undo time is the test's to
// spend, however busy the machine.
const manualSeconds = `(() => {
  const timers = new Map(); let next = 1e6;
  const origSet = window.setInterval, origClear = window.clearInterval;
  window.setInterval = function (fn, ms) {
    if (ms !== 1000) { return origSet.apply(window, arguments); }
    const id = next++; timers.set(id, fn); return id;
  };
  window.clearInterval = function (id) { if (timers.has(id)) { timers.delete(id); } else { origClear(id); } };
  window.__tick = () => { [...timers.values()].forEach(fn => fn()); return timers.size; };
})()`

// allDisabled is true when every button of the console (the dialog's
// aside) is disabled, and so are the transfer's and call's fields'
// buttons.
const allDisabled = `[...document.querySelectorAll("#console button")].filter(b => !b.closest("dialog")).every(b => b.disabled)`

// jsText evaluates a string expression in the page.
func jsText(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// key presses a key as the keyboard does (trusted events, to the focused
// element).
func key(t *testing.T, ctx context.Context, k string) {
	t.Helper()
	run(t, ctx, chromedp.KeyEvent(k))
}

func postCount(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__posts.length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// issueWith issues a kiosk ticket with a priority class.
func (e *env) issueWith(service string, p queue.Priority) string {
	e.t.Helper()
	var j struct{ Ticket struct{ Number string } }
	e.call("POST", "/api/v1/offices/"+e.officeID+"/tickets", map[string]string{"X-Device-Key": kioskKey}, map[string]string{"service": service, "priority": string(p)}, 201, &j)
	return j.Ticket.Number
}

// TestBrowserConsoleClosedCounter: a closed counter says so in a banner
// whose one action is "Mở quầy"; nothing else can be pressed; P (or the
// button) opens it and the banner says open.
func TestBrowserConsoleClosedCounter(t *testing.T) {
	want := map[string][3]string{ // closed, open button, open
		"vi": {"Quầy đang đóng", "Mở quầy", "Quầy đang mở"},
		"en": {"The counter is closed", "Open counter", "The counter is open"},
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			ctx := newBrowser(t)
			e.issue("xay-dung")
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			w := want[lang]
			if got := jsText(t, ctx, `document.getElementById("banner-title").textContent`); got != w[0] {
				t.Errorf("banner of a closed counter: %q, want %q", got, w[0])
			}
			if got := jsText(t, ctx, `document.getElementById("btn-open").firstChild.textContent.trim()`); got != w[1] {
				t.Errorf("the banner's button: %q, want %q", got, w[1])
			}
			// The open button is the only one enabled, big, and on the
			// first screen; the banner is red, not the open counter's green.
			st := jsText(t, ctx, `(() => {
			  const b = document.getElementById("btn-open"), r = b.getBoundingClientRect();
			  const others = [...document.querySelectorAll("#console button")].filter(x => x !== b && !x.closest("dialog") && !x.disabled).map(x => x.id);
			  const fields = ["transfer-target", "transfer-end", "call-number"].filter(id => !document.getElementById(id).disabled);
			  const fs = parseFloat(getComputedStyle(b).fontSize), next = parseFloat(getComputedStyle(document.getElementById("btn-next")).fontSize);
			  return JSON.stringify({visible: !b.hidden && r.width > 0 && r.bottom <= innerHeight && r.right <= innerWidth, disabled: b.disabled,
			    others, fields, bigger: fs > next, banner: getComputedStyle(document.getElementById("counter-banner")).backgroundColor});
			})()`)
			var got struct {
				Visible, Disabled, Bigger bool
				Others, Fields            []string
				Banner                    string
			}
			if err := json.Unmarshal([]byte(st), &got); err != nil {
				t.Fatal(err)
			}
			if !got.Visible || got.Disabled || !got.Bigger || len(got.Others) != 0 || len(got.Fields) != 0 || got.Banner != "rgb(253, 226, 225)" {
				t.Fatalf("closed counter: %s; want the open button visible at 1366×768, enabled and the biggest, every other button and field disabled, a red banner", st)
			}
			run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts))
			key(t, ctx, "p")
			waitJS(t, ctx, "opened by P", `document.getElementById("console").dataset.state === "open" && document.getElementById("console").getAttribute("aria-busy") === "false"`)
			if got := jsText(t, ctx, `document.getElementById("banner-title").textContent`); got != w[2] {
				t.Errorf("banner of an open counter: %q, want %q", got, w[2])
			}
			if n := postCount(t, ctx); n != 1 {
				t.Errorf("P sent %d requests", n)
			}
			if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("btn-open").hidden && !document.getElementById("btn-next").disabled && !document.getElementById("btn-pause").disabled`)); !hidden {
				t.Error("an open counter still offers to open, or cannot call")
			}
			v, _ := e.eng.View(office)
			if v.Counters["q1"].State != queue.CounterOpen {
				t.Fatalf("counter q1 is %s", v.Counters["q1"].State)
			}
		})
	}
}

// TestBrowserConsoleButtonsInFlight: while any action's request is in
// flight every button of the console is disabled, and comes back after.
func TestBrowserConsoleButtonsInFlight(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			ctx := newBrowser(t)
			a1 := e.issue("xay-dung")
			a2 := e.issue("xay-dung")
			a3 := e.issue("xay-dung")
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts+"; "+manualSeconds))
			click := func(id string) string { return `document.getElementById("` + id + `").click()` }
			steps := []struct {
				name, press, after string
				advance            time.Duration
			}{
				{"open", click("btn-open"), `document.getElementById("console").dataset.state === "open"`, 0},
				{"next", click("btn-next"), `document.getElementById("cur-number").textContent === "` + a1 + `"`, 0},
				{"recall", click("btn-recall"), `/2/.test(document.getElementById("cur-status").textContent)`, time.Minute},
				{"start", click("btn-start"), `document.getElementById("btn-start").disabled && !document.getElementById("btn-done").disabled`, 0},
				{"done", click("btn-done"), `!document.getElementById("current-empty").hidden`, 0},
				{"call", `document.getElementById("call-number").value = "` + a3 + `"; document.getElementById("btn-call").click()`, `document.getElementById("cur-number").textContent === "` + a3 + `"`, time.Minute},
				{"no-show", click("btn-no-show") + "; for (let i = 0; i < 5; i++) __tick()", `document.getElementById("cur-number").textContent === "` + a3 + `" && document.getElementById("undo-bar").hidden && !document.getElementById("action-notice").hidden`, time.Minute},
				{"next", click("btn-next"), `document.getElementById("cur-number").textContent === "` + a2 + `"`, 0},
				{"transfer", `document.getElementById("transfer-target").value = "counter:q3"; document.getElementById("btn-transfer").click(); document.getElementById("confirm-yes").click()`, `!document.getElementById("current-empty").hidden`, time.Minute},
				{"pause", click("btn-pause"), `document.getElementById("console").dataset.state === "paused"`, 0},
				{"close", `document.getElementById("btn-close").click(); document.getElementById("confirm-yes").click()`, `document.getElementById("console").dataset.state === "closed"`, 0},
			}
			for _, s := range steps {
				e.clock.Advance(s.advance)
				n := postCount(t, ctx)
				run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__hold = true; `+s.press))
				waitJS(t, ctx, s.name+" in flight", `window.__posts.length === `+strconv.Itoa(n+1)+` && window.__held.length === 1`)
				if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](allDisabled)); !ok {
					t.Fatalf("%s in flight: enabled buttons %s", s.name, jsText(t, ctx, `[...document.querySelectorAll("#console button")].filter(b => !b.closest("dialog") && !b.disabled).map(b => b.id).join(",")`))
				}
				run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__hold = false; window.__release()`))
				waitJS(t, ctx, s.name+" done", s.after+` && document.getElementById("console").getAttribute("aria-busy") === "false"`)
				if !strings.HasSuffix(jsText(t, ctx, `window.__posts[window.__posts.length - 1].path`), "/"+s.name) {
					t.Fatalf("%s sent %s", s.name, jsText(t, ctx, `JSON.stringify(window.__posts)`))
				}
				if msg := jsText(t, ctx, `document.getElementById("action-error").textContent`); msg != "" {
					t.Fatalf("%s: error %q", s.name, msg)
				}
			}
			if st := e.status(a3); st != queue.StatusNoShow {
				t.Errorf("%s is %s", a3, st)
			}
			if got := jsText(t, ctx, `[...new Set(window.__posts.map(p => p.lang))].join()`); got != lang {
				t.Errorf("the requests asked for languages %q, want %q", got, lang)
			}
		})
	}
}

// TestBrowserConsoleNoShowUndo: a no-show waits five seconds with an
// undo (button or Esc); then it is sent; pressing "next" meanwhile sends
// it first.
func TestBrowserConsoleNoShowUndo(t *testing.T) {
	want := map[string][4]string{ // pending, undone, done, undo button
		"vi": {"A001 sẽ được ghi vắng mặt sau 5 giây.", "Đã hoàn tác: A001 vẫn đang được gọi.", "Đã ghi A001 vắng mặt.", "Hoàn tác Esc"},
		"en": {"A001 will be marked as a no-show in 5 seconds.", "Undone: A001 is still called.", "A001 was marked as a no-show.", "Undo Esc"},
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			w := want[lang]
			e := newEnv(t)
			ctx := newBrowser(t)
			a1 := e.issue("xay-dung")
			a2 := e.issue("xay-dung")
			a3 := e.issue("xay-dung")
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts+"; "+manualSeconds))
			key(t, ctx, "p")
			waitJS(t, ctx, "open", `!document.getElementById("btn-next").disabled`)
			key(t, ctx, "n")
			waitJS(t, ctx, "called", `document.getElementById("cur-number").textContent === "`+a1+`" && !document.getElementById("btn-no-show").disabled`)

			// X, then Esc: nothing is sent, the ticket stays called.
			key(t, ctx, "x")
			waitJS(t, ctx, "undo offered", `!document.getElementById("undo-bar").hidden`)
			if got := jsText(t, ctx, `document.getElementById("undo-text").textContent`); got != w[0] {
				t.Errorf("undo bar: %q, want %q", got, w[0])
			}
			if got := jsText(t, ctx, `document.getElementById("btn-undo").textContent.replace(/\s+/g, " ").trim()`); got != w[3] {
				t.Errorf("undo button: %q, want %q", got, w[3])
			}
			if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`["btn-no-show", "btn-recall", "btn-start", "btn-done", "btn-transfer"].every(id => document.getElementById(id).disabled)`)); !ok {
				t.Error("while the no-show waits, the actions on its ticket can still be pressed")
			}
			key(t, ctx, kb.Escape)
			waitJS(t, ctx, "undone", `document.getElementById("undo-bar").hidden && document.getElementById("action-notice").textContent === "`+w[1]+`"`)
			n := postCount(t, ctx)
			if n != 2 { // open, next
				t.Fatalf("an undone no-show was sent: %s", jsText(t, ctx, `JSON.stringify(window.__posts)`))
			}
			if st := e.status(a1); st != queue.StatusCalled {
				t.Fatalf("%s is %s after undo", a1, st)
			}

			// X and the undo time runs out: the countdown says so each
			// second, and at five the no-show is sent, once.
			e.clock.Advance(time.Minute)
			run(t, ctx, chromedp.Click(chromedp.CSS("#btn-no-show")))
			waitJS(t, ctx, "undo offered", `!document.getElementById("undo-bar").hidden`)
			for i := 4; i >= 1; i-- {
				run(t, ctx, chromedp.Evaluate[chromedp.Void](`__tick()`))
				if got := jsText(t, ctx, `document.getElementById("undo-text").textContent`); !strings.Contains(got, " "+strconv.Itoa(i)+" ") || postCount(t, ctx) != 2 {
					t.Fatalf("%d s left: %q, %d requests", i, got, postCount(t, ctx))
				}
			}
			run(t, ctx, chromedp.Evaluate[chromedp.Void](`__tick()`))
			waitJS(t, ctx, "no-show sent", `document.getElementById("action-notice").textContent === "`+w[2]+`"`)
			if st := e.status(a1); st != queue.StatusNoShow {
				t.Fatalf("%s is %s", a1, st)
			}
			if got := jsText(t, ctx, `window.__posts.map(p => p.path.split("/").pop()).join()`); got != "open,next,no-show" {
				t.Fatalf("posts %s", got)
			}

			// X then N at once: the no-show goes first, then the call.
			key(t, ctx, "n")
			waitJS(t, ctx, "second called", `document.getElementById("cur-number").textContent === "`+a2+`" && !document.getElementById("btn-no-show").disabled`)
			e.clock.Advance(time.Minute)
			key(t, ctx, "x")
			waitJS(t, ctx, "undo offered", `!document.getElementById("undo-bar").hidden`)
			key(t, ctx, "n")
			waitJS(t, ctx, "third called", `document.getElementById("cur-number").textContent === "`+a3+`" && document.getElementById("undo-bar").hidden`)
			if got := jsText(t, ctx, `window.__posts.map(p => p.path.split("/").pop()).join()`); got != "open,next,no-show,next,no-show,next" {
				t.Fatalf("posts %s", got)
			}
			if st := e.status(a2); st != queue.StatusNoShow {
				t.Fatalf("%s is %s", a2, st)
			}
		})
	}
}

// TestBrowserConsoleConfirmations: transfer and close ask first, in a
// modal dialog driven by the keyboard; no shortcut acts behind it, and
// the shortcuts work again after it; a transfer says where the ticket
// went.
func TestBrowserConsoleConfirmations(t *testing.T) {
	want := map[string][4]string{ // question, notice, close question, service target
		"vi": {"Chuyển A001 đến Quầy 3?", "Đã chuyển A001 đến Quầy 3. Không có ai chờ trước.", "Đóng quầy 1? Sẽ không gọi công dân nào đến quầy này cho đến khi mở lại.", "Đã chuyển A002 đến Lĩnh vực Hộ tịch, xuống cuối hàng. Không có ai chờ trước."},
		"en": {"Transfer A001 to counter 3?", "A001 was transferred to counter 3. Nobody is waiting ahead of it.", "Close counter 1? No citizen will be called to it until it is opened again.", "A002 was transferred to the Civil status service, at the end of the line. Nobody is waiting ahead of it."},
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			w := want[lang]
			e := newEnv(t)
			ctx := newBrowser(t)
			a1 := e.issue("xay-dung")
			a2 := e.issue("xay-dung")
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts))
			key(t, ctx, "p")
			waitJS(t, ctx, "open", `!document.getElementById("btn-next").disabled`)
			key(t, ctx, "n")
			waitJS(t, ctx, "called", `document.getElementById("cur-number").textContent === "`+a1+`" && !document.getElementById("btn-transfer").disabled`)

			// The ticket's own service is no choice.
			if got := jsText(t, ctx, `(() => { const s = document.getElementById("transfer-target"); return s.querySelector('option[value="service:xay-dung"]').disabled + "," + s.value; })()`); got != "true,service:ho-kinh-doanh" {
				t.Errorf("transfer choices for a ticket of xay-dung: disabled, selected = %s", got)
			}
			// T, choose counter 3, Tab to the button, Enter: the question.
			key(t, ctx, "t")
			waitJS(t, ctx, "T focuses the target", `document.activeElement.id === "transfer-target"`)
			run(t, ctx, chromedp.SetValue(chromedp.CSS("#transfer-target"), "counter:q3"))
			key(t, ctx, kb.Tab)
			key(t, ctx, kb.Tab)
			waitJS(t, ctx, "on the transfer button", `document.activeElement.id === "btn-transfer"`)
			key(t, ctx, kb.Enter)
			waitJS(t, ctx, "asked", `document.getElementById("confirm").open`)
			if got := jsText(t, ctx, `document.getElementById("confirm-text").textContent`); got != w[0] {
				t.Errorf("question %q, want %q", got, w[0])
			}
			// Shortcuts do not act behind the dialog; Esc goes back.
			key(t, ctx, "n")
			key(t, ctx, "d")
			key(t, ctx, kb.Escape)
			waitJS(t, ctx, "went back", `!document.getElementById("confirm").open && document.activeElement.id === "btn-transfer"`)
			if n := postCount(t, ctx); n != 2 {
				t.Fatalf("keys in the dialog or going back sent %s", jsText(t, ctx, `JSON.stringify(window.__posts)`))
			}
			if st := e.status(a1); st != queue.StatusCalled {
				t.Fatalf("%s is %s after going back", a1, st)
			}
			// And after it, they work: S starts the ticket.
			key(t, ctx, "s")
			waitJS(t, ctx, "started by S", `document.getElementById("btn-start").disabled && document.getElementById("console").getAttribute("aria-busy") === "false" && window.__posts.length === 3`)
			if st := e.status(a1); st != queue.StatusServing {
				t.Fatalf("%s is %s after S", a1, st)
			}
			// Enter on the button again, Enter in the dialog: transferred,
			// and the console says where to.
			run(t, ctx, chromedp.Focus(chromedp.CSS("#btn-transfer")))
			key(t, ctx, kb.Enter)
			waitJS(t, ctx, "asked again", `document.getElementById("confirm").open && document.activeElement.id === "confirm-yes"`)
			key(t, ctx, kb.Enter)
			waitJS(t, ctx, "transferred", `!document.getElementById("current-empty").hidden && !document.getElementById("action-notice").hidden`)
			if got := jsText(t, ctx, `document.getElementById("action-notice").textContent`); got != w[1] {
				t.Errorf("after the transfer: %q, want %q", got, w[1])
			}
			v, _ := e.eng.View(office)
			for _, tk := range v.Tickets {
				if tk.Display == a1 && (tk.Pinned != "q3" || tk.Status != queue.StatusWaiting) {
					t.Fatalf("after the transfer: %+v", tk)
				}
			}
			// To a service, at the end of the line.
			e.clock.Advance(time.Minute)
			key(t, ctx, "n")
			waitJS(t, ctx, "second called", `document.getElementById("cur-number").textContent === "`+a2+`" && !document.getElementById("btn-transfer").disabled`)
			run(t, ctx, chromedp.SetValue(chromedp.CSS("#transfer-target"), "service:ho-tich"), chromedp.Click(chromedp.CSS("#transfer-end")),
				chromedp.Click(chromedp.CSS("#btn-transfer")))
			waitJS(t, ctx, "asked", `document.getElementById("confirm").open`)
			key(t, ctx, kb.Enter)
			waitJS(t, ctx, "transferred to a service", `document.getElementById("action-notice").textContent === "`+w[3]+`"`)

			// Close: asked, Esc keeps it open; confirmed, it closes.
			waitJS(t, ctx, "close possible", `!document.getElementById("btn-close").disabled`)
			run(t, ctx, chromedp.Click(chromedp.CSS("#btn-close")))
			waitJS(t, ctx, "close asked", `document.getElementById("confirm").open`)
			if got := jsText(t, ctx, `document.getElementById("confirm-text").textContent`); got != w[2] {
				t.Errorf("close question %q, want %q", got, w[2])
			}
			key(t, ctx, kb.Escape)
			waitJS(t, ctx, "went back", `!document.getElementById("confirm").open`)
			if v, _ := e.eng.View(office); v.Counters["q1"].State != queue.CounterOpen {
				t.Fatalf("going back closed the counter: %s", v.Counters["q1"].State)
			}
			run(t, ctx, chromedp.Click(chromedp.CSS("#btn-close")))
			waitJS(t, ctx, "close asked", `document.getElementById("confirm").open`)
			run(t, ctx, chromedp.Click(chromedp.CSS("#confirm-yes")))
			// Two steps, so that a failure says which one did not happen:
			// the dialog answered "yes", then the counter closed.
			waitJS(t, ctx, "answered yes", `!document.getElementById("confirm").open && document.getElementById("confirm").returnValue === "yes"`)
			waitJS(t, ctx, "closed", `document.getElementById("console").dataset.state === "closed" && !document.getElementById("btn-open").hidden`)
		})
	}
}

// TestBrowserConfirmAnswersItsOwnQuestion: a question asked right after
// another was answered gets its own answer. The dialog's close event is a
// task of its own; when the answer was read from it, the first question's
// late event answered the second "no", and the second's "yes" went nowhere
// (the counter did not close, on a busy machine).
func TestBrowserConfirmAnswersItsOwnQuestion(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	consoleIn(t, ctx, e, "vi", "nv1", "q1")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const first = window.luotConfirm("a?", "a", "yes");
  document.getElementById("confirm-no").click();
  const second = window.luotConfirm("b?", "b", "yes");
  document.getElementById("confirm-yes").click();
  const third = window.luotConfirm("c?", "c", "no");
  return new Promise(r => setTimeout(r, 50)).then(() => {
    const d = document.getElementById("confirm");
    const third_open = d.open;
    d.dispatchEvent(new Event("cancel", { cancelable: true }));
    return Promise.all([first, second, third]).then(a => a.join(",") + "," + third_open + "," + d.open);
  });
})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// No, yes; the third still open after the other two's close events,
	// then answered no by Esc (cancel), and closed.
	if want := "false,true,false,true,false"; got != want {
		t.Errorf("answers, third open, open after Esc = %s, want %s", got, want)
	}
}

// TestBrowserConsoleWaitsInWords: the wait of the ticket at the counter
// is "1 giờ 5 phút", "4 phút", "23 giây" (in English "1 hour 5 minutes"…),
// and the waiting list's waits are written the same way.
func TestBrowserConsoleWaitsInWords(t *testing.T) {
	want := map[string][3]string{
		"vi": {"1 giờ 5 phút", "4 phút", "23 giây"},
		"en": {"1 hour 5 minutes", "4 minutes", "23 seconds"},
	}
	form := map[string]string{
		"vi": `^(\d+ giây|\d+ phút|\d+ giờ( \d+ phút)?)$`,
		"en": `^(1 second|\d+ seconds|1 minute|\d+ minutes|1 hour( 1 minute| \d+ minutes)?|\d+ hours( 1 minute| \d+ minutes)?)$`,
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			w := want[lang]
			e := newEnv(t)
			ctx := newBrowser(t)
			a1 := e.issue("xay-dung")
			e.clock.Advance(61 * time.Minute)
			a2 := e.issue("xay-dung")
			e.clock.Advance(4 * time.Minute)
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			waitJS(t, ctx, "waiting list", `document.querySelectorAll("#queue tr").length === 2`)
			cells := jsText(t, ctx, `[...document.querySelectorAll("#queue td.waited")].map(td => td.textContent).join("|")`)
			for _, c := range strings.Split(cells, "|") {
				if !regexp.MustCompile(form[lang]).MatchString(c) {
					t.Errorf("waiting list shows a wait as %q", c)
				}
			}
			key(t, ctx, "p")
			waitJS(t, ctx, "open", `!document.getElementById("btn-next").disabled`)
			step := func(number, waited string) {
				t.Helper()
				key(t, ctx, "n")
				waitJS(t, ctx, number+" called", `document.getElementById("cur-number").textContent === "`+number+`" && !document.getElementById("btn-start").disabled`)
				if got := jsText(t, ctx, `document.getElementById("cur-waited").textContent`); got != waited {
					t.Errorf("%s waited %q, want %q", number, got, waited)
				}
				key(t, ctx, "s")
				waitJS(t, ctx, number+" started", `document.getElementById("btn-start").disabled && document.getElementById("console").getAttribute("aria-busy") === "false"`)
			}
			step(a1, w[0])
			step(a2, w[1])
			a3 := e.issue("xay-dung")
			e.clock.Advance(23 * time.Second)
			step(a3, w[2])
		})
	}
}

// TestBrowserConsoleLanguage: everything the console shows is in its
// language — statuses, priorities, sources, the connection — and the
// connection and an online ticket are different words; an API error
// shows the server's message for that language, never its code; a
// network failure is said in words.
func TestBrowserConsoleLanguage(t *testing.T) {
	type texts struct{ called, recalledServing, elderly, online, connected, network string }
	want := map[string]texts{
		"vi": {"Đã gọi, chờ công dân đến", "Đang phục vụ (gọi 2 lần)", "Người cao tuổi", "Lấy số trực tuyến", "Đã kết nối", "Không liên lạc được với máy chủ: kiểm tra mạng rồi thử lại."},
		"en": {"Called, waiting for the citizen", "Being served (called 2 times)", "Elderly person", "Taken online", "Connected", "The server cannot be reached: check the network and try again."},
	}
	// otherLanguage finds words of the other language in the console's
	// text (the brand, the language switch, and the server's error
	// message, checked apart, left out).
	otherLanguage := map[string]string{
		"vi": `(() => { const c = document.body.cloneNode(true); c.querySelectorAll(".brand, .lang, #action-error, script").forEach(x => x.remove());
		  return (c.textContent.match(/\b(called|serving|waiting|elderly|person|kiosk|online|live|connected|counter|transfer|undo|seconds?|minutes?|hours?|no-show|open|closed|paused|source|priority|service)\b/gi) || []).join(","); })()`,
		"en": `(() => { const c = document.body.cloneNode(true); c.querySelectorAll(".brand, .lang, #action-error, script").forEach(x => x.remove());
		  return (c.textContent.match(/[^\s]*[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ][^\s]*/gi) || []).join(","); })()`,
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			w := want[lang]
			e := newEnv(t)
			ctx := newBrowser(t)
			old := e.issueWith("xay-dung", queue.PriorityElderly)
			e.call("POST", "/api/v1/offices/"+office+"/remote-tickets", nil, map[string]string{"service": "xay-dung", "phone": "0912345678", "name": "Tran Van An"}, 201, nil)
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			noOther := func(when string) {
				t.Helper()
				if got := jsText(t, ctx, otherLanguage[lang]); got != "" {
					t.Errorf("%s: words of the other language on the %s page: %s", when, lang, got)
				}
			}
			noOther("closed")
			rows := jsText(t, ctx, `[...document.querySelectorAll("#queue tr")].map(tr => [...tr.children].map(td => td.textContent).join("/")).join("\n")`)
			if !strings.Contains(rows, "/"+w.elderly+"/") || !strings.Contains(rows, "/"+w.online+"/") {
				t.Errorf("waiting list:\n%s\nwant the priority %q and the source %q", rows, w.elderly, w.online)
			}
			conn := jsText(t, ctx, `document.getElementById("conn").textContent`)
			if conn != w.connected || strings.Contains(w.online, conn) || strings.Contains(conn, w.online) {
				t.Errorf("connection %q, online ticket %q: want %q, and two different words", conn, w.online, w.connected)
			}
			key(t, ctx, "p")
			waitJS(t, ctx, "open", `!document.getElementById("btn-next").disabled`)
			key(t, ctx, "n")
			waitJS(t, ctx, "called", `document.getElementById("cur-number").textContent === "`+old+`"`)
			if got := jsText(t, ctx, `document.getElementById("cur-status").textContent + "|" + document.getElementById("cur-priority").textContent`); got != w.called+"|"+w.elderly {
				t.Errorf("current ticket: %q, want %q", got, w.called+"|"+w.elderly)
			}
			noOther("called")
			e.clock.Advance(time.Minute)
			key(t, ctx, "r")
			waitJS(t, ctx, "recalled", `/2/.test(document.getElementById("cur-status").textContent) && !document.getElementById("btn-start").disabled`)
			key(t, ctx, "s")
			waitJS(t, ctx, "serving", `document.getElementById("cur-status").textContent === "`+w.recalledServing+`"`)
			noOther("serving")

			// An API error: the server's message in this language.
			var apiErr struct {
				Error struct{ Code, Message string }
			}
			e.call("POST", "/api/v1/counters/q1/call", map[string]string{"Authorization": "Bearer " + e.login("nv1", "q1"), "Accept-Language": lang}, map[string]string{"number": "Z999"}, 404, &apiErr)
			run(t, ctx, chromedp.SendKeys(chromedp.CSS("#call-number"), "Z999"), chromedp.Click(chromedp.CSS("#btn-call")))
			waitJS(t, ctx, "error shown", `!document.getElementById("action-error").hidden`)
			if got := jsText(t, ctx, `document.getElementById("action-error").textContent`); got != apiErr.Error.Message || strings.Contains(got, apiErr.Error.Code) {
				t.Errorf("error shown %q; the server says %q (code %s)", got, apiErr.Error.Message, apiErr.Error.Code)
			}
			noOther("an API error")
			// The network down: said in words, not "Failed to fetch".
			run(t, ctx, chromedp.Evaluate[chromedp.Void](holdPosts+`; window.__fail = true`))
			key(t, ctx, "d")
			waitJS(t, ctx, "network error shown", `document.getElementById("action-error").textContent === "`+w.network+`"`)
			noOther("the network down")
			if st := e.status(old); st != queue.StatusServing {
				t.Fatalf("%s is %s", old, st)
			}
		})
	}
}

// TestBrowserConsoleAccessible: one h1, every field labelled, every
// button and column named, and every text of the console (the dialog
// and the undo bar shown too) at least 4.5:1 against its background (3:1
// for large text), at 1366×768, in both languages.
func TestBrowserConsoleAccessible(t *testing.T) {
	const audit = `(() => {
	  const out = [];
	  const h1 = document.querySelectorAll("h1");
	  if (h1.length !== 1 || !h1[0].textContent.trim()) out.push("h1 count " + h1.length);
	  document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(f => {
	    if (!(f.labels && f.labels.length && f.labels[0].textContent.trim()) && !f.getAttribute("aria-label")) out.push("unlabelled " + (f.id || f.name));
	  });
	  document.querySelectorAll("button").forEach(b => { if (!b.textContent.trim() && !b.getAttribute("aria-label")) out.push("nameless button " + b.id); });
	  document.querySelectorAll("th").forEach(th => { if (!th.textContent.trim()) out.push("empty th"); });
	  const rgba = s => { const m = s.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
	  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
	  const bgOf = el => { for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
	  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
	    const el = n.parentElement;
	    if (!n.textContent.trim() || !el || el.closest("script") || el.closest("[disabled]") || !el.getClientRects().length) continue;
	    const st = getComputedStyle(el);
	    if (st.visibility === "hidden") continue;
	    const fg = rgba(st.color), bg = bgOf(el);
	    const mix = {r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a)};
	    const l1 = lum(mix), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
	    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
	    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
	    if (ratio < need) out.push(JSON.stringify(n.textContent.trim().slice(0, 30)) + " " + ratio.toFixed(2) + ":1");
	  }
	  return out.join("; ");
	})()`
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			ctx := newBrowser(t)
			a1 := e.issueWith("xay-dung", queue.PriorityElderly)
			e.issue("ho-tich")
			consoleIn(t, ctx, e, lang, "nv1", "q1")
			run(t, ctx, chromedp.Evaluate[chromedp.Void](manualSeconds))
			check := func(when string) {
				t.Helper()
				if got := jsText(t, ctx, audit); got != "" {
					t.Errorf("%s (%s): %s", when, lang, got)
				}
			}
			check("closed")
			wantH1 := map[string]string{"vi": "Quầy 1 · Bàn làm việc tại quầy", "en": "Counter 1 · Counter console"}[lang]
			if got := jsText(t, ctx, `document.querySelector("h1").textContent.replace(/\s+/g, " ").trim()`); got != wantH1 {
				t.Errorf("h1 %q, want %q", got, wantH1)
			}
			key(t, ctx, "p")
			waitJS(t, ctx, "open", `!document.getElementById("btn-next").disabled`)
			check("open")
			key(t, ctx, "n")
			waitJS(t, ctx, "called", `document.getElementById("cur-number").textContent === "`+a1+`" && !document.getElementById("btn-no-show").disabled`)
			check("called")
			key(t, ctx, "x")
			waitJS(t, ctx, "undo bar", `!document.getElementById("undo-bar").hidden`)
			check("undo bar")
			key(t, ctx, kb.Escape)
			waitJS(t, ctx, "undone", `!document.getElementById("action-notice").hidden`)
			check("notice")
			run(t, ctx, chromedp.Click(chromedp.CSS("#btn-transfer")))
			waitJS(t, ctx, "dialog", `document.getElementById("confirm").open`)
			check("dialog")
			key(t, ctx, kb.Escape)
			run(t, ctx, chromedp.Click(chromedp.CSS("#btn-pause")))
			waitJS(t, ctx, "paused", `document.getElementById("console").dataset.state === "paused"`)
			check("paused")
			shot(t, ctx, *screenshots, "console-"+lang+".png")
		})
	}
}

// TestConsoleErrorInPageLanguage: the console's own refusal (a session
// without a counter of the office asks for its state) is in the page's
// language.
func TestConsoleErrorInPageLanguage(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin", "")
	for lang, want := range map[string]string{
		"vi": "Phiên đăng nhập không gắn với quầy nào của đơn vị này: đăng nhập tại một quầy.",
		"en": "Your session has no counter of this office: log in at a counter.",
	} {
		r := e.do("GET", "/clerk/state?lang="+lang, adm, nil, "")
		if r.status != 409 || !strings.Contains(r.body, want) {
			t.Errorf("%s: %d %q; want 409 with %q", lang, r.status, r.body, want)
		}
	}
}
