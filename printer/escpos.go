package printer

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"strings"
)

// ESC/POS control bytes.
const (
	ESC = 0x1B
	GS  = 0x1D
	FS  = 0x1C
	DLE = 0x10
	EOT = 0x04
	LF  = 0x0A
)

// Align is a line's justification (ESC a).
type Align byte

// Alignments.
const (
	AlignLeft   Align = 0
	AlignCenter Align = 1
	AlignRight  Align = 2
)

// Style is how a line of text is printed. Width and Height are the GS !
// magnifications 1–8; 0 means 1.
type Style struct {
	Align     Align
	Bold      bool
	Underline bool
	Width     int
	Height    int
}

func (s Style) width() int  { return clampMag(s.Width) }
func (s Style) height() int { return clampMag(s.Height) }

func clampMag(n int) int {
	if n < 1 {
		return 1
	}
	if n > 8 {
		return 8
	}
	return n
}

// CmdInit is ESC @: clear the buffer and reset modes to their power-on values.
func CmdInit() []byte { return []byte{ESC, '@'} }

// CmdCancelKanji is FS .: leave Chinese/Japanese double-byte mode, which
// many clones start in, so that bytes 0x80–0xFF are single characters.
func CmdCancelKanji() []byte { return []byte{FS, '.'} }

// CmdCodePage is ESC t n: select character code table n.
func CmdCodePage(n int) []byte { return []byte{ESC, 't', byte(n)} }

// CmdAlign is ESC a n.
func CmdAlign(a Align) []byte { return []byte{ESC, 'a', byte(a)} }

// CmdBold is ESC E n (emphasised).
func CmdBold(on bool) []byte { return []byte{ESC, 'E', byte(boolInt(on))} }

// CmdUnderline is ESC - n (1-dot underline when on).
func CmdUnderline(on bool) []byte { return []byte{ESC, '-', byte(boolInt(on))} }

// CmdSize is GS ! n: character width and height magnification, 1–8 each
// (values outside are clamped).
func CmdSize(w, h int) []byte {
	return []byte{GS, '!', byte((clampMag(w)-1)<<4 | (clampMag(h) - 1))}
}

// CmdFeedLines is ESC d n: print the buffer and feed n lines.
func CmdFeedLines(n int) []byte { return []byte{ESC, 'd', byte(min(max(n, 0), 255))} }

// CmdCut feeds the paper to the cutting position plus n dots and cuts: GS V
// 65 n for a full cut, GS V 66 n for a partial cut. CutterNone sends GS V 66
// n as well: a printer without a cutter feeds the ticket to its tear bar and
// ignores the cut, and the virtual printer uses it to know the ticket ended.
func CmdCut(c Cutter, n int) []byte {
	if c == CutterFull {
		return []byte{GS, 'V', 65, byte(n)}
	}
	return []byte{GS, 'V', 66, byte(n)}
}

// CmdStatus is DLE EOT n: ask for real-time status n (1 printer, 2 offline
// cause, 3 error cause, 4 paper sensor).
func CmdStatus(n byte) []byte { return []byte{DLE, EOT, n} }

// gsk builds GS ( k pL pH cn fn params: the 2-byte length counts cn, fn and
// the parameters, little-endian.
func gsk(fn byte, params ...byte) []byte {
	n := len(params) + 2
	out := []byte{GS, '(', 'k', byte(n), byte(n >> 8), 49, fn}
	return append(out, params...)
}

// CmdQR returns the GS ( k sequence for a model 2 QR code: select model
// (function 165), module size in dots 1–16 (167), error correction (169),
// store the data (180, with its 2-byte length so that URLs longer than 252
// bytes work) and print it (181).
func CmdQR(data string, module int, level QRLevel) ([]byte, error) {
	if len(data) == 0 || len(data) > 7089 {
		return nil, fmt.Errorf("printer: QR data of %d bytes; it must be 1 to 7089 bytes", len(data))
	}
	module = min(max(module, 1), 16)
	var b []byte
	b = append(b, gsk(65, 50, 0)...)
	b = append(b, gsk(67, byte(module))...)
	b = append(b, gsk(69, byte(level))...)
	b = append(b, gsk(80, append([]byte{48}, data...)...)...)
	b = append(b, gsk(81, 48)...)
	return b, nil
}

// CmdRaster is GS v 0 0: print a raster bit image (normal density). The
// image is thresholded at mid-grey; its width is rounded up to whole bytes.
func CmdRaster(img image.Image) []byte {
	wb, h, data := PackRaster(img)
	out := []byte{GS, 'v', '0', 0, byte(wb), byte(wb >> 8), byte(h), byte(h >> 8)}
	return append(out, data...)
}

// Encoder builds the byte stream for one printer profile. It tracks the
// selected code table so that ESC t is sent only when a run of text needs a
// different one, and re-selects it after ESC @ and after raster images.
// Its methods never fail on I/O; errors are only for impossible content.
type Encoder struct {
	p       Profile
	buf     bytes.Buffer
	charset Charset // table currently selected on the printer; "" = unknown
	style   Style   // modes currently set on the printer
}

// NewEncoder returns an encoder for profile p with nothing written yet.
func NewEncoder(p Profile) *Encoder { return &Encoder{p: p} }

// Bytes returns everything encoded so far.
func (e *Encoder) Bytes() []byte { return e.buf.Bytes() }

// Len returns how many bytes were encoded so far.
func (e *Encoder) Len() int { return e.buf.Len() }

// Raw appends bytes as they are.
func (e *Encoder) Raw(b []byte) { e.buf.Write(b) }

// Init writes ESC @, then FS . if the profile says the printer starts in
// double-byte mode, then selects the profile's first Vietnamese table.
func (e *Encoder) Init() {
	e.buf.Write(CmdInit())
	if e.p.CancelKanji {
		e.buf.Write(CmdCancelKanji())
	}
	e.style = Style{}
	e.charset = CharsetPC437
	e.reselect(e.p.defaultCharset())
}

