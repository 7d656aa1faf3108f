package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
)

// TestBrowserProvince: in Chromium, the province administrator logs in
// at /admin/login and lands on the province's figures; the table shows
// both offices and the total; a period chosen in the form is shown; the
// CSV links give CSV in each language; in both languages, on a laptop and
// on a phone (where the wide table scrolls in its own region, not the
// page), the page reads in its language only and axe finds nothing
// serious.
func TestBrowserProvince(t *testing.T) {
	e := newProvinceEnv(t)
	admin := e.login("admin", "")
	e.seedOutcomes(t, e.issueKey(t, admin, "motcua", "Hệ thống một cửa tỉnh"))
	e.seedQueue(t)
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 900))
	loginIn(t, ctx, e, "/admin/login", "tinh", "")
	waitJS(t, ctx, "province page", `location.pathname === "/admin/province" && !!document.getElementById("province-figures")`)
	if got := jsText(t, ctx, `[...document.querySelectorAll("#province-figures tr[data-office]")].map(r => r.dataset.office).join(",")`); got != "demo,phuong-hai,total" {
		t.Errorf("lines %q", got)
	}
	if got := jsText(t, ctx, `document.querySelector("header nav").innerText`); !strings.Contains(got, "Toàn tỉnh") || strings.Contains(got, "Quản trị") {
		t.Errorf("nav %q", got)
	}

	// A period: the dossiers received in it.
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`input[name=from]`), "2026-11-20"),
		chromedp.SetValue(chromedp.CSS(`input[name=to]`), "2026-11-27"),
		chromedp.Click(chromedp.CSS(`#province form button[type=submit]`)))
	waitJS(t, ctx, "the period", `location.search.includes("from=2026-11-20") && document.getElementById("pv-table-title").textContent.includes("2026-11-20")`)
	line := jsText(t, ctx, `[...document.querySelectorAll("#province-figures tr[data-office=demo] td")].map(c => c.textContent).join(",")`)
	if line != "2,0,0,3.0,2,0,0,3.0,4,2,1,1,66.7%" {
		t.Errorf("demo's line %q", line)
	}
	for _, c := range []struct{ id, want string }{{"csv-vi", "Mã đơn vị,"}, {"csv-en", "Office,"}} {
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("`+c.id+`").href).then(r => r.headers.get("content-type") + "\n" + r.text().then(x => x)).then(x => x)`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("`+c.id+`").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(body, "text/csv") || !strings.HasPrefix(strings.TrimPrefix(text, "\ufeff"), c.want) || strings.Count(text, "\n") != 4 {
			t.Errorf("%s: %q", c.id, text)
		}
	}

	for _, vp := range [][2]int64{{1366, 900}, {390, 844}} {
		run(t, ctx, chromedp.EmulateViewport(vp[0], vp[1]))
		for _, lang := range []string{"vi", "en"} {
			run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/province?from=2026-11-20&to=2026-11-27&lang="+lang))
			waitJS(t, ctx, "page "+lang, `!!document.getElementById("province-figures") && document.documentElement.lang === "`+lang+`"`)
			// The staff's and the offices' ids are data, in no language.
			text := jsText(t, ctx, pageText)
			for _, id := range []string{"tinh", "phuong-hai"} {
				text = strings.ReplaceAll(text, id, "")
			}
			if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
				t.Errorf("%dpx %s: words of the other language %q in %q", vp[0], lang, words, contexts(text, words))
			}
			if jsBool(t, ctx, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
				t.Errorf("%dpx %s: the page scrolls sideways (%s px wide)", vp[0], lang, jsText(t, ctx, `String(document.documentElement.scrollWidth)`))
			}
			checkAxe(t, ctx, "province "+lang)
			shot(t, ctx, *screenshots, fmt.Sprintf("province-%s-%d.png", lang, vp[0]))
		}
	}
}
