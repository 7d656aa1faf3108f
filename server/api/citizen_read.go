package api

import (
	"crypto/subtle"
	"net/http"

	"luot/server/auth"
	"luot/server/queue"
)

// BookingDay is one bookable date of a service with its free slots.
type BookingDay struct {
	Date  string       `json:"date"`
	Slots []queue.Slot `json:"slots"`
}

// bookingSlots answers every bookable date of a service within the
// booking horizon, each with its free slots, in one request: the booking
// page needs them all to offer the dates, and a phone on a slow network
// pays for each round trip.
func (c *citizen) bookingSlots(w http.ResponseWriter, r *http.Request) {
	v, ok := c.officeView(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	if len(q) != 1 || len(q["service"]) != 1 {
		c.s.fail(w, r, badRequest("invalid_query", "give exactly one parameter, ?service= (a service's id from GET /offices/{office})"))
		return
	}
	service := q.Get("service")
	if err := checkID("service", service, true); err != nil {
		c.s.fail(w, r, err)
		return
	}
	st, now := v.Frozen(), c.s.now()
	dates, err := st.BookingDates(now, service)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	days := []BookingDay{}
	for _, d := range dates {
		slots, err := st.FreeSlots(now, service, d)
		if err != nil {
			c.s.fail(w, r, err)
			return
		}
		days = append(days, BookingDay{Date: d, Slots: slots})
	}
	writeJSON(w, http.StatusOK, map[string]any{"service": service, "days": days, "horizon_days": v.Office.Policy.BookingHorizonDays})
}

// getBooking answers a booking to its holder: the request carries the
// manage token of the booking's link (?token=). A wrong token, an unknown
// code and a malformed one past its syntax are answered alike (404), so
// that the server confirms no code to whoever merely guesses it; the
// answer names nobody (renderBooking masks the phone). The confirmation
// and cancel pages read the booking's status with it.
func (c *citizen) getBooking(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if c.limited(w, r) {
		return
	}
	code, err := bookingCode(r.PathValue("code"))
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	token := r.URL.Query().Get("token")
	if token == "" || len(token) > 128 {
		c.s.fail(w, r, newError(http.StatusUnauthorized, "token_required", "the booking's link is needed (?token= of the link you received when you booked): the code alone shows nothing"))
		return
	}
	bk, v, err := c.findBooking(r, code)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	if bk == nil || len(bk.TokenHash) == 0 || subtle.ConstantTimeCompare(bk.TokenHash, auth.Hash(token)) != 1 {
		c.s.fail(w, r, errNoBooking)
		return
	}
	var o *queue.Office
	if v != nil {
		o = &v.Office
	}
	writeJSON(w, http.StatusOK, bookingAnswer{Booking: renderBooking(bk, o)})
}
