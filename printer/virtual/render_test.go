package virtual

import (
	"bytes"
	"testing"
)

// A page of endless feeds renders at most MaxPageDots long, whatever the
// stream asks for, while a ticket keeps its own length.
func TestRenderPNGCapsLength(t *testing.T) {
	p := profile(t, "generic-80")
	long := bytes.Repeat([]byte{0x1B, 'd', 255}, 2000) // 2000 × 255 lines ≈ 15 M dots
	long = append(long, "end\n"...)
	_, _, d := decodeAll(p, long)
	img, err := RenderPNG(d.Pending(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Dy(); got != MaxPageDots {
		t.Errorf("long page rendered %d dots long, want the cap %d", got, MaxPageDots)
	}
	_, _, d = decodeAll(p, []byte{0x1B, 'd', 2, 'x', '\n'})
	img, err = RenderPNG(d.Pending(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := 2*margin + 2*lineFeedDots + p.Fonts[0].Height + lineGap
	if got := img.Bounds().Dy(); got != want {
		t.Errorf("short page rendered %d dots long, want %d", got, want)
	}
}
