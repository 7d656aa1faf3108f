package dossierfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/server/dossier"
	"luot/server/dossierfile"
	"luot/server/feedbackfile"
	"luot/server/officefile"
	"luot/server/queue"
)

// TestDemo: the demo catalogue is the data file's: its 11 procedures
// with their processing times, each brought by a service of the demo
// office, processed by a department of the feedback file's ids where it
// is the same; pickup by the results service.
func TestDemo(t *testing.T) {
	f, err := dossierfile.Parse(assets.DemoDossiers)
	if err != nil {
		t.Fatal(err)
	}
	office, err := officefile.Parse(assets.DemoOffice)
	if err != nil {
		t.Fatal(err)
	}
	o := &office.Office
	c, err := f.For(o)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code string
		days int
	}{
		{"XD-01", 15}, {"XD-02", 10}, {"KD-01", 3}, {"KD-02", 3}, {"CT-01", 0}, {"CT-02", 0},
		{"HT-01", 0}, {"HT-02", 0}, {"HT-03", 0}, {"DD-01", 10}, {"LD-01", 7},
	}
	if len(c.Procedures) != len(want) {
		t.Fatalf("%d procedures, want %d", len(c.Procedures), len(want))
	}
	for i, w := range want {
		p := c.Procedures[i]
		if p.Code != w.code || p.Days != w.days || p.Name == "" || p.NameEN == "" || len(p.Papers) < 2 {
			t.Errorf("procedure %d: %+v, want %s of %d days with its papers", i, p, w.code, w.days)
		}
		if o.Service(p.Service) == nil {
			t.Errorf("procedure %s is brought by service %q, which the demo office lacks", p.Code, p.Service)
		}
		required := 0
		for _, pp := range p.Papers {
			if pp.NameEN == "" {
				t.Errorf("%s: paper %s has no English name", p.Code, pp.ID)
			}
			if !pp.Optional {
				required++
			}
		}
		if required == 0 {
			t.Errorf("%s: no required paper", p.Code)
		}
	}
	if c.Prefix != "TP" || c.CutOff != "15:00" || c.PickupService != "tra-ket-qua" || o.Service(c.PickupService) == nil || o.Service(c.PickupService).Prefix != "R" {
		t.Errorf("prefix %q, cut-off %q, pickup %q", c.Prefix, c.CutOff, c.PickupService)
	}
	if c.Board.Names != dossier.BoardMasked || c.Board.Max != 20 || !*c.SupplementStops || !*c.PaymentStops {
		t.Errorf("board %+v", c.Board)
	}
	if c.Office != o.ID || c.Calendar.Location.String() != "Asia/Ho_Chi_Minh" || len(c.Calendar.Holidays) < 20 {
		t.Errorf("calendar %+v of office %q", c.Calendar, c.Office)
	}
	// The departments: the feedback file's where the same, and two more.
	fb, err := feedbackfile.Parse(assets.DemoFeedback, func(string) ([]byte, error) { return assets.DemoWards, nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"qldt", "tnmt", "tckh"} {
		d, ok := c.Department(id)
		u, _ := fb.Config.Unit(id)
		if !ok || d.Name != u.Name || d.NameEN != u.NameEN {
			t.Errorf("department %s: %+v, the feedback unit %+v", id, d, u)
		}
	}
	for _, id := range []string{"tu-phap", "ldtbxh"} {
		if _, ok := c.Department(id); !ok {
			t.Errorf("no department %s", id)
		}
	}
	if got := c.ProceduresFor("ho-tich"); len(got) != 3 {
		t.Errorf("civil status proposes %d procedures", len(got))
	}
	// A permit received the day before Tết 2027 waits for it to pass.
	permit, _ := c.Procedure("XD-01")
	loc := c.Calendar.Location
	if due := c.Due(permit, time.Date(2027, 2, 3, 9, 0, 0, 0, loc)); due.Format("2006-01-02 15:04") != "2027-03-06 00:00" {
		t.Errorf("a permit received before Tết is due %v", due)
	}
	// For copies: the file's configuration stays as it was.
	c.Procedures[0].Papers[0].Name = "x"
	if f.Config.Procedures[0].Papers[0].Name == "x" || f.Config.Office != "" || f.Config.Calendar.Holidays != nil {
		t.Error("For shares the file's configuration")
	}
}

