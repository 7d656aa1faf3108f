package ui_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"luot/kiosk/internal/kiosktest"
	"luot/kiosk/ui"
	"luot/printer"
	"luot/server/queue"
)

const certified = "Chứng thực bản sao, chữ ký"

func TestIssuePrintsAndShowsTicket(t *testing.T) {
	h := newHarness(t)
	h.wantText("Mời chọn dịch vụ")
	h.wantText("UBND Phường Bến Nghé")

	h.tap(certified)
	if !h.k.State().Busy {
		t.Fatal("after a tap the kiosk is not busy")
	}
	h.tap(certified) // a double tap while the request is in flight
	h.tap(certified)
	s := h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if s.Ticket.Number != "C001" {
		t.Fatalf("number %q, want C001", s.Ticket.Number)
	}
	h.wantText("C001")
	h.wantText("Số người chờ trước bạn: 0")
	h.wantText("Mời nhận phiếu ở khe bên dưới")

	srvT, err := h.env.Ticket(s.Ticket.TrackURL)
	if err != nil {
		t.Fatalf("the server does not know the ticket shown: %v", err)
	}
	if srvT.Display != "C001" || srvT.Service != "chung-thuc" || srvT.Source != queue.SourceKiosk {
		t.Errorf("server ticket %s %s %s, want C001 chung-thuc kiosk", srvT.Display, srvT.Service, srvT.Source)
	}
	v, _ := h.env.Engine.View("demo")
	if n := v.Snapshot().Waiting["chung-thuc"]; n != 1 {
		t.Errorf("%d tickets waiting for chung-thuc after one tap and two double taps, want 1", n)
	}
	pt := h.nextTicket()
	for _, want := range []string{"C001", certified, "UBND Phường Bến Nghé", "Ki-ốt 1", s.Ticket.TrackURL} {
		if !strings.Contains(pt.Text, want) {
			t.Errorf("printed ticket lacks %q:\n%s", want, pt.Text)
		}
	}

	// A tap on the result goes back; the next number follows.
	h.tap("Xong")
	h.screen(ui.ScreenStart)
	h.tap(certified)
	s = h.until("the second result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if s.Ticket.Number != "C002" || s.Ticket.Ahead != 1 {
		t.Errorf("second ticket %s with %d ahead, want C002 with 1", s.Ticket.Number, s.Ticket.Ahead)
	}
	if pt := h.nextTicket(); !strings.Contains(pt.Text, "C002") {
		t.Errorf("second printed ticket:\n%s", pt.Text)
	}
	// The result screen goes back by itself.
	h.clock.Advance(h.cfg.ResultTimeout)
	h.screen(ui.ScreenStart)
}

func TestRetryAfterLostAnswerMakesOneTicket(t *testing.T) {
	h := newHarness(t)
	h.env.DropAnswers(1) // the server issues, but the answer is lost
	h.tap(certified)
	s := h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult })
	if s.Ticket.Number != "C001" {
		t.Fatalf("number %s, want C001 (the retried request must get the first answer)", s.Ticket.Number)
	}
	v, _ := h.env.Engine.View("demo")
	if n := v.Snapshot().Waiting["chung-thuc"]; n != 1 {
		t.Fatalf("%d tickets after one tap whose answer was lost once, want 1", n)
	}
}

