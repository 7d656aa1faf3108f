package photo

import (
	"bytes"
	"image"
	"testing"

	"luot/server/photo/fastjpeg"
)

// TestWriteJPEG: the pipeline's pictures (4:2:0 or 4:4:4 at the origin)
// are written by fastjpeg, byte for byte; any other is written by
// image/jpeg instead of being refused.
func TestWriteJPEG(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444} {
		// An RGBA picture is scaled in full-resolution YCbCr (4:4:4).
		y := scaled(detailed(70, 50, 3), 70, 50)
		if ratio == image.YCbCrSubsampleRatio420 {
			y = y.scaled420(70, 50)
		}
		m := y.image()
		if m.SubsampleRatio != ratio {
			t.Fatalf("made %v, want %v", m.SubsampleRatio, ratio)
		}
		var got, want bytes.Buffer
		if err := writeJPEG(&got, m, 85); err != nil {
			t.Fatal(err)
		}
		if err := fastjpeg.Encode(&want, m, 85); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%v: not fastjpeg's output", ratio)
		}
	}

	m := image.NewYCbCr(image.Rect(0, 0, 30, 20), image.YCbCrSubsampleRatio422)
	var b bytes.Buffer
	if err := writeJPEG(&b, m, 85); err != nil {
		t.Fatal(err)
	}
	if d := decode(t, b.Bytes()); d.Bounds() != m.Rect {
		t.Errorf("4:2:2 through image/jpeg: %v", d.Bounds())
	}
}
