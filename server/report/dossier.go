package report

import (
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"luot/server/dossier"
)

// The dossiers' figures (dossier.Stats) as CSV and charts, with the
// conventions of the queue's and the feedback reports': Vietnamese or
// English headers, the section of each line first, cells that a
// spreadsheet would run as a formula prefixed with ', self-contained SVG.

// dossierColumns are the dossier CSV's columns: Vietnamese, English. The
// tallies fill the first fourteen; the late list's lines (section
// "late") fill the key (the code), the name (the procedure's), the
// status, then the last six.
var dossierColumns = [][2]string{
	{"Phần", "Section"}, {"Mã", "Key"}, {"Tên", "Name"}, {"Tổng số hồ sơ", "Dossiers"},
	{"Từ chối tiếp nhận", "Refused"}, {"Rút hồ sơ", "Withdrawn"}, {"Đang giải quyết", "Open"}, {"Đang giải quyết quá hạn", "Open and late"},
	{"Đã giải quyết", "Done"}, {"Trước hạn", "Early"}, {"Đúng hạn", "On time"}, {"Trễ hạn", "Late"},
	{"Tỷ lệ đúng hạn (%)", "On time or early (%)"}, {"Số ngày giải quyết TB", "Avg processing days"},
	{"Trạng thái", "Status"}, {"Phòng ban", "Department"}, {"Ngày tiếp nhận", "Received"}, {"Hạn giải quyết", "Due"},
	{"Hạn mới", "New due"}, {"Ngày có kết quả", "Completed"}, {"Số ngày trễ", "Days late"},
}

// dossierSections name the CSV's sections and the charts: Vietnamese,
// English.
var dossierSections = map[string][2]string{
	"total": {"Tổng", "Total"}, "procedure": {"Thủ tục", "Procedure"}, "field": {"Lĩnh vực", "Field"},
	"department": {"Phòng ban", "Department"}, "month": {"Tháng", "Month"}, "late": {"Hồ sơ trễ hạn", "Late dossier"},
}

// DossierStatusNames name the dossiers' statuses: Vietnamese (the
// one-stop systems' words), English.
var DossierStatusNames = map[dossier.Status][2]string{
	dossier.StatusSubmitted: {"Mới đăng ký", "Submitted"}, dossier.StatusReceived: {"Đã tiếp nhận", "Received"},
	dossier.StatusRefused: {"Không tiếp nhận", "Refused"}, dossier.StatusProcessing: {"Đang xử lý", "Processing"},
	dossier.StatusNeedsSupplement: {"Yêu cầu bổ sung", "Needs supplement"}, dossier.StatusAwaitingPayment: {"Chờ thực hiện nghĩa vụ tài chính", "Awaiting payment"},
	dossier.StatusWithdrawn: {"Đã rút", "Withdrawn"}, dossier.StatusSuspended: {"Dừng xử lý", "Suspended"},
	dossier.StatusCompleted: {"Đã có kết quả", "Completed"}, dossier.StatusReturned: {"Đã trả kết quả", "Returned"},
}

// DossierCSVHeader is the first line of the dossier CSV in lang ("vi" or
// "en").
func DossierCSVHeader(lang string) []string {
	out := make([]string, len(dossierColumns))
	for i, c := range dossierColumns {
		out[i] = c[langIndex(lang)]
	}
	return out
}

// DossierGroup is one section of tallies and how its keys are named.
type DossierGroup struct {
	Section string
	Tallies []dossier.Tally
	Label   func(key string) string
}

