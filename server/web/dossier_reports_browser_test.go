package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
)

// TestBrowserDossierReports: in Chromium, the administrator issues the
// province's integration key on the keys page (shown once), the
// province's system uses it to send a week of dossiers, and the reports
// page shows the figures, five SVG charts (early, on time, late and open
// and late by procedure, field, department and month; the average days),
// the late list leading to each late dossier, and the CSV in both
// languages; in both languages the page reads in its language only and
// axe finds nothing serious. Revoking the key on the keys page closes it.
func TestBrowserDossierReports(t *testing.T) {
	e := newDossierEnv(t)
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(1366, 900))
	loginIn(t, ctx, e, "/admin/login", "admin", "")
	waitJS(t, ctx, "admin page", `!!document.getElementById("services")`)

	// The keys page: from the admin page to the reports, then the keys;
	// a new key, shown once.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#dossier-admin a[href="/admin/dossiers/reports"]`)))
	waitJS(t, ctx, "empty reports", `!!document.getElementById("no-stats") && !!document.getElementById("no-late")`)
	run(t, ctx, chromedp.Click(chromedp.CSS(`.fb-head a[href="/admin/dossiers/keys"]`)))
	waitJS(t, ctx, "keys page", `!!document.getElementById("issue-form") && !!document.getElementById("no-clients")`)
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#key-id"), "motcua"),
		chromedp.SendKeys(chromedp.CSS("#key-name"), "Mot cua tinh"), // data, written without marks
		chromedp.Click(chromedp.CSS(`#issue-form button[type=submit]`)))
	waitJS(t, ctx, "the key", `!!document.getElementById("new-key")`)
	key := jsText(t, ctx, `document.getElementById("new-key").textContent`)
	if len(key) != 43 || jsText(t, ctx, `document.querySelector("#client-motcua td:nth-of-type(3)").textContent`) != "Đang dùng" {
		t.Fatalf("key %q, clients %q", key, jsText(t, ctx, `document.getElementById("clients").innerText`))
	}
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/dossiers/keys"))
	waitJS(t, ctx, "keys again", `!!document.getElementById("client-motcua")`)
	if jsBool(t, ctx, `!!document.getElementById("new-key") || document.body.innerHTML.includes("`+key+`")`) {
		t.Fatal("the key is shown again")
	}

	// The province sends its dossiers.
	e.seedOutcomes(t, key)

	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/dossiers/reports"))
	waitJS(t, ctx, "reports", `document.querySelectorAll("svg.chart").length === 5 && !!document.getElementById("late-list")`)
	figures := jsText(t, ctx, `[...document.querySelectorAll("#figures tr")].map(r => [...r.children].map(c => c.textContent.trim()).join("|")).join("\n")`)
	for _, want := range []string{"Tổng số hồ sơ|5|", "Đã giải quyết|3|", "Giải quyết đúng hạn hoặc trước hạn|66.7%|2 trên 3", "Giải quyết trễ hạn|33.3%|1 trên 3", "Đang giải quyết và đã quá hạn|100.0%|1 trên 1", "Không tiếp nhận|1|"} {
		if !strings.Contains(figures, want) {
			t.Errorf("figures lack %q:\n%s", want, figures)
		}
	}
	// The charts: the parts of each procedure's bar, named in full.
	parts := jsText(t, ctx, `[...document.querySelectorAll("#chart-procedure rect title")].map(t => t.textContent).join("\n")`)
	for _, want := range []string{"KD-01 Đăng ký thành lập hộ kinh doanh – Trước hạn: 1 hồ sơ", "KD-01 Đăng ký thành lập hộ kinh doanh – Trễ hạn: 1 hồ sơ",
		"KD-01 Đăng ký thành lập hộ kinh doanh – Đang quá hạn: 1 hồ sơ", "HT-01 Đăng ký khai sinh – Đúng hạn: 1 hồ sơ"} {
		if !strings.Contains(parts, want) {
			t.Errorf("procedure chart lacks %q:\n%s", want, parts)
		}
	}
	if got := jsText(t, ctx, `[...document.querySelectorAll("svg.chart")].map(s => s.getAttribute("aria-label")).join(" | ")`); got !=
		"Kết quả giải quyết theo thủ tục | Kết quả giải quyết theo lĩnh vực | Kết quả giải quyết theo phòng ban | Kết quả giải quyết theo tháng tiếp nhận | Số ngày làm việc giải quyết trung bình theo thủ tục" {
		t.Errorf("charts %q", got)
	}
	late := jsText(t, ctx, `[...document.querySelectorAll("#late-list tbody tr")].map(r => r.querySelector("th").textContent + " " + r.lastElementChild.textContent).join(", ")`)
	if !strings.Contains(late, "TP-261120-0001") || !strings.Contains(late, "TP-261123-0001 1") || strings.Count(late, "TP-") != 2 {
		t.Errorf("late list %q", late)
	}
	shot(t, ctx, *screenshots, "dossier-reports.png")

	// The CSV, in each language, as the links fetch it.
	for _, c := range []struct{ id, want string }{{"csv-vi", "Hồ sơ trễ hạn,TP-"}, {"csv-en", "Late dossier,TP-"}} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("`+c.id+`").href).then(r => r.headers.get("content-type") + "\n" + r.text().then(x => x)).then(x => x)`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("`+c.id+`").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got, "text/csv") || strings.Count(body, c.want) != 2 {
			t.Errorf("%s: %q\n%s", c.id, got[:min(len(got), 40)], body)
		}
	}

	// Both languages read in their language; axe finds nothing serious.
	for _, lang := range []string{"vi", "en"} {
		run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/dossiers/reports?lang="+lang))
		waitJS(t, ctx, "reports "+lang, `document.querySelectorAll("svg.chart").length === 5 && document.documentElement.lang === "`+lang+`"`)
		text := otherThanData(jsText(t, ctx, pageText))
		if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
			t.Errorf("%s: words of the other language %q in %q", lang, words, contexts(text, words))
		}
		checkAxe(t, ctx, "reports "+lang)
		run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/dossiers/keys?lang="+lang))
		waitJS(t, ctx, "keys "+lang, `!!document.getElementById("client-motcua")`)
		text = otherThanData(jsText(t, ctx, pageText))
		if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
			t.Errorf("keys %s: words of the other language %q in %q", lang, words, contexts(text, words))
		}
		checkAxe(t, ctx, "keys "+lang)
	}

	// A late dossier of the list opens its page.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/dossiers/reports?lang=vi"))
	waitJS(t, ctx, "reports", `!!document.getElementById("late-list")`)
	run(t, ctx, chromedp.Click(chromedp.CSS(`#late-list a[href="/staff/dossiers/TP-261123-0001"]`)))
	waitJS(t, ctx, "the dossier's page", `location.pathname === "/staff/dossiers/TP-261123-0001" && document.body.innerText.includes("TP-261123-0001")`)

	// Revoking the key on the keys page closes it.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/dossiers/keys"))
	waitJS(t, ctx, "keys", `!!document.querySelector("#client-motcua button")`)
	run(t, ctx, chromedp.Click(chromedp.CSS(`#client-motcua button`)))
	waitJS(t, ctx, "revoked", `location.pathname === "/admin/dossiers/keys" && document.querySelector("#client-motcua td:nth-of-type(3)").textContent === "Đã thu hồi" && !document.querySelector("#client-motcua button")`)
	e.putDossier(t, key, "TP-261127-0003", map[string]any{"procedure": "HT-01", "applicant": map[string]string{"name": "C"}}, http.StatusUnauthorized)
}

// otherThanData is a page's text without the test's data in no
// language: the administrator's id.
func otherThanData(text string) string { return strings.ReplaceAll(text, "admin", "") }

// checkAxe fails t with axe's serious findings on the page; without
// axe-core installed it checks nothing (the crawl's NeedAxe says how to
// install it).
func checkAxe(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	vs, err := browsertest.Axe(ctx)
	if errors.Is(err, browsertest.ErrNoAxe) {
		t.Logf("%s: %v", where, err)
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for _, v := range browsertest.SeriousOnly(vs) {
		t.Errorf("%s: axe: %s", where, v)
	}
}
