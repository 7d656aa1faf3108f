package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"luot/assets"
	"luot/server/auth"
	"luot/server/engine"
	"luot/server/hub"
	"luot/server/queue"
	"luot/server/store"
)

// TestMaintainPrunesOldEventsAndSessions: the daily housekeeping deletes
// events older than eventRetention (a client resuming from before them
// takes a snapshot), the kept answers of counter actions as old, and
// expired sessions, and keeps the rest.
func TestMaintainPrunesOldEventsAndSessions(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC) // 10:00 in Hồ Chí Minh City
	clock := now.Add(-10 * 24 * time.Hour)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng := engine.New(db, hub.New(0), func() time.Time { return clock }, log)
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if err := importOffice(ctx, db, eng, assets.DemoOffice, true, 0); err != nil {
		t.Fatal(err)
	}
	issue := func() {
		t.Helper()
		if _, _, err := eng.Issue(ctx, "demo", queue.IssueRequest{Service: "chung-thuc", Source: queue.SourceKiosk}, ""); err != nil {
			t.Fatal(err)
		}
	}
	// A clerk's keyed counter action: its kept answer goes with the events.
	keyedToggle := func(key string) {
		t.Helper()
		_, _, err := eng.DoKeyed(ctx, "demo", engine.Keyed{Key: key, Request: "r",
			Cmd: func(s *queue.State, now time.Time) (*queue.Change, error) {
				if s.Counters["q1"].State == queue.CounterOpen {
					return s.Pause(now, "q1", "nv1")
				}
				return s.Open(now, "q1", "nv1")
			},
			Answer: func(*queue.State, *queue.Change) (int, []byte) { return 200, []byte("{}\n") },
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	issue() // ten days ago
	keyedToggle("staff:nv1:old")
	clock = now.Add(-eventRetention + time.Hour)
	keyedToggle("staff:nv1:recent")
	issue() // just inside the retention
	v, _ := eng.View("demo")
	recent := v.Seq

	for _, s := range []auth.Session{
		{TokenHash: []byte("expired-session-0123456789"), Office: "demo", Staff: "nv1", Counter: "q1", Role: queue.RoleClerk, Created: now.Add(-13 * time.Hour), Expires: now.Add(-time.Hour)},
		{TokenHash: []byte("current-session-0123456789"), Office: "demo", Staff: "nv2", Counter: "q2", Role: queue.RoleClerk, Created: now.Add(-time.Hour), Expires: now.Add(11 * time.Hour)},
	} {
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}

	maintain(ctx, db, now, log)

	if _, complete, err := db.EventsSince(ctx, "demo", 0, 0); err != nil || complete {
		t.Fatalf("events from the start after maintenance: complete=%v, %v; the ten-day-old ones should be gone", complete, err)
	}
	if evs, complete, err := db.EventsSince(ctx, "demo", recent-1, 0); err != nil || !complete || len(evs) != 1 {
		t.Fatalf("the event inside the retention: %d, complete=%v, %v", len(evs), complete, err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, now); err != nil || n != 0 {
		t.Fatalf("expired sessions left after maintenance: %d, %v", n, err)
	}
	if _, err := db.SessionByTokenHash(ctx, []byte("current-session-0123456789"), now); err != nil {
		t.Fatalf("the current session: %v", err)
	}
	if r, err := db.Reply(ctx, "demo", "staff:nv1:old"); r != nil || err != nil {
		t.Fatalf("the ten-day-old answer of a counter action is kept: %+v, %v", r, err)
	}
	if r, err := db.Reply(ctx, "demo", "staff:nv1:recent"); r == nil || err != nil {
		t.Fatalf("the answer inside the retention: %+v, %v", r, err)
	}
}

// TestMaintainPrunesDonePrintJobs: print jobs acknowledged before the
// events' retention are deleted; a job still queued, however old, and a
// job done recently are kept.
func TestMaintainPrunesDonePrintJobs(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	clock := now.Add(-10 * 24 * time.Hour)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng := engine.New(db, hub.New(0), func() time.Time { return clock }, log)
	if err := eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if err := importOffice(ctx, db, eng, assets.DemoOffice, true, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.PutDevice(ctx, queue.Device{ID: "st-q1", Office: "demo", Kind: queue.DeviceStation, Counter: "q1"}, auth.Hash("st-q1-key-0123456789")); err != nil {
		t.Fatal(err)
	}
	job := func() int64 {
		t.Helper()
		j, err := eng.QueuePrint(ctx, db, "demo", "q1", queue.PrintTest, "admin", queue.Document{Lines: []queue.DocLine{{Style: queue.LineText, Text: "In thử"}}})
		if err != nil {
			t.Fatal(err)
		}
		return j.ID
	}
	ack := func(id int64) {
		t.Helper()
		if _, _, err := db.AckPrintJob(ctx, "demo", "q1", id, queue.PrintPrinted, "", clock); err != nil {
			t.Fatal(err)
		}
	}
	old, stillQueued := job(), job()
	ack(old)
	clock = now.Add(-time.Hour)
	recent := job()
	ack(recent)

	maintain(ctx, db, now, log)

	if _, err := db.PrintJob(ctx, "demo", old); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the ten-day-old printed job: %v", err)
	}
	for _, id := range []int64{stillQueued, recent} {
		if _, err := db.PrintJob(ctx, "demo", id); err != nil {
			t.Fatalf("job %d: %v", id, err)
		}
	}
}
