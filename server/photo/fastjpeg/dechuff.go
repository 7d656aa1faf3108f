package fastjpeg

import (
	"encoding/binary"
	"errors"
)

// lutBits is how many bits of the entropy-coded data one table load looks
// at: every code of that length or shorter is decoded by one load, and
// for the codes that leave room, the coefficient's value too.
const lutBits = 10

// A lookup entry packs what the next lutBits bits decode to:
//
//	bits 0–4   how many bits to consume
//	bit 7      set when the entry holds the coefficient's value as well
//	bits 8–15  the symbol (run/size for AC, size for DC)
//	bits 16–31 the coefficient's value (signed) when bit 7 is set
//
// A zero entry means a code longer than lutBits (or no code at all): the
// slow path decodes it length by length.
const lutValue = 1 << 7

// huffTable is one Huffman table of a DHT segment, ready for decoding.
type huffTable struct {
	lut [1 << lutBits]int32
	// maxCode[l] is the largest code of length l, or -1 when there is
	// none; valPtr[l] is the index in vals of code 0 of length l, so code
	// c of length l is vals[valPtr[l]+c].
	maxCode [17]int32
	valPtr  [17]int32
	vals    [256]uint8
	defined bool
}

var errBadHuffman = errors.New("fastjpeg: bad Huffman table")

// build makes the table from the 16 counts of codes of each length and
// their symbols (T.81 annex C: codes are assigned in order of length,
// each length's codes following the previous length's, shifted).
func (t *huffTable) build(counts *[16]uint8, syms []uint8, ac bool) error {
	*t = huffTable{}
	copy(t.vals[:], syms)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		t.maxCode[l] = -1
		if n > 0 {
			t.valPtr[l] = k - code
			t.maxCode[l] = code + n - 1
			if t.maxCode[l] >= 1<<l {
				return errBadHuffman
			}
			for i := int32(0); i < n; i++ {
				if l <= lutBits {
					t.fill(code+i, l, syms[k+i], ac)
				}
			}
		}
		code = (code + n) << 1
		k += n
	}
	t.defined = true
	return nil
}

// fill sets the lookup entries of code c of length l for symbol sym.
func (t *huffTable) fill(c int32, l int, sym uint8, ac bool) {
	size := int(sym & 15)
	if !ac {
		size = int(sym)
	}
	spare := lutBits - l
	first := int(c) << spare
	for i := range 1 << spare {
		e := int32(sym)<<8 | int32(l)
		if (size > 0 || !ac) && size <= spare {
			// The value's bits are in the entry's index, after the code.
			var v int32
			if size > 0 {
				bits := int32(i >> (spare - size))
				v = extend(bits, size)
			}
			e = v<<16 | int32(sym)<<8 | lutValue | int32(l+size)
		}
		t.lut[first+i] = e
	}
}

// extend turns the size bits read after a symbol into the coefficient
// they encode (T.81 F.2.2.1, procedure EXTEND): a leading 0 means a
// negative value.
func extend(bits int32, size int) int32 {
	if bits < 1<<(size-1) {
		return bits - 1<<size + 1
	}
	return bits
}

// slow decodes the code longer than lutBits at the top of acc: it returns
// the symbol and the code's length, or length 0 when no code matches.
func (t *huffTable) slow(acc uint64) (sym int, l uint) {
	for l = 1; l <= 16; l++ {
		c := int32(acc >> (64 - l))
		if c <= t.maxCode[l] {
			return int(t.vals[uint8(t.valPtr[l]+c)]), l
		}
	}
	return 0, 0
}

// bitReader reads the entropy-coded data of a scan, most significant bit
// first, from a 64-bit buffer whose top n bits are the next ones.
type bitReader struct {
	data []byte
	pos  int
	acc  uint64
	n    uint
	// fake is how many of the buffer's bits are zeros made up past the
	// end of the segment (a marker or the end of the data): consuming
	// them means the data is truncated.
	fake uint
}

const ones = 0x0101010101010101

// refill tops the buffer up to at least 56 bits. The fast path loads
// eight bytes at once when none of them is 0xFF (a stuffed byte or a
// marker); the slow path takes them one by one.
func (b *bitReader) refill() {
	if b.pos+8 <= len(b.data) {
		w := binary.BigEndian.Uint64(b.data[b.pos:])
		if x := ^w; (x-ones)&^x&(ones<<7) == 0 {
			// No 0xFF byte. The bits of w beyond the whole bytes taken
			// are the next byte's, which the next refill ORs in again.
			b.acc |= w >> b.n
			b.pos += int((63 - b.n) >> 3)
			b.n |= 56
			return
		}
	}
	b.refillSlow()
}

func (b *bitReader) refillSlow() {
	for b.n <= 56 {
		var c byte
		switch {
		case b.pos >= len(b.data):
			b.fake += 8
		case b.data[b.pos] != 0xFF:
			c = b.data[b.pos]
			b.pos++
		case b.pos+1 < len(b.data) && b.data[b.pos+1] == 0:
			c = 0xFF
			b.pos += 2
		default:
			// A marker: the segment ends here.
			b.fake += 8
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// overrun tells whether bits beyond the segment's end were consumed.
func (b *bitReader) overrun() bool { return b.fake > b.n }

// reset drops what is buffered, at a restart marker.
func (b *bitReader) reset() { b.acc, b.n, b.fake = 0, 0, 0 }
