package fastjpeg

import (
	"image"
	"math"
	"math/bits"
)

// The forward DCT is the factorisation of Arai, Agui and Nakajima (1988):
// 5 multiplications and 29 additions for 8 points, in float32. It gives
// each coefficient F(u,v) of T.81 A.3.3 multiplied by 8·s(u)·s(v), with
// s(0) = 1 and s(k) = √2·cos(kπ/16); that factor is folded, with the
// quantiser's step, into one multiplier per coefficient, so quantising is
// a multiplication and a rounding, never a division.

// aanScale is s(k) above.
var aanScale = func() (s [8]float64) {
	s[0] = 1
	for k := 1; k < 8; k++ {
		s[k] = math.Sqrt2 * math.Cos(float64(k)*math.Pi/16)
	}
	return s
}()

// tables sets the quantisation tables and their multipliers for quality.
func (e *encoder) tables(quality int) {
	for t := range 2 {
		q := quantTable(&baseQuant[t], quality)
		for i := range 64 {
			n := unzig[i]
			e.quant[t][i] = q[n]
			e.recip[t][i] = float32(1 / (8 * float64(q[n]) * aanScale[n/8] * aanScale[n%8]))
		}
	}
}

// fdct transforms the 8×8 block b in place (rows, then columns), giving
// 8·s(u)·s(v)·F(u,v) at b[8u+v] for samples not level-shifted: the shift
// by 128 only changes F(0,0), by 1024, which the caller subtracts.
func fdct(b *[64]float32) {
	fdctRows(b)
	fdctColumns(b)
}

// fdctRows is the first half of fdct, transforming each row.
func fdctRows(b *[64]float32) {
	for i := 0; i < 64; i += 8 {
		r := b[i : i+8 : i+8]
		t0, t7 := r[0]+r[7], r[0]-r[7]
		t1, t6 := r[1]+r[6], r[1]-r[6]
		t2, t5 := r[2]+r[5], r[2]-r[5]
		t3, t4 := r[3]+r[4], r[3]-r[4]

		// Even part.
		t10, t13 := t0+t3, t0-t3
		t11, t12 := t1+t2, t1-t2
		r[0], r[4] = t10+t11, t10-t11
		z1 := (t12 + t13) * 0.70710678118654752
		r[2], r[6] = t13+z1, t13-z1

		// Odd part.
		t10, t11, t12 = t4+t5, t5+t6, t6+t7
		z5 := (t10 - t12) * 0.38268343236508977
		z2 := 0.54119610014619698*t10 + z5
		z4 := 1.30656296487637653*t12 + z5
		z3 := t11 * 0.70710678118654752
		z11, z13 := t7+z3, t7-z3
		r[5], r[3] = z13+z2, z13-z2
		r[1], r[7] = z11+z4, z11-z4
	}
}

// fdctColumns is the second half of fdct, transforming each column.
func fdctColumns(b *[64]float32) {
	for i := range 8 {
		t0, t7 := b[i]+b[56+i], b[i]-b[56+i]
		t1, t6 := b[8+i]+b[48+i], b[8+i]-b[48+i]
		t2, t5 := b[16+i]+b[40+i], b[16+i]-b[40+i]
		t3, t4 := b[24+i]+b[32+i], b[24+i]-b[32+i]

		t10, t13 := t0+t3, t0-t3
		t11, t12 := t1+t2, t1-t2
		b[i], b[32+i] = t10+t11, t10-t11
		z1 := (t12 + t13) * 0.70710678118654752
		b[16+i], b[48+i] = t13+z1, t13-z1

		t10, t11, t12 = t4+t5, t5+t6, t6+t7
		z5 := (t10 - t12) * 0.38268343236508977
		z2 := 0.54119610014619698*t10 + z5
		z4 := 1.30656296487637653*t12 + z5
		z3 := t11 * 0.70710678118654752
		z11, z13 := t7+z3, t7-z3
		b[40+i], b[24+i] = z13+z2, z13-z2
		b[8+i], b[56+i] = z11+z4, z11-z4
	}
}

