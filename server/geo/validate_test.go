package geo

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"luot/server/queue"
)

// bigRing is a closed star of n positions around (lon, lat): tens of
// thousands of vertices, concave, not crossing itself.
func bigRing(n int, lon, lat, r float64) Ring {
	out := make(Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := r * (1 + 0.05*math.Sin(float64(i)*0.01)) // waves of 5 %: concave
		out = append(out, Point{Lat: lat + d*math.Sin(a), Lon: lon + d*math.Cos(a)})
	}
	return append(out, out[0])
}

func TestValidateAccepts(t *testing.T) {
	for name, m := range map[string]MultiPolygon{
		"a square":  {{rect(0, 0, 1, 1)}},
		"clockwise": {{reverse(rect(0, 0, 1, 1))}},
		"a hole":    {{rect(0, 0, 10, 10), rect(4, 4, 6, 6)}},
		"two holes": {{rect(0, 0, 10, 10), rect(1, 1, 3, 3), rect(5, 5, 8, 8)}},
		"a hole touching the outer ring at a vertex": {{rect(0, 0, 10, 10), Ring{pt(0, 5), pt(3, 4), pt(3, 6), pt(0, 5)}}},
		"two polygons":                      {{rect(0, 0, 1, 1)}, {rect(2, 0, 3, 1)}},
		"two polygons touching at a corner": {{rect(0, 0, 1, 1)}, {rect(1, 1, 2, 2)}},
		"an island in a lake":               {{rect(0, 0, 10, 10), rect(2, 2, 8, 8)}, {rect(4, 4, 6, 6)}},
		"repeated positions":                {{Ring{pt(0, 0), pt(1, 0), pt(1, 0), pt(1, 1), pt(0, 1), pt(0, 0), pt(0, 0)}}},
		"a concave U":                       {{Ring{pt(0, 0), pt(10, 0), pt(10, 10), pt(7, 10), pt(7, 3), pt(3, 3), pt(3, 10), pt(0, 10), pt(0, 0)}}},
		"a zone of 50,000 positions":        {{bigRing(50_000, 106.7, 10.78, 0.05), bigRing(20_000, 106.7, 10.78, 0.01)}},
	} {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateRefuses(t *testing.T) {
	big := bigRing(50_000, 106.7, 10.78, 0.05)
	crossed := append(Ring(nil), big...)
	// Swap two neighbours far into the ring: the boundary crosses itself.
	crossed[30_000], crossed[30_001] = crossed[30_001], crossed[30_000]
	for _, c := range []struct {
		name string
		m    MultiPolygon
		want string
	}{
		{"nothing", MultiPolygon{}, "no polygon"},
		{"an empty polygon", MultiPolygon{{}}, "polygon 1 has no ring"},
		{"three positions", MultiPolygon{{Ring{pt(0, 0), pt(1, 0), pt(0, 0)}}}, "has 3 positions"},
		{"not closed", MultiPolygon{{Ring{pt(0, 0), pt(1, 0), pt(1, 1), pt(0, 1)}}}, "not closed"},
		{"not a place", MultiPolygon{{Ring{pt(0, 0), pt(1, 0), pt(1, math.NaN()), pt(0, 0)}}}, "position 3 is not a place"},
		{"on one line", MultiPolygon{{Ring{pt(0, 0), pt(1, 1), pt(2, 2), pt(0, 0)}}}, "no area"},
		{"a bow tie", MultiPolygon{{Ring{pt(0, 0), pt(1, 1), pt(1, 0), pt(0, 1), pt(0, 0)}}}, "ring 1 crosses or touches itself"},
		{"a ring touching itself", MultiPolygon{{Ring{pt(0, 0), pt(4, 0), pt(4, 4), pt(2, 0), pt(0, 4), pt(0, 0)}}}, "crosses or touches itself"},
		{"a spike folding back", MultiPolygon{{Ring{pt(0, 0), pt(4, 0), pt(6, 0), pt(5, 0), pt(4, 4), pt(0, 0)}}}, "crosses or touches itself"},
		{"a hole crossing the outer ring", MultiPolygon{{rect(0, 0, 10, 10), rect(8, 4, 12, 6)}}, "polygon 1, ring 1 and polygon 1, ring 2 cross"},
		{"a hole through a vertex of the outer ring", MultiPolygon{{rect(0, 0, 10, 10), Ring{pt(-1, -1), pt(1, 0.5), pt(0.5, 1), pt(-1, -1)}}}, "cross"},
		{"a hole poking out through an edge at its vertex", MultiPolygon{{rect(0, 0, 10, 10), Ring{pt(5, 0), pt(6, -1), pt(6, 2), pt(5, 0)}}}, "cross"},
		{"a hole along the outer ring", MultiPolygon{{rect(0, 0, 10, 10), rect(0, 0, 3, 3)}}, "cross"},
		{"a hole outside", MultiPolygon{{rect(0, 0, 10, 10), rect(20, 20, 21, 21)}}, "ring 2 is a hole outside its outer ring"},
		{"a hole in a hole", MultiPolygon{{rect(0, 0, 10, 10), rect(2, 2, 8, 8), rect(4, 4, 6, 6)}}, "ring 3 is a hole inside another hole (ring 2)"},
		{"overlapping polygons", MultiPolygon{{rect(0, 0, 10, 10)}, {rect(5, 5, 15, 15)}}, "polygon 1, ring 1 and polygon 2, ring 1 cross"},
		{"a polygon inside another", MultiPolygon{{rect(0, 0, 10, 10)}, {rect(4, 4, 6, 6)}}, "polygon 2 lies inside polygon 1"},
		{"a zone of 50,000 positions crossing itself", MultiPolygon{{crossed}}, "ring 1 crosses or touches itself"},
	} {
		err := c.m.Validate()
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Kind != queue.KindInvalid || qe.Code != "invalid_geometry" {
			t.Errorf("%s: %v, want an invalid_geometry error", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, err, c.want)
		}
	}
}

// TestValidateLargeZone checks that a zone of tens of thousands of
// positions is not checked edge against edge: 200,000 positions would
// take minutes at O(n²). The time is logged, not asserted: a regression to
// O(n²) shows as a test that runs for minutes and in BenchmarkValidate.
func TestValidateLargeZone(t *testing.T) {
	m := MultiPolygon{{bigRing(200_000, 106.7, 10.78, 0.05)}}
	start := time.Now()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	t.Logf("200,000 positions validated in %v", time.Since(start))
}

// BenchmarkValidate validates a zone ring of 200,000 positions.
func BenchmarkValidate(b *testing.B) {
	m := MultiPolygon{{bigRing(200_000, 106.7, 10.78, 0.05)}}
	for b.Loop() {
		if err := m.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
