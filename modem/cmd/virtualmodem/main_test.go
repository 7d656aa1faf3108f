package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"luot/modem"
	"luot/modem/virtual"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun runs the command on a link, sends a message through package
// modem and finds it in the output file and on standard output.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	link, out := filepath.Join(dir, "ttyModem"), filepath.Join(dir, "sms", "messages.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"-out", out, "-link", link}, &stdout, &stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("not started: %q %q", stdout.String(), stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	m, err := modem.Open(modem.Config{Port: link, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Send(ctx, "+84912345678", "Đến lượt bạn", false); err != nil {
		t.Fatal(err)
	}
	msgs, err := virtual.ReadMessages(out)
	if err != nil || len(msgs) != 1 || msgs[0].Text != "Đến lượt bạn" {
		t.Fatalf("%+v, %v", msgs, err)
	}
	for !strings.Contains(stdout.String(), "message 1 to +84912345678 (ucs2, 1 part(s)): Đến lượt bạn") {
		if time.Now().After(deadline) {
			t.Fatalf("stdout %q", stdout.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Fatalf("link left behind: %v", err)
	}
}

func TestRunRefuses(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"extra"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "unexpected argument") {
		t.Fatalf("exit %d: %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"-bogus"}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d", code)
	}
}
