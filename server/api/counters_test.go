package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"luot/server/engine"
	"luot/server/queue"
)

// eventTypes returns the types of the office's stored events after seq.
func (e *env) eventTypes(t testing.TB, since int64) []string {
	t.Helper()
	evs, _, err := e.eng.EventsSince(context.Background(), office, since, 0)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, b := range evs {
		var ev wsEvent
		if err := json.Unmarshal(b.Staff, &ev); err != nil {
			t.Fatal(err)
		}
		types = append(types, ev.Type)
	}
	return types
}

// ticketStatus is a ticket's status in the engine's current view.
func (e *env) ticketStatus(t testing.TB, id string) queue.Status {
	t.Helper()
	v, err := e.eng.View(office)
	if err != nil {
		t.Fatal(err)
	}
	tk, ok := v.Tickets[id]
	if !ok {
		t.Fatalf("ticket %s is not in the view", id)
	}
	return tk.Status
}

// restart replaces the engine and the API by new ones on the same
// database, as a server restarted after a crash: nothing of the old
// engine's memory is left.
func (e *env) restart(t testing.TB) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.eng = engine.New(e.db, hookPub{e}, e.clock.Now, log)
	if err := e.eng.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Store: e.db, Engine: e.eng, Hub: e.hub, Now: e.clock.Now, Log: log, PublicURL: "https://luot.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Close()
	e.api, e.srv = a, httptest.NewServer(a)
	t.Cleanup(e.srv.Close)
}

func countOf(types []string, typ string) int {
	n := 0
	for _, x := range types {
		if x == typ {
			n++
		}
	}
	return n
}

// TestDoubleClickOnNext is a clerk's double-click: one on "Gọi số
// tiếp" sends two POST …/next without a key, milliseconds apart. The first
// calls the ticket; the second must not count it as served.
func TestDoubleClickOnNext(t *testing.T) {
	e := newEnv(t)
	tok := e.clerk(t, "nv1", "q1")
	a1 := e.issue(t, "kiosk1", "xay-dung")
	a2 := e.issue(t, "kiosk1", "xay-dung")
	e.clock.Advance(time.Minute)
	next := req{method: "POST", path: "/api/v1/counters/q1/next", token: tok}
	before := e.seq(t)
	var got ticketAnswer
	e.must(t, 200, next).decode(t, &got)
	if got.Ticket.ID != a1.ID {
		t.Fatalf("next called %+v", got.Ticket)
	}
	e.clock.Advance(80 * time.Millisecond)
	r := e.do(t, next)
	if r.status != http.StatusConflict || r.errCode(t) != "just_called" {
		t.Fatalf("second next: %d %s, want 409 just_called", r.status, r.body)
	}
	if s := e.ticketStatus(t, a1.ID); s != queue.StatusCalled {
		t.Fatalf("the called ticket is %s after the double-click", s)
	}
	if s := e.ticketStatus(t, a2.ID); s != queue.StatusWaiting {
		t.Fatalf("the next ticket is %s after the double-click", s)
	}
	if types := e.eventTypes(t, before); countOf(types, "ticket.done") != 0 || countOf(types, "ticket.called") != 1 {
		t.Fatalf("events after the double-click: %v", types)
	}
	// "call" a number would end the just-called ticket as well, and "done"
	// would count a service that has not begun.
	for _, q := range []req{
		{method: "POST", path: "/api/v1/counters/q1/call", token: tok, body: map[string]string{"number": a2.Number}},
		{method: "POST", path: "/api/v1/counters/q1/done", token: tok},
	} {
		if r := e.do(t, q); r.status != http.StatusConflict || r.errCode(t) != "just_called" {
			t.Fatalf("%s: %d %s, want 409 just_called", q.path, r.status, r.body)
		}
	}
	// Legitimate flows go on: once the citizen is at the counter, start;
	// then next at once.
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/start", token: tok})
	e.must(t, 200, next).decode(t, &got)
	if got.Ticket.ID != a2.ID || e.ticketStatus(t, a1.ID) != queue.StatusDone {
		t.Fatalf("next after start called %+v; first is %s", got.Ticket, e.ticketStatus(t, a1.ID))
	}
	// A citizen who does not come: no-show, at any time (it counts no
	// service and the number can be called back).
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q1/no-show", token: tok})
	if s := e.ticketStatus(t, a2.ID); s != queue.StatusNoShow {
		t.Fatalf("no-show left %s", s)
	}
}

