package web

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"luot/server/api"
	"luot/server/queue"
)

// updateTracking makes TestBrowserCitizen save the 390×844 screenshots of
// the tracking page: go test ./server/web -run BrowserCitizen -update-tracking-screenshot
var updateTracking = flag.Bool("update-tracking-screenshot", false, "save docs/screenshots/tracking*.png")

// newCitEnv is one office "hcm-q1" open around the clock, with slots for
// construction permits, a kiosk and a clerk nv1.
func newCitEnv(t *testing.T) *env {
	t.Helper()
	return newCitEnvWith(t, citOffice())
}

// newCitEnvWith is newCitEnv with office o (citOffice changed).
func newCitEnvWith(t *testing.T, o queue.Office) *env {
	t.Helper()
	return newStack(t, stack{office: o, staff: clerks(1), kiosk: queue.Device{ID: "k1", Name: "k1"}})
}

// citOffice is the office of newCitEnv.
func citOffice() queue.Office {
	return queue.Office{
		ID: "hcm-q1", Name: "Bộ phận Một cửa Quận 1", NameEN: "District 1 One-Stop Shop",
		Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{
			{ID: "xay-dung", Name: "Cấp phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 10, SlotMinutes: 30, SlotCapacity: 2, Active: true},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "B", DefaultMinutes: 5, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "xay-dung", OffsetMinutes: 10}}},
		},
	}
}

// clerk logs nv1 in at counter q2, opens it and returns the session's
// token, for the API's Bearer calls.
func (e *env) clerk() string {
	e.t.Helper()
	tok := e.login("nv1", "q2")
	e.call("POST", "/api/v1/counters/q2/open", bearer(tok), nil, 200, nil)
	return tok
}

// TestBrowserCitizenTrack: take a number on the phone page, watch the
// tracking page follow the clerk's calls live until "Mời bạn đến quầy 2",
// then rate the service.
func TestBrowserCitizenTrack(t *testing.T) {
	e := newCitEnv(t)
	for range 2 {
		e.issue("ho-tich")
	}
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(e.srv.URL+"/"))
	waitJS(t, ctx, "service list", `!!document.querySelector('[data-service="ho-tich"]')`)
	// This office follows no dossiers (its catalogue is not found): their
	// look-up is not offered.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.catalogue = 0; fetch("/api/v1/offices/hcm-q1/dossier-catalogue").then((r) => { window.catalogue = r.status; })`))
	waitJS(t, ctx, "no dossier look-up", `window.catalogue === 404 && document.querySelector('#hs-card').hidden`)
	run(t, ctx,
		chromedp.Click(`[data-service="ho-tich"]`),
		chromedp.SendKeys(`#name`, "Nguyễn Thị Ánh"),
		chromedp.SendKeys(`#phone`, "0912 345 678"),
		chromedp.Click(`#take`),
	)
	waitJS(t, ctx, "number given", `document.querySelector('#number').textContent === "B003"`)
	waitJS(t, ctx, "QR shown", `document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0`)
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#track').href`))
	if err != nil || !strings.Contains(href, "/t/") || !strings.Contains(href, "token=") {
		t.Fatalf("tracking link %q %v", href, err)
	}
	// The number is kept on this phone, under "Số của bạn hôm nay".
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/o/hcm-q1"))
	waitJS(t, ctx, "today's numbers", `!document.querySelector('#mine').hidden && document.querySelector('#mine a').textContent.startsWith("B003") && document.querySelector('#mine a').href === "`+href+`"`)
	// Taking a number again for the same service leads to it.
	run(t, ctx,
		chromedp.Click(`[data-service="ho-tich"]`),
		chromedp.SendKeys(`#name`, "Nguyễn Thị Ánh"),
		chromedp.SendKeys(`#phone`, "0912345678"),
		chromedp.Click(`#take`),
	)
	waitJS(t, ctx, "duplicate leads to today's number", `!document.querySelector('#dup').hidden && document.querySelector('#dup-link').getAttribute('href') === "#mine" && document.querySelector('#error').textContent.length > 10`)

	run(t, ctx, chromedp.Navigate(href))
	// No counter is open: the page says so and promises no wait.
	waitJS(t, ctx, "two ahead, no counter open", `document.querySelector('#ahead').textContent === "2" && document.querySelector('#eta').textContent.startsWith("Chưa có quầy mở") && !/phút/.test(document.querySelector('#eta').textContent) && !document.querySelector('#eta-at').textContent.includes(":")`)
	waitJS(t, ctx, "live", `!document.querySelector('#live').classList.contains('polling')`)
	waitJS(t, ctx, "counters", `document.querySelectorAll('#counters li').length === 1 && document.querySelector('#counters li b').textContent === "đóng"`)
	// Keep the page open; the button unlocks the sound.
	waitJS(t, ctx, "keep-open notice", `!document.querySelector('#keep-open').hidden && document.querySelector('#keep-open').textContent.includes("iPhone không rung")`)
	run(t, ctx, chromedp.Click(`#sound`))
	waitJS(t, ctx, "sound on", `document.querySelector('#sound').getAttribute('aria-pressed') === "true" && document.querySelector('#sound').textContent === "Đã bật âm thanh ✓"`)
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "English, no counter open", `document.querySelector('#eta').textContent.startsWith("No counter is open yet") && document.querySelector('#sound').textContent === "Sound is on ✓" && document.querySelector('#keep-open').textContent.includes("iPhones do not vibrate") && document.querySelector('#counters li b').textContent === "closed" && document.querySelector('#office').textContent === "District 1 One-Stop Shop" && document.querySelector('#service').textContent === "Civil status"`)
	run(t, ctx, chromedp.Click(`#lang`))
	// A spy on the phone's vibration, to see the call make it vibrate.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`navigator.vibrate = (p) => { window.vibrated = p; return true; }`))

	auth := bearer(e.clerk())
	waitJS(t, ctx, "an estimate once a counter is open", `document.querySelector('#eta-at').textContent.includes(":") && !document.querySelector('#eta').textContent.startsWith("Chưa")`)
	e.call("POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	waitJS(t, ctx, "one ahead after a call", `document.querySelector('#ahead').textContent === "1" && document.querySelector('#counters li b').textContent === "B001"`)
	e.clock.Advance(4 * time.Minute)
	e.call("POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	waitJS(t, ctx, "nobody ahead", `document.querySelector('#ahead').textContent === "0"`)
	shot(t, ctx, *updateTracking, "tracking.png")
	e.clock.Advance(5 * time.Minute)
	e.call("POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	waitJS(t, ctx, "called", `!document.querySelector('#called').hidden && document.querySelector('#called').textContent === "Mời bạn đến quầy 2"`)
	waitJS(t, ctx, "vibrated", `Array.isArray(window.vibrated) && window.vibrated.length === 5`)
	shot(t, ctx, *updateTracking, "tracking-called.png")
	// The English switch.
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "English", `document.querySelector('#called').textContent === "Please go to counter 2"`)
	run(t, ctx, chromedp.Click(`#lang`))

	e.clock.Advance(6 * time.Minute)
	e.call("POST", "/api/v1/counters/q2/done", auth, nil, 200, nil)
	waitJS(t, ctx, "rating form", `!document.querySelector('#rating').hidden`)
	run(t, ctx,
		chromedp.Click(`input[name="score"][value="4"]`),
		chromedp.SendKeys(`#comment`, "Cán bộ nhiệt tình"),
		chromedp.Click(`#rate`),
	)
	waitJS(t, ctx, "thanks", `!document.querySelector('#thanks').hidden`)
	id := strings.TrimPrefix(strings.Split(href, "?")[0], e.srv.URL+"/t/")
	r, err := e.db.RatingOf(context.Background(), id)
	if err != nil || r == nil || r.Score != 4 || r.Comment != "Cán bộ nhiệt tình" || r.Counter != "q2" || r.Staff != "nv1" {
		t.Fatalf("stored rating %+v %v", r, err)
	}
}

// TestBrowserCitizenBooking: book on the page, see the code and QR, cancel
// it on the cancel page; then book and check in through the API and follow
// the ticket.
func TestBrowserCitizenBooking(t *testing.T) {
	e := newCitEnv(t)
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/o/hcm-q1/book"))
	waitJS(t, ctx, "slots", `document.querySelectorAll('#slots button').length > 0 && document.querySelectorAll('#service option').length === 1`)
	// Every date's slots came in one request, after the office's.
	apiCalls := `performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/v1/')).map((r) => new URL(r.name).pathname)`
	if calls, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](apiCalls)); err != nil || len(calls) != 2 || calls[1] != "/api/v1/offices/hcm-q1/booking-slots" {
		t.Fatalf("the booking page asked %v %v", calls, err)
	}
	waitJS(t, ctx, "dates in Vietnamese", `document.querySelector('#date option').textContent === "T6 27/11" && document.querySelectorAll('#date option').length > 5`)
	// Another date shows its slots without asking the server.
	run(t, ctx, chromedp.SetValue(`#date`, "2026-11-28"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#date').dispatchEvent(new Event('change'))`))
	waitJS(t, ctx, "the next day's slots", `document.querySelector('#slots button').dataset.slot === "00:00"`)
	if calls, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](apiCalls)); len(calls) != 2 {
		t.Fatalf("changing the date asked the server: %v", calls)
	}
	// In English, the office, the service and the dates are English.
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "English booking page", `document.querySelector('#office').textContent === "District 1 One-Stop Shop" && document.querySelector('#service option').textContent === "Construction permits" && document.querySelector('#date option').textContent === "Fri 27 Nov"`)
	run(t, ctx, chromedp.Click(`#lang`))
	run(t, ctx, chromedp.SetValue(`#date`, "2026-11-27"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#date').dispatchEvent(new Event('change'))`))
	waitJS(t, ctx, "back on the first day", `document.querySelector('#slots button').dataset.slot === "08:30"`)
	first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#slots button').dataset.slot`))
	run(t, ctx,
		chromedp.Click(`#slots button`),
		chromedp.SendKeys(`#name`, "Trần Văn Bình"),
		chromedp.SendKeys(`#phone`, "0987654321"),
		chromedp.Click(`#submit`),
	)
	waitJS(t, ctx, "confirmation", `location.pathname.startsWith("/b/") && document.querySelector('#code').textContent.length === 6 && document.querySelector('#heading').textContent === "Bạn đã đặt lịch thành công"`)
	waitJS(t, ctx, "local date", `document.querySelector('#when').textContent === "08:30, Thứ Sáu, 27/11/2026"`)
	// Printed, the confirmation names the office (the page's bar is not
	// printed).
	run(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	waitJS(t, ctx, "office on print", `getComputedStyle(document.querySelector('.bar')).display === "none" && document.querySelector('#office-line').offsetHeight > 0 && document.querySelector('#office-line').textContent === "Cơ quan: Bộ phận Một cửa Quận 1" && document.querySelector('#qr').offsetHeight > 0`)
	run(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	}))
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "English confirmation", `document.querySelector('#heading').textContent === "Your appointment is booked" && document.querySelector('#office-line').textContent === "Office: District 1 One-Stop Shop" && document.querySelector('#service').textContent === "Construction permits" && document.querySelector('#when').textContent === "08:30, Friday 27 November 2026"`)
	run(t, ctx, chromedp.Click(`#lang`))
	code, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#code').textContent`))
	waitJS(t, ctx, "QR", `document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0`)
	when, _ := chromedp.Run(ctx, chromedp.Text(`#when`))
	if !strings.HasPrefix(when, first) {
		t.Fatalf("confirmation says %q, booked %s", when, first)
	}
	b, err := e.db.Booking(context.Background(), code)
	if err != nil || b.Status != queue.BookingBooked || b.Phone != "+84987654321" || b.Name != "Trần Văn Bình" {
		t.Fatalf("stored booking %+v %v", b, err)
	}

	// The confirmation page is the manage link: it carries the token,
	// which the QR needs.
	page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if !strings.Contains(page, "token=") {
		t.Fatalf("the confirmation page %q has no token", page)
	}
	e.call("GET", "/qr/b/"+code+".png", nil, nil, 404, nil)
	e.call("GET", "/qr/b/"+code+".png?token=wrong", nil, nil, 404, nil)

	// The cancel page alone, with the code and the phone, cancels
	// nothing: it says to open the link, and lists this phone's bookings.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/cancel"))
	waitJS(t, ctx, "how to cancel", `!document.querySelector('#need-link').hidden && document.querySelector('#form').hidden && !document.querySelector('#phone')`)
	waitJS(t, ctx, "this phone's bookings", `!document.querySelector('#mine').hidden && document.querySelector('#mine a').textContent.startsWith("`+code+`")`)
	run(t, ctx, chromedp.Click(`#mine a`))
	waitJS(t, ctx, "back on the confirmation", `location.pathname === "/b/`+code+`" && document.querySelector('#qr').naturalWidth > 0`)
	run(t, ctx, chromedp.Click(`#cancel`))
	waitJS(t, ctx, "cancel form, filled in", `!document.querySelector('#form').hidden && document.querySelector('#code').textContent === "`+code+`" && document.querySelector('#code-field').value === "`+code+`" && document.querySelector('#details').textContent === "Cấp phép xây dựng · 08:30, Thứ Sáu, 27/11/2026"`)
	run(t, ctx, chromedp.Click(`#submit`))
	waitJS(t, ctx, "cancelled", `!document.querySelector('#ok').hidden && document.querySelector('#ok-text').textContent === "Đã hủy lịch hẹn `+code+` (08:30, Thứ Sáu, 27/11/2026)." && document.querySelector('#back').getAttribute('href') === "/o/hcm-q1/book"`)
	if b, _ := e.db.Booking(context.Background(), code); b.Status != queue.BookingCancelled {
		t.Fatalf("booking not cancelled: %+v", b)
	}
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "cancelled, in English", `document.querySelector('#ok-text').textContent === "Appointment `+code+` (08:30, Friday 27 November 2026) is cancelled." && document.querySelector('#back').textContent === "Book another appointment"`)
	run(t, ctx, chromedp.Click(`#lang`))
	// The confirmation link, opened again, no longer says "booked".
	run(t, ctx, chromedp.Navigate(e.srv.URL+page))
	waitJS(t, ctx, "cancelled confirmation", `document.querySelector('#heading').textContent === "Lịch hẹn này đã bị hủy" && document.querySelector('#qr').hidden && document.querySelector('#live-info').hidden && !document.body.innerText.includes("thành công") && !document.querySelector('#book-again').hidden`)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/o/hcm-q1/book"))
	waitJS(t, ctx, "slots again", `document.querySelectorAll('#slots button').length > 0`)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#mine a').length`)); n != 0 {
		t.Fatalf("the cancelled booking is still listed (%d)", n)
	}

	// Book and check in through the API, then follow the ticket.
	var bk struct{ Booking api.BookingJSON }
	e.call("POST", "/api/v1/offices/hcm-q1/bookings", nil, map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "08:30", "name": "Lê C", "phone": "0911111111"}, 201, &bk)
	var tk struct{ Ticket api.TicketJSON }
	e.call("POST", "/api/v1/offices/hcm-q1/checkins", map[string]string{"X-Device-Key": kioskKey}, map[string]string{"code": bk.Booking.Code}, 201, &tk)
	if tk.Ticket.Source != queue.SourceBooking {
		t.Fatalf("check-in ticket %+v", tk.Ticket)
	}
	run(t, ctx, chromedp.Navigate(e.srv.URL+tk.Ticket.TrackURL))
	waitJS(t, ctx, "tracking the booked ticket", `document.querySelector('#number').textContent === "`+tk.Ticket.Number+`" && document.querySelector('#ahead').textContent === "0"`)
}

