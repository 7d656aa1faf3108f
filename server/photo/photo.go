// Package photo is the pipeline of the photos of feedback reports: it reads
// an upload within a size limit, judges its type by its bytes (JPEG, PNG or
// WebP), refuses too many pixels before decoding, turns the picture upright
// by its EXIF orientation, scales it down, re-encodes it as a JPEG without
// any metadata (no EXIF, so no GPS), makes a thumbnail and names both by
// the SHA-256 of the re-encoded JPEG. Dir keeps them on disk; Pipeline
// bounds how many decode at once, by their memory.
package photo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"

	"golang.org/x/image/webp"

	"luot/server/photo/fastjpeg"
	"luot/server/queue"
)

// Limits bound what Process accepts and what it makes. A zero field takes
// its default (DefaultLimits).
type Limits struct {
	// MaxBytes is the largest upload read, in bytes.
	MaxBytes int64
	// MaxPixels is the most pixels (width × height) a photo may have; it is
	// checked from the header, before decoding.
	MaxPixels int64
	// MaxDecodeBytes is the most memory the decoded picture may need, as
	// estimated from its header (a progressive JPEG or a 16-bit PNG needs
	// several times the bytes of its pixels).
	MaxDecodeBytes int64
	// MaxSide is the longest side of the re-encoded photo, in pixels.
	MaxSide int
	// ThumbSide is the longest side of the thumbnail, in pixels.
	ThumbSide int
	// Quality is the JPEG quality of the photo and its thumbnail (1–100).
	Quality int
}

// DefaultLimits are the limits of DESIGN.md: 10 MB, 40 megapixels, photos
// re-encoded to at most 2,048 pixels a side and thumbnails of 320.
var DefaultLimits = Limits{
	MaxBytes:       10 << 20,
	MaxPixels:      40_000_000,
	MaxDecodeBytes: 200 << 20,
	MaxSide:        2048,
	ThumbSide:      320,
	Quality:        85,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxDecodeBytes <= 0 {
		l.MaxDecodeBytes = d.MaxDecodeBytes
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	if l.ThumbSide <= 0 {
		l.ThumbSide = d.ThumbSide
	}
	if l.Quality <= 0 || l.Quality > 100 {
		l.Quality = d.Quality
	}
	return l
}

// Result is a processed photo: the re-encoded JPEG and its thumbnail,
// the photo's size after turning and scaling, and its name.
type Result struct {
	JPEG  []byte
	Thumb []byte
	// Width and Height are the re-encoded photo's, upright.
	Width, Height int
	// Hash is the hexadecimal SHA-256 of JPEG: the photo's name.
	Hash string
	// Type is what the upload was: "jpeg", "png" or "webp".
	Type string
}

// Process reads a photo from r (at most lim.MaxBytes) and makes its
// Result. Its errors are *queue.Error of kind KindInvalid with the codes
// photo_too_large, photo_empty, photo_type, photo_too_many_pixels and
// photo_broken. Process bounds one photo's memory; Pipeline bounds how
// many are processed at once.
func Process(r io.Reader, lim Limits) (Result, error) {
	lim = lim.withDefaults()
	data, err := readLimited(r, lim)
	if err != nil {
		return Result{}, err
	}
	j, err := prepare(data, lim)
	if err != nil {
		return Result{}, err
	}
	return j.run()
}

// readLimited reads r up to lim.MaxBytes+1 bytes, in a buffer of the
// upload's size when r tells it (as bytes.Reader, io.SectionReader,
// multipart.File and os.File do), so that no doubling buffer is left as
// garbage.
func readLimited(r io.Reader, lim Limits) ([]byte, error) {
	var buf bytes.Buffer
	if n := sizeHint(r); n > 0 {
		buf.Grow(int(min(n, lim.MaxBytes)) + bytes.MinRead + 1)
	}
	_, err := buf.ReadFrom(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the photo: %w", err)
	}
	data := buf.Bytes()
	if int64(len(data)) > lim.MaxBytes {
		return nil, errTooLarge(lim)
	}
	if len(data) == 0 {
		return nil, errEmpty()
	}
	return data, nil
}

func errTooLarge(lim Limits) error {
	return queue.NewError(queue.KindInvalid, "photo_too_large", "the photo is larger than {max} MB: send a smaller one", "max", lim.MaxBytes>>20)
}

func errEmpty() error {
	return queue.NewError(queue.KindInvalid, "photo_empty", "the photo is empty: choose it again")
}

// sizeHint is how many bytes r says it has left, or 0.
func sizeHint(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case interface{ Size() int64 }:
		return r.Size()
	case interface{ Stat() (fs.FileInfo, error) }:
		if st, err := r.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size()
		}
	}
	return 0
}

