package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"luot/server/engine"
	"luot/server/queue"
)

// The counter station's routes (docs/station.md). A station sends its
// device key; the key names its office and the counter it is bound to, so
// that no route takes either:
//
//	GET  /api/v1/station               {device, office, counter, clerk, rating}
//	GET  /api/v1/station/clerk-photo   the photo of the clerk at its counter (image/jpeg), 404 when none
//	POST /api/v1/station/ratings       {ticket, score, reasons} → 201 {rating}
//
// Any other device's key is refused (403 not_a_station): a kiosk or a
// board has no counter.
func (s *Server) stationRoutes() {
	const p = "/api/v1"
	s.mux.HandleFunc("GET "+p+"/station", s.getStation)
	s.mux.HandleFunc("GET "+p+"/station/clerk-photo", s.stationClerkPhoto)
	s.mux.HandleFunc("POST "+p+"/station/ratings", s.stationRate)
}

// station authenticates a counter station by its key.
func (s *Server) station(r *http.Request) (*queue.Device, error) {
	d, ok, err := s.device(r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, newError(http.StatusUnauthorized, "device_key_required", "send the device's key in the X-Device-Key header")
	}
	if d.Kind != queue.DeviceStation {
		return nil, newError(http.StatusForbidden, "not_a_station", "only a counter station may use this; this device is a {kind}", "kind", d.Kind)
	}
	return d, nil
}

// stationView is the view of a station's office and its counter; a
// counter removed from the office since the station was registered is a
// 409 station_counter_gone.
func (s *Server) stationView(d *queue.Device) (*engine.View, *queue.Counter, error) {
	v, err := s.eng.View(d.Office)
	if err != nil {
		return nil, nil, err
	}
	k := v.Office.Counter(d.Counter)
	if k == nil {
		return nil, nil, newError(http.StatusConflict, "station_counter_gone",
			"counter {counter}, which this station is bound to, is no longer a counter of the office: register the station again for another counter", "counter", d.Counter)
	}
	return v, k, nil
}

// StationJSON answers GET /station (client.Station).
type StationJSON struct {
	Device  string             `json:"device"`
	Office  OfficeJSON         `json:"office"`
	Counter StationCounterJSON `json:"counter"`
	// Clerk is the staff member signed in at the counter, absent when
	// nobody is.
	Clerk  *ClerkJSON       `json:"clerk,omitempty"`
	Rating RatingPolicyJSON `json:"rating"`
}

// StationCounterJSON is the station's counter with the ticket it serves.
// The ticket has no track_url: its token is the citizen's.
type StationCounterJSON struct {
	CounterJSON
	Current *TicketJSON `json:"current,omitempty"`
}

// ClerkJSON is what a station shows of its clerk. PhotoURL is the path of
// the photo (GET with the station's key), absent when there is none; it
// names the clerk, so that a station may cache the picture by its URL.
type ClerkJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	PhotoURL string `json:"photo_url,omitempty"`
}

// RatingPolicyJSON is the office's rating prompt with its defaults
// (client.RatingPolicy).
type RatingPolicyJSON struct {
	Scale         []RatingLevelJSON  `json:"scale"`
	Reasons       []RatingReasonJSON `json:"reasons"`
	PromptSeconds int                `json:"prompt_seconds"`
	WindowSeconds int                `json:"window_seconds"`
}

