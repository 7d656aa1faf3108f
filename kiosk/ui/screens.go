package ui

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"luot/internal/fynetext"
	"luot/server/client"
)

// show draws the current screen. Screens are built anew from the state on
// every change: nothing accumulates, and what is not shown any more is
// garbage (Fyne drops the renderers and textures of objects it no longer
// paints).
func (k *Kiosk) show() {
	var body fyne.CanvasObject
	switch k.screen {
	case ScreenStart:
		body = k.startScreen()
	case ScreenPriority:
		body = k.priorityScreen()
	case ScreenResult:
		body = k.resultScreen()
	case ScreenCheckIn:
		body = k.checkInScreen()
	case ScreenDossier:
		body = k.dossierScreen()
	case ScreenDossierState:
		body = k.dossierStateScreen()
	case ScreenPIN:
		body = k.pinScreen()
	case ScreenStaff:
		body = k.staffScreen()
	default:
		body = k.outOfServiceScreen()
	}
	k.root.set(container.NewBorder(k.header(), nil, nil, nil, container.NewPadded(body)))
}

func (k *Kiosk) tile(label, sub string, kind TileKind, size fyne.ThemeSizeName, onTap func()) *Tile {
	return newTile(label, sub, kind, size, k.cursor, onTap)
}

// header is the office's name (five quick taps open the staff PIN) and the
// language switch, on every screen.
func (k *Kiosk) header() fyne.CanvasObject {
	name, sub := "Lượt", ""
	if k.office != nil {
		name, sub = k.office.Name, k.office.NameEN
		if k.lang == English && k.office.NameEN != "" {
			name, sub = k.office.NameEN, k.office.Name
		}
	}
	title := widget.NewRichText(
		&widget.TextSegment{Text: name, Style: widget.RichTextStyle{ColorName: theme.ColorNameForegroundOnPrimary, SizeName: theme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true}}},
	)
	if sub != "" {
		title.Segments = append(title.Segments, &widget.TextSegment{Text: sub, Style: widget.RichTextStyle{ColorName: theme.ColorNameForegroundOnPrimary, SizeName: theme.SizeNameCaptionText}})
	}
	title.Wrapping = fyne.TextWrapWord
	other := English
	if k.lang == English {
		other = Vietnamese
	}
	sw := k.tile(tr(k.lang, "switch"), "", TileQuiet, theme.SizeNameText, func() { k.setLang(other) })
	swBox := container.NewGridWrap(fyne.NewSize(210, 72), sw)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	bar := container.NewBorder(nil, nil, nil, container.NewCenter(swBox), newTapArea(container.NewPadded(title), k.cursor, k.tapOffice))
	return container.NewStack(bg, container.NewPadded(bar))
}

func (k *Kiosk) heading(s string) fyne.CanvasObject {
	return text(s, theme.SizeNameHeadingText, theme.ColorNameForeground, true, fyne.TextAlignCenter)
}

func (k *Kiosk) notice(s string, colour fyne.ThemeColorName) fyne.CanvasObject {
	if s == "" {
		return layout.NewSpacer()
	}
	return text(s, theme.SizeNameSubHeadingText, colour, true, fyne.TextAlignCenter)
}

func (k *Kiosk) serviceName(s Service) (string, string) {
	if k.lang == English && s.NameEN != "" {
		return s.NameEN, s.Name
	}
	return s.Name, s.NameEN
}

