package printer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"luot/printer"
	"luot/printer/virtual"
)

// toneLines are every Vietnamese vowel with each tone, and đ: the test
// receipt's sample (queue.ToneSample).
var toneLines = []string{
	"a à á ả ã ạ ă ằ ắ ẳ ẵ ặ",
	"â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ",
	"ê ề ế ể ễ ệ i ì í ỉ ĩ ị",
	"o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ",
	"ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ",
	"ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ",
	"đ Đ Ă Â Ê Ô Ơ Ư",
	"Ấ Ầ Ẩ Ẫ Ậ Ế Ề Ể Ễ Ệ",
	"Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự",
}

// receipt is a reprinted ticket with every style of a document.
func receipt() printer.Document {
	lines := []printer.DocLine{
		{Style: printer.LineTitle, Text: "UBND Phường Bến Nghé", TextEN: "Ben Nghe Ward People's Committee"},
		{Style: printer.LineSmall, Text: "Phiếu in lại", TextEN: "Reprinted ticket", Align: "center"},
		{Style: printer.LineRule},
		{Style: printer.LineBig, Text: "A012"},
		{Style: printer.LineText, Text: "Cấp giấy phép xây dựng", TextEN: "Construction permit", Align: "center"},
		{Style: printer.LineText, Text: "Lấy số lúc 27/11/2026 08:15", TextEN: "Issued 27/11/2026 08:15", Align: "center"},
		{Style: printer.LineBlank},
		{Style: printer.LineQR, Text: "https://luot.example.vn/t/8f3a2c?token=Zk3mQ9xT2pL7"},
		{Style: printer.LineSmall, Text: "Quét mã để theo dõi lượt", TextEN: "Scan to track", Align: "center"},
		{Style: printer.LineRule},
	}
	for _, s := range toneLines {
		lines = append(lines, printer.DocLine{Style: printer.LineText, Text: s})
	}
	lines = append(lines, printer.DocLine{Style: printer.LineSmall, Text: "In lúc 27/11/2026 10:30", TextEN: "Printed 27/11/2026 10:30", Align: "right"})
	return printer.Document{Lines: lines}
}

// TestGoldenDocuments prints a receipt through the real serial code to the
// virtual printer on a pty, on every kind of profile: where the printer
// prints text, the decoded text is the oracle (every Vietnamese line comes
// back exactly: the code page is right); everywhere, the rendered paper
// is compared with its golden image.
func TestGoldenDocuments(t *testing.T) {
	cases := []struct {
		name, profile string
		method        printer.Method
		textMode      bool
	}{
		{"doc-80mm-tcvn3-epson-tm-t20iii", "epson-tm-t20iii", "", true},
		{"doc-80mm-cp1258-epson-tm-t88vi", "epson-tm-t88vi", "", true},
		{"doc-80mm-raster-generic-80", "generic-80", printer.MethodRaster, false},
		{"doc-58mm-cp1258-generic-58-qr", "generic-58-qr", "", true},
		{"doc-58mm-raster-generic-58", "generic-58", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, p := start(t, c.profile, virtual.Options{}, printer.Config{Vietnamese: c.method})
			st, err := p.PrintDocument(ctx(t), receipt())
			if err != nil || st.Err() != nil {
				t.Fatalf("print: %v (status %v)", err, st)
			}
			got, err := v.Next(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if c.textMode {
				want := []string{"UBND Phường Bến Nghé", "Ben Nghe Ward People's Committee", "Phiếu in lại", "A012", "Cấp giấy phép xây dựng",
					"Lấy số lúc 27/11/2026 08:15", "[QR module=5 level=M] https://luot.example.vn/t/8f3a2c?token=Zk3mQ9xT2pL7",
					"Quét mã để theo dõi lượt", "Scan to track", "In lúc 27/11/2026 10:30"}
				for _, s := range append(want, toneLines...) {
					if !strings.Contains(got.Text, s) {
						t.Errorf("decoded document lacks %q:\n%s", s, got.Text)
					}
				}
			}
			if !strings.Contains(got.Text, "[cut ") {
				t.Errorf("the document is not cut:\n%s", got.Text)
			}
			golden(t, c.name, got)
		})
	}
}

