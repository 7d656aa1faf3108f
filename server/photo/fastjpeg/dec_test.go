package fastjpeg

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"testing"
)

// plane is one channel of a decoded picture.
type plane struct {
	pix       []byte
	w, h, str int
}

func (p plane) at(x, y int) int { return int(p.pix[y*p.str+x]) }

// planes are the channels of m: luma alone for grey, else Y, Cb, Cr.
func planes(t *testing.T, m image.Image) []plane {
	t.Helper()
	switch m := m.(type) {
	case *image.Gray:
		b := m.Bounds()
		return []plane{{m.Pix, b.Dx(), b.Dy(), m.Stride}}
	case *image.YCbCr:
		b := m.Bounds()
		cw, ch := b.Dx(), b.Dy()
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio420:
			cw, ch = (cw+1)/2, (ch+1)/2
		case image.YCbCrSubsampleRatio422:
			cw = (cw + 1) / 2
		case image.YCbCrSubsampleRatio440:
			ch = (ch + 1) / 2
		case image.YCbCrSubsampleRatio444:
		default:
			t.Fatalf("ratio %v", m.SubsampleRatio)
		}
		if len(m.Y) < (b.Dy()-1)*m.YStride+b.Dx() || len(m.Cb) < (ch-1)*m.CStride+cw || len(m.Cr) < (ch-1)*m.CStride+cw {
			t.Fatalf("planes too short for %v", b)
		}
		return []plane{{m.Y, b.Dx(), b.Dy(), m.YStride}, {m.Cb, cw, ch, m.CStride}, {m.Cr, cw, ch, m.CStride}}
	}
	t.Fatalf("decoded as %T", m)
	return nil
}

// boxed is p reduced by d, each sample the mean of the d×d it covers,
// for the d×d areas wholly inside p.
func boxed(p plane, d int) plane {
	w, h := p.w/d, p.h/d
	out := plane{make([]byte, w*h), w, h, w}
	for y := range h {
		for x := range w {
			s, n := 0, 0
			for j := y * d; j < min(p.h, (y+1)*d); j++ {
				for i := x * d; i < min(p.w, (x+1)*d); i++ {
					s += p.at(i, j)
					n++
				}
			}
			out.pix[y*w+x] = byte((s + n/2) / n)
		}
	}
	return out
}

// compare returns the largest difference of two planes' samples and
// their PSNR in dB, over want's area (got may be larger).
func compare(t *testing.T, got, want plane) (maxDiff int, psnr float64) {
	t.Helper()
	if got.w < want.w || got.h < want.h {
		t.Fatalf("plane %d×%d, want %d×%d", got.w, got.h, want.w, want.h)
	}
	if want.w*want.h == 0 {
		return 0, math.Inf(1)
	}
	var se float64
	for y := range want.h {
		for x := range want.w {
			d := got.at(x, y) - want.at(x, y)
			maxDiff = max(maxDiff, d, -d)
			se += float64(d * d)
		}
	}
	mse := se / float64(want.w*want.h)
	if mse == 0 {
		return maxDiff, math.Inf(1)
	}
	return maxDiff, 10 * math.Log10(255*255/mse)
}

type testJPEG struct {
	name  string
	data  []byte
	ratio image.YCbCrSubsampleRatio
	gray  bool
	small bool // 16 pixels a side or fewer
}

func stdJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func toGray(m *image.RGBA) *image.Gray {
	g := image.NewGray(m.Bounds())
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			g.Set(x, y, m.At(x, y))
		}
	}
	return g
}

// testJPEGs are the JPEGs of the correctness tests: image/jpeg's own
// (4:2:0 and grey) and the fixtures of every other sampling, restart
// intervals, separate scans and 16-bit tables, at many sizes.
func testJPEGs(t *testing.T, pic func(w, h int, seed uint64) *image.RGBA) []testJPEG {
	var out []testJPEG
	sizes := []image.Point{{1, 1}, {7, 9}, {8, 8}, {16, 16}, {17, 33}, {33, 17}, {100, 75}, {640, 480}}
	for i, sz := range sizes {
		m := pic(sz.X, sz.Y, uint64(i))
		name := fmt.Sprintf("%dx%d", sz.X, sz.Y)
		small := max(sz.X, sz.Y) <= 16
		out = append(out,
			testJPEG{name + "/std-420-q90", stdJPEG(t, m, 90), image.YCbCrSubsampleRatio420, false, small},
			testJPEG{name + "/std-420-q50", stdJPEG(t, m, 50), image.YCbCrSubsampleRatio420, false, small},
			testJPEG{name + "/std-gray-q90", stdJPEG(t, toGray(m), 90), 0, true, small},
		)
		if sz.X > 100 {
			continue // the fixture encoder is slow: small pictures suffice
		}
		for _, f := range []struct {
			name  string
			fx    fixture
			ratio image.YCbCrSubsampleRatio
		}{
			{"444", fixture{h: 1, v: 1, quality: 1}, image.YCbCrSubsampleRatio444},
			{"422", fixture{h: 2, v: 1, quality: 1}, image.YCbCrSubsampleRatio422},
			{"420", fixture{h: 2, v: 2, quality: 2}, image.YCbCrSubsampleRatio420},
			{"440", fixture{h: 1, v: 2, quality: 1}, image.YCbCrSubsampleRatio440},
			{"420-ri1", fixture{h: 2, v: 2, ri: 1, quality: 1}, image.YCbCrSubsampleRatio420},
			{"422-ri3", fixture{h: 2, v: 1, ri: 3, quality: 1}, image.YCbCrSubsampleRatio422},
			{"420-separate", fixture{h: 2, v: 2, separate: true, quality: 1}, image.YCbCrSubsampleRatio420},
			{"444-separate-ri2", fixture{h: 1, v: 1, ri: 2, separate: true, quality: 1}, image.YCbCrSubsampleRatio444},
			{"444-q16", fixture{h: 1, v: 1, q16: true, quality: 3}, image.YCbCrSubsampleRatio444},
			{"gray-ri2", fixture{gray: true, ri: 2, quality: 1}, 0},
		} {
			out = append(out, testJPEG{name + "/fix-" + f.name, fixtureJPEG(m, f.fx), f.ratio, f.fx.gray, small})
		}
	}
	return out
}

