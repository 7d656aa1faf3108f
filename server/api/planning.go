package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"luot/server/auth"
	"luot/server/geo"
	"luot/server/planning"
	"luot/server/queue"
)

// The planning look-up's API (docs/planning.md):
//
//	GET  /api/v1/planning/info                    anyone: the imports (name, CRS, sample, date, count) and the planned area's box
//	GET  /api/v1/planning/at?lat=&lon=            anyone: the zones containing the point, or outside: true
//	GET  /api/v1/planning/parcel?sheet=&number=   anyone: the parcel, its area and the zones it overlaps with their shares
//	GET  /api/v1/planning/zones?bbox=W,S,E,N      anyone: the zones meeting the box as a GeoJSON FeatureCollection (for the map)
//	POST /api/v1/planning/zones                   admins: body = GeoJSON of the zones (?crs=vn2000&meridian=105.75&zone=3&name=)
//	POST /api/v1/planning/parcels                 admins: body = GeoJSON of the parcels (same parameters)
//
// The routes exist when Config.Planning is set. An import replaces the
// previous one of its kind atomically: stored in one transaction, then the
// new Plan swapped in whole, so a look-up sees the old plan or the new.

// PlanningStore keeps the imports; *store.DB implements it.
type PlanningStore interface {
	ReplaceZones(ctx context.Context, zones []planning.Zone, info planning.Info) error
	ReplaceParcels(ctx context.Context, parcels []planning.Parcel, info planning.Info) error
}

// Planning is the current plan, swapped whole after an import. Make it
// with NewPlanning; the web pages read it too.
type Planning struct {
	// Map is the map the page draws (its tiles, centre and zoom); set
	// it before serving.
	Map FeedbackMap

	st  PlanningStore
	cur atomic.Pointer[planState]
	// mu serializes imports: each builds on the other kind's current data.
	mu sync.Mutex
}

// planState is one plan and what it was built from.
type planState struct {
	plan *planning.Plan
	data planning.Data
	// zones indexes the zones' boxes, for the map's box queries.
	zones *geo.Index
	boxes []geo.Box
}

// NewPlanning builds the plan of d (what the store holds) and keeps it
// for the API; imports are written to st.
func NewPlanning(st PlanningStore, d planning.Data) (*Planning, error) {
	ps, err := newPlanState(d)
	if err != nil {
		return nil, err
	}
	p := &Planning{st: st}
	p.cur.Store(ps)
	return p, nil
}

func newPlanState(d planning.Data) (*planState, error) {
	plan, err := planning.New(d)
	if err != nil {
		return nil, err
	}
	boxes := make([]geo.Box, len(d.Zones))
	for i, z := range d.Zones {
		boxes[i] = z.Area.Box()
	}
	return &planState{plan: plan, data: d, zones: geo.NewIndex(boxes), boxes: boxes}, nil
}

// Plan is the current plan.
func (p *Planning) Plan() *planning.Plan { return p.cur.Load().plan }

// Sample reports whether the current zones or parcels are invented demo
// data, which every page showing them must say.
func (p *Planning) Sample() bool {
	d := p.cur.Load().data
	return d.ZonesInfo.Sample || d.ParcelInfo.Sample
}

// PlanningSource is where Refresh reads the imports; *store.DB
// implements it.
type PlanningSource interface {
	PlanningImports(ctx context.Context) (zones, parcels planning.Info, err error)
	LoadPlanning(ctx context.Context) (planning.Data, error)
}

