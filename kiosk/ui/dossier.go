package ui

// "Nhận kết quả / Tra cứu hồ sơ": the dossier's code typed on a keypad of
// the code's characters or read from the receipt's QR by the scanner, and
// the server's answer: a pickup ticket when the result is ready, the
// status and due date when it is not, or a refusal in words.

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"luot/internal/fynetext"
	"luot/server/client"
)

// dossierKeys are the keys of the dossier keypad: the characters of a
// dossier code ({prefix}-{YYMMDD}-{NNNN}: capitals, digits and the dash),
// digits first as on a phone.
var dossierKeys = func() []string {
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}
	for c := 'A'; c <= 'Z'; c++ {
		keys = append(keys, string(c))
	}
	return append(keys, "-")
}()

// dossierCodeMax is the longest dossier code: a 10-character prefix and
// a 6-digit number.
const dossierCodeMax = 10 + 1 + 6 + 1 + 6

// statusNames are the dossier statuses in words, as the kiosk says them.
var statusNames = map[string][2]string{
	"submitted":        {"Mới đăng ký (nộp trực tuyến)", "Submitted online"},
	"received":         {"Đã tiếp nhận", "Received"},
	"refused":          {"Không được tiếp nhận", "Not accepted"},
	"processing":       {"Đang xử lý", "Being processed"},
	"needs_supplement": {"Cần bổ sung giấy tờ", "Documents to be supplied"},
	"awaiting_payment": {"Chờ thực hiện nghĩa vụ tài chính", "Awaiting payment of fees"},
	"withdrawn":        {"Công dân đã rút hồ sơ", "Withdrawn by the applicant"},
	"suspended":        {"Dừng xử lý", "Processing stopped"},
	"completed":        {"Đã có kết quả", "Result ready"},
	"returned":         {"Đã trả kết quả", "Result handed over"},
}

// StatusName returns a dossier status in words in language l (the code
// itself when unknown).
func StatusName(status string, l Lang) string {
	n, ok := statusNames[status]
	if !ok {
		return status
	}
	return n[idx(l)]
}

func (k *Kiosk) openDossier() {
	k.touch()
	if k.busy {
		return
	}
	k.screen, k.code, k.token, k.message, k.dossier = ScreenDossier, "", "", "", nil
	k.show()
}

func (k *Kiosk) typeDossierKey(c string) {
	k.touch()
	if k.busy {
		return
	}
	switch c {
	case "del":
		if k.code != "" {
			k.code = k.code[:len(k.code)-1]
		}
	case "clear":
		k.code = ""
	default:
		if len(k.code) < dossierCodeMax {
			k.code += c
		}
	}
	k.token, k.message = "", "" // a typed code has no token
	k.show()
}

func (k *Kiosk) submitDossier() {
	k.touch()
	if k.busy || !client.ValidDossierCode(k.code) {
		return
	}
	code, token, key := k.code, k.token, k.deps.NewKey()
	k.busy, k.message = true, tr(k.lang, "dossierChecking")
	k.show()
	k.async(k.cfg.RequestTimeout+k.cfg.PrintTimeout, func(ctx context.Context) {
		perr := k.checkPrinter(ctx)
		p, err := k.deps.Server.PickupDossier(ctx, code, token, key)
		k.deps.Do(func() { k.pickedUp(code, p, err, perr) })
	})
}

func (k *Kiosk) pickedUp(code string, p *Pickup, err, perr error) {
	k.busy = false
	if k.stopped {
		return
	}
	if err == nil && p.Ticket != nil {
		k.code, k.token = "", ""
		t := p.Ticket
		t.Dossier = code
		k.log.Info("kiosk: pickup ticket for a dossier", "dossier", code, "number", t.Number)
		k.showResult(t, perr)
		return
	}
	if err == nil {
		d := p.Dossier
		if d.Code == "" {
			d.Code = code
		}
		k.code, k.token, k.dossier, k.message = "", "", &d, ""
		k.screen = ScreenDossierState
		k.show()
		if k.resultTimer != nil {
			k.resultTimer.Stop()
		}
		k.resultTimer = k.after(k.cfg.ResultTimeout, &k.resultGen, func() {
			if k.screen == ScreenDossierState {
				k.goStart(true)
			}
		})
		return
	}
	var r *Refusal
	if !errors.As(err, &r) {
		k.log.Warn("kiosk: dossier look-up failed; out of service", "err", err)
		k.outOfService("server")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	}
	k.log.Info("kiosk: dossier pickup refused", "dossier", code, "refusal", r.Code, "message", r.Message)
	switch r.Code {
	case client.CodeUnknownDossier, client.CodeDossierOtherOffice:
		k.message = tr(k.lang, "dossierUnknown", code)
	case client.CodeInvalidDossier:
		k.message = tr(k.lang, "dossierInvalid", truncate(code, 24))
	case client.CodePickupIssued:
		k.message = tr(k.lang, "pickupIssued", code)
	case client.CodeDossierReturned:
		k.message = tr(k.lang, "dossierReturned", code)
	case client.CodeNoPickupService:
		k.message = tr(k.lang, "noPickupService")
	case client.CodeRateLimited:
		k.message = tr(k.lang, "dossierSlowDown")
	case client.CodeDossierNotReady:
		k.message = tr(k.lang, "dossierNotReady", code)
	case client.CodeOfficeClosed:
		k.outOfService("closed")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	default:
		if r.Denied {
			k.outOfService("device")
			k.schedulePoll(k.cfg.RetryEvery)
			return
		}
		k.message = tr(k.lang, "dossierOther", code)
	}
	k.code, k.token = "", ""
	k.show()
}

