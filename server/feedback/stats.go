package feedback

import (
	"cmp"
	"slices"
	"time"
)

// Count is how many reports share a key: a category, unit, ward, status
// or month (YYYY-MM).
type Count struct {
	Key string `json:"key"`
	N   int    `json:"n"`
}

// Figures are the statistics of a set of reports (Stats). Counts are
// whole reports; rates and shares are fractions from 0 to 1, 0 when
// nothing is there to divide by, each beside the counts it is made of.
type Figures struct {
	Total int `json:"total"`
	// ByCategory lists every configured category in the configuration's
	// order, those without reports too, then any other category met, by
	// id. ByUnit and ByWard list the units and wards that have reports,
	// in the configuration's order, then others by id; reports without a
	// ward are counted in NoWard (reports without a unit in none). ByStatus lists every status (Statuses'
	// order). ByMonth lists every month, in the office's time zone, from
	// the first report's to the last's, months without reports too.
	ByCategory []Count `json:"by_category"`
	ByUnit     []Count `json:"by_unit"`
	ByWard     []Count `json:"by_ward"`
	NoWard     int     `json:"no_ward"`
	ByStatus   []Count `json:"by_status"`
	ByMonth    []Count `json:"by_month"`

	// Open reports are still being handled; Overdue of them have passed a
	// deadline unmet at the time given to Stats (Report.Overdue).
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
	// Closed reports are resolved, unfounded, refused or duplicate. OnTime
	// of them were so (Resolved, or Closed) before their ResolveDue.
	Closed     int     `json:"closed"`
	OnTime     int     `json:"on_time"`
	OnTimeRate float64 `json:"on_time_rate"`
	// Acknowledged reports were accepted, or closed without being
	// accepted; AckOnTime of them before their AckDue.
	Acknowledged  int     `json:"acknowledged"`
	AckOnTime     int     `json:"ack_on_time"`
	AckOnTimeRate float64 `json:"ack_on_time_rate"`
	// Resolved reports are those whose status is resolved; the median of
	// their Resolved − Created, in days of 24 hours (the mean of the two
	// middle values for an even count).
	Resolved            int     `json:"resolved"`
	MedianDaysToResolve float64 `json:"median_days_to_resolve"`
	// Unfounded reports, and their share of Total.
	Unfounded      int     `json:"unfounded"`
	UnfoundedShare float64 `json:"unfounded_share"`
	// Verdicts counts the reports whose reporter gave one (satisfied, or
	// reopened and not satisfied since). Satisfied is their share
	// SatisfiedShare of Verdicts, and SatisfiedOfResolved of Resolved.
	Verdicts            int     `json:"verdicts"`
	Satisfied           int     `json:"satisfied"`
	SatisfiedShare      float64 `json:"satisfied_share"`
	SatisfiedOfResolved float64 `json:"satisfied_of_resolved"`
}

// Stats computes the figures of reports (already chosen by the caller:
// an office, a period) under cfg, at now. It reads of a report its
// category, unit, ward, status, verdict, creation, deadlines and the times
// it was accepted, resolved and closed. Pure: same input, same figures.
func Stats(cfg *Config, reports []Report, now time.Time) Figures {
	loc := time.UTC
	if cfg != nil && cfg.Calendar.Location != nil {
		loc = cfg.Calendar.Location
	}
	f := Figures{Total: len(reports)}
	cats, units, wards, statuses, months := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	var days []float64
	var first, last time.Time
	for i := range reports {
		r := &reports[i]
		cats[r.Category]++
		if r.Unit != "" {
			units[r.Unit]++
		}
		if r.Place.Ward != "" {
			wards[r.Place.Ward]++
		} else {
			f.NoWard++
		}
		statuses[string(r.Status)]++
		months[r.Created.In(loc).Format("2006-01")]++
		if first.IsZero() || r.Created.Before(first) {
			first = r.Created
		}
		if last.IsZero() || r.Created.After(last) {
			last = r.Created
		}

		if r.Open() {
			f.Open++
			if r.Overdue(now) {
				f.Overdue++
			}
		} else {
			f.Closed++
			done := r.Closed
			if r.Status == StatusResolved {
				done = r.Resolved
			}
			if before(done, r.ResolveDue) {
				f.OnTime++
			}
		}
		switch ack := r.Accepted; {
		case !ack.IsZero():
			f.Acknowledged++
			if before(ack, r.AckDue) {
				f.AckOnTime++
			}
		case !r.Open():
			f.Acknowledged++
			if before(r.Closed, r.AckDue) {
				f.AckOnTime++
			}
		}
		switch r.Status {
		case StatusResolved:
			f.Resolved++
			if !r.Resolved.IsZero() {
				days = append(days, r.Resolved.Sub(r.Created).Hours()/24)
			}
		case StatusUnfounded:
			f.Unfounded++
		}
		if r.Verdict != VerdictNone {
			f.Verdicts++
			if r.Verdict == VerdictSatisfied {
				f.Satisfied++
			}
		}
	}

	var catOrder, unitOrder []string
	if cfg != nil {
		for _, k := range cfg.Categories {
			catOrder = append(catOrder, k.ID)
		}
		for _, u := range cfg.Units {
			unitOrder = append(unitOrder, u.ID)
		}
	}
	f.ByCategory = counts(cats, catOrder, true)
	f.ByUnit = counts(units, unitOrder, false)
	f.ByWard = counts(wards, unitOrder, false)
	var statusOrder []string
	for _, s := range Statuses {
		statusOrder = append(statusOrder, string(s))
	}
	f.ByStatus = counts(statuses, statusOrder, true)
	if len(reports) > 0 {
		var monthOrder []string
		for m := time.Date(first.In(loc).Year(), first.In(loc).Month(), 1, 0, 0, 0, 0, time.UTC); m.Format("2006-01") <= last.In(loc).Format("2006-01"); m = m.AddDate(0, 1, 0) {
			monthOrder = append(monthOrder, m.Format("2006-01"))
		}
		f.ByMonth = counts(months, monthOrder, true)
	}

	f.OnTimeRate = ratio(f.OnTime, f.Closed)
	f.AckOnTimeRate = ratio(f.AckOnTime, f.Acknowledged)
	f.MedianDaysToResolve = median(days)
	f.UnfoundedShare = ratio(f.Unfounded, f.Total)
	f.SatisfiedShare = ratio(f.Satisfied, f.Verdicts)
	f.SatisfiedOfResolved = ratio(f.Satisfied, f.Resolved)
	return f
}

// before reports whether t happened before the deadline due: strictly
// before it, as a deadline is passed from its very instant. A report
// without that deadline (zero) cannot miss it.
func before(t, due time.Time) bool { return due.IsZero() || t.Before(due) }

// counts lists m's keys in order (every one of them when all is set, only
// those met otherwise), then the keys m has that order lacks, sorted.
func counts(m map[string]int, order []string, all bool) []Count {
	out := []Count{}
	listed := map[string]bool{}
	for _, k := range order {
		listed[k] = true
		if n := m[k]; n > 0 || all {
			out = append(out, Count{Key: k, N: n})
		}
	}
	var rest []Count
	for k, n := range m {
		if !listed[k] {
			rest = append(rest, Count{Key: k, N: n})
		}
	}
	slices.SortFunc(rest, func(a, b Count) int { return cmp.Compare(a.Key, b.Key) })
	return append(out, rest...)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// median is the middle of xs, or the mean of its two middle values; 0
// for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	v := slices.Clone(xs)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
