package geo

import "math"

// Box is a rectangle of longitude and latitude: its south-west (Min) and
// north-east (Max) corners.
type Box struct{ Min, Max Point }

// Box is the smallest Box holding every vertex of m; an empty m gives an
// empty box (Min above Max) that holds nothing.
func (m MultiPolygon) Box() Box {
	sw, ne, ok := m.Bounds()
	if !ok {
		return Box{Min: Point{Lat: math.Inf(1), Lon: math.Inf(1)}, Max: Point{Lat: math.Inf(-1), Lon: math.Inf(-1)}}
	}
	return Box{Min: sw, Max: ne}
}

// Index is a static R-tree over boxes, for finding which of many areas
// may hold a point or meet a box.
type Index struct {
	boxes []Box // stub: lane geo is writing the tree
}

// NewIndex builds the index of boxes; Search reports their positions in
// the slice.
func NewIndex(boxes []Box) *Index {
	return &Index{boxes: append([]Box(nil), boxes...)}
}

// Search calls fn with the position of every box holding p (border
// inclusive), until fn returns false.
func (ix *Index) Search(p Point, fn func(i int) bool) {
	ix.SearchBox(Box{Min: p, Max: p}, fn)
}

// SearchBox calls fn with the position of every box meeting b (borders
// inclusive), until fn returns false.
func (ix *Index) SearchBox(b Box, fn func(i int) bool) {
	for i, x := range ix.boxes {
		if x.Min.Lon <= b.Max.Lon && b.Min.Lon <= x.Max.Lon && x.Min.Lat <= b.Max.Lat && b.Min.Lat <= x.Max.Lat {
			if !fn(i) {
				return
			}
		}
	}
}
