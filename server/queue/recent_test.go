package queue

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestRecentKeepsTheNewestCalls compares Recent (a bounded scan) with
// sorting every call of the day, over calls, recalls and equal times.
func TestRecentKeepsTheNewestCalls(t *testing.T) {
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 3))
		s := newTestState(t)
		s.open(at("07:00"), "c1", "c2", "c3")
		now := at("07:30")
		for i := range 60 {
			s.issue(now, fmt.Sprint("t", i), []string{"a", "b"}[rng.IntN(2)], PriorityNone)
			if rng.IntN(2) == 0 {
				now = now.Add(time.Duration(rng.IntN(3)) * time.Minute) // some calls at the same instant
			}
			k := []string{"c1", "c2", "c3"}[rng.IntN(3)]
			if rng.IntN(4) == 0 && s.Counters[k].Current != "" {
				s.do(s.Recall(now, k, "nv-"+k))
			} else {
				s.startIfGuarded(now, k)
				s.next(now, k)
			}
		}
		var all []*Ticket
		for _, tk := range s.Tickets {
			if !tk.CalledAt.IsZero() && tk.Day == s.Day && tk.Counter != "" {
				all = append(all, tk)
			}
		}
		slices.SortFunc(all, func(a, b *Ticket) int {
			if c := b.LastCallAt().Compare(a.LastCallAt()); c != 0 {
				return c
			}
			return cmp.Compare(b.Order, a.Order)
		})
		want := all[:min(len(all), s.Office.Policy.RecentCalls)]
		if got := s.Recent(); !slices.Equal(got, want) {
			t.Fatalf("seed %d: Recent %v, want %v", seed, recentIDs(got), recentIDs(want))
		}
	}
}

func recentIDs(ts []*Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}
