package geo

import (
	"math"
	"slices"
)

// The WGS 84 ellipsoid.
const (
	wgs84A  = 6_378_137.0           // semi-major axis, metres
	wgs84F  = 1 / 298.257223563     // flattening
	wgs84E2 = wgs84F * (2 - wgs84F) // first eccentricity squared
)

var wgs84E = math.Sqrt(wgs84E2)

// xy is a position in metres on the plane of areaProj.
type xy struct{ x, y float64 }

// areaProj is Lambert's cylindrical equal-area projection of the WGS 84
// ellipsoid (Snyder, Map Projections — A Working Manual, 1987, eq. 3-12
// and 10-15), shifted so that origin maps to (0, 0): x = a·(λ−λ0),
// y = a·(q(φ)−q(φ0))/2. An area on the plane is exactly the area of its
// preimage on the ellipsoid; the shift keeps the numbers small where
// areas are summed, so rounding stays far below a square millimetre.
type areaProj struct {
	lon0 float64
	q0   float64
}

func newAreaProj(origin Point) areaProj {
	return areaProj{lon0: origin.Lon, q0: authalicQ(origin.Lat)}
}

func (p areaProj) to(v Point) xy {
	const rad = math.Pi / 180
	return xy{wgs84A * (v.Lon - p.lon0) * rad, wgs84A * (authalicQ(v.Lat) - p.q0) / 2}
}

// authalicQ is Snyder's q(φ) for the WGS 84 ellipsoid:
// (1−e²)·(sin φ/(1−e² sin²φ) + artanh(e sin φ)/e).
func authalicQ(lat float64) float64 {
	s := math.Sin(lat * math.Pi / 180)
	return (1 - wgs84E2) * (s/(1-wgs84E2*s*s) + math.Atanh(wgs84E*s)/wgs84E)
}

// shoelace is the signed area of the closed ring r (positive when it runs
// counter-clockwise); r's last point need not repeat its first.
func shoelace(r []xy) float64 {
	n := len(r)
	if n < 3 {
		return 0
	}
	var s float64
	for i := 0; i < n; i++ {
		a, b := r[i], r[(i+1)%n]
		s += a.x*b.y - b.x*a.y
	}
	return s / 2
}

// AreaM2 is the area m covers on the ground, in square metres: each
// polygon's outer ring less its holes, on the WGS 84 ellipsoid. The
// polygons are taken not to overlap and the holes to lie in their outer
// ring, as Validate checks.
//
// Positions are projected by Lambert's cylindrical equal-area projection
// of the ellipsoid and the rings measured there, so the answer is exact
// (to rounding, a relative 1e-12) for rings whose edges follow meridians
// and parallels. Another edge is taken as straight on that projection,
// where RFC 7946 draws it straight in longitude and latitude; the two
// lines part by at most a·sin φ·Δφ²/8 (Δφ the edge's span of latitude in
// radians, a the semi-major axis): under 4 mm for edges up to 1 km below
// 24° of latitude (all of Viet Nam), about 2.5 m² for such an edge, a
// relative error under 1e-5 even for a thin shape of 1 km edges
// (TestAreaM2Error measures it) and under 1e-8 for parcels of 50 m edges.
func (m MultiPolygon) AreaM2() float64 {
	var total float64
	var buf []xy
	for _, poly := range m {
		for k, ring := range poly {
			if len(ring) == 0 {
				continue
			}
			pr := newAreaProj(ring[0])
			buf = buf[:0]
			for _, v := range ring {
				buf = append(buf, pr.to(v))
			}
			a := math.Abs(shoelace(buf))
			if k == 0 {
				total += a
			} else {
				total -= a
			}
		}
	}
	return math.Max(0, total)
}

