package queue

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCallGuard: a ticket called less than the call guard ago and not yet
// started cannot be ended by next, call or done (a double-click, a retry);
// start, recall, transfer and no-show stay allowed, and after start or
// once the guard has passed next, call and done end it as usual.
func TestCallGuard(t *testing.T) {
	called := at("08:01")
	setup := func(t *testing.T, mods ...func(*Office)) *tstate {
		s := newTestState(t, mods...)
		s.issue(at("08:00"), "a1", "a", PriorityNone)
		s.issue(at("08:00"), "a2", "a", PriorityNone)
		s.open(at("08:00"), "c1")
		if id := s.next(called, "c1"); id != "a1" {
			t.Fatalf("called %q", id)
		}
		return s
	}
	refused := func(t *testing.T, s *tstate, c *Change, err error) {
		t.Helper()
		wantErr(t, c, err, KindConflict, ErrJustCalled)
		if err := unchanged(*s.last, s.State); err != nil {
			t.Fatal(err)
		}
		if s.tk("a1").Status != StatusCalled || s.Counters["c1"].Current != "a1" {
			t.Fatal("the called ticket moved")
		}
	}

	t.Run("a double-click on next", func(t *testing.T) {
		s := setup(t)
		for _, d := range []time.Duration{0, 80 * time.Millisecond, 4999 * time.Millisecond} {
			c, err := s.Next(called.Add(d), "c1", "nv-c1")
			refused(t, s, c, err)
		}
	})
	t.Run("call and done are refused as well", func(t *testing.T) {
		s := setup(t)
		c, err := s.CallNumber(called.Add(time.Second), "c1", "nv-c1", "A002")
		refused(t, s, c, err)
		c, err = s.Done(called.Add(time.Second), "c1", "nv-c1")
		refused(t, s, c, err)
	})
	t.Run("after the guard, next finishes the called ticket", func(t *testing.T) {
		s := setup(t)
		c := s.do(s.Next(called.Add(5*time.Second), "c1", "nv-c1"))
		if got := eventTypes(c); !slices.Equal(got, []EventType{EventTicketDone, EventTicketCalled}) || c.Ticket.ID != "a2" {
			t.Fatalf("events %v", got)
		}
	})
	t.Run("after start, next and done at once", func(t *testing.T) {
		s := setup(t)
		s.do(s.Start(called, "c1", "nv-c1"))
		if id := s.next(called.Add(time.Second), "c1"); id != "a2" {
			t.Fatalf("next after start called %q", id)
		}
		if s.tk("a1").Status != StatusDone {
			t.Fatalf("started ticket is %s", s.tk("a1").Status)
		}
		s.do(s.Start(called.Add(time.Second), "c1", "nv-c1"))
		s.do(s.Done(called.Add(time.Second), "c1", "nv-c1"))
	})
	t.Run("what a clerk does within the guard", func(t *testing.T) {
		for name, cmd := range map[string]func(s *State, now time.Time) (*Change, error){
			"recall":  func(s *State, now time.Time) (*Change, error) { return s.Recall(now, "c1", "nv-c1") },
			"start":   func(s *State, now time.Time) (*Change, error) { return s.Start(now, "c1", "nv-c1") },
			"no-show": func(s *State, now time.Time) (*Change, error) { return s.NoShow(now, "c1", "nv-c1") },
			"transfer": func(s *State, now time.Time) (*Change, error) {
				return s.Transfer(now, "c1", "nv-c1", TransferRequest{Service: "b"})
			},
		} {
			t.Run(name, func(t *testing.T) {
				s := setup(t)
				s.do(cmd(s.State, called.Add(time.Second)))
			})
		}
	})
	t.Run("a no-show called back is guarded anew", func(t *testing.T) {
		s := setup(t)
		s.do(s.NoShow(called.Add(time.Second), "c1", "nv-c1"))
		s.do(s.CallNumber(called.Add(2*time.Second), "c1", "nv-c1", "A001"))
		c, err := s.Next(called.Add(3*time.Second), "c1", "nv-c1")
		refused(t, s, c, err)
	})
	t.Run("measured from the last recall", func(t *testing.T) {
		s := setup(t)
		s.do(s.Recall(called.Add(time.Minute), "c1", "nv-c1"))
		c, err := s.Next(called.Add(time.Minute+time.Second), "c1", "nv-c1")
		refused(t, s, c, err)
		s.next(called.Add(time.Minute+5*time.Second), "c1")
	})
	t.Run("a clock that steps back", func(t *testing.T) {
		s := setup(t)
		c, err := s.Next(called.Add(-2*time.Second), "c1", "nv-c1")
		refused(t, s, c, err)
		// An hour back (a badly set clock corrected) does not block the counter.
		s.next(called.Add(-time.Hour), "c1")
	})
	t.Run("the office's own guard", func(t *testing.T) {
		s := setup(t, func(o *Office) { o.Policy.CallGuardSeconds = 30 })
		c, err := s.Next(called.Add(29*time.Second), "c1", "nv-c1")
		refused(t, s, c, err)
		s.next(called.Add(30*time.Second), "c1")
	})
	t.Run("the message says what to do", func(t *testing.T) {
		s := setup(t)
		_, err := s.Next(called, "c1", "nv-c1")
		if msg := err.Error(); !containsAll(msg, "A001", "5 seconds", "start", "no-show") {
			t.Fatalf("message %q", msg)
		}
	})
}

func TestCallGuardDefault(t *testing.T) {
	o := testOffice(t, func(o *Office) { o.Policy.CallGuardSeconds = 0 })
	if o.Policy.CallGuardSeconds != DefaultCallGuardSeconds || o.Policy.CallGuard() != 5*time.Second {
		t.Fatalf("default guard %d, %v", o.Policy.CallGuardSeconds, o.Policy.CallGuard())
	}
	var p Policy // as decoded from a configuration stored before the guard existed
	if p.CallGuard() != DefaultCallGuardSeconds*time.Second {
		t.Fatalf("zero policy guard %v", p.CallGuard())
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
