package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/creack/pty"

	"luot/kiosk/device"
	"luot/kiosk/ui"
	"luot/server/dossier"
)

// TestDossierPickupByScanner writes receipts' QR links and codes to the
// real scanner reader through a pseudo-terminal, against the real server:
// a completed dossier gives a pickup ticket of the results service,
// printed, linked to the dossier on the server; the same receipt again is
// refused while that ticket waits; a dossier in progress shows its status
// and due date and gives no ticket; a forged QR, an unknown code and a
// returned dossier are refused in words.
func TestDossierPickupByScanner(t *testing.T) {
	h := newHarness(t)
	ready, token := h.env.Dossier(t, dossier.StatusCompleted)
	pending, _ := h.env.Dossier(t, dossier.StatusProcessing)
	returned, _ := h.env.Dossier(t, dossier.StatusReturned)
	missing, _ := h.env.Dossier(t, dossier.StatusNeedsSupplement)
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer tty.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&device.Scanner{Port: tty.Name()}).Run(ctx, h.k.Scan)
	}()
	defer func() { cancel(); <-done }()
	scan := func(s string) {
		t.Helper()
		if _, err := master.Write([]byte(s + "\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	qr := "https://luot.example.gov.vn/hs/" + ready + "?k=" + token

	scan(qr)
	s := h.until("the pickup ticket", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if s.Ticket.Number != "R001" || s.Ticket.Dossier != ready {
		t.Errorf("pickup ticket %s for dossier %q, want R001 for %s", s.Ticket.Number, s.Ticket.Dossier, ready)
	}
	h.wantText("Nhận kết quả hồ sơ " + ready)
	pt := h.nextTicket()
	for _, want := range []string{"R001", "Nhận kết quả hồ sơ", "UBND Phường Bến Nghé"} {
		if !strings.Contains(pt.Text, want) {
			t.Errorf("printed pickup ticket lacks %q:\n%s", want, pt.Text)
		}
	}
	srvT, err := h.env.Ticket(s.Ticket.TrackURL)
	if err != nil {
		t.Fatalf("the server does not know the pickup ticket: %v", err)
	}
	if srvT.Service != "tra-ket-qua" || srvT.Dossier != ready {
		t.Errorf("server ticket of service %s linked to %q, want tra-ket-qua and %s", srvT.Service, srvT.Dossier, ready)
	}
	d, err := h.env.DB.Dossier(context.Background(), ready)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pickup == nil || d.Pickup.Ticket != srvT.ID || d.Status != dossier.StatusCompleted {
		t.Errorf("dossier after pickup: status %s, pickup %+v; want completed with ticket %s", d.Status, d.Pickup, srvT.ID)
	}

	// The same receipt again, while R001 waits: no second ticket.
	h.tap("Xong")
	scan(qr)
	s = h.until("the second scan's answer", func(s ui.State) bool { return s.Screen == ui.ScreenDossier && !s.Busy && s.Message != "" })
	if !strings.Contains(s.Message, "Hồ sơ "+ready+" đã được cấp số để nhận kết quả") {
		t.Errorf("second pickup: %q", s.Message)
	}
	v, _ := h.env.Engine.View("demo")
	if n := v.Snapshot().Waiting["tra-ket-qua"]; n != 1 {
		t.Errorf("%d pickup tickets waiting after two scans of one receipt, want 1", n)
	}

	// A dossier in progress, its code typed on a scanner's keyboard: the
	// status and the due date, no ticket.
	scan(strings.ToLower(pending))
	s = h.until("the pending dossier's status", func(s ui.State) bool { return s.Screen == ui.ScreenDossierState })
	if s.Dossier == nil || s.Dossier.Code != pending || s.Dossier.Status != "processing" || s.Dossier.DueAt.IsZero() {
		t.Fatalf("pending dossier shown as %+v", s.Dossier)
	}
	h.wantText("Tình trạng: Đang xử lý")
	// Received Friday 27/11 for 3 working days: due at the end of
	// Wednesday 02/12 (the server's instant is Thursday's midnight).
	h.wantText("Ngày hẹn trả kết quả: 02/12/2026")
	h.wantText("Đăng ký khai sinh")
	h.tap("Xong")
	h.screen(ui.ScreenStart)

	// A dossier waiting for a paper: what to bring.
	scan(missing)
	s = h.until("the missing paper", func(s ui.State) bool { return s.Screen == ui.ScreenDossierState })
	h.wantText("Tình trạng: Cần bổ sung giấy tờ")
	h.wantText("Cần bổ sung: Giấy chứng nhận kết hôn của cha mẹ")
	h.tap("Xong")

	// A QR whose token is not the receipt's, an unknown code, a returned
	// dossier.
	for _, c := range []struct{ scan, want string }{
		{"https://luot.example.gov.vn/hs/" + ready + "?k=forged", "Không tìm thấy hồ sơ có mã " + ready},
		{"TP-261127-9999", "Không tìm thấy hồ sơ có mã TP-261127-9999"},
		{returned, "Kết quả của hồ sơ " + returned + " đã được trả"},
	} {
		scan(c.scan)
		s = h.until("the answer to "+c.scan, func(s ui.State) bool { return s.Screen == ui.ScreenDossier && !s.Busy && s.Message != "" })
		if !strings.Contains(s.Message, c.want) {
			t.Errorf("scan %s: %q, want %q", c.scan, s.Message, c.want)
		}
		h.tap("Quay lại")
	}
	v, _ = h.env.Engine.View("demo")
	if n := v.Snapshot().Waiting["tra-ket-qua"]; n != 1 {
		t.Errorf("%d pickup tickets waiting at the end, want 1", n)
	}
}

// TestDossierByKeypad types a ready dossier's code on the dossier keypad
// (no token: the code is enough at the kiosk) and gets its pickup ticket.
func TestDossierByKeypad(t *testing.T) {
	h := newHarness(t)
	ready, _ := h.env.Dossier(t, dossier.StatusCompleted)
	h.tap("Nhận kết quả / Tra cứu hồ sơ")
	h.screen(ui.ScreenDossier)
	for _, c := range ready[:len(ready)-1] {
		h.tap(string(c))
	}
	if !h.tile("Tra cứu").Disabled() {
		t.Error("look-up enabled for an incomplete code")
	}
	h.tap("X")
	h.tap("Xóa")
	h.tap(ready[len(ready)-1:])
	if s := h.k.State(); s.Code != ready {
		t.Fatalf("typed %q, want %q", s.Code, ready)
	}
	h.tap("Tra cứu")
	s := h.until("the pickup ticket", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if s.Ticket.Number != "R001" || s.Ticket.Dossier != ready {
		t.Errorf("pickup ticket %s for %q", s.Ticket.Number, s.Ticket.Dossier)
	}
	h.nextTicket()
}

// TestNoDossiers: an office without dossiers hides the tile, and a
// dossier's code scanned there is read as a booking code, and refused.
func TestNoDossiers(t *testing.T) {
	h := newHarness(t, func(c *ui.Config, _ *ui.Deps) { c.NoDossiers = true })
	if h.hasTile("Nhận kết quả / Tra cứu hồ sơ") {
		t.Error("the dossier tile shows with NoDossiers")
	}
	h.k.Scan("TP-261127-0001")
	s := h.until("the scan's answer", func(s ui.State) bool { return s.Screen == ui.ScreenCheckIn && s.Message != "" })
	if !strings.Contains(s.Message, "không hợp lệ") {
		t.Errorf("a dossier code scanned without dossiers: %q", s.Message)
	}
}
