package photo

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/image/draw"
)

// photo12MP is a 4000×3000 JPEG with detail (quality 90, like a phone's),
// made once.
var photo12MP = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, detailed(4000, 3000, 12), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// heapPeak samples the heap's live-and-not-yet-collected bytes every
// millisecond until stop is called, which returns the highest seen.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	sample := func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak.Load()
	}
}

// BenchmarkProcess12MP is the pipeline on a 12-megapixel JPEG. Beside
// ns/op it reports peak-MB, the heap's high-water mark above what it
// held before (garbage not yet collected included, as the machine sees
// it), alloc-MB/op, everything allocated per photo, and cpu-ms/op, the
// processor time the process spent per photo (on a machine busy with
// other work, wall time overstates the work). Compare with
// BenchmarkDecode12MP, the standard decoder alone.
func BenchmarkProcess12MP(b *testing.B) {
	src := photo12MP()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	runtime.GC()
	base := heapNow()
	stop := heapPeak()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpu()
	b.ResetTimer()
	// The JPEG is decoded reduced by jpegDenom (2: 2000×1500), and then
	// fitted to MaxSide (nothing more to do at 2000×1500).
	d := jpegDenom(4000, 3000, DefaultLimits.MaxSide)
	wantW, _ := fit((4000+d-1)/d, (3000+d-1)/d, DefaultLimits.MaxSide)
	var res Result
	for b.Loop() {
		var err error
		res, err = Process(bytes.NewReader(src), Limits{})
		if err != nil || res.Width != wantW {
			b.Fatal(err, res.Width, wantW)
		}
	}
	b.StopTimer()
	peak := stop()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(peak-base)/(1<<20), "peak-MB")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
	b.ReportMetric(float64(cpu()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(len(src))/(1<<20), "in-MB")
	b.ReportMetric(float64(len(res.JPEG))/(1<<20), "out-MB")
}

// BenchmarkDecode12MP is the physical floor of BenchmarkProcess12MP: the
// standard library decoding the same JPEG, and the bytes of the decoded
// picture (decoded-MB).
func BenchmarkDecode12MP(b *testing.B) {
	src := photo12MP()
	b.SetBytes(int64(len(src)))
	var m image.Image
	cpu0 := cpu()
	for b.Loop() {
		var err error
		m, err = jpeg.Decode(bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpu()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	y := m.(*image.YCbCr)
	b.ReportMetric(float64(len(y.Y)+len(y.Cb)+len(y.Cr))/(1<<20), "decoded-MB")
}

// BenchmarkScale12MP compares the scaling of the decoded 12-megapixel
// picture to 2048×1536: the pipeline's area averaging of the YCbCr planes
// against x/image/draw's kernels into RGBA.
func BenchmarkScale12MP(b *testing.B) {
	m, err := jpeg.Decode(bytes.NewReader(photo12MP()))
	if err != nil {
		b.Fatal(err)
	}
	dr := image.Rect(0, 0, 2048, 1536)
	for _, c := range []struct {
		name  string
		scale func()
	}{
		{"area-ycbcr", func() { scaled(m, 2048, 1536) }},
		{"draw-approxbilinear", func() { draw.ApproxBiLinear.Scale(image.NewRGBA(dr), dr, m, m.Bounds(), draw.Src, nil) }},
		{"draw-catmullrom", func() { draw.CatmullRom.Scale(image.NewRGBA(dr), dr, m, m.Bounds(), draw.Src, nil) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.scale()
			}
		})
	}
}

func heapNow() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// BenchmarkPipeline20 is a burst of 20 uploads of the 12-megapixel JPEG
// at once through a Pipeline of the default budget and a slot per
// processor of the machine: ns/op is the whole burst, peak-MB the heap's
// high-water mark above what it held before (the uploads themselves,
// held by their callers, excluded).
func BenchmarkPipeline20(b *testing.B) {
	src := photo12MP()
	p := NewPipeline(Limits{}, runtime.NumCPU(), 0)
	runtime.GC()
	base := heapNow()
	stop := heapPeak()
	for b.Loop() {
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := p.Process(context.Background(), bytes.NewReader(src)); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(stop()-base)/(1<<20), "peak-MB")
	b.ReportMetric(float64(p.slots), "slots")
}
