package planning

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"luot/server/geo"
)

// The benchmarks run at the city scale: 2,000 zones and 100,000
// parcels, generated deterministically. Run them with
//
//	CGO_ENABLED=0 go test -run '^$' -bench 'At|Parcel' -benchtime 20000x ./server/planning
//	CGO_ENABLED=0 go test -run '^$' -bench New -benchtime 3x ./server/planning
//
// Look-ups report their 99th percentile (p99-µs, target ≤ 1,000) beside
// the mean; BenchmarkNew reports the memory the Plan adds to its data
// (plan-MB: the indexes and the parcels' map) and the data's own (data-MB,
// the polygons as the store hands them over; together target ≤ 200).

var (
	cityOnce sync.Once
	cityData Data
	cityPlan *Plan
)

func bigCity(b *testing.B) (Data, *Plan) {
	cityOnce.Do(func() {
		cityData = city(50, 40, 400, 250)
		var err error
		if cityPlan, err = New(cityData); err != nil {
			panic(err)
		}
	})
	return cityData, cityPlan
}

// reportP99 records the 99th percentile of the times taken.
func reportP99(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	if len(times) == 0 {
		return
	}
	p99 := times[min(len(times)-1, len(times)*99/100)]
	b.ReportMetric(float64(p99.Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(float64(times[len(times)-1].Nanoseconds())/1e3, "max-µs")
}

func BenchmarkAt(b *testing.B) {
	_, p := bigCity(b)
	rng := rand.New(rand.NewPCG(22, 3))
	pts := make([]geo.Point, 4096)
	for i := range pts {
		pts[i] = geo.Point{Lat: cityLat + rng.Float64()*cityH, Lon: cityLon + rng.Float64()*cityW}
	}
	times := make([]time.Duration, 0, b.N)
	found := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		a := p.At(pts[i%len(pts)])
		times = append(times, time.Since(start))
		found += len(a.Zones)
	}
	b.StopTimer()
	if found == 0 && b.N > 100 { // a few points fall in holes
		b.Fatal("no point found a zone")
	}
	reportP99(b, times)
}

func BenchmarkParcel(b *testing.B) {
	d, p := bigCity(b)
	rng := rand.New(rand.NewPCG(22, 4))
	refs := make([]Parcel, 4096)
	for i := range refs {
		refs[i] = d.Parcels[rng.IntN(len(d.Parcels))]
	}
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ref := refs[i%len(refs)]
		start := time.Now()
		a, err := p.Parcel(ref.Sheet, ref.Number)
		times = append(times, time.Since(start))
		if err != nil || len(a.Shares) == 0 && a.Uncovered != 100 {
			b.Fatalf("parcel %s/%s: %+v %v", ref.Sheet, ref.Number, a, err)
		}
	}
	b.StopTimer()
	reportP99(b, times)
}

// heap is the memory in use after a full collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func BenchmarkNew(b *testing.B) {
	before := heap()
	d := city(50, 40, 400, 250)
	withData := heap()
	var p *Plan
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if p, err = New(d); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := heap()
	b.ReportMetric(float64(after-withData)/(1<<20), "plan-MB")
	b.ReportMetric(float64(withData-before)/(1<<20), "data-MB")
	b.ReportMetric(float64(p.zoneIx.Bytes())/(1<<20), "rtree-MB")
	runtime.KeepAlive(p)
	runtime.KeepAlive(d)
}

// BenchmarkParcelLargeZone looks up parcels in a zone of 50,000 positions
// with a hole of 20,000, the worst case: the zone's rings are walked once
// a look-up.
func BenchmarkParcelLargeZone(b *testing.B) {
	wavy := func(n int, rad float64) geo.Ring {
		out := make(geo.Ring, 0, n+1)
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			d := rad * (1 + 0.05*math.Sin(float64(i)*0.01))
			out = append(out, geo.Point{Lat: lat0 + d*math.Sin(a), Lon: lon0 + d*math.Cos(a)})
		}
		return append(out, out[0])
	}
	p, err := New(Data{
		Zones:   []Zone{{ID: "BIG", Area: geo.MultiPolygon{{wavy(50_000, 0.05), wavy(20_000, 0.01)}}}},
		Parcels: []Parcel{{Sheet: "1", Number: "1", Area: m(95, -5, 105, 5)}},
	})
	if err != nil {
		b.Fatal(err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := p.Parcel("1", "1"); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	reportP99(b, times)
}
