package fastjpeg

import (
	"bytes"
	"image"
	"math"
	"math/rand/v2"
	"sort"
)

// The tests make every JPEG they use. image/jpeg writes only 4:2:0 and
// grey, so fixtureJPEG below is a small baseline encoder of the tests'
// own, for the other samplings, restart intervals, non-interleaved scans,
// 16-bit quantization tables and Huffman codes longer than the decoder's
// lookup.

// detailedRGBA is a w×h picture with gradients, stripes and noise, so that
// decoding works as hard as on a photograph (the same recipe as the
// photo package's benchmark picture).
func detailedRGBA(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 1))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(48))
			i := m.PixOffset(x, y)
			m.Pix[i] = uint8(x*255/w) ^ n
			m.Pix[i+1] = uint8(y*255/h) + n
			m.Pix[i+2] = uint8((x/7+y/5)%2*160) + n
			m.Pix[i+3] = 255
		}
	}
	return m
}

// smooth is a w×h picture of gradients, a disc and a little noise: the
// kind of content whose reduced decoding should match a box filter.
func smooth(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 2))
	cx, cy, rad := float64(w)/2, float64(h)/2, float64(min(w, h))/3
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(8))
			i := m.PixOffset(x, y)
			m.Pix[i] = uint8(x*200/max(1, w)) + n
			m.Pix[i+1] = uint8(y*200/max(1, h)) + n
			m.Pix[i+2] = 60 + n
			if dx, dy := float64(x)-cx, float64(y)-cy; dx*dx+dy*dy < rad*rad {
				m.Pix[i+2] = 200 + n
			}
			m.Pix[i+3] = 255
		}
	}
	return m
}

// fixture describes a JPEG for fixtureJPEG to write.
type fixture struct {
	gray     bool
	h, v     int  // the luma's sampling factors; chroma is 1×1
	ri       int  // restart interval in MCUs, 0 for none
	separate bool // one scan per component instead of one interleaved scan
	q16      bool // 16-bit quantization tables
	quality  int  // scales the quantization tables: 1 is finest
}

