package feedbackfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/assets"
	"luot/server/feedback"
	"luot/server/feedbackfile"
	"luot/server/geo"
	"luot/server/queue"
)

// demoLoad loads the demo's wards, as the server loads the file beside
// the feedback file.
func demoLoad(name string) ([]byte, error) {
	if name == "wards.geojson" {
		return assets.DemoWards, nil
	}
	return nil, fmt.Errorf("no file %s", name)
}

func TestDemo(t *testing.T) {
	f, err := feedbackfile.Parse(assets.DemoFeedback, demoLoad)
	if err != nil {
		t.Fatal(err)
	}
	c := &f.Config
	// The categories of the seed's table, in its order, with their units
	// and deadlines.
	want := []struct {
		id         string
		unit       string
		byWard     bool
		ack, solve int
	}{
		{"xay-dung", "qldt", true, 1, 10}, {"do-thi", "qldt", true, 1, 5}, {"moi-truong", "tnmt", false, 1, 7},
		{"giao-thong", "cong-an", false, 1, 5}, {"van-hoa", "vhtt", false, 1, 10}, {"rung", "kiem-lam", false, 1, 10},
		{"thuc-pham", "y-te", false, 1, 7}, {"gia-ca", "tckh", false, 1, 7}, {"thu-tuc", "van-phong", false, 1, 5},
		{"khac", "van-phong", false, 1, 10},
	}
	if len(c.Categories) != len(want) {
		t.Fatalf("%d categories, want %d", len(c.Categories), len(want))
	}
	for i, w := range want {
		k := c.Categories[i]
		if k.ID != w.id || k.Unit != w.unit || k.ByWard != w.byWard || k.AckDays != w.ack || k.ResolveDays != w.solve || k.Name == "" || k.NameEN == "" {
			t.Errorf("category %d: %+v, want %+v", i, k, w)
		}
	}
	if k, _ := c.Category("van-hoa"); k.Name != "Văn hóa, du lịch" || k.NameEN != "Culture and tourism" {
		t.Errorf("van-hoa is named %q, %q", k.Name, k.NameEN)
	}
	wards := 0
	for _, u := range c.Units {
		if u.Kind == feedback.UnitWard {
			wards++
			if len(u.Area) == 0 || !strings.Contains(u.Name, "(mẫu)") {
				t.Errorf("ward %s: %q without its boundary or its sample label", u.ID, u.Name)
			}
		}
	}
	if len(c.Units) != 11 || wards != 3 {
		t.Errorf("%d units of which %d wards, want 8 departments and 3 wards", len(c.Units), wards)
	}
	if n := len(c.Templates); n < 4 || n > 6 {
		t.Errorf("%d templates, want 4 to 6", n)
	}
	for _, tpl := range c.Templates {
		if tpl.Text == "" || tpl.TextEN == "" {
			t.Errorf("template %s lacks a language", tpl.ID)
		}
	}
	if f.Map != (feedbackfile.Map{Center: geo.Point{Lat: 16.4637, Lon: 107.5909}, Zoom: 15}) {
		t.Errorf("map %+v", f.Map)
	}
	if c.ReopenFor() != 7*24*time.Hour || c.EraseDelay() != 365*24*time.Hour || c.Nearby() != 200 {
		t.Errorf("durations %v %v %v", c.ReopenFor(), c.EraseDelay(), c.Nearby())
	}
	if f.Wards != "wards.geojson" || string(f.WardsGeoJSON) != string(assets.DemoWards) {
		t.Errorf("wards %q", f.Wards)
	}
	// The map's centre is in Phường Đông: construction goes there, the
	// environment to its department.
	centre := feedback.Place{Point: &f.Map.Center}
	if u, w := c.Route("xay-dung", centre); u != "phuong-dong" || w != "phuong-dong" {
		t.Errorf("construction at the centre goes to %q (ward %q)", u, w)
	}
	if u, w := c.Route("moi-truong", centre); u != "tnmt" || w != "phuong-dong" {
		t.Errorf("environment at the centre goes to %q (ward %q)", u, w)
	}
	// A report made with it.
	r, _, err := feedback.Create(c, feedback.NewReport{Category: "do-thi", Description: "Lấn chiếm vỉa hè", Place: centre, Channel: feedback.ChannelWeb}, time.Date(2026, 12, 4, 10, 0, 0, 0, c.Calendar.Location))
	if err != nil || r.Unit != "phuong-dong" || r.ResolveDue.Weekday() != time.Saturday {
		t.Errorf("a report of the demo: %+v, %v (due the end of Friday a week later)", r, err)
	}
}

