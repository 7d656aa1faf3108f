// Package station draws the counter station's screen with Fyne: the small
// touch screen at a counter, facing the citizen. It shows the office, the
// counter and the clerk (name, title, photo), then by the station's mode
// the number called or served, "Quầy tạm nghỉ", the rating prompt with its
// four big buttons, the reasons after a low score and the thanks; a
// language button; a corner for the clerk (signing in on the keypad, what
// the last key did); a banner while the server cannot be reached and a
// line when the printer is at fault.
//
// The screen only draws a stationstate.View and reports what happened to
// it: taps (OnTap) and key presses (OnKey); the model decides. It imports
// no Fyne driver (no fyne.io/fyne/v2/app), so its tests run headless with
// fyne.io/fyne/v2/test and without cgo.
//
// Everything is laid out by hand from the window size (1024×600, 1280×800
// and portrait 800×1280 are the shapes it is made for), every object is
// made once and reused, and nothing changes colour over time: a text's
// colour never changes at all (a texture per colour would pile up in
// Fyne's cache), rectangles change fill only when the state does.
package station

import (
	"bytes"
	"image"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"luot/display/stationstate"
)

// Colours of the screen: the board's dark blue, so that the station and
// the waiting room's board look like one system.
var (
	colBackground = color.NRGBA{0x0b, 0x1f, 0x3a, 0xff}
	colPanel      = color.NRGBA{0x13, 0x31, 0x5c, 0xff}
	colPanelLight = color.NRGBA{0x1d, 0x43, 0x78, 0xff}
	colTile       = color.NRGBA{0x0f, 0x3d, 0x2e, 0xff}
	colText       = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colSecond     = color.NRGBA{0xb0, 0xc4, 0xde, 0xff}
	colNumber     = color.NRGBA{0xff, 0xd5, 0x4f, 0xff}
	colBanner     = color.NRGBA{0xc6, 0x28, 0x28, 0xff}
	colRefused    = color.NRGBA{0xb7, 0x1c, 0x1c, 0xff}
	colWarn       = color.NRGBA{0xff, 0xb3, 0x00, 0xff}
	colChipOn     = color.NRGBA{0x15, 0x65, 0xc0, 0xff}
	colSend       = color.NRGBA{0x0d, 0x6e, 0x4a, 0xff}
	colOutline    = color.NRGBA{0x6f, 0x8f, 0xbf, 0xff}
	colPhotoBg    = color.NRGBA{0x3a, 0x55, 0x7c, 0xff}
	colPhotoFg    = color.NRGBA{0x8a, 0xa2, 0xc4, 0xff}
)

// levelColours are the rating buttons' colours by score: green for
// satisfied down to red, each dark enough for white bold text.
var levelColours = map[int]color.NRGBA{
	4: {0x2e, 0x7d, 0x32, 0xff},
	3: {0x55, 0x8b, 0x2f, 0xff},
	2: {0xd8, 0x4a, 0x05, 0xff},
	1: {0xc6, 0x28, 0x28, 0xff},
}

// MinTouch is the least height, in Fyne units, of anything the citizen
// taps, on every screen size.
const MinTouch = 64

// Theme returns base with the station's background colour as its
// background: the application showing a station must use it (the screen
// itself draws no full-window background, which in software rendering
// would cost a full-window fill on every frame).
func Theme(base fyne.Theme) fyne.Theme { return stationTheme{base} }

type stationTheme struct{ fyne.Theme }

// Color is part of fyne.Theme.
func (t stationTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameBackground {
		return colBackground
	}
	return t.Theme.Color(n, v)
}

// Options configure a screen.
type Options struct {
	// View is the first view shown (the zero View shows "connecting").
	View stationstate.View
	// OnTap and OnKey set the screen's callbacks of the same names.
	OnTap func(stationstate.Tap)
	OnKey func(name string)
	// Now, when set, gives the time for the rating prompt's countdown
	// ("closes in 25 seconds"), moved on by Tick; without it no countdown
	// is drawn.
	Now func() time.Time
	// ShowCursor shows the mouse pointer over the screen; it is hidden by
	// default, as on the kiosk: a touch screen has no use for it.
	ShowCursor bool
}

