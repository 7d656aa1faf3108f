package fastjpeg

import (
	"errors"
	"fmt"
	"image"
	"io"
)

// errPlanes is returned for an image.YCbCr whose slices are shorter than
// its rectangle and strides say: a broken value, not a variant to hand to
// another encoder.
var errPlanes = errors.New("fastjpeg: image planes are shorter than the rectangle and strides need")

// Encode writes m to w as a baseline JPEG of the given quality (1–100,
// clamped, scaling the example tables of ITU-T T.81 Annex K as the IJG
// software does), with the Annex K Huffman tables and no metadata: no APPn
// or comment segment at all, not even JFIF's APP0 (as image/jpeg writes
// them; the photo pipeline serves files with no application segment, and
// decoders take three components as YCbCr without it).
//
// m must have SubsampleRatio 4:2:0 or 4:4:4 and its Rect at the origin;
// the output is always 4:2:0, a 4:4:4 input having its chroma averaged over
// 2×2 pixels. Any other ratio, a Rect not at the origin, an empty picture or
// one wider or taller than 65,535 pixels gives ErrUnsupported (the caller
// encodes it with image/jpeg). The first error of w is returned.
func Encode(w io.Writer, m *image.YCbCr, quality int) error {
	r := m.Rect
	if r.Min != (image.Point{}) {
		return fmt.Errorf("%w: rectangle %v not at the origin", ErrUnsupported, r)
	}
	width, height := r.Dx(), r.Dy()
	if width <= 0 || height <= 0 || width > 0xFFFF || height > 0xFFFF {
		return fmt.Errorf("%w: %d×%d pixels", ErrUnsupported, width, height)
	}
	var cw, ch int
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio420:
		cw, ch = (width+1)/2, (height+1)/2
	case image.YCbCrSubsampleRatio444:
		cw, ch = width, height
	default:
		return fmt.Errorf("%w: subsample ratio %v", ErrUnsupported, m.SubsampleRatio)
	}
	if !fits(m.Y, m.YStride, width, height) || !fits(m.Cb, m.CStride, cw, ch) || !fits(m.Cr, m.CStride, cw, ch) {
		return errPlanes
	}

	e := &encoder{w: w, buf: make([]byte, bufSize)}
	e.tables(quality)
	e.headers(width, height)
	if m.SubsampleRatio == image.YCbCrSubsampleRatio420 {
		e.scan420(m, width, height)
	} else {
		e.scan444(m, width, height)
	}
	e.finish()
	return e.err
}

// fits reports whether a plane of w×h samples with the given stride lies
// within p.
func fits(p []byte, stride, w, h int) bool {
	return stride >= w && len(p) >= (h-1)*stride+w
}

// bufSize is the size of the encoder's output buffer, written to w when
// nearly full.
const bufSize = 32 << 10

// encoder is one Encode call's state: everything a block needs is here, so
// nothing is allocated per block.
type encoder struct {
	w   io.Writer
	err error
	// buf[:pos] are the bytes not yet written to w.
	buf []byte
	pos int

	// acc holds the n pending bits of the entropy-coded data, the last
	// written in its lowest bits.
	acc uint64
	n   uint

	// quant are the quantisation tables (luma, chroma) in zig-zag order, as
	// written in DQT; recip are the DCT's multipliers that quantise, in
	// zig-zag order too (see enc_block.go).
	quant [2][64]byte
	recip [2][64]float32

	// block is the DCT's work space; coef the quantised coefficients in
	// zig-zag order.
	block [64]float32
	coef  [64]int32
}

// write appends b to the output buffer, sending it to w when full.
func (e *encoder) write(b ...byte) {
	for len(b) > 0 {
		if e.pos == bufSize {
			e.flushBuf()
		}
		n := copy(e.buf[e.pos:], b)
		e.pos += n
		b = b[n:]
	}
}

// flushBuf sends the buffered bytes to w, keeping its first error (after
// which nothing more is written).
func (e *encoder) flushBuf() {
	if e.err == nil && e.pos > 0 {
		_, e.err = e.w.Write(e.buf[:e.pos])
	}
	e.pos = 0
}

func (e *encoder) marker(m byte, length int) {
	e.write(0xFF, m, byte(length>>8), byte(length))
}

// headers writes everything before the entropy-coded data: SOI, DQT,
// SOF0, DHT and SOS.
func (e *encoder) headers(width, height int) {
	e.write(0xFF, 0xD8)

	e.marker(0xDB, 2+2*65)
	for t := range 2 {
		e.write(byte(t)) // 8-bit precision, table t
		e.write(e.quant[t][:]...)
	}

	// Three components: Y sampled 2×2 with table 0, Cb and Cr 1×1 with
	// table 1.
	e.marker(0xC0, 8+3*3)
	e.write(8, byte(height>>8), byte(height), byte(width>>8), byte(width), 3,
		1, 0x22, 0,
		2, 0x11, 1,
		3, 0x11, 1)

	n := 2
	for _, s := range huffSpecs {
		n += 1 + 16 + len(s.vals)
	}
	e.marker(0xC4, n)
	for i, s := range huffSpecs {
		e.write(huffClassID[i])
		e.write(s.bits[:]...)
		e.write(s.vals...)
	}

	e.marker(0xDA, 6+2*3)
	e.write(3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0)
}

// finish pads the last byte of the entropy-coded data with 1-bits (T.81
// F.1.2.3), writes EOI and sends the rest to w.
func (e *encoder) finish() {
	if pad := (8 - e.n%8) % 8; pad > 0 {
		e.emit(1<<pad-1, pad)
	}
	for e.n >= 8 {
		e.n -= 8
		e.byteStuffed(byte(e.acc >> e.n))
	}
	e.write(0xFF, 0xD9)
	e.flushBuf()
}
