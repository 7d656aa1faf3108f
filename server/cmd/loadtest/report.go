package main

import (
	"fmt"
	"io"
	"time"
)

// results is what a run measured, for the report.
type results struct {
	mode               string
	backend            string // "sqlite" or "postgres"
	rawWhat            string // what raw measured
	elapsed            time.Duration
	rec, flood         *recorder // the requests; the flood's (flood mode)
	issued             int64
	raw                float64 // raw durable commits/s, 0: not measured
	seq0, seq1         int64   // the office's event seq before and after
	waiting0, waiting1 int
	server             string  // CPU and memory (sampler)
	cpu                float64 // the server's CPU, % of one core; -1: not measured
	peakRSS            int64   // the server's peak RSS, bytes
	loadAfter          string
	engine             string // the group-commit figures, or why none
	fanout             *fanoutResult
	photos             *photoResult    // -mode photos
	baseline           *baselineResult // nil: not run
	baselineErr        error
}

// print writes the report.
func (r *results) print(w io.Writer) {
	fmt.Fprintf(w, "\n== requests (%s, %.1f s) ==\n", r.mode, r.elapsed.Seconds())
	worst, nerr := r.rec.print(w, r.elapsed)
	fmt.Fprintf(w, "worst p99 %s ms, errors %d\n", ms(worst), nerr)
	if r.flood != nil {
		fmt.Fprintln(w, "\n== flood from one address (429 expected) ==")
		r.flood.print(w, r.elapsed)
	}
	fmt.Fprintf(w, "\n== durable ticket issues ==\n%d issued in %.1f s: %.0f/s", r.issued, r.elapsed.Seconds(), float64(r.issued)/r.elapsed.Seconds())
	if r.raw > 0 {
		fmt.Fprintf(w, " = %.0f%% of the %s raw durable-commit rate (%.0f/s)", 100*float64(r.issued)/r.elapsed.Seconds()/r.raw, r.database(), r.raw)
	}
	fmt.Fprintf(w, "\nwaiting %d → %d, events seq %d → %d (%d events)\n", r.waiting0, r.waiting1, r.seq0, r.seq1, r.seq1-r.seq0)
	if r.photos != nil {
		r.photos.print(w)
	}
	fmt.Fprintf(w, "\n== server ==\n%s\nload average after: %s\n", r.server, r.loadAfter)
	fmt.Fprintf(w, "engine (group commit): %s\n", r.engine)
	if fo := r.fanout; fo != nil {
		fmt.Fprintf(w, "\n== event fan-out to %d websocket clients (%d events) ==\n", fo.clients, fo.events)
		fmt.Fprintf(w, "ticket.called, event at → each client:      %s\n", fo.fromAt)
		fmt.Fprintf(w, "ticket.called, event at → last client:      %s\n", fo.fromAtLast)
		fmt.Fprintf(w, "ticket.called, clerk's answer → each client: %s\n", fo.fromAnswer)
		fmt.Fprintf(w, "every event, event at → each client:        %s\n", fo.allEvents)
		fmt.Fprintf(w, "clients dropped while reading: %d; events missed by clients that stayed: %d\n", fo.dropped, fo.missing)
		for _, e := range fo.errs {
			fmt.Fprintf(w, "  %s\n", e)
		}
		r.printBaseline(w)
	}
}

// printBaseline writes the bare websocket server's figures beside the
// fan-out's, as the raw commit rate is beside the issues.
func (r *results) printBaseline(w io.Writer) {
	b := r.baseline
	switch {
	case r.baselineErr != nil:
		fmt.Fprintf(w, "physical limit of this machine: not measured (%v)\n", r.baselineErr)
		return
	case b == nil:
		return
	}
	fmt.Fprintf(w, "physical limit of this machine (a bare gorilla websocket server in the tool, %d of %d clients connected, %d messages of %d bytes, one every %s):\n",
		b.connected, b.plan.clients, b.events, b.size, b.every.Round(10*time.Microsecond))
	fmt.Fprintf(w, "  sent → each client:                       %s\n", b.fromAt)
	fmt.Fprintf(w, "  sent → last client:                       %s\n", b.fromAtLast)
	fmt.Fprintf(w, "  server's p99 over the bare server's (each client): %s", ratio(r.fanout.fromAt.p99, b.fromAt.p99))
	fmt.Fprintf(w, "; last client: %s\n", ratio(r.fanout.fromAtLast.p99, b.fromAtLast.p99))
	if b.dropped > 0 || b.missing > 0 || b.late > 0 {
		fmt.Fprintf(w, "  baseline clients dropped %d, messages missed %d, not queued (a client too far behind) %d", b.dropped, b.missing, b.late)
		if b.firstErr != "" {
			fmt.Fprintf(w, " (first error: %s)", b.firstErr)
		}
		fmt.Fprintln(w)
	}
}

// ratio is a/b as "×N.N", or "n/a" when either is missing.
func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("×%.1f", float64(a)/float64(b))
}

// database names the run's database for the report.
func (r *results) database() string {
	if r.backend == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// printSideBySide writes the passes' main figures in one table (-db: SQLite
// and PostgreSQL measured in the same run, each against its own raw rate).
func printSideBySide(w io.Writer, all []*results) {
	fmt.Fprintf(w, "\n== side by side (mode %s) ==\n", all[0].mode)
	fmt.Fprintf(w, "%-11s %9s %12s %7s %10s %14s %7s %14s %14s %8s %10s\n",
		"database", "req/s", "worst p99", "errors", "issues/s", "raw commits/s", "ratio", "called→each", "called→last", "CPU", "peak RSS")
	for _, r := range all {
		n, worst, errs := r.rec.totals()
		rate := float64(r.issued) / r.elapsed.Seconds()
		raw, ratio := "-", "-"
		if r.raw > 0 {
			raw, ratio = fmt.Sprintf("%.0f", r.raw), fmt.Sprintf("%.0f%%", 100*rate/r.raw)
		}
		each, last := "-", "-"
		if fo := r.fanout; fo != nil && fo.fromAt.n > 0 {
			each, last = "p99 "+ms(fo.fromAt.p99)+" ms", "p99 "+ms(fo.fromAtLast.p99)+" ms"
		}
		cpu, rss := "-", "-"
		if r.cpu >= 0 {
			cpu, rss = fmt.Sprintf("%.0f%%", r.cpu), mb(r.peakRSS)
		}
		fmt.Fprintf(w, "%-11s %9.1f %9s ms %7d %10.1f %14s %7s %14s %14s %8s %10s\n",
			r.database(), float64(n)/r.elapsed.Seconds(), ms(worst), errs, rate, raw, ratio, each, last, cpu, rss)
	}
	for _, r := range all {
		if r.rawWhat != "" {
			fmt.Fprintf(w, "%s: %s\n", r.database(), r.rawWhat)
		}
	}
	fmt.Fprintf(w, "load average after: %s\n", loadAvg())
}
