package fastjpeg

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIDCTs checks the integer transforms against the definition in
// float64: f(x,y) = 1/4 Σ C(u)C(v) F(u,v) cos((2x+1)uπ/2N) cos((2y+1)vπ/2N)
// + 128 over the N×N lowest coefficients, N = 8, 4, 2 and 1, within one
// unit of rounding.
func TestIDCTs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 2000 {
		var blk [64]int32
		// Mostly small coefficients, some blocks large ones (clamping).
		amp := 60
		if i%10 == 0 {
			amp = 600
		}
		for k := range 64 {
			if r.IntN(3) == 0 {
				blk[k] = int32(r.IntN(2*amp+1) - amp)
			}
		}
		blk[0] = int32(r.IntN(2048) - 1024)
		for _, n := range []int{8, 4, 2, 1} {
			b := blk
			out := make([]byte, 3+n*11) // stride 11, offset 3
			switch n {
			case 8:
				idct8(&b, new([64]int), out, 3, 11)
			case 4:
				idct4(&b, out, 3, 11)
			case 2:
				idct2(&b, out, 3, 11)
			case 1:
				fillBlock(out, 3, 11, 1, b[0])
			}
			for y := range n {
				for x := range n {
					var s float64
					for v := range n {
						for u := range n {
							cu, cv := 1.0, 1.0
							if u == 0 {
								cu = math.Sqrt2 / 2
							}
							if v == 0 {
								cv = math.Sqrt2 / 2
							}
							s += cu * cv * float64(blk[v*8+u]) *
								math.Cos(float64((2*x+1)*u)*math.Pi/float64(2*n)) *
								math.Cos(float64((2*y+1)*v)*math.Pi/float64(2*n))
						}
					}
					want := min(255, max(0, math.Round(s/4+128)))
					got := float64(out[3+y*11+x])
					if math.Abs(got-want) > 1 {
						t.Fatalf("block %d at %d×%d: sample %d,%d is %v, want %v", i, n, n, x, y, got, want)
					}
				}
			}
		}
	}
}
