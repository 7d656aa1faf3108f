// Package fonts embeds the fonts that Lượt draws with when a printer or a
// preview needs pixels rather than printer-resident characters.
//
// NotoSansMono-Regular.ttf is Noto Sans Mono by Google, licensed under the SIL
// Open Font License 1.1 (see OFL.txt beside it). It is used because it covers
// every Vietnamese letter (the 134 precomposed letters of Latin-1 and Latin
// Extended Additional, Đ/đ included), which the Go fonts in
// golang.org/x/image/font/gofont do not: 92 of the 134 are missing there.
package fonts

import _ "embed"

// NotoSansMono is the TrueType data of Noto Sans Mono Regular.
//
//go:embed NotoSansMono-Regular.ttf
var NotoSansMono []byte
