package planning

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"luot/server/geo"
	"luot/server/queue"
)

// square is a closed ring around (lon, lat), side s degrees, in GeoJSON.
func square(lon, lat, s float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", lon, lat, lon+s, lat, lon+s, lat+s, lon, lat+s, lon, lat)
}

const zonesFile = `{"type": "FeatureCollection", "name": "QH 1/2000", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
 "features": [
  {"type": "Feature", "id": "Z-1", "properties": {"code": "ODT", "name": "Đất ở đô thị", "density": 60, "height": 25, "floors": 7, "far": 4.2,
    "decision": "1234/QĐ-UBND", "decision_date": "2024-03-15"},
   "geometry": {"type": "Polygon", "coordinates": [` + "%s, %s" + `]}},
  {"type": "Feature", "properties": {"id": 7, "code": "CX", "name": "Cây xanh", "density": null, "decision": "1234/QĐ-UBND", "decision_date": "2024-03-15"},
   "geometry": {"type": "MultiPolygon", "coordinates": [[` + "%s" + `], [` + "%s" + `]]}}
 ]}`

func TestDecodeZones(t *testing.T) {
	file := fmt.Sprintf(zonesFile, square(106.70, 10.77, 0.01), square(106.703, 10.773, 0.002), square(106.72, 10.77, 0.01), square(106.74, 10.77, 0.01))
	zones, err := DecodeZones(strings.NewReader(file), CRS{})
	if err != nil {
		t.Fatal(err)
	}
	if len(zones) != 2 {
		t.Fatalf("%d zones, want 2", len(zones))
	}
	z := zones[0]
	want := Zone{ID: "Z-1", Code: "ODT", Name: "Đất ở đô thị", Density: 60, Height: 25, Floors: 7, FAR: 4.2, Decision: "1234/QĐ-UBND", DecisionDate: "2024-03-15"}
	z.Area = nil
	if !reflect.DeepEqual(z, want) {
		t.Errorf("zone 1 = %+v\nwant %+v", z, want)
	}
	if a := zones[0].Area; len(a) != 1 || len(a[0]) != 2 || a[0][0][0] != (geo.Point{Lon: 106.70, Lat: 10.77}) {
		t.Errorf("zone 1's area = %v; want one polygon with a hole, [lon, lat] read as Lon, Lat", a)
	}
	if zones[1].ID != "7" || zones[1].Density != 0 || len(zones[1].Area) != 2 {
		t.Errorf("zone 2 = %+v; want id 7 (a number), no density, two polygons", zones[1])
	}
	if !zones[0].Area.Contains(geo.Point{Lon: 106.701, Lat: 10.771}) || zones[0].Area.Contains(geo.Point{Lon: 106.704, Lat: 10.774}) {
		t.Error("zone 1 does not read as an area with a hole")
	}
}

