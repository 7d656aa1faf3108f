package printer

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"sync"

	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

	"luot/assets/fonts"
)

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
	faceMu   sync.Mutex
	faces    = map[int]font.Face{}
)

// face returns the embedded Vietnamese-capable font at a pixel size, cached.
func face(sizePx int) (font.Face, error) {
	fontOnce.Do(func() { fontData, fontErr = opentype.Parse(fonts.NotoSansMono) })
	if fontErr != nil {
		return nil, fmt.Errorf("printer: embedded font: %w", fontErr)
	}
	faceMu.Lock()
	defer faceMu.Unlock()
	if f, ok := faces[sizePx]; ok {
		return f, nil
	}
	f, err := opentype.NewFace(fontData, &opentype.FaceOptions{Size: float64(sizePx), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("printer: embedded font at %d px: %w", sizePx, err)
	}
	faces[sizePx] = f
	return f, nil
}

// DrawCells draws text into dst in a monospace grid, one character per cell
// of cellW×cellH dots starting at (x, y), in black, the way a printer's
// resident font fills its character cells. Bold is drawn by overstriking one
// dot to the right; underline is a 2-dot rule at the bottom of the cells. It
// returns the x after the last cell. Combining marks are composed first
// (NFC) so that they sit on their letter.
func DrawCells(dst draw.Image, x, y int, text string, cellW, cellH int, bold, underline bool) (int, error) {
	size := cellW * 5 / 3 // Noto Sans Mono advances 0.6 em
	if m := cellH * 4 / 5; size > m {
		size = m
	}
	if size < 6 {
		size = 6
	}
	f, err := face(size)
	if err != nil {
		return x, err
	}
	baseline := y + cellH*4/5
	start := x
	for _, r := range norm.NFC.String(text) {
		adv, ok := f.GlyphAdvance(r)
		if !ok {
			r = '?'
			adv, _ = f.GlyphAdvance(r)
		}
		off := (fixed.I(cellW) - adv) / 2
		strokes := 1
		if bold {
			strokes += max(1, cellW/12) // overstrike grows with the magnification
		}
		for i := 0; i < strokes; i++ {
			d := font.Drawer{Dst: dst, Src: image.Black, Face: f,
				Dot: fixed.Point26_6{X: fixed.I(x+i) + off, Y: fixed.I(baseline)}}
			d.DrawString(string(r))
		}
		x += cellW
	}
	if underline && x > start {
		draw.Draw(dst, image.Rect(start, y+cellH-2, x, y+cellH), image.Black, image.Point{}, draw.Src)
	}
	return x, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NewPaper returns a white image w dots wide and h dots tall.
func NewPaper(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	return img
}

// Threshold turns anti-aliased grey into the black and white of a thermal
// print: a dot is black when it is darker than mid-grey.
func Threshold(img *image.Gray) {
	for i, v := range img.Pix {
		if v < 0x80 {
			img.Pix[i] = 0
		} else {
			img.Pix[i] = 0xFF
		}
	}
}

// RenderLine draws one line of text the full paper width, aligned, at the
// size of the style (font A cells of 12×24 dots times the magnification),
// for printers without a table for its characters. The result is thresholded
// to black and white.
func RenderLine(text string, st Style, p Profile) (*image.Gray, error) {
	fa := p.Fonts[0]
	cw, ch := fa.Width*st.width(), fa.Height*st.height()
	n := len([]rune(norm.NFC.String(text)))
	img := NewPaper(p.WidthDots, ch)
	x := 0
	switch st.Align {
	case AlignCenter:
		x = (p.WidthDots - n*cw) / 2
	case AlignRight:
		x = p.WidthDots - n*cw
	}
	if x < 0 {
		x = 0
	}
	if _, err := DrawCells(img, x, 0, text, cw, ch, st.Bold, st.Underline); err != nil {
		return nil, err
	}
	Threshold(img)
	return img, nil
}

// QRLevel is the error-correction level of a QR code.
type QRLevel byte

// QR error-correction levels, with the GS ( k function 169 parameter.
const (
	QRLevelL QRLevel = 48
	QRLevelM QRLevel = 49
	QRLevelQ QRLevel = 50
	QRLevelH QRLevel = 51
)

func (l QRLevel) recovery() qrcode.RecoveryLevel {
	switch l {
	case QRLevelL:
		return qrcode.Low
	case QRLevelQ:
		return qrcode.High
	case QRLevelH:
		return qrcode.Highest
	}
	return qrcode.Medium
}

// String returns L, M, Q or H.
func (l QRLevel) String() string {
	switch l {
	case QRLevelL:
		return "L"
	case QRLevelM:
		return "M"
	case QRLevelQ:
		return "Q"
	case QRLevelH:
		return "H"
	}
	return fmt.Sprintf("QRLevel(%d)", byte(l))
}

// QRModules returns the module matrix of a model 2 QR code for data (true =
// dark), without quiet zone.
func QRModules(data string, level QRLevel) ([][]bool, error) {
	q, err := qrcode.New(data, level.recovery())
	if err != nil {
		return nil, fmt.Errorf("printer: QR code for %d bytes: %w", len(data), err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// DrawQR draws a QR code with module×module dots per module, its top-left
// corner at (x, y). It returns the side in dots.
func DrawQR(dst draw.Image, x, y int, data string, module int, level QRLevel) (int, error) {
	m, err := QRModules(data, level)
	if err != nil {
		return 0, err
	}
	for r, row := range m {
		for c, dark := range row {
			if dark {
				draw.Draw(dst, image.Rect(x+c*module, y+r*module, x+(c+1)*module, y+(r+1)*module), image.Black, image.Point{}, draw.Src)
			}
		}
	}
	return len(m) * module, nil
}

// PackRaster packs a black-and-white image into GS v 0 data: rows of
// ceil(w/8) bytes, most significant bit leftmost, 1 = black.
func PackRaster(img image.Image) (widthBytes, height int, data []byte) {
	b := img.Bounds()
	widthBytes = (b.Dx() + 7) / 8
	height = b.Dy()
	data = make([]byte, widthBytes*height)
	for y := 0; y < height; y++ {
		for x := 0; x < b.Dx(); x++ {
			g := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
			if g.Y < 0x80 {
				data[y*widthBytes+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return
}

// UnpackRaster is the inverse of PackRaster.
func UnpackRaster(widthBytes, height int, data []byte) *image.Gray {
	img := NewPaper(widthBytes*8, height)
	for y := 0; y < height; y++ {
		for x := 0; x < widthBytes*8; x++ {
			i := y*widthBytes + x/8
			if i < len(data) && data[i]&(0x80>>(x%8)) != 0 {
				img.Pix[y*img.Stride+x] = 0
			}
		}
	}
	return img
}

// FontCovers reports whether the embedded font has a glyph for r, i.e.
// whether a raster line can show it.
func FontCovers(r rune) bool {
	f, err := face(20)
	if err != nil {
		return false
	}
	_, ok := f.GlyphAdvance(r)
	return ok
}
