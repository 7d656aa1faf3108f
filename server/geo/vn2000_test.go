package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"luot/server/queue"
)

// proj4Install is the command that installs the oracle (scripts/setup.sh
// runs it).
const proj4Install = "npm ci --prefix scripts/proj4 --no-audit --no-fund --ignore-scripts"

// proj4Script finds scripts/proj4/vn2000.js with proj4 installed beside
// it, walking up to the module's root; without Node.js or proj4 the test
// is skipped with the command that installs them, but not under CI
// (CI=true), where it fails.
func proj4Script(t *testing.T) string {
	t.Helper()
	need := func(msg string) {
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("node"); err != nil {
		need("Node.js is not installed: the VN-2000 test compares with the npm package proj4; install Node.js and run scripts/setup.sh")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
	if _, err := os.Stat(filepath.Join(dir, "scripts", "proj4", "node_modules", "proj4", "package.json")); err != nil {
		need("proj4 is not installed: run scripts/setup.sh or, at the repository's root, " + proj4Install)
	}
	return filepath.Join(dir, "scripts", "proj4", "vn2000.js")
}

// hcmcGrid is a grid of WGS 84 points over Hồ Chí Minh City's province
// (with Bình Dương and Bà Rịa–Vũng Tàu, 10.35°–11.55° N, 106.35°–107.6° E,
// up to 1.85° from its meridian), and Côn Đảo, its island far south.
func hcmcGrid() []Point {
	var pts []Point
	for i := range 13 {
		for j := range 13 {
			pts = append(pts, Point{Lat: 10.35 + 1.2*float64(i)/12, Lon: 106.35 + 1.25*float64(j)/12})
		}
	}
	return append(pts, Point{Lat: 8.6833, Lon: 106.6083})
}

func TestVN2000AgainstProj4(t *testing.T) {
	script := proj4Script(t)
	hcmc := VN2000{CentralMeridian: 105.75, ZoneWidth: 3}
	pts := hcmcGrid()
	// The VN-2000 side of the grid: metres across the province.
	var vn [][2]float64
	for i := range 13 {
		for j := range 13 {
			vn = append(vn, [2]float64{560_000 + 145_000*float64(j)/12, 1_140_000 + 140_000*float64(i)/12})
		}
	}
	vn = append(vn, [2]float64{592_000, 960_000})
	wgs := make([][2]float64, len(pts))
	for i, p := range pts {
		wgs[i] = [2]float64{p.Lon, p.Lat}
	}
	in, _ := json.Marshal(map[string]any{"meridian": hcmc.CentralMeridian, "zone": hcmc.ZoneWidth, "vn": vn, "wgs": wgs})
	cmd := exec.Command("node", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	var oracle struct{ WGS, VN [][2]float64 }
	if err := json.Unmarshal(out, &oracle); err != nil || len(oracle.WGS) != len(vn) || len(oracle.VN) != len(pts) {
		t.Fatalf("proj4's answer: %v (%d and %d positions for %d and %d)", err, len(oracle.WGS), len(oracle.VN), len(vn), len(pts))
	}

	// The issue asks for 0.5 m; the two agree to well under a millimetre,
	// and 1 cm also catches one rotation's sign wrong (0.44 m) or a
	// translation off by half a metre, which 0.5 m would let pass.
	const tolerance = 0.01 // metres
	worstTo, worstFrom := 0.0, 0.0
	for i, q := range vn {
		got, err := hcmc.ToWGS84(q[1], q[0])
		if err != nil {
			t.Fatalf("ToWGS84(%v): %v", q, err)
		}
		want := Point{Lon: oracle.WGS[i][0], Lat: oracle.WGS[i][1]}
		d := Distance(got, want)
		worstTo = math.Max(worstTo, d)
		if d > tolerance {
			t.Errorf("ToWGS84(N %.0f, E %.0f) = %v; proj4 says %v: %.3f m apart", q[1], q[0], got, want, d)
		}
	}
	for i, p := range pts {
		n, e, err := hcmc.FromWGS84(p)
		if err != nil {
			t.Fatalf("FromWGS84(%v): %v", p, err)
		}
		d := math.Hypot(e-oracle.VN[i][0], n-oracle.VN[i][1])
		worstFrom = math.Max(worstFrom, d)
		if d > tolerance {
			t.Errorf("FromWGS84(%v) = (N %.3f, E %.3f); proj4 says (N %.3f, E %.3f): %.3f m apart", p, n, e, oracle.VN[i][1], oracle.VN[i][0], d)
		}
	}
	t.Logf("largest difference from proj4 over %d points: VN-2000 → WGS 84 %.4f m, WGS 84 → VN-2000 %.4f m", len(vn), worstTo, worstFrom)
}

// TestVN2000RoundTrip needs no oracle: FromWGS84 then ToWGS84 comes back
// to the point, in both zone widths, across a zone's width.
func TestVN2000RoundTrip(t *testing.T) {
	for _, v := range []VN2000{{CentralMeridian: 105.75, ZoneWidth: 3}, {CentralMeridian: 105, ZoneWidth: 6}, {CentralMeridian: 108.25, ZoneWidth: 3}} {
		for _, p := range []Point{{Lat: 10.7769, Lon: 106.7009}, {Lat: 21.0285, Lon: 105.8542}, {Lat: 16.0544, Lon: 108.2022}, {Lat: 8.6833, Lon: 106.6083}, {Lat: 22.3, Lon: 103.0}} {
			n, e, err := v.FromWGS84(p)
			if err != nil {
				t.Fatalf("%+v FromWGS84(%v): %v", v, p, err)
			}
			back, err := v.ToWGS84(n, e)
			if err != nil {
				t.Fatalf("%+v ToWGS84(%f, %f): %v", v, n, e, err)
			}
			if d := Distance(p, back); d > 0.01 { // dropping the height the Helmert shift gives costs millimetres
				t.Errorf("%+v: %v → (N %.3f, E %.3f) → %v, %.4f m off", v, p, n, e, back, d)
			}
		}
	}
	// The scale factor on the meridian: 0.9999 in a 3° zone, 0.9996 in a
	// 6° one, so the same stretch of meridian measures in that ratio.
	stretch := func(v VN2000) float64 {
		n1, _, err1 := v.FromWGS84(Point{Lat: 10, Lon: 105.75})
		n2, _, err2 := v.FromWGS84(Point{Lat: 10.01, Lon: 105.75})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		return n2 - n1
	}
	three, six := stretch(VN2000{CentralMeridian: 105.75, ZoneWidth: 3}), stretch(VN2000{CentralMeridian: 105.75, ZoneWidth: 6})
	if got, want := three/six, 0.9999/0.9996; math.Abs(got-want) > 1e-12 {
		t.Errorf("a 3° zone measures the meridian %.12f times a 6° zone; want %.12f (0.9999/0.9996)", got, want)
	}
}

func TestVN2000Refuses(t *testing.T) {
	for _, c := range []struct {
		v    VN2000
		want string
	}{
		{VN2000{CentralMeridian: 105.75, ZoneWidth: 4}, "3 or 6"},
		{VN2000{CentralMeridian: 105.45, ZoneWidth: 3}, "105°45′ is written 105.75"},
		{VN2000{CentralMeridian: 105.7, ZoneWidth: 3}, "quarter degree"},
		{VN2000{CentralMeridian: 0, ZoneWidth: 3}, "does not cross Vietnam"},
		{VN2000{CentralMeridian: math.NaN(), ZoneWidth: 3}, "does not cross Vietnam"},
		{VN2000{CentralMeridian: 130, ZoneWidth: 6}, "does not cross Vietnam"},
	} {
		err := c.v.Validate()
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Code != "invalid_crs" || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v.Validate() = %v; want an invalid_crs error saying %q", c.v, err, c.want)
		}
		if _, err := c.v.ToWGS84(1_190_000, 600_000); err == nil {
			t.Errorf("%+v.ToWGS84 converted with an invalid system", c.v)
		}
	}
	hcmc := VN2000{CentralMeridian: 105.75, ZoneWidth: 3}
	for _, q := range [][2]float64{{1_190_000, 1_500_000}, {1_190_000, -200_000}, {math.NaN(), 600_000}, {1_190_000, math.Inf(1)}, {10.77, 106.7}} {
		if p, err := hcmc.ToWGS84(q[0], q[1]); err == nil && q[1] != 106.7 {
			t.Errorf("ToWGS84(%v, %v) = %v; want an error", q[0], q[1], p)
		}
	}
	if _, _, err := hcmc.FromWGS84(Point{Lat: 10, Lon: 120}); err == nil {
		t.Error("FromWGS84 converted a point 14° from the meridian")
	}
}
