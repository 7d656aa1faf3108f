package web

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/feedback"
	"luot/server/photo"
	"luot/server/queue"
)

// The feedback reports' test office: the demo office with a city's
// feedback configuration (a department and two wards), a moderator and a
// handler of each ward, all with PIN 1234.

// feedbackStaff are the feedback pages' people: kd1 moderates, xl1
// handles Ben Nghe's reports and xl2 Da Kao's. Names are data written
// without marks, like the citizens'.
var feedbackStaff = []queue.Staff{
	{ID: "kd1", Name: "Pham Thu Ha", Role: queue.RoleModerator},
	{ID: "xl1", Name: "Vo Minh Tuan", Role: queue.RoleHandler, Unit: "p-ben-nghe"},
	{ID: "xl2", Name: "Do Van Khoa", Role: queue.RoleHandler, Unit: "p-da-kao"},
}

// testFeedbackConfig is a small city: categories handled by a department,
// two wards, a template.
func testFeedbackConfig(officeID string) *feedback.Config {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	c := &feedback.Config{
		Office: officeID,
		Units: []feedback.Unit{
			{ID: "p-tnmt", Name: "Phòng Tài nguyên và Môi trường", NameEN: "Department of Natural Resources and Environment", Kind: feedback.UnitDepartment},
			{ID: "p-qldt", Name: "Phòng Quản lý đô thị", NameEN: "Department of Urban Management", Kind: feedback.UnitDepartment},
			{ID: "p-ben-nghe", Name: "Phường Bến Nghé", NameEN: "Ben Nghe Ward", Kind: feedback.UnitWard},
			{ID: "p-da-kao", Name: "Phường Đa Kao", NameEN: "Da Kao Ward", Kind: feedback.UnitWard},
		},
		Categories: []feedback.Category{
			{ID: "moi-truong", Name: "Môi trường", NameEN: "Environment", Unit: "p-tnmt", AckDays: 1, ResolveDays: 5},
			{ID: "trat-tu-do-thi", Name: "Trật tự đô thị", NameEN: "Urban order", Unit: "p-qldt", AckDays: 1, ResolveDays: 7},
		},
		Templates: []feedback.Template{
			{ID: "da-xu-ly", Title: "Đã xử lý xong", Text: "Phường đã cho dọn sạch khu vực và sẽ kiểm tra lại trong tuần.", TextEN: "The ward had the area cleaned and will check it again this week."},
		},
		Calendar: feedback.Calendar{Location: loc},
	}
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

// newFeedbackEnv is newEnv with feedback reports: the demo office, its
// clerks and admin, and feedbackStaff.
func newFeedbackEnv(t testing.TB) *env {
	t.Helper()
	return newFeedbackStack(t, stack{
		office: demoOffice(),
		staff:  append(append(clerks(2), queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin}), feedbackStaff...),
		kiosk:  queue.Device{ID: "kiosk1", Name: "Kiosk sảnh"},
	})
}

// newFeedbackStack is newStack with the feedback reports configured in
// the API and the pages.
func newFeedbackStack(t testing.TB, s stack) *env {
	t.Helper()
	cfg := testFeedbackConfig(s.office.ID)
	dir, err := photo.NewDir(filepath.Join(t.TempDir(), "photos"))
	if err != nil {
		t.Fatal(err)
	}
	pipe := photo.NewPipeline(photo.DefaultLimits, 1, 0)
	s.apiCfg = func(c *api.Config) {
		c.Feedback, c.PhotoPipeline, c.PhotoDir = cfg, pipe, dir
		c.FeedbackLimits = api.FeedbackLimits{PerAddrBurst: 1000, PerAddrEvery: time.Second, PerPhoneBurst: 1000, PerPhoneEvery: time.Second}
	}
	s.webCfg = func(c *Config) { c.Feedback = cfg }
	return newStack(t, s)
}

// testPNG is a small picture of one colour.
func testPNG(t testing.TB, c color.RGBA) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// newReport is what a citizen sends.
type newReport struct {
	category, description, address, name, phone string
	lat, lon                                    string
	anonymous                                   bool
	photos                                      [][]byte
}

// fileNew sends a report as the citizen's page does (paFile) and
// returns its code.
func (e *env) fileNew(n newReport) string {
	e.t.Helper()
	fields := map[string]string{}
	for k, v := range map[string]string{"category": n.category, "description": n.description, "address": n.address,
		"name": n.name, "phone": n.phone, "lat": n.lat, "lon": n.lon} {
		if v != "" {
			fields[k] = v
		}
	}
	if n.anonymous {
		fields["anonymous"] = "1"
	}
	return e.paFile(fields, n.photos...)
}

// act takes a staff action on a report through the API with token's
// session.
func (e *env) act(token, code, action string, body map[string]any) {
	e.t.Helper()
	b, _ := json.Marshal(body)
	if r := e.apiDo("POST", "/api/v1/feedback/reports/"+code+"/"+action, token, string(b)); r.status != http.StatusOK {
		e.t.Fatalf("%s %s: %d %s", action, code, r.status, r.body)
	}
}
