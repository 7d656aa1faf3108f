package board

import (
	"fmt"
	"image/color"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"luot/display/boardstate"
	"luot/internal/fynetext"
)

// The golden images in testdata/ are the board as the test driver draws it
// (software rendering, Fyne's default theme font, Noto Sans, which has every
// Vietnamese letter). When a change to the layout is meant, delete the
// images, run the tests once to write them, and look at them.

var calledAt = time.Date(2026, 11, 27, 9, 41, 0, 0, time.FixedZone("ICT", 7*3600))

// demoView is a busy morning at the demo office.
func demoView() boardstate.View {
	call := func(number, counter string, n int, service, vi, en string) boardstate.Call {
		return boardstate.Call{ID: number, Number: number, Counter: counter, CounterNumber: n, CounterName: fmt.Sprintf("Quầy %d", n),
			Service: service, ServiceName: vi, ServiceNameEN: en, Status: "called", CalledAt: calledAt}
	}
	recent := []boardstate.Call{
		call("1023", "q3", 3, "chung-thuc", "Chứng thực bản sao, chữ ký", "Certified copies and signatures"),
		call("A012", "q1", 1, "xay-dung", "Cấp giấy phép xây dựng", "Construction permits"),
		call("D007", "q4", 4, "ho-tich", "Hộ tịch (khai sinh, kết hôn, khai tử)", "Civil status"),
		call("1022", "q3", 3, "chung-thuc", "Chứng thực bản sao, chữ ký", "Certified copies and signatures"),
		call("B004", "q2", 2, "ho-kinh-doanh", "Đăng ký hộ kinh doanh", "Household business registration"),
		call("A011", "q1", 1, "xay-dung", "Cấp giấy phép xây dựng", "Construction permits"),
		call("R021", "q4", 4, "tra-ket-qua", "Nhận kết quả hồ sơ", "Collect the result of an application"),
		call("1021", "q3", 3, "chung-thuc", "Chứng thực bản sao, chữ ký", "Certified copies and signatures"),
	}
	latest := recent[0]
	return boardstate.View{
		Office: "demo", Name: "UBND thành phố — Bộ phận Tiếp nhận và Trả kết quả", NameEN: "City People's Committee — One-stop shop",
		Timezone: "Asia/Ho_Chi_Minh", Day: "2026-11-27", Seq: 412, Ready: true, Connected: true,
		Latest: &latest, LatestSeq: 412, Recent: recent,
		Counters: []boardstate.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", State: "open", Current: "A012"},
			{ID: "q2", Number: 2, Name: "Quầy 2", State: "paused", Current: "B004"},
			{ID: "q3", Number: 3, Name: "Quầy 3", State: "open", Current: "1023"},
			{ID: "q4", Number: 4, Name: "Quầy 4", State: "open", Current: "D007"},
		},
		Waiting: []boardstate.Waiting{
			{Service: "xay-dung", Name: "Cấp giấy phép xây dựng", NameEN: "Construction permits", Count: 4},
			{Service: "ho-kinh-doanh", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business registration", Count: 2},
			{Service: "chung-thuc", Name: "Chứng thực bản sao, chữ ký", NameEN: "Certified copies and signatures", Count: 17},
			{Service: "ho-tich", Name: "Hộ tịch (khai sinh, kết hôn, khai tử)", NameEN: "Civil status (births, marriages, deaths)", Count: 3},
			{Service: "dat-dai", Name: "Đất đai (giấy chứng nhận quyền sử dụng đất)", NameEN: "Land (land-use right certificates)", Count: 0},
			{Service: "lao-dong", Name: "Lao động – Thương binh và Xã hội", NameEN: "Labour, war invalids and social affairs", Count: 1},
			{Service: "moi-truong", Name: "Tài nguyên và Môi trường", NameEN: "Natural resources and environment", Count: 0},
			{Service: "tra-ket-qua", Name: "Nhận kết quả hồ sơ", NameEN: "Collect the result of an application", Count: 6},
		},
		Ticker: "Công dân vui lòng giữ phiếu số thứ tự và theo dõi màn hình. Please keep your ticket and watch the screen.",
	}
}

