package geo

import (
	"math"
	"testing"
)

// polygonsOf reads data as small polygons on a grid of 0.0001° near Hồ Chí
// Minh City: a byte 255 starts a new polygon, 254 a new ring of it, and
// each other pair of bytes is a position (x, y in grid steps); each ring
// is closed by repeating its first position. Small grids make shared
// vertices, touching and collinear edges common.
func polygonsOf(data []byte) MultiPolygon {
	var m MultiPolygon
	var ring Ring
	flush := func() {
		if len(ring) > 0 {
			ring = append(ring, ring[0])
			if len(m) == 0 {
				m = append(m, Polygon{})
			}
			m[len(m)-1] = append(m[len(m)-1], ring)
			ring = nil
		}
	}
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case 255:
			flush()
			m = append(m, Polygon{})
		case 254:
			flush()
		default:
			if i+1 < len(data) {
				ring = append(ring, Point{Lon: 106.7 + float64(data[i]%32)*1e-4, Lat: 10.78 + float64(data[i+1]%32)*1e-4})
				i++
			}
		}
	}
	flush()
	return m
}

// FuzzValidate checks that an area Validate accepts is measured
// consistently: its overlap with itself is its area, prepared or not,
// and its overlap with a box is at most the smaller of the two.
func FuzzValidate(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10})
	f.Add([]byte{0, 0, 20, 0, 20, 20, 0, 20, 254, 5, 5, 5, 10, 10, 10, 10, 5})
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4, 255, 4, 4, 8, 4, 8, 8, 4, 8})
	f.Add([]byte{0, 0, 10, 0, 10, 10, 7, 10, 7, 3, 3, 3, 3, 10, 0, 10})
	f.Add([]byte{0, 0, 10, 10, 10, 0, 0, 10})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := polygonsOf(data)
		if m.Validate() != nil {
			return
		}
		a := m.AreaM2()
		if !(a > 0) {
			t.Fatalf("a valid area of %v m²: %v", a, m)
		}
		// Positions on the projection are good to about 1e-10 m (q's
		// rounding times the Earth's radius), so areas to about 1e-8 m²
		// whatever their size. Validate reads rings in degrees, where
		// RFC 7946 draws edges straight, the areas on the projection: a
		// spike thinner than the two lines' parting (AreaM2's error bound)
		// may cross itself on the projection and be measured differently
		// by the overlap, within that bound.
		tol := 1e-9*a + 1e-6 + edgeBound(m)
		if self := IntersectionAreaM2(m, m); math.Abs(self-a) > tol {
			t.Fatalf("overlap with itself %v m², area %v m²: %v", self, a, m)
		}
		if self := Prepare(m).IntersectionAreaM2(m); math.Abs(self-a) > tol {
			t.Fatalf("prepared overlap with itself %v m², area %v m²: %v", self, a, m)
		}
		box := MultiPolygon{{rect(106.7+5e-4, 10.78+5e-4, 106.7+15e-4, 10.78+15e-4)}}
		o := IntersectionAreaM2(m, box)
		if o < 0 || o > math.Min(a, box.AreaM2())+tol {
			t.Fatalf("overlap with a box %v m², area %v m², box %v m²: %v", o, a, box.AreaM2(), m)
		}
		// The parts inside and outside a line sum to the whole.
		west := MultiPolygon{{rect(106.69, 10.77, 106.7+9.5e-4, 10.79)}}
		east := MultiPolygon{{rect(106.7+9.5e-4, 10.77, 106.71, 10.79)}}
		if sum := IntersectionAreaM2(m, west) + IntersectionAreaM2(m, east); math.Abs(sum-a) > tol {
			t.Fatalf("west and east parts %v m², area %v m²: %v", sum, a, m)
		}
	})
}

// edgeBound is AreaM2's error bound for m: for each edge the parting of
// the straight lines in degrees and on the projection, a·sin φ·Δφ²/8,
// times its length, twice.
func edgeBound(m MultiPolygon) float64 {
	var b float64
	for _, poly := range m {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				dφ := (r[i+1].Lat - r[i].Lat) * math.Pi / 180
				b += 2 * wgs84A * math.Abs(math.Sin(r[i].Lat*math.Pi/180)) * dφ * dφ / 8 * Distance(r[i], r[i+1])
			}
		}
	}
	return b
}
