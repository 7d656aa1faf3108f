package report

import (
	"encoding/csv"
	"io"

	"luot/server/feedback"
)

// The feedback reports' figures (feedback.Stats) as CSV and charts, with
// the same conventions as the queue's: Vietnamese or English headers, the
// section of each line first, cells that a spreadsheet would run as a
// formula prefixed with ', charts drawn by BarChart.

// feedbackColumns are the feedback CSV's columns: Vietnamese, English.
// Every line says a number of reports out of another (its percentage),
// and the median line its days.
var feedbackColumns = [][2]string{
	{"Phần", "Section"}, {"Mã", "Key"}, {"Tên", "Name"}, {"Số phản ánh", "Reports"},
	{"Trên tổng số", "Out of"}, {"Tỷ lệ (%)", "Percent"}, {"Số ngày", "Days"},
}

// feedbackSections name the CSV's sections and the charts: Vietnamese,
// English.
var feedbackSections = map[string][2]string{
	"total": {"Tổng", "Total"}, "figure": {"Chỉ số", "Figure"}, "category": {"Lĩnh vực", "Category"},
	"unit": {"Đơn vị xử lý", "Unit"}, "ward": {"Phường", "Ward"}, "status": {"Trạng thái", "Status"}, "month": {"Tháng", "Month"},
}

// feedbackFigures name the figure lines: Vietnamese, English.
var feedbackFigures = map[string][2]string{
	"on_time":                {"Xử lý đúng hạn (trên số đã đóng)", "Closed on time (of closed)"},
	"ack_on_time":            {"Tiếp nhận đúng hạn (trên số đã tiếp nhận)", "Acknowledged on time (of acknowledged)"},
	"median_days_to_resolve": {"Số ngày xử lý (trung vị, trên số đã xử lý)", "Days to resolve (median, of resolved)"},
	"unfounded":              {"Phản ánh không đúng (trên tổng số)", "Unfounded (of all)"},
	"satisfied":              {"Hài lòng (trên số đã đánh giá)", "Satisfied (of those with a verdict)"},
	"satisfied_of_resolved":  {"Hài lòng (trên số đã xử lý)", "Satisfied (of resolved)"},
	"overdue":                {"Quá hạn (trên số đang xử lý)", "Overdue (of open)"},
	"no_ward":                {"Không xác định được phường", "No ward"},
}

// statusNames name the statuses: Vietnamese (DESIGN.md's words), English.
var statusNames = map[feedback.Status][2]string{
	feedback.StatusNew: {"Mới", "New"}, feedback.StatusAccepted: {"Đã tiếp nhận", "Accepted"},
	feedback.StatusAssigned: {"Đã chuyển xử lý", "Assigned"}, feedback.StatusInProgress: {"Đang xử lý", "In progress"},
	feedback.StatusResolved: {"Đã xử lý", "Resolved"}, feedback.StatusUnfounded: {"Phản ánh không đúng", "Unfounded"},
	feedback.StatusRefused: {"Không tiếp nhận", "Refused"}, feedback.StatusDuplicate: {"Trùng", "Duplicate"},
}

// FeedbackCSVHeader is the first line of the feedback CSV in lang ("vi"
// or "en").
func FeedbackCSVHeader(lang string) []string {
	out := make([]string, len(feedbackColumns))
	for i, c := range feedbackColumns {
		out[i] = c[langIndex(lang)]
	}
	return out
}