// readyDossiers are the demo's dossiers ready for pickup: more than the
// 1280×720 board has room for, one shown without a name.
func readyDossiers() []boardstate.Dossier {
	return []boardstate.Dossier{
		{Code: "TP-261127-0004", Name: "Nguyễn V. A."},
		{Code: "TP-261126-0011", Name: "Trần T. B."},
		{Code: "TP-261126-0002", Name: "Lê Hoàng N. T."},
		{Code: "TP-261125-0017"},
		{Code: "TP-261124-0009", Name: "Phạm M."},
		{Code: "TP-261120-0003", Name: "Võ T. K. L."},
	}
}

// fixedNow is 09:41:30 on the demo day, in the office's timezone.
func fixedNow() time.Time { return calledAt.Add(30 * time.Second) }

func window(t *testing.T, b *Board, w, h float32) fyne.Window {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme(a.Settings().Theme()))
	win := test.NewWindow(b)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	t.Cleanup(win.Close)
	return win
}

// TestGolden renders the board at the three screen shapes, connected and
// disconnected, with and without English lines.
func TestGolden(t *testing.T) {
	cases := []struct {
		name      string
		w, h      float32
		english   bool
		connected bool
		dossiers  bool // with the panel of dossiers ready for pickup
	}{
		{"board-1920x1080", 1920, 1080, true, true, false},
		{"board-1920x1080-disconnected", 1920, 1080, true, false, false},
		{"board-1280x720-disconnected", 1280, 720, true, false, false},
		{"board-1280x720-vi", 1280, 720, false, true, false},
		{"board-1080x1920-disconnected", 1080, 1920, true, false, false},
		{"board-1920x1080-dossiers", 1920, 1080, true, true, true},
		{"board-1280x720-dossiers-vi", 1280, 720, false, true, true},
		{"board-1080x1920-dossiers", 1080, 1920, true, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := demoView()
			v.Connected = c.connected
			if c.dossiers {
				v.Dossiers = readyDossiers()
			}
			b := New(v, Options{English: c.english, Now: fixedNow})
			win := window(t, b, c.w, c.h)
			img := win.Canvas().Capture()
			if got := img.Bounds().Size(); got.X != int(c.w) || got.Y != int(c.h) {
				t.Fatalf("captured %v, want %vx%v", got, c.w, c.h)
			}
			test.AssertImageMatches(t, c.name+".png", img)
		})
	}
}

// TestStartingAndEmpty: before the first snapshot the board says it is
// connecting; an office with no call yet says so.
func TestStartingAndEmpty(t *testing.T) {
	b := New(boardstate.View{}, Options{English: true, Now: fixedNow})
	win := window(t, b, 1280, 720)
	r := b.r
	if !r.banner.Visible() || r.bannerVI.Text != "Đang kết nối máy chủ…" {
		t.Errorf("starting: banner visible %v, %q", r.banner.Visible(), r.bannerVI.Text)
	}
	b.Update(boardstate.View{Name: "Bộ phận một cửa", Ready: true, Connected: true})
	if r.banner.Visible() || r.bannerVI.Visible() {
		t.Error("the banner stays while connected")
	}
	if r.bigNumber.Visible() || r.serviceVI.Text != "Chưa có lượt gọi · No calls yet" {
		t.Errorf("no call: number visible %v, message %q", r.bigNumber.Visible(), r.serviceVI.Text)
	}
	test.AssertImageMatches(t, "board-1280x720-empty.png", win.Canvas().Capture())
}

// TestBanner: the banner comes when the stream drops and goes when it is
// back; the last state stays on the board meanwhile.
func TestBanner(t *testing.T) {
	v := demoView()
	b := New(v, Options{English: true, Now: fixedNow})
	window(t, b, 1920, 1080)
	r := b.r
	if r.banner.Visible() {
		t.Fatal("banner shown while connected")
	}
	v.Connected = false
	b.Update(v)
	if !r.banner.Visible() || r.bannerVI.Text != "Mất kết nối — đang kết nối lại…" || r.bannerEN.Text != "Connection lost — reconnecting…" {
		t.Errorf("disconnected: banner visible %v, %q / %q", r.banner.Visible(), r.bannerVI.Text, r.bannerEN.Text)
	}
	if r.bigNumber.Text != "1023" || !r.bigNumber.Visible() {
		t.Errorf("the last call is not kept on screen while disconnected: %q", r.bigNumber.Text)
	}
	// The banner is drawn over everything else.
	objs := r.Objects()
	if objs[len(objs)-3] != r.banner {
		t.Error("the banner is not drawn last")
	}
	v.Connected = true
	b.Update(v)
	if r.banner.Visible() || r.bannerVI.Visible() {
		t.Error("the banner stays after reconnecting")
	}
}

