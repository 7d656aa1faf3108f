package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"luot/server/geo"
	"luot/server/planning"
	"luot/server/planning/planningdemo"
)

// demoCentre is where the tests' demo plan lies (Huế).
var demoCentre = geo.Point{Lat: 16.4637, Lon: 107.5909}

// newPlanningEnv serves the demo's plan (d when given) through the real
// store and API.
func newPlanningEnv(t *testing.T, d *planning.Data) (*env, *Planning) {
	t.Helper()
	data := planningdemo.Data(demoCentre, planning.Info{At: start})
	if d != nil {
		data = *d
	}
	p, err := NewPlanning(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, withConfig(func(c *Config) { c.Planning = p }))
	p.st = e.db
	if err := e.db.ReplaceZones(context.Background(), data.Zones, data.ZonesInfo); err != nil {
		t.Fatal(err)
	}
	if err := e.db.ReplaceParcels(context.Background(), data.Parcels, data.ParcelInfo); err != nil {
		t.Fatal(err)
	}
	return e, p
}

// cellCentre is the centre of the demo grid's block (row, col).
func cellCentre(r, c float64) geo.Point {
	o := geo.Point{Lat: demoCentre.Lat - planningdemo.Cells*planningdemo.Cell/2, Lon: demoCentre.Lon - planningdemo.Cells*planningdemo.Cell/2}
	return geo.Point{Lat: o.Lat + (r+0.5)*planningdemo.Cell, Lon: o.Lon + (c+0.5)*planningdemo.Cell}
}

func at(t *testing.T, e *env, p geo.Point) PlanningAtJSON {
	t.Helper()
	var a PlanningAtJSON
	e.must(t, http.StatusOK, req{method: "GET", path: fmt.Sprintf("/api/v1/planning/at?lat=%v&lon=%v", p.Lat, p.Lon)}).decode(t, &a)
	return a
}

