// Package geo holds the little geometry Lượt needs: points in WGS 84
// degrees, polygons with holes and multipolygons read from GeoJSON
// (RFC 7946), whether a point lies in an area (a point on a border is
// inside), distances and areas on the ground, the area two polygons
// share, whether a polygon is well formed, and a static R-tree. Pure Go,
// no I/O. The feedback reports use it to route a located report to its
// ward and to find open reports nearby; the planning look-up for its
// zones and parcels.
package geo

// Point is a place in WGS 84 degrees. GeoJSON writes it [lon, lat].
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Ring is a closed line of points: the first equals the last.
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// MultiPolygon is one or more polygons; a GeoJSON Polygon is read as a
// MultiPolygon of one.
type MultiPolygon []Polygon

// Feature is one area of a GeoJSON FeatureCollection: its id (the
// feature's "id", or its properties' "id"), its properties and its
// geometry.
type Feature struct {
	ID         string
	Properties map[string]any
	Area       MultiPolygon
}

// Limits on what ParseFeatures reads.
const (
	MaxBytes    = 5 << 20 // the whole GeoJSON text
	MaxVertices = 200_000 // positions of every ring of every feature, closing ones included
	MaxDepth    = 32      // nesting of JSON arrays and objects, properties included
)
