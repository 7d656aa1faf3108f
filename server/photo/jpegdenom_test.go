package photo

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"luot/server/photo/fastjpeg"
)

// TestJPEGDenom checks the rule of the reduced decoding: the largest
// 1/2, 1/4 or 1/8 that leaves the longer side at least 7/8 of MaxSide.
func TestJPEGDenom(t *testing.T) {
	for _, c := range []struct{ w, h, side, want int }{
		{4000, 3000, 2048, 2}, // 2000 ≥ 1792; 1000 is not
		{3000, 4000, 2048, 2}, // the longer side, either way
		{6000, 4000, 2048, 2}, // 3000, then area-scaled to 2048
		{3584, 100, 2048, 2},  // 1792 exactly
		{3583, 100, 2048, 2},  // ⌈3583/2⌉ = 1792
		{3582, 100, 2048, 1},  // 1791 < 1792
		{2200, 1400, 2048, 1}, // 1100 is too small
		{16000, 100, 2048, 8}, // 2000
		{14336, 100, 2048, 8}, // 1792 at 1/8
		{1, 1, 2048, 1},
		{640, 480, 330, 2}, // 320 ≥ 288.75
		{640, 480, 256, 2}, // 320, then scaled to 256
	} {
		if got := jpegDenom(c.w, c.h, c.side); got != c.want {
			t.Errorf("%d×%d to %d: 1/%d, want 1/%d", c.w, c.h, c.side, got, c.want)
		}
	}
}

// TestProcessJPEGReduced checks that a JPEG large enough is decoded
// reduced and kept at the reduced size when it is within MaxSide.
func TestProcessJPEGReduced(t *testing.T) {
	src := encodeJPEG(t, detailed(640, 480, 3), 90)
	res, err := Process(bytes.NewReader(src), Limits{MaxSide: 330})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 320 || res.Height != 240 {
		t.Errorf("got %d×%d, want 320×240", res.Width, res.Height)
	}
	if b := decode(t, res.JPEG).Bounds(); b.Dx() != 320 || b.Dy() != 240 {
		t.Errorf("photo is %v", b)
	}
	res, err = Process(bytes.NewReader(src), Limits{MaxSide: 256})
	if err != nil || res.Width != 256 || res.Height != 192 {
		t.Errorf("to 256: got %d×%d, %v", res.Width, res.Height, err)
	}
}

// TestProcessJPEGFallback checks that a JPEG fastjpeg does not handle
// (here an RGB one: components named R, G and B) is decoded by image/jpeg.
func TestProcessJPEGFallback(t *testing.T) {
	src := encodeJPEG(t, marked(600, 400, [4]int{0, 1, 2, 3}), 95)
	rgb := renameComponents(t, src, "RGB")
	if _, err := fastjpeg.DecodeScaled(rgb, 1); !errors.Is(err, fastjpeg.ErrUnsupported) {
		t.Fatalf("fastjpeg on an RGB JPEG: %v, want ErrUnsupported", err)
	}
	res, err := Process(bytes.NewReader(rgb), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 600 || res.Height != 400 {
		t.Errorf("got %d×%d, want 600×400", res.Width, res.Height)
	}
	// The photo has the colours image/jpeg reads, the samples taken
	// as RGB (fastjpeg would have read them as YCbCr, other colours).
	std := decode(t, rgb)
	m := decode(t, res.JPEG)
	for _, p := range []image.Point{{50, 50}, {550, 50}, {50, 350}, {550, 350}, {300, 200}} {
		r0, g0, b0, _ := std.At(p.X, p.Y).RGBA()
		r1, g1, b1, _ := m.At(p.X, p.Y).RGBA()
		if !within16(r0, r1) || !within16(g0, g1) || !within16(b0, b1) {
			t.Errorf("pixel %v is %d,%d,%d, image/jpeg reads %d,%d,%d", p, r1>>8, g1>>8, b1>>8, r0>>8, g0>>8, b0>>8)
		}
	}
}

// within16 is whether two 16-bit colour channels are within 16 of each
// other on the 8-bit scale.
func within16(a, b uint32) bool { return a>>8+16 >= b>>8 && b>>8+16 >= a>>8 }

// renameComponents gives the three components of a JPEG from
// image/jpeg (ids 1, 2, 3) the ids of names, in its frame and scan
// headers.
func renameComponents(t *testing.T, src []byte, names string) []byte {
	t.Helper()
	out := bytes.Clone(src)
	for i := 2; i+4 < len(out); {
		if out[i] != 0xFF {
			t.Fatal("lost in the segments")
		}
		m, n := out[i+1], int(out[i+2])<<8|int(out[i+3])
		seg := out[i+4 : i+2+n]
		switch m {
		case 0xC0:
			for c := range 3 {
				seg[6+3*c] = names[c]
			}
		case 0xDA:
			for c := range 3 {
				seg[1+2*c] = names[c]
			}
			return out
		}
		i += 2 + n
	}
	t.Fatal("no SOS")
	return nil
}

// TestProcessJPEGDamagedFallback checks that a damaged JPEG fastjpeg
// refuses but image/jpeg reads (here the chroma components name a
// quantisation table the file does not define) is still accepted, as it
// was before fastjpeg.
func TestProcessJPEGDamagedFallback(t *testing.T) {
	src := encodeJPEG(t, detailed(640, 480, 5), 90)
	bad := bytes.Clone(src)
	// SOF0: FF C0, length, precision, height, width, count, then per
	// component its id, sampling and table; the chroma ones use table 1.
	i := bytes.Index(bad, []byte{0xFF, 0xC0})
	if i < 0 || bad[i+9] != 3 || bad[i+15] != 1 || bad[i+18] != 1 {
		t.Fatalf("unexpected SOF0 % x", bad[i:i+19])
	}
	bad[i+15], bad[i+18] = 3, 3
	if _, err := fastjpeg.DecodeScaled(bad, 1); err == nil {
		t.Fatal("fastjpeg read a JPEG whose chroma names an undefined quantisation table")
	}
	if _, err := jpeg.Decode(bytes.NewReader(bad)); err != nil {
		t.Fatalf("image/jpeg refuses it too (%v): the case tests nothing", err)
	}
	res, err := Process(bytes.NewReader(bad), Limits{})
	if err != nil {
		t.Fatalf("a JPEG image/jpeg reads was refused: %v", err)
	}
	if res.Width != 640 || res.Height != 480 {
		t.Errorf("got %d×%d, want 640×480", res.Width, res.Height)
	}
}
