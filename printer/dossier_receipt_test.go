package printer_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/printer"
	"luot/printer/virtual"
	"luot/server/dossier"
	"luot/server/dossierfile"
	"luot/server/officefile"
	"luot/server/queue"
)

// demoDossiers is the demo's catalogue (assets/demo/dossiers.jsonc) for
// the demo office (assets/demo/office.jsonc).
func demoDossiers(t *testing.T) (*dossier.Config, *queue.Office) {
	t.Helper()
	f, err := officefile.Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	office := &f.Office
	if err := office.Validate(); err != nil {
		t.Fatal(err)
	}
	df, err := dossierfile.Parse(assets.DemoDossiers)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := df.For(office)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, office
}

func hcm() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}

// receiptDossier is a dossier of procedure p received at counter 1 on a
// Thursday afternoon, with every paper of its checklist, a paper in words
// and a long name: as long a receipt as p gives.
func receiptDossier(cfg *dossier.Config, p dossier.Procedure) dossier.Dossier {
	received := time.Date(2026, 12, 3, 14, 20, 0, 0, hcm())
	d := dossier.Dossier{
		Code: "TP-261203-0042", Office: "demo", Procedure: p.Code, Field: p.Field, Department: p.Department,
		Channel:   dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Nguyễn Thị Phương Thảo Nguyên", Phone: "0912345678", IDMasked: "********7890", Address: "Số 125, đường Nguyễn Trãi, phường Bến Thành"},
		Extra:     []string{"Bản sao hợp đồng thi công"},
		Fee:       p.Fee, Status: dossier.StatusProcessing, Ticket: "t1", TicketNumber: "A012", Counter: "q1", ReceivedBy: "nv1",
		ReceivedAt: received, Version: 2,
	}
	for _, pp := range p.Papers {
		d.Papers = append(d.Papers, pp.ID)
	}
	d.DueAt = cfg.Due(p, received)
	d.OriginalDue = d.DueAt
	return d
}

// sizeMark is the decoded text's mark of a line's character size.
var sizeMark = regexp.MustCompile(`«\d×\d»`)

// receiptLink is the receipt's QR: the applicant's page with a 128-bit
// token, at a public address of ordinary length.
const receiptLink = "https://motcua.thanhpho.gov.vn/hs/TP-261203-0042?k=Qm9uIGNoYW5jZSBsYSBwYXRpZW5jZQ"

// toPrinter is what the counter station does with a print job's
// document (display/stationdev: client.Document to printer.Document).
func toPrinter(d queue.Document) printer.Document {
	out := printer.Document{Lines: make([]printer.DocLine, len(d.Lines))}
	for i, l := range d.Lines {
		out.Lines[i] = printer.DocLine{Style: l.Style, Text: l.Text, TextEN: l.TextEN, Align: l.Align}
	}
	return out
}

// TestDossierReceipt prints the dossier receipt (dossier.Receipt) as the
// counter station does: on every 80 mm profile that prints Vietnamese as
// text it is at most 1,200 bytes (a slow serial printer prints it in
// about a second), and printed through the real serial code to the
// virtual printer it reads back in Vietnamese with the office, the code
// (and its QR), the procedure, the applicant, the papers, the due date
// and the clerk. The rendered paper is written to LUOT_SCREENSHOT_DIR
// (dossier-receipt.png) when that is set.
func TestDossierReceipt(t *testing.T) {
	cfg, office := demoDossiers(t)
	// The longest receipt of the demo's catalogue is the one checked.
	var doc queue.Document
	var d dossier.Dossier
	var p dossier.Procedure
	longest := 0
	for _, proc := range cfg.Procedures {
		dd := receiptDossier(cfg, proc)
		r := dossier.Receipt(cfg, office, dd, receiptLink, "Nguyễn Văn An")
		n := 0
		for _, l := range r.Lines {
			n += len(l.Text)
		}
		if n > longest {
			longest, doc, d, p = n, r, dd, proc
		}
	}
	t.Logf("the longest receipt: %s, %d papers", p.Code, len(p.Papers))
	if len(doc.Lines) == 0 {
		t.Fatal("the receipt has no lines")
	}
	for _, l := range doc.Lines {
		if l.TextEN != "" {
			t.Errorf("the receipt is in Vietnamese only; a line has English %q", l.TextEN)
		}
	}
	// Due at the end (24:00) of its last working day: that day's date.
	due := d.DueAt.Add(-time.Nanosecond).In(hcm()).Format("02/01/2006")
	want := []string{"UBND thành phố - Bộ phận Tiếp nhận và Trả kết quả", "TP-261203-0042", "Hẹn trả kết quả", "14:20 03/12/2026",
		p.Name, "Nguyễn Thị Phương Thảo Nguyên", p.Papers[0].Name, "Bản sao hợp đồng thi công", due, "Nguyễn Văn An", "[QR module="}

	for _, profile := range []string{"epson-tm-t20iii", "epson-tm-t88vi", "generic-80"} {
		t.Run(profile, func(t *testing.T) {
			p, err := printer.LookupProfile(profile)
			if err != nil {
				t.Fatal(err)
			}
			data, err := printer.EncodeDocument(toPrinter(doc), p)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes", profile, len(data))
			if len(data) > 1200 {
				t.Errorf("the receipt is %d bytes on %s in text mode, more than 1,200", len(data), profile)
			}
			if bytes.Contains(data, []byte{0x1d, 'v', '0'}) {
				t.Errorf("the receipt on %s has a raster image: a line was not printed as text", profile)
			}

			v, pr := start(t, profile, virtual.Options{}, printer.Config{})
			st, err := pr.PrintDocument(ctx(t), toPrinter(doc))
			if err != nil || st.Err() != nil {
				t.Fatalf("print: %v (status %v)", err, st)
			}
			got, err := v.Next(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			// Long lines wrap: compare with the decoded lines joined; the
			// office's dash is ASCII on a code page without one (TCVN-3).
			text := strings.Join(strings.Fields(sizeMark.ReplaceAllString(got.Text, "")), " ")
			text = strings.ReplaceAll(text, "—", "-")
			for _, s := range want {
				if !strings.Contains(text, s) {
					t.Errorf("the printed receipt lacks %q:\n%s", s, got.Text)
				}
			}
			if !strings.Contains(got.Text, receiptLink) {
				t.Errorf("the receipt's QR is not the applicant's link %s:\n%s", receiptLink, got.Text)
			}
			if got.Image == nil || got.Image.Bounds().Dy() < 400 {
				t.Fatalf("no paper rendered (%v)", got.Image)
			}
			if dir := os.Getenv("LUOT_SCREENSHOT_DIR"); dir != "" && profile == "epson-tm-t88vi" {
				var buf bytes.Buffer
				if err := png.Encode(&buf, got.Image); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "dossier-receipt.png"), buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
