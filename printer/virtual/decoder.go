// Package virtual is a virtual ESC/POS printer: the other end of a
// pseudo-terminal that decodes what Lượt sends, answers status queries with
// a state that tests (and technicians) can switch, and writes every cut
// ticket as a PNG and as UTF-8 text. It is the test oracle of package
// printer and the demo printer when no real one is attached.
package virtual

import (
	"image"
	"strings"

	"golang.org/x/text/unicode/norm"

	"luot/printer"
)

// Block is one element of a printed page: *TextLine, *Raster, *QR, *Feed.
type Block interface{ isBlock() }

// Run is text printed in one style.
type Run struct {
	Text      string
	Bold      bool
	Underline bool
	W, H      int // GS ! magnification
}

// TextLine is one line ended by LF. A line without runs is a blank line.
type TextLine struct {
	Align printer.Align
	Runs  []Run
}

// Text returns the line's characters.
func (l *TextLine) Text() string {
	var sb strings.Builder
	for _, r := range l.Runs {
		sb.WriteString(r.Text)
	}
	return sb.String()
}

// Raster is a GS v 0 image.
type Raster struct {
	Align printer.Align
	Image *image.Gray
}

// QR is a QR code printed with GS ( k.
type QR struct {
	Align  printer.Align
	Data   string
	Module int
	Level  printer.QRLevel
}

// Feed is paper fed without printing, in dots.
type Feed struct{ Dots int }

func (*TextLine) isBlock() {}
func (*Raster) isBlock()   {}
func (*QR) isBlock()       {}
func (*Feed) isBlock()     {}

// Page is what was printed between two cuts.
type Page struct {
	Blocks  []Block
	Partial bool // the cut that ended it was partial
}

// lineFeedDots is the default line spacing used for ESC d and blank lines.
const lineFeedDots = 30

// maxImageBytes caps a raster image; larger headers are treated as garbage.
const maxImageBytes = 4 << 20

// Decoder parses an ESC/POS byte stream as a printer would. Feed it with
// Write in pieces of any size: a command split across writes is kept until
// it is complete. It never fails: unknown commands are skipped and counted.
type Decoder struct {
	Profile printer.Profile
	// OnStatus is called for every DLE EOT n, in stream order.
	OnStatus func(n byte)
	// OnCut is called with each finished page.
	OnCut func(Page)
	// Unknown counts skipped commands and bytes that meant nothing.
	Unknown int

	pending []byte
	align   printer.Align
	bold    bool
	under   bool
	w, h    int
	charset printer.Charset
	runs    []Run
	blocks  []Block
	qrData  string
	qrMod   int
	qrLevel printer.QRLevel
}

// NewDecoder returns a decoder in power-on state for profile p.
func NewDecoder(p printer.Profile) *Decoder {
	d := &Decoder{Profile: p}
	d.reset()
	return d
}

func (d *Decoder) reset() {
	d.align, d.bold, d.under, d.w, d.h = printer.AlignLeft, false, false, 1, 1
	d.charset = printer.CharsetPC437
	d.qrMod, d.qrLevel = 3, printer.QRLevelL
}

// Write feeds bytes to the decoder. It always consumes all of p.
func (d *Decoder) Write(p []byte) (int, error) {
	d.pending = append(d.pending, p...)
	i := 0
	for i < len(d.pending) {
		n := d.step(d.pending[i:])
		if n == 0 {
			break
		}
		i += n
	}
	d.pending = append(d.pending[:0], d.pending[i:]...)
	return len(p), nil
}

// Pending returns the blocks printed since the last cut (the ticket still
// in the printer), including an unfinished line.
func (d *Decoder) Pending() Page {
	b := append([]Block(nil), d.blocks...)
	if len(d.runs) > 0 {
		b = append(b, d.line())
	}
	return Page{Blocks: b}
}

func (d *Decoder) line() *TextLine {
	l := &TextLine{Align: d.align}
	for _, r := range d.runs {
		r.Text = norm.NFC.String(r.Text)
		l.Runs = append(l.Runs, r)
	}
	return l
}

func (d *Decoder) endLine() {
	d.blocks = append(d.blocks, d.line())
	d.runs = nil
}

