package fastjpeg

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"
)

// The tests make every picture they use.

// detailed is a w×h picture with gradients, stripes and noise in every
// channel (as server/photo's tests draw them, so that encoding works as
// hard as on a photograph), as YCbCr of the given ratio (4:4:4 or 4:2:0,
// whose chroma is the mean of 2×2 pixels).
func detailed(w, h int, seed uint64, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	rgb := detailedRGBA(w, h, seed)
	full := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	for y := range h {
		for x := range w {
			p := rgb.Pix[rgb.PixOffset(x, y):]
			i := y*full.YStride + x
			full.Y[i], full.Cb[i], full.Cr[i] = color.RGBToYCbCr(p[0], p[1], p[2])
		}
	}
	if ratio == image.YCbCrSubsampleRatio444 {
		return full
	}
	m := image.NewYCbCr(full.Rect, image.YCbCrSubsampleRatio420)
	copy(m.Y, full.Y)
	cw, ch := (w+1)/2, (h+1)/2
	for cy := range ch {
		for cx := range cw {
			var sb, sr int
			for _, d := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				i := min(2*cy+d[1], h-1)*full.CStride + min(2*cx+d[0], w-1)
				sb += int(full.Cb[i])
				sr += int(full.Cr[i])
			}
			m.Cb[cy*m.CStride+cx] = uint8((sb + 2) / 4)
			m.Cr[cy*m.CStride+cx] = uint8((sr + 2) / 4)
		}
	}
	return m
}

// encode is Encode into a new buffer, failing t on an error.
func encode(t testing.TB, m *image.YCbCr, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, m, q); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeStd is image/jpeg's encoding of m.
func encodeStd(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decodeYCbCr decodes data with image/jpeg, which must give a YCbCr
// picture of w×h.
func decodeYCbCr(t testing.TB, data []byte, w, h int) *image.YCbCr {
	t.Helper()
	d, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg cannot decode the output: %v", err)
	}
	if b := d.Bounds(); b != image.Rect(0, 0, w, h) {
		t.Fatalf("decoded as %v, want %d×%d", b, w, h)
	}
	y, ok := d.(*image.YCbCr)
	if !ok {
		t.Fatalf("decoded as %T, want *image.YCbCr", d)
	}
	return y
}

// maxPSNR stands for identical planes.
const maxPSNR = 100

// sqErr is the sum of the squared differences of b from a in each of Y,
// Cb and Cr, comparing every pixel's samples (a subsampled chroma sample
// counts for each pixel it covers).
func sqErr(a, b *image.YCbCr) [3]float64 {
	var se [3]float64
	r := a.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ya, yb := a.YOffset(x, y), b.YOffset(x, y)
			ca, cb := a.COffset(x, y), b.COffset(x, y)
			for k, d := range [3]float64{
				float64(a.Y[ya]) - float64(b.Y[yb]),
				float64(a.Cb[ca]) - float64(b.Cb[cb]),
				float64(a.Cr[ca]) - float64(b.Cr[cb]),
			} {
				se[k] += d * d
			}
		}
	}
	return se
}

// psnr is the peak signal-to-noise ratio of b against a, in dB, in each of
// Y, Cb and Cr (as sqErr compares them); identical planes give maxPSNR.
func psnr(a, b *image.YCbCr) [3]float64 {
	se := sqErr(a, b)
	var p [3]float64
	n := float64(a.Rect.Dx() * a.Rect.Dy())
	for k := range se {
		if se[k] == 0 {
			p[k] = maxPSNR
			continue
		}
		p[k] = min(maxPSNR, 10*math.Log10(255*255/(se[k]/n)))
	}
	return p
}

// segments are the markers of a JPEG's headers in order (up to SOS), with
// the entropy-coded data that follows SOS up to the marker ending it.
func segments(t testing.TB, data []byte) (markers []byte, scan []byte) {
	t.Helper()
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		t.Fatalf("no SOI: % x", data[:min(4, len(data))])
	}
	markers = append(markers, 0xD8)
	i := 2
	for {
		if i+4 > len(data) || data[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := data[i+1]
		n := int(data[i+2])<<8 | int(data[i+3])
		markers = append(markers, m)
		i += 2 + n
		if m == 0xDA {
			break
		}
	}
	end := i
	for end+1 < len(data) && !(data[end] == 0xFF && data[end+1] != 0) {
		end++
	}
	if end+2 != len(data) || data[end+1] != 0xD9 {
		t.Fatalf("the scan ends at %d of %d with % x, want EOI at the end", end, len(data), data[end:min(end+2, len(data))])
	}
	return append(markers, 0xD9), data[i:end]
}
