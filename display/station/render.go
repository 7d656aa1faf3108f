package station

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"luot/display/stationstate"
	"luot/internal/fynetext"
)

// renderer lays the screen out by hand. Every object is made once (the
// rating buttons and reason chips from pools that only grow) and hidden
// when not needed; texts are refreshed only when their words or size
// change.
type renderer struct {
	s       *Screen
	size    fyne.Size
	objects []fyne.CanvasObject

	header, rule, banner, footer, tile, cornerBox *canvas.Rectangle
	tileLabel, tileNumber, counterT, officeT      *canvas.Text
	clerkName, clerkTitle, bannerT                *canvas.Text

	photo          *canvas.Image
	phBg, phBody   *canvas.Rectangle
	phHead         *canvas.Circle
	title, sub     *para
	note, printerT *para
	big            *canvas.Text
	countdown      *canvas.Text // the rating prompt's countdown
	corner         *para        // the sign-in step: a title and what was typed
	cornerMsg      *para        // what the last key did

	lang, send    *button
	scale, chips  []*button
	cornerRefused bool
}

func newRenderer(s *Screen) *renderer {
	r := &renderer{s: s}
	rect := func(c color.Color) *canvas.Rectangle {
		x := canvas.NewRectangle(c)
		r.objects = append(r.objects, x)
		return x
	}
	text := func(c color.Color, bold bool) *canvas.Text {
		t := fynetext.NewText("", c, fyne.TextStyle{Bold: bold})
		r.objects = append(r.objects, t)
		return t
	}
	paragraph := func(n int, c color.Color, bold bool) *para {
		p := newPara(n, c, bold)
		r.objects = append(r.objects, p.objects()...)
		return p
	}
	r.header, r.footer = rect(colPanel), rect(colPanel)
	r.rule = rect(colPanelLight)
	r.tile = rect(colTile)
	r.tile.CornerRadius = 12
	r.tileLabel, r.tileNumber = text(colSecond, true), text(colText, true)
	r.counterT, r.officeT = text(colText, true), text(colSecond, false)
	r.clerkName, r.clerkTitle = text(colText, true), text(colSecond, false)

	r.phBg = rect(colPhotoBg)
	r.phBg.CornerRadius = 10
	r.phHead = canvas.NewCircle(colPhotoFg)
	r.phBody = canvas.NewRectangle(colPhotoFg)
	r.objects = append(r.objects, r.phHead, r.phBody)
	r.photo = canvas.NewImageFromImage(nil)
	r.photo.FillMode = canvas.ImageFillStretch
	r.photo.CornerRadius = 10
	r.objects = append(r.objects, r.photo)
	r.setPhoto(s.photo)

	r.banner = rect(colBanner)
	r.bannerT = text(colText, true)

	r.title = paragraph(3, colText, true)
	r.big = text(colNumber, true)
	r.sub = paragraph(3, colSecond, false)
	r.note = paragraph(1, colSecond, false)
	r.countdown = text(colSecond, false)

	r.cornerBox = rect(colPanelLight)
	r.cornerBox.CornerRadius = 10
	r.corner = paragraph(2, colText, false)
	r.corner.lines[0].TextStyle.Bold = true
	r.cornerMsg = paragraph(2, colText, false)
	r.printerT = paragraph(2, colWarn, true)

	r.lang = r.button(colPanelLight, false)
	r.lang.tap = stationstate.Tap{Kind: stationstate.TapLanguage}
	r.lang.bg.StrokeColor, r.lang.bg.StrokeWidth = colOutline, 2
	r.send = r.button(colSend, false)
	r.send.tap = stationstate.Tap{Kind: stationstate.TapSend}
	return r
}

// button makes a button reporting its tap and adds it to the objects.
func (r *renderer) button(fill color.Color, chip bool) *button {
	b := newButton(fill, chip, r.s.cursor, nil)
	b.onTap = func() { r.s.tap(b.tap) }
	b.Hide()
	r.objects = append(r.objects, b)
	return b
}

// setPhoto shows the clerk's photo, or the placeholder when img is nil.
func (r *renderer) setPhoto(img image.Image) {
	r.photo.Image = img
	r.photo.Refresh()
}

