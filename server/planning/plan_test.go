package planning

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"luot/server/geo"
	"luot/server/queue"
)

// rect is the closed ring of [lon0, lon1] × [lat0, lat1], counterclockwise.
func rect(lon0, lat0, lon1, lat1 float64) geo.Ring {
	return geo.Ring{{Lat: lat0, Lon: lon0}, {Lat: lat0, Lon: lon1}, {Lat: lat1, Lon: lon1}, {Lat: lat1, Lon: lon0}, {Lat: lat0, Lon: lon0}}
}

const lon0, lat0 = 106.70, 10.78

// m is the box [x0, x1] × [y0, y1] in ten-thousandths of a degree (about
// 11 m) from (lon0, lat0), with holes.
func m(x0, y0, x1, y1 float64, holes ...geo.Ring) geo.MultiPolygon {
	return geo.MultiPolygon{append(geo.Polygon{r(x0, y0, x1, y1)}, holes...)}
}

func r(x0, y0, x1, y1 float64) geo.Ring {
	return rect(lon0+x0*1e-4, lat0+y0*1e-4, lon0+x1*1e-4, lat0+y1*1e-4)
}

func at(x, y float64) geo.Point { return geo.Point{Lat: lat0 + y*1e-4, Lon: lon0 + x*1e-4} }

