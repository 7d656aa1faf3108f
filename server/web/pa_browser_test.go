package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"luot/server/api"
	"luot/server/feedback"
	"luot/server/queue"
)

// paScreens makes TestBrowserPAJourney save its 390×844 screenshots:
// go test ./server/web -run BrowserPAJourney -pa-screenshots
var paScreens = flag.Bool("pa-screenshots", false, "save docs/screenshots/pa-*.png")

// paStaff are the journey's people: a moderator and a handler of the
// environment division.
func paStaff() []queue.Staff {
	return []queue.Staff{
		{ID: "dp1", Name: "Dieu Phoi", Role: queue.RoleModerator},
		{ID: "xl1", Name: "Xu Ly", Role: queue.RoleHandler, Unit: "moi-truong"},
	}
}

// TestBrowserPAJourney is the journey on a phone (390×844, its
// location emulated): a citizen files a report with two photos (one
// larger than 2,048 px, one turned by its EXIF), moving the pin, after
// saying "me too" to a report nearby; the moderator accepts and assigns
// it and the handler answers with a photo and resolves it (both through
// the staff API); the citizen's page follows each step live, and the
// citizen says they are satisfied; the public list and map show the
// report without the reporter's name or phone.
func TestBrowserPAJourney(t *testing.T) {
	e := newPAStack(t, stack{office: citOffice(), staff: paStaff(), kiosk: queue.Device{ID: "k1", Name: "k1"}})
	// Someone reported the same rubbish a few metres away already.
	other := e.paFile(map[string]string{"category": "rac-thai", "description": "Rac do dong goc duong", "lat": "10.77700", "lon": "106.70095"}, paPNG(t, 200, 150))

	dir := t.TempDir()
	big := filepath.Join(dir, "big.png")
	turned := filepath.Join(dir, "turned.jpg")
	writeFile(t, big, paPNG(t, 3000, 2000))
	writeFile(t, turned, paJPEGOriented(t, 400, 200, 6))

	ctx := newBrowser(t)
	lat, lon, acc := paCenter.Lat, paCenter.Lon, 12.0
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: cdpbrowser.PermissionSettingGranted, Origin: e.srv.URL,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lon, Accuracy: &acc}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/pa"))
	waitJS(t, ctx, "start page", `document.querySelector('#send').textContent === "Gửi phản ánh" && document.querySelector('#mine').hidden`)
	run(t, ctx, chromedp.Click(`#send`))
	waitJS(t, ctx, "category tiles", `document.querySelectorAll('#categories [data-category]').length === 3 && document.querySelector('[data-category="rac-thai"]').textContent.startsWith("Rác thải")`)
	run(t, ctx, chromedp.Click(`[data-category="rac-thai"]`))
	run(t, ctx, chromedp.SetUploadFiles(`#gallery`, []string{big, turned}))
	// The large photo is sent at 2,048 px on its long side; the turned
	// one upright (EXIF orientation 6: 400×200 stored, 200×400 seen).
	waitJS(t, ctx, "two thumbnails", `document.querySelectorAll('#thumbs li').length === 2`)
	sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#thumbs li')].map((li) => li.dataset.w + "x" + li.dataset.h)`))
	if err != nil || strings.Join(sizes, " ") != "2048x1365 200x400" {
		t.Fatalf("photos prepared as %v (%v), want 2048x1365 and 200x400", sizes, err)
	}

	run(t, ctx, chromedp.Click(`#locate`))
	waitJS(t, ctx, "location and pin", `document.querySelector('#locate-status').textContent === "Đã lấy vị trí (sai số khoảng 12 m)." && !document.querySelector('#map').hidden && !!document.querySelector('#map .pa-dot.pin')`)
	// The report nearby is offered for "me too".
	waitJS(t, ctx, "the report nearby", `!document.querySelector('#nearby').hidden && document.querySelector('#nearby-list li').dataset.code === "`+other+`"`)
	run(t, ctx, chromedp.Click(`[data-me-too="`+other+`"]`))
	waitJS(t, ctx, "me too noted", `document.querySelector('#nearby-list .done') && document.querySelector('#nearby-list .done').textContent.includes("1 người")`)
	if r := e.storedReport(other); r.MeToo != 1 {
		t.Fatalf("me too of %s: %d, want 1", other, r.MeToo)
	}
	// The citizen moves the pin: a tap on the map 60 px right of it.
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { document.querySelector('#map').scrollIntoView({block: "center"}); const r = document.querySelector('#map .pa-dot.pin').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.MouseClickXY(box[0]+60, box[1]))
	run(t, ctx,
		chromedp.SendKeys(`#description`, "Rác đổ thành đống trước số 12, bốc mùi cả tuần nay."),
		chromedp.SendKeys(`#name`, "Nguyễn Văn Nam"),
		chromedp.SendKeys(`#phone`, "0912 345 678"),
	)
	waitJS(t, ctx, "counter", `document.querySelector('#desc-count').textContent === "51 / 4000 ký tự"`)
	shot(t, ctx, *paScreens, "pa-new.png")
	run(t, ctx, chromedp.Click(`#submit`))
	waitJS(t, ctx, "confirmation", `!document.querySelector('#done').hidden && /^PA-\d{4}-\d+$/.test(document.querySelector('#done-code').textContent) && document.querySelector('#done-link').textContent.includes("?k=")`)
	code, _ := chromedp.Run(ctx, chromedp.Text(`#done-code`))
	waitJS(t, ctx, "the reporter's own link", `document.querySelector('#done-nolink').hidden && document.querySelector('#done-open').getAttribute('href').includes("?k=")`)
	shot(t, ctx, *paScreens, "pa-sent.png")

	rep := e.storedReport(code)
	if rep.Category != "rac-thai" || len(rep.Photos) != 2 || rep.Reporter.Name != "Nguyễn Văn Nam" || rep.Reporter.Phone == "" || rep.Place.Point == nil || rep.Place.Accuracy != 0 {
		t.Fatalf("stored report %+v", rep)
	}
	// 60 px east at zoom 17 is about 70 m (1.17 m a pixel at this
	// latitude): the pin's place, not the phone's.
	dLon := (rep.Place.Point.Lon - lon) * 111320 * math.Cos(lat*math.Pi/180)
	if dLon < 55 || dLon > 85 || math.Abs(rep.Place.Point.Lat-lat)*110540 > 5 {
		t.Fatalf("the report is at %+v, %.0f m east of the phone: want the moved pin's place, about 70 m east", rep.Place.Point, dLon)
	}

	// This phone keeps the report.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/pa"))
	waitJS(t, ctx, "kept on the phone", `!document.querySelector('#mine').hidden && document.querySelector('#mine a').textContent === "`+code+` · Rác thải, vệ sinh môi trường" && document.querySelector('#mine a').getAttribute('href').includes("?k=")`)
	run(t, ctx, chromedp.Click(`#mine a`))
	waitJS(t, ctx, "the report's page", `document.querySelector('#code').textContent === "`+code+`" && document.querySelector('#status').textContent === "Đã gửi, chờ tiếp nhận" && document.querySelectorAll('#before img').length === 2 && document.querySelector('#verdict').hidden`)
	waitJS(t, ctx, "live", `!document.querySelector('#live').classList.contains('polling')`)

	mod := bearer(e.login("dp1", ""))
	e.call("POST", "/api/v1/feedback/reports/"+code+"/accept", mod, map[string]any{}, 200, nil)
	waitJS(t, ctx, "accepted, live", `document.querySelector('#status').textContent === "Đã tiếp nhận"`)
	e.call("POST", "/api/v1/feedback/reports/"+code+"/assign", mod, map[string]any{"unit": "moi-truong"}, 200, nil)
	waitJS(t, ctx, "assigned, live", `document.querySelector('#status').textContent === "Đã chuyển đơn vị xử lý" && [...document.querySelectorAll('#timeline li b')].some((b) => b.textContent === "Chuyển đến Phòng Tài nguyên và Môi trường")`)

	e.clock.Advance(26 * time.Hour)
	hnd := bearer(e.login("xl1", ""))
	hash := e.uploadAnswerPhoto(hnd, paPNG(t, 640, 480))
	e.call("POST", "/api/v1/feedback/reports/"+code+"/answer", hnd, map[string]any{"text": "Đã thu gom rác và xử lý điểm đổ trộm.", "photos": []string{hash}}, 200, nil)
	e.call("POST", "/api/v1/feedback/reports/"+code+"/resolve", hnd, map[string]any{}, 200, nil)
	waitJS(t, ctx, "resolved, live, with the answer and its photo", `document.querySelector('#status').textContent === "Đã xử lý" && document.querySelector('#answer').textContent === "Đã thu gom rác và xử lý điểm đổ trộm." && document.querySelectorAll('#after img').length === 1 && document.querySelectorAll('#before img').length === 2 && !document.querySelector('#verdict').hidden && !document.querySelector('#satisfied').hidden`)
	waitJS(t, ctx, "photos loaded", `[...document.querySelectorAll('#before img, #after img')].every((i) => i.complete && i.naturalWidth > 0)`)
	shot(t, ctx, *paScreens, "pa-report.png")
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "in English", `document.querySelector('#status').textContent === "Resolved" && document.querySelector('#satisfied').textContent === "Satisfied" && document.querySelector('#category').textContent === "Rubbish and cleanliness"`)
	run(t, ctx, chromedp.Click(`#lang`))
	run(t, ctx, chromedp.Click(`#satisfied`))
	waitJS(t, ctx, "satisfied", `document.querySelector('#verdict').hidden && !document.querySelector('#verdict-done').hidden && document.querySelector('#verdict-done').textContent === "Bạn đã xác nhận hài lòng. Cảm ơn bạn!"`)
	if r := e.storedReport(code); r.Verdict != feedback.VerdictSatisfied || r.Status != feedback.StatusResolved {
		t.Fatalf("after the verdict: %s %s", r.Status, r.Verdict)
	}

	// The public list and map: the report, never its reporter.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/pa/list"))
	waitJS(t, ctx, "public list", `[...document.querySelectorAll('#reports li')].map((li) => li.dataset.code).join() === "`+code+`,`+other+`"`)
	run(t, ctx, chromedp.Click(`#show-map`))
	waitJS(t, ctx, "public map", `!document.querySelector('#map-view').hidden && document.querySelectorAll('#map .pa-dot').length === 2 && !!document.querySelector('#map .pa-dot[data-code="`+code+`"]') && !document.querySelector('#no-tiles').hidden && !!document.querySelector('#map .leaflet-control-scale') && document.querySelectorAll('#map svg path').length === 1`)
	shot(t, ctx, *paScreens, "pa-map.png")
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	var list json.RawMessage
	e.call("GET", "/api/v1/offices/hcm-q1/reports", nil, nil, 200, &list)
	for _, leak := range []string{"Nguyễn Văn Nam", "Nam", "0912", "345 678", "+8491"} {
		if strings.Contains(html, leak) || strings.Contains(string(list), leak) {
			t.Errorf("the public list or map shows %q", leak)
		}
	}
}

