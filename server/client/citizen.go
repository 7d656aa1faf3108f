package client

import (
	"context"
	"net/http"
	"net/url"
)

// RemoteTicketRequest asks for a same-day number from afar (a phone or the
// office's web page).
type RemoteTicketRequest struct {
	Service string `json:"service"`
	Phone   string `json:"phone"`
	Name    string `json:"name"`
	// Code is the code texted to the phone, when the server confirms phones.
	Code string `json:"code,omitempty"`
}

// RemoteTicket takes a same-day number from afar. The server answers 201
// with the ticket (its TrackURL carries the tracking token), 429 when the
// address, the phone or the office has taken too many.
func (c *Client) RemoteTicket(ctx context.Context, office string, r RemoteTicketRequest) (*Ticket, error) {
	var out struct {
		Ticket Ticket `json:"ticket"`
	}
	if _, err := c.do(ctx, http.MethodPost, officePath(office)+"/remote-tickets", r, "", &out); err != nil {
		return nil, err
	}
	return &out.Ticket, nil
}

// Slot is an appointment slot that may still be booked.
type Slot struct {
	Start    string `json:"slot"` // local HH:MM, what a booking names
	End      string `json:"end"`  // local HH:MM
	Capacity int    `json:"capacity"`
	Free     int    `json:"free"` // places left, at least 1
}

// Slots lists the slots of a service on a local date (YYYY-MM-DD) that may
// still be booked: full slots and slots that have begun are left out, so
// an empty list means the day is full. A service that takes no
// appointments is refused with 409 service_not_bookable.
func (c *Client) Slots(ctx context.Context, office, service, date string) ([]Slot, error) {
	var out struct {
		Slots []Slot `json:"slots"`
	}
	q := url.Values{"service": {service}, "date": {date}}
	if _, err := c.do(ctx, http.MethodGet, officePath(office)+"/slots?"+q.Encode(), nil, "", &out); err != nil {
		return nil, err
	}
	return out.Slots, nil
}

// BookingRequest asks for an appointment in one of the offered slots.
type BookingRequest struct {
	Service string `json:"service"`
	Date    string `json:"date"` // local YYYY-MM-DD
	Slot    string `json:"slot"` // Slot.Start
	Name    string `json:"name"`
	Phone   string `json:"phone"`
}

// Booking is a booking as its holder sees it: the phone masked, no name.
type Booking struct {
	Code         string `json:"code"`
	Office       string `json:"office"`
	Service      string `json:"service"`
	Date         string `json:"date"`
	Slot         string `json:"slot"`
	End          string `json:"end"`
	Status       string `json:"status"`
	Ticket       string `json:"ticket"`
	Phone        string `json:"phone"`
	CheckinFrom  string `json:"checkin_from"`
	CheckinUntil string `json:"checkin_until"`
	// ManageURL is the booking's page with its manage token: only the
	// answer that makes the booking carries it.
	ManageURL string `json:"manage_url"`
}

// Book makes an appointment. The server answers 201 with the booking, 409
// slot_full when the slot filled meanwhile.
func (c *Client) Book(ctx context.Context, office string, r BookingRequest) (*Booking, error) {
	var out struct {
		Booking Booking `json:"booking"`
	}
	if _, err := c.do(ctx, http.MethodPost, officePath(office)+"/bookings", r, "", &out); err != nil {
		return nil, err
	}
	return &out.Booking, nil
}

// EventsURL is the websocket URL of an office's event stream, for a
// program that reads the stream itself instead of through Follow (the
// load tool, which times each message's arrival).
func (c *Client) EventsURL(office string) string {
	return c.wsBase() + eventsPath(office, 0)
}

// TicketEventsURL is the websocket URL of one ticket's stream (the track
// answer on every change), given its tracking token.
func (c *Client) TicketEventsURL(id, token string) string {
	return c.wsBase() + "/api/v1/tickets/" + url.PathEscape(id) + "/events?token=" + url.QueryEscape(token)
}

// TrackToken is the tracking token in a ticket's TrackURL, or "".
func (t *Ticket) TrackToken() string {
	u, err := url.Parse(t.TrackURL)
	if err != nil {
		return ""
	}
	return u.Query().Get("token")
}

func (c *Client) wsBase() string {
	u := *c.base
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	return u.String()
}
