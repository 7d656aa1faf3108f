package clock

import (
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