// paFile files a report through the API as a citizen's phone does
// (multipart, with photos) and returns its code.
func (e *env) paFile(fields map[string]string, photos ...[]byte) string {
	e.t.Helper()
	var out api.CreatedReportJSON
	e.paFileJSON(fields, &out, photos...)
	return out.Report.Code
}

// paFileJSON is paFile that gives the whole answer (the token
// and the reporter's link).
func (e *env) paFileJSON(fields map[string]string, out *api.CreatedReportJSON, photos ...[]byte) {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for i, p := range photos {
		w, _ := mw.CreateFormFile("photo", fmt.Sprintf("p%d.jpg", i))
		w.Write(p)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/offices/"+e.officeID+"/reports", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 201 || json.Unmarshal(body, out) != nil {
		e.t.Fatalf("file a report: %d %s", res.StatusCode, body)
	}
}

// uploadAnswerPhoto uploads a photo for an answer with the staff
// session's Bearer header and returns its hash.
func (e *env) uploadAnswerPhoto(auth map[string]string, photo []byte) string {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("photo", "after.png")
	w.Write(photo)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/feedback/photos", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range auth {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var out struct{ Photos []struct{ Hash string } }
	if res.StatusCode != 200 && res.StatusCode != 201 || json.Unmarshal(body, &out) != nil || len(out.Photos) != 1 {
		e.t.Fatalf("upload an answer's photo: %d %s", res.StatusCode, body)
	}
	return out.Photos[0].Hash
}

