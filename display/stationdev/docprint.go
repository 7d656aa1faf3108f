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

// PrintDocument checks the printer's status, then prints d
// (printer.PrintDocument). A printer that prints but warns (paper near
// its end) returns the warning.
func (s *SerialPrinter) PrintDocument(ctx context.Context, d client.Document) (warning, err error) {
	doc := printer.Document{Lines: make([]printer.DocLine, len(d.Lines))}
	for i, l := range d.Lines {
		doc.Lines[i] = printer.DocLine{Style: l.Style, Text: l.Text, TextEN: l.TextEN, Align: l.Align}
	}
	st, err := s.P.PrintDocument(ctx, doc)
	if err != nil {
		return nil, err
	}
	return st.Warning(), nil
}
