package photo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// The tests make every picture they use: nothing here comes from
// elsewhere.

// detailed is a w×h picture with gradients, stripes and noise, so that
// scaling and encoding work as hard as on a photograph.
func detailed(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 1))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(48))
			i := m.PixOffset(x, y)
			m.Pix[i] = uint8(x*255/w) ^ n
			m.Pix[i+1] = uint8(y*255/h) + n
			m.Pix[i+2] = uint8((x/7+y/5)%2*160) + n
			m.Pix[i+3] = 255
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cornerColours mark the corners of the pictures of the orientation tests.
var cornerColours = [4]color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}}

// marked is a w×h picture of black with the four corner colours of
// cornerColours at its corners, in the order top left, top right, bottom
// left, bottom right given by at.
func marked(w, h int, at [4]int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 255
	}
	s := min(w, h) / 4
	origins := [4]image.Point{{0, 0}, {w - s, 0}, {0, h - s}, {w - s, h - s}}
	for k, o := range origins {
		c := cornerColours[at[k]]
		for y := o.Y; y < o.Y+s; y++ {
			for x := o.X; x < o.X+s; x++ {
				m.SetRGBA(x, y, c)
			}
		}
	}
	return m
}

// cornerOf names the colour in the middle of corner k (0 top left, 1 top
// right, 2 bottom left, 3 bottom right) of m, or -1.
func cornerOf(m image.Image, k int) int {
	b := m.Bounds()
	s := min(b.Dx(), b.Dy()) / 4
	x, y := s/2, s/2
	if k == 1 || k == 3 {
		x = b.Dx() - 1 - s/2
	}
	if k >= 2 {
		y = b.Dy() - 1 - s/2
	}
	r, g, bl, _ := m.At(x, y).RGBA()
	for i, c := range cornerColours {
		if near(r>>8, c.R) && near(g>>8, c.G) && near(bl>>8, c.B) {
			return i
		}
	}
	return -1
}

func near(a uint32, b uint8) bool { return a+40 >= uint32(b) && a <= uint32(b)+40 }

// tiff is an EXIF TIFF structure in byte order bo with the orientation
// tag (when orient > 0) and, when gps, a GPS IFD with a latitude and a
// longitude whose rationals are gpsBytes.
func tiff(bo order, orient int, gps bool) []byte {
	var b []byte
	if bo == binary.LittleEndian {
		b = append(b, "II*\x00"...)
	} else {
		b = append(b, "MM\x00*"...)
	}
	b = bo.AppendUint32(b, 8)
	var entries [][12]byte
	entry := func(tag, typ uint16, count, value uint32, short bool) {
		var e [12]byte
		bo.PutUint16(e[0:], tag)
		bo.PutUint16(e[2:], typ)
		bo.PutUint32(e[4:], count)
		if short {
			bo.PutUint16(e[8:], uint16(value))
		} else {
			bo.PutUint32(e[8:], value)
		}
		entries = append(entries, e)
	}
	// A tag before the orientation, as cameras write (Make, ASCII, "Luot").
	entry(0x010F, 2, 4, binary.LittleEndian.Uint32([]byte("Luot")), false)
	if orient > 0 {
		entry(0x0112, 3, 1, uint32(orient), true)
	}
	n := len(entries)
	if gps {
		n++
	}
	ifd0End := 8 + 2 + 12*n + 4
	if gps {
		entry(0x8825, 4, 1, uint32(ifd0End), false)
	}
	b = bo.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = append(b, e[:]...)
	}
	b = bo.AppendUint32(b, 0)
	if gps {
		// GPS IFD: latitude ref, latitude, longitude ref, longitude.
		dataAt := uint32(len(b) + 2 + 4*12 + 4)
		b = bo.AppendUint16(b, 4)
		put := func(tag, typ uint16, count, value uint32) {
			b = bo.AppendUint16(b, tag)
			b = bo.AppendUint16(b, typ)
			b = bo.AppendUint32(b, count)
			b = bo.AppendUint32(b, value)
		}
		put(1, 2, 2, uint32('N'))
		put(2, 5, 3, dataAt)
		put(3, 2, 2, uint32('E'))
		put(4, 5, 3, dataAt+24)
		b = bo.AppendUint32(b, 0)
		b = append(b, gpsBytes...)
	}
	return b
}

