package photo

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"testing"
)

// convert is m drawn into a picture of another kind.
func convert[T draw.Image](m image.Image, dst T) T {
	draw.Draw(dst, dst.Bounds(), m, image.Point{}, draw.Src)
	return dst
}

func TestPixelFormats(t *testing.T) {
	up := marked(90, 60, [4]int{0, 1, 2, 3})
	r := up.Bounds()
	pal := color.Palette{color.Black, cornerColours[0], cornerColours[1], cornerColours[2], cornerColours[3]}
	// image/png writes no interlaced PNG: this one is grey, 16×16, its
	// pixels in Adam7's seven passes, and the upper half white.
	interlaced := func() []byte {
		ihdr := []byte{0, 0, 0, 16, 0, 0, 0, 16, 8, 0, 0, 0, 1}
		var raw []byte
		for _, pass := range [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
			for y := pass[1]; y < 16; y += pass[3] {
				raw = append(raw, 0) // filter: none
				for x := pass[0]; x < 16; x += pass[2] {
					raw = append(raw, byte(255*(1-y/8)))
				}
			}
		}
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(raw)
		zw.Close()
		b := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
		b = append(b, pngChunk("IDAT", z.Bytes())...)
		return append(b, pngChunk("IEND", nil)...)
	}
	for name, src := range map[string][]byte{
		"png rgba 16-bit": encodePNG(t, convert(up, image.NewRGBA64(r))),
		"png paletted":    encodePNG(t, convert(up, image.NewPaletted(r, pal))),
		"png nrgba":       encodePNG(t, convert(up, image.NewNRGBA(r))),
		"png nrgba64":     encodePNG(t, convert(up, image.NewNRGBA64(r))),
		"jpeg cmyk":       encodeJPEG(t, convert(up, image.NewCMYK(r)), 95),
	} {
		res, err := Process(bytes.NewReader(src), Limits{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		m := decode(t, res.JPEG)
		for k := range 4 {
			if got := cornerOf(m, k); got != k {
				t.Errorf("%s: corner %d shows %d", name, k, got)
			}
		}
	}
	// Grey stays grey, in a JPEG and a PNG.
	grey := convert(up, image.NewGray(r))
	for name, src := range map[string][]byte{"jpeg grey": encodeJPEG(t, grey, 95), "png grey": encodePNG(t, grey), "png grey 16-bit": encodePNG(t, convert(up, image.NewGray16(r)))} {
		res, err := Process(bytes.NewReader(src), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m := decode(t, res.JPEG)
		want := int(grey.GrayAt(85, 55).Y) // white's grey
		if c := int(color.GrayModel.Convert(m.At(85, 55)).(color.Gray).Y); c+12 < want || c > want+12 {
			t.Errorf("%s: bottom right %d, want about %d", name, c, want)
		}
		rr, g, b, _ := m.At(5, 5).RGBA()
		if d := int(rr>>8) - int(b>>8); d > 12 || d < -12 || int(g>>8)-int(b>>8) > 12 {
			t.Errorf("%s: grey came out coloured: %d,%d,%d", name, rr>>8, g>>8, b>>8)
		}
	}
	if _, err := png.Decode(bytes.NewReader(interlaced())); err != nil {
		t.Fatalf("the test's interlaced PNG: %v", err)
	}
	res, err := Process(bytes.NewReader(interlaced()), Limits{})
	if err != nil || res.Width != 16 {
		t.Fatalf("interlaced PNG: %v", err)
	}
	m := decode(t, res.JPEG)
	if a, b := color.GrayModel.Convert(m.At(8, 2)).(color.Gray).Y, color.GrayModel.Convert(m.At(8, 13)).(color.Gray).Y; a < 240 || b > 15 {
		t.Errorf("interlaced PNG: upper half %d, lower half %d, want white and black", a, b)
	}
}

func TestEverySubsampling(t *testing.T) {
	// The decoders hand YCbCr of any subsampling (4:4:4 and 4:2:2 from
	// cameras); each is scaled plane by plane.
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		for _, size := range []image.Point{{96, 64}, {2101, 1050}} {
			up := marked(size.X, size.Y, [4]int{0, 1, 2, 3})
			m := image.NewYCbCr(up.Bounds(), ratio)
			for y := range size.Y {
				for x := range size.X {
					c := up.RGBAAt(x, y)
					yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
					m.Y[m.YOffset(x, y)], m.Cb[m.COffset(x, y)], m.Cr[m.COffset(x, y)] = yy, cb, cr
				}
			}
			res, err := finish(m, 1, DefaultLimits, TypeJPEG)
			if err != nil {
				t.Fatal(err)
			}
			out := decode(t, res.JPEG)
			for k := range 4 {
				if got := cornerOf(out, k); got != k {
					t.Errorf("%v at %v: corner %d shows %d", ratio, size, k, got)
				}
			}
		}
	}
}

func TestExtremeShapes(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {1, 5000}, {5000, 1}, {2048, 2048}, {2049, 3}} {
		src := encodePNG(t, image.NewGray(image.Rect(0, 0, size.X, size.Y)))
		res, err := Process(bytes.NewReader(src), Limits{})
		if err != nil {
			t.Errorf("%v: %v", size, err)
			continue
		}
		w, h := fit(size.X, size.Y, 2048)
		if res.Width != w || res.Height != h || max(w, h) > 2048 || min(w, h) < 1 {
			t.Errorf("%v: made %d×%d, want %d×%d", size, res.Width, res.Height, w, h)
		}
		if th := decode(t, res.Thumb).Bounds(); max(th.Dx(), th.Dy()) > 320 || min(th.Dx(), th.Dy()) < 1 {
			t.Errorf("%v: thumbnail %v", size, th)
		}
	}
}
