#!/usr/bin/env bash
# Builds the server and the load tool and measures issue 9's four targets
# on this machine, each on a fresh data folder (on the same disk as
# TMPDIR), printing the tool's full report. Bounded: about four minutes.
# Usage: ./scripts/load.sh [target…]   targets: fanout1k hold10k mixed500 issue flood photos20
# LUOT_LOAD_DURATION (default 20s) sets each measured phase.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # go.mod asks for a newer Go than the installed one: see scripts/setup.sh
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
CGO_ENABLED=0 go build -o "$bin/luot-server" ./server
CGO_ENABLED=0 go build -o "$bin/loadtest" ./server/cmd/loadtest
# 10,000 websocket clients need as many descriptors in the server (which
# the tool starts, so it inherits this) and in the tool.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
d="${LUOT_LOAD_DURATION:-20s}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fanout1k hold10k mixed500 issue flood photos20)
echo "== machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(free -h | awk '/Mem:/{print $2}') RAM; load $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${targets[@]}"; do
  echo; echo "=================== $t"
  case $t in
    fanout1k) cmd=("$bin/loadtest" -server "$bin/luot-server" -mode mixed -rate 100 -duration "$d" -boards 500 -trackers 500) ;;
    hold10k)  cmd=("$bin/loadtest" -server "$bin/luot-server" -mode mixed -rate 20 -duration "$d" -trackers 10000) ;;
    mixed500) cmd=("$bin/loadtest" -server "$bin/luot-server" -mode mixed -rate 500 -duration "$d" -boards 50 -trackers 50 -clerks 12) ;;
    issue)    cmd=("$bin/loadtest" -server "$bin/luot-server" -mode issue -concurrency 32 -duration "$d") ;;
    flood)    cmd=("$bin/loadtest" -server "$bin/luot-server" -mode flood -concurrency 16 -rate 100 -duration "$d") ;;
    photos20) cmd=("$bin/loadtest" -server "$bin/luot-server" -mode photos -concurrency 20 -duration "$d" -raw 0) ;;
    *) echo "unknown target $t"; exit 2 ;;
  esac
  echo "\$ loadtest ${cmd[*]:1}" | sed "s|$bin/|./|g"
  "${cmd[@]}"
done