// parcelsFile writes parcels as a FeatureCollection, positions given by
// pos from WGS 84.
func parcelsFile(t testing.TB, n int, pos func(p geo.Point) (x, y float64)) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		lon, lat := 106.6+float64(i%400)*0.0005, 10.7+float64(i/400)*0.0005
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"sheet":%d,"number":"%d"},"geometry":{"type":"Polygon","coordinates":[[`, i/400+1, i%400+1)
		for j, c := range [][2]float64{{0, 0}, {0.0004, 0}, {0.0004, 0.0004}, {0, 0.0004}, {0, 0}} {
			x, y := pos(geo.Point{Lon: lon + c[0], Lat: lat + c[1]})
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%.9f,%.9f]", x, y)
		}
		b.WriteString("]]}}")
	}
	b.WriteString("]}")
	return b.Bytes()
}

func TestDecodeBOM(t *testing.T) {
	file := "\ufeff" + `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"1","number":"2"},"geometry":{"type":"Polygon","coordinates":[` + square(106.7, 10.7, 0.001) + `]}}]}`
	parcels, err := DecodeParcels(strings.NewReader(file), CRS{})
	if err != nil || len(parcels) != 1 {
		t.Fatalf("a file with a byte-order mark: %d parcels, %v", len(parcels), err)
	}
}

func TestDecodeParcelsVN2000(t *testing.T) {
	v := &geo.VN2000{CentralMeridian: 105.75, ZoneWidth: 3}
	file := parcelsFile(t, 50, func(p geo.Point) (float64, float64) {
		n, e, err := v.FromWGS84(p)
		if err != nil {
			t.Fatal(err)
		}
		return e, n // GeoJSON: [easting, northing]
	})
	parcels, err := DecodeParcels(bytes.NewReader(file), CRS{VN2000: v})
	if err != nil {
		t.Fatal(err)
	}
	if len(parcels) != 50 || parcels[3].Sheet != "1" || parcels[3].Number != "4" {
		t.Fatalf("%d parcels, the fourth %+v; want 50, sheet 1 parcel 4", len(parcels), parcels[3])
	}
	got := parcels[3].Area[0][0][0]
	if d := geo.Distance(got, geo.Point{Lon: 106.6015, Lat: 10.7}); d > 0.01 {
		t.Errorf("the fourth parcel's corner came back at %v, %.3f m from where it was written", got, d)
	}
	if got := (CRS{VN2000: v}).String(); got != "VN-2000 105.75 3°" {
		t.Errorf("CRS.String() = %q", got)
	}
}

// TestDecodeRefuses is the bad-input matrix: each file is refused with
// the feature's place and id and what to do, and nothing is returned.
func TestDecodeRefuses(t *testing.T) {
	hcmc := &geo.VN2000{CentralMeridian: 105.75, ZoneWidth: 3}
	zone := func(props, geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{"code":"ODT","name":"x","decision":"1/QĐ","decision_date":"2024-01-02"},"geometry":{"type":"Polygon","coordinates":[` + square(106.7, 10.7, 0.01) + `]}},` +
			`{"type":"Feature",` + props + `,"geometry":` + geometry + `}]}`
	}
	good := `{"type":"Polygon","coordinates":[` + square(106.72, 10.7, 0.01) + `]}`
	okProps := `"id":"B","properties":{"code":"CX","name":"y","decision":"1/QĐ","decision_date":"2024-01-02"}`
	swapped := `{"type":"Polygon","coordinates":[[[10.7,106.7],[10.7,106.71],[10.71,106.71],[10.7,106.7]]]}`
	vnNumbers := `{"type":"Polygon","coordinates":[[[603698,1192285],[603798,1192285],[603798,1192385],[603698,1192285]]]}`
	vnSwapped := `{"type":"Polygon","coordinates":[[[1192285,603698],[1192285,603798],[1192385,603798],[1192285,603698]]]}`
	for _, c := range []struct {
		name, file string
		crs        CRS
		parcels    bool
		code, want string
	}{
		{"broken JSON", `{"type":"FeatureCollection","features":[{"type":"Feature",,]}`, CRS{}, false, "invalid_planning", "not valid JSON near byte"},
		{"truncated", zone(okProps, good)[:150], CRS{}, false, "invalid_planning", "ends in the middle"},
		{"not an object", `[1,2]`, CRS{}, false, "invalid_planning", "must be a GeoJSON FeatureCollection"},
		{"a Feature alone", `{"type":"Feature","features":[]}`, CRS{}, false, "invalid_planning", "is a GeoJSON Feature: import a FeatureCollection"},
		{"features twice", `{"type":"FeatureCollection","features":[],"features":[]}`, CRS{}, false, "invalid_planning", "two \"features\" members"},
		{"no features", `{"type":"FeatureCollection"}`, CRS{}, false, "invalid_planning", "must be a GeoJSON FeatureCollection"},
		{"trailing text", zone(okProps, good) + `{}`, CRS{}, false, "invalid_planning", "goes on after"},
		{"a point", zone(okProps, `{"type":"Point","coordinates":[106.7,10.7]}`), CRS{}, false, "invalid_planning", "feature 2 (B): a Point is not an area"},
		{"no geometry", zone(okProps, `null`), CRS{}, false, "invalid_planning", "feature 2 (B) has no geometry"},
		{"ring not closed", zone(okProps, `{"type":"Polygon","coordinates":[[[106.7,10.7],[106.71,10.7],[106.71,10.71],[106.7,10.71]]]}`), CRS{}, false, "invalid_planning", "feature 2 (B): a ring is not closed"},
		{"missing code", zone(`"id":"B","properties":{"name":"y","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "feature 2 (B): the property code is missing"},
		{"no id", zone(`"properties":{"code":"CX","name":"y","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "feature 2 has no id"},
		{"two ids", zone(`"id":"B","properties":{"id":"C","code":"CX","name":"y","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "two ids, B and C"},
		{"same id", zone(`"id":"A","properties":{"code":"CX","name":"y","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "feature 2 (A): the id is the same as feature 1's"},
		{"self-intersecting ring", zone(okProps, `{"type":"Polygon","coordinates":[[[106.7,10.7],[106.71,10.71],[106.71,10.7],[106.7,10.71],[106.7,10.7]]]}`), CRS{}, false, "", "feature 2 (B): "},
		{"density as text", zone(`"id":"B","properties":{"code":"CX","name":"y","density":"60%","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "the property density must be a number"},
		{"density over 100", zone(`"id":"B","properties":{"code":"CX","name":"y","density":160,"decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "density is 160: it must be within 0 to 100"},
		{"floors not whole", zone(`"id":"B","properties":{"code":"CX","name":"y","floors":2.5,"decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "floors must be a whole number"},
		{"code as a number", zone(`"id":"B","properties":{"code":12,"name":"y","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning", "the property code must be text"},
		{"bad date", zone(`"id":"B","properties":{"code":"CX","name":"y","decision":"1/QĐ","decision_date":"15/03/2024"}`, good), CRS{}, false, "invalid_planning", "decision_date 15/03/2024 is not a date"},
		{"unknown properties", zone(`"id":"B","properties":{"code":"CX","name":"y","densty":60,"Ghi chú":"x","decision":"1/QĐ","decision_date":"2024-01-02"}`, good), CRS{}, false, "invalid_planning",
			`feature 2 (B): unknown properties "Ghi chú", "densty": the accepted ones are id, code, name, density, height, floors, far, decision, decision_date`},
		{"properties not an object", zone(`"id":"B","properties":[1]`, good), CRS{}, false, "invalid_planning", `feature 2: "properties" has the wrong type (a array)`},
		{"lat/long swapped", zone(okProps, swapped), CRS{}, false, "invalid_planning", "feature 2 (B): the position [10.7, 106.7] has the latitude first"},
		{"VN-2000 numbers as WGS 84", zone(okProps, vnNumbers), CRS{}, false, "invalid_planning", "looks like VN-2000 metres, not WGS 84 degrees"},
		{"WGS 84 numbers as VN-2000", zone(okProps, good), CRS{VN2000: hcmc}, false, "invalid_planning", "feature 1 (A): the position [106.7, 10.7] looks like WGS 84 degrees"},
		{"VN-2000 northing first", zone(okProps, vnSwapped), CRS{VN2000: hcmc}, false, "invalid_planning", "feature 1 (A): the position"},
		{"VN-2000 wrong meridian", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":1,"number":2},"geometry":` +
			`{"type":"Polygon","coordinates":[[[1050000,3000000],[1050010,3000000],[1050010,3000010],[1050000,3000000]]]}}]}`, CRS{VN2000: hcmc}, true, "invalid_planning", "is not in Vietnam in VN-2000 with central meridian 105.75"},
		{"bad meridian", zone(okProps, good), CRS{VN2000: &geo.VN2000{CentralMeridian: 105.45, ZoneWidth: 3}}, false, "invalid_crs", "105°45′ is written 105.75"},
		{"parcel without number", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"12"},"geometry":` + good + `}]}`, CRS{}, true, "invalid_planning", "feature 1: the property number is missing"},
		{"parcel number 4.5", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"12","number":4.5},"geometry":` + good + `}]}`, CRS{}, true, "invalid_planning", "number must be text or a whole number, not 4.5"},
		{"parcel twice", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"12","number":4},"geometry":` + good + `},` +
			`{"type":"Feature","properties":{"sheet":12,"number":"4"},"geometry":` + good + `}]}`, CRS{}, true, "invalid_planning", "feature 2 (sheet 12, parcel 4): feature 1 is the same parcel"},
		{"parcel with a zone's property", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sheet":"12","number":"4","code":"ODT"},"geometry":` + good + `}]}`, CRS{}, true, "invalid_planning",
			`unknown properties "code": the accepted ones are sheet, number`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			var n int
			if c.parcels {
				var ps []Parcel
				ps, err = DecodeParcels(strings.NewReader(c.file), c.crs)
				n = len(ps)
			} else {
				var zs []Zone
				zs, err = DecodeZones(strings.NewReader(c.file), c.crs)
				n = len(zs)
			}
			var qe *queue.Error
			if !errors.As(err, &qe) || (c.code != "" && qe.Code != c.code) || qe.Kind != queue.KindInvalid || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v; want a %s error saying %q", err, c.code, c.want)
			}
			if n != 0 {
				t.Errorf("%d features returned with the error", n)
			}
		})
	}
}

