package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/queue"
	"luot/server/servertest"
)

// testLoader is a loader of the real server stack (servertest, the API
// alone) on loopback, with an office open around the clock on a fake clock:
// ho-tich takes numbers, xay-dung also appointments in 30-minute slots of
// one place; counter q1 (clerk nv1, PIN 1234) serves both, a kiosk has the
// key "kiosk-key".
func testLoader(t *testing.T) *loader {
	t.Helper()
	ctx := context.Background()
	pol := queue.DefaultPolicy()
	pol.BookingHorizonDays = 7
	s := servertest.New(t,
		servertest.WithOffice(queue.Office{
			ID: "demo", Name: "Bộ phận Một cửa", Hours: queue.AlwaysOpen(), Policy: pol,
			Services: []queue.Service{
				{ID: "ho-tich", Name: "Hộ tịch", Prefix: "B", DefaultMinutes: 5, Active: true},
				{ID: "xay-dung", Name: "Xây dựng", Prefix: "C", DefaultMinutes: 5, Active: true, SlotMinutes: 30, SlotCapacity: 1},
			},
			Counters: []queue.Counter{{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "xay-dung"}}}},
		}),
		servertest.WithStaff(queue.Staff{ID: "nv1", Name: "Nhân viên 1", Role: queue.RoleClerk}),
		servertest.WithDevices(servertest.Device{Device: queue.Device{ID: "kiosk1", Name: "Kiosk 1", Kind: queue.DeviceKiosk}, Key: "kiosk-key"}),
		servertest.WithCitizenLimits(api.CitizenLimits{PerIPBurst: 1000, PerIPEvery: time.Millisecond, PerPhoneBurst: 1000, PerPhoneEvery: time.Millisecond,
			RemotePerOfficeBurst: 1000, RemotePerOfficeEvery: time.Millisecond}),
		servertest.WithoutWeb(),
	)
	srv := s.HTTP
	cfg := &config{office: "demo", kioskKey: "kiosk-key", pin: "1234", counters: []string{"q1:nv1"}}
	l, err := newLoader(cfg, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.learnOffice(ctx); err != nil {
		t.Fatal(err)
	}
	l.bookingDate = "2026-11-28"
	return l
}

// noErrors fails the test if the loader recorded an error.
func noErrors(t *testing.T, l *loader) {
	t.Helper()
	var b strings.Builder
	if _, n := l.rec.print(&b, time.Second); n > 0 {
		t.Fatalf("errors:\n%s", b.String())
	}
}

// TestBookingTakesOfferedSlotsOfTheRealAnswer: the tool books from the
// API's real slots answer: every one of the day's 48 slots of one place
// is booked once, none refused (the slot's end, "24:00" for the last,
// is no slot), and then the day is full and nothing more is sent.
func TestBookingTakesOfferedSlotsOfTheRealAnswer(t *testing.T) {
	l := testLoader(t)
	if !l.hasBooking || !l.hasRemote || !l.hasTicketStream {
		t.Fatalf("routes: remote %v, booking %v, ticket stream %v", l.hasRemote, l.hasBooking, l.hasTicketStream)
	}
	ctx := context.Background()
	for range 60 {
		l.booking(ctx)
	}
	noErrors(t, l)
	if n := len(l.rec.lat["booking"]); n != 48 {
		t.Fatalf("%d bookings, want 48 (one per slot)", n)
	}
	if _, no := l.unbookable.Load("xay-dung"); no {
		t.Fatal("xay-dung taken for a service without appointments")
	}
	if _, no := l.unbookable.Load("ho-tich"); !no {
		t.Fatal("ho-tich was never found to take no appointments")
	}
}

// TestRequestsAgainstTheServer: the kinds of the mix, sent through the
// client to the real server, are answered as the tool expects.
func TestRequestsAgainstTheServer(t *testing.T) {
	l := testLoader(t)
	ctx := context.Background()
	for range 5 {
		l.kioskIssue(ctx, "kiosk")
		l.remote(ctx)
	}
	for range 5 {
		l.kioskRetry(ctx)
		l.track(ctx)
		l.readState(ctx)
		l.readOffice(ctx)
	}
	noErrors(t, l)
	if l.issued.Load() != 10 || len(l.rec.lat["kiosk-retry"]) != 5 || len(l.rec.lat["track"]) != 5 {
		t.Fatalf("issued %d, retries %d, tracks %d", l.issued.Load(), len(l.rec.lat["kiosk-retry"]), len(l.rec.lat["track"]))
	}
	if s, _ := l.anon.State(ctx, "demo"); waitingOf(s) != 10 {
		t.Fatalf("waiting %d after 10 issues and 5 retries", waitingOf(s))
	}
}
