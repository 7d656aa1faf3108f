package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"

	"luot/assets"
	"luot/server/planning"
)

// The planning look-up's citizen page (tra cứu quy hoạch; phone first,
// Vietnamese with an English switch like the other citizen pages):
//
//	GET /qh   a map of the plan's zones (tap: the zone's rules), "my
//	          location", and a parcel search by map sheet and parcel number
//
// The page calls the JSON API (/api/v1/planning/…). The map is Leaflet
// when the build has it (see paRoutes), drawing tiles from the feedback
// map's tile URL when one is configured; without tiles the zones are
// drawn on a plain background, and without Leaflet the page still looks
// up "my location" and parcels. A plan imported as sample data says so on
// the page, rendered by the server so that no script is needed to see it.

// PlanningView is what the page needs of the planning look-up
// (*api.Planning implements it).
type PlanningView interface {
	// Sample reports whether the plan shown is invented demo data.
	Sample() bool
	// Imports describe the current imports of zones and of parcels.
	Imports() (zones, parcels planning.Info)
}

// qhData is what the page's template is given.
type qhData struct {
	Leaflet bool
	Sample  bool
}

func (s *Server) qhRoutes() error {
	files, err := fs.Sub(assets.Web, "web/citizen")
	if err != nil {
		return err
	}
	t, err := template.ParseFS(files, "qh.html")
	if err != nil {
		return err
	}
	s.qhTpl = t
	s.mux.HandleFunc("GET /qh", s.qhPage)
	s.mux.HandleFunc("GET /qh/{$}", s.qhPage)
	return nil
}

func (s *Server) qhPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Planning == nil {
		http.Error(w, "Máy chủ này không có tra cứu quy hoạch / this server has no planning look-up", http.StatusNotFound)
		return
	}
	var b bytes.Buffer
	if err := s.qhTpl.Execute(&b, qhData{Leaflet: s.leaflet, Sample: s.cfg.Planning.Sample()}); err != nil {
		s.log.Error("render planning page", "err", err)
		http.Error(w, "the page could not be made", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", s.paCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}
