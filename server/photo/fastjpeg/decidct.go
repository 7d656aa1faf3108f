package fastjpeg

// The inverse DCTs, in integers. An 8×8 block's samples are
//
//	f(x,y) = 1/4 Σu Σv C(u) C(v) F(u,v) cos((2x+1)uπ/16) cos((2y+1)vπ/16)
//
// with C(0) = 1/√2 and C(k) = 1 otherwise (T.81 A.3.3), computed as
// two passes of the one-dimensional transform, columns then rows. The
// 8-point transform splits into an even half (a 4-point transform of the
// even coefficients) and an odd half. Decoding at 1/2, 1/4 or 1/8 of the
// size keeps the N×N lowest coefficients (N = 4, 2, 1) and takes their
// N-point transform, whose samples are the means of the full-size
// picture's over 8/N × 8/N areas, less the detail of the dropped
// coefficients. With orthonormal transforms the scale works out to the
// same 1/2 per dimension for every N: the N-point sample is
//
//	g(m) = 1/2 Σk<N C(k) F(k) cos((2m+1)kπ/(2N)).

// Cosines cos(kπ/16) in fixed point with fixBits fraction bits.
const (
	fixBits = 13
	c1      = 8035 // cos(π/16)·8192
	c2      = 7568 // cos(2π/16)
	c3      = 6811 // cos(3π/16)
	c4      = 5793 // cos(4π/16) = 1/√2
	c5      = 4551 // cos(5π/16)
	c6      = 3135 // cos(6π/16)
	c7      = 1598 // cos(7π/16)

	// The first pass keeps pass1Bits more bits than the coefficients;
	// the second drops them, the fixed point of both, and the 1/4.
	pass1Bits  = 2
	pass1Shift = fixBits - pass1Bits
	pass2Shift = fixBits + pass1Bits + 2
	// pass2Bias adds the level shift of 128 (T.81 A.3.1) and rounds.
	pass2Bias = 128<<pass2Shift + 1<<(pass2Shift-1)
)

func clamp(v int) byte {
	if uint(v) > 255 {
		return byte(^(v >> 63)) // 0 below, 255 above
	}
	return byte(v)
}

// fillBlock writes the n×n samples of a block whose only coefficient is
// its DC term dc (dequantized): f = dc/8 + 128 everywhere.
func fillBlock(dst []byte, off, stride, n int, dc int32) {
	v := clamp((int(dc)+4)>>3 + 128)
	for y := range n {
		row := dst[off+y*stride : off+y*stride+n]
		for x := range row {
			row[x] = v
		}
	}
}

// idct8 writes the 8×8 samples of blk (dequantized, natural order) to
// dst, with ws for the columns' results (passed in: a local array would
// be cleared at every call).
func idct8(blk *[64]int32, ws *[64]int, dst []byte, off, stride int) {
	for c := range 8 {
		x0, x1, x2, x3 := int(blk[c]), int(blk[8+c]), int(blk[16+c]), int(blk[24+c])
		x4, x5, x6, x7 := int(blk[32+c]), int(blk[40+c]), int(blk[48+c]), int(blk[56+c])
		if x1|x2|x3|x4|x5|x6|x7 == 0 {
			v := (x0*c4 + 1<<(pass1Shift-1)) >> pass1Shift
			for r := range 8 {
				ws[r*8+c] = v
			}
			continue
		}
		a0, a1 := (x0+x4)*c4, (x0-x4)*c4
		b0, b1 := x2*c2+x6*c6, x2*c6-x6*c2
		e0, e1, e2, e3 := a0+b0, a1+b1, a1-b1, a0-b0
		o0 := x1*c1 + x3*c3 + x5*c5 + x7*c7
		o1 := x1*c3 - x3*c7 - x5*c1 - x7*c5
		o2 := x1*c5 - x3*c1 + x5*c7 + x7*c3
		o3 := x1*c7 - x3*c5 + x5*c3 - x7*c1
		const r = 1 << (pass1Shift - 1)
		ws[c] = (e0 + o0 + r) >> pass1Shift
		ws[56+c] = (e0 - o0 + r) >> pass1Shift
		ws[8+c] = (e1 + o1 + r) >> pass1Shift
		ws[48+c] = (e1 - o1 + r) >> pass1Shift
		ws[16+c] = (e2 + o2 + r) >> pass1Shift
		ws[40+c] = (e2 - o2 + r) >> pass1Shift
		ws[24+c] = (e3 + o3 + r) >> pass1Shift
		ws[32+c] = (e3 - o3 + r) >> pass1Shift
	}
	for y := range 8 {
		w := (*[8]int)(ws[y*8:])
		d := (*[8]byte)(dst[off+y*stride:])
		x0, x1, x2, x3, x4, x5, x6, x7 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]
		if x1|x2|x3|x4|x5|x6|x7 == 0 {
			v := clamp((x0*c4 + pass2Bias) >> pass2Shift)
			*d = [8]byte{v, v, v, v, v, v, v, v}
			continue
		}
		a0, a1 := (x0+x4)*c4+pass2Bias, (x0-x4)*c4+pass2Bias
		b0, b1 := x2*c2+x6*c6, x2*c6-x6*c2
		e0, e1, e2, e3 := a0+b0, a1+b1, a1-b1, a0-b0
		o0 := x1*c1 + x3*c3 + x5*c5 + x7*c7
		o1 := x1*c3 - x3*c7 - x5*c1 - x7*c5
		o2 := x1*c5 - x3*c1 + x5*c7 + x7*c3
		o3 := x1*c7 - x3*c5 + x5*c3 - x7*c1
		d[0] = clamp((e0 + o0) >> pass2Shift)
		d[7] = clamp((e0 - o0) >> pass2Shift)
		d[1] = clamp((e1 + o1) >> pass2Shift)
		d[6] = clamp((e1 - o1) >> pass2Shift)
		d[2] = clamp((e2 + o2) >> pass2Shift)
		d[5] = clamp((e2 - o2) >> pass2Shift)
		d[3] = clamp((e3 + o3) >> pass2Shift)
		d[4] = clamp((e3 - o3) >> pass2Shift)
	}
}

