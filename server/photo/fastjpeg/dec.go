package fastjpeg

import (
	"errors"
	"fmt"
	"image"
	"math/bits"
)

// Markers (T.81 table B.1), the byte after 0xFF.
const (
	mSOF0  = 0xC0 // baseline sequential, Huffman
	mSOF1  = 0xC1 // extended sequential, Huffman
	mDHT   = 0xC4
	mRST0  = 0xD0
	mRST7  = 0xD7
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mDQT   = 0xDB
	mDNL   = 0xDC
	mDRI   = 0xDD
	mAPP0  = 0xE0
	mAPP14 = 0xEE
	mAPP15 = 0xEF
	mCOM   = 0xFE
)

// dests maps, for each scale 1/1, 1/2, 1/4 and 1/8, the zig-zag order
// to the places in the block of the coefficients the reduced transform
// uses, and the others to 64.
var dests = func() (t [4][64]uint8) {
	for i := range 4 {
		n := 8 >> i
		for k, z := range unzig {
			t[i][k] = 64
			if int(z/8) < n && int(z%8) < n {
				t[i][k] = z
			}
		}
	}
	return t
}()

// maxSide is the longest side accepted, in pixels.
const maxSide = 65535

func formatError(format string, a ...any) error {
	return fmt.Errorf("fastjpeg: invalid JPEG: "+format, a...)
}

var errTruncated = errors.New("fastjpeg: invalid JPEG: truncated data")

// component is one of a frame's components and, during a scan, its
// decoding state.
type component struct {
	id      uint8
	h, v    int // sampling factors
	tq      uint8
	decoded bool
	// pix is the component's plane at the output scale, as wide and
	// high as the frame's MCUs cover, stride bytes a row.
	pix    []byte
	stride int
	// The scan's tables and DC prediction.
	q      [64]int32 // quantization, zig-zag order
	dc, ac *huffTable
	pred   int32
}

type decoder struct {
	data  []byte
	pos   int
	w, h  int
	ncomp int
	comp  [3]component
	hmax  int
	vmax  int
	// adobe is whether an Adobe APP14 segment was seen, with its colour
	// transform.
	adobe     bool
	transform byte
	frame     bool
	q         [4][64]int32
	qok       [4]bool
	dc, ac    [4]huffTable
	ri        int
	denom     int
	// size is the side of a block at the output scale, zzMax the last
	// zig-zag index of the coefficients its transform uses.
	size  int
	zzMax int
	// blk is the block being decoded, and slot 64 for the coefficients
	// the reduced transform drops; dst maps the zig-zag order to blk. It
	// has a slot for any byte so that the index needs no bounds check.
	blk [256]int32
	dst *[64]uint8
	ws  [64]int // the 8×8 transform's intermediate results
	br  bitReader
}

// DecodeConfig reads the size of a baseline JPEG from its frame header.
// It returns ErrUnsupported for the JPEGs DecodeScaled does not decode.
func DecodeConfig(data []byte) (w, h int, err error) {
	d := &decoder{data: data}
	if err := d.run(true); err != nil {
		return 0, 0, err
	}
	return d.w, d.h, nil
}

// DecodeScaled decodes a baseline JPEG at 1/denom of its size (denom 1,
// 2, 4 or 8): a w×h picture comes out ⌈w/denom⌉×⌈h/denom⌉, each 8×8
// block reduced in the DCT domain to (8/denom)×(8/denom) samples by the
// inverse transform of its lowest coefficients. Three-component YCbCr
// JPEGs keep their chroma subsampling (4:4:4, 4:2:2, 4:2:0 or 4:4:0);
// a grey JPEG comes out as 4:2:0 YCbCr with neutral chroma.
//
// A JPEG this package does not handle (progressive, arithmetic-coded,
// 12-bit, CMYK or RGB, other subsampling, a height given by DNL) returns
// ErrUnsupported; a damaged one returns another error. Entropy-coded data
// that ends before the picture does is an error, as image/jpeg makes it;
// so is data without the EOI marker.
func DecodeScaled(data []byte, denom int) (*image.YCbCr, error) {
	d := &decoder{data: data, denom: denom}
	switch denom {
	case 1:
		d.zzMax = 63
	case 2:
		d.zzMax = 24 // the zig-zag index of (3,3)
	case 4:
		d.zzMax = 4 // of (1,1)
	case 8:
		d.zzMax = 0
	default:
		return nil, fmt.Errorf("fastjpeg: scale 1/%d: want 1/1, 1/2, 1/4 or 1/8", denom)
	}
	d.size = 8 / denom
	d.dst = &dests[bits.TrailingZeros(uint(denom))]
	if err := d.run(false); err != nil {
		return nil, err
	}
	return d.image(), nil
}

