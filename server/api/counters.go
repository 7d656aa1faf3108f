package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"luot/server/auth"
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
//
// Every action honours an Idempotency-Key (at most 128 printable ASCII
// characters), scoped by the staff member: a repeat with the key of a
// request that succeeded gets that first answer — status and body, with
// Idempotent-Replayed: true — and changes nothing, even after a restart
// (engine.DoKeyed keeps the answer with the change, in its transaction);
// the key with another request (another counter, action or body) is a
// 409 idempotency_key_reused. A refused request keeps nothing: it changed
// nothing, and its retry is judged anew. Without a key, a second "next"
// moments after the first is refused by the domain (queue's call guard,
// 409 just_called).
func (s *Server) counterAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		se, err := s.staff(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		counter := r.PathValue("id")
		if !se.Can(auth.AnyCounter) && se.Counter != counter {
			s.fail(w, r, newError(http.StatusForbidden, "not_your_counter",
				"you are logged in at counter {counter} and may act only there; log in at counter {other} to act on it", "counter", fmt.Sprintf("%q", se.Counter), "other", fmt.Sprintf("%q", truncate(counter, 40))))
			return
		}
		key := r.Header.Get("Idempotency-Key")
		if len(key) > maxIdempotencyKey || !printableASCII(key) {
			s.fail(w, r, badRequest("invalid_idempotency_key", "Idempotency-Key must be at most {max} printable ASCII characters", "max", maxIdempotencyKey))
			return
		}
		data, err := readBody(w, r, s.cfg.MaxBody)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		staff := se.Staff
		var cmd engine.Command
		var what any // the decoded body: what the request asks, for its digest
		switch action {
		case "transfer":
			b, err := decodeTransfer(data)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			what = b
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
			what = b
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
		k := engine.Keyed{Request: actionDigest(counter, action, what), Cmd: cmd, Answer: s.counterReply(counter, action)}
		if key != "" {
			k.Key = actor{session: se}.scope() + key
		}
		s.doKeyed(w, r, se.Office, k, nil)
	}
}

// doKeyed runs k and writes its reply, or the first reply of a repeated
// Idempotency-Key (with Idempotent-Replayed: true); a key used for
// another request is 409 idempotency_key_reused. ran, if not nil, is
// called before the answer is written when the command ran now (not for
// a replay): the audit log of what it did.
func (s *Server) doKeyed(w http.ResponseWriter, r *http.Request, office string, k engine.Keyed, ran func()) {
	rep, replayed, err := s.eng.DoKeyed(r.Context(), office, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if replayed {
		if rep.Request != k.Request {
			s.fail(w, r, newError(http.StatusConflict, "idempotency_key_reused",
				"this Idempotency-Key was already used for a different request (another counter, action or body): make a new key for each press"))
			return
		}
		w.Header().Set("Idempotent-Replayed", "true")
	} else if ran != nil {
		ran()
	}
	if rep.Status == http.StatusNoContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(rep.Status)
	_, _ = w.Write(rep.Body) // the client may be gone; nothing to do
}

// actionDigest identifies a counter action for its idempotency key: the
// counter, the action and the decoded body (so that a retry that encodes
// the same body differently is still the same request).
func actionDigest(counter, action string, body any) string {
	b, _ := json.Marshal(body) // plain structs: cannot fail
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", counter, action)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// counterReply makes the answer of an action from the state right after
// its change (engine.Keyed.Answer): the counter for open, pause and close;
// otherwise the ticket concerned, or 204 when there is none (next with
// nobody waiting).
func (s *Server) counterReply(counter, action string) func(*queue.State, *queue.Change) (int, []byte) {
	return func(st *queue.State, c *queue.Change) (int, []byte) {
		switch action {
		case "open", "pause", "close":
			return http.StatusOK, encodeAnswer(counterAnswer{Counter: st.Counters[counter]})
		}
		if c.Ticket == nil {
			return http.StatusNoContent, nil
		}
		var est *queue.Forecast
		if c.Ticket.Status == queue.StatusWaiting { // a transfer: its new place in line
			est = st.Estimate(c.At)
		}
		return http.StatusOK, encodeAnswer(ticketAnswer{Ticket: s.renderIn(c.Ticket, &st.Office, est)})
	}
}

// encodeAnswer encodes v as writeJSON does.
func encodeAnswer(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // plain structs: cannot fail
	return b.Bytes()
}
