package ui

// The staff menu: the hidden gesture on the office's name, the PIN, and
// the menu's reprint and printer check.

import (
	"context"
	"time"
)

func (k *Kiosk) tapOffice() {
	now := k.deps.Clock.Now()
	keep := k.taps[:0]
	for _, t := range k.taps {
		if now.Sub(t) < 3*time.Second {
			keep = append(keep, t)
		}
	}
	k.taps = append(keep, now)
	if len(k.taps) < k.cfg.StaffTaps {
		return
	}
	k.taps = k.taps[:0]
	if k.cfg.StaffPIN == "" || k.busy {
		return
	}
	k.touch()
	k.screen, k.pin, k.message = ScreenPIN, "", ""
	k.show()
}

func (k *Kiosk) typePIN(c string) {
	k.touch()
	switch c {
	case "del":
		if k.pin != "" {
			k.pin = k.pin[:len(k.pin)-1]
		}
	case "ok":
		if k.pin == k.cfg.StaffPIN {
			k.screen, k.message = ScreenStaff, ""
			k.log.Info("kiosk: staff menu opened")
		} else {
			k.message = tr(k.lang, "pinWrong")
		}
		k.pin = ""
	default:
		if len(k.pin) < 12 {
			k.pin += c
		}
	}
	k.show()
}

func (k *Kiosk) reprint() {
	k.touch()
	if k.busy || k.lastJob == nil || k.deps.Printer == nil {
		return
	}
	job := *k.lastJob
	k.busy, k.message = true, tr(k.lang, "printing")
	k.show()
	k.async(k.cfg.PrintTimeout, func(ctx context.Context) {
		warn, err := k.deps.Printer.Print(ctx, job)
		k.deps.Do(func() {
			k.busy = false
			f := asFault(err)
			k.report(f)
			switch {
			case err != nil:
				k.message = tr(k.lang, "printerBad", faultText(f, k.lang))
			case warn != nil:
				k.report(asFault(warn))
				k.message = tr(k.lang, "reprinted", job.Number) + " " + tr(k.lang, "printerBad", faultText(asFault(warn), k.lang))
			default:
				k.message = tr(k.lang, "reprinted", job.Number)
			}
			if k.screen == ScreenStaff {
				k.show()
			}
		})
	})
}

func (k *Kiosk) checkPrinterNow() {
	k.touch()
	if k.busy || k.deps.Printer == nil {
		return
	}
	k.busy = true
	k.async(k.cfg.PrintTimeout, func(ctx context.Context) {
		err := k.deps.Printer.Check(ctx)
		k.deps.Do(func() {
			k.busy = false
			f := asFault(err)
			k.report(f)
			k.message = tr(k.lang, "printerOK")
			if f != nil {
				k.message = tr(k.lang, "printerBad", faultText(f, k.lang))
			}
			if k.screen == ScreenStaff {
				k.show()
			}
		})
	})
}

func faultText(f *PrinterFault, l Lang) string {
	if f == nil {
		return ""
	}
	if l == English {
		return f.English
	}
	return f.Vietnamese
}
