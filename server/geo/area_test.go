package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// wgs84Surface is the area of the whole WGS 84 ellipsoid in square metres
// (NIMA TR8350.2, table 3.5: 5.10065621724e14 m², given there to 12 digits).
const wgs84Surface = 5.10065621724e14

func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

// reverse is r run the other way.
func reverse(r Ring) Ring {
	out := make(Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// densify puts n−1 points evenly (in longitude and latitude) inside every
// edge of every ring of m: the same area under RFC 7946's straight lines.
func densify(m MultiPolygon, n int) MultiPolygon {
	var out MultiPolygon
	for _, poly := range m {
		var np Polygon
		for _, r := range poly {
			var nr Ring
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				for k := 0; k < n; k++ {
					t := float64(k) / float64(n)
					nr = append(nr, Point{Lat: a.Lat + t*(b.Lat-a.Lat), Lon: a.Lon + t*(b.Lon-a.Lon)})
				}
			}
			np = append(np, append(nr, r[len(r)-1]))
		}
		out = append(out, np)
	}
	return out
}

func TestAreaM2Ellipsoid(t *testing.T) {
	// An eighth of the ellipsoid: its edges follow the equator and two
	// meridians, and the pole is a line on the projection, so the answer
	// is exact but for rounding.
	octant := MultiPolygon{{rect(0, 0, 90, 90)}}
	if got, want := octant.AreaM2(), wgs84Surface/8; relErr(got, want) > 1e-11 {
		t.Errorf("an octant: %.1f m², want %.1f m²", got, want)
	}
	// A northern and a southern octant, one written clockwise, as one
	// multipolygon.
	two := MultiPolygon{{rect(0, 0, 90, 90)}, {reverse(rect(90, -90, 180, 0))}}
	if got, want := two.AreaM2(), wgs84Surface/4; relErr(got, want) > 1e-11 {
		t.Errorf("two octants: %.1f m², want %.1f m²", got, want)
	}
	// A hole of a sixteenth in the octant, written either way round.
	for _, hole := range []Ring{rect(0, 0, 45, 90), reverse(rect(0, 0, 45, 90))} {
		holed := MultiPolygon{{rect(0, 0, 90, 90), hole}}
		if got, want := holed.AreaM2(), wgs84Surface/16; relErr(got, want) > 1e-11 {
			t.Errorf("an octant less half of it: %.1f m², want %.1f m²", got, want)
		}
	}
	if got := (MultiPolygon{}).AreaM2(); got != 0 {
		t.Errorf("no polygon: %v m²", got)
	}
}

// TestAreaM2Error measures the error the doc comment of AreaM2 states:
// rings with slanted edges of about 1 km at Viet Nam's latitudes against
// the same rings with every edge cut into 1,000 pieces, whose area is
// RFC 7946's to well below the bound.
func TestAreaM2Error(t *testing.T) {
	for _, lat := range []float64{8.5, 10.78, 16, 21, 23.4} {
		// A diamond of ~1.4 km edges and a concave arrow.
		d := 0.01
		diamond := MultiPolygon{{{{lat - d, 106.7}, {lat, 106.7 + d}, {lat + d, 106.7}, {lat, 106.7 - d}, {lat - d, 106.7}}}}
		arrow := MultiPolygon{{{{lat, 106}, {lat + 0.006, 106.009}, {lat + 0.002, 106.004}, {lat + 0.008, 106}, {lat + 0.002, 105.996}, {lat + 0.006, 105.991}, {lat, 106}}}}
		for name, m := range map[string]MultiPolygon{"diamond": diamond, "arrow": arrow} {
			got, want := m.AreaM2(), densify(m, 1000).AreaM2()
			if e := relErr(got, want); e > 1e-5 {
				t.Errorf("%s at %v°N: %.3f m², straight in degrees %.3f m²: relative error %.2g", name, lat, got, want, e)
			}
		}
	}
	// A parcel of 50 m edges.
	parcel := MultiPolygon{{{{10.78, 106.7}, {10.7804, 106.7003}, {10.7801, 106.7007}, {10.7797, 106.7004}, {10.78, 106.7}}}}
	if e := relErr(parcel.AreaM2(), densify(parcel, 1000).AreaM2()); e > 1e-8 {
		t.Errorf("a parcel: relative error %.2g", e)
	}
	// A sanity check of the scale: a 0.001° square at the equator is
	// about 111.32 m a side.
	sq := MultiPolygon{{rect(0, 0, 0.001, 0.001)}}
	if got := sq.AreaM2(); math.Abs(got-111.3195*110.574) > 5 {
		t.Errorf("a 0.001° square at the equator: %.1f m²", got)
	}
}

func TestIntersectionAreaM2(t *testing.T) {
	const lon, lat = 106.70, 10.78
	r := func(x0, y0, x1, y1 float64) Ring { return rect(lon+x0*1e-4, lat+y0*1e-4, lon+x1*1e-4, lat+y1*1e-4) }
	area := func(rings ...Ring) float64 { return MultiPolygon{rings}.AreaM2() }
	zoneA := MultiPolygon{{r(0, 0, 10, 20)}}
	zoneB := MultiPolygon{{reverse(r(10, 0, 20, 20))}} // clockwise
	holed := MultiPolygon{{r(0, 0, 20, 20), r(5, 5, 15, 15)}}
	multi := MultiPolygon{{r(0, 0, 4, 4)}, {r(6, 6, 10, 10)}}
	// A U: [0,10]×[0,10] less the notch [3,7]×[3,10].
	u := MultiPolygon{{Ring{
		pt(lon, lat), pt(lon+10e-4, lat), pt(lon+10e-4, lat+10e-4), pt(lon+7e-4, lat+10e-4), pt(lon+7e-4, lat+3e-4),
		pt(lon+3e-4, lat+3e-4), pt(lon+3e-4, lat+10e-4), pt(lon, lat+10e-4), pt(lon, lat),
	}}}
	parcel := MultiPolygon{{r(6, 2, 14, 8)}}
	for _, c := range []struct {
		name string
		a, b MultiPolygon
		want float64
	}{
		{"a parcel's part in the west zone", parcel, zoneA, area(r(6, 2, 10, 8))},
		{"a parcel's part in the east zone", parcel, zoneB, area(r(10, 2, 14, 8))},
		{"disjoint", MultiPolygon{{r(0, 0, 1, 1)}}, MultiPolygon{{r(2, 2, 3, 3)}}, 0},
		{"touching along an edge", MultiPolygon{{r(0, 0, 1, 1)}}, MultiPolygon{{r(1, 0, 2, 1)}}, 0},
		{"a parcel in a hole", MultiPolygon{{r(6, 6, 14, 14)}}, holed, 0},
		{"a parcel across a hole's border", parcel, holed, area(r(6, 2, 14, 5))},
		{"a holed zone in a big parcel", MultiPolygon{{r(-5, -5, 25, 25)}}, holed, area(r(0, 0, 20, 20)) - area(r(5, 5, 15, 15))},
		{"a holed zone against itself", holed, holed, area(r(0, 0, 20, 20)) - area(r(5, 5, 15, 15))},
		{"a multipolygon", MultiPolygon{{r(2, 2, 8, 8)}}, multi, area(r(2, 2, 4, 4)) + area(r(6, 6, 8, 8))},
		{"a concave zone", MultiPolygon{{r(2, 2, 8, 8)}}, u, area(r(2, 2, 8, 8)) - area(r(3, 3, 7, 8))},
		{"a parcel in the notch", MultiPolygon{{r(4, 4, 6, 9)}}, u, 0},
		{"a parcel around the zone", MultiPolygon{{r(-1, -1, 11, 11)}}, u, area(r(0, 0, 10, 10)) - area(r(3, 3, 7, 10))},
		{"a parcel inside the zone", MultiPolygon{{r(1, 1, 2, 9)}}, u, area(r(1, 1, 2, 9))},
	} {
		for _, swap := range []bool{false, true} {
			a, b := c.a, c.b
			if swap {
				a, b = b, a
			}
			got := IntersectionAreaM2(a, b)
			if math.Abs(got-c.want) > 1e-6*math.Max(1, c.want) {
				t.Errorf("%s (swapped %v): %.6f m², want %.6f m²", c.name, swap, got, c.want)
			}
		}
	}
	// The parcel across two zones: the parts sum to the whole.
	p := parcel.AreaM2()
	if sum := IntersectionAreaM2(parcel, zoneA) + IntersectionAreaM2(parcel, zoneB); math.Abs(sum-p) > 1e-9*p {
		t.Errorf("the parts of the parcel sum to %.9f m², the parcel is %.9f m²", sum, p)
	}
}

// star is a concave ring of n points around c (degrees), its radii
// drawn from rng between r/3 and r.
func star(rng *rand.Rand, c Point, r float64, n int) Ring {
	var out Ring
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := r * (1 + 2*rng.Float64()) / 3
		out = append(out, Point{Lat: c.Lat + d*math.Sin(a), Lon: c.Lon + d*math.Cos(a)})
	}
	return append(out, out[0])
}

