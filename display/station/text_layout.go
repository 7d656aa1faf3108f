package station

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"luot/internal/fynetext"
)

// set writes a text, refreshing it only if its words, size or font
// changed, and places it with its top left corner at x, y. An empty text
// is hidden.
func set(t *canvas.Text, s string, size, x, y float32) fyne.Size {
	if f := fynetext.FontOf(t.TextStyle); t.Text != s || t.TextSize != size || t.FontSource != f {
		t.Text, t.TextSize, t.FontSource = s, size, f
		t.Refresh()
	}
	m := fynetext.Measure(s, size, t.TextStyle)
	t.Move(fyne.NewPos(x, y))
	t.Resize(m)
	if s == "" {
		t.Hide()
	} else if !t.Visible() {
		t.Show()
	}
	return m
}

// fit returns s and a size at most size, at least minSize, at which s is at
// most w wide, shortening s with "…" if even minSize is too wide.
func fit(s string, size, minSize, w float32, style fyne.TextStyle) (string, float32) {
	if s == "" || w <= 0 {
		return "", size
	}
	m := fynetext.Measure(s, size, style).Width
	if m <= w {
		return s, size
	}
	// Text does not scale exactly with its size (hinting): shrink until
	// it fits, a few steps at most.
	for range 8 {
		size = max(minSize, size*w/m*0.995)
		if m = fynetext.Measure(s, size, style).Width; m <= w {
			return s, size
		}
		if size == minSize {
			break
		}
	}
	return shorten(s, size, w, style), size
}

// shorten returns the longest prefix of s that fits in w with "…".
func shorten(s string, size, w float32, style fyne.TextStyle) string {
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fynetext.Measure(string(runes[:mid])+"…", size, style).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(runes[:lo]), " ") + "…"
}

// put fits and sets a text in one go.
func put(t *canvas.Text, s string, size, minSize, x, y, w float32) fyne.Size {
	s, size = fit(s, size, minSize, w, t.TextStyle)
	return set(t, s, size, x, y)
}

// putRight fits a text and sets it with its right edge at right.
func putRight(t *canvas.Text, s string, size, minSize, right, y, w float32) fyne.Size {
	s, size = fit(s, size, minSize, w, t.TextStyle)
	m := fynetext.Measure(s, size, t.TextStyle)
	return set(t, s, size, right-m.Width, y)
}

// putCentre fits a text and sets it centred in x … x+w.
func putCentre(t *canvas.Text, s string, size, minSize, x, y, w float32) fyne.Size {
	s, size = fit(s, size, minSize, w, t.TextStyle)
	m := fynetext.Measure(s, size, t.TextStyle)
	return set(t, s, size, x+(w-m.Width)/2, y)
}

// wrap breaks s into at most maxLines lines no wider than w, at the
// largest size from size down to minSize at which it fits; at minSize the
// last line is shortened with "…".
func wrap(s string, size, minSize, w float32, maxLines int, style fyne.TextStyle) ([]string, float32) {
	words := strings.Fields(s)
	if len(words) == 0 || w <= 0 {
		return nil, size
	}
	for {
		lines := breakLines(words, size, w, style)
		ok := len(lines) <= maxLines
		for _, l := range lines {
			ok = ok && fynetext.Measure(l, size, style).Width <= w
		}
		if ok {
			return lines, size
		}
		if size <= minSize {
			if len(lines) > maxLines {
				lines[maxLines-1] = strings.Join(lines[maxLines-1:], " ")
				lines = lines[:maxLines]
			}
			for i, l := range lines {
				if fynetext.Measure(l, size, style).Width > w {
					lines[i] = shorten(l, size, w, style)
				}
			}
			return lines, size
		}
		size = max(minSize, size*0.92)
	}
}

// breakLines puts as many words on each line as fit in w.
func breakLines(words []string, size, w float32, style fyne.TextStyle) []string {
	var lines []string
	cur := ""
	for _, wd := range words {
		next := wd
		if cur != "" {
			next = cur + " " + wd
		}
		if cur != "" && fynetext.Measure(next, size, style).Width > w {
			lines = append(lines, cur)
			cur = wd
			continue
		}
		cur = next
	}
	return append(lines, cur)
}

// para is a paragraph of up to len(lines) lines, wrapped to a width. Its
// texts are made once; prepare computes the lines for a text, placeAt puts
// them on the screen.
type para struct {
	lines []*canvas.Text
	text  []string
	size  float32
}

func newPara(n int, c color.Color, bold bool) *para {
	p := &para{}
	for range n {
		p.lines = append(p.lines, fynetext.NewText("", c, fyne.TextStyle{Bold: bold}))
	}
	return p
}

func (p *para) objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(p.lines))
	for i, t := range p.lines {
		out[i] = t
	}
	return out
}

// prepare wraps s at size (down to minSize) in width w on at most
// maxLines lines, and returns the paragraph's height.
func (p *para) prepare(s string, size, minSize, w float32, maxLines int) float32 {
	maxLines = min(maxLines, len(p.lines))
	p.text, p.size = wrap(s, size, minSize, w, maxLines, p.lines[0].TextStyle)
	return p.height()
}

// height is the height of the prepared lines.
func (p *para) height() float32 {
	if len(p.text) == 0 {
		return 0
	}
	return float32(len(p.text)) * fynetext.Measure("Ặg", p.size, p.lines[0].TextStyle).Height
}

// placeAt puts the prepared lines from y down, aligned in x … x+w, and
// hides the lines not used.
func (p *para) placeAt(x, y, w float32, align fyne.TextAlign) {
	lh := fynetext.Measure("Ặg", p.size, p.lines[0].TextStyle).Height
	for i, t := range p.lines {
		if i >= len(p.text) {
			t.Hide()
			continue
		}
		m := fynetext.Measure(p.text[i], p.size, t.TextStyle)
		lx := x
		switch align {
		case fyne.TextAlignCenter:
			lx = x + (w-m.Width)/2
		case fyne.TextAlignTrailing:
			lx = x + w - m.Width
		}
		set(t, p.text[i], p.size, lx, y+float32(i)*lh)
	}
}

// hide hides the paragraph.
func (p *para) hide() {
	p.text = nil
	for _, t := range p.lines {
		t.Hide()
	}
}

func place(o fyne.CanvasObject, x, y, w, h float32) {
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(max(w, 0), max(h, 0)))
}

func hide(os ...fyne.CanvasObject) {
	for _, o := range os {
		o.Hide()
	}
}
