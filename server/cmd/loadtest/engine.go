package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// engineFigures are the server's group-commit counters, read from its
// /metrics: durable transactions, the changes they carried, and the
// engine's busy, commit and forecast time in seconds.
type engineFigures struct {
	batches, changes, busy, commit, forecast float64
}

// engineMetrics are the metric names of engineFigures' fields, in order.
var engineMetrics = []string{
	"luot_commit_batches_total", "luot_commit_changes_total", "luot_engine_busy_seconds_total",
	"luot_commit_seconds_total", "luot_forecast_seconds_total",
}

// parseEngineFigures reads engineFigures from the Prometheus text
// exposition. Every metric must appear once, unlabelled, with a finite
// non-negative value; anything else is an error naming the line.
func parseEngineFigures(text string) (engineFigures, error) {
	vals := make([]float64, len(engineMetrics))
	seen := make([]bool, len(engineMetrics))
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		name, value, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		for i, m := range engineMetrics {
			if name != m {
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return engineFigures{}, fmt.Errorf("metric line %q: not a counter value", shorten(line))
			}
			if seen[i] {
				return engineFigures{}, fmt.Errorf("metric %s appears twice", m)
			}
			vals[i], seen[i] = v, true
		}
	}
	for i, m := range engineMetrics {
		if !seen[i] {
			return engineFigures{}, fmt.Errorf("metric %s is missing (a server before group-commit metrics?)", m)
		}
	}
	return engineFigures{batches: vals[0], changes: vals[1], busy: vals[2], commit: vals[3], forecast: vals[4]}, nil
}

// scrapeEngine reads the server's engine figures.
func (l *loader) scrapeEngine(ctx context.Context) (engineFigures, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", l.base+"/metrics", nil)
	if err != nil {
		return engineFigures{}, err
	}
	resp, err := l.main.Do(req)
	if err != nil {
		return engineFigures{}, fmt.Errorf("read /metrics: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return engineFigures{}, fmt.Errorf("read /metrics: status %d, %v", resp.StatusCode, err)
	}
	return parseEngineFigures(string(body))
}

// engineReport describes what the engine did between two readings over a
// phase of length elapsed.
func engineReport(a, b engineFigures, elapsed time.Duration) string {
	n, c := b.batches-a.batches, b.changes-a.changes
	if n <= 0 || elapsed <= 0 {
		return "no durable transaction in the phase"
	}
	pct := func(s float64) float64 { return 100 * s / elapsed.Seconds() }
	return fmt.Sprintf("%.0f durable transactions (%.0f/s), %.1f changes each on average; engine busy %.0f%% of the phase: commit %.0f%% (%.2f ms per transaction), wait forecasts %.0f%%, the rest (commands, views) %.0f%%",
		n, n/elapsed.Seconds(), c/n, pct(b.busy-a.busy), pct(b.commit-a.commit), 1000*(b.commit-a.commit)/n,
		pct(b.forecast-a.forecast), pct((b.busy-a.busy)-(b.commit-a.commit)-(b.forecast-a.forecast)))
}
