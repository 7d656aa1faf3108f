package fastjpeg

import "encoding/binary"

// scan decodes one scan (T.81 B.2.3, F.2) whose header is s, with the
// entropy-coded data that follows it at d.pos.
func (d *decoder) scan(s []byte) error {
	if len(s) < 1 {
		return formatError("SOS length")
	}
	ns := int(s[0])
	if ns < 1 || ns > d.ncomp || len(s) != 4+2*ns {
		return formatError("SOS length")
	}
	if d.ncomp == 3 && d.adobe && d.transform != 1 {
		return ErrUnsupported
	}
	var cs [3]*component
	for i := range ns {
		id, sel := s[1+2*i], s[2+2*i]
		var c *component
		for j := range d.ncomp {
			if d.comp[j].id == id {
				c = &d.comp[j]
			}
		}
		if c == nil {
			return formatError("scan of unknown component %d", id)
		}
		if c.decoded {
			return formatError("component %d in two scans", id)
		}
		td, ta := sel>>4, sel&15
		if td > 3 || ta > 3 || !d.dc[td].defined || !d.ac[ta].defined {
			return formatError("missing Huffman table")
		}
		if !d.qok[c.tq] {
			return formatError("missing quantization table %d", c.tq)
		}
		c.dc, c.ac = &d.dc[td], &d.ac[ta]
		c.q = d.q[c.tq]
		c.pred = 0
		c.decoded = true
		cs[i] = c
	}
	// The spectral selection and approximation bytes mean nothing in a
	// sequential scan.
	d.br = bitReader{data: d.data, pos: d.pos}
	mx, my := d.mcus()
	if ns == 1 {
		// Not interleaved: the MCU is one block, and the blocks cover
		// the component's own size (T.81 A.2.2).
		c := cs[0]
		cw := (d.w*c.h + d.hmax - 1) / d.hmax
		ch := (d.h*c.v + d.vmax - 1) / d.vmax
		mx, my = (cw+7)/8, (ch+7)/8
	}
	// Every block takes two bits at least (a DC code and an EOB): data
	// too short for the blocks the header promises is refused before the
	// planes are made, so a forged header cannot make a small file take
	// much memory.
	blocks := int64(mx) * int64(my)
	if ns > 1 {
		per := 0
		for i := range ns {
			per += cs[i].h * cs[i].v
		}
		blocks *= int64(per)
	}
	if blocks > 4*int64(len(d.data)-d.pos)+16 {
		return errTruncated
	}
	d.alloc()
	n := 0
	for y := range my {
		for x := range mx {
			if d.ri > 0 && n > 0 && n%d.ri == 0 {
				if err := d.restart((n/d.ri - 1) & 7); err != nil {
					return err
				}
				for i := range ns {
					cs[i].pred = 0
				}
			}
			n++
			for i := range ns {
				c := cs[i]
				bh, bv := c.h, c.v
				if ns == 1 {
					bh, bv = 1, 1
				}
				for v := range bv {
					for u := range bh {
						bx, by := x*bh+u, y*bv+v
						if err := d.block(c, by*d.size*c.stride+bx*d.size); err != nil {
							return err
						}
					}
				}
			}
			if d.br.overrun() {
				return errTruncated
			}
		}
	}
	d.pos = d.br.pos
	return nil
}

// restart expects the restart marker RSTm after an interval: the bits
// left in the buffer are padding, and what is before the marker too.
func (d *decoder) restart(m int) error {
	b := &d.br
	b.reset()
	for {
		for b.pos < len(b.data) && b.data[b.pos] != 0xFF {
			b.pos++
		}
		if b.pos+1 >= len(b.data) {
			return errTruncated
		}
		switch nx := b.data[b.pos+1]; {
		case nx == 0x00, nx == 0xFF:
			b.pos++ // a stuffed byte of padding, or a fill byte
			if nx == 0 {
				b.pos++
			}
			continue
		case nx == byte(mRST0+m):
			b.pos += 2
			return nil
		default:
			return formatError("restart marker 0x%02X, want 0x%02X", nx, mRST0+m)
		}
	}
}

