package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// csvColumns are the CSV export's columns: Vietnamese, English. Times
// are in minutes with one decimal, as the reports page shows them.
var csvColumns = [][2]string{
	{"Phần", "Section"}, {"Mã", "Key"}, {"Tên", "Name"}, {"Số phiếu", "Tickets"},
	{"Kiosk", "Kiosk"}, {"Trực tuyến", "Online"}, {"Lịch hẹn", "Appointment"}, {"Tại quầy", "At counter"},
	{"Đã phục vụ", "Served"}, {"Vắng mặt", "No-shows"}, {"Đã hủy", "Cancelled"}, {"Hết hạn", "Expired"},
	{"Số lượt chờ đo được", "Waits measured"}, {"Chờ TB (phút)", "Avg wait (min)"}, {"Chờ P90 (phút)", "P90 wait (min)"},
	{"Số lượt phục vụ đo được", "Services measured"}, {"Phục vụ TB (phút)", "Avg service (min)"}, {"Phục vụ P90 (phút)", "P90 service (min)"},
	{"Số ước tính đo được", "Estimates measured"}, {"Sai số ước tính TB (phút)", "Estimate bias (min)"}, {"Sai số tuyệt đối TB (phút)", "Estimate MAE (min)"},
	{"Đánh giá 1", "Ratings 1"}, {"Đánh giá 2", "Ratings 2"}, {"Đánh giá 3", "Ratings 3"}, {"Đánh giá 4", "Ratings 4"}, {"Đánh giá TB", "Avg rating"},
}

// csvSections name the sections in the CSV: Vietnamese, English.
var csvSections = map[string][2]string{
	"total": {"Tổng", "Total"}, "service": {"Lĩnh vực", "Service"}, "counter": {"Quầy", "Counter"},
	"staff": {"Nhân viên", "Staff"}, "hour": {"Giờ", "Hour"}, "day": {"Ngày", "Day"},
}

// langIndex is 1 for English, 0 (Vietnamese) otherwise.
func langIndex(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

// nameIn is a name in lang: the English one in English when there is one,
// otherwise the Vietnamese one, otherwise the key itself.
func nameIn(lang, vi, en, key string) string {
	switch {
	case langIndex(lang) == 1 && en != "":
		return en
	case vi != "":
		return vi
	}
	return key
}

// CSVHeader is the first line of the CSV export in lang ("vi" or "en").
func CSVHeader(lang string) []string {
	out := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		out[i] = c[langIndex(lang)]
	}
	return out
}

// WriteCSV writes the report as CSV in lang ("vi" or "en"): one line per
// group, sections total, service, counter, staff, hour and day, with the
// same figures as the page (times in minutes). label names a key (e.g. a
// service's name); it may be nil. Cells that a spreadsheet would run as a
// formula are prefixed with '.
func WriteCSV(w io.Writer, r *Report, label func(section, key string) string, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader(lang)); err != nil {
		return err
	}
	line := func(section, key string, s *Stats) error {
		l := ""
		if label != nil {
			l = label(section, key)
		}
		rec := []string{csvSections[section][langIndex(lang)], safeCell(key), safeCell(l), itoa(s.Tickets)}
		for _, src := range Sources {
			rec = append(rec, itoa(s.BySource[src]))
		}
		rec = append(rec, itoa(s.Served), itoa(s.NoShow), itoa(s.Cancelled), itoa(s.Expired),
			itoa(s.Wait.N), mins(s.Wait.Avg), mins(s.Wait.P90), itoa(s.Service.N), mins(s.Service.Avg), mins(s.Service.P90),
			itoa(s.EstimateN), mins(s.EstimateBias), mins(s.EstimateMAE))
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

// ftoa writes a number with one decimal.
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// mins writes seconds as minutes with one decimal, as the page does.
func mins(sec float64) string { return ftoa(sec / 60) }

// safeCell keeps a spreadsheet from reading text as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
