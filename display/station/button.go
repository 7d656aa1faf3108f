package station

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"luot/display/stationstate"
)

// button is a big touch button: a coloured rounded rectangle with a label
// of up to two lines of white bold text, centred. A chip (a reason) also
// has a check box on its left, filled when picked. The parent lays it out
// with place; it makes its objects once.
type button struct {
	widget.BaseWidget
	onTap  func()
	cursor desktop.Cursor
	// tap is what a tap on the button reports (set by the parent).
	tap stationstate.Tap

	label    string
	textSize float32
	chip     bool
	picked   bool
	fill     color.Color

	bg, box, tick *canvas.Rectangle
	lines         *para
	objects       []fyne.CanvasObject
}

func newButton(fill color.Color, chip bool, cursor desktop.Cursor, onTap func()) *button {
	b := &button{onTap: onTap, fill: fill, chip: chip, cursor: cursor}
	b.bg = canvas.NewRectangle(fill)
	b.bg.CornerRadius = 14
	b.box = canvas.NewRectangle(color.Transparent)
	b.box.StrokeColor, b.box.StrokeWidth, b.box.CornerRadius = colText, 3, 4
	b.tick = canvas.NewRectangle(colText)
	b.tick.CornerRadius = 2
	b.lines = newPara(2, colText, true)
	b.objects = append([]fyne.CanvasObject{b.bg, b.box, b.tick}, b.lines.objects()...)
	if !chip {
		b.box.Hide()
		b.tick.Hide()
	}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped is part of fyne.Tappable.
func (b *button) Tapped(*fyne.PointEvent) {
	if b.onTap != nil {
		b.onTap()
	}
}

// Cursor is part of desktop.Cursorable: the screen's pointer.
func (b *button) Cursor() desktop.Cursor { return b.cursor }

// setFill changes the button's colour (a rectangle: no texture to redo).
func (b *button) setFill(c color.Color) {
	if b.fill != c {
		b.fill = c
		b.bg.FillColor = c
		b.bg.Refresh()
	}
}

// setPicked sets a chip's picked state: a filled box, a brighter colour
// and a white outline.
func (b *button) setPicked(picked bool) {
	if picked == b.picked && b.bg.StrokeWidth != 0 {
		return
	}
	b.picked = picked
	b.fill = colPanelLight
	b.bg.FillColor, b.bg.StrokeColor, b.bg.StrokeWidth = colPanelLight, colOutline, 2
	b.tick.Hide()
	if picked {
		b.fill = colChipOn
		b.bg.FillColor, b.bg.StrokeColor, b.bg.StrokeWidth = colChipOn, colText, 3
		b.tick.Show()
	}
	b.bg.Refresh()
}

// place shows the button with its label at x, y, w × h (in its parent's
// coordinates); the label is wrapped to two lines and shrunk to fit.
func (b *button) place(label string, textSize, x, y, w, h float32) {
	b.label, b.textSize = label, textSize
	b.Move(fyne.NewPos(x, y))
	b.Resize(fyne.NewSize(w, h))
	b.layoutInner(fyne.NewSize(w, h))
	b.Show()
}

func (b *button) layoutInner(s fyne.Size) {
	w, h := s.Width, s.Height
	place(b.bg, 0, 0, w, h)
	b.bg.CornerRadius = min(14, h/4)
	left := float32(0)
	if b.chip {
		bs := min(h*0.42, 30)
		place(b.box, h*0.25, (h-bs)/2, bs, bs)
		in := bs * 0.5
		place(b.tick, h*0.25+(bs-in)/2, (h-in)/2, in, in)
		left = h*0.25 + bs
	}
	margin := min(h*0.2, 18)
	inner := w - left - 2*margin
	lh := b.lines.prepare(b.label, b.textSize, max(12, b.textSize*0.55), inner, 2)
	if b.chip {
		// A chip's label reads from its check box.
		b.lines.placeAt(left+margin, (h-lh)/2, inner, fyne.TextAlignLeading)
		return
	}
	b.lines.placeAt(left+margin, (h-lh)/2, inner, fyne.TextAlignCenter)
}

// CreateRenderer is part of fyne.Widget.
func (b *button) CreateRenderer() fyne.WidgetRenderer { return &buttonRenderer{b} }

type buttonRenderer struct{ b *button }

func (r *buttonRenderer) Destroy()                     {}
func (r *buttonRenderer) MinSize() fyne.Size           { return fyne.NewSize(MinTouch, MinTouch) }
func (r *buttonRenderer) Objects() []fyne.CanvasObject { return r.b.objects }
func (r *buttonRenderer) Layout(s fyne.Size)           { r.b.layoutInner(s) }
func (r *buttonRenderer) Refresh()                     { r.b.layoutInner(r.b.Size()) }
