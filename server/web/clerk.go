package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
	"luot/server/report"
)

// clerkData fills the console's page; the changing parts come from
// /clerk/state.
type clerkData struct {
	Office   queue.Office
	Counter  queue.Counter
	Staff    string
	Services []queue.Service
	Counters []queue.Counter
}

func (s *Server) clerkPage(w http.ResponseWriter, r *http.Request) {
	se, tok, ok := s.auth(w, r, auth.ServeCounter, "/clerk/login")
	if !ok {
		return
	}
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	k := v.Office.Counter(se.Counter)
	if k == nil {
		if se.Can(auth.AnyCounter) {
			http.Redirect(w, r, "/admin", http.StatusSeeOther)
			return
		}
		s.fail(w, r, http.StatusConflict, "your counter no longer exists: log out and log in at another counter")
		return
	}
	s.render(w, r, http.StatusOK, "clerk", page{
		Title: "clerk", CSRF: auth.CSRFToken(tok), Session: se, Scripts: []string{"clerk.js"},
		Data: clerkData{Office: v.Office, Counter: *k, Staff: se.Staff, Services: v.Office.Services, Counters: v.Office.Counters},
	})
}

// ConsoleTicket is a ticket as the console shows it. Phone and Name are
// given in full only for the ticket at the clerk's own counter; the
// waiting list gets a masked phone.
type ConsoleTicket struct {
	ID          string         `json:"id"`
	Number      string         `json:"number"`
	Service     string         `json:"service"`
	ServiceName string         `json:"service_name"`
	Source      queue.Source   `json:"source"`
	Slot        string         `json:"slot,omitempty"`
	Booking     string         `json:"booking,omitempty"`
	Priority    queue.Priority `json:"priority,omitempty"`
	Status      queue.Status   `json:"status"`
	IssuedAt    time.Time      `json:"issued_at"`
	WaitedSec   int            `json:"waited_seconds"`
	EtaSec      int            `json:"eta_seconds"`
	Recalls     int            `json:"recalls"`
	Transferred bool           `json:"transferred,omitempty"`
	Phone       string         `json:"phone,omitempty"`
	Name        string         `json:"name,omitempty"`
}

// ConsoleState is the body of GET /clerk/state.
type ConsoleState struct {
	Seq     int64               `json:"seq"`
	Now     time.Time           `json:"now"`
	Counter queue.CounterStatus `json:"counter"`
	Number  int                 `json:"counter_number"`
	Current *ConsoleTicket      `json:"current"`
	Queue   []ConsoleTicket     `json:"queue"`
	Today   ConsoleFigures      `json:"today"`
}

// ConsoleFigures are the clerk's figures of the day.
type ConsoleFigures struct {
	Called      int     `json:"called"`
	Served      int     `json:"served"`
	NoShow      int     `json:"no_show"`
	AvgService  float64 `json:"avg_service_minutes"`
	AvgWait     float64 `json:"avg_wait_minutes"`
	WaitingHere int     `json:"waiting"`
}

func (s *Server) clerkState(w http.ResponseWriter, r *http.Request) {
	se, _, ok := s.auth(w, r, auth.ServeCounter, "/clerk/login")
	if !ok {
		return
	}
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, errText(lang(r), err))
		return
	}
	if v.Office.Counter(se.Counter) == nil {
		s.fail(w, r, http.StatusConflict, "your session has no counter of this office: log in at a counter")
		return
	}
	writeJSON(w, consoleState(v, se.Counter, se.Staff, s.now()))
}

// consoleState computes the console's data for a counter and its clerk.
func consoleState(v *engine.View, counter, staff string, now time.Time) ConsoleState {
	k := v.Office.Counter(counter)
	cs := v.Counters[counter]
	if cs.State == "" {
		cs.State = queue.CounterClosed
	}
	st := ConsoleState{Seq: v.Seq, Now: now, Counter: cs, Number: k.Number, Queue: []ConsoleTicket{}}
	if t, ok := v.Tickets[cs.Current]; ok && t.Active() {
		ct := consoleTicket(v, t, now, true)
		st.Current = &ct
	}
	for _, t := range v.Queue(counter) {
		st.Queue = append(st.Queue, consoleTicket(v, t, now, false))
	}
	st.Today = clerkFigures(v, staff, now)
	st.Today.WaitingHere = len(st.Queue)
	return st
}

func consoleTicket(v *engine.View, t *queue.Ticket, now time.Time, mine bool) ConsoleTicket {
	loc := v.Office.Location()
	c := ConsoleTicket{
		ID: t.ID, Number: t.Display, Service: t.Service, Source: t.Source, Priority: t.Priority,
		Status: t.Status, IssuedAt: t.IssuedAt.In(loc), Recalls: t.Recalls, Booking: t.Booking,
		Transferred: len(t.Transfers) > 0, EtaSec: -1,
	}
	if sv := v.Office.Service(t.Service); sv != nil {
		c.ServiceName = sv.Name
	}
	if t.Source == queue.SourceBooking {
		c.Slot = t.VA.In(loc).Format("15:04")
	}
	end := now
	if !t.CalledAt.IsZero() {
		end = t.CalledAt
	}
	c.WaitedSec = max(0, int(end.Sub(t.IssuedAt).Seconds()))
	if e, ok := v.Estimates.Of(t); ok {
		c.EtaSec = e.Seconds()
	}
	if mine {
		c.Phone, c.Name = t.Phone, t.Name
	} else {
		c.Phone = MaskPhone(t.Phone)
	}
	return c
}

// MaskPhone hides all but the last three digits of a phone number
// ("0903123456" → "•••••••456"); an empty number stays empty.
func MaskPhone(p string) string {
	n := utf8.RuneCountInString(p)
	if n == 0 {
		return ""
	}
	keep := min(3, n/3)
	r := []rune(p)
	return strings.Repeat("•", n-keep) + string(r[n-keep:])
}

// clerkFigures are a clerk's figures of the current day, by the report's
// definitions.
func clerkFigures(v *engine.View, staff string, now time.Time) ConsoleFigures {
	day := v.Office.Day(now)
	var rows []queue.Ticket
	for _, t := range v.Tickets {
		if t.Staff == staff && t.Day == day {
			rows = append(rows, *t)
		}
	}
	rep := report.Compute(rows, nil, day, day, v.Office.Location())
	return ConsoleFigures{
		Called: rep.Total.Wait.N, Served: rep.Total.Served, NoShow: rep.Total.NoShow,
		AvgService: rep.Total.Service.Avg / 60, AvgWait: rep.Total.Wait.Avg / 60,
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	_ = enc.Encode(v) // the client may be gone
}
