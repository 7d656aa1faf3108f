package clock

import (
	"slices"
	"testing"
	"time"
)

// TestFakeFiresTimersWhenMoved: timers fire when the clock reaches them,
// by Advance or Set, and not before; setting the clock back fires nothing.
func TestFakeFiresTimersWhenMoved(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	a, b := f.After(time.Minute), f.After(time.Hour)
	fired := func(ch <-chan time.Time) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	f.Advance(59 * time.Second)
	if fired(a) || fired(b) || f.Waiters() != 2 {
		t.Fatal("a timer fired early")
	}
	f.Set(t0.Add(-time.Hour))
	if fired(a) || fired(b) || !f.Now().Equal(t0.Add(-time.Hour)) {
		t.Fatal("setting the clock back fired a timer or did not move it")
	}
	f.Set(t0.Add(time.Minute))
	if !fired(a) || fired(b) || f.Waiters() != 1 {
		t.Fatal("Set to the minute: the first timer only should fire")
	}
	f.Advance(time.Hour)
	if !fired(b) || f.Waiters() != 0 {
		t.Fatal("the hour timer did not fire")
	}
}

// TestFakeAfterFunc: a Fake's AfterFunc timers run on the goroutine that
// moves the clock, in time order, before Advance returns, never early, and
// not at all once stopped.
func TestFakeAfterFunc(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	var got []string
	AfterFunc(f, 2*time.Minute, func() { got = append(got, "2m") })
	AfterFunc(f, time.Minute, func() { got = append(got, "1m at "+f.Now().Sub(t0).String()) })
	stop := AfterFunc(f, 90*time.Second, func() { got = append(got, "stopped") })
	f.Advance(59 * time.Second)
	if len(got) != 0 || f.Waiters() != 3 {
		t.Fatalf("before the first timer: ran %q, %d pending", got, f.Waiters())
	}
	if !stop.Stop() || stop.Stop() {
		t.Fatal("Stop of a pending timer must report true once, then false")
	}
	f.Advance(2 * time.Minute)
	if want := []string{"1m at 2m59s", "2m"}; !slices.Equal(got, want) {
		t.Fatalf("ran %q, want %q (in time order, the stopped one never)", got, want)
	}
	if f.Waiters() != 0 {
		t.Fatalf("%d timers still pending", f.Waiters())
	}
	f.AdvanceToNext()
	if len(got) != 2 {
		t.Fatalf("a timer ran twice: %q", got)
	}
}

// TestAfterFuncOverAfter: a clock without AfterFunc of its own gets one
// from After; Stop before the time keeps f from running.
func TestAfterFuncOverAfter(t *testing.T) {
	f := NewFake(time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC))
	only := struct{ Clock }{f} // Now and After, no AfterFunc
	ran := make(chan string, 2)
	AfterFunc(only, time.Minute, func() { ran <- "due" })
	stop := AfterFunc(only, time.Minute, func() { ran <- "stopped" })
	if !stop.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	f.Advance(time.Minute)
	select {
	case r := <-ran:
		if r != "due" {
			t.Fatalf("ran %q", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the due timer did not run")
	}
	if stop.Stop() {
		t.Fatal("a second Stop reported true")
	}
}
