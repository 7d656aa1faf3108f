package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
)

// TestStackedBarChartEscapes: labels and series names are escaped, each
// part is a <title>d rect of its colour, parts of zero are not drawn,
// and the total follows each bar.
func TestStackedBarChartEscapes(t *testing.T) {
	svg := StackedBarChart(`Kết quả <b>`, []Stack{
		{Label: `<script>alert(1)</script>`, Values: []float64{1, 0, 2, 0}},
		{Label: "Hộ tịch", Values: []float64{0, 3, 0, 0}},
	}, dossierSeries, "vi", " hồ sơ")
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "<b>") || strings.Contains(svg, "style=") {
		t.Fatalf("unescaped: %s", svg)
	}
	for _, want := range []string{`&lt;script&gt;alert(1)&lt;/script&gt; – Trước hạn: 1 hồ sơ`, `– Trễ hạn: 2 hồ sơ`, `Hộ tịch – Đúng hạn: 3 hồ sơ`, `fill="#b42318"`, `>3</text>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if n := strings.Count(svg, "<title>"); n != 4 { // the chart's and three parts
		t.Errorf("%d titles, want 4", n)
	}
}

// TestWriteDossierCSV: the tallies and the late list, in each language,
// one column count, formula-like cells neutralised.
func TestWriteDossierCSV(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	s := dossier.Stats{
		All:         dossier.Tally{Total: 3, Done: 2, Early: 1, Late: 1, OnTimeRate: 0.5, AvgDays: 2.5},
		ByProcedure: []dossier.Tally{{Key: "=HYPERLINK(1)", Total: 3, Done: 2, Early: 1, Late: 1, OnTimeRate: 0.5, AvgDays: 2.5}},
		ByMonth:     []dossier.Tally{{Key: "2026-11", Total: 3}},
		Late: []dossier.LateDossier{{Code: "TP-261120-0001", Procedure: "KD-01", Status: dossier.StatusProcessing,
			DueAt: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), DaysLate: 2}},
	}
	for _, lang := range []string{"vi", "en"} {
		var b bytes.Buffer
		if err := WriteDossierCSV(&b, nil, &s, lang, loc); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 5 || recs[0][0] != DossierCSVHeader(lang)[0] {
			t.Fatalf("%s: %q", lang, recs)
		}
		if recs[1][12] != "50.0" || recs[1][13] != "2.5" {
			t.Errorf("%s total %q", lang, recs[1])
		}
		if !strings.HasPrefix(recs[2][1], "'") {
			t.Errorf("%s: formula cell kept: %q", lang, recs[2][1])
		}
		if recs[3][12] != "" || recs[3][13] != "" {
			t.Errorf("%s: a month without done dossiers has a rate: %q", lang, recs[3])
		}
		late := recs[4]
		if late[1] != "TP-261120-0001" || late[17] != "2026-11-26 00:00" || late[20] != "2" || late[14] != DossierStatusName(dossier.StatusProcessing, lang) {
			t.Errorf("%s late line %q", lang, late)
		}
	}
}
