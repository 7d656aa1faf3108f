package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/server/client"
	"luot/server/queue"
	"luot/server/servertest"
)

// loseAnswers is a transport that delivers requests to the server but,
// for the first lose requests whose path ends in suffix, drops the answer
// and reports a reset connection: the client cannot know whether the
// server acted.
type loseAnswers struct {
	base   http.RoundTripper
	suffix string
	mu     sync.Mutex
	lose   int
	keys   []string
}

func (l *loseAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := l.base.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, l.suffix) {
		return res, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, r.Header.Get("Idempotency-Key"))
	if l.lose > 0 {
		l.lose--
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer (test)")}
	}
	return res, nil
}

// TestActAgainstTheServerAfterALostAnswer: the counter station's keypad
// (or any program on Client) presses "next"; the server calls a ticket but
// the answer is lost. The client's retry carries the press's key, so the
// server answers with the ticket it called instead of ending it and
// calling the next one.
func TestActAgainstTheServerAfterALostAnswer(t *testing.T) {
	ctx := context.Background()
	srv := servertest.New(t,
		servertest.WithOffice(queue.Office{
			ID: "demo", Name: "Bộ phận Một cửa", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
			Services: []queue.Service{{ID: "ho-tich", Name: "Hộ tịch", Prefix: "B", DefaultMinutes: 5, Active: true}},
			Counters: []queue.Counter{{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "ho-tich"}}}},
		}),
		servertest.WithStaff(queue.Staff{ID: "nv1", Name: "Nhân viên 1", Role: queue.RoleClerk}),
		servertest.WithDevices(),
		servertest.WithoutWeb(),
	)
	clk, eng := srv.Clock, srv.Engine

	anon, _ := client.New(srv.URL)
	s, err := anon.Login(ctx, "demo", "q1", "nv1", "1234")
	if err != nil {
		t.Fatal(err)
	}
	tr := &loseAnswers{base: http.DefaultTransport, suffix: "/next", lose: 1}
	station, _ := client.New(srv.URL, client.WithToken(s.Token), client.WithRetries(2, time.Millisecond),
		client.WithHTTPClient(&http.Client{Transport: tr, Timeout: 10 * time.Second}))
	if _, err := station.Act(ctx, "q1", client.ActionOpen, nil); err != nil {
		t.Fatal(err)
	}
	var issued []string
	for range 2 {
		tk, err := station.Issue(ctx, "demo", client.IssueRequest{Service: "ho-tich"}, client.NewIdempotencyKey())
		if err != nil {
			t.Fatal(err)
		}
		issued = append(issued, tk.ID)
	}
	clk.Advance(time.Minute)
	// Without the key, the server's call guard would refuse the retry (409
	// just_called): safe, but the station would not learn what it called.
	tk, err := station.Act(ctx, "q1", client.ActionNext, nil)
	if err != nil {
		t.Fatalf("next after a lost answer: %v", err)
	}
	if tk == nil || tk.ID != issued[0] || tk.Status != "called" {
		t.Fatalf("next answered %+v, want the first ticket, called", tk)
	}
	if len(tr.keys) != 2 || tr.keys[0] == "" || tr.keys[0] != tr.keys[1] {
		t.Fatalf("keys sent: %q", tr.keys)
	}
	v, _ := eng.View("demo")
	if v.Tickets[issued[0]].Status != queue.StatusCalled || v.Tickets[issued[1]].Status != queue.StatusWaiting {
		t.Fatalf("after the retry: %s, %s", v.Tickets[issued[0]].Status, v.Tickets[issued[1]].Status)
	}
	// The station's own retry of the press, later (past the call guard),
	// with the press's key: the same answer, nothing done.
	clk.Advance(time.Minute)
	again, err := station.ActWithKey(ctx, "q1", client.ActionNext, nil, tr.keys[0])
	if err != nil || again.ID != issued[0] {
		t.Fatalf("the press again: %+v, %v", again, err)
	}
	if v, _ := eng.View("demo"); v.Tickets[issued[1]].Status != queue.StatusWaiting {
		t.Fatalf("the press again called %s", v.Tickets[issued[1]].Display)
	}
	// A new press calls the next one.
	if tk, err := station.Act(ctx, "q1", client.ActionNext, nil); err != nil || tk.ID != issued[1] {
		t.Fatalf("a new press: %+v, %v", tk, err)
	}
}
