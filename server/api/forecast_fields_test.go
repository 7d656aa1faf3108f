package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"luot/server/queue"
)

// TestTicketForecastFields checks the forecast fields of a ticket's JSON
// (eta_seconds, eta_provisional, expected_at) in the three cases a page
// must tell apart: no counter open while the office is open by its hours
// (no time is promised), no counter open before the opening time (the
// wait counts from it), and a counter open.
func TestTicketForecastFields(t *testing.T) {
	e := newEnv(t)
	fields := func(r resp) map[string]json.RawMessage {
		t.Helper()
		var a struct {
			Ticket map[string]json.RawMessage `json:"ticket"`
		}
		r.decode(t, &a)
		return a.Ticket
	}
	issue := func(q req) map[string]json.RawMessage {
		t.Helper()
		return fields(e.must(t, http.StatusCreated, q))
	}
	kiosk := req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "kiosk1", body: map[string]string{"service": "ho-tich"}}

	// 08:00, open around the clock, nobody at a counter.
	tk := issue(kiosk)
	if string(tk["eta_provisional"]) != "true" || string(tk["eta_seconds"]) != "-1" || tk["expected_at"] != nil {
		t.Errorf("no counter open, office open: eta_provisional %s, eta_seconds %s, expected_at %s; want true, -1, absent",
			tk["eta_provisional"], tk["eta_seconds"], tk["expected_at"])
	}

	// The office opens at 13:30 after lunch: a clerk's number at 12:00
	// waits behind the morning's ticket, from 13:30.
	o := testOffice()
	hours := []queue.Span{{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}}
	o.Hours = queue.WeekHours{"fri": hours}
	if _, err := e.eng.Do(context.Background(), office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Reconfigure(now, o, "test")
	}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(4 * time.Hour)
	tok := e.login(t, "nv2", "q2")
	tk = issue(req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", token: tok, body: map[string]string{"service": "ho-tich"}})
	var at time.Time
	if err := json.Unmarshal(tk["expected_at"], &at); err != nil {
		t.Fatalf("expected_at %s: %v", tk["expected_at"], err)
	}
	// Both ho-tich tickets go to two of the three counters that serve
	// it when they all open at 13:30.
	want := time.Date(2026, 11, 27, 13, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	if string(tk["eta_provisional"]) != "true" || !at.Equal(want) || string(tk["eta_seconds"]) != "5400" {
		t.Errorf("before the opening time: eta_provisional %s, eta_seconds %s, expected_at %s; want true, 5400, %s",
			tk["eta_provisional"], tk["eta_seconds"], tk["expected_at"], want.Format(time.RFC3339))
	}
	if _, off := at.Zone(); off != 7*3600 {
		t.Errorf("expected_at %s is not in the office's timezone", tk["expected_at"])
	}

	// A counter opens: a real forecast, no longer provisional.
	e.must(t, http.StatusOK, req{method: "POST", path: "/api/v1/counters/q2/open", token: tok})
	var track struct {
		Ticket map[string]json.RawMessage `json:"ticket"`
	}
	var id, link string
	json.Unmarshal(tk["id"], &id)
	json.Unmarshal(tk["track_url"], &link)
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	e.must(t, http.StatusOK, req{method: "GET", path: "/api/v1/tickets/" + id + "?token=" + url.QueryEscape(u.Query().Get("token"))}).decode(t, &track.Ticket)
	if string(track.Ticket["eta_provisional"]) != "false" || track.Ticket["expected_at"] == nil {
		t.Errorf("counter open: eta_provisional %s, expected_at %s; want false, a time", track.Ticket["eta_provisional"], track.Ticket["expected_at"])
	}
}