// endDossierState leaves the status of a dossier for the start screen.
func (k *Kiosk) endDossierState() {
	if k.screen == ScreenDossierState {
		k.touch()
		k.goStart(true)
	}
}

func (k *Kiosk) dossierScreen() fyne.CanvasObject {
	l := k.lang
	shown := k.code
	if len(shown) < dossierCodeMax {
		shown += "_"
	}
	// The code names its font, as the check-in's does (see checkInScreen).
	code := fynetext.NewText(shown, theme.Color(theme.ColorNameForeground), fyne.TextStyle{Bold: true, Monospace: true})
	code.TextSize = 56
	code.Alignment = fyne.TextAlignCenter
	msgColour := theme.ColorNameError
	if k.busy {
		msgColour = theme.ColorNameForeground
	}
	top := container.NewVBox(k.heading(tr(l, "dossierTitle")),
		text(tr(l, "dossierScan"), theme.SizeNameText, theme.ColorNameForeground, false, fyne.TextAlignCenter),
		code, k.notice(k.message, msgColour))
	keys := container.NewGridWithColumns(10)
	for _, c := range dossierKeys {
		keys.Add(k.tile(c, "", TileKey, theme.SizeNameHeadingText, func() { k.typeDossierKey(c) }))
	}
	keys.Add(k.tile(tr(l, "delete"), "", TileKey, theme.SizeNameText, func() { k.typeDossierKey("del") }))
	back := k.tile(tr(l, "back"), "", TileSecondary, theme.SizeNameSubHeadingText, func() {
		k.touch()
		if !k.busy {
			k.goStart(false)
		}
	})
	clear := k.tile(tr(l, "clear"), "", TileSecondary, theme.SizeNameSubHeadingText, func() { k.typeDossierKey("clear") })
	ok := k.tile(tr(l, "dossierLookUp"), "", TilePrimary, theme.SizeNameSubHeadingText, k.submitDossier)
	ok.disabled = !client.ValidDossierCode(k.code) || k.busy
	return container.NewBorder(top, container.NewVBox(container.NewGridWrap(fyne.NewSize(1, 4)), container.New(&rowLayout{height: 100}, back, clear, ok)), nil, nil, keys)
}

func (k *Kiosk) dossierStateScreen() fyne.CanvasObject {
	l, d := k.lang, k.dossier
	proc, procOther := d.Procedure, d.ProcedureEN
	if l == English && d.ProcedureEN != "" {
		proc, procOther = d.ProcedureEN, d.Procedure
	}
	lines := []fyne.CanvasObject{k.heading(tr(l, "dossierOf", d.Code))}
	if proc != "" {
		lines = append(lines, text(proc, theme.SizeNameSubHeadingText, theme.ColorNameForeground, true, fyne.TextAlignCenter))
	}
	if procOther != "" {
		lines = append(lines, text(procOther, theme.SizeNameText, theme.ColorNameDisabled, false, fyne.TextAlignCenter))
	}
	lines = append(lines, layout.NewSpacer(),
		text(tr(l, "statusIs", StatusName(d.Status, l)), theme.SizeNameHeadingText, theme.ColorNamePrimary, true, fyne.TextAlignCenter))
	// After an apology the due date may be the new one already: the old
	// date is shown only when it differs.
	due, newDue := k.dueDate(d.DueAt), k.dueDate(d.NewDue)
	if due != "" && due != newDue {
		lines = append(lines, text(tr(l, "dueOn", due), theme.SizeNameSubHeadingText, theme.ColorNameForeground, true, fyne.TextAlignCenter))
	}
	switch {
	case newDue != "":
		lines = append(lines, text(tr(l, "lateNewDue", newDue), theme.SizeNameSubHeadingText, theme.ColorNameError, true, fyne.TextAlignCenter))
	case d.Late:
		lines = append(lines, text(tr(l, "lateAsk"), theme.SizeNameSubHeadingText, theme.ColorNameError, true, fyne.TextAlignCenter))
	}
	if d.Supplement != "" {
		lines = append(lines, text(tr(l, "supplementWhat", d.Supplement), theme.SizeNameSubHeadingText, colorAccent, true, fyne.TextAlignCenter))
	}
	note := "notReadyNoTicket"
	switch d.Status {
	case "refused", "withdrawn":
		note = "closedNoTicket"
	}
	lines = append(lines, text(tr(l, note), theme.SizeNameSubHeadingText, theme.ColorNameForeground, false, fyne.TextAlignCenter), layout.NewSpacer())
	done := k.tile(tr(l, "done"), tr(l, "autoBack", int(k.cfg.ResultTimeout.Seconds())), TilePrimary, theme.SizeNameSubHeadingText, k.endDossierState)
	body := container.NewBorder(nil, container.New(&rowLayout{height: 100}, done), nil, nil, container.NewVBox(lines...))
	return newTapArea(body, k.cursor, k.endDossierState)
}

// dueDate writes a due date as the day it falls on in the office
// ("04/12/2026"). A due date is the end of a day: the instant 24:00 is
// the day before's, so the date is read a second before it.
func (k *Kiosk) dueDate(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	if loc := k.officeLocation(); loc != nil {
		at = at.In(loc)
	}
	return at.Add(-time.Second).Format("02/01/2006")
}
