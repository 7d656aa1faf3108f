// Package fynetext draws and measures Fyne texts in the current theme's
// font for their style, named explicitly, instead of letting Fyne pick the
// font from its font map.
//
// Fyne (2.7) handles a canvas.Text whose FontSource is nil, and a measure
// without a font (fyne.MeasureText), through the style's whole font map:
// besides the theme's font it parses the 4 MB emoji font and scans the
// system's fonts and parses one of them, once per style, and keeps them
// all in memory. The theme's font (Noto Sans) has every Vietnamese
// letter, so for the screens' texts that work is wasted: on the counter
// station it was 13 of its 18 MB of live Go heap. A text that names its
// font (FontSource) is drawn in that font alone, and so is a measure that
// passes it to the driver's RenderedTextSize. A glyph the font lacks is
// still looked up in the system's fonts, then.
//
// Fyne's widgets (Label, Button, RichText) measure with fyne.MeasureText and
// so load the font map of the styles they draw anyway. A named font is a
// font parsed once more (some 1.5 MB for Noto Sans), so it pays only where
// no widget draws the style: on the station's and the board's screens,
// which are canvas.Texts only, every text names its font; in the kiosk,
// whose widgets draw regular and bold texts, only the bold monospace codes
// do (measured in the fyne/test driver, naming every text of a kiosk-like
// screen left 23 MB of heap, naming only the codes 20 MB, naming none 26 MB).
//
// The package needs a running Fyne app (the real one or fyne/test's) for
// Measure, and does not import fyne.io/fyne/v2/app, so that it builds
// without cgo.
package fynetext

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// FontOf is the font a text of style is drawn and measured in: the current
// theme's font for the style (Noto Sans, regular, bold or mono). A text
// gives it as its FontSource so that Fyne does not load the style's whole
// font map (see the package's doc).
func FontOf(style fyne.TextStyle) fyne.Resource {
	return theme.Current().Font(style)
}

// Measure is the size of s drawn at size in style, in the font of FontOf;
// it replaces fyne.MeasureText, which loads the style's font map.
func Measure(s string, size float32, style fyne.TextStyle) fyne.Size {
	m, _ := MeasureBase(s, size, style)
	return m
}

// MeasureBase is Measure and the distance from the text's top to its
// baseline.
func MeasureBase(s string, size float32, style fyne.TextStyle) (fyne.Size, float32) {
	return fyne.CurrentApp().Driver().RenderedTextSize(s, size, style, FontOf(style))
}

// NewText returns a text s of colour c in style, drawn in the font of
// FontOf given as its FontSource.
func NewText(s string, c color.Color, style fyne.TextStyle) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextStyle = style
	t.FontSource = FontOf(style)
	return t
}

// Named reports whether t is drawn in the font of FontOf for its style
// (its FontSource is that font), so that tests can check that every text
// shown names its font.
func Named(t *canvas.Text) bool {
	return t.FontSource == FontOf(t.TextStyle)
}
