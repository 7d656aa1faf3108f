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

// latitudeOfQ is the latitude whose authalicQ is q, found by Newton's
// method from guess, which for the points of an edge is within a
// millionth of a degree: three steps reach float64's precision.
func latitudeOfQ(q, guess float64) float64 {
	const rad = math.Pi / 180
	lat := guess
	for i := 0; i < 3; i++ {
		s := math.Sin(lat * rad)
		w := 1 - wgs84E2*s*s
		dq := 2 * (1 - wgs84E2) * math.Cos(lat*rad) / (w * w) * rad // dq/dlat, per degree
		if dq == 0 {
			break
		}
		lat -= (authalicQ(lat) - q) / dq
	}
	return lat
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
// 1e-9, or 1e-6 m² for slivers: FuzzValidate checks it). Either may be any valid MultiPolygon (holes, several polygons,
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
// the larger side's vertices inside the box; Prepare takes the first
// term away for an area met many times.
func IntersectionAreaM2(a, b MultiPolygon) float64 {
	if vertices(a) < vertices(b) {
		a, b = b, a
	}
	return prepare(a, false).IntersectionAreaM2(b)
}

// chunkLen is the number of consecutive edges of a long ring that
// Prepare boxes together.
const chunkLen = 64

// Prepared is an area made ready for many overlaps with smaller ones (a
// zone against the parcels looked up): its box, its rings' orientations,
// and the boxes of runs of chunkLen edges of its long rings. A run whose
// box is apart from the other area's box folds onto one line of that box
// and is skipped as a single step, so a look-up walks the long rings of
// a zone of tens of thousands of positions run by run, not edge by edge.
// It is immutable and safe for concurrent use.
type Prepared struct {
	area   MultiPolygon
	box    Box
	w      []float64 // each ring's ringWeight, polygon by polygon
	chunks [][]Box   // each ring's runs' boxes; nil for a short ring
}

// Prepare makes m ready for IntersectionAreaM2 with many other areas. It
// takes time and memory linear in m's positions (32 bytes a run).
func Prepare(m MultiPolygon) *Prepared { return prepare(m, true) }

func prepare(m MultiPolygon, chunks bool) *Prepared {
	p := &Prepared{area: m, box: m.Box()}
	for _, poly := range m {
		for k, ring := range poly {
			p.w = append(p.w, ringWeight(k, ring))
			var cs []Box
			if chunks && len(ring) > 4*chunkLen {
				for lo := 0; lo+1 < len(ring); lo += chunkLen {
					cs = append(cs, MultiPolygon{{ring[lo:min(len(ring), lo+chunkLen+1)]}}.Box())
				}
			}
			p.chunks = append(p.chunks, cs)
		}
	}
	return p
}

// Area is the area p was made from.
func (p *Prepared) Area() MultiPolygon { return p.area }

// Box is the box of p's area.
func (p *Prepared) Box() Box { return p.box }

// IntersectionAreaM2 is geo.IntersectionAreaM2 of p's area and b, p's
// area taken as the larger side.
func (p *Prepared) IntersectionAreaM2(b MultiPolygon) float64 {
	ba, bb := p.box, b.Box()
	if !ba.Intersects(bb) {
		return 0
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
	ri := -1
	for _, poly := range p.area {
		for _, ring := range poly {
			ri++
			w := p.w[ri]
			if w == 0 {
				continue
			}
			tmp = clampRing(ring, p.chunks[ri], clip, tmp[:0])
			if len(tmp) < 3 {
				continue
			}
			pts := make([]xy, len(tmp))
			for i, v := range tmp {
				pts[i] = pr.to(v)
			}
			big = append(big, wring{pts, w})
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
	return weight(k, s)
}

// weight is ringWeight from ring k's signed area s.
func weight(k int, s float64) float64 {
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
// chunks, when not nil, are the boxes of the ring's runs of chunkLen
// edges: a run whose box is apart from b lies beyond one of b's lines,
// folds onto that line, and is replaced by its ends.
func clampRing(ring Ring, chunks []Box, b Box, out []Point) []Point {
	x0, x1, y0, y1 := b.Min.Lon, b.Max.Lon, b.Min.Lat, b.Max.Lat
	clamp := func(lon, lat float64) Point {
		if lon < x0 {
			lon = x0
		} else if lon > x1 {
			lon = x1
		}
		if lat < y0 {
			lat = y0
		} else if lat > y1 {
			lat = y1
		}
		return Point{Lat: lat, Lon: lon}
	}
	add := func(p Point) {
		n := len(out)
		if n > 0 && out[n-1] == p {
			return
		}
		if n > 1 {
			a, c := out[n-2], out[n-1]
			if (a.Lon == c.Lon && c.Lon == p.Lon && (p.Lon == x0 || p.Lon == x1)) ||
				(a.Lat == c.Lat && c.Lat == p.Lat && (p.Lat == y0 || p.Lat == y1)) {
				out[n-1] = p // a→c→p along one side of b: a→p has the same area
				return
			}
		}
		out = append(out, p)
	}
	// The crossings are found on the edge as the area projection draws it
	// (straight in longitude and in q(latitude), see areaProj), so that
	// the folded ring keeps exactly the edges AreaM2 measures.
	qy0, qy1 := math.NaN(), math.NaN()
	edges := func(lo, hi int) { // the edges ring[lo]→ring[lo+1] … ring[hi-1]→ring[hi]
		type crossing struct {
			t        float64
			lon, lat float64 // NaN: to be found from t
		}
		var cs [4]crossing
		for i := lo; i < hi; i++ {
			p, q := ring[i], ring[i+1]
			add(clamp(p.Lon, p.Lat))
			lonX := (p.Lon < x0) != (q.Lon < x0) || (p.Lon < x1) != (q.Lon < x1)
			latX := (p.Lat < y0) != (q.Lat < y0) || (p.Lat < y1) != (q.Lat < y1)
			if !lonX && !latX {
				continue
			}
			if math.IsNaN(qy0) {
				qy0, qy1 = authalicQ(y0), authalicQ(y1)
			}
			qp, qq := authalicQ(p.Lat), authalicQ(q.Lat)
			n := 0
			for _, x := range [2]float64{x0, x1} {
				if (p.Lon < x) != (q.Lon < x) {
					if t := (x - p.Lon) / (q.Lon - p.Lon); t > 0 && t < 1 {
						cs[n] = crossing{t, x, math.NaN()}
						n++
					}
				}
			}
			for k, y := range [2]float64{y0, y1} {
				if (p.Lat < y) != (q.Lat < y) {
					if t := ([2]float64{qy0, qy1}[k] - qp) / (qq - qp); t > 0 && t < 1 {
						cs[n] = crossing{t, p.Lon + t*(q.Lon-p.Lon), y}
						n++
					}
				}
			}
			for x := 1; x < n; x++ { // insertion sort of at most 4
				for y := x; y > 0 && cs[y].t < cs[y-1].t; y-- {
					cs[y], cs[y-1] = cs[y-1], cs[y]
				}
			}
			for _, c := range cs[:n] {
				if math.IsNaN(c.lat) {
					c.lat = latitudeOfQ(qp+c.t*(qq-qp), p.Lat+c.t*(q.Lat-p.Lat))
				}
				add(clamp(c.lon, c.lat))
			}
		}
	}
	if len(ring) == 0 {
		return out
	}
	if chunks == nil {
		edges(0, len(ring)-1)
	} else {
		for c, cb := range chunks {
			lo := c * chunkLen
			hi := min(len(ring)-1, lo+chunkLen)
			if cb.Intersects(b) {
				edges(lo, hi)
			} else {
				add(clamp(ring[lo].Lon, ring[lo].Lat))
			}
		}
	}
	last := ring[len(ring)-1]
	add(clamp(last.Lon, last.Lat))
	if n := len(out); n > 1 && out[n-1] == out[0] {
		out = out[:n-1]
	}
	return out
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

// Contains is MultiPolygon.Contains of p's area, skipping the runs of its
// long rings whose box lies wholly north of pt, wholly south of it (an
// edge counts when it crosses pt's parallel, see contains) or wholly west
// of it (the ray goes east), and which cannot hold pt on their border.
func (p *Prepared) Contains(pt Point) bool {
	if !pt.Valid() || !p.box.Holds(pt) {
		return false
	}
	ri := -1
	for _, poly := range p.area {
		odd := false
		for _, ring := range poly {
			ri++
			chunks := p.chunks[ri]
			if chunks == nil {
				if in, on := ringCrossings(ring, 0, len(ring)-1, pt); on {
					return true
				} else if in {
					odd = !odd
				}
				continue
			}
			for c, cb := range chunks {
				if cb.Max.Lat < pt.Lat || cb.Min.Lat > pt.Lat || cb.Max.Lon < pt.Lon {
					continue
				}
				lo := c * chunkLen
				if in, on := ringCrossings(ring, lo, min(len(ring)-1, lo+chunkLen), pt); on {
					return true
				} else if in {
					odd = !odd
				}
			}
		}
		if odd {
			return true
		}
	}
	return false
}

// ringCrossings is contains' test over the edges ring[lo]→ring[lo+1] …
// ring[hi-1]→ring[hi]: odd is whether an odd number of them cross the ray
// east of pt, on whether pt lies on one of them.
func ringCrossings(ring Ring, lo, hi int, pt Point) (odd, on bool) {
	for i := lo; i < hi; i++ {
		a, b := ring[i], ring[i+1]
		if onSegment(a, b, pt) {
			return false, true
		}
		if (a.Lat > pt.Lat) != (b.Lat > pt.Lat) {
			if o := orient(a, b, pt); (b.Lat > a.Lat) == (o > 0) {
				odd = !odd
			}
		}
	}
	return odd, false
}
