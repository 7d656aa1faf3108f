package station

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"luot/display/stationstate"
	"luot/internal/fynetext"
)

// The golden images in testdata/ are the screen as the test driver draws
// it (software rendering, Fyne's default theme font, Noto Sans, which has
// every Vietnamese letter). When a change to the layout is meant, delete
// the images, run the tests once to write them, and look at them.

// sizes are the screens the station is made for.
var sizes = []struct {
	name string
	w, h float32
}{
	{"1024x600", 1024, 600},
	{"1280x800", 1280, 800},
	{"800x1280", 800, 1280},
}

var deadline = time.Date(2026, 11, 27, 9, 42, 0, 0, time.FixedZone("ICT", 7*3600))

// fixedNow is 25 seconds before the rating prompt's deadline.
func fixedNow() time.Time { return deadline.Add(-25 * time.Second) }

func scale() []stationstate.Level {
	return []stationstate.Level{
		{Score: 4, Name: "Rất hài lòng", NameEN: "Very satisfied"},
		{Score: 3, Name: "Hài lòng", NameEN: "Satisfied"},
		{Score: 2, Name: "Chưa hài lòng", NameEN: "Not satisfied"},
		{Score: 1, Name: "Không hài lòng", NameEN: "Dissatisfied"},
	}
}

func reasons() []stationstate.Reason {
	return []stationstate.Reason{
		{ID: "wait", Name: "Chờ lâu", NameEN: "Long wait"},
		{ID: "attitude", Name: "Thái độ chưa tốt", NameEN: "Unfriendly attitude"},
		{ID: "guidance", Name: "Hướng dẫn chưa rõ", NameEN: "Unclear guidance"},
		{ID: "other", Name: "Lý do khác", NameEN: "Other"},
	}
}

// demoView is counter 3 of the demo ward in mode md.
func demoView(md stationstate.Mode, english bool) stationstate.View {
	v := stationstate.View{
		Version: 7, Mode: md, English: english, Connected: true,
		OfficeName: "UBND Phường Bến Nghé", OfficeNameEN: "Ben Nghe Ward People's Committee",
		Counter: "q3", CounterNumber: 3, CounterName: "Chứng thực – Hộ tịch",
		Clerk: &stationstate.Clerk{Name: "Trần Thị Thu Hà", Title: "Chuyên viên Bộ phận Một cửa"},
	}
	ticket := &stationstate.Ticket{ID: "01JDEMO", Number: "A012", ServiceName: "Cấp giấy phép xây dựng", ServiceNameEN: "Construction permits"}
	msg := func(vi, en string, ok bool) stationstate.Corner {
		return stationstate.Corner{Message: vi, MessageEN: en, OK: ok}
	}
	switch md {
	case stationstate.ModeConnecting:
		v = stationstate.View{Mode: md, English: english, Counter: "q3"}
	case stationstate.ModeClosed:
		v.Clerk = nil
		v.Corner = stationstate.Corner{SignIn: "staff", Typed: "1024",
			Message: "+ → Gọi số tiếp: đăng nhập trước (mã cán bộ, Enter, mã PIN, Enter)", MessageEN: "+ → Next: sign in first (staff id, Enter, PIN, Enter)"}
	case stationstate.ModeIdle:
		v.Corner = msg(". → Mở quầy: xong", ". → Open: done", true)
	case stationstate.ModeCalled:
		v.Ticket = ticket
		v.Corner = msg("+ → Gọi số tiếp: A012", "+ → Next: A012", true)
	case stationstate.ModeServing:
		v.Ticket = ticket
		v.Corner = msg("0 → Bắt đầu phục vụ: A012", "0 → Start: A012", true)
	case stationstate.ModePaused:
		v.Corner = msg("+ → Gọi số tiếp: quầy chưa mở", "+ → Next: the counter is not open", false)
	case stationstate.ModeRating:
		v.Ticket = ticket
		v.Rating = &stationstate.Prompt{Scale: scale(), Reasons: reasons(), Deadline: deadline}
		v.Corner = msg("Enter → Xong: xong", "Enter → Done: done", true)
	case stationstate.ModeReasons:
		v.Ticket = ticket
		v.Rating = &stationstate.Prompt{Scale: scale(), Reasons: reasons(), Score: 2, Picked: []string{"wait", "guidance"}, Deadline: deadline}
	case stationstate.ModeThanks:
		v.Ticket = ticket
	}
	return v
}

