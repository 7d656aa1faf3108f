package report

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/feedback/feedbacktest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func seedFigures() (*feedback.Config, feedback.Figures) {
	cfg := feedbacktest.Config(ict)
	return cfg, feedback.Stats(cfg, feedbacktest.SeedReports(cfg), time.Date(2021, 1, 4, 9, 0, 0, 0, ict))
}

func readFeedbackCSV(t *testing.T, cfg *feedback.Config, f *feedback.Figures, lang string) ([][]string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteFeedbackCSV(&buf, cfg, f, lang); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs, buf.Bytes()
}

// TestFeedbackCSVSeed: the seed's 1,756 reports in the CSV, with the
// seed's numbers by category and its 54 unfounded, in English and in
// Vietnamese (same figures), and byte for byte as the golden file.
func TestFeedbackCSVSeed(t *testing.T) {
	cfg, f := seedFigures()
	en, raw := readFeedbackCSV(t, cfg, &f, "en")
	check(t, "header", strings.Join(en[0], "|"), "Section|Key|Name|Reports|Out of|Percent|Days")
	check(t, "total", strings.Join(en[1], "|"), "Total|||1756|1756|100.0|")
	rows := map[string][]string{}
	for _, r := range en[1:] {
		rows[r[0]+"/"+r[1]] = r
	}
	for _, c := range []struct{ key, name, n, pct string }{
		{"xay-dung", "Construction order", "593", "33.8"}, {"do-thi", "Urban order", "435", "24.8"},
		{"moi-truong", "Environment", "326", "18.6"}, {"giao-thong", "Traffic safety, public order", "229", "13.0"},
		{"van-hoa", "Culture and tourism", "108", "6.2"}, {"thuc-pham", "Food safety", "28", "1.6"},
		{"rung", "Forest protection", "20", "1.1"}, {"gia-ca", "Market prices", "11", "0.6"}, {"khac", "Other", "6", "0.3"},
		{"thu-tuc", "Administrative procedures", "0", "0.0"},
	} {
		r := rows["Category/"+c.key]
		if r == nil || r[2] != c.name || r[3] != c.n || r[4] != "1756" || r[5] != c.pct {
			t.Errorf("category %s: %v, want %s %s (%s %%)", c.key, r, c.name, c.n, c.pct)
		}
	}
	check(t, "unfounded", strings.Join(rows["Figure/unfounded"], "|"), "Figure|unfounded|Unfounded (of all)|54|1756|3.1|")
	check(t, "median", strings.Join(rows["Figure/median_days_to_resolve"][3:], "|"), "1632|||8.3")
	check(t, "resolved", rows["Status/resolved"][3], "1632")
	check(t, "months", len(f.ByMonth), 19)
	if rows["Month/2019-06"] == nil || rows["Month/2020-12"] == nil || rows["Ward/phuong-dong"][2] != "Dong Ward (sample)" {
		t.Errorf("months or wards missing: %v", rows)
	}
	check(t, "lines", len(en), 1+1+7+10+len(f.ByUnit)+len(f.ByWard)+1+8+19)

	vi, _ := readFeedbackCSV(t, cfg, &f, "vi")
	check(t, "vi header", strings.Join(vi[0], "|"), "Phần|Mã|Tên|Số phản ánh|Trên tổng số|Tỷ lệ (%)|Số ngày")
	if len(vi) != len(en) {
		t.Fatalf("vi %d lines, en %d", len(vi), len(en))
	}
	for i := 1; i < len(en); i++ {
		for _, col := range []int{1, 3, 4, 5, 6} {
			if vi[i][col] != en[i][col] {
				t.Errorf("line %d column %s: vi %q, en %q", i, en[0][col], vi[i][col], en[i][col])
			}
		}
	}
	check(t, "vi category", vi[9][0]+"|"+vi[9][2], "Lĩnh vực|Trật tự xây dựng")
	check(t, "vi status", rows["Status/unfounded"][2]+"|"+vi[len(vi)-19-8+5][2], "Unfounded|Phản ánh không đúng")

	golden := "testdata/feedback-seed.en.csv"
	if *update {
		if err := os.WriteFile(golden, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -run TestFeedbackCSVSeed -update writes it)", err)
	}
	if !bytes.Equal(raw, want) {
		t.Errorf("the CSV differs from %s (rewrite it with -update if the change is meant):\n%s", golden, raw)
	}
}

