package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

func TestBurstThenRate(t *testing.T) {
	l := New(3, 10*time.Second, 0)
	for i := range 3 {
		if ok, _ := l.Allow("ip", t0); !ok {
			t.Fatalf("event %d of the burst refused", i+1)
		}
	}
	ok, retry := l.Allow("ip", t0)
	if ok || retry != 10*time.Second {
		t.Fatalf("4th at once: ok %v, retry %v; want refused, 10s", ok, retry)
	}
	if ok, _ := l.Allow("other", t0); !ok {
		t.Fatal("another key is limited by the first")
	}
	if ok, retry := l.Allow("ip", t0.Add(4*time.Second)); ok || retry != 6*time.Second {
		t.Fatalf("after 4 s: ok %v retry %v", ok, retry)
	}
	if ok, _ := l.Allow("ip", t0.Add(10*time.Second)); !ok {
		t.Fatal("refused after a full period")
	}
	if ok, _ := l.Allow("ip", t0.Add(10*time.Second)); ok {
		t.Fatal("two events allowed for one period")
	}
	// A long pause refills to the burst, not beyond.
	later := t0.Add(time.Hour)
	for i := range 3 {
		if ok, _ := l.Allow("ip", later); !ok {
			t.Fatalf("after an hour, event %d refused", i+1)
		}
	}
	if ok, _ := l.Allow("ip", later); ok {
		t.Fatal("bucket grew beyond its burst")
	}
}

func TestClockGoingBackEarnsNothing(t *testing.T) {
	l := New(1, time.Minute, 0)
	l.Allow("k", t0)
	if ok, _ := l.Allow("k", t0.Add(-time.Hour)); ok {
		t.Fatal("a clock jump back refilled the bucket")
	}
	if ok, _ := l.Allow("k", t0.Add(time.Minute)); !ok {
		t.Fatal("refused one period after the last event")
	}
}

func TestDistinctKeyFloodIsBounded(t *testing.T) {
	l := New(1, time.Minute, 100)
	refused := 0
	for i := range 1000 {
		if ok, _ := l.Allow(fmt.Sprint("ip", i), t0); !ok {
			refused++
		}
	}
	if l.Keys() > 100 || refused != 900 {
		t.Fatalf("%d keys tracked, %d refused; want ≤ 100 and 900", l.Keys(), refused)
	}
	// Once the buckets refill, new keys are welcome again.
	if ok, _ := l.Allow("new", t0.Add(time.Minute)); !ok || l.Keys() != 1 {
		t.Fatalf("after refill: ok %v, keys %d", ok, l.Keys())
	}
}

func TestReadyAndCharge(t *testing.T) {
	l := New(2, time.Hour, 0)
	// Many in flight at once are all Ready: only those charged count.
	for range 5 {
		if ok, _ := l.Ready("k", t0); !ok {
			t.Fatal("a fresh key is not ready")
		}
	}
	if l.Keys() != 0 {
		t.Fatal("Ready made a key")
	}
	l.Charge("k", t0)
	if ok, _ := l.Ready("k", t0); !ok {
		t.Fatal("one charge of a burst of two spent it")
	}
	l.Charge("k", t0)
	l.Charge("k", t0) // a third, which was in flight: debt
	ok, retry := l.Ready("k", t0)
	if ok || retry != 2*time.Hour {
		t.Fatalf("after three charges of a burst of two: ready %v, retry %v (want 2h: the debt is paid first)", ok, retry)
	}
	if ok, _ := l.Ready("k", t0.Add(2*time.Hour)); !ok {
		t.Fatal("not ready once the debt and one token are refilled")
	}
	for range 10 {
		l.Charge("d", t0)
	}
	if _, retry := l.Ready("d", t0); retry != 3*time.Hour {
		t.Fatalf("debt not bounded by the burst: retry %v, want 3h", retry)
	}
}
