package queue

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEventPublic: what only staff may see is left out of the public
// event, the rest is kept, and the event given is not modified.
func TestEventPublic(t *testing.T) {
	tr := &Transfer{FromService: "a", ToService: "b", FromCounter: "q1", Staff: "nv1"}
	cases := []struct {
		data          any
		changed       bool
		private, kept string
	}{
		{BookingData{Code: "ACEFGH", Service: "a", Date: "2026-11-27", Slot: "09:00"}, true, "ACEFGH", `"slot":"09:00"`},
		{CounterData{Counter: "q1", Number: 1, State: CounterOpen, Staff: "nv1"}, true, "nv1", `"counter":"q1"`},
		{TicketData{Ticket: PublicTicket{ID: "t1", Number: "A001"}, Transfer: tr}, true, "nv1", `"to_service":"b"`},
		{ConfigData{By: "admin"}, true, "admin", `{}`},
		{TicketData{Ticket: PublicTicket{ID: "t1", Number: "A001"}}, false, "", `"A001"`},
		{CounterData{Counter: "q1", State: CounterClosed}, false, "", `"closed"`},
		{DeviceData{Device: "k1", Status: "paper_out"}, false, "", `"paper_out"`},
		{DayData{From: "2026-11-26", To: "2026-11-27"}, false, "", `"2026-11-27"`},
	}
	for _, c := range cases {
		e := Event{Seq: 7, Type: EventTicketIssued, Data: c.data}
		before, _ := json.Marshal(e)
		p, changed := e.Public()
		pub, _ := json.Marshal(p)
		after, _ := json.Marshal(e)
		if changed != c.changed {
			t.Errorf("%T: changed %v, want %v", c.data, changed, c.changed)
		}
		if string(before) != string(after) {
			t.Errorf("%T: the event was modified: %s → %s", c.data, before, after)
		}
		if c.private != "" && strings.Contains(string(pub), c.private) {
			t.Errorf("%T: public event %s carries %q", c.data, pub, c.private)
		}
		if !strings.Contains(string(pub), c.kept) || !strings.Contains(string(pub), `"seq":7`) {
			t.Errorf("%T: public event %s lacks %s", c.data, pub, c.kept)
		}
		if !changed && string(pub) != string(before) {
			t.Errorf("%T: unchanged but %s ≠ %s", c.data, pub, before)
		}
	}
	if tr.Staff != "nv1" {
		t.Error("the transfer was modified")
	}
}

// TestEventEncode: an event with private fields is encoded twice (whole
// for staff, without them for the public); one without any shares a
// single encoding.
func TestEventEncode(t *testing.T) {
	e := Event{Seq: 3, Type: EventBookingCreated, Data: BookingData{Code: "ACEFGH", Slot: "09:00"}}
	enc, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(enc.Staff), "ACEFGH") || strings.Contains(string(enc.Public), "ACEFGH") || !strings.Contains(string(enc.Public), `"slot":"09:00"`) {
		t.Fatalf("booking: staff %s, public %s", enc.Staff, enc.Public)
	}
	e = Event{Seq: 4, Type: EventTicketIssued, Data: TicketData{Ticket: PublicTicket{ID: "t1", Number: "A001"}}}
	if enc, err = e.Encode(); err != nil {
		t.Fatal(err)
	}
	if &enc.Staff[0] != &enc.Public[0] || !strings.Contains(string(enc.Staff), `"seq":4`) {
		t.Fatalf("ticket: staff %s, public %s (want one shared encoding)", enc.Staff, enc.Public)
	}
	if _, err := (Event{Type: EventTicketIssued, Data: func() {}}).Encode(); err == nil {
		t.Fatal("an event that cannot be encoded gave no error")
	}
}
