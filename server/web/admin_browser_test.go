package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// adminWords are labels of the admin and reports pages in each language:
// a page in one language shows none of the other's.
var adminWords = map[string][]string{
	"vi": {"Lưu", "Thêm", "Số chữ số", "Tên tiếng Việt", "Giờ mở cửa", "Thao tác", "Đã lưu", "Nhật ký thay đổi", "Nhóm", "Thứ Hai"},
	"en": {"Save", "Add", "Digits", "Vietnamese name", "Opening hours", "Actions", "Saved", "Audit log", "Group", "Monday"},
}

// layoutChecks is a script that lists what is wrong with the page's
// layout and accessibility at the current viewport: a page wider than the
// window, a save button off-screen, an input without a label, an empty
// table header.
const layoutChecks = `(() => {
  const bad = [];
  if (document.documentElement.scrollWidth > innerWidth) bad.push("page " + document.documentElement.scrollWidth + " px wide in " + innerWidth);
  for (const b of document.querySelectorAll("main button")) {
    const r = b.getBoundingClientRect();
    if (r.width > 0 && r.right > innerWidth) bad.push("button " + b.textContent + " ends at " + Math.round(r.right));
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const named = (el.labels && el.labels.length > 0 && el.labels[0].textContent.trim() !== "") || (el.getAttribute("aria-label") || "").trim() !== "";
    if (!named) bad.push("unlabelled " + el.outerHTML.slice(0, 80));
  }
  for (const th of document.querySelectorAll("th")) if (th.textContent.trim() === "") bad.push("empty th in " + th.closest("table").id);
  return bad.join("\n");
})()`

// TestBrowserAdminAt1366 walks the admin and reports pages as an admin at
// 1366×768 in each language: they fit the window with every row's save
// button visible, every input is labelled, no table header is empty; a
// refused save keeps what was typed and shows the error under its row
// (a form's by its field); a save shows "Đã lưu" in its section; the audit
// log reads in the page's language; the CSV speaks it too, in minutes.
func TestBrowserAdminAt1366(t *testing.T) {
	for _, l := range []string{"vi", "en"} {
		t.Run(l, func(t *testing.T) { adminAt1366(t, l) })
	}
}

