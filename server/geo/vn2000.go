package geo

import "errors"

// VN2000 is a plane coordinate system of VN-2000, Vietnam's national
// reference system: a transverse Mercator projection of the WGS 84
// ellipsoid around the province's central meridian.
type VN2000 struct {
	// CentralMeridian is the province's central meridian in degrees, e.g.
	// 105.75 (105°45′) for Hồ Chí Minh City.
	CentralMeridian float64
	// ZoneWidth is 3 (cadastral maps, scale factor 0.9999) or 6 (scale
	// factor 0.9996).
	ZoneWidth int
}

// Validate reports whether v is a VN-2000 system Lượt converts.
func (v VN2000) Validate() error { return errors.New("geo: VN2000 not implemented yet") }

// ToWGS84 converts a VN-2000 northing and easting (metres) to WGS 84.
func (v VN2000) ToWGS84(northing, easting float64) (Point, error) {
	return Point{}, errors.New("geo: VN2000 not implemented yet")
}

// FromWGS84 converts a WGS 84 point to a VN-2000 northing and easting.
func (v VN2000) FromWGS84(p Point) (northing, easting float64, err error) {
	return 0, 0, errors.New("geo: VN2000 not implemented yet")
}
