package station

import (
	"bytes"
	"image"
	_ "image/jpeg" // the clerk's photo is a JPEG (the server's format) …
	_ "image/png"  // … or a PNG

	"golang.org/x/image/draw"
)

// Limits of the clerk's photo: larger images are not decoded (the
// placeholder shows), decoded ones are cut to a centred square and scaled
// to photoSide pixels, so a photo costs the screen a small texture
// whatever was uploaded.
const (
	maxPhotoPixels = 40_000_000
	photoSide      = 256
)

// decodePhoto returns the photo in b as a photoSide square, or nil when b
// is empty, too large or not an image.
func decodePhoto(b []byte) image.Image {
	if len(b) == 0 {
		return nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return nil
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	r := img.Bounds()
	side := min(r.Dx(), r.Dy())
	// A portrait photo keeps its top (the face), a landscape one its middle.
	x0 := r.Min.X + (r.Dx()-side)/2
	y0 := r.Min.Y
	if r.Dx() >= r.Dy() {
		y0 = r.Min.Y + (r.Dy()-side)/2
	} else {
		y0 = r.Min.Y + (r.Dy()-side)/5
	}
	dst := image.NewNRGBA(image.Rect(0, 0, photoSide, photoSide))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, image.Rect(x0, y0, x0+side, y0+side), draw.Src, nil)
	return dst
}