// storedReport reads a report from the store.
func (e *env) storedReport(code string) feedback.Report {
	e.t.Helper()
	r, err := e.db.Report(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// paPNG is a w×h picture: a gradient, so that it is not all one colour.
func paPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// paJPEGOriented is a w×h JPEG whose EXIF says to show it turned
// (orientation 6: turned a quarter clockwise, so seen h×w).
func paJPEGOriented(t testing.TB, w, h int, orientation uint16) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), 80, uint8(y * 255 / h), 255})
		}
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	// APP1 "Exif": a big-endian TIFF header and one IFD entry, 0x0112
	// (Orientation), SHORT, count 1.
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{orientation, 0})
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(payload)+2))
	out := append([]byte{0xFF, 0xD8}, app1...)
	out = append(out, payload...)
	return append(out, j.Bytes()[2:]...)
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserPAFormEdges: on a phone whose location is refused, in a
// build without Leaflet, the form says so in words and takes an address;
// a picture the browser cannot read (a HEIC it cannot decode) is refused
// in words and not sent; a sixth photo is refused; anonymous hides the
// name and phone and sends neither; the error of the API is shown.
func TestBrowserPAFormEdges(t *testing.T) {
	e := newPAStack(t, stack{office: citOffice(), staff: paStaff(), kiosk: queue.Device{ID: "k1", Name: "k1"}})
	e.web.leaflet = false
	dir := t.TempDir()
	heic := filepath.Join(dir, "IMG_0001.heic")
	writeFile(t, heic, append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), bytes.Repeat([]byte{7}, 500)...))
	var six []string
	for i := range 6 {
		p := filepath.Join(dir, fmt.Sprintf("p%d.png", i))
		writeFile(t, p, paPNG(t, 40+i, 30))
		six = append(six, p)
	}
	ctx := newBrowser(t)
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: cdpbrowser.PermissionSettingDenied, Origin: e.srv.URL,
	}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/pa/new"))
	waitJS(t, ctx, "tiles", `document.querySelectorAll('#categories [data-category]').length === 3`)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script[src*="leaflet"], link[href*="leaflet"]').length`)); n != 0 {
		t.Fatalf("a build without Leaflet loads %d Leaflet files", n)
	}
	run(t, ctx, chromedp.SetUploadFiles(`#gallery`, []string{heic}))
	waitJS(t, ctx, "HEIC refused in words", `!document.querySelector('#photo-error').hidden && document.querySelector('#photo-error').textContent.startsWith("Trình duyệt không đọc được ảnh “IMG_0001.heic”") && document.querySelectorAll('#thumbs li').length === 0`)
	run(t, ctx, chromedp.SetUploadFiles(`#gallery`, six))
	waitJS(t, ctx, "five photos, the sixth refused", `document.querySelectorAll('#thumbs li').length === 5 && document.querySelector('#photo-error').textContent.startsWith("Chỉ gửi được tối đa 5 ảnh") && document.querySelector('#gallery').disabled && document.querySelector('#camera').disabled`)
	run(t, ctx, chromedp.Click(`#thumbs li:nth-child(2) button`))
	waitJS(t, ctx, "one removed", `document.querySelectorAll('#thumbs li').length === 4 && !document.querySelector('#gallery').disabled && [...document.querySelectorAll('#thumbs li')].map((li) => li.dataset.w).join() === "40,42,43,44"`)

	run(t, ctx, chromedp.Click(`#locate`))
	waitJS(t, ctx, "location refused: the address", `document.querySelector('#locate-status').textContent.startsWith("Bạn chưa cho phép lấy vị trí") && document.activeElement === document.querySelector('#address') && document.querySelector('#map').hidden`)
	// Nothing chosen: the page says what is missing, step by step.
	run(t, ctx, chromedp.Click(`#submit`))
	waitJS(t, ctx, "no category", `document.querySelector('#error').textContent === "Hãy chọn loại vấn đề (bước 1)."`)
	run(t, ctx, chromedp.Click(`[data-category="via-he"]`), chromedp.Click(`#submit`))
	waitJS(t, ctx, "no place", `document.querySelector('#error').textContent.startsWith("Hãy cho biết vấn đề ở đâu")`)
	run(t, ctx, chromedp.SendKeys(`#address`, "Trước số 40 Đồng Khởi"), chromedp.Click(`#submit`))
	waitJS(t, ctx, "no description", `document.querySelector('#error').textContent === "Hãy mô tả vấn đề (bước 4)." && document.activeElement === document.querySelector('#description')`)
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "the page's own error, in English", `document.querySelector('#error').textContent === "Describe the problem (step 4)."`)
	// The API's own error, in the page's language: a phone number it refuses.
	var want struct{ Error struct{ Message string } }
	e.callMultipart("/api/v1/offices/hcm-q1/reports", map[string]string{"category": "via-he", "description": "x", "address": "y", "phone": "12"}, "en", 400, &want)
	msg, _ := json.Marshal(strings.ToLower(want.Error.Message))
	run(t, ctx, chromedp.SendKeys(`#description`, "Quán chiếm hết vỉa hè"), chromedp.SendKeys(`#phone`, "12"), chromedp.Click(`#submit`))
	waitJS(t, ctx, "the API's message", `!document.querySelector('#error').hidden && document.querySelector('#error').textContent.toLowerCase() === `+string(msg))
	run(t, ctx, chromedp.Click(`#lang`))
	// Anonymous: no name, no phone.
	run(t, ctx, chromedp.SendKeys(`#name`, "Lê Thị Hoa"), chromedp.Click(`#anonymous`))
	waitJS(t, ctx, "contact hidden", `document.querySelector('#contact').hidden && !document.querySelector('#anon-note').hidden`)
	run(t, ctx, chromedp.Click(`#submit`))
	waitJS(t, ctx, "sent", `!document.querySelector('#done').hidden`)
	code, _ := chromedp.Run(ctx, chromedp.Text(`#done-code`))
	r := e.storedReport(code)
	if !r.Reporter.Anonymous || r.Reporter.Name != "" || r.Reporter.Phone != "" || r.Place.Point != nil || r.Place.Address != "Trước số 40 Đồng Khởi" || len(r.Photos) != 4 || r.Unit != "phuong-ben-nghe" {
		t.Fatalf("stored %+v", r)
	}
	// Without Leaflet the list says the map is missing, and lists.
	run(t, ctx, chromedp.Navigate(e.srv.URL+"/pa/list?view=map"))
	waitJS(t, ctx, "no map, in words", `!document.querySelector('#no-map').hidden && document.querySelector('#map').hidden`)
	run(t, ctx, chromedp.Click(`#show-list`))
	waitJS(t, ctx, "the list", `document.querySelector('#reports li').dataset.code === "`+code+`"`)
}

