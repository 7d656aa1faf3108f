#!/usr/bin/env bash
# Soak test of the counter station (bounded; not part of CI): runs the real
# server and the real display in counter mode (counter q3 with the demo
# office's station key, full screen at 1280×800 on Xvfb, software OpenGL,
# a virtual printer in its own process), and for N minutes makes one call
# every 20 seconds at q3 — a ticket issued, called, started, finished (the
# rating prompt follows) —
# with a rating tapped on the screen every third call and a test receipt
# printed every tenth. It prints the station's memory (RSS) at start,
# after warm-up and at the end with the growth since the warm-up, its
# average CPU after warm-up, its CPU while idle (a last minute with no
# calls, the screen idle), and the load average of the machine.
#
# Usage: scripts/soak-station.sh [MINUTES]   (default 30)
# Env: LUOT_SOAK_INTERVAL (seconds between calls, default 20),
#      LUOT_SOAK_WARMUP (seconds before the baseline, default 120),
#      LUOT_SOAK_IDLE (seconds of the idle measure at the end, default 60),
#      LUOT_SOAK_PORT (server port, default 18191),
#      LUOT_SERVER_BIN (a server binary to use instead of building ./server),
#      LUOT_SOAK_FLAGS (more display flags).
# Targets (issue 17): RSS ≤ 150 MB after warm-up, growth ≤ 10 %, CPU ≤ 5 %
# of one core while idle.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # go.mod asks for a newer Go than the installed one: see scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH"
for tool in Xvfb xdotool curl; do
  command -v "$tool" >/dev/null || { echo "soak-station: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done

minutes="${1:-30}"
interval="${LUOT_SOAK_INTERVAL:-20}"
warmup="${LUOT_SOAK_WARMUP:-120}"
idle="${LUOT_SOAK_IDLE:-60}"
case "$minutes$interval$warmup$idle" in *[!0-9]*) echo "soak-station: MINUTES and the LUOT_SOAK_* seconds are whole numbers" >&2; exit 2 ;; esac
[ "$interval" -ge 12 ] || { echo "soak-station: LUOT_SOAK_INTERVAL must be at least 12 s (a call, start and done take 10 s)" >&2; exit 2; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "soak-station: building the server and the display (the first cgo build takes minutes)"
if [ -n "${LUOT_SERVER_BIN:-}" ]; then
  cp "$LUOT_SERVER_BIN" "$work/luot-server"
else
  CGO_ENABLED=0 go build -o "$work/luot-server" ./server
fi
CGO_ENABLED=0 go build -o "$work/escpos" ./printer/cmd/escpos
CGO_ENABLED=1 go build -o "$work/luot-display" ./display

exec 3>"$work/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 2>"$work/xvfb.log" &
pids+=($!)
exec 3>&-
for _ in $(seq 100); do [ -s "$work/displayfd" ] && break; sleep 0.1; done
display=":$(head -n1 "$work/displayfd")"

port="${LUOT_SOAK_PORT:-18191}"
base="http://127.0.0.1:$port"
"$work/luot-server" -demo -addr "127.0.0.1:$port" -data "$work/data" 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 150); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
"$work/escpos" virtual -profile generic-80 -out "$work/paper" -link "$work/printer.tty" >"$work/printer.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -e "$work/printer.tty" ] && break; sleep 0.1; done

post() { # path, body, extra header...
  local path=$1 body=$2
  shift 2
  local h=(-H 'Content-Type: application/json' -H "Idempotency-Key: soak-$(date +%s%N)-$RANDOM")
  for x in "$@"; do h+=(-H "$x"); done
  curl -fsS -X POST "$base$path" "${h[@]}" -d "$body"
}
# field NAME prints the string field NAME of the JSON object on stdin (the
# server writes compact JSON on one line).
field() { sed -n 's/.*"'"$1"'": *"\([^"]*\)".*/\1/p'; }

admin=$(post /api/v1/sessions '{"office":"demo","staff":"admin","pin":"123456"}' | field token)
[ -n "$admin" ] || { echo "soak-station: the demo administrator could not sign in"; exit 1; }

mkdir -p "$work/home"
# shellcheck disable=SC2086 # LUOT_SOAK_FLAGS is a list of flags
DISPLAY="$display" HOME="$work/home" LANG=C.UTF-8 "$work/luot-display" -server "$base" -office demo \
  -counter q3 -device-key demo-station-q3 -state-addr 127.0.0.1:0 -fullscreen \
  -printer "$work/printer.tty" -printer-profile generic-80 \
  -journal "$work/journal" ${LUOT_SOAK_FLAGS:-} >"$work/display.out" 2>"$work/display.log" &
dpid=$!
pids+=($dpid)
for _ in $(seq 300); do grep -q "state at" "$work/display.out" 2>/dev/null && break; sleep 0.2; done
state=$(sed -n 's/^display: state at //p' "$work/display.out")
[ -n "$state" ] || { echo "soak-station: the station did not start; its log:"; cat "$work/display.log"; exit 1; }
mode() { curl -fsS "$state" | field mode; }

