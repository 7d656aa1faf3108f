package web

import (
	"encoding/json"
	"sync"
	"testing"
)

// TestTwoConsolesCallNextAtOnce sends the consoles' own requests (cookie
// and CSRF header) from two counters that serve the same service, many at
// once: every call gets a different ticket.
func TestTwoConsolesCallNextAtOnce(t *testing.T) {
	e := newEnv(t)
	c1, c4 := e.login("nv1", "q1"), e.login("nv4", "q4")
	e.apiDo("POST", "/api/v1/counters/q1/open", c1, "")
	e.apiDo("POST", "/api/v1/counters/q4/open", c4, "")
	const n = 20
	for i := 0; i < n; i++ {
		e.issue("xay-dung")
	}
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for _, c := range []struct{ counter, tok string }{{"q1", c1}, {"q4", c4}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n/2; i++ {
				r := e.apiDo("POST", "/api/v1/counters/"+c.counter+"/next", c.tok, "")
				if r.status != 200 {
					t.Errorf("next at %s: %d %s", c.counter, r.status, r.body)
					return
				}
				var j struct{ Ticket struct{ Number string } }
				if err := json.Unmarshal([]byte(r.body), &j); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if other, dup := seen[j.Ticket.Number]; dup {
					t.Errorf("ticket %s called by %s and %s", j.Ticket.Number, other, c.counter)
				}
				seen[j.Ticket.Number] = c.counter
				mu.Unlock()
				// The citizen comes: start, so that the next "next" (at
				// the same fake instant) is not refused as a double-click.
				if r := e.apiDo("POST", "/api/v1/counters/"+c.counter+"/start", c.tok, ""); r.status != 200 {
					t.Errorf("start at %s: %d %s", c.counter, r.status, r.body)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d distinct tickets, want %d", len(seen), n)
	}
}
