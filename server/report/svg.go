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

// BarChart draws a vertical bar chart as a self-contained SVG element
// (no script, no style attribute: it obeys a strict CSP and reads without
// JavaScript). Every text is escaped. unit follows each value label.
func BarChart(title string, bars []Bar, unit string) string {
	const w, h, top, bottom, left = 720, 240, 28, 36, 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, w, h, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="14" font-weight="bold" fill="#1b1b1b">%s</text>`, left, html.EscapeString(title))
	maxV := 0.0
	for _, x := range bars {
		maxV = math.Max(maxV, x.Value)
	}
	plot := float64(h - top - bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#5a6270"/>`, left, h-bottom, w-left, h-bottom)
	if len(bars) > 0 {
		slot := float64(w-2*left) / float64(len(bars))
		bw := math.Max(1, slot*0.7)
		for i, x := range bars {
			bh := 0.0
			if maxV > 0 {
				bh = plot * x.Value / maxV
			}
			bx := float64(left) + float64(i)*slot + (slot-bw)/2
			by := float64(h-bottom) - bh
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#0b4f8a"><title>%s: %s%s</title></rect>`,
				bx, by, bw, bh, html.EscapeString(x.Label), num(x.Value), html.EscapeString(unit))
			if x.Value > 0 && slot >= 18 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#1b1b1b">%s</text>`, bx+bw/2, by-3, num(x.Value))
			}
			if slot >= 18 || i%3 == 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="#5a6270">%s</text>`,
					bx+bw/2, h-bottom+14, html.EscapeString(short(x.Label, int(slot/6)+2)))
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
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
