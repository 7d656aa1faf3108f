package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"luot/kiosk/device"
	"luot/kiosk/internal/kiosktest"
	"luot/kiosk/ui"
	"luot/server/client"
)

// TestNoCounterOpenPromisesNoWait: at 08:00 the office is open by its
// hours but no clerk has opened a counter. The screen and the printed
// ticket say that no counter is open, in either language, and promise no
// wait ("dưới 1 phút" was printed before).
func TestNoCounterOpenPromisesNoWait(t *testing.T) {
	h := newHarness(t)
	h.tap(certified)
	s := h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	if !s.Ticket.Provisional || s.Ticket.ETA >= 0 || !s.Ticket.Expected.IsZero() {
		t.Errorf("ticket provisional %v, wait %v, expected %v; want true, unknown, unknown", s.Ticket.Provisional, s.Ticket.ETA, s.Ticket.Expected)
	}
	h.wantText("Chưa có quầy mở")
	noWait := func(where, text string) {
		t.Helper()
		for _, bad := range []string{"dưới 1 phút", "under a minute", "under 1 min", "Thời gian chờ dự kiến", "Dự kiến chờ", "Est. wait"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s promises a wait (%q):\n%s", where, bad, text)
			}
		}
	}
	noWait("the screen", h.texts())
	pt := h.nextTicket()
	for _, want := range []string{"Chưa có quầy mở", "No counter is open yet"} {
		if !strings.Contains(pt.Text, want) {
			t.Errorf("printed ticket lacks %q:\n%s", want, pt.Text)
		}
	}
	noWait("the printed ticket", pt.Text)

	h.tap("Xong")
	h.screen(ui.ScreenStart)
	h.tap("English")
	h.tap("Certified copies and signatures")
	h.until("the English result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	h.wantText("No counter is open yet")
	noWait("the English screen", h.texts())
	h.nextTicket()
}

// expecting is the kiosk's server with every ticket's forecast replaced
// by "no counter open, expected to be called at 13:30" (the server gives
// such a time only before the opening time, when a kiosk cannot issue).
type expecting struct {
	ui.Server
	at time.Time
}

func (e expecting) Issue(ctx context.Context, service string, p ui.Priority, key string) (*ui.Ticket, error) {
	t, err := e.Server.Issue(ctx, service, p, key)
	if t != nil {
		t.Provisional, t.Expected, t.ETA = true, e.at, 5*time.Hour
	}
	return t, err
}

// TestNoCounterOpenSaysWhen: with a known expected time, the screen and the
// printed ticket give it as HH:MM in the office's timezone.
func TestNoCounterOpenSaysWhen(t *testing.T) {
	env := kiosktest.New(t)
	srv, err := device.NewServer(env.URL, kiosktest.KioskKey, "demo", client.WithRetries(2, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	// 06:30 UTC is 13:30 in Hồ Chí Minh City.
	h := newHarnessWith(t, env, expecting{srv, time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC)})
	h.tap(certified)
	h.until("the result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	h.wantText("Chưa có quầy mở; dự kiến gọi sau 13:30")
	pt := h.nextTicket()
	for _, want := range []string{"dự kiến gọi sau 13:30", "expected to be called after 13:30"} {
		if !strings.Contains(strings.Join(strings.Fields(pt.Text), " "), want) {
			t.Errorf("printed ticket lacks %q:\n%s", want, pt.Text)
		}
	}
	if strings.Contains(pt.Text, "5 giờ") {
		t.Errorf("printed ticket gives the wait:\n%s", pt.Text)
	}
	h.tap("Xong")
	h.screen(ui.ScreenStart)
	h.tap("English")
	h.tap("Certified copies and signatures")
	h.until("the English result", func(s ui.State) bool { return s.Screen == ui.ScreenResult && s.Print == ui.PrintDone })
	h.wantText("No counter is open yet; expected to be called after 13:30")
	h.nextTicket()
}