// endless is a reader of a FeatureCollection's start and then spaces for
// ever; it counts what is read from it.
type endless struct {
	head []byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestDecodeTooLarge: a file of 500 MB (here, one without end) is
// refused once MaxImportBytes are read, the rest never read. Spaces are
// the cheapest text to make; the decoder keeps a run of them in its
// buffer, so this is also the worst case of its memory (about twice the
// limit).
func TestDecodeTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 256 MB: not in -short")
	}
	r := &endless{head: []byte(`{"type":"FeatureCollection","features":[`)}
	start := time.Now()
	_, err := DecodeParcels(r, CRS{})
	var qe *queue.Error
	if !errors.As(err, &qe) || qe.Code != "file_too_large" || !strings.Contains(err.Error(), "larger than 256 MB") {
		t.Fatalf("err = %v; want file_too_large", err)
	}
	if r.read > MaxImportBytes+64<<10 {
		t.Errorf("read %d bytes of an endless file; want at most the limit %d and a buffer", r.read, MaxImportBytes)
	}
	t.Logf("refused after reading %d MB in %v", r.read>>20, time.Since(start).Round(time.Millisecond))
}

// failing gives a file's start and then the reader's error.
type failing struct {
	head []byte
	err  error
}

func (f *failing) Read(p []byte) (int, error) {
	if len(f.head) == 0 {
		return 0, f.err
	}
	n := copy(p, f.head)
	f.head = f.head[n:]
	return n, nil
}