// run reads the markers up to EOI, or up to the frame header when
// configOnly.
func (d *decoder) run(configOnly bool) error {
	if len(d.data) < 2 || d.data[0] != 0xFF || d.data[1] != mSOI {
		return formatError("missing SOI marker")
	}
	d.pos = 2
	scans := 0
	for {
		m, err := d.nextMarker()
		if err != nil {
			return err
		}
		if m == mEOI {
			break
		}
		if mRST0 <= m && m <= mRST7 {
			// A restart marker after the last interval of a scan, as
			// some encoders write: nothing to do.
			continue
		}
		if m == 0x01 {
			continue // TEM: no segment
		}
		seg, err := d.segment()
		if err != nil {
			return err
		}
		switch {
		case m == mSOF0 || m == mSOF1:
			if d.frame {
				return formatError("more than one frame")
			}
			if err := d.parseSOF(seg); err != nil {
				return err
			}
			if configOnly {
				return nil
			}
		case m == mDHT:
			if !configOnly {
				if err := d.parseDHT(seg); err != nil {
					return err
				}
			}
		case m == mDQT:
			if !configOnly {
				if err := d.parseDQT(seg); err != nil {
					return err
				}
			}
		case m == mDRI:
			if len(seg) != 2 {
				return formatError("DRI length %d", len(seg))
			}
			d.ri = int(seg[0])<<8 | int(seg[1])
		case m == mSOS:
			if !d.frame {
				return formatError("SOS before the frame header")
			}
			if err := d.scan(seg); err != nil {
				return err
			}
			scans++
		case m == mAPP14:
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				d.adobe, d.transform = true, seg[11]
			}
		case mAPP0 <= m && m <= mAPP15, m == mCOM:
			// Skipped: Exif, JFIF, ICC profiles and comments carry no pixels.
		case m == mDNL:
			return ErrUnsupported
		case 0xC2 <= m && m <= 0xCF, m == 0xDE, m == 0xDF:
			// Progressive, lossless, hierarchical and arithmetic-coded
			// frames and their segments.
			return ErrUnsupported
		default:
			if m < 0xC0 {
				return formatError("marker 0x%02X", m)
			}
			// JPGn and the other reserved markers carry a length:
			// skipped, as a decoder of T.81 may.
		}
	}
	if !d.frame {
		return formatError("missing frame header")
	}
	if configOnly {
		return nil
	}
	if scans == 0 {
		return formatError("missing SOS marker")
	}
	for i := range d.ncomp {
		if !d.comp[i].decoded {
			return formatError("no scan for component %d", d.comp[i].id)
		}
	}
	return nil
}

// nextMarker skips to the next marker (bytes that are not a marker,
// which some encoders leave between segments, are passed over) and
// returns its second byte.
func (d *decoder) nextMarker() (byte, error) {
	for {
		for d.pos < len(d.data) && d.data[d.pos] != 0xFF {
			d.pos++
		}
		// Fill bytes 0xFF may precede a marker.
		for d.pos < len(d.data) && d.data[d.pos] == 0xFF {
			d.pos++
		}
		if d.pos >= len(d.data) {
			return 0, errTruncated
		}
		m := d.data[d.pos]
		d.pos++
		if m != 0 {
			return m, nil
		}
	}
}

// segment returns the parameters of the marker segment at d.pos (after
// its length) and moves past it.
func (d *decoder) segment() ([]byte, error) {
	if d.pos+2 > len(d.data) {
		return nil, errTruncated
	}
	n := int(d.data[d.pos])<<8 | int(d.data[d.pos+1])
	if n < 2 {
		return nil, formatError("segment length %d", n)
	}
	if d.pos+n > len(d.data) {
		return nil, errTruncated
	}
	seg := d.data[d.pos+2 : d.pos+n]
	d.pos += n
	return seg, nil
}

