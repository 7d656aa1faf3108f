package planning

import (
	"fmt"

	"luot/server/geo"
	"luot/server/queue"
)

// Plan is the look-up built from Data: the zones and parcels with their
// spatial indexes. It is immutable and safe for concurrent use.
type Plan struct {
	d Data // stub: lane geo is writing the indexes
}

// New builds the Plan of d. It refuses duplicate zone ids and duplicate
// sheet + number pairs.
func New(d Data) (*Plan, error) {
	return &Plan{d: d}, nil
}

// At is what the plan says for pt: the zones containing it.
func (p *Plan) At(pt geo.Point) PointAnswer {
	return PointAnswer{Outside: true}
}

// Parcel is what the plan says for the parcel sheet/number: the zones it
// overlaps with their shares. The error wraps queue.ErrNotFound when
// there is no such parcel.
func (p *Plan) Parcel(sheet, number string) (ParcelAnswer, error) {
	return ParcelAnswer{}, fmt.Errorf("parcel %s/%s: %w", sheet, number, queue.ErrNotFound)
}

// Info describes the imports the Plan was built from.
func (p *Plan) Info() (zones, parcels Info) {
	return p.d.ZonesInfo, p.d.ParcelInfo
}

// Bounds is the box holding every zone and parcel.
func (p *Plan) Bounds() geo.Box {
	return geo.Box{}
}
