package planning

import (
	"fmt"
	"math"

	"luot/server/geo"
)

// A city generated deterministically, for tests and benchmarks at scale:
// zones on a jittered lattice with wavy shared borders (neighbours share
// every border position, so the zones tile the city without gaps), every
// seventh zone with a hole, and a grid of parcels with roads between them
// that cross the zones' borders.

// Where the city lies: around Hồ Chí Minh City's centre, 0.14° × 0.11°
// (about 15 × 12 km).
const (
	cityLon, cityLat = 106.62, 10.72
	cityW, cityH     = 0.14, 0.11
)

// mix is SplitMix64's finaliser: a deterministic hash of k in [0, 1).
func mix(k uint64) float64 {
	k += 0x9e3779b97f4a7c15
	k = (k ^ k>>30) * 0xbf58476d1ce4e5b9
	k = (k ^ k>>27) * 0x94d049bb133111eb
	k ^= k >> 31
	return float64(k>>11) / (1 << 53)
}

// city is the plan of nx × ny zones and px × py parcels.
func city(nx, ny, px, py int) Data {
	dx, dy := cityW/float64(nx), cityH/float64(ny)
	node := func(i, j int) geo.Point {
		p := geo.Point{Lon: cityLon + float64(i)*dx, Lat: cityLat + float64(j)*dy}
		if i > 0 && i < nx {
			p.Lon += (mix(uint64(i*7919+j)*2) - 0.5) * 0.25 * dx
		}
		if j > 0 && j < ny {
			p.Lat += (mix(uint64(i*7919+j)*2+1) - 0.5) * 0.25 * dy
		}
		return p
	}
	// border is the wavy line from node a to node b, b excluded; key names
	// the border so both its zones draw the same positions.
	// reversed runs it from b back to a, a excluded.
	border := func(a, b geo.Point, key uint64, reversed bool) []geo.Point {
		const k = 6
		pts := make([]geo.Point, 0, k+1)
		nLon, nLat := -(b.Lat - a.Lat), b.Lon-a.Lon // normal
		for s := 0; s <= k; s++ {
			t := float64(s) / (k + 1)
			w := 0.0
			if s > 0 {
				w = (mix(key*16+uint64(s)) - 0.5) * 0.06
			}
			pts = append(pts, geo.Point{Lon: a.Lon + t*(b.Lon-a.Lon) + w*nLon, Lat: a.Lat + t*(b.Lat-a.Lat) + w*nLat})
		}
		if !reversed {
			return pts
		}
		out := []geo.Point{b}
		for s := len(pts) - 1; s > 0; s-- {
			out = append(out, pts[s])
		}
		return out
	}
	hKey := func(i, j int) uint64 { return uint64(j*(nx+1)+i) * 2 }   // (i,j)–(i+1,j)
	vKey := func(i, j int) uint64 { return uint64(j*(nx+1)+i)*2 + 1 } // (i,j)–(i,j+1)
	codes := []struct{ code, name string }{
		{"ODT", "Đất ở đô thị"}, {"DGD", "Đất giáo dục"}, {"CX", "Đất cây xanh"},
		{"TMD", "Đất thương mại, dịch vụ"}, {"DGT", "Đất giao thông"}, {"DYT", "Đất y tế"},
	}
	var d Data
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			var ring geo.Ring
			ring = append(ring, border(node(i, j), node(i+1, j), hKey(i, j), false)...)
			ring = append(ring, border(node(i+1, j), node(i+1, j+1), vKey(i+1, j), false)...)
			ring = append(ring, border(node(i, j+1), node(i+1, j+1), hKey(i, j+1), true)...)
			ring = append(ring, border(node(i, j), node(i, j+1), vKey(i, j), true)...)
			ring = append(ring, ring[0])
			poly := geo.Polygon{ring}
			n := j*nx + i
			if n%7 == 3 {
				c := geo.Point{Lon: cityLon + (float64(i)+0.5)*dx, Lat: cityLat + (float64(j)+0.5)*dy}
				hx, hy := 0.1*dx, 0.1*dy
				poly = append(poly, geo.Ring{
					{Lat: c.Lat - hy, Lon: c.Lon - hx}, {Lat: c.Lat + hy, Lon: c.Lon - hx},
					{Lat: c.Lat + hy, Lon: c.Lon + hx}, {Lat: c.Lat - hy, Lon: c.Lon + hx}, {Lat: c.Lat - hy, Lon: c.Lon - hx},
				})
			}
			c := codes[n%len(codes)]
			d.Zones = append(d.Zones, Zone{
				ID: fmt.Sprintf("Z%05d", n), Code: c.code, Name: c.name,
				Density: float64(40 + n%5*10), Height: float64(12 + n%8*6), Floors: 3 + n%8*2, FAR: 1.5 + float64(n%4),
				Decision: "1234/QĐ-UBND", DecisionDate: "2024-06-28", Area: geo.MultiPolygon{poly},
			})
		}
	}
	pdx, pdy := cityW/float64(px), cityH/float64(py)
	sheetsX := (px + 19) / 20
	for j := 0; j < py; j++ {
		for i := 0; i < px; i++ {
			x0, y0 := cityLon+float64(i)*pdx, cityLat+float64(j)*pdy
			skew := (mix(uint64(j*px+i)+1<<40) - 0.5) * 0.1
			ring := geo.Ring{
				{Lon: x0 + 0.05*pdx, Lat: y0 + 0.05*pdy},
				{Lon: x0 + 0.95*pdx, Lat: y0 + (0.05+skew)*pdy},
				{Lon: x0 + 0.95*pdx, Lat: y0 + 0.95*pdy},
				{Lon: x0 + 0.5*pdx, Lat: y0 + (0.95-math.Abs(skew))*pdy},
				{Lon: x0 + 0.05*pdx, Lat: y0 + 0.95*pdy},
				{Lon: x0 + 0.05*pdx, Lat: y0 + 0.05*pdy},
			}
			d.Parcels = append(d.Parcels, Parcel{
				Sheet:  fmt.Sprint((j/20)*sheetsX + i/20 + 1),
				Number: fmt.Sprint((j%20)*20 + i%20 + 1),
				Area:   geo.MultiPolygon{{ring}},
			})
		}
	}
	d.ZonesInfo = Info{Name: "Quy hoạch mẫu", CRS: "EPSG:4326", Sample: true, Count: len(d.Zones)}
	d.ParcelInfo = Info{Name: "Bản đồ địa chính mẫu", CRS: "EPSG:4326", Sample: true, Count: len(d.Parcels)}
	return d
}
