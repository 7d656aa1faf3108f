// Package feedbackjobs holds what the server does with feedback reports
// on its own: the erasure of reporters' personal data when it is due, and
// the demo's sample reports (with generated photos). It works on any
// feedback.Store through the domain's rules (feedback.Create, Decide), so
// that every change it makes is an event like a person's.
package feedbackjobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"luot/server/feedback"
	"luot/server/queue"
)

// system is the server acting on its own.
var system = feedback.Actor{Role: feedback.RoleSystem}

// Erase erases the reporter's name and phone of every report of the
// office of cfg whose time has come (closed cfg.EraseDelay() before now),
// each as a "report.erase" event by the system, and returns how many it
// erased. A report the rules say is not due yet (a resolved one still in
// its reopening window) is skipped; it comes back on a later run. It goes
// on after an error and returns them all.
func Erase(ctx context.Context, st feedback.Store, cfg *feedback.Config, now time.Time) (int, error) {
	codes, err := st.EraseDue(ctx, now.Add(-cfg.EraseDelay()))
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, code := range codes {
		if ctx.Err() != nil {
			return n, errors.Join(append(errs, ctx.Err())...)
		}
		_, _, err := st.UpdateReport(ctx, code, func(r feedback.Report) (feedback.Event, error) {
			if r.Office != cfg.Office {
				return feedback.Event{}, errOtherOffice
			}
			return feedback.Decide(cfg, r, feedback.Command{Action: feedback.ActErase, Actor: system}, now)
		})
		var qe *queue.Error
		switch {
		case err == nil:
			n++
		case errors.Is(err, errOtherOffice):
		case errors.As(err, &qe) && (qe.Code == "erase_not_due" || qe.Code == "already_erased"):
		default:
			errs = append(errs, fmt.Errorf("erase the reporter of %s: %w", code, err))
		}
	}
	return n, errors.Join(errs...)
}

// errOtherOffice skips a report of an office another configuration
// erases.
var errOtherOffice = errors.New("report of another office")