// TestBrowserCitizenClosedEnglish: on a phone in English while the office
// is closed (it opens on Saturdays only; the clock is on a Friday), the
// start page puts booking first and shows the opening hours, says what to
// do without the link (no SMS offer: the office cannot send one), and the
// error states show the server's message in English.
func TestBrowserCitizenClosedEnglish(t *testing.T) {
	o := citOffice()
	o.Hours = queue.WeekHours{"sat": {{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}}}
	e := newCitEnvWith(t, o)
	ctx := newBrowser(t)
	// This phone kept a number of today, one of an earlier day and one
	// whose link leads off the site: only today's is listed, in English,
	// and the others are dropped from the phone.
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/o/hcm-q1"),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "en"); localStorage.setItem("luot-mine-numbers", JSON.stringify([
			{id: "t1", url: "/t/t1?token=a", day: Luot.today(), number: "B007", name: "Hộ tịch", name_en: "Civil status"},
			{id: "t0", url: "/t/t0?token=b", day: "2000-01-01", number: "B001", name: "Hộ tịch"},
			{id: "t2", url: "//evil.example/t", day: Luot.today(), number: "B002", name: "Hộ tịch"}]))`), chromedp.Reload())
	waitJS(t, ctx, "today's number", `!document.querySelector('#mine').hidden && document.querySelector('#mine h2').textContent === "Your number today"
		&& [...document.querySelectorAll('#mine a')].map((a) => a.textContent + " " + a.getAttribute('href')).join() === "B007 · Civil status /t/t1?token=a"
		&& JSON.parse(localStorage.getItem("luot-mine-numbers")).length === 1`)
	waitJS(t, ctx, "closed, booking first", `!document.querySelector('#closed').hidden && document.querySelector('#closed h2').textContent === "The office is closed now"
		&& [...document.querySelectorAll('main > section:not([hidden])')].filter((x) => !x.id.startsWith("mine"))[0] === document.querySelector('#closed')
		&& document.querySelector('#closed a.primary').getAttribute('href') === "/o/hcm-q1/book" && document.querySelector('#book-card').hidden
		&& document.querySelector('#services button').disabled`)
	hours, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#hours li')].map((li) => li.textContent)`))
	if want := []string{"Monday – Friday: closed", "Saturday: 07:30–11:30, 13:30–17:00", "Sunday: closed"}; err != nil || strings.Join(hours, "|") != strings.Join(want, "|") {
		t.Fatalf("opening hours %q %v, want %q", hours, err, want)
	}
	waitJS(t, ctx, "lost link help, no SMS", `!document.querySelector('#lost').hidden && document.querySelector('#lost').innerText.includes("reception desk") && document.querySelector('#sms').hidden
		&& document.querySelector('#office').textContent === "District 1 One-Stop Shop" && document.documentElement.lang === "en"`)
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	for _, vi := range []string{"Bộ phận", "Đặt lịch", "Giờ làm việc", "Thứ", "nghỉ", "Cấp phép", "Hộ tịch", "Số của bạn"} {
		if strings.Contains(text, vi) {
			t.Fatalf("the English page says %q:\n%s", vi, text)
		}
	}

	// A confirmation link with a wrong token: the server's message in
	// English, and no "booked".
	var bk struct{ Booking api.BookingJSON }
	e.call("POST", "/api/v1/offices/hcm-q1/bookings", nil, map[string]string{"service": "xay-dung", "date": "2026-11-28", "slot": "08:30", "name": "Lê C", "phone": "0911111111"}, 201, &bk)
	var want struct{ Error struct{ Message string } }
	e.call("GET", "/api/v1/bookings/"+bk.Booking.Code+"?token=wrong", map[string]string{"Accept-Language": "en"}, nil, 404, &want)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/b/"+bk.Booking.Code+"?token=wrong"))
	waitJS(t, ctx, "wrong link", `!document.querySelector('#error').hidden && document.querySelector('#heading').textContent === "This appointment cannot be shown" && document.querySelector('#qr').hidden && document.querySelector('#live-info').hidden`)
	msg, _ := chromedp.Run(ctx, chromedp.Text(`#error`))
	if m := want.Error.Message; m == "" || !strings.EqualFold(msg, m) || msg[:1] != strings.ToUpper(m[:1]) || strings.Contains(msg, "unknown_booking") {
		t.Fatalf("the page says %q; the API says %q", msg, m)
	}
	// The booking page sends the page's language with its requests.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/o/hcm-q1/book"))
	waitJS(t, ctx, "English booking page", `document.querySelectorAll('#slots button').length > 0 && document.querySelector('#office').textContent === "District 1 One-Stop Shop"`)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const f = window.fetch; window.sentLang = []; window.fetch = (u, o) => { window.sentLang.push(o.headers["Accept-Language"]); return f(u, o); }; })()`),
		chromedp.Click(`#slots button`), chromedp.SendKeys(`#name`, "Le C"), chromedp.SendKeys(`#phone`, "0911111111"), chromedp.Click(`#submit`))
	waitJS(t, ctx, "already booked: the server's message, asked in English", `!document.querySelector('#error').hidden && window.sentLang.join() === "en" && !document.querySelector('#error').textContent.includes("already_booked")`)
}