// loadBlock fills e.block with the 8×8 samples of the w×h plane p from
// (x0, y0), repeating the last column and row past its edges, and
// transforms its rows (fdctRows).
func (e *encoder) loadBlock(p []byte, stride, w, h, x0, y0 int) {
	if x0+8 > w || y0+8 > h {
		for y := range 8 {
			row := p[min(y0+y, h-1)*stride:]
			row = row[:w]
			for x := range 8 {
				e.block[y*8+x] = float32(row[min(x0+x, w-1)])
			}
		}
	} else {
		for y := range 8 {
			s := p[(y0+y)*stride+x0:]
			s = s[:8:8]
			r := e.block[y*8 : y*8+8 : y*8+8]
			for x, v := range s {
				r[x] = float32(v)
			}
		}
	}
	fdctRows(&e.block)
}

// loadHalf fills e.block with the 8×8 means of 2×2 samples of the w×h
// plane p from (x0, y0), (x0, y0) being a sample of the full plane,
// samples past its edges repeating the last column and row, and transforms
// its rows (fdctRows).
func (e *encoder) loadHalf(p []byte, stride, w, h, x0, y0 int) {
	if x0+16 <= w && y0+16 <= h {
		for y := range 8 {
			a := p[(y0+2*y)*stride+x0:]
			a = a[:16:16]
			b := p[(y0+2*y+1)*stride+x0:]
			b = b[:16:16]
			d := e.block[y*8 : y*8+8 : y*8+8]
			for x := range 8 {
				d[x] = float32(int(a[2*x])+int(a[2*x+1])+int(b[2*x])+int(b[2*x+1])) * 0.25
			}
		}
		fdctRows(&e.block)
		return
	}
	for y := range 8 {
		a := p[min(y0+2*y, h-1)*stride:]
		a = a[:w]
		b := p[min(y0+2*y+1, h-1)*stride:]
		b = b[:w]
		for x := range 8 {
			x1, x2 := min(x0+2*x, w-1), min(x0+2*x+1, w-1)
			e.block[y*8+x] = float32(int(a[x1])+int(a[x2])+int(b[x1])+int(b[x2])) * 0.25
		}
	}
	fdctRows(&e.block)
}

// writeBlock finishes the transform of e.block (whose rows the loader
// transformed), quantises it with table t and codes it, its DC predicted
// by *pred, with the Huffman codes dc and ac.
func (e *encoder) writeBlock(t int, pred *int32, dc, ac *[256]huffCode) {
	fdctColumns(&e.block)
	e.block[0] -= 8 * 8 * 128 // the level shift (T.81 A.3.1)
	recip := &e.recip[t]

	// Quantise in zig-zag order, rounding to nearest (the bias keeps the
	// sum positive so that truncation floors; coefficients are far
	// smaller than it), and note which are not zero.
	const bias = 1 << 14
	var nz uint64
	for i := 1; i < 64; i++ {
		v := int32(e.block[unzig[i]&63]*recip[i&63]+(bias+0.5)) - bias
		e.coef[i&63] = v
		nz |= uint64(uint32(v|-v)>>31) << i
	}

	d := int32(e.block[0]*recip[0]+(bias+0.5)) - bias
	diff := d - *pred
	*pred = d

	// The pending bits live in registers for the block; each symbol is
	// appended in place (a function would not be inlined), and 32 bits
	// go out once there are as many.
	acc, n := e.acc, e.n
	size, v := magnitude(diff)
	c := dc[size]
	l := uint(c&0xFF) + size
	acc = acc<<(l&63) | uint64(uint32(c>>8)<<size|v)
	if n += l; n >= 32 {
		n -= 32
		e.out32(uint32(acc >> (n & 63)))
	}

	last := 0
	for nz != 0 {
		i := bits.TrailingZeros64(nz)
		var b uint32
		if run := i - last - 1; run >= 16 {
			c := ac[0xF0] // ZRL: 16 zeros
			b, l = uint32(c>>8), uint(c&0xFF)
			last += 16
		} else {
			nz &= nz - 1
			size, v := magnitude(e.coef[i&63])
			c := ac[uint8(run<<4)|uint8(size)]
			b, l = uint32(c>>8)<<size|v, uint(c&0xFF)+size
			last = i
		}
		acc = acc<<(l&63) | uint64(b)
		if n += l; n >= 32 {
			n -= 32
			e.out32(uint32(acc >> (n & 63)))
		}
	}
	if last != 63 {
		c := ac[0x00] // EOB
		l := uint(c & 0xFF)
		acc = acc<<(l&63) | uint64(c>>8)
		if n += l; n >= 32 {
			n -= 32
			e.out32(uint32(acc >> (n & 63)))
		}
	}
	e.acc, e.n = acc, n
}