// idct4 writes the 4×4 samples of the block at half size, from its 4×4
// lowest coefficients. The 4-point transform has the even half's shape:
// g(0..3) = a0+b0, a1+b1, a1−b1, a0−b0 with a = C4(X0 ± X2) and
// b0 = C2·X1 + C6·X3, b1 = C6·X1 − C2·X3 (cosines of π/16 multiples).
func idct4(blk *[64]int32, dst []byte, off, stride int) {
	var ws [16]int
	for c := range 4 {
		x0, x1, x2, x3 := int(blk[c]), int(blk[8+c]), int(blk[16+c]), int(blk[24+c])
		a0, a1 := (x0+x2)*c4, (x0-x2)*c4
		b0, b1 := x1*c2+x3*c6, x1*c6-x3*c2
		const r = 1 << (pass1Shift - 1)
		ws[c] = (a0 + b0 + r) >> pass1Shift
		ws[4+c] = (a1 + b1 + r) >> pass1Shift
		ws[8+c] = (a1 - b1 + r) >> pass1Shift
		ws[12+c] = (a0 - b0 + r) >> pass1Shift
	}
	for y := range 4 {
		w := (*[4]int)(ws[y*4:])
		d := (*[4]byte)(dst[off+y*stride:])
		x0, x1, x2, x3 := w[0], w[1], w[2], w[3]
		a0, a1 := (x0+x2)*c4+pass2Bias, (x0-x2)*c4+pass2Bias
		b0, b1 := x1*c2+x3*c6, x1*c6-x3*c2
		d[0] = clamp((a0 + b0) >> pass2Shift)
		d[1] = clamp((a1 + b1) >> pass2Shift)
		d[2] = clamp((a1 - b1) >> pass2Shift)
		d[3] = clamp((a0 - b0) >> pass2Shift)
	}
}

// idct2 writes the 2×2 samples of the block at quarter size: with
// C4² = 1/2, f(x,y) = (X00 ± X01 ± X10 ± X11)/8 + 128, the signs those
// of cos(uπ/4) and cos(3uπ/4).
func idct2(blk *[64]int32, dst []byte, off, stride int) {
	x00, x01, x10, x11 := int(blk[0]), int(blk[1]), int(blk[8]), int(blk[9])
	s0, d0 := x00+x10, x00-x10 // top row sums, bottom row sums
	s1, d1 := x01+x11, x01-x11
	const r = 4 + 128<<3
	d := dst[off : off+stride+2]
	d[0] = clamp((s0 + s1 + r) >> 3)
	d[1] = clamp((s0 - s1 + r) >> 3)
	d[stride] = clamp((d0 + d1 + r) >> 3)
	d[stride+1] = clamp((d0 - d1 + r) >> 3)
}
