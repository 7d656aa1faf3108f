package printer

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestCmdSize(t *testing.T) {
	cases := []struct {
		w, h int
		want byte
	}{{1, 1, 0x00}, {2, 2, 0x11}, {8, 8, 0x77}, {3, 1, 0x20}, {0, 9, 0x07}}
	for _, c := range cases {
		if got := CmdSize(c.w, c.h); !bytes.Equal(got, []byte{GS, '!', c.want}) {
			t.Errorf("CmdSize(%d,%d) = % X", c.w, c.h, got)
		}
	}
}

func TestCmdQRLengths(t *testing.T) {
	for _, n := range []int{1, 252, 253, 300, 1000} {
		data := strings.Repeat("x", n)
		b, err := CmdQR(data, 6, QRLevelM)
		if err != nil {
			t.Fatal(err)
		}
		head := []byte{GS, '(', 'k', 4, 0, 49, 65, 50, 0, GS, '(', 'k', 3, 0, 49, 67, 6, GS, '(', 'k', 3, 0, 49, 69, 49}
		if !bytes.HasPrefix(b, head) {
			t.Fatalf("n=%d: header % X", n, b[:len(head)])
		}
		store := b[len(head):]
		l := n + 3
		if want := []byte{GS, '(', 'k', byte(l), byte(l >> 8), 49, 80, 48}; !bytes.HasPrefix(store, want) {
			t.Errorf("n=%d: store % X, want % X", n, store[:8], want)
		}
		if !bytes.HasSuffix(b, []byte{GS, '(', 'k', 3, 0, 49, 81, 48}) {
			t.Errorf("n=%d: no print function", n)
		}
	}
	if _, err := CmdQR("", 3, QRLevelL); err == nil {
		t.Error("empty QR accepted")
	}
}

func TestCmdRasterRoundTrip(t *testing.T) {
	img := NewPaper(20, 3)
	img.Pix[0], img.Pix[19], img.Pix[2*img.Stride+9] = 0, 0, 0
	b := CmdRaster(img)
	if !bytes.HasPrefix(b, []byte{GS, 'v', '0', 0, 3, 0, 3, 0}) || len(b) != 8+9 {
		t.Fatalf("% X", b)
	}
	if b[8] != 0x80 || b[10] != 0x10 || b[8+6+1] != 0x40 {
		t.Errorf("bits % X", b[8:])
	}
	back := UnpackRaster(3, 3, b[8:])
	for y := 0; y < 3; y++ {
		for x := 0; x < 20; x++ {
			if back.GrayAt(x, y) != img.GrayAt(x, y) {
				t.Fatalf("pixel %d,%d differs", x, y)
			}
		}
	}
}

