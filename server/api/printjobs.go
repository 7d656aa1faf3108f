package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
)

// Print jobs (docs/station.md): documents for the printer of a counter's
// station, durable until the station acknowledges them.
//
//	POST /api/v1/tickets/{id}/reprint                                   clerk of the ticket's counter, or admin → 201 {job}
//	POST /api/v1/admin/offices/{office}/counters/{counter}/test-print  admin → 201 {job}
//	GET  /api/v1/station/print-jobs                                     station → {jobs}: queued, oldest first
//	POST /api/v1/station/print-jobs/{id} {result, fault}                station → 200 {job}
//
// A job for a counter with no registered, unrevoked station is refused
// (409 no_station) and nothing is queued. Other parts of the server queue
// their documents with engine.QueuePrint.

// printStore is the store's part of print jobs (server/store printjobs.go).
type printStore interface {
	engine.Stations
	QueuedPrintJobs(ctx context.Context, office, counter string, limit int) ([]queue.PrintJob, error)
	AckPrintJob(ctx context.Context, office, counter string, id int64, result queue.PrintJobState, fault string, now time.Time) (queue.PrintJob, bool, error)
}

// maxListedJobs is the most jobs one GET /station/print-jobs returns: the
// station prints them and asks again.
const maxListedJobs = 50

func (s *Server) printJobRoutes() {
	const p = "/api/v1"
	s.mux.HandleFunc("POST "+p+"/tickets/{id}/reprint", s.reprintTicket)
	s.mux.HandleFunc("POST "+p+"/admin/offices/{office}/counters/{counter}/test-print", s.testPrint)
	s.mux.HandleFunc("GET "+p+"/station/print-jobs", s.stationPrintJobs)
	s.mux.HandleFunc("POST "+p+"/station/print-jobs/{id}", s.ackPrintJob)
}

// PrintJobJSON is a queued job as staff see it: what and where, not the
// document (a reprint holds the ticket's tracking link).
type PrintJobJSON struct {
	ID        int64               `json:"id"`
	Office    string              `json:"office"`
	Counter   string              `json:"counter"`
	Kind      string              `json:"kind"`
	State     queue.PrintJobState `json:"state"`
	CreatedAt time.Time           `json:"created_at"`
}

// StationPrintJobJSON is a job as its station sees it (client.PrintJob):
// the document, and not who asked for it (a staff login).
type StationPrintJobJSON struct {
	ID        int64               `json:"id"`
	Counter   string              `json:"counter"`
	Kind      string              `json:"kind"`
	State     queue.PrintJobState `json:"state"`
	Doc       queue.Document      `json:"doc"`
	CreatedAt time.Time           `json:"created_at"`
	DoneAt    time.Time           `json:"done_at,omitzero"`
	Fault     string              `json:"fault,omitempty"`
}

func stationJob(j queue.PrintJob) StationPrintJobJSON {
	return StationPrintJobJSON{ID: j.ID, Counter: j.Counter, Kind: j.Kind, State: j.State, Doc: j.Doc, CreatedAt: j.CreatedAt, DoneAt: j.DoneAt, Fault: j.Fault}
}

func (s *Server) queued(w http.ResponseWriter, j queue.PrintJob) {
	writeJSON(w, http.StatusCreated, map[string]any{"job": PrintJobJSON{ID: j.ID, Office: j.Office, Counter: j.Counter, Kind: j.Kind, State: j.State, CreatedAt: j.CreatedAt}})
}

