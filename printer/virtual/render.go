package virtual

import (
	"fmt"
	"image"
	"image/draw"
	"strings"
	"unicode/utf8"

	"luot/printer"
)

// margin is the blank paper above and below a rendered ticket, in dots.
const margin = 16

// MaxPageDots caps the length of a rendered page: 32,000 dots is 4 m of
// paper at 203 dpi, where a ticket takes about 1,000. A stream of feeds or
// tall images, by mistake or by malice, would otherwise ask for gigabytes;
// the PNG of a longer page stops there (RenderText still has all of it).
const MaxPageDots = 32000

// lineGap is the space between two text lines, in dots (font A cells are 24
// dots tall and Epson's default line spacing is about 30).
const lineGap = 6

func blockHeight(b Block, p printer.Profile) int {
	fa := p.Fonts[0]
	switch b := b.(type) {
	case *TextLine:
		h := fa.Height
		for _, r := range b.Runs {
			h = max(h, fa.Height*r.H)
		}
		return h + lineGap
	case *Raster:
		return b.Image.Bounds().Dy()
	case *QR:
		m, err := printer.QRModules(b.Data, b.Level)
		if err != nil {
			return fa.Height
		}
		return len(m)*max(b.Module, 1) + 2*lineGap
	case *Feed:
		return b.Dots
	}
	return 0
}

func alignX(a printer.Align, width, total int) int {
	switch a {
	case printer.AlignCenter:
		return max(0, (total-width)/2)
	case printer.AlignRight:
		return max(0, total-width)
	}
	return 0
}

// RenderPNG draws a page as a thermal printer of profile p would print it:
// text in the embedded font in font A cells scaled by GS !, raster images,
// QR codes, on paper p.WidthDots wide, black on white.
func RenderPNG(pg Page, p printer.Profile) (*image.Gray, error) {
	fa := p.Fonts[0]
	h := 2 * margin
	for _, b := range pg.Blocks {
		h = min(h+blockHeight(b, p), MaxPageDots)
	}
	img := printer.NewPaper(p.WidthDots, h)
	y := margin
	for _, b := range pg.Blocks {
		if y >= h {
			break // MaxPageDots reached: the rest would be drawn off the paper
		}
		bh := blockHeight(b, p)
		switch b := b.(type) {
		case *TextLine:
			width := 0
			for _, r := range b.Runs {
				width += utf8.RuneCountInString(r.Text) * fa.Width * r.W
			}
			x := alignX(b.Align, width, p.WidthDots)
			for _, r := range b.Runs {
				top := y + (bh - lineGap - fa.Height*r.H)
				var err error
				x, err = printer.DrawCells(img, x, top, r.Text, fa.Width*r.W, fa.Height*r.H, r.Bold, r.Underline)
				if err != nil {
					return nil, err
				}
			}
		case *Raster:
			x := alignX(b.Align, b.Image.Bounds().Dx(), p.WidthDots)
			draw.Draw(img, image.Rect(x, y, x+b.Image.Bounds().Dx(), y+bh), b.Image, image.Point{}, draw.Src)
		case *QR:
			m, err := printer.QRModules(b.Data, b.Level)
			if err == nil {
				side := len(m) * max(b.Module, 1)
				if _, err := printer.DrawQR(img, alignX(b.Align, side, p.WidthDots), y+lineGap, b.Data, max(b.Module, 1), b.Level); err != nil {
					return nil, err
				}
			}
		}
		y += bh
	}
	printer.Threshold(img)
	return img, nil
}

// RenderText writes a page as UTF-8 text: each text line padded to its
// alignment in the columns its character width allows, raster images as
// "[raster W×H]", QR codes as "[QR module=M level=L] data", fed lines as
// blank lines and the cut as a last "[cut …]" line.
func RenderText(pg Page, p printer.Profile) string {
	var sb strings.Builder
	cols := p.Columns()
	for _, b := range pg.Blocks {
		switch b := b.(type) {
		case *TextLine:
			w := 1
			for _, r := range b.Runs {
				w = max(w, r.W)
			}
			t := b.Text()
			n := utf8.RuneCountInString(t)
			pad := 0
			switch b.Align {
			case printer.AlignCenter:
				pad = (cols/w - n) / 2
			case printer.AlignRight:
				pad = cols/w - n
			}
			line := strings.Repeat(" ", max(pad, 0)) + t
			if w > 1 || b.Runs != nil && b.Runs[0].H > 1 {
				line += fmt.Sprintf("   «%d×%d»", w, b.Runs[0].H)
			}
			sb.WriteString(strings.TrimRight(line, " "))
			sb.WriteByte('\n')
		case *Raster:
			r := b.Image.Bounds()
			fmt.Fprintf(&sb, "[raster %d×%d]\n", r.Dx(), r.Dy())
		case *QR:
			fmt.Fprintf(&sb, "[QR module=%d level=%s] %s\n", b.Module, b.Level, b.Data)
		case *Feed:
			for i := 0; i < b.Dots/lineFeedDots; i++ {
				sb.WriteByte('\n')
			}
		}
	}
	if pg.Partial {
		sb.WriteString("[cut partial]\n")
	} else {
		sb.WriteString("[cut full]\n")
	}
	return sb.String()
}
