package feedback

// Route is the unit in charge of a new report of category at p, and the
// ward p's point falls in ("" when none).
//
// The ward is the first unit of kind ward, in the configuration's order,
// whose Area contains the point. Borders belong to the area
// (geo.MultiPolygon.Contains), so a point on the border two wards share —
// or where boundaries overlap — belongs to the ward listed first. A
// place without a point, or with a point that is not a place on Earth,
// falls in no ward; so does a point outside every configured boundary.
//
// The unit is that ward when the category routes by ward and a ward was
// found, and the category's Unit otherwise (an address alone is not
// geocoded). An unknown category has no unit (""); its place still has
// its ward.
func (c *Config) Route(category string, p Place) (unit, ward string) {
	ward = c.WardAt(p)
	k, ok := c.Category(category)
	if !ok {
		return "", ward
	}
	if k.ByWard && ward != "" {
		return ward, ward
	}
	return k.Unit, ward
}

// WardAt is the id of the first ward, in the configuration's order, whose
// boundary contains p's point; "" when p has no valid point or no
// configured boundary contains it.
func (c *Config) WardAt(p Place) string {
	if p.Point == nil || !p.Point.Valid() {
		return ""
	}
	for _, u := range c.Units {
		if u.Kind == UnitWard && u.Area.Contains(*p.Point) {
			return u.ID
		}
	}
	return ""
}
