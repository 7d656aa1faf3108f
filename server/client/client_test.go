package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestIssueRetriesWithTheSameKey: the first attempt's connection is cut
// before any answer (the server may or may not have issued); the retry
// carries the same idempotency key, so the server can answer with the
// first ticket instead of making a second.
func TestIssueRetriesWithTheSameKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		n := len(keys)
		mu.Unlock()
		if r.Header.Get("X-Device-Key") != "k" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad headers", http.StatusBadRequest)
			return
		}
		if n == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"ticket":{"id":"t1","number":"C001","eta_seconds":-1}}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, WithDeviceKey("k"), WithRetries(2, time.Millisecond))
	tk, err := c.Issue(context.Background(), "demo", IssueRequest{Service: "c"}, "tap-1")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Number != "C001" || tk.ETASeconds != -1 {
		t.Fatalf("ticket %+v", tk)
	}
	if len(keys) != 2 || keys[0] != "tap-1" || keys[1] != "tap-1" {
		t.Fatalf("idempotency keys sent: %q", keys)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"office_closed","message":"the office is closed now","come_back_at":"2026-11-30T07:30:00+07:00"}}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, WithRetries(0, 0))
	_, err := c.Issue(context.Background(), "demo", IssueRequest{Service: "c"}, "")
	var e *Error
	if !errors.As(err, &e) || e.Status != 503 || e.Code != CodeOfficeClosed || !IsUnavailable(err) || StatusOf(err) != 503 {
		t.Fatalf("err = %#v", err)
	}
	if want := time.Date(2026, 11, 30, 7, 30, 0, 0, time.FixedZone("", 7*3600)); !e.ComeBackAt.Equal(want) || e.ComeBackAt.Format("15:04") != "07:30" {
		t.Fatalf("ComeBackAt %v, want %v in the office's offset", e.ComeBackAt, want)
	}
	// A refusal of the request itself is not "unavailable".
	if IsUnavailable(&Error{Status: 409}) {
		t.Fatal("409 reported as unavailable")
	}
	if _, err := New("ftp://x"); err == nil {
		t.Fatal("a non-HTTP URL was accepted")
	}
}

// TestActRetriesWithTheSameKey: a counter action carries a fresh key per
// call, the same on each retry of that call.
func TestActRetriesWithTheSameKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		n := len(keys)
		mu.Unlock()
		if n%2 == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ticket":{"id":"t1","number":"A001","status":"called"}}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, WithToken("tok"), WithRetries(2, time.Millisecond))
	for range 2 {
		if tk, err := c.Act(context.Background(), "q1", ActionNext, nil); err != nil || tk.Number != "A001" {
			t.Fatalf("next: %+v, %v", tk, err)
		}
	}
	if len(keys) != 4 || keys[0] == "" || keys[0] != keys[1] || keys[2] != keys[3] || keys[1] == keys[2] {
		t.Fatalf("keys sent: %q; want one new key per press, the same on its retry", keys)
	}
	if _, err := c.ActWithKey(context.Background(), "q1", ActionNext, nil, ""); err == nil {
		t.Fatal("an action without a key was sent")
	}
}

func TestUnsafeRequestsAreNotRetried(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	c, _ := New(srv.URL, WithRetries(3, time.Millisecond))
	if _, err := c.Login(context.Background(), "demo", "q1", "nv1", "1234"); err == nil {
		t.Fatal("a cut connection was not reported")
	}
	if calls != 1 {
		t.Fatalf("a login was sent %d times; it has no idempotency key and must be sent once", calls)
	}
}
