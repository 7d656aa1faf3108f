package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
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
	Office  queue.Office
	Counter queue.Counter
	Staff   string
	// Services and Counters are where the current ticket can be
	// transferred, labelled in the page's language.
	Services, Counters []transferTarget
	// Texts are the texts the console's script shows, in the page's
	// language (JSON in the page).
	Texts map[string]string
	// Procedures are the dossier catalogue of "Tiếp nhận hồ sơ" (JSON in
	// the page); nil when the office keeps no dossiers.
	Procedures []consoleProcedure
	// SMS offers the applicant's consent to SMS about a dossier received
	// (the server has an SMS route).
	SMS bool
}

// transferTarget is one choice of the transfer list: Value is what the
// script sends ("service:ho-tich", "counter:q3"), Label what the list
// shows ("Hộ tịch", "Quầy 3"), Where how the confirmation and the notice
// name it ("Lĩnh vực Hộ tịch", "the Civil status service").
type transferTarget struct{ Value, Label, Where string }

// scriptTexts are the keys of the texts clerk.js shows.
var scriptTexts = []string{
	"pause", "resume", "open", "live", "offline",
	"state.open", "state.open.hint", "state.paused", "state.paused.hint", "state.closed", "state.closed.hint",
	"status.waiting", "status.called", "status.serving", "status.recalls",
	"prio.elderly", "prio.disabled", "prio.pregnant", "prio.merit",
	"src.kiosk", "src.remote", "src.booking", "src.clerk",
	"dur.s1", "dur.s", "dur.m1", "dur.m", "dur.h1", "dur.h",
	"transferred", "transferred.end", "transferred.ahead", "transferred.first", "confirm.transfer", "confirm.transfer.end", "confirm.close",
	"transfer", "close", "go.back", "noshow.pending", "noshow.done", "noshow.undone", "undo",
	"err.network", "err.http", "reprinted",
}

// serviceName is a service's name in the page's language; an office that
// gave no English name shows its Vietnamese one.
func serviceName(sv *queue.Service, lang string) string {
	if lang == "en" && sv.NameEN != "" {
		return sv.NameEN
	}
	return sv.Name
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
		s.fail(w, r, http.StatusConflict, translator(lang(r))("err.counter.gone"))
		return
	}
	l := lang(r)
	tr := translator(l)
	d := clerkData{Office: v.Office, Counter: *k, Staff: se.Staff, Texts: map[string]string{}}
	for _, key := range scriptTexts {
		d.Texts[key] = tr(key)
	}
	if d.Procedures = s.consoleCatalogue(r, se.Office); d.Procedures != nil {
		d.SMS = s.cfg.SMS && s.cfg.Notify != nil
		for _, key := range consoleDossierTexts {
			d.Texts[key] = tr(key)
		}
	}
	for i := range v.Office.Services {
		if sv := &v.Office.Services[i]; v.Office.ServedBy(sv.ID) { // the server refuses a service no counter serves
			name := serviceName(sv, l)
			d.Services = append(d.Services, transferTarget{"service:" + sv.ID, name, fmt.Sprintf(tr("to.service"), name)})
		}
	}
	for _, c := range v.Office.Counters {
		if c.ID != k.ID { // a ticket cannot be transferred to its own counter
			d.Counters = append(d.Counters, transferTarget{"counter:" + c.ID, tr("counter") + " " + strconv.Itoa(c.Number), fmt.Sprintf(tr("to.counter.n"), c.Number)})
		}
	}
	s.render(w, r, http.StatusOK, "clerk", page{
		Title: "console", CSRF: auth.CSRFToken(tok), Session: se, Scripts: clerkScripts(d), Styles: clerkStyles(d), Data: d,
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
	// Dossier is the code of the dossier whose result a pickup ticket
	// collects (the ticket at the clerk's own counter only).
	Dossier string `json:"dossier,omitempty"`
}

// ConsoleState is the body of GET /clerk/state.
type ConsoleState struct {
	Seq     int64               `json:"seq"`
	Now     time.Time           `json:"now"`
	Counter queue.CounterStatus `json:"counter"`
	Number  int                 `json:"counter_number"`
	Current *ConsoleTicket      `json:"current"`
	// Last is the ticket this counter finished last today, which the
	// clerk may print again ("In lại") once the citizen has left.
	Last  *ConsoleTicket  `json:"last,omitempty"`
	Queue []ConsoleTicket `json:"queue"`
	Today ConsoleFigures  `json:"today"`
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
		s.fail(w, r, http.StatusConflict, translator(lang(r))("err.counter.none"))
		return
	}
	writeJSON(w, consoleState(v, se.Counter, se.Staff, s.now(), lang(r)))
}

// consoleState computes the console's data for a counter and its clerk,
// with the services named in lang.
func consoleState(v *engine.View, counter, staff string, now time.Time, lang string) ConsoleState {
	k := v.Office.Counter(counter)
	cs := v.Counters[counter]
	if cs.State == "" {
		cs.State = queue.CounterClosed
	}
	st := ConsoleState{Seq: v.Seq, Now: now, Counter: cs, Number: k.Number, Queue: []ConsoleTicket{}}
	if t, ok := v.Tickets[cs.Current]; ok && t.Active() {
		ct := consoleTicket(v, t, now, true, lang)
		st.Current = &ct
	}
	for _, t := range v.Queue(counter) {
		st.Queue = append(st.Queue, consoleTicket(v, t, now, false, lang))
	}
	if t := lastFinished(v, counter); t != nil {
		ct := consoleTicket(v, t, now, false, lang)
		st.Last = &ct
	}
	st.Today = clerkFigures(v, staff, now)
	st.Today.WaitingHere = len(st.Queue)
	return st
}

func consoleTicket(v *engine.View, t *queue.Ticket, now time.Time, mine bool, lang string) ConsoleTicket {
	loc := v.Office.Location()
	c := ConsoleTicket{
		ID: t.ID, Number: t.Display, Service: t.Service, Source: t.Source, Priority: t.Priority,
		Status: t.Status, IssuedAt: t.IssuedAt.In(loc), Recalls: t.Recalls, Booking: t.Booking,
		Transferred: len(t.Transfers) > 0, EtaSec: -1,
	}
	if sv := v.Office.Service(t.Service); sv != nil {
		c.ServiceName = serviceName(sv, lang)
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
		c.Phone, c.Name, c.Dossier = t.Phone, t.Name, t.Dossier
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
