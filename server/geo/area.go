package geo

// AreaM2 is the area m covers on the ground, in square metres, holes
// subtracted.
func (m MultiPolygon) AreaM2() float64 {
	return 0 // stub: lane geo is writing it
}

// IntersectionAreaM2 is the area, in square metres, that a and b both
// cover.
func IntersectionAreaM2(a, b MultiPolygon) float64 {
	return 0 // stub: lane geo is writing it
}