// magnitude is the category (bit length) of v and its additional bits
// (T.81 F.1.2.1: v itself when positive, v−1 in that many bits when
// negative).
func magnitude(v int32) (uint, uint32) {
	s := v >> 31
	size := uint(bits.Len32(uint32((v ^ s) - s)))
	return size, uint32(v+s) & (1<<size - 1)
}

// emit appends the n lowest bits of b (n ≤ 32) to the entropy-coded data.
func (e *encoder) emit(b uint32, n uint) {
	e.acc = e.acc<<n | uint64(b)
	e.n += n
	if e.n >= 32 {
		e.n -= 32
		e.out32(uint32(e.acc >> e.n))
	}
}

// out32 writes 32 bits of entropy-coded data, with a 0 after each 0xFF
// byte (T.81 F.1.2.3).
func (e *encoder) out32(v uint32) {
	if x := ^v; (x-0x01010101)&^x&0x80808080 == 0 && e.pos <= bufSize-4 {
		// No byte is 0xFF, and there is room.
		b := e.buf[e.pos : e.pos+4 : e.pos+4]
		b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		e.pos += 4
		return
	}
	e.byteStuffed(byte(v >> 24))
	e.byteStuffed(byte(v >> 16))
	e.byteStuffed(byte(v >> 8))
	e.byteStuffed(byte(v))
}

// byteStuffed writes one byte of entropy-coded data, and a 0 after 0xFF.
func (e *encoder) byteStuffed(b byte) {
	if b == 0xFF {
		e.write(0xFF, 0)
	} else {
		e.write(b)
	}
}

// scan420 codes a 4:2:0 picture: per MCU of 16×16 pixels, four luma blocks
// and a block of each chroma plane. It stops at a row of MCUs after w has
// failed.
func (e *encoder) scan420(m *image.YCbCr, w, h int) {
	cw, ch := (w+1)/2, (h+1)/2
	var py, pb, pr int32
	dcY, acY := &huffCodes[lumaDC], &huffCodes[lumaAC]
	dcC, acC := &huffCodes[chromaDC], &huffCodes[chromaAC]
	for my := 0; my < h && e.err == nil; my += 16 {
		for mx := 0; mx < w; mx += 16 {
			for _, o := range [4][2]int{{0, 0}, {8, 0}, {0, 8}, {8, 8}} {
				e.loadBlock(m.Y, m.YStride, w, h, mx+o[0], my+o[1])
				e.writeBlock(0, &py, dcY, acY)
			}
			e.loadBlock(m.Cb, m.CStride, cw, ch, mx/2, my/2)
			e.writeBlock(1, &pb, dcC, acC)
			e.loadBlock(m.Cr, m.CStride, cw, ch, mx/2, my/2)
			e.writeBlock(1, &pr, dcC, acC)
		}
	}
}

// scan444 codes a 4:4:4 picture as 4:2:0, each chroma sample the mean of
// 2×2; like scan420, it stops after w has failed.
func (e *encoder) scan444(m *image.YCbCr, w, h int) {
	var py, pb, pr int32
	dcY, acY := &huffCodes[lumaDC], &huffCodes[lumaAC]
	dcC, acC := &huffCodes[chromaDC], &huffCodes[chromaAC]
	for my := 0; my < h && e.err == nil; my += 16 {
		for mx := 0; mx < w; mx += 16 {
			for _, o := range [4][2]int{{0, 0}, {8, 0}, {0, 8}, {8, 8}} {
				e.loadBlock(m.Y, m.YStride, w, h, mx+o[0], my+o[1])
				e.writeBlock(0, &py, dcY, acY)
			}
			e.loadHalf(m.Cb, m.CStride, w, h, mx, my)
			e.writeBlock(1, &pb, dcC, acC)
			e.loadHalf(m.Cr, m.CStride, w, h, mx, my)
			e.writeBlock(1, &pr, dcC, acC)
		}
	}
}
