package photo

import (
	"image"
	"image/color"
)

// The photo is scaled in YCbCr, plane by plane, by area averaging: each
// output sample is the mean of the input it covers, weighted by how much
// of each input sample it covers. For shrinking this is the filter that
// leaves no aliasing and needs no more than two rows of buffer, where
// x/image/draw's CatmullRom keeps a float64 copy of the half-scaled
// picture (196 MB for 12 megapixels) and ApproxBiLinear samples only
// four pixels of each area. A JPEG's planes are scaled as they come out
// of the decoder, without turning them into RGB and back.

// plane is one channel of 8-bit samples.
type plane struct {
	pix          []byte
	w, h, stride int
}

func newPlane(w, h int) plane {
	return plane{pix: make([]byte, w*h), w: w, h: h, stride: w}
}

// ycc is a picture as three planes; the chroma planes are either the size
// of the luma plane (4:4:4) or half of it rounded up (4:2:0).
type ycc struct {
	y, cb, cr plane
}

func (p ycc) ratio() image.YCbCrSubsampleRatio {
	if p.cb.w == p.y.w && p.cb.h == p.y.h {
		return image.YCbCrSubsampleRatio444
	}
	return image.YCbCrSubsampleRatio420
}

func (p ycc) image() *image.YCbCr {
	return &image.YCbCr{
		Y: p.y.pix, Cb: p.cb.pix, Cr: p.cr.pix,
		YStride: p.y.stride, CStride: p.cb.stride,
		SubsampleRatio: p.ratio(),
		Rect:           image.Rect(0, 0, p.y.w, p.y.h),
	}
}

// taps are the weights of area averaging n samples down to m ≤ n: output
// i takes count[i] inputs from first[i] with the weights w[off[i]:].
type taps struct {
	first, count, off []int32
	w                 []float32
}

func newTaps(n, m int) taps {
	t := taps{first: make([]int32, m), count: make([]int32, m), off: make([]int32, m)}
	scale := float64(n) / float64(m)
	for i := range m {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		first := int(lo)
		last := min(n-1, int(hi-1e-9))
		t.first[i], t.count[i], t.off[i] = int32(first), int32(last-first+1), int32(len(t.w))
		for s := first; s <= last; s++ {
			cover := min(hi, float64(s+1)) - max(lo, float64(s))
			t.w = append(t.w, float32(cover/scale))
		}
	}
	return t
}

// filterRow applies taps to one row of nc interleaved channels.
func filterRow(t taps, nc int, in, out []float32) {
	for x := range t.first {
		f, n, o := int(t.first[x])*nc, int(t.count[x]), int(t.off[x])
		ws := t.w[o : o+n]
		for c := range nc {
			var s float32
			for k, w := range ws {
				s += w * in[f+k*nc+c]
			}
			out[x*nc+c] = s
		}
	}
}

// resample scales a picture of sh rows down to dh rows of dw samples of
// nc channels (interleaved). horizontal gives input row y already scaled
// to dw samples; resample asks for the rows in order, each at most once,
// and gives dst the output rows in order. The slices are reused.
func resample(sh, dw, dh, nc int, horizontal func(y int, out []float32), dst func(y int, row []float32)) {
	vy := newTaps(sh, dh)
	cache, acc := make([]float32, dw*nc), make([]float32, dw*nc)
	cached := -1
	for j := range dh {
		clear(acc)
		f, n, o := int(vy.first[j]), int(vy.count[j]), int(vy.off[j])
		for k := range n {
			if f+k != cached {
				horizontal(f+k, cache)
				cached = f + k
			}
			w := vy.w[o+k]
			for i, v := range cache {
				acc[i] += w * v
			}
		}
		dst(j, acc)
	}
}

func clamp8(v float32) byte {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return byte(v + 0.5)
}

// scaled is p scaled down to w×h; p itself when it has that size (the
// planes are never written once made).
func (p plane) scaled(w, h int) plane {
	if w == p.w && h == p.h {
		return p
	}
	out := newPlane(w, h)
	hx := newTaps(p.w, w)
	resample(p.h, w, h, 1, func(y int, out []float32) {
		// The samples are read as bytes where they lie.
		in := p.pix[y*p.stride : y*p.stride+p.w]
		for x := range out {
			f, n, o := int(hx.first[x]), int(hx.count[x]), int(hx.off[x])
			var s float32
			for k, w := range hx.w[o : o+n] {
				s += w * float32(in[f+k])
			}
			out[x] = s
		}
	}, func(y int, row []float32) {
		o := out.pix[y*out.stride : y*out.stride+w]
		for x, v := range row {
			o[x] = clamp8(v)
		}
	})
	return out
}

func half(n int) int { return (n + 1) / 2 }

// scaled420 is p scaled down to w×h with chroma of half the size.
func (p ycc) scaled420(w, h int) ycc {
	return ycc{y: p.y.scaled(w, h), cb: p.cb.scaled(half(w), half(h)), cr: p.cr.scaled(half(w), half(h))}
}

// chromaSize is the size of the chroma planes of a w×h image.YCbCr whose
// rectangle starts at the origin.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return half(w), h
	case image.YCbCrSubsampleRatio420:
		return half(w), half(h)
	case image.YCbCrSubsampleRatio440:
		return w, half(h)
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, half(h)
	}
	return w, h
}

