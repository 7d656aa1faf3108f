package feedback

import (
	"os"
	"testing"

	"luot/server/geo"
)

// box is the closed counterclockwise ring of [lon0, lon1] × [lat0, lat1].
func box(lon0, lat0, lon1, lat1 float64) geo.Ring {
	return geo.Ring{{Lat: lat0, Lon: lon0}, {Lat: lat0, Lon: lon1}, {Lat: lat1, Lon: lon1}, {Lat: lat1, Lon: lon0}, {Lat: lat0, Lon: lon0}}
}

func at(lat, lon float64) Place { return Place{Point: &geo.Point{Lat: lat, Lon: lon}} }

// routeConfig is shaped like the demo: wards west, east and south of a
// centre, the east ward with a park carved out that belongs to the south
// ward (a multipolygon), on a 1 × 1 grid of degrees for readable points.
//
//	lat 2 ┌──── tay ────┬──── dong ───┐
//	      │             │   ┌park┐    │
//	lat 1 ├─────────────┴───┴────┴────┤
//	      │            nam            │
//	lat 0 └───────────────────────────┘
//	   lon 0          lon 1          lon 2
func routeConfig() *Config {
	park := box(1.25, 1.25, 1.5, 1.5)
	return &Config{
		Categories: []Category{
			{ID: "xay-dung", Unit: "qldt", ByWard: true},
			{ID: "do-thi", Unit: "qldt", ByWard: true},
			{ID: "moi-truong", Unit: "tnmt"},
		},
		Units: []Unit{
			{ID: "qldt", Kind: UnitDepartment},
			{ID: "tnmt", Kind: UnitDepartment},
			{ID: "dong", Kind: UnitWard, Area: geo.MultiPolygon{{box(1, 1, 2, 2), park}}},
			{ID: "tay", Kind: UnitWard, Area: geo.MultiPolygon{{box(0, 1, 1, 2)}}},
			{ID: "nam", Kind: UnitWard, Area: geo.MultiPolygon{{box(0, 0, 2, 1)}, {park}}},
			{ID: "bac", Kind: UnitWard}, // no boundary configured
		},
	}
}

func TestRoute(t *testing.T) {
	c := routeConfig()
	for _, tc := range []struct {
		name     string
		category string
		place    Place
		unit     string
		ward     string
	}{
		{"by ward, in the east ward", "xay-dung", at(1.75, 1.75), "dong", "dong"},
		{"by ward, in the west ward", "do-thi", at(1.5, 0.5), "tay", "tay"},
		{"by ward, in the south ward", "xay-dung", at(0.5, 1), "nam", "nam"},
		{"by ward, in the park: a hole of the east ward, part of the south ward's multipolygon", "xay-dung", at(1.4, 1.4), "nam", "nam"},
		{"by ward, on the park's border: the east ward, listed first", "xay-dung", at(1.25, 1.4), "dong", "dong"},
		{"by ward, on the east–west border: the east ward, listed first", "xay-dung", at(1.5, 1), "dong", "dong"},
		{"by ward, on the west–south border: the west ward, listed before the south", "xay-dung", at(1, 0.5), "tay", "tay"},
		{"by ward, on the corner of all three: the east ward", "xay-dung", at(1, 1), "dong", "dong"},
		{"by ward, on the outer border of the south ward", "xay-dung", at(0, 1), "nam", "nam"},
		{"by ward, outside every ward: the category's unit", "xay-dung", at(3, 3), "qldt", ""},
		{"by ward, no point: the category's unit", "xay-dung", Place{Address: "12 Lê Lợi"}, "qldt", ""},
		{"by ward, a point that is no place", "xay-dung", at(91, 1), "qldt", ""},
		{"not by ward, in a ward: the category's unit, the place's ward kept", "moi-truong", at(1.75, 1.75), "tnmt", "dong"},
		{"not by ward, address only", "moi-truong", Place{Address: "12 Lê Lợi"}, "tnmt", ""},
		{"unknown category, in a ward", "nope", at(1.75, 1.75), "", "dong"},
		{"unknown category, no place", "nope", Place{}, "", ""},
	} {
		unit, ward := c.Route(tc.category, tc.place)
		if unit != tc.unit || ward != tc.ward {
			t.Errorf("%s: Route = (%q, %q), want (%q, %q)", tc.name, unit, ward, tc.unit, tc.ward)
		}
	}
	// The order of configuration decides shared borders: with the west
	// ward first, the east–west border is the west's.
	c.Units[2], c.Units[3] = c.Units[3], c.Units[2]
	if unit, ward := c.Route("xay-dung", at(1.5, 1)); unit != "tay" || ward != "tay" {
		t.Errorf("west ward listed first: Route = (%q, %q)", unit, ward)
	}
	// Without boundaries every category goes to its unit.
	if unit, ward := (&Config{Categories: c.Categories, Units: c.Units[:2]}).Route("xay-dung", at(1.5, 1)); unit != "qldt" || ward != "" {
		t.Errorf("no boundaries: Route = (%q, %q)", unit, ward)
	}
}

// TestRouteDemoWards routes points of the demo's wards
// (assets/demo/wards.geojson) read by geo.ParseFeatures: the office's
// centre is in Phường Đông, the park carved out of it is Phường Nam's.
func TestRouteDemoWards(t *testing.T) {
	data, err := os.ReadFile("../../assets/demo/wards.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := geo.ParseFeatures(data)
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Categories: []Category{{ID: "do-thi", Unit: "qldt", ByWard: true}}, Units: []Unit{{ID: "qldt", Kind: UnitDepartment}}}
	for _, f := range fs {
		c.Units = append(c.Units, Unit{ID: f.ID, Name: f.Properties["name"].(string), Kind: UnitWard, Area: f.Area})
	}
	if len(fs) != 3 {
		t.Fatalf("%d wards", len(fs))
	}
	for _, tc := range []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"the demo map's centre", 16.4637, 107.5909, "phuong-dong"},
		{"west of the centre", 16.4637, 107.5830, "phuong-tay"},
		{"south of the centre", 16.4540, 107.5909, "phuong-nam"},
		{"in the park", 16.4610, 107.5935, "phuong-nam"},
		{"on the east–west border", 16.4637, 107.5880, "phuong-dong"},
		{"far away", 16.50, 107.50, ""},
	} {
		if _, ward := c.Route("do-thi", at(tc.lat, tc.lon)); ward != tc.want {
			t.Errorf("%s: ward %q, want %q", tc.name, ward, tc.want)
		}
	}
	for _, f := range fs {
		if sw, ne, _ := f.Area.Bounds(); geo.Distance(sw, geo.Point{Lat: sw.Lat, Lon: ne.Lon}) > 2200 || geo.Distance(sw, geo.Point{Lat: ne.Lat, Lon: sw.Lon}) > 1500 {
			t.Errorf("%s is larger than the demo's wards should be: %v–%v", f.ID, sw, ne)
		}
	}
}
