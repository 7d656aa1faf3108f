package ui_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"luot/kiosk/internal/kiosktest"
	"luot/kiosk/ui"
	"luot/printer"
	"luot/server/client"
)

// stubServer answers with fixed data, so that the golden images do not
// depend on random ticket ids (the QR code) or on timing. Everything else
// in the golden tests (printer, theme, layout) is real.
type stubServer struct {
	closed atomic.Bool
	down   atomic.Bool
	// comeBackAt is when a check-in, always too early, may come back
	// (zero: 09:30 the same day).
	comeBackAt time.Time
}

var errDown = errors.New("connection refused")

func (s *stubServer) Office(context.Context) (*ui.Office, error) {
	if s.down.Load() {
		return nil, errDown
	}
	return &ui.Office{Name: "UBND Phường Bến Nghé", NameEN: "Ben Nghe Ward People's Committee", Open: !s.closed.Load(),
		Location: kiosktest.Start.Location(), Services: []ui.Service{
			{ID: "xay-dung", Name: "Cấp giấy phép xây dựng", NameEN: "Construction permits", Active: true, Served: true, CounterOpen: true},
			{ID: "ho-kinh-doanh", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business registration", Active: true, Served: true, CounterOpen: true},
			{ID: "chung-thuc", Name: "Chứng thực bản sao, chữ ký", NameEN: "Certified copies and signatures", Active: true, Served: true, CounterOpen: true},
			{ID: "ho-tich", Name: "Hộ tịch (khai sinh, kết hôn, khai tử)", NameEN: "Civil status (births, marriages, deaths)", Active: true, Served: true},
			{ID: "dat-dai", Name: "Đất đai (giấy chứng nhận quyền sử dụng đất)", NameEN: "Land (land-use right certificates)", Active: true, Served: true, CounterOpen: true},
			{ID: "lao-dong", Name: "Lao động – Thương binh và Xã hội", NameEN: "Labour, war invalids and social affairs", Active: false, Served: true},
			{ID: "tu-phap", Name: "Tư pháp – Hòa giải", NameEN: "Justice and mediation", Active: true, Served: false},
		}}, nil
}

func (s *stubServer) Issue(_ context.Context, service string, p ui.Priority, _ string) (*ui.Ticket, error) {
	return &ui.Ticket{ID: "t1", Number: "C012", Service: service, ServiceName: "Chứng thực bản sao, chữ ký",
		Priority: p, Ahead: 4, ETA: 12 * time.Minute, TrackURL: "https://luot.example.gov.vn/t/01JDEMO?token=Zx8mQ2",
		Issued: kiosktest.Start}, nil
}

func (s *stubServer) CheckIn(_ context.Context, code, _ string) (*ui.Ticket, error) {
	at := s.comeBackAt
	if at.IsZero() {
		at = kiosktest.Start.Add(90 * time.Minute)
	}
	return nil, &ui.Refusal{Code: client.CodeTooEarly, ComeBackAt: at}
}

// The golden dossiers: one ready (a pickup ticket), one late with an
// apology (its status), one whose pickup ticket was given already.
const (
	readyDossier  = "TP-261120-0003"
	lateDossier   = "TP-261113-0012"
	issuedDossier = "TP-261119-0001"
)

func (s *stubServer) PickupDossier(_ context.Context, code, _, _ string) (*ui.Pickup, error) {
	loc := kiosktest.Start.Location()
	switch code {
	case readyDossier:
		return &ui.Pickup{Dossier: ui.DossierStatus{Code: code, Procedure: "Đăng ký khai sinh", ProcedureEN: "Birth registration", Status: "completed"},
			Ticket: &ui.Ticket{ID: "t2", Number: "R004", Service: "tra-ket-qua", ServiceName: "Nhận kết quả hồ sơ", ServiceNameEN: "Collect the result of an application",
				Ahead: 1, ETA: 3 * time.Minute, TrackURL: "https://luot.example.gov.vn/t/01JPICK?token=Qw3rTy", Issued: kiosktest.Start}}, nil
	case lateDossier:
		return &ui.Pickup{Dossier: ui.DossierStatus{Code: code, Procedure: "Cấp giấy phép xây dựng nhà ở riêng lẻ", ProcedureEN: "Building permit for a detached house",
			Status: "processing", DueAt: time.Date(2026, 11, 27, 0, 0, 0, 0, loc), Late: true, NewDue: time.Date(2026, 12, 3, 0, 0, 0, 0, loc)}}, nil
	case issuedDossier:
		return nil, &ui.Refusal{Code: client.CodePickupIssued}
	}
	return nil, &ui.Refusal{Code: client.CodeUnknownDossier}
}

func (s *stubServer) ReportStatus(context.Context, string, string) error { return nil }

// TestGoldenScreens draws every screen in Vietnamese and in English and
// compares it with testdata/<screen>_<lang>.png.
func TestGoldenScreens(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			stub := &stubServer{}
			h := newHarnessWith(t, nil, stub, func(c *ui.Config, _ *ui.Deps) { c.ServicesPerPage = 6 })
			h.screen(ui.ScreenStart)
			if lang == "en" {
				h.tap("English")
			}
			tr := func(vi, en string) string {
				if lang == "en" {
					return en
				}
				return vi
			}
			h.golden("start_" + lang)

			h.tap(tr("Ưu tiên", "Priority"))
			h.screen(ui.ScreenPriority)
			h.golden("priority_" + lang)
			h.tap(tr("Người cao tuổi", "Elderly person"))
			h.screen(ui.ScreenStart)
			h.golden("start-priority_" + lang)

			h.tap(tr("Chứng thực bản sao, chữ ký", "Certified copies and signatures"))
			h.until("printed", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
			h.nextTicket()
			h.golden("result_" + lang)
			h.tap(tr("Xong", "Done"))
			h.setLang(lang)

			h.vp.SetFault(printer.FaultPaperEnd, true)
			h.tap(tr("Chứng thực bản sao, chữ ký", "Certified copies and signatures"))
			h.until("fault", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintFault })
			h.golden("result-paper-end_" + lang)
			h.tap(tr("Xong", "Done"))
			h.setLang(lang)
			h.vp.SetFault(printer.FaultPaperEnd, false)

			h.tap(tr("Tôi đã đặt lịch hẹn", "I have an appointment"))
			for _, c := range "AC3467" {
				h.tap(string(c))
			}
			h.tap(tr("Xác nhận", "Confirm"))
			h.until("the answer", func(s ui.State) bool { return !s.Busy && s.Message != "" })
			h.golden("checkin_" + lang)
			h.tap(tr("Quay lại", "Back"))

			h.tap(tr("Nhận kết quả / Tra cứu hồ sơ", "Collect a result / Track an application"))
			h.screen(ui.ScreenDossier)
			for _, c := range readyDossier {
				h.tap(string(c))
			}
			h.golden("dossier_" + lang)
			h.tap(tr("Tra cứu", "Look up"))
			h.until("the pickup ticket", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
			h.nextTicket()
			h.golden("result-pickup_" + lang)
			h.tap(tr("Xong", "Done"))
			h.setLang(lang)

			h.k.Scan("https://luot.example.gov.vn/hs/" + lateDossier + "?k=abc")
			h.screen(ui.ScreenDossierState)
			h.golden("dossier-status-late_" + lang)
			h.tap(tr("Xong", "Done"))
			h.setLang(lang)

			h.k.Scan(issuedDossier)
			h.until("the refusal", func(s ui.State) bool { return s.Screen == ui.ScreenDossier && !s.Busy && s.Message != "" })
			h.golden("dossier-issued_" + lang)
			h.tap(tr("Quay lại", "Back"))

			h.openStaffAs(lang)
			h.golden("staff_" + lang)
			h.tap(tr("Thoát", "Exit"))
			h.setLang(lang)

			stub.closed.Store(true)
			h.clock.Advance(h.cfg.RefreshEvery)
			h.until("closed", func(s ui.State) bool { return s.Screen == ui.ScreenOutOfService })
			h.golden("closed_" + lang)
			stub.closed.Store(false)
			stub.down.Store(true)
			h.clock.Advance(h.cfg.RetryEvery)
			h.until("down", func(s ui.State) bool { return s.OutOfService == "server" })
			h.golden("out-of-service_" + lang)
			stub.down.Store(false)
			h.clock.Advance(h.cfg.RetryEvery)
			h.screen(ui.ScreenStart)
		})
	}
}

func (h *harness) setLang(lang string) {
	h.t.Helper()
	if string(h.k.State().Lang) != lang {
		h.tap(map[string]string{"en": "English", "vi": "Tiếng Việt"}[lang])
	}
}

func (h *harness) openStaffAs(lang string) {
	h.t.Helper()
	for range 5 {
		h.tapOffice()
	}
	h.screen(ui.ScreenPIN)
	for _, d := range "2468" {
		h.tap(string(d))
	}
	h.tap("OK")
	h.screen(ui.ScreenStaff)
}
