// Package board draws the waiting-room board with Fyne: the latest call
// very large, every open counter's current number, the recent calls, the
// people waiting per service, the dossiers whose result is ready for
// pickup (while there are any), the office name, the date and clock, the
// ticker, and a banner while the server cannot be reached. It imports no
// Fyne driver (no fyne.io/fyne/v2/app), so its tests run headless with
// fyne.io/fyne/v2/test and without cgo.
//
// Everything is laid out by hand from the window size, so that the same
// board reads well on a 1920×1080 TV, a 1280×720 one and a portrait
// 1080×1920 screen. The latest call blinks by hiding and showing its text,
// never by changing colours (a texture per colour would pile up in Fyne's
// cache over a day), and objects are reused from one update to the next.
//
// Every frame is drawn in full by Fyne's OpenGL driver, and on a machine
// without a GPU (Mesa llvmpipe) the cost of a frame is the pixels it
// shades. So the board has no full-screen background rectangle: its
// colour is the theme's background (Theme), which the driver clears the
// window with before drawing, at a fraction of the cost.
package board

import (
	"image/color"
	"time"
	_ "time/tzdata" // the office's timezone must load on every machine

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"luot/display/boardstate"
)

// Colours of the board. They never change while it runs.
var (
	colBackground = color.NRGBA{0x0b, 0x1f, 0x3a, 0xff}
	colPanel      = color.NRGBA{0x13, 0x31, 0x5c, 0xff}
	colLatest     = color.NRGBA{0x0f, 0x3d, 0x2e, 0xff}
	colText       = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colSecond     = color.NRGBA{0xb0, 0xc4, 0xde, 0xff}
	colNumber     = color.NRGBA{0xff, 0xd5, 0x4f, 0xff}
	colBanner     = color.NRGBA{0xc6, 0x28, 0x28, 0xff}
	colTicker     = color.NRGBA{0x07, 0x15, 0x28, 0xff}
)

// Theme returns base with the board's background colour as its
// background: the application showing a board must use it (the board
// itself draws no background).
func Theme(base fyne.Theme) fyne.Theme { return boardTheme{base} }

type boardTheme struct{ fyne.Theme }

// Color is part of fyne.Theme.
func (t boardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameBackground {
		return colBackground
	}
	return t.Theme.Color(n, v)
}

// DefaultTimezone is the office timezone assumed until the office's own is
// known (DESIGN.md: offices default to Asia/Ho_Chi_Minh).
const DefaultTimezone = "Asia/Ho_Chi_Minh"

// DefaultBlinkEvery is the default half period of the blink.
const DefaultBlinkEvery = time.Second

// Options configure a board.
type Options struct {
	// English adds an English line under each Vietnamese one.
	English bool
	// Now gives the time for the clock and the blink (default time.Now).
	Now func() time.Time
	// BlinkFor is how long a new call blinks (0: 3 s; negative: never),
	// BlinkEvery the half period (default 1 s: shown, hidden, shown in
	// 3 s). Each hide and show is a repaint of the whole window, which in
	// software rendering costs about 0.1 s of CPU at 1080p: the default
	// is two of them a call.
	BlinkFor, BlinkEvery time.Duration
}

// Board is the board widget. Update and Tick must be called on Fyne's
// goroutine (fyne.Do from others).
type Board struct {
	widget.BaseWidget
	opt Options

	view       boardstate.View
	loc        *time.Location
	seenLatest int64
	blinkStart time.Time
	blinkUntil time.Time
	hidden     bool // the latest call is in the hidden half of a blink

	r *renderer
}

// New returns a board showing v.
func New(v boardstate.View, opt Options) *Board {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.BlinkFor == 0 {
		opt.BlinkFor = 3 * time.Second
	}
	if opt.BlinkEvery <= 0 {
		opt.BlinkEvery = DefaultBlinkEvery
	}
	b := &Board{opt: opt, view: v, seenLatest: v.LatestSeq}
	b.setLocation(v.Timezone)
	b.ExtendBaseWidget(b)
	return b
}

func (b *Board) setLocation(tz string) {
	if b.loc != nil && b.loc.String() == tz {
		return
	}
	if tz == "" {
		tz = DefaultTimezone
	}
	l, err := time.LoadLocation(tz)
	if err != nil {
		l = time.Local
	}
	b.loc = l
}

// View returns the view the board shows.
func (b *Board) View() boardstate.View { return b.view }

// Blinking reports whether the latest call is blinking.
func (b *Board) Blinking() bool { return b.opt.Now().Before(b.blinkUntil) }

// Update shows a new view. A latest call made by a newer event than the
// one shown starts to blink.
func (b *Board) Update(v boardstate.View) {
	if v.LatestSeq > b.seenLatest && v.Latest != nil && b.opt.BlinkFor > 0 {
		now := b.opt.Now()
		b.blinkStart, b.blinkUntil = now, now.Add(b.opt.BlinkFor)
	}
	b.seenLatest = max(b.seenLatest, v.LatestSeq)
	if v.LatestSeq == 0 {
		b.seenLatest = 0 // a snapshot started the stream over
	}
	b.view = v
	b.setLocation(v.Timezone)
	b.tick()
	if b.r != nil {
		b.r.update()
		b.repaint()
	}
}

// repaint asks for the board to be drawn again: moving, hiding and showing
// canvas objects does not by itself tell the driver to redraw. It refreshes
// one rectangle only (rectangles have no texture to drop): refreshing the
// widget would make the driver drop the textures of every text in it and
// draw them all again (at 1080p in software, most of the CPU of a busy
// day).
func (b *Board) repaint() {
	if b.r != nil && fyne.CurrentApp().Driver().CanvasForObject(b.r.latestBox.mid) != nil {
		canvas.Refresh(b.r.latestBox.mid)
	}
}

// Tick moves the clock and the blink to now; call it a few times a second.
// It redraws only what changed.
func (b *Board) Tick() {
	if b.r == nil {
		return
	}
	changed := b.tick()
	if changed {
		b.r.blink()
	}
	if b.r.clock() || changed {
		b.repaint()
	}
}

// tick updates the blink phase and reports whether it changed.
func (b *Board) tick() bool {
	now := b.opt.Now()
	hidden := false
	if now.Before(b.blinkUntil) {
		hidden = (now.Sub(b.blinkStart)/b.opt.BlinkEvery)%2 == 1
	}
	changed := hidden != b.hidden
	b.hidden = hidden
	return changed
}

// CreateRenderer is part of fyne.Widget.
func (b *Board) CreateRenderer() fyne.WidgetRenderer {
	b.r = newRenderer(b)
	return b.r
}

func counterLabel(c *boardstate.Call) string {
	if c.CounterName != "" {
		return c.CounterName
	}
	return boardstate.CounterLabel(c.CounterNumber)
}
