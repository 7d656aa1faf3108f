package pushtest_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"luot/internal/pushtest"
	"luot/server/webpush"
)

func TestService(t *testing.T) {
	if _, err := pushtest.Dir(); err != nil && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	svc, err := pushtest.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svc.URL, "http://127.0.0.1:") {
		t.Errorf("URL %s is not on loopback", svc.URL)
	}
	keys, err := webpush.LoadOrCreateKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.Subscribe(ctx, keys.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sub.Endpoint, svc.URL+"/notify/") {
		t.Errorf("endpoint %s is not the service's", sub.Endpoint)
	}
	j := sub.JSON()
	if j["endpoint"] != sub.Endpoint || j["keys"].(map[string]string)["auth"] != sub.Auth {
		t.Errorf("JSON %v", j)
	}
	if m, err := svc.Messages(ctx, sub); err != nil || len(m) != 0 {
		t.Errorf("a new subscription has messages %q, %v", m, err)
	}

	// Waiting for a message that does not come ends with ctx.
	short, cancelShort := context.WithTimeout(ctx, 100*time.Millisecond)
	_, err = svc.WaitMessages(short, sub, 1)
	cancelShort()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "0 of 1") {
		t.Errorf("waiting for nothing: %v", err)
	}

	// What the service refuses is an error, not an empty answer.
	if _, err := svc.Subscribe(ctx, "not-a-key"); err == nil {
		t.Error("subscribed with a bad application server key")
	}
	if _, err := svc.Messages(ctx, pushtest.Sub{ClientHash: "nobody"}); err == nil {
		t.Error("messages of an unknown subscription")
	}
	if err := svc.Expire(ctx, pushtest.Sub{ClientHash: "nobody"}); err == nil {
		t.Error("expired an unknown subscription")
	}

	// Close stops it.
	if err := svc.Close(); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Post(svc.URL+"/status", "application/json", nil); err == nil {
		resp.Body.Close()
		t.Fatal("the service still answers after Close")
	}
}

func TestDirWithoutNode(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := pushtest.Dir(); !errors.Is(err, pushtest.ErrNotInstalled) || !strings.Contains(err.Error(), "Node.js") {
		t.Fatalf("without node: %v", err)
	}
}