var modes = []stationstate.Mode{
	stationstate.ModeConnecting, stationstate.ModeClosed, stationstate.ModeIdle,
	stationstate.ModeCalled, stationstate.ModeServing, stationstate.ModePaused,
	stationstate.ModeRating, stationstate.ModeReasons, stationstate.ModeThanks,
}

func lang(english bool) string {
	if english {
		return "en"
	}
	return "vi"
}

func window(t *testing.T, s *Screen, w, h float32) fyne.Window {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme(a.Settings().Theme()))
	win := test.NewWindow(s)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	t.Cleanup(win.Close)
	return win
}

func capture(t *testing.T, win fyne.Window, name string, w, h float32) {
	t.Helper()
	img := win.Canvas().Capture()
	if got := img.Bounds().Size(); got.X != int(w) || got.Y != int(h) {
		t.Fatalf("captured %v, want %vx%v", got, w, h)
	}
	test.AssertImageMatches(t, name+".png", img)
}

// TestGolden draws every mode at the three sizes in Vietnamese and in
// English, and checks on each that everything fits in the window, the
// buttons are big enough to touch, and nothing overlaps.
func TestGolden(t *testing.T) {
	for _, md := range modes {
		for _, sz := range sizes {
			for _, en := range []bool{false, true} {
				name := fmt.Sprintf("%s-%s-%s", md, sz.name, lang(en))
				t.Run(name, func(t *testing.T) {
					s := New(Options{View: demoView(md, en), Now: fixedNow})
					win := window(t, s, sz.w, sz.h)
					checkLayout(t, s, sz.w, sz.h)
					capture(t, win, name, sz.w, sz.h)
				})
			}
		}
	}
}

// TestGoldenPhotoBannerPrinter: the clerk's photo, the banner while the
// server is unreachable, a printer fault and the clerk typing the PIN, at
// the three sizes in both languages.
func TestGoldenPhotoBannerPrinter(t *testing.T) {
	for _, sz := range sizes {
		for _, en := range []bool{false, true} {
			name := fmt.Sprintf("photo-offline-printer-%s-%s", sz.name, lang(en))
			t.Run(name, func(t *testing.T) {
				v := demoView(stationstate.ModeCalled, en)
				v.Clerk.Photo = photoJPEG(t, 480, 640)
				v.Connected = false
				// printer.FaultPaperEnd's words.
				v.Printer, v.PrinterEN = "Máy in hết giấy: hãy thay cuộn giấy mới.", "The printer is out of paper: load a new paper roll."
				v.Corner = stationstate.Corner{SignIn: "pin", Typed: "•••", Message: "Mã cán bộ 1024: nhập mã PIN", MessageEN: "Staff 1024: type the PIN", OK: true}
				s := New(Options{View: v})
				win := window(t, s, sz.w, sz.h)
				checkLayout(t, s, sz.w, sz.h)
				r := s.r
				if !r.banner.Visible() || r.bannerT.Text != tr(en, "lost") {
					t.Errorf("banner visible %v, %q", r.banner.Visible(), r.bannerT.Text)
				}
				if !r.photo.Visible() || r.phHead.Visible() {
					t.Errorf("photo visible %v, placeholder visible %v", r.photo.Visible(), r.phHead.Visible())
				}
				if got := strings.Join(r.printerT.text, " "); got != pick(en, v.Printer, v.PrinterEN) {
					t.Errorf("printer line %q", got)
				}
				capture(t, win, name, sz.w, sz.h)
			})
		}
	}
}

