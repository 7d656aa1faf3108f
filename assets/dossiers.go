package assets

import _ "embed"

// DemoDossiers is the demo city's dossier configuration (the catalogue
// of procedures with their papers, the departments, the code prefix, the
// pickup and the boards' panel), in the dossier file format (JSON with //
// comments) documented in demo/dossiers.jsonc.
//
//go:embed demo/dossiers.jsonc
var DemoDossiers []byte