// IntersectionAreaM2 is the area, in square metres, that a and b both
// cover, measured as AreaM2 measures: the areas of a parcel's parts in
// zones that do not overlap sum to the parcel's AreaM2 (to a relative
// 1e-9). Either may be any valid MultiPolygon (holes, several polygons,
// concave rings); ring orientation does not matter.
//
// The method: a polygon with holes is, point by point, the sum of its
// rings' winding numbers (outer rings counted counter-clockwise, holes
// clockwise). The larger side (in vertices) is clamped into the box both
// share, which keeps what lies inside the box and folds the rest onto the
// box's border, where the long stretches away from the box collapse to a
// few points; the smaller side's rings are cut into a fan of triangles
// from their first vertex, and each triangle clips the folded rings
// (Sutherland–Hodgman, exact for any ring against a convex clip as far
// as signed area goes). The signed clipped areas, weighted by the signs
// of the ring and the triangle, sum to the overlap. Time is linear in
// the larger side and in the product of the smaller side's vertices and
// the larger side's vertices inside the box.
func IntersectionAreaM2(a, b MultiPolygon) float64 {
	ba, bb := a.Box(), b.Box()
	if !ba.Intersects(bb) {
		return 0
	}
	if vertices(a) < vertices(b) {
		a, b = b, a
	}
	clip := Box{
		Min: Point{Lat: math.Max(ba.Min.Lat, bb.Min.Lat), Lon: math.Max(ba.Min.Lon, bb.Min.Lon)},
		Max: Point{Lat: math.Min(ba.Max.Lat, bb.Max.Lat), Lon: math.Min(ba.Max.Lon, bb.Max.Lon)},
	}
	pr := newAreaProj(clip.Min)

	// The larger side, clamped into the shared box and projected.
	type wring struct {
		pts []xy
		w   float64
	}
	var big []wring
	var tmp []Point
	for _, poly := range a {
		for k, ring := range poly {
			tmp = clampRing(ring, clip, tmp[:0])
			if len(tmp) < 3 {
				continue
			}
			pts := make([]xy, len(tmp))
			for i, v := range tmp {
				pts[i] = pr.to(v)
			}
			w := ringWeight(k, ring)
			if w != 0 {
				big = append(big, wring{pts, w})
			}
		}
	}
	if len(big) == 0 {
		return 0
	}

	var total float64
	var proj, s1, s2 []xy
	for _, poly := range b {
		for k, ring := range poly {
			w := ringWeight(k, ring)
			if w == 0 || len(ring) < 3 {
				continue
			}
			proj = proj[:0]
			for _, v := range ring {
				proj = append(proj, pr.to(v))
			}
			v0 := proj[0]
			for i := 1; i+1 < len(proj); i++ {
				t := [3]xy{v0, proj[i], proj[i+1]}
				s := shoelace(t[:])
				if s == 0 {
					continue
				}
				sign := w
				if s < 0 {
					t[1], t[2] = t[2], t[1]
					sign = -w
				}
				for _, r := range big {
					s1 = append(s1[:0], r.pts...)
					for e := 0; e < 3 && len(s1) > 0; e++ {
						s2 = clipHalfPlane(s1, t[e], t[(e+1)%3], s2[:0])
						s1, s2 = s2, s1
					}
					total += sign * r.w * shoelace(s1)
				}
			}
		}
	}
	return math.Max(0, total)
}

// vertices counts m's positions.
func vertices(m MultiPolygon) int {
	n := 0
	for _, poly := range m {
		for _, r := range poly {
			n += len(r)
		}
	}
	return n
}

// ringWeight is +1 or −1 such that the ring's winding number times it is
// +1 inside an outer ring (k = 0) and −1 inside a hole, whichever way the
// ring runs; 0 for a ring without area. The sign is taken in degrees: the
// projection keeps orientation.
func ringWeight(k int, ring Ring) float64 {
	var s float64
	n := len(ring)
	if n < 3 {
		return 0
	}
	o := ring[0]
	for i := 0; i < n; i++ {
		a, b := ring[i], ring[(i+1)%n]
		s += (a.Lon-o.Lon)*(b.Lat-o.Lat) - (b.Lon-o.Lon)*(a.Lat-o.Lat)
	}
	role := 1.0
	if k > 0 {
		role = -1
	}
	switch {
	case s > 0:
		return role
	case s < 0:
		return -role
	}
	return 0
}

