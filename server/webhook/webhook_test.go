package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"luot/server/notify"
)

func message() notify.Message {
	return notify.Message{
		ID:     7,
		Notice: notify.Notice{Key: "ticket/T1/called/1", Kind: notify.TicketCalled},
		Sub:    notify.Subscription{ID: 3, Channel: notify.SMS, Phone: "+84901234567"},
	}
}

// TestSendSigned: the gateway gets the JSON, its key twice, and a
// signature that Verify accepts with the secret and refuses otherwise.
func TestSendSigned(t *testing.T) {
	secret := []byte("bí mật")
	type got struct {
		body          []byte
		sig, key, typ string
	}
	ch := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ch <- got{b, r.Header.Get(SignatureHeader), r.Header.Get("Idempotency-Key"), r.Header.Get("Content-Type")}
	}))
	defer srv.Close()
	c := &Client{URL: srv.URL, Secret: secret}
	if err := c.Send(context.Background(), message(), "Mời số 1005 đến quầy 3"); err != nil {
		t.Fatal(err)
	}
	g := <-ch
	var b Body
	if err := json.Unmarshal(g.body, &b); err != nil {
		t.Fatalf("body %q: %v", g.body, err)
	}
	want := Body{Key: "ticket/T1/called/1@3", Kind: notify.TicketCalled, Phone: "+84901234567", Text: "Mời số 1005 đến quầy 3"}
	if b != want {
		t.Errorf("body = %+v, want %+v", b, want)
	}
	if g.key != want.Key || g.typ != "application/json" {
		t.Errorf("Idempotency-Key %q, Content-Type %q", g.key, g.typ)
	}
	if !Verify(secret, g.body, g.sig) {
		t.Errorf("Verify refused the signature %q", g.sig)
	}
	tampered := append([]byte{}, g.body...)
	tampered[len(tampered)-3] ^= 1
	for name, ok := range map[string]bool{
		"tampered body": Verify(secret, tampered, g.sig),
		"other secret":  Verify([]byte("other"), g.body, g.sig),
		"empty secret":  Verify(nil, g.body, g.sig),
		"no prefix":     Verify(secret, g.body, g.sig[len("sha256="):]),
		"short":         Verify(secret, g.body, g.sig[:20]),
		"not hex":       Verify(secret, g.body, "sha256=zz"),
		"empty":         Verify(secret, g.body, ""),
	} {
		if ok {
			t.Errorf("Verify accepted a %s", name)
		}
	}
}

// TestKeyOfPhoneMessage: a message to a phone without subscription keeps
// its notice's key (phone codes are unique already).
func TestKeyOfPhoneMessage(t *testing.T) {
	m := message()
	m.Sub.ID = 0
	if k := Key(m); k != "ticket/T1/called/1" {
		t.Errorf("Key = %q", k)
	}
}

// TestStatuses: 2xx accepted; 4xx permanent except 408, 425 and 429; 5xx
// temporary.
func TestStatuses(t *testing.T) {
	for _, tc := range []struct {
		status   int
		ok, perm bool
	}{
		{200, true, false}, {202, true, false}, {204, true, false},
		{400, false, true}, {401, false, true}, {403, false, true}, {404, false, true}, {422, false, true},
		{408, false, false}, {425, false, false}, {429, false, false},
		{500, false, false}, {502, false, false}, {503, false, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			io.WriteString(w, `{"error":"số +84901234567 sai"}`)
		}))
		err := (&Client{URL: srv.URL, Secret: []byte("s")}).Send(context.Background(), message(), "x")
		srv.Close()
		if tc.ok {
			if err != nil {
				t.Errorf("%d: %v", tc.status, err)
			}
			continue
		}
		var se *StatusError
		if !errors.As(err, &se) || se.Status != tc.status {
			t.Fatalf("%d: err = %v, want a StatusError", tc.status, err)
		}
		if se.Permanent() != tc.perm {
			t.Errorf("%d: Permanent = %v, want %v", tc.status, se.Permanent(), tc.perm)
		}
		if s := err.Error(); strings.Contains(s, "84901234567") {
			t.Errorf("%d: the error %q repeats the phone", tc.status, s)
		}
	}
}

// TestTimeout: a gateway that does not answer is a temporary failure.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	c := &Client{URL: srv.URL, Secret: []byte("s"), HTTP: &http.Client{Timeout: 50 * time.Millisecond}}
	err := c.Send(context.Background(), message(), "x")
	var se *StatusError
	if err == nil || errors.As(err, &se) {
		t.Fatalf("err = %v, want a transport error", err)
	}
}

// TestBadConfig: no URL, no secret or no phone is an error, nothing sent.
func TestBadConfig(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	noPhone := message()
	noPhone.Sub.Phone = ""
	for name, tc := range map[string]struct {
		c *Client
		m notify.Message
	}{
		"no URL":    {&Client{Secret: []byte("s")}, message()},
		"no secret": {&Client{URL: srv.URL}, message()},
		"no phone":  {&Client{URL: srv.URL, Secret: []byte("s")}, noPhone},
		"bad URL":   {&Client{URL: "::", Secret: []byte("s")}, message()},
	} {
		if err := tc.c.Send(context.Background(), tc.m, "x"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests reached the gateway", hits)
	}
}