// photoJPEG is a made-up portrait: a face with dark hair and a white
// shirt on a plain background.
func photoJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	in := func(x, y int, cx, cy, rx, ry float64) bool {
		dx, dy := (float64(x)/float64(w)-cx)/rx, (float64(y)/float64(h)-cy)/ry
		return dx*dx+dy*dy < 1
	}
	for y := range h {
		for x := range w {
			c := color.NRGBA{0x6b, 0x8c, 0xa8, 0xff}
			switch {
			case in(x, y, 0.5, 1.02, 0.46, 0.32): // shoulders
				c = color.NRGBA{0xf4, 0xf4, 0xf2, 0xff}
			case in(x, y, 0.5, 0.40, 0.21, 0.17): // face
				c = color.NRGBA{0xe6, 0xbe, 0x9a, 0xff}
			case in(x, y, 0.5, 0.37, 0.25, 0.22): // hair around it
				c = color.NRGBA{0x2b, 0x1d, 0x16, 0xff}
			case in(x, y, 0.5, 0.62, 0.08, 0.1): // neck
				c = color.NRGBA{0xd9, 0xaf, 0x8b, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkLayout checks what a citizen and a clerk need on every screen:
// every visible text and button inside the window, no visible text
// overlapping another, every visible button at least MinTouch high, and no
// text in a button wider than the button.
func checkLayout(t *testing.T, s *Screen, W, H float32) {
	t.Helper()
	r := s.r
	type rect struct {
		name       string
		x, y, w, h float32
	}
	var texts []rect
	inside := func(name string, p fyne.Position, sz fyne.Size) {
		if p.X < -0.5 || p.Y < -0.5 || p.X+sz.Width > W+0.5 || p.Y+sz.Height > H+0.5 {
			t.Errorf("%s at %v size %v is outside the %vx%v window", name, p, sz, W, H)
		}
	}
	for _, o := range r.Objects() {
		if !o.Visible() {
			continue
		}
		switch x := o.(type) {
		case *canvas.Text:
			inside(fmt.Sprintf("text %q", x.Text), x.Position(), x.Size())
			if x.TextSize < 11 {
				t.Errorf("text %q at %v is too small to read", x.Text, x.TextSize)
			}
			// The glyphs, not the line box: Noto's line box has room for
			// stacked accents above and descenders below, which a text
			// may not use.
			_, base := fyne.CurrentApp().Driver().RenderedTextSize(x.Text, x.TextSize, x.TextStyle, nil)
			top, bottom := 0.76*x.TextSize, 0.02*x.TextSize // capitals and digits
			for _, c := range x.Text {
				if c > unicode.MaxASCII {
					top = max(top, 0.98*x.TextSize) // stacked accents
				}
				if c > unicode.MaxASCII || strings.ContainsRune("gjpqy,;_", c) {
					bottom = 0.24 * x.TextSize // descenders, dots below
				}
			}
			y := x.Position().Y + base
			texts = append(texts, rect{x.Text, x.Position().X, y - top, x.Size().Width, top + bottom})
		case *button:
			inside(fmt.Sprintf("button %q", x.label), x.Position(), x.Size())
			if x.Size().Height < MinTouch {
				t.Errorf("button %q is %v high, less than %v", x.label, x.Size().Height, MinTouch)
			}
			for _, l := range x.lines.lines {
				if l.Visible() && (l.Position().X < 0 || l.Position().X+l.Size().Width > x.Size().Width+0.5) {
					t.Errorf("label %q overflows its button %q", l.Text, x.label)
				}
			}
		}
	}
	for i, a := range texts {
		for _, b := range texts[i+1:] {
			if a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h {
				t.Errorf("texts %q and %q overlap", a.name, b.name)
			}
		}
	}
}

// visibleTexts returns the words on the screen: texts and button labels.
func visibleTexts(s *Screen) []string {
	var out []string
	for _, o := range s.r.Objects() {
		if !o.Visible() {
			continue
		}
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *button:
			for _, l := range x.lines.lines {
				if l.Visible() {
					out = append(out, l.Text)
				}
			}
		}
	}
	return out
}

// TestOneLanguage: in English, nothing but proper names (the office's
// Vietnamese name is not shown, the counter's and clerk's names are) and
// the language button has a Vietnamese letter; in Vietnamese the
// sentences are Vietnamese.
func TestOneLanguage(t *testing.T) {
	for _, md := range modes {
		t.Run(string(md), func(t *testing.T) {
			s := New(Options{View: demoView(md, true)})
			window(t, s, 1280, 800)
			r := s.r
			proper := map[fyne.CanvasObject]bool{r.counterT: true, r.clerkName: true, r.clerkTitle: true, r.lang: true}
			for _, o := range r.Objects() {
				x, ok := o.(*canvas.Text)
				if !ok || !o.Visible() || proper[o] {
					continue
				}
				for _, c := range x.Text {
					if c > unicode.MaxASCII && !strings.ContainsRune("—–…·“”•→", c) {
						t.Errorf("English screen shows %q", x.Text)
						break
					}
				}
			}
			if got := r.lang.label; got != "Tiếng Việt" {
				t.Errorf("language button in English: %q", got)
			}
			s.Update(demoView(md, false))
			if got := r.lang.label; got != "English" {
				t.Errorf("language button in Vietnamese: %q", got)
			}
			all := strings.Join(visibleTexts(s), "\n")
			want := map[stationstate.Mode]string{
				stationstate.ModeConnecting: "Đang kết nối máy chủ…", stationstate.ModeClosed: "Quầy đóng",
				stationstate.ModeIdle: "Kính chào ông/bà", stationstate.ModeCalled: "Mời công dân số",
				stationstate.ModeServing: "Đang phục vụ", stationstate.ModePaused: "Quầy tạm nghỉ",
				stationstate.ModeRating: "Ông/bà có hài lòng", stationstate.ModeReasons: "Gửi", stationstate.ModeThanks: "Cảm ơn",
			}[md]
			if !strings.Contains(all, want) {
				t.Errorf("Vietnamese screen lacks %q:\n%s", want, all)
			}
			for _, english := range []string{"Now calling", "Send", "Thank you", "Counter closed", "Connection lost"} {
				if strings.Contains(all, english) {
					t.Errorf("Vietnamese screen shows %q", english)
				}
			}
		})
	}
}

// centre is the window position of the middle of a button.
func centre(b *button) fyne.Position {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	return p.Add(fyne.NewPos(b.Size().Width/2, b.Size().Height/2))
}

// TestTaps taps the screen where the buttons are drawn, at every size, and
// checks what OnTap receives.
func TestTaps(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			var got []stationstate.Tap
			s := New(Options{View: demoView(stationstate.ModeRating, false), OnTap: func(tp stationstate.Tap) { got = append(got, tp) }})
			win := window(t, s, sz.w, sz.h)
			c := win.Canvas()
			for _, b := range s.r.scale {
				test.TapCanvas(c, centre(b))
			}
			test.TapCanvas(c, centre(s.r.lang))
			want := []stationstate.Tap{{Kind: "score", Score: 4}, {Kind: "score", Score: 3}, {Kind: "score", Score: 2}, {Kind: "score", Score: 1}, {Kind: "language"}}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("rating taps %v, want %v", got, want)
			}
			// The buttons say what they report.
			for i, b := range s.r.scale {
				if b.label != scale()[i].Name {
					t.Errorf("button %d says %q, want %q", i, b.label, scale()[i].Name)
				}
			}

			got = nil
			s.Update(demoView(stationstate.ModeReasons, true))
			for _, b := range s.r.chips {
				test.TapCanvas(c, centre(b))
			}
			test.TapCanvas(c, centre(s.r.send))
			want = []stationstate.Tap{{Kind: "reason", Reason: "wait"}, {Kind: "reason", Reason: "attitude"}, {Kind: "reason", Reason: "guidance"}, {Kind: "reason", Reason: "other"}, {Kind: "send"}}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("reason taps %v, want %v", got, want)
			}
			if !s.r.chips[0].picked || s.r.chips[1].picked || !s.r.chips[2].picked {
				t.Error("the chips do not show the reasons picked")
			}
			if s.r.send.label != "Send" {
				t.Errorf("send button says %q", s.r.send.label)
			}

			// Outside the rating, the citizen's side has no button but the
			// language: taps on the old buttons' places report nothing.
			pos := centre(s.r.chips[0])
			got = nil
			s.Update(demoView(stationstate.ModeCalled, false))
			test.TapCanvas(c, pos)
			if len(got) != 0 {
				t.Errorf("a tap on the called screen reported %v", got)
			}
		})
	}
}

