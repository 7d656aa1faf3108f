#!/usr/bin/env bash
# Runs every test of Lượt: formatting and vet, unit and integration tests
# (real SQLite files, real websockets, real pseudo-terminals), a short run of
# every fuzz target on its seed corpus and beyond, and the end-to-end tests.
# Installs what is missing first. Usage: ./scripts/test.sh
# LUOT_FUZZTIME (default 5s) sets how long each fuzz target runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
luot_setup

fuzztime="${LUOT_FUZZTIME:-5s}"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test"
# UI packages test headless with fyne's test driver, which needs no cgo.
CGO_ENABLED=0 go test -count=1 -timeout 20m ./...

echo "== fuzz ($fuzztime per target)"
for pkg in $(go list ./...); do
  for target in $(CGO_ENABLED=0 go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "-- $pkg $target"
    CGO_ENABLED=0 go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/luot-fuzz.log 2>&1 || { cat /tmp/luot-fuzz.log; exit 1; }
  done
done

echo "all tests passed"
