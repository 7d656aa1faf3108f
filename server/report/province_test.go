package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"luot/server/dossier"
	"luot/server/feedback"
)

// TestProvinceSum: the total adds the counts, weighs each office's mean
// wait by its waits (an office without any weighs nothing), recomputes
// the rates from the sums, and has dossiers or reports only when an
// office has them.
func TestProvinceSum(t *testing.T) {
	d := ProvinceDossiersOf(dossier.Tally{Total: 6, Done: 4, Early: 1, OnTime: 2, Late: 1, Open: 2, OpenLate: 1})
	if d != (ProvinceDossiers{Received: 6, Done: 4, OnTime: 3, Late: 1, Open: 2, OpenLate: 1, OnTimeRate: 0.75}) {
		t.Fatalf("dossiers %+v", d)
	}
	f := ProvinceFeedbackOf(&feedback.Figures{Total: 5, Open: 3, Overdue: 1, Closed: 2, OnTime: 1})
	if f != (ProvinceFeedback{Reports: 5, Open: 3, Overdue: 1, Closed: 2, OnTime: 1, OnTimeRate: 0.5}) {
		t.Fatalf("feedback %+v", f)
	}
	p := Province{Offices: []ProvinceOffice{
		{Office: "a", Queue: ProvinceQueue{Tickets: 10, Served: 8, NoShow: 1, Waits: 9, AvgWaitSeconds: 100}, Dossiers: &d},
		{Office: "b", Queue: ProvinceQueue{Tickets: 2, Served: 0, NoShow: 2, Waits: 0}},
		{Office: "c", Queue: ProvinceQueue{Tickets: 3, Served: 3, Waits: 3, AvgWaitSeconds: 500}, Dossiers: &ProvinceDossiers{Received: 1, Done: 0}},
	}}
	p.Sum()
	if p.Total.Queue != (ProvinceQueue{Tickets: 15, Served: 11, NoShow: 3, Waits: 12, AvgWaitSeconds: 200}) {
		t.Errorf("queue total %+v", p.Total.Queue)
	}
	if p.Total.QueueToday != (ProvinceQueue{}) || p.Total.Feedback != nil {
		t.Errorf("today %+v, feedback %+v", p.Total.QueueToday, p.Total.Feedback)
	}
	if *p.Total.Dossiers != (ProvinceDossiers{Received: 7, Done: 4, OnTime: 3, Late: 1, Open: 2, OpenLate: 1, OnTimeRate: 0.75}) {
		t.Errorf("dossiers total %+v", p.Total.Dossiers)
	}
	// Summing again gives the same total (nothing is added twice).
	before := p.Total
	p.Sum()
	if p.Total.Queue != before.Queue || *p.Total.Dossiers != *before.Dossiers {
		t.Errorf("second sum %+v", p.Total)
	}
}

// TestWriteProvinceCSV: a line per office and the total, the names in
// the CSV's language, formulas defused, figures over nothing left empty.
func TestWriteProvinceCSV(t *testing.T) {
	p := Province{Offices: []ProvinceOffice{
		{Office: "a", Name: "=HYPERLINK(\"x\")", Today: "2026-12-01", Queue: ProvinceQueue{Tickets: 1, Waits: 1, AvgWaitSeconds: 90}},
		{Office: "b", Name: "Phường B", NameEN: "Ward B", Feedback: &ProvinceFeedback{Reports: 2, Open: 1, Closed: 1, OnTime: 1, OnTimeRate: 1}},
	}}
	p.Sum()
	for _, c := range []struct {
		lang string
		want [][]string
	}{
		{"vi", [][]string{
			{"a", "'=HYPERLINK(\"x\")", "2026-12-01", "0", "0", "0", "", "1", "0", "0", "1.5", "", "", "", "", "", "", "", "", "", "", "", ""},
			{"b", "Phường B", "", "0", "0", "0", "", "0", "0", "0", "", "", "", "", "", "", "", "2", "1", "0", "1", "1", "100.0"},
			{"Tổng", "", "", "0", "0", "0", "", "1", "0", "0", "1.5", "", "", "", "", "", "", "2", "1", "0", "1", "1", "100.0"},
		}},
		{"en", [][]string{nil, {"b", "Ward B"}, {"Total"}}},
	} {
		var b bytes.Buffer
		if err := WriteProvinceCSV(&b, &p, c.lang); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || len(rows[0]) != len(provinceColumns) || rows[0][0] != ProvinceCSVHeader(c.lang)[0] {
			t.Fatalf("%s: %q", c.lang, rows)
		}
		for i, want := range c.want {
			if got := rows[i+1][:len(want)]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s line %d: %q, want %q", c.lang, i+1, got, want)
			}
			if len(rows[i+1]) != len(provinceColumns) {
				t.Errorf("%s line %d has %d cells", c.lang, i+1, len(rows[i+1]))
			}
		}
	}
}