// TestIntersectionAreaM2Random compares random concave polygons with holes
// against counting the points of a fine grid that lie in both.
func TestIntersectionAreaM2Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 1))
	c := Point{Lat: 10.78, Lon: 106.7}
	for k := 0; k < 12; k++ {
		a := MultiPolygon{{star(rng, c, 0.01, 40), star(rng, c, 0.002, 12)}}
		off := Point{Lat: c.Lat + (rng.Float64()-0.5)*0.02, Lon: c.Lon + (rng.Float64()-0.5)*0.02}
		b := MultiPolygon{{star(rng, off, 0.008, 30)}, {star(rng, Point{Lat: off.Lat + 0.02, Lon: off.Lon}, 0.003, 9)}}
		if k%2 == 1 {
			b[0][0] = reverse(b[0][0])
		}
		got := IntersectionAreaM2(a, b)
		// The grid: cells of equal area on the projection would be ideal;
		// at this size the cells' area varies by less than 1e-5.
		box := a.Box().Union(b.Box())
		const n = 500
		in := 0
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				p := Point{Lat: box.Min.Lat + (float64(i)+0.5)/n*(box.Max.Lat-box.Min.Lat), Lon: box.Min.Lon + (float64(j)+0.5)/n*(box.Max.Lon-box.Min.Lon)}
				if a.Contains(p) && b.Contains(p) {
					in++
				}
			}
		}
		want := float64(in) / (n * n) * MultiPolygon{{rect(box.Min.Lon, box.Min.Lat, box.Max.Lon, box.Max.Lat)}}.AreaM2()
		total := MultiPolygon{{rect(box.Min.Lon, box.Min.Lat, box.Max.Lon, box.Max.Lat)}}.AreaM2()
		if math.Abs(got-want) > 0.004*total {
			t.Errorf("case %d: %.0f m², the grid counts %.0f m² (box %.0f m²)", k, got, want, total)
		}
		if sym := IntersectionAreaM2(b, a); math.Abs(sym-got) > 1e-9*total {
			t.Errorf("case %d: a∩b %.6f m², b∩a %.6f m²", k, got, sym)
		}
	}
}

