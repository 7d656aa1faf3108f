package geo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"luot/server/queue"
)

// rect is the closed ring of the box [lon0, lon1] × [lat0, lat1],
// counterclockwise.
func rect(lon0, lat0, lon1, lat1 float64) Ring {
	return Ring{{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}, {lat0, lon0}}
}

func pt(lon, lat float64) Point { return Point{Lat: lat, Lon: lon} }

func TestContains(t *testing.T) {
	// A 10 × 10 square with a 2 × 2 hole in its middle, and a second
	// square east of it: a multipolygon.
	holed := Polygon{rect(0, 0, 10, 10), rect(4, 4, 6, 6)}
	island := Polygon{rect(20, 0, 22, 2)}
	// A concave U: the notch [3, 7] × [3, 10] is outside.
	u := Polygon{{{0, 0}, {0, 10}, {10, 10}, {10, 3}, {10, 7}, {3, 7}, {3, 3}, {10, 3}, {10, 0}, {0, 0}}}
	// Rings written clockwise (GeoJSON asks counterclockwise outer rings,
	// but parsers must not refuse the other way) answer the same.
	cw := Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
	// A diagonal edge through dyadic points, so that points exactly on it
	// are representable: (107.5, 16.25) to (107.75, 16.5).
	tri := Polygon{{{16.25, 107.5}, {16.25, 107.75}, {16.5, 107.75}, {16.25, 107.5}}}
	for _, c := range []struct {
		name string
		area MultiPolygon
		p    Point
		want bool
	}{
		{"inside", MultiPolygon{holed}, pt(2, 2), true},
		{"outside", MultiPolygon{holed}, pt(-1, 5), false},
		{"in the hole", MultiPolygon{holed}, pt(5, 5), false},
		{"on the hole's edge", MultiPolygon{holed}, pt(5, 4), true},
		{"on the hole's vertex", MultiPolygon{holed}, pt(6, 6), true},
		{"just inside the hole", MultiPolygon{holed}, pt(5, 4.000000001), false},
		{"on the outer edge", MultiPolygon{holed}, pt(10, 5), true},
		{"on the outer top edge (horizontal)", MultiPolygon{holed}, pt(5, 10), true},
		{"on the outer bottom edge (horizontal)", MultiPolygon{holed}, pt(5, 0), true},
		{"on a vertex", MultiPolygon{holed}, pt(0, 0), true},
		{"on a top vertex", MultiPolygon{holed}, pt(10, 10), true},
		{"on a horizontal edge's line, beyond it", MultiPolygon{holed}, pt(11, 10), false},
		{"west of the square at a vertex's latitude", MultiPolygon{holed}, pt(-5, 10), false},
		{"west of the square at the hole's latitude", MultiPolygon{holed}, pt(-5, 4), false},
		{"between hole and edge at the hole's latitude", MultiPolygon{holed}, pt(2, 4), true},
		{"east of the hole at its top latitude", MultiPolygon{holed}, pt(8, 6), true},
		{"in the second polygon", MultiPolygon{holed, island}, pt(21, 1), true},
		{"on the second polygon's edge", MultiPolygon{holed, island}, pt(22, 1.5), true},
		{"between the two polygons", MultiPolygon{holed, island}, pt(15, 1), false},
		{"in the U's arm", MultiPolygon{u}, pt(1, 5), true},
		{"in the U's notch", MultiPolygon{u}, pt(5, 5), false},
		{"on the notch's floor", MultiPolygon{u}, pt(5, 3), true},
		{"left of the notch at its floor", MultiPolygon{u}, pt(2, 3), true},
		{"east of the U at the notch's floor", MultiPolygon{u}, pt(12, 3), false},
		{"east of the U at the notch's top", MultiPolygon{u}, pt(12, 7), false},
		{"in the U's base", MultiPolygon{u}, pt(5, 1), true},
		{"clockwise, inside", MultiPolygon{cw}, pt(5, 5), true},
		{"clockwise, outside", MultiPolygon{cw}, pt(15, 5), false},
		{"clockwise, on the edge", MultiPolygon{cw}, pt(0, 5), true},
		{"on a diagonal edge", MultiPolygon{tri}, pt(107.625, 16.375), true},
		{"just off the diagonal edge, inside", MultiPolygon{tri}, pt(math.Nextafter(107.625, 108), 16.375), true},
		{"just off the diagonal edge, outside", MultiPolygon{tri}, pt(math.Nextafter(107.625, 107), 16.375), false},
		{"no area", nil, pt(0, 0), false},
		{"not a point", MultiPolygon{holed}, Point{Lat: math.NaN(), Lon: 5}, false},
	} {
		if got := c.area.Contains(c.p); got != c.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

// TestContainsAgreesWithWindingNumber compares Contains with a brute
// force: random rings (crossing themselves and each other as they
// please) with integer vertices, points off the border at half-integer
// offsets judged by the parity of the sum of the rings' winding numbers
// (angles summed with atan2), and points on the integer grid on the
// border judged by exact integer arithmetic.
func TestContainsAgreesWithWindingNumber(t *testing.T) {
	rnd := rand.New(rand.NewPCG(18, 7))
	counts := map[string]int{} // "border inside"
	for trial := 0; trial < 300; trial++ {
		var poly Polygon
		for range 1 + rnd.IntN(3) {
			n := 3 + rnd.IntN(8)
			ring := make(Ring, 0, n+1)
			for range n {
				ring = append(ring, pt(float64(rnd.IntN(13)), float64(rnd.IntN(13))))
			}
			poly = append(poly, append(ring, ring[0]))
		}
		area := MultiPolygon{poly}
		for range 60 {
			x, y := float64(rnd.IntN(15)-1), float64(rnd.IntN(15)-1)
			if rnd.IntN(2) == 0 {
				x, y = x+0.5, y+0.25
			}
			p := pt(x, y)
			border := bruteOnBorder(poly, p)
			want := border || windingParity(poly, p)
			counts[fmt.Sprint(border, want)]++
			if got := area.Contains(p); got != want {
				t.Fatalf("trial %d: Contains(%v) = %v, brute force %v; rings %v", trial, p, got, want, poly)
			}
		}
	}
	// The test means something only if each kind of point was met often.
	for _, k := range []string{"true true", "false true", "false false"} {
		if counts[k] < 500 {
			t.Errorf("only %d points of kind %q: %v", counts[k], k, counts)
		}
	}
	t.Logf("points by (on border, inside): %v", counts)
}

// bruteOnBorder: p on some edge, in exact arithmetic (scaled to integers:
// the coordinates are multiples of 1/4).
func bruteOnBorder(poly Polygon, p Point) bool {
	q := func(v float64) int64 { return int64(v * 4) }
	for _, ring := range poly {
		for i := 0; i+1 < len(ring); i++ {
			ax, ay, bx, by, px, py := q(ring[i].Lon), q(ring[i].Lat), q(ring[i+1].Lon), q(ring[i+1].Lat), q(p.Lon), q(p.Lat)
			if (bx-ax)*(py-ay)-(by-ay)*(px-ax) == 0 &&
				min(ax, bx) <= px && px <= max(ax, bx) && min(ay, by) <= py && py <= max(ay, by) {
				return true
			}
		}
	}
	return false
}

// windingParity sums the angles each ring turns around p (p off the
// border) and reports whether the total winding number is odd.
func windingParity(poly Polygon, p Point) bool {
	total := 0
	for _, ring := range poly {
		sum := 0.0
		for i := 0; i+1 < len(ring); i++ {
			ax, ay := ring[i].Lon-p.Lon, ring[i].Lat-p.Lat
			bx, by := ring[i+1].Lon-p.Lon, ring[i+1].Lat-p.Lat
			sum += math.Atan2(ax*by-ay*bx, ax*bx+ay*by)
		}
		total += int(math.Round(sum / (2 * math.Pi)))
	}
	return total%2 != 0
}

// TestOrientFilter: the float64 orientation agrees with the exact one on
// nearly collinear points at city coordinates, where rounding decides.
func TestOrientFilter(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	exactCalls := 0
	for range 20000 {
		a := pt(107.5+rnd.Float64()*0.1, 16.4+rnd.Float64()*0.1)
		b := pt(107.5+rnd.Float64()*0.1, 16.4+rnd.Float64()*0.1)
		s := rnd.Float64()
		if rnd.IntN(2) == 0 {
			// On a grid of 2⁻²⁰ degrees and at a multiple of 1/8 of the
			// way, the point is exactly on the line.
			q := func(v float64) float64 { return math.Round(v*(1<<20)) / (1 << 20) }
			a, b, s = pt(q(a.Lon), q(a.Lat)), pt(q(b.Lon), q(b.Lat)), float64(rnd.IntN(9))/8
		}
		p := pt(a.Lon+s*(b.Lon-a.Lon), a.Lat+s*(b.Lat-a.Lat))
		p.Lon = math.Nextafter(p.Lon, p.Lon+float64(rnd.IntN(3)-1))
		if got, want := orient(a, b, p), orientExact(a, b, p); got != want {
			t.Fatalf("orient(%v, %v, %v) = %d, exact %d", a, b, p, got, want)
		}
		if orientExact(a, b, p) == 0 {
			exactCalls++
		}
	}
	if exactCalls < 1000 {
		t.Errorf("only %d of 20000 points exactly on their line", exactCalls)
	}
	// Kettner et al.'s classic ("Classroom examples of robustness
	// problems in geometric computations"): bases a few ulps from the line
	// through (12, 12) and (24, 24), where float64 alone gets the sign
	// wrong for many of them.
	u := math.Nextafter(0.5, 1) - 0.5
	naiveWrong := 0
	for i := range 64 {
		for j := range 64 {
			a := pt(0.5+float64(i)*u, 0.5+float64(j)*u)
			b, c := pt(12, 12), pt(24, 24)
			want := orientExact(a, b, c)
			if got := orient(a, b, c); got != want {
				t.Fatalf("orient(%v, b, c) = %d, exact %d", a, got, want)
			}
			naive := (b.Lon-a.Lon)*(c.Lat-a.Lat) - (b.Lat-a.Lat)*(c.Lon-a.Lon)
			if (naive > 0) != (want > 0) || (naive == 0) != (want == 0) {
				naiveWrong++
			}
		}
	}
	if naiveWrong == 0 {
		t.Error("float64 alone got every sign right: the case tests nothing")
	}
}

func TestDistance(t *testing.T) {
	oneDegree := EarthRadius * math.Pi / 180 // 111,195.08 m
	for _, c := range []struct {
		a, b Point
		want float64
	}{
		{pt(0, 0), pt(0, 1), oneDegree},
		{pt(0, 0), pt(1, 0), oneDegree},
		{pt(107.5909, 16.4637), pt(107.5909, 16.4637), 0},
		{pt(0, 0), pt(180, 0), math.Pi * EarthRadius},
		{pt(0, 90), pt(0, -90), math.Pi * EarthRadius},
		// Along the parallel at 60° a degree of longitude is half as long;
		// the great circle between its ends is a little shorter still.
		{pt(10, 60), pt(11, 60), 2 * EarthRadius * math.Asin(0.5*math.Sin(0.5*math.Pi/180))},
	} {
		got := Distance(c.a, c.b)
		if math.Abs(got-c.want) > 0.01 {
			t.Errorf("Distance(%v, %v) = %.3f, want %.3f", c.a, c.b, got, c.want)
		}
		if back := Distance(c.b, c.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("Distance is not symmetric: %v, %v", got, back)
		}
	}
	// Hue's centre to a point 1 km north: 1,000 m within a millimetre.
	c := pt(107.5909, 16.4637)
	if got := Distance(c, pt(c.Lon, c.Lat+1000/oneDegree)); math.Abs(got-1000) > 0.001 {
		t.Errorf("1 km north is %.4f m", got)
	}
}

func TestValid(t *testing.T) {
	for _, c := range []struct {
		p    Point
		want bool
	}{
		{pt(107.5909, 16.4637), true}, {pt(-180, -90), true}, {pt(180, 90), true}, {pt(0, 0), true},
		{pt(180.0001, 0), false}, {pt(0, -90.0001), false}, {pt(math.NaN(), 0), false}, {pt(0, math.NaN()), false},
		{pt(math.Inf(1), 0), false}, {pt(0, math.Inf(-1)), false},
	} {
		if got := c.p.Valid(); got != c.want {
			t.Errorf("%v.Valid() = %v", c.p, got)
		}
	}
}

func TestBounds(t *testing.T) {
	m := MultiPolygon{{rect(1, 2, 3, 4)}, {rect(-1, 5, 0, 6)}}
	sw, ne, ok := m.Bounds()
	if !ok || sw != pt(-1, 2) || ne != pt(3, 6) {
		t.Fatalf("Bounds = %v %v %v", sw, ne, ok)
	}
	if _, _, ok := MultiPolygon(nil).Bounds(); ok {
		t.Fatal("an empty area has bounds")
	}
}

const square = `[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[4,6],[6,6],[6,4],[4,4]]]`

func TestParseFeatures(t *testing.T) {
	fc := `{"type": "FeatureCollection", "bbox": [0, 0, 30, 10], "features": [
		{"type": "Feature", "id": "a", "properties": {"name": "Phường A", "id": "ignored"}, "geometry": {"type": "Polygon", "coordinates": ` + square + `}},
		{"type": "Feature", "id": 7, "properties": null, "geometry": {"type": "MultiPolygon", "coordinates": [[[[20,0,5],[22,0,5],[22,2,5],[20,2,5],[20,0,5]]], [[[25,0],[26,0],[26,1],[25,0]]]]}},
		{"type": "Feature", "properties": {"id": "c"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}, "foreign": {"x": [1]}},
		{"type": "Feature", "properties": {"id": 12.5}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}},
		{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}
	]}`
	fs, err := ParseFeatures([]byte(fc))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 5 {
		t.Fatalf("%d features", len(fs))
	}
	for i, want := range []string{"a", "7", "c", "12.5", ""} {
		if fs[i].ID != want {
			t.Errorf("feature %d id %q, want %q", i, fs[i].ID, want)
		}
	}
	if fs[0].Properties["name"] != "Phường A" || fs[1].Properties != nil {
		t.Errorf("properties %v, %v", fs[0].Properties, fs[1].Properties)
	}
	if len(fs[0].Area) != 1 || len(fs[0].Area[0]) != 2 || fs[0].Area[0][1][1] != pt(4, 6) {
		t.Errorf("polygon read as %v", fs[0].Area)
	}
	if !fs[0].Area.Contains(pt(2, 2)) || fs[0].Area.Contains(pt(5, 5)) || !fs[0].Area.Contains(pt(5, 4)) {
		t.Error("the holed square does not contain what it should")
	}
	if len(fs[1].Area) != 2 || !fs[1].Area.Contains(pt(21, 1)) || !fs[1].Area.Contains(pt(25.5, 0.2)) || fs[1].Area.Contains(pt(23, 1)) {
		t.Errorf("multipolygon read as %v", fs[1].Area)
	}

	for _, doc := range []string{
		`{"type": "Feature", "id": "x", "geometry": {"type": "Polygon", "coordinates": ` + square + `}}`,
		`{"type": "Polygon", "coordinates": ` + square + `}`,
		`{"type": "MultiPolygon", "coordinates": [` + square + `]}`,
	} {
		fs, err := ParseFeatures([]byte(doc))
		if err != nil || len(fs) != 1 || !fs[0].Area.Contains(pt(1, 1)) || fs[0].Area.Contains(pt(5, 5)) {
			t.Errorf("%s: %v %v", doc, fs, err)
		}
	}
	if fs, err := ParseFeatures([]byte(`{"type": "FeatureCollection", "features": []}`)); err != nil || len(fs) != 0 {
		t.Errorf("empty collection: %v %v", fs, err)
	}
}

func TestParseFeaturesRefuses(t *testing.T) {
	feature := func(geometry string) string {
		return `{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "w1", "properties": {}, "geometry": ` + geometry + `}]}`
	}
	poly := func(coords string) string { return feature(`{"type": "Polygon", "coordinates": ` + coords + `}`) }
	deep := `{"type": "Feature", "properties": {"a": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}, "geometry": null}`
	many := make([]string, 0, MaxVertices/4+1)
	for range MaxVertices/4 + 1 {
		many = append(many, `[[[0,0],[1,0],[1,1],[0,0]]]`)
	}
	for _, c := range []struct {
		name, doc, says string
	}{
		{"a point", feature(`{"type": "Point", "coordinates": [1, 2]}`), "feature 1 (w1): a Point is not an area"},
		{"a line", feature(`{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}`), "a LineString is not an area"},
		{"a collection", feature(`{"type": "GeometryCollection", "geometries": []}`), "a GeometryCollection is not an area"},
		{"a bare point", `{"type": "Point", "coordinates": [1, 2]}`, "the GeoJSON is a Point"},
		{"no type", `{"features": []}`, `has no "type"`},
		{"geometry without type", feature(`{"coordinates": []}`), `the geometry has no "type"`},
		{"no features", `{"type": "FeatureCollection"}`, `no "features"`},
		{"not a feature", `{"type": "FeatureCollection", "features": [{"type": "Polygon", "coordinates": ` + square + `}]}`, "feature 1 is a Polygon"},
		{"a feature that is a number", `{"type": "FeatureCollection", "features": [7]}`, "feature 1 is not an object"},
		{"no geometry", feature(`null`), "feature 1 (w1) has no geometry"},
		{"no coordinates", feature(`{"type": "Polygon"}`), `no "coordinates"`},
		{"unclosed ring", poly(`[[[0,0],[1,0],[1,1],[0,1]]]`), "a ring is not closed"},
		{"three positions", poly(`[[[0,0],[1,0],[0,0]]]`), "a ring has 3 positions"},
		{"empty polygon", poly(`[]`), "a polygon has no ring"},
		{"empty multipolygon", feature(`{"type": "MultiPolygon", "coordinates": []}`), "the geometry has no polygon"},
		{"one number", poly(`[[[0],[1,0],[1,1],[0]]]`), "a position has 1 numbers"},
		{"four numbers", poly(`[[[0,0,0,0],[1,0],[1,1],[0,0,0,0]]]`), "a position has 4 numbers"},
		{"latitude out of range", poly(`[[[107.5,16.4],[107.6,96.4],[107.6,16.5],[107.5,16.4]]]`), "the position [107.6, 96.4] is out of range"},
		{"lat, lon swapped", poly(`[[[16.4,107.5],[16.5,107.5],[16.5,107.6],[16.4,107.5]]]`), "GeoJSON writes longitude first"},
		{"a number too large", poly(`[[[1e400,0],[1,0],[1,1],[1e400,0]]]`), "the coordinates cannot be read"},
		{"strings for numbers", poly(`[[["0","0"],[1,0],[1,1],["0","0"]]]`), "the coordinates cannot be read"},
		{"an id that is an object", `{"type": "Feature", "id": {}, "geometry": {"type": "Polygon", "coordinates": ` + square + `}}`, "the id must be a string or a number"},
		{"a properties id that is a bool", `{"type": "Feature", "properties": {"id": true}, "geometry": {"type": "Polygon", "coordinates": ` + square + `}}`, "the id must be a string or a number"},
		{"properties that are an array", `{"type": "Feature", "properties": [], "geometry": {"type": "Polygon", "coordinates": ` + square + `}}`, "the properties must be an object"},
		{"not JSON", `{"type": "Feature",`, "not valid JSON"},
		{"an array", `[1, 2]`, `must be an object with a "type"`},
		{"a type that is a number", `{"type": 5}`, `member "type" has the wrong type`},
		{"too deep", deep, "42 levels deep, more than the 32"},
		{"too big", `{"type": "FeatureCollection", "features": [], "pad": "` + strings.Repeat("x", MaxBytes) + `"}`, "more than the 5242880 that are read"},
		{"too many vertices", `{"type": "MultiPolygon", "coordinates": [` + strings.Join(many, ",") + `]}`, "more than 200000 positions"},
	} {
		fs, err := ParseFeatures([]byte(c.doc))
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Kind != queue.KindInvalid || qe.Code != "invalid_geojson" {
			t.Errorf("%s: %v, %v; want an invalid_geojson error", c.name, fs, err)
			continue
		}
		if !strings.Contains(qe.Message, c.says) {
			t.Errorf("%s: %q does not say %q", c.name, qe.Message, c.says)
		}
	}
}

// FuzzParseFeatures: whatever the text, ParseFeatures returns areas that
// keep its promises (closed rings of at least 4 valid positions, within
// the limits) or an invalid_geojson error, and Contains answers on them.
func FuzzParseFeatures(f *testing.F) {
	f.Add([]byte(`{"type": "Polygon", "coordinates": ` + square + `}`))
	f.Add([]byte(`{"type": "Feature", "id": 1, "properties": {"id": "x"}, "geometry": {"type": "MultiPolygon", "coordinates": [` + square + `]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := ParseFeatures(data)
		if err != nil {
			var qe *queue.Error
			if !errors.As(err, &qe) || qe.Code != "invalid_geojson" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		n := 0
		for _, f := range fs {
			for _, poly := range f.Area {
				if len(poly) == 0 {
					t.Fatal("a polygon without rings")
				}
				for _, ring := range poly {
					n += len(ring)
					if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
						t.Fatalf("ring %v", ring)
					}
					for _, p := range ring {
						if !p.Valid() {
							t.Fatalf("position %v", p)
						}
					}
				}
			}
			if len(f.Area) == 0 {
				t.Fatal("a feature without area")
			}
			sw, ne, _ := f.Area.Bounds()
			f.Area.Contains(sw)
			f.Area.Contains(Point{Lat: (sw.Lat + ne.Lat) / 2, Lon: (sw.Lon + ne.Lon) / 2})
		}
		if n > MaxVertices {
			t.Fatalf("%d vertices", n)
		}
	})
}

func ExampleMultiPolygon_Contains() {
	ward := MultiPolygon{{rect(107.58, 16.45, 107.60, 16.47), rect(107.585, 16.455, 107.59, 16.46)}}
	fmt.Println(ward.Contains(Point{Lat: 16.465, Lon: 107.595})) // inside
	fmt.Println(ward.Contains(Point{Lat: 16.457, Lon: 107.587})) // in the hole
	fmt.Println(ward.Contains(Point{Lat: 16.45, Lon: 107.59}))   // on the border
	// Output:
	// true
	// false
	// true
}

// BenchmarkContains: a ward of 1,000 vertices (a circle of about 1 km
// around the demo map's centre), a point inside.
func BenchmarkContains(b *testing.B) {
	const n = 1000
	ring := make(Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		ring = append(ring, pt(107.5909+0.0094*math.Cos(a), 16.4637+0.009*math.Sin(a)))
	}
	area := MultiPolygon{{append(ring, ring[0])}}
	p := pt(107.5912, 16.4641)
	for b.Loop() {
		if !area.Contains(p) {
			b.Fatal("outside")
		}
	}
}
