package fynetext

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestNewTextNamesItsFont: a text from NewText is drawn in the theme's font
// of its style; one from canvas.NewText names none.
func TestNewTextNamesItsFont(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(theme.DefaultTheme())
	for _, st := range []fyne.TextStyle{{}, {Bold: true}, {Bold: true, Monospace: true}} {
		x := NewText("Ặg", color.Black, st)
		if x.TextStyle != st || x.FontSource == nil || !Named(x) {
			t.Errorf("style %+v: FontSource %v, style %+v", st, x.FontSource, x.TextStyle)
		}
	}
	if Named(canvas.NewText("Ặg", color.Black)) {
		t.Error("a text without a font of its own is taken as named")
	}
}

// TestMeasure: Measure is the size MeasureBase gives, and grows with the
// text and the size.
func TestMeasure(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(theme.DefaultTheme())
	st := fyne.TextStyle{Bold: true}
	m := Measure("Ặg", 20, st)
	mb, base := MeasureBase("Ặg", 20, st)
	if m != mb || m.Width <= 0 || m.Height <= 0 || base <= 0 || base >= m.Height {
		t.Fatalf("Measure %v, MeasureBase %v baseline %v", m, mb, base)
	}
	if w := Measure("ẶgẶg", 20, st).Width; w <= m.Width {
		t.Errorf("two copies %v wide, one %v", w, m.Width)
	}
	if h := Measure("Ặg", 40, st).Height; h <= m.Height {
		t.Errorf("at 40 %v high, at 20 %v", h, m.Height)
	}
}
