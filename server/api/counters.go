package api

import (
	"fmt"
	"net/http"
	"time"

	"luot/server/engine"
	"luot/server/queue"
)

// counterActions are the clerk's actions, as the last path element of
// POST /counters/{id}/{action}.
var counterActions = []string{"next", "recall", "start", "done", "no-show", "transfer", "call", "pause", "open", "close"}

// counterAnswer answers open, pause and close.
type counterAnswer struct {
	Counter queue.CounterStatus `json:"counter"`
}

// counterAction returns the handler of one action. The session decides the
// office; a clerk acts only on the counter of their session (403 for any
// other), an admin on any counter of their office. next answers
// 200 {"ticket"} or 204 when nobody waits; recall, start, done, no-show,
// transfer and call answer 200 {"ticket"}; open, pause and close answer
// 200 {"counter"}.
func (s *Server) counterAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		se, err := s.staff(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		counter := r.PathValue("id")
		if se.Role != queue.RoleAdmin && se.Counter != counter {
			s.fail(w, r, newError(http.StatusForbidden, "not_your_counter",
				fmt.Sprintf("you are logged in at counter %q and may act only there; log in at counter %q to act on it", se.Counter, truncate(counter, 40))))
			return
		}
		data, err := readBody(w, r, s.cfg.MaxBody)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		staff := se.Staff
		var cmd engine.Command
		switch action {
		case "transfer":
			b, err := decodeTransfer(data)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			tr := queue.TransferRequest{Service: b.Service, Counter: b.Counter, ToEnd: b.ToEnd}
			cmd = func(st *queue.State, now time.Time) (*queue.Change, error) {
				return st.Transfer(now, counter, staff, tr)
			}
		case "call":
			b, err := decodeCall(data)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			cmd = func(st *queue.State, now time.Time) (*queue.Change, error) {
				return st.CallNumber(now, counter, staff, b.Number)
			}
		default:
			if err := decodeEmpty(data); err != nil {
				s.fail(w, r, err)
				return
			}
			f := map[string]func(*queue.State, time.Time, string, string) (*queue.Change, error){
				"next": (*queue.State).Next, "recall": (*queue.State).Recall, "start": (*queue.State).Start,
				"done": (*queue.State).Done, "no-show": (*queue.State).NoShow, "pause": (*queue.State).Pause,
				"open": (*queue.State).Open, "close": (*queue.State).Close,
			}[action]
			cmd = func(st *queue.State, now time.Time) (*queue.Change, error) { return f(st, now, counter, staff) }
		}
		c, err := s.eng.Do(r.Context(), se.Office, cmd)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		switch action {
		case "open", "pause", "close":
			v, err := s.eng.View(se.Office)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, counterAnswer{Counter: v.Counters[counter]})
		default:
			if c.Ticket == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			writeJSON(w, http.StatusOK, ticketAnswer{Ticket: s.renderCurrent(se.Office, c.Ticket)})
		}
	}
}