// TestKeys: key presses in the window reach OnKey once each, by their
// Fyne names, keypad keys included; a character without a key arrives as
// itself.
func TestKeys(t *testing.T) {
	var got []string
	s := New(Options{View: demoView(stationstate.ModeClosed, false), OnKey: func(k string) { got = append(got, k) }})
	win := window(t, s, 1280, 800)
	c := win.Canvas()
	s.InstallKeys(c)
	key := func(name fyne.KeyName) { c.OnTypedKey()(&fyne.KeyEvent{Name: name}) }
	char := func(r rune) { c.OnTypedRune()(r) }

	// A keypad digit with Num Lock on: the window sends the key, then its
	// character.
	key("1")
	char('1')
	key("0")
	char('0')
	// Num Lock off: the key alone.
	key("2")
	key("4")
	key(fyne.KeyEnter) // the keypad's Enter
	key(fyne.KeyReturn)
	key(fyne.KeyBackspace)
	key(fyne.KeyF1)
	key(fyne.KeyPlus)
	char('+')
	key(fyne.KeyAsterisk)
	char('*')
	key("") // a key Fyne cannot name: its character follows
	char('é')
	test.TypeOnCanvas(c, "98") // characters alone, as a test or an input method sends them

	want := "[1 0 2 4 KP_Enter Return BackSpace F1 + * é 9 8]"
	if fmt.Sprint(got) != want {
		t.Errorf("keys %v, want %s", got, want)
	}

	// Without OnKey, keys are dropped.
	s.OnKey = nil
	key(fyne.KeyF2)
	char('x')
}

