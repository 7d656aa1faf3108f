package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"luot/assets"
)

// Feedback reports' citizen pages (phone first, Vietnamese with an
// English switch, like the other citizen pages; html/template files in
// assets/web/citizen with their scripts, which call the JSON API):
//
//	GET /pa          send a report, the reports sent from this phone, the public list
//	GET /pa/new      the report form
//	GET /pa/list     the public list and map, with filters
//	GET /pa/{code}   a report (?k= its reporter's link): timeline, answer, photos, verdict
//
// They are the reports of Config.Feedback's office; without a feedback
// configuration they answer 404.
// The map is Leaflet, served from /static/vendor/leaflet/ when
// scripts/setup.sh has put it there; without it the pages leave the map
// out and say so.
func (s *Server) paRoutes() error {
	files, err := fs.Sub(assets.Web, "web/citizen")
	if err != nil {
		return err
	}
	_, jsErr := fs.Stat(assets.Web, "web/static/vendor/leaflet/leaflet.js")
	_, cssErr := fs.Stat(assets.Web, "web/static/vendor/leaflet/leaflet.css")
	s.leaflet = jsErr == nil && cssErr == nil
	s.paCSP = paPolicy(s.cfg.FeedbackTileURL)
	for _, name := range []string{"pa", "pa-new", "pa-list", "pa-report"} {
		t, err := template.ParseFS(files, "pa-head.html", "notify-section.html", name+".html")
		if err != nil {
			return err
		}
		s.paTpl[name] = t
	}
	m := s.mux
	m.HandleFunc("GET /pa", s.paPage("pa"))
	m.HandleFunc("GET /pa/{$}", s.paPage("pa"))
	m.HandleFunc("GET /pa/new", s.paPage("pa-new"))
	m.HandleFunc("GET /pa/list", s.paPage("pa-list"))
	m.HandleFunc("GET /pa/{code}", s.paPage("pa-report"))
	return nil
}

// paData is what the pages' templates are given.
type paData struct {
	// Office is the office's id, for the pages' API calls.
	Office string
	// Leaflet is true when the build carries Leaflet.
	Leaflet bool
}

func (s *Server) paPage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Feedback == nil || s.cfg.Feedback.Office == "" {
			http.Error(w, "Máy chủ này không nhận phản ánh / this server takes no feedback reports", http.StatusNotFound)
			return
		}
		var b bytes.Buffer
		if err := s.paTpl[name].ExecuteTemplate(&b, name+".html", paData{Office: s.cfg.Feedback.Office, Leaflet: s.leaflet}); err != nil {
			s.log.Error("render feedback page", "page", name, "err", err)
			http.Error(w, "the page could not be made", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", s.paCSP)
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		w.Write(b.Bytes())
	}
}

// paPolicy is the pages' Content-Security-Policy: the server's, with the
// tile server's origin allowed for images when tiles are configured (a
// malformed or non-HTTP URL adds nothing, and the map has no tiles).
func paPolicy(tileURL string) string {
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(tileURL))
	if tileURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return contentSecurityPolicy
	}
	// A host name, a port, an IPv6 address: nothing that could end the
	// directive or add another (';', spaces, quotes).
	for _, c := range u.Host {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c)) {
			return contentSecurityPolicy
		}
	}
	origin := u.Scheme + "://" + u.Host
	return strings.Replace(contentSecurityPolicy, "img-src 'self' data:;", "img-src 'self' data: "+origin+";", 1)
}
