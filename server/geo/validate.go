package geo

// Validate reports whether m is a well-formed area: closed rings of at
// least 4 positions, no ring crossing itself or another, holes inside
// their outer ring. Its error is a *queue.Error (kind invalid).
func (m MultiPolygon) Validate() error {
	return nil // stub: lane geo is writing it
}
