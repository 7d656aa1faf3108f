package ui

// The result screen and printing: the printer's check before a ticket, the
// ticket's print job, and the printer's condition reported to the server.

import (
	"cmp"
	"context"
	"errors"
	"time"
)

func (k *Kiosk) checkPrinter(ctx context.Context) error {
	if k.deps.Printer == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, k.cfg.PrintTimeout)
	defer cancel()
	return k.deps.Printer.Check(ctx)
}

func (k *Kiosk) job(t *Ticket) PrintJob {
	j := PrintJob{Service: t.ServiceName, ServiceEN: t.ServiceNameEN, Number: t.Number,
		Priority: PriorityName(t.Priority, Vietnamese), PriorityEN: PriorityName(t.Priority, English),
		Ahead: t.Ahead, ETA: t.ETA, Provisional: t.Provisional, Expected: t.Expected,
		TrackURL: t.TrackURL, Issued: t.Issued, Kiosk: k.cfg.KioskName}
	if k.office != nil {
		j.Office, j.OfficeEN = k.office.Name, k.office.NameEN
		if k.office.Location != nil && !j.Issued.IsZero() {
			j.Issued = j.Issued.In(k.office.Location)
		}
		if k.office.Location != nil && !j.Expected.IsZero() {
			j.Expected = j.Expected.In(k.office.Location)
		}
	}
	if j.Issued.IsZero() {
		j.Issued = k.deps.Clock.Now()
	}
	if k.office != nil {
		for _, s := range k.office.Services {
			if s.ID == t.Service {
				j.Service = cmp.Or(j.Service, s.Name)
				j.ServiceEN = cmp.Or(j.ServiceEN, s.NameEN)
			}
		}
	}
	return j
}

func (k *Kiosk) showResult(t *Ticket, perr error) {
	job := k.job(t)
	t.ServiceName, t.ServiceNameEN = job.Service, job.ServiceEN
	k.ticket, k.lastJob, k.fault, k.message = t, &job, nil, ""
	switch {
	case k.deps.Printer == nil:
		k.print = PrintNone
	case perr != nil:
		k.print, k.fault = PrintFault, asFault(perr)
		k.log.Warn("kiosk: printer not ready; ticket shown on screen only", "number", t.Number, "err", perr)
		k.report(k.fault)
	default:
		k.print = PrintPrinting
		k.printJob(job, t.ID)
	}
	k.screen = ScreenResult
	k.show()
	if k.resultTimer != nil {
		k.resultTimer.Stop()
	}
	k.resultTimer = k.after(k.cfg.ResultTimeout, &k.resultGen, func() {
		if k.screen == ScreenResult {
			k.goStart(true)
		}
	})
	k.touch()
}

func (k *Kiosk) printJob(job PrintJob, id string) {
	k.async(k.cfg.PrintTimeout, func(ctx context.Context) {
		warn, err := k.deps.Printer.Print(ctx, job)
		k.deps.Do(func() {
			if err != nil {
				k.log.Warn("kiosk: printing failed; the ticket stays valid", "number", job.Number, "err", err)
			}
			f := asFault(err)
			if f == nil && warn != nil {
				f = asFault(warn)
			}
			k.report(f)
			if k.screen != ScreenResult || k.ticket == nil || k.ticket.ID != id {
				return
			}
			k.print, k.fault = PrintDone, nil
			if err != nil {
				k.print, k.fault = PrintFault, f
			} else if f != nil {
				k.fault = f
			}
			if k.printLabel != nil {
				k.printLabel()
			}
		})
	})
}

// asFault turns a printer error into a fault to show ("" code: none).
func asFault(err error) *PrinterFault {
	if err == nil {
		return nil
	}
	var f *PrinterFault
	if errors.As(err, &f) {
		return f
	}
	return &PrinterFault{Code: "error", Vietnamese: "Máy in gặp lỗi.", English: "The printer failed."}
}

// report tells the server about a change of the printer's condition (nil:
// ready), once per change.
func (k *Kiosk) report(f *PrinterFault) {
	status, msg := "ok", "printer ready"
	if f != nil {
		status, msg = f.Code, "printer: "+f.English+" / "+f.Vietnamese
	}
	if status == k.reported {
		return
	}
	k.reported = status
	k.async(k.cfg.RequestTimeout, func(ctx context.Context) {
		if err := k.deps.Server.ReportStatus(ctx, status, msg); err != nil {
			k.log.Warn("kiosk: could not report the printer's status; will try again", "status", status, "err", err)
			k.deps.Do(func() {
				if k.reported == status {
					k.reported = ""
				}
			})
		}
	})
}

// officeLocation is the office's timezone, nil while the office is not
// known.
func (k *Kiosk) officeLocation() *time.Location {
	if k.office == nil {
		return nil
	}
	return k.office.Location
}