func TestPriorityAppliesToNextTicket(t *testing.T) {
	h := newHarness(t)
	h.tap("Ưu tiên")
	h.screen(ui.ScreenPriority)
	h.wantText("Bạn thuộc đối tượng ưu tiên nào?")
	h.tap("Người cao tuổi")
	s := h.screen(ui.ScreenStart)
	if s.Priority != ui.PriorityElderly {
		t.Fatalf("priority %q after choosing elderly", s.Priority)
	}
	h.tile("Ưu tiên: Người cao tuổi") // the start screen shows the choice
	h.tap("Cấp giấy phép xây dựng")
	s = h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	h.wantText("Ưu tiên: Người cao tuổi")
	srvT, err := h.env.Ticket(s.Ticket.TrackURL)
	if err != nil {
		t.Fatal(err)
	}
	if srvT.Priority != queue.PriorityElderly {
		t.Errorf("server ticket priority %q, want elderly", srvT.Priority)
	}
	if pt := h.nextTicket(); !strings.Contains(pt.Text, "Người cao tuổi") {
		t.Errorf("printed ticket has no priority line:\n%s", pt.Text)
	}
	h.tap("Xong")
	if s := h.screen(ui.ScreenStart); s.Priority != ui.PriorityNone {
		t.Errorf("priority %q still declared for the next citizen", s.Priority)
	}
	// Choosing and then taking it back.
	h.tap("Ưu tiên")
	h.tap("Phụ nữ mang thai")
	h.tap("Ưu tiên: Phụ nữ mang thai")
	h.tap("Không ưu tiên")
	if s := h.screen(ui.ScreenStart); s.Priority != ui.PriorityNone {
		t.Errorf("priority %q after choosing none", s.Priority)
	}
}

func TestPagingAndUnavailableServices(t *testing.T) {
	h := newHarness(t)
	s := h.k.State()
	if s.Pages != 2 || s.Page != 0 {
		t.Fatalf("page %d of %d, want 1 of 2 for 9 services at 6 a page", s.Page+1, s.Pages)
	}
	if !h.tile("Trang trước").Disabled() {
		t.Error("previous page is enabled on the first page")
	}
	if h.hasTile("Nhận kết quả hồ sơ") {
		t.Error("the 9th service is on the first page")
	}
	off := h.tile("Lao động – Thương binh và Xã hội")
	if !off.Disabled() || off.Sub() != "Tạm ngừng tiếp nhận" {
		t.Errorf("inactive service: disabled %v, reason %q", off.Disabled(), off.Sub())
	}
	// Numbers are taken before the first clerk logs in: enabled, with a note.
	if c := h.tile(certified); c.Disabled() || c.Sub() != "Quầy chưa mở — vẫn lấy số trước được" {
		t.Errorf("service before any counter opens: disabled %v, note %q", c.Disabled(), c.Sub())
	}
	h.tap("Lao động – Thương binh và Xã hội") // ignored
	if s := h.k.State(); s.Busy || s.Screen != ui.ScreenStart {
		t.Fatalf("a tap on a disabled service did something: %s", s)
	}

	h.tap("Trang sau")
	if s := h.screen(ui.ScreenStart); s.Page != 1 {
		t.Fatalf("page %d after next", s.Page+1)
	}
	h.wantText("Trang 2/2")
	if !h.tile("Trang sau").Disabled() {
		t.Error("next page is enabled on the last page")
	}
	ns := h.tile("Tư pháp – Hòa giải")
	if !ns.Disabled() || ns.Sub() != "Chưa có quầy phục vụ" {
		t.Errorf("service no counter serves: disabled %v, reason %q", ns.Disabled(), ns.Sub())
	}
	h.tap("Nhận kết quả hồ sơ")
	if s := h.until("result", func(s ui.State) bool { return s.Screen == ui.ScreenResult }); s.Ticket.Number != "R001" {
		t.Errorf("number %s on page 2, want R001", s.Ticket.Number)
	}
	h.tap("Xong")
	h.screen(ui.ScreenStart)
	h.tap("English")
	h.wantText("Page 1 of 2")
	h.tap("Next page")
	h.tap("Previous page")
	if s := h.screen(ui.ScreenStart); s.Page != 0 {
		t.Errorf("page %d after previous", s.Page+1)
	}

	// The day's cap: one number of civil status, then it is disabled with
	// the reason.
	h.tap("Tiếng Việt")
	h.tap("Hộ tịch (khai sinh, kết hôn, khai tử)")
	h.until("result", func(s ui.State) bool { return s.Screen == ui.ScreenResult })
	h.tap("Xong")
	h.screen(ui.ScreenStart)
	h.tap("Hộ tịch (khai sinh, kết hôn, khai tử)")
	s = h.until("the refusal", func(s ui.State) bool { return !s.Busy && s.Message != "" })
	if s.Screen != ui.ScreenStart || !strings.Contains(s.Message, "Đã hết số hôm nay") {
		t.Errorf("after the cap: %s", s)
	}
	if c := h.tile("Hộ tịch (khai sinh, kết hôn, khai tử)"); !c.Disabled() || c.Sub() != "Đã hết số hôm nay" {
		t.Errorf("capped service: disabled %v, reason %q", c.Disabled(), c.Sub())
	}
}

