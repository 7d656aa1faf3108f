package queue

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"luot/server/notify"
)

// run applies cmd's change to s and returns it.
func run(t testing.TB, s *State, cmd func() (*Change, error)) *Change {
	t.Helper()
	c, err := cmd()
	if err != nil {
		t.Fatal(err)
	}
	s.Apply(c)
	return c
}

func TestEventNoticesOfWatchedTicketsOnly(t *testing.T) {
	s := NewState(testOffice(t), testDay)
	now := at("08:00")
	run(t, s, func() (*Change, error) { return s.Open(now, "c1", "nv") })
	for _, id := range []string{"t1", "t2"} {
		run(t, s, func() (*Change, error) {
			return s.Issue(now, IssueRequest{ID: id, Token: "x", Service: "a", Source: SourceKiosk})
		})
	}
	watched := func(id string) bool { return id == "t1" }
	item := notify.Item{Type: notify.ItemTicket, ID: "t1", Office: "hcm-q1"}
	steps := []struct {
		name string
		cmd  func(now time.Time) (*Change, error)
		want func(c *Change) []notify.Notice
	}{
		{"called", func(now time.Time) (*Change, error) { return s.Next(now, "c1", "nv") }, func(c *Change) []notify.Notice {
			return []notify.Notice{{Key: fmt.Sprintf("ticket/t1/called/%d", c.Events[0].Seq), Kind: notify.TicketCalled, Item: item, At: c.At,
				Params: map[string]string{"number": "A001", "counter": "1"}}}
		}},
		{"recalled", func(now time.Time) (*Change, error) { return s.Recall(now, "c1", "nv") }, func(c *Change) []notify.Notice {
			return []notify.Notice{{Key: fmt.Sprintf("ticket/t1/called/%d", c.Events[0].Seq), Kind: notify.TicketCalled, Item: item, At: c.At,
				Params: map[string]string{"number": "A001", "counter": "1"}}}
		}},
		{"missed", func(now time.Time) (*Change, error) { return s.NoShow(now, "c1", "nv") }, func(c *Change) []notify.Notice {
			return []notify.Notice{{Key: "ticket/t1/missed", Kind: notify.TicketMissed, Item: item, At: c.At,
				Params: map[string]string{"number": "A001"}}}
		}},
		{"not watched", func(now time.Time) (*Change, error) { return s.Next(now, "c1", "nv") }, func(*Change) []notify.Notice { return nil }},
		{"no ticket event", func(now time.Time) (*Change, error) { return s.Open(now, "c2", "nv") }, func(*Change) []notify.Notice { return nil }},
	}
	for i, st := range steps {
		now := now.Add(time.Duration(i+1) * time.Minute)
		c := run(t, s, func() (*Change, error) { return st.cmd(now) })
		got, want := EventNotices(c, watched), st.want(c)
		if !slices.EqualFunc(got, want, equalNotice) {
			t.Errorf("%s: notices\n%+v\nwant\n%+v", st.name, got, want)
		}
	}
}

func equalNotice(a, b notify.Notice) bool {
	return a.Key == b.Key && a.Kind == b.Kind && a.Item == b.Item && a.At.Equal(b.At) && maps.Equal(a.Params, b.Params)
}

