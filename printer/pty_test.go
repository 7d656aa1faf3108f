package printer_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/printer"
	"luot/printer/virtual"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func ticket() printer.Ticket {
	return printer.Ticket{
		Office: "UBND Phường Bến Nghé", OfficeEN: "Ben Nghe Ward People's Committee",
		Service: "Cấp giấy phép xây dựng", ServiceEN: "Construction permit",
		Number: "A012", Priority: "Người cao tuổi", PriorityEN: "Elderly",
		Ahead: 5, ETA: 25 * time.Minute,
		TrackURL: "https://luot.example.vn/t/8f3a2c?token=Zk3mQ9xT2pL7",
		Issued:   time.Date(2026, 11, 27, 8, 15, 0, 0, time.FixedZone("ICT", 7*3600)),
		Kiosk:    "Ki-ốt 1",
	}
}

// start runs a virtual printer for a profile and opens it through the real
// serial code.
func start(t *testing.T, profile string, opts virtual.Options, cfg printer.Config) (*virtual.Printer, *printer.Printer) {
	t.Helper()
	opts.OutDir = t.TempDir()
	if opts.Profile == "" && opts.ProfileData.Name == "" {
		opts.Profile = profile
	}
	v, err := virtual.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	cfg.Port = v.Path()
	cfg.Profile = profile
	if cfg.Baud == 0 {
		cfg.Baud = 115200
	}
	if cfg.ReadTimeout.Duration == 0 {
		cfg.ReadTimeout.Duration = 300 * time.Millisecond
	}
	if cfg.WriteTimeout.Duration == 0 {
		cfg.WriteTimeout.Duration = 3 * time.Second
	}
	p, err := printer.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return v, p
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestGoldenTickets(t *testing.T) {
	cases := []struct {
		name, profile string
		method        printer.Method
		textMode      bool
	}{
		{"80mm-tcvn3-epson-tm-t20iii", "epson-tm-t20iii", "", true},
		{"80mm-tcvn3-epson-tm-t82", "epson-tm-t82", "", true},
		{"80mm-cp1258-epson-tm-t88vi", "epson-tm-t88vi", "", true},
		{"80mm-cp1258-generic-80", "generic-80", "", true},
		{"80mm-raster-generic-80", "generic-80", printer.MethodRaster, false},
		{"58mm-cp1258-generic-58-qr", "generic-58-qr", "", true},
		{"58mm-raster-generic-58", "generic-58", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, p := start(t, c.profile, virtual.Options{}, printer.Config{Vietnamese: c.method})
			if _, err := p.PrintTicket(ctx(t), ticket()); err != nil {
				t.Fatal(err)
			}
			got, err := v.Next(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if c.textMode {
				// The decoder is the oracle: every field comes back exactly.
				for _, s := range []string{"UBND Phường Bến Nghé", "Cấp giấy phép xây dựng", "A012", "** ƯU TIÊN: Người cao tuổi **", "Người chờ trước: 5", "Dự kiến chờ: 25 phút", "27/11/2026 08:15 Ki-ốt 1", "[QR module=5 level=M] https://luot.example.vn/t/8f3a2c?token=Zk3mQ9xT2pL7"} {
					if !strings.Contains(got.Text, s) {
						t.Errorf("decoded ticket lacks %q:\n%s", s, got.Text)
					}
				}
			}
			golden(t, c.name, got)
		})
	}
}

func golden(t *testing.T, name string, got *virtual.Ticket) {
	t.Helper()
	dir := filepath.Join("testdata", "golden")
	txt, pngPath := filepath.Join(dir, name+".txt"), filepath.Join(dir, name+".png")
	if got.Image == nil {
		t.Fatal("no image rendered")
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, got.Image); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pngPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(txt, []byte(got.Text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(txt)
	if err != nil {
		t.Fatalf("%v (run go test ./printer -run TestGoldenTickets -update)", err)
	}
	if string(want) != got.Text {
		t.Errorf("text differs from %s:\n--- got\n%s--- want\n%s", txt, got.Text, want)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wimg, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPixels(wimg, got.Image); d != "" {
		t.Errorf("image differs from %s: %s (got image: %s)", pngPath, d, got.PNGPath)
	}
}

func diffPixels(a image.Image, b *image.Gray) string {
	if a.Bounds() != b.Bounds() {
		return fmt.Sprintf("size %v, want %v", b.Bounds(), a.Bounds())
	}
	n := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r, _, _, _ := a.At(x, y).RGBA()
			if (r < 0x8000) != (b.GrayAt(x, y).Y < 0x80) {
				n++
			}
		}
	}
	if n > 0 {
		return fmt.Sprintf("%d dots differ", n)
	}
	return ""
}

func TestEachFaultIsItsTypedError(t *testing.T) {
	cases := []struct {
		state    virtual.State
		sentinel error
		fault    printer.Fault
	}{
		{virtual.State{PaperEnd: true}, printer.ErrPaperEnd, printer.FaultPaperEnd},
		{virtual.State{CoverOpen: true}, printer.ErrCoverOpen, printer.FaultCoverOpen},
		{virtual.State{Offline: true}, printer.ErrOffline, printer.FaultOffline},
		{virtual.State{CutterError: true}, printer.ErrCutter, printer.FaultCutter},
		{virtual.State{NoAnswer: true}, printer.ErrNoAnswer, printer.FaultNoAnswer},
	}
	for _, chatty := range []bool{false, true} {
		v, p := start(t, "epson-tm-t20iii", virtual.Options{Chatty: chatty}, printer.Config{})
		for _, c := range cases {
			v.SetState(c.state)
			before := v.Received()
			_, err := p.PrintTicket(ctx(t), ticket())
			if !errors.Is(err, c.sentinel) {
				t.Fatalf("chatty=%v %+v: got %v, want %v", chatty, c.state, err, c.sentinel)
			}
			var fe *printer.FaultError
			if !errors.As(err, &fe) || fe.Fault() != c.fault {
				t.Fatalf("%+v: not a *FaultError of %v: %v", c.state, c.fault, err)
			}
			if fe.Vietnamese() == "" || fe.English() == "" || !strings.Contains(err.Error(), fe.English()) {
				t.Errorf("%v: message missing: %q", c.fault, err)
			}
			for _, other := range []error{printer.ErrPaperEnd, printer.ErrCoverOpen, printer.ErrNoAnswer} {
				if other != c.sentinel && errors.Is(err, other) {
					t.Errorf("%v also matches %v", c.fault, other)
				}
			}
			// Nothing but status queries was sent.
			if sent := v.Received() - before; sent%3 != 0 || sent > 12 {
				t.Errorf("%v: %d bytes sent to a faulty printer", c.fault, sent)
			}
		}
		// Paper near end prints, with a warning.
		v.SetState(virtual.State{PaperNearEnd: true})
		st, err := p.PrintTicket(ctx(t), ticket())
		if err != nil || !errors.Is(st.Warning(), printer.ErrPaperNearEnd) || st.Err() != nil {
			t.Fatalf("near end: status %v err %v", st, err)
		}
		if _, err := v.Next(ctx(t)); err != nil {
			t.Fatal(err)
		}
		v.SetState(virtual.State{})
		if st, err := p.Status(ctx(t)); err != nil || st.Err() != nil || st.Warning() != nil || st.String() != "ready" {
			t.Fatalf("ready printer: %v %v", st, err)
		}
	}
}

func TestControlFileSwitchesFaults(t *testing.T) {
	v, p := start(t, "generic-80", virtual.Options{}, printer.Config{})
	ctl := filepath.Join(v.OutDir(), virtual.ControlFile)
	if err := os.WriteFile(ctl, []byte("cover-open\npaper-near-end\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(ctx(t))
	if err != nil || !errors.Is(st.Err(), printer.ErrCoverOpen) || !st.NearEnd {
		t.Fatalf("status %v err %v", st, err)
	}
	if err := os.WriteFile(ctl, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := p.Status(ctx(t)); err != nil || st.Err() != nil {
		t.Fatalf("after clearing: %v %v", st, err)
	}
}

func TestUnplugMidTicketThenReconnect(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyPRINTER")
	v, p := start(t, "epson-tm-t20iii", virtual.Options{Link: link}, printer.Config{})
	unplugMidJob(t, v, p, rasterJob(p, 60), 20000, "long raster job")
	// While unplugged, status fails fast with a connection error.
	if _, err := p.Status(ctx(t)); !errors.Is(err, printer.ErrNotConnected) {
		t.Fatalf("status while unplugged: %v", err)
	}
	if err := v.Replug(); err != nil {
		t.Fatal(err)
	}
	ticketPrintsWhole(t, v, p, "after reconnect")
}

func TestRTSCTSOnPseudoTerminalFailsClearly(t *testing.T) {
	v, err := virtual.Start(virtual.Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	_, err = printer.Open(printer.Config{Port: v.Path(), RTSCTS: true})
	if !errors.Is(err, printer.ErrNotConnected) || !strings.Contains(err.Error(), "modem lines") {
		t.Fatalf("got %v", err)
	}
}

func TestOpenMissingPort(t *testing.T) {
	_, err := printer.Open(printer.Config{Port: filepath.Join(t.TempDir(), "nothing")})
	if !errors.Is(err, printer.ErrNotConnected) {
		t.Fatalf("got %v", err)
	}
	if _, err := printer.New(printer.Config{}); err == nil {
		t.Fatal("config without port accepted")
	}
	if _, err := printer.New(printer.Config{Port: "/dev/null", Parity: "mark"}); err == nil {
		t.Fatal("bad parity accepted")
	}
}
