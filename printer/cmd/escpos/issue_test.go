package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"luot/printer"
	"luot/printer/virtual"
)

// TestIssueCommand takes a number from a stand-in server that speaks the
// API's contract (office, walk-in ticket with the kiosk's key and an
// idempotency key) and prints it on the virtual printer; with the paper
// out, the ticket is issued and the exit status says "fault".
func TestIssueCommand(t *testing.T) {
	issued := 0
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/offices/demo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"demo","name":"UBND thành phố","name_en":"City People's Committee","timezone":"Asia/Ho_Chi_Minh",
			"services":[{"id":"chung-thuc","name":"Chứng thực bản sao, chữ ký","name_en":"Certified copies","active":true,"served":true}]}`))
	})
	mux.HandleFunc("POST /api/v1/offices/demo/tickets", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Service string }
		json.NewDecoder(r.Body).Decode(&body)
		if r.Header.Get("X-Device-Key") != "demo-kiosk" || r.Header.Get("Idempotency-Key") == "" || body.Service != "chung-thuc" {
			http.Error(w, `{"error":{"code":"bad","message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		issued++
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"ticket":{"id":"t1","number":"C00` + string(rune('0'+issued)) + `","service":"chung-thuc","status":"waiting",
			"issued_at":"2026-11-27T08:15:32+07:00","ahead":2,"eta_seconds":360,"track_url":"http://127.0.0.1:8080/t/t1?token=x"}}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	v, err := virtual.Start(virtual.Options{OutDir: t.TempDir(), Profile: "generic-80"})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()

	var out, errb bytes.Buffer
	args := []string{"-server", srv.URL, "-device-key", "demo-kiosk", "-port", v.Path(), "-profile", "generic-80", "-baud", "115200"}
	if code := issue(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "issued C001 (chung-thuc)") || !strings.Contains(out.String(), "printed C001") {
		t.Errorf("output: %q", out.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tk, err := v.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"C001", "Chứng thực bản sao, chữ ký", "Certified copies", "08:15", "/t/t1?token=x"} {
		if !strings.Contains(tk.Text, want) {
			t.Errorf("printed ticket lacks %q:\n%s", want, tk.Text)
		}
	}

	v.SetFault(printer.FaultPaperEnd, true)
	out.Reset()
	errb.Reset()
	if code := issue(args, &out, &errb); code != 3 || !strings.Contains(out.String(), "issued C002") || !strings.Contains(errb.String(), "stays valid") {
		t.Errorf("paper out: exit %d, %q, %q", code, out.String(), errb.String())
	}
	if code := issue([]string{"-server", srv.URL}, &out, &errb); code != 2 {
		t.Errorf("missing flags: exit %d", code)
	}
}
