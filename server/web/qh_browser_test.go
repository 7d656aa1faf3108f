package web

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
	"luot/server/api"
)

// qhScreens makes the planning page's browser test save its screenshots:
// go test ./server/web -run BrowserQH -qh-screenshots
var qhScreens = flag.Bool("qh-screenshots", false, "save docs/screenshots/qh-*.png")

// qhText is the page's text in its language: the plan's own words
// (marked lang="vi": zone names, decision numbers) and hidden parts left out.
const qhText = `(() => {
	const c = document.body.cloneNode(true);
	c.querySelectorAll('[lang="vi"], [hidden], script, style').forEach((e) => e.remove());
	const parts = [document.title];
	const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
	while (w.nextNode()) parts.push(w.currentNode.nodeValue);
	for (const el of document.querySelectorAll("[aria-label],[placeholder],[alt],[title]")) {
		for (const a of ["aria-label", "placeholder", "alt", "title"]) {
			const v = el.getAttribute(a);
			if (v) parts.push(v);
		}
	}
	return parts.join("\n");
})()`

// TestBrowserQH: on a phone (390×844), in both languages, the page says
// the plan is sample data, draws the zones without tiles, a tap on the
// map reads the rules of the zone there, and a parcel search by sheet and
// number finds the two zones the parcel straddles with their shares.
func TestBrowserQH(t *testing.T) {
	browsertest.NeedAxe(t)
	e := newQHStack(t, nil)
	ctx := newBrowser(t)
	for _, lang := range []string{"vi", "en"} {
		tr := func(vi, en string) string {
			if lang == "en" {
				return en
			}
			return vi
		}
		run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/qh"),
			chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "`+lang+`")`), chromedp.Reload())
		waitJS(t, ctx, "the sample label", `document.documentElement.lang === "`+lang+`" && !document.querySelector('#sample').hidden && document.querySelector('#sample').textContent.startsWith(`+jsString(tr("Dữ liệu mẫu", "Sample data"))+`)`)
		waitJS(t, ctx, "the zones drawn without tiles", `document.querySelectorAll('#map .leaflet-overlay-pane path').length >= 30 && !document.querySelector('#no-tiles').hidden && document.querySelector('#plan-name').textContent !== ""`)

		// A tap on the middle of the map: the culture house's zone.
		run(t, ctx, chromedp.ScrollIntoView("#map"))
		xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector('#map').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`))
		if err != nil || len(xy) != 2 {
			t.Fatalf("the map's place: %v %v", xy, err)
		}
		run(t, ctx, chromedp.MouseClickXY(xy[0], xy[1]))
		waitJS(t, ctx, "the tapped zone's rules", `(() => {
			const z = document.querySelectorAll('#point-result .zone');
			if (z.length !== 1) return false;
			const text = z[0].textContent;
			return z[0].querySelector('h3').textContent.startsWith("DVH — ") && text.includes(`+jsString(tr("Mật độ xây dựng tối đa", "Maximum building coverage"))+`) &&
				text.includes("40 %") && text.includes("15 m") && text.includes("01/2026/QĐ-MẪU") && text.includes("15/01/2026");
		})()`)
		browsertest.Axe(ctx) // warm up: the first run loads axe-core
		qhChecks(t, ctx, lang, "after a tap")

		// A parcel search: sheet 1, parcel 3 straddles two blocks.
		run(t, ctx, chromedp.SetValue("#sheet", "1"), chromedp.SetValue("#number", "3"), chromedp.Click("#parcel-search"))
		waitJS(t, ctx, "the parcel's zones and shares", `(() => {
			const z = document.querySelectorAll('#parcel-result .zone');
			const shares = [...document.querySelectorAll('#parcel-result .share')].map((s) => s.textContent);
			return z.length === 2 && document.querySelector('#parcel-result h3').textContent === `+jsString(tr("Thửa 3, tờ bản đồ 1", "Parcel 3, map sheet 1"))+` &&
				/^`+tr("Chiếm ", "")+`81[.,][23] %/.test(shares[0]) && /^`+tr("Chiếm ", "")+`18[.,][78] %/.test(shares[1]);
		})()`)
		qhChecks(t, ctx, lang, "after a parcel search")
		if *qhScreens {
			run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#sample').scrollIntoView()`))
			shot(t, ctx, true, fmt.Sprintf("qh-%s.png", lang))
		}

		// An unknown parcel: a plain answer in the page's language.
		run(t, ctx, chromedp.SetValue("#number", "999"), chromedp.Click("#parcel-search"))
		waitJS(t, ctx, "an unknown parcel", `!document.querySelector('#parcel-error').hidden && document.querySelector('#parcel-error').textContent.includes(`+jsString(tr("không có thửa 999 thuộc tờ bản đồ số 1", "parcel 999 on map sheet 1"))+`) && document.querySelectorAll('#parcel-result .zone').length === 0`)
	}
}