// Types of photo accepted, as Sniff names them.
const (
	TypeJPEG = "jpeg"
	TypePNG  = "png"
	TypeWebP = "webp"
)

// Sniff names the type of a photo from its first bytes: "jpeg", "png",
// "webp", or "" for anything else, whatever its name or Content-Type says.
func Sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return TypeJPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case len(b) >= 16 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return TypeWebP
	}
	return ""
}

// job is a photo whose header has been read and judged: what is left is
// the decoding, which Pipeline schedules by cost.
type job struct {
	data   []byte
	typ    string
	w, h   int
	orient int
	cost   int64 // estimated peak bytes of decoding and re-encoding
	lim    Limits
}

func errBroken() error {
	return queue.NewError(queue.KindInvalid, "photo_broken", "the photo cannot be read: the file is damaged or incomplete; take or save it again")
}

// prepare judges a photo by its header, without decoding its pixels.
func prepare(data []byte, lim Limits) (*job, error) {
	typ := Sniff(data)
	if typ == "" {
		return nil, queue.NewError(queue.KindInvalid, "photo_type", "the file is not a JPEG, PNG or WebP photo: choose a photo in one of these types")
	}
	var cfg image.Config
	var err error
	switch typ {
	case TypeJPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case TypePNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case TypeWebP:
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errBroken()
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if px > lim.MaxPixels {
		return nil, queue.NewError(queue.KindInvalid, "photo_too_many_pixels", "the photo has {width}×{height} pixels, more than {max} megapixels: send a smaller one",
			"width", cfg.Width, "height", cfg.Height, "max", lim.MaxPixels/1_000_000)
	}
	j := &job{data: data, typ: typ, w: cfg.Width, h: cfg.Height, orient: Orientation(data), lim: lim}
	j.cost = decodeCost(data, typ, cfg.Width, cfg.Height) + workCost(cfg.Width, cfg.Height, lim) + int64(len(data))
	if j.cost > lim.MaxDecodeBytes {
		return nil, queue.NewError(queue.KindInvalid, "photo_too_many_pixels", "the photo has {width}×{height} pixels stored in a way that needs {mb} MB to read, more than {max} MB: save it as an ordinary JPEG or send a smaller one",
			"width", cfg.Width, "height", cfg.Height, "mb", j.cost>>20, "max", lim.MaxDecodeBytes>>20)
	}
	return j, nil
}

// run decodes, turns, scales and re-encodes the photo.
func (j *job) run() (res Result, err error) {
	defer func() {
		// The decoders are meant never to panic on bad input; should one,
		// the photo is refused rather than the server brought down.
		if p := recover(); p != nil {
			res, err = Result{}, errBroken()
		}
	}()
	var m image.Image
	w, h := j.w, j.h // the size the header promises
	rd := bytes.NewReader(j.data)
	switch j.typ {
	case TypeJPEG:
		m, w, h, err = decodeJPEG(j.data, j.w, j.h, j.lim.MaxSide)
	case TypePNG:
		m, err = png.Decode(rd)
	case TypeWebP:
		m, err = webp.Decode(rd)
	}
	if err != nil {
		return Result{}, errBroken()
	}
	if b := m.Bounds(); b.Dx() != w || b.Dy() != h {
		// The header said one size and the pixels are another.
		return Result{}, errBroken()
	}
	return finish(m, j.orient, j.lim, j.typ)
}

// jpegDenom is how much a w×h JPEG is reduced while it is decoded: the
// largest 1/denom of 1/2, 1/4 and 1/8 that leaves its longer side at least
// 7/8 of maxSide. Reducing in the DCT domain costs nothing (less, since
// the smaller inverse transforms are cheaper), where scaling a full-size
// picture down takes a pass over all its pixels; a photo that comes out
// up to 1/8 below maxSide is kept at that size rather than decoded at a
// larger scale and area-averaged down. So a 4000×3000 photo is decoded at
// 2000×1500 and kept at that size, and a 6000×4000 one at 3000×2000 and
// then scaled to 2048×1365.
func jpegDenom(w, h, maxSide int) int {
	long := max(w, h)
	d := 1
	for _, c := range []int{2, 4, 8} {
		if (long+c-1)/c*8 >= 7*maxSide {
			d = c
		}
	}
	return d
}

// decodeJPEG decodes a w×h JPEG reduced by jpegDenom with fastjpeg, or at
// full size with image/jpeg when fastjpeg does not handle its kind
// (progressive, CMYK...) or refuses it as damaged: image/jpeg reads some
// damaged files that fastjpeg refuses (a missing quantisation table, a
// bad Huffman code in the last blocks), and a photo accepted before this
// decoder existed is accepted still. It returns the picture and the size
// it must have.
func decodeJPEG(data []byte, w, h, maxSide int) (image.Image, int, int, error) {
	d := jpegDenom(w, h, maxSide)
	if m, err := fastjpeg.DecodeScaled(data, d); err == nil {
		return m, (w + d - 1) / d, (h + d - 1) / d, nil
	}
	full, err := jpeg.Decode(bytes.NewReader(data))
	return full, w, h, err
}

// finish scales m down, turns it upright and encodes the photo and its
// thumbnail.
func finish(m image.Image, orient int, lim Limits, typ string) (Result, error) {
	b := m.Bounds()
	dw, dh := fit(b.Dx(), b.Dy(), lim.MaxSide)
	y := scaled(m, dw, dh)
	m = nil // the decoded picture may go before encoding
	y = y.orient(orient)
	var out bytes.Buffer
	if err := writeJPEG(&out, y.image(), lim.Quality); err != nil {
		return Result{}, fmt.Errorf("encoding the photo: %w", err)
	}
	tw, th := fit(y.y.w, y.y.h, lim.ThumbSide)
	t := y.scaled420(tw, th)
	var thumb bytes.Buffer
	if err := writeJPEG(&thumb, t.image(), lim.Quality); err != nil {
		return Result{}, fmt.Errorf("encoding the thumbnail: %w", err)
	}
	sum := sha256.Sum256(out.Bytes())
	return Result{JPEG: out.Bytes(), Thumb: thumb.Bytes(), Width: y.y.w, Height: y.y.h, Hash: hex.EncodeToString(sum[:]), Type: typ}, nil
}

// writeJPEG writes m as a baseline JPEG of the given quality with
// fastjpeg, or with image/jpeg for a picture fastjpeg does not handle.
func writeJPEG(w *bytes.Buffer, m *image.YCbCr, quality int) error {
	err := fastjpeg.Encode(w, m, quality)
	if errors.Is(err, fastjpeg.ErrUnsupported) {
		w.Reset() // fastjpeg writes nothing before refusing; made sure here
		err = jpeg.Encode(w, m, &jpeg.Options{Quality: quality})
	}
	return err
}

// fit is the size of a w×h picture scaled down so that its longer side is
// at most side; a picture already small enough keeps its size.
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, int((int64(h)*int64(side)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(side)+int64(h)/2)/int64(h))), side
}
