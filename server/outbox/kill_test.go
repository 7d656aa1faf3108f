package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"luot/server/notify"
	"luot/server/outbox"
	"luot/server/store"
	"luot/server/webhook"
)

// The child's settings, passed in its environment.
const (
	envChild = "LUOT_OUTBOX_CHILD" // the database's path: run as the sender
	envURL   = "LUOT_OUTBOX_URL"   // the gateway
	envSkew  = "LUOT_OUTBOX_SKEW"  // added to the clock (a restart after the lease)
	envDrain = "LUOT_OUTBOX_DRAIN" // exit once nothing is queued
)

// childLease is the child's lease; the restarted child's clock is this
// far ahead, so that it finds the killed child's leases over without the
// test waiting for them.
const childLease = 2 * time.Minute

// TestKillDuringDelivery: a sender process (this test binary run again)
// delivers 400 messages from a SQLite file to a gateway in this process
// and is killed with SIGKILL while deliveries are in flight. Restarted,
// it delivers every message; the only ones the gateway gets twice are
// those that were in flight at the kill (their key tells the gateway).
func TestKillDuringDelivery(t *testing.T) {
	if path := os.Getenv(envChild); path != "" {
		runChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("starts two processes")
	}
	const total, stallAt = 400, 150
	db, path := openStore(t)
	now := time.Now()
	notices := make([]notify.Notice, total)
	for i := range notices {
		notices[i] = phoneNotice(fmt.Sprintf("phone-code/k%03d", i), notify.PhoneCode, now)
	}
	enqueue(t, db, now, notices...)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	g, srv := newGateway(t)
	var (
		mu       sync.Mutex
		inFlight = map[string]bool{}   // keys whose answer was held at the kill
		stalled  = make(chan struct{}) // the first held answer
		allIn    = make(chan struct{}) // every worker's answer held
		release  = make(chan struct{}) // the test's end
		seen     int
	)
	// From the 150th request on, the gateway holds its answer until the
	// sender is gone: those messages reached it but were never accepted.
	g.setStall(func(r *http.Request, key string) {
		mu.Lock()
		seen++
		stall := seen >= stallAt
		if stall {
			inFlight[key] = true
			if seen == stallAt {
				close(stalled)
			}
			if len(inFlight) == outbox.DefaultWorkers {
				close(allIn)
			}
		}
		mu.Unlock()
		if stall {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
	})

	defer close(release)
	first := child(t, path, srv.URL, 0, false)
	select {
	case <-stalled:
	case <-time.After(60 * time.Second):
		first.Process.Kill()
		t.Fatalf("the sender did not reach %d deliveries", stallAt)
	}
	// The other workers reach the gateway and wait too (the batch of 32
	// has more than 8 messages from the 150th on): kill with every
	// worker's delivery in flight.
	select {
	case <-allIn:
	case <-time.After(60 * time.Second):
		first.Process.Kill()
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("only %d deliveries reached the gateway after the stall", len(inFlight))
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	g.setStall(nil)

	_, keys, _ := g.counts()
	if len(keys) >= total {
		t.Fatalf("the gateway had all %d messages before the kill: the kill proves nothing", len(keys))
	}
	mu.Lock()
	held := len(inFlight)
	mu.Unlock()
	t.Logf("killed after %d accepted messages, %d in flight", len(keys), held)

	second := child(t, path, srv.URL, childLease+time.Second, true)
	done := make(chan error, 1)
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the restarted sender: %v\n%s", err, second.Stdout)
		}
	case <-time.After(120 * time.Second):
		second.Process.Kill()
		t.Fatalf("the restarted sender did not drain the outbox\n%s", second.Stdout)
	}

	_, keys, bad := g.counts()
	received := g.receivedKeys()
	if bad != 0 {
		t.Errorf("%d requests with a bad signature", bad)
	}
	for i := range total {
		k := fmt.Sprintf("phone-code/k%03d", i)
		if keys[k] == 0 {
			t.Errorf("%s was never accepted by the gateway", k)
		}
		if keys[k] > 1 {
			t.Errorf("%s was accepted %d times", k, keys[k])
		}
		// A message that reached the gateway but whose answer the kill
		// cut off is sent again: the one duplicate the key allows.
		switch n := received[k]; {
		case n == 2 && !inFlight[k]:
			t.Errorf("%s reached the gateway twice but was not in flight at the kill", k)
		case n > 2:
			t.Errorf("%s reached the gateway %d times", k, n)
		}
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if m := metrics(t, db, time.Now().Add(childLease+time.Second)); m.Queued != 0 || m.Sent != total || m.Dead != 0 {
		t.Errorf("metrics = %+v, want %d sent", m, total)
	}
}

// child starts this test binary as a sender on the database at path.
func child(t *testing.T, path, url string, skew time.Duration, drain bool) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringDelivery$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envChild+"="+path, envURL+"="+url, envSkew+"="+skew.String(), envDrain+"="+strconv.FormatBool(drain))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("sender process output:\n%s", out.String())
		}
	})
	return cmd
}

// runChild is the sender process: it runs until killed or, when told to
// drain, until nothing is queued.
func runChild(t *testing.T, path string) {
	skew, err := time.ParseDuration(os.Getenv(envSkew))
	if err != nil {
		t.Fatal(err)
	}
	drain, _ := strconv.ParseBool(os.Getenv(envDrain))
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := func() time.Time { return time.Now().Add(skew) }
	s := &outbox.Sender{
		Store:    db,
		Now:      now,
		Channels: map[notify.Channel]outbox.Channel{notify.SMS: outbox.WebhookChannel{Client: &webhook.Client{URL: os.Getenv(envURL), Secret: secret}}},
		Lease:    childLease,
		Batch:    32,
		Log:      slog.New(slog.NewTextHandler(os.Stderr, nil)),
	}
	rctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(rctx, 10*time.Millisecond)
	for {
		time.Sleep(20 * time.Millisecond)
		if !drain {
			continue
		}
		m, err := db.OutboxMetrics(rctx, now())
		if err != nil {
			t.Fatal(err)
		}
		if m.Queued == 0 {
			return
		}
	}
}
