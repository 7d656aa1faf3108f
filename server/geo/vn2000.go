package geo

import (
	"math"
	"strconv"

	"luot/server/queue"
)

// VN2000 is a plane coordinate system of VN-2000, Vietnam's national
// reference system (Decision 83/2000/QĐ-TTg): a transverse Mercator
// projection of the WGS 84 ellipsoid, placed and oriented for Vietnam,
// around a central meridian. Cadastral and planning maps use the
// province's own meridian in 3° zones; smaller scales use 6° zones.
//
// GeoJSON in VN-2000 writes a position [easting, northing] in metres: x
// to the east, as it writes [longitude, latitude].
type VN2000 struct {
	// CentralMeridian is the zone's central meridian in degrees east of
	// Greenwich, e.g. 105.75 (105°45′) for Hồ Chí Minh City. Provinces'
	// meridians are whole quarter degrees (Circular 973/2001/TT-TCĐC).
	CentralMeridian float64
	// ZoneWidth is 3 (scale factor 0.9999 on the meridian) or 6 (0.9996).
	ZoneWidth int
}

// VN2000FalseEasting is added to every VN-2000 easting (there is no
// false northing).
const VN2000FalseEasting = 500_000

const (
	// The range of central meridians that reach Vietnam's land and sea:
	// the mainland's provinces use 103°–108°30′, the 6° zones 105° and
	// 111°, and the islands of Trường Sa lie east to about 117°.
	vnMeridianMin = 102
	vnMeridianMax = 117
	// vnMaxOffset bounds |easting − false easting|: 600 km is well past
	// any 6° zone's edge at Vietnam's latitudes and keeps the series
	// within their sub-millimetre range.
	vnMaxOffset = 600_000
)

// The seven parameters of Decision 05/2007/QĐ-BTNMT from VN-2000 to
// WGS 84, as the proj library writes them (+towgs84, the position vector
// convention): translations in metres, rotations in arc seconds, the
// scale difference in parts per million.
const (
	vnDX, vnDY, vnDZ = -191.90441429, -39.30318279, -111.45032835
	vnRX, vnRY, vnRZ = -0.00928836, 0.01975479, -0.00427372
	vnScalePPM       = 0.252906278
)

// VN-2000 uses the WGS 84 ellipsoid (wgs84A, wgs84F in area.go), with its
// own placement.

// Validate reports whether v is a VN-2000 system: a 3° or 6° zone whose
// central meridian reaches Vietnam and is a whole quarter degree. The
// error (a *queue.Error, kind invalid, code invalid_crs) says what to
// write; a meridian written as degrees and minutes (105.45 for 105°45′)
// is named as such.
func (v VN2000) Validate() error {
	if v.ZoneWidth != 3 && v.ZoneWidth != 6 {
		return newError(queue.KindInvalid, "invalid_crs", "a VN-2000 zone is 3 or 6 degrees wide, not {width}: cadastral and planning maps use 3",
			"width", v.ZoneWidth)
	}
	m := v.CentralMeridian
	if math.IsNaN(m) || m < vnMeridianMin || m > vnMeridianMax {
		return newError(queue.KindInvalid, "invalid_crs", "the central meridian {meridian} does not cross Vietnam: give the province's meridian in degrees, between {min} and {max} (Ho Chi Minh City's is 105.75)",
			"meridian", fmtFloat(m), "min", vnMeridianMin, "max", vnMeridianMax)
	}
	if q := m * 4; q != math.Trunc(q) {
		whole, frac := math.Modf(m)
		if mins := math.Round(frac * 100); math.Abs(frac*100-mins) < 1e-9 && int(mins)%15 == 0 && mins < 60 {
			return newError(queue.KindInvalid, "invalid_crs", "the central meridian {meridian} looks like degrees and minutes: {deg}°{min}′ is written {decimal} in degrees",
				"meridian", fmtFloat(m), "deg", int(whole), "min", int(mins), "decimal", fmtFloat(whole+mins/60))
		}
		return newError(queue.KindInvalid, "invalid_crs", "the central meridian {meridian} is not a whole quarter degree: provinces' meridians are, e.g. 105.75 for 105°45′",
			"meridian", fmtFloat(m))
	}
	return nil
}

