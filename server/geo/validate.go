package geo

import (
	"math"
	"strconv"

	"luot/server/queue"
)

// Validate reports whether m is a well-formed area (OGC Simple Features,
// as RFC 7946 asks): at least one polygon; every ring closed, of at least
// 4 positions that are places and not all on one line; no ring crossing
// or touching itself; no two rings crossing or running along each other
// (they may touch at a point); every hole inside its polygon's outer ring
// and not inside another hole; no polygon inside another (the polygons of
// a multipolygon must not overlap). Repeated consecutive positions are
// allowed. Ring orientation is not checked (RFC 7946 asks parsers to
// accept either).
//
// It takes O(n log n) for n positions spread like real boundaries: the
// edges go into an Index and each is tested against the edges whose boxes
// meet its own, so a zone of 200,000 positions is checked in about a
// second (TestValidateLargeZone). The error is a *queue.Error of kind
// invalid and code invalid_geometry whose message names the polygon and
// ring (counted from 1) and a position near the fault.
func (m MultiPolygon) Validate() error {
	if len(m) == 0 {
		return newError(queue.KindInvalid, "invalid_geometry", "the area has no polygon")
	}
	// Each ring's positions without repeats, and the edges of all rings.
	type ringRef struct {
		poly, ring int // as in m, from 0
		pts        []Point
	}
	var rings []ringRef
	for pi, poly := range m {
		if len(poly) == 0 {
			return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon} has no ring", "polygon", pi+1)
		}
		for ri, ring := range poly {
			if len(ring) < 4 {
				return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} has {n} positions: a ring needs at least 4, the last repeating the first",
					"polygon", pi+1, "ring", ri+1, "n", len(ring))
			}
			for k, p := range ring {
				if !p.Valid() || math.IsInf(p.Lat, 0) || math.IsInf(p.Lon, 0) {
					return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring}, position {position} is not a place: longitude must be -180 to 180 and latitude -90 to 90",
						"polygon", pi+1, "ring", ri+1, "position", k+1)
				}
			}
			if ring[0] != ring[len(ring)-1] {
				return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} is not closed: its last position must repeat its first",
					"polygon", pi+1, "ring", ri+1)
			}
			pts := make([]Point, 0, len(ring)-1)
			for _, p := range ring[:len(ring)-1] {
				if len(pts) == 0 || pts[len(pts)-1] != p {
					pts = append(pts, p)
				}
			}
			for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
				pts = pts[:len(pts)-1]
			}
			if flat(pts) {
				return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} has no area: its positions lie on one line",
					"polygon", pi+1, "ring", ri+1)
			}
			rings = append(rings, ringRef{pi, ri, pts})
		}
	}
	type edge struct {
		ring, k int // rings[ring].pts[k] → pts[k+1 mod n]
	}
	var edges []edge
	var boxes []Box
	for r, rr := range rings {
		n := len(rr.pts)
		for k := 0; k < n; k++ {
			a, b := rr.pts[k], rr.pts[(k+1)%n]
			edges = append(edges, edge{r, k})
			boxes = append(boxes, Box{Min: Point{Lat: min(a.Lat, b.Lat), Lon: min(a.Lon, b.Lon)}, Max: Point{Lat: max(a.Lat, b.Lat), Lon: max(a.Lon, b.Lon)}})
		}
	}
	at := func(r, k int) Point {
		pts := rings[r].pts
		n := len(pts)
		return pts[((k%n)+n)%n]
	}
	crossing := func(e, f edge, p Point) error {
		re, rf := rings[e.ring], rings[f.ring]
		lon, lat := strconv.FormatFloat(p.Lon, 'f', -1, 64), strconv.FormatFloat(p.Lat, 'f', -1, 64)
		if e.ring == f.ring {
			return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} crosses or touches itself near ({lon}, {lat}): a boundary must go round without meeting itself",
				"polygon", re.poly+1, "ring", re.ring+1, "lon", lon, "lat", lat)
		}
		return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} and polygon {other}, ring {other_ring} cross near ({lon}, {lat}): rings may touch at a point but not cross or run along each other",
			"polygon", re.poly+1, "ring", re.ring+1, "other", rf.poly+1, "other_ring", rf.ring+1, "lon", lon, "lat", lat)
	}
	ix := NewIndex(boxes)
	var fault error
	for i, e := range edges {
		p1, p2 := at(e.ring, e.k), at(e.ring, e.k+1)
		ix.SearchBox(boxes[i], func(j int) bool {
			if j <= i {
				return true
			}
			f := edges[j]
			q1, q2 := at(f.ring, f.k), at(f.ring, f.k+1)
			o1, o2 := orient(p1, p2, q1), orient(p1, p2, q2)
			o3, o4 := orient(q1, q2, p1), orient(q1, q2, p2)
			if o1*o2 < 0 && o3*o4 < 0 {
				fault = crossing(e, f, q1)
				return false
			}
			if o1 == 0 && o2 == 0 {
				if overlap(p1, p2, q1, q2) {
					fault = crossing(e, f, q1)
					return false
				}
			}
			// They touch, or not at all. Within a ring only neighbours
			// may meet, at their shared vertex.
			touch := onSegment(p1, p2, q1) || onSegment(p1, p2, q2) || onSegment(q1, q2, p1) || onSegment(q1, q2, p2)
			if !touch {
				return true
			}
			if e.ring == f.ring {
				n := len(rings[e.ring].pts)
				next, prev := (e.k+1)%n == f.k, (f.k+1)%n == e.k
				switch {
				case next && p2 == q1 && !onSegment(p1, p2, q2) && !onSegment(q1, q2, p1):
					return true
				case prev && q2 == p1 && !onSegment(q1, q2, p2) && !onSegment(p1, p2, q1):
					return true
				}
				fault = crossing(e, f, q1)
				return false
			}
			// Two rings touching: they must not pass through each other
			// at the point. Each vertex starts one edge, so looking at the
			// edges' first vertices sees every touching vertex once.
			if touchCrosses(at(f.ring, f.k-1), q1, q2, p1, p2) || touchCrosses(at(e.ring, e.k-1), p1, p2, q1, q2) {
				fault = crossing(e, f, q1)
				return false
			}
			if p1 == q1 && interleave(p1, at(e.ring, e.k-1), p2, at(f.ring, f.k-1), q2) {
				fault = crossing(e, f, p1)
				return false
			}
			return true
		})
		if fault != nil {
			return fault
		}
	}

	// No ring crosses another, so each lies wholly inside or outside
	// any other: one position tells.
	ringBoxes := make([]Box, len(rings))
	for r, rr := range rings {
		b := emptyBox
		for _, p := range rr.pts {
			b = b.Union(Box{p, p})
		}
		ringBoxes[r] = b
	}
	inside := func(r, s int) bool { // ring r inside ring s
		return ringBoxes[s].Holds(ringBoxes[r].Min) && ringBoxes[s].Holds(ringBoxes[r].Max) && ringInside(rings[r].pts, rings[s].pts)
	}
	first := 0 // index in rings of the current polygon's outer ring
	for r, rr := range rings {
		if rr.ring == 0 {
			first = r
			continue
		}
		if !inside(r, first) {
			return newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} is a hole outside its outer ring: a polygon's holes lie inside its first ring",
				"polygon", rr.poly+1, "ring", rr.ring+1)
		}
	}
	// inHole: ring r (an outer ring) lies in a hole of polygon poly, an
	// island in a lake, which is no overlap.
	inHole := func(r, poly int) bool {
		for s, ss := range rings {
			if ss.poly == poly && ss.ring > 0 && inside(r, s) {
				return true
			}
		}
		return false
	}
	rix := NewIndex(ringBoxes)
	for r, rr := range rings {
		rix.SearchBox(ringBoxes[r], func(s int) bool {
			ss := rings[s]
			switch {
			case s == r:
			case rr.poly == ss.poly && rr.ring > 0 && ss.ring > 0 && inside(r, s):
				fault = newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon}, ring {ring} is a hole inside another hole (ring {other}): a hole of a hole is another polygon",
					"polygon", rr.poly+1, "ring", rr.ring+1, "other", ss.ring+1)
			case rr.poly != ss.poly && rr.ring == 0 && ss.ring == 0 && inside(r, s) && !inHole(r, ss.poly):
				fault = newError(queue.KindInvalid, "invalid_geometry", "polygon {polygon} lies inside polygon {other}: the polygons of a multipolygon must not overlap",
					"polygon", rr.poly+1, "other", ss.poly+1)
			}
			return fault == nil
		})
		if fault != nil {
			return fault
		}
	}
	return nil
}