func TestNearNoticesAtMostNearAhead(t *testing.T) {
	s := NewState(testOffice(t), testDay)
	now := at("08:00")
	// Before any counter opens, the line's places are provisional: no
	// turn is near.
	run(t, s, func() (*Change, error) {
		return s.Issue(now, IssueRequest{ID: "b1", Token: "x", Service: "b", Source: SourceKiosk})
	})
	if n := NearNotices(s, s.Estimate(now), slices.Values([]string{"b1"}), 3, now); n != nil {
		t.Errorf("told near with no counter open: %+v", n)
	}
	run(t, s, func() (*Change, error) { return s.Open(now, "c2", "nv") })
	// N1001 waits first in its line, but its counter (c3) is closed.
	run(t, s, func() (*Change, error) {
		return s.Issue(now, IssueRequest{ID: "n1", Token: "x", Service: "n", Source: SourceKiosk})
	})
	for i := 1; i < 6; i++ {
		run(t, s, func() (*Change, error) {
			return s.Issue(now.Add(time.Duration(i)*time.Second), IssueRequest{ID: fmt.Sprint("b", i+1), Token: "x", Service: "b", Source: SourceKiosk})
		})
	}
	run(t, s, func() (*Change, error) { return s.Next(now.Add(time.Minute), "c2", "nv") }) // B001 called
	now = now.Add(2 * time.Minute)
	f := s.Estimate(now)
	// Waiting: B002…B006, 0…4 ahead.
	ids := []string{"b1", "b2", "b4", "b5", "b6", "nobody", "n1"}
	for _, tc := range []struct {
		near int
		want []string
	}{
		{3, []string{"b2", "b4", "b5"}},
		{0, []string{"b2"}},
		{-1, nil},
		{10, []string{"b2", "b4", "b5", "b6"}},
	} {
		got := NearNotices(s, f, slices.Values(ids), tc.near, now)
		var gotIDs []string
		for _, n := range got {
			e, _ := f.Of(s.Tickets[n.Item.ID])
			want := notify.Notice{Key: "ticket/" + n.Item.ID + "/near", Kind: notify.TicketNear,
				Item: notify.Item{Type: notify.ItemTicket, ID: n.Item.ID, Office: "hcm-q1"}, At: now,
				Params: map[string]string{"number": s.Tickets[n.Item.ID].Display, "ahead": fmt.Sprint(e.Ahead)}}
			if !equalNotice(n, want) {
				t.Errorf("near %d: %+v, want %+v", tc.near, n, want)
			}
			gotIDs = append(gotIDs, n.Item.ID)
		}
		if !slices.Equal(gotIDs, tc.want) {
			t.Errorf("near %d: told %v, want %v", tc.near, gotIDs, tc.want)
		}
	}
	if n := NearNotices(s, nil, slices.Values(ids), 3, now); n != nil {
		t.Errorf("without a forecast: %v", n)
	}
	// A forecast of another state (B003 has been called since) does not
	// tell B003.
	run(t, s, func() (*Change, error) { return s.CallNumber(now.Add(time.Minute), "c2", "nv", "B003") })
	if n := NearNotices(s, f, slices.Values([]string{"b3"}), 3, now); n != nil {
		t.Errorf("a called ticket told near: %v", n)
	}
}

// BenchmarkNearNotices is the near look-up of one change with 2,000
// waiting and 50 of them followed (5 of them near): "watched" looks up
// only the followed (what the engine does, O(watched)), "scan" walks every
// ticket of the day and checks each against the followed set — the cost
// the engine avoids. At 20,000 waiting, "watched" costs the same and
// "scan" ten times more.
func BenchmarkNearNotices(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		s, now := benchState(b, n)
		f := s.Estimate(now)
		watched := nearBenchWatched(s, f, n)
		const near = 3
		want := len(NearNotices(s, f, maps.Keys(watched), near, now))
		if want == 0 {
			b.Fatal("no followed ticket is near: the benchmark would measure nothing but look-ups")
		}
		b.Run(fmt.Sprintf("waiting=%d/watched=50", n), func(b *testing.B) {
			for b.Loop() {
				untold := func(yield func(string) bool) {
					for id, told := range watched {
						if !told && !yield(id) {
							return
						}
					}
				}
				if n := NearNotices(s, f, untold, near, now); len(n) != want {
					b.Fatalf("%d notices, want %d", len(n), want)
				}
			}
		})
		b.Run(fmt.Sprintf("waiting=%d/scan", n), func(b *testing.B) {
			for b.Loop() {
				var out []notify.Notice
				for id, t := range s.Tickets {
					if told, ok := watched[id]; !ok || told || t.Status != StatusWaiting {
						continue
					}
					if e, ok := f.Of(t); ok && e.Ahead <= near {
						out = append(out, notify.Notice{Key: notify.TicketKey(id, "near"), Kind: notify.TicketNear,
							Item: notify.Item{Type: notify.ItemTicket, ID: id, Office: s.Office.ID}, At: now,
							Params: map[string]string{"number": t.Display, "ahead": strconv.Itoa(e.Ahead)}})
					}
				}
				if len(out) != want {
					b.Fatalf("%d notices, want %d", len(out), want)
				}
			}
		})
	}
}

// nearBenchWatched is the followed set of BenchmarkNearNotices: 45
// tickets spread over the n waiting, and the 5 nearest the counters.
func nearBenchWatched(s *State, f *Forecast, n int) map[string]bool {
	w := map[string]bool{}
	for i := 1; len(w) < 45; i += n / 45 {
		w[fmt.Sprint("t", i)] = false
	}
	ids := slices.Collect(maps.Keys(s.Tickets))
	ahead := func(id string) int { e, _ := f.Of(s.Tickets[id]); return e.Ahead }
	slices.SortFunc(ids, func(x, y string) int { return cmp.Or(cmp.Compare(ahead(x), ahead(y)), cmp.Compare(x, y)) })
	for _, id := range ids {
		if len(w) == 50 {
			break
		}
		w[id] = false
	}
	return w
}
