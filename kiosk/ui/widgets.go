package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TileKind is the look of a Tile.
type TileKind int

// Tile kinds.
const (
	TilePrimary   TileKind = iota // a service: the office's colour
	TileSecondary                 // navigation and other actions
	TileSelected                  // a chosen option (the declared priority)
	TileKey                       // a keypad key
	TileQuiet                     // the header's language switch and office name
)

// Tile is the kiosk's touch button: a large coloured area with a wrapped
// label and an optional second line (the English name, or why the tile is
// disabled). Tiles never show the mouse cursor when the kiosk hides it.
type Tile struct {
	widget.BaseWidget
	label, sub string
	kind       TileKind
	disabled   bool
	size       fyne.ThemeSizeName
	onTap      func()
	cursor     desktop.Cursor
}

// newTile makes a tile; size is the label's theme size.
func newTile(label, sub string, kind TileKind, size fyne.ThemeSizeName, cursor desktop.Cursor, onTap func()) *Tile {
	t := &Tile{label: label, sub: sub, kind: kind, size: size, onTap: onTap, cursor: cursor}
	t.ExtendBaseWidget(t)
	return t
}

// Label returns the tile's main text.
func (t *Tile) Label() string { return t.label }

// Sub returns the tile's second line.
func (t *Tile) Sub() string { return t.sub }

// Disabled reports whether taps on the tile are ignored.
func (t *Tile) Disabled() bool { return t.disabled }

// Tapped runs the tile's action unless it is disabled.
func (t *Tile) Tapped(*fyne.PointEvent) {
	if !t.disabled && t.onTap != nil {
		t.onTap()
	}
}

// Cursor is the pointer shown over the tile (hidden on the kiosk).
func (t *Tile) Cursor() desktop.Cursor { return t.cursor }

// CreateRenderer draws the tile.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	bgName, fgName := colorTile, theme.ColorNameForegroundOnPrimary
	switch {
	case t.disabled:
		bgName, fgName = colorTileDisabled, theme.ColorNameDisabled
	case t.kind == TileSecondary:
		bgName = colorSecondary
	case t.kind == TileSelected:
		bgName = colorAccent
	case t.kind == TileKey:
		bgName, fgName = colorKey, theme.ColorNameForeground
	case t.kind == TileQuiet:
		bgName, fgName = colorPanel, theme.ColorNameForeground
	}
	bg := canvas.NewRectangle(theme.Color(bgName))
	bg.CornerRadius = 14
	segs := []widget.RichTextSegment{&widget.TextSegment{Text: t.label, Style: widget.RichTextStyle{
		Alignment: fyne.TextAlignCenter, ColorName: fgName, SizeName: t.size, TextStyle: fyne.TextStyle{Bold: true},
	}}}
	if t.sub != "" {
		segs = append(segs, &widget.TextSegment{Text: t.sub, Style: widget.RichTextStyle{
			Alignment: fyne.TextAlignCenter, ColorName: fgName, SizeName: theme.SizeNameCaptionText,
		}})
	}
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(layout.NewSpacer(), rt, layout.NewSpacer())
	return widget.NewSimpleRenderer(container.NewStack(bg, container.NewPadded(body)))
}

// root is the window's content: it hides the mouse cursor over the whole
// kiosk (Fyne's driver applies the cursor of the object under the pointer).
type root struct {
	widget.BaseWidget
	stack  *fyne.Container
	cursor desktop.Cursor
}

func newRoot(cursor desktop.Cursor) *root {
	r := &root{stack: container.NewStack(), cursor: cursor}
	r.ExtendBaseWidget(r)
	return r
}

func (r *root) set(o fyne.CanvasObject) {
	r.stack.Objects = []fyne.CanvasObject{canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), o}
	r.stack.Refresh()
}

func (r *root) Cursor() desktop.Cursor { return r.cursor }

func (r *root) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.stack) }

// tapArea is an invisible tappable area behind a screen (the result
// screen: a tap anywhere goes back to the start).
type tapArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
	cursor  desktop.Cursor
}

func newTapArea(content fyne.CanvasObject, cursor desktop.Cursor, onTap func()) *tapArea {
	a := &tapArea{content: content, onTap: onTap, cursor: cursor}
	a.ExtendBaseWidget(a)
	return a
}

func (a *tapArea) Tapped(*fyne.PointEvent)             { a.onTap() }
func (a *tapArea) Cursor() desktop.Cursor              { return a.cursor }
func (a *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.content) }

// text returns a rich text of one paragraph.
func text(s string, size fyne.ThemeSizeName, color fyne.ThemeColorName, bold bool, align fyne.TextAlign) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{
		Alignment: align, ColorName: color, SizeName: size, TextStyle: fyne.TextStyle{Bold: bold},
	}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// line returns one line of text that never wraps (for centred labels,
// where a wrapping text would get no width).
func line(s string, size fyne.ThemeSizeName, color fyne.ThemeColorName, bold bool) *canvas.Text {
	t := canvas.NewText(s, theme.Color(color))
	t.TextSize = theme.Size(size)
	t.TextStyle = fyne.TextStyle{Bold: bold}
	t.Alignment = fyne.TextAlignCenter
	return t
}

// BigText draws a short text (the ticket's number) one character per
// canvas.Text. Fyne keeps a texture per string, size and colour for a
// minute after it was last drawn; a 190-point number is some 400 KB of
// texture in software OpenGL, so a new number per ticket would keep a
// minute of numbers (tens of MB at a ticket a second). Per character, every
// ticket reuses the same few dozen textures. Numbers are capitals and
// digits, which have no kerning, so it looks the same as one text.
type BigText struct {
	widget.BaseWidget
	text  string
	chars []*canvas.Text
}

func newBigText(s string, size float32, c color.Color) *BigText {
	b := &BigText{text: s}
	for _, r := range s {
		t := canvas.NewText(string(r), c)
		t.TextSize = size
		t.TextStyle = fyne.TextStyle{Bold: true}
		b.chars = append(b.chars, t)
	}
	b.ExtendBaseWidget(b)
	return b
}

// Text is the text drawn.
func (b *BigText) Text() string { return b.text }

// CreateRenderer draws the characters side by side, centred.
func (b *BigText) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(b.chars))
	for i, c := range b.chars {
		objs[i] = c
	}
	return widget.NewSimpleRenderer(container.New(bigTextLayout{}, objs...))
}

// bigTextLayout puts texts side by side, centred in the space given.
type bigTextLayout struct{}

func (bigTextLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	m := bigTextLayout{}.MinSize(objs)
	x, y := (size.Width-m.Width)/2, (size.Height-m.Height)/2
	for _, o := range objs {
		w := o.MinSize()
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w.Width, m.Height))
		x += w.Width
	}
}

func (bigTextLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}
