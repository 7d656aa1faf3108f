package store

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"luot/server/geo"
	"luot/server/planning"
)

// square is a closed square ring with its south-west corner at (lat, lon).
func square(lat, lon, side float64) geo.Ring {
	return geo.Ring{{Lat: lat, Lon: lon}, {Lat: lat, Lon: lon + side}, {Lat: lat + side, Lon: lon + side}, {Lat: lat + side, Lon: lon}, {Lat: lat, Lon: lon}}
}

func TestPlanningRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		empty, err := db.LoadPlanning(ctx)
		if err != nil || len(empty.Zones) != 0 || len(empty.Parcels) != 0 || empty.ZonesInfo != (planning.Info{}) {
			t.Fatalf("empty database: %+v, %v", empty, err)
		}
		zones := []planning.Zone{
			{ID: "z2", Code: "CX", Name: "Đất cây xanh", Decision: "12/QĐ-UBND", DecisionDate: "2024-05-01",
				Area: geo.MultiPolygon{{square(10.7, 106.6, 0.01)}, {square(10.8, 106.6, 0.01), square(10.801, 106.601, 0.001)}}},
			{ID: "z1", Code: "ODT", Name: "Đất ở đô thị", Density: 80, Height: 25.5, Floors: 7, FAR: 4.5, Decision: "12/QĐ-UBND", DecisionDate: "2024-05-01",
				Area: geo.MultiPolygon{{square(10.71, 106.61, 0.01)}}},
		}
		info := planning.Info{Name: "Quy hoạch 1/2000", CRS: "VN-2000 105.75", Sample: true, At: t0, Count: 2}
		if err := db.ReplaceZones(ctx, zones, info); err != nil {
			t.Fatal(err)
		}
		parcels := []planning.Parcel{{Sheet: "12", Number: "345", Area: geo.MultiPolygon{{square(10.705, 106.605, 0.0002)}}}}
		pinfo := planning.Info{Name: "Bản đồ địa chính", CRS: "EPSG:4326", At: t0.Add(time.Hour), Count: 1}
		if err := db.ReplaceParcels(ctx, parcels, pinfo); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db2 := reopen(t, db)
		got, err := db2.LoadPlanning(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := planning.Data{Zones: []planning.Zone{zones[1], zones[0]}, ZonesInfo: info, Parcels: parcels, ParcelInfo: pinfo}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("loaded\n%+v\nwant\n%+v", got, want)
		}
	})
}

// A failed import changes nothing: the previous one stays whole.
func TestPlanningReplaceIsAtomic(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		first := []planning.Zone{{ID: "a", Code: "ODT", Area: geo.MultiPolygon{{square(10, 106, 0.01)}}}}
		info := planning.Info{Name: "first", CRS: "EPSG:4326", At: t0, Count: 1}
		if err := db.ReplaceZones(ctx, first, info); err != nil {
			t.Fatal(err)
		}
		dup := []planning.Zone{{ID: "b", Code: "CX", Area: first[0].Area}, {ID: "b", Code: "CX", Area: first[0].Area}}
		err := db.ReplaceZones(ctx, dup, planning.Info{Name: "second", Count: 2})
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("duplicate zone ids: %v, want ErrConflict", err)
		}
		parcels := []planning.Parcel{{Sheet: "1", Number: "1", Area: first[0].Area}}
		if err := db.ReplaceParcels(ctx, parcels, planning.Info{Name: "p", Count: 1}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceParcels(ctx, append(parcels, parcels[0]), planning.Info{Name: "p2", Count: 2}); !errors.Is(err, ErrConflict) {
			t.Fatalf("duplicate parcel: %v, want ErrConflict", err)
		}
		got, err := db.LoadPlanning(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Zones, first) || got.ZonesInfo != info || len(got.Parcels) != 1 || got.ParcelInfo.Name != "p" {
			t.Fatalf("after failed imports: %+v", got)
		}
		// A successful import replaces the previous one whole.
		second := []planning.Zone{{ID: "c", Code: "DGD", Area: first[0].Area}}
		if err := db.ReplaceZones(ctx, second, planning.Info{Name: "second", Count: 1}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.LoadPlanning(ctx)
		if !reflect.DeepEqual(got.Zones, second) || got.ZonesInfo.Name != "second" {
			t.Fatalf("after second import: %+v", got.Zones)
		}
	})
}

func TestUnpackAreaRefusesDamage(t *testing.T) {
	m := geo.MultiPolygon{{square(10, 106, 0.01), square(10.001, 106.001, 0.001)}}
	b := packArea(m)
	if got, err := unpackArea(b); err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("round trip: %v, %v", got, err)
	}
	for n := range len(b) {
		if _, err := unpackArea(b[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(b))
		}
	}
	if _, err := unpackArea(append(b, 0)); err == nil {
		t.Fatal("trailing byte: no error")
	}
	if _, err := unpackArea([]byte{0xff, 0xff, 0xff, 0xff}); err == nil {
		t.Fatal("huge count: no error")
	}
}

// City scale: 100,000 parcels store and load in seconds.
func TestPlanningCityScale(t *testing.T) {
	if testing.Short() {
		t.Skip("city scale: skipped with -short")
	}
	eachBackend(t, func(t *testing.T, db *DB) {
		parcels := make([]planning.Parcel, 100_000)
		for i := range parcels {
			lat, lon := 10.7+float64(i/400)*0.0003, 106.6+float64(i%400)*0.0003
			parcels[i] = planning.Parcel{Sheet: fmt.Sprint(i / 1000), Number: fmt.Sprint(i % 1000), Area: geo.MultiPolygon{{square(lat, lon, 0.00025)}}}
		}
		start := time.Now()
		if err := db.ReplaceParcels(ctx, parcels, planning.Info{Name: "city", Count: len(parcels)}); err != nil {
			t.Fatal(err)
		}
		stored := time.Since(start)
		start = time.Now()
		d, err := db.LoadPlanning(ctx)
		if err != nil {
			t.Fatal(err)
		}
		loaded := time.Since(start)
		if len(d.Parcels) != len(parcels) {
			t.Fatalf("loaded %d parcels, want %d", len(d.Parcels), len(parcels))
		}
		t.Logf("%s, 100,000 parcels: stored in %v, loaded in %v", db.Backend(), stored.Round(time.Millisecond), loaded.Round(time.Millisecond))
	})
}

// Imports at the same time (two server processes) leave one of them
// whole, never a mix.
func TestPlanningImportsAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *DB) {
		const imports, each = 6, 300
		var wg sync.WaitGroup
		errs := make(chan error, imports)
		for k := range imports {
			parcels := make([]planning.Parcel, each)
			for i := range parcels {
				parcels[i] = planning.Parcel{Sheet: fmt.Sprint(k), Number: fmt.Sprint(i), Area: geo.MultiPolygon{{square(10.7+float64(i)*0.001, 106.6, 0.0005)}}}
			}
			wg.Go(func() {
				errs <- db.ReplaceParcels(ctx, parcels, planning.Info{Name: fmt.Sprint(k), Count: each})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		d, err := db.LoadPlanning(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Parcels) != each {
			t.Fatalf("%d parcels after %d imports of %d", len(d.Parcels), imports, each)
		}
		for _, p := range d.Parcels {
			if p.Sheet != d.ParcelInfo.Name {
				t.Fatalf("parcel of import %s stored with the description of import %s", p.Sheet, d.ParcelInfo.Name)
			}
		}
	})
}
