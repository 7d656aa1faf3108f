package web

import (
	"path/filepath"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/photo"
)

// paFeedback is the feedback configuration of the pages' tests: three
// categories, two departments and a ward.
func paFeedback() *feedback.Config {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	return &feedback.Config{
		Office: "hcm-q1",
		Categories: []feedback.Category{
			{ID: "rac-thai", Name: "Rác thải, vệ sinh môi trường", NameEN: "Rubbish and cleanliness", Hint: "Rác đổ trộm, cống bẩn", HintEN: "Dumped rubbish, dirty drains", Unit: "moi-truong", AckDays: 1, ResolveDays: 5},
			{ID: "via-he", Name: "Lấn chiếm vỉa hè", NameEN: "Pavement encroachment", Unit: "phuong-ben-nghe", ByWard: true, AckDays: 1, ResolveDays: 7},
			{ID: "xay-dung", Name: "Trật tự xây dựng", NameEN: "Illegal building", Unit: "xay-dung", AckDays: 2, ResolveDays: 10},
		},
		Units: []feedback.Unit{
			{ID: "moi-truong", Name: "Phòng Tài nguyên và Môi trường", NameEN: "Natural Resources and Environment Division", Kind: feedback.UnitDepartment},
			{ID: "xay-dung", Name: "Phòng Quản lý đô thị", NameEN: "Urban Management Division", Kind: feedback.UnitDepartment},
			{ID: "phuong-ben-nghe", Name: "UBND phường Bến Nghé", NameEN: "Ben Nghe Ward People's Committee", Kind: feedback.UnitWard,
				Area: geo.MultiPolygon{{{{Lat: 10.770, Lon: 106.695}, {Lat: 10.770, Lon: 106.708}, {Lat: 10.784, Lon: 106.708}, {Lat: 10.784, Lon: 106.695}, {Lat: 10.770, Lon: 106.695}}}}},
		},
		Templates: []feedback.Template{{ID: "da-xu-ly", Title: "Đã xử lý", Text: "Đơn vị đã xử lý xong.", TextEN: "The unit has dealt with it."}},
		Calendar:  feedback.Calendar{Location: loc},
	}
}

// paCenter is where the tests' reports are: near the office.
var paCenter = geo.Point{Lat: 10.7769, Lon: 106.7009}

// newPAStack is newStack with the feedback reports' API and pages: the
// feedback configuration of paFeedback, photos kept in a temporary
// folder through the real pipeline (server/photo), and a map without
// tiles. Staff may include moderators and handlers.
func newPAStack(t testing.TB, s stack) *env {
	t.Helper()
	fc := paFeedback()
	fc.Office = s.office.ID
	dir, err := photo.NewDir(filepath.Join(t.TempDir(), "photos"))
	if err != nil {
		t.Fatal(err)
	}
	apiCfg, webCfg := s.apiCfg, s.webCfg // the stack's own, kept
	s.apiCfg = func(c *api.Config) {
		if apiCfg != nil {
			apiCfg(c)
		}
		c.Feedback, c.PhotoPipeline, c.PhotoDir = fc, photo.NewPipeline(photo.Limits{}, 2, 0), dir
		c.FeedbackMap = api.FeedbackMap{Center: paCenter, Zoom: 16}
	}
	s.webCfg = func(c *Config) {
		if webCfg != nil {
			webCfg(c)
		}
		c.Feedback = fc
	}
	return newStack(t, s)
}
