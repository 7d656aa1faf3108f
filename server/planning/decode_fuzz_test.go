package planning

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"luot/server/geo"
	"luot/server/queue"
)

// checkArea holds what a decoded area promises: WGS 84 points, closed
// rings of at least 4 positions.
func checkArea(t *testing.T, what string, m geo.MultiPolygon) {
	t.Helper()
	if len(m) == 0 {
		t.Fatalf("%s: no polygon", what)
	}
	for _, poly := range m {
		for _, ring := range poly {
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				t.Fatalf("%s: ring %v", what, ring)
			}
			for _, p := range ring {
				if !p.Valid() {
					t.Fatalf("%s: point %v", what, p)
				}
			}
		}
	}
}

// checkRefusal: a refusal is a *queue.Error of kind invalid.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var qe *queue.Error
	if !errors.As(err, &qe) || qe.Kind != queue.KindInvalid || qe.Message == "" {
		t.Fatalf("err = %#v; want a *queue.Error of kind invalid", err)
	}
}

// The seed corpora are in testdata/fuzz/FuzzDecodeZones and
// FuzzDecodeParcels: good files, each WGS 84 and VN-2000 mistake, broken
// JSON.
func FuzzDecodeZones(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, vn2000 bool) {
		crs := CRS{}
		if vn2000 {
			crs.VN2000 = &geo.VN2000{CentralMeridian: 105.75, ZoneWidth: 3}
		}
		zones, err := DecodeZones(bytes.NewReader(data), crs)
		if err != nil {
			checkRefusal(t, err)
			if zones != nil {
				t.Fatal("zones returned with an error")
			}
			return
		}
		ids := map[string]bool{}
		for _, z := range zones {
			if z.ID == "" || ids[z.ID] || z.Code == "" || z.Name == "" || z.Decision == "" || z.DecisionDate == "" {
				t.Fatalf("zone %+v: a required field empty or an id twice", z)
			}
			if z.Density < 0 || z.Density > 100 || z.Height < 0 || z.Floors < 0 || z.FAR < 0 {
				t.Fatalf("zone %+v: a rule out of range", z)
			}
			ids[z.ID] = true
			checkArea(t, z.ID, z.Area)
		}
	})
}

func FuzzDecodeParcels(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, vn2000 bool) {
		crs := CRS{}
		if vn2000 {
			crs.VN2000 = &geo.VN2000{CentralMeridian: 105.75, ZoneWidth: 3}
		}
		parcels, err := DecodeParcels(bytes.NewReader(data), crs)
		if err != nil {
			checkRefusal(t, err)
			if parcels != nil {
				t.Fatal("parcels returned with an error")
			}
			return
		}
		seen := map[[2]string]bool{}
		for _, p := range parcels {
			k := [2]string{p.Sheet, p.Number}
			if p.Sheet == "" || p.Number == "" || seen[k] {
				t.Fatalf("parcel %+v: empty or twice", p)
			}
			seen[k] = true
			checkArea(t, p.Sheet+"/"+p.Number, p.Area)
		}
	})
}

// FuzzParseCoordinates holds the small parser to encoding/json's reading
// of the same valid JSON: the same numbers in the same nesting, or both
// refuse.
func FuzzParseCoordinates(f *testing.F) {
	for _, s := range []string{`[[[[1,2],[3,4e2],[-5.5,6E-3],[1,2]]]]`, `[[[[1, 2, 3]]], [[[4,5]]]]`, `[]`, `[[]]`, `[[[]]]`, `[[[[1e400,2]]]]`, `[[[["1",2]]]]`, `[[[[null]]]]`, `[[[1,2]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return // the decoder has refused it before
		}
		var want [][][][]float64
		wantErr := json.Unmarshal(raw, &want)
		got, err := parseCoordinates(raw, 4)
		// encoding/json reads null as an empty slice; GeoJSON has no null
		// coordinates, so the parser refuses it: skip those inputs.
		if wantErr == nil && bytes.Contains(raw, []byte("null")) {
			return
		}
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%s: parser err %v, encoding/json err %v", raw, err, wantErr)
		}
		if err == nil && normalise(got) != normalise(want) {
			t.Fatalf("%s: parser %v, encoding/json %v", raw, got, want)
		}
	})
}

// normalise makes empty and nil slices alike.
func normalise(m [][][][]float64) string { return fmt.Sprint(m) }
