package api

import (
	"net/http"

	"luot/server/engine"
	"luot/server/queue"
)

// OfficeJSON is an office's public configuration (GET /offices/{office}).
type OfficeJSON struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	NameEN   string           `json:"name_en,omitempty"`
	Timezone string           `json:"timezone"`
	Hours    queue.WeekHours  `json:"hours"`
	Holidays []string         `json:"holidays"`
	Ticker   string           `json:"ticker,omitempty"`
	OpenNow  bool             `json:"open_now"`
	Services []ServiceJSON    `json:"services"`
	Counters []CounterJSON    `json:"counters"`
	Priority []queue.Priority `json:"priorities"`
	// LinkBySMS says whether a citizen who lost a ticket's or booking's
	// link on their phone can have it sent again by SMS (POST
	// …/link-again): true when the server has an SMS route (Config.SMS
	// and Config.Notify). When false the citizen pages say to ask at the
	// reception desk.
	LinkBySMS bool `json:"link_by_sms"`
	// Push says whether the pages may offer the browser's notifications
	// (GET /push/key answers); SMS whether they may offer SMS opt-ins.
	Push bool `json:"push"`
	SMS  bool `json:"sms"`
	// PhoneCode says that an online number needs a one-time code texted
	// to its phone (Config.PhoneVerifier): the take-a-number page asks
	// for one (POST …/phone-codes) and sends it with the number.
	PhoneCode bool `json:"phone_code"`
}

// ServiceJSON is a service as the public sees it. Served is false when no
// counter serves it (the kiosk hides or greys it out).
type ServiceJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Active bool   `json:"active"`
	Served bool   `json:"served"`
	// Bookable is true when the service takes appointments (it has
	// slots), so the booking page lists it without asking for its dates.
	Bookable bool `json:"bookable"`
}

// CounterJSON is a counter as the public sees it: its services in order
// of preference, and its current state.
type CounterJSON struct {
	ID       string             `json:"id"`
	Number   int                `json:"number"`
	Name     string             `json:"name,omitempty"`
	State    queue.CounterState `json:"state"`
	Services []string           `json:"services"`
}

func (s *Server) getOffice(w http.ResponseWriter, r *http.Request) {
	v, err := s.eng.View(r.PathValue("office"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.officeJSON(v))
}

// officeJSON is the public configuration of the office of view v.
func (s *Server) officeJSON(v *engine.View) OfficeJSON {
	o := &v.Office
	j := OfficeJSON{
		ID: o.ID, Name: o.Name, NameEN: o.NameEN, Timezone: o.Timezone,
		Hours: o.Hours, Holidays: o.Holidays, Ticker: o.Ticker,
		OpenNow:  o.IsOpen(s.now()),
		Services: []ServiceJSON{}, Counters: []CounterJSON{}, Priority: queue.Priorities,
	}
	if s.cfg.Notify != nil {
		j.LinkBySMS, j.SMS, j.Push = s.cfg.SMS, s.cfg.SMS, s.cfg.PushKey != ""
	}
	j.PhoneCode = s.cfg.PhoneVerifier != nil
	if j.Holidays == nil {
		j.Holidays = []string{}
	}
	if j.Hours == nil {
		j.Hours = queue.WeekHours{}
	}
	for _, sv := range o.Services {
		j.Services = append(j.Services, ServiceJSON{ID: sv.ID, Name: sv.Name, NameEN: sv.NameEN, Prefix: sv.Prefix, Active: sv.Active, Served: o.ServedBy(sv.ID), Bookable: sv.Bookable()})
	}
	for _, k := range o.Counters {
		c := CounterJSON{ID: k.ID, Number: k.Number, Name: k.Name, State: v.Counters[k.ID].State, Services: []string{}}
		if c.State == "" {
			c.State = queue.CounterClosed
		}
		for _, cs := range k.Services {
			c.Services = append(c.Services, cs.Service)
		}
		j.Counters = append(j.Counters, c)
	}
	return j
}

func (s *Server) getState(w http.ResponseWriter, r *http.Request) {
	v, err := s.eng.View(r.PathValue("office"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v.Snapshot())
}
