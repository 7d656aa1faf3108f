package fastjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// fuzzImage builds a small YCbCr from fuzz bytes: width 1–40, height 1–40,
// 4:2:0 or 4:4:4 and quality 1–100 from the first four, the samples from
// the rest, repeated (0 when there is none).
func fuzzImage(data []byte) (*image.YCbCr, int) {
	at := func(i int) byte {
		if i < len(data) {
			return data[i]
		}
		return 0
	}
	w, h := 1+int(at(0))%40, 1+int(at(1))%40
	ratio := image.YCbCrSubsampleRatio420
	if at(2)&1 == 1 {
		ratio = image.YCbCrSubsampleRatio444
	}
	q := 1 + int(at(3))%100
	m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	rest := data[min(4, len(data)):]
	k := 0
	for _, p := range [][]byte{m.Y, m.Cb, m.Cr} {
		for i := range p {
			if len(rest) > 0 {
				p[i] = rest[k%len(rest)]
				k++
			}
		}
	}
	return m, q
}

// FuzzEncode encodes pictures made of the fuzz bytes: each must be coded
// without error and decode with image/jpeg to its size.
func FuzzEncode(f *testing.F) {
	f.Add([]byte{0, 0, 0, 84})
	f.Add([]byte{6, 8, 0, 49, 0, 255, 0, 255, 128})
	f.Add([]byte{15, 16, 1, 99, 255})
	f.Add([]byte{39, 39, 1, 0, 1, 2, 3, 250, 7, 0, 255, 13, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, q := fuzzImage(data)
		var b bytes.Buffer
		if err := Encode(&b, m, q); err != nil {
			t.Fatal(err)
		}
		d, err := jpeg.Decode(&b)
		if err != nil {
			t.Fatalf("%v %d×%d q%d: %v", m.SubsampleRatio, m.Rect.Dx(), m.Rect.Dy(), q, err)
		}
		if d.Bounds() != m.Rect {
			t.Fatalf("decoded as %v, want %v", d.Bounds(), m.Rect)
		}
	})
}
