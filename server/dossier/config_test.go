package dossier_test

import (
	"strings"
	"testing"
	"time"

	"luot/server/dossier"
	"luot/server/queue"
)

func TestValidateDefaults(t *testing.T) {
	c := &dossier.Config{
		Prefix:      "TP",
		Fields:      []dossier.Field{{ID: "ho-tich", Name: "Hộ tịch"}},
		Departments: []dossier.Department{{ID: "tu-phap", Name: "Phòng Tư pháp"}},
		Procedures:  []dossier.Procedure{{Code: "HT-01", Name: "Đăng ký khai sinh", Field: "ho-tich", Service: "ho-tich", Department: "tu-phap"}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.CutOff != "15:00" || c.Board.Max != 20 || c.Board.Names != dossier.BoardMasked || c.SupplementStops == nil || !*c.SupplementStops ||
		c.PaymentStops == nil || !*c.PaymentStops || c.Calendar.Location == nil || c.Calendar.Location.String() != queue.DefaultTimezone {
		t.Errorf("defaults: %+v", c)
	}
	if got := c.ProceduresFor("ho-tich"); len(got) != 1 || got[0].Code != "HT-01" {
		t.Errorf("ProceduresFor(ho-tich) = %+v", got)
	}
	if got := c.ProceduresFor("xay-dung"); got == nil || len(got) != 0 {
		t.Errorf("ProceduresFor(xay-dung) = %+v", got)
	}
	if _, ok := c.Field("ho-tich"); !ok {
		t.Error("Field(ho-tich)")
	}
	if _, ok := c.Department("qldt"); ok {
		t.Error("Department(qldt)")
	}
}

func TestValidateRefusals(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*dossier.Config)
		code string
	}{
		{"office id upper case", func(c *dossier.Config) { c.Office = "Demo" }, "invalid_office"},
		{"no prefix", func(c *dossier.Config) { c.Prefix = "" }, "invalid_dossier_config"},
		{"prefix lower case", func(c *dossier.Config) { c.Prefix = "tp" }, "invalid_dossier_config"},
		{"prefix with a dash", func(c *dossier.Config) { c.Prefix = "T-P" }, "invalid_dossier_config"},
		{"prefix too long", func(c *dossier.Config) { c.Prefix = "ABCDEFGHIJK" }, "invalid_dossier_config"},
		{"no procedures", func(c *dossier.Config) { c.Procedures = nil }, "invalid_dossier_config"},
		{"no fields", func(c *dossier.Config) { c.Fields = nil }, "invalid_dossier_config"},
		{"field id", func(c *dossier.Config) { c.Fields[0].ID = "Xây dựng" }, "invalid_dossier_config"},
		{"field twice", func(c *dossier.Config) { c.Fields[1].ID = c.Fields[0].ID }, "invalid_dossier_config"},
		{"department without a name", func(c *dossier.Config) { c.Departments[0].Name = "" }, "invalid_name"},
		{"department twice", func(c *dossier.Config) { c.Departments[1].ID = c.Departments[0].ID }, "invalid_dossier_config"},
		{"procedure code", func(c *dossier.Config) { c.Procedures[0].Code = "xd 01" }, "invalid_dossier_config"},
		{"procedure twice", func(c *dossier.Config) { c.Procedures[1].Code = c.Procedures[0].Code }, "invalid_dossier_config"},
		{"procedure without a name", func(c *dossier.Config) { c.Procedures[0].Name = " " }, "invalid_name"},
		{"procedure of an unknown field", func(c *dossier.Config) { c.Procedures[0].Field = "dat-dai" }, "invalid_dossier_config"},
		{"procedure of an unknown department", func(c *dossier.Config) { c.Procedures[0].Department = "cong-an" }, "invalid_dossier_config"},
		{"procedure without a service", func(c *dossier.Config) { c.Procedures[0].Service = "" }, "invalid_dossier_config"},
		{"negative days", func(c *dossier.Config) { c.Procedures[0].Days = -1 }, "invalid_dossier_config"},
		{"a year and more", func(c *dossier.Config) { c.Procedures[0].Days = 366 }, "invalid_dossier_config"},
		{"procedure cut-off 25:00", func(c *dossier.Config) { c.Procedures[1].CutOff = "25:00" }, "invalid_dossier_config"},
		{"cut-off 3pm", func(c *dossier.Config) { c.CutOff = "3pm" }, "invalid_dossier_config"},
		{"negative fee", func(c *dossier.Config) { c.Procedures[0].Fee = -1 }, "invalid_dossier_config"},
		{"paper id", func(c *dossier.Config) { c.Procedures[0].Papers[0].ID = "Đơn" }, "invalid_dossier_config"},
		{"paper twice", func(c *dossier.Config) { c.Procedures[0].Papers[1].ID = c.Procedures[0].Papers[0].ID }, "invalid_dossier_config"},
		{"paper without a name", func(c *dossier.Config) { c.Procedures[0].Papers[0].Name = "" }, "invalid_name"},
		{"too many papers", func(c *dossier.Config) {
			c.Procedures[0].Papers = make([]dossier.Paper, dossier.MaxPapers+1)
		}, "invalid_dossier_config"},
		{"pickup service", func(c *dossier.Config) { c.PickupService = "R" }, "invalid_dossier_config"},
		{"pickup priority", func(c *dossier.Config) { c.PickupPriority = "vip" }, "invalid_dossier_config"},
		{"board names", func(c *dossier.Config) { c.Board.Names = "full" }, "invalid_dossier_config"},
		{"board of 101", func(c *dossier.Config) { c.Board.Max = 101 }, "invalid_dossier_config"},
		{"board negative", func(c *dossier.Config) { c.Board.Max = -1 }, "invalid_dossier_config"},
		{"a holiday that is no date", func(c *dossier.Config) { c.Calendar.Holidays = []string{"30/4"} }, "invalid_holiday"},
		{"every day a weekend", func(c *dossier.Config) { c.Calendar.Weekend = []time.Weekday{0, 1, 2, 3, 4, 5, 6} }, "invalid_calendar"},
	}
	for _, k := range cases {
		c := testConfig(t)
		k.mod(c)
		err := c.Validate()
		var code string
		if e, ok := err.(*queue.Error); ok {
			code = e.Code
		}
		if code != k.code {
			t.Errorf("%s: %v, want %s", k.name, err, k.code)
		}
		if err != nil && strings.Contains(err.Error(), "{") {
			t.Errorf("%s: %q leaves a parameter unfilled", k.name, err)
		}
	}
}
