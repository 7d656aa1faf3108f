package fastjpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"testing"
)

// BenchmarkEncode encodes a detailed 2000×1500 4:2:0 photo and its
// 320×240 thumbnail at quality 85 with Encode and, in the same run, with
// image/jpeg.Encode (the reference). Beside ns/op it reports cpu-ms/op,
// the processor time per picture (on a busy machine wall time overstates
// the work), and out-KB, the size of the output.
func BenchmarkEncode(b *testing.B) {
	for _, sz := range [][2]int{{2000, 1500}, {320, 240}} {
		m := detailed(sz[0], sz[1], 12, image.YCbCrSubsampleRatio420)
		for _, c := range []struct {
			name string
			enc  func(io.Writer) error
		}{
			{"fastjpeg", func(w io.Writer) error { return Encode(w, m, 85) }},
			{"image-jpeg", func(w io.Writer) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 85}) }},
		} {
			b.Run(fmt.Sprintf("%dx%d/%s", sz[0], sz[1], c.name), func(b *testing.B) {
				var out bytes.Buffer
				b.ReportAllocs()
				cpu0 := cpu()
				for b.Loop() {
					out.Reset()
					if err := c.enc(&out); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpu()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
				b.ReportMetric(float64(out.Len())/1024, "out-KB")
			})
		}
	}
}