func TestInitPerProfile(t *testing.T) {
	for _, c := range []struct {
		profile string
		want    []byte
	}{
		{"epson-tm-t20iii", []byte{ESC, '@', ESC, 't', 30}},
		{"epson-tm-t88vi", []byte{ESC, '@', ESC, 't', 52}},
		{"generic-80", []byte{ESC, '@', FS, '.', ESC, 't', 94}},
		{"generic-58", []byte{ESC, '@', FS, '.'}},
	} {
		p, err := LookupProfile(c.profile)
		if err != nil {
			t.Fatal(err)
		}
		e := NewEncoder(p)
		e.Init()
		if !bytes.Equal(e.Bytes(), c.want) {
			t.Errorf("%s: % X want % X", c.profile, e.Bytes(), c.want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		profile string
		partial bool
		want    []byte
	}{
		{"epson-tm-t20iii", true, []byte{GS, 'V', 66, 0}},
		{"epson-tm-t20iii", false, []byte{GS, 'V', 65, 0}},
		{"generic-80", true, []byte{GS, 'V', 65, 0}},
		{"generic-58", true, []byte{GS, 'V', 66, 0}},
	} {
		p, _ := LookupProfile(c.profile)
		e := NewEncoder(p)
		e.Cut(c.partial)
		if !bytes.Equal(e.Bytes(), c.want) {
			t.Errorf("%s partial=%v: % X", c.profile, c.partial, e.Bytes())
		}
	}
}

func TestProfilesAreValid(t *testing.T) {
	want := map[string]int{"epson-tm-t20iii": 576, "epson-tm-t82": 512, "epson-tm-t88vi": 512, "generic-80": 576, "generic-58": 384, "generic-58-qr": 384}
	for name, w := range want {
		p, err := LookupProfile(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.WidthDots != w || p.Source == "" || p.Columns() != w/12 {
			t.Errorf("%s: width %d columns %d source %q", name, p.WidthDots, p.Columns(), p.Source)
		}
	}
	if _, err := LookupProfile("nope"); err == nil || !strings.Contains(err.Error(), "generic-58") {
		t.Errorf("unknown profile error should list the known ones: %v", err)
	}
	g58, _ := LookupProfile("generic-58")
	if g58.NativeQR || g58.Vietnamese != MethodRaster {
		t.Error("generic-58 must be the raster-only profile without native QR")
	}
}

func sampleTicket() Ticket {
	return Ticket{
		Office: "UBND Phường Bến Nghé", OfficeEN: "Ben Nghe Ward People's Committee",
		Service: "Cấp giấy phép xây dựng", ServiceEN: "Construction permit",
		Number: "A012", Ahead: 5, ETA: 25 * time.Minute,
		TrackURL: "https://luot.example.vn/t/8f3a2c?token=Zk3mQ9xT2pL7",
		Issued:   time.Date(2026, 11, 27, 8, 15, 0, 0, time.FixedZone("ICT", 7*3600)),
		Kiosk:    "Ki-ốt 1",
	}
}

func TestNumberNeverWraps(t *testing.T) {
	for _, p := range Profiles() {
		for _, num := range []string{"1", "A001", "1023", "A1023", "B12345"} {
			m := NumberMagnification(num, p)
			if w := len(num) * p.Fonts[0].Width * m; w > p.WidthDots || m < 1 {
				t.Errorf("%s %q: magnification %d is %d dots wide on %d", p.Name, num, m, w, p.WidthDots)
			}
			if m < 8 && len(num)*p.Fonts[0].Width*(m+1) <= p.WidthDots {
				t.Errorf("%s %q: magnification %d is not the largest that fits", p.Name, num, m)
			}
		}
	}
	p58, _ := LookupProfile("generic-58")
	p80, _ := LookupProfile("epson-tm-t20iii")
	if NumberMagnification("A001", p58) != 8 || NumberMagnification("A1023", p58) != 6 || NumberMagnification("A1023", p80) != 8 {
		t.Error("unexpected magnification for 4/5-character numbers")
	}
}

func TestTicketBytesBudget(t *testing.T) {
	for _, name := range []string{"epson-tm-t20iii", "generic-80", "epson-tm-t88vi"} {
		p, _ := LookupProfile(name)
		b, err := EncodeTicket(sampleTicket(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 400 {
			t.Errorf("%s: Vietnamese 80 mm ticket with native QR is %d bytes, target ≤ 400", name, len(b))
		}
		if bytes.Contains(b, []byte{GS, 'v', '0'}) {
			t.Errorf("%s: text-mode ticket contains a raster image", name)
		}
	}
}

func TestTicketRefusesEmptyNumber(t *testing.T) {
	p, _ := LookupProfile("generic-80")
	tk := sampleTicket()
	tk.Number = " "
	if _, err := EncodeTicket(tk, p); err == nil {
		t.Fatal("ticket without number encoded")
	}
}

func TestWaitText(t *testing.T) {
	for _, c := range []struct {
		d      time.Duration
		vi, en string
	}{
		{-1, "chưa xác định", "unknown"},
		{30 * time.Second, "dưới 1 phút", "under 1 min"},
		{25*time.Minute - time.Second, "25 phút", "25 min"},
		{60 * time.Minute, "1 giờ", "1 h"},
		{75 * time.Minute, "1 giờ 15 phút", "1 h 15 min"},
	} {
		vi, en := waitText(c.d)
		if vi != c.vi || en != c.en {
			t.Errorf("%v: %q %q", c.d, vi, en)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế", 20)
	want := []string{"Trung tâm Phục vụ", "hành chính công tỉnh", "Thừa Thiên Huế"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%q", got)
	}
	if got := wrap("abcdefghij", 4); strings.Join(got, "|") != "abcd|efgh|ij" {
		t.Errorf("%q", got)
	}
}
