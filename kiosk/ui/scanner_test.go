package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/creack/pty"

	"luot/kiosk/device"
	"luot/kiosk/ui"
)

// TestCheckInByScanner feeds codes to the real scanner reader
// (go.bug.st/serial) through a pseudo-terminal, as a USB-CDC scanner would,
// on the start screen and on another screen.
func TestCheckInByScanner(t *testing.T) {
	h := newHarness(t)
	// Real appointments, booked at 08:00 on the server's clock: two inside
	// their check-in window and one too early.
	permit := h.env.Book(t, "xay-dung", "08:30", "0902000001")
	copies := h.env.Book(t, "chung-thuc", "08:30", "0902000002")
	early := h.env.Book(t, "chung-thuc", "11:00", "0902000003")
	unknown := unknownCode(permit, copies, early)
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

	// A scanner sends the code and CR LF; a booking link works too.
	if _, err := master.Write([]byte("https://luot.example.gov.vn/b/" + strings.ToLower(permit) + "\r\n")); err != nil {
		t.Fatal(err)
	}
	s := h.until("the scanned booking's result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if s.Ticket.Number != "A001" {
		t.Errorf("scanned check-in gave %s, want A001", s.Ticket.Number)
	}
	if pt := h.nextTicket(); !strings.Contains(pt.Text, "Cấp giấy phép xây dựng") {
		t.Errorf("printed ticket:\n%s", pt.Text)
	}

	// On another screen (priority choice) a scan checks in too.
	h.tap("Xong")
	h.tap("Ưu tiên")
	h.screen(ui.ScreenPriority)
	master.Write([]byte(copies + "\n"))
	s = h.until("the second result", func(s ui.State) bool { return s.Screen == ui.ScreenResult })
	if s.Ticket.Number != "C001" {
		t.Errorf("second scan gave %s, want C001", s.Ticket.Number)
	}
	// An unknown, a too early and a malformed code get clear answers.
	h.tap("Xong")
	master.Write([]byte(unknown + "\r\n"))
	s = h.until("the unknown code's answer", func(s ui.State) bool { return s.Screen == ui.ScreenCheckIn && !s.Busy && s.Message != "" })
	if !strings.Contains(s.Message, "Không tìm thấy lịch hẹn có mã "+unknown) {
		t.Errorf("unknown code: %q", s.Message)
	}
	master.Write([]byte(early + "\r\n"))
	s = h.until("the early code's answer", func(s ui.State) bool { return strings.Contains(s.Message, "quay lại") })
	if !strings.Contains(s.Message, "Vui lòng quay lại lúc 10:30") {
		t.Errorf("too early: %q", s.Message)
	}
	master.Write([]byte("hello world\r\n"))
	s = h.until("the malformed code's answer", func(s ui.State) bool { return strings.Contains(s.Message, "không hợp lệ") })
}
