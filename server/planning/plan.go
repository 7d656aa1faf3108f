package planning

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"luot/server/geo"
	"luot/server/queue"
)

// Plan is the look-up built from Data: the zones with an R-tree of their
// boxes and their areas prepared for overlaps (geo.Prepare), the parcels
// by sheet and number. It is immutable and safe for
// concurrent use; a new import builds a new Plan.
type Plan struct {
	zones    []Zone
	prepared []*geo.Prepared // the zones' areas, ready for overlaps
	zoneIx   *geo.Index
	parcels  []Parcel
	byRef    map[string]int32 // parcelKey → position in parcels
	zoneInfo Info
	parcInfo Info
	bounds   geo.Box
}

// New builds the Plan of d. It refuses, with a *queue.Error of kind
// invalid, a zone without id, two zones with one id, a parcel without
// sheet or number, and two parcels with one sheet and number (compared as
// Parcel looks them up). It does not check geometry: the import does,
// with geo.MultiPolygon.Validate.
func New(d Data) (*Plan, error) {
	p := &Plan{
		zones:    d.Zones,
		parcels:  d.Parcels,
		byRef:    make(map[string]int32, len(d.Parcels)),
		zoneInfo: d.ZonesInfo,
		parcInfo: d.ParcelInfo,
	}
	if len(d.Parcels) > math.MaxInt32 {
		return nil, fmt.Errorf("planning: %d parcels, more than a plan holds", len(d.Parcels))
	}
	seen := make(map[string]int, len(d.Zones))
	boxes := make([]geo.Box, len(d.Zones))
	bounds := geo.Box{Min: geo.Point{Lat: math.Inf(1), Lon: math.Inf(1)}, Max: geo.Point{Lat: math.Inf(-1), Lon: math.Inf(-1)}}
	for i, z := range d.Zones {
		if z.ID == "" {
			return nil, newError(queue.KindInvalid, "invalid_plan", "zone {feature} has no id: every zone needs one", "feature", i+1)
		}
		if j, ok := seen[z.ID]; ok {
			return nil, newError(queue.KindInvalid, "invalid_plan", "zones {first} and {second} have the same id {id}: every zone needs its own",
				"first", j+1, "second", i+1, "id", z.ID)
		}
		seen[z.ID] = i
		pz := geo.Prepare(z.Area)
		p.prepared = append(p.prepared, pz)
		boxes[i] = pz.Box()
		bounds = bounds.Union(boxes[i])
	}
	for i, pc := range d.Parcels {
		k := parcelKey(pc.Sheet, pc.Number)
		if k == "" {
			return nil, newError(queue.KindInvalid, "invalid_plan", "parcel {feature} has no sheet or no number: a parcel is named by both", "feature", i+1)
		}
		if j, ok := p.byRef[k]; ok {
			return nil, newError(queue.KindInvalid, "invalid_plan", "parcels {first} and {second} are both parcel {number} of sheet {sheet}: a sheet and a number name one parcel",
				"first", j+1, "second", i+1, "sheet", pc.Sheet, "number", pc.Number)
		}
		p.byRef[k] = int32(i)
		bounds = bounds.Union(pc.Area.Box())
	}
	p.zoneIx = geo.NewIndex(boxes)
	p.bounds = bounds
	return p, nil
}

// parcelKey is the name a parcel is found by: sheet and number without
// surrounding spaces, a number of digits only without leading zeros (a
// citizen writing sheet 05 means sheet 5); "" when either is empty.
func parcelKey(sheet, number string) string {
	norm := func(s string) string {
		s = strings.TrimSpace(s)
		if s == "" || strings.Trim(s, "0123456789") != "" {
			return s
		}
		if t := strings.TrimLeft(s, "0"); t != "" {
			return t
		}
		return "0"
	}
	sheet, number = norm(sheet), norm(number)
	if sheet == "" || number == "" {
		return ""
	}
	return sheet + "\x00" + number
}

// At is what the plan says for pt: the zones containing it, a point on a
// border in each zone it bounds, ordered by ID. Outside is set when pt is
// beyond every zone's box, or is not a place.
func (p *Plan) At(pt geo.Point) PointAnswer {
	out := PointAnswer{Zones: []Zone{}, Outside: true}
	if !pt.Valid() {
		return out
	}
	p.zoneIx.Search(pt, func(i int) bool {
		out.Outside = false
		if p.prepared[i].Contains(pt) {
			out.Zones = append(out.Zones, p.zones[i])
		}
		return true
	})
	slices.SortFunc(out.Zones, func(a, b Zone) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// minShare is the part of a parcel below which an overlap is taken as a
// parcel merely touching a zone: rounding leaves areas of about 1e-12 of
// the parcel along shared borders.
const minShare = 1e-9

// Parcel is what the plan says for the parcel sheet/number: its area, a
// point inside it, and the zones it overlaps with the area and percent of
// the parcel in each, largest first (equal ones by zone ID). Sheet and
// number are compared without surrounding spaces and, when all digits,
// without leading zeros. The error wraps queue.ErrNotFound when there is
// no such parcel.
func (p *Plan) Parcel(sheet, number string) (ParcelAnswer, error) {
	i, ok := p.byRef[parcelKey(sheet, number)]
	if !ok {
		return ParcelAnswer{}, fmt.Errorf("parcel %q of sheet %q: %w", strings.TrimSpace(number), strings.TrimSpace(sheet), queue.ErrNotFound)
	}
	pc := p.parcels[i]
	out := ParcelAnswer{Parcel: pc, AreaM2: pc.Area.AreaM2(), Centre: pc.Area.InteriorPoint(), Shares: []Share{}, Uncovered: 100}
	if out.AreaM2 <= 0 {
		return out, nil
	}
	var covered float64
	p.zoneIx.SearchBox(pc.Area.Box(), func(z int) bool {
		a := p.prepared[z].IntersectionAreaM2(pc.Area)
		if a > minShare*out.AreaM2 {
			pct := 100 * a / out.AreaM2
			out.Shares = append(out.Shares, Share{Zone: p.zones[z], AreaM2: a, Percent: pct})
			covered += pct
		}
		return true
	})
	slices.SortFunc(out.Shares, func(a, b Share) int {
		if c := cmp.Compare(b.AreaM2, a.AreaM2); c != 0 {
			return c
		}
		return strings.Compare(a.Zone.ID, b.Zone.ID)
	})
	out.Uncovered = math.Max(0, 100-covered)
	if out.Uncovered < 100*minShare {
		out.Uncovered = 0
	}
	return out, nil
}

// ZonesIn calls fn with every zone whose box meets b, in no particular
// order, until fn returns false: the zones a map shows for its view.
func (p *Plan) ZonesIn(b geo.Box, fn func(Zone) bool) {
	p.zoneIx.SearchBox(b, func(i int) bool { return fn(p.zones[i]) })
}

// Info describes the imports the Plan was built from.
func (p *Plan) Info() (zones, parcels Info) {
	return p.zoneInfo, p.parcInfo
}

// Bounds is the smallest box holding every zone and parcel; empty (Min
// above Max, see geo.Box.Empty) for a plan without any.
func (p *Plan) Bounds() geo.Box {
	return p.bounds
}

// newError is queue.NewError; the name lets server/msgtext find the
// templates.
func newError(kind queue.Kind, code, template string, args ...any) *queue.Error {
	return queue.NewError(kind, code, template, args...)
}
