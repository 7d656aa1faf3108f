// Package assets holds the files Lượt embeds in its programs: the demo
// office configuration (also the commented example of the office file
// format), and later fonts, sounds, voice clips, translations and web files.
package assets

import _ "embed"

// DemoOffice is the demo office configuration, in the office file format
// (JSON with // comments) documented in demo/office.jsonc.
//
//go:embed demo/office.jsonc
var DemoOffice []byte
