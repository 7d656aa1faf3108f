package fastjpeg

import (
	"bytes"
	"errors"
	"image/jpeg"
	"testing"
)

// seg is a marker segment of a JPEG: its marker and its parameters.
type seg struct {
	m    byte
	body []byte
}

// split cuts a JPEG of one scan into its segments up to SOS included,
// and the rest (the entropy-coded data and EOI).
func split(t *testing.T, data []byte) ([]seg, []byte) {
	t.Helper()
	var segs []seg
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			t.Fatal("lost in the segments")
		}
		m, n := data[i+1], int(data[i+2])<<8|int(data[i+3])
		segs = append(segs, seg{m, bytes.Clone(data[i+4 : i+2+n])})
		i += 2 + n
		if m == 0xDA {
			return segs, bytes.Clone(data[i:])
		}
	}
	t.Fatal("no SOS")
	return nil, nil
}

// join makes a JPEG of segments and a tail.
func join(segs []seg, tail []byte) []byte {
	out := []byte{0xFF, 0xD8}
	for _, s := range segs {
		n := len(s.body) + 2
		out = append(out, 0xFF, s.m, byte(n>>8), byte(n))
		out = append(out, s.body...)
	}
	return append(out, tail...)
}

// edit returns data with the first segment of marker m changed by f.
func edit(t *testing.T, data []byte, m byte, f func(b []byte) []byte) []byte {
	t.Helper()
	segs, tail := split(t, data)
	for i := range segs {
		if segs[i].m == m {
			segs[i].body = f(segs[i].body)
			return join(segs, tail)
		}
	}
	t.Fatalf("no marker %02X", m)
	return nil
}

// insert returns data with a segment added before the first of marker
// before.
func insert(t *testing.T, data []byte, before byte, s seg) []byte {
	t.Helper()
	segs, tail := split(t, data)
	for i := range segs {
		if segs[i].m == before {
			segs = append(segs[:i], append([]seg{s}, segs[i:]...)...)
			return join(segs, tail)
		}
	}
	t.Fatalf("no marker %02X", before)
	return nil
}

func small420(t *testing.T) []byte { return stdJPEG(t, detailedRGBA(33, 17, 5), 85) }

