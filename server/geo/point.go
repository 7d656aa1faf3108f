package geo

import "math"

// EarthRadius is the mean radius of the Earth in metres (IUGG R1), the
// sphere Distance measures on.
const EarthRadius = 6_371_008.8

// Valid reports whether p is a place: both numbers finite, latitude within
// [-90, 90] and longitude within [-180, 180].
func (p Point) Valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) &&
		p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// Distance is the distance in metres between a and b along a great circle
// of a sphere of radius EarthRadius (the haversine formula). On the
// ellipsoid the true distance differs by up to about 0.5 %, which is far
// below a phone's position error at the scale of a city.
func Distance(a, b Point) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := a.Lat*rad, b.Lat*rad
	dφ, dλ := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	h = math.Min(1, h) // rounding may push antipodes just past 1
	return 2 * EarthRadius * math.Asin(math.Sqrt(h))
}

// Bounds is the smallest box holding every vertex of m: its south-west
// and north-east corners. ok is false when m has no vertex. Like Contains
// it knows nothing of the antimeridian.
func (m MultiPolygon) Bounds() (sw, ne Point, ok bool) {
	sw = Point{Lat: math.Inf(1), Lon: math.Inf(1)}
	ne = Point{Lat: math.Inf(-1), Lon: math.Inf(-1)}
	for _, poly := range m {
		for _, ring := range poly {
			// Plain comparisons rather than math.Min and Max, which spend
			// time on NaN and signed zeros: a polygon's box is taken at
			// every look-up of a parcel.
			for _, v := range ring {
				if v.Lat < sw.Lat {
					sw.Lat = v.Lat
				}
				if v.Lat > ne.Lat {
					ne.Lat = v.Lat
				}
				if v.Lon < sw.Lon {
					sw.Lon = v.Lon
				}
				if v.Lon > ne.Lon {
					ne.Lon = v.Lon
				}
				ok = true
			}
		}
	}
	if !ok {
		return Point{}, Point{}, false
	}
	return sw, ne, true
}
