package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"luot/server/officefile"
)

func TestLoadOffice(t *testing.T) {
	path, err := loadOffice(t.TempDir(), 12, "1234")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := officefile.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Office.Counters); n != 12 || f.Office.Counters[11].ID != "q12" || f.Office.Counters[11].Number != 12 {
		t.Fatalf("%d counters, last %+v", n, f.Office.Counters[n-1])
	}
	clerks := 0
	for _, st := range f.Staff {
		if st.Role == "clerk" && st.PIN != "" {
			clerks++
		}
	}
	if clerks != 12 {
		t.Fatalf("%d clerks with a PIN, want 12", clerks)
	}
	for _, sv := range f.Office.Services {
		if sv.RemoteCap != remoteCapForLoad {
			t.Fatalf("service %s caps online numbers at %d", sv.ID, sv.RemoteCap)
		}
	}
}

// TestParseEngineFigures reads the group-commit counters from /metrics
// text, and refuses a missing, repeated or malformed one.
func TestParseEngineFigures(t *testing.T) {
	good := `# HELP luot_commit_batches_total Durable transactions.
# TYPE luot_commit_batches_total counter
luot_commit_batches_total 120
luot_commit_changes_total 2400
luot_engine_busy_seconds_total 9.5
luot_commit_seconds_total 3.25
luot_forecast_seconds_total 1.5e+00
luot_websocket_clients 3
`
	f, err := parseEngineFigures(good)
	if err != nil || f != (engineFigures{batches: 120, changes: 2400, busy: 9.5, commit: 3.25, forecast: 1.5}) {
		t.Fatalf("%+v, %v", f, err)
	}
	r := engineReport(engineFigures{}, f, 10*time.Second)
	for _, want := range []string{"120 durable transactions (12/s)", "20.0 changes each", "busy 95%", "commit 32% (27.08 ms per transaction)", "wait forecasts 15%", "(commands, views) 48%"} {
		if !strings.Contains(r, want) {
			t.Errorf("report %q lacks %q", r, want)
		}
	}
	if r := engineReport(f, f, time.Second); r != "no durable transaction in the phase" {
		t.Errorf("no change: %q", r)
	}
	for name, text := range map[string]string{
		"missing":  strings.Replace(good, "luot_forecast_seconds_total 1.5e+00\n", "", 1),
		"twice":    good + "luot_commit_batches_total 121\n",
		"negative": strings.Replace(good, "2400", "-1", 1),
		"NaN":      strings.Replace(good, "2400", "NaN", 1),
		"Inf":      strings.Replace(good, "2400", "+Inf", 1),
		"garbage":  strings.Replace(good, "2400", "lots", 1),
		"empty":    "",
		"binary":   "\x00\xff luot_commit_batches_total",
	} {
		if _, err := parseEngineFigures(text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The report quotes the three most frequent error answers of a kind and
// counts the others, so that a flood's many different 201s stay one line.
func TestPrintReasons(t *testing.T) {
	var b strings.Builder
	printReasons(&b, "flood", map[string]int{"201 {a}": 1, "201 {b}": 1, "401 wrong PIN": 39, "201 {c}": 2, "201 {d}": 1})
	want := "  error flood ×39: 401 wrong PIN\n" +
		"  error flood ×2: 201 {c}\n" +
		"  error flood ×1: 201 {a}\n" +
		"  error flood ×2: 2 other answers, not quoted\n"
	if b.String() != want {
		t.Fatalf("got\n%swant\n%s", b.String(), want)
	}
}
