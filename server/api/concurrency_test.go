package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentKiosksAndClerks: 8 kiosks issue 500 tickets in parallel
// while 4 clerks call next (and start) in parallel, all through the HTTP
// API on a real SQLite file. No number is given twice, no ticket is called twice, every
// issued ticket is accounted for, and the stored event seqs have no gap.
func TestConcurrentKiosksAndClerks(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 500 durable commits")
	}
	e := newEnv(t)
	const kiosks, total = 8, 500
	counters := []string{"q1", "q2", "q3", "q4"}
	tokens := make([]string, len(counters))
	for i, c := range counters {
		tokens[i] = e.clerk(t, fmt.Sprintf("nv%d", i+1), c)
	}
	startSeq := e.seq(t)
	services := []string{"xay-dung", "ho-tich", "chung-thuc"}

	var mu sync.Mutex
	issued := map[string]TicketJSON{} // by id
	called := map[string]string{}     // ticket id → counter
	var issuing sync.WaitGroup
	var remaining atomic.Int64
	remaining.Store(total)
	errs := make(chan error, kiosks+len(counters))
	for k := 0; k < kiosks; k++ {
		issuing.Add(1)
		go func(k int) {
			defer issuing.Done()
			for i := 0; remaining.Add(-1) >= 0; i++ {
				r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: fmt.Sprintf("kiosk%d", k+1),
					body: map[string]string{"service": services[(k+i)%3]}, header: map[string]string{"Idempotency-Key": fmt.Sprintf("k%d-%d", k, i)}})
				if r.status != http.StatusCreated {
					errs <- fmt.Errorf("kiosk %d: status %d: %s", k, r.status, r.body)
					return
				}
				var a ticketAnswer
				if err := json.Unmarshal(r.body, &a); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				issued[a.Ticket.ID] = a.Ticket
				mu.Unlock()
			}
		}(k)
	}
	doneIssuing := make(chan struct{})
	go func() { issuing.Wait(); close(doneIssuing) }()
	var calling sync.WaitGroup
	for i, c := range counters {
		calling.Add(1)
		go func(tok, counter string) {
			defer calling.Done()
			for {
				r := e.do(t, req{method: "POST", path: "/api/v1/counters/" + counter + "/next", token: tok})
				switch r.status {
				case http.StatusOK:
					var a ticketAnswer
					if err := json.Unmarshal(r.body, &a); err != nil {
						errs <- err
						return
					}
					mu.Lock()
					if prev, dup := called[a.Ticket.ID]; dup {
						mu.Unlock()
						errs <- fmt.Errorf("ticket %s called twice: at %s and %s", a.Ticket.Number, prev, counter)
						return
					}
					called[a.Ticket.ID] = counter
					mu.Unlock()
					// The citizen comes: start, so that the next "next"
					// (at the same fake instant) is not a double-click.
					if r := e.do(t, req{method: "POST", path: "/api/v1/counters/" + counter + "/start", token: tok}); r.status != http.StatusOK {
						errs <- fmt.Errorf("counter %s: start: status %d: %s", counter, r.status, r.body)
						return
					}
				case http.StatusNoContent:
					select {
					case <-doneIssuing:
						return // nobody waits and nobody will
					default:
					}
				default:
					errs <- fmt.Errorf("counter %s: status %d: %s", counter, r.status, r.body)
					return
				}
			}
		}(tokens[i], c)
	}
	calling.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	if len(issued) != total {
		t.Fatalf("%d tickets issued, want %d", len(issued), total)
	}
	numbers := map[string]bool{}
	for _, tk := range issued {
		if numbers[tk.Number] {
			t.Fatalf("number %s given twice", tk.Number)
		}
		numbers[tk.Number] = true
		if _, ok := called[tk.ID]; !ok {
			t.Fatalf("ticket %s was issued but never called", tk.Number)
		}
	}
	if len(called) != total {
		t.Fatalf("%d tickets called, want %d", len(called), total)
	}
	// The stored events: gapless, one issue and one call per ticket.
	evs := storedEvents(t, e, startSeq)
	types := map[string]int{}
	for i, ev := range evs {
		if ev.Seq != startSeq+int64(i)+1 {
			t.Fatalf("event %d has seq %d, want %d", i, ev.Seq, startSeq+int64(i)+1)
		}
		types[ev.Type]++
	}
	if types["ticket.issued"] != total || types["ticket.called"] != total {
		t.Fatalf("events by type: %v", types)
	}
	t.Logf("%d tickets issued by %d kiosks and called by %d clerks; %d events, seq %d…%d gapless", total, kiosks, len(counters), len(evs), startSeq+1, e.seq(t))
}