func TestPlanningLookups(t *testing.T) {
	e, _ := newPlanningEnv(t, nil)
	var info PlanningInfoJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/planning/info"}).decode(t, &info)
	if !info.Sample || info.Zones.Count == 0 || info.Parcels.Count < 200 || len(info.Bounds) != 4 {
		t.Fatalf("info %+v", info)
	}
	if info.Bounds[0] >= demoCentre.Lon || info.Bounds[2] <= demoCentre.Lon || info.Bounds[1] >= demoCentre.Lat || info.Bounds[3] <= demoCentre.Lat {
		t.Fatalf("bounds %v do not hold the demo's centre", info.Bounds)
	}

	// The middle of the grid is the culture house, in the park's hole.
	a := at(t, e, demoCentre)
	if len(a.Zones) != 1 || a.Zones[0].Code != "DVH" || a.Outside || !a.Sample {
		t.Fatalf("centre: %+v", a)
	}
	z := a.Zones[0]
	if z.Decision != planningdemo.Decision || z.DecisionDate != planningdemo.DecisionDate || z.Density == 0 || z.Height == 0 {
		t.Fatalf("centre's zone lacks its rules: %+v", z)
	}
	// The park around the hole.
	if a := at(t, e, cellCentre(2, 2)); len(a.Zones) != 1 || a.Zones[0].Code != "CX" {
		t.Fatalf("park: %+v", a)
	}
	// The school's two sites are one zone.
	s1, s2 := at(t, e, cellCentre(0, planningdemo.Cells-1)), at(t, e, cellCentre(planningdemo.Cells-1, 0))
	if len(s1.Zones) != 1 || len(s2.Zones) != 1 || s1.Zones[0].ID != s2.Zones[0].ID || s1.Zones[0].Code != "DGD" {
		t.Fatalf("school: %+v, %+v", s1, s2)
	}
	// A shared border between two blocks is in both.
	o := cellCentre(0, 0)
	border := geo.Point{Lat: o.Lat, Lon: o.Lon + planningdemo.Cell/2}
	if a := at(t, e, border); len(a.Zones) != 2 {
		t.Fatalf("border: %+v", a)
	}
	// Far away: outside the plan, an empty list (not null).
	r := e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/planning/at?lat=21.0285&lon=105.8542"})
	if !strings.Contains(string(r.body), `"zones":[]`) || !strings.Contains(string(r.body), `"outside":true`) {
		t.Fatalf("outside: %s", r.body)
	}

	// A parcel straddling two blocks: two shares that sum to 100 %.
	var pa PlanningParcelJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/planning/parcel?sheet=1&number=3"}).decode(t, &pa)
	if len(pa.Shares) != 2 || pa.AreaM2 <= 0 || len(pa.Geometry) == 0 {
		t.Fatalf("parcel 1/3: %+v", pa)
	}
	sum := pa.Shares[0].Percent + pa.Shares[1].Percent
	if math.Abs(sum-100) > 0.01 || pa.Uncovered > 0.01 || pa.Shares[0].Percent < pa.Shares[1].Percent {
		t.Fatalf("parcel 1/3 shares %+v (sum %v, uncovered %v)", pa.Shares, sum, pa.Uncovered)
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates [][][][]float64 `json:"coordinates"`
	}
	if err := json.Unmarshal(pa.Geometry, &g); err != nil || g.Type != "MultiPolygon" || len(g.Coordinates) != 1 || len(g.Coordinates[0][0]) != 5 {
		t.Fatalf("parcel geometry %s: %v", pa.Geometry, err)
	}
	// A parcel inside one block: one share of 100 %.
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/planning/parcel?sheet=1&number=1"}).decode(t, &pa)
	if len(pa.Shares) != 1 || math.Abs(pa.Shares[0].Percent-100) > 0.01 {
		t.Fatalf("parcel 1/1: %+v", pa.Shares)
	}
	// An unknown parcel: 404 in the asked language.
	r = e.must(t, http.StatusNotFound, req{method: "GET", path: "/api/v1/planning/parcel?sheet=99&number=1", header: map[string]string{"Accept-Language": "vi"}})
	if r.errCode(t) != "unknown_parcel" || !strings.Contains(string(r.body), "tờ bản đồ số 99") {
		t.Fatalf("unknown parcel: %s", r.body)
	}

	// The map's box query: GeoJSON features with their rules.
	b := info.Bounds
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         string        `json:"id"`
			Properties planning.Zone `json:"properties"`
			Geometry   struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
		Truncated bool `json:"truncated"`
		Sample    bool `json:"sample"`
	}
	r = e.must(t, http.StatusOK, req{method: "GET", path: fmt.Sprintf("/api/v1/planning/zones?bbox=%v,%v,%v,%v", b[0], b[1], b[2], b[3])})
	r.decode(t, &fc)
	if fc.Type != "FeatureCollection" || len(fc.Features) != info.Zones.Count || fc.Truncated || !fc.Sample {
		t.Fatalf("zones in the whole box: %d of %d, %+v", len(fc.Features), info.Zones.Count, fc.Truncated)
	}
	if f := fc.Features[0]; f.ID == "" || f.Properties.Code == "" || f.Geometry.Type != "MultiPolygon" {
		t.Fatalf("feature %+v", f)
	}
	// A small box around one block's centre: that block, and the school
	// (whose two sites at opposite corners span the whole grid), not all.
	c := cellCentre(1, 1)
	here := at(t, e, c).Zones[0].ID
	r = e.must(t, http.StatusOK, req{method: "GET", path: fmt.Sprintf("/api/v1/planning/zones?bbox=%v,%v,%v,%v", c.Lon-0.0001, c.Lat-0.0001, c.Lon+0.0001, c.Lat+0.0001)})
	r.decode(t, &fc)
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, f.ID)
	}
	if len(ids) != 2 || !slices.Contains(ids, here) || !slices.Contains(ids, s1.Zones[0].ID) {
		t.Fatalf("zones in a small box: %v, want %s and the school %s", ids, here, s1.Zones[0].ID)
	}
}

