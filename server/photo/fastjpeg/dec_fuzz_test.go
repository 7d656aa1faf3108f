package fastjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// FuzzDecodeScaled decodes anything at every scale: no panic, and a
// success has the size of the header, the size image/jpeg finds when it
// reads the same data.
func FuzzDecodeScaled(f *testing.F) {
	f.Add(stdJPEG(f, detailedRGBA(17, 9, 1), 80), byte(0))
	f.Add(stdJPEG(f, detailedRGBA(8, 8, 1), 50), byte(1))
	f.Add(fixtureJPEG(detailedRGBA(20, 12, 1), fixture{h: 2, v: 1, ri: 1, quality: 1}), byte(2))
	f.Fuzz(func(t *testing.T, data []byte, scale byte) {
		d := []int{1, 2, 4, 8}[scale&3]
		m, err := DecodeScaled(data, d)
		if err != nil {
			if m != nil {
				t.Fatal("a picture and an error")
			}
			return
		}
		w, h, err := DecodeConfig(data)
		if err != nil {
			t.Fatalf("DecodeScaled reads it, DecodeConfig says %v", err)
		}
		if m.Bounds() != image.Rect(0, 0, (w+d-1)/d, (h+d-1)/d) {
			t.Fatalf("%v from a %d×%d header at 1/%d", m.Bounds(), w, h, d)
		}
		// The planes hold the picture (this reads the last samples).
		b := m.Bounds()
		_ = m.YCbCrAt(b.Max.X-1, b.Max.Y-1)
		if d != 1 {
			return
		}
		std, err := jpeg.Decode(bytes.NewReader(data))
		if err == nil && std.Bounds() != m.Bounds() {
			t.Fatalf("image/jpeg reads %v, fastjpeg %v", std.Bounds(), m.Bounds())
		}
	})
}
