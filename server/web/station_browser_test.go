package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"luot/server/queue"
)

// TestBrowserAdminStation: in Chromium, an administrator registers a
// counter station for counter 3 with the device form, gives a clerk a
// title and uploads their photo with the file input (a multipart form
// with its CSRF token); the page then shows the photo, and the station's
// counter in the device list.
func TestBrowserAdminStation(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	file := filepath.Join(t.TempDir(), "anh-the.jpg")
	if err := os.WriteFile(file, jpegOf(t, 300, 400), 0o600); err != nil {
		t.Fatal(err)
	}
	loginIn(t, ctx, e, "/admin/login", "admin", "")
	waitJS(t, ctx, "admin page", `!!document.getElementById("devices")`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`form[action="/admin/device"] input[name="id"]`), "station-q3"),
		chromedp.SetValue(chromedp.CSS(`form[action="/admin/device"] input[name="name"]`), "Màn hình quầy 3"),
		chromedp.SetValue(chromedp.CSS(`form[action="/admin/device"] select[name="kind"]`), "station"),
		chromedp.SetValue(chromedp.CSS(`form[action="/admin/device"] select[name="counter"]`), "q3"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/device"] button[type="submit"]`)))
	waitJS(t, ctx, "station key shown", `!!document.getElementById("device-key") && document.querySelector("code.device-counter").textContent === "q3"`)
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/admin?lang=vi#staff"))
	waitJS(t, ctx, "admin page again", `!!document.querySelector('form[action="/admin/staff-title"] input[name="id"][value="nv1"]')`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`form[action="/admin/staff-title"]:has(input[value="nv1"]) input[name="title"]`), "Chuyên viên"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/staff-title"]:has(input[value="nv1"]) button`)))
	waitJS(t, ctx, "title saved", `location.search.indexOf("saved=staff-title") >= 0`)
	run(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`form[action="/admin/staff-photo"]:has(input[value="nv1"]) input[type="file"]`), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/admin/staff-photo"]:has(input[value="nv1"]) button`)))
	waitJS(t, ctx, "photo shown", `location.search.indexOf("saved=staff-photo") >= 0 && document.querySelector('img.staff-thumb[src="/admin/staff-photo/nv1"]').naturalWidth === 300`)
	shot(t, ctx, *screenshots, "admin-station.png")
	ds, _ := e.db.ListDevices(context.Background(), office)
	staff, _ := e.db.ListStaff(context.Background(), office)
	var st queue.Device
	for _, d := range ds {
		if d.ID == "station-q3" {
			st = d
		}
	}
	if st.Kind != queue.DeviceStation || st.Counter != "q3" || staff[1].ID != "nv1" || staff[1].Title != "Chuyên viên" || !staff[1].HasPhoto {
		t.Fatalf("station %+v, staff %+v", st, staff[1])
	}
}