// TestDecodeUnsupported checks that the JPEGs this package leaves to image/jpeg
// are refused with ErrUnsupported.
func TestDecodeUnsupported(t *testing.T) {
	base := small420(t)
	sof := func(m byte) []byte {
		segs, tail := split(t, base)
		for i := range segs {
			if segs[i].m == 0xC0 {
				segs[i].m = m
			}
		}
		return join(segs, tail)
	}
	// A minimal progressive JPEG as an encoder of SOF2 would start it:
	// SOI, a DQT, the frame header, nothing more needed to refuse it.
	progressive := []byte{0xFF, 0xD8, 0xFF, 0xDB, 0, 67, 0}
	for range 64 {
		progressive = append(progressive, 1)
	}
	progressive = append(progressive, 0xFF, 0xC2, 0, 11, 8, 0, 16, 0, 16, 1, 1, 0x11, 0, 0xFF, 0xD9)
	cases := map[string][]byte{
		"progressive":          progressive,
		"progressive-stdlib":   sof(0xC2),
		"lossless":             sof(0xC3),
		"arithmetic":           sof(0xC9),
		"arithmetic-DAC":       insert(t, base, 0xDA, seg{0xCC, []byte{0x00, 0x10}}),
		"hierarchical-DHP":     insert(t, base, 0xC0, seg{0xDE, []byte{8, 0, 16, 0, 16, 1, 1, 0x11, 0}}),
		"12-bit":               edit(t, sof(0xC1), 0xC1, func(b []byte) []byte { b[0] = 12; return b }),
		"4:1:1":                edit(t, base, 0xC0, func(b []byte) []byte { b[7] = 0x41; return b }),
		"chroma-2x2":           edit(t, base, 0xC0, func(b []byte) []byte { b[10] = 0x22; return b }),
		"luma-3x1":             edit(t, base, 0xC0, func(b []byte) []byte { b[7] = 0x31; return b }),
		"RGB-ids":              renameIDs(t, base, "RGB"),
		"Adobe-RGB":            insert(t, base, 0xC0, seg{0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x00")}),
		"Adobe-YCbCr-then-DNL": insert(t, insert(t, base, 0xC0, seg{0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01")}), 0xDA, seg{0xDC, []byte{0, 17}}),
		"CMYK": edit(t, base, 0xC0, func(b []byte) []byte {
			b[5] = 4
			return append(b, 4, 0x11, 1)
		}),
	}
	for name, data := range cases {
		for _, d := range []int{1, 2, 8} {
			if _, err := DecodeScaled(data, d); !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s 1/%d: %v, want ErrUnsupported", name, d, err)
			}
		}
	}
	// Adobe's YCbCr transform, SOF1 and a harmless reserved segment are
	// read.
	for name, data := range map[string][]byte{
		"Adobe-YCbCr": insert(t, base, 0xC0, seg{0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01")}),
		"SOF1":        sof(0xC1),
		"JPG0":        insert(t, base, 0xDA, seg{0xF0, []byte{1, 2, 3}}),
		"COM":         insert(t, base, 0xDA, seg{0xFE, []byte("hello")}),
	} {
		if _, err := DecodeScaled(data, 1); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// renameIDs gives the three components of a JPEG from image/jpeg the ids
// of names in its frame and scan headers.
func renameIDs(t *testing.T, data []byte, names string) []byte {
	data = edit(t, data, 0xC0, func(b []byte) []byte {
		for c := range 3 {
			b[6+3*c] = names[c]
		}
		return b
	})
	return edit(t, data, 0xDA, func(b []byte) []byte {
		for c := range 3 {
			b[1+2*c] = names[c]
		}
		return b
	})
}

// TestDecodeMalformed checks that damaged JPEGs are refused with an error that
// is not ErrUnsupported, and without a panic.
func TestDecodeMalformed(t *testing.T) {
	base := small420(t)
	withRI := fixtureJPEG(detailedRGBA(40, 24, 2), fixture{h: 2, v: 2, ri: 1, quality: 1})
	segs, tail := split(t, base)
	sosAt := 2 // the end of the SOS header
	for _, s := range segs {
		sosAt += 4 + len(s.body)
	}
	cases := map[string][]byte{
		"empty":         {},
		"SOI only":      {0xFF, 0xD8},
		"no SOI":        base[2:],
		"SOI EOI":       {0xFF, 0xD8, 0xFF, 0xD9},
		"no EOI":        base[:len(base)-2],
		"no frame":      join(nil, tail),
		"zero width":    edit(t, base, 0xC0, func(b []byte) []byte { b[3], b[4] = 0, 0; return b }),
		"zero height":   edit(t, base, 0xC0, func(b []byte) []byte { b[1], b[2] = 0, 0; return b }),
		"2 components":  edit(t, base, 0xC0, func(b []byte) []byte { b[5] = 2; return b[:12] }),
		"SOF too long":  edit(t, base, 0xC0, func(b []byte) []byte { return append(b, 0) }),
		"SOF too short": edit(t, base, 0xC0, func(b []byte) []byte { return b[:5] }),
		"sampling 0":    edit(t, base, 0xC0, func(b []byte) []byte { b[7] = 0x02; return b }),
		"sampling 5":    edit(t, base, 0xC0, func(b []byte) []byte { b[7] = 0x51; return b }),
		"repeated id":   edit(t, base, 0xC0, func(b []byte) []byte { b[9] = b[6]; return b }),
		"quant id 5":    edit(t, base, 0xC0, func(b []byte) []byte { b[8] = 5; return b }),
		"quant missing": edit(t, base, 0xC0, func(b []byte) []byte { b[8] = 3; return b }),
		"two frames":    insert(t, base, 0xDA, seg{0xC0, segs[1].body}),
		"DQT short":     edit(t, base, 0xDB, func(b []byte) []byte { return b[:40] }),
		"DQT id 4":      edit(t, base, 0xDB, func(b []byte) []byte { b[0] = 4; return b }),
		"DQT 2 bytes":   edit(t, base, 0xDB, func(b []byte) []byte { b[0] = 0x20; return b }),
		"DHT short":     edit(t, base, 0xC4, func(b []byte) []byte { return b[:10] }),
		"DHT no codes": edit(t, base, 0xC4, func(b []byte) []byte {
			for i := 1; i <= 16; i++ {
				b[i] = 0
			}
			return b
		}),
		"DHT overfull": edit(t, base, 0xC4, func(b []byte) []byte { b[1] = 3; return b }),
		"DHT class 2":  edit(t, base, 0xC4, func(b []byte) []byte { b[0] = 0x20; return b }),
		"DHT id 4":     edit(t, base, 0xC4, func(b []byte) []byte { b[0] = 0x04; return b }),
		"DHT symbols missing": edit(t, base, 0xC4, func(b []byte) []byte {
			return b[:len(b)-1]
		}),
		"SOS unknown id":     edit(t, base, 0xDA, func(b []byte) []byte { b[1] = 9; return b }),
		"SOS repeated id":    edit(t, base, 0xDA, func(b []byte) []byte { b[3] = b[1]; return b }),
		"SOS 4 components":   edit(t, base, 0xDA, func(b []byte) []byte { b[0] = 4; return b }),
		"SOS 0 components":   edit(t, base, 0xDA, func(b []byte) []byte { b[0] = 0; return b }),
		"SOS short":          edit(t, base, 0xDA, func(b []byte) []byte { return b[:5] }),
		"SOS table 2":        edit(t, base, 0xDA, func(b []byte) []byte { b[2] = 0x22; return b }),
		"SOS table 7":        edit(t, base, 0xDA, func(b []byte) []byte { b[2] = 0x77; return b }),
		"segment length 0":   append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 0}, base[2:]...),
		"segment length 1":   append(append([]byte{0xFF, 0xD8}, 0xFF, 0xE1, 0, 1), base[2:]...),
		"segment past end":   append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, base[2:]...),
		"DRI short":          insert(t, base, 0xDA, seg{0xDD, []byte{1}}),
		"DRI 1 without RST":  insert(t, base, 0xDA, seg{0xDD, []byte{0, 1}}),
		"wrong RST":          bytes.Replace(withRI, []byte{0xFF, 0xD1}, []byte{0xFF, 0xD3}, 1),
		"SOS before SOF":     join(append([]seg{segs[len(segs)-1]}, segs...), tail),
		"reserved marker":    insert(t, base, 0xDA, seg{0x02, nil}),
		"marker in entropy":  append(bytes.Clone(base[:sosAt+len(tail)/2]), 0xFF, 0xC4, 0, 2, 0xFF, 0xD9),
		"entropy cut":        append(bytes.Clone(base[:sosAt+len(tail)/2]), 0xFF, 0xD9),
		"entropy cut at RST": append(bytes.Clone(withRI[:bytes.Index(withRI, []byte{0xFF, 0xD2})]), 0xFF, 0xD9),
	}
	// A DC table whose symbols claim 17-bit differences.
	cases["DC size 17"] = edit(t, base, 0xC4, func(b []byte) []byte {
		// The first table is the luma's DC, of 12 symbols.
		if b[0] != 0 {
			t.Fatal("unexpected DHT")
		}
		for i := 17; i < 17+12; i++ {
			b[i] = 17
		}
		return b
	})
	for name, data := range cases {
		for _, d := range []int{1, 2, 4, 8} {
			m, err := DecodeScaled(data, d)
			if d == 1 && testing.Verbose() {
				t.Logf("%s: %v", name, err)
			}
			if err == nil || errors.Is(err, ErrUnsupported) || m != nil {
				t.Errorf("%s 1/%d: %v", name, d, err)
			}
		}
	}
	// A restart interval longer than the picture is no restart at all.
	long := insert(t, base, 0xDA, seg{0xDD, []byte{0xFF, 0xFF}})
	a, err := DecodeScaled(long, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DecodeScaled(base, 1)
	if !bytes.Equal(a.Y, b.Y) || !bytes.Equal(a.Cb, b.Cb) {
		t.Error("DRI 65535 changed the picture")
	}
}

// TestDecodeTruncated cuts JPEGs at every length: every prefix is an error, as
// it is for image/jpeg, and nothing panics.
func TestDecodeTruncated(t *testing.T) {
	for _, data := range [][]byte{
		small420(t),
		fixtureJPEG(detailedRGBA(40, 24, 2), fixture{h: 2, v: 1, ri: 1, quality: 1}),
		stdJPEG(t, toGray(detailedRGBA(20, 20, 1)), 90),
	} {
		for n := range len(data) {
			if _, err := jpeg.Decode(bytes.NewReader(data[:n])); err == nil {
				t.Fatalf("image/jpeg reads %d bytes of %d", n, len(data))
			}
			for _, d := range []int{1, 2, 8} {
				if m, err := DecodeScaled(data[:n], d); err == nil || m != nil {
					t.Fatalf("%d bytes of %d at 1/%d: no error", n, len(data), d)
				}
			}
		}
	}
}
