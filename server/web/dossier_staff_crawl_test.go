package web

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"luot/server/api"
)

// dossierStaffCrawlPages are the staff's dossier pages for the crawl of
// TestBrowserEveryPageBothLanguages, on the crawl's office with the
// dossiers of hsDossiers: the console serving a citizen with "Tiếp nhận
// hồ sơ" open (its checklist) and after a receipt (the code, "In lại",
// "Mở giấy A5"); the administrator's list, a dossier waiting for papers
// with its actions and history, the A5 receipt, a code that does not
// exist; the handler's empty list (their unit processes no dossiers).
// The clerk nv1 serves at counter q1 (opened); the administrator (token
// adm) acts for the departments. Names and notes are data written without
// marks.
func dossierStaffCrawlPages(t *testing.T, e *env, adm string) []crawlPage {
	t.Helper()
	clerk := e.login("nv1", "q1")
	e.call("POST", "/api/v1/counters/q1/open", bearer(clerk), nil, 200, nil)
	serve := func() {
		n := e.issue("xay-dung")
		e.call("POST", "/api/v1/counters/q1/call", bearer(clerk), map[string]string{"number": n}, 200, nil)
		e.call("POST", "/api/v1/counters/q1/start", bearer(clerk), nil, 200, nil)
	}
	serve()
	var rec api.ReceivedDossierJSON
	e.call("POST", "/api/v1/counters/q1/dossiers", bearer(clerk), map[string]any{"procedure": "XD-01",
		"applicant": map[string]string{"name": "Dang Van Khoa", "phone": "0912000041", "id_number": "079123456789", "address": "12 Nguyen Hue"},
		"papers":    []string{"don"}, "extra": []string{"Ban sao CCCD"}}, 201, &rec)
	code := rec.Dossier.Code
	link, err := url.Parse(rec.Link)
	if err != nil || link.Query().Get("k") == "" {
		t.Fatalf("the receipt's link %q: %v", rec.Link, err)
	}
	e.dossierAct(adm, code, "supplement", map[string]any{"what": "Ban ve hien trang nha", "by": e.clock.Now().AddDate(0, 0, 5).Format("2006-01-02")})
	e.dossierAct(adm, code, "note", map[string]any{"note": "Da goi dien cho cong dan"})
	// The citizen after them: the console serves, the card is ready.
	e.call("POST", "/api/v1/counters/q1/done", bearer(clerk), nil, 200, nil)
	serve()
	card := `document.getElementById("conn").classList.contains("ok") && !document.getElementById("dzc").hidden && (document.getElementById("dzc").dataset.looked || "") !== ""`
	console := func(ctx context.Context, lang string) error {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/clerk?lang="+lang)); err != nil {
			return err
		}
		return poll(ctx, card)
	}
	// fill opens the form and fills it in, each step once the page has
	// drawn the last.
	fill := func(ctx context.Context, name string) error {
		if err := chromedp.Do(ctx, chromedp.Click(`#dzc-open`)); err != nil {
			return err
		}
		if err := poll(ctx, `!document.getElementById("dzc-form").hidden && document.querySelectorAll("#dzc-papers li").length === 1`); err != nil {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(`#dzc-name`, name), chromedp.Click(`#dzc-papers li:first-child input`)); err != nil {
			return err
		}
		return poll(ctx, `!document.getElementById("dzc-receive").disabled`)
	}
	received := 0
	return []crawlPage{
		{name: "clerk-dossier-form", who: "clerk", staff: true, go_: func(ctx context.Context, lang string) error {
			if err := console(ctx, lang); err != nil {
				return err
			}
			return fill(ctx, "Ngo Van Tam")
		}, ready: `!document.getElementById("dzc-form").hidden && document.querySelectorAll("#dzc-papers li").length === 1 && document.getElementById("dzc-missing").textContent === ""`, shotAt: 1366},
		{name: "clerk-dossier-received", who: "clerk", staff: true, go_: func(ctx context.Context, lang string) error {
			// Each visit receives the dossier of a new citizen.
			if received++; received > 1 {
				e.call("POST", "/api/v1/counters/q1/done", bearer(clerk), nil, 200, nil)
				serve()
			}
			if err := console(ctx, lang); err != nil {
				return err
			}
			if err := fill(ctx, "Ngo Thi Lan"); err != nil {
				return err
			}
			return chromedp.Do(ctx, chromedp.Click(`#dzc-receive`))
		}, ready: `!!document.getElementById("dzc").dataset.created && !document.getElementById("dzc-view").hidden && !document.getElementById("dzc-notice").hidden`},
		{name: "dossier-list", who: "admin", staff: true, path: "/staff/dossiers", ready: `document.querySelectorAll("#dossiers tbody tr").length >= 1`, shotAt: 1366},
		{name: "dossier-list-handler", who: "handler", staff: true, path: "/staff/dossiers", ready: `!!document.getElementById("empty")`},
		{name: "dossier", who: "admin", staff: true, path: "/staff/dossiers/" + code, ready: `document.getElementById("dz").dataset.ready === "1" && document.querySelectorAll("#history tbody tr").length >= 3`, shotAt: 1366},
		{name: "dossier-refused-action", who: "admin", staff: true, go_: func(ctx context.Context, lang string) error {
			// A stale page: its action is refused, nothing changes.
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/staff/dossiers/"+code+"?lang="+lang)); err != nil {
				return err
			}
			if err := poll(ctx, `document.getElementById("dz").dataset.ready === "1"`); err != nil {
				return err
			}
			return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("dz").dataset.version = "1"`),
				chromedp.SendKeys(`#note-note`, "Ghi chu cu"), chromedp.Click(`#act-note`))
		}, ready: `!document.getElementById("dz-error").hidden && document.getElementById("dz-error").textContent.trim() !== ""`},
		{name: "dossier-receipt", who: "admin", staff: true, path: "/staff/dossiers/" + code + "/receipt?k=" + url.QueryEscape(link.Query().Get("k")), ready: `document.getElementById("receipt").dataset.token === "1"`, shotAt: 1366},
		{name: "dossier-unknown", who: "admin", staff: true, path: "/staff/dossiers/TP-010101-9999", ready: `!!document.getElementById("page-error")`},
	}
}