// scale is the scale factor on the central meridian.
func (v VN2000) scale() float64 {
	if v.ZoneWidth == 6 {
		return 0.9996
	}
	return 0.9999
}

// ToWGS84 converts a VN-2000 position (metres; the easting includes the
// false easting of 500 000 m) to WGS 84: the inverse transverse Mercator
// projection on the ellipsoid (Krüger's series to n⁴, under a millimetre
// within the range accepted here), then the seven-parameter Helmert
// transformation of Decision 05/2007/QĐ-BTNMT through geocentric
// coordinates, the point taken on the ellipsoid (height 0, as proj does:
// the map's heights are not in the file, and a height of 100 m would move
// the result by about a centimetre).
//
// It refuses (a *queue.Error, kind invalid) an invalid v, numbers that
// are not finite, and an easting more than 600 km from the false easting
// (no VN-2000 map reaches that far; such numbers are not VN-2000).
func (v VN2000) ToWGS84(northing, easting float64) (Point, error) {
	if err := v.Validate(); err != nil {
		return Point{}, err
	}
	if !finite(northing) || !finite(easting) || math.Abs(easting-VN2000FalseEasting) > vnMaxOffset || math.Abs(northing) > 10_000_000 {
		return Point{}, newError(queue.KindInvalid, "invalid_crs", "the VN-2000 position (northing {northing}, easting {easting}) is outside any VN-2000 zone: an easting lies within {offset} m of {false}",
			"northing", fmtFloat(northing), "easting", fmtFloat(easting), "offset", vnMaxOffset, "false", VN2000FalseEasting)
	}
	lat, lon := tm.inverse(northing/v.scale(), (easting-VN2000FalseEasting)/v.scale())
	x, y, z := toGeocentric(lat, lon+v.CentralMeridian*deg)
	x, y, z = helmert(x, y, z)
	lat, lon = fromGeocentric(x, y, z)
	return Point{Lat: lat / deg, Lon: lon / deg}, nil
}

// FromWGS84 is ToWGS84's inverse: the Helmert transformation inverted
// exactly, then the transverse Mercator projection. The demo and the
// tests use it to write VN-2000 files.
func (v VN2000) FromWGS84(p Point) (northing, easting float64, err error) {
	if err := v.Validate(); err != nil {
		return 0, 0, err
	}
	if !p.Valid() || math.Abs(p.Lat) > 84 || math.Abs(p.Lon-v.CentralMeridian) > 6 {
		return 0, 0, newError(queue.KindInvalid, "invalid_crs", "the point ({lat}, {lon}) is too far from the central meridian {meridian} for VN-2000",
			"lat", fmtFloat(p.Lat), "lon", fmtFloat(p.Lon), "meridian", fmtFloat(v.CentralMeridian))
	}
	x, y, z := toGeocentric(p.Lat*deg, p.Lon*deg)
	x, y, z = helmertInverse(x, y, z)
	lat, lon := fromGeocentric(x, y, z)
	n, e := tm.forward(lat, lon-v.CentralMeridian*deg)
	return n * v.scale(), e*v.scale() + VN2000FalseEasting, nil
}

const deg = math.Pi / 180

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// krueger holds the coefficients of Krüger's series for one ellipsoid
// (Karney 2011, "Transverse Mercator with an accuracy of a few
// nanometers", eqs. 35–36, to n⁴), for a scale factor of 1.
type krueger struct {
	a, e               float64    // rectifying radius, first eccentricity
	alpha, beta, delta [4]float64 // forward, inverse, latitude series
}

var tm = newKrueger(wgs84A, wgs84F)

func newKrueger(a, f float64) krueger {
	n := f / (2 - f)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	return krueger{
		a: a / (1 + n) * (1 + n2/4 + n4/64),
		e: 2 * math.Sqrt(n) / (1 + n),
		alpha: [4]float64{
			n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180,
			13*n2/48 - 3*n3/5 + 557*n4/1440,
			61*n3/240 - 103*n4/140,
			49561 * n4 / 161280,
		},
		beta: [4]float64{
			n/2 - 2*n2/3 + 37*n3/96 - n4/360,
			n2/48 + n3/15 - 437*n4/1440,
			17*n3/480 - 37*n4/840,
			4397 * n4 / 161280,
		},
		delta: [4]float64{
			2*n - 2*n2/3 - 2*n3 + 116*n4/45,
			7*n2/3 - 8*n3/5 - 227*n4/45,
			56*n3/15 - 136*n4/35,
			4279 * n4 / 630,
		},
	}
}