// DossierGroups are the figures' sections (procedure, field, department,
// month), their keys named from cfg in lang ("vi" or "en"), or by the key
// itself when cfg does not know it.
func DossierGroups(cfg *dossier.Config, s *dossier.Stats, lang string) []DossierGroup {
	pick := func(vi, en, key string) string { return nameIn(lang, vi, en, key) }
	procedure := func(key string) string {
		if cfg != nil {
			if p, ok := cfg.Procedure(key); ok {
				return key + " " + pick(p.Name, p.NameEN, key)
			}
		}
		return key
	}
	field := func(key string) string {
		if cfg != nil {
			if f, ok := cfg.Field(key); ok {
				return pick(f.Name, f.NameEN, key)
			}
		}
		return key
	}
	department := func(key string) string {
		if cfg != nil {
			if d, ok := cfg.Department(key); ok {
				return pick(d.Name, d.NameEN, key)
			}
		}
		return key
	}
	return []DossierGroup{
		{"procedure", s.ByProcedure, procedure}, {"field", s.ByField, field},
		{"department", s.ByDepartment, department}, {"month", s.ByMonth, func(k string) string { return k }},
	}
}

// WriteDossierCSV writes the figures as CSV in lang ("vi" or "en"): the
// total, one line per procedure, field, department and month, then the
// late list; times in loc (the office's), as "YYYY-MM-DD HH:MM".
// Percentages and days have one decimal.
func WriteDossierCSV(w io.Writer, cfg *dossier.Config, s *dossier.Stats, lang string, loc *time.Location) error {
	cw := csv.NewWriter(w)
	li := langIndex(lang)
	if loc == nil {
		loc = time.UTC
	}
	if err := cw.Write(DossierCSVHeader(lang)); err != nil {
		return err
	}
	tally := func(section, name string, t dossier.Tally) error {
		rate, days := "", ""
		if t.Done > 0 {
			rate, days = ftoa(100*t.OnTimeRate), ftoa(t.AvgDays)
		}
		rec := []string{dossierSections[section][li], safeCell(t.Key), safeCell(name), itoa(t.Total),
			itoa(t.Refused), itoa(t.Withdrawn), itoa(t.Open), itoa(t.OpenLate),
			itoa(t.Done), itoa(t.Early), itoa(t.OnTime), itoa(t.Late), rate, days}
		return cw.Write(append(rec, make([]string, len(dossierColumns)-len(rec))...))
	}
	if err := tally("total", "", s.All); err != nil {
		return err
	}
	for _, g := range DossierGroups(cfg, s, lang) {
		for _, t := range g.Tallies {
			if err := tally(g.Section, g.Label(t.Key), t); err != nil {
				return err
			}
		}
	}
	procedure := DossierGroups(cfg, s, lang)[0].Label
	department := DossierGroups(cfg, s, lang)[2].Label
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	for _, l := range s.Late {
		rec := make([]string, len(dossierColumns))
		rec[0], rec[1], rec[2] = dossierSections["late"][li], safeCell(l.Code), safeCell(procedure(l.Procedure))
		rec[14], rec[15] = DossierStatusName(l.Status, lang), safeCell(department(l.Department))
		rec[16], rec[17], rec[18], rec[19], rec[20] = at(l.ReceivedAt), at(l.DueAt), at(l.NewDue), at(l.CompletedAt), itoa(l.DaysLate)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// DossierStatusName is a status in lang, or the status itself when
// unknown.
func DossierStatusName(st dossier.Status, lang string) string {
	if n, ok := DossierStatusNames[st]; ok {
		return n[langIndex(lang)]
	}
	return string(st)
}

// dossierTitles are the charts' titles: Vietnamese, English.
var dossierTitles = map[string][2]string{
	"procedure":  {"Kết quả giải quyết theo thủ tục", "Results by procedure"},
	"field":      {"Kết quả giải quyết theo lĩnh vực", "Results by field"},
	"department": {"Kết quả giải quyết theo phòng ban", "Results by department"},
	"month":      {"Kết quả giải quyết theo tháng tiếp nhận", "Results by month of receipt"},
	"days":       {"Số ngày làm việc giải quyết trung bình theo thủ tục", "Average working days to process, by procedure"},
}

// dossierSeries are the stacked charts' parts: early, on time, late, and
// open and late (not done yet), in the order they are drawn.
var dossierSeries = []Series{
	{Name: [2]string{"Trước hạn", "Early"}, Color: "#1a7f37"},
	{Name: [2]string{"Đúng hạn", "On time"}, Color: "#0b4f8a"},
	{Name: [2]string{"Trễ hạn", "Late"}, Color: "#b42318"},
	{Name: [2]string{"Đang quá hạn", "Open, late"}, Color: "#b54708"},
}

// DossierCharts draws the figures in lang ("vi" or "en"): for each
// section, a stacked bar per key of its dossiers done early, on time and
// late, and of those open and late; then the average processing days by
// procedure. Keys without any such dossier are left out; a chart without
// any bar is not drawn.
func DossierCharts(cfg *dossier.Config, s *dossier.Stats, lang string) []Chart {
	li := langIndex(lang)
	unit := [2]string{" hồ sơ", " dossiers"}[li]
	var out []Chart
	groups := DossierGroups(cfg, s, lang)
	for _, g := range groups {
		var rows []Stack
		for _, t := range g.Tallies {
			if t.Done+t.OpenLate == 0 {
				continue
			}
			rows = append(rows, Stack{Label: g.Label(t.Key), Values: []float64{float64(t.Early), float64(t.OnTime), float64(t.Late), float64(t.OpenLate)}})
		}
		if len(rows) == 0 {
			continue
		}
		title := dossierTitles[g.Section][li]
		out = append(out, Chart{Section: g.Section, Title: title, SVG: StackedBarChart(title, rows, dossierSeries, lang, unit)})
	}
	var bars []Bar
	for _, t := range s.ByProcedure {
		if t.Done > 0 {
			bars = append(bars, Bar{Label: groups[0].Label(t.Key), Value: t.AvgDays})
		}
	}
	if len(bars) > 0 {
		title := dossierTitles["days"][li]
		out = append(out, Chart{Section: "days", Title: title, SVG: HorizontalBarChart(title, bars, [2]string{" ngày", " days"}[li])})
	}
	return out
}

// Series is one part of a stacked bar: its name (Vietnamese, English)
// and colour.
type Series struct {
	Name  [2]string
	Color string
}

// Stack is one stacked bar: its label and a value per series.
type Stack struct {
	Label  string
	Values []float64
}

// StackedBarChart draws one horizontal bar per row, its label on the
// left, each bar made of the series' parts in their colours, with a
// legend under the title: as self-contained as HorizontalBarChart (no
// script, no style attribute, every text escaped, each part with a
// <title> giving the row, the series and the value). unit follows each
// value.
func StackedBarChart(title string, rows []Stack, series []Series, lang, unit string) string {
	const w, top, row, labelW, valueW, left = chartWidth, 50, 22, 250, 56, chartLeft
	li := langIndex(lang)
	h := top + row*len(rows) + 8
	var b strings.Builder
	chartHead(&b, w, h, title)
	x := float64(left)
	for _, se := range series {
		fmt.Fprintf(&b, `<rect x="%.1f" y="27" width="10" height="10" fill="%s"/>`, x, se.Color)
		fmt.Fprintf(&b, `<text x="%.1f" y="36" font-size="11" fill="%s">%s</text>`, x+14, chartInk, html.EscapeString(se.Name[li]))
		x += 14 + float64(len([]rune(se.Name[li]))*7) + 16
	}
	maxV := 0.0
	for _, r := range rows {
		sum := 0.0
		for _, v := range r.Values {
			sum += v
		}
		maxV = max(maxV, sum)
	}
	x0 := float64(left + labelW + 8)
	plot := float64(w-left-valueW) - x0
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`, x0, top, x0, h-8, chartMuted)
	for i, r := range rows {
		y := float64(top + i*row)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="%s">%s</text>`,
			left+labelW, y+row/2+4, chartInk, html.EscapeString(short(r.Label, labelW/6)))
		bx, sum := x0, 0.0
		for j, v := range r.Values {
			if j >= len(series) || v <= 0 || maxV <= 0 {
				continue
			}
			bw := plot * v / maxV
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s – %s: %s%s</title></rect>`,
				bx, y+3, bw, row-6, series[j].Color, html.EscapeString(r.Label), html.EscapeString(series[j].Name[li]), num(v), html.EscapeString(unit))
			bx += bw
			sum += v
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="%s">%s</text>`, bx+4, y+row/2+4, chartInk, num(sum))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