// qhChecks fails the test on words of the other language or a serious
// axe finding.
func qhChecks(t *testing.T, ctx context.Context, lang, where string) {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](qhText))
	if err != nil {
		t.Fatal(err)
	}
	if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
		t.Errorf("%s (%s): words of the other language %q in:\n%s", where, lang, words, strings.TrimSpace(text))
	}
	vs, err := browsertest.Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bad := browsertest.SeriousOnly(vs); len(bad) > 0 {
		t.Errorf("%s (%s): axe: %v", where, lang, bad)
	}
}

// TestBrowserQHAdminImport: an administrator imports a zones file from
// the admin page; the look-up answers from it at once. A broken file is
// refused with the server's explanation and changes nothing.
func TestBrowserQHAdminImport(t *testing.T) {
	browsertest.NeedAxe(t)
	e := newQHStack(t, nil)
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 768))
	crawlLogin(t, ctx, e, "/admin/login", "admin", "")
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin?lang=vi"))
	waitJS(t, ctx, "the planning section", `document.querySelector('#planning .planning-now').textContent.includes("Dữ liệu mẫu")`)
	hsAxe(t, ctx, "admin page with the planning section")

	dir := t.TempDir()
	good := filepath.Join(dir, "quy-hoach.geojson")
	zone := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"Q1","properties":{"code":"ODT","name":"Đất ở","density":70,"height":20,"decision":"9/QĐ-UBND","decision_date":"2025-02-01"},
		"geometry":{"type":"Polygon","coordinates":[[[106.70,10.77],[106.71,10.77],[106.71,10.78],[106.70,10.78],[106.70,10.77]]]}}]}`
	broken := filepath.Join(dir, "hong.geojson")
	if err := os.WriteFile(good, []byte(zone), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, []byte(zone[:120]), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.SetUploadFiles("#qh-file", []string{broken}), chromedp.Click("#qh-submit"))
	waitJS(t, ctx, "the broken file refused", `!document.querySelector('#qh-error').hidden && document.querySelector('#qh-error').textContent.startsWith("Không nhập được: Tệp bị cắt ngang")`)
	var info api.PlanningInfoJSON
	e.call("GET", "/api/v1/planning/info", nil, nil, 200, &info)
	if !info.Zones.Sample {
		t.Fatalf("the refused file changed the zones: %+v", info.Zones)
	}

	run(t, ctx, chromedp.SetUploadFiles("#qh-file", []string{good}), chromedp.SetValue("#qh-name", "QĐ 9/QĐ-UBND"), chromedp.Click("#qh-submit"))
	waitJS(t, ctx, "the import done", `document.querySelector('#qh-status').textContent === "Đã nhập 1 ô quy hoạch." && document.querySelector('#qh-error').hidden`)
	e.call("GET", "/api/v1/planning/info", nil, nil, 200, &info)
	if info.Zones.Count != 1 || info.Zones.Name != "QĐ 9/QĐ-UBND" || info.Zones.Sample {
		t.Fatalf("after the import: %+v", info.Zones)
	}
	var a api.PlanningAtJSON
	e.call("GET", "/api/v1/planning/at?lat=10.775&lon=106.705", nil, nil, 200, &a)
	if len(a.Zones) != 1 || a.Zones[0].ID != "Q1" {
		t.Fatalf("look-up after the import: %+v", a)
	}
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "the audit log", `[...document.querySelectorAll('#audit td')].some((td) => td.textContent === "Nhập ô quy hoạch")`)
}