rss() { awk '/VmRSS/ {print $2}' "/proc/$dpid/status"; }
# split: the resident memory by kind (anonymous: Go's heap, Mesa's and X's
# C heap; file: the code of the program and its libraries, libLLVM's
# included, shared and reclaimable; shmem: the window's XShm image).
split() { awk '/RssAnon|RssFile|RssShmem/ {printf "%s %d MB ", $1, $2 / 1024}' "/proc/$dpid/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$dpid/stat"; }
hz=$(getconf CLK_TCK)

# The clerk signs in at q3 (the console's way; the keypad's is the
# end-to-end test's) and opens the counter.
token=$(post /api/v1/sessions '{"office":"demo","counter":"q3","staff":"nv3","pin":"1234"}' | field token)
[ -n "$token" ] || { echo "soak-station: clerk login failed"; exit 1; }
clerk=("Authorization: Bearer $token")
post /api/v1/counters/q3/open '{}' "${clerk[@]}" >/dev/null

# tap_rating touches the "very satisfied" button: the left quarter of the
# four buttons across the screen, a little below the middle.
tap_rating() {
  DISPLAY="$display" xdotool mousemove 160 480 click 1 >/dev/null 2>&1 || true
}

# cycle: a ticket issued and called; 5 s later started; 5 s later done.
cycle() {
  post /api/v1/offices/demo/tickets '{"service":"chung-thuc"}' "X-Device-Key: demo-kiosk" >/dev/null
  post /api/v1/counters/q3/next '{}' "${clerk[@]}" >/dev/null
  sleep 5
  post /api/v1/counters/q3/start '{}' "${clerk[@]}" >/dev/null
  sleep 5
  post /api/v1/counters/q3/done '{}' "${clerk[@]}" >/dev/null
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
rss0=$(rss)
echo "soak-station: station pid $dpid on $display (1280×800), state $state; RSS at start ${rss0} kB; load average $load0"
calls=0 prints=0 taps=0
begin=$SECONDS
end=$((SECONDS + minutes * 60))
t_warm=0
while [ $SECONDS -lt $end ]; do
  t0=$SECONDS
  cycle
  calls=$((calls + 1))
  if ((calls % 3 == 0)); then
    sleep 2
    tap_rating
    taps=$((taps + 1))
  fi
  if ((calls % 10 == 0)); then
    post /api/v1/admin/offices/demo/counters/q3/test-print '{}' "Authorization: Bearer $admin" >/dev/null && prints=$((prints + 1))
  fi
  if [ $t_warm -eq 0 ] && [ $((SECONDS - begin)) -ge "$warmup" ]; then
    t_warm=$SECONDS ticks_warm=$(ticks) rss_warm=$(rss)
    echo "soak-station: after warm-up (${warmup}s): RSS ${rss_warm} kB ($(split))"
  fi
  if ((calls % 15 == 0)); then echo "soak-station: $calls calls, RSS $(rss) kB, load average $(cut -d' ' -f1-3 /proc/loadavg)"; fi
  rest=$((interval - (SECONDS - t0)))
  [ $rest -gt 0 ] && sleep "$rest"
done
if [ $t_warm -eq 0 ]; then t_warm=$begin ticks_warm=0 rss_warm=$rss0; fi
rss1=$(rss)
ticks1=$(ticks)
elapsed=$((SECONDS - t_warm))
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# Idle: the last rating prompt times out, the thanks go, the screen stays
# on the idle counter; then the CPU of a quiet minute.
for _ in $(seq 120); do [ "$(mode)" = idle ] && break; sleep 1; done
idle_mode=$(mode || echo unknown)
ticks_i0=$(ticks)
sleep "$idle"
ticks_i1=$(ticks)
load2=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(awk -v t="$((ticks1 - ticks_warm))" -v hz="$hz" -v s="$elapsed" 'BEGIN {printf "%.1f", 100 * t / hz / s}')
cpu_idle=$(awk -v t="$((ticks_i1 - ticks_i0))" -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.2f", 100 * t / hz / s}')
growth=$(awk -v a="$rss_warm" -v b="$rss1" 'BEGIN {printf "%.1f", 100 * (b - a) / a}')
printed=$(find "$work/paper" -name '*.png' 2>/dev/null | wc -l)
echo "soak-station: $calls calls in $minutes min at 1280×800 ($taps ratings tapped, $prints test receipts asked, $printed printed)"
echo "soak-station: RSS start ${rss0} kB, after warm-up ${rss_warm} kB ($((rss_warm / 1024)) MB), end ${rss1} kB ($((rss1 / 1024)) MB); growth after warm-up ${growth} %"
echo "soak-station: memory at the end: $(split)"
echo "soak-station: the station's counts: $(curl -fsS "$state" | grep -o '"counts":{[^}]*}')"
echo "soak-station: average CPU after warm-up ${cpu} % of one core (calls every ${interval} s)"
echo "soak-station: CPU while idle ${cpu_idle} % of one core (${idle} s, screen ${idle_mode})"
echo "soak-station: load average at start $load0, at the last call $load1, after the idle minute $load2 ($(nproc) cores)"
echo "soak-station: station log warnings: $(grep -c 'level=WARN' "$work/display.log" || true), errors: $(grep -c 'level=ERROR' "$work/display.log" || true)"
