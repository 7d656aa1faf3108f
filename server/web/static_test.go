package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// TestStaticFoldersAreNotListed: the embedded files are served, but a
// folder under /static/ or /citizen/ answers 404, not a list of the
// files (however the path is spelt, after any redirect).
func TestStaticFoldersAreNotListed(t *testing.T) {
	e := newEnv(t)
	get := func(path string) (int, string) {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, p := range []string{"/static/luot.css", "/static/staff/board.js", "/citizen/take.js", "/citizen/citizen.css"} {
		if st, _ := get(p); st != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, st)
		}
	}
	for _, p := range []string{
		"/static/", "/static", "/static/staff/", "/static/staff", "/static/./staff/", "/static//staff/",
		"/static/staff/../", "/static/%2e/", "/citizen/", "/citizen", "/citizen/./", "/citizen/index.html",
		"/static/index.html", "/static/staff/index.html",
	} {
		st, body := get(p)
		if st != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404: %.200s", p, st, body)
		}
		for _, leak := range []string{"luot.css", "board.js", "take.js", "staff/", "<a href"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s lists the folder (%q): %.200s", p, leak, body)
			}
		}
	}
}

// TestQRNeverNamesTheHostHeader: the QR code of a ticket's tracking link
// names the configured public address — or, without one, is a relative
// link — whatever Host header the request carries: a forged Host (or one
// a proxy passes on) must not send a phone, with the ticket's token,
// elsewhere.
func TestQRNeverNamesTheHostHeader(t *testing.T) {
	e := newEnv(t)
	var a struct {
		Ticket struct {
			ID       string `json:"id"`
			TrackURL string `json:"track_url"`
		} `json:"ticket"`
	}
	e.call("POST", "/api/v1/offices/"+office+"/tickets", map[string]string{"X-Device-Key": kioskKey}, map[string]string{"service": "chung-thuc"}, 201, &a)
	id := a.Ticket.ID
	tok := a.Ticket.TrackURL[strings.Index(a.Ticket.TrackURL, "token=")+6:]
	link := "/t/" + id + "?token=" + tok
	qrPath := "/qr/t/" + id + ".png?token=" + tok
	qr := func(text string) []byte {
		png, err := qrcode.Encode(text, qrcode.Medium, 256)
		if err != nil {
			t.Fatal(err)
		}
		return png
	}
	const public = "https://mot-cua.example.gov.vn"
	withPublic, err := New(Config{Engine: e.eng, DB: e.db, PublicURL: public + "/", Log: e.web.log})
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "[::1]:1"} {
		// Through the server, without a public address: a relative link.
		r, _ := http.NewRequest("GET", e.srv.URL+qrPath, nil)
		r.Host = host
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		png, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(png, qr(link)) {
			t.Errorf("Host %s: %d, the QR is not the relative link %s", host, res.StatusCode, link)
		}
		if bytes.Equal(png, qr("http://"+host+link)) {
			t.Errorf("Host %s: the QR names the Host header", host)
		}
		// With a public address: that address.
		req := httptest.NewRequest("GET", qrPath, nil)
		req.Host = host
		w := httptest.NewRecorder()
		withPublic.ServeHTTP(w, req)
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), qr(public+link)) {
			t.Errorf("Host %s with PublicURL: %d, the QR is not %s", host, w.Code, public+link)
		}
	}
}
