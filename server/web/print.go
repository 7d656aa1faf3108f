package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"luot/server/auth"
	"luot/server/engine"
	"luot/server/queue"
)

// Printing at a counter's station from the staff pages: the admin page's
// "In thử" (a test receipt, this form) and the clerk console's "In lại"
// (the script posts to the API's POST /api/v1/tickets/{id}/reprint).
//
//	POST /admin/test-print   id=<counter>, csrf  (admin) → 303 /admin?printed=<counter>#counters

// adminTestPrint queues the test receipt for a counter's station: the
// admin page again, with "sent" beside the counters, or with the refusal
// (no station at the counter: 409) on the counter's row.
func (s *Server) adminTestPrint(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, translator(lang(r))("adm.err.form"))
		return
	}
	se, tok, ok := s.auth(w, r, auth.ManageDevices, "/admin/login")
	if !ok {
		return
	}
	counter := strings.TrimSpace(r.PostForm.Get("id"))
	err := s.testPrint(r, se, counter)
	if err != nil {
		l := lang(r)
		st := adminState{Form: "test-print-" + truncate(counter, 40), Posted: r.PostForm, Err: errText(l, err)}
		status := http.StatusBadRequest
		var qe *queue.Error
		switch {
		case ownerNeeded(w, err):
			status, st.Err = http.StatusServiceUnavailable, translator(l)("adm.err.storage")
		case errors.As(err, &qe):
			switch qe.Kind {
			case queue.KindConflict:
				status = http.StatusConflict
			case queue.KindNotFound:
				status = http.StatusNotFound
			}
		default:
			s.log.Error("test print", "counter", counter, "err", err)
			status, st.Err = http.StatusServiceUnavailable, translator(l)("adm.err.storage")
		}
		s.renderAdmin(w, r, se, tok, status, st)
		return
	}
	http.Redirect(w, r, "/admin?printed="+url.QueryEscape(counter)+"#counters", http.StatusSeeOther)
}

// testPrint queues the test receipt of a counter of the session's office
// (engine.QueuePrint) and records it in the audit log.
func (s *Server) testPrint(r *http.Request, se *auth.Session, counter string) error {
	v, err := s.cfg.Engine.View(se.Office)
	if err != nil {
		return err
	}
	k := v.Office.Counter(counter)
	if k == nil {
		return queue.NewError(queue.KindNotFound, queue.ErrUnknownCounter.Code, "counter {counter} does not exist in office {office}", "counter", "\""+truncate(counter, 40)+"\"", "office", se.Office)
	}
	j, err := s.cfg.Engine.QueuePrint(r.Context(), s.cfg.DB, se.Office, k.ID, queue.PrintTest, se.Staff, queue.TestDocument(&v.Office, k, s.now()))
	if err != nil {
		return err
	}
	s.audit(r.Context(), se.Office, se.Staff, "test_print", k.ID+" #"+strconv.FormatInt(j.ID, 10))
	return nil
}

// PrintedCounter is the number of the counter whose test print was just
// queued (?printed=<counter>), 0 when none (or not a counter of the
// office).
func (d adminData) PrintedCounter() int {
	if d.Printed == "" {
		return 0
	}
	if k := d.Office.Counter(d.Printed); k != nil {
		return k.Number
	}
	return 0
}

// lastFinished is the ticket finished last at counter (done), nil when
// none is in the view (today's tickets).
func lastFinished(v *engine.View, counter string) *queue.Ticket {
	var last *queue.Ticket
	for _, t := range v.Tickets {
		if t.Counter == counter && t.Status == queue.StatusDone && (last == nil || t.FinishedAt.After(last.FinishedAt) || (t.FinishedAt.Equal(last.FinishedAt) && t.Order > last.Order)) {
			last = t
		}
	}
	return last
}

// printTexts are the staff pages' texts of printing: Vietnamese, English.
var printTexts = map[string][2]string{
	"adm.testprint":            {"In thử", "Test print"},
	"adm.testprint.help":       {"“In thử” gửi một phiếu in thử (tên cơ quan, quầy, giờ, mọi dấu tiếng Việt) tới máy in của màn hình quầy.", "“Test print” sends a test receipt (office, counter, time, every Vietnamese tone mark) to the printer of the counter's station."},
	"adm.testprint.sent":       {"Đã gửi phiếu in thử tới máy in của quầy", "A test receipt was sent to the printer of counter"},
	"adm.act.test_print":       {"In thử", "Test print"},
	"adm.act.ticket_reprinted": {"In lại số", "Ticket reprinted"},
	"reprint":                  {"In lại", "Reprint"},
	"reprinted":                {"Đã gửi lệnh in lại số %s tới máy in của quầy.", "Ticket %s was sent to the counter's printer again."},
}

func init() {
	for k, t := range printTexts {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " is defined twice")
		}
		texts[k] = t
	}
}
