package printer

import (
	"context"
	"fmt"
	"strings"
)

// Document is what a counter's printer prints for the server: lines top
// to bottom (the server's queue.Document, as the station's client
// receives it in a print job).
type Document struct {
	Lines []DocLine
}

// DocLine is one line of a Document. Text is Vietnamese (the link of a
// QR line); TextEN, when set, is printed below it, never larger than
// normal size. Align is "left", "center" or "right"; "" is the style's
// own (centred for title, big and qr, left for the others).
type DocLine struct {
	Style  string
	Text   string
	TextEN string
	Align  string
}

// DocLine styles: the same names as the server's.
const (
	LineTitle = "title" // bold, double height, centred
	LineText  = "text"  // normal text
	LineBig   = "big"   // a number, as large as the paper allows, centred
	LineSmall = "small" // small print (normal size: the fine print of a receipt)
	LineRule  = "rule"  // a dashed line across the paper
	LineQR    = "qr"    // a QR code of Text, centred
	LineBlank = "blank" // an empty line
)

// QR settings of a document: those of the ticket, which phones read well.
const (
	docQRModule = ticketQRModule
	docQRLevel  = ticketQRLevel
)

// EncodeDocument lays out a document for a printer profile and returns the
// whole byte stream to send: initialisation, the lines, the cut. Text is
// normalised (NFC, control characters as spaces) and wrapped at spaces to
// the paper's width at its size; each line is encoded with the profile's
// Vietnamese method, and a line that no code table of the profile can
// carry is printed as a raster image instead (Encoder.Line), as on the
// ticket. A style this package does not know is printed as text, so that
// a newer server's document still comes out whole. It fails, encoding
// nothing, on a document without lines or a QR code that cannot be made.
func EncodeDocument(d Document, p Profile) ([]byte, error) {
	if len(d.Lines) == 0 {
		return nil, fmt.Errorf("printer: the document has no lines; refusing to cut an empty slip")
	}
	e := NewEncoder(p)
	e.Init()
	cols := p.Columns()
	var err error
	put := func(text string, st Style) {
		text = clean(text)
		if err != nil || text == "" {
			return
		}
		for _, l := range wrap(text, max(1, cols/st.width())) {
			if err = e.Line(l, st); err != nil {
				return
			}
		}
	}
	for i, l := range d.Lines {
		align, ok := docAlign(l.Align)
		switch l.Style {
		case LineTitle:
			if !ok {
				align = AlignCenter
			}
			put(l.Text, Style{Align: align, Bold: true, Width: 1, Height: 2})
			put(l.TextEN, Style{Align: align, Bold: true})
		case LineBig:
			if !ok {
				align = AlignCenter
			}
			text := clean(l.Text)
			mag := NumberMagnification(text, p) // 1 (and wrapped) when it is wider than the paper
			put(text, Style{Align: align, Bold: true, Width: mag, Height: mag})
			put(l.TextEN, Style{Align: align})
		case LineRule:
			put(strings.Repeat("-", cols), Style{})
		case LineBlank:
			e.Blank()
		case LineQR:
			if u := strings.TrimSpace(l.Text); u != "" && err == nil {
				if err = e.QR(u, docQRModule, docQRLevel); err != nil {
					err = fmt.Errorf("printer: line %d of the document: %w", i+1, err)
				}
			}
			put(l.TextEN, Style{Align: AlignCenter})
		default: // text, small, and styles of a newer server
			put(l.Text, Style{Align: align})
			put(l.TextEN, Style{Align: align})
		}
		if err != nil {
			return nil, err
		}
	}
	e.Cut(true)
	return e.Bytes(), nil
}

// docAlign is a line's alignment; ok is false for "" (the style's own) or
// an unknown one.
func docAlign(a string) (Align, bool) {
	switch a {
	case "left":
		return AlignLeft, true
	case "center":
		return AlignCenter, true
	case "right":
		return AlignRight, true
	}
	return AlignLeft, false
}

// PrintDocument checks the status, then prints the document, as
// PrintTicket does: it returns the status read before printing; the error
// is a *FaultError when the printer cannot print (nothing is sent then), a
// *ConnError when the port is missing or fails, or an encoding error
// (nothing is sent either).
func (p *Printer) PrintDocument(ctx context.Context, d Document) (Status, error) {
	data, err := EncodeDocument(d, p.profile)
	if err != nil {
		return Status{}, err
	}
	return p.PrintRaw(ctx, data)
}
