package feedback_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"luot/internal/browsertest"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/msgtext"
	"luot/server/queue"
)

// hcm is the demo office's zone.
var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testConfig is a small city: two departments and a ward, two
// categories, a template, and the office's calendar.
func testConfig(t *testing.T) *feedback.Config {
	t.Helper()
	c := &feedback.Config{
		Office: "demo",
		Categories: []feedback.Category{
			{ID: "xay-dung", Name: "Trật tự xây dựng", NameEN: "Construction order", Unit: "qldt", ByWard: true, AckDays: 1, ResolveDays: 10},
			{ID: "moi-truong", Name: "Môi trường", NameEN: "Environment", Unit: "tnmt", AckDays: 1, ResolveDays: 7},
		},
		Units: []feedback.Unit{
			{ID: "qldt", Name: "Phòng Quản lý đô thị", Kind: feedback.UnitDepartment},
			{ID: "tnmt", Name: "Phòng Tài nguyên và Môi trường", Kind: feedback.UnitDepartment},
			{ID: "phuong-dong", Name: "Phường Đông (mẫu)", Kind: feedback.UnitWard},
		},
		Templates: []feedback.Template{{ID: "da-xu-ly", Title: "Đã xử lý", Text: "Đơn vị đã xử lý.\nCảm ơn bạn."}},
		Calendar:  feedback.Calendar{Location: hcm, Holidays: []string{"2027-01-01"}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// Photo names.
var (
	hashA = strings.Repeat("a", 64)
	hashB = strings.Repeat("b", 64)
	hashC = strings.Repeat("c", 64)
	hashD = strings.Repeat("d", 64)
)

// t0 is Tuesday 1 December 2026, 09:00 in Hanoi.
var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)

func point(lat, lon float64) *geo.Point { return &geo.Point{Lat: lat, Lon: lon} }

// validNew is a report a citizen sends from the web.
func validNew() feedback.NewReport {
	return feedback.NewReport{
		Category:    "moi-truong",
		Description: "Rác thải đổ trộm bên đường",
		Place:       feedback.Place{Point: point(16.4637, 107.5909), Accuracy: 12, Address: "12 Lê Lợi"},
		Photos:      []string{hashA},
		Reporter:    feedback.Reporter{Name: "Nguyễn Văn An", Phone: "0912 345 678"},
		Channel:     feedback.ChannelWeb,
		TokenHash:   []byte("0123456789abcdef0123456789abcdef"),
	}
}

// wantError checks that err is a domain error of that kind and code, and
// that it reads in both languages with every parameter filled and no
// word of the other language.
func wantError(t *testing.T, what string, err error, kind queue.Kind, code string) {
	t.Helper()
	var e *queue.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v, want a %s %s", what, err, kind, code)
		return
	}
	if e.Kind != kind || e.Code != code {
		t.Errorf("%s: %s %s (%q), want %s %s", what, e.Kind, e.Code, e.Message, kind, code)
	}
	checkSaid(t, what, e)
}

// checkSaid checks that a domain error says itself in Vietnamese and in
// English, all filled, with no word of the other language.
func checkSaid(t *testing.T, what string, e *queue.Error) {
	t.Helper()
	for _, lang := range []string{"vi", "en"} {
		said := msgtext.Say(lang, e.Template, e.Args, "")
		if said == "" || strings.Contains(said, "{") {
			t.Errorf("%s in %s: %q (template %q) is missing or unfilled", what, lang, said, e.Template)
			continue
		}
		// Codes and quoted values are no language.
		text := said
		for _, v := range e.Args {
			if strings.HasPrefix(v, `"`) {
				text = strings.ReplaceAll(text, v, "")
			}
		}
		text = strings.NewReplacer("PA-YYMM-NNNNN", "", "in_progress", "").Replace(text)
		if w := browsertest.OtherLanguage(text, lang); len(w) > 0 {
			t.Errorf("%s in %s: %q has words of the other language: %q", what, lang, said, w)
		}
	}
}