// RatingLevelJSON is one step of the scale, best first.
type RatingLevelJSON struct {
	Score  int    `json:"score"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// RatingReasonJSON is a reason of a low score; NameEN is the Vietnamese
// name when the office gives no English one.
type RatingReasonJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// ratingPolicyJSON is an office's rating policy with its defaults.
func ratingPolicyJSON(p queue.RatingPolicy) RatingPolicyJSON {
	p = p.WithDefaults()
	j := RatingPolicyJSON{PromptSeconds: p.PromptSeconds, WindowSeconds: p.WindowSeconds}
	for _, l := range queue.RatingScale {
		j.Scale = append(j.Scale, RatingLevelJSON{Score: l.Score, Name: l.Name, NameEN: l.NameEN})
	}
	for _, r := range p.Reasons {
		en := r.NameEN
		if en == "" {
			en = r.Name
		}
		j.Reasons = append(j.Reasons, RatingReasonJSON{ID: r.ID, Name: r.Name, NameEN: en})
	}
	return j
}

// clerkPhotoPath is the path of the photo of the clerk at a station.
func clerkPhotoPath(staff string) string {
	return "/api/v1/station/clerk-photo?staff=" + url.QueryEscape(staff)
}

func (s *Server) getStation(w http.ResponseWriter, r *http.Request) {
	d, err := s.station(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, k, err := s.stationView(d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j := StationJSON{Device: d.ID, Office: s.officeJSON(v), Rating: ratingPolicyJSON(v.Office.Rating)}
	j.Counter.CounterJSON = CounterJSON{ID: k.ID, Number: k.Number, Name: k.Name, State: v.Counters[k.ID].State, Services: []string{}}
	if j.Counter.State == "" {
		j.Counter.State = queue.CounterClosed
	}
	for _, cs := range k.Services {
		j.Counter.Services = append(j.Counter.Services, cs.Service)
	}
	if t, ok := v.Tickets[v.Counters[k.ID].Current]; ok {
		tj := s.render(t, v)
		tj.TrackURL = ""
		j.Counter.Current = &tj
	}
	c, ok, err := s.st.CounterClerk(r.Context(), d.Office, d.Counter, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok {
		j.Clerk = &ClerkJSON{ID: c.ID, Name: c.Name, Title: c.Title}
		if c.HasPhoto {
			j.Clerk.PhotoURL = clerkPhotoPath(c.ID)
		}
	}
	writeJSON(w, http.StatusOK, j)
}

var errNoClerkPhoto = newError(http.StatusNotFound, "no_clerk_photo", "the clerk at this counter has no photo (or has signed out)")

// stationClerkPhoto serves the photo of the clerk at the station's
// counter. With ?staff=ID (as in the photo_url), a photo of another clerk
// than the one signed in now is a 404, so that a station never shows the
// face of a clerk who has left.
func (s *Server) stationClerkPhoto(w http.ResponseWriter, r *http.Request) {
	d, err := s.station(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ok, err := s.st.CounterClerk(r.Context(), d.Office, d.Counter, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if want := r.URL.Query().Get("staff"); !ok || !c.HasPhoto || (want != "" && want != c.ID) {
		s.fail(w, r, errNoClerkPhoto)
		return
	}
	b, _, err := s.st.StaffPhoto(r.Context(), d.Office, c.ID)
	if errors.Is(err, queue.ErrNotFound) {
		err = errNoClerkPhoto // removed since the lookup
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Disposition", "inline")
	_, _ = w.Write(b) // the station may be gone; nothing to do
}

// StationRatingJSON is a rating as the station sees it (client.Rating).
type StationRatingJSON struct {
	Ticket  string    `json:"ticket"`
	Score   int       `json:"score"`
	Channel string    `json:"channel"`
	Reasons []string  `json:"reasons,omitempty"`
	At      time.Time `json:"at"`
}

// stationRate stores a citizen's tap on the station's rating prompt. The
// ticket must be of the station's office (404 otherwise: a station learns
// nothing of other offices), finished at its counter (403
// not_this_counter), done (409 not_done) no longer than the office's
// window ago (409 rating_too_late), and not rated yet on any channel (409
// already_rated). An Idempotency-Key (scoped by the station) makes a
// retry get the first answer; the key with another rating is a 409
// idempotency_key_reused.
func (s *Server) stationRate(w http.ResponseWriter, r *http.Request) {
	d, err := s.station(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		s.fail(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
		return
	}
	b, ok := decodeBody(w, r, s, decodeStationRating)
	if !ok {
		return
	}
	v, _, err := s.stationView(d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scoped := ""
	if key != "" {
		scoped = "device:" + d.ID + ":" + key
	}
	// A retry gets its first answer even when the window has closed
	// since: the rating was given in time.
	prev, err := s.st.RatingByKey(r.Context(), d.Office, scoped)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if prev != nil {
		s.ratingAnswer(w, r, v, prev, true, b)
		return
	}
	t, _, err := s.eng.FindTicket(r.Context(), b.Ticket)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if t == nil || t.Office != d.Office {
		s.fail(w, r, newError(http.StatusNotFound, "unknown_ticket", "there is no ticket {ticket} in this office", "ticket", fmt.Sprintf("%q", truncate(b.Ticket, 40))))
		return
	}
	if t.Counter != d.Counter {
		s.fail(w, r, newError(http.StatusForbidden, "not_this_counter", "ticket {ticket} was not served at this station's counter: a station rates only its own counter's tickets", "ticket", t.Display))
		return
	}
	if t.Status != queue.StatusDone {
		s.fail(w, r, newError(http.StatusConflict, "not_done", "ticket {ticket} is {status}: it can be rated once it has been served", "ticket", t.Display, "status", t.Status))
		return
	}
	policy := v.Office.Rating.WithDefaults()
	for _, id := range b.Reasons {
		if policy.Reason(id) == nil {
			s.fail(w, r, badRequest("unknown_reason", "{reason} is not one of this office's rating reasons", "reason", fmt.Sprintf("%q", id)))
			return
		}
	}
	now := s.now()
	window := time.Duration(policy.WindowSeconds) * time.Second
	if now.Sub(t.FinishedAt) > window {
		s.fail(w, r, newError(http.StatusConflict, "rating_too_late", "ticket {ticket} was finished more than {minutes} minutes ago: it can no longer be rated at the counter",
			"ticket", t.Display, "minutes", int(window.Minutes())))
		return
	}
	rt := queue.Rating{Office: t.Office, Ticket: t.ID, Score: b.Score, Counter: t.Counter, Staff: t.Staff,
		Service: t.Service, Day: t.Day, At: now, Channel: queue.RatingStation, Reasons: b.Reasons}
	got, replayed, err := s.st.PutRatingKeyed(r.Context(), rt, scoped)
	if errors.Is(err, queue.ErrConflict) {
		err = newError(http.StatusConflict, "already_rated", "ticket {ticket} has already been rated; thank you", "ticket", t.Display)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ratingAnswer(w, r, v, got, replayed, b)
}

// ratingAnswer answers a station's rating: 201 with the rating stored;
// for a replayed key, the first answer, unless the key came with another
// rating (409 idempotency_key_reused).
func (s *Server) ratingAnswer(w http.ResponseWriter, r *http.Request, v *engine.View, got *queue.Rating, replayed bool, b StationRatingBody) {
	if replayed {
		if got.Ticket != b.Ticket || got.Score != b.Score || !slices.Equal(got.Reasons, b.Reasons) {
			s.fail(w, r, newError(http.StatusConflict, "idempotency_key_reused",
				"this Idempotency-Key was already used for a different rating: make a new key for each tap"))
			return
		}
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, map[string]StationRatingJSON{"rating": {
		Ticket: got.Ticket, Score: got.Score, Channel: got.Channel, Reasons: got.Reasons, At: got.At.In(v.Office.Location()),
	}})
}
