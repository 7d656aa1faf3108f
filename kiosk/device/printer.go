package device

import (
	"context"
	"errors"

	"luot/kiosk/ui"
	"luot/printer"
)

// Printer is ui.Printer over an ESC/POS printer of package printer.
type Printer struct {
	P *printer.Printer
}

var _ ui.Printer = (*Printer)(nil)

// Check reads the printer's status.
func (p *Printer) Check(ctx context.Context) error {
	st, err := p.P.Status(ctx)
	if err == nil {
		err = st.Err()
	}
	return fault(err)
}

// Print prints a ticket with the printer package's one layout.
func (p *Printer) Print(ctx context.Context, j ui.PrintJob) (warning, err error) {
	st, err := p.P.PrintTicket(ctx, printer.Ticket{
		Office: j.Office, OfficeEN: j.OfficeEN, Service: j.Service, ServiceEN: j.ServiceEN,
		Number: j.Number, Priority: j.Priority, PriorityEN: j.PriorityEN, Ahead: j.Ahead, ETA: j.ETA,
		Provisional: j.Provisional, Expected: j.Expected,
		TrackURL: j.TrackURL, Issued: j.Issued, Kiosk: j.Kiosk,
	})
	if err != nil {
		return nil, fault(err)
	}
	if w := st.Warning(); w != nil {
		f := fault(w).(*ui.PrinterFault)
		f.Warning = true
		return f, nil
	}
	return nil, nil
}

// fault turns a printer error into a *ui.PrinterFault in words.
func fault(err error) error {
	if err == nil {
		return nil
	}
	var fe *printer.FaultError
	switch {
	case errors.As(err, &fe):
		return &ui.PrinterFault{Code: fe.Fault().String(), Vietnamese: fe.Vietnamese(), English: fe.English()}
	case errors.Is(err, printer.ErrNotConnected), errors.Is(err, printer.ErrWriteTimeout):
		return &ui.PrinterFault{Code: "not-connected",
			Vietnamese: "Máy in chưa được kết nối hoặc chưa bật: kiểm tra cáp và nguồn điện.",
			English:    "The printer is not connected or switched off: check its cable and power."}
	}
	return &ui.PrinterFault{Code: "error", Vietnamese: "Máy in gặp lỗi.", English: "The printer failed."}
}

// QR returns the modules of a QR code of s (level M), for the UI's drawing
// of the tracking link.
func QR(s string) ([][]bool, error) { return printer.QRModules(s, printer.QRLevelM) }