// reprintTicket prints a ticket again at the counter that called it: the
// clerk logged in at that counter may, an administrator may for any
// ticket of the office. A ticket never called has no counter to print at.
func (s *Server) reprintTicket(w http.ResponseWriter, r *http.Request) {
	se, err := s.require(r, auth.ServeCounter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := readBody(w, r, s.cfg.MaxBody)
	if err == nil {
		err = decodeEmpty(data)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	noTicket := newError(http.StatusNotFound, "unknown_ticket", "ticket {ticket} does not exist in your office", "ticket", fmt.Sprintf("%q", truncate(id, 40)))
	if len(id) > 64 {
		s.fail(w, r, noTicket)
		return
	}
	t, _, err := s.eng.FindTicket(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if t == nil || t.Office != se.Office {
		s.fail(w, r, noTicket)
		return
	}
	if t.Counter == "" {
		s.fail(w, r, newError(http.StatusConflict, "ticket_not_called", "ticket {number} has not been called at a counter: only a ticket called at a counter is printed again there", "number", t.Display))
		return
	}
	if !se.Can(auth.AnyCounter) && se.Counter != t.Counter {
		s.fail(w, r, newError(http.StatusForbidden, "not_your_counter",
			"you are logged in at counter {counter} and may act only there; log in at counter {other} to act on it", "counter", fmt.Sprintf("%q", se.Counter), "other", fmt.Sprintf("%q", t.Counter)))
		return
	}
	v, err := s.eng.View(se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A link on paper must be absolute: without the server's public URL
	// the reprint has no QR code.
	track := ""
	if s.public != "" {
		track = s.public + "/t/" + url.PathEscape(t.ID) + "?token=" + url.QueryEscape(t.Token)
	}
	doc := queue.ReprintDocument(&v.Office, t, track, s.now())
	j, err := s.eng.QueuePrint(r.Context(), s.st, se.Office, t.Counter, queue.PrintReprint, se.Staff, doc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "ticket_reprinted", t.Display+" "+t.Counter+" #"+strconv.FormatInt(j.ID, 10))
	s.queued(w, j)
}

// testPrint queues the administrator's test receipt for a counter.
func (s *Server) testPrint(w http.ResponseWriter, r *http.Request) {
	se, err := s.require(r, auth.ManageDevices)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PathValue("office") != se.Office {
		s.fail(w, r, errForbidden)
		return
	}
	data, err := readBody(w, r, s.cfg.MaxBody)
	if err == nil {
		err = decodeEmpty(data)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counter := r.PathValue("counter")
	v, err := s.eng.View(se.Office)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k := v.Office.Counter(counter)
	if k == nil {
		s.fail(w, r, queue.NewError(queue.KindNotFound, queue.ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", fmt.Sprintf("%q", truncate(counter, 40)), "office", se.Office))
		return
	}
	j, err := s.eng.QueuePrint(r.Context(), s.st, se.Office, counter, queue.PrintTest, se.Staff, queue.TestDocument(&v.Office, k, s.now()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, se.Office, se.Staff, "test_print", counter+" #"+strconv.FormatInt(j.ID, 10))
	s.queued(w, j)
}

// stationPrintJobs lists the queued jobs of the station's counter, oldest
// first.
func (s *Server) stationPrintJobs(w http.ResponseWriter, r *http.Request) {
	d, err := s.station(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, _, err := s.stationView(d); err != nil {
		s.fail(w, r, err)
		return
	}
	js, err := s.st.QueuedPrintJobs(r.Context(), d.Office, d.Counter, maxListedJobs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]StationPrintJobJSON, len(js))
	for i, j := range js {
		out[i] = stationJob(j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
}

// ackPrintJob records a station's acknowledgement of a job of its
// counter: final; the same result again answers the job as it is (200),
// the other result is 409 print_job_done, a job of another counter 404.
func (s *Server) ackPrintJob(w http.ResponseWriter, r *http.Request) {
	d, err := s.station(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := parsePrintJobID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, ok := decodeBody(w, r, s, decodePrintResult)
	if !ok {
		return
	}
	j, _, err := s.st.AckPrintJob(r.Context(), d.Office, d.Counter, id, b.Result, b.Fault, s.now())
	if errors.Is(err, queue.ErrNotFound) {
		err = newError(http.StatusNotFound, "unknown_print_job", "print job {job} is not a job of this station's counter", "job", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"job": stationJob(j)})
}
