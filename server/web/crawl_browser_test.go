package web

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
	"luot/server/api"
	"luot/server/queue"
)

// crawlViewports are a phone and a laptop.
var crawlViewports = [][2]int64{{390, 844}, {1366, 768}}

// crawlPage is one page (or one state of a page) of the crawl: how to get
// there in the language the browser is set to, and when it is ready.
type crawlPage struct {
	name string
	// who is the browser that visits: "citizen" (no session), "clerk",
	// "admin", "moderator" or "handler" (logged in).
	who string
	// staff pages take the language from ?lang=; citizen pages from the
	// phone's stored choice.
	staff bool
	// path is where to go; go_, when set, gets there instead (a form to
	// fill, a button to press), and may return an error.
	path string
	go_  func(ctx context.Context, lang string) error
	// ready is true in the page when it is ready to be read.
	ready string
	// shotAt is the width of its screenshot (0: none).
	shotAt int64
	// laptop pages are visited at 1366×768 only: the feedback staff's
	// desk pages, which keep the crawl within its time.
	laptop bool
}

// TestBrowserEveryPageBothLanguages visits every page, error states
// included, on a phone (390×844) and a laptop (1366×768), in Vietnamese and
// in English, and checks each with axe-core (no serious or critical
// violation) and for words of the other language. It reports every
// finding, by page, viewport and language, before failing. With
// -screenshots it saves the pages under docs/screenshots (crawl-*.png).
func TestBrowserEveryPageBothLanguages(t *testing.T) {
	browsertest.NeedAxe(t)
	e := newPAStack(t, withDossiers(stack{
		office: queue.Office{
			ID: "hcm-q1", Name: "Bộ phận Một cửa Quận 1", NameEN: "District 1 One-Stop Shop",
			Timezone: "Asia/Ho_Chi_Minh", Policy: queue.DefaultPolicy(),
			Hours: queue.WeekHours{
				"mon": {{From: "07:30", To: "17:00"}}, "tue": {{From: "07:30", To: "17:00"}}, "wed": {{From: "07:30", To: "17:00"}},
				"thu": {{From: "07:30", To: "17:00"}}, "fri": {{From: "07:30", To: "17:00"}},
			},
			Services: []queue.Service{
				{ID: "xay-dung", Name: "Cấp phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 10, SlotMinutes: 30, SlotCapacity: 2, Active: true},
				{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "B", DefaultMinutes: 5, Active: true},
			},
			Counters: []queue.Counter{
				{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "ho-tich"}}},
				{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-tich"}}},
			},
		},
		// Staff ids and names are data in no language, like the people's.
		staff: []queue.Staff{{ID: "nv1", Name: "Tran Thi Mai", Role: queue.RoleClerk}, {ID: "ql1", Name: "Le Van Hung", Role: queue.RoleAdmin},
			{ID: "kd1", Name: "Pham Thu Ha", Role: queue.RoleModerator}, {ID: "xl1", Name: "Vo Minh Tuan", Role: queue.RoleHandler, Unit: "phuong-ben-nghe"}},
		kiosk: queue.Device{ID: "k1", Name: "k1"},
		// Push and SMS on: the pages offer them.
		notify: &notifyOn{pushKey: vapidKey(t), sms: true},
	}, hsDossiers("hcm-q1")))
	// A day under way: numbers waiting, one called, a booking, a ticket
	// taken online to follow. People's names are written without marks:
	// they are data, and the check is about the pages' own words.
	for range 3 {
		e.issue("ho-tich")
	}
	adm := e.login("ql1", "")
	e.call("POST", "/api/v1/counters/q2/open", bearer(adm), nil, 200, nil)
	e.call("POST", "/api/v1/counters/q2/next", bearer(adm), nil, 200, nil)
	var tk struct{ Ticket api.TicketJSON }
	e.call("POST", "/api/v1/offices/hcm-q1/remote-tickets", nil, map[string]string{"service": "xay-dung", "name": "Tran Van Binh", "phone": "0912000001"}, 201, &tk)
	var bk struct{ Booking api.BookingJSON }
	e.call("POST", "/api/v1/offices/hcm-q1/bookings", nil, map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "15:00", "name": "Le Thi Hoa", "phone": "0912000002"}, 201, &bk)
	phones := 100
	// A subscription, for its unsubscribe page.
	var sub struct{ Unsubscribe string }
	e.call("POST", "/api/v1/subscriptions", nil, map[string]any{"item": map[string]string{"type": "ticket", "id": tk.Ticket.ID},
		"secret": trackToken(t, tk.Ticket.TrackURL), "channel": "sms", "phone": "0912000003"}, 201, &sub)
	notifyReady := ` && document.querySelector('#notify').dataset.ready === "true"`
	// Feedback reports for the staff's pages: one new with the reporter's
	// name, one assigned to the handler's ward (its answer form open).
	fbNew := e.fileNew(newReport{category: "rac-thai", description: "Rac thai do tren via he", address: "12 Le Loi",
		name: "Nguyen Van An", phone: "0912000011", lat: "10.7725", lon: "106.6980", photos: [][]byte{testPNG(t, color.RGBA{200, 30, 30, 255})}})
	fbAssigned := e.fileNew(newReport{category: "via-he", description: "Lan chiem via he", address: "5 Dong Khoi", anonymous: true,
		photos: [][]byte{testPNG(t, color.RGBA{30, 120, 200, 255})}})
	kd1 := e.login("kd1", "")
	e.act(kd1, fbAssigned, "accept", nil)
	e.act(kd1, fbAssigned, "assign", nil) // to the ward routing chose
	inboxReady := `document.getElementById("fb").dataset.loaded >= 1 && document.getElementById("conn").classList.contains("ok")`
	reportReady := `!!document.getElementById("fb").dataset.status && document.getElementById("conn").classList.contains("ok")`

	take := func(phone string) func(ctx context.Context, lang string) error {
		return func(ctx context.Context, lang string) error {
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/o/hcm-q1"),
				chromedp.WaitVisible(`[data-service="ho-tich"]`),
				chromedp.Click(`[data-service="ho-tich"]`),
				chromedp.SendKeys(`#name`, "Pham Van An"),
				chromedp.SendKeys(`#phone`, phone),
				chromedp.Click(`#take`))
		}
	}
	pages := []crawlPage{
		{name: "start", who: "citizen", path: "/", ready: `document.querySelectorAll('[data-service]').length > 0`, shotAt: 390},
		{name: "take", who: "citizen", go_: func(ctx context.Context, lang string) error {
			phones++
			return take(fmt.Sprintf("09130%05d", phones))(ctx, lang)
		}, ready: `document.querySelector('#number') && document.querySelector('#number').textContent.trim() !== ""`, shotAt: 390},
		{name: "taken-twice", who: "citizen", go_: func(ctx context.Context, lang string) error {
			phones++
			phone := fmt.Sprintf("09130%05d", phones)
			if err := take(phone)(ctx, lang); err != nil {
				return err
			}
			// The first answer: wait for it before asking again.
			if err := poll(ctx, `document.querySelector('#number') && document.querySelector('#number').textContent.trim() !== ""`); err != nil {
				return fmt.Errorf("the first number: %w", err)
			}
			return take(phone)(ctx, lang)
		}, ready: `document.querySelector('#error') && !document.querySelector('#error').hidden && document.querySelector('#error').textContent.trim() !== ""`},
		{name: "track", who: "citizen", path: tk.Ticket.TrackURL, ready: `document.querySelector('#number').textContent.trim() !== ""` + notifyReady + ` && !document.querySelector('#notify').hidden`, shotAt: 390},
		{name: "track-sms-on", who: "citizen", go_: func(ctx context.Context, lang string) error {
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+tk.Ticket.TrackURL)); err != nil {
				return err
			}
			if err := poll(ctx, `document.querySelector('#notify').dataset.ready === "true"`); err != nil {
				return err
			}
			return chromedp.Do(ctx, chromedp.SendKeys(`#notify-phone`, "0912000004"), chromedp.Click(`#notify-sms button[type=submit]`))
		}, ready: `!document.querySelector('#notify-stop-sms').hidden && document.querySelector('#notify-status').textContent !== ""`},
		{name: "link-again", who: "citizen", go_: func(ctx context.Context, lang string) error {
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/o/hcm-q1"), chromedp.WaitVisible(`#sms-phone`),
				chromedp.SendKeys(`#sms-phone`, "0912000001"), chromedp.Click(`#sms-send`))
		}, ready: `!document.querySelector('#sms-done').hidden`, shotAt: 390},
		{name: "unsubscribe", who: "citizen", path: sub.Unsubscribe, ready: `document.readyState === "complete" && !!document.querySelector('#stop')`, shotAt: 390},
		{name: "unsubscribed", who: "citizen", go_: func(ctx context.Context, lang string) error {
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+sub.Unsubscribe), chromedp.WaitVisible(`#stop`), chromedp.Click(`#stop`))
		}, ready: `document.readyState === "complete" && !!document.querySelector('#unsubscribed')`},
		{name: "track-unknown", who: "citizen", path: "/t/nosuchticket?token=nosuchtoken", ready: `[...document.querySelectorAll('[role=alert], .error, #error')].some(x => !x.hidden && x.textContent.trim() !== "")`},
		{name: "book", who: "citizen", path: "/o/hcm-q1/book", ready: `document.querySelectorAll('#slots button').length > 0`, shotAt: 390},
		{name: "booking", who: "citizen", path: bk.Booking.ManageURL, ready: `document.querySelector('#code') && document.querySelector('#code').textContent.trim().length === 6` + notifyReady, shotAt: 390},
		{name: "cancel", who: "citizen", path: "/cancel", ready: `document.readyState === "complete"`, shotAt: 390},
		{name: "clerk-login", who: "citizen", staff: true, path: "/clerk/login", ready: `!!document.getElementById("staff")`, shotAt: 1366},
		{name: "admin-login", who: "citizen", staff: true, path: "/admin/login", ready: `!!document.getElementById("staff")`},
		{name: "wrong-pin", who: "citizen", staff: true, go_: func(ctx context.Context, lang string) error {
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/clerk/login?lang="+lang),
				chromedp.WaitVisible(`#staff`),
				chromedp.SetValue(`#counter`, "q1"),
				chromedp.SendKeys(`#staff`, "nv1"),
				chromedp.SendKeys(`#pin`, "9876"),
				chromedp.Click(`#login-button`))
		}, ready: `!document.getElementById("login-error").hidden && document.getElementById("login-error").textContent.trim() !== ""`},
		{name: "board", who: "citizen", staff: true, path: "/board/hcm-q1", ready: `document.readyState === "complete"`, shotAt: 1366},
		{name: "error-page", who: "citizen", staff: true, path: "/board/nosuchoffice", ready: `!!document.getElementById("page-error")`},
		{name: "clerk", who: "clerk", staff: true, path: "/clerk", ready: `!!document.getElementById("console") && document.getElementById("conn").classList.contains("ok")`, shotAt: 1366},
		{name: "clerk-unknown-ticket", who: "clerk", staff: true, go_: func(ctx context.Context, lang string) error {
			e.call("POST", "/api/v1/counters/q1/open", bearer(adm), nil, 200, nil)
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/clerk?lang="+lang),
				chromedp.WaitVisible(`#call-number`),
				chromedp.SendKeys(`#call-number`, "Z999"),
				chromedp.Click(`#btn-call`))
		}, ready: `!document.getElementById("action-error").hidden && document.getElementById("action-error").textContent.trim() !== ""`},
		{name: "admin", who: "admin", staff: true, path: "/admin", ready: `!!document.getElementById("services")`, shotAt: 1366},
		{name: "reports", who: "admin", staff: true, path: "/admin/reports", ready: `document.readyState === "complete"`, shotAt: 1366},
		{name: "feedback-login", laptop: true, who: "citizen", staff: true, path: "/staff/login", ready: `!!document.getElementById("staff")`},
		{name: "feedback-inbox", laptop: true, who: "moderator", staff: true, path: "/staff/reports", ready: inboxReady + ` && !!document.querySelector('#reports tr[data-code="` + fbNew + `"]')`, shotAt: 1366},
		{name: "feedback-inbox-empty", laptop: true, who: "moderator", staff: true, path: "/staff/reports?status=refused", ready: inboxReady + ` && !document.getElementById("empty").hidden`},
		{name: "feedback-inbox-handler", laptop: true, who: "handler", staff: true, path: "/staff/reports", ready: inboxReady + ` && !!document.querySelector('#reports tr[data-code="` + fbAssigned + `"]') && !document.querySelector('#reports tr[data-code="` + fbNew + `"]')`},
		{name: "feedback-report", laptop: true, who: "moderator", staff: true, path: "/staff/reports/" + fbNew, ready: reportReady + ` && document.querySelectorAll("#r-photos img").length === 1 && (!window.L || document.getElementById("r-map").dataset.ready === "1")`, shotAt: 1366},
		{name: "feedback-report-handler", laptop: true, who: "handler", staff: true, path: "/staff/reports/" + fbAssigned, ready: reportReady + ` && !document.getElementById("form-answer").hidden && document.querySelectorAll("#template option").length === 2`, shotAt: 1366},
		{name: "feedback-report-refused", laptop: true, who: "handler", staff: true, path: "/staff/reports/" + fbNew, ready: `!document.getElementById("fb-error").hidden && document.getElementById("fb-error").textContent.trim() !== ""`},
		{name: "feedback-stats", laptop: true, who: "moderator", staff: true, path: "/staff/reports/stats", ready: `!!document.getElementById("figures") && document.querySelectorAll("svg").length >= 3`, shotAt: 1366},
		{name: "feedback-confirm", laptop: true, who: "moderator", staff: true, go_: func(ctx context.Context, lang string) error {
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/staff/reports/"+fbNew+"?lang="+lang)); err != nil {
				return err
			}
			if err := poll(ctx, reportReady); err != nil {
				return err
			}
			return chromedp.Do(ctx, chromedp.SendKeys(`#reason`, "Khong du thong tin"), chromedp.Click(`#act-refuse`))
		}, ready: `document.getElementById("confirm").open`},
	}

	pages = append(pages, paCrawlPages(t, e, adm)...)
	pages = append(pages, hsCrawlPages(t, e, adm)...)
	pages = append(pages, dossierStaffCrawlPages(t, e, adm)...)
	pages = append(pages, dossierReportsCrawlPages(t, e, adm)...)
	pages = append(pages, phoneCodeCrawlPages(t)...)

	// The crawl visits some 150 pages: its browsers' bound (a hang, not
	// slowness) is longer than a single test's.
	browser := func() context.Context { return browsertest.New(t, 20*time.Minute) }
	browsers := map[string]context.Context{"citizen": browser(), "clerk": browser(), "admin": browser(), "moderator": browser(), "handler": browser()}
	crawlLogin(t, browsers["clerk"], e, "/clerk/login", "nv1", "q1")
	crawlLogin(t, browsers["admin"], e, "/admin/login", "ql1", "")
	crawlLogin(t, browsers["moderator"], e, "/staff/login", "kd1", "")
	crawlLogin(t, browsers["handler"], e, "/staff/login", "xl1", "")

	var findings []string
	check := func(p crawlPage, lang string, vp [2]int64) {
		ctx := browsers[p.who]
		where := fmt.Sprintf("%s (%s, %d×%d)", p.name, lang, vp[0], vp[1])
		fail := func(format string, args ...any) { findings = append(findings, where+": "+fmt.Sprintf(format, args...)) }
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp[0], vp[1])); err != nil {
			t.Fatal(err)
		}
		var err error
		if p.go_ != nil {
			err = p.go_(ctx, lang)
		} else {
			path := p.path
			if p.staff {
				path += sep(path) + "lang=" + lang
			}
			err = chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+path))
		}
		if err == nil {
			err = poll(ctx, p.ready)
		}
		if err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 300) : ""`))
			fail("did not get ready (%s): %v; page: %q", p.ready, err, text)
			return
		}
		if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
			fail(`<html lang=%q>, want %q`, got, lang)
		}
		if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('link[rel~="icon"]')`)); !ok {
			fail("no <link rel=icon>")
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageText))
		if err != nil {
			t.Fatal(err)
		}
		if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
			fail("words of the other language: %q, in %q", words, contexts(text, words))
		}
		vs, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		for _, v := range browsertest.SeriousOnly(vs) {
			fail("axe: %s", v)
		}
		if p.shotAt == vp[0] && (lang == "vi" || p.name == "start" || p.name == "clerk") {
			shot(t, ctx, *screenshots, fmt.Sprintf("crawl-%s-%s-%dx%d.png", p.name, lang, vp[0], vp[1]))
		}
	}
	for _, lang := range []string{"vi", "en"} {
		// The citizen pages' language is the phone's choice.
		run(t, browsers["citizen"], chromedp.Navigate(e.srv.URL+"/cancel"),
			chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "`+lang+`")`))
		for _, p := range pages {
			for _, vp := range crawlViewports {
				if p.laptop && vp[0] != 1366 {
					continue
				}
				check(p, lang, vp)
			}
		}
	}
	// Last, the office after hours: the start page says it is closed.
	e.clock.Advance(10 * time.Hour)
	closed := crawlPage{name: "closed-office", who: "citizen", path: "/o/hcm-q1", ready: `document.querySelector('#closed') && !document.querySelector('#closed').hidden`, shotAt: 390}
	for _, lang := range []string{"vi", "en"} {
		// The choice is kept per site: set it on this server's (the last
		// page may be another's, phoneCodeCrawlPages).
		run(t, browsers["citizen"], chromedp.Navigate(e.srv.URL+"/cancel"),
			chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "`+lang+`")`))
		for _, vp := range crawlViewports {
			check(closed, lang, vp)
		}
	}
	if len(findings) > 0 {
		t.Errorf("%d findings on %d pages × 2 languages × 2 viewports:\n%s", len(findings), len(pages)+1, strings.Join(findings, "\n"))
	}
}