// TestDoubleClickOnNextConcurrent sends the two presses at the same time.
func TestDoubleClickOnNextConcurrent(t *testing.T) {
	e := newEnv(t)
	tok := e.clerk(t, "nv1", "q1")
	a1 := e.issue(t, "kiosk1", "xay-dung")
	e.issue(t, "kiosk1", "xay-dung")
	e.clock.Advance(time.Minute)
	before := e.seq(t)
	var wg sync.WaitGroup
	rs := make([]resp, 2)
	for i := range rs {
		wg.Go(func() { rs[i] = e.do(t, req{method: "POST", path: "/api/v1/counters/q1/next", token: tok}) })
	}
	wg.Wait()
	if rs[0].status == rs[1].status || rs[0].status+rs[1].status != 200+409 {
		t.Fatalf("two nexts at once answered %d %s and %d %s; want one 200 and one 409", rs[0].status, rs[0].body, rs[1].status, rs[1].body)
	}
	if s := e.ticketStatus(t, a1.ID); s != queue.StatusCalled {
		t.Fatalf("first ticket is %s", s)
	}
	if types := e.eventTypes(t, before); countOf(types, "ticket.done") != 0 || countOf(types, "ticket.called") != 1 {
		t.Fatalf("events: %v", types)
	}
}

// TestCounterActionIdempotencyKey: a counter action repeated with its
// Idempotency-Key gets the first answer and changes nothing, even after a
// restart; the key with another request is refused.
func TestCounterActionIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	tok := e.clerk(t, "nv1", "q1")
	a1 := e.issue(t, "kiosk1", "xay-dung")
	a2 := e.issue(t, "kiosk1", "xay-dung")
	e.clock.Advance(time.Minute)
	keyed := func(action, key string, body any) req {
		return req{method: "POST", path: "/api/v1/counters/q1/" + action, token: tok, body: body, header: map[string]string{"Idempotency-Key": key}}
	}
	first := e.must(t, 200, keyed("next", "press-1", nil))
	if first.header.Get("Idempotent-Replayed") != "" {
		t.Fatal("a first answer says it is replayed")
	}
	seq := e.seq(t)
	// The retry of the same press, even after the guard: the same answer,
	// nothing done.
	e.clock.Advance(time.Minute)
	again := e.must(t, 200, keyed("next", "press-1", nil))
	if !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" || again.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Fatalf("replay %q %v, first %q", again.body, again.header, first.body)
	}
	if e.seq(t) != seq || e.ticketStatus(t, a1.ID) != queue.StatusCalled || e.ticketStatus(t, a2.ID) != queue.StatusWaiting {
		t.Fatal("a repeated next changed the office")
	}
	// The same key for another action, counter body or counter: refused.
	for _, q := range []req{
		keyed("start", "press-1", nil),
		keyed("call", "press-1", map[string]string{"number": a2.Number}),
	} {
		if r := e.do(t, q); r.status != http.StatusConflict || r.errCode(t) != "idempotency_key_reused" {
			t.Fatalf("%s with a used key: %d %s", q.path, r.status, r.body)
		}
	}
	if e.seq(t) != seq {
		t.Fatal("a reused key changed the office")
	}
	// The key is the clerk's: another clerk's press with the same key is
	// another request.
	tok2 := e.clerk(t, "nv2", "q2")
	e.issue(t, "kiosk1", "ho-tich")
	var other ticketAnswer
	e.must(t, 200, req{method: "POST", path: "/api/v1/counters/q2/next", token: tok2, header: map[string]string{"Idempotency-Key": "press-1"}}).decode(t, &other)
	if other.Ticket.Counter != "q2" {
		t.Fatalf("another clerk's key was replayed: %+v", other.Ticket)
	}
	// Bodies count: a transfer, its retry, and the key with another body.
	e.must(t, 200, keyed("start", "press-2", nil))
	tr := e.must(t, 200, keyed("transfer", "press-3", map[string]any{"service": "chung-thuc", "to_end": true}))
	seq = e.seq(t)
	if r := e.must(t, 200, keyed("transfer", "press-3", map[string]any{"service": "chung-thuc", "to_end": true})); !bytes.Equal(r.body, tr.body) {
		t.Fatalf("transfer replay %s, first %s", r.body, tr.body)
	}
	if r := e.do(t, keyed("transfer", "press-3", map[string]any{"service": "ho-tich"})); r.status != 409 || r.errCode(t) != "idempotency_key_reused" {
		t.Fatalf("transfer with another body: %d %s", r.status, r.body)
	}
	if e.seq(t) != seq {
		t.Fatal("a repeated transfer changed the office")
	}
	// 204 and counter answers replay too.
	e.must(t, 200, keyed("next", "press-4", nil)) // a2
	e.must(t, 200, keyed("start", "press-5", nil))
	pause := e.must(t, 200, keyed("pause", "press-6", nil))

	// A crash: the engine's memory is gone; the answers are in the store.
	e.restart(t)
	seq = e.seq(t)
	if r := e.must(t, 200, keyed("next", "press-1", nil)); !bytes.Equal(r.body, first.body) || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after a restart the replay is %s", r.body)
	}
	if r := e.must(t, 200, keyed("pause", "press-6", nil)); !bytes.Equal(r.body, pause.body) || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("pause replay %s, first %s", r.body, pause.body)
	}
	if e.seq(t) != seq {
		t.Fatal("a replay after a restart changed the office")
	}
	e.must(t, 200, keyed("open", "press-7", nil))
	e.must(t, 200, keyed("done", "press-8", nil))
	e.must(t, 204, keyed("next", "press-9", nil))
	seq = e.seq(t)
	if r := e.do(t, keyed("next", "press-9", nil)); r.status != 204 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("204 replay: %d %v", r.status, r.header)
	}
	if e.seq(t) != seq {
		t.Fatal("a replayed 204 changed the office")
	}
}