// flushLine prints a partial line before a block that starts a new line.
func (d *Decoder) flushLine() {
	if len(d.runs) > 0 {
		d.endLine()
	}
}

func (d *Decoder) text(b byte) {
	r := d.charset.DecodeByte(b)
	if n := len(d.runs); n > 0 {
		last := &d.runs[n-1]
		if last.Bold == d.bold && last.Underline == d.under && last.W == d.w && last.H == d.h {
			last.Text += string(r)
			return
		}
	}
	d.runs = append(d.runs, Run{Text: string(r), Bold: d.bold, Underline: d.under, W: d.w, H: d.h})
}

func (d *Decoder) cut(partial bool) {
	d.flushLine()
	page := Page{Blocks: d.blocks, Partial: partial}
	d.blocks = nil
	if d.OnCut != nil {
		d.OnCut(page)
	}
}

func mag(n byte) int { return int(n&7) + 1 }

// step decodes one command or character at the start of b and returns its
// length, or 0 when b holds only part of it.
func (d *Decoder) step(b []byte) int {
	need := func(n int) bool { return len(b) >= n }
	switch b[0] {
	case printer.LF:
		d.endLine()
		return 1
	case '\r', 0x00:
		return 1
	case printer.DLE:
		if !need(3) {
			return 0
		}
		switch b[1] {
		case printer.EOT:
			if d.OnStatus != nil {
				d.OnStatus(b[2])
			}
			return 3
		case 0x05: // DLE ENQ n
			return 3
		case 0x14: // DLE DC4 fn a b
			if !need(5) {
				return 0
			}
			return 5
		}
		d.Unknown++
		return 1
	case printer.FS:
		if !need(2) {
			return 0
		}
		return 2 // FS . / FS & and other one-byte FS commands
	case printer.ESC:
		return d.esc(b)
	case printer.GS:
		return d.gs(b)
	}
	if b[0] < 0x20 {
		d.Unknown++
		return 1
	}
	d.text(b[0])
	return 1
}

func (d *Decoder) esc(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	one := func() (byte, bool) {
		if len(b) < 3 {
			return 0, false
		}
		return b[2], true
	}
	switch b[1] {
	case '@':
		d.flushLine()
		d.reset()
		return 2
	case '2', 'i', 'm':
		if b[1] != '2' {
			d.cut(b[1] == 'm')
		}
		return 2
	case 't', 'a', 'E', '-', '!', 'd', 'J', 'M', '3', 'G', 'R', '{', 'V', ' ', '=', 'U', 'r':
		n, ok := one()
		if !ok {
			return 0
		}
		switch b[1] {
		case 't':
			d.charset = d.Profile.CharsetOf(int(n))
		case 'a':
			d.flushLine()
			if n >= '0' {
				n -= '0'
			}
			if n <= 2 {
				d.align = printer.Align(n)
			}
		case 'E':
			d.bold = n&1 != 0
		case '-':
			d.under = n&3 != 0 // 1, 2, '1', '2'
		case '!':
			d.bold = n&0x08 != 0
			d.under = n&0x80 != 0
			d.h, d.w = 1+int(n>>4&1), 1+int(n>>5&1)
		case 'd':
			d.flushLine()
			d.blocks = append(d.blocks, &Feed{Dots: int(n) * lineFeedDots})
		case 'J':
			d.flushLine()
			d.blocks = append(d.blocks, &Feed{Dots: int(n)})
		}
		return 3
	case '$', '\\', 'c':
		if len(b) < 4 {
			return 0
		}
		return 4
	case 'p':
		if len(b) < 5 {
			return 0
		}
		return 5
	case 'D': // tab stops, ended by NUL
		n := untilNUL(b, 2, maxTabStops+1)
		if n < 0 {
			d.Unknown++
			return 2
		}
		return n
	case '*': // ESC * m nL nH data
		if len(b) < 5 {
			return 0
		}
		n := int(b[3]) | int(b[4])<<8
		if b[2] == 32 || b[2] == 33 {
			n *= 3
		}
		if len(b) < 5+n {
			return 0
		}
		d.Unknown++
		return 5 + n
	}
	d.Unknown++
	return 2
}