// Destroy is part of fyne.WidgetRenderer.
func (r *renderer) Destroy() {}

// MinSize is part of fyne.WidgetRenderer: the screen fits any window.
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

// box is a rectangle of the screen.
type box struct{ x, y, w, h float32 }

// metrics are the sizes of one layout: u scales the design (made for
// 1280×800 and 800×1280) to the window, pad is the margin.
type metrics struct {
	W, H, u, pad float32
	portrait, en bool
}

// layout places everything for the current size and view.
func (r *renderer) layout() {
	W, H := r.size.Width, r.size.Height
	if W <= 0 || H <= 0 {
		return
	}
	v := &r.s.view
	m := metrics{W: W, H: H, portrait: H > W, en: v.English}
	m.u = min(W/1280, H/800)
	if m.portrait {
		m.u = min(W/800, H/1280)
	}
	m.pad = 16 * m.u

	top := r.layoutHeader(m)
	if !v.Connected && mode(v) != stationstate.ModeConnecting {
		bh := max(40, 52*m.u)
		place(r.banner, 0, top, W, bh)
		r.banner.Show()
		s, size := fit(tr(m.en, "lost"), 26*m.u, 15, W-2*m.pad, r.bannerT.TextStyle)
		tm := fynetext.Measure(s, size, r.bannerT.TextStyle)
		set(r.bannerT, s, size, (W-tm.Width)/2, top+(bh-tm.Height)/2)
		top += bh
	} else {
		hide(r.banner, r.bannerT)
	}
	bottom := r.layoutFooter(m)
	gap := 2 * m.pad
	if m.portrait {
		gap = 3 * m.pad
	}
	r.layoutCitizen(m, box{m.pad * 1.5, top + gap, W - 3*m.pad, bottom - top - 2*gap})
}

// mode is the view's mode, connecting when it has none yet.
func mode(v *stationstate.View) stationstate.Mode {
	if v.Mode == "" {
		return stationstate.ModeConnecting
	}
	return v.Mode
}

// layoutHeader places the counter's tile, its name, the office and the
// clerk, and returns the header's height. Landscape: one band, the clerk
// on the right. Portrait: the counter's band, then the clerk's below it.
func (r *renderer) layoutHeader(m metrics) float32 {
	v := &r.s.view
	u, pad, W := m.u, m.pad, m.W
	hh := 120 * u

	// The counter's tile: "QUẦY" over its number.
	tw, th := 124*u, hh-20*u
	place(r.tile, pad, 10*u, tw, th)
	lm := putCentre(r.tileLabel, tr(m.en, "counter"), 17*u, 11, pad, 10*u+7*u, tw)
	numTop := 10*u + 7*u + lm.Height
	ns, nsize := fit(counterNumber(v), 54*u, 16, tw-12*u, r.tileNumber.TextStyle)
	nm := fynetext.Measure(ns, nsize, r.tileNumber.TextStyle)
	set(r.tileNumber, ns, nsize, pad+(tw-nm.Width)/2, numTop+(10*u+th-numTop-nm.Height)/2)

	right := W - pad // the counter's texts end here
	c := v.Clerk
	clerkH := float32(0)
	switch {
	case c == nil:
		hide(r.clerkName, r.clerkTitle, r.photo, r.phBg, r.phHead, r.phBody, r.rule)
	case m.portrait:
		clerkH = 150 * u
		place(r.rule, 0, hh, W, max(1, 2*u))
		r.rule.Show()
		ps := 120 * u
		py := hh + (clerkH-ps)/2
		r.placePhoto(pad, py, ps)
		x := pad + ps + 24*u
		r.layoutClerkText(x, hh, W-pad-x, clerkH, 40*u, 28*u)
	default:
		r.rule.Hide()
		ps := hh - 20*u
		px := W - pad - ps
		r.placePhoto(px, 10*u, ps)
		cw := r.layoutClerkText(0, 0, W*0.36, hh, 30*u, 22*u)
		textRight := px - 16*u
		r.clerkName.Move(fyne.NewPos(textRight-r.clerkName.Size().Width, r.clerkName.Position().Y))
		r.clerkTitle.Move(fyne.NewPos(textRight-r.clerkTitle.Size().Width, r.clerkTitle.Position().Y))
		right = textRight - cw - 28*u
	}
	place(r.header, 0, 0, W, hh+clerkH)

	// The counter's name over the office's name; the office's name alone
	// when the counter's name only repeats the tile.
	x := pad + tw + 20*u
	w := right - x
	office := pick(m.en, v.OfficeName, v.OfficeNameEN)
	if office == "" {
		office = tr(m.en, "app")
	}
	name := counterName(v)
	if name == "" {
		name, office = office, ""
	}
	ns1, s1 := fit(name, 36*u, max(15, 27*u), w, r.counterT.TextStyle)
	m1 := fynetext.Measure(ns1, s1, r.counterT.TextStyle)
	h := m1.Height
	var m2 fyne.Size
	var ns2 string
	var s2 float32
	if office != "" {
		ns2, s2 = fit(office, 23*u, max(13, 18*u), w, r.officeT.TextStyle)
		m2 = fynetext.Measure(ns2, s2, r.officeT.TextStyle)
		h += m2.Height + 2*u
	}
	y := (hh - h) / 2
	set(r.counterT, ns1, s1, x, y)
	set(r.officeT, ns2, s2, x, y+m1.Height+2*u)
	return hh + clerkH
}