// forward projects latitude φ and longitude λ from the central meridian
// (radians) to northing and easting in metres, scale 1, no false easting.
func (k krueger) forward(φ, λ float64) (n, e float64) {
	t := math.Sinh(math.Atanh(math.Sin(φ)) - k.e*math.Atanh(k.e*math.Sin(φ)))
	ξ := math.Atan2(t, math.Cos(λ))
	η := math.Atanh(math.Sin(λ) / math.Sqrt(1+t*t))
	x, y := ξ, η
	for j, a := range k.alpha {
		m := 2 * float64(j+1)
		x += a * math.Sin(m*ξ) * math.Cosh(m*η)
		y += a * math.Cos(m*ξ) * math.Sinh(m*η)
	}
	return k.a * x, k.a * y
}

// inverse is forward's inverse.
func (k krueger) inverse(n, e float64) (φ, λ float64) {
	ξ, η := n/k.a, e/k.a
	x, y := ξ, η
	for j, b := range k.beta {
		m := 2 * float64(j+1)
		x -= b * math.Sin(m*ξ) * math.Cosh(m*η)
		y -= b * math.Cos(m*ξ) * math.Sinh(m*η)
	}
	χ := math.Asin(math.Sin(x) / math.Cosh(y))
	φ = χ
	for j, d := range k.delta {
		φ += d * math.Sin(2*float64(j+1)*χ)
	}
	return φ, math.Atan2(math.Sinh(y), math.Cos(x))
}

// toGeocentric gives the Earth-centred coordinates of a point on the
// ellipsoid (height 0).
func toGeocentric(φ, λ float64) (x, y, z float64) {
	e2 := wgs84F * (2 - wgs84F)
	s := math.Sin(φ)
	n := wgs84A / math.Sqrt(1-e2*s*s)
	return n * math.Cos(φ) * math.Cos(λ), n * math.Cos(φ) * math.Sin(λ), n * (1 - e2) * s
}

// fromGeocentric gives the latitude and longitude of Earth-centred
// coordinates near the ellipsoid's surface; the height is dropped.
func fromGeocentric(x, y, z float64) (φ, λ float64) {
	e2 := wgs84F * (2 - wgs84F)
	p := math.Hypot(x, y)
	φ = math.Atan2(z, p*(1-e2))
	for range 6 { // near the surface 3 rounds reach far below a millimetre
		s := math.Sin(φ)
		n := wgs84A / math.Sqrt(1-e2*s*s)
		h := p/math.Cos(φ) - n
		φ = math.Atan2(z, p*(1-e2*n/(n+h)))
	}
	return φ, math.Atan2(y, x)
}

// helmertMatrix is the linear part of the transformation: the scale
// times the small-angle rotation (position vector convention).
func helmertMatrix() [3][3]float64 {
	const sec = math.Pi / (180 * 3600)
	rx, ry, rz := vnRX*sec, vnRY*sec, vnRZ*sec
	m := 1 + vnScalePPM*1e-6
	return [3][3]float64{
		{m, -m * rz, m * ry},
		{m * rz, m, -m * rx},
		{-m * ry, m * rx, m},
	}
}

// helmert moves geocentric coordinates from VN-2000 to WGS 84.
func helmert(x, y, z float64) (float64, float64, float64) {
	r := helmertMatrix()
	return vnDX + r[0][0]*x + r[0][1]*y + r[0][2]*z,
		vnDY + r[1][0]*x + r[1][1]*y + r[1][2]*z,
		vnDZ + r[2][0]*x + r[2][1]*y + r[2][2]*z
}

// helmertInverse is helmert's exact inverse (the matrix inverted by
// Cramer's rule, not the parameters' signs flipped).
func helmertInverse(x, y, z float64) (float64, float64, float64) {
	r := helmertMatrix()
	v := [3]float64{x - vnDX, y - vnDY, z - vnDZ}
	det3 := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	det := det3(r)
	var out [3]float64
	for c := range 3 { // the determinant with column c replaced by v
		m := r
		for i := range 3 {
			m[i][c] = v[i]
		}
		out[c] = det3(m) / det
	}
	return out[0], out[1], out[2]
}