// callMultipart posts fields as a multipart form in language lang and
// checks the status.
func (e *env) callMultipart(path string, fields map[string]string, lang string, want int, out any) {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", lang)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != want || json.Unmarshal(body, out) != nil {
		e.t.Fatalf("POST %s: %d, want %d: %s", path, res.StatusCode, want, body)
	}
}

// TestBrowserPAReopen: the reporter, not satisfied with the answer,
// reopens the report with a reason; it goes back to the unit, and the
// page offers no second reopening. Without the reporter's link the page
// offers no verdict at all.
func TestBrowserPAReopen(t *testing.T) {
	e := newPAStack(t, stack{office: citOffice(), staff: paStaff(), kiosk: queue.Device{ID: "k1", Name: "k1"}})
	var rep api.CreatedReportJSON
	e.paFileJSON(map[string]string{"category": "rac-thai", "description": "Cống bẩn", "address": "Hẻm 5 Lê Lợi", "name": "Lê Văn Bảy", "phone": "0912000004"}, &rep)
	code := rep.Report.Code
	mod := bearer(e.login("dp1", ""))
	for _, step := range []struct {
		action string
		body   map[string]any
	}{{"accept", nil}, {"assign", map[string]any{"unit": "moi-truong"}}, {"answer", map[string]any{"text": "Đã nạo vét cống."}}, {"resolve", nil}} {
		e.call("POST", "/api/v1/feedback/reports/"+code+"/"+step.action, mod, step.body, 200, nil)
	}
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/pa/"+code))
	waitJS(t, ctx, "the public page", `document.querySelector('#status').textContent === "Đã xử lý" && document.querySelector('#answer').textContent === "Đã nạo vét cống."`)
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#verdict').hidden`)); !v {
		t.Fatal("the page without the reporter's link offers a verdict")
	}
	link := rep.ReportURL
	if !strings.HasPrefix(link, "http") {
		link = e.srv.URL + link
	}
	run(t, ctx, chromedp.Navigate(link))
	waitJS(t, ctx, "the verdict", `!document.querySelector('#verdict').hidden && !document.querySelector('#reopen-form').hidden`)
	run(t, ctx, chromedp.Click(`#reopen`))
	waitJS(t, ctx, "a reason is needed", `document.querySelector('#verdict-error').textContent === "Hãy cho biết vì sao bạn chưa hài lòng."`)
	run(t, ctx, chromedp.SendKeys(`#reason`, "Cống vẫn bốc mùi."), chromedp.Click(`#reopen`))
	waitJS(t, ctx, "reopened", `document.querySelector('#status').textContent === "Đã chuyển đơn vị xử lý" && document.querySelector('#verdict').hidden && document.querySelector('#verdict-done').textContent === "Phản ánh đã được mở lại và chuyển xử lý tiếp." && [...document.querySelectorAll('#timeline li')].some((li) => li.dataset.type === "report.reopen" && li.textContent.includes("Cống vẫn bốc mùi."))`)
	r := e.storedReport(code)
	if r.Status != feedback.StatusAssigned || r.Reopened != 1 || r.Unit != "moi-truong" {
		t.Fatalf("after reopening: %s, reopened %d, unit %s", r.Status, r.Reopened, r.Unit)
	}
	// Resolved again: satisfied is still possible, a second reopening not.
	e.call("POST", "/api/v1/feedback/reports/"+code+"/resolve", mod, map[string]any{}, 200, nil)
	waitJS(t, ctx, "resolved again, live", `document.querySelector('#status').textContent === "Đã xử lý" && !document.querySelector('#verdict').hidden && !document.querySelector('#satisfied').hidden && document.querySelector('#reopen-form').hidden`)
}

