package stationdev

import (
	"context"

	"luot/printer"
	"luot/server/client"
)

// SerialPrinter prints documents on an ESC/POS printer of package printer.
type SerialPrinter struct {
	P *printer.Printer
}

// PrintDocument checks the printer's status, then prints d (a printer
// fault is a *printer.FaultError and nothing is printed).
func (s *SerialPrinter) PrintDocument(ctx context.Context, d client.Document) error {
	data, err := encodeDocument(d, s.P.Profile())
	if err != nil {
		return err
	}
	_, err = s.P.PrintRaw(ctx, data)
	return err
}

// encodeDocument is a plain rendering of a document (placeholder until
// the printer package's PrintDocument is merged).
func encodeDocument(d client.Document, p printer.Profile) ([]byte, error) {
	e := printer.NewEncoder(p)
	e.Init()
	align := func(a string, def printer.Align) printer.Align {
		switch a {
		case "left":
			return printer.AlignLeft
		case "center":
			return printer.AlignCenter
		case "right":
			return printer.AlignRight
		}
		return def
	}
	for _, l := range d.Lines {
		var st printer.Style
		switch l.Style {
		case "title":
			st = printer.Style{Align: align(l.Align, printer.AlignCenter), Bold: true, Height: 2}
		case "big":
			st = printer.Style{Align: align(l.Align, printer.AlignCenter), Bold: true, Width: 3, Height: 3}
		case "blank":
			e.Blank()
			continue
		case "rule":
			if err := e.Line("--------------------------------", printer.Style{Align: printer.AlignCenter}); err != nil {
				return nil, err
			}
			continue
		case "qr":
			if err := e.QR(l.Text, 6, printer.QRLevelM); err != nil {
				return nil, err
			}
			continue
		default:
			st = printer.Style{Align: align(l.Align, printer.AlignLeft)}
		}
		for _, t := range []string{l.Text, l.TextEN} {
			if t != "" {
				if err := e.Line(t, st); err != nil {
					return nil, err
				}
			}
		}
	}
	e.Feed(4)
	e.Cut(false)
	return e.Bytes(), nil
}