// scaled is m scaled down to w×h (or copied, at its size) as planes.
func scaled(m image.Image, w, h int) ycc {
	b := m.Bounds()
	if b.Min == (image.Point{}) {
		switch m := m.(type) {
		case *image.YCbCr:
			cw, ch := chromaSize(m.SubsampleRatio, b.Dx(), b.Dy())
			src := ycc{
				y:  plane{pix: m.Y, w: b.Dx(), h: b.Dy(), stride: m.YStride},
				cb: plane{pix: m.Cb, w: cw, h: ch, stride: m.CStride},
				cr: plane{pix: m.Cr, w: cw, h: ch, stride: m.CStride},
			}
			return src.scaled420(w, h)
		case *image.Gray:
			gray := plane{pix: m.Pix, w: b.Dx(), h: b.Dy(), stride: m.Stride}
			out := ycc{y: gray.scaled(w, h), cb: newPlane(half(w), half(h)), cr: newPlane(half(w), half(h))}
			for i := range out.cb.pix {
				out.cb.pix[i], out.cr.pix[i] = 128, 128
			}
			return out
		}
	}
	// Any other picture is read pixel by pixel, made opaque on white, and
	// scaled in full-resolution YCbCr.
	out := ycc{y: newPlane(w, h), cb: newPlane(w, h), cr: newPlane(w, h)}
	read := pixelReader(m)
	hx := newTaps(b.Dx(), w)
	row := make([]float32, 3*b.Dx())
	resample(b.Dy(), w, h, 3, func(y int, out []float32) {
		for x := range b.Dx() {
			r, g, bl := read(b.Min.X+x, b.Min.Y+y)
			row[3*x] = 0.299*r + 0.587*g + 0.114*bl
			row[3*x+1] = 128 - 0.168736*r - 0.331264*g + 0.5*bl
			row[3*x+2] = 128 + 0.5*r - 0.418688*g - 0.081312*bl
		}
		filterRow(hx, 3, row, out)
	}, func(y int, row []float32) {
		for x := range w {
			o := y*w + x
			out.y.pix[o], out.cb.pix[o], out.cr.pix[o] = clamp8(row[3*x]), clamp8(row[3*x+1]), clamp8(row[3*x+2])
		}
	})
	return out
}

// pixelReader reads a pixel of m as 8-bit RGB (as floats) on white.
func pixelReader(m image.Image) func(x, y int) (r, g, b float32) {
	switch m := m.(type) {
	case *image.NRGBA:
		return func(x, y int) (float32, float32, float32) {
			p := m.Pix[m.PixOffset(x, y):]
			a := float32(p[3]) / 255
			bg := 255 * (1 - a)
			return float32(p[0])*a + bg, float32(p[1])*a + bg, float32(p[2])*a + bg
		}
	case *image.RGBA:
		return func(x, y int) (float32, float32, float32) {
			p := m.Pix[m.PixOffset(x, y):]
			bg := float32(255 - p[3])
			return float32(p[0]) + bg, float32(p[1]) + bg, float32(p[2]) + bg
		}
	case image.RGBA64Image:
		return func(x, y int) (float32, float32, float32) {
			c := m.RGBA64At(x, y)
			bg := float32(0xFFFF - c.A)
			return (float32(c.R) + bg) / 257, (float32(c.G) + bg) / 257, (float32(c.B) + bg) / 257
		}
	}
	return func(x, y int) (float32, float32, float32) {
		c := color.RGBA64Model.Convert(m.At(x, y)).(color.RGBA64)
		bg := float32(0xFFFF - c.A)
		return (float32(c.R) + bg) / 257, (float32(c.G) + bg) / 257, (float32(c.B) + bg) / 257
	}
}

// orient turns p upright from EXIF orientation o (2–8 mirror and turn it;
// 1 and anything else leave it).
func (p ycc) orient(o int) ycc {
	if o < 2 || o > 8 {
		return p
	}
	return ycc{y: p.y.orient(o), cb: p.cb.orient(o), cr: p.cr.orient(o)}
}

// orient is p turned upright from EXIF orientation o: output pixel (x, y)
// is input pixel (ax·x + bx·y + cx, ay·x + by·y + cy).
func (p plane) orient(o int) plane {
	w, h := p.w, p.h
	var ax, bx, cx, ay, by, cy int
	switch o {
	case 2: // mirrored left to right
		ax, cx, by = -1, w-1, 1
	case 3: // turned half round
		ax, cx, by, cy = -1, w-1, -1, h-1
	case 4: // mirrored top to bottom
		ax, by, cy = 1, -1, h-1
	case 5: // mirrored along the main diagonal
		bx, ay = 1, 1
	case 6: // to be turned a quarter clockwise
		bx, ay, cy = 1, -1, h-1
	case 7: // mirrored along the other diagonal
		bx, cx, ay, cy = -1, w-1, -1, h-1
	case 8: // to be turned a quarter anticlockwise
		bx, cx, ay = -1, w-1, 1
	default:
		return p
	}
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := newPlane(ow, oh)
	step := ax + ay*p.stride
	for y := range oh {
		s := (bx*y + cx) + (by*y+cy)*p.stride
		row := out.pix[y*ow : y*ow+ow]
		for x := range row {
			row[x] = p.pix[s]
			s += step
		}
	}
	return out
}