// layoutClerkText sets the clerk's name and title, centred vertically in
// y … y+h from x (left-aligned; the caller moves them when right-aligned),
// and returns the width they take.
func (r *renderer) layoutClerkText(x, y, w, h, nameSize, titleSize float32) float32 {
	c := r.s.view.Clerk
	ns, nsz := fit(c.Name, nameSize, max(14, nameSize*0.75), w, r.clerkName.TextStyle)
	nm := fynetext.Measure(ns, nsz, r.clerkName.TextStyle)
	ts, tsz := fit(c.Title, titleSize, max(12, titleSize*0.75), w, r.clerkTitle.TextStyle)
	tm := fynetext.Measure(ts, tsz, r.clerkTitle.TextStyle)
	total := nm.Height
	if ts != "" {
		total += tm.Height + 2
	}
	ty := y + (h-total)/2
	set(r.clerkName, ns, nsz, x, ty)
	set(r.clerkTitle, ts, tsz, x, ty+nm.Height+2)
	if ts == "" {
		return nm.Width
	}
	return max(nm.Width, tm.Width)
}

// placePhoto shows the clerk's photo, or a neutral silhouette, in the
// square at x, y of side s.
func (r *renderer) placePhoto(x, y, s float32) {
	place(r.phBg, x, y, s, s)
	r.phBg.Show()
	if r.photo.Image != nil {
		place(r.photo, x, y, s, s)
		r.photo.Show()
		hide(r.phHead, r.phBody)
		return
	}
	r.photo.Hide()
	hs := s * 0.36
	place(r.phHead, x+(s-hs)/2, y+s*0.16, hs, hs)
	bw, bh := s*0.64, s*0.30
	r.phBody.CornerRadius = bh * 0.45
	place(r.phBody, x+(s-bw)/2, y+s-bh-s*0.06, bw, bh)
	r.phHead.Show()
	r.phBody.Show()
}

