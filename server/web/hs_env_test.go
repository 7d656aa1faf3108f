package web

import (
	"encoding/json"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/dossier"
	"luot/server/queue"
	"luot/server/workday"
)

// hsDossiers is the dossier configuration of the applicant's pages'
// tests: two procedures of citOffice's services, a same-day birth
// registration of the justice division and a 2-working-day certificate
// of the urban management division, prefix TP.
func hsDossiers(officeID string) *dossier.Config {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	c := &dossier.Config{
		Office: officeID, Prefix: "TP",
		Fields: []dossier.Field{{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status"}, {ID: "xay-dung", Name: "Xây dựng", NameEN: "Construction"}},
		Departments: []dossier.Department{
			{ID: "tu-phap", Name: "Phòng Tư pháp", NameEN: "Justice Division"},
			{ID: "qldt", Name: "Phòng Quản lý đô thị", NameEN: "Urban Management Division"},
		},
		Procedures: []dossier.Procedure{
			{Code: "HT-01", Name: "Đăng ký khai sinh", NameEN: "Birth registration", Field: "ho-tich", Service: "ho-tich", Department: "tu-phap", Days: 0,
				Papers: []dossier.Paper{{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh", NameEN: "Birth registration form"}, {ID: "giay-chung-sinh", Name: "Giấy chứng sinh", NameEN: "Birth certificate from the hospital"}}},
			{Code: "XD-01", Name: "Cấp giấy phép sửa chữa nhà ở", NameEN: "Permit to repair a house", Field: "xay-dung", Service: "xay-dung", Department: "qldt", Days: 2,
				Papers: []dossier.Paper{{ID: "don", Name: "Đơn đề nghị", NameEN: "Application form"}}},
		},
		Calendar:      workday.Calendar{Location: loc},
		PickupService: "ho-tich",
	}
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

// hsStaff are the people of the dossier tests: clerk nv1, the urban
// management division's handler xl1, and the administrator ql1.
func hsStaff() []queue.Staff {
	return []queue.Staff{
		{ID: "nv1", Name: "Nhan Vien Mot", Role: queue.RoleClerk},
		{ID: "xl1", Name: "Xu Ly Mot", Role: queue.RoleHandler, Unit: "qldt"},
		{ID: "ql1", Name: "Quan Ly", Role: queue.RoleAdmin},
	}
}

// withDossiers gives a stack's API and pages the dossier configuration
// dc (after whatever else the stack sets).
func withDossiers(s stack, dc *dossier.Config) stack {
	apiCfg, webCfg := s.apiCfg, s.webCfg
	s.apiCfg = func(c *api.Config) {
		if apiCfg != nil {
			apiCfg(c)
		}
		c.Dossiers = dc
	}
	s.webCfg = func(c *Config) {
		if webCfg != nil {
			webCfg(c)
		}
		c.Dossiers = dc
	}
	return s
}

// newHSStack is citOffice with hsStaff and the dossiers of hsDossiers,
// changed by mod when not nil.
func newHSStack(t testing.TB, mod func(*dossier.Config)) *env {
	t.Helper()
	o := citOffice()
	dc := hsDossiers(o.ID)
	if mod != nil {
		mod(dc)
	}
	return newStack(t, withDossiers(stack{office: o, staff: hsStaff(), kiosk: queue.Device{ID: "k1", Name: "k1"}}, dc))
}

// receivedJSON is the counter's answer to a dossier received.
type receivedJSON struct {
	Dossier struct {
		Code   string `json:"code"`
		Status string `json:"status"`
	} `json:"dossier"`
	Link string `json:"link"`
}

// receive has the clerk of token, at its open counter, call a new
// ticket of service by its number (other tickets keep waiting) and receive a dossier of procedure from it for name
// and phone, with all the papers of the checklist; it returns the code
// and the applicant's link (/hs/{code}?k=…).
func (e *env) receive(token, counter, service, procedure, name, phone string) (code, link string) {
	e.t.Helper()
	number := e.issue(service)
	e.call("POST", "/api/v1/counters/"+counter+"/call", bearer(token), map[string]string{"number": number}, 200, nil)
	e.call("POST", "/api/v1/counters/"+counter+"/start", bearer(token), nil, 200, nil)
	var out receivedJSON
	var papers []string
	dc := hsDossiers(e.officeID)
	if p, ok := dc.Procedure(procedure); ok {
		for _, x := range p.Papers {
			papers = append(papers, x.ID)
		}
	}
	e.call("POST", "/api/v1/counters/"+counter+"/dossiers", bearer(token), map[string]any{
		"procedure": procedure, "applicant": map[string]string{"name": name, "phone": phone}, "papers": papers,
	}, 201, &out)
	if out.Dossier.Code == "" || out.Link == "" {
		e.t.Fatalf("received %+v", out)
	}
	// The ticket is done: the counter is free for the next.
	e.call("POST", "/api/v1/counters/"+counter+"/done", bearer(token), nil, 200, nil)
	return out.Dossier.Code, out.Link
}

// dossierAct has token's holder do action on dossier code with body.
func (e *env) dossierAct(token, code, action string, body map[string]any) {
	e.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	e.call("POST", "/api/v1/dossiers/"+code+"/actions/"+action, bearer(token), body, 200, nil)
}

// officeLoc is the time zone of the dossier tests' office.
func (e *env) officeLoc(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