// TestBlink: a new call blinks by hiding and showing its text for BlinkFor,
// without changing any colour, then stays shown.
func TestBlink(t *testing.T) {
	now := fixedNow()
	clock := func() time.Time { return now }
	v := demoView()
	b := New(v, Options{English: true, Now: clock, BlinkFor: 3 * time.Second, BlinkEvery: 500 * time.Millisecond})
	window(t, b, 1920, 1080)
	r := b.r
	colours := colourSnapshot(r)
	b.Tick()
	if b.Blinking() || !r.bigNumber.Visible() {
		t.Fatal("the call shown at start blinks")
	}
	next := v
	l := *v.Latest
	l.Number, l.CounterNumber, l.CounterName = "1024", 2, "Quầy 2"
	next.Latest, next.LatestSeq, next.Seq = &l, v.LatestSeq+1, v.Seq+1
	b.Update(next)
	if !b.Blinking() || !r.bigNumber.Visible() || r.bigNumber.Text != "1024" {
		t.Fatalf("new call: blinking %v, visible %v, %q", b.Blinking(), r.bigNumber.Visible(), r.bigNumber.Text)
	}
	var phases []bool
	for range 8 {
		now = now.Add(500 * time.Millisecond)
		b.Tick()
		phases = append(phases, r.bigNumber.Visible() && r.bigArrow.Visible() && r.bigCounter.Visible())
	}
	want := []bool{false, true, false, true, false, true, true, true}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Errorf("visible at each half second %v, want %v", phases, want)
	}
	if b.Blinking() {
		t.Error("still blinking after BlinkFor")
	}
	if c := colourSnapshot(r); fmt.Sprint(c) != fmt.Sprint(colours) {
		t.Error("colours changed while blinking")
	}
	// The same view again (a reconnect) does not blink.
	b.Update(next)
	if b.Blinking() {
		t.Error("an unchanged latest call blinks again")
	}
}

// TestDefaultBlinkRepaintsTwice: by default a call blinks for 3 s — shown,
// hidden for a second, shown — so the blink costs two repaints, which in
// software rendering is most of the board's CPU (display/README.md).
func TestDefaultBlinkRepaintsTwice(t *testing.T) {
	now := fixedNow()
	v := demoView()
	b := New(v, Options{Now: func() time.Time { return now }})
	window(t, b, 1920, 1080)
	next := v
	l := *v.Latest
	l.Number = "1024"
	next.Latest, next.LatestSeq, next.Seq = &l, v.LatestSeq+1, v.Seq+1
	b.Update(next)
	var phases []bool
	changes := 0
	for range 20 { // 5 s in the 250 ms ticks of the display
		now = now.Add(250 * time.Millisecond)
		b.Tick()
		shown := b.r.bigNumber.Visible()
		if len(phases) > 0 && shown != phases[len(phases)-1] {
			changes++
		}
		phases = append(phases, shown)
	}
	want := "[true true true false false false false true true true true true true true true true true true true true]"
	if fmt.Sprint(phases) != want || changes != 2 {
		t.Errorf("visible at each tick %v (%d changes), want %s (2 changes)", phases, changes, want)
	}
}

func colourSnapshot(r *renderer) []color.Color {
	var out []color.Color
	for _, o := range r.Objects() {
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Color)
		case *canvas.Rectangle:
			out = append(out, x.FillColor)
		}
	}
	return out
}

// TestObjectsBounded: a day of updates reuses the board's objects instead
// of making new ones.
func TestObjectsBounded(t *testing.T) {
	v := demoView()
	v.Dossiers = readyDossiers()
	b := New(v, Options{English: true, Now: fixedNow})
	window(t, b, 1920, 1080)
	first := len(b.r.Objects())
	for i := range 2000 {
		next := demoView()
		l := *next.Latest
		l.Number = fmt.Sprintf("%04d", 1000+i)
		next.Latest, next.LatestSeq = &l, int64(1000+i)
		next.Recent[0] = l
		next.Connected = i%7 != 0
		next.Counters = next.Counters[:1+i%4]
		next.Waiting[i%8].Count = i
		next.Dossiers = readyDossiers()[:i%7]
		b.Update(next)
		b.Tick()
	}
	if n := len(b.r.Objects()); n != first {
		t.Errorf("objects grew from %d to %d over 2000 updates", first, n)
	}
}

