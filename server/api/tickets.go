package api

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"time"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
)

// TicketJSON is a ticket as the API shows it (DESIGN.md, "Shapes"). Ahead,
// ETASeconds, Provisional and ExpectedAt are the current forecast for a
// waiting ticket: ETASeconds is −1 when it is not known (no counter could
// call it, or none is open while the office is open by its hours);
// Provisional is true when no counter is open, and the wait then counts
// from the next opening time; ExpectedAt, in the office's timezone, is when
// the ticket is expected to be called, absent when not known. Ahead and
// ETASeconds are 0 once the ticket is called.
type TicketJSON struct {
	ID            string         `json:"id"`
	Number        string         `json:"number"`
	Service       string         `json:"service"`
	ServiceName   string         `json:"service_name"`
	ServiceNameEN string         `json:"service_name_en,omitempty"`
	Status        queue.Status   `json:"status"`
	Priority      queue.Priority `json:"priority"`
	Source        queue.Source   `json:"source"`
	IssuedAt      time.Time      `json:"issued_at"`
	CalledAt      *time.Time     `json:"called_at"`
	Counter       string         `json:"counter"`
	CounterNumber int            `json:"counter_number"`
	Recalls       int            `json:"recalls"`
	Ahead         int            `json:"ahead"`
	ETASeconds    int            `json:"eta_seconds"`
	Provisional   bool           `json:"eta_provisional"`
	ExpectedAt    *time.Time     `json:"expected_at,omitempty"`
	TrackURL      string         `json:"track_url"`
}

// render shows a ticket with the forecast of view v (which may be nil for
// a ticket of an office no longer loaded).
func (s *Server) render(t *queue.Ticket, v *engine.View) TicketJSON {
	if v == nil {
		return s.renderIn(t, nil, nil)
	}
	return s.renderIn(t, &v.Office, v.Estimates)
}

// renderIn shows a ticket of office o (nil: unknown) with the forecast est
// (nil: none, for a ticket that is not waiting).
func (s *Server) renderIn(t *queue.Ticket, o *queue.Office, est *queue.Forecast) TicketJSON {
	j := TicketJSON{
		ID: t.ID, Number: t.Display, Service: t.Service, Status: t.Status,
		Priority: t.Priority, Source: t.Source, IssuedAt: t.IssuedAt,
		Counter: t.Counter, Recalls: t.Recalls,
		TrackURL: s.public + "/t/" + url.PathEscape(t.ID) + "?token=" + url.QueryEscape(t.Token),
	}
	if o != nil {
		loc := o.Location()
		j.IssuedAt = t.IssuedAt.In(loc)
		if sv := o.Service(t.Service); sv != nil {
			j.ServiceName, j.ServiceNameEN = sv.Name, sv.NameEN
		}
		if k := o.Counter(t.Counter); k != nil {
			j.CounterNumber = k.Number
		}
		if t.Status == queue.StatusWaiting {
			if e, ok := est.Of(t); ok {
				j.Ahead, j.ETASeconds, j.Provisional = e.Ahead, e.Seconds(), e.Provisional
				if e.Known {
					x := e.At.In(loc)
					j.ExpectedAt = &x
				}
			} else {
				j.ETASeconds = -1
			}
		}
		if !t.CalledAt.IsZero() {
			c := t.CalledAt.In(loc)
			j.CalledAt = &c
		}
	} else if !t.CalledAt.IsZero() {
		c := t.CalledAt
		j.CalledAt = &c
	}
	return j
}

// ticketAnswer is the body of answers about one ticket.
type ticketAnswer struct {
	Ticket TicketJSON `json:"ticket"`
}

// renderCurrent renders t with the office's current view.
func (s *Server) renderCurrent(office string, t *queue.Ticket) TicketJSON {
	v, _ := s.eng.View(office)
	if v != nil {
		if cur, ok := v.Tickets[t.ID]; ok {
			t = cur
		}
	}
	return s.render(t, v)
}

const maxIdempotencyKey = 128

func (s *Server) issueTicket(w http.ResponseWriter, r *http.Request) {
	office := r.PathValue("office")
	if _, err := s.eng.View(office); err != nil {
		s.fail(w, r, err)
		return
	}
	var a actor
	d, hasKey, err := s.device(r)
	switch {
	case err != nil:
		s.fail(w, r, err)
		return
	case hasKey:
		if d.Office != office {
			s.fail(w, r, newError(http.StatusForbidden, "wrong_office", "this device is registered for office {office}, not {other}", "office", d.Office, "other", office))
			return
		}
		if d.Kind != queue.DeviceKiosk {
			s.fail(w, r, newError(http.StatusForbidden, "not_a_kiosk", "only a kiosk device may issue tickets; this device is a {kind}", "kind", d.Kind))
			return
		}
		a.device = d
	default:
		se, err := s.staff(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !se.Can(auth.ServeCounter) {
			// Issuing numbers is the desk's (a province administrator's
			// session is of an office too).
			s.fail(w, r, errNotDesk)
			return
		}
		if se.Office != office {
			s.fail(w, r, newError(http.StatusForbidden, "wrong_office", "you are logged in at office {office}, not {other}", "office", se.Office, "other", office))
			return
		}
		a.session = se
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		s.fail(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
		return
	}
	b, ok := decodeBody(w, r, s, decodeIssue)
	if !ok {
		return
	}
	req := queue.IssueRequest{Service: b.Service, Priority: b.Priority, Source: queue.SourceClerk}
	if a.device != nil {
		req.Source, req.Device = queue.SourceKiosk, a.device.ID
	}
	scoped := ""
	if key != "" {
		scoped = a.scope() + key
	}
	t, created, err := s.eng.Issue(r.Context(), office, req, scoped)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !created && (t.NumberService != b.Service || t.Priority != b.Priority) {
		s.fail(w, r, newError(http.StatusConflict, "idempotency_key_reused",
			"this Idempotency-Key was already used for a different request (another service or priority): make a new key for a new ticket"))
		return
	}
	if created {
		s.metrics.issued.WithLabelValues(office, t.Service, string(t.Source)).Inc()
	} else {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, ticketAnswer{Ticket: s.renderCurrent(office, t)})
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

var errNoTicket = newError(http.StatusNotFound, "unknown_ticket", "no ticket matches this id and token: check the link on your ticket")

// getTicket answers the holder of a ticket: the token is the only way in.
func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	token := r.URL.Query().Get("token")
	if token == "" {
		s.fail(w, r, newError(http.StatusUnauthorized, "token_required", "add the ticket's token (?token=…, from the link or QR code on the ticket)"))
		return
	}
	if len(id) > 64 || len(token) > 128 {
		s.fail(w, r, errNoTicket)
		return
	}
	t, v, err := s.eng.FindTicket(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if t == nil || subtle.ConstantTimeCompare([]byte(t.Token), []byte(token)) != 1 {
		s.fail(w, r, errNoTicket)
		return
	}
	writeJSON(w, http.StatusOK, s.render(t, v))
}
