// Package report computes an office's service figures from its stored
// tickets and ratings: pure functions over domain records (queue.Ticket,
// queue.Rating), with no I/O and no clock.
//
// Definitions (the same in the pages, the charts and the CSV export):
//
//   - A ticket counts in the day it was issued (its business day) and in the
//     hour of day, local to the office, at which it was issued.
//   - A ticket's service is its service at the end (after transfers); its
//     counter and clerk are the last ones that called it. Tickets never
//     called have no counter or clerk and appear only in the totals, the
//     service, hour and day groups.
//   - Served = status done; no-shows = no_show; cancelled = cancelled;
//     expired (still waiting at the day's end) = expired.
//   - Wait = first call − issue, for every called ticket.
//   - Service time = finish − start of service (or − the last call when the
//     clerk never pressed "start"), for served tickets.
//   - Percentiles use the nearest-rank method: the p-th percentile of n
//     sorted values is the value at rank ⌈p·n/100⌉.
//   - Estimate error = actual wait − the estimate printed at issue, for
//     called tickets that had an estimate; reported as its mean (bias:
//     positive means citizens waited longer than told) and its mean absolute
//     value.
//   - Ratings are counted by score (1–4) in the group of the rated ticket.
package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"luot/server/queue"
)

// MaxScore is the highest rating score.
const MaxScore = 4

// Sources lists the ticket sources in the order reports show them.
var Sources = []queue.Source{queue.SourceKiosk, queue.SourceRemote, queue.SourceBooking, queue.SourceClerk}

// Stats are the figures of one group of tickets.
type Stats struct {
	Tickets   int
	BySource  map[queue.Source]int
	Served    int
	NoShow    int
	Cancelled int
	Expired   int
	// Waits and ServiceTimes are in seconds; the zero value when empty.
	Wait    Duration
	Service Duration
	// EstimateBias and EstimateMAE are in seconds over EstimateN tickets.
	EstimateN    int
	EstimateBias float64
	EstimateMAE  float64
	// Ratings[s] counts the ratings with score s (index 0 unused).
	Ratings [MaxScore + 1]int

	waits, services []float64
	errs            []float64
}

// Duration summarizes a set of durations in seconds.
type Duration struct {
	N   int
	Avg float64
	P90 float64
	Max float64
}

// RatingsN is how many ratings the group has.
func (s *Stats) RatingsN() int {
	n := 0
	for _, c := range s.Ratings[1:] {
		n += c
	}
	return n
}

