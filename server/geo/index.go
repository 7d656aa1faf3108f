package geo

import (
	"math"
	"slices"
)

// Box is a rectangle of longitude and latitude: its south-west (Min) and
// north-east (Max) corners. A box whose Min is above or east of its Max
// is empty and meets nothing.
type Box struct{ Min, Max Point }

// emptyBox holds nothing and grows to anything it is joined with.
var emptyBox = Box{Min: Point{Lat: math.Inf(1), Lon: math.Inf(1)}, Max: Point{Lat: math.Inf(-1), Lon: math.Inf(-1)}}

// Box is the smallest Box holding every vertex of m; an m without vertex
// gives an empty box.
func (m MultiPolygon) Box() Box {
	sw, ne, ok := m.Bounds()
	if !ok {
		return emptyBox
	}
	return Box{Min: sw, Max: ne}
}

// Empty reports whether b holds no point (NaN corners included).
func (b Box) Empty() bool {
	return !(b.Min.Lon <= b.Max.Lon && b.Min.Lat <= b.Max.Lat)
}

// Union is the smallest box holding a and b.
func (b Box) Union(o Box) Box {
	if b.Empty() {
		return o
	}
	if o.Empty() {
		return b
	}
	return Box{
		Min: Point{Lat: math.Min(b.Min.Lat, o.Min.Lat), Lon: math.Min(b.Min.Lon, o.Min.Lon)},
		Max: Point{Lat: math.Max(b.Max.Lat, o.Max.Lat), Lon: math.Max(b.Max.Lon, o.Max.Lon)},
	}
}

// Intersects reports whether b and o share a point, borders included.
func (b Box) Intersects(o Box) bool {
	return b.Min.Lon <= o.Max.Lon && o.Min.Lon <= b.Max.Lon &&
		b.Min.Lat <= o.Max.Lat && o.Min.Lat <= b.Max.Lat &&
		!b.Empty() && !o.Empty()
}

// Holds reports whether p lies in b, border included.
func (b Box) Holds(p Point) bool {
	return b.Min.Lon <= p.Lon && p.Lon <= b.Max.Lon && b.Min.Lat <= p.Lat && p.Lat <= b.Max.Lat
}

// nodeSize is the number of children of a node of the tree: 16 keeps the
// tree shallow (five levels for a million boxes) while a node's boxes
// still fit in a few cache lines.
const nodeSize = 16

// Index is a static R-tree over boxes, packed by Sort-Tile-Recursive
// (Leutenegger et al., 1997): the boxes are sorted into vertical slices,
// each slice by latitude, and cut into nodes of nodeSize. It answers
// which boxes hold a point or meet a box in O(log n + answers) for
// boxes of similar size that do not pile up on each other, as parcels
// and the zones of a plan do. It is immutable and safe for concurrent
// use; it takes 32 bytes a box for the leaves, plus about a fifteenth of
// that for the nodes above, and 4 bytes a box for its position.
type Index struct {
	// levels[0] holds the boxes in packed order; levels[k][j] is the box
	// of the node whose children are levels[k-1][j*nodeSize:(j+1)*nodeSize].
	// The last level has a single box, the root.
	levels [][]Box
	// ids[i] is the position in NewIndex's slice of levels[0][i].
	ids []int32
}

// NewIndex builds the index of boxes; Search and SearchBox report their
// positions in the slice. Empty boxes are kept but never found. It
// panics when given more than 2³¹−1 boxes.
func NewIndex(boxes []Box) *Index {
	n := len(boxes)
	if n > math.MaxInt32 {
		panic("geo.NewIndex: more than 2^31-1 boxes")
	}
	ix := &Index{ids: make([]int32, n)}
	for i := range ix.ids {
		ix.ids[i] = int32(i)
	}
	if n == 0 {
		return ix
	}
	centre := func(b Box) (lon, lat float64) {
		if b.Empty() {
			return math.Inf(1), math.Inf(1) // at the end, out of the way
		}
		return (b.Min.Lon + b.Max.Lon) / 2, (b.Min.Lat + b.Max.Lat) / 2
	}
	// Sort-Tile-Recursive: √(n/nodeSize) slices by longitude, each of
	// whole nodes, sorted by latitude within.
	leaves := (n + nodeSize - 1) / nodeSize
	slices_ := int(math.Ceil(math.Sqrt(float64(leaves))))
	perSlice := ((leaves + slices_ - 1) / slices_) * nodeSize
	slices.SortFunc(ix.ids, func(a, b int32) int {
		x1, _ := centre(boxes[a])
		x2, _ := centre(boxes[b])
		return cmpFloat(x1, x2, a, b)
	})
	for s := 0; s < n; s += perSlice {
		part := ix.ids[s:min(n, s+perSlice)]
		slices.SortFunc(part, func(a, b int32) int {
			_, y1 := centre(boxes[a])
			_, y2 := centre(boxes[b])
			return cmpFloat(y1, y2, a, b)
		})
	}
	level := make([]Box, n)
	for i, id := range ix.ids {
		level[i] = boxes[id]
	}
	ix.levels = append(ix.levels, level)
	for len(level) > 1 {
		up := make([]Box, (len(level)+nodeSize-1)/nodeSize)
		for j := range up {
			b := emptyBox
			for _, c := range level[j*nodeSize : min(len(level), (j+1)*nodeSize)] {
				b = b.Union(c)
			}
			up[j] = b
		}
		ix.levels = append(ix.levels, up)
		level = up
	}
	return ix
}

// cmpFloat orders by x, then by position so the packing is deterministic.
func cmpFloat(x, y float64, a, b int32) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return int(a - b)
}

// Len is the number of boxes indexed.
func (ix *Index) Len() int { return len(ix.ids) }

// Search calls fn with the position of every box holding p (border
// inclusive), in no particular order, until fn returns false.
func (ix *Index) Search(p Point, fn func(i int) bool) {
	ix.SearchBox(Box{Min: p, Max: p}, fn)
}

// SearchBox calls fn with the position of every box meeting b (borders
// inclusive), in no particular order, until fn returns false.
func (ix *Index) SearchBox(b Box, fn func(i int) bool) {
	if len(ix.levels) == 0 || b.Empty() {
		return
	}
	ix.search(len(ix.levels)-1, 0, b, fn)
}

// search visits node j of level k; false means fn asked to stop.
func (ix *Index) search(k, j int, b Box, fn func(i int) bool) bool {
	if !ix.levels[k][j].Intersects(b) {
		return true
	}
	if k == 0 {
		return fn(int(ix.ids[j]))
	}
	below := ix.levels[k-1]
	for c := j * nodeSize; c < min(len(below), (j+1)*nodeSize); c++ {
		if k-1 == 0 {
			if below[c].Intersects(b) && !fn(int(ix.ids[c])) {
				return false
			}
			continue
		}
		if !ix.search(k-1, c, b, fn) {
			return false
		}
	}
	return true
}

// Bytes is the memory the index holds, in bytes.
func (ix *Index) Bytes() int {
	n := 4 * cap(ix.ids)
	for _, l := range ix.levels {
		n += 32 * cap(l)
	}
	return n
}
