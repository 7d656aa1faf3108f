package api

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"time"

	"luot/internal/random"
	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
)

// BookingJSON is a booking as its holder sees it. The phone is masked and
// the name left out: no answer about a booking names its holder.
type BookingJSON struct {
	Code          string              `json:"code"`
	Office        string              `json:"office"`
	OfficeName    string              `json:"office_name,omitempty"`
	OfficeNameEN  string              `json:"office_name_en,omitempty"`
	Service       string              `json:"service"`
	ServiceName   string              `json:"service_name,omitempty"`
	ServiceNameEN string              `json:"service_name_en,omitempty"`
	Date          string              `json:"date"`
	Slot          string              `json:"slot"`
	End           string              `json:"end,omitempty"`
	Status        queue.BookingStatus `json:"status"`
	Ticket        string              `json:"ticket,omitempty"`
	Phone         string              `json:"phone"`
	// CheckinFrom and CheckinUntil bound the check-in window, local HH:MM.
	CheckinFrom  string `json:"checkin_from,omitempty"`
	CheckinUntil string `json:"checkin_until,omitempty"`
	// ManageURL is the booking's page with its manage token,
	// /b/{code}?token=…: the only way to cancel it. It is in the answer
	// that makes the booking and nowhere else (the server keeps only the
	// token's hash).
	ManageURL string `json:"manage_url,omitempty"`
}

type bookingAnswer struct {
	Booking BookingJSON `json:"booking"`
}

func renderBooking(b *queue.Booking, o *queue.Office) BookingJSON {
	j := BookingJSON{Code: b.Code, Office: b.Office, Service: b.Service, Date: b.Date, Slot: b.Slot,
		Status: b.Status, Ticket: b.Ticket, Phone: queue.MaskPhone(b.Phone)}
	if o == nil {
		return j
	}
	j.OfficeName, j.OfficeNameEN = o.Name, o.NameEN
	if sv := o.Service(b.Service); sv != nil {
		j.ServiceName, j.ServiceNameEN = sv.Name, sv.NameEN
		if start, ok := o.SlotTime(b.Date, b.Slot); ok {
			loc := o.Location()
			j.End = start.Add(time.Duration(sv.SlotMinutes) * time.Minute).In(loc).Format("15:04")
			j.CheckinFrom = start.Add(-time.Duration(o.Policy.BookingEarlyMinutes) * time.Minute).In(loc).Format("15:04")
			j.CheckinUntil = start.Add(time.Duration(o.Policy.BookingLateMinutes) * time.Minute).In(loc).Format("15:04")
		}
	}
	return j
}

// officeView returns an office's current view, or answers 404.
func (c *citizen) officeView(w http.ResponseWriter, r *http.Request) (*engine.View, bool) {
	v, err := c.s.eng.View(r.PathValue("office"))
	if err != nil {
		c.s.fail(w, r, err)
		return nil, false
	}
	return v, true
}

// phoned is a request body that names a phone number.
type phoned interface{ phone() string }

func (b RemoteTicketBody) phone() string { return b.Phone }
func (b BookingBody) phone() string      { return b.Phone }
func (b PhoneBody) phone() string        { return b.Phone }

// phoneLimitedBody decodes a public write's body and applies the limit of
// the phone it names (the caller has applied the per-address limit).
func phoneLimitedBody[T phoned](c *citizen, w http.ResponseWriter, r *http.Request, dec func([]byte) (T, error)) (T, bool) {
	b, ok := decodeBody(w, r, c.s, dec)
	if !ok || c.phoneLimited(w, r, b.phone()) {
		return b, false
	}
	return b, true
}

func (c *citizen) remoteTicket(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok || c.limited(w, r) {
		return
	}
	b, ok := phoneLimitedBody(c, w, r, decodeRemoteTicket)
	if !ok || !c.phoneVerified(w, r, v.Office.ID, b) || c.officeRemoteLimited(w, r, v.Office.ID) {
		return
	}
	req := queue.IssueRequest{ID: random.ID(), Token: random.Token(), Service: b.Service, Name: b.Name, Phone: b.Phone}
	ch, err := c.s.eng.Do(r.Context(), v.Office.ID, func(st *queue.State, now time.Time) (*queue.Change, error) {
		return st.IssueRemote(now, req)
	})
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.metrics.issued.WithLabelValues(v.Office.ID, ch.Ticket.Service, string(ch.Ticket.Source)).Inc()
	writeJSON(w, http.StatusCreated, ticketAnswer{Ticket: c.s.renderCurrent(v.Office.ID, ch.Ticket)})
}