// TestBrowserCitizenTrackOtherCounterOpen: a counter of another service is
// open, none of the ticket's: the page says no counter is open, not
// "unknown" and never a time.
func TestBrowserCitizenTrackOtherCounterOpen(t *testing.T) {
	e := newStack(t, stack{office: citOffice(), staff: clerks(2), kiosk: queue.Device{ID: "k1", Name: "k1"}})
	e.openCounter(t, "nv2", "q1") // q1 serves xay-dung only
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(e.srv.URL+"/"))
	waitJS(t, ctx, "service list", `!!document.querySelector('[data-service="ho-tich"]')`)
	run(t, ctx,
		chromedp.Click(`[data-service="ho-tich"]`),
		chromedp.SendKeys(`#name`, "Trần Văn Bình"),
		chromedp.SendKeys(`#phone`, "0912 345 679"),
		chromedp.Click(`#take`),
	)
	waitJS(t, ctx, "number given", `document.querySelector('#number').textContent === "B001"`)
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#track').href`))
	if err != nil || !strings.Contains(href, "/t/") {
		t.Fatalf("tracking link %q %v", href, err)
	}
	run(t, ctx, chromedp.Navigate(href))
	waitJS(t, ctx, "no counter of the service open", `document.querySelector('#eta').textContent === "Chưa có quầy mở" && !document.querySelector('#eta-at').textContent.includes(":")`)
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "in English", `document.querySelector('#eta').textContent === "No counter is open yet"`)
}
