package stationdev

import (
	"errors"
	"fmt"
	"os"

	"luot/display/device"
	"luot/printer"
	"luot/printer/virtual"
)

// OpenedPrinter is the configured printer, and the virtual printer behind
// it when the configuration says "virtual".
type OpenedPrinter struct {
	*SerialPrinter
	// Virtual is the virtual printer (nil for a real one); its OutDir
	// holds the receipts.
	Virtual *virtual.Printer
}

// Close closes the virtual printer, if any (a real port is opened for
// each job and needs no closing).
func (o *OpenedPrinter) Close() error {
	var err error
	if o.SerialPrinter != nil {
		err = o.P.Close()
	}
	if o.Virtual != nil {
		err = errors.Join(err, o.Virtual.Close())
	}
	return err
}

// OpenPrinter opens the station's printer as configured: nil when there is
// none, a virtual printer on a pseudo-terminal for "virtual" (its PNGs in
// PrinterOut, or a new temporary folder), else the serial port, which
// must exist (a printer switched off is fine: it is reconnected for each
// job).
func OpenPrinter(cfg device.Station) (*OpenedPrinter, error) {
	if cfg.Printer == "" {
		return nil, nil
	}
	pcfg := printer.Config{Port: cfg.Printer, Profile: cfg.PrinterProfile}
	var v *virtual.Printer
	if cfg.Printer == "virtual" {
		out := cfg.PrinterOut
		if out == "" {
			var err error
			if out, err = os.MkdirTemp("", "luot-station-printer-"); err != nil {
				return nil, fmt.Errorf("make the virtual printer's folder: %w", err)
			}
		}
		var err error
		if v, err = virtual.Start(virtual.Options{OutDir: out, Profile: cfg.PrinterProfile}); err != nil {
			return nil, fmt.Errorf("start the virtual printer: %w", err)
		}
		pcfg.Port = v.Path()
	} else if _, err := os.Stat(cfg.Printer); err != nil {
		return nil, fmt.Errorf("printer port %s: %w: give the printer's port (ls /dev/serial/by-id/), or -printer virtual", cfg.Printer, errors.Unwrap(err))
	}
	p, err := printer.New(pcfg)
	if err != nil {
		if v != nil {
			v.Close()
		}
		return nil, fmt.Errorf("printer: %w", err)
	}
	return &OpenedPrinter{SerialPrinter: &SerialPrinter{P: p}, Virtual: v}, nil
}
