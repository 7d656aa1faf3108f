package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// hsCrawlPages are the applicant's dossier pages for the crawl of
// TestBrowserEveryPageBothLanguages, on the crawl's office with the
// dossiers of hsDossiers: the form, the form sent incomplete, a dossier
// waiting for papers, one returned (the rating form), one completed (on
// the board's panel too) and a link that does not open any. Staff's
// texts, like people's names, are data written without marks. The
// clerk nv1 receives them at counter q1 (opened, then left free); the
// administrator (token adm) acts for the departments.
func hsCrawlPages(t *testing.T, e *env, adm string) []crawlPage {
	t.Helper()
	clerk := e.login("nv1", "q1")
	e.call("POST", "/api/v1/counters/q1/open", bearer(clerk), nil, 200, nil)
	sup, supLink := e.receive(clerk, "q1", "xay-dung", "XD-01", "Tran Van Binh", "0912000021")
	e.dossierAct(adm, sup, "supplement", map[string]any{"what": "Ban sao so do nha", "by": e.clock.Now().Add(72 * time.Hour).Format(time.RFC3339)})
	ret, retLink := e.receive(clerk, "q1", "ho-tich", "HT-01", "Le Thi Hoa", "0912000022")
	e.dossierAct(adm, ret, "complete", map[string]any{"result": "Giay khai sinh ban chinh"})
	e.dossierAct(adm, ret, "return", nil)
	done, _ := e.receive(clerk, "q1", "ho-tich", "HT-01", "Pham Van Nam", "0912000023")
	e.dossierAct(adm, done, "complete", map[string]any{"result": "Giay khai sinh ban chinh"})
	formReady := `!document.querySelector('#lookup').hidden`
	return []crawlPage{
		{name: "hs-form", who: "citizen", path: "/hs", ready: formReady, shotAt: 390},
		{name: "hs-form-incomplete", who: "citizen", go_: func(ctx context.Context, lang string) error {
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/hs"), chromedp.WaitVisible(`#find`), chromedp.Click(`#find`))
		}, ready: `!document.querySelector('#form-error').hidden && document.querySelector('#form-error').textContent.trim() !== ""`},
		{name: "hs-supplement", who: "citizen", path: supLink, ready: `document.querySelector('#d-code').textContent === "` + sup + `" && !document.querySelector('#supplement').hidden && document.querySelectorAll('#timeline li').length >= 3` +
			` && (!document.querySelector('#notify') || document.querySelector('#notify').dataset.ready === "true")`, shotAt: 390},
		{name: "hs-returned", who: "citizen", path: retLink, ready: `document.querySelector('#d-code').textContent === "` + ret + `" && !document.querySelector('#rating').hidden`, shotAt: 390},
		{name: "hs-unknown", who: "citizen", path: "/hs/TP-261127-9999?k=AAAAAAAAAAAAAAAAAAAAAA", ready: `!document.querySelector('#error').hidden && document.querySelector('#error').textContent.trim() !== "" && !document.querySelector('#lookup').hidden`},
		{name: "board-ready", who: "citizen", staff: true, path: "/board/" + e.officeID, ready: `document.querySelector('#ready li .code') && document.querySelector('#ready li .code').textContent === "` + done + `"`, shotAt: 1366},
	}
}