// layoutFooter places the language button, the printer's fault and the
// clerk's corner at the bottom, and returns the footer's top.
func (r *renderer) layoutFooter(m metrics) float32 {
	v := &r.s.view
	u, pad, W, H := m.u, m.pad, m.W, m.H

	// The clerk's corner: the sign-in step and what the last key did
	// (on two lines if need be: it is what the clerk reads).
	cs := max(15, 19*u)
	var lines []string
	c := v.Corner
	if c.SignIn != "" {
		lines = append(lines, tr(m.en, "signIn"))
		step := "staffId"
		if c.SignIn == "pin" {
			step = "pin"
		}
		lines = append(lines, tr(m.en, step, c.Typed))
	}
	msg := pick(m.en, c.Message, c.MessageEN)
	refused := msg != "" && !c.OK
	cornerW := max(300, 440*u)
	if m.portrait {
		cornerW = W - 2*pad - max(190*u, 160) - 16*u
	}
	lh := fynetext.Measure("Ặg", cs, fyne.TextStyle{}).Height
	var ch float32
	if len(lines) > 0 || msg != "" {
		ch = float32(len(lines))*lh + r.cornerMsg.prepare(msg, cs, 13, cornerW-28*u, 2) + 2*8*u + 4
	}

	bh := max(MinTouch, 72*u)
	fp := 12 * u // the footer's padding
	// The printer's fault is a sentence of its own (printer.Fault's words:
	// "Máy in hết giấy: hãy thay cuộn giấy mới.").
	printer := pick(m.en, v.Printer, v.PrinterEN)
	var ph float32
	if m.portrait && printer != "" {
		ph = r.printerT.prepare(printer, 24*u, 14, W-2*pad, 2) + fp
	}
	fh := max(bh, ch) + 2*fp + ph
	top := H - fh
	place(r.footer, 0, top, W, fh)
	rowTop := top + fp + ph

	// The language button, left.
	label := tr(m.en, "otherLanguage")
	ls := 26 * u
	lw := max(190*u, fynetext.Measure(label, ls, fyne.TextStyle{Bold: true}).Width+48*u, 160)
	r.lang.place(label, ls, pad, rowTop+(max(bh, ch)-bh)/2, lw, bh)

	// The corner, right.
	if ch > 0 {
		cx, cy := W-pad-cornerW, rowTop+(max(bh, ch)-ch)/2
		place(r.cornerBox, cx, cy, cornerW, ch)
		r.cornerBox.Show()
		if refused != r.cornerRefused {
			r.cornerRefused = refused
			r.cornerBox.FillColor = colPanelLight
			if refused {
				r.cornerBox.FillColor = colRefused
			}
			r.cornerBox.Refresh()
		}
		y := cy + 8*u + 2
		for i, t := range r.corner.lines {
			if i >= len(lines) {
				t.Hide()
				continue
			}
			put(t, lines[i], cs, 12, cx+14*u, y, cornerW-28*u)
			y += lh
		}
		r.cornerMsg.placeAt(cx+14*u, y, cornerW-28*u, fyne.TextAlignLeading)
	} else {
		r.cornerBox.Hide()
		r.corner.hide()
		r.cornerMsg.hide()
		cornerW = -16 * u
	}

	// The printer's fault: between the two (landscape), or a line of its
	// own over them (portrait).
	switch {
	case printer == "":
		r.printerT.hide()
	case m.portrait:
		r.printerT.placeAt(pad, top+fp, W-2*pad, fyne.TextAlignLeading)
	default:
		x := pad + lw + 24*u
		w := W - pad - cornerW - 24*u - x
		h := r.printerT.prepare(printer, 22*u, 13, w, 2)
		r.printerT.placeAt(x, top+(fh-h)/2, w, fyne.TextAlignCenter)
	}
	return top
}

// layoutCitizen places the citizen's side for the view's mode in b.
func (r *renderer) layoutCitizen(m metrics, b box) {
	v := &r.s.view
	u, en := m.u, m.en
	r.big.Hide()
	r.countdown.Hide()
	r.title.hide()
	r.sub.hide()
	r.note.hide()
	r.send.Hide()
	for _, x := range r.scale {
		x.Hide()
	}
	for _, x := range r.chips {
		x.Hide()
	}
	gap := 14 * u
	switch md := mode(v); md {
	case stationstate.ModeCalled, stationstate.ModeServing:
		r.layoutNumber(m, b, md == stationstate.ModeCalled)
	case stationstate.ModeRating:
		r.layoutRating(m, b)
	case stationstate.ModeReasons:
		r.layoutReasons(m, b)
	default:
		// A sentence, large, and a second one under it.
		id := string(md)
		if md == stationstate.ModeIdle {
			// Welcome is less important than the number to come.
			r.column(b, gap, r.paraItem(r.title, tr(en, id), 60*u, 20, b, 2),
				r.paraItem(r.sub, tr(en, id+"Sub"), 32*u, 16, b, 3))
			return
		}
		if _, ok := texts[id]; !ok {
			id = "connecting"
		}
		size := 84 * u
		if md == stationstate.ModeConnecting {
			size = 48 * u
		}
		r.column(b, gap*1.5, r.paraItem(r.title, tr(en, id), size, 20, b, 2),
			r.paraItem(r.sub, tr(en, id+"Sub"), 32*u, 16, b, 3))
	}
}

