package api

import (
	"net/http"
	"sync"
	"time"

	"luot/server/ratelimit"
)

// citizenRoutes registers the citizens' API: remote tickets, slots,
// bookings, check-ins, ratings and the ticket event stream.
//
//	POST   /api/v1/offices/{office}/remote-tickets  public, rate-limited: {service, phone, name[, code]} → 201 {ticket}
//	POST   /api/v1/offices/{office}/phone-codes     public, rate-limited, when a PhoneVerifier is set: {phone} → 202 (phoneverify.go)
//	GET    /api/v1/offices/{office}/booking-dates   public: ?service= → {dates}
//	GET    /api/v1/offices/{office}/slots           public: ?service=&date= → {slots}
//	GET    /api/v1/offices/{office}/booking-slots   public: ?service= → {days: [{date, slots}]}, every bookable date at once
//	POST   /api/v1/offices/{office}/bookings        public, rate-limited: {service, date, slot, name, phone} → 201 {booking} with manage_url
//	GET    /api/v1/bookings/{code}                  holder, rate-limited: ?token= (of manage_url) → 200 {booking} (its status)
//	DELETE /api/v1/bookings/{code}                  holder, rate-limited: {token} (of manage_url) → 200 {booking}
//	POST   /api/v1/offices/{office}/checkins        kiosk device key (or staff): {code} → 201 {ticket}
//	GET    /api/v1/tickets/{id}/track               holder (?token=): ticket, counters of its service, reason
//	GET    /api/v1/tickets/{id}/events              holder (?token=, websocket): the track answer on every change
//	POST   /api/v1/tickets/{id}/cancel              holder, rate-limited: {token} → 200 {ticket}
//	POST   /api/v1/tickets/{id}/rating              holder, once, after done: {token, score 1–4, comment} → 201 {rating}
//
// Every public write is limited per client IP address and, where a phone
// number is given, per phone (429 with Retry-After). Answers never name a
// citizen, and a phone number never opens anything: a booking is managed
// with the token of its manage_url, a ticket with its tracking token.
func (s *Server) citizenRoutes() {
	const p = "/api/v1"
	c := &citizen{s: s}
	c.setLimits(DefaultCitizenLimits())
	s.citizen = c
	m := s.mux
	m.HandleFunc("POST "+p+"/offices/{office}/remote-tickets", c.remoteTicket)
	m.HandleFunc("POST "+p+"/offices/{office}/phone-codes", c.sendPhoneCode)
	m.HandleFunc("GET "+p+"/offices/{office}/booking-dates", c.bookingDates)
	m.HandleFunc("GET "+p+"/offices/{office}/slots", c.slots)
	m.HandleFunc("GET "+p+"/offices/{office}/booking-slots", c.bookingSlots)
	m.HandleFunc("GET "+p+"/bookings/{code}", c.getBooking)
	m.HandleFunc("POST "+p+"/offices/{office}/bookings", c.book)
	m.HandleFunc("DELETE "+p+"/bookings/{code}", c.cancelBooking)
	m.HandleFunc("POST "+p+"/offices/{office}/checkins", c.checkIn)
	m.HandleFunc("GET "+p+"/tickets/{id}/track", c.track)
	m.HandleFunc("GET "+p+"/tickets/{id}/events", c.ticketEvents)
	m.HandleFunc("POST "+p+"/tickets/{id}/cancel", c.cancelTicket)
	m.HandleFunc("POST "+p+"/tickets/{id}/rating", c.rate)
}

// CitizenLimits are the rate limits of the citizens' public writes: each
// is a token bucket of Burst requests refilled one per Every.
type CitizenLimits struct {
	// PerIP limits every public write of one client address. Mobile
	// networks put many phones behind one address, so it is generous.
	PerIPBurst int
	PerIPEvery time.Duration
	// PerPhone limits writes that name a phone number (remote numbers,
	// bookings, cancellations).
	PerPhoneBurst int
	PerPhoneEvery time.Duration
	// RemotePerOffice limits the same-day online numbers of one office,
	// from everyone together: invented phone numbers from a few addresses
	// pass the other limits. Zero takes the default.
	RemotePerOfficeBurst int
	RemotePerOfficeEvery time.Duration
}