// trackToken is the token of a ticket's tracking link.
func trackToken(t *testing.T, link string) string {
	t.Helper()
	i := strings.Index(link, "?token=")
	if i < 0 {
		t.Fatalf("%q has no token", link)
	}
	return link[i+len("?token="):]
}

// pageText is what a person reads on the page: the title, the visible
// text, and the texts of labels, placeholders, alternatives and tooltips.
const pageText = `(() => {
	const parts = [document.title, document.body ? document.body.innerText : ""];
	for (const el of document.querySelectorAll("[aria-label],[placeholder],[alt],[title]")) {
		for (const a of ["aria-label", "placeholder", "alt", "title"]) {
			const v = el.getAttribute(a);
			if (v) parts.push(v);
		}
	}
	return parts.join("\n");
})()`

// poll waits, within step, until expr is true in the page (an exception
// counts as not yet, and a navigation restarts the wait).
func poll(ctx context.Context, expr string) error {
	deadline := time.Now().Add(step)
	guarded := "(() => { try { return !!(" + expr + "); } catch (e) { return false; } })()"
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](guarded, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil || !(strings.Contains(err.Error(), "navigated") || strings.Contains(err.Error(), "Cannot find context")) || time.Now().After(deadline) {
			return err
		}
	}
}

// contexts are the lines of text where words first appear, each once.
func contexts(text string, words []string) []string {
	var out []string
	for _, w := range words {
		for line := range strings.Lines(text) {
			line = strings.TrimSpace(line)
			if strings.Contains(line, w) {
				if len([]rune(line)) > 80 {
					line = string([]rune(line)[:80]) + "…"
				}
				if !slices.Contains(out, line) {
					out = append(out, line)
				}
				break
			}
		}
	}
	return out
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// crawlLogin logs a browser in through the login form.
func crawlLogin(t *testing.T, ctx context.Context, e *env, page, staff, counter string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(e.srv.URL+page), chromedp.WaitVisible(`#staff`))
	if counter != "" {
		run(t, ctx, chromedp.SetValue(`#counter`, counter))
	}
	run(t, ctx, chromedp.SendKeys(`#staff`, staff), chromedp.SendKeys(`#pin`, "1234"), chromedp.Click(`#login-button`))
	if err := poll(ctx, `!location.pathname.endsWith("/login")`); err != nil {
		t.Fatalf("log %s in: %v", staff, err)
	}
}