// TestCheckInByKeypad books real appointments on the in-process server
// and checks them in through the keypad: an unknown code, a cancelled
// booking, one too early (the server says when to come back), one too late
// (the test office refuses late comers), one that succeeds, and the same
// one again in English.
func TestCheckInByKeypad(t *testing.T) {
	h := newHarness(t)
	// At 08:00 on the server's clock: bookings of certified copies.
	ok := h.env.Book(t, "chung-thuc", "09:00", "0901000001")
	cancelled := h.env.Book(t, "chung-thuc", "09:00", "0901000002")
	h.env.Cancel(t, cancelled)
	early := h.env.Book(t, "chung-thuc", "10:00", "0901000003")
	late := h.env.Book(t, "chung-thuc", "08:30", "0901000004")
	unknown := unknownCode(ok, cancelled, early, late)
	// 08:46: the 08:30 window closed at 08:45, the 09:00 one is open
	// (08:30–09:15), the 10:00 one opens at 09:30.
	h.env.Clock.Set(kiosktest.Start.Add(46 * time.Minute))

	h.tap("Tôi đã đặt lịch hẹn")
	h.screen(ui.ScreenCheckIn)
	typeCode := func(code string) {
		for _, c := range code {
			h.tap(string(c))
		}
	}
	// Only the code alphabet is on the keypad: no look-alikes.
	for _, c := range []string{"0", "O", "1", "I", "L"} {
		if h.hasTile(c) {
			t.Errorf("keypad has the look-alike key %q", c)
		}
	}
	cases := []struct{ code, want string }{
		{unknown, "Không tìm thấy lịch hẹn có mã " + unknown},
		{cancelled, "Lịch hẹn " + cancelled + " đã bị hủy"},
		{early, "Vui lòng quay lại lúc 09:30"},
		{late, "Đã quá giờ hẹn của lịch " + late},
	}
	for _, c := range cases {
		typeCode(c.code)
		if h.tile("Xác nhận").Disabled() {
			t.Fatalf("confirm is disabled with the six characters of %s typed", c.code)
		}
		h.tap("Xác nhận")
		s := h.until("the answer to "+c.code, func(s ui.State) bool { return !s.Busy && s.Message != "" })
		if s.Screen != ui.ScreenCheckIn || !strings.Contains(s.Message, c.want) {
			t.Errorf("code %s: %s, want a message with %q", c.code, s, c.want)
		}
		h.wantText(c.want)
	}
	typeCode(ok[:4])
	if !h.tile("Xác nhận").Disabled() {
		t.Error("confirm is enabled with 4 characters")
	}
	h.tap("Xóa")
	if s := h.k.State(); s.Code != ok[:3] {
		t.Errorf("code %q after delete, want %q", s.Code, ok[:3])
	}
	typeCode(ok[3:] + "7") // only six fit
	if s := h.k.State(); s.Code != ok {
		t.Fatalf("code %q, want %s", s.Code, ok)
	}
	h.tap("Xác nhận")
	s := h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if s.Ticket.Number != "C001" {
		t.Errorf("checked-in number %s", s.Ticket.Number)
	}
	if pt := h.nextTicket(); !strings.Contains(pt.Text, "C001") || !strings.Contains(pt.Text, certified) {
		t.Errorf("printed check-in ticket:\n%s", pt.Text)
	}
	if tk, err := h.env.Ticket(s.Ticket.TrackURL); err != nil || tk.Booking != ok {
		t.Errorf("the server's ticket of the check-in: %+v, %v; want one of booking %s", tk, err, ok)
	}
	// English answers.
	h.tap("Xong")
	h.tap("English")
	h.tap("I have an appointment")
	typeCode(ok)
	h.tap("Confirm")
	s = h.until("the answer", func(s ui.State) bool { return !s.Busy && s.Message != "" })
	if want := "The code " + ok + " was already used"; !strings.Contains(s.Message, want) {
		t.Errorf("reused code in English: %q, want %q", s.Message, want)
	}
}