func TestParseRefuses(t *testing.T) {
	base := string(assets.DemoFeedback)
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("the demo has no %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	cases := []struct {
		name string
		data string
		load func(string) ([]byte, error)
		says string
	}{
		{"too large", strings.Repeat(" ", feedbackfile.MaxSize+1), demoLoad, "larger than"},
		{"empty", "", demoLoad, "empty"},
		{"only a comment", "// nothing\n", demoLoad, "empty"},
		{"unknown field", edit(`"reopen_days": 7`, `"reopen_days": 7, "colour": "red"`), demoLoad, `unknown field "colour"`},
		{"unknown field of a unit", edit(`"kind": "department"}`, `"kind": "department", "area": []}`), demoLoad, `unknown field "area"`},
		{"unknown field of the map", edit(`"zoom": 15`, `"zoom": 15, "style": "x"`), demoLoad, `unknown field "style"`},
		{"syntax error", edit(`"reopen_days": 7,`, `"reopen_days": 7,,`), demoLoad, "line " + lineOf(base, `"reopen_days": 7,`) + ":"},
		{"wrong type", edit(`"reopen_days": 7`, `"reopen_days": "7"`), demoLoad, "line " + lineOf(base, `"reopen_days": 7`) + ": reopen_days must be a number"},
		{"string not closed", "{\n\n\"units\": \"abc", demoLoad, "line 3: a string is not closed"},
		{"line break in a string", "{\n\"units\": \"ab\nc\"}", demoLoad, "line 2: a line break inside a string"},
		{"data after the object", base + "\n{}", demoLoad, "after the closing brace"},
		{"two objects on one line", "{}{}", demoLoad, "after the closing brace"},
		{"no map", edit(`"map": {"tile_url": "", "attribution": "", "center": [16.4637, 107.5909], "zoom": 15},`, ``), demoLoad, `"map" needs its "center"`},
		{"no centre", edit(`"center": [16.4637, 107.5909], `, ``), demoLoad, `"center"`},
		{"centre off the Earth", edit(`[16.4637, 107.5909]`, `[107.5909, 16.4637]`), demoLoad, "not on the Earth"},
		{"zoom 20", edit(`"zoom": 15`, `"zoom": 20`), demoLoad, "zoom 20"},
		{"tile URL of a script", edit(`"tile_url": ""`, `"tile_url": "javascript:alert(1)//{z}{x}{y}"`), demoLoad, "not a tile URL template"},
		{"tile URL without {y}", edit(`"tile_url": ""`, `"tile_url": "https://t.example.org/{z}/{x}.png"`), demoLoad, "not a tile URL template"},
		{"tile URL with a quote", edit(`"tile_url": ""`, `"tile_url": "https://t.example.org/{z}/{x}/{y}.png\" onerror=\""`), demoLoad, "not a tile URL template"},
		{"tile URL of another host by //", edit(`"tile_url": ""`, `"tile_url": "//evil.example/{z}/{x}/{y}"`), demoLoad, "not a tile URL template"},
		{"attribution of two lines", edit(`"attribution": ""`, `"attribution": "a\u2028b"`), demoLoad, "map attribution"},
		{"wards without a loader", base, nil, "no files are loaded"},
		{"wards not found", edit(`"wards": "wards.geojson"`, `"wards": "phuong.geojson"`), demoLoad, `wards "phuong.geojson": no file`},
		{"wards not GeoJSON", base, func(string) ([]byte, error) { return []byte("{"), nil }, `wards "wards.geojson"`},
		{"a ward that is no unit", edit(`{"id": "phuong-nam", "name": "Phường Nam (mẫu)", "name_en": "Nam Ward (sample)", "kind": "ward"}`, `{"id": "phuong-bac", "name": "Phường Bắc", "kind": "ward"}`), demoLoad, `feature "phuong-nam" is not a unit`},
		{"a ward that is a department", edit(`"name_en": "Nam Ward (sample)", "kind": "ward"`, `"name_en": "Nam Ward (sample)", "kind": "department"`), demoLoad, `unit "phuong-nam" is a department`},
		{"a category of an unknown unit", edit(`"unit": "tckh"`, `"unit": "tai-chinh"`), demoLoad, "not among the units"},
		{"no deadline", edit(`"unit": "tckh", "ack_days": 1`, `"unit": "tckh", "ack_days": 0`), demoLoad, "deadlines must be"},
		{"reopen days negative", edit(`"reopen_days": 7`, `"reopen_days": -7`), demoLoad, "reopen_days"},
		{"erase days huge", edit(`"erase_after_days": 365`, `"erase_after_days": 99999999999`), demoLoad, "erase_after_days"},
		{"radius too wide", edit(`"nearby_radius": 200`, `"nearby_radius": 1e9`), demoLoad, "radius"},
		{"too many categories", edit(`"categories": [`, `"categories": [`+strings.Repeat(`{"id": "x"},`, feedbackfile.MaxCategories)), demoLoad, "at most 100"},
	}
	for _, tc := range cases {
		f, err := feedbackfile.Parse([]byte(tc.data), tc.load)
		if err == nil || f != nil {
			t.Errorf("%s: parsed: %+v", tc.name, f)
			continue
		}
		if !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %q does not say %q", tc.name, err, tc.says)
		}
	}
	// The domain's refusals keep their kind and code.
	_, err := feedbackfile.Parse([]byte(edit(`"unit": "tckh"`, `"unit": "tai-chinh"`)), demoLoad)
	var e *queue.Error
	if !errors.As(err, &e) || e.Code != "invalid_feedback_config" {
		t.Errorf("a category of an unknown unit: %v, want the domain's error inside", err)
	}
}