func TestParseRefuses(t *testing.T) {
	base := string(assets.DemoDossiers)
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("the demo has no %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	cases := []struct {
		name string
		data string
		says string
	}{
		{"too large", strings.Repeat(" ", dossierfile.MaxSize+1), "larger than"},
		{"empty", "", "empty"},
		{"only a comment", "// nothing\n", "empty"},
		{"unknown field", edit(`"prefix": "TP",`, `"prefix": "TP", "colour": "red",`), `unknown field "colour"`},
		{"unknown field of a procedure", edit(`"days": 15,`, `"days": 15, "hours": 3,`), `unknown field "hours"`},
		{"unknown field of a paper", edit(`"optional": true}`, `"optional": true, "copies": 2}`), `unknown field "copies"`},
		{"syntax error", edit(`"prefix": "TP",`, `"prefix": "TP",,`), "line " + lineOf(base, `"prefix": "TP",`) + ":"},
		{"wrong type", edit(`"days": 15`, `"days": "15"`), "line " + lineOf(base, `"days": 15`) + ": procedures.days must be a number"},
		{"a fee with decimals", edit(`"fee": 75000`, `"fee": 75000.5`), "must be a number"},
		{"string not closed", "{\n\n\"prefix\": \"abc", "line 3: a string is not closed"},
		{"data after the object", base + "\n{}", "after the closing brace"},
		{"a prefix in lower case", edit(`"prefix": "TP"`, `"prefix": "tp"`), "prefix"},
		{"a procedure of an unknown department", edit(`"department": "ldtbxh"`, `"department": "lao-dong"`), "not among the departments"},
		{"a procedure twice", edit(`"code": "XD-02"`, `"code": "XD-01"`), "appears twice"},
		{"a holiday that is no date", edit(`"2026-01-01"`, `"1/1/2026"`), "not a date"},
		{"a cut-off of 3 pm", edit(`"cut_off": "15:00"`, `"cut_off": "3 pm"`), "cut-off"},
		{"board names full", edit(`"names": "masked"`, `"names": "full"`), "board's names"},
		{"pickup priority vip", edit(`"priority": ""`, `"priority": "vip"`), "pickup priority"},
		{"too many fields", edit(`"fields": [`, `"fields": [`+strings.Repeat(`{"id": "x"},`, dossierfile.MaxFields)), "at most 200"},
	}
	for _, tc := range cases {
		f, err := dossierfile.Parse([]byte(tc.data))
		if err == nil || f != nil {
			t.Errorf("%s: parsed: %+v", tc.name, f)
			continue
		}
		if !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %q does not say %q", tc.name, err, tc.says)
		}
	}
	// The domain's refusals keep their kind and code.
	_, err := dossierfile.Parse([]byte(edit(`"department": "ldtbxh"`, `"department": "lao-dong"`)))
	var e *queue.Error
	if !errors.As(err, &e) || e.Code != "invalid_dossier_config" {
		t.Errorf("an unknown department: %v, want the domain's error inside", err)
	}
}

func TestMinimal(t *testing.T) {
	data, err := os.ReadFile("testdata/minimal.jsonc")
	if err != nil {
		t.Fatal(err)
	}
	f, err := dossierfile.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Config
	if c.Prefix != "HS" || c.CutOff != dossier.DefaultCutOff || c.Board.Max != dossier.DefaultBoardMax || c.PickupService != "" || f.Holidays != nil {
		t.Errorf("a minimal file: %+v", c)
	}
}

// lineOf is the line number, as a string, where s first stands in data.
func lineOf(data, s string) string {
	return fmt.Sprint(1 + strings.Count(data[:strings.Index(data, s)], "\n"))
}

// FuzzParse reads any bytes as a dossier file: it never panics, and what
// it accepts is a valid configuration whose procedures' fields and
// departments exist.
func FuzzParse(f *testing.F) {
	f.Add(assets.DemoDossiers)
	seeds, _ := filepath.Glob("testdata/*.jsonc")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := dossierfile.Parse(data)
		if err != nil {
			if file != nil {
				t.Fatal("an error and a file")
			}
			return
		}
		c := file.Config
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted, yet not valid: %v", err)
		}
		for _, p := range c.Procedures {
			if _, ok := c.Field(p.Field); !ok {
				t.Fatalf("procedure %s of unknown field %s", p.Code, p.Field)
			}
			if _, ok := c.Department(p.Department); !ok {
				t.Fatalf("procedure %s of unknown department %s", p.Code, p.Department)
			}
		}
	})
}