// unknownCode returns a well-formed booking code that is none of used.
func unknownCode(used ...string) string {
	for _, c := range queue.BookingCodeAlphabet {
		if code := "WW346" + string(c); !slices.Contains(used, code) {
			return code
		}
	}
	panic("more codes used than the alphabet has letters")
}

func TestPrinterFaultStillShowsTicketAndReports(t *testing.T) {
	h := newHarness(t)
	h.vp.SetFault(printer.FaultPaperEnd, true)
	h.tap(certified)
	s := h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult })
	if s.Print != ui.PrintFault || s.Fault == nil || s.Fault.Code != "paper-end" {
		t.Fatalf("print state %s fault %+v, want a paper-end fault", s.Print, s.Fault)
	}
	h.wantText("C001")
	h.wantText("Máy in hết giấy")
	h.wantText("Số của bạn vẫn hợp lệ")
	if _, err := h.env.Ticket(s.Ticket.TrackURL); err != nil {
		t.Errorf("the ticket shown with a printer fault is not on the server: %v", err)
	}
	rep := h.report("paper-end")
	if !strings.Contains(rep.Message, "out of paper") {
		t.Errorf("report message %q", rep.Message)
	}
	h.tap("English")
	h.wantText("The printer is out of paper")

	// Staff load paper and reprint through the hidden menu.
	h.vp.SetFault(printer.FaultPaperEnd, false)
	h.tap("Done")
	h.screen(ui.ScreenStart)
	h.openStaff()
	h.tap("In lại phiếu cuối (C001)")
	s = h.until("the reprint", func(s ui.State) bool { return !s.Busy && strings.Contains(s.Message, "C001") })
	if pt := h.nextTicket(); !strings.Contains(pt.Text, "C001") || !strings.Contains(pt.Text, certified) {
		t.Errorf("reprinted ticket:\n%s", pt.Text)
	}
	h.report("ok")

	// A fault in the middle: the cover opens while idle, the check says so.
	h.vp.SetFault(printer.FaultCoverOpen, true)
	h.tap("Kiểm tra máy in")
	s = h.until("the check", func(s ui.State) bool { return !s.Busy && strings.Contains(s.Message, "Nắp") })
	h.report("cover-open")
	h.tap("Thoát")
	h.screen(ui.ScreenStart)
}

func (h *harness) report(status string) kiosktest.Report {
	h.t.Helper()
	deadline := time.Now().Add(bound)
	for time.Now().Before(deadline) {
		h.drain()
		r, err := h.env.NextReport(100 * time.Millisecond)
		if err == nil {
			if r.Status == status {
				return r
			}
			continue
		}
	}
	h.t.Fatalf("no %q device.status report within %s", status, bound)
	return kiosktest.Report{}
}

func (h *harness) openStaff() {
	h.t.Helper()
	for range 5 {
		h.tapOffice()
	}
	h.screen(ui.ScreenPIN)
	for _, d := range "1111" {
		h.tap(string(d))
	}
	h.tap("OK")
	h.wantText("Mã PIN không đúng")
	for _, d := range "2468" {
		h.tap(string(d))
	}
	h.tap("OK")
	h.screen(ui.ScreenStaff)
}