// WriteFeedbackCSV writes the figures as CSV in lang ("vi" or "en"): the
// total; the figures (on time, acknowledged on time, median days to
// resolve, unfounded, satisfied of verdicts and of resolved, overdue),
// each as a number of reports out of another; then one line per
// category, unit, ward (and those without), status and month, out of the
// total. Categories, units and wards are named from cfg (in lang), or by
// their key when cfg does not know them. Percentages have one decimal.
func WriteFeedbackCSV(w io.Writer, cfg *feedback.Config, f *feedback.Figures, lang string) error {
	cw := csv.NewWriter(w)
	li := langIndex(lang)
	if err := cw.Write(FeedbackCSVHeader(lang)); err != nil {
		return err
	}
	// line writes n reports out of of (of < 0: out of nothing, as the
	// median's line, which counts the resolved reports it is taken over).
	line := func(section, key, name string, n, of int, days string) error {
		ofs, pct := "", ""
		if of >= 0 {
			ofs = itoa(of)
		}
		if of > 0 {
			pct = ftoa(100 * float64(n) / float64(of))
		}
		return cw.Write([]string{feedbackSections[section][li], safeCell(key), safeCell(name), itoa(n), ofs, pct, days})
	}
	if err := line("total", "", "", f.Total, f.Total, ""); err != nil {
		return err
	}
	for _, l := range []struct {
		key   string
		n, of int
		days  string
	}{
		{"on_time", f.OnTime, f.Closed, ""},
		{"ack_on_time", f.AckOnTime, f.Acknowledged, ""},
		{"median_days_to_resolve", f.Resolved, -1, ftoa(f.MedianDaysToResolve)},
		{"unfounded", f.Unfounded, f.Total, ""},
		{"satisfied", f.Satisfied, f.Verdicts, ""},
		{"satisfied_of_resolved", f.Satisfied, f.Resolved, ""},
		{"overdue", f.Overdue, f.Open, ""},
	} {
		if err := line("figure", l.key, feedbackFigures[l.key][li], l.n, l.of, l.days); err != nil {
			return err
		}
	}
	for _, sec := range feedbackGroups(cfg, f, lang) {
		for _, c := range sec.counts {
			if err := line(sec.name, c.Key, sec.label(c.Key), c.N, f.Total, ""); err != nil {
				return err
			}
		}
		if sec.name == "ward" && f.NoWard > 0 {
			if err := line("ward", "", feedbackFigures["no_ward"][li], f.NoWard, f.Total, ""); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// feedbackGroup is one section of counts and how its keys are named.
type feedbackGroup struct {
	name   string
	counts []feedback.Count
	label  func(key string) string
}

func feedbackGroups(cfg *feedback.Config, f *feedback.Figures, lang string) []feedbackGroup {
	pick := func(vi, en, key string) string { return nameIn(lang, vi, en, key) }
	category := func(key string) string {
		if cfg != nil {
			if k, ok := cfg.Category(key); ok {
				return pick(k.Name, k.NameEN, key)
			}
		}
		return key
	}
	unit := func(key string) string {
		if cfg != nil {
			if u, ok := cfg.Unit(key); ok {
				return pick(u.Name, u.NameEN, key)
			}
		}
		return key
	}
	status := func(key string) string {
		if n, ok := statusNames[feedback.Status(key)]; ok {
			return n[langIndex(lang)]
		}
		return key
	}
	month := func(key string) string { return key }
	return []feedbackGroup{
		{"category", f.ByCategory, category}, {"unit", f.ByUnit, unit}, {"ward", f.ByWard, unit},
		{"status", f.ByStatus, status}, {"month", f.ByMonth, month},
	}
}

// Chart is one chart of the feedback figures: its section ("category",
// "unit", "ward", "status" or "month"), title and SVG.
type Chart struct {
	Section string
	Title   string
	SVG     string
}

// feedbackTitles are the charts' titles: Vietnamese, English.
var feedbackTitles = map[string][2]string{
	"category": {"Phản ánh theo lĩnh vực", "Reports by category"},
	"unit":     {"Phản ánh theo đơn vị xử lý", "Reports by unit"},
	"ward":     {"Phản ánh theo phường", "Reports by ward"},
	"status":   {"Phản ánh theo trạng thái", "Reports by status"},
	"month":    {"Phản ánh theo tháng", "Reports by month"},
}

// FeedbackCharts draws the figures' counts as bar charts, one per
// section, in lang ("vi" or "en"), named as in WriteFeedbackCSV: months
// as columns (ColumnChart), the other sections, whose names are long, as
// horizontal bars (HorizontalBarChart). No script, every text escaped. A
// section without any group (no ward configured, no report in the
// period) has no chart.
func FeedbackCharts(cfg *feedback.Config, f *feedback.Figures, lang string) []Chart {
	li := langIndex(lang)
	unit := [2]string{" phản ánh", " reports"}[li]
	var out []Chart
	for _, sec := range feedbackGroups(cfg, f, lang) {
		if len(sec.counts) == 0 {
			continue
		}
		bars := make([]Bar, len(sec.counts))
		for i, c := range sec.counts {
			bars[i] = Bar{Label: sec.label(c.Key), Value: float64(c.N)}
		}
		title := feedbackTitles[sec.name][li]
		draw := HorizontalBarChart
		if sec.name == "month" {
			draw = ColumnChart
		}
		out = append(out, Chart{Section: sec.name, Title: title, SVG: draw(title, bars, unit)})
	}
	return out
}