func (k *Kiosk) startScreen() fyne.CanvasObject {
	var services []Service
	if k.office != nil {
		services = k.office.Services
	}
	per, pages := k.cfg.ServicesPerPage, k.pages()
	k.page = max(0, min(k.page, pages-1))
	grid := container.NewGridWithColumns(2)
	for i := k.page * per; i < (k.page+1)*per; i++ {
		if i >= len(services) {
			grid.Add(layout.NewSpacer())
			continue
		}
		s := services[i]
		name, other := k.serviceName(s)
		kind := TilePrimary
		if why := k.unavailable(s); why != "" {
			other = why
		} else if !s.CounterOpen {
			other = tr(k.lang, "notOpenYet")
		}
		t := k.tile(name, other, kind, theme.SizeNameSubHeadingText, func() { k.tapService(s) })
		t.disabled = k.unavailable(s) != ""
		grid.Add(t)
	}
	var bottom []fyne.CanvasObject
	if pages > 1 {
		prev := k.tile(tr(k.lang, "prev"), "", TileSecondary, theme.SizeNameSubHeadingText, func() { k.turn(-1) })
		prev.disabled = k.page == 0
		next := k.tile(tr(k.lang, "next"), "", TileSecondary, theme.SizeNameSubHeadingText, func() { k.turn(1) })
		next.disabled = k.page == pages-1
		label := line(tr(k.lang, "page", k.page+1, pages), theme.SizeNameSubHeadingText, theme.ColorNameForeground, true)
		bottom = append(bottom, container.NewGridWithColumns(3, prev, container.NewCenter(label), next))
	}
	prio := k.tile(tr(k.lang, "priority"), tr(k.lang, "prioritySub"), TileSecondary, theme.SizeNameSubHeadingText, k.openPriority)
	if k.priority != PriorityNone {
		prio = k.tile(tr(k.lang, "priorityOn", PriorityName(k.priority, k.lang)), tr(k.lang, "priorityOnSub"), TileSelected, theme.SizeNameSubHeadingText, k.openPriority)
	}
	appt := k.tile(tr(k.lang, "appointment"), tr(k.lang, "appointmentSub"), TileSecondary, theme.SizeNameSubHeadingText, k.openCheckIn)
	row := []fyne.CanvasObject{prio, appt}
	if !k.cfg.NoDossiers {
		row = append(row, k.tile(tr(k.lang, "dossier"), tr(k.lang, "dossierSub"), TileSecondary, theme.SizeNameSubHeadingText, k.openDossier))
	}
	bottom = append(bottom, container.NewGridWrap(fyne.NewSize(1, 8)), container.New(&rowLayout{height: 136}, row...))
	top := container.NewVBox(k.heading(tr(k.lang, "choose")), k.notice(k.message, theme.ColorNameError))
	screen := container.NewBorder(top, container.NewVBox(bottom...), nil, nil, grid)
	if !k.busy {
		return screen
	}
	veil := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xc8})
	return container.NewStack(screen, veil, container.NewCenter(line(tr(k.lang, "busy"), theme.SizeNameHeadingText, theme.ColorNameForeground, true)))
}

// rowLayout lays its objects out side by side in equal widths at a fixed
// height.
type rowLayout struct{ height float32 }

