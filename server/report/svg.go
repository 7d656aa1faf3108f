package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value float64
}

// Charts are self-contained SVG elements: no script, no style attribute
// (they obey a strict CSP and read without JavaScript), every text
// escaped, each bar with a <title> giving its label and value in full.
const (
	chartWidth = 720
	chartLeft  = 8
	chartInk   = "#1b1b1b"
	chartMuted = "#5a6270"
	chartBar   = "#0b4f8a"
)

// BarChart draws a vertical bar chart as a self-contained SVG element
// (no script, no style attribute: it obeys a strict CSP and reads without
// JavaScript). Every text is escaped. unit follows each value label.
func BarChart(title string, bars []Bar, unit string) string {
	return columns(title, bars, unit, 28, false)
}

// ColumnChart is BarChart for labels that must stay readable side by
// side, such as months: a little more room under the title for the value
// labels, and labels shown on every k-th bar only, k as small as lets
// them fit without overlapping.
func ColumnChart(title string, bars []Bar, unit string) string {
	return columns(title, bars, unit, 36, true)
}

// columns draws vertical bars; top is the room above the plot (title and
// value labels). fit shows whole labels on as many bars as they fit on;
// otherwise labels are shortened to their slot, and on narrow slots every
// third is shown.
func columns(title string, bars []Bar, unit string, top int, fit bool) string {
	const w, h, bottom, left = chartWidth, 240, 36, chartLeft
	var b strings.Builder
	chartHead(&b, w, h, title)
	maxV := maxValue(bars)
	plot := float64(h - top - bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, left, h-bottom, w-left, h-bottom, chartMuted)
	if len(bars) > 0 {
		slot := float64(w-2*left) / float64(len(bars))
		bw := math.Max(1, slot*0.7)
		every := 1
		if fit {
			// A character of the 10-pixel labels is about 6 pixels wide.
			longest := 0
			for _, x := range bars {
				longest = max(longest, len([]rune(x.Label)))
			}
			every = max(1, int(math.Ceil(float64(longest*6+4)/slot)))
		}
		for i, x := range bars {
			bh := 0.0
			if maxV > 0 {
				bh = plot * x.Value / maxV
			}
			bx := float64(left) + float64(i)*slot + (slot-bw)/2
			by := float64(h-bottom) - bh
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s%s</title></rect>`,
				bx, by, bw, bh, chartBar, html.EscapeString(x.Label), num(x.Value), html.EscapeString(unit))
			if x.Value > 0 && slot >= 18 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">%s</text>`, bx+bw/2, by-3, chartInk, num(x.Value))
			}
			label, show := short(x.Label, int(slot/6)+2), slot >= 18 || i%3 == 0
			if fit {
				label, show = x.Label, i%every == 0
			}
			if show {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="%s">%s</text>`,
					bx+bw/2, h-bottom+14, chartMuted, html.EscapeString(label))
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// HorizontalBarChart draws one bar per line, its label on the left: for
// labels too long to stand under a bar, such as the names of categories
// and departments. Its height grows with the number of bars. unit follows
// each value label.
func HorizontalBarChart(title string, bars []Bar, unit string) string {
	const w, top, row, labelW, valueW, left = chartWidth, 30, 22, 250, 56, chartLeft
	h := top + row*len(bars) + 8
	var b strings.Builder
	chartHead(&b, w, h, title)
	maxV := maxValue(bars)
	x0 := float64(left + labelW + 8)
	plot := float64(w-left-valueW) - x0
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`, x0, top, x0, h-8, chartMuted)
	for i, x := range bars {
		bw := 0.0
		if maxV > 0 {
			bw = plot * x.Value / maxV
		}
		y := float64(top + i*row)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="%s">%s</text>`,
			left+labelW, y+row/2+4, chartInk, html.EscapeString(short(x.Label, labelW/6)))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s: %s%s</title></rect>`,
			x0, y+3, bw, row-6, chartBar, html.EscapeString(x.Label), num(x.Value), html.EscapeString(unit))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="%s">%s</text>`, x0+bw+4, y+row/2+4, chartInk, num(x.Value))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// chartHead opens a chart: the svg element, its accessible title and the
// visible one.
func chartHead(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h, html.EscapeString(title))
	fmt.Fprintf(b, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(b, `<text x="%d" y="18" font-size="14" font-weight="bold" fill="%s">%s</text>`, chartLeft, chartInk, html.EscapeString(title))
}

func maxValue(bars []Bar) float64 {
	m := 0.0
	for _, x := range bars {
		m = math.Max(m, x.Value)
	}
	return m
}

func num(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// short cuts s to n characters with an ellipsis.
func short(s string, n int) string {
	r := []rune(s)
	if n < 2 {
		n = 2
	}
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
