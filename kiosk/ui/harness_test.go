package ui_test

import (
	"context"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"luot/internal/clock"
	"luot/kiosk/device"
	"luot/kiosk/internal/kiosktest"
	"luot/kiosk/ui"
	"luot/printer"
	"luot/printer/virtual"
	"luot/server/client"
)

// bound is the longest any test waits for something to happen.
const bound = 15 * time.Second

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// harness is a kiosk in a test window, talking to a real server in this
// process through the real client, and printing through the real printer
// package to the virtual printer.
type harness struct {
	t     *testing.T
	k     *ui.Kiosk
	w     fyne.Window
	clock *clock.Fake // the kiosk's clock; it moves only when told
	env   *kiosktest.Env
	vp    *virtual.Printer
	cfg   ui.Config
	queue chan func()
}

type option func(*ui.Config, *ui.Deps)

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	env := kiosktest.New(t)
	srv, err := device.NewServer(env.URL, kiosktest.KioskKey, "demo", client.WithRetries(2, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessWith(t, env, srv, opts...)
}

func newHarnessWith(t *testing.T, env *kiosktest.Env, srv ui.Server, opts ...option) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(&ui.Theme{C: ui.DefaultColours})
	vp, err := virtual.Start(virtual.Options{OutDir: t.TempDir(), Profile: "generic-80"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vp.Close() })
	p, err := printer.New(printer.Config{Port: vp.Path(), Profile: "generic-80", Baud: 115200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	h := &harness{t: t, env: env, vp: vp, queue: make(chan func(), 1024),
		clock: clock.NewFake(kiosktest.Start)}
	cfg := ui.Config{KioskName: "Ki-ốt 1", StaffPIN: "2468", ResultTimeout: 20 * time.Second, IdleTimeout: 60 * time.Second,
		RefreshEvery: 30 * time.Second, RetryEvery: 5 * time.Second, RequestTimeout: bound, PrintTimeout: bound}
	deps := ui.Deps{Server: srv, Printer: &device.Printer{P: p}, Clock: h.clock, QR: device.QR,
		Do: func(f func()) { h.queue <- f }}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	h.cfg = cfg
	h.k = ui.New(cfg, deps)
	h.w = test.NewTempWindow(t, h.k.Content())
	h.w.Resize(fyne.NewSize(1920, 1080))
	t.Cleanup(func() { h.k.Stop() })
	h.k.Start()
	h.until("the start screen", func(s ui.State) bool { return s.Screen == ui.ScreenStart || s.OutOfService != "starting" })
	return h
}

// until runs the UI goroutine's work until cond holds, at most bound.
func (h *harness) until(what string, cond func(ui.State) bool) ui.State {
	h.t.Helper()
	deadline := time.NewTimer(bound)
	defer deadline.Stop()
	for {
		if s := h.k.State(); cond(s) {
			return s
		}
		select {
		case f := <-h.queue:
			f()
		case <-deadline.C:
			h.t.Fatalf("waited %s for %s; the kiosk shows: %s", bound, what, h.k.State())
		}
	}
}

// drain runs the UI work already queued and what it queues in turn, for
// work that has no visible end (e.g. a status report).
func (h *harness) drain() {
	for {
		select {
		case f := <-h.queue:
			f()
		default:
			return
		}
	}
}

func (h *harness) screen(s ui.Screen) ui.State {
	h.t.Helper()
	return h.until("screen "+string(s), func(st ui.State) bool { return st.Screen == s && !st.Busy })
}

// tiles returns the tiles on screen.
func (h *harness) tiles() []*ui.Tile {
	var out []*ui.Tile
	for _, o := range test.LaidOutObjects(h.w.Content()) {
		if t, ok := o.(*ui.Tile); ok && o.Visible() {
			out = append(out, t)
		}
	}
	return out
}

func (h *harness) tile(label string) *ui.Tile {
	h.t.Helper()
	var seen []string
	for _, t := range h.tiles() {
		if t.Label() == label {
			return t
		}
		seen = append(seen, t.Label())
	}
	h.t.Fatalf("no tile %q on screen %s; tiles: %q", label, h.k.State().Screen, seen)
	return nil
}

func (h *harness) hasTile(label string) bool {
	for _, t := range h.tiles() {
		if t.Label() == label {
			return true
		}
	}
	return false
}

func (h *harness) tap(label string) {
	h.t.Helper()
	test.Tap(h.tile(label))
}

// texts returns every text drawn on screen, joined by newlines.
func (h *harness) texts() string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(h.w.Content()) {
		switch x := o.(type) {
		case *canvas.Text:
			b.WriteString(x.Text + "\n")
		case *widget.RichText:
			b.WriteString(x.String() + "\n")
		case *ui.BigText:
			b.WriteString(x.Text() + "\n")
		}
	}
	return b.String()
}

func (h *harness) wantText(s string) {
	h.t.Helper()
	if !strings.Contains(h.texts(), s) {
		h.t.Errorf("screen %s does not show %q; it shows:\n%s", h.k.State().Screen, s, h.texts())
	}
}

// nextTicket waits for the virtual printer's next ticket.
func (h *harness) nextTicket() *virtual.Ticket {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	tk, err := h.vp.Next(ctx)
	if err != nil {
		h.t.Fatalf("the virtual printer printed nothing: %v", err)
	}
	return tk
}

// golden compares the window with testdata/NAME.png (go test -update
// rewrites it). On a difference it writes testdata/failed/NAME.png.
func (h *harness) golden(name string) {
	h.t.Helper()
	img := h.w.Canvas().Capture()
	path := filepath.Join("testdata", name+".png")
	if *update {
		writePNG(h.t, path, img)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		writePNG(h.t, filepath.Join("testdata", "failed", name+".png"), img)
		h.t.Fatalf("golden image %s is missing (run go test ./kiosk/ui -update and look at it): %v", path, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		h.t.Fatal(err)
	}
	if d := diff(want, img); d != "" {
		writePNG(h.t, filepath.Join("testdata", "failed", name+".png"), img)
		h.t.Errorf("screen differs from %s: %s; see testdata/failed/%s.png (after a deliberate change: go test ./kiosk/ui -update)", path, d, name)
	}
}

func diff(a, b image.Image) string {
	if a.Bounds().Size() != b.Bounds().Size() {
		return "size " + a.Bounds().Size().String() + " ≠ " + b.Bounds().Size().String()
	}
	n := 0
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if absd(r1, r2) > 0x1000 || absd(g1, g2) > 0x1000 || absd(b1, b2) > 0x1000 {
				n++
			}
		}
	}
	if n > 0 {
		return strconv.Itoa(n) + " pixels differ"
	}
	return ""
}

func absd(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// tapOffice taps the office's name in the header (the staff gesture).
func (h *harness) tapOffice() {
	h.t.Helper()
	for _, o := range test.LaidOutObjects(h.w.Content()) {
		if _, isTile := o.(*ui.Tile); isTile {
			continue
		}
		if tp, ok := o.(fyne.Tappable); ok {
			test.Tap(tp)
			return
		}
	}
	h.t.Fatal("no office name to tap")
}