// Refresh reloads the plan when the stored imports differ from the ones
// served: another server process sharing the database imported. It reads
// only the imports' descriptions unless they changed; the new plan is
// built aside and swapped in whole. It reports whether it reloaded.
func (p *Planning) Refresh(ctx context.Context, src PlanningSource) (bool, error) {
	zi, pi, err := src.PlanningImports(ctx)
	if err != nil {
		return false, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := p.cur.Load().data
	if sameImport(zi, cur.ZonesInfo) && sameImport(pi, cur.ParcelInfo) {
		return false, nil
	}
	d, err := src.LoadPlanning(ctx)
	if err != nil {
		return false, err
	}
	ps, err := newPlanState(d)
	if err != nil {
		return false, fmt.Errorf("planning look-up: the stored plan cannot be built: %w", err)
	}
	p.cur.Store(ps)
	return true, nil
}

// sameImport compares two descriptions of an import (times by instant:
// the store gives them back in UTC).
func sameImport(a, b planning.Info) bool {
	return a.Name == b.Name && a.CRS == b.CRS && a.Sample == b.Sample && a.Count == b.Count && a.At.Equal(b.At)
}

// Imports describe the current imports of zones and of parcels.
func (p *Planning) Imports() (zones, parcels planning.Info) {
	d := p.cur.Load().data
	return d.ZonesInfo, d.ParcelInfo
}

// MaxMapZones caps the zones of one map query: a box holding more is
// answered with the first ones and truncated: true (zoom in).
const MaxMapZones = 500

func (s *Server) planningRoutes() {
	if s.cfg.Planning == nil {
		return
	}
	const p = "/api/v1/planning"
	m := s.mux
	m.HandleFunc("GET "+p+"/info", s.planningInfo)
	m.HandleFunc("GET "+p+"/at", s.planningAt)
	m.HandleFunc("GET "+p+"/parcel", s.planningParcel)
	m.HandleFunc("GET "+p+"/zones", s.planningZones)
	m.HandleFunc("POST "+p+"/zones", s.planningImport("zones"))
	m.HandleFunc("POST "+p+"/parcels", s.planningImport("parcels"))
}

// PlanningInfoJSON is the answer of GET /planning/info.
type PlanningInfoJSON struct {
	Zones   planning.Info `json:"zones"`
	Parcels planning.Info `json:"parcels"`
	// Sample is true when either import is invented demo data.
	Sample bool `json:"sample"`
	// Bounds is the box of every zone and parcel, [W, S, E, N]; absent
	// when nothing is imported.
	Bounds []float64 `json:"bounds,omitempty"`
	// Map is the map to draw: tiles when tile_url is set, and where to
	// look when nothing is imported.
	Map FeedbackMapJSON `json:"map"`
}

func (s *Server) planningInfo(w http.ResponseWriter, r *http.Request) {
	ps := s.cfg.Planning.cur.Load()
	m := s.cfg.Planning.Map
	j := PlanningInfoJSON{Zones: ps.data.ZonesInfo, Parcels: ps.data.ParcelInfo, Sample: s.cfg.Planning.Sample(),
		Map: FeedbackMapJSON{TileURL: m.TileURL, Attribution: m.Attribution, Center: [2]float64{m.Center.Lat, m.Center.Lon}, Zoom: m.Zoom}}
	if b := ps.plan.Bounds(); !b.Empty() {
		j.Bounds = []float64{b.Min.Lon, b.Min.Lat, b.Max.Lon, b.Max.Lat}
	}
	writeJSON(w, http.StatusOK, j)
}

// PlanningAtJSON is the answer of GET /planning/at.
type PlanningAtJSON struct {
	planning.PointAnswer
	Point  geo.Point `json:"point"`
	Sample bool      `json:"sample"`
}

func (s *Server) planningAt(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lat, err1 := strconv.ParseFloat(q.Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(q.Get("lon"), 64)
	pt := geo.Point{Lat: lat, Lon: lon}
	if err1 != nil || err2 != nil || !pt.Valid() {
		s.fail(w, r, badRequest("invalid_point", "give the point as ?lat=&lon= in decimal degrees (latitude -90 to 90, longitude -180 to 180), e.g. ?lat=10.7769&lon=106.7009"))
		return
	}
	ans := s.cfg.Planning.Plan().At(pt)
	if ans.Zones == nil {
		ans.Zones = []planning.Zone{}
	}
	writeJSON(w, http.StatusOK, PlanningAtJSON{PointAnswer: ans, Point: pt, Sample: s.cfg.Planning.Sample()})
}

// PlanningParcelJSON is the answer of GET /planning/parcel: the look-up
// and the parcel's outline as a GeoJSON geometry, for the map.
type PlanningParcelJSON struct {
	planning.ParcelAnswer
	Geometry json.RawMessage `json:"geometry"`
	Sample   bool            `json:"sample"`
}

// maxParcelField bounds sheet and number: the cadastre writes a few digits.
const maxParcelField = 32

func (s *Server) planningParcel(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sheet, number := strings.TrimSpace(q.Get("sheet")), strings.TrimSpace(q.Get("number"))
	if sheet == "" || number == "" || len(sheet) > maxParcelField || len(number) > maxParcelField {
		s.fail(w, r, badRequest("invalid_parcel", "give the map sheet and the parcel number as the parameters \"sheet\" and \"number\" (each 1 to {max} characters), as the land-use certificate writes them", "max", maxParcelField))
		return
	}
	ans, err := s.cfg.Planning.Plan().Parcel(sheet, number)
	if errors.Is(err, queue.ErrNotFound) {
		s.fail(w, r, newError(http.StatusNotFound, "unknown_parcel", "no parcel {number} on map sheet {sheet} in the imported cadastre: check the numbers on the land-use certificate", "sheet", sheet, "number", number))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ans.Shares == nil {
		ans.Shares = []planning.Share{}
	}
	writeJSON(w, http.StatusOK, PlanningParcelJSON{ParcelAnswer: ans, Geometry: geometryJSON(ans.Parcel.Area), Sample: s.cfg.Planning.Sample()})
}

// planningZones answers the zones meeting a box as GeoJSON, each with its
// rules as properties, for the map to draw.
func (s *Server) planningZones(w http.ResponseWriter, r *http.Request) {
	box, ok := parseBBox(r.URL.Query().Get("bbox"))
	if !ok {
		s.fail(w, r, badRequest("invalid_bbox", "give the box as ?bbox=W,S,E,N in decimal degrees (west, south, east, north), west below east and south below north"))
		return
	}
	ps := s.cfg.Planning.cur.Load()
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	n, truncated := 0, false
	ps.zones.SearchBox(box, func(i int) bool {
		if n == MaxMapZones {
			truncated = true
			return false
		}
		z := ps.data.Zones[i]
		props, _ := json.Marshal(z)
		if n > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":%s,"properties":%s,"geometry":%s}`, mustJSON(z.ID), props, geometryJSON(z.Area))
		n++
		return true
	})
	fmt.Fprintf(&b, `],"truncated":%t,"sample":%t}`, truncated, s.cfg.Planning.Sample())
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	io.WriteString(w, b.String())
}

// parseBBox reads "W,S,E,N".
func parseBBox(s string) (geo.Box, bool) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return geo.Box{}, false
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return geo.Box{}, false
		}
		v[i] = f
	}
	b := geo.Box{Min: geo.Point{Lon: v[0], Lat: v[1]}, Max: geo.Point{Lon: v[2], Lat: v[3]}}
	if !b.Min.Valid() || !b.Max.Valid() || b.Min.Lon > b.Max.Lon || b.Min.Lat > b.Max.Lat {
		return geo.Box{}, false
	}
	return b, true
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// geometryJSON writes m as a GeoJSON MultiPolygon ([lon, lat] positions).
func geometryJSON(m geo.MultiPolygon) json.RawMessage {
	b := make([]byte, 0, 64)
	b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
	for i, poly := range m {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, ring := range poly {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for k, p := range ring {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = strconv.AppendFloat(b, p.Lon, 'f', -1, 64)
				b = append(b, ',')
				b = strconv.AppendFloat(b, p.Lat, 'f', -1, 64)
				b = append(b, ']')
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// importReadTime is how long an import's body may take to arrive: a file
// of MaxImportBytes over a slow office line, beyond the server's usual
// read timeout.
const importReadTime = 10 * time.Minute

// maxImportName bounds the import's name.
const maxImportName = 200

// planningImport imports the zones or the parcels from the request's
// GeoJSON body, for an administrator.
func (s *Server) planningImport(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		se, err := s.require(r, auth.ManageOffice)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		crs, crsName, err := importCRS(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		name := strings.TrimSpace(r.URL.Query().Get("name"))
		if len([]rune(name)) > maxImportName {
			s.fail(w, r, badRequest("invalid_name", "the import's name is longer than {max} characters: shorten it", "max", maxImportName))
			return
		}
		if r.ContentLength > planning.MaxImportBytes {
			s.fail(w, r, newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", int64(planning.MaxImportBytes)))
			return
		}
		if r.ContentLength == 0 {
			s.fail(w, r, badRequest("empty_import", "the request body is empty: send the GeoJSON file as the body"))
			return
		}
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(importReadTime))
		body := http.MaxBytesReader(w, r.Body, planning.MaxImportBytes+1)
		p := s.cfg.Planning
		p.mu.Lock()
		defer p.mu.Unlock()
		d := p.cur.Load().data
		info := planning.Info{Name: name, CRS: crsName, At: s.now().UTC()}
		switch kind {
		case "zones":
			d.Zones, err = planning.DecodeZones(body, crs)
			info.Count = len(d.Zones)
			d.ZonesInfo = info
		default:
			d.Parcels, err = planning.DecodeParcels(body, crs)
			info.Count = len(d.Parcels)
			d.ParcelInfo = info
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = newError(http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than {max} bytes", "max", int64(planning.MaxImportBytes))
		}
		if err != nil && r.Context().Err() != nil {
			return // the client left mid-upload; nobody reads the answer
		}
		if err != nil {
			s.fail(w, r, importError(err))
			return
		}
		ps, err := newPlanState(d)
		if err != nil {
			s.fail(w, r, importError(err))
			return
		}
		if kind == "zones" {
			err = p.st.ReplaceZones(r.Context(), d.Zones, info)
		} else {
			err = p.st.ReplaceParcels(r.Context(), d.Parcels, info)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.cur.Store(ps)
		s.audit(r, se.Office, se.Staff, "planning_import_"+kind, fmt.Sprintf("%d %s, %s, %q", info.Count, kind, crsName, name))
		zi, pi := ps.plan.Info()
		writeJSON(w, http.StatusOK, PlanningInfoJSON{Zones: zi, Parcels: pi, Sample: zi.Sample || pi.Sample})
	}
}

// importError is a refused import (the file, its coordinate system or
// the plan built from it) as a 400 in the domain's words: a queue.Error
// keeps its template and code.
func importError(err error) error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	code, status := "invalid_import", http.StatusBadRequest
	var qe *queue.Error
	if errors.As(err, &qe) && qe.Code != "" {
		code = qe.Code
	}
	if code == "file_too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	return domainError(status, code, err)
}

// importCRS reads the file's coordinate system from the query: nothing
// or crs=wgs84 for GeoJSON's own longitude, latitude; crs=vn2000 with
// meridian (degrees) and zone (3 or 6, the zone's width in degrees).
func importCRS(r *http.Request) (planning.CRS, string, error) {
	q := r.URL.Query()
	switch strings.ToLower(q.Get("crs")) {
	case "", "wgs84", "epsg:4326":
		return planning.CRS{}, "EPSG:4326", nil
	case "vn2000":
	default:
		return planning.CRS{}, "", badRequest("invalid_crs", "crs {crs} is unknown: use crs=wgs84 (GeoJSON's longitude, latitude) or crs=vn2000 with meridian= and zone=", "crs", q.Get("crs"))
	}
	m, err1 := strconv.ParseFloat(q.Get("meridian"), 64)
	zone, err2 := strconv.Atoi(q.Get("zone"))
	v := geo.VN2000{CentralMeridian: m, ZoneWidth: zone}
	if err1 != nil || err2 != nil {
		return planning.CRS{}, "", badRequest("invalid_crs", "VN-2000 needs the province's central meridian in degrees and the zone's width (3 or 6), e.g. crs=vn2000&meridian=105.75&zone=3")
	}
	if err := v.Validate(); err != nil {
		return planning.CRS{}, "", importError(err)
	}
	return planning.CRS{VN2000: &v}, fmt.Sprintf("VN-2000 %s° (%d°)", strconv.FormatFloat(m, 'f', -1, 64), zone), nil
}