func (d *Decoder) gs(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '!', 'B', 'H', 'f', 'h', 'w', 'a', 'r', 'I', 'b':
		if len(b) < 3 {
			return 0
		}
		if b[1] == '!' {
			d.w, d.h = mag(b[2]>>4), mag(b[2])
		}
		return 3
	case 'L', 'W', 'P', '$', '\\':
		if len(b) < 4 {
			return 0
		}
		return 4
	case 'V':
		if len(b) < 3 {
			return 0
		}
		m := b[2]
		if m >= 65 {
			if len(b) < 4 {
				return 0
			}
			d.cut(m == 66 || m == 98 || m == 104)
			return 4
		}
		d.cut(m == 1 || m == 49)
		return 3
	case 'v':
		if len(b) < 8 {
			return 0
		}
		if b[2] != '0' {
			d.Unknown++
			return 2
		}
		wb := int(b[4]) | int(b[5])<<8
		h := int(b[6]) | int(b[7])<<8
		n := wb * h
		if n > maxImageBytes || wb == 0 || h == 0 {
			d.Unknown++
			return 8
		}
		if len(b) < 8+n {
			return 0
		}
		d.flushLine()
		d.blocks = append(d.blocks, &Raster{Align: d.align, Image: printer.UnpackRaster(wb, h, b[8:8+n])})
		return 8 + n
	case '(':
		if len(b) < 5 {
			return 0
		}
		n := int(b[3]) | int(b[4])<<8
		if len(b) < 5+n {
			return 0
		}
		if b[2] == 'k' {
			d.symbol(b[5 : 5+n])
		}
		return 5 + n
	case 'k': // barcodes
		if len(b) < 3 {
			return 0
		}
		if b[2] <= 6 { // function A: data ended by NUL
			n := untilNUL(b, 3, maxBarcodeBytes+1)
			if n < 0 {
				d.Unknown++
				return 3
			}
			return n
		}
		if len(b) < 4 {
			return 0
		}
		if len(b) < 4+int(b[3]) {
			return 0
		}
		return 4 + int(b[3])
	case '8':
		if len(b) < 7 {
			return 0
		}
		n := int(b[3]) | int(b[4])<<8 | int(b[5])<<16 | int(b[6])<<24
		if n < 0 || n > maxImageBytes {
			d.Unknown++
			return 7
		}
		if len(b) < 7+n {
			return 0
		}
		return 7 + n
	}
	d.Unknown++
	return 2
}

// Limits of the NUL-ended commands: ESC D takes at most 32 tab stops, and
// GS k function A bar codes hold at most 255 characters.
const (
	maxTabStops     = 32
	maxBarcodeBytes = 255
)

// untilNUL measures a command whose parameters start at b[from] and end
// with a NUL among the next max bytes. It returns the command's length when
// the NUL is there, 0 when b ends before the NUL and before max bytes (the
// rest may come in the next write), and -1 when the max bytes hold no NUL:
// the command is garbage. Only the command's own bytes decide, never how
// much of the stream happens to be buffered, so that splitting the stream
// between writes cannot change the decoding.
func untilNUL(b []byte, from, max int) int {
	end := min(len(b), from+max)
	for i := from; i < end; i++ {
		if b[i] == 0 {
			return i + 1
		}
	}
	if len(b) >= from+max {
		return -1
	}
	return 0
}

// symbol handles the body of GS ( k: cn fn params.
func (d *Decoder) symbol(p []byte) {
	if len(p) < 2 || p[0] != 49 { // only QR (cn = 49)
		return
	}
	fn, arg := p[1], p[2:]
	switch fn {
	case 65: // model
	case 67:
		if len(arg) > 0 {
			d.qrMod = int(arg[0])
		}
	case 69:
		if len(arg) > 0 {
			d.qrLevel = printer.QRLevel(arg[0])
		}
	case 80:
		if len(arg) > 0 {
			d.qrData = string(arg[1:])
		}
	case 81:
		if d.qrData != "" {
			d.flushLine()
			d.blocks = append(d.blocks, &QR{Align: d.align, Data: d.qrData, Module: d.qrMod, Level: d.qrLevel})
		}
	}
}