// TestCountdown: with a clock, the rating prompt counts down its seconds,
// redrawn by Tick only when the number changes; without one, or outside
// the prompt, nothing is drawn.
func TestCountdown(t *testing.T) {
	now := fixedNow()
	s := New(Options{View: demoView(stationstate.ModeRating, false), Now: func() time.Time { return now }})
	window(t, s, 1280, 800)
	c := s.r.countdown
	if !c.Visible() || c.Text != "Màn hình tự đóng sau 25 giây" {
		t.Fatalf("countdown visible %v, %q", c.Visible(), c.Text)
	}
	now = now.Add(1500 * time.Millisecond)
	s.Tick()
	if c.Text != "Màn hình tự đóng sau 24 giây" {
		t.Errorf("after 1.5 s: %q", c.Text)
	}
	v := demoView(stationstate.ModeReasons, true)
	s.Update(v)
	if c.Text != "This screen closes in 24 seconds" {
		t.Errorf("reasons in English: %q", c.Text)
	}
	now = deadline.Add(-time.Second)
	s.Tick()
	if c.Text != "This screen closes in 1 second" {
		t.Errorf("the last second: %q", c.Text)
	}
	checkLayout(t, s, 1280, 800)
	now = deadline
	s.Tick()
	if c.Visible() {
		t.Errorf("countdown shown at the deadline: %q", c.Text)
	}
	s.Update(demoView(stationstate.ModeThanks, false))
	s.Tick()
	if c.Visible() {
		t.Error("countdown shown after the prompt")
	}

	s = New(Options{View: demoView(stationstate.ModeRating, false)})
	window(t, s, 1280, 800)
	s.Tick()
	if s.r.countdown.Visible() {
		t.Error("countdown shown without a clock")
	}
}

// TestCursor: the pointer is hidden over the screen and its buttons unless
// asked for.
func TestCursor(t *testing.T) {
	s := New(Options{View: demoView(stationstate.ModeRating, false)})
	window(t, s, 1024, 600)
	if s.Cursor() != desktop.HiddenCursor || s.r.scale[0].Cursor() != desktop.HiddenCursor || s.r.lang.Cursor() != desktop.HiddenCursor {
		t.Error("the pointer shows on a touch screen")
	}
	s = New(Options{View: demoView(stationstate.ModeRating, false), ShowCursor: true})
	window(t, s, 1024, 600)
	if s.Cursor() != desktop.DefaultCursor || s.r.scale[0].Cursor() != desktop.DefaultCursor {
		t.Error("ShowCursor does not show the pointer")
	}
}

