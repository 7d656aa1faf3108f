// Package planning is the planning look-up (tra cứu quy hoạch): the zones of
// an approved plan and the land parcels of the cadastre, and what the plan
// says for a point or a parcel. It is pure: no I/O but the readers it is
// given. The geometry itself (areas, overlaps, the spatial index, VN-2000)
// is server/geo's.
//
// A Plan is immutable once built: a new import builds a new Plan, and the
// server swaps it in whole, so a look-up never sees half an import.
package planning

import (
	"time"

	"luot/server/geo"
)

// Zone is one zone of the plan (ô quy hoạch) and its rules.
type Zone struct {
	// ID is the feature's id, unique in the import.
	ID string `json:"id"`
	// Code is the land-use code of the plan's legend, e.g. "ODT" (đất ở
	// đô thị), "DGD" (đất giáo dục), "CX" (cây xanh).
	Code string `json:"code"`
	// Name is the land-use name, Vietnamese as the decision writes it.
	Name string `json:"name"`
	// Density is the maximum building coverage (mật độ xây dựng), percent
	// 0–100; 0 when the plan sets none.
	Density float64 `json:"density"`
	// Height is the maximum building height (chiều cao tối đa) in metres;
	// Floors the maximum number of floors (tầng cao). 0 when not set.
	Height float64 `json:"height"`
	Floors int     `json:"floors,omitempty"`
	// FAR is the land-use coefficient (hệ số sử dụng đất); 0 when not set.
	FAR float64 `json:"far,omitempty"`
	// Decision is the approving decision's number, e.g. "1234/QĐ-UBND",
	// and DecisionDate its date (YYYY-MM-DD).
	Decision     string `json:"decision"`
	DecisionDate string `json:"decision_date"`
	// Area is the zone's geometry in WGS 84.
	Area geo.MultiPolygon `json:"-"`
}

// Parcel is one land parcel (thửa đất) of the cadastral map.
type Parcel struct {
	// Sheet is the map sheet number (số tờ bản đồ), Number the parcel
	// number on that sheet (số thửa); together they name the parcel.
	Sheet  string `json:"sheet"`
	Number string `json:"number"`
	// Area is the parcel's geometry in WGS 84.
	Area geo.MultiPolygon `json:"-"`
}

// Info describes an import.
type Info struct {
	// Name is what the admin called the import, e.g. the plan's title.
	Name string `json:"name"`
	// CRS is the coordinate system the file was in ("EPSG:4326" or
	// "VN-2000 <central meridian>").
	CRS string `json:"crs"`
	// Sample marks invented demo data: every page that shows it says so.
	Sample bool `json:"sample"`
	// At is when it was imported; Count how many features it held.
	At    time.Time `json:"at"`
	Count int       `json:"count"`
}

// Data is what the store holds: the last import of zones and of parcels.
// Either may be empty.
type Data struct {
	Zones      []Zone
	ZonesInfo  Info
	Parcels    []Parcel
	ParcelInfo Info
}

// PointAnswer is what the plan says for a point.
type PointAnswer struct {
	// Zones are the zones containing the point (a point on a shared border
	// is in both), ordered by ID.
	Zones []Zone `json:"zones"`
	// Outside is true when the point lies outside the planned area (beyond
	// the extent of every zone), so "no zone" means "not covered by this
	// plan" rather than "no rule here".
	Outside bool `json:"outside"`
}

// Share is the part of a parcel that lies in one zone.
type Share struct {
	Zone Zone `json:"zone"`
	// AreaM2 is the overlap's area in square metres, Percent its share of
	// the parcel's area (the shares of a parcel covered by zones that do
	// not overlap each other sum to 100).
	AreaM2  float64 `json:"area_m2"`
	Percent float64 `json:"percent"`
}

// ParcelAnswer is what the plan says for a parcel.
type ParcelAnswer struct {
	Parcel Parcel `json:"parcel"`
	// AreaM2 is the parcel's area; Centre a point inside it for the map.
	AreaM2 float64   `json:"area_m2"`
	Centre geo.Point `json:"centre"`
	// Shares are the zones the parcel overlaps, largest share first.
	Shares []Share `json:"shares"`
	// Uncovered is the percent of the parcel in no zone.
	Uncovered float64 `json:"uncovered"`
}