// item is one block of a column: its height, and how to place it at y.
type item struct {
	h     float32
	place func(y float32)
}

// column places items from top to bottom, centred vertically in b.
func (r *renderer) column(b box, gap float32, items ...item) {
	total := float32(0)
	n := 0
	for _, it := range items {
		if it.h > 0 {
			total += it.h
			n++
		}
	}
	total += gap * float32(max(n-1, 0))
	y := b.y + max(0, (b.h-total)/2)
	for _, it := range items {
		if it.h <= 0 {
			continue
		}
		it.place(y)
		y += it.h + gap
	}
}

// paraItem is a paragraph of s centred across b.
func (r *renderer) paraItem(p *para, s string, size, minSize float32, b box, lines int) item {
	h := p.prepare(s, size, minSize, b.w, lines)
	if h == 0 {
		p.hide()
	}
	return item{h, func(y float32) { p.placeAt(b.x, y, b.w, fyne.TextAlignCenter) }}
}

// layoutNumber: "Mời công dân số", the number very large, the service.
func (r *renderer) layoutNumber(m metrics, b box, called bool) {
	v := &r.s.view
	u, en := m.u, m.en
	id := "serving"
	if called {
		id = "called"
	}
	gap := 10 * u
	title := r.paraItem(r.title, tr(en, id), 44*u, 20, b, 2)
	service := ""
	number := tr(en, "noNumber")
	if t := v.Ticket; t != nil {
		service = pick(en, t.ServiceName, t.ServiceNameEN)
		if t.Number != "" {
			number = t.Number
		}
	}
	sub := r.paraItem(r.sub, service, 32*u, 16, b, 2)
	// The number takes what is left, up to 250 units high (the
	// number is what the citizen looks for).
	room := b.h - title.h - sub.h - 2*gap
	size := min(250*u, room/1.1)
	if m.portrait {
		size = min(280*u, room/1.2)
	}
	if !called {
		size *= 0.8
	}
	ns, size := fit(number, size, 24, b.w, r.big.TextStyle)
	nm, baseline := fynetext.MeasureBase(ns, size, r.big.TextStyle)
	// The font's line box has room above the digits for accents and
	// below for descenders: the item is the digits' own height (their
	// cap height, 0.714 em in Noto Sans) with a little air.
	digitsTop := baseline - 0.714*size
	air := 0.12 * size
	big := item{0.714*size + 2*air, func(y float32) {
		set(r.big, ns, size, b.x+(b.w-nm.Width)/2, y+air-digitsTop)
	}}
	r.column(b, gap, title, big, sub)
}

// layoutRating: the ticket, the question, the scale's buttons (a row in
// landscape, a column in portrait).
func (r *renderer) layoutRating(m metrics, b box) {
	v := &r.s.view
	u, en := m.u, m.en
	var scale []stationstate.Level
	if v.Rating != nil {
		scale = v.Rating.Scale
	}
	gap := 16 * u
	noteS := ""
	if t := v.Ticket; t != nil && t.Number != "" {
		noteS = tr(en, "ticket", t.Number)
		if s := pick(en, t.ServiceName, t.ServiceNameEN); s != "" {
			noteS += " · " + s
		}
	}
	note := r.paraItem(r.note, noteS, 24*u, max(13, 20*u), b, 1)
	title := r.paraItem(r.title, tr(en, "question"), 40*u, 18, b, 2)
	n := len(scale)
	for len(r.scale) < n {
		r.scale = append(r.scale, r.button(colPanel, false))
	}
	count := r.countdownItem(b, u)
	room := b.h - note.h - title.h - count.h - 3*gap - 8*u
	var buttons item
	if n > 0 {
		bg := 18 * u
		if m.portrait {
			bh := max(MinTouch, min(150*u, (room-bg*float32(n-1))/float32(n)))
			buttons = item{bh*float32(n) + bg*float32(n-1), func(y float32) {
				for i, l := range scale {
					r.placeLevel(r.scale[i], l, en, 40*u, b.x, y+float32(i)*(bh+bg), b.w, bh)
				}
			}}
		} else {
			bh := max(MinTouch, min(230*u, room))
			bw := (b.w - bg*float32(n-1)) / float32(n)
			buttons = item{bh, func(y float32) {
				for i, l := range scale {
					r.placeLevel(r.scale[i], l, en, 34*u, b.x+float32(i)*(bw+bg), y, bw, bh)
				}
			}}
		}
	}
	r.column(b, gap, note, title, item{buttons.h + 8*u, func(y float32) {
		if buttons.place != nil {
			buttons.place(y + 8*u)
		}
	}}, count)
}

