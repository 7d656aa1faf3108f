package ui

// The booking check-in: the code typed on the keypad or read by the
// scanner, and the server's answer.

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// CodeAlphabet is the characters of booking codes, the server's
// (queue.BookingCodeAlphabet): digits and capitals without look-alikes
// (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V …), digits first as on the keypad.
const CodeAlphabet = "34679ACEFGHJKMNPRTWXY"

// CodeLen is the length of a booking code.
const CodeLen = 6

// NormalizeCode extracts a booking code from what was typed or scanned: a
// bare code, or a link whose "code" parameter or last path element is the
// code. It reports whether the result is a well-formed code.
func NormalizeCode(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			if c := u.Query().Get("code"); c != "" {
				s = c
			} else {
				s = u.Path[strings.LastIndex(u.Path, "/")+1:]
			}
		}
	}
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
	if len(s) != CodeLen {
		return s, false
	}
	for _, r := range s {
		if !strings.ContainsRune(CodeAlphabet, r) {
			return s, false
		}
	}
	return s, true
}

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
	code, ok := NormalizeCode(raw)
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
		if len(k.code) < CodeLen {
			k.code += c
		}
	}
	k.message = ""
	k.show()
}

func (k *Kiosk) submitCode() {
	k.touch()
	if k.busy || len(k.code) != CodeLen {
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
	k.log.Info("kiosk: check-in refused", "code", code, "reason", r.Reason, "message", r.Message)
	switch r.Reason {
	case ReasonUnknownCode:
		k.message = tr(k.lang, "codeUnknown", code)
	case ReasonCancelled:
		k.message = tr(k.lang, "codeCancelled", code)
	case ReasonTooEarly:
		if r.ComeBackAt != "" {
			k.message = tr(k.lang, "codeEarlyAt", r.ComeBackAt)
		} else {
			k.message = tr(k.lang, "codeEarly")
		}
	case ReasonTooLate:
		k.message = tr(k.lang, "codeLate", code)
	case ReasonCheckedIn:
		k.message = tr(k.lang, "codeUsed", code)
	case ReasonOfficeClosed:
		k.outOfService("closed")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	default:
		k.message = tr(k.lang, "codeOther", code)
	}
	k.code = ""
	k.show()
}
