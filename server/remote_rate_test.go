package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRemoteRateFlags: -remote-burst sets how many online numbers the
// real server's office gives at once (from many phones, as a flood would
// use), the next is refused with 429; nonsense values stop the server.
func TestRemoteRateFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	p := startServer(t, t.TempDir(), "-demo", "-remote-burst", "3", "-remote-every", "1h")
	codes := []int{}
	for i := range 4 {
		body, _ := json.Marshal(map[string]string{"service": "ho-tich", "phone": fmt.Sprintf("091234560%d", i), "name": "Lan"})
		res, err := http.Post(p.url()+"/api/v1/offices/demo/remote-tickets", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		codes = append(codes, res.StatusCode)
	}
	if fmt.Sprint(codes) != "[201 201 201 429]" {
		t.Fatalf("online numbers answered %v, want three 201 then 429", codes)
	}
	for _, args := range [][]string{{"-remote-burst", "0"}, {"-remote-every", "0s"}, {"-remote-every", "-1s"}} {
		err := run(context.Background(), append([]string{"-data", t.TempDir(), "-addr", "127.0.0.1:0"}, args...))
		if err == nil || !strings.Contains(err.Error(), "-remote-burst") {
			t.Errorf("%v: %v", args, err)
		}
	}
}
