package fastjpeg

import (
	"bytes"
	"image/jpeg"
	"sync"
	"testing"
)

// photo12MP is a 4000×3000 JPEG with detail, quality 90 like a phone's:
// the photo package's benchmark picture, made once.
var photo12MP = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, detailedRGBA(4000, 3000, 12), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkDecode12MP decodes the 12-megapixel JPEG with DecodeScaled at
// full and half size, and with image/jpeg, the reference, in the same
// run. cpu-ms/op is the processor time per decode (on a machine busy with
// other work, wall time overstates it).
func BenchmarkDecode12MP(b *testing.B) {
	src := photo12MP()
	for _, c := range []struct {
		name   string
		decode func() error
	}{
		{"image-jpeg", func() error { _, err := jpeg.Decode(bytes.NewReader(src)); return err }},
		{"fastjpeg-1", func() error { _, err := DecodeScaled(src, 1); return err }},
		{"fastjpeg-2", func() error { _, err := DecodeScaled(src, 2); return err }},
		{"fastjpeg-4", func() error { _, err := DecodeScaled(src, 4); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			cpu0 := cpu()
			for b.Loop() {
				if err := c.decode(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpu()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
