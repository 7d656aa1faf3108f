package dossier_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"luot/server/dossier"
	"luot/server/queue"
)

// testOffice is a one-stop shop with a counter q1.
func testOffice(t *testing.T) *queue.Office {
	t.Helper()
	o := &queue.Office{
		ID: "demo", Name: "UBND thành phố — Bộ phận Tiếp nhận và Trả kết quả", NameEN: "City one-stop shop",
		Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{{ID: "xay-dung", Name: "Cấp giấy phép xây dựng", Prefix: "A", DefaultMinutes: 15, Active: true}},
		Counters: []queue.Counter{{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}}}},
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

// text is a document's lines as printed, one a line.
func text(doc queue.Document) string {
	var b strings.Builder
	for _, l := range doc.Lines {
		b.WriteString(l.Text + l.TextEN + "\n")
	}
	return b.String()
}

func TestReceipt(t *testing.T) {
	c := testConfig(t)
	o := testOffice(t)
	d := received(t, c, at(t, "2026-12-07 09:30"))
	link := "https://luot.example.vn/hs/TP-261207-0001?k=Q2hhbmdlIHRoaXMgdG9rZW4gbm93IQ"
	doc := dossier.Receipt(c, o, d, link, "Lê Thị Hoa")
	if err := doc.Validate(); err != nil {
		t.Fatalf("the receipt is not a valid document: %v", err)
	}
	s := text(doc)
	for _, want := range []string{
		"UBND thành phố", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: TP-261207-0001", link,
		"Thủ tục: Cấp giấy phép xây dựng nhà ở riêng lẻ", "Người nộp: Nguyễn Văn An", "- Đơn đề nghị cấp giấy phép", "- Bản vẽ thiết kế",
		"Lệ phí: 75.000 đ", "Hẹn trả kết quả: Thứ Hai, 28/12/2026", "Người tiếp nhận: Lê Thị Hoa, Quầy 1", "Lúc 09:30 07/12/2026",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, s)
		}
	}
	for _, l := range doc.Lines {
		if l.TextEN != "" {
			t.Errorf("line %q has English: the receipt is Vietnamese only", l.Text)
		}
	}
	// Lean: the printer's text mode spends a byte a character (more for a
	// few), a QR a few hundred; the ship lane checks the 1,200 bytes
	// through the printer's own encoder.
	if n := utf8.RuneCountInString(strings.ReplaceAll(s, link, "")); n > 600 {
		t.Errorf("the receipt has %d characters besides the link: keep it under 600", n)
	}
	if strings.Contains(s, "0912") || strings.Contains(s, "001234567890") {
		t.Errorf("the receipt shows the phone or ID number:\n%s", s)
	}

	// Without a link, no QR; a refused dossier gets the refusal slip.
	if strings.Contains(text(dossier.Receipt(c, o, d, "", "")), "QR") {
		t.Error("a QR caption without a link")
	}
	r, _, err := dossier.Create(c, dossier.NewDossier{Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Lê Cường"}, Status: dossier.StatusRefused, Reason: "Thiếu bản vẽ thiết kế"}, clerk, at(t, "2026-12-07 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	r.Code = "TP-261207-0002"
	doc = dossier.Receipt(c, o, r, link, "Lê Thị Hoa")
	s = text(doc)
	if doc.Validate() != nil || !strings.Contains(s, "PHIẾU TỪ CHỐI TIẾP NHẬN HỒ SƠ") || !strings.Contains(s, "Lý do: Thiếu bản vẽ thiết kế") || strings.Contains(s, "Hẹn trả") || strings.Contains(s, link) {
		t.Errorf("refusal slip:\n%s", s)
	}
}

func TestApologyNotice(t *testing.T) {
	c := testConfig(t)
	o := testOffice(t)
	d := received(t, c, at(t, "2026-12-07 09:30"))
	d.Status = dossier.StatusProcessing
	late := at(t, "2026-12-29 08:00")
	d, _ = step(t, c, d, dossier.Command{Action: dossier.ActApologize, Actor: manager, Note: "Hồ sơ cần thêm thời gian thẩm định.\nMong ông/bà thông cảm.", NewDue: at(t, "2027-01-05 00:00")}, late)
	doc := dossier.ApologyNotice(c, o, d, "https://luot.example.vn/hs/TP-261207-0001?k=x")
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	s := text(doc)
	for _, want := range []string{"THƯ XIN LỖI", "TP-261207-0001", "Kính gửi: Nguyễn Văn An", "Hẹn trả trước đây: Thứ Hai, 28/12/2026", "Hồ sơ cần thêm thời gian thẩm định.", "Hẹn trả mới: Thứ Ba, 05/01/2027"} {
		if !strings.Contains(s, want) {
			t.Errorf("the notice lacks %q:\n%s", want, s)
		}
	}
}

func TestDueDayAndMoney(t *testing.T) {
	if got := dossier.DueDay(hcm, at(t, "2026-12-08 00:00")); got != "Thứ Hai, 07/12/2026" {
		t.Errorf("DueDay = %q", got)
	}
	if got := dossier.DueDay(hcm, at(t, "2026-12-08 14:00")); got != "Thứ Ba, 08/12/2026" {
		t.Errorf("DueDay at 14:00 = %q", got)
	}
	if dossier.DueDay(hcm, time.Time{}) != "" {
		t.Error("DueDay of no date")
	}
	for v, want := range map[int64]string{0: "0 đ", 500: "500 đ", 75000: "75.000 đ", 1234567: "1.234.567 đ"} {
		if got := dossier.Money(v); got != want {
			t.Errorf("Money(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestReadyList(t *testing.T) {
	c := testConfig(t)
	base := at(t, "2026-12-07 08:00")
	var ds []dossier.Dossier
	for i, st := range []dossier.Status{dossier.StatusCompleted, dossier.StatusReturned, dossier.StatusCompleted, dossier.StatusProcessing, dossier.StatusCompleted} {
		ds = append(ds, dossier.Dossier{
			Code: dossier.FormatCode("TP", base, i+1), Status: st, Applicant: dossier.Applicant{Name: "Nguyễn Văn An"},
			CompletedAt: base.Add(time.Duration(i) * time.Hour),
		})
	}
	ds[2].CompletedAt = ds[4].CompletedAt // a tie: by code
	got := dossier.ReadyList(c, ds)
	want := []queue.ReadyDossier{
		{Code: "TP-261207-0003", Name: "Nguyễn V. A.", At: ds[4].CompletedAt},
		{Code: "TP-261207-0005", Name: "Nguyễn V. A.", At: ds[4].CompletedAt},
		{Code: "TP-261207-0001", Name: "Nguyễn V. A.", At: ds[0].CompletedAt},
	}
	if len(got) != len(want) {
		t.Fatalf("ready %+v", got)
	}
	for i := range want {
		if got[i].Code != want[i].Code || got[i].Name != want[i].Name || !got[i].At.Equal(want[i].At) {
			t.Errorf("ready[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	c.Board.Max = 2
	c.Board.Names = dossier.BoardNone
	got = dossier.ReadyList(c, ds)
	if len(got) != 2 || got[0].Name != "" || got[1].Code != "TP-261207-0005" {
		t.Errorf("capped, codes only: %+v", got)
	}
	c.Board.Off = true
	if got := dossier.ReadyList(c, ds); got == nil || len(got) != 0 {
		t.Errorf("panel off: %+v", got)
	}
}