// TestBannerAndPlaceholder: the banner comes and goes with the
// connection; a clerk without a photo (or with bytes that are not an
// image) gets the placeholder; nobody signed in shows no clerk.
func TestBannerAndPlaceholder(t *testing.T) {
	v := demoView(stationstate.ModeIdle, false)
	s := New(Options{View: v})
	window(t, s, 1280, 800)
	r := s.r
	if r.banner.Visible() || r.bannerT.Visible() {
		t.Error("banner shown while connected")
	}
	if r.photo.Visible() || !r.phHead.Visible() || !r.phBg.Visible() {
		t.Error("no placeholder for a clerk without a photo")
	}
	v.Connected = false
	s.Update(v)
	if !r.banner.Visible() || r.bannerT.Text != "Mất kết nối máy chủ — đang kết nối lại…" {
		t.Errorf("disconnected: banner visible %v, %q", r.banner.Visible(), r.bannerT.Text)
	}
	if r.title.lines[0].Text != "Kính chào ông/bà" {
		t.Errorf("the screen is not kept while disconnected: %q", r.title.lines[0].Text)
	}
	v.Connected = true
	v.Clerk = &stationstate.Clerk{Name: "Lê Văn Tám", Photo: []byte("not an image")}
	s.Update(v)
	if r.banner.Visible() || r.photo.Visible() || !r.phHead.Visible() || r.clerkName.Text != "Lê Văn Tám" {
		t.Errorf("banner %v, photo %v, placeholder %v, name %q", r.banner.Visible(), r.photo.Visible(), r.phHead.Visible(), r.clerkName.Text)
	}
	v.Clerk = &stationstate.Clerk{Name: "Lê Văn Tám", Photo: photoJPEG(t, 1200, 900)}
	s.Update(v)
	if !r.photo.Visible() || r.phHead.Visible() {
		t.Error("the photo is not shown")
	}
	if b := r.photo.Image.Bounds(); b.Dx() != photoSide || b.Dy() != photoSide {
		t.Errorf("photo kept at %v, want %d square", b, photoSide)
	}
	v.Clerk = nil
	s.Update(v)
	if r.clerkName.Visible() || r.photo.Visible() || r.phHead.Visible() || r.phBg.Visible() {
		t.Error("a clerk is shown while nobody is signed in")
	}
	// A connecting station says so in the middle, without the banner.
	s.Update(stationstate.View{})
	if r.banner.Visible() || r.title.lines[0].Text != "Đang kết nối máy chủ…" {
		t.Errorf("connecting: banner %v, %q", r.banner.Visible(), r.title.lines[0].Text)
	}
}

// TestPhotoDecode: PNG and JPEG photos decode to a square; what is not an
// image, or too large to decode, gives none.
func TestPhotoDecode(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if p := decodePhoto(b.Bytes()); p == nil || p.Bounds().Dx() != photoSide || p.Bounds().Dy() != photoSide {
		t.Errorf("PNG photo: %v", p)
	}
	if decodePhoto(nil) != nil || decodePhoto([]byte("GIF89a")) != nil || decodePhoto(b.Bytes()[:40]) != nil {
		t.Error("bad photo bytes decoded")
	}
	// A PNG header claiming 10000×10000 pixels is refused before decoding.
	huge := image.NewGray(image.Rect(0, 0, 10000, 10000))
	b.Reset()
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, huge); err != nil {
		t.Fatal(err)
	}
	if decodePhoto(b.Bytes()) != nil {
		t.Error("a 100-megapixel photo was decoded")
	}
}

// TestObjectsBounded: a day of updates reuses the screen's objects.
func TestObjectsBounded(t *testing.T) {
	s := New(Options{View: demoView(stationstate.ModeReasons, false)})
	window(t, s, 1280, 800)
	for _, md := range modes { // the pools of buttons fill
		s.Update(demoView(md, false))
	}
	first := len(s.r.Objects())
	for i := range 3000 {
		v := demoView(modes[i%len(modes)], i%3 == 0)
		v.Connected = i%5 != 0
		if v.Ticket != nil {
			v.Ticket.Number = fmt.Sprintf("A%03d", i%1000)
		}
		if v.Rating != nil {
			v.Rating.Picked = v.Rating.Picked[:i%(len(v.Rating.Picked)+1)]
		}
		s.Update(v)
	}
	if n := len(s.r.Objects()); n != first {
		t.Errorf("objects grew from %d to %d over 3000 updates", first, n)
	}
}