func TestPlanningLookupBadInput(t *testing.T) {
	e, _ := newPlanningEnv(t, nil)
	for _, c := range []struct{ path, code string }{
		{"/api/v1/planning/at", "invalid_point"},
		{"/api/v1/planning/at?lat=abc&lon=106", "invalid_point"},
		{"/api/v1/planning/at?lat=91&lon=106", "invalid_point"},
		{"/api/v1/planning/at?lat=NaN&lon=106", "invalid_point"},
		{"/api/v1/planning/at?lat=10&lon=Inf", "invalid_point"},
		{"/api/v1/planning/parcel?sheet=1", "invalid_parcel"},
		{"/api/v1/planning/parcel?sheet=&number=2", "invalid_parcel"},
		{"/api/v1/planning/parcel?sheet=1&number=" + strings.Repeat("9", 33), "invalid_parcel"},
		{"/api/v1/planning/zones", "invalid_bbox"},
		{"/api/v1/planning/zones?bbox=1,2,3", "invalid_bbox"},
		{"/api/v1/planning/zones?bbox=107,16,106,17", "invalid_bbox"},
		{"/api/v1/planning/zones?bbox=a,b,c,d", "invalid_bbox"},
		{"/api/v1/planning/zones?bbox=0,0,200,10", "invalid_bbox"},
	} {
		r := e.must(t, http.StatusBadRequest, req{method: "GET", path: c.path})
		if got := r.errCode(t); got != c.code {
			t.Errorf("%s: code %s, want %s", c.path, got, c.code)
		}
	}
}

// zonesFile is a GeoJSON file of one square zone around p.
func zonesFile(id, code string, p geo.Point, extra string) string {
	d := 0.001
	return fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","id":%q,"properties":{"code":%q,"name":"Đất ở","density":70,"height":20,"floors":5,"far":3.5,"decision":"9/QĐ-UBND","decision_date":"2025-02-01"%s},
		"geometry":{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}}]}`,
		id, code, extra, p.Lon-d, p.Lat-d, p.Lon+d, p.Lat-d, p.Lon+d, p.Lat+d, p.Lon-d, p.Lat+d, p.Lon-d, p.Lat-d)
}

func TestPlanningImport(t *testing.T) {
	e, p := newPlanningEnv(t, nil)
	admin := e.login(t, "admin", "")
	where := geo.Point{Lat: 10.7769, Lon: 106.7009}
	if a := at(t, e, where); !a.Outside {
		t.Fatalf("before the import: %+v", a)
	}
	var info PlanningInfoJSON
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/planning/zones?name=Quy+ho%E1%BA%A1ch+Q1", token: admin,
		body: zonesFile("Q1-01", "ODT", where, ""), ctype: "application/geo+json"}).decode(t, &info)
	if info.Zones.Count != 1 || info.Zones.Name != "Quy hoạch Q1" || info.Zones.CRS != "EPSG:4326" || info.Zones.Sample || !info.Zones.At.Equal(e.clock.Now()) {
		t.Fatalf("import answer %+v", info)
	}
	// The parcels are still the demo's: they stay sample data.
	if !info.Parcels.Sample || !p.Sample() {
		t.Fatalf("the demo parcels lost their sample mark: %+v", info)
	}
	if a := at(t, e, where); len(a.Zones) != 1 || a.Zones[0].ID != "Q1-01" || a.Zones[0].Floors != 5 {
		t.Fatalf("after the import: %+v", a)
	}
	// The demo's zones are gone (replaced whole).
	if a := at(t, e, demoCentre); len(a.Zones) != 0 {
		t.Fatalf("the old zones answer: %+v", a)
	}
	// Stored: a reload has the new zones.
	d, err := e.db.LoadPlanning(context.Background())
	if err != nil || len(d.Zones) != 1 || d.Zones[0].ID != "Q1-01" || d.ZonesInfo.Name != "Quy hoạch Q1" {
		t.Fatalf("stored %+v, %v", d.ZonesInfo, err)
	}
	log, err := e.db.AuditLog(context.Background(), office, 10)
	if err != nil || len(log) == 0 || log[0].Action != "planning_import_zones" || log[0].Who != "admin" || !strings.Contains(log[0].Detail, "1 zones") {
		t.Fatalf("audit %+v, %v", log, err)
	}

	// Parcels: a parcel over the new zone.
	parcels := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"7","number":"42"},
		"geometry":{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}}]}`,
		where.Lon, where.Lat, where.Lon+0.0002, where.Lat, where.Lon+0.0002, where.Lat+0.0002, where.Lon, where.Lat+0.0002, where.Lon, where.Lat)
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/planning/parcels", token: admin, body: parcels, ctype: "application/geo+json"}).decode(t, &info)
	if info.Parcels.Count != 1 || p.Sample() {
		t.Fatalf("parcels import %+v (sample %v)", info, p.Sample())
	}
	var pa PlanningParcelJSON
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/planning/parcel?sheet=7&number=42"}).decode(t, &pa)
	if len(pa.Shares) != 1 || pa.Shares[0].Zone.ID != "Q1-01" || math.Abs(pa.Shares[0].Percent-100) > 0.01 || pa.Sample {
		t.Fatalf("imported parcel %+v", pa)
	}
}

