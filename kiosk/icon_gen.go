//go:build ignore

// icon_gen draws the application icons of the kiosk and the display (512×512
// PNG), named by their FyneApp.toml files for `fyne package`:
//
//	go run ./kiosk/icon_gen.go    # from the repository root
//
// The kiosk's icon is a printed ticket (the office's deep red behind a
// white ticket with its big number and text lines); the display's is the
// waiting-room board (a screen in the board's navy with the latest call in
// yellow). Both are plain shapes, so that they stay sharp at any size.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 512

var (
	red    = color.NRGBA{0x9b, 0x11, 0x1e, 0xff} // the kiosk's primary colour
	navy   = color.NRGBA{0x0b, 0x1f, 0x3a, 0xff} // the board's background
	yellow = color.NRGBA{0xff, 0xd5, 0x4f, 0xff} // the board's numbers
	white  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	ink    = color.NRGBA{0x22, 0x22, 0x22, 0xff}
	grey   = color.NRGBA{0x9a, 0xa4, 0xb1, 0xff}
)

// canvas is an image with anti-aliased rounded rectangles and circles.
type canvas struct{ *image.NRGBA }

// fill paints the pixels whose coverage (0–1, sampled 4×4) inside is > 0.
func (c canvas) fill(col color.NRGBA, inside func(x, y float64) bool) {
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			n := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					if inside(float64(px)+(float64(sx)+0.5)/4, float64(py)+(float64(sy)+0.5)/4) {
						n++
					}
				}
			}
			if n == 0 {
				continue
			}
			a := float64(n) / 16 * float64(col.A) / 255
			old := c.NRGBAAt(px, py)
			mix := func(o, n uint8) uint8 { return uint8(math.Round(float64(o)*(1-a) + float64(n)*a)) }
			oa := float64(old.A) / 255
			c.SetNRGBA(px, py, color.NRGBA{mix(old.R, col.R), mix(old.G, col.G), mix(old.B, col.B), uint8(math.Round(255 * (a + oa*(1-a))))})
		}
	}
}

// rrect reports whether (x, y) is inside the rectangle [x0,x1)×[y0,y1)
// with corners of radius r.
func rrect(x0, y0, x1, y1, r float64) func(x, y float64) bool {
	return func(x, y float64) bool {
		if x < x0 || x >= x1 || y < y0 || y >= y1 {
			return false
		}
		cx := math.Max(x0+r, math.Min(x, x1-r))
		cy := math.Max(y0+r, math.Min(y, y1-r))
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
}

func circle(cx, cy, r float64) func(x, y float64) bool {
	return func(x, y float64) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
}

func and(a func(x, y float64) bool, nots ...func(x, y float64) bool) func(x, y float64) bool {
	return func(x, y float64) bool {
		if !a(x, y) {
			return false
		}
		for _, n := range nots {
			if n(x, y) {
				return false
			}
		}
		return true
	}
}

func kiosk() image.Image {
	c := canvas{image.NewNRGBA(image.Rect(0, 0, size, size))}
	c.fill(red, rrect(16, 16, 496, 496, 96))
	// The ticket, with a notch on each side where it tears off.
	c.fill(white, and(rrect(136, 64, 376, 448, 20), circle(136, 300, 22), circle(376, 300, 22)))
	// Office line, the big number, the service line, then the QR corner.
	c.fill(grey, rrect(176, 104, 336, 124, 10))
	c.fill(red, rrect(176, 150, 336, 250, 18))
	c.fill(ink, rrect(176, 270, 336, 286, 8))
	c.fill(grey, rrect(176, 330, 256, 410, 6))
	c.fill(white, rrect(192, 346, 240, 394, 4))
	c.fill(ink, rrect(204, 358, 228, 382, 3))
	c.fill(grey, rrect(272, 346, 336, 360, 7))
	c.fill(grey, rrect(272, 376, 316, 390, 7))
	return c
}

func display() image.Image {
	c := canvas{image.NewNRGBA(image.Rect(0, 0, size, size))}
	c.fill(navy, rrect(16, 16, 496, 496, 96))
	// The screen on its stand.
	c.fill(white, rrect(64, 100, 448, 356, 20))
	c.fill(navy, rrect(80, 116, 432, 340, 10))
	c.fill(white, rrect(236, 356, 276, 400, 0))
	c.fill(white, rrect(176, 396, 336, 416, 10))
	// The latest call: the number big in yellow, an arrow, the counter.
	c.fill(yellow, rrect(112, 150, 290, 236, 14))
	c.fill(yellow, func(x, y float64) bool { return x >= 306 && x < 340 && math.Abs(y-193) <= (340-x)*0.9 })
	c.fill(yellow, rrect(350, 150, 400, 236, 14))
	// Recent calls.
	c.fill(grey, rrect(112, 266, 400, 282, 8))
	c.fill(grey, rrect(112, 298, 320, 314, 8))
	return c
}

func save(path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	save("kiosk/Icon.png", kiosk())
	save("display/Icon.png", display())
}