// clampRing appends to out the image of the closed ring under the map
// that moves every point of the plane to the nearest point of box b
// (clamping longitude and latitude apart). The image's winding number is
// the ring's inside b and 0 outside, so its signed area is that of the
// ring's part in b. An edge's image bends where the edge crosses one of
// b's four lines, so those crossings are added; consecutive points on one
// side of b are merged, which is what keeps a long ring far from b short.
func clampRing(ring Ring, b Box, out []Point) []Point {
	clamp := func(p Point) Point {
		return Point{Lat: math.Min(math.Max(p.Lat, b.Min.Lat), b.Max.Lat), Lon: math.Min(math.Max(p.Lon, b.Min.Lon), b.Max.Lon)}
	}
	add := func(p Point) {
		n := len(out)
		if n > 0 && out[n-1] == p {
			return
		}
		if n > 1 && sameSide(out[n-2], out[n-1], p, b) {
			out[n-1] = p
			return
		}
		out = append(out, p)
	}
	var ts [4]float64
	for i := 0; i+1 < len(ring); i++ {
		p, q := ring[i], ring[i+1]
		add(clamp(p))
		// The crossings of the segment with b's lines, in order along it.
		n := 0
		for _, c := range [4]struct{ from, to, at float64 }{
			{p.Lon, q.Lon, b.Min.Lon}, {p.Lon, q.Lon, b.Max.Lon},
			{p.Lat, q.Lat, b.Min.Lat}, {p.Lat, q.Lat, b.Max.Lat},
		} {
			if (c.from < c.at) != (c.to < c.at) && c.from != c.to {
				t := (c.at - c.from) / (c.to - c.from)
				if t > 0 && t < 1 {
					ts[n] = t
					n++
				}
			}
		}
		for x := 1; x < n; x++ { // insertion sort of at most 4
			for y := x; y > 0 && ts[y] < ts[y-1]; y-- {
				ts[y], ts[y-1] = ts[y-1], ts[y]
			}
		}
		for _, t := range ts[:n] {
			add(clamp(Point{Lat: p.Lat + t*(q.Lat-p.Lat), Lon: p.Lon + t*(q.Lon-p.Lon)}))
		}
	}
	if len(ring) > 0 {
		add(clamp(ring[len(ring)-1]))
	}
	if n := len(out); n > 1 && out[n-1] == out[0] {
		out = out[:n-1]
	}
	return out
}

// sameSide reports whether a, b and c all lie on one of b's four lines,
// so that the path a→b→c can be shortened to a→c without changing any
// area.
func sameSide(a, b, c Point, box Box) bool {
	for _, lon := range [2]float64{box.Min.Lon, box.Max.Lon} {
		if a.Lon == lon && b.Lon == lon && c.Lon == lon {
			return true
		}
	}
	for _, lat := range [2]float64{box.Min.Lat, box.Max.Lat} {
		if a.Lat == lat && b.Lat == lat && c.Lat == lat {
			return true
		}
	}
	return false
}

// clipHalfPlane is one step of Sutherland–Hodgman: the ring in (closed,
// last point not repeated) clipped to the half-plane on the left of the
// line a→b, appended to out.
func clipHalfPlane(in []xy, a, b xy, out []xy) []xy {
	side := func(p xy) float64 { return (b.x-a.x)*(p.y-a.y) - (b.y-a.y)*(p.x-a.x) }
	n := len(in)
	for i := 0; i < n; i++ {
		p, q := in[i], in[(i+1)%n]
		sp, sq := side(p), side(q)
		if sp >= 0 {
			out = append(out, p)
		}
		if (sp >= 0) != (sq >= 0) {
			t := sp / (sp - sq)
			out = append(out, xy{p.x + t*(q.x-p.x), p.y + t*(q.y-p.y)})
		}
	}
	return out
}

// InteriorPoint is a point inside m, for a marker or a label: on the
// parallel through the middle of the largest polygon's box, the middle of
// the widest stretch inside that polygon. Unlike the centroid it is never
// in a hole or outside a concave shape. An m without area gives its first
// position, and an empty m the zero Point.
func (m MultiPolygon) InteriorPoint() Point {
	best, bestArea := -1, -1.0
	for i, poly := range m {
		if a := (MultiPolygon{poly}).AreaM2(); a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 || len(m[best]) == 0 || len(m[best][0]) == 0 {
		return Point{}
	}
	poly := m[best]
	sw, ne, _ := MultiPolygon{poly}.Bounds()
	y := (sw.Lat + ne.Lat) / 2
	var xs []float64
	for _, ring := range poly {
		for i := 0; i+1 < len(ring); i++ {
			a, b := ring[i], ring[i+1]
			if (a.Lat > y) != (b.Lat > y) {
				xs = append(xs, a.Lon+(y-a.Lat)/(b.Lat-a.Lat)*(b.Lon-a.Lon))
			}
		}
	}
	slices.Sort(xs)
	out, width := poly[0][0], -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			out, width = Point{Lat: y, Lon: (xs[i] + xs[i+1]) / 2}, w
		}
	}
	return out
}
