package web

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"luot/server/api"
)

// paCrawlPages are the citizen feedback pages for the crawl of
// TestBrowserEveryPageBothLanguages, on whatever feedback configuration
// the crawl's office has (its first categories and unit): the start
// page, the form, the form sent incomplete and sent, the public list and
// map, a resolved report with its reporter's link (the verdict), and a
// code that does not exist. It files a report with a photo, resolved by
// the administrator acting as moderator (token adm), and one anonymous;
// their texts, like people's names, are data written without marks.
func paCrawlPages(t *testing.T, e *env, adm string) []crawlPage {
	t.Helper()
	var cfg api.FeedbackConfigJSON
	e.call("GET", "/api/v1/offices/"+e.officeID+"/feedback", nil, nil, 200, &cfg)
	if len(cfg.Categories) == 0 || len(cfg.Units) == 0 {
		t.Fatalf("the crawl's office has no feedback categories or units: %+v", cfg)
	}
	first, last := cfg.Categories[0].ID, cfg.Categories[len(cfg.Categories)-1].ID
	var mine api.CreatedReportJSON
	e.paFileJSON(map[string]string{"category": first, "description": "Rac do dong o goc duong", "address": "So 12 Le Loi",
		"lat": "10.77700", "lon": "106.70095", "name": "Tran Van Tam", "phone": "0912000003"}, &mine, paPNG(t, 320, 240))
	e.paFile(map[string]string{"category": last, "description": "Quan ca phe chiem het via he", "lat": "10.77650", "lon": "106.70030", "anonymous": "1"})
	for _, step := range []struct {
		action string
		body   map[string]any
	}{{"accept", nil}, {"assign", map[string]any{"unit": cfg.Units[0].ID}}, {"answer", map[string]any{"text": "Da thu gom rac, phat nguoi do trom."}}, {"resolve", nil}} {
		e.call("POST", "/api/v1/feedback/reports/"+mine.Report.Code+"/"+step.action, bearer(adm), step.body, 200, nil)
	}
	tile := fmt.Sprintf(`[data-category=%q]`, last)
	sent := 0
	send := func(ctx context.Context, lang string) error {
		sent++
		return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/pa/new"),
			chromedp.WaitVisible(tile),
			chromedp.Click(tile),
			chromedp.SendKeys(`#address`, fmt.Sprintf("Hem %d Nguyen Hue", sent)),
			chromedp.SendKeys(`#description`, "Nha dang xay lan ra hem"),
			chromedp.Click(`#anonymous`),
			chromedp.Click(`#submit`))
	}
	tiles := fmt.Sprintf(`document.querySelectorAll('#categories [data-category]').length === %d`, len(cfg.Categories))
	return []crawlPage{
		{name: "pa-start", who: "citizen", path: "/pa", ready: `!!document.querySelector('#send')`, shotAt: 390},
		{name: "pa-new", who: "citizen", path: "/pa/new", ready: tiles, shotAt: 390},
		{name: "pa-new-incomplete", who: "citizen", go_: func(ctx context.Context, lang string) error {
			return chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/pa/new"), chromedp.WaitVisible(tile), chromedp.Click(`#submit`))
		}, ready: `!document.querySelector('#error').hidden && document.querySelector('#error').textContent.trim() !== ""`},
		{name: "pa-sent", who: "citizen", go_: send, ready: `!document.querySelector('#done').hidden && document.querySelector('#done-code').textContent.startsWith("PA-")`, shotAt: 390},
		{name: "pa-list", who: "citizen", path: "/pa/list", ready: `document.querySelectorAll('#reports li').length >= 2`, shotAt: 390},
		{name: "pa-map", who: "citizen", path: "/pa/list?view=map", ready: `!document.querySelector('#map-view').hidden && document.querySelectorAll('#map .pa-dot').length >= 2`},
		{name: "pa-report", who: "citizen", path: mine.ReportURL, ready: `document.querySelector('#code').textContent.startsWith("PA-") && !document.querySelector('#verdict').hidden && document.querySelectorAll('#timeline li').length >= 4` +
			` && (!document.querySelector('#notify') || document.querySelector('#notify').dataset.ready === "true")`, shotAt: 390},
		{name: "pa-report-unknown", who: "citizen", path: "/pa/PA-0001-99999", ready: `!document.querySelector('#error').hidden && document.querySelector('#error').textContent.trim() !== ""`},
	}
}