// TestCounterActionSameKeyConcurrent: a client that sends one press twice
// at once with its key gets one action and two equal answers.
func TestCounterActionSameKeyConcurrent(t *testing.T) {
	e := newEnv(t)
	tok := e.clerk(t, "nv1", "q1")
	a1 := e.issue(t, "kiosk1", "xay-dung")
	e.issue(t, "kiosk1", "xay-dung")
	e.clock.Advance(time.Minute)
	before := e.seq(t)
	var wg sync.WaitGroup
	rs := make([]resp, 4)
	for i := range rs {
		wg.Go(func() {
			rs[i] = e.do(t, req{method: "POST", path: "/api/v1/counters/q1/next", token: tok, header: map[string]string{"Idempotency-Key": "dbl"}})
		})
	}
	wg.Wait()
	replayed := 0
	for _, r := range rs {
		if r.status != 200 || !bytes.Equal(r.body, rs[0].body) {
			t.Fatalf("answers %d %s / %d %s", r.status, r.body, rs[0].status, rs[0].body)
		}
		if r.header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if replayed != len(rs)-1 {
		t.Fatalf("%d of %d answers replayed", replayed, len(rs))
	}
	if types := e.eventTypes(t, before); len(types) != 1 || types[0] != "ticket.called" || e.ticketStatus(t, a1.ID) != queue.StatusCalled {
		t.Fatalf("events %v", types)
	}
}