// TestDossiersPanel: the panel of dossiers ready for pickup shows while
// there are any, codes and names, and goes when the list is empty.
func TestDossiersPanel(t *testing.T) {
	v := demoView()
	b := New(v, Options{English: true, Now: fixedNow})
	window(t, b, 1920, 1080)
	r := b.r
	if r.dossiersBox.mid.Visible() || r.dossiersTitle.Visible() {
		t.Fatal("the dossiers' panel shows with no dossier ready")
	}
	recentW := r.recentBox.mid.Size().Width
	v.Dossiers = readyDossiers()[:2]
	b.Update(v)
	if !r.dossiersBox.mid.Visible() || r.dossiersTitle.Text != "Hồ sơ đã có kết quả" {
		t.Fatalf("with two dossiers: panel visible %v, title %q", r.dossiersBox.mid.Visible(), r.dossiersTitle.Text)
	}
	if w := r.recentBox.mid.Size().Width; w >= recentW {
		t.Errorf("the recent calls keep their width %v beside the dossiers", w)
	}
	for i, want := range [][2]string{{"TP-261127-0004", "Nguyễn V. A."}, {"TP-261126-0011", "Trần T. B."}} {
		w := r.dossierRows[i]
		if w.a.Text != want[0] || w.b.Text != want[1] || !w.a.Visible() || !w.b.Visible() {
			t.Errorf("row %d: %q %q (visible %v %v), want %q", i, w.a.Text, w.b.Text, w.a.Visible(), w.b.Visible(), want)
		}
	}
	v.Dossiers = nil
	b.Update(v)
	if r.dossiersBox.mid.Visible() || r.dossiersTitle.Visible() || r.dossierRows[0].a.Visible() {
		t.Error("the dossiers' panel stays after the list emptied")
	}
	if w := r.recentBox.mid.Size().Width; w != recentW {
		t.Errorf("the recent calls' panel is %v wide again, want %v", w, recentW)
	}
}

// TestFit shortens what does not fit.
func TestFit(t *testing.T) {
	test.NewTempApp(t)
	s, size := fit("Đất đai (giấy chứng nhận quyền sử dụng đất)", 40, 20, 200, fyne.TextStyle{})
	if w := fynetext.Measure(s, size, fyne.TextStyle{}).Width; w > 200 || size < 20 {
		t.Errorf("fit gave %q at %v, %v wide", s, size, w)
	}
	if s, size := fit("A1", 40, 20, 500, fyne.TextStyle{}); s != "A1" || size != 40 {
		t.Errorf("a short text was changed: %q %v", s, size)
	}
}

// TestTextsNameTheirFont: every text shown, in a few states of the board
// (busy or empty, connected or not, in one language or two, with the
// dossiers' panel), names the theme's font of its style as its
// FontSource, so that Fyne never loads a style's whole font map for the
// board (see package fynetext).
func TestTextsNameTheirFont(t *testing.T) {
	empty := demoView()
	empty.Latest, empty.Recent, empty.Counters, empty.Waiting, empty.Ticker = nil, nil, nil, nil, ""
	disconnected := demoView()
	disconnected.Connected = false
	dossiers := demoView()
	dossiers.Dossiers = readyDossiers()
	cases := []struct {
		name    string
		v       boardstate.View
		english bool
	}{
		{"busy", demoView(), true},
		{"busy-vi", demoView(), false},
		{"empty", empty, true},
		{"disconnected", disconnected, true},
		{"dossiers", dossiers, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := New(c.v, Options{English: c.english, Now: fixedNow})
			window(t, b, 1920, 1080)
			shown := 0
			for _, o := range test.TempWidgetRenderer(t, b).Objects() {
				x, ok := o.(*canvas.Text)
				if !ok || !x.Visible() || x.Text == "" {
					continue
				}
				shown++
				if !fynetext.Named(x) {
					got := "no font of its own"
					if x.FontSource != nil {
						got = x.FontSource.Name()
					}
					t.Errorf("%q (bold %v) is drawn in %s, want %s", x.Text, x.TextStyle.Bold, got, fynetext.FontOf(x.TextStyle).Name())
				}
			}
			if shown < 5 {
				t.Fatalf("%d texts shown, want the header's and the panels' at least", shown)
			}
		})
	}
}

func TestMain(m *testing.M) {
	// Fyne keeps its settings under HOME; tests must not need a real one.
	if os.Getenv("HOME") == "" {
		os.Setenv("HOME", os.TempDir())
	}
	os.Exit(m.Run())
}