// RatingAvg is the mean score (0 when there is none).
func (s *Stats) RatingAvg() float64 {
	n, sum := 0, 0
	for sc, c := range s.Ratings {
		n += c
		sum += sc * c
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// Group is the figures of one service, counter, clerk, hour or day.
type Group struct {
	Key string
	Stats
}

// Report is the figures of an office over a range of business days.
type Report struct {
	From, To  string
	Total     Stats
	ByService []Group
	ByCounter []Group
	ByStaff   []Group
	// ByHour has 24 groups, keyed "00" … "23" (local hour of issue).
	ByHour []Group
	// ByDay has one group per day from From to To inclusive, keyed by date.
	ByDay []Group
}

// Compute makes the report of tickets and ratings for the days from … to
// (inclusive, YYYY-MM-DD), in the office's timezone loc. Tickets outside
// the range are ignored; ratings of unknown tickets too. Of a ticket it
// reads only the id, day, service, counter, staff, source, status, the
// times of issue, calls, service and finish, and the estimate given at
// issue (EstimateSeconds, −1 = none); of a rating the ticket and score.
func Compute(tickets []queue.Ticket, ratings []queue.Rating, from, to string, loc *time.Location) Report {
	if loc == nil {
		loc = time.UTC
	}
	r := Report{From: from, To: to, Total: newStats()}
	svc, ctr, stf, day := map[string]*Stats{}, map[string]*Stats{}, map[string]*Stats{}, map[string]*Stats{}
	hours := make([]*Stats, 24)
	for i := range hours {
		s := newStats()
		hours[i] = &s
	}
	for _, d := range Days(from, to) {
		s := newStats()
		day[d] = &s
	}
	get := func(m map[string]*Stats, k string) *Stats {
		if s, ok := m[k]; ok {
			return s
		}
		s := newStats()
		m[k] = &s
		return &s
	}
	byTicket := map[string][]*Stats{}
	for i := range tickets {
		row := &tickets[i]
		if row.Day < from || row.Day > to {
			continue
		}
		groups := []*Stats{&r.Total, get(svc, row.Service), hours[row.IssuedAt.In(loc).Hour()], get(day, row.Day)}
		if row.Counter != "" {
			groups = append(groups, get(ctr, row.Counter))
		}
		if row.Staff != "" {
			groups = append(groups, get(stf, row.Staff))
		}
		for _, g := range groups {
			g.add(row)
		}
		byTicket[row.ID] = groups
	}
	for _, rt := range ratings {
		if rt.Score < 1 || rt.Score > MaxScore {
			continue
		}
		for _, g := range byTicket[rt.Ticket] {
			g.Ratings[rt.Score]++
		}
	}
	r.Total.finish()
	r.ByService = groups(svc)
	r.ByCounter = groups(ctr)
	r.ByStaff = groups(stf)
	r.ByDay = groups(day)
	for h, s := range hours {
		s.finish()
		r.ByHour = append(r.ByHour, Group{Key: twoDigits(h), Stats: *s})
	}
	return r
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func newStats() Stats { return Stats{BySource: map[queue.Source]int{}} }

func groups(m map[string]*Stats) []Group {
	out := make([]Group, 0, len(m))
	for k, s := range m {
		s.finish()
		out = append(out, Group{Key: k, Stats: *s})
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

func (s *Stats) add(row *queue.Ticket) {
	s.Tickets++
	s.BySource[row.Source]++
	switch row.Status {
	case queue.StatusDone:
		s.Served++
		start := row.ServingAt
		if start.IsZero() {
			start = row.CalledAt
			if row.RecalledAt.After(start) {
				start = row.RecalledAt
			}
		}
		if !start.IsZero() && !row.FinishedAt.IsZero() && !row.FinishedAt.Before(start) {
			s.services = append(s.services, row.FinishedAt.Sub(start).Seconds())
		}
	case queue.StatusNoShow:
		s.NoShow++
	case queue.StatusCancelled:
		s.Cancelled++
	case queue.StatusExpired:
		s.Expired++
	}
	if !row.CalledAt.IsZero() && !row.CalledAt.Before(row.IssuedAt) {
		w := row.CalledAt.Sub(row.IssuedAt).Seconds()
		s.waits = append(s.waits, w)
		if row.EstimateSeconds >= 0 {
			s.errs = append(s.errs, w-float64(row.EstimateSeconds))
		}
	}
}

func (s *Stats) finish() {
	s.Wait = summarize(s.waits)
	s.Service = summarize(s.services)
	s.EstimateN = len(s.errs)
	if n := len(s.errs); n > 0 {
		var sum, abs float64
		for _, e := range s.errs {
			sum += e
			abs += math.Abs(e)
		}
		s.EstimateBias, s.EstimateMAE = sum/float64(n), abs/float64(n)
	}
}

// summarize returns the count, mean, nearest-rank 90th percentile and
// maximum of xs (seconds).
func summarize(xs []float64) Duration {
	if len(xs) == 0 {
		return Duration{}
	}
	v := slices.Clone(xs)
	slices.Sort(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	return Duration{N: len(v), Avg: sum / float64(len(v)), P90: Percentile(v, 90), Max: v[len(v)-1]}
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted values: the value at rank ⌈p·n/100⌉. It returns 0 for no values.
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(n) / 100))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// Days lists the dates from … to inclusive (YYYY-MM-DD); none when either
// is not a date or to is before from. At most 366 days are listed.
func Days(from, to string) []string {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for d := f; !d.After(t) && len(out) < 366; d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}
