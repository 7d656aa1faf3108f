package dossier_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the office's zone, whatever the machine has

	"luot/internal/browsertest"
	"luot/server/dossier"
	"luot/server/msgtext"
	"luot/server/queue"
	"luot/server/workday"
)

// hcm is the demo office's zone.
var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// tet are the office's days off for Tết Nguyên đán 2027 (Saturday 6
// February): Thursday 4 to Friday 12 February.
var tet = []string{"2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"}

// at is a local time of the office, "2006-01-02 15:04".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, hcm)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// local writes an instant in the office's zone.
func local(v time.Time) string { return v.In(hcm).Format("2006-01-02 15:04") }

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// testConfig is a small catalogue: a permit of 15 working days, a
// same-day certification, a same-day procedure with its own cut-off, a
// procedure whose clock runs on through supplements and payment, two
// departments; holidays of 2 September and Tết 2027.
func testConfig(t *testing.T) *dossier.Config {
	t.Helper()
	c := &dossier.Config{
		Office: "demo",
		Prefix: "TP",
		Fields: []dossier.Field{{ID: "xay-dung", Name: "Xây dựng"}, {ID: "chung-thuc", Name: "Chứng thực"}},
		Departments: []dossier.Department{
			{ID: "qldt", Name: "Phòng Quản lý đô thị", NameEN: "Urban management"},
			{ID: "tu-phap", Name: "Phòng Tư pháp", NameEN: "Justice"},
		},
		Procedures: []dossier.Procedure{
			{Code: "XD-01", Name: "Cấp giấy phép xây dựng nhà ở riêng lẻ", Field: "xay-dung", Service: "xay-dung", Department: "qldt", Days: 15, Fee: 75000,
				Papers: []dossier.Paper{{ID: "don", Name: "Đơn đề nghị cấp giấy phép"}, {ID: "ban-ve", Name: "Bản vẽ thiết kế"}, {ID: "uy-quyen", Name: "Giấy ủy quyền", Optional: true}}},
			{Code: "CT-01", Name: "Chứng thực bản sao từ bản chính", Field: "chung-thuc", Service: "chung-thuc", Department: "tu-phap", Days: 0,
				Papers: []dossier.Paper{{ID: "ban-chinh", Name: "Bản chính giấy tờ"}}},
			{Code: "CT-02", Name: "Chứng thực chữ ký", Field: "chung-thuc", Service: "chung-thuc", Department: "tu-phap", Days: 0, CutOff: "11:00"},
			{Code: "XD-02", Name: "Điều chỉnh giấy phép xây dựng", Field: "xay-dung", Service: "xay-dung", Department: "qldt", Days: 10,
				SupplementStops: no(), PaymentStops: no()},
		},
		Calendar:      workday.Calendar{Location: hcm, Holidays: append([]string{"2026-09-02", "2026-09-01"}, tet...)},
		PickupService: "tra-ket-qua",
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// wantCode checks that err is a *queue.Error of that kind and code.
func wantCode(t *testing.T, name string, err error, kind queue.Kind, code string) {
	t.Helper()
	var e *queue.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v, want %s %s", name, err, kind, code)
		return
	}
	if e.Kind != kind || e.Code != code {
		t.Errorf("%s: error %s %s (%s), want %s %s", name, e.Kind, e.Code, e.Message, kind, code)
	}
	checkSaid(t, name, e)
}

// checkSaid checks that a domain error says itself in Vietnamese and in
// English, all filled, with no word of the other language (codes, ids
// and quoted values are none).
func checkSaid(t *testing.T, what string, e *queue.Error) {
	t.Helper()
	for _, lang := range []string{"vi", "en"} {
		said := msgtext.Say(lang, e.Template, e.Args, "")
		if said == "" || strings.Contains(said, "{") {
			t.Errorf("%s in %s: %q (template %q) is missing or unfilled", what, lang, said, e.Template)
			continue
		}
		text := said
		for k, v := range e.Args {
			if strings.HasPrefix(v, `"`) || k == "code" || k == "department" || k == "procedure" || k == "prefix" || k == "date" || k == "papers" || k == "paper" {
				text = strings.ReplaceAll(text, v, "")
			}
		}
		text = strings.NewReplacer("TP-261203-0001", "", "********7890", "", "needs_supplement", "", "awaiting_payment", "").Replace(text)
		if w := browsertest.OtherLanguage(text, lang); len(w) > 0 {
			t.Errorf("%s in %s: %q has words of the other language: %q", what, lang, said, w)
		}
	}
}

var (
	clerk     = dossier.Actor{Role: dossier.RoleClerk, ID: "s1", Name: "Lê Thị Hoa"}
	handler   = dossier.Actor{Role: dossier.RoleHandler, ID: "s2", Name: "Trần Minh", Unit: "qldt"}
	other     = dossier.Actor{Role: dossier.RoleHandler, ID: "s3", Name: "Phạm Lan", Unit: "tu-phap"}
	manager   = dossier.Actor{Role: dossier.RoleManager, ID: "s4", Name: "Quản trị"}
	system    = dossier.Actor{Role: dossier.RoleIntegration, Name: "Cổng dịch vụ công tỉnh"}
	kiosk     = dossier.Actor{Role: dossier.RoleKiosk, ID: "k1"}
	applicant = dossier.Actor{Role: dossier.RoleApplicant}
)

// received is a permit received by the clerk at when, with its papers.
func received(t *testing.T, c *dossier.Config, when time.Time) dossier.Dossier {
	t.Helper()
	d, _, err := dossier.Create(c, dossier.NewDossier{
		Procedure: "XD-01", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0912 345 678"},
		IDNumber: "001234567890", Papers: []string{"don", "ban-ve"}, Ticket: "t1", TicketNumber: "A012", Counter: "q1",
	}, clerk, when)
	if err != nil {
		t.Fatal(err)
	}
	d.Code = "TP-261207-0001"
	return d
}

// step decides and applies a command, failing the test on a refusal.
func step(t *testing.T, c *dossier.Config, d dossier.Dossier, cmd dossier.Command, now time.Time) (dossier.Dossier, dossier.Event) {
	t.Helper()
	e, err := dossier.Decide(c, d, cmd, now)
	if err != nil {
		t.Fatalf("%s by %s at %s: %v", cmd.Action, cmd.Actor.Role, local(now), err)
	}
	return dossier.Apply(d, e), e
}