// small is a plan of four zones: A and B side by side, C above them with
// a hole, D an island of two polygons east of them.
func small(t *testing.T) *Plan {
	t.Helper()
	d := Data{
		Zones: []Zone{
			{ID: "B", Code: "DGD", Name: "Đất giáo dục", Density: 40, Height: 20, Decision: "12/QĐ-UBND", DecisionDate: "2024-01-02", Area: m(10, 0, 20, 10)},
			{ID: "A", Code: "ODT", Name: "Đất ở đô thị", Density: 60, Height: 25, Floors: 7, Decision: "12/QĐ-UBND", DecisionDate: "2024-01-02", Area: m(0, 0, 10, 10)},
			{ID: "C", Code: "CX", Name: "Đất cây xanh", Area: m(0, 10, 20, 20, r(8, 12, 12, 18))},
			{ID: "D", Code: "TMD", Name: "Đất thương mại, dịch vụ", Area: geo.MultiPolygon{{r(30, 0, 32, 2)}, {r(30, 5, 32, 7)}}},
		},
		Parcels: []Parcel{
			{Sheet: "5", Number: "101", Area: m(6, 2, 14, 8)},   // across A and B
			{Sheet: "5", Number: "102", Area: m(1, 1, 3, 3)},    // in A
			{Sheet: "5", Number: "103", Area: m(6, 6, 15, 14)},  // A, B, C and C's hole
			{Sheet: "07", Number: "1", Area: m(40, 40, 41, 41)}, // in no zone
		},
		ZonesInfo:  Info{Name: "QH 1/2000", CRS: "EPSG:4326", Count: 4},
		ParcelInfo: Info{Name: "Tờ 5", CRS: "EPSG:4326", Count: 4},
	}
	p, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ids(zs []Zone) string {
	var s []string
	for _, z := range zs {
		s = append(s, z.ID)
	}
	return strings.Join(s, ",")
}

func TestAt(t *testing.T) {
	p := small(t)
	for _, c := range []struct {
		name    string
		pt      geo.Point
		zones   string
		outside bool
	}{
		{"inside A", at(5, 5), "A", false},
		{"on the border of A and B", at(10, 5), "A,B", false},
		{"on the vertex of A, B and C", at(10, 10), "A,B,C", false},
		{"on the corner of A alone", at(0, 0), "A", false},
		{"in C's hole", at(10, 15), "", false},
		{"on the border of C's hole", at(8, 15), "C", false},
		{"in D's second polygon", at(31, 6), "D", false},
		{"between D's polygons", at(31, 3.5), "", false},
		{"outside every zone's box", at(25, 5), "", true},
		{"far away", geo.Point{Lat: 21.03, Lon: 105.85}, "", true},
		{"not a place", geo.Point{Lat: 91, Lon: 0}, "", true},
	} {
		a := p.At(c.pt)
		if ids(a.Zones) != c.zones || a.Outside != c.outside {
			t.Errorf("%s: zones %q outside %v, want %q %v", c.name, ids(a.Zones), a.Outside, c.zones, c.outside)
		}
	}
	// The answer carries the rules, and "zones" is a list even when empty.
	if z := p.At(at(5, 5)).Zones[0]; z.Density != 60 || z.Floors != 7 || z.Decision != "12/QĐ-UBND" {
		t.Errorf("zone A's rules: %+v", z)
	}
	b, _ := json.Marshal(p.At(at(25, 5)))
	if string(b) != `{"zones":[],"outside":true}` {
		t.Errorf("nothing found: %s", b)
	}
}

func TestParcel(t *testing.T) {
	p := small(t)
	area := func(x0, y0, x1, y1 float64) float64 { return m(x0, y0, x1, y1).AreaM2() }
	type share struct {
		id   string
		area float64
	}
	for _, c := range []struct {
		name, sheet, number string
		shares              []share
		uncovered           float64
	}{
		{"across two zones", "5", "101", []share{{"A", area(6, 2, 10, 8)}, {"B", area(10, 2, 14, 8)}}, 0},
		{"in one zone", "5", "102", []share{{"A", area(1, 1, 3, 3)}}, 0},
		{"across three zones and a hole", " 5 ", "103", []share{
			{"C", area(6, 10, 15, 14) - area(8, 12, 12, 14)}, {"B", area(10, 6, 15, 10)}, {"A", area(6, 6, 10, 10)},
		}, 100 * area(8, 12, 12, 14) / area(6, 6, 15, 14)},
		{"in no zone, the sheet written with a zero", "007", "01", nil, 100},
	} {
		a, err := p.Parcel(c.sheet, c.number)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(a.Shares) != len(c.shares) {
			t.Errorf("%s: %d shares, want %d: %+v", c.name, len(a.Shares), len(c.shares), a.Shares)
			continue
		}
		sum := a.Uncovered
		for i, s := range a.Shares {
			if s.Zone.ID != c.shares[i].id || math.Abs(s.AreaM2-c.shares[i].area) > 1e-6*a.AreaM2 {
				t.Errorf("%s: share %d is %s %.4f m², want %s %.4f m²", c.name, i, s.Zone.ID, s.AreaM2, c.shares[i].id, c.shares[i].area)
			}
			if want := 100 * s.AreaM2 / a.AreaM2; math.Abs(s.Percent-want) > 1e-9 {
				t.Errorf("%s: share %d is %v %%, want %v %%", c.name, i, s.Percent, want)
			}
			sum += s.Percent
		}
		if math.Abs(sum-100) > 1e-6 || math.Abs(a.Uncovered-c.uncovered) > 1e-6 {
			t.Errorf("%s: shares and uncovered sum to %v %%, uncovered %v %% (want %v %%)", c.name, sum, a.Uncovered, c.uncovered)
		}
		if !a.Parcel.Area.Contains(a.Centre) {
			t.Errorf("%s: the centre %v is not in the parcel", c.name, a.Centre)
		}
	}
	// Across A and B the parcel is split half and half.
	a, _ := p.Parcel("5", "101")
	if math.Abs(a.Shares[0].Percent-50) > 1e-6 || math.Abs(a.Shares[1].Percent-50) > 1e-6 {
		t.Errorf("across A and B: %v %% and %v %%", a.Shares[0].Percent, a.Shares[1].Percent)
	}
	for _, ref := range [][2]string{{"5", "999"}, {"", "101"}, {"6", "101"}} {
		if _, err := p.Parcel(ref[0], ref[1]); !errors.Is(err, queue.ErrNotFound) {
			t.Errorf("parcel %q of sheet %q: %v, want not found", ref[1], ref[0], err)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	z := func(id string) Zone { return Zone{ID: id, Area: m(0, 0, 1, 1)} }
	pc := func(sheet, number string) Parcel { return Parcel{Sheet: sheet, Number: number, Area: m(0, 0, 1, 1)} }
	for _, c := range []struct {
		name string
		d    Data
		want string
	}{
		{"a zone without id", Data{Zones: []Zone{z("A"), z("")}}, "zone 2 has no id"},
		{"two zones with one id", Data{Zones: []Zone{z("A"), z("B"), z("A")}}, "zones 1 and 3 have the same id A"},
		{"a parcel without number", Data{Parcels: []Parcel{pc("1", " ")}}, "parcel 1 has no sheet or no number"},
		{"two parcels with one name", Data{Parcels: []Parcel{pc("1", "2"), pc("01", "002")}}, "parcels 1 and 2 are both parcel 002 of sheet 01"},
	} {
		_, err := New(c.d)
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Kind != queue.KindInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an invalid error saying %q", c.name, err, c.want)
		}
	}
}

func TestInfoBoundsAndEmpty(t *testing.T) {
	p := small(t)
	zi, pi := p.Info()
	if zi.Name != "QH 1/2000" || pi.Name != "Tờ 5" || zi.Count != 4 {
		t.Errorf("info: %+v %+v", zi, pi)
	}
	if b := p.Bounds(); b.Min != at(0, 0) || b.Max != at(41, 41) {
		t.Errorf("bounds: %+v", b)
	}
	var seen []string
	p.ZonesIn(geo.Box{Min: at(29, 0), Max: at(35, 35)}, func(z Zone) bool { seen = append(seen, z.ID); return true })
	if strings.Join(seen, ",") != "D" {
		t.Errorf("zones east of x = 29: %v", seen)
	}
	empty, err := New(Data{})
	if err != nil {
		t.Fatal(err)
	}
	if a := empty.At(at(5, 5)); len(a.Zones) != 0 || !a.Outside {
		t.Errorf("an empty plan: %+v", a)
	}
	if !empty.Bounds().Empty() {
		t.Errorf("an empty plan's bounds: %+v", empty.Bounds())
	}
	if _, err := empty.Parcel("1", "1"); !errors.Is(err, queue.ErrNotFound) {
		t.Errorf("an empty plan's parcel: %v", err)
	}
}

// TestLargeZone looks up points and parcels in a zone of 50,000 positions
// with a hole of 20,000.
func TestLargeZone(t *testing.T) {
	wavy := func(n int, rad float64) geo.Ring {
		out := make(geo.Ring, 0, n+1)
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			d := rad * (1 + 0.05*math.Sin(float64(i)*0.01))
			out = append(out, geo.Point{Lat: lat0 + d*math.Sin(a), Lon: lon0 + d*math.Cos(a)})
		}
		return append(out, out[0])
	}
	big := geo.MultiPolygon{{wavy(50_000, 0.05), wavy(20_000, 0.01)}}
	if err := big.Validate(); err != nil {
		t.Fatal(err)
	}
	p, err := New(Data{
		Zones: []Zone{{ID: "BIG", Area: big}},
		Parcels: []Parcel{
			{Sheet: "1", Number: "1", Area: m(300, 0, 302, 2)},                 // inside, between the rings
			{Sheet: "1", Number: "2", Area: m(95, -5, 105, 5)},                 // across the hole's border
			{Sheet: "1", Number: "3", Area: geo.MultiPolygon{{r(0, 0, 1, 1)}}}, // in the hole
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := p.At(at(300, 0)); ids(a.Zones) != "BIG" {
		t.Errorf("between the rings: %q", ids(a.Zones))
	}
	if a := p.At(at(0, 0)); ids(a.Zones) != "" || a.Outside {
		t.Errorf("in the hole: %q outside %v", ids(a.Zones), a.Outside)
	}
	if a, _ := p.Parcel("1", "1"); len(a.Shares) != 1 || math.Abs(a.Shares[0].Percent-100) > 1e-6 {
		t.Errorf("a parcel between the rings: %+v", a.Shares)
	}
	if a, _ := p.Parcel("1", "3"); len(a.Shares) != 0 || a.Uncovered != 100 {
		t.Errorf("a parcel in the hole: %+v", a)
	}
	// Across the hole's border: the share matches counting a grid of
	// points outside the hole (the outer ring is far from the parcel).
	a, _ := p.Parcel("1", "2")
	hole := geo.MultiPolygon{{big[0][1]}}
	const n = 100
	in := 0
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if !hole.Contains(at(95+10*(float64(i)+0.5)/n, -5+10*(float64(j)+0.5)/n)) {
				in++
			}
		}
	}
	if len(a.Shares) != 1 || math.Abs(a.Shares[0].Percent-100*float64(in)/(n*n)) > 0.5 {
		t.Errorf("across the hole's border: %+v, the grid counts %.2f %%", a.Shares, 100*float64(in)/(n*n))
	}
}

// TestCity checks the generated city the benchmarks use: its zones are
// valid, and every parcel's shares and uncovered part sum to 100 %.
func TestCity(t *testing.T) {
	d := city(10, 8, 80, 50)
	for i, z := range d.Zones {
		if err := z.Area.Validate(); err != nil {
			t.Fatalf("zone %d: %v", i+1, err)
		}
	}
	p, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	across := 0
	for _, pc := range d.Parcels {
		a, err := p.Parcel(pc.Sheet, pc.Number)
		if err != nil {
			t.Fatal(err)
		}
		sum := a.Uncovered
		for _, s := range a.Shares {
			sum += s.Percent
		}
		if math.Abs(sum-100) > 1e-6 {
			t.Errorf("parcel %s/%s: %v %%", pc.Sheet, pc.Number, sum)
		}
		if len(a.Shares) > 1 {
			across++
		}
		// The zones at the parcel's centre are among its shares.
		for _, z := range p.At(a.Centre).Zones {
			found := false
			for _, s := range a.Shares {
				found = found || s.Zone.ID == z.ID
			}
			if !found {
				t.Errorf("parcel %s/%s: its centre is in zone %s, which has no share", pc.Sheet, pc.Number, z.ID)
			}
		}
	}
	if across < len(d.Parcels)/10 {
		t.Errorf("only %d parcels lie across zones", across)
	}
}