func (c *citizen) bookingDates(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok {
		return
	}
	service := r.URL.Query().Get("service")
	if err := checkID("service", service, true); err != nil {
		c.s.fail(w, r, err)
		return
	}
	dates, err := v.Frozen().BookingDates(c.s.now(), service)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	if dates == nil {
		dates = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"service": service, "dates": dates, "horizon_days": v.Office.Policy.BookingHorizonDays})
}

func (c *citizen) slots(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	service, date := q.Get("service"), q.Get("date")
	if err := checkID("service", service, true); err != nil {
		c.s.fail(w, r, err)
		return
	}
	if date == "" {
		c.s.fail(w, r, badRequest("invalid_date", "date is required (?date=YYYY-MM-DD); GET booking-dates lists the dates that can be booked"))
		return
	}
	slots, err := v.Frozen().FreeSlots(c.s.now(), service, date)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"service": service, "date": date, "slots": slots})
}

// newBookingCode makes a random booking code not used by any stored
// booking (the domain refuses one used by a live booking).
func (c *citizen) newBookingCode(r *http.Request) (string, error) {
	for range 8 {
		b := make([]byte, queue.BookingCodeLen)
		rand.Read(b)
		code := queue.BookingCode(b)
		_, err := c.s.st.Booking(r.Context(), code)
		if errors.Is(err, queue.ErrNotFound) {
			return code, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", errors.New("could not find a free booking code in 8 tries")
}

func (c *citizen) book(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok || c.limited(w, r) {
		return
	}
	b, ok := phoneLimitedBody(c, w, r, decodeBooking)
	if !ok {
		return
	}
	code, err := c.newBookingCode(r)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	token := random.Token()
	req := queue.BookRequest{Code: code, Service: b.Service, Date: b.Date, Slot: b.Slot, Name: b.Name, Phone: b.Phone, TokenHash: auth.Hash(token)}
	ch, err := c.s.eng.Do(r.Context(), v.Office.ID, func(st *queue.State, now time.Time) (*queue.Change, error) {
		return st.Book(now, req)
	})
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	j := renderBooking(ch.Bookings[0], &v.Office)
	j.ManageURL = c.s.public + "/b/" + url.PathEscape(code) + "?token=" + url.QueryEscape(token)
	writeJSON(w, http.StatusCreated, bookingAnswer{Booking: j})
}

var errNoBooking = newError(http.StatusNotFound, "unknown_booking", "no booking matches this code and link: open the link you received when you booked")

// findBooking finds a booking by code: live in an office's state, or
// stored (a past one). office is "" when it was not found at all.
func (c *citizen) findBooking(r *http.Request, code string) (*queue.Booking, *engine.View, error) {
	for _, id := range c.s.eng.OfficeIDs() {
		v, err := c.s.eng.View(id)
		if err != nil {
			continue
		}
		if b, ok := v.Frozen().Booking(code); ok {
			return b, v, nil
		}
	}
	b, err := c.s.st.Booking(r.Context(), code)
	if errors.Is(err, queue.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	v, _ := c.s.eng.View(b.Office)
	return b, v, nil
}

// cancelBooking cancels a booking with its manage token (from the link
// in the booking's answer): the code, the phone or both are not enough. A
// wrong token is answered like an unknown code.
func (c *citizen) cancelBooking(w http.ResponseWriter, r *http.Request) {
	if c.limited(w, r) {
		return
	}
	code, err := bookingCode(r.PathValue("code"))
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, c.s, decodeBookingToken)
	if !ok {
		return
	}
	hash := auth.Hash(b.Token)
	bk, v, err := c.findBooking(r, code)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	if bk == nil || v == nil || len(bk.TokenHash) == 0 || subtle.ConstantTimeCompare(bk.TokenHash, hash) != 1 {
		c.s.fail(w, r, errNoBooking)
		return
	}
	if _, live := v.Frozen().Booking(code); !live {
		c.s.fail(w, r, newError(http.StatusConflict, "booking_past", "this booking was for {date} and is {status}: it can no longer be cancelled", "date", bk.Date, "status", bk.Status))
		return
	}
	ch, err := c.s.eng.Do(r.Context(), v.Office.ID, func(st *queue.State, now time.Time) (*queue.Change, error) {
		return st.CancelBooking(now, code, hash)
	})
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bookingAnswer{Booking: renderBooking(ch.Bookings[0], &v.Office)})
}

// kioskOrStaff authorises a kiosk of the office (X-Device-Key) or staff
// logged in at it.
func (s *Server) kioskOrStaff(r *http.Request, office string) (actor, error) {
	var a actor
	d, hasKey, err := s.device(r)
	switch {
	case err != nil:
		return a, err
	case hasKey:
		if d.Office != office {
			return a, newError(http.StatusForbidden, "wrong_office", "this device is registered for office {office}, not {other}", "office", d.Office, "other", office)
		}
		if d.Kind != queue.DeviceKiosk {
			return a, newError(http.StatusForbidden, "not_a_kiosk", "only a kiosk device may check bookings in; this device is a {kind}", "kind", d.Kind)
		}
		a.device = d
	default:
		se, err := s.staff(r)
		if err != nil {
			return a, err
		}
		if !se.Can(auth.ServeCounter) {
			// Checking bookings in is the desk's (a province
			// administrator's session is of an office too).
			return a, errNotDesk
		}
		if se.Office != office {
			return a, newError(http.StatusForbidden, "wrong_office", "you are logged in at office {office}, not {other}", "office", se.Office, "other", office)
		}
		a.session = se
	}
	return a, nil
}

// checkIn turns a booking into a ticket. An Idempotency-Key makes a
// retried request answer the ticket of the first one.
func (c *citizen) checkIn(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok {
		return
	}
	a, err := c.s.kioskOrStaff(r, v.Office.ID)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		c.s.fail(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
		return
	}
	b, ok := decodeBody(w, r, c.s, decodeCheckin)
	if !ok {
		return
	}
	scoped := ""
	if key != "" {
		scoped = a.scope() + "checkin:" + key
	}
	replay := func() bool {
		if scoped == "" {
			return false
		}
		id, err := c.s.st.TicketByIdempotencyKey(r.Context(), v.Office.ID, scoped)
		if err != nil || id == "" {
			return false
		}
		t, tv, err := c.s.eng.FindTicket(r.Context(), id)
		if err != nil || t == nil || t.Booking != b.Code {
			return false
		}
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusCreated, ticketAnswer{Ticket: c.s.render(t, tv)})
		return true
	}
	if replay() {
		return
	}
	req := queue.CheckInRequest{Code: b.Code, ID: random.ID(), Token: random.Token()}
	if a.device != nil {
		req.Device = a.device.ID
	}
	ch, err := c.s.eng.Do(r.Context(), v.Office.ID, func(st *queue.State, now time.Time) (*queue.Change, error) {
		ch, err := st.CheckIn(now, req)
		if ch != nil {
			ch.IdempotencyKey = scoped
		}
		return ch, err
	})
	if errors.Is(err, queue.ErrCheckedIn) && replay() {
		return
	}
	if errors.Is(err, queue.ErrUnknownBooking) {
		// A booking of another day, or of another office, is not in this
		// office's live state: say what it is.
		if bk, _ := c.s.st.Booking(r.Context(), b.Code); bk != nil {
			switch {
			case bk.Office != v.Office.ID:
				err = newError(http.StatusConflict, "wrong_office", "this booking is for another office ({office}): check it in there", "office", bk.Office)
			case bk.Status == queue.BookingCancelled:
				err = newError(http.StatusConflict, queue.ErrBookingCanceled.Code, "this booking was cancelled: take a number instead")
			default:
				err = newError(http.StatusConflict, queue.ErrTooLate.Code, "this booking was for {date} at {slot} and has passed: take a number instead", "date", bk.Date, "slot", bk.Slot)
			}
		}
	}
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.metrics.issued.WithLabelValues(v.Office.ID, ch.Ticket.Service, string(ch.Ticket.Source)).Inc()
	writeJSON(w, http.StatusCreated, ticketAnswer{Ticket: c.s.renderCurrent(v.Office.ID, ch.Ticket)})
}

