#!/usr/bin/env bash
# Soak test of the kiosk (not run in CI): a ticket every second for N
# minutes (default 30) on the real kiosk binary under Xvfb at 1920x1080,
# against the demo server and a virtual printer in a process of its own
# (so that only the kiosk's memory is measured). It prints the kiosk's RSS
# after a one-minute warm-up, every five minutes, and at the end, with the
# growth since the warm-up (target: at most 10 %, and at most 200 MB),
# and the split of that memory between Go (heap, stacks, runtime) and the
# rest of the process (Mesa's software OpenGL, X, libraries), from the
# kiosk's -debug-addr memory report.
#
# Usage: scripts/soak-kiosk.sh [MINUTES]
# LUOT_SERVER_BIN: a server binary to use instead of building ./server.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # go.mod asks for a newer Go than the installed one: see scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH"
minutes="${1:-30}"
for tool in Xvfb xdotool; do
  command -v "$tool" >/dev/null || { echo "soak-kiosk: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "soak-kiosk: building (the first cgo build of the kiosk takes minutes)"
CGO_ENABLED=1 go build -o "$work/kiosk" ./kiosk
CGO_ENABLED=0 go build -o "$work/escpos" ./printer/cmd/escpos
server="${LUOT_SERVER_BIN:-}"
if [ -z "$server" ]; then
  CGO_ENABLED=0 go build -o "$work/server" ./server
  server="$work/server"
fi

disp=""
for n in $(seq 150 250); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then disp=":$n"; break; fi
done
[ -n "$disp" ] || { echo "soak-kiosk: no free X display" >&2; exit 1; }
Xvfb "$disp" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" -demo -addr "127.0.0.1:$port" -data "$work/data" >"$work/server.log" 2>&1 &
pids+=($!)
"$work/escpos" virtual -profile generic-80 -out "$work/tickets" -link "$work/printer" >"$work/printer.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  [ -e "$work/printer" ] && curl -fs "http://127.0.0.1:$port/api/v1/offices/demo" >/dev/null && [ -e "/tmp/.X11-unix/X${disp#:}" ] && break
  sleep 0.2
done

dport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DISPLAY="$disp" "$work/kiosk" -server "http://127.0.0.1:$port" -device-key demo-kiosk \
  -printer "$work/printer" -printer-profile generic-80 -printer-baud 115200 \
  -debug-addr "127.0.0.1:$dport" >"$work/kiosk.log" 2>&1 &
kiosk=$!
pids+=($kiosk)
sleep 5

rss() { awk '/VmRSS/ {print $2}' "/proc/$kiosk/status"; }
mem() { curl -fs "http://127.0.0.1:$dport/debug/memory" || echo "(no memory report)"; }
# The first service tile of the start screen at 1920x1080; on the result
# screen a tap anywhere goes back to the start.
tap() { DISPLAY="$disp" xdotool mousemove 480 340 click 1; }
one() { tap; sleep 0.5; tap; sleep 0.5; }

echo "soak-kiosk: kiosk pid $kiosk, RSS at launch $(rss) kB; warming up for 60 s"
for _ in $(seq 60); do one; done
start=$(rss)
echo "soak-kiosk: RSS after warm-up: $start kB; now one ticket a second for $minutes min"
echo "soak-kiosk: memory after warm-up: $(mem)"
for m in $(seq "$minutes"); do
  for _ in $(seq 60); do one; done
  kill -0 "$kiosk" 2>/dev/null || { echo "soak-kiosk: the kiosk died; see $work/kiosk.log" >&2; tail -20 "$work/kiosk.log"; exit 1; }
  if [ $((m % 5)) -eq 0 ] || [ "$m" -eq "$minutes" ]; then echo "soak-kiosk: minute $m: RSS $(rss) kB; $(mem)"; fi
done
end=$(rss)
echo "soak-kiosk: memory at the end: $(mem)"
printed=$(find "$work/tickets" -name 'ticket-*.png' | wc -l)
waiting=$(curl -fs "http://127.0.0.1:$port/api/v1/offices/demo/state" | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["waiting"].values()))')
echo "soak-kiosk: RSS after warm-up $start kB, at the end $end kB ($(( (end - start) * 100 / start )) % growth); tickets printed $printed, on the server $waiting"
if [ "$end" -gt $((start * 110 / 100)) ] || [ "$end" -gt 204800 ]; then
  echo "soak-kiosk: FAIL: memory grew beyond 10 % or 200 MB" >&2
  exit 1
fi
echo "soak-kiosk: ok"