// TestPrepared checks that skipping the runs of a long ring far from the
// other area changes no overlap: a prepared zone of 50,000 positions with
// a hole of 20,000 against parcels inside, across both rings, around the
// whole, and far away.
func TestPrepared(t *testing.T) {
	zone := MultiPolygon{{bigRing(50_000, 106.7, 10.78, 0.05), bigRing(20_000, 106.7, 10.78, 0.01)}, {rect(106.9, 10.9, 106.91, 10.91)}}
	prep := Prepare(zone)
	if prep.Box() != zone.Box() || len(prep.Area()) != 2 {
		t.Errorf("the prepared area's box %v, polygons %d", prep.Box(), len(prep.Area()))
	}
	rng := rand.New(rand.NewPCG(22, 5))
	for k := 0; k < 80; k++ {
		c := Point{Lat: 10.78 + (rng.Float64()-0.5)*0.13, Lon: 106.7 + (rng.Float64()-0.5)*0.13}
		size := []float64{0.0003, 0.003, 0.03, 0.2}[k%4]
		parcel := MultiPolygon{{star(rng, c, size, 7)}}
		want := IntersectionAreaM2(zone, parcel) // zone is the larger side, walked edge by edge
		got := prep.IntersectionAreaM2(parcel)
		if math.Abs(got-want) > 1e-9*math.Max(1, parcel.AreaM2()) {
			t.Errorf("parcel %d (%v, %v°): prepared %.6f m², edge by edge %.6f m²", k, c, size, got, want)
		}
	}
	// The prepared zone against a parcel wholly inside, between its rings.
	parcel := MultiPolygon{{rect(106.73, 10.78, 106.731, 10.781)}}
	if got, want := prep.IntersectionAreaM2(parcel), parcel.AreaM2(); relErr(got, want) > 1e-9 {
		t.Errorf("a parcel inside: %.6f m², want %.6f m²", got, want)
	}
}

// TestPreparedContains compares the prepared look-up with Contains on
// random points, the vertices of the long rings and the middles of their
// edges.
func TestPreparedContains(t *testing.T) {
	outer, hole := bigRing(50_000, 106.7, 10.78, 0.05), bigRing(20_000, 106.7, 10.78, 0.01)
	zone := MultiPolygon{{outer, hole}, {rect(106.9, 10.9, 106.91, 10.91)}}
	prep := Prepare(zone)
	rng := rand.New(rand.NewPCG(22, 6))
	var pts []Point
	for k := 0; k < 2000; k++ {
		pts = append(pts, Point{Lat: 10.78 + (rng.Float64()-0.5)*0.12, Lon: 106.7 + (rng.Float64()-0.5)*0.12})
	}
	for k := 0; k < 300; k++ {
		r := []Ring{outer, hole}[k%2]
		i := rng.IntN(len(r) - 1)
		pts = append(pts, r[i], Point{Lat: (r[i].Lat + r[i+1].Lat) / 2, Lon: (r[i].Lon + r[i+1].Lon) / 2}, Point{Lat: r[i].Lat, Lon: r[i].Lon + 1e-7})
	}
	pts = append(pts, Point{Lat: 10.905, Lon: 106.905}, Point{Lat: 10.78, Lon: 106.7}, Point{Lat: 91, Lon: 0})
	for _, p := range pts {
		if got, want := prep.Contains(p), zone.Contains(p); got != want {
			t.Errorf("%v: prepared %v, Contains %v", p, got, want)
		}
	}
}
