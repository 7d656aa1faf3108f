package servertest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"luot/internal/pgtest"
	"luot/server/client"
	"luot/server/servertest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestPostgresStack: the whole server on PostgreSQL. A kiosk issues and
// a clerk calls; while the database is down (pg_ctl stop -m immediate) a
// write is answered 503 database_unavailable and nothing changes; after
// the restart the same server, not restarted, issues the next number and
// has every acknowledged ticket.
func TestPostgresStack(t *testing.T) {
	c := pgtest.Get(t)
	s := servertest.New(t, servertest.WithDatabase(c.NewDatabase(t)))
	if got := s.DB.Backend(); got != "postgres" {
		t.Fatalf("backend %q", got)
	}
	first := s.Issue(t, "ho-tich")
	tok := s.Login(t, "nv1", "q1")
	auth := map[string]string{"Authorization": "Bearer " + tok}
	s.Call(t, "POST", "/api/v1/counters/q1/open", auth, struct{}{}, http.StatusOK, nil)
	s.Call(t, "POST", "/api/v1/counters/q1/next", auth, struct{}{}, http.StatusOK, nil)

	if err := c.Stop("immediate"); err != nil {
		t.Fatal(err)
	}
	up := false
	defer func() {
		if !up {
			c.Start()
		}
	}()
	b, _ := json.Marshal(map[string]string{"service": "ho-tich"})
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/offices/demo/tickets", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Device-Key", s.Keys["kiosk1"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var e struct{ Error struct{ Code string } }
	json.Unmarshal(body, &e)
	if res.StatusCode != http.StatusServiceUnavailable || e.Error.Code != client.CodeDatabaseUnavailable {
		t.Fatalf("issue with the database down: %d %s, want 503 %s", res.StatusCode, body, client.CodeDatabaseUnavailable)
	}

	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	up = true
	second := s.Issue(t, "ho-tich")
	if first.Number == second.Number {
		t.Fatalf("number %s given twice", first.Number)
	}
	st, err := s.DB.LoadState(t.Context(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Tickets) != 2 || st.Tickets[first.ID] == nil || st.Tickets[second.ID] == nil {
		t.Fatalf("stored tickets %v, want %s and %s", st.Tickets, first.ID, second.ID)
	}
}
