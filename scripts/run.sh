#!/usr/bin/env bash
# Runs the whole Lượt lobby in demo mode on this machine:
#   - the server (demo office with its sample feedback reports and sample
#     dossiers, SQLite in $LUOT_DATA/luot.db),
#   - the virtual printer (tickets rendered as PNG and text in
#     $LUOT_DATA/tickets; its serial port is the link $LUOT_DATA/printer.tty),
#   - the virtual GSM modem (every SMS the server sends, one JSON line each,
#     in $LUOT_DATA/sms/messages.jsonl; its serial port is the link
#     $LUOT_DATA/modem.tty), the server's SMS route; web push is on too,
#   - a first demo ticket, taken from the server as a kiosk and printed
#     through the printer package (`escpos issue`) to the virtual printer,
#   - the kiosk window, the waiting-room display window and the counter
#     station of counter q3 (the display in counter mode with the demo
#     station key, its own virtual printer in its process rendering to
#     $LUOT_DATA/station-paper), when an X display is
#     reachable ($DISPLAY); without one, the server, the virtual printer
#     and the web pages only.
# Then it prints the URLs of the web pages with the demo logins, and waits.
# Ctrl-C (or SIGTERM) stops every process it started.
#
# Installs what is missing first (scripts/setup.sh). Builds once into
# $LUOT_BIN (default ./bin): the server and the escpos tool without cgo, the
# kiosk and the display with cgo (Fyne, OpenGL); Go's build cache makes a
# second start quick.
#
# Environment: LUOT_DATA (default ./data), LUOT_ADDR (default
# 127.0.0.1:8080), LUOT_PUBLIC_URL (the address in tracking links and QR
# codes; default http://LUOT_ADDR), LUOT_BIN (default ./bin), DISPLAY.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
luot_setup

data="${LUOT_DATA:-$PWD/data}"
addr="${LUOT_ADDR:-127.0.0.1:8080}"
bin="${LUOT_BIN:-$PWD/bin}"
mkdir -p "$data" "$bin"
data="$(cd "$data" && pwd)"
bin="$(cd "$bin" && pwd)"
tickets="$data/tickets"
logs="$data/log"
port="$data/printer.tty"
modem_port="$data/modem.tty"
sms="$data/sms"
station_paper="$data/station-paper"
mkdir -p "$tickets" "$logs" "$station_paper" "$sms"

host="${addr%:*}"
case "$host" in "" | 0.0.0.0 | "[::]") host=127.0.0.1 ;; esac
base="http://$host:${addr##*:}"

gui=""
if [ -n "${DISPLAY:-}" ]; then
  if xdpyinfo >/dev/null 2>&1; then
    gui=1
  else
    echo "run: DISPLAY=$DISPLAY is set but no X server answers there: running without the kiosk and display windows."
  fi
else
  echo "run: no graphical display (DISPLAY is not set): running the server, the virtual printer and the web pages only."
  echo "run: start it from a desktop session to see the kiosk and the waiting-room display too."
fi

echo "run: building into $bin"
CGO_ENABLED=0 go build -o "$bin/luot-server" ./server
CGO_ENABLED=0 go build -o "$bin/escpos" ./printer/cmd/escpos
CGO_ENABLED=0 go build -o "$bin/virtualmodem" ./modem/cmd/virtualmodem
if [ -n "$gui" ]; then
  echo "run: building the kiosk and the display (cgo, Fyne; the first build takes a few minutes)"
  CGO_ENABLED=1 go build -o "$bin/luot-kiosk" ./kiosk
  CGO_ENABLED=1 go build -o "$bin/luot-display" ./display
fi

pids=()
names=()
stopping=""
# stop ends every process started here: SIGTERM, up to 10 s to finish,
# then SIGKILL for any left.
stop() {
  [ -n "$stopping" ] && return
  stopping=1
  trap - INT TERM
  local i p
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for _ in $(seq 100); do
    local alive=""
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run: ${names[$i]} did not stop within 10 s; killing it" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  echo "run: stopped"
}
trap 'echo; echo "run: stopping"; stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# started NAME PID remembers a process to stop.
started() { names+=("$1"); pids+=("$2"); }

# wait_for WHAT SECONDS PID COMMAND... polls COMMAND every 0.1 s until it
# succeeds; fails when PID has exited or after SECONDS.
wait_for() {
  local what=$1 secs=$2 pid=$3 i
  shift 3
  for ((i = 0; i < secs * 10; i++)); do
    "$@" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run: $what: the process exited; its log:" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "run: gave up after $secs s waiting for $what" >&2
  return 1
}

# The virtual GSM modem, before the server that opens its port. Its
# messages of an earlier run are kept; a fault switched on then is not.
rm -f "$sms/modem-control"
"$bin/virtualmodem" -out "$sms/messages.jsonl" -link "$modem_port" >"$logs/modem.log" 2>&1 &
started "virtual modem" $!
modem_pid=$!
wait_for "the virtual modem's port $modem_port" 20 "$modem_pid" test -e "$modem_port" ||
  { tail -n 20 "$logs/modem.log" >&2; exit 1; }
echo "run: virtual GSM modem on $modem_port; SMS go to $sms/messages.jsonl (log: $logs/modem.log)"

# Quiet hours off: the demo runs at any hour, and its notifications too.
"$bin/luot-server" -demo -addr "$addr" -data "$data" -public-url "${LUOT_PUBLIC_URL:-$base}" \
  -push -push-subject mailto:demo@luot.invalid -sms-modem "$modem_port" -quiet-hours off >"$logs/server.log" 2>&1 &
started server $!
server_pid=$!
wait_for "the server to listen on $addr" 60 "$server_pid" grep -q 'msg=serving' "$logs/server.log" ||
  { tail -n 20 "$logs/server.log" >&2; exit 1; }
