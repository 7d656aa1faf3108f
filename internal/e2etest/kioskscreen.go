package e2etest

import "image"

// Reading the kiosk's screen in a screenshot: the end-to-end tests find
// where to tap and what the kiosk shows by its colours (the default
// theme's), not by coordinates written in advance.

// KioskPrimaryRuns returns the vertical runs [y0, y1) of the kiosk's
// primary colour (the default deep red: service tiles and buttons) down
// the column x, ignoring runs of 20 pixels or less.
func KioskPrimaryRuns(img image.Image, x int) [][2]int {
	var runs [][2]int
	in := -1
	b := img.Bounds()
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		red := false
		if y < b.Max.Y {
			r, g, bl, _ := img.At(x, y).RGBA()
			red = r>>8 > 120 && r>>8 < 190 && g>>8 < 60 && bl>>8 < 70
		}
		switch {
		case red && in < 0:
			in = y
		case !red && in >= 0:
			if y-in > 20 {
				runs = append(runs, [2]int{in, y})
			}
			in = -1
		}
	}
	return runs
}

// KioskPrintedShown reports whether the kiosk's result screen says the
// ticket was printed: its printing line turns from black to the theme's
// green.
func KioskPrintedShown(img image.Image) bool {
	b := img.Bounds()
	n := 0
	for y := b.Dy() / 2; y < b.Dy()*85/100; y += 2 {
		for x := 0; x < b.Dx()*2/3; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 40 && g>>8 > 70 && g>>8 < 120 && bl>>8 > 25 && bl>>8 < 70 {
				n++
			}
		}
	}
	return n > 50
}