// gpsBytes are the latitude and longitude rationals of tiff's GPS IFD:
// 21° 1' 42.4242", 105° 51' 17.1717" as written by no photo but ours.
var gpsBytes = func() []byte {
	var b []byte
	for _, v := range []uint32{21, 1, 1, 1, 424242, 10000, 105, 1, 51, 1, 171717, 10000} {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}()

// withExif puts an APP1 Exif segment holding t right after a JPEG's SOI.
func withExif(j, t []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), t...)
	out := append([]byte{0xFF, 0xD8, 0xFF, 0xE1}, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// pngChunk is a PNG chunk with its CRC.
func pngChunk(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	b = append(b, typ...)
	b = append(b, body...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), body...)))
}

// bitWriter writes bits least significant first, as WebP lossless does.
type bitWriter struct {
	b   []byte
	n   uint
	acc uint64
}

func (w *bitWriter) put(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.b = append(w.b, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc))
		w.acc, w.n = 0, 0
	}
	return w.b
}

// vp8l encodes a picture whose every channel is 0 or 255 as a WebP
// lossless bitstream (RFC 9649): no transform, no colour cache, one group
// of simple prefix codes of two symbols (0 and 255) for red, green and
// blue, one (255) for alpha, and each pixel as three bits.
func vp8l(m *image.RGBA) []byte {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	var bw bitWriter
	bw.put(0x2f, 8)
	bw.put(uint64(w-1), 14)
	bw.put(uint64(h-1), 14)
	bw.put(0, 1) // no alpha used
	bw.put(0, 3) // version 0
	bw.put(0, 1) // no transform
	bw.put(0, 1) // no colour cache
	bw.put(0, 1) // no meta prefix codes
	twoSymbols := func() {
		bw.put(1, 1) // simple code
		bw.put(1, 1) // two symbols
		bw.put(0, 1) // the first written in one bit
		bw.put(0, 1) // symbol 0
		bw.put(255, 8)
	}
	twoSymbols() // green
	twoSymbols() // red
	twoSymbols() // blue
	bw.put(1, 1) // alpha: simple, one symbol, eight bits, 255
	bw.put(0, 1)
	bw.put(1, 1)
	bw.put(255, 8)
	bw.put(1, 1) // distance: simple, one symbol, one bit, 0
	bw.put(0, 1)
	bw.put(0, 1)
	bw.put(0, 1)
	bit := func(v uint8) uint64 {
		if v >= 128 {
			return 1
		}
		return 0
	}
	for y := range h {
		for x := range w {
			p := m.Pix[m.PixOffset(x, y):]
			bw.put(bit(p[1]), 1) // green first
			bw.put(bit(p[0]), 1)
			bw.put(bit(p[2]), 1)
		}
	}
	return bw.bytes()
}

// riffChunk is a RIFF chunk, padded to an even length.
func riffChunk(id string, body []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// webpFile wraps chunks in a RIFF WEBP file.
func webpFile(chunks ...[]byte) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c...)
	}
	b := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	b = append(b, "WEBP"...)
	return append(b, body...)
}

// webpLossless is m as a simple WebP lossless file; with exif, an
// extended file (VP8X) with an EXIF chunk.
func webpLossless(m *image.RGBA, exif []byte) []byte {
	if exif == nil {
		return webpFile(riffChunk("VP8L", vp8l(m)))
	}
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	x := []byte{1 << 3, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16), byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	return webpFile(riffChunk("VP8X", x), riffChunk("VP8L", vp8l(m)), riffChunk("EXIF", exif))
}

// order is a byte order that appends.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}