// countingReader serves n zero bytes, counting what was read.
type countingReader struct {
	n, read int64
	count   *atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n-r.read)
	clear(p[:k])
	r.read += k
	r.count.Add(k)
	return int(k), nil
}

// The import's bad-input matrix: every refusal changes nothing.
func TestPlanningImportBadInput(t *testing.T) {
	e, p := newPlanningEnv(t, nil)
	admin := e.login(t, "admin", "")
	clerk := e.login(t, "nv1", "q1")
	where := geo.Point{Lat: 10.7769, Lon: 106.7009}
	good := zonesFile("Z1", "ODT", where, "")
	before := p.cur.Load()
	swapped := strings.NewReplacer(fmt.Sprint(where.Lon-0.001), "LON0", fmt.Sprint(where.Lat-0.001), "LAT0").Replace(good)
	swapped = strings.NewReplacer("LON0", fmt.Sprint(where.Lat-0.001), "LAT0", fmt.Sprint(where.Lon-0.001)).Replace(swapped)
	for _, c := range []struct {
		name, path, token, body string
		status                  int
		code, says              string
	}{
		{"no session", "/api/v1/planning/zones", "", good, 401, "", ""},
		{"a clerk", "/api/v1/planning/zones", clerk, good, 403, "", ""},
		{"broken JSON", "/api/v1/planning/zones", admin, `{"type":"FeatureCollection","features":[{"type":`, 400, "invalid_planning", "ends in the middle"},
		{"not JSON", "/api/v1/planning/zones", admin, `hello`, 400, "invalid_planning", "not valid JSON"},
		{"unknown property", "/api/v1/planning/zones", admin, zonesFile("Z1", "ODT", where, `,"mau_sac":"do"`), 400, "invalid_planning", "mau_sac"},
		{"lat/long swapped", "/api/v1/planning/zones", admin, swapped, 400, "invalid_planning", "latitude first"},
		{"WGS 84 given as VN-2000", "/api/v1/planning/zones?crs=vn2000&meridian=105.75&zone=3", admin, good, 400, "invalid_planning", "WGS 84"},
		{"unknown crs", "/api/v1/planning/zones?crs=utm", admin, good, 400, "invalid_crs", "utm"},
		{"VN-2000 without meridian", "/api/v1/planning/zones?crs=vn2000", admin, good, 400, "invalid_crs", "meridian"},
		{"empty", "/api/v1/planning/zones", admin, "", 400, "empty_import", ""},
		{"parcel without number", "/api/v1/planning/parcels", admin, `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"1"},"geometry":{"type":"Polygon","coordinates":[[[106.7,10.7],[106.701,10.7],[106.701,10.701],[106.7,10.7]]]}}]}`, 400, "invalid_planning", "number"},
		{"name too long", "/api/v1/planning/zones?name=" + strings.Repeat("a", 201), admin, good, 400, "invalid_name", ""},
	} {
		r := e.do(t, req{method: "POST", path: c.path, token: c.token, body: c.body, ctype: "application/geo+json", header: map[string]string{"Accept-Language": "en"}})
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		if c.code != "" && r.errCode(t) != c.code {
			t.Errorf("%s: code %s, want %s: %s", c.name, r.errCode(t), c.code, r.body)
		}
		if !strings.Contains(string(r.body), c.says) {
			t.Errorf("%s: the message does not say %q: %s", c.name, c.says, r.body)
		}
	}
	if p.cur.Load() != before {
		t.Fatal("a refused import changed the plan")
	}
	d, err := e.db.LoadPlanning(context.Background())
	if err != nil || !d.ZonesInfo.Sample || len(d.Zones) != len(before.data.Zones) {
		t.Fatalf("a refused import changed the store: %+v, %v", d.ZonesInfo, err)
	}

	// A 500 MB upload is refused from its Content-Length, before the body
	// is read: the client gets its 413 having sent a small part.
	var sent atomic.Int64
	body := &countingReader{n: 500 << 20, count: &sent}
	r, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/planning/zones", body)
	r.ContentLength = body.n
	r.Header.Set("Authorization", "Bearer "+admin)
	r.Header.Set("Content-Type", "application/geo+json")
	res, err := e.srv.Client().Do(r)
	if err != nil {
		t.Fatalf("500 MB upload: %v (after %d bytes sent)", err, sent.Load())
	}
	msg, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(msg), "body_too_large") {
		t.Fatalf("500 MB upload: %d %s", res.StatusCode, msg)
	}
	if n := sent.Load(); n > 64<<20 {
		t.Fatalf("500 MB upload: the client sent %d bytes before the refusal", n)
	}
	if p.cur.Load() != before {
		t.Fatal("the oversize import changed the plan")
	}
}