// hostileConfig names a category, a unit and a ward with formulas and
// markup.
func hostileConfig() (*feedback.Config, *feedback.Figures) {
	cfg := &feedback.Config{
		Categories: []feedback.Category{{ID: "=cmd", Name: `=HYPERLINK("http://x") <script>alert(1)</script>`, NameEN: "@SUM(A1)", Unit: "u"}},
		Units: []feedback.Unit{{ID: "u", Name: "+1 <b>bold</b>", NameEN: "-1 & co", Kind: feedback.UnitDepartment},
			{ID: "w", Name: "\t<img src=x onerror=alert(1)>", Kind: feedback.UnitWard}},
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, ict)
	reports := []feedback.Report{{Category: "=cmd", Unit: "u", Status: feedback.StatusNew, Created: at, Place: feedback.Place{Ward: "w"}}}
	f := feedback.Stats(cfg, reports, at)
	return cfg, &f
}

func TestFeedbackCSVNeutralisesFormulas(t *testing.T) {
	cfg, f := hostileConfig()
	for _, lang := range []string{"vi", "en"} {
		recs, _ := readFeedbackCSV(t, cfg, f, lang)
		for _, r := range recs[1:] {
			for _, cell := range r[1:3] {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s: cell %q would run as a formula", lang, cell)
				}
			}
		}
		names := map[string]bool{}
		for _, r := range recs {
			names[r[1]+" "+r[2]] = true
		}
		want := []string{`'=cmd '=HYPERLINK("http://x") <script>alert(1)</script>`, "u '+1 <b>bold</b>", "w '\t<img src=x onerror=alert(1)>"}
		if lang == "en" {
			want = []string{"'=cmd '@SUM(A1)", "u '-1 & co", "w '\t<img src=x onerror=alert(1)>"}
		}
		for _, w := range want {
			if !names[w] {
				t.Errorf("%s: no line %q in %v", lang, w, names)
			}
		}
	}
}

func TestFeedbackChartsEscape(t *testing.T) {
	cfg, f := hostileConfig()
	charts := FeedbackCharts(cfg, f, "vi")
	if len(charts) != 5 {
		t.Fatalf("%d charts", len(charts))
	}
	for _, c := range charts {
		for _, bad := range []string{"<script", "<b>", "<img"} {
			if strings.Contains(c.SVG, bad) {
				t.Errorf("%s chart: %q not escaped", c.Section, bad)
			}
		}
	}
	if !strings.Contains(charts[0].SVG, "=HYPERLINK(&#34;http://x&#34;) &lt;script&gt;") {
		t.Errorf("the category's name is not in its chart: %s", charts[0].SVG)
	}
}

// TestFeedbackChartsSeed: one chart per section with one bar per group,
// the Vietnamese and English titles, and the same numbers in both.
func TestFeedbackChartsSeed(t *testing.T) {
	cfg, f := seedFigures()
	vi, en := FeedbackCharts(cfg, &f, "vi"), FeedbackCharts(cfg, &f, "en")
	if len(vi) != 5 || len(en) != 5 {
		t.Fatalf("%d and %d charts", len(vi), len(en))
	}
	bars := map[string]int{"category": 10, "unit": len(f.ByUnit), "ward": 3, "status": 8, "month": 19}
	for i, c := range vi {
		if got := strings.Count(c.SVG, "<rect"); got != bars[c.Section] || strings.Count(en[i].SVG, "<rect") != got {
			t.Errorf("%s chart: %d bars, want %d", c.Section, got, bars[c.Section])
		}
		if !strings.HasPrefix(c.SVG, "<svg") || !strings.Contains(c.SVG, "<title>"+c.Title+"</title>") {
			t.Errorf("%s chart: %.200s", c.Section, c.SVG)
		}
	}
	// 19 months of 7-character labels in 37-pixel slots: every other
	// one is shown, whole.
	check(t, "month labels", strings.Count(vi[4].SVG, `fill="#5a6270">20`), 10)
	check(t, "first month label", strings.Contains(vi[4].SVG, `fill="#5a6270">2019-06</text>`), true)
	check(t, "titles", vi[0].Title+"|"+en[4].Title, "Phản ánh theo lĩnh vực|Reports by month")
	for _, want := range []string{"<title>Trật tự xây dựng: 593 phản ánh</title>", "<title>Khác: 6 phản ánh</title>"} {
		if !strings.Contains(vi[0].SVG, want) {
			t.Errorf("category chart lacks %q", want)
		}
	}
	if !strings.Contains(en[3].SVG, "<title>Unfounded: 54 reports</title>") {
		t.Errorf("status chart lacks the 54 unfounded: %s", en[3].SVG)
	}
	// No ward configured, no report: no chart of wards or months.
	empty := feedback.Stats(&feedback.Config{Categories: cfg.Categories}, nil, time.Now())
	var sections []string
	for _, c := range FeedbackCharts(cfg, &empty, "en") {
		sections = append(sections, c.Section)
	}
	check(t, "empty charts", strings.Join(sections, ","), "category,status")
}
