package photo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fuzzLimits keep each fuzzed photo small, so that the fuzzer tries many.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 128, ThumbSide: 32}

// fuzzSeeds are the seed photos of both fuzz targets; their files in
// testdata/fuzz are written from here (LUOT_FUZZ_SEEDS=1 go test -run
// TestFuzzSeeds).
func fuzzSeeds(t *testing.T) map[string][]byte {
	at, _ := stored(6)
	j := encodeJPEG(t, marked(16, 24, at), 80)
	seeds := map[string][]byte{
		"jpeg-exif6-le":  withExif(j, tiff(binary.LittleEndian, 6, true)),
		"jpeg-exif3-be":  withExif(j, tiff(binary.BigEndian, 3, false)),
		"jpeg-truncated": j[:len(j)/2],
		"png":            encodePNG(t, marked(12, 8, [4]int{0, 1, 2, 3})),
		"webp-lossless":  webpLossless(marked(12, 8, [4]int{0, 1, 2, 3}), nil),
		"webp-exif8":     webpLossless(marked(8, 12, [4]int{0, 1, 2, 3}), tiff(binary.BigEndian, 8, false)),
		"tiff-le":        tiff(binary.LittleEndian, 5, true),
	}
	for name, b := range bombs(t) {
		seeds["bomb-"+name] = b
	}
	for _, name := range []string{"lossy.webp", "lossy-alpha.webp"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		seeds["webp-"+name[:len(name)-5]] = b
	}
	return seeds
}

func TestFuzzSeeds(t *testing.T) {
	seeds := fuzzSeeds(t)
	for _, target := range []string{"FuzzProcess", "FuzzOrientation"} {
		dir := filepath.Join("testdata", "fuzz", target)
		for name, b := range seeds {
			file := filepath.Join(dir, name)
			want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
			if os.Getenv("LUOT_FUZZ_SEEDS") == "1" {
				os.MkdirAll(dir, 0o755)
				if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(file)
			if err != nil || string(got) != want {
				// image/jpeg's output may change with Go; the seeds are
				// seeds still, but should be made again.
				t.Logf("%s differs from what the tests make (LUOT_FUZZ_SEEDS=1 rewrites it): %v", file, err)
			}
		}
	}
}

// FuzzProcess: whatever the bytes, Process refuses them with a code or
// makes a JPEG within the limits, named by its hash, without metadata.
func FuzzProcess(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Process(bytes.NewReader(b), fuzzLimits)
		if err != nil {
			switch codeOf(err) {
			case "photo_too_large", "photo_empty", "photo_type", "photo_too_many_pixels", "photo_broken":
			default:
				t.Fatalf("refused without a code: %v", err)
			}
			return
		}
		if res.Width < 1 || res.Height < 1 || res.Width > 128 || res.Height > 128 {
			t.Fatalf("made %d×%d", res.Width, res.Height)
		}
		if sum := sha256.Sum256(res.JPEG); hex.EncodeToString(sum[:]) != res.Hash {
			t.Fatal("the hash is not the JPEG's")
		}
		m := decode(t, res.JPEG)
		if m.Bounds().Dx() != res.Width || m.Bounds().Dy() != res.Height {
			t.Fatalf("the JPEG is %v, the result says %d×%d", m.Bounds(), res.Width, res.Height)
		}
		decode(t, res.Thumb)
		for _, s := range segments(t, res.JPEG) {
			if s >= 0xE0 && s <= 0xEF {
				t.Fatalf("the output has an APP%d segment", s-0xE0)
			}
		}
	})
}

// FuzzOrientation: the header readers stay within the bytes and say an
// orientation from 1 to 8.
func FuzzOrientation(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []int{Orientation(b), tiffOrientation(b)} {
			if o < 1 || o > 8 {
				t.Fatalf("orientation %d", o)
			}
		}
		info := jpegHeader(b)
		if info.samples64 < 0 || len(info.exif) > len(b) {
			t.Fatalf("jpeg header %+v", info)
		}
		for _, typ := range []string{TypeJPEG, TypePNG, TypeWebP} {
			if c := decodeCost(b, typ, 1000, 1000); c < 0 {
				t.Fatalf("cost %d", c)
			}
		}
		webpChunk(b, "EXIF")
	})
}
