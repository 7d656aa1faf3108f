package ui

// The booking check-in: the code typed on the keypad or read by the
// scanner, and the server's answer.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"luot/server/client"
)

// keypadKeys are the keys of the code keypad: the booking-code alphabet
// (client.BookingCodeAlphabet, the server's), digits first as on a phone.
var keypadKeys = func() []string {
	keys := strings.Split(client.BookingCodeAlphabet, "")
	slices.Sort(keys)
	return keys
}()

func (k *Kiosk) scanned(raw string) {
	if k.stopped || k.busy {
		k.log.Info("kiosk: scan ignored while busy")
		return
	}
	switch k.screen {
	case ScreenOutOfService, ScreenPIN, ScreenStaff:
		k.log.Info("kiosk: scan ignored on this screen", "screen", k.screen)
		return
	}
	k.touch()
	if code, token, ok := client.ScannedDossier(raw); ok && !k.cfg.NoDossiers {
		k.screen, k.code, k.token, k.dossier = ScreenDossier, code, token, nil
		k.submitDossier()
		return
	}
	code, ok := client.ScannedBookingCode(raw)
	k.screen = ScreenCheckIn
	if !ok {
		k.code = ""
		k.message = tr(k.lang, "codeInvalid", truncate(code, 24))
		k.show()
		return
	}
	k.code = code
	k.submitCode()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (k *Kiosk) typeKey(c string) {
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
		if len(k.code) < client.BookingCodeLen {
			k.code += c
		}
	}
	k.message = ""
	k.show()
}

func (k *Kiosk) submitCode() {
	k.touch()
	if k.busy || len(k.code) != client.BookingCodeLen {
		return
	}
	code, key := k.code, k.deps.NewKey()
	k.busy, k.message = true, tr(k.lang, "checking")
	k.show()
	k.async(k.cfg.RequestTimeout+k.cfg.PrintTimeout, func(ctx context.Context) {
		perr := k.checkPrinter(ctx)
		t, err := k.deps.Server.CheckIn(ctx, code, key)
		k.deps.Do(func() { k.checkedIn(code, t, err, perr) })
	})
}

func (k *Kiosk) checkedIn(code string, t *Ticket, err, perr error) {
	k.busy = false
	if k.stopped {
		return
	}
	if err == nil {
		k.code = ""
		k.showResult(t, perr)
		return
	}
	var r *Refusal
	if !errors.As(err, &r) {
		k.log.Warn("kiosk: check-in failed; out of service", "err", err)
		k.outOfService("server")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	}
	k.log.Info("kiosk: check-in refused", "code", code, "refusal", r.Code, "message", r.Message)
	switch r.Code {
	case client.CodeUnknownBooking:
		k.message = tr(k.lang, "codeUnknown", code)
	case client.CodeBookingCancelled:
		k.message = tr(k.lang, "codeCancelled", code)
	case client.CodeTooEarly:
		k.message = k.comeBack(r.ComeBackAt)
	case client.CodeTooLate:
		k.message = tr(k.lang, "codeLate", code)
	case client.CodeCheckedIn:
		k.message = tr(k.lang, "codeUsed", code)
	case client.CodeOfficeClosed:
		k.outOfService("closed")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	default:
		k.message = tr(k.lang, "codeOther", code)
	}
	k.code = ""
	k.show()
}

// comeBack says when a booking checked in too early can be: the time of
// day when that is today in the office, the time and the date when it is
// another day, as the server's message does.
func (k *Kiosk) comeBack(at time.Time) string {
	if at.IsZero() {
		return tr(k.lang, "codeEarly")
	}
	if k.office != nil && k.office.Location != nil {
		at = at.In(k.office.Location)
	}
	if at.Format(time.DateOnly) == k.today() {
		return tr(k.lang, "codeEarlyAt", at.Format("15:04"))
	}
	return tr(k.lang, "codeEarlyOn", at.Format("15:04"), at.Format("02/01/2006"))
}