// countdownItem is the rating prompt's countdown, a line centred in b
// (nothing when there is none).
func (r *renderer) countdownItem(b box, u float32) item {
	s, size := fit(r.s.countdown(), 22*u, 13, b.w, r.countdown.TextStyle)
	if s == "" {
		return item{}
	}
	m := fynetext.Measure(s, size, r.countdown.TextStyle)
	return item{m.Height, func(y float32) { set(r.countdown, s, size, b.x+(b.w-m.Width)/2, y) }}
}

func (r *renderer) placeLevel(bt *button, l stationstate.Level, en bool, size, x, y, w, h float32) {
	c, ok := levelColours[l.Score]
	if !ok {
		c = colPanelLight
	}
	bt.setFill(c)
	bt.tap = stationstate.Tap{Kind: stationstate.TapScore, Score: l.Score}
	bt.place(pick(en, l.Name, l.NameEN), size, x, y, w, h)
}

// layoutReasons: the score given, the question, the reasons as chips in a
// grid, and "Gửi".
func (r *renderer) layoutReasons(m metrics, b box) {
	v := &r.s.view
	u, en := m.u, m.en
	var reasons []stationstate.Reason
	picked := map[string]bool{}
	if p := v.Rating; p != nil {
		reasons = p.Reasons
		for _, id := range p.Picked {
			picked[id] = true
		}
	}
	gap := 14 * u
	title := r.paraItem(r.title, tr(en, "reasons"), 40*u, 18, b, 2)
	sub := r.paraItem(r.sub, tr(en, "reasonsSub"), 24*u, 13, b, 1)
	n := len(reasons)
	for len(r.chips) < n {
		r.chips = append(r.chips, r.button(colPanelLight, true))
	}
	cols := 2 // landscape: two columns, three for many reasons
	if m.portrait {
		cols = 1
		if n > 6 {
			cols = 2
		}
	} else if n > 4 {
		cols = 3
	}
	rows := (n + cols - 1) / cols
	sendH := max(MinTouch, 84*u)
	cg := 14 * u
	count := r.countdownItem(b, u)
	room := b.h - title.h - sub.h - sendH - count.h - 4*gap - 8*u
	gaps := cg * float32(max(rows-1, 0))
	if room < float32(rows)*MinTouch+gaps {
		// Many reasons on a small screen: the hint goes first.
		r.sub.hide()
		room += sub.h + gap
		sub = item{}
	}
	chipH := max(MinTouch, min(110*u, (room-gaps)/float32(max(rows, 1))))
	chipW := (b.w - cg*float32(cols-1)) / float32(cols)
	grid := item{float32(rows)*chipH + cg*float32(max(rows-1, 0)) + 8*u, func(y float32) {
		for i, rs := range reasons {
			bt := r.chips[i]
			bt.setPicked(picked[rs.ID])
			bt.tap = stationstate.Tap{Kind: stationstate.TapReason, Reason: rs.ID}
			col, row := i%cols, i/cols
			bt.place(pick(en, rs.Name, rs.NameEN), 30*u, b.x+float32(col)*(chipW+cg), y+8*u+float32(row)*(chipH+cg), chipW, chipH)
		}
	}}
	label := tr(en, "send")
	sendW := max(320*u, fynetext.Measure(label, 36*u, fyne.TextStyle{Bold: true}).Width+80*u)
	send := item{sendH, func(y float32) {
		r.send.place(label, 36*u, b.x+(b.w-sendW)/2, y, sendW, sendH)
	}}
	r.column(b, gap, title, sub, grid, send, count)
}
