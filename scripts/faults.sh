#!/usr/bin/env bash
# Runs Lượt's fault suite (issue 9) — bounded, about three minutes:
#   - SIGKILL under load: acknowledged tickets kept, numbers unique, seq
#     gapless, 20 websocket followers resume without missing an event
#     (server/faults_test.go, server/crash_test.go);
#   - the database locked by another process (sqlite3 shell): bounded wait,
#     503 storage_busy, no crash, recovery;
#   - disk full on a 3 MB tmpfs (needs root): 503 storage_full, no
#     corruption (integrity_check), recovery when space returns;
#   - clock jumps across midnight and backwards: no duplicate numbers, no
#     negative waits (server/engine/clock_test.go);
#   - group commit: a failed batch changes nothing (server/engine/batch_test.go);
#   - the printer unplugged and replugged mid-ticket, 8 times
#     (printer/faults_test.go);
#   - a websocket client that never reads, and 3 × 1,000 clients that
#     connect and drop: goroutines and live heap back to baseline.
# Usage: ./scripts/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=0 LUOT_FAULTS=1
export GOTOOLCHAIN=auto # go.mod asks for a newer Go than the installed one: see scripts/setup.sh
go test -count=1 -timeout 10m -v -run 'TestFault|TestCrash' ./server/ 2>&1 | grep -E '^(---|===|ok|FAIL|PASS)|faults_test|crash_test' | grep -v '^=== RUN'
go test -count=1 -timeout 5m -v -run 'TestClockJumps|TestGroupCommit|TestFailedBatch|TestFailedCommit' ./server/engine/ 2>&1 | grep -E '^(---|ok|FAIL)'
go test -count=1 -timeout 5m -v -run 'TestUnplug' ./printer/ 2>&1 | grep -E '^(---|ok|FAIL)'