// TestEveryTransition: a screen moved from any mode to any other shows
// exactly what a new screen in that mode shows: nothing of the mode before
// stays behind.
func TestEveryTransition(t *testing.T) {
	test.NewTempApp(t)
	draw := func(s *Screen) string {
		var out []string
		for _, o := range s.r.Objects() {
			if !o.Visible() {
				continue
			}
			switch x := o.(type) {
			case *canvas.Text:
				out = append(out, fmt.Sprintf("%q@%v", x.Text, x.Position()))
			case *button:
				out = append(out, fmt.Sprintf("button %q@%v %v", x.label, x.Position(), x.Size()))
			default:
				out = append(out, fmt.Sprintf("%T@%v %v", o, o.Position(), o.Size()))
			}
		}
		return strings.Join(out, "\n")
	}
	fresh := map[stationstate.Mode]string{}
	for _, md := range modes {
		s := New(Options{View: demoView(md, false), Now: fixedNow})
		window(t, s, 1024, 600)
		fresh[md] = draw(s)
	}
	for _, from := range modes {
		s := New(Options{View: demoView(from, true), Now: fixedNow})
		window(t, s, 1024, 600)
		for _, to := range modes {
			s.Update(demoView(from, true))
			s.Update(demoView(to, false))
			if got := draw(s); got != fresh[to] {
				t.Errorf("%s → %s differs from a new screen in %s:\n%s\nwant:\n%s", from, to, to, got, fresh[to])
			}
		}
	}
}

// TestTextColoursFixed: no text ever changes colour (a text's texture is
// drawn per colour; the state shows by what is visible and by the fill of
// rectangles).
func TestTextColoursFixed(t *testing.T) {
	s := New(Options{View: demoView(stationstate.ModeReasons, false)})
	window(t, s, 1024, 600)
	for _, md := range modes { // the pools of buttons fill
		s.Update(longView(md, false))
	}
	colours := func() []string {
		var out []string
		var walk func(os []fyne.CanvasObject)
		walk = func(os []fyne.CanvasObject) {
			for _, o := range os {
				switch x := o.(type) {
				case *canvas.Text:
					out = append(out, fmt.Sprint(x.Color))
				case *button:
					walk(x.objects)
				}
			}
		}
		walk(s.r.Objects())
		return out
	}
	before := fmt.Sprint(colours())
	for i, md := range modes {
		v := demoView(md, i%2 == 0)
		v.Connected = i%3 == 0
		s.Update(v)
		if got := fmt.Sprint(colours()); got != before {
			t.Fatalf("text colours changed in mode %s", md)
		}
	}
}

// TestWrap breaks a sentence over lines and shrinks it only when needed.
func TestWrap(t *testing.T) {
	test.NewTempApp(t)
	style := fyne.TextStyle{Bold: true}
	q := "Ông/bà có hài lòng với sự phục vụ của cán bộ không?"
	lines, size := wrap(q, 40, 18, 700, 2, style)
	if len(lines) != 2 || size != 40 || strings.Join(lines, " ") != q {
		t.Errorf("wrap gave %q at %v", lines, size)
	}
	for _, l := range lines {
		if w := fyne.MeasureText(l, size, style).Width; w > 700 {
			t.Errorf("line %q is %v wide", l, w)
		}
	}
	lines, size = wrap(q, 40, 18, 300, 1, style)
	if len(lines) != 1 || size != 18 || !strings.HasSuffix(lines[0], "…") {
		t.Errorf("a sentence too long for one line gave %q at %v", lines, size)
	}
	if lines, _ := wrap("  ", 40, 18, 300, 2, style); lines != nil {
		t.Errorf("blank text gave %q", lines)
	}
}

func TestMain(m *testing.M) {
	// Fyne keeps its settings under HOME; tests must not need a real one.
	if os.Getenv("HOME") == "" {
		os.Setenv("HOME", os.TempDir())
	}
	os.Exit(m.Run())
}

