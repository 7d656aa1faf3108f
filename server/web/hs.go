package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"

	"luot/assets"
)

// The applicant's pages of a dossier (hồ sơ), phone first, Vietnamese
// with an English switch like the other citizen pages (html/template
// files in assets/web/citizen with their script, which calls the JSON
// API of docs/dossier.md):
//
//	GET /hs              the look-up form: the dossier's code and the last 4 digits of the phone
//	GET /hs/{code}       the same form with the code filled in
//	GET /hs/{code}?k=    the receipt's QR: the dossier at once
//
// A dossier's page shows its status, the timeline (departments, never
// staff), the due date, the apology and new date when it is late, what
// to bring when supplements are asked for, and, once the result is
// returned, the rating form (once per dossier). The form's two fields
// are what the server needs to find the dossier and its applicant's
// phone without showing either, so that a lost link can be sent again
// by SMS to the phone on file (docs/dossier.md, "Pages").
//
// They are the dossiers of Config.Dossiers's office; without a dossier
// configuration they answer 404.
func (s *Server) hsRoutes() error {
	files, err := fs.Sub(assets.Web, "web/citizen")
	if err != nil {
		return err
	}
	t, err := template.ParseFS(files, "hs.html", "notify-section.html")
	if err != nil {
		return err
	}
	s.hsTpl = t
	m := s.mux
	m.HandleFunc("GET /hs", s.hsPage)
	m.HandleFunc("GET /hs/{$}", s.hsPage)
	m.HandleFunc("GET /hs/{code}", s.hsPage)
	return nil
}

// hsData is what the page's template is given.
type hsData struct {
	// Office is the office's id; Timezone the IANA time zone of its
	// dossier calendar, in which the page writes dates whatever the
	// phone's.
	Office, Timezone string
}

// hsPage serves the look-up form and a dossier's page (one page: the
// script shows the dossier once the server has found it).
func (s *Server) hsPage(w http.ResponseWriter, r *http.Request) {
	c := s.cfg.Dossiers
	if c == nil || c.Office == "" {
		http.Error(w, "Máy chủ này không theo dõi hồ sơ / this server does not follow dossiers", http.StatusNotFound)
		return
	}
	// The API writes the dossiers' times in the calendar's zone; the page
	// reads them in the same one.
	d := hsData{Office: c.Office, Timezone: c.Calendar.Zone().String()}
	if c.Calendar.Location == nil && s.cfg.Engine != nil {
		if v, err := s.cfg.Engine.View(c.Office); err == nil && v.Office.Timezone != "" {
			d.Timezone = v.Office.Timezone
		}
	}
	var b bytes.Buffer
	if err := s.hsTpl.Execute(&b, d); err != nil {
		s.log.Error("render the dossier page", "err", err)
		http.Error(w, "the page could not be made", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	// The link's k is the applicant's key: no page it leads to is told.
	h.Set("Referrer-Policy", "no-referrer")
	w.Write(b.Bytes())
}
