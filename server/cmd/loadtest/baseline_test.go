package main

import (
	"context"
	"testing"
	"time"
)

// TestBaselineReachesEveryClient: a handful of clients of the bare
// websocket server each receive every message, timed by the fan-out's
// code, and end without counting as dropped.
func TestBaselineReachesEveryClient(t *testing.T) {
	r, err := runBaseline(context.Background(), plan{clients: 5, events: 30, size: 300}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.connected != 5 || r.fanout.clients != 5 || r.dropped != 0 || r.late != 0 || r.missing != 0 {
		t.Fatalf("connected %d, measured %d, dropped %d, not queued %d, missed %d (%s)", r.connected, r.fanout.clients, r.dropped, r.late, r.missing, r.firstErr)
	}
	if r.fromAt.n != 5*30 || r.fromAtLast.n != 30 || r.allEvents.n != 5*30 {
		t.Fatalf("deliveries %d, events %d, all %d; want 150, 30, 150", r.fromAt.n, r.fromAtLast.n, r.allEvents.n)
	}
}

// TestBaselineMessage: the baseline's messages have the server's event
// shape as seqOf reads it, and the planned size.
func TestBaselineMessage(t *testing.T) {
	for _, size := range []int{50, 400, 2000} {
		m := baselineMessage(1234, testTime, size)
		if seqOf(m) != 1234 || (size > 100 && len(m) != size) {
			t.Errorf("size %d: seq %d, %d bytes: %s", size, seqOf(m), len(m), m)
		}
	}
}

var testTime = mustTime("2026-11-27T08:00:00.123456789+07:00")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestBaselinePlanKeepsThePhasePace: the baseline sends at the measured
// phase's pace (never faster: it would queue what the server never had to),
// for about baselineSpan, within its limits.
func TestBaselinePlanKeepsThePhasePace(t *testing.T) {
	ev := &events{}
	for _, c := range []struct {
		published int64
		elapsed   time.Duration
		every     time.Duration
		n         int
	}{
		{744, 20 * time.Second, 26881720, 186},                // fan-out run: 37 events/s for 5 s
		{10000, 20 * time.Second, 2 * time.Millisecond, 1000}, // a busy phase: capped
		{30, 20 * time.Second, 666666666, 20},                 // a slow phase: at least 20, at its pace
		{0, 20 * time.Second, 10 * time.Millisecond, 20},
	} {
		p := baselinePlan(ev, &results{seq0: 5, seq1: 5 + c.published, elapsed: c.elapsed})
		if p.every != c.every || p.events != c.n || p.size != 400 {
			t.Errorf("%d events in %v: plan %+v, want one every %v, %d of them", c.published, c.elapsed, p, c.every, c.n)
		}
	}
}