echo "run: server on $base (log: $logs/server.log)"

# The virtual printer starts from a clean folder: tickets of an earlier run
# are removed, and so is a fault switched on then.
rm -f "$tickets"/ticket-*.png "$tickets"/ticket-*.txt "$tickets/fault"
"$bin/escpos" virtual -profile generic-80 -out "$tickets" -link "$port" >"$logs/printer.log" 2>&1 &
started "virtual printer" $!
printer_pid=$!
wait_for "the virtual printer's port $port" 20 "$printer_pid" test -e "$port" ||
  { tail -n 20 "$logs/printer.log" >&2; exit 1; }
echo "run: virtual printer on $port; tickets go to $tickets (log: $logs/printer.log)"

# The first demo ticket, printed before the kiosk opens the same port.
if ! "$bin/escpos" issue -server "$base" -device-key demo-kiosk -office demo -service chung-thuc \
  -port "$port" -profile generic-80 -baud 115200 -name "scripts/run.sh" >"$logs/demo-ticket.log" 2>&1; then
  cat "$logs/demo-ticket.log" >&2
  exit 1
fi
demo_ticket="$tickets/ticket-0001.png"
wait_for "the demo ticket's PNG" 30 "$printer_pid" test -s "$demo_ticket" || exit 1
track_url=$(sed -n 's/^issued [^ ]* ([^)]*) //p' "$logs/demo-ticket.log")
echo "run: demo ticket $(sed -n 's/^issued \([^ ]*\).*/\1/p' "$logs/demo-ticket.log") printed to $demo_ticket"

if [ -n "$gui" ]; then
  "$bin/luot-kiosk" -server "$base" -device-key demo-kiosk -office demo \
    -printer "$port" -printer-profile generic-80 -printer-baud 115200 \
    -windowed -size 1280x720 -show-cursor -staff-pin 1234 >"$logs/kiosk.log" 2>&1 &
  started kiosk $!
  "$bin/luot-display" -server "$base" -device-key demo-display -office demo \
    -fullscreen=false -width 1280 -height 720 >"$logs/display.log" 2>&1 &
  started display $!
  echo "run: kiosk and display windows started (logs: $logs/kiosk.log, $logs/display.log)"

  # The counter station of q3, with the demo office's station key (an
  # administrator registers a real one in /admin: kind station, counter).
  rm -f "$station_paper"/*.png "$station_paper"/*.txt "$station_paper/fault"
  "$bin/luot-display" -server "$base" -device-key demo-station-q3 -office demo -counter q3 -staff-prefix nv \
    -printer virtual -printer-out "$station_paper" -printer-profile generic-80 -journal "$data/station-q3.journal" \
    -fullscreen=false -width 1024 -height 600 >"$logs/station.log" 2>&1 &
  started station $!
  echo "run: counter station of q3 started (log: $logs/station.log; receipts: $station_paper)"
fi

cat <<EOF

Lượt is running in demo mode — Ctrl-C stops everything.

  citizens: take a number, book     $base/
  follow the demo ticket            $track_url
  clerk console                     $base/clerk          counter q1…q4, staff nv1…nv4, PIN 1234
  administration                    $base/admin          staff admin, PIN 123456
  reports (and CSV)                 $base/admin/reports  staff admin, PIN 123456
  web board for smart TVs           $base/board/demo
  dossiers: record one              $base/clerk          while serving a ticket: "Tiếp nhận hồ sơ" (receipt: the station of q3)
  dossiers: departments             $base/staff/dossiers staff xl-tuphap, xl-tckh, xl-ldtbxh, xl-qldt, xl-tnmt, PIN 1234
  dossiers: the applicant's page    $base/hs             code + the phone's last 4 digits, or the receipt's QR
  dossiers: reports                 $base/admin/dossiers/reports  staff admin, PIN 123456
  API, health                       $base/api/v1/offices/demo, $base/healthz

  database                          $data/luot.db
  printed tickets (PNG and text)    $tickets   (demo ticket: $demo_ticket)
  printer fault                     echo paper-end > $tickets/fault   (empty the file: ready)
  SMS sent (virtual GSM modem)      $sms/messages.jsonl   ("near", "called", "send my link again" …)
  modem fault                       echo silent > $sms/modem-control   (or: cms-error 38; empty the file: normal)
  notifications                     on a ticket's page: opt in to web push (this browser) or SMS (the file above)
  logs                              $logs/
EOF
if [ -n "$gui" ]; then
  echo "  kiosk: device key demo-kiosk, staff menu PIN 1234 (five taps on the office name);"
  echo "         \"Nhận kết quả / Tra cứu hồ sơ\" takes a dossier's code (the sample TP-… codes ready on the board)"
  echo "  counter station q3: sign in on its window with the keyboard's number pad: staff number, Enter, PIN, Enter"
  echo "                      (nv3: 3, Enter, 1234, Enter); receipts it prints: $station_paper"
  echo "                      test print: /admin → Quầy → In thử"
else
  echo "  (no kiosk and display windows: no graphical display)"
fi
echo

# Wait; when the server or the printer ends by itself, stop the rest. A
# closed kiosk or display window is only reported.
while :; do
  set +e
  wait -n -p done_pid "${pids[@]}"
  status=$?
  set -e
  [ -z "${done_pid:-}" ] && continue
  for i in "${!pids[@]}"; do
    [ "${pids[$i]}" = "$done_pid" ] || continue
    echo "run: ${names[$i]} exited (status $status)"
    case "${names[$i]}" in
      server | "virtual printer" | "virtual modem") exit 1 ;;
    esac
    unset 'pids[i]' 'names[i]'
    pids=("${pids[@]}") names=("${names[@]}")
    break
  done
  done_pid=""
done