// TestDocumentWrapsAndFallsBack: a long line wraps to the paper's width at
// its size, a big number is as large as the paper allows, and a line
// with a character no code page has (here Chinese) becomes a raster image
// while its neighbours stay text.
func TestDocumentWrapsAndFallsBack(t *testing.T) {
	p, err := printer.LookupProfile("epson-tm-t88vi")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Giấy tờ cần mang theo ", 6)
	doc := printer.Document{Lines: []printer.DocLine{
		{Style: printer.LineText, Text: long},
		{Style: printer.LineBig, Text: "123456789012"},
		{Style: printer.LineText, Text: "Hẹn trả 中文"},
		{Style: printer.LineText, Text: "Hết"},
		{Style: "stamp", Text: "Kiểu mới"},
	}}
	data, err := printer.EncodeDocument(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	d := virtual.NewDecoder(p)
	var pages []virtual.Page
	d.OnCut = func(pg virtual.Page) { pages = append(pages, pg) }
	d.Write(data)
	if len(pages) != 1 || d.Unknown != 0 {
		t.Fatalf("%d pages, %d unknown commands", len(pages), d.Unknown)
	}
	text := virtual.RenderText(pages[0], p)
	for _, l := range strings.Split(text, "\n") {
		if n := len([]rune(strings.TrimRight(l, " "))); strings.Contains(l, "Giấy") && n > p.Columns() {
			t.Errorf("line of %d characters on %d columns: %q", n, p.Columns(), l)
		}
	}
	if got := strings.Count(text, "Giấy"); got != 6 {
		t.Errorf("wrapped text has %d of 6 phrases:\n%s", got, text)
	}
	if !strings.Contains(text, "123456789012   «3×3»") {
		t.Errorf("a 12-digit big line is not printed as large as 80 mm allows:\n%s", text)
	}
	if !strings.Contains(text, "[raster") || !strings.Contains(text, "Hết") || !strings.Contains(text, "Kiểu mới") || strings.Contains(text, "中") {
		t.Errorf("fallback per line:\n%s", text)
	}

	if _, err := printer.EncodeDocument(printer.Document{}, p); err == nil {
		t.Error("an empty document encoded")
	}
	if _, err := printer.EncodeDocument(printer.Document{Lines: []printer.DocLine{{Style: printer.LineQR, Text: strings.Repeat("x", 8000)}}}, p); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("an impossible QR: %v", err)
	}
}

// TestPrintDocumentChecksStatus: a faulty printer gets nothing but status
// queries and the typed fault; an impossible document sends nothing.
func TestPrintDocumentChecksStatus(t *testing.T) {
	v, p := start(t, "epson-tm-t20iii", virtual.Options{}, printer.Config{})
	v.SetState(virtual.State{PaperEnd: true})
	before := v.Received()
	_, err := p.PrintDocument(ctx(t), receipt())
	var fe *printer.FaultError
	if !errors.Is(err, printer.ErrPaperEnd) || !errors.As(err, &fe) || fe.Fault() != printer.FaultPaperEnd {
		t.Fatalf("paper end: %v", err)
	}
	if sent := v.Received() - before; sent%3 != 0 || sent > 12 {
		t.Errorf("%d bytes sent to a printer without paper", sent)
	}
	v.SetState(virtual.State{})
	before = v.Received()
	if _, err := p.PrintDocument(ctx(t), printer.Document{}); err == nil || v.Received() != before {
		t.Fatalf("empty document: %v, %d bytes sent", err, v.Received()-before)
	}
	if _, err := p.PrintDocument(ctx(t), receipt()); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx(t))
	defer cancel()
	if got, err := v.Next(c); err != nil || !strings.Contains(got.Text, "A012") {
		t.Fatalf("after the fault: %v", err)
	}
}
