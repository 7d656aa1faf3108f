package stationdev

import (
	"context"
	"errors"
	"time"

	"luot/printer"
	"luot/server/client"
)

// Printer prints a print job's document on the counter's printer. Its
// error is a *printer.FaultError when the printer cannot print now (paper
// end, cover open, no answer …), an error matching printer.ErrNotConnected
// when the port is missing, or another error when the document itself
// cannot be printed. A printer that printed but warns (paper near its
// end) returns the warning, a *printer.FaultError too.
type Printer interface {
	PrintDocument(ctx context.Context, d client.Document) (warning, err error)
}

// Fault is a printer's condition as the station reports and shows it.
type Fault struct {
	// Code is the typed fault ("paper-end", "not-connected" …), the
	// status of the device.status event.
	Code       string `json:"code"`
	Vietnamese string `json:"vi"`
	English    string `json:"en"`
	// Transient: the job stays queued and is printed once the printer is
	// fixed; otherwise the document cannot be printed and the job is
	// acknowledged failed.
	Transient bool `json:"transient"`
}

// faultOf turns a printer error into a Fault (nil for nil).
func faultOf(err error) *Fault {
	if err == nil {
		return nil
	}
	var fe *printer.FaultError
	switch {
	case errors.As(err, &fe):
		return &Fault{Code: fe.Fault().String(), Vietnamese: fe.Vietnamese(), English: fe.English(), Transient: true}
	case errors.Is(err, printer.ErrNotConnected), errors.Is(err, printer.ErrWriteTimeout):
		return &Fault{Code: "not-connected", Transient: true,
			Vietnamese: "Máy in chưa được kết nối hoặc chưa bật: kiểm tra cáp và nguồn điện.",
			English:    "The printer is not connected or switched off: check its cable and power."}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &Fault{Code: "timeout", Transient: true,
			Vietnamese: "Máy in không in xong kịp: kiểm tra máy in.",
			English:    "The printer did not finish in time: check it."}
	}
	return &Fault{Code: "print-error", Vietnamese: "Không in được phiếu này.", English: "This document cannot be printed."}
}

// printLoop prints the counter's queued jobs whenever asked (at start,
// after each reconnection, on print.queued for the counter) and, while a
// fault holds a job back, every RetryEvery.
func (d *Device) printLoop(ctx context.Context) {
	var retry <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.printWake:
		case <-retry:
		}
		retry = nil
		if !d.printQueued(ctx) && ctx.Err() == nil {
			retry = time.After(d.opts.RetryEvery)
		}
	}
}

// askPrint wakes the print loop.
func (d *Device) askPrint() {
	select {
	case d.printWake <- struct{}{}:
	default:
	}
}

// printQueued lists the counter's queued jobs and prints them in order.
// It returns false when something (the server, the printer) held a job
// back, to be tried again later.
func (d *Device) printQueued(ctx context.Context) bool {
	jobs, err := d.client.PrintJobs(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("could not list the print jobs; will try again", "err", err)
		}
		return false
	}
	for _, j := range jobs {
		if !d.printJob(ctx, j) {
			return false
		}
	}
	return true
}

// printJob prints one job unless the journal has it, records it in the
// journal, then acknowledges it. It returns false when the job is still
// queued (a printer fault, the server unreachable).
func (d *Device) printJob(ctx context.Context, j client.PrintJob) bool {
	if !d.journal.Printed(j.ID) {
		pctx, cancel := context.WithTimeout(ctx, d.opts.PrintTimeout)
		warning, err := d.printer.PrintDocument(pctx, j.Doc)
		cancel()
		if ctx.Err() != nil {
			return false
		}
		if f := faultOf(err); f != nil {
			d.log.Warn("print job not printed", "job", j.ID, "kind", j.Kind, "fault", f.Code, "err", err)
			d.setFault(ctx, f)
			if f.Transient {
				return false
			}
			if err := d.client.AckPrintJob(ctx, j.ID, client.PrintResult{Result: "failed", Fault: f.Code}); err != nil {
				if client.IsUnavailable(err) {
					d.log.Warn("could not acknowledge a failed print job; will try again", "job", j.ID, "err", err)
					return false
				}
				d.log.Error("failed job's acknowledgement refused; going on with the next", "job", j.ID, "err", err)
				return true
			}
			d.countPrint(func(c *Counts) { c.PrintFailed++ })
			return true
		}
		if err := d.journal.Record(j.ID); err != nil {
			// The receipt is out but the journal did not keep it: say so
			// loudly, and acknowledge at once so that it is not printed again.
			d.log.Error("print journal not written", "job", j.ID, "err", err)
		}
		d.countPrint(func(c *Counts) { c.Printed++ })
		d.log.Info("print job printed", "job", j.ID, "kind", j.Kind)
		d.setFault(ctx, faultOf(warning)) // nil, or paper near its end
	}
	if err := d.client.AckPrintJob(ctx, j.ID, client.PrintResult{Result: "printed"}); err != nil {
		if ctx.Err() != nil {
			return false
		}
		if client.IsUnavailable(err) {
			d.log.Warn("could not acknowledge a printed job; will try again without printing it again", "job", j.ID, "err", err)
			return false
		}
		// Refused (already acknowledged otherwise, no longer this
		// counter's): trying again would refuse again and hold back the
		// jobs behind it.
		d.log.Error("printed job's acknowledgement refused; going on with the next", "job", j.ID, "err", err)
		return true
	}
	d.countPrint(func(c *Counts) { c.Acked++ })
	return true
}

// setFault records the printer's condition, shows it, and reports a change
// to the server as device.status (status "ok" once it prints again).
func (d *Device) setFault(ctx context.Context, f *Fault) {
	d.mu.Lock()
	d.fault = f
	code := "ok"
	msg := "printer ready / máy in sẵn sàng"
	if f != nil {
		code, msg = f.Code, "printer: "+f.English+" / "+f.Vietnamese
	}
	same := code == d.reported
	d.mu.Unlock()
	d.modelPrinter(f)
	if same {
		return
	}
	if err := d.client.ReportStatus(ctx, code, msg); err != nil {
		d.log.Warn("could not report the printer's status; will report it with the next job", "status", code, "err", err)
		return
	}
	d.mu.Lock()
	d.reported = code
	d.mu.Unlock()
}