// flat reports whether pts has fewer than three positions not on one line.
func flat(pts []Point) bool {
	if len(pts) < 3 {
		return true
	}
	a := pts[0]
	for i := 1; i < len(pts); i++ {
		if pts[i] != a {
			b := pts[i]
			for _, p := range pts[i+1:] {
				if orient(a, b, p) != 0 {
					return false
				}
			}
			return true
		}
	}
	return true
}

// overlap reports whether the collinear segments p1p2 and q1q2 share more
// than a point.
func overlap(p1, p2, q1, q2 Point) bool {
	key := func(p Point) float64 { return p.Lon }
	if p1.Lon == p2.Lon && q1.Lon == q2.Lon {
		key = func(p Point) float64 { return p.Lat }
	}
	lo := max(min(key(p1), key(p2)), min(key(q1), key(q2)))
	hi := min(max(key(p1), key(p2)), max(key(q1), key(q2)))
	return hi > lo
}

// touchCrosses reports whether a ring passing prev → v → next crosses the
// line of another ring's edge a→b at v, v being inside that edge (not at
// its ends).
func touchCrosses(prev, v, next, a, b Point) bool {
	if v == a || v == b || !onSegment(a, b, v) {
		return false
	}
	return orient(a, b, prev)*orient(a, b, next) < 0
}