// fixtureJPEG encodes m as a baseline JPEG as f says. Its Huffman tables
// give codes by how often each symbol occurs, up to 16 bits, so the rare
// symbols get codes longer than the decoder's lookup.
func fixtureJPEG(m *image.RGBA, f fixture) []byte {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	type comp struct {
		id, h, v, tq int
		pix          []float64 // at the component's resolution, padded
		pw, ph       int       // padded size
		cw, ch       int       // real size
	}
	hmax, vmax := f.h, f.v
	ncomp := 3
	if f.gray {
		ncomp, hmax, vmax = 1, 1, 1
	}
	mcuW, mcuH := 8*hmax, 8*vmax
	mx, my := (w+mcuW-1)/mcuW, (h+mcuH-1)/mcuH
	comps := make([]*comp, ncomp)
	for i := range ncomp {
		c := &comp{id: i + 1, h: 1, v: 1}
		comps[i] = c
		if i == 0 && !f.gray {
			c.h, c.v = f.h, f.v
		}
		if i > 0 {
			c.tq = 1
		}
		c.cw, c.ch = (w*c.h+hmax-1)/hmax, (h*c.v+vmax-1)/vmax
		c.pw, c.ph = mx*8*c.h, my*8*c.v
		c.pix = make([]float64, c.pw*c.ph)
		sx, sy := hmax/c.h, vmax/c.v
		for y := range c.ph {
			for x := range c.pw {
				// The mean of the pixels the sample covers, the edge
				// repeated beyond the picture.
				var s float64
				for j := range sy {
					for i2 := range sx {
						px := min(min(x, c.cw-1)*sx+i2, w-1)
						py := min(min(y, c.ch-1)*sy+j, h-1)
						o := m.PixOffset(px, py)
						r, g, bl := float64(m.Pix[o]), float64(m.Pix[o+1]), float64(m.Pix[o+2])
						switch {
						case f.gray || i == 0:
							s += 0.299*r + 0.587*g + 0.114*bl
						case i == 1:
							s += 128 - 0.168736*r - 0.331264*g + 0.5*bl
						default:
							s += 128 + 0.5*r - 0.418688*g - 0.081312*bl
						}
					}
				}
				c.pix[y*c.pw+x] = s / float64(sx*sy)
			}
		}
	}
	// Quantization tables, zig-zag order: coarser with frequency.
	var qt [2][64]int
	for t := range 2 {
		for k := range 64 {
			qt[t][k] = max(1, f.quality*(2+k/4+t*k/8))
			if !f.q16 {
				qt[t][k] = min(qt[t][k], 255)
			}
		}
	}
	// Every block's quantized coefficients, in scan order.
	type blockRef struct {
		c    int
		coef [64]int
	}
	fdct := func(c *comp, bx, by int) [64]int {
		var out [64]int
		for v := range 8 {
			for u := range 8 {
				var s float64
				for y := range 8 {
					for x := range 8 {
						s += (c.pix[(by*8+y)*c.pw+bx*8+x] - 128) *
							math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) *
							math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
					}
				}
				cu, cv := 1.0, 1.0
				if u == 0 {
					cu = math.Sqrt2 / 2
				}
				if v == 0 {
					cv = math.Sqrt2 / 2
				}
				out[v*8+u] = int(math.Round(s * cu * cv / 4))
			}
		}
		var zz [64]int
		for k := range 64 {
			zz[k] = int(math.Round(float64(out[unzig[k]]) / float64(qt[c.tq][k])))
		}
		return zz
	}
	// scans lists, per scan, its components and its MCUs' blocks.
	type scan struct {
		comps []int
		mcus  [][]blockRef
	}
	var scans []scan
	if f.separate || ncomp == 1 {
		for i, c := range comps {
			var s scan
			s.comps = []int{i}
			for by := range (c.ch + 7) / 8 {
				for bx := range (c.cw + 7) / 8 {
					s.mcus = append(s.mcus, []blockRef{{i, fdct(c, bx, by)}})
				}
			}
			scans = append(scans, s)
		}
	} else {
		s := scan{comps: []int{0, 1, 2}}
		for y := range my {
			for x := range mx {
				var mcu []blockRef
				for i, c := range comps {
					for v := range c.v {
						for u := range c.h {
							mcu = append(mcu, blockRef{i, fdct(c, x*c.h+u, y*c.v+v)})
						}
					}
				}
				s.mcus = append(s.mcus, mcu)
			}
		}
		scans = append(scans, s)
	}
	size := func(v int) int {
		if v < 0 {
			v = -v
		}
		n := 0
		for v > 0 {
			n++
			v >>= 1
		}
		return n
	}
	// Symbol frequencies per table (DC 0, AC 0, DC 1, AC 1), every
	// possible symbol counted once so that any table encodes anything.
	var freq [4][256]int
	for s := range 12 {
		freq[0][s], freq[2][s] = 1, 1
	}
	for r := range 16 {
		for s := 1; s <= 10; s++ {
			freq[1][r<<4|s], freq[3][r<<4|s] = 1, 1
		}
	}
	freq[1][0], freq[1][0xF0], freq[3][0], freq[3][0xF0] = 1, 1, 1, 1
	// Encoding proper: symbols with their extra bits, per scan.
	type sym struct{ tab, sym, nbits, bits int } // tab −1: restart
	var streams [][]sym
	for _, s := range scans {
		var out []sym
		pred := map[int]int{}
		for mi, mcu := range s.mcus {
			if f.ri > 0 && mi > 0 && mi%f.ri == 0 {
				out = append(out, sym{-1, (mi/f.ri - 1) & 7, 0, 0})
				pred = map[int]int{}
			}
			for _, br := range mcu {
				t := 2 * min(br.c, 1)
				diff := br.coef[0] - pred[br.c]
				pred[br.c] = br.coef[0]
				n := size(diff)
				bits := diff
				if diff < 0 {
					bits = diff + (1 << n) - 1
				}
				out = append(out, sym{t, n, n, bits})
				run := 0
				for k := 1; k < 64; k++ {
					v := br.coef[k]
					if v == 0 {
						run++
						continue
					}
					for run > 15 {
						out = append(out, sym{t + 1, 0xF0, 0, 0})
						run -= 16
					}
					n := size(v)
					bits := v
					if v < 0 {
						bits = v + (1 << n) - 1
					}
					out = append(out, sym{t + 1, run<<4 | n, n, bits})
					run = 0
				}
				if run > 0 {
					out = append(out, sym{t + 1, 0, 0, 0})
				}
			}
		}
		for _, y := range out {
			if y.tab >= 0 {
				freq[y.tab][y.sym]++
			}
		}
		streams = append(streams, out)
	}
	// Code lengths by rank of frequency, from a fixed profile whose Kraft
	// sum is below 1 and whose longest codes are 16 bits.
	profile := [16]int{0, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 40, 64}
	type table struct {
		counts [16]int
		syms   []int
		code   [256]int
		length [256]int
	}
	var tabs [4]table
	for t := range 4 {
		var syms []int
		for s := range 256 {
			if freq[t][s] > 0 {
				syms = append(syms, s)
			}
		}
		sort.SliceStable(syms, func(i, j int) bool { return freq[t][syms[i]] > freq[t][syms[j]] })
		tb := &tabs[t]
		tb.syms = syms
		k := 0
		for l := range 16 {
			n := min(profile[l], len(syms)-k)
			tb.counts[l] = n
			k += n
		}
		code, k := 0, 0
		for l := range 16 {
			for range tb.counts[l] {
				tb.code[syms[k]], tb.length[syms[k]] = code, l+1
				code++
				k++
			}
			code <<= 1
		}
	}
	var out bytes.Buffer
	seg := func(marker byte, body []byte) {
		out.Write([]byte{0xFF, marker, byte((len(body) + 2) >> 8), byte(len(body) + 2)})
		out.Write(body)
	}
	out.Write([]byte{0xFF, 0xD8})
	for t := range min(ncomp, 2) {
		body := []byte{byte(t)}
		if f.q16 {
			body[0] |= 0x10
		}
		for k := range 64 {
			if f.q16 {
				body = append(body, byte(qt[t][k]>>8))
			}
			body = append(body, byte(qt[t][k]))
		}
		seg(0xDB, body)
	}
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(ncomp)}
	for _, c := range comps {
		sof = append(sof, byte(c.id), byte(c.h<<4|c.v), byte(c.tq))
	}
	seg(0xC0, sof)
	for t := range 4 {
		if t >= 2 && ncomp == 1 {
			break
		}
		body := []byte{byte((t%2)<<4 | t/2)}
		for _, n := range tabs[t].counts {
			body = append(body, byte(n))
		}
		for _, s := range tabs[t].syms {
			body = append(body, byte(s))
		}
		seg(0xC4, body)
	}
	if f.ri > 0 {
		seg(0xDD, []byte{byte(f.ri >> 8), byte(f.ri)})
	}
	for si, s := range scans {
		body := []byte{byte(len(s.comps))}
		for _, i := range s.comps {
			t := min(i, 1)
			body = append(body, byte(comps[i].id), byte(t<<4|t))
		}
		body = append(body, 0, 63, 0)
		seg(0xDA, body)
		var acc uint64
		var n int
		put := func(bits, nb int) {
			acc = acc<<nb | uint64(bits)&(1<<nb-1)
			n += nb
			for n >= 8 {
				c := byte(acc >> (n - 8))
				out.WriteByte(c)
				if c == 0xFF {
					out.WriteByte(0)
				}
				n -= 8
			}
		}
		flush := func() {
			if n > 0 {
				put(0x7F, 8-n)
			}
		}
		for _, y := range streams[si] {
			if y.tab < 0 {
				flush()
				out.Write([]byte{0xFF, byte(0xD0 + y.sym)})
				continue
			}
			tb := &tabs[y.tab]
			put(tb.code[y.sym], tb.length[y.sym])
			put(y.bits, y.nbits)
		}
		flush()
	}
	out.Write([]byte{0xFF, 0xD9})
	return out.Bytes()
}