func (r *rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	w := (size.Width - pad*float32(len(objs)-1)) / float32(len(objs))
	for i, o := range objs {
		o.Move(fyne.NewPos(float32(i)*(w+pad), 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (r *rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(float32(len(objs))*100, r.height)
}

func (k *Kiosk) turn(d int) {
	k.touch()
	if k.busy {
		return
	}
	k.page = max(0, min(k.page+d, k.pages()-1))
	k.show()
}

func (k *Kiosk) openPriority() {
	k.touch()
	if k.busy {
		return
	}
	k.screen = ScreenPriority
	k.show()
}

func (k *Kiosk) openCheckIn() {
	k.touch()
	if k.busy {
		return
	}
	k.screen, k.code, k.message = ScreenCheckIn, "", ""
	k.show()
}

func (k *Kiosk) choosePriority(p Priority) {
	k.touch()
	k.priority = p
	k.screen = ScreenStart
	k.show()
}

func (k *Kiosk) priorityScreen() fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	for _, p := range Priorities {
		kind := TileSecondary
		if p == k.priority {
			kind = TileSelected
		}
		grid.Add(k.tile(PriorityName(p, k.lang), "", kind, theme.SizeNameSubHeadingText, func() { k.choosePriority(p) }))
	}
	none := k.tile(tr(k.lang, "priorityNone"), "", TileKey, theme.SizeNameSubHeadingText, func() { k.choosePriority(PriorityNone) })
	back := k.tile(tr(k.lang, "back"), "", TileKey, theme.SizeNameSubHeadingText, func() {
		k.touch()
		k.screen = ScreenStart
		k.show()
	})
	top := container.NewVBox(k.heading(tr(k.lang, "priorityTitle")),
		text(tr(k.lang, "priorityNote"), theme.SizeNameText, theme.ColorNameForeground, false, fyne.TextAlignCenter))
	return container.NewBorder(top, container.New(&rowLayout{height: 110}, none, back), nil, nil, grid)
}

func (k *Kiosk) resultScreen() fyne.CanvasObject {
	t := k.ticket
	l := k.lang
	number := newBigText(t.Number, 190, theme.Color(theme.ColorNamePrimary))
	svc, svcOther := t.ServiceName, t.ServiceNameEN
	if l == English && t.ServiceNameEN != "" {
		svc, svcOther = t.ServiceNameEN, t.ServiceName
	}
	info := []fyne.CanvasObject{
		text(tr(l, "yourNumber"), theme.SizeNameSubHeadingText, theme.ColorNameForeground, false, fyne.TextAlignCenter),
		number,
		text(svc, theme.SizeNameSubHeadingText, theme.ColorNameForeground, true, fyne.TextAlignCenter),
	}
	if svcOther != "" {
		info = append(info, text(svcOther, theme.SizeNameText, theme.ColorNameDisabled, false, fyne.TextAlignCenter))
	}
	if t.Dossier != "" {
		info = append(info, text(tr(l, "pickupFor", t.Dossier), theme.SizeNameSubHeadingText, colorAccent, true, fyne.TextAlignCenter))
	}
	if t.Priority != PriorityNone {
		info = append(info, text(tr(l, "priorityOn", PriorityName(t.Priority, l)), theme.SizeNameText, colorAccent, true, fyne.TextAlignCenter))
	}
	info = append(info,
		text(tr(l, "ahead", t.Ahead), theme.SizeNameSubHeadingText, theme.ColorNameForeground, false, fyne.TextAlignCenter),
		text(etaLine(l, t, k.officeLocation()), theme.SizeNameSubHeadingText, theme.ColorNameForeground, false, fyne.TextAlignCenter),
	)
	status := text("", theme.SizeNameSubHeadingText, theme.ColorNameForeground, true, fyne.TextAlignCenter)
	k.printLabel = func() { k.setPrintText(status) }
	k.setPrintText(status)
	info = append(info, status)

	right := []fyne.CanvasObject{}
	if img := k.qrImage(t.TrackURL); img != nil {
		q := canvas.NewImageFromImage(img)
		q.ScaleMode = canvas.ImageScalePixels
		q.FillMode = canvas.ImageFillContain
		q.SetMinSize(fyne.NewSize(340, 340))
		right = append(right, q, text(tr(l, "scan"), theme.SizeNameText, theme.ColorNameForeground, false, fyne.TextAlignCenter))
	}
	done := k.tile(tr(l, "done"), tr(l, "autoBack", int(k.cfg.ResultTimeout.Seconds())), TilePrimary, theme.SizeNameSubHeadingText, k.endResult)
	qr := container.NewGridWrap(fyne.NewSize(380, 440), container.NewVBox(right...))
	body := container.NewBorder(nil, container.New(&rowLayout{height: 100}, done), nil, container.NewCenter(qr), container.NewVBox(info...))
	return newTapArea(body, k.cursor, k.endResult)
}

func (k *Kiosk) endResult() {
	if k.screen == ScreenResult {
		k.touch()
		k.goStart(true)
	}
}

func (k *Kiosk) setPrintText(rt *widget.RichText) {
	seg := rt.Segments[0].(*widget.TextSegment)
	seg.Style.ColorName = theme.ColorNameForeground
	switch k.print {
	case PrintNone:
		seg.Text = tr(k.lang, "noPrinter")
	case PrintPrinting:
		seg.Text = tr(k.lang, "printing")
	case PrintDone:
		seg.Text, seg.Style.ColorName = tr(k.lang, "printed"), colorAccent
		if k.fault != nil {
			seg.Text = tr(k.lang, "printedWarn")
		}
	case PrintFault:
		seg.Text, seg.Style.ColorName = tr(k.lang, "printFault", faultText(k.fault, k.lang)), theme.ColorNameError
	}
	rt.Refresh()
}

// qrImage draws the QR code of s with a quiet zone, one pixel per module
// (the image is scaled up without smoothing).
func (k *Kiosk) qrImage(s string) image.Image {
	if s == "" || k.deps.QR == nil {
		return nil
	}
	m, err := k.deps.QR(s)
	if err != nil || len(m) == 0 {
		k.log.Warn("kiosk: cannot draw the QR code of the tracking link", "err", err)
		return nil
	}
	const quiet = 4
	n := len(m) + 2*quiet
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range m {
		for x, dark := range row {
			if dark {
				img.Pix[(y+quiet)*img.Stride+x+quiet] = 0
			}
		}
	}
	return img
}

func (k *Kiosk) checkInScreen() fyne.CanvasObject {
	l := k.lang
	slots := make([]string, client.BookingCodeLen)
	for i := range slots {
		slots[i] = "_"
		if i < len(k.code) {
			slots[i] = k.code[i : i+1]
		}
	}
	// The code names its font: no widget draws bold monospace, so its
	// style's font map would be loaded for it alone (see fynetext).
	code := fynetext.NewText(strings.Join(slots, " "), theme.Color(theme.ColorNameForeground), fyne.TextStyle{Bold: true, Monospace: true})
	code.TextSize = 64
	code.Alignment = fyne.TextAlignCenter
	msgColour := theme.ColorNameError
	if k.busy {
		msgColour = theme.ColorNameForeground
	}
	top := container.NewVBox(k.heading(tr(l, "codeTitle")),
		text(tr(l, "codeScan"), theme.SizeNameText, theme.ColorNameForeground, false, fyne.TextAlignCenter),
		code, k.notice(k.message, msgColour))
	keys := container.NewGridWithColumns(7)
	for _, c := range keypadKeys {
		keys.Add(k.tile(c, "", TileKey, theme.SizeNameHeadingText, func() { k.typeKey(c) }))
	}
	keys.Add(k.tile(tr(l, "delete"), "", TileKey, theme.SizeNameText, func() { k.typeKey("del") }))
	back := k.tile(tr(l, "back"), "", TileSecondary, theme.SizeNameSubHeadingText, func() {
		k.touch()
		if !k.busy {
			k.goStart(false)
		}
	})
	clear := k.tile(tr(l, "clear"), "", TileSecondary, theme.SizeNameSubHeadingText, func() { k.typeKey("clear") })
	ok := k.tile(tr(l, "confirm"), "", TilePrimary, theme.SizeNameSubHeadingText, k.submitCode)
	ok.disabled = len(k.code) != client.BookingCodeLen || k.busy
	return container.NewBorder(top, container.NewVBox(container.NewGridWrap(fyne.NewSize(1, 4)), container.New(&rowLayout{height: 100}, back, clear, ok)), nil, nil, keys)
}

func (k *Kiosk) outOfServiceScreen() fyne.CanvasObject {
	l := k.lang
	why := map[string]string{"server": "oosServer", "closed": "oosClosed", "device": "oosDevice", "starting": "oosStarting"}[k.oos]
	if why == "" {
		why = "oosServer"
	}
	title := tr(l, "oosTitle")
	if k.oos == "starting" {
		title = "Lượt"
	}
	lines := []fyne.CanvasObject{layout.NewSpacer(),
		text(title, theme.SizeNameHeadingText, theme.ColorNamePrimary, true, fyne.TextAlignCenter),
		text(tr(l, why), theme.SizeNameSubHeadingText, theme.ColorNameForeground, false, fyne.TextAlignCenter),
	}
	if k.oos != "starting" && k.oos != "closed" {
		lines = append(lines, text(tr(l, "oosAsk"), theme.SizeNameText, theme.ColorNameForeground, false, fyne.TextAlignCenter))
	}
	lines = append(lines, layout.NewSpacer())
	return container.NewVBox(lines...)
}

func (k *Kiosk) pinScreen() fyne.CanvasObject {
	l := k.lang
	dots := canvas.NewText(strings.Repeat("● ", len(k.pin))+" ", theme.Color(theme.ColorNameForeground))
	dots.TextSize = 48
	dots.Alignment = fyne.TextAlignCenter
	top := container.NewVBox(k.heading(tr(l, "pinTitle")), dots, k.notice(k.message, theme.ColorNameError))
	keys := container.NewGridWithColumns(3)
	for _, c := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"} {
		label := c
		switch c {
		case "del":
			label = tr(l, "delete")
		case "ok":
			label = "OK"
		}
		keys.Add(k.tile(label, "", TileKey, theme.SizeNameHeadingText, func() { k.typePIN(c) }))
	}
	back := k.tile(tr(l, "back"), "", TileSecondary, theme.SizeNameSubHeadingText, func() { k.goStart(true) })
	return container.NewBorder(top, container.New(&rowLayout{height: 90}, back), nil, nil,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(600, 360), keys)))
}