// block decodes one block's coefficients (all of them: they are coded one
// after the other) and writes its samples at the output scale at offset
// off of its component's plane.
func (d *decoder) block(c *component, off int) error {
	b := &d.br
	// The bit buffer lives in locals here; the refill's fast path is
	// written out in the loop, its slow path is b.refillSlow.
	acc, n, pos, data := b.acc, b.n, b.pos, b.data
	blk := &d.blk
	q := &c.q
	dst := d.dst
	last := 0

	// DC: the difference from the previous block's DC.
	if n < 32 {
		if pos+8 <= len(data) {
			w := binary.BigEndian.Uint64(data[pos:])
			if x := ^w; (x-ones)&^x&(ones<<7) == 0 {
				acc |= w >> n
				pos += int((63 - n) >> 3)
				n |= 56
				goto dc
			}
		}
		b.acc, b.n, b.pos = acc, n, pos
		b.refillSlow()
		acc, n, pos = b.acc, b.n, b.pos
	}
dc:
	e := c.dc.lut[acc>>(64-lutBits)]
	var diff int32
	if e&lutValue != 0 {
		l := uint(e & 31)
		acc <<= l
		n -= l
		diff = e >> 16
	} else {
		var s int
		var l uint
		if e != 0 {
			s, l = int(e>>8&0xFF), uint(e&31)
		} else if s, l = c.dc.slow(acc); l == 0 {
			return formatError("bad Huffman code")
		}
		if s > 16 {
			return formatError("DC difference of %d bits", s)
		}
		acc <<= l
		n -= l
		if s > 0 {
			diff = extend(int32(acc>>(64-uint(s))), s)
			acc <<= uint(s)
			n -= uint(s)
		}
	}
	c.pred += diff
	blk[0] = c.pred * q[0]

	// AC: run/size symbols up to the end of block. Each coefficient is
	// stored at dst[k]: its place in the block when the reduced
	// transform uses it, else a slot past the block that nothing reads
	// (cheaper than a branch).
	ac := c.ac
	for k := 1; k < 64; {
		if n < 32 {
			if pos+8 <= len(data) {
				w := binary.BigEndian.Uint64(data[pos:])
				if x := ^w; (x-ones)&^x&(ones<<7) == 0 {
					acc |= w >> n
					pos += int((63 - n) >> 3)
					n |= 56
					goto ac
				}
			}
			b.acc, b.n, b.pos = acc, n, pos
			b.refillSlow()
			acc, n, pos = b.acc, b.n, b.pos
		}
	ac:
		e := ac.lut[acc>>(64-lutBits)]
		if e&lutValue != 0 {
			k += int(e >> 12 & 15)
			if k > 63 {
				// A run past the block's end: the block ends here, the
				// value's bits unread, as image/jpeg does.
				l := uint(e&31) - uint(e>>8&15)
				acc <<= l
				n -= l
				break
			}
			l := uint(e & 31)
			acc <<= l
			n -= l
			blk[dst[k&63]] = (e >> 16) * q[k&63]
			last = k
			k++
			continue
		}
		var rs int
		var l uint
		if e != 0 {
			rs, l = int(e>>8&0xFF), uint(e&31)
		} else if rs, l = ac.slow(acc); l == 0 {
			return formatError("bad Huffman code")
		}
		acc <<= l
		n -= l
		r, s := rs>>4, rs&15
		if s == 0 {
			if r != 15 {
				break // end of block
			}
			k += 16
			continue
		}
		k += r
		if k > 63 {
			break
		}
		v := extend(int32(acc>>(64-uint(s))), s)
		acc <<= uint(s)
		n -= uint(s)
		blk[dst[k&63]] = v * q[k&63]
		last = k
		k++
	}
	b.acc, b.n, b.pos = acc, n, pos

	size, stride, pix := d.size, c.stride, c.pix
	switch {
	case last == 0 || size == 1:
		fillBlock(pix, off, stride, size, blk[0])
		blk[0] = 0
		return nil
	case size == 8:
		idct8((*[64]int32)(blk[:64]), &d.ws, pix, off, stride)
	case size == 4:
		idct4((*[64]int32)(blk[:64]), pix, off, stride)
	default:
		idct2((*[64]int32)(blk[:64]), pix, off, stride)
	}
	if last > 24 {
		*(*[65]int32)(blk[:65]) = [65]int32{}
		return nil
	}
	for k := 0; k <= min(last, d.zzMax); k++ {
		blk[dst[k]] = 0
	}
	return nil
}
