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

var ratios = []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444}

// TestEncodeQuality encodes pictures of many sizes, both ratios and
// qualities from 1 to 100: image/jpeg decodes each to its size, and its
// PSNR in each of Y, Cb and Cr is at most 0.5 dB below that of
// image/jpeg's own encoding of the same picture at the same quality.
//
// On a picture of a few dozen pixels at quality 100, where the error is
// a handful of samples off by one, one sample more moves the PSNR by more
// than 0.5 dB either way (over 300 random 7×9 pictures ours is 0.3 dB
// better on average, yet worse by more than 0.5 dB on a third of them):
// there the squared error may also exceed image/jpeg's by that of two
// coded samples off by one (a chroma sample covers 2×2 pixels).
func TestEncodeQuality(t *testing.T) {
	sizes := [][2]int{{1, 1}, {7, 9}, {15, 17}, {33, 65}, {640, 480}, {2000, 1500}}
	if testing.Short() {
		sizes = sizes[:5]
	}
	slack := math.Pow(10, 0.05) // 0.5 dB
	for _, sz := range sizes {
		for _, ratio := range ratios {
			m := detailed(sz[0], sz[1], uint64(sz[0]*sz[1]), ratio)
			for _, q := range []int{1, 50, 85, 100} {
				t.Run(fmt.Sprintf("%dx%d/%v/q%d", sz[0], sz[1], ratio, q), func(t *testing.T) {
					ours := decodeYCbCr(t, encode(t, m, q), sz[0], sz[1])
					std := decodeYCbCr(t, encodeStd(t, m, q), sz[0], sz[1])
					eo, es := sqErr(m, ours), sqErr(m, std)
					po, ps := psnr(m, ours), psnr(m, std)
					for k, name := range []string{"Y", "Cb", "Cr"} {
						if unit := []float64{1, 4, 4}[k]; eo[k] > es[k]*slack+2*unit {
							t.Errorf("%s PSNR %.2f dB (squared error %.0f), image/jpeg's %.2f dB (%.0f)", name, po[k], eo[k], ps[k], es[k])
						}
					}
					if sz[0] >= 640 {
						t.Logf("PSNR %.2f/%.2f/%.2f dB (image/jpeg %.2f/%.2f/%.2f)", po[0], po[1], po[2], ps[0], ps[1], ps[2])
					}
				})
			}
		}
	}
}

// TestEncodeExact checks the transform and quantisation against T.81's
// formulas: a flat block is coded exactly, and at quality 100 (every step
// 1) a picture comes back within the rounding of the samples.
func TestEncodeExact(t *testing.T) {
	for _, v := range []uint8{0, 1, 127, 128, 200, 255} {
		m := image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio420)
		for i := range m.Y {
			m.Y[i] = v
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = 255-v, v/2
		}
		d := decodeYCbCr(t, encode(t, m, 75), 16, 16)
		if p := psnr(m, d); p != [3]float64{maxPSNR, maxPSNR, maxPSNR} {
			t.Errorf("flat %d: PSNR %v, want exact", v, p)
		}
	}
}

// TestFDCT compares fdct with the DCT of T.81 A.3.3 computed directly: the
// difference of the scaled outputs is within float32 rounding.
func TestFDCT(t *testing.T) {
	var in, b [64]float32
	for i := range in {
		in[i] = float32((i*37+i*i*11)%256) - 128
	}
	b = in
	fdct(&b)
	for u := range 8 {
		for v := range 8 {
			var s float64
			for y := range 8 {
				for x := range 8 {
					s += float64(in[y*8+x]) * math.Cos(float64(2*y+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*x+1)*float64(v)*math.Pi/16)
				}
			}
			cu, cv := 1.0, 1.0
			if u == 0 {
				cu = 1 / math.Sqrt2
			}
			if v == 0 {
				cv = 1 / math.Sqrt2
			}
			f := cu * cv * s / 4
			got := float64(b[u*8+v]) / (8 * aanScale[u] * aanScale[v])
			if math.Abs(got-f) > 1e-3 {
				t.Errorf("F(%d,%d) = %.4f, want %.4f", u, v, got, f)
			}
		}
	}
}

// TestQuantTable checks the IJG scaling at its landmarks.
func TestQuantTable(t *testing.T) {
	if q := quantTable(&baseQuant[0], 50); q != baseQuant[0] {
		t.Errorf("quality 50 is not Annex K's table: %v", q)
	}
	for i, v := range quantTable(&baseQuant[1], 100) {
		if v != 1 {
			t.Errorf("quality 100, entry %d is %d, want 1", i, v)
		}
	}
	q1 := quantTable(&baseQuant[0], 1)
	if q1[0] != 255 || q1[2] != 255 { // 16 and 10 ×50, kept to 8 bits
		t.Errorf("quality 1 starts %v, want 255", q1[:3])
	}
	if q := quantTable(&baseQuant[0], 85); q[0] != 5 || q[1] != 3 || q[63] != 30 {
		// 16·30% = 4.8, 11·30% = 3.3, 99·30% = 29.7
		t.Errorf("quality 85 gives %d, %d … %d, want 5, 3 … 30", q[0], q[1], q[63])
	}
}

