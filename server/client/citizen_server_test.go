package client_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"luot/internal/clock"
	"luot/server/client"
	"luot/server/queue"
	"luot/server/servertest"
)

// citizenServer is the real server stack (servertest, the API alone) with an
// office open around the clock: ho-tich takes numbers only, xay-dung also
// takes appointments in 30-minute slots of two places.
func citizenServer(t *testing.T) (*httptest.Server, *clock.Fake) {
	t.Helper()
	pol := queue.DefaultPolicy()
	pol.BookingHorizonDays = 7
	s := servertest.New(t,
		servertest.WithOffice(queue.Office{
			ID: "demo", Name: "Bộ phận Một cửa", Hours: queue.AlwaysOpen(), Policy: pol,
			Services: []queue.Service{
				{ID: "ho-tich", Name: "Hộ tịch", Prefix: "B", DefaultMinutes: 5, Active: true},
				{ID: "xay-dung", Name: "Xây dựng", Prefix: "C", DefaultMinutes: 5, Active: true, SlotMinutes: 30, SlotCapacity: 2},
			},
			Counters: []queue.Counter{{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "xay-dung"}}}},
		}),
		servertest.WithStaff(),
		servertest.WithDevices(),
		servertest.WithoutWeb(),
	)
	return s.HTTP, s.Clock
}

// TestSlotsAndBookingsAgainstTheServer: Slots reads the server's real
// answer (start, end, capacity, free places), a full slot leaves the list,
// and Book's answer carries the booking and its manage link.
func TestSlotsAndBookingsAgainstTheServer(t *testing.T) {
	ctx := context.Background()
	srv, _ := citizenServer(t)
	c, _ := client.New(srv.URL)
	slots, err := c.Slots(ctx, "demo", "xay-dung", "2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 48 || slots[0] != (client.Slot{Start: "00:00", End: "00:30", Capacity: 2, Free: 2}) ||
		slots[47] != (client.Slot{Start: "23:30", End: "24:00", Capacity: 2, Free: 2}) {
		t.Fatalf("%d slots, first %+v, last %+v", len(slots), slots[0], slots[len(slots)-1])
	}
	for i, phone := range []string{"0912345678", "0987654321"} {
		b, err := c.Book(ctx, "demo", client.BookingRequest{Service: "xay-dung", Date: "2026-11-28", Slot: "09:30", Name: "Phạm Thị Lan", Phone: phone})
		if err != nil {
			t.Fatal(err)
		}
		if !client.ValidBookingCode(b.Code) || b.Slot != "09:30" || b.End != "10:00" || b.Status != "booked" || b.ManageURL == "" || b.Phone == phone {
			t.Fatalf("booking %d: %+v", i, b)
		}
	}
	slots, err = c.Slots(ctx, "demo", "xay-dung", "2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 47 || slices.ContainsFunc(slots, func(s client.Slot) bool { return s.Start == "09:30" }) {
		t.Fatalf("after filling 09:30: %d slots", len(slots))
	}
	_, err = c.Book(ctx, "demo", client.BookingRequest{Service: "xay-dung", Date: "2026-11-28", Slot: "09:30", Name: "Lê Văn Ba", Phone: "0911111111"})
	if e, ok := err.(*client.Error); !ok || e.Status != 409 || e.Code != "slot_full" {
		t.Fatalf("a third booking of a full slot: %v", err)
	}
	_, err = c.Slots(ctx, "demo", "ho-tich", "2026-11-28")
	if e, ok := err.(*client.Error); !ok || e.Status != 409 || e.Code != "service_not_bookable" {
		t.Fatalf("slots of a service without appointments: %v", err)
	}
}

// TestRemoteTicketAndStreamsAgainstTheServer: a remote number comes with
// its tracking token, which opens the ticket and its stream; EventsURL is
// the office's stream, which starts with a snapshot.
func TestRemoteTicketAndStreamsAgainstTheServer(t *testing.T) {
	ctx := context.Background()
	srv, _ := citizenServer(t)
	c, _ := client.New(srv.URL)
	tk, err := c.RemoteTicket(ctx, "demo", client.RemoteTicketRequest{Service: "ho-tich", Phone: "0912345678", Name: "Nguyễn Văn A"})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Source != "remote" || tk.Status != "waiting" || tk.TrackToken() == "" {
		t.Fatalf("remote ticket %+v", tk)
	}
	got, err := c.Ticket(ctx, tk.ID, tk.TrackToken())
	if err != nil || got.ID != tk.ID {
		t.Fatalf("the ticket by its token: %+v, %v", got, err)
	}
	for _, u := range []string{c.TicketEventsURL(tk.ID, tk.TrackToken()), c.EventsURL("demo")} {
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, u, nil)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, msg, err := conn.ReadMessage()
		conn.Close()
		if err != nil {
			t.Fatalf("%s: first message: %v", u, err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(msg, &m); err != nil || len(m) == 0 {
			t.Fatalf("%s: first message %s", u, msg)
		}
		if u == c.EventsURL("demo") && string(m["type"]) != `"snapshot"` {
			t.Fatalf("office stream starts with %s", msg)
		}
	}
}
