package planning

import (
	"errors"
	"io"

	"luot/server/geo"
)

// CRS is the coordinate system of an imported file.
type CRS struct {
	// VN2000 is the file's VN-2000 system; nil means WGS 84 longitude and
	// latitude (EPSG:4326), GeoJSON's own.
	VN2000 *geo.VN2000
}

// MaxImportBytes is the largest GeoJSON file an import reads.
const MaxImportBytes = 256 << 20

// DecodeZones reads the zones of a plan from a GeoJSON FeatureCollection.
func DecodeZones(r io.Reader, crs CRS) ([]Zone, error) {
	return nil, errors.New("planning: DecodeZones not implemented yet")
}

// DecodeParcels reads land parcels from a GeoJSON FeatureCollection.
func DecodeParcels(r io.Reader, crs CRS) ([]Parcel, error) {
	return nil, errors.New("planning: DecodeParcels not implemented yet")
}