// TestHuffmanTables checks the Annex K tables as typed: each DC table
// codes categories 0–11 and each AC table all 162 run/size symbols, once,
// and every code fits the lengths (no code of all 1-bits, T.81 C).
func TestHuffmanTables(t *testing.T) {
	for i, s := range huffSpecs {
		n := 0
		for _, b := range s.bits {
			n += int(b)
		}
		if n != len(s.vals) {
			t.Errorf("table %d: bits count %d codes for %d symbols", i, n, len(s.vals))
		}
		seen := map[byte]bool{}
		for _, v := range s.vals {
			if seen[v] {
				t.Errorf("table %d: symbol %#x twice", i, v)
			}
			seen[v] = true
		}
		want := 12
		if i == lumaAC || i == chromaAC {
			want = 162
			for run := range 16 {
				for size := 1; size <= 10; size++ {
					if !seen[byte(run<<4|size)] {
						t.Errorf("table %d: no code for run %d size %d", i, run, size)
					}
				}
			}
			if !seen[0x00] || !seen[0xF0] {
				t.Errorf("table %d: no EOB or ZRL", i)
			}
		}
		if len(s.vals) != want {
			t.Errorf("table %d: %d symbols, want %d", i, len(s.vals), want)
		}
		for _, v := range s.vals {
			c := huffCodes[i][v]
			l := uint(c & 0xFF)
			if code := uint32(c >> 8); code == 1<<l-1 || code >= 1<<l {
				t.Errorf("table %d: symbol %#x has code %b of %d bits", i, v, code, l)
			}
		}
	}
}

// TestHeaders reads the markers of an output: SOI, DQT, SOF0, DHT, SOS,
// EOI and nothing else (no APPn or comment, so no EXIF).
func TestHeaders(t *testing.T) {
	data := encode(t, detailed(50, 30, 1, image.YCbCrSubsampleRatio420), 85)
	markers, _ := segments(t, data)
	if want := []byte{0xD8, 0xDB, 0xC0, 0xC4, 0xDA, 0xD9}; !bytes.Equal(markers, want) {
		t.Errorf("markers % x, want % x", markers, want)
	}
	for _, s := range []string{"Exif", "\xFF\xE1"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("the output contains %q", s)
		}
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != 50 || cfg.Height != 30 {
		t.Errorf("config %+v, %v", cfg, err)
	}
}

// TestByteStuffing encodes noise, whose coded data has many 0xFF bytes:
// each is followed by a stuffed 0 (the scan would end there otherwise, and
// segments would fail), and the picture decodes as well as image/jpeg's.
func TestByteStuffing(t *testing.T) {
	m := detailed(256, 256, 3, image.YCbCrSubsampleRatio444)
	data := encode(t, m, 95)
	_, scan := segments(t, data)
	ff := bytes.Count(scan, []byte{0xFF})
	if stuffed := bytes.Count(scan, []byte{0xFF, 0x00}); stuffed == 0 || stuffed != ff {
		t.Fatalf("%d bytes 0xFF in the scan, %d followed by 0", ff, stuffed)
	}
	po := psnr(m, decodeYCbCr(t, data, 256, 256))
	ps := psnr(m, decodeYCbCr(t, encodeStd(t, m, 95), 256, 256))
	if po[0] < ps[0]-0.5 {
		t.Errorf("Y PSNR %.2f dB, image/jpeg's %.2f", po[0], ps[0])
	}
	t.Logf("%d stuffed bytes in %d", ff, len(scan))
}

// TestUnsupported refuses what Encode does not handle with ErrUnsupported,
// writing nothing.
func TestUnsupported(t *testing.T) {
	sub := detailed(64, 64, 1, image.YCbCrSubsampleRatio420).SubImage(image.Rect(8, 8, 40, 40)).(*image.YCbCr)
	cases := map[string]*image.YCbCr{
		"4:2:2":     image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio422),
		"4:4:0":     image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio440),
		"4:1:1":     image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio411),
		"4:1:0":     image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio410),
		"sub-image": sub,
		"empty":     image.NewYCbCr(image.Rect(0, 0, 0, 10), image.YCbCrSubsampleRatio420),
		"too wide":  image.NewYCbCr(image.Rect(0, 0, 65536, 1), image.YCbCrSubsampleRatio420),
	}
	for name, m := range cases {
		var b bytes.Buffer
		if err := Encode(&b, m, 85); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported", name, err)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written", name, b.Len())
		}
	}
	short := image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio420)
	short.Cr = short.Cr[:10]
	if err := Encode(&bytes.Buffer{}, short, 85); err == nil || errors.Is(err, ErrUnsupported) {
		t.Errorf("short planes: %v, want errPlanes", err)
	}
}

// failingWriter takes n bytes, then fails.
type failingWriter struct{ n int }

var errWriter = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWriter
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriterError returns the writer's error, whether it fails at the
// first write or in the middle of the picture.
func TestWriterError(t *testing.T) {
	m := detailed(640, 480, 5, image.YCbCrSubsampleRatio420)
	size := len(encode(t, m, 85))
	for _, n := range []int{0, 100, bufSize + 1, size - 1} {
		if err := Encode(&failingWriter{n: n}, m, 85); !errors.Is(err, errWriter) {
			t.Errorf("writer failing after %d of %d bytes: %v", n, size, err)
		}
	}
	if err := Encode(&failingWriter{n: size}, m, 85); err != nil {
		t.Errorf("writer taking all %d bytes: %v", size, err)
	}
}

// TestSizeBesideStd: at quality 85 the output is within 5% of image/jpeg's
// size, since both use the same tables (a wrong table would show here).
func TestSizeBesideStd(t *testing.T) {
	for _, ratio := range ratios {
		m := detailed(640, 480, 9, ratio)
		ours, std := len(encode(t, m, 85)), len(encodeStd(t, m, 85))
		if d := math.Abs(float64(ours-std)) / float64(std); d > 0.05 {
			t.Errorf("%v: %d bytes, image/jpeg %d (%.1f%% apart)", ratio, ours, std, 100*d)
		}
	}
}