func (k *Kiosk) staffScreen() fyne.CanvasObject {
	l := k.lang
	label, sub := tr(l, "reprintNone"), ""
	if k.lastJob != nil {
		label = tr(l, "reprint", k.lastJob.Number)
		sub = k.lastJob.Service
	}
	rep := k.tile(label, sub, TilePrimary, theme.SizeNameSubHeadingText, k.reprint)
	rep.disabled = k.lastJob == nil || k.deps.Printer == nil
	chk := k.tile(tr(l, "printerCheck"), "", TileSecondary, theme.SizeNameSubHeadingText, k.checkPrinterNow)
	chk.disabled = k.deps.Printer == nil
	reload := k.tile(tr(l, "reload"), "", TileSecondary, theme.SizeNameSubHeadingText, func() {
		k.touch()
		k.refresh()
	})
	exit := k.tile(tr(l, "exit"), "", TileKey, theme.SizeNameSubHeadingText, func() { k.goStart(true) })
	top := container.NewVBox(k.heading(tr(l, "staffTitle")), k.notice(k.message, theme.ColorNameForeground))
	return container.NewBorder(top, nil, nil, nil, container.NewGridWithColumns(2, rep, chk, reload, exit))
}

// String describes the state in one line, for logs.
func (s State) String() string {
	n := ""
	if s.Ticket != nil {
		n = " number=" + s.Ticket.Number
	}
	return fmt.Sprintf("screen=%s lang=%s page=%d/%d priority=%q busy=%v%s print=%s oos=%q msg=%q", s.Screen, s.Lang, s.Page+1, s.Pages, s.Priority, s.Busy, n, s.Print, s.OutOfService, s.Message)
}
