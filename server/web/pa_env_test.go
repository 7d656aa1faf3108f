package web

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/photo"
	"luot/server/queue"
	"luot/server/servertest/backend"
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
			{ID: "phuong-ben-nghe", Name: "UBND phường Bến Nghé", NameEN: "Ben Nghe Ward People's Committee", Kind: feedback.UnitWard},
		},
		Templates: []feedback.Template{{ID: "da-xu-ly", Title: "Đã xử lý", Text: "Đơn vị đã xử lý xong.", TextEN: "The unit has dealt with it."}},
		Calendar:  feedback.Calendar{Location: loc},
	}
}

// paCenter is where the tests' reports are: near the office.
var paCenter = geo.Point{Lat: 10.7769, Lon: 106.7009}

// newPAStack is newStack with the feedback reports' API and pages: the
// feedback configuration of paFeedback, photos kept in a temporary
// folder through the real pipeline (server/photo), and a map without tiles. Staff may include
// moderators and handlers.
func newPAStack(t testing.TB, s stack) *env {
	t.Helper()
	k := s.kiosk
	k.Office, k.Kind = s.office.ID, queue.DeviceKiosk
	log := backend.TestLog(t)
	b := backend.New(t, backend.Config{
		Office: s.office, Staff: s.staff, Devices: []backend.Device{{Device: k, Key: kioskKey}},
		Start: start, Log: log,
	})
	fc := paFeedback()
	fc.Office = s.office.ID
	dir, err := photo.NewDir(filepath.Join(t.TempDir(), "photos"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := api.New(api.Config{Engine: b.Engine, Store: b.DB, Hub: b.Hub, Now: b.Clock.Now, Log: log,
		Feedback: fc, PhotoPipeline: photo.NewPipeline(photo.Limits{}, 2, 0), PhotoDir: dir, FeedbackMap: api.FeedbackMap{Center: paCenter, Zoom: 16}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(Config{Engine: b.Engine, DB: b.DB, Hub: b.Hub, Now: b.Clock.Now, Log: log, Feedback: FeedbackPages{Office: s.office.ID, Config: fc}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.Handle("/", w)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, officeID: s.office.ID, db: b.DB, eng: b.Engine, clock: b.Clock, srv: srv, web: w}
}