// longView is demoView with every text as long as an office could make
// it, and six reasons.
func longView(md stationstate.Mode, english bool) stationstate.View {
	v := demoView(md, english)
	v.OfficeName = "Ủy ban nhân dân thành phố Thủ Đức — Bộ phận Tiếp nhận và Trả kết quả giải quyết thủ tục hành chính"
	v.OfficeNameEN = "Thu Duc City People's Committee — Reception and Result Delivery Section for administrative procedures"
	v.CounterNumber, v.CounterName = 12, "Đất đai, xây dựng, tài nguyên môi trường và hộ tịch"
	if v.Clerk != nil || md == stationstate.ModeConnecting {
		v.Clerk = &stationstate.Clerk{Name: "Nguyễn Hoàng Phương Thảo Nguyên", Title: "Phó trưởng Bộ phận Tiếp nhận và Trả kết quả, chuyên viên chính"}
	}
	if v.Ticket != nil {
		v.Ticket.Number = "D1234"
		v.Ticket.ServiceName = "Đăng ký biến động về sử dụng đất, tài sản gắn liền với đất trong các trường hợp chuyển nhượng, tặng cho, thừa kế"
		v.Ticket.ServiceNameEN = "Registration of changes in land use and assets attached to land in cases of transfer, donation or inheritance"
	}
	if v.Rating != nil {
		v.Rating.Scale = []stationstate.Level{
			{Score: 4, Name: "Rất hài lòng với cách phục vụ", NameEN: "Very satisfied with the service"},
			{Score: 3, Name: "Hài lòng", NameEN: "Satisfied"},
			{Score: 2, Name: "Chưa thật sự hài lòng", NameEN: "Not quite satisfied"},
			{Score: 1, Name: "Hoàn toàn không hài lòng", NameEN: "Not satisfied at all"},
		}
		v.Rating.Reasons = append(reasons(),
			stationstate.Reason{ID: "papers", Name: "Yêu cầu bổ sung giấy tờ không đúng quy định", NameEN: "Asked for papers the rules do not require"},
			stationstate.Reason{ID: "fee", Name: "Thu phí, lệ phí không rõ ràng", NameEN: "Unclear fees"})
	}
	v.Corner = stationstate.Corner{SignIn: "staff", Typed: "1234567890123", Message: "F9 → Từ chối: không có công dân nào đang chờ dịch vụ của quầy này", MessageEN: "F9 → Refused: nobody is waiting for this counter's services", OK: false}
	// printer.FaultUnrecoverable's words, the longest.
	v.Printer = "Máy in bị lỗi không tự khắc phục được: tắt rồi bật lại máy in; nếu vẫn lỗi, gọi kỹ thuật viên."
	v.PrinterEN = "The printer has an unrecoverable error: switch it off and on again; if it persists, call a technician."
	v.Connected = md == stationstate.ModeIdle
	return v
}

// TestLongTexts: the longest texts still fit, without overlaps, at every
// size and in both languages.
func TestLongTexts(t *testing.T) {
	for _, md := range modes {
		for _, sz := range sizes {
			for _, en := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s-%s-%s", md, sz.name, lang(en)), func(t *testing.T) {
					s := New(Options{View: longView(md, en)})
					window(t, s, sz.w, sz.h)
					checkLayout(t, s, sz.w, sz.h)
				})
			}
		}
	}
}

// TestTextsNameTheirFont: every text shown, in every mode, names the
// theme's font of its style as its FontSource, so that Fyne never loads a
// style's whole font map for the station (the emoji font and the system's
// fonts: see package fynetext).
func TestTextsNameTheirFont(t *testing.T) {
	for _, md := range modes {
		t.Run(string(md), func(t *testing.T) {
			s := New(Options{View: demoView(md, false), Now: fixedNow})
			window(t, s, 1280, 800)
			shown := 0
			var walk func(o fyne.CanvasObject)
			walk = func(o fyne.CanvasObject) {
				switch x := o.(type) {
				case *canvas.Text:
					if !x.Visible() || x.Text == "" {
						return
					}
					shown++
					if want := fynetext.FontOf(x.TextStyle); x.FontSource != want {
						got := "no font of its own"
						if x.FontSource != nil {
							got = x.FontSource.Name()
						}
						t.Errorf("%q (bold %v) is drawn in %s, want %s", x.Text, x.TextStyle.Bold, got, want.Name())
					}
				case fyne.Widget:
					for _, c := range test.TempWidgetRenderer(t, x).Objects() {
						walk(c)
					}
				}
			}
			walk(s)
			if shown == 0 {
				t.Fatal("no text shown")
			}
		})
	}
}
