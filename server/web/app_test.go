package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"luot/server/notify"
	"luot/server/queue"
)

// TestManifest: the manifest names the app in the browser's language,
// starts at / standalone, and each icon it lists is served as a PNG of
// its size; the maskable one fills its square, the others have
// transparent rounded corners.
func TestManifest(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, lang string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if lang != "" {
			r.Header.Set("Accept-Language", lang)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	type icon struct{ Src, Sizes, Type, Purpose string }
	var m struct {
		Name, ShortName, StartURL, Display, Lang, Scope string
		Icons                                           []icon
	}
	read := func(lang string) {
		t.Helper()
		w := get("/manifest.webmanifest", lang)
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/manifest+json" || w.Header().Get("Vary") != "Accept-Language" {
			t.Fatalf("manifest: %d %v", w.Code, w.Header())
		}
		var raw map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]any{"Name": raw["name"], "ShortName": raw["short_name"], "StartURL": raw["start_url"],
			"Display": raw["display"], "Lang": raw["lang"], "Scope": raw["scope"], "Icons": raw["icons"]})
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
	}
	read("")
	if m.Lang != "vi" || !strings.Contains(m.Name, "Lấy số") || m.ShortName != "Lượt" || m.StartURL != "/" || m.Scope != "/" || m.Display != "standalone" {
		t.Fatalf("Vietnamese manifest %+v", m)
	}
	read("en-US,en;q=0.9")
	if m.Lang != "en" || !strings.Contains(m.Name, "Queue numbers") {
		t.Fatalf("English manifest %+v", m)
	}
	sizes := map[string]bool{}
	for _, ic := range m.Icons {
		if ic.Type != "image/png" {
			continue
		}
		w := get(ic.Src, "")
		if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %v", ic.Src, w.Code, w.Header())
		}
		img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v", ic.Src, err)
		}
		b := img.Bounds()
		var wd, ht int
		if _, err := fmt.Sscanf(ic.Sizes, "%dx%d", &wd, &ht); err != nil || b.Dx() != wd || b.Dy() != ht {
			t.Fatalf("%s is %v, the manifest says %s", ic.Src, b, ic.Sizes)
		}
		_, _, _, corner := img.At(0, 0).RGBA()
		_, _, _, middle := img.At(b.Dx()/2, b.Dy()/4).RGBA()
		if middle != 0xffff || (ic.Purpose == "maskable") != (corner == 0xffff) || (ic.Purpose != "maskable") != (corner == 0) {
			t.Errorf("%s (%s): corner alpha %#x, middle %#x", ic.Src, ic.Purpose, corner, middle)
		}
		sizes[ic.Sizes+" "+ic.Purpose] = true
	}
	for _, want := range []string{"192x192 any", "512x512 any", "512x512 maskable"} {
		if !sizes[want] {
			t.Errorf("no %s icon in %+v", want, m.Icons)
		}
	}
	if w := get("/apple-touch-icon.png", ""); w.Code != 200 {
		t.Errorf("apple-touch-icon: %d", w.Code)
	}
	w := get("/sw.js", "")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") || w.Header().Get("Cache-Control") != "no-cache" ||
		!strings.Contains(w.Body.String(), `addEventListener("push"`) || !strings.Contains(w.Body.String(), `addEventListener("notificationclick"`) {
		t.Fatalf("sw.js: %d %v", w.Code, w.Header())
	}
}

// TestUnsubscribePage: the link of a message says what it stops and stops
// it with a plain form; an unknown token gets the same answer, and
// changes nothing.
func TestUnsubscribePage(t *testing.T) {
	e := newStack(t, stack{office: citOffice(), staff: clerks(1), kiosk: queue.Device{ID: "k1", Name: "k1"}, notify: &notifyOn{sms: true}})
	id, token := e.remoteTicket("ho-tich", "0912 345 678")
	item := notify.Item{Type: notify.ItemTicket, ID: id, Office: e.officeID}
	sub, err := e.db.Subscribe(context.Background(), notify.Subscription{Item: item, Channel: notify.SMS, Lang: "vi", Phone: "+84912345678",
		Link: "/t/" + id + "?token=" + token})
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", "/u/"+sub.Token, "", nil, "")
	if r.status != 200 || !strings.Contains(r.body, `action="/u/`+sub.Token+`"`) || !strings.Contains(r.body, "Gửi bằng SMS") ||
		!strings.Contains(r.body, `data-en="Sent by SMS."`) || !strings.Contains(r.body, "số thứ tự") || r.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("GET: %d %v\n%s", r.status, r.header, r.body)
	}
	if s, _ := e.db.Subscriptions(context.Background(), item); len(s) != 1 {
		t.Fatal("a GET unsubscribed")
	}
	r = e.do("POST", "/u/"+sub.Token, "", url.Values{}, "")
	if r.status != 200 || !strings.Contains(r.body, "Đã hủy nhận thông báo") {
		t.Fatalf("POST: %d\n%s", r.status, r.body)
	}
	if s, _ := e.db.Subscriptions(context.Background(), item); len(s) != 0 {
		t.Fatalf("still subscribed: %+v", s)
	}
	again := e.do("POST", "/u/"+sub.Token, "", url.Values{}, "")
	unknown := e.do("GET", "/u/nope", "", nil, "")
	if again.status != 200 || again.body != r.body || unknown.status != 200 || strings.Contains(unknown.body, "SMS") {
		t.Fatalf("again: %d; unknown: %d %s", again.status, unknown.status, unknown.body)
	}
}

// remoteTicket takes a number online for phone and answers its id and
// tracking token.
func (e *env) remoteTicket(service, phone string) (id, token string) {
	e.t.Helper()
	var j struct {
		Ticket struct {
			ID       string `json:"id"`
			TrackURL string `json:"track_url"`
		}
	}
	e.call("POST", "/api/v1/offices/"+e.officeID+"/remote-tickets", nil, map[string]string{"service": service, "phone": phone, "name": "Nguyen Van An"}, 201, &j)
	u, err := url.Parse(j.Ticket.TrackURL)
	if err != nil || u.Query().Get("token") == "" {
		e.t.Fatalf("track_url %q", j.Ticket.TrackURL)
	}
	return j.Ticket.ID, u.Query().Get("token")
}
