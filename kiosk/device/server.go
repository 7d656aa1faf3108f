// Package device connects the kiosk's UI (luot/kiosk/ui) to the world: the
// Lượt server through server/client, the ticket printer through package
// printer, and the serial barcode/QR scanner through go.bug.st/serial.
package device

import (
	"context"
	"errors"
	"net/http"
	"time"

	"luot/kiosk/ui"
	"luot/server/client"
)

// Server is ui.Server over the server's HTTP API for one office.
type Server struct {
	C *client.Client
	// OfficeID is the office the kiosk serves.
	OfficeID string
}

var _ ui.Server = (*Server)(nil)

// NewServer returns the kiosk's server for office at baseURL, sending the
// kiosk's device key.
func NewServer(baseURL, deviceKey, office string, opts ...client.Option) (*Server, error) {
	c, err := client.New(baseURL, append([]client.Option{client.WithDeviceKey(deviceKey)}, opts...)...)
	if err != nil {
		return nil, err
	}
	return &Server{C: c, OfficeID: office}, nil
}

// Office reads the office's public configuration.
func (s *Server) Office(ctx context.Context) (*ui.Office, error) {
	o, err := s.C.Office(ctx, s.OfficeID)
	if err != nil {
		return nil, refusal(err)
	}
	loc, lerr := time.LoadLocation(o.Timezone)
	if lerr != nil || o.Timezone == "" {
		loc = time.FixedZone("ICT", 7*3600) // Việt Nam has one zone, without summer time
	}
	open := map[string]bool{}
	for _, c := range o.Counters {
		if c.State == "open" {
			for _, sv := range c.Services {
				open[sv] = true
			}
		}
	}
	u := &ui.Office{Name: o.Name, NameEN: o.NameEN, Open: o.OpenNow, Location: loc}
	for _, sv := range o.Services {
		u.Services = append(u.Services, ui.Service{ID: sv.ID, Name: sv.Name, NameEN: sv.NameEN,
			Active: sv.Active, Served: sv.Served, CounterOpen: open[sv.ID]})
	}
	return u, nil
}

// Issue issues a walk-in ticket with the tap's idempotency key.
func (s *Server) Issue(ctx context.Context, service string, p ui.Priority, key string) (*ui.Ticket, error) {
	t, err := s.C.Issue(ctx, s.OfficeID, client.IssueRequest{Service: service, Priority: string(p)}, key)
	if err != nil {
		return nil, refusal(err)
	}
	return ticket(t), nil
}

// CheckIn checks a booking in.
func (s *Server) CheckIn(ctx context.Context, code, key string) (*ui.Ticket, error) {
	t, err := s.C.CheckIn(ctx, s.OfficeID, code, key)
	if err != nil {
		return nil, refusal(err)
	}
	return ticket(t), nil
}

// PickupDossier asks for a pickup ticket of a dossier (client.PickupDossier):
// the ticket when the result is ready, the status only when it is not. A
// 404 is an unknown dossier to the citizen, whatever the server's code.
func (s *Server) PickupDossier(ctx context.Context, code, token, key string) (*ui.Pickup, error) {
	p, err := s.C.PickupDossier(ctx, s.OfficeID, code, token, key)
	if err != nil {
		return nil, refusalAs(err, client.CodeUnknownDossier)
	}
	d := p.Dossier
	out := &ui.Pickup{Dossier: ui.DossierStatus{Code: d.Code, Procedure: d.Procedure, ProcedureEN: d.ProcedureEN,
		Status: d.Status, DueAt: d.DueAt, Late: d.Late, NewDue: d.NewDue, Supplement: d.Supplement}}
	if p.Ticket != nil {
		out.Ticket = ticket(p.Ticket)
	}
	return out, nil
}

// ReportStatus sends a device.status report.
func (s *Server) ReportStatus(ctx context.Context, status, message string) error {
	return s.C.ReportStatus(ctx, status, message)
}

func ticket(t *client.Ticket) *ui.Ticket {
	eta := time.Duration(t.ETASeconds) * time.Second
	if t.ETASeconds < 0 {
		eta = -1
	}
	return &ui.Ticket{ID: t.ID, Number: t.Number, Service: t.Service, ServiceName: t.ServiceName,
		Priority: ui.Priority(t.Priority), Ahead: t.Ahead, ETA: eta, Provisional: t.Provisional, Expected: t.ExpectedAt,
		TrackURL: t.TrackURL, Issued: t.IssuedAt}
}

// refusal turns the server's "no" into a *ui.Refusal with the server's
// code; errors that mean the server cannot serve (network, 5xx other than
// "office closed") are returned as they are. A 404 of anything but the
// office is an unknown booking.
func refusal(err error) error { return refusalAs(err, client.CodeUnknownBooking) }

// refusalAs is refusal with notFound the code of a 404 (a booking's, a
// dossier's).
func refusalAs(err error, notFound string) error {
	var e *client.Error
	if !errors.As(err, &e) {
		return err
	}
	r := &ui.Refusal{Code: e.Code, Message: e.Message, ComeBackAt: e.ComeBackAt}
	switch {
	case e.Code == client.CodeOfficeClosed:
		// A 503, but an answer: the kiosk shows "closed", not "no server".
	case e.Status >= 500:
		return err
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		r.Denied = true
	case e.Status == http.StatusNotFound && e.Code != client.CodeUnknownOffice:
		// A code the server does not know, whatever the 404 says.
		r.Code = notFound
	}
	return r
}
