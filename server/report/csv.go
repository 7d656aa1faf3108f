package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// CSVHeader is the first line of the CSV export.
var CSVHeader = []string{
	"section", "key", "label", "tickets", "kiosk", "remote", "booking", "clerk",
	"served", "no_show", "cancelled", "expired",
	"wait_n", "wait_avg_s", "wait_p90_s", "service_n", "service_avg_s", "service_p90_s",
	"estimate_n", "estimate_bias_s", "estimate_mae_s",
	"ratings_1", "ratings_2", "ratings_3", "ratings_4", "rating_avg",
}

// WriteCSV writes the report as CSV: one line per group, sections "total",
// "service", "counter", "staff", "hour" and "day", with the same figures
// as the page. label names a key (e.g. a service's name); it may be nil.
// Cells that a spreadsheet would run as a formula are prefixed with '.
func WriteCSV(w io.Writer, r *Report, label func(section, key string) string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	line := func(section, key string, s *Stats) error {
		l := ""
		if label != nil {
			l = label(section, key)
		}
		rec := []string{section, safeCell(key), safeCell(l), itoa(s.Tickets)}
		for _, src := range Sources {
			rec = append(rec, itoa(s.BySource[src]))
		}
		rec = append(rec, itoa(s.Served), itoa(s.NoShow), itoa(s.Cancelled), itoa(s.Expired),
			itoa(s.Wait.N), ftoa(s.Wait.Avg), ftoa(s.Wait.P90), itoa(s.Service.N), ftoa(s.Service.Avg), ftoa(s.Service.P90),
			itoa(s.EstimateN), ftoa(s.EstimateBias), ftoa(s.EstimateMAE))
		for sc := 1; sc <= MaxScore; sc++ {
			rec = append(rec, itoa(s.Ratings[sc]))
		}
		rec = append(rec, ftoa(s.RatingAvg()))
		return cw.Write(rec)
	}
	if err := line("total", r.From+".."+r.To, &r.Total); err != nil {
		return err
	}
	for _, sec := range []struct {
		name string
		gs   []Group
	}{{"service", r.ByService}, {"counter", r.ByCounter}, {"staff", r.ByStaff}, {"hour", r.ByHour}, {"day", r.ByDay}} {
		for i := range sec.gs {
			if err := line(sec.name, sec.gs[i].Key, &sec.gs[i].Stats); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int) string { return strconv.Itoa(n) }

// ftoa writes seconds with one decimal.
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// safeCell keeps a spreadsheet from reading text as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