func TestServerDownAndRecovery(t *testing.T) {
	h := newHarness(t)
	h.env.SetDown(true)
	h.tap(certified)
	s := h.until("out of service", func(s ui.State) bool { return s.Screen == ui.ScreenOutOfService })
	if s.OutOfService != "server" {
		t.Fatalf("out of service for %q, want server", s.OutOfService)
	}
	h.wantText("Tạm ngừng phục vụ")
	h.wantText("mất kết nối")
	// Still down at the next try.
	h.clock.Advance(h.cfg.RetryEvery)
	h.until("the retry", func(s ui.State) bool { return s.Screen == ui.ScreenOutOfService })
	h.drain()
	// Back: the kiosk recovers by itself at the next try.
	h.env.SetDown(false)
	h.clock.Advance(h.cfg.RetryEvery)
	h.screen(ui.ScreenStart)
	h.tap(certified)
	if s := h.until("result", func(s ui.State) bool { return s.Screen == ui.ScreenResult }); s.Ticket.Number != "C001" {
		t.Errorf("after recovery: number %s, want C001 (nothing was issued while down)", s.Ticket.Number)
	}
	h.tap("Xong")
	h.screen(ui.ScreenStart)

	// Closing time: the next refresh sees the office closed.
	h.env.Clock.Set(kiosktest.Start.Add(10 * time.Hour)) // 18:00
	h.clock.Advance(h.cfg.RefreshEvery)
	s = h.until("closed", func(s ui.State) bool { return s.Screen == ui.ScreenOutOfService })
	if s.OutOfService != "closed" {
		t.Errorf("out of service for %q, want closed", s.OutOfService)
	}
	h.wantText("Ngoài giờ làm việc")
	h.env.Clock.Set(kiosktest.Start.Add(24 * time.Hour)) // Saturday 08:00
	h.clock.Advance(h.cfg.RetryEvery)
	h.screen(ui.ScreenStart)
}

func TestIdleReturnsToStart(t *testing.T) {
	h := newHarness(t)
	h.tap("English")
	h.tap("I have an appointment")
	h.tap("A")
	h.tap("C")
	h.clock.Advance(h.cfg.IdleTimeout - time.Second)
	h.drain()
	if s := h.k.State(); s.Screen != ui.ScreenCheckIn {
		t.Fatalf("left check-in before the idle timeout: %s", s)
	}
	h.tap("E") // activity restarts the wait
	h.clock.Advance(h.cfg.IdleTimeout - time.Second)
	h.drain()
	if s := h.k.State(); s.Screen != ui.ScreenCheckIn || s.Code != "ACE" {
		t.Fatalf("activity did not restart the idle wait: %s", s)
	}
	h.clock.Advance(time.Second)
	s := h.screen(ui.ScreenStart)
	if s.Lang != ui.Vietnamese || s.Code != "" || s.Page != 0 {
		t.Errorf("idle return kept the last citizen's choices: %s", s)
	}
	// The start screen itself resets its page and priority.
	h.tap("Trang sau")
	h.tap("Ưu tiên")
	h.tap("Người khuyết tật")
	h.clock.Advance(h.cfg.IdleTimeout)
	s = h.until("reset", func(s ui.State) bool { return s.Priority == ui.PriorityNone })
	if s.Page != 0 || s.Screen != ui.ScreenStart {
		t.Errorf("after idle on the start screen: %s", s)
	}
}

// TestTooEarlyForAnotherDay: a booking of another day is told the date to
// come back as well as the time, in the office's timezone.
func TestTooEarlyForAnotherDay(t *testing.T) {
	stub := &stubServer{comeBackAt: time.Date(2026, 11, 30, 0, 30, 0, 0, time.UTC)} // Monday 07:30 in Hồ Chí Minh City
	h := newHarnessWith(t, nil, stub)
	h.screen(ui.ScreenStart)
	h.tap("Tôi đã đặt lịch hẹn")
	for _, c := range "AC3467" {
		h.tap(string(c))
	}
	h.tap("Xác nhận")
	s := h.until("the answer", func(s ui.State) bool { return !s.Busy && s.Message != "" })
	if want := "Vui lòng quay lại lúc 07:30 ngày 30/11/2026"; !strings.Contains(s.Message, want) {
		t.Errorf("too early for Monday: %q, want it to say %q", s.Message, want)
	}
}
