package engine

import (
	"sync/atomic"
	"time"
)

// Stats are the engine's group-commit figures since it started, summed
// over its offices, for monitoring: how many durable transactions were
// committed and how many changes they carried (their ratio is the mean
// batch), and where the leaders' time went. Durations are measured on the
// monotonic clock, not the engine's (possibly fake) business clock.
type Stats struct {
	// Batches counts the durable transactions the leaders committed,
	// Changes the changes in them.
	Batches, Changes uint64
	// Busy is the time leaders spent running batches: commands, wait
	// forecasts, the commit and the new view.
	Busy time.Duration
	// Commit is the part of Busy spent in the store's commit (writes and
	// the durable sync), Forecast the part spent replaying wait estimates.
	Commit, Forecast time.Duration
}

// stats holds the running sums of Stats.
type stats struct {
	batches, changes       atomic.Uint64
	busy, commit, forecast atomic.Int64 // nanoseconds
}

// since adds the time elapsed since start to d.
func since(d *atomic.Int64, start time.Time) {
	d.Add(int64(time.Since(start)))
}

// Stats returns the engine's group-commit figures so far.
func (e *Engine) Stats() Stats {
	return Stats{
		Batches:  e.stats.batches.Load(),
		Changes:  e.stats.changes.Load(),
		Busy:     time.Duration(e.stats.busy.Load()),
		Commit:   time.Duration(e.stats.commit.Load()),
		Forecast: time.Duration(e.stats.forecast.Load()),
	}
}
