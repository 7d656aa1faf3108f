package virtual

import (
	"bytes"
	"reflect"
	"testing"

	"luot/printer"
)

func profile(t testing.TB, name string) printer.Profile {
	p, err := printer.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeAll(p printer.Profile, chunks ...[]byte) (pages []Page, status []byte, d *Decoder) {
	d = NewDecoder(p)
	d.OnCut = func(pg Page) { pages = append(pages, pg) }
	d.OnStatus = func(n byte) { status = append(status, n) }
	for _, c := range chunks {
		d.Write(c)
	}
	return pages, status, d
}

func TestDecodeStylesAndTables(t *testing.T) {
	p := profile(t, "epson-tm-t20iii")
	e := printer.NewEncoder(p)
	e.Init()
	e.Line("Đến Bến Nghé", printer.Style{Align: printer.AlignCenter, Bold: true, Width: 2, Height: 3})
	e.Line("lượt", printer.Style{Underline: true})
	if err := e.QR("https://x.example/t/1", 4, printer.QRLevelQ); err != nil {
		t.Fatal(err)
	}
	e.Cut(false)
	stream := append([]byte{0x10, 0x04, 0x02}, e.Bytes()...)
	pages, status, d := decodeAll(p, stream)
	if len(pages) != 1 || !bytes.Equal(status, []byte{2}) || d.Unknown != 0 {
		t.Fatalf("pages %d status %v unknown %d", len(pages), status, d.Unknown)
	}
	b := pages[0].Blocks
	l1, ok1 := b[0].(*TextLine)
	l2, ok2 := b[1].(*TextLine)
	qr, ok3 := b[2].(*QR)
	if !ok1 || !ok2 || !ok3 || len(b) != 3 || pages[0].Partial {
		t.Fatalf("blocks %#v", b)
	}
	if l1.Text() != "Đến Bến Nghé" || l1.Align != printer.AlignCenter || !l1.Runs[0].Bold || l1.Runs[0].W != 2 || l1.Runs[0].H != 3 {
		t.Errorf("line 1 %+v", l1)
	}
	if l2.Text() != "lượt" || !l2.Runs[0].Underline || l2.Runs[0].Bold || l2.Runs[0].W != 1 {
		t.Errorf("line 2 %+v", l2)
	}
	if qr.Data != "https://x.example/t/1" || qr.Module != 4 || qr.Level != printer.QRLevelQ {
		t.Errorf("qr %+v", qr)
	}
}

func TestDecodeRasterLine(t *testing.T) {
	p := profile(t, "generic-58")
	e := printer.NewEncoder(p)
	e.Init()
	e.Line("Đến lượt", printer.Style{})
	e.Cut(true)
	pages, _, _ := decodeAll(p, e.Bytes())
	r, ok := pages[0].Blocks[0].(*Raster)
	if !ok || r.Image.Bounds().Dx() != 384 || r.Image.Bounds().Dy() != 24 {
		t.Fatalf("%#v", pages[0].Blocks)
	}
	want, _ := printer.RenderLine("Đến lượt", printer.Style{}, p)
	if !bytes.Equal(r.Image.Pix, want.Pix) {
		t.Error("decoded raster differs from the rendered line")
	}
}

// Splitting the stream anywhere must not change what is decoded.
func TestDecodeSplitAnywhere(t *testing.T) {
	p := profile(t, "generic-80")
	e := printer.NewEncoder(p)
	e.Init()
	e.Line("Cấp giấy phép xây dựng", printer.Style{Width: 2, Height: 2})
	e.Line("→ ảnh", printer.Style{})
	_ = e.QR("https://luot.example.vn/t/1?token=abc", 5, printer.QRLevelM)
	e.Cut(true)
	stream := e.Bytes()
	whole, _, _ := decodeAll(p, stream)
	for i := 1; i < len(stream); i += 7 {
		split, _, _ := decodeAll(p, stream[:i], stream[i:])
		if !reflect.DeepEqual(whole, split) {
			t.Fatalf("split at %d changes the result", i)
		}
	}
}

// The NUL-ended commands (ESC D, GS k function A) must not depend on how
// much of the stream is buffered when they arrive: CI's fuzzer once found an
// ESC D without its NUL that decoded differently when split.
func TestDecodeNULEndedSplitAnywhere(t *testing.T) {
	p := profile(t, "generic-80")
	var streams [][]byte
	for _, head := range [][]byte{{0x1B, 'D'}, {0x1D, 'k', 4}} {
		for _, body := range []int{3, 32, 33, 60, 254, 255, 256, 400} {
			s := append([]byte("ab"), head...)
			for i := range body {
				s = append(s, byte('A'+i%26))
			}
			streams = append(streams, append(s, 0, 'z', '\n'))
		}
	}
	for _, s := range streams {
		whole, _, d := decodeAll(p, s)
		for i := 1; i < len(s); i++ {
			split, _, ds := decodeAll(p, s[:i], s[i:])
			if !reflect.DeepEqual(whole, split) || d.Unknown != ds.Unknown || !reflect.DeepEqual(d.Pending(), ds.Pending()) {
				t.Fatalf("%q: split at %d changes the result", s, i)
			}
		}
	}
	// A short ESC D is a command: nothing of it is printed.
	_, _, d := decodeAll(p, []byte{0x1B, 'D', 8, 16, 0, 'x', '\n'})
	if got := d.Pending().Blocks[0].(*TextLine).Text(); got != "x" || d.Unknown != 0 {
		t.Errorf("ESC D 8 16 NUL x: printed %q, unknown %d", got, d.Unknown)
	}
}

func FuzzDecoder(f *testing.F) {
	p := profile(f, "generic-80")
	e := printer.NewEncoder(p)
	e.Init()
	e.Line("Cấp giấy phép", printer.Style{Bold: true, Width: 8, Height: 8})
	_ = e.QR("https://luot.example.vn/t/1", 5, printer.QRLevelM)
	e.Line("→", printer.Style{})
	e.Cut(true)
	f.Add(e.Bytes(), uint16(5))
	f.Add([]byte{0x1D, 'v', '0', 0, 0xFF, 0xFF, 0xFF, 0xFF}, uint16(3))
	f.Add([]byte{0x1D, '(', 'k', 0xFF, 0xFF, 49, 80}, uint16(1))
	f.Add([]byte{0x1B, 'D', 1, 2, 3, 0x10, 0x04, 0x01, 0x1D, 'V', 65}, uint16(2))
	f.Add(append(append([]byte{0x1B, 'D'}, bytes.Repeat([]byte{9}, 40)...), 0, 'x'), uint16(20))
	f.Add(append(bytes.Repeat([]byte{0x1B, 'd', 255}, 50), 'x'), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		whole, st1, _ := decodeAll(p, data)
		i := int(split) % (len(data) + 1)
		parts, st2, d := decodeAll(p, data[:i], data[i:])
		if !reflect.DeepEqual(whole, parts) || !bytes.Equal(st1, st2) {
			t.Fatalf("splitting at %d changed the decoding", i)
		}
		pg := d.Pending()
		for _, page := range append(parts, pg) {
			if _, err := RenderPNG(page, p); err != nil {
				t.Fatal(err)
			}
			_ = RenderText(page, p)
		}
	})
}

func TestStateReplies(t *testing.T) {
	cases := []struct {
		s    State
		n    byte
		want byte
	}{
		{State{}, 1, 0x12}, {State{}, 4, 0x12},
		{State{PaperEnd: true}, 1, 0x1A}, {State{PaperEnd: true}, 2, 0x32}, {State{PaperEnd: true}, 4, 0x7E},
		{State{PaperNearEnd: true}, 4, 0x1E}, {State{CoverOpen: true}, 2, 0x16},
		{State{CutterError: true}, 2, 0x52}, {State{CutterError: true}, 3, 0x1A},
	}
	for _, c := range cases {
		if b, ok := c.s.Reply(c.n); !ok || b != c.want || !printer.IsStatusReply(b) {
			t.Errorf("%+v n=%d: %02X want %02X", c.s, c.n, b, c.want)
		}
	}
	if _, ok := (State{NoAnswer: true}).Reply(1); ok {
		t.Error("no-answer state answered")
	}
}