func (d *decoder) parseSOF(s []byte) error {
	if len(s) < 6 {
		return formatError("SOF length")
	}
	if s[0] != 8 {
		return ErrUnsupported // 12-bit samples
	}
	d.h = int(s[1])<<8 | int(s[2])
	d.w = int(s[3])<<8 | int(s[4])
	n := int(s[5])
	if len(s) != 6+3*n {
		return formatError("SOF length")
	}
	if d.w == 0 || d.h == 0 {
		// A zero height would be given later by a DNL segment, which
		// image/jpeg does not read either.
		return formatError("zero size %d×%d", d.w, d.h)
	}
	switch n {
	case 1, 3:
	case 4:
		return ErrUnsupported // CMYK or YCCK
	default:
		return formatError("%d components", n)
	}
	d.ncomp = n
	for i := range n {
		c := &d.comp[i]
		c.id = s[6+3*i]
		c.h, c.v = int(s[7+3*i]>>4), int(s[7+3*i]&15)
		c.tq = s[8+3*i]
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return formatError("sampling factors %d×%d", c.h, c.v)
		}
		if c.tq > 3 {
			return formatError("quantization table %d", c.tq)
		}
		for j := range i {
			if d.comp[j].id == c.id {
				return formatError("repeated component %d", c.id)
			}
		}
	}
	if n == 1 {
		// A single component is not interleaved: its MCU is one block
		// whatever its sampling factors say (T.81 A.2.2).
		d.comp[0].h, d.comp[0].v = 1, 1
	} else {
		if d.adobe && d.transform != 1 {
			return ErrUnsupported // RGB
		}
		if !d.adobe && d.comp[0].id == 'R' && d.comp[1].id == 'G' && d.comp[2].id == 'B' {
			return ErrUnsupported
		}
		if d.comp[1].h != 1 || d.comp[1].v != 1 || d.comp[2].h != 1 || d.comp[2].v != 1 {
			return ErrUnsupported
		}
		if y := d.comp[0]; y.h > 2 || y.v > 2 {
			return ErrUnsupported // 4:1:1 and the like
		}
	}
	d.hmax, d.vmax = d.comp[0].h, d.comp[0].v
	d.frame = true
	return nil
}

// mcus is the number of MCUs across and down the frame.
func (d *decoder) mcus() (int, int) {
	return (d.w + 8*d.hmax - 1) / (8 * d.hmax), (d.h + 8*d.vmax - 1) / (8 * d.vmax)
}

// alloc makes the planes, the MCUs' whole area at the output scale.
func (d *decoder) alloc() {
	if d.comp[0].pix != nil {
		return
	}
	mx, my := d.mcus()
	for i := range d.ncomp {
		c := &d.comp[i]
		c.stride = mx * c.h * d.size
		c.pix = make([]byte, c.stride*my*c.v*d.size)
	}
}

func (d *decoder) image() *image.YCbCr {
	w, h := (d.w+d.denom-1)/d.denom, (d.h+d.denom-1)/d.denom
	y := &d.comp[0]
	m := &image.YCbCr{Y: y.pix, YStride: y.stride, Rect: image.Rect(0, 0, w, h)}
	if d.ncomp == 1 {
		cw, ch := (w+1)/2, (h+1)/2
		grey := make([]byte, 2*cw*ch)
		for i := range grey {
			grey[i] = 128
		}
		m.Cb, m.Cr, m.CStride = grey[:cw*ch], grey[cw*ch:], cw
		m.SubsampleRatio = image.YCbCrSubsampleRatio420
		return m
	}
	m.Cb, m.Cr, m.CStride = d.comp[1].pix, d.comp[2].pix, d.comp[1].stride
	switch {
	case d.hmax == 2 && d.vmax == 2:
		m.SubsampleRatio = image.YCbCrSubsampleRatio420
	case d.hmax == 2:
		m.SubsampleRatio = image.YCbCrSubsampleRatio422
	case d.vmax == 2:
		m.SubsampleRatio = image.YCbCrSubsampleRatio440
	default:
		m.SubsampleRatio = image.YCbCrSubsampleRatio444
	}
	return m
}

func (d *decoder) parseDQT(s []byte) error {
	for len(s) > 0 {
		pq, tq := s[0]>>4, s[0]&15
		if tq > 3 || pq > 1 {
			return formatError("DQT table %d precision %d", tq, pq)
		}
		n := 64 << pq
		if len(s) < 1+n {
			return formatError("DQT length")
		}
		q := &d.q[tq]
		for k := range 64 {
			if pq == 0 {
				q[k] = int32(s[1+k])
			} else {
				q[k] = int32(s[1+2*k])<<8 | int32(s[2+2*k])
			}
		}
		d.qok[tq] = true
		s = s[1+n:]
	}
	return nil
}

func (d *decoder) parseDHT(s []byte) error {
	for len(s) > 0 {
		if len(s) < 17 {
			return formatError("DHT length")
		}
		tc, th := s[0]>>4, s[0]&15
		if tc > 1 || th > 3 {
			return formatError("DHT class %d table %d", tc, th)
		}
		var counts [16]uint8
		copy(counts[:], s[1:17])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if total == 0 || total > 256 || len(s) < 17+total {
			return formatError("DHT length")
		}
		syms := s[17 : 17+total]
		t := &d.dc[th]
		if tc == 1 {
			t = &d.ac[th]
		}
		if err := t.build(&counts, syms, tc == 1); err != nil {
			return err
		}
		s = s[17+total:]
	}
	return nil
}
