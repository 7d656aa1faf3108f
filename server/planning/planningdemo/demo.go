// Package planningdemo invents the demo's plan: a few dozen zones and a
// few hundred parcels on a grid around a point (the demo office), the same
// on every run. Every import it makes is marked Sample, so every page that
// shows it says "Dữ liệu mẫu / Sample data": nothing here is a real plan.
package planningdemo

import (
	"fmt"

	"luot/server/geo"
	"luot/server/planning"
)

// Grid of the plan: Cells × Cells blocks of Cell degrees, each cut into
// Split × Split parcel rows and columns.
const (
	Cells = 6
	Cell  = 0.0015 // about 165 m
	Split = 3
)

// Decision and DecisionDate are the invented approving decision.
const (
	Decision     = "01/2026/QĐ-MẪU"
	DecisionDate = "2026-01-15"
)

// use is a land use of the demo's legend and its rules.
type use struct {
	code, name           string
	density, height, far float64
	floors               int
}

var uses = []use{
	{"ODT", "Đất ở đô thị", 80, 25, 5, 7},
	{"TMD", "Đất thương mại, dịch vụ", 60, 40, 6, 10},
	{"HH", "Đất hỗn hợp", 60, 45, 7, 12},
	{"DYT", "Đất cơ sở y tế", 40, 25, 2.4, 6},
	{"ODT", "Đất ở đô thị", 70, 18, 3.5, 5},
}

var (
	park    = use{"CX", "Đất cây xanh công cộng", 5, 6, 0.1, 1}
	culture = use{"DVH", "Đất xây dựng cơ sở văn hóa", 40, 15, 1.2, 3}
	school  = use{"DGD", "Đất xây dựng cơ sở giáo dục và đào tạo", 40, 20, 2, 5}
)

// Data is the demo's plan centred on centre, its imports dated at (an
// RFC 3339 time is enough: the date the demo was seeded).
func Data(centre geo.Point, info planning.Info) planning.Data {
	o := geo.Point{Lat: centre.Lat - Cells*Cell/2, Lon: centre.Lon - Cells*Cell/2}
	rect := func(lat0, lon0, lat1, lon1 float64) geo.Ring {
		return geo.Ring{{Lat: lat0, Lon: lon0}, {Lat: lat0, Lon: lon1}, {Lat: lat1, Lon: lon1}, {Lat: lat1, Lon: lon0}, {Lat: lat0, Lon: lon0}}
	}
	cell := func(r, c int) geo.Ring {
		return rect(o.Lat+float64(r)*Cell, o.Lon+float64(c)*Cell, o.Lat+float64(r+1)*Cell, o.Lon+float64(c+1)*Cell)
	}
	zone := func(n int, u use, area geo.MultiPolygon) planning.Zone {
		return planning.Zone{ID: fmt.Sprintf("Z%02d", n), Code: u.code, Name: u.name, Density: u.density, Height: u.height,
			Floors: u.floors, FAR: u.far, Decision: Decision, DecisionDate: DecisionDate, Area: area}
	}
	var zones []planning.Zone
	n := 0
	for r := range Cells {
		for c := range Cells {
			switch {
			case (r == 2 || r == 3) && (c == 2 || c == 3), r == 0 && c == Cells-1, r == Cells-1 && c == 0:
				continue // the park and the school, below
			}
			n++
			zones = append(zones, zone(n, uses[(r*7+c*3)%len(uses)], geo.MultiPolygon{{cell(r, c)}}))
		}
	}
	// The park: the four middle blocks, with the culture house in a hole
	// at its centre (a zone with a hole, and the zone that fills it).
	lat0, lon0 := o.Lat+2*Cell, o.Lon+2*Cell
	hole := rect(lat0+0.7*Cell, lon0+0.7*Cell, lat0+1.3*Cell, lon0+1.3*Cell)
	outer := rect(lat0, lon0, lat0+2*Cell, lon0+2*Cell)
	holeCW := geo.Ring{hole[0], hole[3], hole[2], hole[1], hole[0]} // RFC 7946: holes clockwise
	n++
	zones = append(zones, zone(n, park, geo.MultiPolygon{{outer, holeCW}}))
	n++
	zones = append(zones, zone(n, culture, geo.MultiPolygon{{hole}}))
	// The school on two sites at opposite corners: one zone, two polygons.
	n++
	zones = append(zones, zone(n, school, geo.MultiPolygon{{cell(0, Cells-1)}, {cell(Cells-1, 0)}}))

	// Parcels: a grid shifted against the blocks, so that every third
	// parcel in each direction straddles a block's border (its shares are
	// split) and the last ones reach past the plan (partly uncovered).
	step := Cell / Split
	shift, size := 0.35*step, 0.8*step
	var parcels []planning.Parcel
	per := Cells * Split
	for r := range per {
		for c := range per {
			lat, lon := o.Lat+float64(r)*step+shift, o.Lon+float64(c)*step+shift
			sheet := 1 + r/Split/2
			num := (r%(2*Split))*per + c + 1
			parcels = append(parcels, planning.Parcel{Sheet: fmt.Sprint(sheet), Number: fmt.Sprint(num),
				Area: geo.MultiPolygon{{rect(lat, lon, lat+size, lon+size)}}})
		}
	}
	zi, pi := info, info
	zi.Sample, pi.Sample = true, true
	zi.Count, pi.Count = len(zones), len(parcels)
	if zi.Name == "" {
		zi.Name = "Quy hoạch mẫu (dữ liệu bịa đặt cho bản trình diễn)"
		pi.Name = "Bản đồ địa chính mẫu (dữ liệu bịa đặt cho bản trình diễn)"
	}
	if zi.CRS == "" {
		zi.CRS, pi.CRS = "EPSG:4326", "EPSG:4326"
	}
	return planning.Data{Zones: zones, ZonesInfo: zi, Parcels: parcels, ParcelInfo: pi}
}
