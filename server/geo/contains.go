package geo

import "math/big"

// Contains reports whether p lies in the area m covers.
//
// Each polygon is read by the even-odd rule over all its rings: a point is
// in a polygon when a ray from it crosses the polygon's rings an odd
// number of times, which for a well-formed polygon (holes inside the
// outer ring, rings not crossing) means inside the outer ring and not
// inside any hole. A point of m is in any of its polygons.
//
// The border belongs to the area: a point exactly on an edge or a vertex
// of any ring is inside, a hole's ring included (a hole's border is the
// area's border too, so the edge of a park carved out of a ward is in the
// ward — and in the park's own area if the park is configured as one).
// Whether a point is on an edge is decided exactly (an orientation test in
// float64, redone in exact rational arithmetic when the float64 result is
// too close to zero to trust), so horizontal edges, vertices and points
// on the border are answered the same way whatever order the rings run in.
//
// Coordinates are taken as a plane of longitude (x) and latitude (y): an
// area crossing the antimeridian must be split at ±180° as RFC 7946
// §3.1.9 asks. Points that are not Valid are in no area.
func (m MultiPolygon) Contains(p Point) bool {
	if !p.Valid() {
		return false
	}
	for _, poly := range m {
		if poly.contains(p) {
			return true
		}
	}
	return false
}

// contains applies the even-odd rule to all the polygon's rings, the
// border inclusive.
func (poly Polygon) contains(p Point) bool {
	odd := false
	for _, ring := range poly {
		n := len(ring)
		for i := 0; i < n; i++ {
			a, b := ring[i], ring[(i+1)%n] // a closed ring's last edge is zero-length
			if onSegment(a, b, p) {
				return true
			}
			// Half-open in latitude: an edge counts when one end is
			// strictly above p and the other at or below it, so a ray
			// through a vertex counts the vertex once and horizontal
			// edges never.
			if (a.Lat > p.Lat) != (b.Lat > p.Lat) {
				// The edge crosses p's parallel; the crossing is east of
				// p when p is on the left of the edge going up (or the
				// right going down).
				o := orient(a, b, p)
				if (b.Lat > a.Lat) == (o > 0) {
					odd = !odd
				}
			}
		}
	}
	return odd
}

// onSegment reports whether p lies on the closed segment ab.
func onSegment(a, b, p Point) bool {
	if p.Lon < min(a.Lon, b.Lon) || p.Lon > max(a.Lon, b.Lon) ||
		p.Lat < min(a.Lat, b.Lat) || p.Lat > max(a.Lat, b.Lat) {
		return false
	}
	return orient(a, b, p) == 0
}

// orient is the sign of the cross product (b−a)×(p−a): +1 when p is on
// the left of the line a→b, −1 on its right, 0 on it. The float64 value
// is trusted when it is larger than its worst rounding error; otherwise
// the sign is computed exactly.
func orient(a, b, p Point) int {
	if p == a || p == b || a == b {
		return 0 // common at shared vertices, and slow for the exact path
	}
	l := (b.Lon - a.Lon) * (p.Lat - a.Lat)
	r := (b.Lat - a.Lat) * (p.Lon - a.Lon)
	det := l - r
	// Each difference, product and the final subtraction round once: a
	// relative error of a few ulps of |l|+|r| bounds them all (the bound
	// of Shewchuk's orient2d filter, rounded up).
	// Products near float64's smallest numbers lose precision, so tiny
	// ones are always computed exactly.
	sum := abs(l) + abs(r)
	if bound := 4e-16 * sum; sum > 1e-250 && det > bound {
		return 1
	} else if sum > 1e-250 && det < -bound {
		return -1
	}
	return orientExact(a, b, p)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// orientExact is orient in rational arithmetic: float64 values are
// rationals, so the sign is exact.
func orientExact(a, b, p Point) int {
	r := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	ax, ay, bx, by, px, py := r(a.Lon), r(a.Lat), r(b.Lon), r(b.Lat), r(p.Lon), r(p.Lat)
	l := new(big.Rat).Mul(new(big.Rat).Sub(bx, ax), new(big.Rat).Sub(py, ay))
	rr := new(big.Rat).Mul(new(big.Rat).Sub(by, ay), new(big.Rat).Sub(px, ax))
	return l.Cmp(rr)
}
