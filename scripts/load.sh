#!/usr/bin/env bash
# Builds the server and the load tool and measures issue 9's targets
# on this machine, each on a fresh data folder (on the same disk as
# TMPDIR), printing the tool's full report. Bounded: about four minutes.
# Usage: ./scripts/load.sh [--postgres] [target…]
#   targets: fanout1k hold10k mixed500 issue flood photos20, and with
#   --postgres cluster10k (10,000 tracking clients over three processes of
#   one cluster on the database) and cluster10k1 (the same load on one
#   process); these two are not in the default list
#   --postgres: each target also on PostgreSQL, beside SQLite in the same
#   run (loadtest -db): a private cluster of Debian's PostgreSQL in a
#   temporary folder (its own unix socket, no TCP port, fsync and
#   synchronous_commit on as shipped), stopped at the end; or
#   LUOT_LOAD_DB=postgres://… names a cluster on this machine instead.
# LUOT_LOAD_DURATION (default 20s) sets each measured phase.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # go.mod asks for a newer Go than the installed one: see scripts/setup.sh
bin=$(mktemp -d)
pgdir=""
cleanup() {
  if [ -n "$pgdir" ]; then
    pg_as "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  rm -rf "$bin"
}
trap cleanup EXIT

# pg_as runs a PostgreSQL program as the postgres user when we are root
# (initdb and postgres refuse root).
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

db=()
if [ "${1:-}" = "--postgres" ]; then
  shift
  if [ -n "${LUOT_LOAD_DB:-}" ]; then
    db=(-db "$LUOT_LOAD_DB")
  else
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$pgbin" ]; then
      echo "load.sh: --postgres needs Debian's postgresql package (scripts/setup.sh installs it)" >&2
      exit 2
    fi
    pgdir=$(mktemp -d)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pgdir"
    pg_as "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    pg_as "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
      -o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c max_connections=200" start >/dev/null
    db=(-db "postgres:///postgres?host=$pgdir&user=postgres")
    echo "== PostgreSQL: $("$pgbin/postgres" --version), private cluster in $pgdir"
  fi
fi
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
    cluster10k|cluster10k1)
      [ ${#db[@]} -eq 0 ] && { echo "$t needs --postgres"; exit 2; }
      n=3; [ "$t" = cluster10k1 ] && n=1
      cmd=("$bin/loadtest" -server "$bin/luot-server" -mode cluster -processes "$n" -rate 20 -mix kiosk=1,clerk=3 -duration "$d" -trackers 10000 -baseline=false) ;;
    photos20) cmd=("$bin/loadtest" -server "$bin/luot-server" -mode photos -concurrency 20 -duration "$d" -raw 0) ;;
    *) echo "unknown target $t"; exit 2 ;;
  esac
  [ "$t" != photos20 ] && cmd+=("${db[@]}")
  echo "\$ loadtest ${cmd[*]:1}" | sed "s|$bin/|./|g"
  "${cmd[@]}"
done
