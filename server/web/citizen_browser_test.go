package web

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

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
	return newStack(t, stack{
		office: queue.Office{
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
		},
		staff: clerks(1),
		kiosk: queue.Device{ID: "k1", Name: "k1"},
	})
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
	run(t, ctx, chromedp.Navigate(href))
	// No counter is open yet: a place in line, no time.
	waitJS(t, ctx, "two ahead", `document.querySelector('#ahead').textContent === "2" && !document.querySelector('#eta-at').textContent.includes(":")`)
	waitJS(t, ctx, "live", `!document.querySelector('#live').classList.contains('polling')`)
	waitJS(t, ctx, "counters", `document.querySelectorAll('#counters li').length === 1`)

	auth := bearer(e.clerk())
	waitJS(t, ctx, "a time once a counter opens", `document.querySelector('#eta-at').textContent.includes(":")`)
	e.call("POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	waitJS(t, ctx, "one ahead after a call", `document.querySelector('#ahead').textContent === "1" && document.querySelector('#counters li b').textContent === "B001"`)
	e.clock.Advance(4 * time.Minute)
	e.call("POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	waitJS(t, ctx, "nobody ahead", `document.querySelector('#ahead').textContent === "0"`)
	shot(t, ctx, *updateTracking, "tracking.png")
	e.clock.Advance(5 * time.Minute)
	e.call("POST", "/api/v1/counters/q2/next", auth, nil, 200, nil)
	waitJS(t, ctx, "called", `!document.querySelector('#called').hidden && document.querySelector('#called').textContent === "Mời bạn đến quầy 2"`)
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
	first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#slots button').dataset.slot`))
	run(t, ctx,
		chromedp.Click(`#slots button`),
		chromedp.SendKeys(`#name`, "Trần Văn Bình"),
		chromedp.SendKeys(`#phone`, "0987654321"),
		chromedp.Click(`#submit`),
	)
	waitJS(t, ctx, "confirmation", `location.pathname.startsWith("/b/") && document.querySelector('#code').textContent.length === 6`)
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
	waitJS(t, ctx, "cancel form", `!document.querySelector('#form').hidden && document.querySelector('#code').textContent === "`+code+`"`)
	run(t, ctx, chromedp.Click(`#submit`))
	waitJS(t, ctx, "cancelled", `!document.querySelector('#ok').hidden`)
	if b, _ := e.db.Booking(context.Background(), code); b.Status != queue.BookingCancelled {
		t.Fatalf("booking not cancelled: %+v", b)
	}
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
