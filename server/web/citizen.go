package web

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"luot/assets"
	"luot/server/auth"
	"luot/server/queue"
)

// Citizens' pages and their routes (mobile-first, Vietnamese with an
// English switch; the pages are static HTML with small plain JavaScript
// that calls the API, files in assets/web/citizen):
//
//	GET /                       the office's start page (a list when the server hosts several)
//	GET /o/{office}             take a number online: service → name and phone → number, link, QR
//	GET /o/{office}/book        book an appointment: service → date → slot → code and QR
//	GET /b/{code}?token=        a booking's confirmation and manage page, printable (code and QR; no personal data)
//	GET /cancel?code=&token=    cancel a booking with its manage link (without it: how to find it)
//	GET /t/{id}?token=          follow a ticket live; cancel it; rate the service
//	GET /qr/t/{id}.png?token=   the QR code of a ticket's tracking link
//	GET /qr/b/{code}.png?token= the QR code of a booking code (the kiosk's scanner reads it), for its booker
//	GET /citizen/{file}         the pages' scripts and style
func (s *Server) citizenRoutes() error {
	files, err := fs.Sub(assets.Web, "web/citizen")
	if err != nil {
		return err
	}
	// The pages are rendered once, here: they are static but for the
	// notifications' controls they share (notify-section.html).
	pages := map[string][]byte{}
	for _, name := range []string{"take.html", "book.html", "booking.html", "cancel.html", "track.html"} {
		t, err := template.ParseFS(files, name, "notify-section.html")
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, nil); err != nil {
			return fmt.Errorf("citizen page %s: %w", name, err)
		}
		pages[name] = b.Bytes()
	}
	page := func(name string) http.HandlerFunc {
		b := pages[name]
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
		}
	}
	m := s.mux
	m.HandleFunc("GET /{$}", s.citizenHome)
	m.HandleFunc("GET /o/{office}", s.withOffice(page("take.html")))
	m.HandleFunc("GET /o/{office}/book", s.withOffice(page("book.html")))
	m.HandleFunc("GET /b/{code}", page("booking.html"))
	m.HandleFunc("GET /cancel", page("cancel.html"))
	m.HandleFunc("GET /t/{id}", page("track.html"))
	m.HandleFunc("GET /qr/t/{id}", s.ticketQR)
	m.HandleFunc("GET /qr/b/{code}", s.bookingQR)
	m.Handle("GET /citizen/", http.StripPrefix("/citizen/", fileServer(files)))
	return nil
}

// withOffice answers 404 for an office the server does not host.
func (s *Server) withOffice(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Engine == nil {
			http.NotFound(w, r)
			return
		}
		if _, err := s.cfg.Engine.View(r.PathValue("office")); err != nil {
			http.Error(w, "Không có văn phòng này / no such office", http.StatusNotFound)
			return
		}
		h(w, r)
	}
}

var homeList = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lượt — Lấy số trực tuyến</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="icon" href="/favicon.ico" sizes="32x32"><link rel="manifest" href="/manifest.webmanifest"><meta name="theme-color" content="#0b4f8a"><link rel="apple-touch-icon" href="/apple-touch-icon.png"><link rel="stylesheet" href="/static/luot.css"><link rel="stylesheet" href="/citizen/citizen.css"></head>
<body><header class="bar"><h1>Lượt</h1></header><main class="page"><h2>Chọn nơi làm thủ tục · Choose an office</h2>
<ul class="choices">{{range .}}<li><a class="choice" href="/o/{{.ID}}">{{.Name}}{{if .NameEN}}<small>{{.NameEN}}</small>{{end}}</a></li>{{end}}</ul></main></body></html>`))

// citizenHome sends citizens to their office's page, or lists the offices.
func (s *Server) citizenHome(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Engine == nil {
		http.NotFound(w, r)
		return
	}
	ids := s.cfg.Engine.OfficeIDs()
	if len(ids) == 1 {
		http.Redirect(w, r, "/o/"+url.PathEscape(ids[0]), http.StatusFound)
		return
	}
	var offices []queue.Office
	for _, id := range ids {
		if v, err := s.cfg.Engine.View(id); err == nil {
			offices = append(offices, v.Office)
		}
	}
	var b bytes.Buffer
	if err := homeList.Execute(&b, offices); err != nil {
		s.log.Error("render home", "err", err)
		http.Error(w, "the page could not be made", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// baseURL is the base of links to the server: PublicURL, or "" (links
// are then relative paths). It is never made from the request's Host
// header: anyone can send Host: evil.example, and a QR code drawn from it
// would send a citizen's phone, with the ticket's token, elsewhere. The
// server sets PublicURL to its own address when -public-url is not given.
func (s *Server) baseURL() string {
	return strings.TrimRight(s.cfg.PublicURL, "/")
}

func writePNG(w http.ResponseWriter, text string) {
	png, err := qrcode.Encode(text, qrcode.Medium, 256)
	if err != nil {
		http.Error(w, "the QR code could not be made", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(png)
}

// ticketQR draws the tracking link of a ticket. The token is checked, so
// that the server draws links only to tickets that exist.
func (s *Server) ticketQR(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(r.PathValue("id"), ".png")
	token := r.URL.Query().Get("token")
	if s.cfg.Engine == nil || id == "" || len(id) > 64 || token == "" || len(token) > 128 {
		http.NotFound(w, r)
		return
	}
	t, _, err := s.cfg.Engine.FindTicket(r.Context(), id)
	if err != nil || t == nil || t.Token != token {
		http.NotFound(w, r)
		return
	}
	writePNG(w, s.baseURL()+"/t/"+url.PathEscape(id)+"?token="+url.QueryEscape(token))
}

// bookingQR draws a booking code — what the kiosk's scanner reads — for
// its booker only: the request must carry the booking's manage token (the
// confirmation page's link has it), and the booking must still be live in
// its office. Anything else is 404, alike, so that the server confirms no
// code to whoever merely guesses or overheard it.
func (s *Server) bookingQR(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSuffix(r.PathValue("code"), ".png")
	token := r.URL.Query().Get("token")
	if s.cfg.Engine == nil || !queue.ValidBookingCode(code) || token == "" || len(token) > 128 {
		http.NotFound(w, r)
		return
	}
	hash := auth.Hash(token)
	for _, id := range s.cfg.Engine.OfficeIDs() {
		v, err := s.cfg.Engine.View(id)
		if err != nil {
			continue
		}
		if b, ok := v.Frozen().Booking(code); ok && len(b.TokenHash) > 0 && subtle.ConstantTimeCompare(b.TokenHash, hash) == 1 {
			writePNG(w, code)
			return
		}
	}
	http.NotFound(w, r)
}
