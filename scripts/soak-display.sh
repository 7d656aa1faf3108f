#!/usr/bin/env bash
# Soak test of the display (bounded; not part of CI): runs the real server
# and the real display full screen at 1920×1080 on Xvfb (software OpenGL),
# makes one clerk call every 5 seconds for N minutes, and prints the
# display's memory (RSS) at start, after warm-up and at the end, and its
# average CPU use over the run after warm-up.
#
# Usage: scripts/soak-display.sh [MINUTES]   (default 30)
# Env: LUOT_SOAK_INTERVAL (seconds between calls, default 5),
#      LUOT_SOAK_WARMUP (seconds before the baseline, default 60),
#      LUOT_SOAK_PORT (server port, default 18190),
#      LUOT_SERVER_BIN (a server binary to use instead of building ./server),
#      LUOT_SOAK_FLAGS (more display flags, e.g. "-blink 0").
# Targets (issue 5): RSS growth ≤ 10 % after warm-up, average CPU ≤ 10 % of
# one core.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
luot_setup

minutes="${1:-30}"
interval="${LUOT_SOAK_INTERVAL:-5}"
warmup="${LUOT_SOAK_WARMUP:-60}"
port="${LUOT_SOAK_PORT:-18190}"
base="http://127.0.0.1:$port"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "soak: building the server and the display (the first cgo build takes minutes)"
if [ -n "${LUOT_SERVER_BIN:-}" ]; then
  cp "$LUOT_SERVER_BIN" "$work/luot-server"
else
  CGO_ENABLED=0 go build -o "$work/luot-server" ./server
fi
CGO_ENABLED=1 go build -o "$work/luot-display" ./display

exec 3>"$work/displayfd"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 2>"$work/xvfb.log" &
pids+=($!)
exec 3>&-
for _ in $(seq 100); do [ -s "$work/displayfd" ] && break; sleep 0.1; done
display=":$(head -n1 "$work/displayfd")"

"$work/luot-server" -demo -addr "127.0.0.1:$port" -data "$work/data" 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 150); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

mkdir -p "$work/home"
DISPLAY="$display" HOME="$work/home" LANG=C.UTF-8 "$work/luot-display" -server "$base" -office demo \
  -device-key demo-display -state-addr 127.0.0.1:0 -audio silent -fullscreen ${LUOT_SOAK_FLAGS:-} \
  >"$work/display.out" 2>"$work/display.log" &
dpid=$!
pids+=($dpid)
for _ in $(seq 300); do grep -q "state at" "$work/display.out" 2>/dev/null && break; sleep 0.2; done
state=$(sed -n 's/^display: state at //p' "$work/display.out")
[ -n "$state" ] || { echo "soak: the display did not start; its log:"; cat "$work/display.log"; exit 1; }

rss() { awk '/VmRSS/ {print $2}' "/proc/$dpid/status"; }
# split: the resident memory by kind (anonymous: Go's heap, Mesa's and X's
# C heap; file: the program's and its libraries' code, shared and
# reclaimable; shmem: the window's XShm image).
split() { awk '/RssAnon|RssFile|RssShmem/ {printf "%s %d MB ", $1, $2 / 1024}' "/proc/$dpid/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$dpid/stat"; }
hz=$(getconf CLK_TCK)

post() { # path, body, extra header...
  local path=$1 body=$2
  shift 2
  local h=(-H 'Content-Type: application/json' -H "Idempotency-Key: soak-$(date +%s%N)-$RANDOM")
  for x in "$@"; do h+=(-H "$x"); done
  curl -fsS -X POST "$base$path" "${h[@]}" -d "$body"
}
token=$(post /api/v1/sessions '{"office":"demo","counter":"q3","staff":"nv3","pin":"1234"}' |
  sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "soak: clerk login failed"; exit 1; }
post /api/v1/counters/q3/open '{}' "Authorization: Bearer $token" >/dev/null

call() {
  post /api/v1/offices/demo/tickets '{"service":"chung-thuc"}' "X-Device-Key: demo-kiosk" >/dev/null
  post /api/v1/counters/q3/next '{}' "Authorization: Bearer $token" >/dev/null
}

rss0=$(rss)
echo "soak: display pid $dpid on $display, state $state; RSS at start ${rss0} kB"
calls=0
end=$((SECONDS + minutes * 60))
t_warm=0
while [ $SECONDS -lt $end ]; do
  call
  calls=$((calls + 1))
  if [ $t_warm -eq 0 ] && [ $SECONDS -ge "$warmup" ]; then
    t_warm=$SECONDS ticks_warm=$(ticks) rss_warm=$(rss)
    echo "soak: after warm-up (${warmup}s): RSS ${rss_warm} kB ($(split))"
  fi
  if ((calls % 60 == 0)); then echo "soak: $calls calls, RSS $(rss) kB"; fi
  sleep "$interval"
done
if [ $t_warm -eq 0 ]; then t_warm=0 ticks_warm=0 rss_warm=$rss0; fi
rss1=$(rss)
ticks1=$(ticks)
elapsed=$((SECONDS - t_warm))
cpu=$(awk -v t="$((ticks1 - ticks_warm))" -v hz="$hz" -v s="$elapsed" 'BEGIN {printf "%.1f", 100 * t / hz / s}')
growth=$(awk -v a="$rss_warm" -v b="$rss1" 'BEGIN {printf "%.1f", 100 * (b - a) / a}')
final=$(curl -fsS "$state")
echo "soak: $calls calls in $minutes min"
echo "soak: RSS start ${rss0} kB, after warm-up ${rss_warm} kB, end ${rss1} kB (growth after warm-up ${growth} %)"
echo "soak: at the end: $(split)"
echo "soak: average CPU after warm-up ${cpu} % of one core"
echo "soak: display state: $(echo "$final" | grep -o '"announcements":{[^}]*}')"
echo "soak: display log warnings: $(grep -c 'level=WARN' "$work/display.log" || true)"
