package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// recorder keeps every latency and error of each kind of request.
type recorder struct {
	mu     sync.Mutex
	lat    map[string][]time.Duration
	errs   map[string]map[string]int // kind → reason → count
	status map[string]map[int]int    // kind → HTTP status → count
}

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, errs: map[string]map[string]int{}, status: map[string]map[int]int{}}
}

// ok records a successful request of kind that took d.
func (r *recorder) ok(kind string, d time.Duration, status int) {
	r.mu.Lock()
	r.lat[kind] = append(r.lat[kind], d)
	if r.status[kind] == nil {
		r.status[kind] = map[int]int{}
	}
	r.status[kind][status]++
	r.mu.Unlock()
}

// fail records a failed request of kind; it counts in the latencies too
// (a failure that takes 5 s is still 5 s of someone's wait).
func (r *recorder) fail(kind string, d time.Duration, status int, reason string) {
	r.mu.Lock()
	r.lat[kind] = append(r.lat[kind], d)
	if r.errs[kind] == nil {
		r.errs[kind] = map[string]int{}
	}
	r.errs[kind][reason]++
	if r.status[kind] == nil {
		r.status[kind] = map[int]int{}
	}
	r.status[kind][status]++
	r.mu.Unlock()
}

// pct returns the q-quantile (0..1) of sorted durations (nearest rank).
func pct(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// print writes the table of requests by kind for a run of length elapsed.
// It returns the worst p99 and the number of errors.
func (r *recorder) print(w io.Writer, elapsed time.Duration) (worst time.Duration, errors int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kinds := make([]string, 0, len(r.lat))
	for k := range r.lat {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "%-14s %8s %8s %8s %8s %8s %8s %7s  %s\n", "kind", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "statuses")
	total := 0
	for _, k := range kinds {
		l := slices.Clone(r.lat[k])
		slices.Sort(l)
		n := 0
		for _, c := range r.errs[k] {
			n += c
		}
		errors += n
		total += len(l)
		worst = max(worst, pct(l, 0.99))
		fmt.Fprintf(w, "%-14s %8d %8.1f %8s %8s %8s %8s %7d  %s\n", k, len(l), float64(len(l))/elapsed.Seconds(),
			ms(pct(l, 0.50)), ms(pct(l, 0.95)), ms(pct(l, 0.99)), ms(pct(l, 1)), n, fmtStatuses(r.status[k]))
	}
	fmt.Fprintf(w, "%-14s %8d %8.1f\n", "all", total, float64(total)/elapsed.Seconds())
	for _, k := range kinds {
		printReasons(w, k, r.errs[k])
	}
	return worst, errors
}

// totals is the number of requests, the worst p99 of a kind and the
// number of errors.
func (r *recorder) totals() (n int, worst time.Duration, errors int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, lat := range r.lat {
		l := slices.Clone(lat)
		slices.Sort(l)
		n += len(l)
		worst = max(worst, pct(l, 0.99))
		for _, c := range r.errs[k] {
			errors += c
		}
	}
	return n, worst, errors
}

// shownReasons is how many different error answers are quoted per kind;
// answers that differ only by their content (the tickets a flood got) would
// otherwise fill the report.
const shownReasons = 3

// printReasons quotes the most frequent error answers of kind and counts
// the rest.
func printReasons(w io.Writer, kind string, reasons map[string]int) {
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := reasons[b] - reasons[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	rest, restN := 0, 0
	for i, reason := range keys {
		if i < shownReasons {
			fmt.Fprintf(w, "  error %s ×%d: %s\n", kind, reasons[reason], reason)
		} else {
			rest++
			restN += reasons[reason]
		}
	}
	if rest > 0 {
		fmt.Fprintf(w, "  error %s ×%d: %d other answers, not quoted\n", kind, restN, rest)
	}
}

func fmtStatuses(m map[int]int) string {
	codes := make([]int, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	s := ""
	for _, c := range codes {
		if s != "" {
			s += " "
		}
		if c == 0 {
			s += fmt.Sprintf("neterr×%d", m[c])
		} else {
			s += fmt.Sprintf("%d×%d", c, m[c])
		}
	}
	return s
}

// summary is p50/p99/max of a set of durations.
type summary struct {
	n             int
	p50, p99, max time.Duration
}

func summarize(d []time.Duration) summary {
	slices.Sort(d)
	return summary{n: len(d), p50: pct(d, 0.5), p99: pct(d, 0.99), max: pct(d, 1)}
}

func (s summary) String() string {
	return fmt.Sprintf("n=%d p50=%sms p99=%sms max=%sms", s.n, ms(s.p50), ms(s.p99), ms(s.max))
}
