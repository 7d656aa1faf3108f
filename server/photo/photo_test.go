package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the output is no JPEG: %v", err)
	}
	return m
}

func TestProcessScalesAndThumbnails(t *testing.T) {
	src := encodeJPEG(t, detailed(2200, 1400, 1), 90)
	res, err := Process(bytes.NewReader(src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 2048 || res.Height != 1303 || res.Type != "jpeg" {
		t.Errorf("got %d×%d %s, want 2048×1303 jpeg", res.Width, res.Height, res.Type)
	}
	if b := decode(t, res.JPEG).Bounds(); b.Dx() != 2048 || b.Dy() != 1303 {
		t.Errorf("photo is %v", b)
	}
	if b := decode(t, res.Thumb).Bounds(); b.Dx() != 320 || b.Dy() != 204 {
		t.Errorf("thumbnail is %v, want 320×204", b)
	}
	if !ValidHash(res.Hash) {
		t.Errorf("hash %q", res.Hash)
	}
	again, err := Process(bytes.NewReader(src), Limits{})
	if err != nil || again.Hash != res.Hash {
		t.Errorf("the same upload made another photo: %v %s %s", err, again.Hash, res.Hash)
	}
	// Scaling averages: a picture of one colour stays that colour.
	flat := image.NewRGBA(image.Rect(0, 0, 2500, 900))
	for i := range flat.Pix {
		flat.Pix[i] = []byte{200, 100, 50, 255}[i%4]
	}
	res, err = Process(bytes.NewReader(encodePNG(t, flat)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, res.JPEG)
	for _, p := range []image.Point{{0, 0}, {1000, 300}, {2047, 736}} {
		r, g, b, _ := m.At(p.X, p.Y).RGBA()
		if !near(r>>8, 200) || !near(g>>8, 100) || !near(b>>8, 50) {
			t.Errorf("pixel %v is %d,%d,%d, want about 200,100,50", p, r>>8, g>>8, b>>8)
		}
	}
	if res.Width != 2048 || res.Height != 737 {
		t.Errorf("got %d×%d, want 2048×737", res.Width, res.Height)
	}
}

// exifSides are the EXIF orientations by the spec's own words (TIFF 6.0,
// tag 274): which side of the picture, as seen, the stored 0th row and
// 0th column are.
var exifSides = map[int][2]string{
	1: {"top", "left"}, 2: {"top", "right"}, 3: {"bottom", "right"}, 4: {"bottom", "left"},
	5: {"left", "top"}, 6: {"right", "top"}, 7: {"right", "bottom"}, 8: {"left", "bottom"},
}

// stored is how a camera stores the upright picture with corner colours
// 0 1 / 2 3 under orientation o: the corner colours of the stored
// picture (top left, top right, bottom left, bottom right) and whether
// its sides are swapped.
func stored(o int) (at [4]int, swapped bool) {
	row, col := exifSides[o][0], exifSides[o][1]
	opposite := map[string]string{"top": "bottom", "bottom": "top", "left": "right", "right": "left"}
	// The colour of the upright corner where two sides meet.
	corner := func(a, b string) int {
		top := a == "top" || b == "top"
		left := a == "left" || b == "left"
		switch {
		case top && left:
			return 0
		case top:
			return 1
		case left:
			return 2
		}
		return 3
	}
	// Stored (0,0) is where row 0 and column 0 meet; along row 0 one goes
	// away from column 0, down column 0 away from row 0.
	at = [4]int{corner(row, col), corner(row, opposite[col]), corner(opposite[row], col), corner(opposite[row], opposite[col])}
	return at, row == "left" || row == "right"
}

func TestEveryOrientationTurnedUpright(t *testing.T) {
	const w, h = 96, 64 // upright
	for o := 1; o <= 8; o++ {
		at, swapped := stored(o)
		sw, sh := w, h
		if swapped {
			sw, sh = h, w
		}
		for _, bo := range []order{binary.LittleEndian, binary.BigEndian} {
			src := withExif(encodeJPEG(t, marked(sw, sh, at), 95), tiff(bo, o, false))
			if got := Orientation(src); got != o {
				t.Fatalf("orientation %d (%v): read %d", o, bo, got)
			}
			res, err := Process(bytes.NewReader(src), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			m := decode(t, res.JPEG)
			if b := m.Bounds(); b.Dx() != w || b.Dy() != h || res.Width != w || res.Height != h {
				t.Errorf("orientation %d: %v (%d×%d), want %d×%d", o, b, res.Width, res.Height, w, h)
			}
			for k := range 4 {
				if got := cornerOf(m, k); got != k {
					t.Errorf("orientation %d (%v): corner %d shows colour %d, want %d", o, bo, k, got, k)
				}
			}
			thumbed, _ := Process(bytes.NewReader(src), Limits{ThumbSide: 48})
			if b := decode(t, thumbed.Thumb).Bounds(); b.Dx() != 48 || b.Dy() != 32 {
				t.Errorf("orientation %d: thumbnail %v, want 48×32", o, b)
			}
		}
	}
}

func TestTypeIsJudgedByBytes(t *testing.T) {
	// A PNG is a PNG whatever it is called: the pipeline never sees a
	// name or a Content-Type, only bytes.
	res, err := Process(bytes.NewReader(encodePNG(t, marked(40, 30, [4]int{0, 1, 2, 3}))), Limits{})
	if err != nil || res.Type != "png" || res.Width != 40 {
		t.Fatalf("a PNG: %+v %v", res.Type, err)
	}
	m := decode(t, res.JPEG)
	for k := range 4 {
		if cornerOf(m, k) != k {
			t.Errorf("PNG: corner %d wrong", k)
		}
	}
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	for name, b := range map[string][]byte{
		"gif":                gif,
		"html":               []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"),
		"svg":                []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
		"text":               []byte("just some text, named photo.jpg"),
		"riff not webp":      append([]byte("RIFF\x10\x00\x00\x00WAVEfmt "), make([]byte, 16)...),
		"heic":               []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"half a jpeg marker": {0xFF, 0xD8},
	} {
		if _, err := Process(bytes.NewReader(b), Limits{}); codeOf(err) != "photo_type" {
			t.Errorf("%s: got %v, want photo_type", name, err)
		}
	}
	if _, err := Process(bytes.NewReader(nil), Limits{}); codeOf(err) != "photo_empty" {
		t.Errorf("empty: got %v", err)
	}
}

// bombs are tiny files whose headers claim 50,000×50,000 pixels (10 GB
// as RGBA), 16,000×16,000 for WebP.
func bombs(t *testing.T) map[string][]byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 50000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 50000)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	pngBomb := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	pngBomb = append(pngBomb, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	pngBomb = append(pngBomb, pngChunk("IEND", nil)...)

	j := encodeJPEG(t, detailed(16, 16, 2), 80)
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0 in a JPEG made by image/jpeg")
	}
	jpegBomb := bytes.Clone(j)
	binary.BigEndian.PutUint16(jpegBomb[i+5:], 50000) // height
	binary.BigEndian.PutUint16(jpegBomb[i+7:], 50000) // width

	// WebP's own decoder refuses more than 2³¹ pixels: 16,000 a side.
	x := []byte{0, 0, 0, 0}
	x = append(x, 0x7F, 0x3E, 0x00, 0x7F, 0x3E, 0x00) // 16,000 − 1, 24 bits each
	webpBomb := webpFile(riffChunk("VP8X", x), riffChunk("VP8L", []byte{0x2f, 0x4f, 0xc3, 0xd3, 0x30, 0}))
	return map[string][]byte{"png": pngBomb, "jpeg": jpegBomb, "webp": webpBomb}
}

func TestPixelBombRefusedBeforeDecoding(t *testing.T) {
	for name, b := range bombs(t) {
		if len(b) > 1000 {
			t.Fatalf("%s bomb is %d bytes", name, len(b))
		}
		_, err := Process(bytes.NewReader(b), Limits{})
		if codeOf(err) != "photo_too_many_pixels" || !strings.Contains(err.Error(), "0×") {
			t.Errorf("%s: got %v, want photo_too_many_pixels naming its size", name, err)
		}
		// Refused from the header: a few kilobytes allocated, not the
		// gigabytes the pixels would take.
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 10 {
			Process(bytes.NewReader(b), Limits{})
		}
		runtime.ReadMemStats(&after)
		per := (after.TotalAlloc - before.TotalAlloc) / 10
		if per > 64<<10 {
			t.Errorf("%s: refusing the bomb allocated %d bytes", name, per)
		}
		t.Logf("%s bomb of %d bytes refused after allocating %d bytes", name, len(b), per)
	}
}

func TestDecodeMemoryBound(t *testing.T) {
	// A progressive JPEG keeps its coefficients: 4 bytes a sample more.
	if a, b := decodeCost(progressive(t, 0, 0), TypeJPEG, 4000, 3000), int64(4000*3000*3/2); a != 5*b {
		t.Errorf("progressive 4:2:0 12 MP: estimated %d, want %d", a, 5*b)
	}
	big := Limits{MaxDecodeBytes: 100 << 20}
	_, err := prepare(progressiveHeader(t, 6000, 4000), big.withDefaults())
	if codeOf(err) != "photo_too_many_pixels" || !strings.Contains(err.Error(), "MB") {
		t.Errorf("a 24 MP progressive JPEG within 100 MB: got %v", err)
	}
}

// progressive is a JPEG whose SOF marker says progressive 4:2:0 (its
// scans are baseline: only the header is read).
func progressive(t *testing.T, w, h int) []byte {
	j := bytes.Clone(encodeJPEG(t, detailed(32, 32, 3), 80))
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	j[i+1] = 0xC2
	if w > 0 {
		binary.BigEndian.PutUint16(j[i+5:], uint16(h))
		binary.BigEndian.PutUint16(j[i+7:], uint16(w))
	}
	return j
}

func progressiveHeader(t *testing.T, w, h int) []byte { return progressive(t, w, h) }

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestTooLargeReadsNoFurther(t *testing.T) {
	head := encodeJPEG(t, detailed(64, 64, 4), 80)
	src := &countingReader{r: io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, 20<<20))}
	_, err := Process(src, Limits{})
	if codeOf(err) != "photo_too_large" || !strings.Contains(err.Error(), "larger than 10 MB") {
		t.Errorf("a 20 MB photo: got %v", err)
	}
	if src.n > 10<<20+1 {
		t.Errorf("read %d bytes of a 20 MB upload, want at most 10 MB + 1", src.n)
	}
	// Exactly the limit is accepted as far as size goes.
	exact := append(bytes.Clone(head), make([]byte, 200)...)
	if _, err := Process(bytes.NewReader(exact), Limits{MaxBytes: int64(len(exact))}); err != nil {
		t.Errorf("a photo of exactly MaxBytes: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestBrokenPhotos(t *testing.T) {
	j := encodeJPEG(t, detailed(300, 200, 5), 85)
	p := encodePNG(t, detailed(300, 200, 6))
	w := webpLossless(marked(40, 30, [4]int{0, 1, 2, 3}), nil)
	for name, b := range map[string][]byte{
		"truncated jpeg":      j[:len(j)/2],
		"jpeg header only":    j[:200],
		"jpeg scan garbled":   append(bytes.Clone(j[:len(j)-400]), bytes.Repeat([]byte{0xFF, 0x00, 0xFF, 0xC9}, 50)...),
		"truncated png":       p[:len(p)/2],
		"png without IHDR":    p[:8],
		"truncated webp":      w[:len(w)-5],
		"webp, vp8x mismatch": webpFile(riffChunk("VP8X", []byte{0, 0, 0, 0, 9, 0, 0, 9, 0, 0}), riffChunk("VP8L", vp8l(marked(40, 30, [4]int{0, 1, 2, 3})))),
	} {
		_, err := Process(bytes.NewReader(b), Limits{})
		if codeOf(err) != "photo_broken" {
			t.Errorf("%s: got %v, want photo_broken", name, err)
		}
	}
}

// segments are the markers of a JPEG's segments before its first scan.
func segments(t *testing.T, b []byte) []byte {
	var ms []byte
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		m := b[i+1]
		ms = append(ms, m)
		if m == 0xDA {
			return ms
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	t.Fatalf("no scan found in the output")
	return nil
}

func TestNoExifNoGPSInOutput(t *testing.T) {
	src := withExif(encodeJPEG(t, detailed(800, 600, 7), 90), tiff(binary.BigEndian, 6, true))
	if !bytes.Contains(src, gpsBytes) || Orientation(src) != 6 {
		t.Fatal("the test's GPS photo is not what it should be")
	}
	res, err := Process(bytes.NewReader(src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 600 || res.Height != 800 {
		t.Errorf("turned: %d×%d, want 600×800", res.Width, res.Height)
	}
	for name, b := range map[string][]byte{"photo": res.JPEG, "thumbnail": res.Thumb} {
		for _, m := range segments(t, b) {
			if m >= 0xE0 && m <= 0xEF || m == 0xFE {
				t.Errorf("%s has an APP%d or comment segment (%#x)", name, m-0xE0, m)
			}
		}
		for _, s := range [][]byte{[]byte("Exif"), gpsBytes, gpsBytes[:12], []byte("Luot")} {
			if bytes.Contains(b, s) {
				t.Errorf("%s contains %q of the upload's EXIF", name, s)
			}
		}
		if Orientation(b) != 1 {
			t.Errorf("%s has an orientation", name)
		}
	}
}

func TestWebP(t *testing.T) {
	up := marked(48, 32, [4]int{0, 1, 2, 3})
	res, err := Process(bytes.NewReader(webpLossless(up, nil)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Type != "webp" || res.Width != 48 || res.Height != 32 {
		t.Errorf("got %s %d×%d", res.Type, res.Width, res.Height)
	}
	m := decode(t, res.JPEG)
	for k := range 4 {
		if cornerOf(m, k) != k {
			t.Errorf("WebP: corner %d shows %d", k, cornerOf(m, k))
		}
	}
	// An extended WebP with an EXIF chunk saying "turn a quarter
	// clockwise" (stored as a camera held on its side does).
	for _, ex := range [][]byte{tiff(binary.LittleEndian, 6, true), append([]byte("Exif\x00\x00"), tiff(binary.BigEndian, 6, false)...)} {
		at, _ := stored(6)
		src := webpLossless(marked(32, 48, at), ex)
		if Orientation(src) != 6 {
			t.Fatalf("WebP EXIF orientation read as %d", Orientation(src))
		}
		res, err := Process(bytes.NewReader(src), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		m := decode(t, res.JPEG)
		if res.Width != 48 || res.Height != 32 {
			t.Errorf("WebP with EXIF: %d×%d, want 48×32", res.Width, res.Height)
		}
		for k := range 4 {
			if cornerOf(m, k) != k {
				t.Errorf("WebP with EXIF: corner %d shows %d", k, cornerOf(m, k))
			}
		}
		if bytes.Contains(res.JPEG, gpsBytes[:12]) {
			t.Error("the WebP's GPS reached the output")
		}
	}
}

func TestTransparentPNGOnWhite(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	m.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 255})
	res, err := Process(bytes.NewReader(encodePNG(t, m)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := decode(t, res.JPEG).At(15, 15).RGBA()
	if r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
		t.Errorf("transparent became %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
}

func TestOrientationParserBounds(t *testing.T) {
	good := tiff(binary.LittleEndian, 8, false)
	if tiffOrientation(good) != 8 {
		t.Fatal("the test's TIFF is not read")
	}
	// Every prefix short of the orientation entry reads as upright, and
	// offsets pointing anywhere read without going out of bounds.
	for n := range 8 + 2 + 2*12 {
		if o := tiffOrientation(good[:n]); o != 1 {
			t.Errorf("a TIFF cut to %d bytes read as %d", n, o)
		}
	}
	for _, off := range []uint32{0, 1, 7, uint32(len(good)), 1 << 31, 1<<32 - 1} {
		b := bytes.Clone(good)
		binary.LittleEndian.PutUint32(b[4:], off)
		tiffOrientation(b)
	}
	bad := bytes.Clone(good)
	binary.LittleEndian.PutUint16(bad[8+2+12+8:], 9)
	if tiffOrientation(bad) != 1 {
		t.Error("orientation 9 is not an orientation")
	}
}

func TestWebPLossy(t *testing.T) {
	// Lossy WebP (VP8), opaque and with an alpha chunk: see testdata/README.md.
	for _, name := range []string{"lossy.webp", "lossy-alpha.webp"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Process(bytes.NewReader(src), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Type != "webp" || res.Width != 96 || res.Height != 64 {
			t.Errorf("%s: %s %d×%d", name, res.Type, res.Width, res.Height)
		}
		m := decode(t, res.JPEG)
		for k := range 4 {
			if got := cornerOf(m, k); got != k {
				t.Errorf("%s: corner %d shows %d", name, k, got)
			}
		}
		r, g, b, _ := m.At(48, 32).RGBA()
		if r>>8 > 40 || g>>8 > 40 || b>>8 > 40 {
			t.Errorf("%s: the middle is %d,%d,%d, want black", name, r>>8, g>>8, b>>8)
		}
		r, g, b, _ = m.At(24, 8).RGBA()
		want := uint8(0) // black background
		if name == "lossy-alpha.webp" {
			want = 255 // transparent, on white
		}
		if !near(r>>8, want) || !near(g>>8, want) || !near(b>>8, want) {
			t.Errorf("%s: the background is %d,%d,%d, want %d", name, r>>8, g>>8, b>>8, want)
		}
	}
}