func adminAt1366(t *testing.T, l string) {
	e := newEnv(t)
	e.simulateDay(t)
	ctx := newBrowser(t)
	other := map[string]string{"vi": "en", "en": "vi"}[l]
	tr := translator(l)
	run(t, ctx, chromedp.EmulateViewport(1366, 768))
	loginIn(t, ctx, e, "/admin/login", "admin", "")
	waitJS(t, ctx, "admin page", `!!document.getElementById("services")`)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin?lang="+l))
	waitJS(t, ctx, "admin page in "+l, `document.documentElement.lang === "`+l+`" && !!document.getElementById("audit")`)
	checkPage := func(what string) {
		t.Helper()
		// Measured once the style sheets apply (a new page's DOM is there before).
		waitJS(t, ctx, what+" loaded", `document.readyState === "complete"`)
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[string](layoutChecks))
		if err != nil {
			t.Fatal(err)
		}
		if bad != "" {
			t.Errorf("%s: %s", what, bad)
		}
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		for _, w := range adminWords[other] {
			if strings.Contains(text, w) && !strings.Contains(strings.Join(adminWords[l], "|"), w) {
				t.Errorf("%s in %s shows %q", what, l, w)
			}
		}
	}
	checkPage("admin page")

	// A refused service row keeps what was typed; the error is under it.
	name := `input[name="name"][form="service-chung-thuc"]`
	digits := `input[name="digits"][form="service-chung-thuc"]`
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(name), "Chứng thực — tên mới"),
		chromedp.SetValue(chromedp.CSS(digits), "99"),
		chromedp.Click(chromedp.CSS(`button[form="service-chung-thuc"]`)))
	waitJS(t, ctx, "refused row", `!!document.querySelector("tr.row-error")`)
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[document.querySelector('`+name+`').value, document.querySelector('`+digits+`').value,
		document.querySelector('`+digits+`').getAttribute("aria-invalid"),
		document.querySelector('`+digits+`').closest("tr").nextElementSibling.textContent].join("|")`))
	want := fmt.Sprintf("Chứng thực — tên mới|99|true|%s: ", tr("adm.digits"))
	if !strings.HasPrefix(kept, want) {
		t.Errorf("after a refused save: %q, want it to start with %q", kept, want)
	}
	checkPage("refused service")
	if v, _ := e.eng.View(office); v.Office.Service("chung-thuc").Name == "Chứng thực — tên mới" {
		t.Fatal("the refused form was saved")
	}

	// A refused hours form keeps what was typed; the error is by the day.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin"))
	waitJS(t, ctx, "admin page again", `!!document.querySelector('input[name="hours_mon"]')`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`input[name="hours_mon"]`), "07:30-11:3"),
		chromedp.SetValue(chromedp.CSS(`input[name="hours_tue"]`), "08:00-12:00"),
		chromedp.Click(chromedp.CSS(`#hours button[type="submit"]`)))
	waitJS(t, ctx, "refused hours", `!!document.querySelector("#hours .field-error")`)
	got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[document.querySelector('input[name="hours_mon"]').value, document.querySelector('input[name="hours_tue"]').value,
		document.querySelector("#hours .field-error").closest("label").querySelector("input").name].join("|")`))
	if got != "07:30-11:3|08:00-12:00|hours_mon" {
		t.Errorf("refused hours show %q", got)
	}

	// Saved hours: "Đã lưu" in the hours section, on screen; the audit log reads.
	run(t, ctx, chromedp.SetValue(chromedp.CSS(`input[name="hours_mon"]`), "07:30-11:30, 13:30-17:00"))
	for _, d := range []string{"tue", "wed", "thu", "fri"} {
		run(t, ctx, chromedp.SetValue(chromedp.CSS(`input[name="hours_`+d+`"]`), "07:30-11:30, 13:30-17:00"))
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`#hours button[type="submit"]`)))
	waitJS(t, ctx, "saved", `location.search.indexOf("saved=hours") >= 0 && document.querySelectorAll(".notice.saved").length === 1 && document.readyState === "complete"`)
	where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const n = document.querySelector(".notice.saved"), r = n.getBoundingClientRect();
		return n.closest("section").id + "|" + n.textContent + "|" + (r.top >= 0 && r.bottom <= innerHeight) })()`))
	if where != "hours|"+tr("saved")+"|true" {
		t.Errorf("the notice is %q, want in the hours section, on screen", where)
	}
	audit, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("audit").innerText`))
	wantAudit := map[string]string{"vi": "T2–T6 07:30–11:30, 13:30–17:00", "en": "Mon–Fri 07:30–11:30, 13:30–17:00"}[l]
	if !strings.Contains(audit, tr("adm.hours")+": ") || !strings.Contains(audit, wantAudit) || strings.Contains(audit, "map[") || strings.Contains(audit, `{"`) {
		t.Errorf("audit log:\n%s", audit)
	}
	checkPage("saved hours")
	if l == "vi" {
		shot(t, ctx, *screenshots, "admin.png")
	}

	// Reports: fit, labelled, and the CSV in the page's language, in minutes.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin/reports?from=2026-11-27&to=2026-11-27"))
	waitJS(t, ctx, "report", `document.querySelectorAll("svg.chart").length === 3 && !!document.getElementById("report-total")`)
	checkPage("reports")
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("csv-link").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	screen, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#report-total tbody tr td:nth-child(`+fmt.Sprint(2+4+5)+`), #report-total tr:nth-child(2) td:nth-child(`+fmt.Sprint(1+4+5)+`)").textContent`))
	lines := strings.Split(strings.TrimPrefix(csv, "\ufeff"), "\n")
	head := map[string]string{"vi": "Phần,Mã,Tên,Số phiếu", "en": "Section,Key,Name,Tickets"}[l]
	if !strings.HasPrefix(lines[0], head) || !strings.Contains(lines[0], map[string]string{"vi": "Chờ TB (phút)", "en": "Avg wait (min)"}[l]) {
		t.Errorf("CSV header %q", lines[0])
	}
	if cells := strings.Split(lines[1], ","); len(cells) < 14 || cells[13] != screen {
		t.Errorf("CSV total's average wait %v, the page shows %q", cells, screen)
	}
}