// reselect sends ESC t for cs (after ESC @ or an image, when the printer may
// have forgotten it).
func (e *Encoder) reselect(cs Charset) {
	if cs == "" {
		return
	}
	if n, ok := e.p.EscT(cs); ok {
		e.buf.Write(CmdCodePage(n))
		e.charset = cs
	}
}

func (e *Encoder) selectCharset(cs Charset) error {
	if cs == "" || cs == e.charset {
		return nil
	}
	n, ok := e.p.EscT(cs)
	if !ok {
		return fmt.Errorf("printer: profile %s has no code page for %s", e.p.Name, cs)
	}
	e.buf.Write(CmdCodePage(n))
	e.charset = cs
	return nil
}

// setStyle sends only the commands whose mode differs from the printer's.
func (e *Encoder) setStyle(st Style) {
	if st.Align != e.style.Align {
		e.buf.Write(CmdAlign(st.Align))
	}
	if st.Bold != e.style.Bold {
		e.buf.Write(CmdBold(st.Bold))
	}
	if st.Underline != e.style.Underline {
		e.buf.Write(CmdUnderline(st.Underline))
	}
	if st.width() != e.style.width() || st.height() != e.style.height() {
		e.buf.Write(CmdSize(st.width(), st.height()))
	}
	e.style = st
}

// Line prints one line of text in a style and ends it with LF. The text is
// encoded with the profile's Vietnamese method; if it has a character that
// the method cannot express (or the method is raster), typographic
// punctuation (dashes, curly quotes) is printed as ASCII, and if that is
// not enough the whole line is drawn with the embedded font and sent as a
// raster image instead.
func (e *Encoder) Line(text string, st Style) error {
	segs, err := EncodeText(text, e.p.Vietnamese)
	var ue *UnencodableError
	if errors.As(err, &ue) {
		// Typographic punctuation (an office name's dash) is not worth a
		// raster line, forty times the bytes: TCVN-3 has none of it.
		if plain := plainPunctuation.Replace(text); plain != text {
			segs, err = EncodeText(plain, e.p.Vietnamese)
		}
	}
	if errors.As(err, &ue) {
		return e.rasterLine(text, st)
	}
	if err != nil {
		return err
	}
	e.setStyle(st)
	for _, s := range segs {
		if err := e.selectCharset(s.Charset); err != nil {
			return err
		}
		e.buf.Write(s.Bytes)
	}
	e.buf.WriteByte(LF)
	return nil
}

// plainPunctuation turns typographic punctuation into the ASCII a
// printer's code page always has.
var plainPunctuation = strings.NewReplacer(
	"—", "-", "–", "-", "‒", "-", "−", "-",
	"“", "\"", "”", "\"", "„", "\"", "‘", "'", "’", "'",
	"…", "...", "•", "-", "\u00a0", " ",
)

func (e *Encoder) rasterLine(text string, st Style) error {
	img, err := RenderLine(text, st, e.p)
	if err != nil {
		return err
	}
	// The image carries its own alignment, size and weight; GS v 0 is
	// aligned by ESC a on most printers, so print it left-aligned at 1×.
	e.setStyle(Style{})
	e.Image(img)
	return nil
}

// Image prints a raster image (GS v 0) and re-selects the code table, which
// some clones reset after graphics.
func (e *Encoder) Image(img image.Image) {
	e.buf.Write(CmdRaster(img))
	e.reselect(e.charset)
}

// QR prints a model 2 QR code centred: natively with GS ( k when the
// profile has it, otherwise as a raster image.
func (e *Encoder) QR(data string, module int, level QRLevel) error {
	if e.p.NativeQR {
		b, err := CmdQR(data, module, level)
		if err != nil {
			return err
		}
		st := e.style
		st.Align = AlignCenter
		e.setStyle(st)
		e.buf.Write(b)
		return nil
	}
	m, err := QRModules(data, level)
	if err != nil {
		return err
	}
	side := len(m) * module
	if side > e.p.WidthDots {
		module = max(1, e.p.WidthDots/len(m))
		side = len(m) * module
	}
	img := NewPaper(e.p.WidthDots, side)
	if _, err := DrawQR(img, (e.p.WidthDots-side)/2, 0, data, module, level); err != nil {
		return err
	}
	e.setStyle(Style{})
	e.Image(img)
	return nil
}

// Blank prints an empty line (one LF, the cheapest feed).
func (e *Encoder) Blank() { e.buf.WriteByte(LF) }

// Feed prints the buffer and feeds n lines.
func (e *Encoder) Feed(n int) { e.buf.Write(CmdFeedLines(n)) }

// Cut feeds the paper to the cutter and cuts: a partial cut when asked and
// the profile's cutter can make one (the ticket stays hanging and does not
// fall), otherwise a full cut; on a printer without a cutter it feeds the
// ticket past the tear bar.
func (e *Encoder) Cut(partial bool) {
	c := e.p.Cutter
	if c == CutterPartial && !partial {
		c = CutterFull
	}
	e.buf.Write(CmdCut(c, 0))
}

// EncodeLine returns exactly the bytes that printing one left-aligned 1×
// line of text sends after initialisation (ESC @ and the default table
// selection): the ESC t selections it needs, the encoded text and LF — or,
// for a line no table can carry, the raster image and the re-selection.
func EncodeLine(p Profile, text string) ([]byte, error) {
	e := NewEncoder(p)
	e.Init()
	n := e.Len()
	if err := e.Line(text, Style{}); err != nil {
		return nil, err
	}
	return append([]byte(nil), e.Bytes()[n:]...), nil
}
