#!/usr/bin/env bash
# Runs the whole Lượt system in demo mode on this machine. Installs what is
# missing first. Data lives in ./data (override with LUOT_DATA); the server
# listens on 127.0.0.1:8080 (override with LUOT_ADDR). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
luot_setup

data="${LUOT_DATA:-$PWD/data}"
addr="${LUOT_ADDR:-127.0.0.1:8080}"
mkdir -p "$data" bin

echo "run: building the server"
CGO_ENABLED=0 go build -o bin/luot-server ./server

pids=()
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

bin/luot-server -demo -addr "$addr" -data "$data" &
pids+=($!)

wait "${pids[0]}"