// A second server process on the same database serves another process's
// import after Refresh; without a change Refresh reads nothing more.
func TestPlanningRefresh(t *testing.T) {
	e, p := newPlanningEnv(t, nil)
	other, err := NewPlanning(e.db, planning.Data{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := other.Refresh(context.Background(), e.db); err != nil || !ok || !other.Sample() {
		t.Fatalf("first refresh: %v, %v, sample %v", ok, err, other.Sample())
	}
	before := other.cur.Load()
	if ok, err := other.Refresh(context.Background(), e.db); err != nil || ok || other.cur.Load() != before {
		t.Fatalf("refresh without a change: %v, %v", ok, err)
	}
	admin := e.login(t, "admin", "")
	where := geo.Point{Lat: 10.7769, Lon: 106.7009}
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/planning/zones", token: admin, body: zonesFile("Q1-01", "ODT", where, ""), ctype: "application/geo+json"})
	if a := other.Plan().At(where); len(a.Zones) != 0 {
		t.Fatalf("the other process answers before its refresh: %+v", a)
	}
	if ok, err := other.Refresh(context.Background(), e.db); err != nil || !ok {
		t.Fatalf("refresh after an import: %v, %v", ok, err)
	}
	if a := other.Plan().At(where); len(a.Zones) != 1 || a.Zones[0].ID != "Q1-01" {
		t.Fatalf("the other process after its refresh: %+v", a)
	}
	// The importing process itself has nothing to reload.
	if ok, err := p.Refresh(context.Background(), e.db); err != nil || ok {
		t.Fatalf("the importer's own refresh: %v, %v", ok, err)
	}
}
