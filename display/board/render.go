package board

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"luot/display/boardstate"
	"luot/internal/fynetext"
)

// renderer lays the board out by hand. Every object is made once (rows
// from pools that only grow) and hidden when not needed; texts are
// refreshed only when their words or size change.
type renderer struct {
	b       *Board
	size    fyne.Size
	objects []fyne.CanvasObject

	banner, tickerBar                             *canvas.Rectangle
	latestBox, recentBox, countersBox, waitingBox *panel
	dossiersBox                                   *panel

	officeVI, officeEN, dateVI, dateEN, clockT *canvas.Text
	bannerVI, bannerEN                         *canvas.Text
	latestTitle, latestTitleEN                 *canvas.Text
	bigNumber, bigArrow, bigCounter            *canvas.Text
	serviceVI, serviceEN, latestNote           *canvas.Text
	countersTitle, countersTitleEN             *canvas.Text
	recentTitle, recentTitleEN                 *canvas.Text
	waitingTitle, waitingTitleEN               *canvas.Text
	dossiersTitle, dossiersTitleEN             *canvas.Text
	countersEmpty, recentEmpty                 *canvas.Text
	tickerT                                    *canvas.Text

	counterRows, recentRows, waitingRows, dossierRows []*row
}

// row is one line of a list: up to three texts.
type row struct{ a, b, c *canvas.Text }

func newRenderer(b *Board) *renderer {
	r := &renderer{b: b}
	rect := func(c color.Color) *canvas.Rectangle {
		x := canvas.NewRectangle(c)
		r.objects = append(r.objects, x)
		return x
	}
	r.latestBox = r.panel(colLatest)
	r.recentBox = r.panel(colPanel)
	r.countersBox = r.panel(colPanel)
	r.waitingBox = r.panel(colPanel)
	r.dossiersBox = r.panel(colPanel)
	r.tickerBar = rect(colTicker)
	r.officeVI, r.officeEN = r.text(colText, true), r.text(colSecond, false)
	r.dateVI, r.dateEN, r.clockT = r.text(colText, false), r.text(colSecond, false), r.text(colText, true)
	r.latestTitle, r.latestTitleEN = r.text(colText, true), r.text(colSecond, false)
	r.bigNumber, r.bigArrow, r.bigCounter = r.text(colNumber, true), r.text(colText, false), r.text(colText, true)
	r.serviceVI, r.serviceEN, r.latestNote = r.text(colText, false), r.text(colSecond, false), r.text(colSecond, false)
	r.countersTitle, r.countersTitleEN = r.text(colText, true), r.text(colSecond, false)
	r.recentTitle, r.recentTitleEN = r.text(colText, true), r.text(colSecond, false)
	r.waitingTitle, r.waitingTitleEN = r.text(colText, true), r.text(colSecond, false)
	r.dossiersTitle, r.dossiersTitleEN = r.text(colText, true), r.text(colSecond, false)
	r.countersEmpty, r.recentEmpty = r.text(colSecond, false), r.text(colSecond, false)
	r.tickerT = r.text(colText, false)
	// The banner is drawn last, over everything (newRow keeps it last).
	r.banner = rect(colBanner)
	r.bannerVI, r.bannerEN = r.text(colText, true), r.text(colText, false)
	return r
}

// panelRadius is the radius of the panels' corners.
const panelRadius = 12

// panel is a rectangle with rounded corners, drawn as three plain
// rectangles and four small round ones at the corners instead of one big
// rounded rectangle:
// Fyne's rounded rectangle computes its corners' distance field for every
// pixel of the rectangle, which in software rendering costs more than
// everything else on the board; here only the corners' pixels pay for it.
type panel struct {
	top, mid, bottom *canvas.Rectangle
	corners          [4]*canvas.Rectangle // 2r × 2r, corner radius r
}

func (r *renderer) panel(c color.Color) *panel {
	p := &panel{top: canvas.NewRectangle(c), mid: canvas.NewRectangle(c), bottom: canvas.NewRectangle(c)}
	r.objects = append(r.objects, p.top, p.mid, p.bottom)
	for i := range p.corners {
		p.corners[i] = canvas.NewRectangle(c)
		p.corners[i].CornerRadius = panelRadius
		r.objects = append(r.objects, p.corners[i])
	}
	return p
}