// holderTicket finds a ticket by id and token, or answers 404 (a wrong
// token is answered like an unknown id).
func (c *citizen) holderTicket(w http.ResponseWriter, r *http.Request, token string) (*queue.Ticket, *engine.View, bool) {
	id := r.PathValue("id")
	if err := checkToken(token); err != nil {
		c.s.fail(w, r, err)
		return nil, nil, false
	}
	if len(id) > 64 {
		c.s.fail(w, r, errNoTicket)
		return nil, nil, false
	}
	t, v, err := c.s.eng.FindTicket(r.Context(), id)
	if err != nil {
		c.s.fail(w, r, err)
		return nil, nil, false
	}
	if t == nil || subtle.ConstantTimeCompare([]byte(t.Token), []byte(token)) != 1 {
		c.s.fail(w, r, errNoTicket)
		return nil, nil, false
	}
	return t, v, true
}

// tokened is a request body that carries the holder's ticket token.
type tokened interface{ token() string }

func (b TokenBody) token() string  { return b.Token }
func (b RatingBody) token() string { return b.Token }

// holderWrite is the preamble of a holder's write: the per-address limit,
// the body, and the ticket its token opens (with its office's view).
func holderWrite[T tokened](c *citizen, w http.ResponseWriter, r *http.Request, dec func([]byte) (T, error)) (T, *queue.Ticket, *engine.View, bool) {
	var b T
	if c.limited(w, r) {
		return b, nil, nil, false
	}
	b, ok := decodeBody(w, r, c.s, dec)
	if !ok {
		return b, nil, nil, false
	}
	t, v, ok := c.holderTicket(w, r, b.token())
	return b, t, v, ok
}

