package assets

import (
	"testing"

	"luot/server/geo"
)

// TestDemoWards: the demo's wards read as GeoJSON, three of them with
// the ids and names the demo's configuration uses, around the demo
// map's centre, which lies in Phường Đông.
func TestDemoWards(t *testing.T) {
	fs, err := geo.ParseFeatures(DemoWards)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"phuong-dong": "Phường Đông (mẫu)", "phuong-tay": "Phường Tây (mẫu)", "phuong-nam": "Phường Nam (mẫu)"}
	if len(fs) != len(want) {
		t.Fatalf("%d wards, want %d", len(fs), len(want))
	}
	centre := geo.Point{Lat: 16.4637, Lon: 107.5909}
	for _, f := range fs {
		if name, ok := want[f.ID]; !ok || f.Properties["name"] != name || f.Properties["name_en"] == nil {
			t.Errorf("ward %q: %v", f.ID, f.Properties)
		}
		if in := f.Area.Contains(centre); in != (f.ID == "phuong-dong") {
			t.Errorf("ward %s contains the centre: %v", f.ID, in)
		}
		sw, ne, _ := f.Area.Bounds()
		if geo.Distance(centre, sw) > 3000 || geo.Distance(centre, ne) > 3000 {
			t.Errorf("ward %s is not around the centre: %v–%v", f.ID, sw, ne)
		}
	}
}
