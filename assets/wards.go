package assets

import _ "embed"

// DemoWards are the demo city's three invented wards around the demo
// office (Phường Đông, Tây and Nam, each labelled "mẫu", sample), as a
// GeoJSON FeatureCollection: features with an "id" and properties "name"
// and "name_en". Phường Đông has a park carved out of it that belongs to
// Phường Nam, a MultiPolygon. The demo's feedback configuration
// (demo/feedback.jsonc) routes located reports by them.
//
//go:embed demo/wards.geojson
var DemoWards []byte