// TestBrowserPAResendAfterLostAnswer: the report reaches the server but
// its answer is lost on the way back (the phone's network drops); the
// page says to send again, and sending again gives the same report, not
// a second one (the same Idempotency-Key).
func TestBrowserPAResendAfterLostAnswer(t *testing.T) {
	e := newPAStack(t, stack{office: citOffice(), staff: paStaff(), kiosk: queue.Device{ID: "k1", Name: "k1"}})
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/pa/new"))
	waitJS(t, ctx, "tiles", `document.querySelectorAll('#categories [data-category]').length === 3`)
	// The first answer to a report is dropped after the server made it.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const f = window.fetch;
		window.keys = [];
		window.fetch = async (u, o) => {
			const res = await f(u, o);
			if (o && o.method === "POST" && String(u).endsWith("/reports")) {
				window.keys.push(o.headers["Idempotency-Key"]);
				if (window.keys.length === 1) throw new TypeError("network");
			}
			return res;
		};
	})()`))
	run(t, ctx, chromedp.Click(`[data-category="xay-dung"]`),
		chromedp.SendKeys(`#address`, "Hẻm 9 Nguyễn Huệ"),
		chromedp.SendKeys(`#description`, "Công trình lấn hẻm"),
		chromedp.Click(`#anonymous`),
		chromedp.Click(`#submit`))
	waitJS(t, ctx, "the lost answer", `document.querySelector('#error').textContent.startsWith("Không kết nối được máy chủ") && !document.querySelector('#submit').disabled`)
	run(t, ctx, chromedp.Click(`#submit`))
	waitJS(t, ctx, "sent once", `!document.querySelector('#done').hidden && window.keys.length === 2 && window.keys[0] === window.keys[1] && window.keys[0].length === 32`)
	code, _ := chromedp.Run(ctx, chromedp.Text(`#done-code`))
	var list struct{ Reports []api.PublicReportJSON }
	e.call("GET", "/api/v1/offices/hcm-q1/reports", nil, nil, 200, &list)
	if len(list.Reports) != 1 || list.Reports[0].Code != code {
		t.Fatalf("after sending again: %d reports %+v, want %s alone", len(list.Reports), list.Reports, code)
	}
	// The repeated answer has no reporter's link: the page leads to the
	// public report.
	if href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#done-open').getAttribute('href')`)); href != "/pa/"+code {
		t.Fatalf("the replayed report links to %q", href)
	}
	waitJS(t, ctx, "the link's loss said", `!document.querySelector('#done-nolink').hidden`)
}
