package report

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestBarChartGolden keeps the queue reports' charts byte for byte as
// they are: a chart with few bars (labels and values on every bar), one
// with many (every third label), fractional values, an empty one, and
// labels to shorten and escape.
func TestBarChartGolden(t *testing.T) {
	var many []Bar
	for h := range 24 {
		many = append(many, Bar{Label: fmt.Sprintf("%02d", h), Value: float64(h * h % 17)})
	}
	charts := []string{
		BarChart("Phiếu theo giờ", many, ""),
		BarChart("Chờ trung bình", []Bar{{"Đăng ký kinh doanh hộ cá thể", 12.5}, {"Tư pháp – hộ tịch", 3}, {"<x> & \"y\"", 0}}, " phút"),
		BarChart("Trống", nil, ""),
		BarChart("Một", []Bar{{"a", 1}}, " s"),
	}
	got := []byte(strings.Join(charts, "\n") + "\n")
	golden := "testdata/barchart.golden.svg"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -run TestBarChartGolden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("BarChart's output changed (rewrite %s with -update if the change is meant):\n%s", golden, got)
	}
}