func (c *citizen) cancelTicket(w http.ResponseWriter, r *http.Request) {
	_, t, v, ok := holderWrite(c, w, r, decodeToken)
	if !ok {
		return
	}
	if v == nil || t.Day != v.Day {
		c.s.fail(w, r, newError(http.StatusConflict, "bad_transition", "ticket {ticket} was for {date} and can no longer be cancelled", "ticket", t.Display, "date", t.Day))
		return
	}
	ch, err := c.s.eng.Do(r.Context(), t.Office, func(st *queue.State, now time.Time) (*queue.Change, error) {
		return st.Cancel(now, t.ID, "holder")
	})
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ticketAnswer{Ticket: c.s.renderCurrent(t.Office, ch.Ticket)})
}

type ratingAnswer struct {
	Rating queue.Rating `json:"rating"`
}

func (c *citizen) rate(w http.ResponseWriter, r *http.Request) {
	b, t, _, ok := holderWrite(c, w, r, decodeRating)
	if !ok {
		return
	}
	if t.Status != queue.StatusDone {
		c.s.fail(w, r, newError(http.StatusConflict, "not_done", "ticket {ticket} is {status}: it can be rated once it has been served", "ticket", t.Display, "status", t.Status))
		return
	}
	rt := queue.Rating{Office: t.Office, Ticket: t.ID, Score: b.Score, Comment: b.Comment,
		Counter: t.Counter, Staff: t.Staff, Service: t.Service, Day: t.Day, At: c.s.now(), Channel: queue.RatingPhone}
	if err := c.s.st.PutRating(r.Context(), rt); err != nil {
		if errors.Is(err, queue.ErrConflict) {
			err = newError(http.StatusConflict, "already_rated", "ticket {ticket} has already been rated; thank you", "ticket", t.Display)
		}
		c.s.fail(w, r, err)
		return
	}
	rt.Staff = "" // the citizen does not need the clerk's id
	writeJSON(w, http.StatusCreated, ratingAnswer{Rating: rt})
}
