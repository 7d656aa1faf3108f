package assets

import _ "embed"

// DemoFeedback is the demo city's feedback configuration (categories,
// units, answer templates, map), in the feedback file format (JSON with
// // comments) documented in demo/feedback.jsonc. Its wards' boundaries
// are DemoWards.
//
//go:embed demo/feedback.jsonc
var DemoFeedback []byte