// TestDecodeFullSize compares DecodeScaled at 1/1 with image/jpeg sample
// by sample: the two inverse DCTs round differently, by at most a unit or
// two.
func TestDecodeFullSize(t *testing.T) {
	for _, tj := range testJPEGs(t, detailedRGBA) {
		t.Run(tj.name, func(t *testing.T) {
			std, err := jpeg.Decode(bytes.NewReader(tj.data))
			if err != nil {
				t.Fatal(err)
			}
			m, err := DecodeScaled(tj.data, 1)
			if err != nil {
				t.Fatal(err)
			}
			if m.Bounds() != std.Bounds() {
				t.Fatalf("bounds %v, want %v", m.Bounds(), std.Bounds())
			}
			got, want := planes(t, m), planes(t, std)
			if tj.gray {
				checkNeutral(t, m)
				got = got[:1]
			} else if m.SubsampleRatio != tj.ratio {
				t.Fatalf("ratio %v, want %v", m.SubsampleRatio, tj.ratio)
			}
			for i := range want {
				if d, _ := compare(t, got[i], want[i]); d > 2 {
					t.Errorf("plane %d differs by %d", i, d)
				}
			}
		})
	}
}

// checkNeutral checks that a grey JPEG's chroma is 128 throughout.
func checkNeutral(t *testing.T, m *image.YCbCr) {
	t.Helper()
	if m.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		t.Fatalf("grey decoded as %v", m.SubsampleRatio)
	}
	for _, p := range planes(t, m)[1:] {
		for y := range p.h {
			for x := range p.w {
				if p.at(x, y) != 128 {
					t.Fatalf("grey chroma %d at %d,%d", p.at(x, y), x, y)
				}
			}
		}
	}
}

// TestDecodeReduced compares DecodeScaled at 1/2, 1/4 and 1/8 with
// image/jpeg's full decoding box-averaged by the same factor. The two
// are different filters: the DCT-domain reduction drops the block's
// highest frequencies outright, where the box average keeps some of
// them (and the box straddles no block edge, but the reduced IDCT sees
// each block alone). On pictures of smooth content with some noise the
// difference is well below what a viewer sees: PSNR ≥ 35 dB per plane.
// Pictures of 16 pixels or fewer a side are all edge (the disc is a few
// pixels across, its rim a step the reduced transform rings on): 28 dB.
func TestDecodeReduced(t *testing.T) {
	for _, tj := range testJPEGs(t, smooth) {
		minPSNR := 35.0
		if tj.small {
			minPSNR = 28
		}
		std, err := jpeg.Decode(bytes.NewReader(tj.data))
		if err != nil {
			t.Fatal(err)
		}
		want := planes(t, std)
		for _, d := range []int{2, 4, 8} {
			t.Run(fmt.Sprintf("%s/d%d", tj.name, d), func(t *testing.T) {
				m, err := DecodeScaled(tj.data, d)
				if err != nil {
					t.Fatal(err)
				}
				b := std.Bounds()
				if w, h := (b.Dx()+d-1)/d, (b.Dy()+d-1)/d; m.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("bounds %v, want %d×%d", m.Bounds(), w, h)
				}
				got := planes(t, m)
				if tj.gray {
					checkNeutral(t, m)
					got = got[:1]
				}
				for i := range want {
					// The planes' sizes are checked whole; the samples
					// are compared where their area is wholly inside the
					// picture: at the right and bottom edges the block
					// also covers the encoder's padding, which the box
					// average leaves out.
					if got[i].w != (want[i].w+d-1)/d || got[i].h != (want[i].h+d-1)/d {
						t.Fatalf("plane %d: %d×%d", i, got[i].w, got[i].h)
					}
					if _, psnr := compare(t, got[i], boxed(want[i], d)); psnr < minPSNR {
						t.Errorf("plane %d: PSNR %.1f dB", i, psnr)
					}
				}
			})
		}
	}
}

// TestDecodeConfig reads the size without decoding.
func TestDecodeConfig(t *testing.T) {
	data := stdJPEG(t, smooth(123, 45, 1), 80)
	w, h, err := DecodeConfig(data)
	if err != nil || w != 123 || h != 45 {
		t.Fatalf("got %d×%d %v", w, h, err)
	}
}

// TestBadDenom refuses scales other than 1, 2, 4 and 8.
func TestBadDenom(t *testing.T) {
	data := stdJPEG(t, smooth(16, 16, 1), 80)
	for _, d := range []int{0, 3, 16, -1} {
		if _, err := DecodeScaled(data, d); err == nil || errors.Is(err, ErrUnsupported) {
			t.Errorf("denom %d: %v", d, err)
		}
	}
}