// DefaultCitizenLimits are 30 writes at once per address then one every 2
// seconds, 5 per phone then one every 2 minutes, and 20 online numbers at
// once per office then one every 6 seconds (600 an hour: more than a
// one-stop shop gives in a day; a flood of 150 in 10 seconds gets 21).
// Each service's daily cap of online numbers (queue.Office.RemoteLimit)
// bounds the rest.
func DefaultCitizenLimits() CitizenLimits {
	return CitizenLimits{PerIPBurst: 30, PerIPEvery: 2 * time.Second, PerPhoneBurst: 5, PerPhoneEvery: 2 * time.Minute,
		RemotePerOfficeBurst: 20, RemotePerOfficeEvery: 6 * time.Second}
}

// SetCitizenLimits replaces the rate limits of the citizens' writes (and
// forgets what was counted so far); a zero office limit keeps the default.
func (s *Server) SetCitizenLimits(l CitizenLimits) {
	s.citizen.setLimits(l)
}

// citizen holds the citizens' handlers and their state: the rate limits
// of the public writes and the shared feeds of followed tickets.
type citizen struct {
	s       *Server
	mu      sync.RWMutex
	byIP    *ratelimit.Limiter
	byPhone *ratelimit.Limiter
	// remoteByOffice limits the online numbers per office.
	remoteByOffice *ratelimit.Limiter
	// feeds shares each followed ticket's live message among its
	// followers (citizen_track.go).
	feeds trackFeeds
	// codes are the phone codes sent (phoneverify.go).
	codes phoneCodes
}

func (c *citizen) setLimits(l CitizenLimits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byIP = ratelimit.New(l.PerIPBurst, l.PerIPEvery, 100_000)
	c.byPhone = ratelimit.New(l.PerPhoneBurst, l.PerPhoneEvery, 100_000)
	d := DefaultCitizenLimits()
	if l.RemotePerOfficeBurst <= 0 || l.RemotePerOfficeEvery <= 0 {
		l.RemotePerOfficeBurst, l.RemotePerOfficeEvery = d.RemotePerOfficeBurst, d.RemotePerOfficeEvery
	}
	c.remoteByOffice = ratelimit.New(l.RemotePerOfficeBurst, l.RemotePerOfficeEvery, 10_000)
}

// officeRemoteLimited answers 429 when the office gives online numbers
// faster than its rate (after the address's and the phone's limits).
func (c *citizen) officeRemoteLimited(w http.ResponseWriter, r *http.Request, office string) bool {
	c.mu.RLock()
	l := c.remoteByOffice
	c.mu.RUnlock()
	return c.over(w, r, l, office, "online numbers taken at this office in the last minutes")
}

// officeCodesLimited is officeRemoteLimited for the phone codes an office
// sends (each an SMS someone pays for), at the same rate.
func (c *citizen) officeCodesLimited(w http.ResponseWriter, r *http.Request, office string) bool {
	c.mu.RLock()
	l := c.remoteByOffice
	c.mu.RUnlock()
	return c.over(w, r, l, "codes:"+office, "phone codes sent by this office in the last minutes")
}

// limited answers 429 (Server.tooMany) and returns true when the request's
// address is over its limit. It is checked before the body is read.
func (c *citizen) limited(w http.ResponseWriter, r *http.Request) bool {
	byIP, _ := c.limiters()
	return c.over(w, r, byIP, "ip:"+clientAddr(r), "requests from your network")
}

// phoneLimited is limited for the phone number a body names, once it is
// decoded (the address was charged already); no phone, no limit.
func (c *citizen) phoneLimited(w http.ResponseWriter, r *http.Request, phone string) bool {
	if phone == "" {
		return false
	}
	_, byPhone := c.limiters()
	return c.over(w, r, byPhone, "phone:"+phone, "requests for this phone number")
}

// limiters returns the current limiters (SetCitizenLimits replaces them).
func (c *citizen) limiters() (byIP, byPhone *ratelimit.Limiter) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byIP, c.byPhone
}

// over charges key in l, and answers 429 when it is over its limit.
func (c *citizen) over(w http.ResponseWriter, r *http.Request, l *ratelimit.Limiter, key, what string) bool {
	ok, retry := l.Allow(key, c.s.now())
	if !ok {
		c.s.tooMany(w, r, retry, what)
	}
	return !ok
}
