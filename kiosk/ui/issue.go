package ui

// The issuing flow: the start screen's service tiles, a tap that asks the
// server for a number, and the server's refusals.

import (
	"context"
	"errors"
	"time"

	"luot/server/client"
)

func (k *Kiosk) pages() int {
	if k.office == nil || len(k.office.Services) == 0 {
		return 1
	}
	return (len(k.office.Services) + k.cfg.ServicesPerPage - 1) / k.cfg.ServicesPerPage
}

func (k *Kiosk) today() string {
	loc := time.UTC
	if k.office != nil && k.office.Location != nil {
		loc = k.office.Location
	}
	return k.deps.Clock.Now().In(loc).Format(time.DateOnly)
}

// unavailable says why a service cannot be chosen now ("" if it can).
func (k *Kiosk) unavailable(s Service) string {
	switch {
	case !s.Active:
		return tr(k.lang, "inactive")
	case !s.Served:
		return tr(k.lang, "notServed")
	case k.capped[s.ID] == k.today():
		return tr(k.lang, "capReached")
	}
	return ""
}

func (k *Kiosk) tapService(s Service) {
	k.touch()
	if k.busy || k.screen != ScreenStart || k.unavailable(s) != "" {
		return
	}
	k.busy, k.message = true, ""
	k.show()
	key, prio := k.deps.NewKey(), k.priority
	k.async(k.cfg.RequestTimeout+k.cfg.PrintTimeout, func(ctx context.Context) {
		perr := k.checkPrinter(ctx)
		t, err := k.deps.Server.Issue(ctx, s.ID, prio, key)
		k.deps.Do(func() { k.issued(s, t, err, perr) })
	})
}

func (k *Kiosk) issued(s Service, t *Ticket, err, perr error) {
	k.busy = false
	if k.stopped {
		return
	}
	if err != nil {
		k.refused(s, err)
		return
	}
	k.priority = PriorityNone // the declaration applied to this ticket
	k.showResult(t, perr)
}

func (k *Kiosk) refused(s Service, err error) {
	var r *Refusal
	if !errors.As(err, &r) {
		k.log.Warn("kiosk: issuing failed; out of service", "service", s.ID, "err", err)
		k.outOfService("server")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	}
	k.log.Info("kiosk: the server refused a number", "service", s.ID, "code", r.Code, "message", r.Message)
	name := s.Name
	if k.lang == English && s.NameEN != "" {
		name = s.NameEN
	}
	switch {
	case r.Code == client.CodeOfficeClosed:
		k.outOfService("closed")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	case r.Denied:
		k.outOfService("device")
		k.schedulePoll(k.cfg.RetryEvery)
		return
	case r.Code == client.CodeCapReached:
		k.capped[s.ID] = k.today()
		k.message = name + ": " + tr(k.lang, "capReached")
	case r.Code == client.CodeNotServed:
		k.message = name + ": " + tr(k.lang, "notServed")
		k.refresh()
	case r.Code == client.CodeServiceInactive:
		k.message = name + ": " + tr(k.lang, "inactive")
		k.refresh()
	default:
		k.message = tr(k.lang, "refusedOther")
	}
	k.show()
}