// TestDecodeReadError: a reader's error (a lost connection, the server's
// own body limit) reaches the caller beside the message for the admin.
func TestDecodeReadError(t *testing.T) {
	lost := errors.New("connection reset")
	_, err := DecodeZones(&failing{head: []byte(`{"type":"FeatureCollection","features":[{"type":"Fea`), err: lost}, CRS{})
	var qe *queue.Error
	if !errors.Is(err, lost) || !errors.As(err, &qe) || qe.Code != "invalid_planning" || !strings.Contains(err.Error(), "cannot be read") {
		t.Fatalf("err = %v; want the reader's error and an invalid_planning message", err)
	}
}

// TestDecodeLimitExact: a file of exactly the limit is read, one byte
// more is refused.
func TestDecodeLimitExact(t *testing.T) {
	file := `{"type":"FeatureCollection","features":[]}`
	for _, c := range []struct {
		extra int
		ok    bool
	}{{0, true}, {1, false}} {
		in := file + strings.Repeat(" ", c.extra)
		err := decodeFeaturesLimit(strings.NewReader(in), CRS{}, parcelProperties, int64(len(file)), func(*feature) error { return nil })
		if (err == nil) != c.ok {
			t.Errorf("a file of limit+%d bytes: err = %v", c.extra, err)
		}
	}
}

// TestDecode100kParcels decodes a city's 100,000 parcels and logs the time;
// the target (an import of that size in at most 10 s) is measured by
// BenchmarkImport100kParcels, never asserted against a busy machine's clock.
func TestDecode100kParcels(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 parcels: not in -short")
	}
	file := parcelsFile(t, 100_000, func(p geo.Point) (float64, float64) { return p.Lon, p.Lat })
	start := time.Now()
	parcels, err := DecodeParcels(bytes.NewReader(file), CRS{})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(parcels) != 100_000 {
		t.Fatalf("%d parcels", len(parcels))
	}
	t.Logf("decoded 100,000 parcels (%.1f MB of GeoJSON) in %v", float64(len(file))/(1<<20), took.Round(time.Millisecond))
}

// BenchmarkImport100kParcels is the import's work in memory at city scale:
// decoding 100,000 parcels and building the plan over them (the store's
// part is measured by the store's tests). Target:
// the whole import at most 10 s.
func BenchmarkImport100kParcels(b *testing.B) {
	file := parcelsFile(b, 100_000, func(p geo.Point) (float64, float64) { return p.Lon, p.Lat })
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		parcels, err := DecodeParcels(bytes.NewReader(file), CRS{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(Data{Parcels: parcels}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeParcels(b *testing.B) {
	file := parcelsFile(b, 10_000, func(p geo.Point) (float64, float64) { return p.Lon, p.Lat })
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := DecodeParcels(bytes.NewReader(file), CRS{}); err != nil {
			b.Fatal(err)
		}
	}
}