// interleave reports whether two rings meeting at vertex v, one passing
// a1 → v → a2 and the other b1 → v → b2, cross there: the directions of
// the second alternate with those of the first around v.
func interleave(v, a1, a2, b1, b2 Point) bool {
	ang := func(p Point) float64 { return math.Atan2(p.Lat-v.Lat, p.Lon-v.Lon) }
	arc := func(x, from, to float64) bool { // x strictly inside the turn from → to
		d := math.Mod(x-from+4*math.Pi, 2*math.Pi)
		w := math.Mod(to-from+4*math.Pi, 2*math.Pi)
		return d > 0 && d < w
	}
	x1, x2, y1, y2 := ang(a1), ang(a2), ang(b1), ang(b2)
	if y1 == x1 || y1 == x2 || y2 == x1 || y2 == x2 {
		return false // a shared edge, which overlap finds
	}
	return arc(y1, x1, x2) != arc(y2, x1, x2)
}

// ringInside reports whether ring r lies inside ring s, given that they
// do not cross: the first position of r that is not on s decides, or the
// middle of an edge when every position is on s.
func ringInside(r, s []Point) bool {
	poly := Polygon{append(append(Ring(nil), s...), s[0])}
	on := func(p Point) bool {
		for i := range s {
			if onSegment(s[i], s[(i+1)%len(s)], p) {
				return true
			}
		}
		return false
	}
	for _, p := range r {
		if !on(p) {
			return poly.contains(p)
		}
	}
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		if p := (Point{Lat: (a.Lat + b.Lat) / 2, Lon: (a.Lon + b.Lon) / 2}); !on(p) {
			return poly.contains(p)
		}
	}
	return true
}