// place puts the panel at x, y with size w×h. The pieces overlap by a unit
// (so that their anti-aliased edges leave no seam where they meet) but
// never reach outside the rounded outline: a unit from where a corner's arc
// meets the straight edge, the arc is within a twentieth of a unit of it.
func (p *panel) place(x, y, w, h float32) {
	rad := min(float32(panelRadius), w/2, h/2)
	for _, c := range p.corners {
		c.CornerRadius = rad
	}
	const o = 1 // overlap
	place(p.top, x+rad-o, y, w-2*rad+2*o, rad+o)
	place(p.mid, x, y+rad-o, w, h-2*rad+2*o)
	place(p.bottom, x+rad-o, y+h-rad, w-2*rad+2*o, rad)
	for i, c := range p.corners {
		cx, cy := x, y
		if i%2 == 1 {
			cx = x + w - 2*rad
		}
		if i >= 2 {
			cy = y + h - 2*rad
		}
		place(c, cx, cy, 2*rad, 2*rad)
	}
}

// show shows or hides the panel.
func (p *panel) show(on bool) {
	for _, o := range append([]*canvas.Rectangle{p.top, p.mid, p.bottom}, p.corners[:]...) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// text adds an empty text drawn in the theme's font of its style, named
// (see package fynetext).
func (r *renderer) text(c color.Color, bold bool) *canvas.Text {
	t := fynetext.NewText("", c, fyne.TextStyle{Bold: bold})
	r.objects = append(r.objects, t)
	return t
}

// newRow adds a row's texts before the banner's, so the banner stays on top.
func (r *renderer) newRow(ca, cb, cc color.Color, bold [3]bool) *row {
	mk := func(c color.Color, b bool) *canvas.Text {
		return fynetext.NewText("", c, fyne.TextStyle{Bold: b})
	}
	w := &row{mk(ca, bold[0]), mk(cb, bold[1]), mk(cc, bold[2])}
	n := len(r.objects)
	top := r.objects[n-3:] // banner rectangle and its two texts
	rest := append([]fyne.CanvasObject{}, r.objects[:n-3]...)
	rest = append(rest, w.a, w.b, w.c)
	r.objects = append(rest, top...)
	return w
}

// Destroy is part of fyne.WidgetRenderer.
func (r *renderer) Destroy() {}

// MinSize is part of fyne.WidgetRenderer: the board fits any window.
func (r *renderer) MinSize() fyne.Size { return fyne.NewSize(320, 240) }

// Objects is part of fyne.WidgetRenderer.
func (r *renderer) Objects() []fyne.CanvasObject { return r.objects }

// Layout is part of fyne.WidgetRenderer.
func (r *renderer) Layout(s fyne.Size) {
	r.size = s
	r.layout()
}

// Refresh is part of fyne.WidgetRenderer.
func (r *renderer) Refresh() { r.layout() }

func (r *renderer) update() { r.layout() }

// blink hides or shows the latest call's number, arrow and counter.
func (r *renderer) blink() {
	for _, t := range []*canvas.Text{r.bigNumber, r.bigArrow, r.bigCounter} {
		if t.Text == "" {
			continue
		}
		if r.b.hidden {
			t.Hide()
		} else {
			t.Show()
		}
	}
}

// clock writes the date and time when they changed, and reports whether
// they did.
func (r *renderer) clock() bool {
	if r.size.Width == 0 {
		return false
	}
	now := r.b.opt.Now().In(r.b.loc)
	if t := now.Format("15:04"); t != r.clockT.Text {
		// A new minute: the header moves (the date may change too).
		r.layout()
		return true
	}
	return false
}

// set writes a text, refreshing it only if its words, size or font
// changed (the font follows the theme), and places it with its top left
// corner at x, y.
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

// setBase sets a text with its baseline at y, so that texts of different
// sizes on one line sit on the same baseline.
func setBase(t *canvas.Text, s string, size, x, baseline float32) fyne.Size {
	_, b := fynetext.MeasureBase(s, size, t.TextStyle)
	return set(t, s, size, x, baseline-b)
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
	size = max(minSize, size*w/m)
	if fynetext.Measure(s, size, style).Width <= w {
		return s, size
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi { // the longest prefix that fits with "…"
		mid := (lo + hi + 1) / 2
		if fynetext.Measure(string(runes[:mid])+"…", size, style).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(runes[:lo]) + "…", size
}

// put fits and sets a text in one go.
func put(t *canvas.Text, s string, size, minSize, x, y, w float32) fyne.Size {
	s, size = fit(s, size, minSize, w, t.TextStyle)
	return set(t, s, size, x, y)
}

func place(o fyne.CanvasObject, x, y, w, h float32) {
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(max(w, 0), max(h, 0)))
}

func hide(ts ...*canvas.Text) {
	for _, t := range ts {
		t.Hide()
	}
}

// box is a rectangle of the board.
type box struct{ x, y, w, h float32 }

// layout places everything for the current size and view.
func (r *renderer) layout() {
	W, H := r.size.Width, r.size.Height
	if W <= 0 || H <= 0 {
		return
	}
	v := &r.b.view
	en := r.b.opt.English
	portrait := H > W
	u := min(W/1920, H/1080)
	if portrait {
		u = min(W/1080, H/1920)
	}
	pad := 16 * u

	headerH := r.layoutHeader(W, u, pad, portrait)
	// Banner while the stream is down (or not yet up).
	top := headerH
	if !v.Connected {
		bh := 64 * u
		if en {
			bh = 96 * u
		}
		place(r.banner, 0, top, W, bh)
		r.banner.Show()
		banner := "lost"
		if !v.Ready {
			banner = "connecting"
		}
		vi, eng := tr(langVI, banner), tr(langEN, banner)
		s, size := fit(vi, 38*u, 20*u, W-4*pad, r.bannerVI.TextStyle)
		m := fynetext.Measure(s, size, r.bannerVI.TextStyle)
		y := top + (bh-m.Height)/2
		if en {
			y = top + bh/2 - m.Height
		}
		set(r.bannerVI, s, size, (W-m.Width)/2, y)
		if en {
			s, size = fit(eng, 28*u, 16*u, W-4*pad, r.bannerEN.TextStyle)
			m = fynetext.Measure(s, size, r.bannerEN.TextStyle)
			set(r.bannerEN, s, size, (W-m.Width)/2, top+bh/2)
		} else {
			hide(r.bannerEN)
		}
		top += bh
	} else {
		r.banner.Hide()
		hide(r.bannerVI, r.bannerEN)
	}

	// Ticker at the bottom.
	tickerH := 0 * u
	if v.Ticker != "" {
		tickerH = 68 * u
		place(r.tickerBar, 0, H-tickerH, W, tickerH)
		r.tickerBar.Show()
		s, size := fit(v.Ticker, 32*u, 20*u, W-4*pad, r.tickerT.TextStyle)
		m := fynetext.Measure(s, size, r.tickerT.TextStyle)
		set(r.tickerT, s, size, 2*pad, H-tickerH+(tickerH-m.Height)/2)
	} else {
		r.tickerBar.Hide()
		hide(r.tickerT)
	}

	// The four panels.
	mx, my := pad, top+pad
	mw, mh := W-2*pad, H-tickerH-top-2*pad
	var latest, counters, recent, waiting box
	if portrait {
		hs := []float32{0.30, 0.22, 0.22, 0.26}
		y := my
		bs := make([]box, 4)
		for i, f := range hs {
			h := (mh - 3*pad) * f
			bs[i] = box{mx, y, mw, h}
			y += h + pad
		}
		latest, counters, recent, waiting = bs[0], bs[1], bs[2], bs[3]
	} else {
		lw := (mw - pad) * 0.6
		rw := mw - pad - lw
		lh := (mh - pad) * 0.58
		latest = box{mx, my, lw, lh}
		recent = box{mx, my + lh + pad, lw, mh - pad - lh}
		// The counters take what their rows need (within 30–55 % of the
		// column), the waiting list the rest.
		need := (70 + 72*float32(max(len(v.Counters), 1)) + 20) * u
		ch := min(max(need, (mh-pad)*0.3), (mh-pad)*0.55)
		counters = box{mx + lw + pad, my, rw, ch}
		waiting = box{mx + lw + pad, my + ch + pad, rw, mh - pad - ch}
	}
	// The dossiers ready for pickup take the right part of the recent
	// calls' panel while there are any.
	if len(v.Dossiers) > 0 {
		rw := (recent.w - pad) * 0.55
		dossiers := box{recent.x + rw + pad, recent.y, recent.w - pad - rw, recent.h}
		recent.w = rw
		r.layoutDossiers(dossiers, u)
	} else {
		r.dossiersBox.show(false)
		hide(r.dossiersTitle, r.dossiersTitleEN)
		for _, w := range r.dossierRows {
			hide(w.a, w.b, w.c)
		}
	}
	r.layoutLatest(latest, u)
	r.layoutCounters(counters, u)
	r.layoutRecent(recent, u)
	r.layoutWaiting(waiting, u)
	r.blink()
}

// layoutHeader places the office name, the date and the clock, and
// returns the header's height. Landscape: name left, date and clock right.
// Portrait: the name on its own lines, the date and clock below it.
func (r *renderer) layoutHeader(W, u, pad float32, portrait bool) float32 {
	v := &r.b.view
	en := r.b.opt.English
	now := r.b.opt.Now().In(r.b.loc)
	dvi, den := dateLines(now)
	name := v.Name
	if name == "" {
		name = tr(langVI, "noOffice")
	}
	if portrait {
		y := 14 * u
		m := put(r.officeVI, name, 38*u, 22*u, 2*pad, y, W-4*pad)
		y += m.Height
		if en && v.NameEN != "" {
			m = put(r.officeEN, v.NameEN, 26*u, 16*u, 2*pad, y, W-4*pad)
			y += m.Height
		} else {
			hide(r.officeEN)
		}
		y += 6 * u
		clk := set(r.clockT, now.Format("15:04"), 64*u, 0, y)
		r.clockT.Move(fyne.NewPos(W-2*pad-clk.Width, y))
		dv := set(r.dateVI, dvi, 30*u, 2*pad, y)
		if en {
			set(r.dateEN, den, 24*u, 2*pad, y+dv.Height)
		} else {
			hide(r.dateEN)
			r.dateVI.Move(fyne.NewPos(2*pad, y+(clk.Height-dv.Height)/2))
		}
		return y + clk.Height + 10*u
	}
	headerH := 96 * u
	if en {
		headerH = 124 * u
	}
	clk := set(r.clockT, now.Format("15:04"), 76*u, 0, 0)
	clockX := W - 2*pad - clk.Width
	r.clockT.Move(fyne.NewPos(clockX, (headerH-clk.Height)/2))
	dv := fynetext.Measure(dvi, 30*u, r.dateVI.TextStyle)
	dateY := (headerH - dv.Height) / 2
	if en {
		dateY = headerH/2 - dv.Height
	}
	dateRight := clockX - 28*u
	set(r.dateVI, dvi, 30*u, dateRight-dv.Width, dateY)
	dateLeft := dateRight - dv.Width
	if en {
		de := fynetext.Measure(den, 24*u, r.dateEN.TextStyle)
		set(r.dateEN, den, 24*u, dateRight-de.Width, headerH/2+2*u)
		dateLeft = min(dateLeft, dateRight-de.Width)
	} else {
		hide(r.dateEN)
	}
	nameW := dateLeft - 40*u - 2*pad
	nvi := put(r.officeVI, name, 38*u, 22*u, 2*pad, 0, nameW)
	if en && v.NameEN != "" {
		r.officeVI.Move(fyne.NewPos(2*pad, headerH/2-nvi.Height))
		put(r.officeEN, v.NameEN, 26*u, 18*u, 2*pad, headerH/2+2*u, nameW)
	} else {
		r.officeVI.Move(fyne.NewPos(2*pad, (headerH-nvi.Height)/2))
		hide(r.officeEN)
	}
	return headerH
}

// title writes a panel's title (the sentence id of texts), Vietnamese
// then English on the same line, and returns the y below it.
func (r *renderer) title(b box, textVI, textEN *canvas.Text, id string, u float32) float32 {
	pad := 20 * u
	m := put(textVI, tr(langVI, id), 30*u, 18*u, b.x+pad, b.y+pad*0.7, b.w-2*pad)
	if r.b.opt.English {
		s := tr(langEN, id)
		e := fynetext.Measure(s, 24*u, textEN.TextStyle)
		x := b.x + pad + m.Width + 18*u
		put(textEN, s, 24*u, 14*u, x, b.y+pad*0.7+m.Height-e.Height, b.x+b.w-pad-x)
	} else {
		hide(textEN)
	}
	return b.y + pad*0.7 + m.Height + 8*u
}

func (r *renderer) layoutLatest(b box, u float32) {
	r.latestBox.place(b.x, b.y, b.w, b.h)
	v := &r.b.view
	y := r.title(b, r.latestTitle, r.latestTitleEN, "latestTitle", u)
	pad := 24 * u
	l := v.Latest
	if l == nil {
		hide(r.bigNumber, r.bigArrow, r.bigCounter, r.serviceEN)
		msg := line("noCalls", r.b.opt.English)
		if !v.Ready {
			msg = "…"
		}
		m := put(r.serviceVI, msg, 40*u, 20*u, b.x+pad, 0, b.w-2*pad)
		r.serviceVI.Move(fyne.NewPos(b.x+(b.w-m.Width)/2, y+(b.y+b.h-y-m.Height)/2))
		hide(r.latestNote)
		return
	}
	// Lines under the big row: service (vi, en) and a recall note.
	lineVI, lineEN := 40*u, 30*u
	below := lineVI + 16*u
	if r.b.opt.English && l.ServiceNameEN != "" {
		below += lineEN + 10*u
	}
	rowH := b.y + b.h - y - below - pad
	// The big row: number → counter, scaled to fit the width.
	s := min(rowH*0.95, 300*u)
	as := float32(0.55)
	wN := fynetext.Measure(l.Number, s, r.bigNumber.TextStyle).Width
	wA := fynetext.Measure("→", s*as, r.bigArrow.TextStyle).Width
	wC := fynetext.Measure(counterLabel(l), s*as, r.bigCounter.TextStyle).Width
	gap := s * 0.12
	if total := wN + wA + wC + 2*gap; total > b.w-2*pad {
		s *= (b.w - 2*pad) / total
		wN, wA, wC, gap = wN*(b.w-2*pad)/total, wA*(b.w-2*pad)/total, wC*(b.w-2*pad)/total, gap*(b.w-2*pad)/total
	}
	total := wN + wA + wC + 2*gap
	x := b.x + (b.w-total)/2
	nm, nb := fynetext.MeasureBase(l.Number, s, r.bigNumber.TextStyle)
	baseline := y + (rowH-nm.Height)/2 + nb // the number's baseline
	setBase(r.bigNumber, l.Number, s, x, baseline)
	setBase(r.bigArrow, "→", s*as, x+wN+gap, baseline)
	setBase(r.bigCounter, counterLabel(l), s*as, x+wN+wA+2*gap, baseline)

	y = y + rowH + 8*u
	sv := put(r.serviceVI, l.ServiceName, lineVI, 22*u, b.x+pad, y, b.w-2*pad)
	r.serviceVI.Move(fyne.NewPos(b.x+(b.w-sv.Width)/2, y))
	y += sv.Height + 6*u
	if r.b.opt.English && l.ServiceNameEN != "" {
		se := put(r.serviceEN, l.ServiceNameEN, lineEN, 18*u, b.x+pad, y, b.w-2*pad)
		r.serviceEN.Move(fyne.NewPos(b.x+(b.w-se.Width)/2, y))
	} else {
		hide(r.serviceEN)
	}
	if l.Recalls > 0 {
		note := line("recall", r.b.opt.English, l.Recalls)
		nm := fynetext.Measure(note, 26*u, r.latestNote.TextStyle)
		set(r.latestNote, note, 26*u, b.x+b.w-pad-nm.Width, b.y+20*u*0.7)
	} else {
		hide(r.latestNote)
	}
}

// grow makes sure a pool has n rows.
func (r *renderer) grow(pool *[]*row, n int, c [3]color.Color, bold [3]bool) {
	for len(*pool) < n {
		*pool = append(*pool, r.newRow(c[0], c[1], c[2], bold))
	}
	for _, w := range (*pool)[n:] {
		hide(w.a, w.b, w.c)
	}
}

// grid returns columns and rows for n items in a box of height h, rows at
// most maxRow high and at least minRow, in at most maxCols columns.
func grid(n int, h, maxRow, minRow float32, maxCols int) (cols, rows int, rowH float32) {
	cols = 1
	for {
		rows = (n + cols - 1) / cols
		rowH = min(maxRow, h/float32(max(rows, 1)))
		if rowH >= minRow || cols >= maxCols {
			return cols, rows, rowH
		}
		cols++
	}
}

func (r *renderer) layoutCounters(b box, u float32) {
	r.countersBox.place(b.x, b.y, b.w, b.h)
	v := &r.b.view
	y := r.title(b, r.countersTitle, r.countersTitleEN, "countersTitle", u)
	pad := 20 * u
	n := len(v.Counters)
	r.grow(&r.counterRows, n, [3]color.Color{colText, colNumber, colSecond}, [3]bool{true, true, false})
	if n == 0 {
		msg := line("noCounters", r.b.opt.English)
		if !v.Ready {
			msg = ""
		}
		put(r.countersEmpty, msg, 28*u, 16*u, b.x+pad, y+pad, b.w-2*pad)
		return
	}
	hide(r.countersEmpty)
	maxCols := 1
	if b.w > 900*u {
		maxCols = 3
	} else if b.w > 560*u {
		maxCols = 2
	}
	cols, rows, rowH := grid(n, b.y+b.h-y-pad*0.5, 72*u, 56*u, maxCols)
	cw := (b.w - 2*pad) / float32(cols)
	for i, c := range v.Counters {
		w := r.counterRows[i]
		cx := b.x + pad + float32(i/rows)*cw
		cy := y + float32(i%rows)*rowH
		ts := rowH * 0.62
		name := c.Name
		if name == "" {
			name = boardstate.CounterLabel(c.Number)
		}
		right := ""
		rs := ts
		switch {
		case c.State == "paused":
			right, rs = line("paused", r.b.opt.English), ts*0.6
			hide(w.b)
		case c.Current == "":
			right = "—"
		}
		if c.State == "paused" {
			m := fynetext.Measure(right, rs, w.c.TextStyle)
			set(w.c, right, rs, cx+cw-pad*0.5-m.Width, cy+(rowH-m.Height)/2)
		} else {
			num := c.Current
			if num == "" {
				num = right
			}
			m := fynetext.Measure(num, ts, w.b.TextStyle)
			set(w.b, num, ts, cx+cw-pad*0.5-m.Width, cy+(rowH-m.Height)/2)
			hide(w.c)
		}
		nm := fynetext.Measure(name, ts*0.8, w.a.TextStyle)
		put(w.a, name, ts*0.8, ts*0.5, cx, cy+(rowH-nm.Height)/2, cw*0.55)
	}
}

func (r *renderer) layoutRecent(b box, u float32) {
	r.recentBox.place(b.x, b.y, b.w, b.h)
	v := &r.b.view
	y := r.title(b, r.recentTitle, r.recentTitleEN, "recentTitle", u)
	pad := 20 * u
	var calls []boardstate.Call
	if len(v.Recent) > 1 {
		calls = v.Recent[1:] // the first is the latest, shown big
	}
	n := len(calls)
	r.grow(&r.recentRows, n, [3]color.Color{colNumber, colSecond, colText}, [3]bool{true, false, true})
	if n == 0 {
		hide(r.recentEmpty)
		return
	}
	hide(r.recentEmpty)
	maxCols := 1
	if b.w > 700*u {
		maxCols = 2
	}
	if b.w > 1400*u {
		maxCols = 3
	}
	cols, rows, rowH := grid(n, b.y+b.h-y-pad*0.5, 76*u, 56*u, maxCols)
	// Drop what does not fit rather than draw it over the panel's edge.
	if cols*rows > n {
		rows = (n + cols - 1) / cols
	}
	cw := (b.w - 2*pad) / float32(cols)
	for i, c := range calls {
		w := r.recentRows[i]
		if i >= cols*rows || float32(i%rows+1)*rowH > b.y+b.h-y {
			hide(w.a, w.b, w.c)
			continue
		}
		cx := b.x + pad + float32(i/rows)*cw
		cy := y + float32(i%rows)*rowH
		ts := rowH * 0.62
		nm, nb := fynetext.MeasureBase(c.Number, ts, w.a.TextStyle)
		base := cy + (rowH-nm.Height)/2 + nb
		setBase(w.a, c.Number, ts, cx, base)
		am := fynetext.Measure("→", ts*0.8, w.b.TextStyle)
		ax := cx + max(nm.Width, fynetext.Measure("0000", ts, w.a.TextStyle).Width) + 14*u
		setBase(w.b, "→", ts*0.8, ax, base)
		cx2 := ax + am.Width + 14*u
		label, size := fit(counterLabel(&c), ts*0.8, ts*0.5, cx+cw-cx2-pad*0.5, w.c.TextStyle)
		setBase(w.c, label, size, cx2, base)
	}
}

func (r *renderer) layoutWaiting(b box, u float32) {
	r.waitingBox.place(b.x, b.y, b.w, b.h)
	v := &r.b.view
	y := r.title(b, r.waitingTitle, r.waitingTitleEN, "waitingTitle", u)
	pad := 20 * u
	n := len(v.Waiting)
	r.grow(&r.waitingRows, n, [3]color.Color{colText, colSecond, colNumber}, [3]bool{false, false, true})
	if n == 0 {
		return
	}
	en := r.b.opt.English
	maxCols := 1
	if b.w > 1000*u {
		maxCols = 2
	}
	minRow := 44 * u
	if en {
		minRow = 56 * u
	}
	cols, rows, rowH := grid(n, b.y+b.h-y-pad*0.5, 76*u, minRow, maxCols)
	cw := (b.w - 2*pad) / float32(cols)
	for i, s := range v.Waiting {
		w := r.waitingRows[i]
		if i >= cols*rows || float32(i%rows+1)*rowH > b.y+b.h-y+1 {
			hide(w.a, w.b, w.c)
			continue
		}
		cx := b.x + pad + float32(i/rows)*cw
		cy := y + float32(i%rows)*rowH
		count := strconv.Itoa(s.Count)
		cs := rowH * 0.55
		cm := fynetext.Measure(count, cs, w.c.TextStyle)
		right := cx + cw - pad*0.5
		if cols > 1 && i/rows < cols-1 {
			right -= pad // keep a column's numbers apart from the next one's names
		}
		set(w.c, count, cs, right-cm.Width, cy+(rowH-cm.Height)/2)
		nameW := cw - pad - max(cm.Width, fynetext.Measure("000", cs, w.c.TextStyle).Width) - 12*u
		// Two lines only where they stay legible; else Vietnamese alone.
		if en && s.NameEN != "" && rowH >= 52*u {
			vs, es := rowH*0.36, rowH*0.27
			vm := put(w.a, s.Name, vs, vs*0.7, cx, 0, nameW)
			em := put(w.b, s.NameEN, es, es*0.75, cx, 0, nameW)
			top := cy + (rowH-vm.Height-em.Height)/2
			w.a.Move(fyne.NewPos(cx, top))
			w.b.Move(fyne.NewPos(cx, top+vm.Height))
		} else {
			vs := rowH * 0.5
			vm := put(w.a, s.Name, vs, vs*0.7, cx, 0, nameW)
			w.a.Move(fyne.NewPos(cx, cy+(rowH-vm.Height)/2))
			hide(w.b)
		}
	}
}

// layoutDossiers lists the dossiers ready for pickup, newest first: the
// code, and the masked name when the office shows names. What does not fit
// is left out (the newest stay).
func (r *renderer) layoutDossiers(b box, u float32) {
	r.dossiersBox.place(b.x, b.y, b.w, b.h)
	r.dossiersBox.show(true)
	v := &r.b.view
	y := r.title(b, r.dossiersTitle, r.dossiersTitleEN, "dossiersTitle", u)
	pad := 20 * u
	n := len(v.Dossiers)
	r.grow(&r.dossierRows, n, [3]color.Color{colNumber, colSecond, colText}, [3]bool{true, false, false})
	avail := b.y + b.h - y - pad*0.5
	rowH := min(64*u, max(48*u, avail/float32(n)))
	for i, d := range v.Dossiers {
		w := r.dossierRows[i]
		cy := y + float32(i)*rowH
		if cy+rowH > b.y+b.h-pad*0.25 {
			hide(w.a, w.b, w.c)
			continue
		}
		ts := rowH * 0.55
		cm := put(w.a, d.Code, ts, ts*0.6, b.x+pad, cy, b.w-2*pad)
		w.a.Move(fyne.NewPos(b.x+pad, cy+(rowH-cm.Height)/2))
		hide(w.c)
		nx := b.x + pad + cm.Width + 16*u
		if d.Name == "" || b.x+b.w-pad-nx < 60*u {
			hide(w.b)
			continue
		}
		// A smaller name rather than a cut one: fit's one scaling step
		// may leave it a little too wide.
		size := ts * 0.8
		for size > ts*0.5 && fynetext.Measure(d.Name, size, w.b.TextStyle).Width > b.x+b.w-pad-nx {
			size *= 0.95
		}
		nm := put(w.b, d.Name, size, ts*0.5, nx, cy, b.x+b.w-pad-nx)
		w.b.Move(fyne.NewPos(b.x+b.w-pad-nm.Width, cy+(rowH-nm.Height)/2))
	}
}
