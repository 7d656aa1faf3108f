package photo

import "encoding/binary"

// This file reads the few things the pipeline needs from a photo's
// headers — its EXIF orientation and how its pixels are stored — with
// bounds checked at every step: the bytes are a stranger's.

// Orientation is the EXIF orientation (1–8) of a JPEG (APP1 "Exif") or
// WebP (EXIF chunk) photo, and 1 (upright) when it has none or it cannot
// be read.
func Orientation(data []byte) int {
	var tiff []byte
	switch Sniff(data) {
	case TypeJPEG:
		tiff = jpegHeader(data).exif
	case TypeWebP:
		tiff = webpChunk(data, "EXIF")
		if len(tiff) >= 6 && string(tiff[:6]) == "Exif\x00\x00" {
			tiff = tiff[6:]
		}
	}
	return tiffOrientation(tiff)
}

// tiffOrientation reads tag 0x0112 of IFD0 of a TIFF structure (the body
// of an EXIF block), in either byte order.
func tiffOrientation(b []byte) int {
	if len(b) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := uint64(bo.Uint32(b[4:8]))
	if off+2 > uint64(len(b)) {
		return 1
	}
	n := uint64(bo.Uint16(b[off:]))
	off += 2
	n = min(n, (uint64(len(b))-off)/12)
	for i := range n {
		e := b[off+12*i : off+12*i+12]
		if bo.Uint16(e[0:2]) != 0x0112 || bo.Uint32(e[4:8]) < 1 {
			continue
		}
		var v uint32
		switch bo.Uint16(e[2:4]) {
		case 3: // SHORT, in the first two bytes of the value field
			v = uint32(bo.Uint16(e[8:10]))
		case 4: // LONG, written so by a few tools
			v = bo.Uint32(e[8:12])
		default:
			return 1
		}
		if v >= 1 && v <= 8 {
			return int(v)
		}
		return 1
	}
	return 1
}

// jpegInfo is what jpegHeader finds before the first scan.
type jpegInfo struct {
	exif        []byte // the TIFF structure of the first APP1 "Exif" segment
	progressive bool
	// samples is the number of samples per pixel over all components, in
	// 64ths (a 4:2:0 YCbCr JPEG has 64+16+16).
	samples64  int
	components int
}

// jpegHeader walks a JPEG's segments up to its first scan.
func jpegHeader(b []byte) jpegInfo {
	var info jpegInfo
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return info
		}
		m := b[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0x01 || m >= 0xD0 && m <= 0xD8 { // markers without a length
			i += 2
			continue
		}
		if m == 0xDA || m == 0xD9 { // start of scan, end of image
			return info
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return info
		}
		seg := b[i+4 : i+2+n]
		switch {
		case m == 0xE1 && info.exif == nil && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00":
			info.exif = seg[6:]
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			info.progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE
			if len(seg) >= 6 {
				nc := int(seg[5])
				info.components = nc
				hmax, vmax := 1, 1
				var hv [][2]int
				for c := 0; c < nc && 6+3*c+2 < len(seg); c++ {
					f := seg[6+3*c+1]
					h, v := max(1, int(f>>4)), max(1, int(f&15))
					hmax, vmax = max(hmax, h), max(vmax, v)
					hv = append(hv, [2]int{h, v})
				}
				info.samples64 = 0
				for _, s := range hv {
					info.samples64 += 64 * s[0] * s[1] / (hmax * vmax)
				}
			}
		}
		i += 2 + n
	}
	return info
}

// webpChunk is the body of the first chunk named id of a WebP file.
func webpChunk(b []byte, id string) []byte {
	if len(b) < 12 {
		return nil
	}
	i := 12
	for i+8 <= len(b) {
		n := uint64(binary.LittleEndian.Uint32(b[i+4:]))
		if uint64(i)+8+n > uint64(len(b)) {
			return nil
		}
		if string(b[i:i+4]) == id {
			return b[i+8 : i+8+int(n)]
		}
		i += 8 + int(n) + int(n&1) // chunks are padded to an even length
	}
	return nil
}

// decodeCost estimates the bytes the standard decoders allocate for a
// photo of w×h pixels stored as data says: the decoded picture, and for a
// progressive JPEG its coefficients (4 bytes a sample) as well.
func decodeCost(data []byte, typ string, w, h int) int64 {
	px := int64(w) * int64(h)
	switch typ {
	case TypeJPEG:
		info := jpegHeader(data)
		samples := px * int64(max(info.samples64, 64)) / 64
		cost := samples
		if info.progressive {
			cost += 4 * samples
		}
		if info.components == 4 { // CMYK is converted to an image.CMYK
			cost += 4 * px
		}
		return cost
	case TypePNG:
		// IHDR: bit depth at 24, colour type at 25, interlace at 28.
		if len(data) < 29 {
			return 8 * px
		}
		depth, color, interlaced := data[24], data[25], data[28] == 1
		var per int64
		switch color {
		case 0: // grey
			per = 1
		case 3: // palette
			per = 1
		default: // grey+alpha, RGB, RGBA become 4 bytes a pixel
			per = 4
		}
		if depth == 16 {
			per *= 2
		}
		if interlaced { // the passes are decoded apart, then put together
			per *= 2
		}
		return per * px
	case TypeWebP:
		if webpChunk(data, "VP8L") != nil {
			return 8 * px // the NRGBA picture and the decoder's pixels
		}
		cost := px * 3 / 2
		if webpChunk(data, "ALPH") != nil {
			cost += 2 * px
		}
		return cost
	}
	return 8 * px
}

// workCost is the memory of scaling and encoding a w×h photo: the scaled
// planes (three full ones at most) twice over, as turning copies them,
// and the encoded bytes (at most a byte a pixel).
func workCost(w, h int, lim Limits) int64 {
	dw, dh := fit(w, h, lim.MaxSide)
	px := int64(dw) * int64(dh)
	return 2*3*px + px
}
