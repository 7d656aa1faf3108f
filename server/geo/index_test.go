package geo

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndex compares the R-tree's answers with looking at every box.
func TestIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 2))
	for _, n := range []int{0, 1, 15, 16, 17, 257, 5000} {
		boxes := make([]Box, n)
		for i := range boxes {
			lon, lat := 106+rng.Float64(), 10+rng.Float64()
			boxes[i] = Box{Min: pt(lon, lat), Max: pt(lon+rng.Float64()*0.05, lat+rng.Float64()*0.05)}
			if i%97 == 3 {
				boxes[i] = emptyBox // never found
			}
		}
		ix := NewIndex(boxes)
		if ix.Len() != n {
			t.Errorf("%d boxes: Len %d", n, ix.Len())
		}
		for q := 0; q < 300; q++ {
			lon, lat := 106+rng.Float64(), 10+rng.Float64()
			query := Box{Min: pt(lon, lat), Max: pt(lon+rng.Float64()*0.1, lat+rng.Float64()*0.1)}
			if q%3 == 0 {
				query.Max = query.Min // a point
			}
			if q == 1 && n > 0 {
				query = boxes[0] // a box's own corners are found
				query.Max = query.Min
			}
			var want, got []int
			for i, b := range boxes {
				if b.Intersects(query) {
					want = append(want, i)
				}
			}
			if query.Min == query.Max {
				ix.Search(query.Min, func(i int) bool { got = append(got, i); return true })
			} else {
				ix.SearchBox(query, func(i int) bool { got = append(got, i); return true })
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("%d boxes, query %v: got %v, want %v", n, query, got, want)
			}
			// Stopping early stops.
			if len(want) > 1 {
				calls := 0
				ix.SearchBox(query, func(int) bool { calls++; return false })
				if calls != 1 {
					t.Errorf("%d boxes: fn returned false but was called %d times", n, calls)
				}
			}
		}
	}
	ix := NewIndex([]Box{{Min: pt(0, 0), Max: pt(1, 1)}})
	ix.SearchBox(emptyBox, func(int) bool { t.Error("an empty box met something"); return true })
}

func TestInteriorPoint(t *testing.T) {
	u := MultiPolygon{{Ring{pt(0, 0), pt(10, 0), pt(10, 10), pt(7, 10), pt(7, 3), pt(3, 3), pt(3, 10), pt(0, 10), pt(0, 0)}}}
	holed := MultiPolygon{{rect(0, 0, 10, 10), rect(2, 2, 8, 8)}, {rect(20, 0, 21, 1)}}
	for name, m := range map[string]MultiPolygon{"a U": u, "a ring with a hole": holed, "a square": {{rect(0, 0, 1, 1)}}} {
		p := m.InteriorPoint()
		if !m.Contains(p) || (MultiPolygon{{rect(3.0001, 3.0001, 6.9999, 10)}}).Contains(p) && name == "a U" {
			t.Errorf("%s: %v is not inside", name, p)
		}
		if name == "a ring with a hole" && (p.Lon > 2 && p.Lon < 8 && p.Lat > 2 && p.Lat < 8) {
			t.Errorf("%s: %v is in the hole", name, p)
		}
	}
	if p := (MultiPolygon{}).InteriorPoint(); p != (Point{}) {
		t.Errorf("no area: %v", p)
	}
}
