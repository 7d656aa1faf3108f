package web

import (
	"net/http"
	"time"

	"testing"

	"luot/server/api"
	"luot/server/dossier"
	"luot/server/queue"
	"luot/server/workday"
)

// The dossiers' test office: the demo office with a small catalogue (a
// building permit of 15 working days, a same-day birth registration, a
// household business of 3 days), three departments, a handler of each of
// two, all with PIN 1234.

// dossierStaff are the dossier pages' people: xl-qldt handles the
// building permits, xl-tuphap civil status. Names are data written
// without marks.
var dossierStaff = []queue.Staff{
	{ID: "xl-qldt", Name: "Vo Minh Tuan", Role: queue.RoleHandler, Unit: "qldt"},
	{ID: "xl-tuphap", Name: "Do Van Khoa", Role: queue.RoleHandler, Unit: "tu-phap"},
}

// testDossierConfig is the office's catalogue; its procedures belong to
// the demo office's services.
func testDossierConfig(officeID string) *dossier.Config {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	c := &dossier.Config{
		Office: officeID, Prefix: "TP",
		Fields: []dossier.Field{
			{ID: "xay-dung", Name: "Xây dựng", NameEN: "Construction"},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status"},
			{ID: "kinh-doanh", Name: "Hộ kinh doanh", NameEN: "Household business"},
		},
		Departments: []dossier.Department{
			{ID: "qldt", Name: "Phòng Quản lý đô thị", NameEN: "Urban Management Department"},
			{ID: "tu-phap", Name: "Phòng Tư pháp", NameEN: "Justice Department"},
			{ID: "tckh", Name: "Phòng Tài chính – Kế hoạch", NameEN: "Finance and Planning Department"},
		},
		Procedures: []dossier.Procedure{
			{Code: "XD-01", Name: "Cấp giấy phép xây dựng nhà ở riêng lẻ", NameEN: "Building permit for a house", Field: "xay-dung",
				Service: "xay-dung", Department: "qldt", Days: 15, Fee: 75000, Papers: []dossier.Paper{
					{ID: "don", Name: "Đơn đề nghị cấp giấy phép xây dựng", NameEN: "Application form"},
					{ID: "gcn", Name: "Giấy chứng nhận quyền sử dụng đất", NameEN: "Land-use right certificate"},
					{ID: "ban-ve", Name: "Bản vẽ thiết kế xây dựng", NameEN: "Construction drawings"},
					{ID: "uy-quyen", Name: "Giấy ủy quyền", NameEN: "Power of attorney", Optional: true},
				}},
			{Code: "HT-01", Name: "Đăng ký khai sinh", NameEN: "Birth registration", Field: "ho-tich",
				Service: "ho-tich", Department: "tu-phap", Days: 0, Papers: []dossier.Paper{
					{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh", NameEN: "Birth registration form"},
					{ID: "chung-sinh", Name: "Giấy chứng sinh", NameEN: "Birth certificate from the hospital"},
				}},
			{Code: "KD-01", Name: "Đăng ký thành lập hộ kinh doanh", NameEN: "Household business registration", Field: "kinh-doanh",
				Service: "ho-kinh-doanh", Department: "tckh", Days: 3, Fee: 100000, Papers: []dossier.Paper{
					{ID: "giay-de-nghi", Name: "Giấy đề nghị đăng ký hộ kinh doanh", NameEN: "Registration request"},
				}},
		},
		Calendar: workday.Calendar{Location: loc},
		// The demo office has no results service: certified copies'
		// counters hand the results over.
		PickupService: "chung-thuc",
	}
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

// newDossierEnv is the demo office with its clerks nv1…nv2, the admin
// and dossierStaff, dossiers configured in the API and the pages.
func newDossierEnv(t testing.TB) *env {
	t.Helper()
	return newDossierStack(t, stack{
		office: demoOffice(),
		staff:  append(append(clerks(2), queue.Staff{ID: "admin", Name: "Quản trị", Role: queue.RoleAdmin}), dossierStaff...),
		kiosk:  queue.Device{ID: "kiosk1", Name: "Kiosk sảnh"},
	})
}

// newDossierStack is newStack with dossiers (testDossierConfig) in the
// API and the pages, after whatever s already configures.
func newDossierStack(t testing.TB, s stack) *env {
	t.Helper()
	return newStack(t, withDossiers(s, testDossierConfig(s.office.ID)))
}

// serve calls the next ticket of service to counter with clerk's
// session (the counter opened first) and returns the ticket's number.
func (e *env) serve(clerk, counter, service string) string {
	e.t.Helper()
	n := e.issue(service)
	e.call("POST", "/api/v1/counters/"+counter+"/open", bearer(clerk), nil, 200, nil)
	var j struct{ Ticket struct{ Number string } }
	e.call("POST", "/api/v1/counters/"+counter+"/call", bearer(clerk), map[string]string{"number": n}, 200, &j)
	return j.Ticket.Number
}

// receiveAt records a dossier at counter through the API, as the
// console does, for the ticket it serves; it returns the answer.
func (e *env) receiveAt(clerk, counter string, body map[string]any) api.ReceivedDossierJSON {
	e.t.Helper()
	var out api.ReceivedDossierJSON
	e.call("POST", "/api/v1/counters/"+counter+"/dossiers", bearer(clerk), body, http.StatusCreated, &out)
	return out
}

// finish ends the ticket counter serves (started, then done).
func (e *env) finish(clerk, counter string) {
	e.t.Helper()
	e.call("POST", "/api/v1/counters/"+counter+"/start", bearer(clerk), nil, 200, nil)
	e.call("POST", "/api/v1/counters/"+counter+"/done", bearer(clerk), nil, 200, nil)
}