// Screen is the station's screen, a Fyne widget to put as the window's
// content. Update and the callbacks run on Fyne's goroutine.
type Screen struct {
	widget.BaseWidget

	// OnTap is called with every tap on a button of the citizen's side.
	OnTap func(stationstate.Tap)
	// OnKey is called with every key pressed in the window (HandleKey,
	// HandleRune): Fyne's key name ("F1", "Return", "KP_Enter",
	// "BackSpace", "Escape", "1", "+", "*") or, for a character without a
	// key name, the character typed.
	OnKey func(name string)

	view stationstate.View

	// photoOf is the photo bytes last decoded, photo the image (nil when
	// there is none or it does not decode: the placeholder shows).
	photoOf []byte
	photo   image.Image

	// charOf is set by a key with a one-character name: the character
	// event the window sends right after it is the same press.
	charOf bool

	cursor desktop.Cursor
	now    func() time.Time
	r      *renderer
}

// New returns a screen showing opt.View.
func New(opt Options) *Screen {
	s := &Screen{OnTap: opt.OnTap, OnKey: opt.OnKey, cursor: desktop.HiddenCursor, now: opt.Now}
	if opt.ShowCursor {
		s.cursor = desktop.DefaultCursor
	}
	s.setView(opt.View)
	s.ExtendBaseWidget(s)
	return s
}

// View returns the view the screen shows.
func (s *Screen) View() stationstate.View { return s.view }

// Update shows a new view.
func (s *Screen) Update(v stationstate.View) {
	s.setView(v)
	if s.r != nil {
		s.r.layout()
	}
}

func (s *Screen) setView(v stationstate.View) {
	s.view = v
	var b []byte
	if v.Clerk != nil {
		b = v.Clerk.Photo
	}
	if !bytes.Equal(b, s.photoOf) {
		s.photoOf = bytes.Clone(b)
		s.photo = decodePhoto(b)
		if s.r != nil {
			s.r.setPhoto(s.photo)
		}
	}
}

// Tick moves the rating prompt's countdown to Options.Now; call it a few
// times a second (on Fyne's goroutine). It redraws only when the seconds
// shown change, and only while the prompt is up.
func (s *Screen) Tick() {
	if s.r != nil && s.r.countdown.Visible() && s.countdown() != s.r.countdown.Text {
		s.r.layout()
	}
}

// countdown is the rating prompt's countdown in words, "" when there is
// none to show.
func (s *Screen) countdown() string {
	v := &s.view
	if s.now == nil || v.Rating == nil || v.Rating.Deadline.IsZero() ||
		(v.Mode != stationstate.ModeRating && v.Mode != stationstate.ModeReasons) {
		return ""
	}
	left := v.Rating.Deadline.Sub(s.now())
	if left <= 0 {
		return ""
	}
	secs := int((left + time.Second - 1) / time.Second)
	if secs == 1 && v.English {
		return tr(true, "countdown1")
	}
	return tr(v.English, "countdown", strconv.Itoa(secs))
}

// Cursor is part of desktop.Cursorable: the pointer over the screen.
func (s *Screen) Cursor() desktop.Cursor { return s.cursor }

// CreateRenderer is part of fyne.Widget.
func (s *Screen) CreateRenderer() fyne.WidgetRenderer {
	s.r = newRenderer(s)
	return s.r
}

// InstallKeys sends the key presses of canvas c (the window's canvas) to
// OnKey, through HandleKey and HandleRune. Nothing on the screen takes the
// keyboard's focus, so every key reaches the canvas.
func (s *Screen) InstallKeys(c fyne.Canvas) {
	c.SetOnTypedKey(s.HandleKey)
	c.SetOnTypedRune(s.HandleRune)
}

// HandleKey reports a key typed in the window to OnKey by its Fyne name.
// A USB numeric keypad's keys arrive as "0"…"9", "KP_Enter", "+", "-",
// "*", "/", "." and "BackSpace" (Fyne names the keypad's digits like the
// main row's). Keys Fyne cannot name are left to HandleRune.
func (s *Screen) HandleKey(e *fyne.KeyEvent) {
	s.charOf = false
	if e == nil || e.Name == "" {
		return
	}
	s.charOf = len([]rune(string(e.Name))) == 1
	s.key(string(e.Name))
}

// HandleRune reports a character typed in the window to OnKey, unless it
// is the character of the key HandleKey has just reported: the window
// sends a printable key twice, as the key and as its character, and one
// press must act once.
func (s *Screen) HandleRune(r rune) {
	if s.charOf {
		s.charOf = false
		return
	}
	s.key(string(r))
}

func (s *Screen) key(name string) {
	if s.OnKey != nil {
		s.OnKey(name)
	}
}

func (s *Screen) tap(t stationstate.Tap) {
	if s.OnTap != nil {
		s.OnTap(t)
	}
}