// lineOf is the line number, as a string, where s first stands in data.
func lineOf(data, s string) string {
	return fmt.Sprint(1 + strings.Count(data[:strings.Index(data, s)], "\n"))
}

func TestParseKeepsSlashesInStrings(t *testing.T) {
	data := strings.Replace(string(assets.DemoFeedback), `"tile_url": ""`, `"tile_url": "https://tile.example.org/{z}/{x}/{y}.png"`, 1)
	data = strings.Replace(data, `"attribution": ""`, `"attribution": "© Bản đồ // mẫu"`, 1)
	f, err := feedbackfile.Parse([]byte(data), demoLoad)
	if err != nil {
		t.Fatal(err)
	}
	if f.Map.TileURL != "https://tile.example.org/{z}/{x}/{y}.png" || f.Map.Attribution != "© Bản đồ // mẫu" {
		t.Errorf("map %+v", f.Map)
	}
	local := strings.Replace(string(assets.DemoFeedback), `"tile_url": ""`, `"tile_url": "/tiles/{z}/{x}/{y}.png"`, 1)
	if _, err := feedbackfile.Parse([]byte(local), demoLoad); err != nil {
		t.Errorf("tiles of this server: %v", err)
	}
	minimal := `{"units": [{"id": "vp", "name": "Văn phòng", "kind": "department"}],
	  "categories": [{"id": "khac", "name": "Khác", "unit": "vp", "ack_days": 1, "resolve_days": 2}],
	  "map": {"center": [10.77, 106.7]}}`
	f, err = feedbackfile.Parse([]byte(minimal), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Map.Zoom != feedbackfile.DefaultZoom || f.Wards != "" || f.WardsGeoJSON != nil || f.Config.ReopenFor() != 7*24*time.Hour {
		t.Errorf("a minimal file: %+v", f)
	}
}

// FuzzParse reads any bytes as a feedback file: it never panics, and what
// it accepts is a valid configuration whose categories' units exist and
// whose map is on the Earth.
func FuzzParse(f *testing.F) {
	f.Add(assets.DemoFeedback)
	seeds, _ := filepath.Glob("testdata/*.jsonc")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := feedbackfile.Parse(data, demoLoad)
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
		for _, k := range c.Categories {
			if _, ok := c.Unit(k.Unit); !ok {
				t.Fatalf("category %s of unknown unit %s", k.ID, k.Unit)
			}
		}
		if !file.Map.Center.Valid() || file.Map.Zoom < 1 || file.Map.Zoom > 19 {
			t.Fatalf("map %+v", file.Map)
		}
	})
}
