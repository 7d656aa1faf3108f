// Package fastjpeg is the photo pipeline's own JPEG codec, written for
// speed on the one case that matters there: a baseline JPEG from a phone's
// camera, decoded straight to a reduced size in the DCT domain (1/2, 1/4
// or 1/8 of each side, as libjpeg's scaled decoding does), and the
// re-encoded photo and thumbnail written as baseline 4:2:0 JPEGs.
//
// It is not a general codec: what it does not handle (progressive or
// arithmetic-coded JPEGs, 12-bit samples, CMYK, unusual sampling) it
// refuses with ErrUnsupported, and the caller falls back to the standard
// library's image/jpeg.
package fastjpeg

import "errors"

// ErrUnsupported is returned for a valid JPEG this package does not
// handle; the caller decodes or encodes it with image/jpeg instead.
var ErrUnsupported = errors.New("fastjpeg: unsupported JPEG variant")

// unzig maps the zig-zag order of coefficients in the entropy-coded data
// (ITU-T T.81, figure A.6) to their natural, row-major order in the 8×8
// block.
var unzig = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}
